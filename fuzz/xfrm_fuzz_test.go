package fuzz

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// The types of XFRM messages the target reads data as: every one from
// XFRM_MSG_NEWSA to past XFRM_MSG_GETDEFAULT.
const xfrmFirstType, xfrmLastType = xfrm.EventNewSA, xfrm.EventDefaults + 2

// xfrmSeeds returns the payloads of the XFRM messages of xfrm's recorded
// conversation, both ways (the kernel's SAs and policies, and the
// requests that made them), and an acquire put together from an SA and a
// policy of it.
func xfrmSeeds(t testing.TB) [][]byte {
	var seeds, sas, pols [][]byte
	for m := range convMessages(t, "<>", filepath.Join("..", "xfrm", "testdata", "conv", "xfrm.nlconv")) {
		typ := xfrm.EventType(m.Header.Type)
		if typ < xfrmFirstType || typ > xfrmLastType {
			continue
		}
		seeds = append(seeds, m.Data)
		switch {
		case typ == xfrm.EventNewSA && len(m.Data) >= xfrm.FixedLen(uint16(xfrm.EventNewSA)):
			sas = append(sas, m.Data)
		case typ == xfrm.EventNewPolicy && len(m.Data) >= xfrm.FixedLen(uint16(xfrm.EventNewPolicy)):
			pols = append(pols, m.Data)
		}
	}
	if len(sas) == 0 || len(pols) == 0 {
		t.Fatalf("%d SAs and %d policies in xfrm's conversation", len(sas), len(pols))
	}
	// struct xfrm_user_acquire: the SA's id (24 bytes, after its 56-byte
	// selector) and source (16), a selector, the policy, the algorithm
	// masks and a sequence number; then the policy's attributes.
	sa, pol := sas[0], pols[0]
	polLen := xfrm.FixedLen(uint16(xfrm.EventNewPolicy))
	acq := append([]byte{}, sa[56:96]...)
	acq = append(acq, sa[:56]...)
	acq = append(acq, pol[:polLen]...)
	acq = append(acq, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 7, 0, 0, 0)
	acq = append(acq, pol[polLen:]...)
	return append(seeds, acq)
}

// xfrmEcho is a handle on a fake kernel that keeps the payload of the
// last SA or policy it was sent.
type xfrmEcho struct {
	h    *xfrm.Handle
	last []byte
}

// newXfrmEcho returns an xfrmEcho, closed when t ends.
func newXfrmEcho(t testing.TB) *xfrmEcho {
	e := &xfrmEcho{}
	fake := nltest.NewFake()
	keep := func(req wire.Message) ([][]byte, error) {
		e.last = append(e.last[:0], req.Data...)
		return nil, nil
	}
	fake.Handle(uint16(xfrm.EventNewSA), keep)
	fake.Handle(uint16(xfrm.EventNewPolicy), keep)
	h, err := xfrm.Dial(xfrm.WithTransport(fake.Dial))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	e.h = h
	return e
}

// clearStateCounters clears what the kernel reports of an SA and
// requests do not carry.
func clearStateCounters(s *xfrm.State) {
	s.Current, s.Stats, s.LastUsed = xfrm.Current{}, xfrm.Stats{}, 0
}

// noSelector returns v, an xfrm.State or xfrm.Policy, with its selector
// cleared: a request normalizes selectors (masked prefixes, a policy's
// family AF_INET for none, as iproute2 sends it), which the second round
// trip then checks.
func noSelector(v any) any {
	switch x := v.(type) {
	case xfrm.State:
		x.Selector = xfrm.Selector{}
		return x
	case xfrm.Policy:
		x.Selector = xfrm.Selector{}
		return x
	}
	return v
}

// xfrmKind checks the views V of one kind of XFRM object (SAs, policies)
// and their copies T.
type xfrmKind[V, T any] struct {
	name  string
	view  func(xfrm.Event) (V, bool)
	read  func(V) string // calls every reader of V
	copy  func(V) T
	clear func(*T) // clears what requests do not carry
	// add sends a copy to echo's fake kernel as a request of type typ.
	add  func(context.Context, *T) error
	typ  xfrm.EventType
	echo *xfrmEcho
}

// send sends c as a request, and returns the copy the request reads as
// (cleared of what requests do not carry), if the handle took c.
func (k xfrmKind[V, T]) send(t *testing.T, c T) (T, bool) {
	if err := k.add(context.Background(), &c); err != nil {
		var zero T
		return zero, false
	}
	v, ok := k.view(xfrm.Event{Message: wire.Message{Header: unix.NlMsghdr{Type: uint16(k.typ)}, Data: k.echo.last}})
	if !ok {
		t.Fatalf("the request of %+v is no %s", c, k.name)
	}
	back := k.copy(v)
	k.clear(&back)
	return back, true
}

