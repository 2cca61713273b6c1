package rtm_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The tests here replay conversations recorded as root in namespaces
// their setup builds (see replayHandle): each checks what the views
// decode from the kernel's replies and, where it changes something, that
// the requests are still the ones recorded (a replay refuses any other).

// vethNS gives the namespace veth0 (up, 192.0.2.1/24, 2001:db8:1::1/64)
// and its peer veth1, up.
func vethNS(t *testing.T, ns *nstest.NS, more ...[]string) {
	for _, args := range append([][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "veth0", "type", "veth", "peer", "name", "veth1"},
		{"link", "set", "veth0", "up"},
		{"link", "set", "veth1", "up"},
		{"addr", "add", "192.0.2.1/24", "dev", "veth0"},
		{"addr", "add", "2001:db8:1::1/64", "dev", "veth0", "nodad"},
	}, more...) {
		nstest.IP(t, ns, args...)
	}
}

// bridgedVethNS is vethNS with veth1 a port of the bridge br0, up, then
// more.
func bridgedVethNS(t *testing.T, ns *nstest.NS, more ...[]string) {
	vethNS(t, ns, append([][]string{
		{"link", "add", "br0", "type", "bridge"},
		{"link", "set", "veth1", "master", "br0"},
		{"link", "set", "br0", "up"},
	}, more...)...)
}

func TestReplayNeighs(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "neighs", func(ns *nstest.NS) {
		vethNS(t, ns,
			[]string{"neigh", "add", "192.0.2.9", "lladdr", "02:00:00:00:00:09", "dev", "veth0", "nud", "permanent"},
			[]string{"neigh", "add", "2001:db8:1::9", "lladdr", "02:00:00:00:00:0a", "dev", "veth0", "nud", "permanent"})
	})
	idx := index(t, h, "veth0")
	want := map[netip.Addr]string{
		netip.MustParseAddr("192.0.2.9"):     "02:00:00:00:00:09",
		netip.MustParseAddr("2001:db8:1::9"): "02:00:00:00:00:0a",
	}
	for n, err := range h.Neighs(ctx, &rtm.NeighFilter{Index: idx}) {
		if err != nil {
			t.Fatal(err)
		}
		if mac, ok := want[n.Dst()]; ok {
			if n.LLAddr().String() != mac || n.State() != unix.NUD_PERMANENT || n.Index() != idx {
				t.Errorf("neighbour %v: lladdr %v, state %#x, index %d; want %s, permanent, %d", n.Dst(), n.LLAddr(), n.State(), n.Index(), mac, idx)
			}
			delete(want, n.Dst())
		}
	}
	if len(want) > 0 {
		t.Errorf("neighbours missing from the dump: %v", want)
	}
	n, err := h.NeighGet(ctx, rtm.NeighQuery{Index: idx, Dst: netip.MustParseAddr("192.0.2.9")})
	if err != nil || n.LLAddr().String() != "02:00:00:00:00:09" {
		t.Errorf("NeighGet(192.0.2.9) = %v, %v", n.LLAddr(), err)
	}
	if _, err := h.NeighGet(ctx, rtm.NeighQuery{Index: idx, Dst: netip.MustParseAddr("192.0.2.99")}); !errors.Is(err, unix.ENOENT) {
		t.Errorf("NeighGet of a missing neighbour: %v, want ENOENT", err)
	}
	// Adding one through rtm: the request is checked against the record.
	spec := rtm.NeighSpec{Index: idx, Dst: netip.MustParseAddr("192.0.2.10"), LLAddr: net.HardwareAddr{2, 0, 0, 0, 0, 0x10}, State: unix.NUD_PERMANENT}
	if err := h.NeighAdd(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if err := h.NeighAdd(ctx, spec); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding it again: %v, want EEXIST", err)
	}
	if err := h.NeighDel(ctx, spec); err != nil {
		t.Errorf("NeighDel: %v", err)
	}
}

