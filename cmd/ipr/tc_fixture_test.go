package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/ipr-go/ipr/wire"
)

// TestTCCommandLinesAsTC parses the command lines of rtm/tc's fixtures
// (testdata/requests.tsv: each a tc command line and the bytes tc 6.1
// sends for it) as ipr qdisc and ipr class parse them, and checks that
// the requests equal tc's, byte for byte: the parsers of kinds this
// kernel lacks are checked against tc too.
func TestTCCommandLinesAsTC(t *testing.T) {
	f, err := os.Open("../../rtm/tc/testdata/requests.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ifindex := map[string]int32{"p0": 3, "p1": 2}
	checked := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 5 {
			continue
		}
		name, payload, line := fields[0], fields[3], strings.Fields(fields[4])
		want, err := hex.DecodeString(payload)
		if err != nil {
			t.Fatal(err)
		}
		e := &env{}
		a := &args{list: line[2:]}
		// The request of the command line's verb (line[1]); the
		// specification made of a line that fails to parse is not used.
		var q rtm.Request
		switch line[0] {
		case "qdisc":
			s, dev, perr := parseQdiscSpec(e, a)
			s.Ifindex, err = ifindex[dev], perr
			q = map[string]func(tc.QdiscSpec) rtm.Request{"add": tc.QdiscAdd, "replace": tc.QdiscReplace,
				"change": tc.QdiscChange, "link": tc.QdiscLink, "del": tc.QdiscDel}[line[1]](s)
		case "class":
			s, dev, perr := parseClassSpec(e, a)
			s.Ifindex, err = ifindex[dev], perr
			q = map[string]func(tc.ClassSpec) rtm.Request{"add": tc.ClassAdd, "replace": tc.ClassReplace,
				"change": tc.ClassChange, "del": tc.ClassDel}[line[1]](s)
		default:
			continue
		}
		if err != nil {
			t.Errorf("%s: %s: %v", name, fields[4], err)
			continue
		}
		var b wire.Builder
		if err := q.AppendTo(&rtnl.Req{B: &b}); err != nil {
			t.Errorf("%s: %s: %v", name, fields[4], err)
			continue
		}
		m, _, _, err := wire.Next(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.Data, want) {
			t.Errorf("%s: ipr %s:\nipr %x\ntc  %x", name, fields[4], m.Data, want)
		}
		checked++
	}
	t.Logf("%d command lines", checked)
}

// TestTCPrintFixtures prints every fixture's message (tc's requests,
// which have the layout of the kernel's replies) as qdisc or class
// listings: the printers must not fail on any kind, and -j must be
// valid JSON where tc's is (TestTCPrintAsTC compares the output with
// tc's).
func TestTCPrintFixtures(t *testing.T) {
	f, err := os.Open("../../rtm/tc/testdata/requests.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := &linkNames{byIndex: map[int32]linkRef{2: {name: "p1", found: true}, 3: {name: "p0", found: true}}}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 5 {
			continue
		}
		b, err := hex.DecodeString(fields[3])
		if err != nil {
			t.Fatal(err)
		}
		for _, js := range []bool{false, true} {
			e := &env{JSON: js, Details: true, Stats: statsOptions{level: 1}}
			p := &printer{json: js}
			p.openArray("")
			if strings.HasPrefix(fields[4], "class") {
				c, err := tc.ClassFromBytes(b)
				if err != nil {
					t.Fatal(err)
				}
				printClass(p, e, c, false)
			} else {
				q, err := tc.QdiscFromBytes(b)
				if err != nil {
					t.Fatal(err)
				}
				printQdisc(p, e, q, names, true)
			}
			p.closeArray()
			// tc's hfsc, qfq and multiq printers fprintf their text even in
			// JSON, and ipr prints as tc does.
			textInJSON := strings.HasPrefix(fields[0], "hfsc") || strings.HasPrefix(fields[0], "qfq") || fields[0] == "multiq"
			if js && !json.Valid(p.buf) && !textInJSON {
				t.Errorf("%s: invalid JSON %s", fields[0], p.buf)
			}
		}
	}
}
