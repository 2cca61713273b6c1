package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nltest"
)

// tcVerbsGolden holds what each tc object makes of its command words,
// whole and abbreviated (tcVerbWords), through a fake kernel: which
// command ran shows in the exit status and the first line of standard
// error. It keeps runTC and changeVerbs' order of matching (tc's: "l" is
// qdisc's link but the others' list) from changing unnoticed;
// IPR_TCVERBS_WRITE=1 rewrites it.
const tcVerbsGolden = "testdata/tcverbs.txt"

// tcVerbWords are the command words tried on each object ("" for none).
var tcVerbWords = []string{"", "a", "c", "ch", "r", "re", "l", "li", "lin", "ls", "s", "d", "g", "f", "h", "x",
	"lst", "add", "change", "replace", "delete", "del", "link", "list", "show", "get", "flush", "help",
	"l action gact", "ls action gact", "s action gact", "d action gact index 1"}

// TestTCVerbDispatch runs every object of tc with every word of
// tcVerbWords and compares the outcomes with tcVerbsGolden.
func TestTCVerbDispatch(t *testing.T) {
	useTransport(t, nltest.NewRTNL().Dial)
	var b strings.Builder
	for _, obj := range []string{"qdisc", "class", "filter", "actions", "chain"} {
		for _, w := range tcVerbWords {
			out, errs, code := iprIn(nil, "", append([]string{obj}, strings.Fields(w)...)...)
			fmt.Fprintf(&b, "%s %q => exit %d stdout %q stderr %q\n", obj, w, code, out, strings.SplitN(errs, "\n", 2)[0])
		}
	}
	checkParseGolden(t, tcVerbsGolden, "IPR_TCVERBS_WRITE", b.String())
}
