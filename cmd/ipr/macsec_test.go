package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/genl/macsec"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// macsecFake makes a fake kernel the kernel of in-process runs: links lo
// (1), nltest's RTNL, and the macsec family (id 0x21, the fakegenl
// shim's), which acknowledges every request, keeping it in *sent as
// "flags F PAYLOAD-HEX", and answers dumps with genl/macsec's
// testdata/dump.hex if dump (as the shim answered ip), else empty.
func macsecFake(t *testing.T, dump bool) (*[]string, *nltest.Fake) {
	t.Helper()
	var replies [][]byte
	data, err := os.ReadFile("../../genl/macsec/testdata/dump.hex")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Fields(string(data)) {
		if b, err := hex.DecodeString(line); dump && err == nil {
			replies = append(replies, b)
		}
	}
	var mu sync.Mutex
	sent := new([]string)
	fake := nltest.NewRTNL()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{macsec.FamilyName: 0x21}))
	fake.Handle(0x21, func(req wire.Message) ([][]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		*sent = append(*sent, fmt.Sprintf("flags %#x %x", req.Header.Flags, golden.ClearNested(req.Data, unix.GENL_HDRLEN)))
		if req.Header.Flags&unix.NLM_F_DUMP == 0 {
			return nil, nil
		}
		var out [][]byte
		for _, r := range replies {
			out = append(out, nltest.Message(0x21, bytes.Clone(r)))
		}
		return out, nil
	})
	useTransport(t, fake.Dial)
	return sent, fake
}

// TestMACsecRequestsAsIP runs each command line of genl/macsec's
// testdata/iproute2.txt (ip's requests, recorded under the fakegenl shim
// by scripts/macsec_golden.sh) through ipr and compares the request it
// sends with ip's, byte for byte but for NLA_F_NESTED.
func TestMACsecRequestsAsIP(t *testing.T) {
	cases := golden.Read(t, "../../genl/macsec/testdata/iproute2.txt")
	if len(cases) < 20 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			sent, _ := macsecFake(t, false)
			if out, errs, code := ipr(strings.Fields(c.Cmd)...); code != 0 || errs != "" || out != "" {
				t.Fatalf("ipr %s: exit %d, %q, %q", c.Cmd, code, out, errs)
			}
			h := wire.DecodeHeader(c.Req)
			want := fmt.Sprintf("flags %#x %x", h.Flags, c.Req[wire.HeaderLen:])
			if len(*sent) != 1 || (*sent)[0] != want {
				t.Errorf("ipr %s: requests differ from ip's:\n ipr %q\n ip  %q", c.Cmd, *sent, want)
			}
		})
	}
}

// readIPOutputs reads a golden file of scripts/macsec_golden.sh: for each
// command line, "=== ARGS exit CODE bytes N" (and, with stderr, "stderr
// M"), then the N bytes of standard output and the M of standard error,
// then a newline.
type ipOutput struct {
	args, stdout, stderr string
	code                 int
}

func readIPOutputs(t *testing.T, path string) []ipOutput {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []ipOutput
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		head := string(data[:nl])
		data = data[nl+1:]
		rest, ok := strings.CutPrefix(head, "=== ")
		if !ok {
			t.Fatalf("%s: header %q", path, head)
		}
		f := strings.Fields(rest)
		var o ipOutput
		var n, m int
		// ARGS exit CODE bytes N [stderr M]
		i := len(f) - 4
		if f[len(f)-2] == "stderr" {
			i -= 2
			m, _ = strconv.Atoi(f[len(f)-1])
		}
		o.args = strings.Join(f[:i], " ")
		o.code, _ = strconv.Atoi(f[i+1])
		n, _ = strconv.Atoi(f[i+3])
		o.stdout, o.stderr = string(data[:n]), string(data[n:n+m])
		data = data[n+m+1:]
		out = append(out, o)
	}
	return out
}

// TestMACsecOutputAsIP runs the command lines of scripts/macsec_golden.sh's
// recordings of ip under the fakegenl shim through ipr, on a fake kernel
// that answers as the shim did, and compares what ipr prints with what
// ip printed, byte for byte: testdata/macsecshow.txt, the listings of
// genl/macsec's testdata/dump.hex (text, -s, -o, -j, -p), and
// testdata/macsecerrors.txt, command lines ip refuses (and a few it
// takes), with exit status and standard error.
func TestMACsecOutputAsIP(t *testing.T) {
	for _, file := range []string{"macsecshow.txt", "macsecerrors.txt"} {
		cases := readIPOutputs(t, "testdata/"+file)
		if len(cases) < 8 {
			t.Fatalf("%s: %d cases", file, len(cases))
		}
		for _, c := range cases {
			t.Run(file+"/"+c.args, func(t *testing.T) {
				macsecFake(t, file == "macsecshow.txt")
				out, errs, code := ipr(strings.Fields(c.args)...)
				if out != c.stdout || code != c.code || asIP(errs) != c.stderr {
					t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nip: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errs, c.code, c.stdout, c.stderr)
				}
			})
		}
	}
}

// TestMACsecRefused checks ipr's report of the kernel's refusals: ip's
// rtnl_talk message and exit status 2 for a change, libnetlink's "Dump
// terminated" and 1 for the listing.
func TestMACsecRefused(t *testing.T) {
	for _, c := range []struct{ cmd, stderr string }{
		{"macsec add lo tx sa 0 pn 1 key 01 81818181818181818181818181818181", "RTNETLINK answers: No such device\n"},
		{"macsec offload lo mac", "RTNETLINK answers: No such device\n"},
		{"macsec del lo rx sci 1", "RTNETLINK answers: No such device\n"},
		{"macsec show", "RTNETLINK answers: No such device\nDump terminated\n"},
	} {
		_, fake := macsecFake(t, false)
		fake.Handle(0x21, func(wire.Message) ([][]byte, error) { return nil, unix.ENODEV })
		out, errs, code := ipr(strings.Fields(c.cmd)...)
		want := 2
		if strings.Contains(c.stderr, "Dump") {
			want = 1
		}
		if out != "" || errs != c.stderr || code != want {
			t.Errorf("ipr %s: exit %d, %q, %q; want exit %d, %q", c.cmd, code, out, errs, want, c.stderr)
		}
	}
}

// TestMACsecWithoutFamily checks ip's failure on a kernel without
// MACsec, such as this one (`ip macsec show` was run to see it): the
// family is resolved first, so every command but help fails alike,
// before its words are read, with nothing printed.
func TestMACsecWithoutFamily(t *testing.T) {
	_, fake := genltest.NoFamilies(t)
	useTransport(t, fake.Dial)
	for _, cmd := range []string{"macsec show", "-j macsec show", "macsec add lo tx sa 9", "macsec foo", "macsec offload nodev bad"} {
		out, errs, code := ipr(strings.Fields(cmd)...)
		if out != "" || errs != "RTNETLINK answers: No such file or directory\nError talking to the kernel\n" || code != 1 {
			t.Errorf("ipr %s: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
}
