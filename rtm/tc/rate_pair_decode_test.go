package tc

import (
	"encoding/binary"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
)

// ratePairParms is a parameters struct: two tc_ratespecs (the first with
// link layer ll, MPU 64 and overhead 4) of rates r1 and r2, then the
// 32-bit words.
func ratePairParms(ll Linklayer, r1, r2 uint32, words ...uint32) []byte {
	ne := binary.NativeEndian
	b := make([]byte, 2*SizeofRateSpec, 2*SizeofRateSpec+4*len(words))
	b[1] = uint8(ll)
	ne.PutUint16(b[2:], 4)
	ne.PutUint16(b[6:], 64)
	ne.PutUint32(b[8:], r1)
	ne.PutUint32(b[SizeofRateSpec+8:], r2)
	for _, w := range words {
		b = ne.AppendUint32(b, w)
	}
	return b
}

// TestRatePairDecode pins how htb classes and tbf decode their rate pair
// (ebbd9dd and 65dc4ba: decodeRatePair): the 32-bit rates, the 64-bit
// attributes overriding them, the link layer, the words after the specs,
// tbf's burst and pburst attributes, and the errors of short parameters
// and of a truncated attribute list.
func TestRatePairDecode(t *testing.T) {
	u64 := func(typ uint16, v uint64) []byte { return rawnl.Attr(typ, binary.NativeEndian.AppendUint64(nil, v)) }
	u32 := func(typ uint16, v uint32) []byte { return rawnl.Attr(typ, binary.NativeEndian.AppendUint32(nil, v)) }
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}

	var h HTBClass
	opts := rawnl.Attr(htbParms, ratePairParms(LinklayerATM, 1000, 2000, 500, 700, 1500, 2, 3))
	if err := h.DecodeOptions(opts); err != nil {
		t.Fatal(err)
	}
	want := HTBClass{Rate: 1000, Ceil: 2000, Burst: XmitSize(1000, 500), CBurst: XmitSize(2000, 700), MPU: 64, Overhead: 4,
		Linklayer: LinklayerATM, Quantum: 1500, Level: 2, Prio: 3}
	if h != want {
		t.Errorf("htb: %+v, want %+v", h, want)
	}
	opts = cat(u64(htbRate64, 5e9), rawnl.Attr(htbParms, ratePairParms(LinklayerEthernet, ^uint32(0), 7, 1, 1, 1, 0, 0)), u64(htbCeil64, 6e9))
	if err := h.DecodeOptions(opts); err != nil || h.Rate != 5e9 || h.Ceil != 6e9 || h.Linklayer != 0 || h.Burst != XmitSize(5e9, 1) {
		t.Errorf("htb 64-bit: %+v, %v", h, err)
	}
	for _, c := range []struct {
		opts []byte
		err  string
	}{
		{nil, "TCA_HTB_PARMS of 0 bytes"},
		{rawnl.Attr(htbParms, ratePairParms(0, 1, 1, 1, 1, 1, 1)), "TCA_HTB_PARMS of 40 bytes"},
		{rawnl.Attr(htbParms, ratePairParms(0, 1, 1, 1, 1, 1, 1, 1))[:20], ""},
	} {
		h = HTBClass{Rate: 9}
		err := h.DecodeOptions(c.opts)
		if err == nil || c.err != "" && err.Error() != c.err || h != (HTBClass{}) {
			t.Errorf("htb % x: %+v, %v; want error %q", c.opts, h, err, c.err)
		}
	}

	var f TBF
	opts = cat(rawnl.Attr(tbfParms, ratePairParms(LinklayerATM, 1000, 3000, 10000, 400, 600)))
	if err := f.DecodeOptions(opts); err != nil {
		t.Fatal(err)
	}
	wantTBF := TBF{Rate: 1000, Burst: XmitSize(1000, 400), Limit: 10000, PeakRate: 3000, MTU: XmitSize(3000, 600), MPU: 64, Overhead: 4, Linklayer: LinklayerATM}
	if f != wantTBF {
		t.Errorf("tbf: %+v, want %+v", f, wantTBF)
	}
	// The burst attributes override the ticks; a malformed one is not
	// read; pburst counts only with a peak rate.
	opts = cat(rawnl.Attr(tbfParms, ratePairParms(0, 1000, 0, 10000, 400, 600)), u32(tbfBurst, 12345), u32(tbfPburst, 99))
	if err := f.DecodeOptions(opts); err != nil || f.Burst != 12345 || f.MTU != 0 || f.PeakRate != 0 {
		t.Errorf("tbf burst: %+v, %v", f, err)
	}
	opts = cat(u64(tbfPrate64, 7e9), rawnl.Attr(tbfParms, ratePairParms(0, 1000, 3000, 10000, 400, 600)),
		rawnl.Attr(tbfBurst, []byte{1, 2}), u32(tbfPburst, 2048), u64(tbfRate64, 6e9))
	if err := f.DecodeOptions(opts); err != nil || f.Rate != 6e9 || f.PeakRate != 7e9 || f.Burst != XmitSize(6e9, 400) || f.MTU != 2048 {
		t.Errorf("tbf 64-bit: %+v, %v", f, err)
	}
	for _, c := range []struct {
		opts []byte
		err  string
	}{
		{u32(tbfBurst, 1), "TCA_TBF_PARMS of 0 bytes"},
		{rawnl.Attr(tbfParms, ratePairParms(0, 1, 1, 1, 1)), "TCA_TBF_PARMS of 32 bytes"},
		{rawnl.Attr(tbfParms, ratePairParms(0, 1, 1, 1, 1, 1))[:30], ""},
	} {
		f = TBF{Rate: 9}
		err := f.DecodeOptions(c.opts)
		if err == nil || c.err != "" && err.Error() != c.err || f != (TBF{}) {
			t.Errorf("tbf % x: %+v, %v; want error %q", c.opts, f, err, c.err)
		}
	}
}
