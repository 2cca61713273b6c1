package fuzz

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// genlSeeds returns the payloads (genlmsghdr and attributes) of the
// replies recorded in genl's and nlctrl's conversations: the kernel's
// family and policy messages.
func genlSeeds(t testing.TB) [][]byte {
	return convReplies(t, func(typ uint16) bool { return typ == unix.GENL_ID_CTRL },
		filepath.Join("..", "genl", "testdata", "conv", "families.nlconv"),
		filepath.Join("..", "genl", "nlctrl", "testdata", "conv", "policy.nlconv"))
}

// convReplies returns the payloads of the messages of the types keep
// accepts that the kernel sent in the recorded conversations at paths
// (package nltest's format).
func convReplies(t testing.TB, keep func(typ uint16) bool, paths ...string) [][]byte {
	var seeds [][]byte
	for line := range fixtureLines(t, paths...) {
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != "<" {
			continue
		}
		d, err := hex.DecodeString(fields[2])
		if err != nil {
			t.Fatal(err)
		}
		for m, err := range wire.Messages(d) {
			if err != nil {
				break
			}
			if keep(m.Header.Type) {
				seeds = append(seeds, m.Data)
			}
		}
	}
	return seeds
}

// fixtureLines yields the lines of the files at paths (of up to 1 MiB
// each), failing the test when one cannot be read.
func fixtureLines(t testing.TB, paths ...string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, path := range paths {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if !yield(sc.Text()) {
					f.Close()
					return
				}
			}
			f.Close()
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// FuzzGenlFamily decodes arbitrary bytes as the payload of a generic
// netlink message, with a user header of 0 to 7 bytes, and as a family
// description (CTRL_CMD_NEWFAMILY). Nothing may panic, and
//
//   - Decode accepts exactly the payloads as long as both headers, and
//     its view aliases them: command and version are the first two bytes,
//     the attributes start at the aligned end of the headers;
//   - a Clone reads the same and shares nothing;
//   - ParseFamily either fails or returns a family with a name and an id,
//     and never more operations or groups than the payload has bytes for.
//
// Run without -fuzz, it fails unless its seeds (the recorded kernel
// replies) produced a family with operations and groups.
func FuzzGenlFamily(f *testing.F) {
	for _, s := range genlSeeds(f) {
		f.Add(s, uint8(0))
	}
	var parsedFull atomic.Bool
	wantSeeds(f, "parsed as a family with operations and groups", &parsedFull)
	f.Fuzz(func(t *testing.T, data []byte, hdr uint8) {
		hdrsize := int(hdr % 8)
		m, err := genl.Decode(wire.Message{Header: unix.NlMsghdr{Type: unix.GENL_ID_CTRL}, Data: data}, hdrsize)
		if (err == nil) != (len(data) >= unix.GENL_HDRLEN+hdrsize) {
			t.Fatalf("Decode of %d bytes, user header %d: %v", len(data), hdrsize, err)
		}
		if err != nil {
			return
		}
		if m.Command != data[0] || m.Version != data[1] || !bytes.Equal(m.User, data[4:4+hdrsize]) {
			t.Fatalf("headers: %+v of % x", m, data[:4+hdrsize])
		}
		off := min((4+hdrsize+3)&^3, len(data))
		if len(m.Attrs) != len(data)-off || (len(m.Attrs) > 0 && &m.Attrs[0] != &data[off]) {
			t.Fatalf("attributes at %d: %d bytes, not aliasing the payload's %d", off, len(m.Attrs), len(data)-off)
		}
		c := m.Clone()
		if c.Command != m.Command || c.Version != m.Version || !bytes.Equal(c.User, m.User) || !bytes.Equal(c.Attrs, m.Attrs) {
			t.Fatalf("Clone differs: %+v, %+v", c, m)
		}
		if len(c.Attrs) > 0 && &c.Attrs[0] == &m.Attrs[0] {
			t.Fatal("Clone aliases the payload")
		}
		fam, err := genl.ParseFamily(m)
		if err != nil {
			return
		}
		if fam.Name == "" || fam.ID == 0 {
			t.Fatalf("ParseFamily accepted a family without a name or id: %+v", fam)
		}
		if 8*(len(fam.Ops)+len(fam.Groups)) > len(data) {
			t.Fatalf("%d operations and %d groups from %d bytes", len(fam.Ops), len(fam.Groups), len(data))
		}
		if len(fam.Ops) > 0 && len(fam.Groups) > 0 {
			parsedFull.Store(true)
		}
	})
}

// FuzzNlctrlPolicy answers nlctrl.Policy's dump with arbitrary bytes as
// the payload of one reply (and its family lookup with ENOENT), through
// a fake kernel: Policy must return an error or policies, never panic,
// and every attribute policy it returns must come from bytes the reply
// had room for.
//
// Run without -fuzz, it fails unless its seeds (the recorded kernel
// policy replies) produced operations and attribute policies.
func FuzzNlctrlPolicy(f *testing.F) {
	for _, s := range genlSeeds(f) {
		if len(s) > 0 && s[0] == nlctrl.CtrlCmdGetpolicy {
			f.Add(s)
		}
	}
	var ops, attrs atomic.Bool
	wantSeeds(f, "decoded as operations and attribute policies", &ops, &attrs)
	f.Fuzz(func(t *testing.T, data []byte) {
		fake := nltest.NewFake()
		fake.Handle(unix.GENL_ID_CTRL, func(req wire.Message) ([][]byte, error) {
			if len(req.Data) > 0 && req.Data[0] == nlctrl.CtrlCmdGetpolicy {
				return [][]byte{nltest.Message(unix.GENL_ID_CTRL, data)}, nil
			}
			return nil, unix.ENOENT
		})
		h, err := genl.Dial(genl.WithTransport(fake.Dial))
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		p, err := nlctrl.Policy(context.Background(), h, "x")
		if err != nil {
			return
		}
		n := 0
		for _, attrs := range p.Policies {
			n += len(attrs)
		}
		if 4*(n+len(p.Ops)) > len(data) {
			t.Fatalf("%d attribute policies and %d operations from %d bytes", n, len(p.Ops), len(data))
		}
		if len(p.Ops) > 0 {
			ops.Store(true)
		}
		if n > 0 {
			attrs.Store(true)
		}
	})
}
