package rtnl

import (
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/nla"
)

type hdr12 [12]byte

// msg builds a message of a 12-byte header and the given attributes.
func msg(t *testing.T, attrs ...nla.Attr) []byte {
	t.Helper()
	b := make([]byte, 12)
	for _, a := range attrs {
		n := 4 + len(a.Data)
		rec := make([]byte, nla.Align(n))
		rec[0], rec[1] = byte(n), byte(n>>8)
		rec[2], rec[3] = byte(a.Type), byte(a.Type>>8)
		copy(rec[4:], a.Data)
		b = append(b, rec...)
	}
	return b
}

func TestReaders(t *testing.T) {
	b := msg(t,
		nla.Attr{Type: 1, Data: []byte{7}},
		nla.Attr{Type: 2, Data: []byte{1, 0}},
		nla.Attr{Type: 3, Data: []byte{4, 0, 0, 0}},
		nla.Attr{Type: 4, Data: []byte{192, 0, 2, 1}},
		nla.Attr{Type: 5, Data: []byte("eth0\x00")},
		nla.Attr{Type: 6, Data: []byte{1, 2, 3}}, // wrong size for every integer
	)
	n := Len[hdr12]()
	if n != 12 {
		t.Fatalf("Len = %d", n)
	}
	var idx nla.Index
	idx.Reset(nla.Chain(b[n:]))
	for _, x := range []*nla.Index{nil, &idx} { // by walking the chain, and through an index
		get := func(typ uint16) (nla.Attr, bool) { return Get(b, n, x, typ) }
		if v, ok := U8(get(1)); v != 7 || !ok {
			t.Errorf("U8 = %d, %v", v, ok)
		}
		if v, ok := U16(get(2)); v != 1 || !ok {
			t.Errorf("U16 = %d, %v", v, ok)
		}
		if v, ok := U32(get(3)); v != 4 || !ok {
			t.Errorf("U32 = %d, %v", v, ok)
		}
		if v, ok := I32(get(3)); v != 4 || !ok {
			t.Errorf("I32 = %d, %v", v, ok)
		}
		if v := IP(get(4)); v != netip.MustParseAddr("192.0.2.1") {
			t.Errorf("IP = %v", v)
		}
		if v := Text(get(5)); v != "eth0" {
			t.Errorf("Text = %q", v)
		}
		if v := HW(get(6)); len(v) != 3 {
			t.Errorf("HW = %v", v)
		}
		// Absent and malformed attributes read as zero, not present.
		for _, typ := range []uint16{6, 99} {
			if v, ok := U8(get(typ)); v != 0 || ok {
				t.Errorf("U8(%d) = %d, %v", typ, v, ok)
			}
			if v, ok := U16(get(typ)); v != 0 || ok {
				t.Errorf("U16(%d) = %d, %v", typ, v, ok)
			}
			if v, ok := U32(get(typ)); v != 0 || ok {
				t.Errorf("U32(%d) = %d, %v", typ, v, ok)
			}
			if v, ok := I32(get(typ)); v != 0 || ok {
				t.Errorf("I32(%d) = %d, %v", typ, v, ok)
			}
			if v := IP(get(typ)); v.IsValid() {
				t.Errorf("IP(%d) = %v", typ, v)
			}
			if v := Text(get(typ)); v != "" {
				t.Errorf("Text(%d) = %q", typ, v)
			}
		}
	}
}

// TestZeroMessage reads a message too short for its header, as the zero
// view has: a zeroed header and no attributes, without panicking.
func TestZeroMessage(t *testing.T) {
	for _, b := range [][]byte{nil, {1, 2}} {
		if h := Fixed(b, 12); len(h) != 12 || h[0] != 0 {
			t.Errorf("Fixed(%v) = %v", b, h)
		}
		if c := Chain(b, 12); len(c) != 0 {
			t.Errorf("Chain(%v) = %v", b, c)
		}
		if _, ok := Get(b, 12, nil, 1); ok {
			t.Errorf("Get(%v) found an attribute", b)
		}
	}
	if h := Fixed(nil, 20); len(h) != 20 {
		t.Errorf("Fixed for the longest header: %d bytes", len(h))
	}
}

func TestArena(t *testing.T) {
	var a Arena
	x := a.Copy([]byte{1, 2, 3})
	y := a.Copy([]byte{4, 5})
	if string(x) != "\x01\x02\x03" || string(y) != "\x04\x05" {
		t.Fatalf("copies %v %v", x, y)
	}
	// Appending to one copy must not overwrite the next.
	_ = append(x, 9)
	if y[0] != 4 {
		t.Errorf("appending to a copy overwrote its neighbour: %v", y)
	}
	big := make([]byte, ArenaBlock/4+1)
	if c := a.Copy(big); len(c) != len(big) {
		t.Errorf("large copy of %d bytes", len(c))
	}
}

// TestU64s reads a counter nest numbered from 2 with a zero-length pad
// (type 1), an unknown counter (type 9) and a malformed one (type 3).
func TestU64s(t *testing.T) {
	u64 := func(v byte) []byte { return []byte{v, 0, 0, 0, 0, 0, 0, 0} }
	c := Chain(msg(t,
		nla.Attr{Type: 1},
		nla.Attr{Type: 2, Data: u64(5)},
		nla.Attr{Type: 3, Data: []byte{1, 2}},
		nla.Attr{Type: 4, Data: u64(7)},
		nla.Attr{Type: 9, Data: u64(9)},
	), 12)
	a, b, d := uint64(1), uint64(1), uint64(1)
	err := U64s(c, 2, &a, &b, &d)
	if a != 5 || b != 0 || d != 7 || err == nil {
		t.Errorf("U64s = %d %d %d, %v", a, b, d, err)
	}
	if err := U64s(c, 4, nil, &a); err != nil || a != 5 {
		t.Errorf("U64s with a nil field = %d, %v", a, err)
	}
}
