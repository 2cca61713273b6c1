package mptcp_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/internal/genltest"
)

// TestEndpointsAllocs checks that listing endpoints allocates nothing per
// endpoint: a dump of the most endpoints the kernel keeps (8) costs what
// a dump of one does.
func TestEndpointsAllocs(t *testing.T) {
	h, _ := dialNS(t)
	ctx := context.Background()
	walk := func() int {
		n := 0
		for e, err := range mptcp.Endpoints(ctx, h) {
			if err != nil || !e.Addr().IsValid() || e.ID() == 0 {
				return -1
			}
			_ = e.Flags()
			n++
		}
		return n
	}
	var reqs []genl.Request
	for i := range 8 {
		r, err := mptcp.EndpointAdd(mptcp.EndpointSpec{Addr: netip.AddrFrom4([4]byte{10, 1, 0, byte(i)}), ID: uint8(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	if err := mptcp.Do(ctx, h, reqs[0]); err != nil {
		t.Fatal(err)
	}
	one := genltest.DumpAllocs(t, "endpoints", 1, walk)
	if err := mptcp.Do(ctx, h, reqs[1:]...); err != nil {
		t.Fatal(err)
	}
	eight := genltest.DumpAllocs(t, "endpoints", 8, walk)
	t.Logf("allocations per dump: %.0f of one endpoint, %.0f of eight", one, eight)
	// One allocation per endpoint would add 7; the race detector's
	// sync.Pool drops items at random, which adds one now and then.
	if eight >= one+4 {
		t.Errorf("a dump of 8 endpoints allocates %.0f times, of one %.0f: want none per endpoint", eight, one)
	}
}
