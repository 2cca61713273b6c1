package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The tests of ipr's commands of generic-netlink families the kernel
// here lacks (fou, l2tp) compare ipr with what ip sent and printed under
// scripts/fakegenl's shim, recorded by scripts/fou_l2tp_golden.sh in
// genl/<family>/testdata: ipr runs on a fake kernel that answers as the
// shim does.

// shimFamilyID is the id the shim gives the family it fakes.
const shimFamilyID = 0x21

// shimTestdata is the path of genl/<family>/testdata/name.
func shimTestdata(family, name string) string {
	return filepath.Join("..", "..", "genl", family, "testdata", name)
}

// shimFake makes the in-process runs use a fake kernel with family (id
// shimFamilyID) and the device lo (index 1), which acknowledges every
// request and answers dumps with the replies of
// genl/<family>/testdata/<replies>.replies (none for ""), as the shim
// does; it returns the requests sent to the family, as shimRequest
// words them.
func shimFake(t *testing.T, family, replies string) *[]string {
	t.Helper()
	var answers [][]byte
	for _, line := range shimLines(t, shimTestdata(family, replies+".replies")) {
		if replies == "" {
			break
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, nltest.Message(shimFamilyID, b))
	}
	f := nltest.NewRTNL() // with lo, index 1
	f.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{family: shimFamilyID}))
	var got []string
	f.Handle(shimFamilyID, func(req wire.Message) ([][]byte, error) {
		got = append(got, shimRequest(req))
		if req.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
			return answers, nil
		}
		return nil, nil
	})
	useTransport(t, f.Dial)
	return &got
}

// shimRequest words a request as the comparisons read it: the flags
// (without NLM_F_ACK, which ipr sets on every request and ip on some)
// and the payload, genlmsghdr included, in hex.
func shimRequest(m wire.Message) string {
	return fmt.Sprintf("flags %#x %x", m.Header.Flags&^unix.NLM_F_ACK, m.Data)
}

// shimLines is the lines of path that are not comments (none for a
// path of no name).
func shimLines(t *testing.T, path string) []string {
	t.Helper()
	if filepath.Base(path) == ".replies" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			out = append(out, sc.Text())
		}
	}
	return out
}

// shimSections reads a file of '# ARGS' lines, each followed by its own
// lines, in order.
func shimSections(t *testing.T, path string) (cmds []string, lines map[string][]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines = map[string][]string{}
	cmd := ""
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if c, ok := strings.CutPrefix(line, "# "); ok && !strings.HasPrefix(c, "Requests of") && !strings.HasPrefix(c, "by scripts/") && !strings.HasPrefix(c, "nlmsghdr") {
			cmd = c
			cmds = append(cmds, c)
			continue
		}
		if cmd != "" {
			lines[cmd] = append(lines[cmd], line)
		}
	}
	return cmds, lines
}

// testShimRequests checks ipr's requests for each command line of
// genl/<family>/testdata/iproute2.txt against ip's.
func testShimRequests(t *testing.T, family string) {
	cmds, recorded := shimSections(t, shimTestdata(family, "iproute2.txt"))
	if len(cmds) == 0 {
		t.Fatal("no recorded command")
	}
	for _, cmd := range cmds {
		var want []string
		for _, line := range recorded[cmd] {
			b, err := hex.DecodeString(line)
			if err != nil {
				t.Fatal(err)
			}
			for m, err := range wire.Messages(b) {
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, shimRequest(m))
			}
		}
		got := shimFake(t, family, "")
		if _, errs, code := ipr(strings.Fields(cmd)...); code != 0 {
			t.Errorf("ipr %s: exit %d: %s", cmd, code, errs)
			continue
		}
		if strings.Join(*got, "\n") != strings.Join(want, "\n") {
			t.Errorf("ipr %s:\n ipr %q\n ip  %q", cmd, *got, want)
		}
	}
}

// testShimErrors checks what ipr prints, and its exit status, for each
// command line of genl/<family>/testdata/errors.golden against ip's.
func testShimErrors(t *testing.T, family string) {
	cmds, recorded := shimSections(t, shimTestdata(family, "errors.golden"))
	for _, cmd := range cmds {
		rec := recorded[cmd]
		code, err := strconv.Atoi(strings.TrimPrefix(rec[0], "exit "))
		if err != nil {
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
