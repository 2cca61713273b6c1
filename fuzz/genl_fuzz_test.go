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
	"github.com/ipr-go/ipr/nla"
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
	for m := range convMessages(t, "<", paths...) {
		if keep(m.Header.Type) {
			seeds = append(seeds, m.Data)
		}
	}
	return seeds
}

// convMessages yields the messages of the recorded conversations at
// paths whose direction ("<" received, ">" sent) is in dirs.
func convMessages(t testing.TB, dirs string, paths ...string) iter.Seq[wire.Message] {
	return func(yield func(wire.Message) bool) {
		for line := range fixtureLines(t, paths...) {
			fields := strings.Fields(line)
			if len(fields) != 3 || len(fields[0]) != 1 || !strings.Contains(dirs, fields[0]) || fields[0] == "#" {
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
				if !yield(m) {
					return
				}
			}
		}
	}
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

// genlView describes a fuzz target over the view V of a genl family's
// replies, whose readers say R (comparable: two readings compare with ==).
type genlView[V any, R comparable] struct {
	name  string // the view's name, for messages: "fou.Mapping"
	parse func(genl.Message) (V, error)
	read  func(V) R // calls every reader of V
	clone func(V) V
	// full reports whether r is what a seed must reach: the target fails,
	// run without -fuzz, unless a seed did.
	full func(r R) bool
	// request, if not nil, is the request that makes the object r reads
	// (an error when the package refuses it); the attributes of the
	// request must parse and read as want(r), and a seed must make that
	// round trip: decode(encode(decode(x))) == decode(x).
	request func(r R) (genl.Request, error)
	want    func(r R) R
	// check, if not nil, checks more of v.
	check func(t *testing.T, v V, r R)
}

// fuzzGenlView runs g's target over seeds, payloads of genl messages
// (genlmsghdr and attributes): nothing may panic, a view's Clone reads as
// the view does, and requests make the round trip.
func fuzzGenlView[V any, R comparable](f *testing.F, seeds [][]byte, g genlView[V, R]) {
	for _, s := range seeds {
		f.Add(s)
	}
	var full, round atomic.Bool
	wantSeeds(f, "parsed as a full "+g.name, &full)
	if g.request != nil {
		wantSeeds(f, "made the "+g.name+" round trip", &round)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := genl.Decode(wire.Message{Data: data}, 0)
		if err != nil {
			return
		}
		v, err := g.parse(m)
		if err != nil {
			return
		}
		r := g.read(v)
		if c := g.read(g.clone(v)); c != r {
			t.Fatalf("%s: Clone reads %+v, the view %+v", g.name, c, r)
		}
		if g.full(r) {
			full.Store(true)
		}
		if g.check != nil {
			g.check(t, v, r)
		}
		if g.request == nil {
			return
		}
		req, err := g.request(r)
		if err != nil {
			return
		}
		v2, err := g.parse(genl.Message{Command: m.Command, Version: m.Version, Attrs: reqAttrs(req)})
		if err != nil {
			t.Fatalf("%s: the request of %+v does not parse: %v", g.name, r, err)
		}
		if got, want := g.read(v2), g.want(r); got != want {
			t.Fatalf("%s round trip: %+v reads back as %+v", g.name, want, got)
		}
		round.Store(true)
	})
}

// requestSeeds returns the payloads of the requests mk makes of specs.
func requestSeeds[S any](t testing.TB, mk func(S) (genl.Request, error), specs ...S) [][]byte {
	var out [][]byte
	for _, s := range specs {
		r, err := mk(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, genlPayload(r))
	}
	return out
}

// hexFile returns the lines of the files at paths that are not comments
// (#) or empty, decoded from hex: the replies files of the genl family
// packages' testdata.
func hexFile(t testing.TB, paths ...string) [][]byte {
	var out [][]byte
	for line := range fixtureLines(t, paths...) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// genlPayload returns the payload r would send (a genlmsghdr with r's
// command and version, and r's attributes), as a seed.
func genlPayload(r genl.Request) []byte {
	var e nla.Encoder
	copy(e.Reserve(unix.GENL_HDRLEN), []byte{r.Command, r.Version})
	if r.Attrs != nil {
		r.Attrs(&e)
	}
	return e.Bytes()
}

// reqAttrs returns the attributes of r, as the kernel would read them.
func reqAttrs(r genl.Request) nla.Chain {
	var e nla.Encoder
	if r.Attrs != nil {
		r.Attrs(&e)
	}
	return nla.Chain(e.Bytes())
}