// check reads ev as a V: twice the same; its copy shares nothing with
// the message (other is a copy of it); the copy, sent, reads back the
// same but for its selector, and sent again, the same. It reports
// whether ev held a V, and whether it made the round trip.
func (k xfrmKind[V, T]) check(t *testing.T, ev xfrm.Event, other []byte) (ok, round bool) {
	v, ok := k.view(ev)
	if !ok {
		return false, false
	}
	r, c := k.read(v), k.copy(v)
	if again := k.read(v); again != r {
		t.Fatalf("type %v: an %s reads\n%s\nthen\n%s", ev.Type(), k.name, r, again)
	}
	oev := ev
	oev.Message.Data = other
	if ov, _ := k.view(oev); !copyKept(ev.Message.Data, c, k.copy(ov)) {
		t.Fatalf("type %v: the copy of an %s aliases the message", ev.Type(), k.name)
	}
	back, ok := k.send(t, c)
	if !ok {
		return true, false
	}
	k.clear(&c)
	if !reflect.DeepEqual(noSelector(c), noSelector(back)) {
		t.Fatalf("type %v: %s round trip:\n%+v\nreads back as\n%+v", ev.Type(), k.name, c, back)
	}
	if again, ok := k.send(t, back); !ok || !reflect.DeepEqual(again, back) {
		t.Fatalf("type %v: %s round trip, again:\n%+v\nreads back as\n%+v (%v)", ev.Type(), k.name, back, again, ok)
	}
	return true, true
}

// seeds returns the payloads of the requests that add an SA and a policy
// with most of their fields.
func (e *xfrmEcho) seeds(t testing.TB) [][]byte {
	ctx := context.Background()
	src, dst := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	sa := &xfrm.State{Src: src, Dst: dst, Proto: xfrm.ProtoESP, SPI: 9, Mode: xfrm.ModeTunnel, Reqid: 7,
		Crypt: &xfrm.Algo{Name: "cbc(aes)", Key: make([]byte, 16)}, Auth: &xfrm.Algo{Name: "hmac(sha1)", Key: make([]byte, 20), TruncBits: 96},
		Encap: &xfrm.Encap{Type: xfrm.EncapESPInUDP, SrcPort: 4500, DstPort: 4500}, Mark: &xfrm.Mark{Value: 1, Mask: 2},
		ReplayESN: &xfrm.ReplayESN{Window: 64, Bitmap: []uint32{1, 2}}, Flags: xfrm.StateESN, IfID: 5, HasIfID: true,
		SetMark: &xfrm.Mark{Value: 3, Mask: 4}}
	pol := &xfrm.Policy{Selector: xfrm.Selector{Src: netip.MustParsePrefix("10.1.0.0/16"), Dst: netip.MustParsePrefix("10.2.0.0/16")},
		Dir: xfrm.DirOut, Priority: 10, Templates: []xfrm.Template{{Src: src, Dst: dst, Proto: xfrm.ProtoESP, Mode: xfrm.ModeTunnel, Reqid: 7}},
		HasType: true, Mark: &xfrm.Mark{Value: 5, Mask: 6}, IfID: 5, HasIfID: true}
	var out [][]byte
	if err := e.h.StateAdd(ctx, sa); err != nil {
		t.Fatal(err)
	}
	out = append(out, append([]byte(nil), e.last...))
	if err := e.h.PolicyAdd(ctx, pol); err != nil {
		t.Fatal(err)
	}
	return append(out, append([]byte(nil), e.last...))
}

// readXfrmState calls every reader of v, and returns what they say.
func readXfrmState(v xfrm.StateView) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %v %v %v %d %v %d %d %d %v %+v %+v %+v %+v|", v.Family(), v.Src(), v.Dst(), v.Proto(), v.SPI(), v.Mode(),
		v.Reqid(), v.Seq(), v.ReplayWindow(), v.Flags(), v.Selector(), v.Lifetime(), v.Current(), v.Stats())
	for _, a := range []func() (xfrm.AlgoView, bool){v.Crypt, v.Auth, v.AuthNoTrunc, v.AEAD, v.Comp} {
		if x, ok := a(); ok {
			fmt.Fprintf(&b, "%q %q %d %x %d %d %+v|", x.NameBytes(), x.Name(), x.KeyBits(), x.Key(), x.TruncBits(), x.ICVBits(), *x.Algo())
		}
	}
	p := func(vals ...any) { fmt.Fprintln(&b, vals...) }
	p(v.Encap())
	p(v.CoAddr())
	p(v.Mark())
	p(v.SetMark())
	p(v.IfID())
	p(v.ExtraFlags())
	p(v.TFCPad())
	p(v.LastUsed())
	p(v.Replay())
	p(v.ReplayESN())
	_, n := v.ReplayESNBitmap(0)
	for i := -1; i <= min(n, 64); i++ {
		p(v.ReplayESNBitmap(i))
	}
	p(v.Offload())
	p(v.SecCtx())
	p(len(v.Attrs()))
	return b.String()
}

