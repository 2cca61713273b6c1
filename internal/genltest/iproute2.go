package genltest

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The comparisons with what iproute2 sent and printed under
// scripts/fakegenl's shim, on a kernel without the family (see
// scripts/fou_l2tp_golden.sh).

// ShimID is the id scripts/fakegenl gives the family it fakes, and the
// fakes of KeepRequests.
const ShimID = 0x21

// RequestString words a request as the comparisons with iproute2 read
// it: its flags, without NLM_F_ACK (which ipr sets on every request and
// ip on some), then its payload, genlmsghdr included, in hex.
func RequestString(m wire.Message) string {
	return fmt.Sprintf("flags %#x %x", m.Header.Flags&^unix.NLM_F_ACK, m.Data)
}

// KeepRequests makes f resolve the family name to ShimID and answer its
// requests with what answer returns (payloads, which it wraps in
// messages of the family), and returns the requests, as RequestString
// words them.
func KeepRequests(f *nltest.Fake, name string, answer func(wire.Message) [][]byte) *[]string {
	f.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{name: ShimID}))
	var got []string
	f.Handle(ShimID, func(req wire.Message) ([][]byte, error) {
		got = append(got, RequestString(req))
		var out [][]byte
		for _, r := range answer(req) {
			out = append(out, nltest.Message(ShimID, r))
		}
		return out, nil
	})
	return &got
}

// FakeFamily returns a handle over a fake kernel with the family name,
// which answers every request with replies (payloads), and the requests
// it got (KeepRequests).
func FakeFamily(t testing.TB, name string, replies ...[]byte) (*genl.Handle, *[]string) {
	f := nltest.NewFake()
	got := KeepRequests(f, name, func(wire.Message) [][]byte { return replies })
	return Dial(t, genl.WithTransport(f.Dial)), got
}

// Sections reads a file of sections, each a line "# ARGS" and the lines
// after it, in order; lines starting with "##" are comments.
func Sections(t testing.TB, path string) (cmds []string, lines map[string][]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines = map[string][]string{}
	cmd := ""
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		switch c, ok := strings.CutPrefix(line, "# "); {
		case strings.HasPrefix(line, "##"):
		case ok:
			cmd = c
			cmds = append(cmds, c)
		case cmd != "":
			lines[cmd] = append(lines[cmd], line)
		}
	}
	return cmds, lines
}

// Iproute2Requests reads the requests recorded at path, as Sections of
// netlink messages in hex, and words each as RequestString does.
func Iproute2Requests(t testing.TB, path string) (cmds []string, reqs map[string][]string) {
	t.Helper()
	cmds, lines := Sections(t, path)
	reqs = map[string][]string{}
	for _, cmd := range cmds {
		for _, line := range lines[cmd] {
			b, err := hex.DecodeString(line)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for m, err := range wire.Messages(b) {
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				reqs[cmd] = append(reqs[cmd], RequestString(m))
			}
		}
	}
	return cmds, reqs
}

// SameRequest checks that got, the requests a package sent for the
// command line args of iproute2, are the one request ip sent for it (in
// rec, from Iproute2Requests).
func SameRequest(t testing.TB, args string, rec map[string][]string, got []string) {
	t.Helper()
	if want := rec[args]; len(want) != 1 || len(got) != 1 || got[0] != want[0] {
		t.Errorf("%s:\n ipr %v\n ip  %v", args, got, want)
	}
}

// ReplyFile checks that path holds replies (payloads), in hex, one a
// line, after a comment line naming what they are; with
// IPR_WRITE_REPLIES=1 it writes them first. ip's listing of the file,
// under scripts/fakegenl's shim, is what the command's tests compare
// ipr's with.
func ReplyFile(t testing.TB, path, what string, replies [][]byte) {
	t.Helper()
	var b strings.Builder
	b.WriteString("## " + what + " (genlmsghdr and attributes), written by TestShowReplies\n")
	for _, r := range replies {
		b.WriteString(hex.EncodeToString(r) + "\n")
	}
	if os.Getenv("IPR_WRITE_REPLIES") == "1" {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if f, err := os.ReadFile(path); err != nil || string(f) != b.String() {
		t.Fatalf("%s is stale (%v): run scripts/fou_l2tp_golden.sh", path, err)
	}
}

// SameLines checks that got, what a test read, line by line, is want.
func SameLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("%s:\n%s\nwant\n%s", what, g, w)
	}
}

// InNamespace returns a handle in a throwaway network namespace, for
// the tests of a family the kernel may lack: they skip by the name of
// feature (nstest.Require) on a kernel without it.
func InNamespace(t *testing.T, feature string) *genl.Handle {
	t.Helper()
	nstest.Require(t, feature)
	return Dial(t, genl.WithNetns(nstest.New(t).Name))
}
