package xfrm

import (
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// FuzzViews reads any message as each kind of notification: every view
// method, the copies, and the requests the copies make, without a panic.
func FuzzViews(f *testing.F) {
	var b wire.Builder
	s := &State{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Proto: ProtoESP, SPI: 9,
		Crypt: &Algo{Name: "cbc(aes)", Key: make([]byte, 16)}, Auth: &Algo{Name: "hmac(sha1)", Key: make([]byte, 20), TruncBits: 96},
		Encap: &Encap{Type: EncapESPInUDP}, Mark: &Mark{1, 2}, ReplayESN: &ReplayESN{Window: 64, Bitmap: []uint32{1, 2}},
		Flags: StateESN, HasIfID: true, SetMark: &Mark{3, 4}, Offload: &Offload{Ifindex: 1}, SecCtx: &SecCtx{Context: "x"}}
	s.build(&b, msgNewSA, 0)
	p := &Policy{Templates: []Template{{Dst: netip.MustParseAddr("::1")}}, HasType: true, Mark: &Mark{5, 6}, HasIfID: true}
	p.build(&b, msgNewPolicy, 0)
	for m := range wire.Messages(b.Bytes()) {
		f.Add(m.Data)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for typ := EventNewSA; typ <= EventMapping; typ++ {
			ev := Event{Message: wire.Message{Header: unix.NlMsghdr{Type: uint16(typ)}, Data: data}}
			ev.Hard()
			ev.FlushedProto()
			ev.FlushedPolicyType()
			if v, ok := ev.State(); ok {
				readState(v)
			}
			if v, ok := ev.Policy(); ok {
				readPolicy(v)
			}
			if a, ok := ev.Acquire(); ok {
				_, _, _, _ = a.Src(), a.Dst(), a.Selector(), a.SPI()
				a.Algos()
				readPolicy(a.Policy())
			}
			ev.Defaults()
		}
	})
}

func readState(v StateView) {
	v.Src()
	v.Dst()
	v.Selector()
	v.Encap()
	v.CoAddr()
	v.SetMark()
	v.LastUsed()
	v.Replay()
	v.SecCtx()
	for _, a := range []func() (AlgoView, bool){v.Crypt, v.Auth, v.AuthNoTrunc, v.AEAD, v.Comp} {
		if x, ok := a(); ok {
			x.Name()
			x.Key()
			x.TruncBits()
			x.ICVBits()
		}
	}
	_, n := v.ReplayESNBitmap(0)
	v.ReplayESNBitmap(n - 1)
	s := v.State()
	encode(s.validate, func(b *wire.Builder) {
		s.build(b, msgNewSA, 0)
		id := s.ID()
		id.build(b, msgGetSA)
	})
}

// encode runs build, as a request would, when validate passes.
func encode(validate func() error, build func(*wire.Builder)) {
	if validate() == nil {
		var b wire.Builder
		build(&b)
	}
}

func readPolicy(v PolicyView) {
	for i := -1; i <= v.NumTemplates(); i++ {
		v.Template(i)
		v.TemplateFamily(i)
	}
	v.Offload()
	v.SecCtx()
	p := v.Policy()
	encode(p.validate, func(b *wire.Builder) { p.build(b, msgNewPolicy, 0) })
	id := p.ID()
	encode(id.validate, func(b *wire.Builder) { id.build(b, msgDelPolicy) })
}