func TestReplayRules(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "rules", func(ns *nstest.NS) {
		vethNS(t, ns,
			[]string{"rule", "add", "priority", "100", "from", "192.0.2.0/24", "table", "1000"},
			[]string{"-6", "rule", "add", "priority", "101", "to", "2001:db8::/32", "table", "1001"},
			[]string{"rule", "add", "priority", "102", "fwmark", "7", "blackhole"})
	})
	found := 0
	for r, err := range h.Rules(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		switch r.Priority() {
		case 100:
			found++
			if r.Src() != netip.MustParsePrefix("192.0.2.0/24") || r.Table() != 1000 || r.Family() != unix.AF_INET {
				t.Errorf("rule 100: from %v table %d family %d", r.Src(), r.Table(), r.Family())
			}
		case 101:
			found++
			if r.Dst() != netip.MustParsePrefix("2001:db8::/32") || r.Table() != 1001 || r.Family() != unix.AF_INET6 {
				t.Errorf("rule 101: to %v table %d family %d", r.Dst(), r.Table(), r.Family())
			}
		case 102:
			found++
			if r.Action() != unix.FR_ACT_BLACKHOLE {
				t.Errorf("rule 102: action %d, want blackhole", r.Action())
			}
		}
	}
	if found != 3 {
		t.Errorf("found %d of the 3 rules", found)
	}
}

func TestReplayRouteGet(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "routeget", func(ns *nstest.NS) {
		vethNS(t, ns, []string{"route", "add", "198.51.100.0/24", "via", "192.0.2.254", "dev", "veth0"})
	})
	idx := index(t, h, "veth0")
	r, err := h.RouteGet(ctx, rtm.RouteQuery{Dst: netip.MustParseAddr("198.51.100.7")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Gateway() != netip.MustParseAddr("192.0.2.254") || r.OutIndex() != idx {
		t.Errorf("route to 198.51.100.7: via %v dev %d; want via 192.0.2.254 dev %d", r.Gateway(), r.OutIndex(), idx)
	}
	if _, err := h.RouteGet(ctx, rtm.RouteQuery{Dst: netip.MustParseAddr("203.0.113.7")}); !errors.Is(err, unix.ENETUNREACH) {
		t.Errorf("route to an unreachable destination: %v, want ENETUNREACH", err)
	}
}

func TestReplayLinkChanges(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "linkchanges", func(ns *nstest.NS) { vethNS(t, ns) })
	veth0 := index(t, h, "veth0")
	for _, s := range []rtm.LinkSpec{
		{Name: "br9", Kind: &rtm.Bridge{}},
		{Name: "vx9", Kind: &rtm.Vxlan{VNI: 9, Local: netip.MustParseAddr("192.0.2.1"), Dev: veth0}},
		{Name: "mv9", Parent: veth0, Kind: &rtm.Macvlan{Mode: rtm.MacvlanBridge}},
		{Name: "va9", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "vb9"}}},
	} {
		if err := h.LinkAdd(ctx, s); err != nil {
			t.Fatalf("LinkAdd(%s): %v", s.Name, err)
		}
	}
	kinds := map[string]string{}
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		kinds[l.Name()] = l.Kind()
	}
	for name, kind := range map[string]string{"br9": "bridge", "vx9": "vxlan", "mv9": "macvlan", "va9": "veth", "vb9": "veth"} {
		if kinds[name] != kind {
			t.Errorf("link %s has kind %q, want %q", name, kinds[name], kind)
		}
	}
	br9 := index(t, h, "br9")
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: br9, MTU: 1280}); err != nil {
		t.Fatal(err)
	}
	if l, err := h.LinkByIndex(ctx, br9); err != nil || l.MTU() != 1280 {
		t.Errorf("br9 after LinkSet: mtu %d, %v; want 1280", l.MTU(), err)
	}
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "br9", Kind: &rtm.Bridge{}}); !errors.Is(err, unix.EEXIST) {
		t.Errorf("creating br9 again: %v, want EEXIST", err)
	}
	if err := h.LinkDelByName(ctx, "br9"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.LinkByIndex(ctx, br9); !errors.Is(err, unix.ENODEV) {
		t.Errorf("br9 after LinkDel: %v, want ENODEV", err)
	}
}

// TestReplayExtAck checks that the kernel's extended ACK reaches the
// caller, with the operation named.
func TestReplayExtAck(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "extack", func(ns *nstest.NS) { vethNS(t, ns) })
	// The kernel, not rtm, knows a veth's largest MTU.
	err := h.LinkSet(ctx, rtm.LinkSpec{Index: index(t, h, "veth0"), MTU: 70000})
	var we *wire.Error
	if !errors.Is(err, unix.EINVAL) || !errors.As(err, &we) {
		t.Fatalf("an MTU above the device's maximum: %v, want a *wire.Error wrapping EINVAL", err)
	}
	if !strings.Contains(we.Message, "mtu") || !strings.Contains(err.Error(), "link set") {
		t.Errorf("error %q (extended ACK %q): want the kernel's message and the operation", err, we.Message)
	}
}

