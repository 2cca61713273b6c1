package rtm_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestRequestValues sends route requests as values, alone and pipelined,
// through Handle.Do and Batch.Add, and checks that they do what the
// methods of the same names do, with the same errors.
func TestRequestValues(t *testing.T) {
	h, _, v0, _ := routeNS(t)
	a := rtm.RouteSpec{Dst: netip.MustParsePrefix("203.0.113.0/24"), OutIndex: v0, Table: 100}
	b := rtm.RouteSpec{Dst: netip.MustParsePrefix("198.18.0.0/15"), OutIndex: v0, Table: 100}
	c := rtm.RouteSpec{Dst: netip.MustParsePrefix("10.9.0.0/16"), Type: unix.RTN_BLACKHOLE, Table: 100}

	// Alone: the error names the route, as Handle.RouteAdd's does.
	if err := h.Do(ctx, rtm.RouteAdd(a)); err != nil {
		t.Fatal(err)
	}
	err := h.Do(ctx, rtm.RouteAdd(a))
	if !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), "route add 203.0.113.0/24 table 100") {
		t.Fatalf("adding a route twice: %v, want EEXIST naming the route", err)
	}
	if err2 := h.RouteAdd(ctx, a); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("Handle.RouteAdd: %v; Do: %v", err2, err)
	}

	// Pipelined.
	if err := h.Do(ctx, rtm.RouteAdd(b), rtm.RouteAdd(c)); err != nil {
		t.Fatal(err)
	}
	if got := tableDsts(t, h, 100); got != "10.9.0.0/16 198.18.0.0/15 203.0.113.0/24" {
		t.Fatalf("table 100 holds %s", got)
	}

	// An invalid request stops Do before anything is sent.
	bad := rtm.RouteSpec{Dst: netip.MustParsePrefix("10.10.0.0/16"), NextHops: []rtm.RouteHopSpec{{OutIndex: v0}}, OutIndex: v0}
	if err := h.Do(ctx, rtm.RouteDel(a), rtm.RouteAdd(bad)); err == nil || !strings.Contains(err.Error(), "route add") {
		t.Fatalf("Do with an invalid request: %v", err)
	}
	if got := tableDsts(t, h, 100); got != "10.9.0.0/16 198.18.0.0/15 203.0.113.0/24" {
		t.Fatalf("after a refused Do, table 100 holds %s", got)
	}

	// A batch mixing requests and methods.
	bt := h.NewBatch()
	if err := bt.Add(rtm.RouteDel(a), rtm.RouteReplace(b)); err != nil {
		t.Fatal(err)
	}
	if err := bt.RouteDel(c); err != nil {
		t.Fatal(err)
	}
	if err := bt.Add(rtm.RouteAdd(bad)); err == nil {
		t.Fatal("Batch.Add took an invalid request")
	}
	if bt.Len() != 3 {
		t.Fatalf("batch of %d requests, want 3", bt.Len())
	}
	if _, err := bt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tableDsts(t, h, 100); got != "198.18.0.0/15" {
		t.Fatalf("table 100 holds %s", got)
	}
	// A failure in a batch names the route from the request itself.
	bt = h.NewBatch()
	if err := bt.Add(rtm.RouteChange(a)); err != nil {
		t.Fatal(err)
	}
	results, err := bt.Run(ctx)
	if err == nil || len(results) != 1 || !errors.Is(results[0], unix.ENOENT) || !strings.Contains(results[0].Error(), "route change 203.0.113.0") {
		t.Fatalf("changing a missing route: %v, %v", results, err)
	}
	if err := h.Do(ctx); err != nil {
		t.Errorf("Do with no requests: %v", err)
	}
	// A nil request is refused, not a panic, and nothing is sent.
	if err := h.Do(ctx, nil); err == nil {
		t.Error("Do took a nil request")
	}
	if err := h.Do(ctx, rtm.RouteAdd(a), nil); err == nil {
		t.Error("Do took a nil request among others")
	}
	if got := tableDsts(t, h, 100); got != "198.18.0.0/15" {
		t.Fatalf("after refused requests, table 100 holds %s", got)
	}
	if err := h.NewBatch().Add(nil); err == nil {
		t.Error("Batch.Add took a nil request")
	}
}

// tableDsts lists the destinations of a table's routes, in dump order.
func tableDsts(t *testing.T, h *rtm.Handle, table uint32) string {
	t.Helper()
	var dsts []string
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: table}) {
		if err != nil {
			t.Fatal(err)
		}
		dsts = append(dsts, r.Dst().String())
	}
	return strings.Join(dsts, " ")
}
