package rtm_test

import (
	"errors"
	"net"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestPyroute2Netns is pyroute2's IPRoute(netns="test") example, in a
// throwaway namespace: the handle works there, and says so.
func TestPyroute2Netns(t *testing.T) {
	h, ns := handle(t)
	want, err := netns.Open(ns.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	id, err := h.Netns()
	if err != nil || id != want.ID() {
		t.Fatalf("handle in %s reports %v (%v), want %v", ns.Name, id, err, want.ID())
	}
}

// TestMessageModelAgainstKernel checks pyroute2's message model on views
// of real replies: header fields on every kind of view, full names,
// GetAll on a source-mode macvlan's address list, and netlink headers on
// dumped views.
func TestMessageModelAgainstKernel(t *testing.T) {
	h, ns := handle(t)
	nstest.Run(t, ns, "ip", "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.Run(t, ns, "ip", "link", "set", "p0", "up")
	nstest.Run(t, ns, "ip", "addr", "add", "192.0.2.1/24", "dev", "p0")
	nstest.Run(t, ns, "ip", "link", "add", "link", "p0", "name", "mv0", "type", "macvlan", "mode", "source")
	for _, m := range []string{"02:00:00:00:00:0a", "02:00:00:00:00:0b"} {
		nstest.Run(t, ns, "ip", "link", "set", "mv0", "type", "macvlan", "macaddr", "add", m)
	}
	p0 := index(t, h, "p0")

	var seen int
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		seen++
		if hd := l.Header(); hd.Type != unix.RTM_NEWLINK || hd.Flags&unix.NLM_F_MULTI == 0 || hd.Seq == 0 {
			t.Errorf("%s: dump header %+v", l.Name(), hd)
		}
		idx, ok := l.Get("index")
		if n, _ := idx.Int(); !ok || n != int64(l.Index()) {
			t.Errorf("%s: Get(index) = %v, %v", l.Name(), idx, ok)
		}
		fl, _ := l.Get("flags")
		if n, _ := fl.Uint(); n != uint64(l.Flags()) {
			t.Errorf("%s: Get(flags) = %v, want %d", l.Name(), fl, l.Flags())
		}
		if full, ok := l.Get("IFLA_IFNAME"); !ok || full.String() != l.Name() {
			t.Errorf("%s: Get(IFLA_IFNAME) = %v", l.Name(), full)
		}
		if l.Name() != "mv0" {
			continue
		}
		var macs []string
		for v := range l.GetAll("IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_MACVLAN_MACADDR_DATA", "IFLA_MACVLAN_MACADDR") {
			macs = append(macs, v.String())
		}
		slices.Sort(macs) // the kernel lists them in hash order
		if len(macs) != 2 || macs[0] != "02:00:00:00:00:0a" || macs[1] != "02:00:00:00:00:0b" {
			t.Errorf("mv0: GetAll(macaddr) = %v", macs)
		}
	}
	if seen < 4 {
		t.Fatalf("dumped %d links", seen)
	}
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: p0}) {
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]uint64{"prefixlen": 24, "family": unix.AF_INET, "scope": 0} {
			v, ok := a.Get(name)
			if n, _ := v.Uint(); !ok || n != want {
				t.Errorf("addr: Get(%s) = %v, %v; want %d", name, v, ok, want)
			}
		}
		if a.Header().Type != unix.RTM_NEWADDR {
			t.Errorf("addr header %+v", a.Header())
		}
	}
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: unix.RT_TABLE_MAIN}) {
		if err != nil {
			t.Fatal(err)
		}
		dl, _ := r.Get("dst_len")
		if n, _ := dl.Uint(); n != uint64(r.Dst().Bits()) {
			t.Errorf("route %v: dst_len %v", r.Dst(), dl)
		}
		// RTA_TABLE wins over rtm_table: both say main here.
		if tb, ok := r.Get("table"); !ok || tb.String() != "254" {
			t.Errorf("route %v: table %v", r.Dst(), tb)
		}
	}
	for rl, err := range h.Rules(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := rl.Get("action"); !ok || v.String() != "1" { // FR_ACT_TO_TBL
			t.Errorf("rule action %v %v", v, ok)
		}
		break
	}
}

