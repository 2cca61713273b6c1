package rtm_test

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ipFamilyName is how ip -j names a family.
func ipFamilyName(f uint8) string {
	switch f {
	case unix.AF_INET:
		return "inet"
	case unix.AF_INET6:
		return "inet6"
	case unix.AF_MPLS:
		return "mpls"
	}
	return fmt.Sprint(f)
}

func netconfIfName(names map[int32]string, i int32) string {
	switch i {
	case rtm.NetconfIndexAll:
		return "all"
	case rtm.NetconfIndexDefault:
		return "default"
	}
	return names[i]
}

// netconfJSON renders c as "ip -j netconf show" does.
func netconfJSON(c rtm.Netconf, names map[int32]string) map[string]any {
	m := map[string]any{"family": ipFamilyName(c.Family()), "interface": netconfIfName(names, c.Index())}
	onOff := func(k string, v int32, ok bool) {
		if ok {
			m[k] = v != 0
		}
	}
	v, ok := c.Forwarding()
	onOff("forwarding", v, ok)
	if v, ok := c.RPFilter(); ok {
		m["rp_filter"] = map[int32]string{0: "off", 1: "strict", 2: "loose"}[v]
	}
	v, ok = c.MCForwarding()
	onOff("mc_forwarding", v, ok)
	v, ok = c.ProxyNeigh()
	onOff("proxy_neigh", v, ok)
	v, ok = c.IgnoreRoutesWithLinkdown()
	onOff("ignore_routes_with_linkdown", v, ok)
	return m
}

func TestNetconfAgainstIP(t *testing.T) {
	h, ns, v0, _ := routeNS(t)
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv4.conf.veth0.forwarding=1", "net.ipv4.conf.veth1.rp_filter=2")
	names := testLinkNames(t, h)
	want := ipJSON(t, ns, "netconf", "show")
	var got []map[string]any
	for c, err := range h.Netconfs(ctx, unix.AF_UNSPEC) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, netconfJSON(c, names))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dump:\n%v\nip:\n%v", got, want)
	}
	c, err := h.NetconfGet(ctx, unix.AF_INET, v0)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := c.Forwarding(); f != 1 || c.Index() != v0 || c.Family() != unix.AF_INET {
		t.Errorf("get veth0: forwarding %d index %d", f, c.Index())
	}
	if v, ok := c.Get("forwarding"); !ok || fmt.Sprint(v.Interface()) != "1" {
		t.Errorf("Get(forwarding) = %v", v)
	}
	if c, err := h.NetconfGet(ctx, unix.AF_INET6, rtm.NetconfIndexAll); err != nil || c.Index() != rtm.NetconfIndexAll {
		t.Errorf("get all: %v %d", err, c.Index())
	}
	for _, bad := range []struct {
		family uint8
		index  int32
	}{{unix.AF_UNSPEC, v0}, {unix.AF_INET, 0}, {unix.AF_INET, -3}, {unix.AF_BRIDGE, 1}} {
		if _, err := h.NetconfGet(ctx, bad.family, bad.index); err == nil {
			t.Errorf("NetconfGet(%d, %d) accepted", bad.family, bad.index)
		}
	}

	// A change of forwarding is notified.
	m, err := h.Monitor([]rtm.Group{rtm.GroupIPv4Netconf})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv4.conf.veth0.forwarding=0")
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		c, ok := ev.Netconf()
		if !ok {
			continue
		}
		if f, ok := c.Forwarding(); !ok || f != 0 || c.Index() != v0 || !ev.IsNew() {
			t.Errorf("event: index %d forwarding %d %v", c.Index(), f, ok)
		}
		break
	}
}

