package rtm_test

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestEncapAgainstKernel adds routes and a nexthop with the tunnel-key
// encapsulations this kernel has, reads them back through ipr (typed, by
// Tunnel) and through ip, and deletes them. The others are verified
// against iproute2's requests (TestEncapMatchesIproute2).
func TestEncapAgainstKernel(t *testing.T) {
	h, ns, v0, _ := routeNS(t)
	cases := []struct {
		feature, dst, ipEncap string
		e                     rtm.Encap
	}{
		{"lwt_ip", "10.8.0.0/16", "ip", rtm.EncapIP{ID: 42, Dst: netip.MustParseAddr("198.51.100.7"), TTL: 64, TOS: 0x10, Flags: rtm.TunnelKey}},
		{"lwt_ip6", "2001:db8:7::/48", "ip6", rtm.EncapIP6{ID: 7, Dst: netip.MustParseAddr("2001:db8:9::1"), HopLimit: 9, TC: 0x20, Flags: rtm.TunnelCsum}},
	}
	for _, c := range cases {
		if !nstest.Have(t, c.feature) {
			continue
		}
		t.Run(c.ipEncap, func(t *testing.T) {
			dst := netip.MustParsePrefix(c.dst)
			if err := h.Do(ctx, rtm.RouteAdd(rtm.RouteSpec{Dst: dst, OutIndex: v0, Tunnel: c.e})); err != nil {
				t.Fatal(err)
			}
			var got rtm.Encap
			found := false
			for r, err := range h.Routes(ctx, &rtm.RouteFilter{Table: unix.RT_TABLE_MAIN}) {
				if err != nil {
					t.Fatal(err)
				}
				if r.Dst() == dst {
					found = true
					if got, err = r.Tunnel(); err != nil {
						t.Fatal(err)
					}
				}
			}
			if !found {
				t.Fatalf("no route to %s in the dump", dst)
			}
			if !reflect.DeepEqual(normalizeEncap(got), c.e) {
				t.Errorf("kernel reports %#v, want %#v", got, c.e)
			}
			// ip's JSON names the encapsulation's "dst" as the route's
			// own, so the record is found by its encapsulation.
			fam := "-4"
			if dst.Addr().Is6() {
				fam = "-6"
			}
			var shown ipRoute
			for _, r := range ipJSON(t, ns, fam, "-d", "route", "show", "table", "main") {
				if r["encap"] == c.ipEncap {
					shown = r
				}
			}
			if shown == nil {
				t.Fatalf("ip shows no %s encapsulation", c.ipEncap)
			}
			if id, _ := shown["id"].(float64); uint64(id) != reflect.ValueOf(c.e).FieldByName("ID").Uint() {
				t.Errorf("ip shows id %v", shown["id"])
			}
			if err := h.RouteDel(ctx, rtm.RouteSpec{Dst: dst, OutIndex: v0}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// normalizeEncap drops what the kernel adds to a tunnel key it stores:
// the unspecified source it reports back.
func normalizeEncap(e rtm.Encap) rtm.Encap {
	switch k := e.(type) {
	case rtm.EncapIP:
		if k.Src.IsUnspecified() {
			k.Src = netip.Addr{}
		}
		return k
	case rtm.EncapIP6:
		if k.Src.IsUnspecified() {
			k.Src = netip.Addr{}
		}
		return k
	}
	return e
}
