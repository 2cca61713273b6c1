package nla

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"golang.org/x/sys/unix"
)

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestTypeMaskMatchesKernel(t *testing.T) {
	// NLA_TYPE_MASK is ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) in netlink.h.
	if TypeMask != 0x3fff || unix.NLA_F_NESTED != 1<<15 || unix.NLA_F_NET_BYTEORDER != 1<<14 {
		t.Fatalf("TypeMask %#x, NLA_F_NESTED %#x, NLA_F_NET_BYTEORDER %#x", TypeMask, unix.NLA_F_NESTED, unix.NLA_F_NET_BYTEORDER)
	}
}

func TestEncoderLayout(t *testing.T) {
	var e Encoder
	e.Uint8(1, 0xab)
	e.Uint16(2, 0x1234)
	e.Uint32(3, 0xdeadbeef)
	e.Uint64(4, 0x0102030405060708)
	e.String(5, "eth0")
	e.Flag(6)
	e.Uint16BE(7, 4789)
	e.Addr(8, netip.MustParseAddr("192.0.2.1"))
	e.Addr(9, netip.MustParseAddr("2001:db8::1"))
	e.Binary(10, []byte{1, 2, 3, 4, 5})
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	ne := binary.NativeEndian
	want := concat(
		rawnl.Attr(1, []byte{0xab}),
		rawnl.Attr(2, ne.AppendUint16(nil, 0x1234)),
		rawnl.Attr(3, ne.AppendUint32(nil, 0xdeadbeef)),
		rawnl.Attr(4, ne.AppendUint64(nil, 0x0102030405060708)),
		rawnl.Attr(5, []byte("eth0\x00")),
		rawnl.Attr(6, nil),
		rawnl.Attr(7, []byte{0x12, 0xb5}),
		rawnl.Attr(8, []byte{192, 0, 2, 1}),
		rawnl.Attr(9, netip.MustParseAddr("2001:db8::1").AsSlice()),
		rawnl.Attr(10, []byte{1, 2, 3, 4, 5}),
	)
	if !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("encoded\n% x\nwant\n% x", e.Bytes(), want)
	}
}

func TestEncoderNest(t *testing.T) {
	e := NewEncoder([]byte{0xee, 0xee}) // existing bytes are kept
	outer := e.BeginNest(18)
	e.String(1, "vxlan")
	inner := e.BeginNest(2)
	e.Uint32(1, 42)
	e.EndNest(inner)
	e.EndNest(outer)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	innerWant := rawnl.Attr(2|unix.NLA_F_NESTED, rawnl.Attr(1, binary.NativeEndian.AppendUint32(nil, 42)))
	want := append([]byte{0xee, 0xee}, rawnl.Attr(18|unix.NLA_F_NESTED, concat(rawnl.Attr(1, []byte("vxlan\x00")), innerWant))...)
	if !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("encoded\n% x\nwant\n% x", e.Bytes(), want)
	}
	got, ok := Chain(e.Bytes()[2:]).Path(18, 2, 1)
	if v, err := got.Uint32(); !ok || err != nil || v != 42 {
		t.Fatalf("Path(18,2,1) = %v %v, %v, %v", got, ok, v, err)
	}
}