func TestAddrLabelLifecycle(t *testing.T) {
	h, ns, v0, _ := routeNS(t)
	p := netip.MustParsePrefix("2001:db8:1::/48")
	if err := h.Do(ctx, rtm.AddrLabelAdd(rtm.AddrLabelSpec{Prefix: p, Label: 99}),
		rtm.AddrLabelAdd(rtm.AddrLabelSpec{Prefix: netip.MustParsePrefix("2001:db8:2::/64"), Index: v0, Label: 0})); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	for l, err := range h.AddrLabels(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		label, _ := l.Label()
		m := map[string]any{"address": l.Address().String(), "prefixlen": float64(l.PrefixLen())}
		if l.Index() != 0 {
			m["ifname"] = "veth0"
		}
		m["label"] = float64(label)
		if l.Prefix().Bits() != int(l.PrefixLen()) || l.Family() != unix.AF_INET6 {
			t.Errorf("%v: prefix %v family %d", l.Address(), l.Prefix(), l.Family())
		}
		got = append(got, m)
	}
	want := ipJSON(t, ns, "addrlabel", "list")
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dump:\n%v\nip:\n%v", got, want)
	}
	if err := h.Do(ctx, rtm.AddrLabelAdd(rtm.AddrLabelSpec{Prefix: p, Label: 98})); !errors.Is(err, unix.EEXIST) {
		t.Errorf("second add: %v", err)
	}
	if err := h.Do(ctx, rtm.AddrLabelDel(rtm.AddrLabelSpec{Prefix: p})); err != nil {
		t.Fatal(err)
	}
	if err := h.Do(ctx, rtm.AddrLabelDel(rtm.AddrLabelSpec{Prefix: p})); err == nil {
		t.Error("second delete succeeded")
	}
	for _, bad := range []rtm.AddrLabelSpec{
		{Label: 1},
		{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Label: 1},
		{Prefix: p, Label: rtm.AddrLabelDefault},
		{Prefix: p, Index: -1, Label: 1},
	} {
		if err := h.Do(ctx, rtm.AddrLabelAdd(bad)); err == nil || errors.Is(err, unix.EINVAL) {
			t.Errorf("add %+v: %v, want an error before sending", bad, err)
		}
	}
}

func TestNetnsIDs(t *testing.T) {
	h, ns := handle(t)
	peer, other := nstest.New(t), nstest.New(t)
	m, err := h.Monitor([]rtm.Group{rtm.GroupNSID})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if id, err := h.NetnsIDOf(ctx, rtm.NetnsRef{Fd: peer.Handle.Fd()}); err != nil || id != rtm.NetnsIDAuto {
		t.Fatalf("id before set: %d %v", id, err)
	}
	if err := h.Do(ctx, rtm.NetnsIDSet(rtm.NetnsIDSpec{Netns: rtm.NetnsRef{Fd: peer.Handle.Fd()}, ID: 7})); err != nil {
		t.Fatal(err)
	}
	if err := h.Do(ctx, rtm.NetnsIDSet(rtm.NetnsIDSpec{Netns: rtm.NetnsRef{Fd: other.Handle.Fd()}, ID: rtm.NetnsIDAuto})); err != nil {
		t.Fatal(err)
	}
	if err := h.Do(ctx, rtm.NetnsIDSet(rtm.NetnsIDSpec{Netns: rtm.NetnsRef{Fd: other.Handle.Fd()}, ID: 7})); !errors.Is(err, unix.EEXIST) {
		t.Errorf("id taken: %v", err)
	}
	if id, err := h.NetnsIDOf(ctx, rtm.NetnsRef{Fd: peer.Handle.Fd()}); err != nil || id != 7 {
		t.Errorf("NetnsIDOf = %d, %v", id, err)
	}
	want := map[string]bool{}
	for _, w := range ipJSON(t, ns, "netns", "list-id") {
		want[fmt.Sprint(w["nsid"])] = true
	}
	got := map[string]bool{}
	for n, err := range h.NetnsIDs(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprint(n.ID())] = true
	}
	if len(got) != 2 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ids %v, ip %v", got, want)
	}
	n := 0
	for id, err := range h.NetnsIDs(ctx, &rtm.NetnsIDFilter{ID: rtm.Some[int32](7)}) {
		if err != nil || id.ID() != 7 {
			t.Errorf("filtered: %d %v", id.ID(), err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("filtered dump yielded %d", n)
	}
	// Peer gives the handle's namespace id 3: the dump of peer's ids
	// (peer is id 7 here) lists it.
	nstest.IP(t, peer, "netns", "set", ns.Name, "3")
	for id, err := range h.NetnsIDs(ctx, &rtm.NetnsIDFilter{TargetID: rtm.Some[int32](7)}) {
		if err != nil {
			t.Fatal(err)
		}
		if id.ID() != 3 {
			t.Errorf("target dump: id %d", id.ID())
		}
	}
	for _, bad := range []rtm.NetnsIDSpec{{ID: 1}, {Netns: rtm.NetnsRef{Fd: 3, Pid: 1}, ID: 1}, {Netns: rtm.NetnsRef{Pid: 1}, ID: -2}} {
		if err := h.Do(ctx, rtm.NetnsIDSet(bad)); err == nil {
			t.Errorf("set %+v accepted", bad)
		}
	}
	seen := 0
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if id, ok := ev.NetnsID(); ok && ev.IsNew() {
			if seen == 0 && id.ID() != 7 {
				t.Errorf("first event: id %d", id.ID())
			}
			if seen++; seen == 2 {
				break
			}
		}
	}
}