// TestLinkLookupsByField finds links by alias, alternative name and address,
// and checks the statistics-free dump against the full one.
func TestLinkLookupsByField(t *testing.T) {
	h, _ := handle(t)
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "p0", Address: mustMAC("02:00:00:00:01:01"),
		Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "p1", Address: mustMAC("02:00:00:00:01:02")}}}); err != nil {
		t.Fatal(err)
	}
	p0, p1 := index(t, h, "p0"), index(t, h, "p1")
	for i, alias := range map[int32]string{p0: "uplink", p1: "peer"} {
		if err := h.LinkSet(ctx, rtm.LinkSpec{Index: i, Alias: rtm.Some(alias)}); err != nil {
			t.Fatal(err)
		}
	}
	long := "a-very-long-alternative-name-of-p1"
	if err := h.LinkAltNameAdd(ctx, p1, long); err != nil {
		t.Fatal(err)
	}
	l, err := h.LinkByAlias(ctx, "peer")
	if err != nil || l.Index() != p1 {
		t.Fatalf("LinkByAlias(peer) = %d, %v", l.Index(), err)
	}
	if _, err := h.LinkByAlias(ctx, "nobody"); !errors.Is(err, rtm.ErrNotFound) {
		t.Fatalf("LinkByAlias(nobody): %v", err)
	}
	if l, err = h.LinkByAltName(ctx, long); err != nil || l.Index() != p1 {
		t.Fatalf("LinkByAltName = %d, %v", l.Index(), err)
	}
	if _, err := h.LinkByAltName(ctx, "nope"); !errors.Is(err, rtm.ErrNotFound) {
		t.Fatalf("LinkByAltName(nope): %v", err)
	}
	if l, err = h.LinkByHardwareAddr(ctx, mustMAC("02:00:00:00:01:01")); err != nil || l.Index() != p0 {
		t.Fatalf("LinkByHardwareAddr = %d, %v", l.Index(), err)
	}
	if _, err := h.LinkByHardwareAddr(ctx, mustMAC("02:00:00:00:09:09")); !errors.Is(err, rtm.ErrNotFound) {
		t.Fatalf("LinkByHardwareAddr(absent): %v", err)
	}
	ids, err := h.LinkLookup(ctx, rtm.LinkWhere("address", net.HardwareAddr(mustMAC("02:00:00:00:01:02"))))
	if err != nil || len(ids) != 1 || ids[0] != p1 {
		t.Fatalf("LinkLookup(address) = %v, %v", ids, err)
	}
	ids, _ = h.LinkLookup(ctx, rtm.LinkWhere("IFLA_IFALIAS", "uplink"))
	if len(ids) != 1 || ids[0] != p0 {
		t.Fatalf("LinkLookup(IFLA_IFALIAS) = %v", ids)
	}
	ids, _ = h.LinkLookup(ctx, rtm.LinkWhere("index", p1))
	if len(ids) != 1 || ids[0] != p1 {
		t.Fatalf("LinkLookup(index) = %v", ids)
	}
	ids, _ = h.LinkLookup(ctx, rtm.LinkWhere("linkinfo.kind", "veth"))
	if len(ids) != 2 {
		t.Fatalf("LinkLookup(linkinfo.kind) = %v", ids)
	}
	// Alias filter, and the light dump: no statistics in it.
	n := 0
	for l, err := range h.Links(ctx, &rtm.LinkFilter{Alias: "uplink", SkipStats: true}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if _, ok := l.AFSpec(unix.AF_INET6).Get(unix.IFLA_INET6_STATS); ok {
			t.Error("SkipStats dump has IFLA_INET6_STATS")
		}
		if l.Index() != p0 {
			t.Errorf("alias filter kept %s", l.Name())
		}
	}
	if n != 1 {
		t.Fatalf("alias filter kept %d links", n)
	}
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := l.AFSpec(unix.AF_INET6).Get(unix.IFLA_INET6_STATS); !ok && l.Name() == "p0" {
			t.Errorf("%s: full dump without IFLA_INET6_STATS", l.Name())
		}
	}
	if _, err := h.LinkByAlias(ctx, ""); err == nil {
		t.Error("empty alias accepted")
	}
	if _, err := h.LinkByAltName(ctx, "a/b"); err == nil {
		t.Error("bad alternative name accepted")
	}
}

// TestLinkWhereValues checks LinkWhere's comparisons on a link from
// bytes, without a kernel.
func TestLinkWhereValues(t *testing.T) {
	l := macvlanSource("02:00:00:00:00:01")
	for _, c := range []struct {
		path string
		want any
		ok   bool
	}{
		{"ifname", "mv0", true}, {"ifname", "mv1", false}, {"IFLA_IFNAME", "mv0", true},
		{"index", 0, true}, {"index", uint8(0), true}, {"index", -1, false}, {"flags", uint32(0), true},
		{"linkinfo.kind", "macvlan", true}, {"linkinfo.data.macvlan_mode", 16, true},
		{"linkinfo.data.macvlan_mode", int64(-16), false}, {"mtu", 0, false},
		{"linkinfo.data.macvlan_macaddr_count", true, true}, {"family", netip.Addr{}, false},
	} {
		if got := rtm.LinkWhere(c.path, c.want)(l); got != c.ok {
			t.Errorf("LinkWhere(%q, %#v) = %v", c.path, c.want, got)
		}
	}
	// The zero view and a view of garbage answer nothing and do not panic.
	var zero rtm.Link
	if _, ok := zero.Get("index"); !ok {
		t.Error("zero link: no index field")
	}
	for range zero.GetAll("ifname") {
		t.Error("zero link: GetAll yielded")
	}
	if rtm.LinkWhere("ifname", "")(zero) {
		t.Error("zero link matched a name")
	}
}
