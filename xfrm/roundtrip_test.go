package xfrm

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
)

// TestRoundTrip encodes specs and reads the requests back through the
// views: an add request is the struct and attributes a dump reply
// carries, so that every field must come back as it went. It needs no
// kernel (the big-endian run uses it).
func TestRoundTrip(t *testing.T) {
	a4, b4 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	states := []State{
		{Src: a4, Dst: b4, Proto: ProtoESP, SPI: 0x12345678, Mode: ModeTunnel, Reqid: 7, Seq: 3, ReplayWindow: 32,
			Flags: StateNoECN | StateAFUnspec, ExtraFlags: ExtraOSeqMayWrap,
			Selector: Selector{Src: netip.MustParsePrefix("10.1.0.0/16"), Dst: netip.MustParsePrefix("10.2.0.0/24"), Family: 2,
				Proto: 6, SrcPort: 80, SrcPortMask: 0xffff, DstPort: 0x1234, DstPortMask: 0xff00, Ifindex: 3, UID: 1000},
			Lifetime: Lifetime{SoftBytes: 1, HardBytes: 2, SoftPackets: 3, HardPackets: 4, SoftAddSeconds: 5, HardAddSeconds: 6,
				SoftUseSeconds: 7, HardUseSeconds: 8},
			Crypt:  &Algo{Name: "cbc(aes)", Key: []byte("0123456789abcdef"), KeyBits: 128},
			Auth:   &Algo{Name: "hmac(sha256)", Key: make([]byte, 32), KeyBits: 256, TruncBits: 128},
			Encap:  &Encap{Type: EncapESPInUDP, SrcPort: 4500, DstPort: 4501, OrigAddr: netip.MustParseAddr("198.51.100.1")},
			Replay: &Replay{OSeq: 1, Seq: 2, Bitmap: 3}, Mark: &Mark{Value: 5, Mask: 0xff}, SetMark: &Mark{Value: 6, Mask: 7},
			IfID: 9, HasIfID: true, TFCPad: 64, Offload: &Offload{Ifindex: 2, Flags: 2}, SecCtx: &SecCtx{DOI: 1, Alg: 1, Context: "u:r:x"}},
		{Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2"), Proto: ProtoESP, SPI: 1, Mode: ModeBEET,
			Flags: StateESN, AEAD: &Algo{Name: "rfc4106(gcm(aes))", Key: make([]byte, 20), KeyBits: 160, ICVBits: 128},
			ReplayESN: &ReplayESN{Window: 64, Seq: 1, SeqHi: 2, OSeq: 3, OSeqHi: 4, Bitmap: []uint32{0xdeadbeef, 1}}},
		{Src: a4, Dst: b4, Proto: ProtoComp, SPI: 0x4000, Comp: &Algo{Name: "deflate"}},
		{Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2"), Proto: ProtoRoute2, Mode: ModeRO,
			CoAddr: netip.MustParseAddr("2001:db8::3")},
	}
	for i := range states {
		want := states[i]
		var b wire.Builder
		want.build(&b, msgNewSA, 0)
		m, _, ok, err := wire.Next(b.Bytes())
		if err != nil || !ok {
			t.Fatal(err)
		}
		v, err := newStateView(m)
		if err != nil {
			t.Fatal(err)
		}
		got := v.State()
		want.Selector = anyPrefixes(want.Selector, addrFamily(want.Dst))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("state %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	p := Policy{Selector: Selector{Dst: netip.MustParsePrefix("2001:db8::/32"), Family: 10, Proto: 58, SrcPort: 128, SrcPortMask: 0xffff},
		Dir: DirFwd, Action: ActionBlock, Priority: 9, Index: 12, Flags: PolicyLocalOK, Share: 1,
		Lifetime: Lifetime{HardAddSeconds: 60}, Type: PolicySub, HasType: true, Mark: &Mark{1, 2}, IfID: 3, HasIfID: true,
		Templates: []Template{{Src: a4, Dst: b4, Proto: ProtoAH, SPI: 5, Mode: ModeTunnel, Reqid: 6, Share: 1, Optional: true,
			AuthAlgos: 1, CryptAlgos: 2, CompAlgos: 3}, {Dst: b4, Proto: ProtoESP, AuthAlgos: ^uint32(0), CryptAlgos: ^uint32(0), CompAlgos: ^uint32(0)}},
	}
	var b wire.Builder
	p.build(&b, msgNewPolicy, 0)
	m, _, _, _ := wire.Next(b.Bytes())
	v, err := newPolicyView(m)
	if err != nil {
		t.Fatal(err)
	}
	got := v.Policy()
	// A template without a source reads back as its family's any address,
	// a selector without a prefix as its family's /0.
	p.Templates[1].Src = netip.IPv4Unspecified()
	p.Selector = anyPrefixes(p.Selector, 10)
	if !reflect.DeepEqual(got, p) {
		t.Errorf("policy:\n got %+v\nwant %+v", got, p)
	}
}

// anyPrefixes is sel as the views read it back: a prefix not given is
// the any prefix of the selector's family, or else of fam.
func anyPrefixes(sel Selector, fam uint16) Selector {
	if f := sel.addrFamily(); f != 0 {
		fam = f
	}
	zero := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	if fam == 10 {
		zero = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
	}
	for _, p := range []*netip.Prefix{&sel.Src, &sel.Dst} {
		if !p.IsValid() {
			*p = zero
		}
	}
	return sel
}

// TestFixedLen checks the request sizes FixedLen gives against the
// requests the builders write.
func TestFixedLen(t *testing.T) {
	var b wire.Builder
	s := State{Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("192.0.2.2")}
	s.build(&b, msgNewSA, 0)
	id := s.ID()
	id.build(&b, msgDelSA)
	var p Policy
	p.build(&b, msgNewPolicy, 0)
	pid := p.ID()
	pid.build(&b, msgGetPolicy)
	for m, err := range wire.Messages(b.Bytes()) {
		if err != nil {
			t.Fatal(err)
		}
		// The struct, then attributes only.
		if n := FixedLen(m.Header.Type); n > len(m.Data) || nla.Chain(m.Data[n:]).Err() != nil {
			t.Errorf("type %#x: FixedLen %d, request of %d bytes", m.Header.Type, n, len(m.Data))
		}
	}
	if FixedLen(0x99) != -1 {
		t.Error("FixedLen of an unknown type")
	}
}
