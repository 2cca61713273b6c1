package ethtool_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/nla"
)

// encode returns the attributes e writes, as a bitset view.
func encode(t *testing.T, write func(ethtool.BitsetEncoder)) ethtool.BitsetView {
	t.Helper()
	e := nla.NewEncoder(nil)
	write(ethtool.BitsetEncoder{E: e})
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	return ethtool.BitsetView{Attrs: nla.Chain(e.Bytes())}
}

var names = []string{"a", "b", "c", "", "e"}

// TestBitsetCompactRoundTrip encodes bitsets compact, with and without a
// mask, and decodes them back.
func TestBitsetCompactRoundTrip(t *testing.T) {
	for _, b := range []ethtool.Bitset{
		{Size: 5, Value: []uint32{0b10101}},
		{Size: 5, Value: []uint32{0b00101}, Mask: []uint32{0b10111}},
		{Size: 70, Value: []uint32{1, 0, 1 << 5}, Mask: []uint32{1, 1 << 31, 1<<5 | 1}},
		{Size: 0, Value: []uint32{}},
	} {
		v := encode(t, b.Encode)
		if v.Nomask() != (b.Mask == nil) {
			t.Errorf("%+v: nomask %v", b, v.Nomask())
		}
		var got ethtool.Bitset
		if err := got.Parse(v, names); err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		if got.Size != b.Size || !slices.Equal(got.Value, b.Value) || !slices.Equal(got.Mask, b.Mask) || got.Names != nil {
			t.Errorf("round trip of %+v: %+v", b, got)
		}
	}
}

// TestBitsetVerbose decodes verbose bitsets as the kernel sends them (by
// index and name; with a mask, the listed bits are the mask's, flagged
// when set; without, the listed bits are the set ones), and the bits a
// request names without indexes.
func TestBitsetVerbose(t *testing.T) {
	type bit struct {
		index int // -1: no index
		name  string
		on    bool
	}
	verbose := func(size int, nomask bool, bits ...bit) func(ethtool.BitsetEncoder) {
		return func(e ethtool.BitsetEncoder) {
			if nomask {
				e.Nomask()
			}
			e.Size(uint32(size))
			e.Bits(func(l ethtool.BitsetBitsEncoder) {
				for _, b := range bits {
					l.Bit(func(be ethtool.BitsetBitEncoder) {
						if b.index >= 0 {
							be.Index(uint32(b.index))
						}
						if b.name != "" {
							be.Name(b.name)
						}
						if b.on {
							be.Value()
						}
					})
				}
			})
		}
	}
	var b ethtool.Bitset
	if err := b.Parse(encode(t, verbose(5, false, bit{0, "a", true}, bit{2, "c", false}, bit{4, "e", true})), nil); err != nil {
		t.Fatal(err)
	}
	if b.Value[0] != 0b10001 || b.Mask[0] != 0b10101 || b.Name(2, nil) != "c" || b.Name(1, nil) != "" || b.Count() != 2 {
		t.Errorf("verbose with a mask: %+v", b)
	}
	if err := b.Parse(encode(t, verbose(5, true, bit{1, "b", true}, bit{4, "", false})), nil); err != nil {
		t.Fatal(err)
	}
	if b.Value[0] != 0b10010 || b.Mask != nil || !b.Masked(3) || b.Masked(5) {
		t.Errorf("verbose without a mask: %+v", b)
	}
	// By name alone, resolved against the string set.
	if err := b.Parse(encode(t, func(e ethtool.BitsetEncoder) {
		e.Size(5)
		ethtool.EncodeNamed(e, []ethtool.NamedBit{{"e", true}, {"a", false}})
	}), names); err != nil {
		t.Fatal(err)
	}
	if b.Value[0] != 0b10000 || b.Mask[0] != 0b10001 {
		t.Errorf("named bits: %+v", b)
	}

	for what, bad := range map[string]func(ethtool.BitsetEncoder){
		"unknown name":      verbose(5, false, bit{-1, "zz", true}),
		"index beyond size": verbose(5, false, bit{5, "", true}),
		"no index or name":  verbose(5, false, bit{-1, "", true}),
		"no size":           func(e ethtool.BitsetEncoder) { e.Value([]byte{1, 0, 0, 0}) },
		"huge size":         func(e ethtool.BitsetEncoder) { e.Size(1 << 30) },
		"short value":       func(e ethtool.BitsetEncoder) { e.Size(40); e.Value([]byte{1, 0, 0, 0}); e.Nomask() },
		"short mask":        func(e ethtool.BitsetEncoder) { e.Size(8); e.Value([]byte{1, 0, 0, 0}) },
	} {
		if err := b.Parse(encode(t, bad), names); !errors.Is(err, ethtool.ErrBitset) {
			t.Errorf("%s: %v, want ErrBitset", what, err)
		}
	}
}

