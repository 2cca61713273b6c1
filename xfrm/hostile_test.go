package xfrm_test

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/xfrm"
)

// TestHostileSpecs: nil and zero specs, and inconsistent ones, are
// refused before anything is sent, with no panic, also on a nil or
// closed handle and with a nil context.
func TestHostileSpecs(t *testing.T) {
	var nilH *xfrm.Handle
	c := context.Background()
	a4, a6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2001:db8::1")
	bad := []*xfrm.State{nil, {}, {Src: a4, Dst: a6, Proto: xfrm.ProtoESP},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP, Crypt: &xfrm.Algo{}},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP, Crypt: &xfrm.Algo{Name: "cbc(aes)", KeyBits: 256, Key: make([]byte, 4)}},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoAH, Crypt: &xfrm.Algo{Name: "x"}},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoComp, Comp: &xfrm.Algo{Name: "deflate"}, SPI: 1 << 20},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP, Crypt: &xfrm.Algo{Name: "x"}, Flags: xfrm.StateESN},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP, Crypt: &xfrm.Algo{Name: "x"}, ReplayESN: &xfrm.ReplayESN{Window: 5000}},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP, Crypt: &xfrm.Algo{Name: "x"}, Mode: 9},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoRoute2},
		{Src: a4, Dst: a4, Proto: 77},
		{Src: a4, Dst: a4, Proto: xfrm.ProtoESP, Crypt: &xfrm.Algo{Name: "x"},
			Selector: xfrm.Selector{Src: netip.MustParsePrefix("10.0.0.0/8"), Dst: netip.MustParsePrefix("::/0")}},
	}
	badP := []*xfrm.Policy{nil, {Dir: 7}, {Action: 3}, {HasType: true, Type: 9}, {Templates: []xfrm.Template{{}}},
		{Templates: make([]xfrm.Template, 7)}, {Selector: xfrm.Selector{Family: 99}}}
	for _, h := range []*xfrm.Handle{nilH, closedHandle(t)} {
		for _, s := range bad {
			if err := h.StateAdd(c, s); err == nil {
				t.Errorf("StateAdd(%+v) on %v: no error", s, h)
			}
			if err := h.StateUpdate(c, s); err == nil {
				t.Errorf("StateUpdate(%+v): no error", s)
			}
		}
		for _, p := range badP {
			if err := h.PolicyAdd(c, p); err == nil {
				t.Errorf("PolicyAdd(%+v): no error", p)
			}
		}
		if err := h.StateDel(c, nil); err == nil {
			t.Error("StateDel(nil): no error")
		}
		if _, err := h.State(c, nil); err == nil {
			t.Error("State(nil): no error")
		}
		if err := h.PolicyDel(c, nil); err == nil {
			t.Error("PolicyDel(nil): no error")
		}
		if _, err := h.Policy(c, nil); err == nil {
			t.Error("Policy(nil): no error")
		}
		if _, err := h.StateAllocSPI(c, nil); err == nil {
			t.Error("StateAllocSPI(nil): no error")
		}
		if _, err := h.SAInfo(nil); err == nil { //nolint:staticcheck // a nil context on purpose
			t.Error("SAInfo(nil ctx): no error")
		}
		for _, err := range h.States(c, xfrm.StateFilter{}) {
			if err == nil {
				t.Error("States on a nil or closed handle: no error")
			}
		}
		for _, err := range h.Policies(c) {
			if err == nil {
				t.Error("Policies on a nil or closed handle: no error")
			}
		}
		h.Close()
	}
}

func closedHandle(t *testing.T) *xfrm.Handle {
	_, h := dial(t)
	h.Close()
	if err := h.PolicyFlush(context.Background(), 0, false); !errors.Is(err, xfrm.ErrClosed) {
		t.Errorf("flush on a closed handle: %v", err)
	}
	return h
}

func addPolicies(t *testing.T, h *xfrm.Handle, base, n int) {
	t.Helper()
	for i := range n {
		k := base + i
		p := &xfrm.Policy{Dir: xfrm.DirOut, Selector: xfrm.Selector{
			Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k >> 16), byte(k >> 8), byte(k)}), 32)},
			Templates: []xfrm.Template{{Dst: netip.MustParseAddr("192.0.2.1"), Proto: xfrm.ProtoESP}}}
		if err := h.PolicyAdd(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHostileDumps: a dump under concurrent adds ends cleanly (every
// policy it yields is whole), and Close during a dump ends it with an
// error, not a hang or a panic.
func TestHostileDumps(t *testing.T) {
	_, h := dial(t)
	addPolicies(t, h, 0, 300)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		addPolicies(t, h, 1000, 300)
	}()
	for range 5 {
		n := 0
		for v, err := range h.Policies(ctx(t)) {
			if err != nil {
				t.Logf("dump under adds: %v", err)
				break
			}
			if v.Dir() != xfrm.DirOut || v.NumTemplates() != 1 {
				t.Fatalf("policy %+v", v.Policy())
			}
			n++
		}
		if n < 300 {
			t.Errorf("dump under adds: %d policies", n)
		}
	}
	wg.Wait()
	var err error
	n := 0
	for _, e := range h.Policies(ctx(t)) {
		if e != nil {
			err = e
			break
		}
		if n++; n == 10 {
			h.Close()
		}
	}
	// The dump may have been read whole before Close: then the next call fails.
	if err == nil {
		_, err = h.SPDInfo(ctx(t))
	}
	if err == nil {
		t.Error("no error after Close")
	}
}

// TestDumpAllocs: a dump allocates per call, not per policy.
func TestDumpAllocs(t *testing.T) {
	_, h := dial(t)
	policies := func() {
		for v, err := range h.Policies(context.Background()) {
			if err != nil {
				panic(err)
			}
			_ = v.Selector()
			_, _ = v.Template(0)
			_, _ = v.Mark()
		}
	}
	states := func() {
		for v, err := range h.States(context.Background(), xfrm.StateFilter{}) {
			if err != nil {
				panic(err)
			}
			_, _, _ = v.Src(), v.Dst(), v.Selector()
			_, _ = v.Replay()
			_, _ = v.Crypt()
		}
	}
	spis := func(from, n uint32) {
		for spi := from; spi < from+n; spi++ {
			a := &xfrm.AllocSPI{Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("192.0.2.2"),
				Proto: xfrm.ProtoESP, Reqid: spi, Min: spi, Max: spi}
			if _, err := h.StateAllocSPI(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}
	}
	addPolicies(t, h, 0, 10)
	spis(0x1000, 10)
	few, fewSA := testrun.LeastAllocs(5, policies), testrun.LeastAllocs(5, states)
	addPolicies(t, h, 100, 500)
	spis(0x2000, 300)
	many, manySA := testrun.LeastAllocs(5, policies), testrun.LeastAllocs(5, states)
	if many > few+2 || manySA > fewSA+2 {
		t.Errorf("allocations per dump: %v for 510 policies, %v for 10; %v for 310 SAs, %v for 10", many, few, manySA, fewSA)
	}
	t.Logf("allocations per dump: %v (10 policies), %v (510); %v (10 SAs), %v (310)", few, many, fewSA, manySA)
}