func TestReplayAddrChanges(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "addrchanges", func(ns *nstest.NS) { vethNS(t, ns) })
	idx := index(t, h, "veth0")
	for _, p := range []string{"198.51.100.1/24", "198.51.100.2/24", "2001:db8:9::1/64"} {
		if err := h.AddrAdd(ctx, rtm.AddrSpec{Index: idx, Prefix: netip.MustParsePrefix(p), Flags: unix.IFA_F_NODAD}); err != nil {
			t.Fatalf("AddrAdd(%s): %v", p, err)
		}
	}
	if err := h.AddrReplace(ctx, rtm.AddrSpec{Index: idx, Prefix: netip.MustParsePrefix("198.51.100.1/24"), ValidLifetime: 600, PreferredLifetime: 300}); err != nil {
		t.Fatal(err)
	}
	if err := h.AddrDel(ctx, rtm.AddrSpec{Index: idx, Prefix: netip.MustParsePrefix("2001:db8:9::1/64")}); err != nil {
		t.Fatal(err)
	}
	if err := h.AddrDel(ctx, rtm.AddrSpec{Index: idx, Prefix: netip.MustParsePrefix("2001:db8:9::1/64")}); !errors.Is(err, unix.EADDRNOTAVAIL) {
		t.Errorf("deleting it again: %v, want EADDRNOTAVAIL", err)
	}
	have := map[netip.Prefix]bool{}
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: idx, Family: unix.AF_INET}) {
		if err != nil {
			t.Fatal(err)
		}
		have[a.Prefix()] = true
	}
	for _, p := range []string{"192.0.2.1/24", "198.51.100.1/24", "198.51.100.2/24"} {
		if !have[netip.MustParsePrefix(p)] {
			t.Errorf("veth0 lacks %s: %v", p, have)
		}
	}
	n, err := h.AddrFlush(ctx, &rtm.AddrFilter{Index: idx, Family: unix.AF_INET})
	if err != nil || n != 3 {
		t.Errorf("AddrFlush = %d, %v; want 3", n, err)
	}
}

func TestReplayRouteChanges(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "routechanges", func(ns *nstest.NS) {
		vethNS(t, ns, []string{"addr", "add", "203.0.113.1/24", "dev", "veth1"})
	})
	veth0, veth1 := index(t, h, "veth0"), index(t, h, "veth1")
	dst := netip.MustParsePrefix("198.51.100.0/24")
	if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: dst, Gateway: netip.MustParseAddr("192.0.2.254"), Table: 1000, Priority: 5}); err != nil {
		t.Fatal(err)
	}
	multi := rtm.RouteSpec{Dst: netip.MustParsePrefix("198.51.101.0/24"), NextHops: []rtm.NextHopSpec{
		{Gateway: netip.MustParseAddr("192.0.2.253"), OutIndex: veth0, Weight: 1},
		{Gateway: netip.MustParseAddr("203.0.113.254"), OutIndex: veth1, Weight: 3},
	}}
	if err := h.RouteAdd(ctx, multi); err != nil {
		t.Fatal(err)
	}
	if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: dst, Gateway: netip.MustParseAddr("192.0.2.254"), Table: 1000, Priority: 5}); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding the route again: %v, want EEXIST", err)
	}
	var table1000, multipath bool
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET}) {
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case r.Dst() == dst:
			table1000 = r.Table() == 1000 && r.Priority() == 5 && r.Gateway() == netip.MustParseAddr("192.0.2.254")
		case r.Dst() == multi.Dst:
			n := 0
			for range r.NextHops() {
				n++
			}
			multipath = n == 2
		}
	}
	if !table1000 || !multipath {
		t.Errorf("route in table 1000 decoded: %v; multipath route with 2 hops: %v", table1000, multipath)
	}
	if err := h.RouteDel(ctx, rtm.RouteSpec{Dst: dst, Table: 1000, Priority: 5}); err != nil {
		t.Fatal(err)
	}
	if err := h.RouteDel(ctx, rtm.RouteSpec{Dst: dst, Table: 1000, Priority: 5}); !errors.Is(err, unix.ESRCH) {
		t.Errorf("deleting it again: %v, want ESRCH", err)
	}
}