// TestEncoderChecks: the generated encoders refuse values outside the
// spec's enums and flags, and a Device the kernel could not match, as the
// encoder's error (nothing is sent).
func TestEncoderChecks(t *testing.T) {
	for what, c := range map[string]struct {
		write func(e *nla.Encoder)
		want  string
	}{
		"header flags": {func(e *nla.Encoder) { ethtool.HeaderEncoder{E: e}.Flags(8) }, "flags: 8 is not in header-flags"},
		"udp tunnel type": {func(e *nla.Encoder) { ethtool.TunnelUDPEntryEncoder{E: e}.Type(3) },
			"type: 3 is not in udp-tunnel-type (one of 0-2)"},
		"no device": {func(e *nla.Encoder) { ethtool.Device{}.Header(0)(ethtool.HeaderEncoder{E: e}) }, "no device"},
		"long device name": {func(e *nla.Encoder) {
			ethtool.Device{Name: strings.Repeat("x", 16)}.Header(0)(ethtool.HeaderEncoder{E: e})
		}, "longer than 15"},
		"empty bit name": {func(e *nla.Encoder) { ethtool.EncodeNamed(ethtool.BitsetEncoder{E: e}, []ethtool.NamedBit{{}}) }, "without a name"},
		"short bitset": {func(e *nla.Encoder) {
			(&ethtool.Bitset{Size: 40, Value: []uint32{1}}).Encode(ethtool.BitsetEncoder{E: e})
		}, "40 bits"},
	} {
		e := nla.NewEncoder(nil)
		c.write(e)
		if err := e.Err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", what, err, c.want)
		}
	}
	// In range: no error.
	e := nla.NewEncoder(nil)
	ethtool.HeaderEncoder{E: e}.Flags(ethtool.EthtoolFlagCompactBitsets | ethtool.EthtoolFlagStats)
	ethtool.TunnelUDPEntryEncoder{E: e}.Type(ethtool.EthtoolUDPTunnelTypeVxlanGpe)
	if err := e.Err(); err != nil {
		t.Error(err)
	}
}

// TestViewsOfGarbage: views of malformed attributes answer false or
// nothing, never panic.
func TestViewsOfGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {1}, {4, 0, 1, 0}, {8, 0, 1, 0, 1, 2}, {255, 255, 1, 0, 0, 0, 0, 0}, {5, 0, 2, 0, 'x', 0, 0, 0}} {
		h := ethtool.HeaderView{Attrs: nla.Chain(b)}
		h.DevIndex()
		h.DevName()
		r := ethtool.RingsView{Attrs: nla.Chain(b)}
		r.RXMax()
		r.Header()
		for range (ethtool.StringsView{Attrs: nla.Chain(b)}).StringAttr() {
		}
		for range (ethtool.FecStatView{Attrs: nla.Chain(b)}).Corrected() {
		}
		var bs ethtool.Bitset
		_ = bs.Parse(ethtool.BitsetView{Attrs: nla.Chain(b)}, names)
	}
	if _, ok := (ethtool.HeaderView{Attrs: nla.Chain{8, 0, 1, 0, 1, 2}}).DevIndex(); ok {
		t.Error("DevIndex of a 4-byte attribute with 2 bytes")
	}
}
