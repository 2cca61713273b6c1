package main

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The tests of ipr's commands of generic-netlink families the kernel
// here lacks (fou, l2tp) compare ipr with what ip sent and printed under
// scripts/fakegenl's shim, recorded by scripts/fou_l2tp_golden.sh in
// genl/<family>/testdata: ipr runs on a fake kernel that answers as the
// shim does.

// shimTestdata is the path of genl/<family>/testdata/name.
func shimTestdata(family, name string) string {
	return "../../genl/" + family + "/testdata/" + name
}

// shimFake makes the in-process runs use a fake kernel with family and
// the device lo (index 1), which acknowledges every request and answers
// dumps with the replies of genl/<family>/testdata/<replies>.replies
// (none for ""), as the shim does; it returns the requests sent to the
// family (genltest.KeepRequests).
func shimFake(t *testing.T, family, replies string) *[]string {
	t.Helper()
	var answers [][]byte
	if replies != "" {
		data, err := os.ReadFile(shimTestdata(family, replies+".replies"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			b, err := hex.DecodeString(line)
			if err != nil && !strings.HasPrefix(line, "#") {
				t.Fatal(err)
			}
			if err == nil {
				answers = append(answers, b)
			}
		}
	}
	f := nltest.NewRTNL() // with lo, index 1
	got := genltest.KeepRequests(f, family, func(req wire.Message) [][]byte {
		if req.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
			return answers
		}
		return nil
	})
	useTransport(t, f.Dial)
	return got
}

// testShimRequests checks ipr's requests for each command line of
// genl/<family>/testdata/iproute2.txt against ip's.
func testShimRequests(t *testing.T, family string) {
	cmds, want := genltest.Iproute2Requests(t, shimTestdata(family, "iproute2.txt"))
	if len(cmds) == 0 {
		t.Fatal("no recorded command")
	}
	for _, cmd := range cmds {
		got := shimFake(t, family, "")
		if _, errs, code := ipr(strings.Fields(cmd)...); code != 0 {
			t.Errorf("ipr %s: exit %d: %s", cmd, code, errs)
			continue
		}
		if strings.Join(*got, "\n") != strings.Join(want[cmd], "\n") {
			t.Errorf("ipr %s:\n ipr %q\n ip  %q", cmd, *got, want[cmd])
		}
	}
}

// testShimErrors checks what ipr prints, and its exit status, for each
// command line of genl/<family>/testdata/errors.golden against ip's.
func testShimErrors(t *testing.T, family string) {
	cmds, recorded := genltest.Sections(t, shimTestdata(family, "errors.golden"))
	for _, cmd := range cmds {
		rec := recorded[cmd]
		var code int
		if _, err := fmt.Sscanf(rec[0], "exit %d", &code); err != nil {
			t.Fatalf("%s: %q", cmd, rec[0])
		}
		var out, errs strings.Builder
		for _, l := range rec[1:] {
			if s, ok := strings.CutPrefix(l, "> "); ok {
				out.WriteString(s + "\n")
			} else if s, ok := strings.CutPrefix(l, "! "); ok {
				errs.WriteString(s + "\n")
			}
		}
		shimFake(t, family, "")
		gotOut, gotErr, gotCode := ipr(strings.Fields(cmd)...)
		if gotCode != code || gotOut != out.String() || asIP(gotErr) != errs.String() {
			t.Errorf("ipr %s: exit %d, %q, %q\nip: exit %d, %q, %q", cmd, gotCode, gotOut, asIP(gotErr), code, out.String(), errs.String())
		}
	}
}

// testShimShow checks ipr's listings of genl/<family>/testdata/<name>.replies
// against ip's: of args, -j args and -o args.
func testShimShow(t *testing.T, family, name string, args ...string) {
	for _, c := range []struct{ golden, opt string }{{"", ""}, {"-json", "-j"}, {"-oneline", "-o"}} {
		want, err := os.ReadFile(shimTestdata(family, name+c.golden+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		shimFake(t, family, name)
		argv := args
		if c.opt != "" {
			argv = append([]string{c.opt}, args...)
		}
		out, errs, code := ipr(argv...)
		if code != 0 || out != string(want) {
			t.Errorf("ipr %s: exit %d, %s\n%s\nip:\n%s", strings.Join(argv, " "), code, errs, out, want)
		}
	}
}