// readXfrmPolicy calls every reader of v, and returns what they say.
func readXfrmPolicy(v xfrm.PolicyView) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v %+v %+v %d %d %v %v %d %d|", v.Selector(), v.Lifetime(), v.Current(), v.Priority(), v.Index(),
		v.Dir(), v.Action(), v.Flags(), v.Share())
	typ, hasTyp := v.Type()
	mark, hasMark := v.Mark()
	ifid, hasIfid := v.IfID()
	ctx, doi, alg, hasCtx := v.SecCtx()
	off, hasOff := v.Offload()
	fmt.Fprintf(&b, "%v %v %+v %v %d %v %x %d %d %v %+v %v %d|", typ, hasTyp, mark, hasMark, ifid, hasIfid, ctx, doi, alg, hasCtx,
		off, hasOff, len(v.Attrs()))
	for i := -1; i <= min(v.NumTemplates(), 64); i++ {
		tmpl, ok := v.Template(i)
		fmt.Fprintf(&b, "%+v %v %d|", tmpl, ok, v.TemplateFamily(i))
	}
	return b.String()
}

// copyKept reports whether the copy c, taken from data, is still equal
// to the copy want taken from another copy of data, once data is
// overwritten (and restored): whether c shares nothing with data.
func copyKept[T any](data []byte, c, want T) bool {
	saved := append([]byte(nil), data...)
	for i := range data {
		data[i] ^= 0xa5
	}
	ok := reflect.DeepEqual(c, want)
	copy(data, saved)
	return ok
}

// FuzzXfrmViews reads arbitrary bytes as the payload of every type of
// XFRM message, through xfrm's public API (its own FuzzViews reads them
// inside the package): the Event's views and readers of SAs, policies,
// acquires, expiries, flushes and default actions. Nothing may panic,
// and
//
//   - a view reads the same twice, and State() and Policy() copy what it
//     reads (they share nothing with the input: changing it changes no
//     copy);
//   - an SA's or policy's copy that the handle takes, sent as
//     XFRM_MSG_NEWSA or XFRM_MSG_NEWPOLICY (to a fake kernel), reads back
//     from the request's bytes as the same copy, less what requests do
//     not carry (an SA's counters and last use, a policy's current
//     lifetime) and its selector, which a request normalizes (masked
//     prefixes, a family for none); sent again, it reads back the same,
//     selector included: decode(encode(decode(x))) == decode(x) up to
//     that normalization.
//
// Run without -fuzz, it fails unless its seeds (xfrm's recorded
// conversation, an acquire made of it, and requests of an SA and a
// policy with most fields) decoded as SAs, policies and an acquire, and
// made both round trips.
func FuzzXfrmViews(f *testing.F) {
	echo := newXfrmEcho(f)
	for _, s := range xfrmSeeds(f) {
		f.Add(s)
	}
	for _, s := range echo.seeds(f) {
		f.Add(s)
	}
	var state, policy, acquire, stateRound, policyRound atomic.Bool
	wantSeeds(f, "decoded as an xfrm.StateView", &state)
	wantSeeds(f, "decoded as an xfrm.PolicyView", &policy)
	wantSeeds(f, "decoded as an xfrm.AcquireView", &acquire)
	wantSeeds(f, "made the xfrm.State round trip", &stateRound)
	wantSeeds(f, "made the xfrm.Policy round trip", &policyRound)
	stateKind := xfrmKind[xfrm.StateView, xfrm.State]{name: "SA", view: xfrm.Event.State, read: readXfrmState,
		copy:  func(v xfrm.StateView) xfrm.State { s := v.State(); _ = s.ID(); return s },
		clear: clearStateCounters, add: echo.h.StateAdd, typ: xfrm.EventNewSA, echo: echo}
	policyKind := xfrmKind[xfrm.PolicyView, xfrm.Policy]{name: "policy", view: xfrm.Event.Policy, read: readXfrmPolicy,
		copy:  func(v xfrm.PolicyView) xfrm.Policy { p := v.Policy(); _ = p.ID(); return p },
		clear: func(p *xfrm.Policy) { p.Current = xfrm.Current{} }, add: echo.h.PolicyAdd, typ: xfrm.EventNewPolicy, echo: echo}
	f.Fuzz(func(t *testing.T, data []byte) {
		other := append([]byte(nil), data...)
		data = append([]byte(nil), data...) // scribbled over below
		for typ := xfrmFirstType; typ <= xfrmLastType; typ++ {
			ev := xfrm.Event{Message: wire.Message{Header: unix.NlMsghdr{Type: uint16(typ)}, Data: data}}
			_, _ = ev.Type(), ev.Hard()
			ev.FlushedProto()
			ev.FlushedPolicyType()
			ev.Defaults()
			if ok, round := stateKind.check(t, ev, other); ok {
				state.Store(true)
				stateRound.CompareAndSwap(false, round)
			}
			if ok, round := policyKind.check(t, ev, other); ok {
				policy.Store(true)
				policyRound.CompareAndSwap(false, round)
			}
			if a, ok := ev.Acquire(); ok {
				acquire.Store(true)
				_, _, _, _, _, _ = a.Family(), a.Proto(), a.SPI(), a.Dst(), a.Src(), a.Selector()
				_, _, _ = a.Algos()
				_ = a.Seq()
				readXfrmPolicy(a.Policy())
				_ = a.Policy().Policy()
			}
		}
	})
}
