package rtm_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

func TestReplayNeighTables(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "neightables", func(ns *nstest.NS) { vethNS(t, ns) })
	names := map[string]bool{}
	veth0 := index(t, h, "veth0")
	vethParams := false
	for tb, err := range h.NeighTables(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names[tb.Name()] = true
		p, ok := tb.Params()
		if !ok || tb.Name() != "arp_cache" || p.Index != veth0 {
			continue
		}
		// The kernel's defaults: base reachable time 30 s, retransmit
		// 1 s; the reachable time is drawn between half and 1.5 times
		// the base.
		vethParams = p.BaseReachableTime == 30e9 && p.RetransTime == 1e9 &&
			p.ReachableTime >= 15e9 && p.ReachableTime <= 45e9
		if !vethParams {
			t.Errorf("veth0's ARP parameters %+v", p)
		}
	}
	if !names["arp_cache"] || !names["ndisc_cache"] || !vethParams {
		t.Errorf("neighbour tables %v (veth0's ARP parameters decoded: %v); want arp_cache and ndisc_cache", names, vethParams)
	}
}

func TestReplayNexthops(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "nexthops", func(ns *nstest.NS) {
		vethNS(t, ns,
			[]string{"nexthop", "add", "id", "1", "via", "192.0.2.254", "dev", "veth0"},
			[]string{"nexthop", "add", "id", "2", "via", "192.0.2.253", "dev", "veth0"},
			[]string{"nexthop", "add", "id", "10", "group", "1/2,3"},
			[]string{"nexthop", "add", "id", "20", "blackhole"})
	})
	n, err := h.NexthopGet(ctx, 1)
	if err != nil || n.Gateway() != netip.MustParseAddr("192.0.2.254") {
		t.Errorf("nexthop 1: via %v, %v; want via 192.0.2.254", n.Gateway(), err)
	}
	seen := map[uint32]bool{}
	for n, err := range h.Nexthops(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		seen[n.ID()] = true
		switch n.ID() {
		case 10:
			weights := map[uint32]int{}
			for m := range n.Group() {
				weights[m.ID] = int(m.Weight)
			}
			if len(weights) != 2 || weights[2] != 3 {
				t.Errorf("group 10 members %v; want 1 and 2 (weight 3)", weights)
			}
		case 20:
			if !n.Blackhole() {
				t.Error("nexthop 20 is not a blackhole")
			}
		}
	}
	if !seen[1] || !seen[2] || !seen[10] || !seen[20] {
		t.Errorf("nexthops dumped: %v; want 1, 2, 10, 20", seen)
	}
}

func TestReplayFDB(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "fdb", func(ns *nstest.NS) {
		bridgedVethNS(t, ns)
		nstest.Run(t, ns, "bridge", "fdb", "add", "02:00:00:00:00:aa", "dev", "veth1", "master", "static")
	})
	veth1 := index(t, h, "veth1")
	found := false
	for n, err := range h.FDB(ctx, &rtm.FDBFilter{Index: veth1}) {
		if err != nil {
			t.Fatal(err)
		}
		if n.LLAddr().String() == "02:00:00:00:00:aa" {
			found = n.Index() == veth1 && n.State()&unix.NUD_NOARP != 0
		}
	}
	if !found {
		t.Error("the static FDB entry 02:00:00:00:00:aa on veth1 was not decoded")
	}
}

// TestReplayRouteSaveRestore saves the routes of a table, flushes it and
// restores them in one batch.
func TestReplayRouteSaveRestore(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "routesave", func(ns *nstest.NS) {
		more := [][]string{}
		for i := range 40 {
			more = append(more, []string{"route", "add", fmt.Sprintf("198.51.100.%d/32", i), "via", "192.0.2.254", "table", "1000"})
		}
		vethNS(t, ns, more...)
	})
	var saved bytes.Buffer
	n, err := h.RouteSave(ctx, &saved, &rtm.RouteFilter{Family: unix.AF_INET, Table: 1000})
	if err != nil || n != 40 {
		t.Fatalf("RouteSave = %d, %v; want 40", n, err)
	}
	if n, err := h.RouteFlush(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: 1000}); err != nil || n != 40 {
		t.Fatalf("RouteFlush = %d, %v; want 40", n, err)
	}
	if n, err := h.RouteRestore(ctx, bytes.NewReader(saved.Bytes())); err != nil || n != 40 {
		t.Fatalf("RouteRestore = %d, %v; want 40", n, err)
	}
	count := 0
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: 1000}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Gateway() == netip.MustParseAddr("192.0.2.254") {
			count++
		}
	}
	if count != 40 {
		t.Errorf("%d routes after the restore, want 40", count)
	}
	// Restoring again finds every route there: skipped, uncounted, as ip
	// does.
	if n, err := h.RouteRestore(ctx, bytes.NewReader(saved.Bytes())); n != 0 || err != nil {
		t.Errorf("restoring over the same routes: %d, %v; want 0, nil", n, err)
	}
}

// TestReplayLinkFilters dumps links filtered by kind and master in the
// kernel.
func TestReplayLinkFilters(t *testing.T) {
	h := replayHandle(t, "linkfilters", func(ns *nstest.NS) {
		vethNS(t, ns,
			[]string{"link", "add", "br0", "type", "bridge"},
			[]string{"link", "add", "br1", "type", "bridge"},
			[]string{"link", "set", "veth1", "master", "br0"})
	})
	names := func(f *rtm.LinkFilter) []string { return slices.Sorted(slices.Values(linkNames(t, h, f))) }
	if got := names(&rtm.LinkFilter{Kind: "bridge"}); !slices.Equal(got, []string{"br0", "br1"}) {
		t.Errorf("bridges: %v", got)
	}
	if got := names(&rtm.LinkFilter{MasterIndex: index(t, h, "br0")}); !slices.Equal(got, []string{"veth1"}) {
		t.Errorf("ports of br0: %v", got)
	}
}
