package xfrm_test

import (
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/xfrm"
)

// TestMonitor reads the notifications of policy and SA changes ip makes:
// each event's view, and the flushes.
func TestMonitor(t *testing.T) {
	ns, h := dial(t)
	m, err := h.Monitor()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, cmd := range [][]string{
		{"xfrm", "policy", "add", "src", "10.1.0.0/16", "dst", "10.2.0.0/16", "dir", "out", "priority", "5"},
		{"xfrm", "policy", "update", "src", "10.1.0.0/16", "dst", "10.2.0.0/16", "dir", "out", "priority", "6"},
		{"xfrm", "policy", "delete", "src", "10.1.0.0/16", "dst", "10.2.0.0/16", "dir", "out"},
		{"xfrm", "state", "allocspi", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp", "min", "0x500", "max", "0x500"},
		{"xfrm", "state", "delete", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp", "spi", "0x500"},
		// The kernel tells of a flush that deletes something only.
		{"xfrm", "state", "allocspi", "src", "10.0.0.1", "dst", "10.0.0.3", "proto", "esp"},
		{"xfrm", "state", "flush", "proto", "esp"},
		{"xfrm", "policy", "add", "dst", "10.3.0.0/16", "dir", "in", "ptype", "sub"},
		{"xfrm", "policy", "flush", "ptype", "sub"},
	} {
		nstest.IP(t, ns, cmd...)
	}
	var got []xfrm.EventType
	for ev, err := range m.Events(ctx(t)) {
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		got = append(got, ev.Type())
		switch ev.Type() {
		case xfrm.EventNewPolicy, xfrm.EventUpdPolicy, xfrm.EventDelPolicy:
			p, ok := ev.Policy()
			out := p.Dir() == xfrm.DirOut && p.Selector().Dst == netip.MustParsePrefix("10.2.0.0/16")
			in := p.Dir() == xfrm.DirIn && p.Selector().Dst == netip.MustParsePrefix("10.3.0.0/16")
			if !ok || !out && !in {
				t.Errorf("%d: policy %+v, %v", ev.Type(), p.Policy(), ok)
			}
		case xfrm.EventDelSA:
			s, ok := ev.State()
			if !ok || s.SPI() != 0x500 || s.Dst() != netip.MustParseAddr("10.0.0.2") {
				t.Errorf("deleted SA %+v, %v", s.State(), ok)
			}
		case xfrm.EventFlushSA:
			if p, ok := ev.FlushedProto(); !ok || p != xfrm.ProtoESP {
				t.Errorf("flushed proto %v, %v", p, ok)
			}
		case xfrm.EventFlushPolicy:
			if pt, ok := ev.FlushedPolicyType(); !ok || pt != xfrm.PolicySub {
				t.Errorf("flushed policy type %v, %v", pt, ok)
			}
		}
		if ev.Type() == xfrm.EventFlushPolicy {
			break
		}
	}
	want := []xfrm.EventType{xfrm.EventNewPolicy, xfrm.EventUpdPolicy, xfrm.EventDelPolicy, xfrm.EventDelSA,
		xfrm.EventFlushSA, xfrm.EventNewPolicy, xfrm.EventFlushPolicy}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("events %v, want %v", got, want)
		}
	}
	if _, err := h.Monitor(99); err == nil {
		t.Error("a monitor of group 99")
	}
	var zero xfrm.Monitor
	for _, err := range zero.Events(ctx(t)) {
		if err == nil {
			t.Error("Events of a zero Monitor")
		}
	}
}