func TestEncoderErrors(t *testing.T) {
	cases := map[string]func(e *Encoder){
		"oversize":      func(e *Encoder) { e.Binary(1, make([]byte, MaxPayload+1)) },
		"nul in string": func(e *Encoder) { e.String(1, "a\x00b") },
		"invalid addr":  func(e *Encoder) { e.Addr(1, netip.Addr{}) },
		"unclosed nest": func(e *Encoder) { e.BeginNest(1) },
		"extra end":     func(e *Encoder) { e.EndNest(Nest{}) },
		"nest too big": func(e *Encoder) {
			n := e.BeginNest(1)
			e.Binary(2, make([]byte, MaxPayload))
			e.Binary(2, make([]byte, 8))
			e.EndNest(n)
		},
	}
	for name, f := range cases {
		var e Encoder
		f(&e)
		if e.Err() == nil {
			t.Errorf("%s: no error", name)
		}
		// Sticky: nothing more is written after the first error.
		n := e.Len()
		e.Uint32(9, 9)
		if e.Len() != n && name != "unclosed nest" {
			t.Errorf("%s: encoder kept writing after an error", name)
		}
	}
	var e Encoder
	e.Binary(1, make([]byte, MaxPayload)) // the largest payload is fine
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestAccessors(t *testing.T) {
	ne := binary.NativeEndian
	a := func(p []byte) Attr { return Attr{Type: 1, Data: p} }
	if v, err := a([]byte{7}).Uint8(); v != 7 || err != nil {
		t.Errorf("Uint8 = %v, %v", v, err)
	}
	if v, err := a(ne.AppendUint16(nil, 0xfffe)).Int16(); v != -2 || err != nil {
		t.Errorf("Int16 = %v, %v", v, err)
	}
	if v, err := a(ne.AppendUint32(nil, 0xfffffffd)).Int32(); v != -3 || err != nil {
		t.Errorf("Int32 = %v, %v", v, err)
	}
	if v, err := a(ne.AppendUint64(nil, 1<<40)).Uint64(); v != 1<<40 || err != nil {
		t.Errorf("Uint64 = %v, %v", v, err)
	}
	if v, err := a([]byte{0x12, 0xb5}).Uint16BE(); v != 4789 || err != nil {
		t.Errorf("Uint16BE = %v, %v", v, err)
	}
	if v, err := a([]byte{0, 0, 0x10, 0}).Uint32BE(); v != 4096 || err != nil {
		t.Errorf("Uint32BE = %v, %v", v, err)
	}
	for _, n := range []int{1, 2, 4, 8} {
		p := make([]byte, n)
		p[0] = 5
		if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 { // big-endian host
			p[0], p[n-1] = 0, 5
		}
		if v, err := a(p).Uint(); v != 5 || err != nil {
			t.Errorf("Uint on %d bytes = %v, %v", n, v, err)
		}
	}
	if s, err := a([]byte("lo\x00\x00junk")).Text(); s != "lo" || err != nil {
		t.Errorf("Text = %q, %v", s, err)
	}
	if _, err := a([]byte("lo")).Text(); !errors.Is(err, ErrNotString) {
		t.Errorf("Text without NUL: %v", err)
	}
	if ip, err := a([]byte{10, 0, 0, 1}).Addr(); ip != netip.MustParseAddr("10.0.0.1") || err != nil {
		t.Errorf("Addr = %v, %v", ip, err)
	}
	mapped := netip.MustParseAddr("::ffff:10.0.0.1")
	if ip, err := a(mapped.AsSlice()).Addr(); ip != mapped || err != nil {
		t.Errorf("Addr(mapped) = %v, %v", ip, err)
	}
	if hw, err := a([]byte{2, 0, 0, 0, 0, 1}).HardwareAddr(); len(hw) != 6 || err != nil {
		t.Errorf("HardwareAddr = %v, %v", hw, err)
	}
	// Every fixed-width accessor rejects every other width with ErrLength.
	for n := 0; n <= 17; n++ {
		at := a(make([]byte, n))
		checks := []struct {
			name string
			ok   bool
			err  error
		}{
			{"Uint8", n == 1, second(at.Uint8())},
			{"Uint16", n == 2, second(at.Uint16())},
			{"Uint32", n == 4, second(at.Uint32())},
			{"Uint64", n == 8, second(at.Uint64())},
			{"Uint16BE", n == 2, second(at.Uint16BE())},
			{"Uint32BE", n == 4, second(at.Uint32BE())},
			{"Uint64BE", n == 8, second(at.Uint64BE())},
			{"Uint", n == 1 || n == 2 || n == 4 || n == 8, second(at.Uint())},
			{"Addr", n == 4 || n == 16, second(at.Addr())},
		}
		for _, c := range checks {
			if c.ok != (c.err == nil) || (c.err != nil && !errors.Is(c.err, ErrLength)) {
				t.Errorf("%s on %d bytes: err %v", c.name, n, c.err)
			}
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestChainDuplicatesAndOrder(t *testing.T) {
	c := Chain(concat(
		rawnl.Attr(3, []byte("a\x00")),
		rawnl.Attr(53, []byte("alt1\x00")),
		rawnl.Attr(4, []byte{1, 0, 0, 0}),
		rawnl.Attr(53|unix.NLA_F_NESTED, []byte("alt2\x00")),
		rawnl.Attr(200, []byte{9}),
		rawnl.Attr(53, []byte("alt3\x00")),
	))
	var x Index
	x.Reset(c)
	for _, get := range []func(uint16) (Attr, bool){c.Get, x.Get} {
		if a, ok := get(53); !ok || string(a.Data) != "alt1\x00" {
			t.Errorf("Get(53) = %q, %v", a.Data, ok)
		}
		if a, ok := get(200); !ok || a.Data[0] != 9 {
			t.Errorf("Get(200) = %v, %v", a, ok)
		}
		if _, ok := get(5); ok {
			t.Error("Get(5) found an absent type")
		}
	}
	var names, namesIdx []string
	for a := range c.AllOf(53) {
		names = append(names, string(a.Data))
	}
	for a := range x.AllOf(53) {
		namesIdx = append(namesIdx, string(a.Data))
	}
	want := []string{"alt1\x00", "alt2\x00", "alt3\x00"}
	if !slices.Equal(names, want) || !slices.Equal(namesIdx, want) {
		t.Errorf("AllOf(53) = %q / %q, want %q", names, namesIdx, want)
	}
	var kinds []uint16
	for a := range x.All() {
		kinds = append(kinds, a.Kind())
	}
	if !slices.Equal(kinds, []uint16{3, 53, 4, 53, 200, 53}) || c.Len() != 6 || x.Len() != 6 {
		t.Errorf("All kinds = %v, Len %d/%d", kinds, c.Len(), x.Len())
	}
	if c.Err() != nil || x.Err() != nil {
		t.Errorf("Err = %v / %v", c.Err(), x.Err())
	}
}

func TestMalformedChains(t *testing.T) {
	good := rawnl.Attr(1, []byte{1, 2, 3, 4})
	cases := map[string][]byte{
		"short tail":       concat(good, []byte{8, 0}),
		"length below hdr": concat(good, []byte{2, 0, 1, 0}),
		"length past end":  concat(good, []byte{64, 0, 2, 0, 0, 0, 0, 0}),
	}
	for name, b := range cases {
		c := Chain(b)
		var x Index
		x.Reset(c)
		if !errors.Is(c.Err(), ErrMalformed) || !errors.Is(x.Err(), ErrMalformed) {
			t.Errorf("%s: Err = %v / %v", name, c.Err(), x.Err())
		}
		var ce *ChainError
		if !errors.As(c.Err(), &ce) || ce.Offset != len(good) {
			t.Errorf("%s: error %v does not point at offset %d", name, c.Err(), len(good))
		}
		// The intact prefix stays readable.
		if a, ok := x.Get(1); !ok || len(a.Data) != 4 || c.Len() != 1 || x.Len() != 1 {
			t.Errorf("%s: lost the good attribute", name)
		}
		if _, ok := x.Get(2); ok {
			t.Errorf("%s: found an attribute in the malformed tail", name)
		}
	}
	// The final attribute may omit its padding.
	c := Chain(rawnl.Attr(1, []byte{1})[:5])
	if a, ok := c.Get(1); !ok || len(a.Data) != 1 || c.Err() != nil {
		t.Errorf("unpadded last attribute: %v %v %v", a, ok, c.Err())
	}
}

// TestIndexAgreesWithChain checks the index against the scanning chain on
// random chains, including types above IndexedTypes, duplicates and
// malformed tails, and after Reset to a different chain.
func TestIndexAgreesWithChain(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var x Index
	for iter := 0; iter < 2000; iter++ {
		var e Encoder
		for n := rng.Intn(20); n > 0; n-- {
			typ := uint16(rng.Intn(140))
			if rng.Intn(4) == 0 {
				typ |= unix.NLA_F_NESTED
			}
			e.Binary(typ, make([]byte, rng.Intn(9)))
		}
		b := e.Bytes()
		if rng.Intn(3) == 0 && len(b) > 0 {
			b = b[:rng.Intn(len(b))]
		}
		c := Chain(b)
		x.Reset(c)
		for typ := uint16(0); typ < 145; typ++ {
			a1, ok1 := c.Get(typ)
			a2, ok2 := x.Get(typ)
			if ok1 != ok2 || a1.Type != a2.Type || len(a1.Data) != len(a2.Data) {
				t.Fatalf("chain % x type %d: Chain.Get %v %v, Index.Get %v %v", b, typ, a1, ok1, a2, ok2)
			}
			n1, n2 := 0, 0
			for range c.AllOf(typ) {
				n1++
			}
			for range x.AllOf(typ) {
				n2++
			}
			if n1 != n2 {
				t.Fatalf("chain % x type %d: AllOf counts %d vs %d", b, typ, n1, n2)
			}
		}
		if (c.Err() == nil) != (x.Err() == nil) || c.Len() != x.Len() {
			t.Fatalf("chain % x: Err %v/%v Len %d/%d", b, c.Err(), x.Err(), c.Len(), x.Len())
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	var e Encoder
	e.String(3, "veth0")
	e.Uint32(4, 1500)
	e.Uint32(13, 1000)
	n := e.BeginNest(18)
	e.String(1, "veth")
	e.EndNest(n)
	chain := Chain(e.Bytes())
	var x Index
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		x.Reset(chain)
		if _, ok := x.Get(4); !ok {
			t.Fatal("missing")
		}
		if _, ok := x.Chain().Path(18, 1); !ok {
			t.Fatal("missing path")
		}
		for a := range x.AllOf(3) {
			_, _ = a.TextBytes()
		}
		for range x.All() {
		}
		e.Reset(buf)
		e.String(3, "veth0")
		nn := e.BeginNest(18)
		e.Uint32(1, 7)
		e.EndNest(nn)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per lookup and encode, want 0", allocs)
	}
}
