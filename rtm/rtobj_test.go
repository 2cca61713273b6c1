package rtm_test

import (
	"errors"
	"fmt"
	"iter"
	"net"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
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
	m := monitor(t, h, []rtm.Group{rtm.GroupIPv4Netconf})
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
	m := monitor(t, h, []rtm.Group{rtm.GroupNSID})
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

// bridgeNS makes a namespace with bridge br0 (multicast snooping on, as
// by default) and veth0 as its port, all up.
func bridgeNS(t *testing.T) (h *rtm.Handle, ns *nstest.NS, br, port int32) {
	h, ns, v0, _ := routeNS(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "set", "veth0", "master", "br0")
	nstest.IP(t, ns, "link", "set", "br0", "up")
	return h, ns, index(t, h, "br0"), v0
}

func TestMDBAgainstBridge(t *testing.T) {
	h, ns, br, port := bridgeNS(t)
	m := monitor(t, h, []rtm.Group{rtm.GroupMDB})
	specs := []rtm.MDBSpec{
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("239.1.1.1"), Permanent: true},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("239.1.1.2")},
		{BridgeIndex: br, PortIndex: port, MAC: mustMAC("01:00:5e:01:02:03"), Permanent: true},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("ff0e::5"), Source: netip.MustParseAddr("2001:db8::1"), Permanent: true},
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.MDBAdd(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Do(ctx, rtm.MDBAdd(specs[0])); !errors.Is(err, unix.EEXIST) {
		t.Errorf("second add: %v", err)
	}
	names := testLinkNames(t, h)
	key := func(port, grp, src, state, proto string) string {
		return strings.Join([]string{port, grp, src, state, proto}, " ")
	}
	want := map[string]bool{}
	var out []map[string]any
	nstest.RunJSON(t, ns, &out, "bridge", "-d", "mdb", "show")
	for _, w := range out[0]["mdb"].([]any) {
		e := w.(map[string]any)
		src, _ := e["src"].(string)
		proto, _ := e["protocol"].(string)
		if proto == "static" { // what snooping adds comes and goes
			want[key(e["port"].(string), e["grp"].(string), src, e["state"].(string), proto)] = true
		}
	}
	got := map[string]bool{}
	for msg, err := range h.MDB(ctx, br) {
		if err != nil {
			t.Fatal(err)
		}
		if msg.Index() != br {
			t.Errorf("message of bridge %d", msg.Index())
		}
		for e := range msg.Entries() {
			grp := e.Group.String()
			if e.Proto == 0 {
				grp = net.HardwareAddr(e.MAC[:]).String()
			}
			src := ""
			if e.Source().IsValid() {
				src = e.Source().String()
			}
			state := "temp"
			if e.State == rtm.MDBPermanent {
				state = "permanent"
			}
			proto := ""
			if p, ok := e.Protocol(); ok {
				proto = map[uint8]string{unix.RTPROT_KERNEL: "kernel", unix.RTPROT_STATIC: "static"}[p]
			}
			if e.BridgeIndex != br {
				t.Errorf("%s: bridge %d", grp, e.BridgeIndex)
			}
			if tm, ok := e.Timer(); !ok || (state == "temp") != (tm > 0) {
				t.Errorf("%s: timer %v %v", grp, tm, ok)
			}
			if proto == "static" {
				got[key(names[e.PortIndex], grp, src, state, proto)] = true
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dump:\n%v\nbridge:\n%v", got, want)
	}
	if _, ok := (rtm.MDB{}).Get("mdb"); ok {
		t.Error("zero MDB has an attribute")
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.MDBDel(s)); err != nil {
			t.Fatalf("del %+v: %v", s, err)
		}
	}
	if err := h.Do(ctx, rtm.MDBDel(specs[0])); !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.EINVAL) {
		t.Errorf("second delete: %v", err)
	}
	bad := []rtm.MDBSpec{
		{PortIndex: port, Group: netip.MustParseAddr("239.1.1.1")},
		{BridgeIndex: br, PortIndex: port},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("192.0.2.1")},
		{BridgeIndex: br, PortIndex: port, MAC: mustMAC("02:00:00:00:00:01")},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("239.1.1.1"), MAC: mustMAC("01:00:5e:01:02:03")},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("239.1.1.1"), VID: 4095},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("239.1.1.1"), Source: netip.MustParseAddr("2001:db8::1")},
		{BridgeIndex: br, PortIndex: port, Group: netip.MustParseAddr("239.1.1.1"), GroupMode: rtm.Some[uint8](2)},
	}
	for _, s := range bad {
		if err := h.Do(ctx, rtm.MDBAdd(s)); err == nil || errors.Is(err, unix.EINVAL) {
			t.Errorf("add %+v: %v, want an error before sending", s, err)
		}
	}
	awaitAddsAndDels(t, m, len(specs), func(ev rtm.Event) (iter.Seq[rtm.MDBEntry], bool) {
		msg, ok := ev.MDB()
		return msg.Entries(), ok
	})
}

// awaitAddsAndDels reads m's events until those of one kind, whose
// entries entries yields, have added n entries and removed n: the
// notifications of a test's changes.
func awaitAddsAndDels[E any](t *testing.T, m *rtm.Monitor, n int, entries func(rtm.Event) (iter.Seq[E], bool)) {
	t.Helper()
	adds, dels := 0, 0
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seq, ok := entries(ev)
		if !ok {
			continue
		}
		for range seq {
			if ev.IsNew() {
				adds++
			} else {
				dels++
			}
		}
		if adds >= n && dels >= n {
			return
		}
	}
}

func TestLinkStatsAgainstIP(t *testing.T) {
	h, ns, br, port := bridgeNS(t)
	// A datagram to an absent neighbour sends an ARP request out of
	// veth0 at once.
	if err := netns.Do(ns.Handle, func() error {
		c, err := net.Dial("udp4", "192.0.2.9:9")
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.Write([]byte("x"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ipStats := func() map[string]any {
		for _, w := range ipJSON(t, ns, "stats", "show", "dev", "veth0", "group", "link") {
			if s, ok := w["stats64"].(map[string]any); ok {
				return s
			}
		}
		t.Fatal("ip shows no link statistics")
		return nil
	}
	num := func(m map[string]any, dir, k string) uint64 {
		return uint64(m[dir].(map[string]any)[k].(float64))
	}
	before := ipStats()
	s, err := h.LinkStatsGet(ctx, port, &rtm.StatsFilter{Mask: rtm.StatsAll})
	if err != nil {
		t.Fatal(err)
	}
	after := ipStats()
	l, ok := s.Link64()
	if !ok || s.Index() != port || s.FilterMask() != rtm.StatsAll {
		t.Fatalf("index %d mask %#x link64 %v", s.Index(), s.FilterMask(), ok)
	}
	for _, c := range []struct {
		dir, key string
		v        uint64
	}{{"rx", "bytes", l.RxBytes}, {"rx", "packets", l.RxPackets}, {"tx", "bytes", l.TxBytes}, {"tx", "packets", l.TxPackets}} {
		if c.v < num(before, c.dir, c.key) || c.v > num(after, c.dir, c.key) {
			t.Errorf("%s %s = %d, ip %d then %d", c.dir, c.key, c.v, num(before, c.dir, c.key), num(after, c.dir, c.key))
		}
	}
	if l.TxPackets == 0 {
		t.Error("no packets sent")
	}
	if _, ok := s.BridgeSTP(true); !ok {
		t.Error("port has no STP counters")
	}
	if _, ok := s.BridgeMcast(true); !ok {
		t.Error("port has no multicast counters")
	}
	if _, ok := s.BridgeSTP(false); ok {
		t.Error("port has a bridge's STP counters")
	}
	if req, used, ok := s.L3StatsInfo(); !ok || req || used {
		t.Errorf("L3 stats info %v %v %v", req, used, ok)
	}
	if v, ok := s.Get("link_64", "tx_packets"); !ok || fmt.Sprint(v.Interface()) != fmt.Sprint(l.TxPackets) {
		t.Errorf("Get(link_64, tx_packets) = %v %v", v, ok)
	}
	ipm := ipJSON(t, ns, "stats", "show", "dev", "br0", "group", "xstats")
	var igmpRx float64 = -1
	for _, w := range ipm {
		if m, ok := w["multicast"].(map[string]any); ok {
			igmpRx = m["igmp_parse_errors"].(float64)
		}
	}
	bs, err := h.LinkStatsGet(ctx, br, &rtm.StatsFilter{Mask: rtm.StatsLinkXstats})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := bs.BridgeMcast(false); !ok || float64(m.IGMPParseErrors) != igmpRx {
		t.Errorf("bridge mcast %+v %v, ip parse errors %v", m, ok, igmpRx)
	}
	if _, ok := bs.Link64(); ok {
		t.Error("link counters outside the mask")
	}
	n := 0
	for s, err := range h.LinkStatsDump(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Link64(); !ok {
			t.Errorf("index %d: no link counters", s.Index())
		}
		n++
	}
	if want := len(testLinkNames(t, h)); n != want {
		t.Errorf("dump yielded %d of %d links", n, want)
	}
	if _, err := h.LinkStatsGet(ctx, 9999, nil); !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("missing link: %v", err)
	}
	if _, err := h.LinkStatsGet(ctx, port, &rtm.StatsFilter{Mask: 1 << 20}); err == nil {
		t.Error("unknown group accepted")
	}
	if _, err := h.LinkStatsGet(ctx, 0, nil); err == nil {
		t.Error("index 0 accepted")
	}
}

func TestBridgePortOptionsAgainstIP(t *testing.T) {
	h, ns, _, port := bridgeNS(t)
	nstest.IP(t, ns, "link", "add", "veth2", "type", "veth", "peer", "name", "veth3")
	nstest.IP(t, ns, "link", "set", "veth2", "master", "br0")
	backup := index(t, h, "veth2")
	err := h.LinkSet(ctx, rtm.LinkSpec{Index: port, Port: &rtm.BridgePort{Isolated: rtm.Some(true), BridgePortMore: rtm.BridgePortMore{
		FlushFDB: true, MulticastRouter: rtm.Some[uint8](2), MulticastToUnicast: rtm.Some(true),
		GroupFwdMask: rtm.Some[uint16](0x4000), Locked: rtm.Some(true), BackupPort: rtm.Some(backup),
		MulticastEHTHostsLimit: rtm.Some[uint32](100),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	l := ipJSON(t, ns, "-d", "link", "show", "dev", "veth0")[0]
	d := l["linkinfo"].(map[string]any)["info_slave_data"].(map[string]any)
	for k, want := range map[string]any{"multicast_router": 2.0, "mcast_to_unicast": true, "group_fwd_mask": "0x4000",
		"locked": true, "backup_port": "veth2", "isolated": true} {
		if fmt.Sprint(d[k]) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", k, d[k], want)
		}
	}
	link, err := h.LinkByIndex(ctx, port)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := link.Get("linkinfo", "slave_data", "mcast_eht_hosts_limit"); !ok || fmt.Sprint(v.Interface()) != "100" {
		t.Errorf("mcast_eht_hosts_limit = %v %v", v, ok)
	}
	// A kernel that knows MAB (Linux 6.2) reports it on every port.
	if _, ok := link.Get("linkinfo", "slave_data", "mab"); !ok {
		t.Log("the kernel has no MAB (Linux 6.2): not tried")
	} else {
		if err := h.LinkSet(ctx, rtm.LinkSpec{Index: port, Port: &rtm.BridgePort{BridgePortMore: rtm.BridgePortMore{MAB: rtm.Some(true)}}}); err != nil {
			t.Fatal(err)
		}
		link, _ := h.LinkByIndex(ctx, port)
		if v, ok := link.Get("linkinfo", "slave_data", "mab"); !ok || fmt.Sprint(v.Interface()) != "1" {
			t.Errorf("mab = %v %v", v, ok)
		}
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: port, Port: &rtm.BridgePort{BridgePortMore: rtm.BridgePortMore{BackupPort: rtm.Some[int32](0)}}}); err != nil {
		t.Fatal(err)
	}
	if d := ipJSON(t, ns, "-d", "link", "show", "dev", "veth0")[0]["linkinfo"].(map[string]any)["info_slave_data"].(map[string]any); d["backup_port"] != nil {
		t.Errorf("backup port still %v", d["backup_port"])
	}
	for _, bad := range []rtm.BridgePortMore{
		{MulticastRouter: rtm.Some[uint8](4)}, {GroupFwdMask: rtm.Some[uint16](1)}, {BackupPort: rtm.Some[int32](-1)},
		{MAB: rtm.Some(true), Locked: rtm.Some(false)},
	} {
		if err := h.LinkSet(ctx, rtm.LinkSpec{Index: port, Port: &rtm.BridgePort{BridgePortMore: bad}}); err == nil || errors.Is(err, unix.EINVAL) {
			t.Errorf("%+v: %v, want an error before sending", bad, err)
		}
	}
}

func TestBridgePortVLANs(t *testing.T) {
	h, ns, br, port := bridgeNS(t)
	filtering := nstest.Have(t, "vlan_filtering")
	if filtering {
		nstest.IP(t, ns, "link", "set", "br0", "type", "bridge", "vlan_filtering", "1")
	}
	seen := map[int32]int{}
	for l, err := range h.BridgePortVLANs(ctx, true) {
		if err != nil {
			t.Fatal(err)
		}
		if l.Family() != unix.AF_BRIDGE {
			t.Errorf("index %d: family %d", l.Index(), l.Family())
		}
		for v := range l.BridgeVLANInfos() {
			if v.VID == 1 && v.Flags&rtm.BridgeVLANPVID != 0 {
				seen[l.Index()]++
			}
		}
		seen[l.Index()] += 0
	}
	if _, ok := seen[port]; !ok {
		t.Errorf("port %d not dumped: %v", port, seen)
	}
	if filtering && (seen[port] != 1 || seen[br] != 1) {
		t.Errorf("default PVID 1 on %v", seen)
	}
	// Without VLAN filtering the kernel has no VLAN database to dump.
	for _, err := range h.BridgeVLANDump(ctx, &rtm.BridgeVLANFilter{Index: port}) {
		if err != nil && filtering {
			t.Fatal(err)
		}
		if err == nil && !filtering {
			t.Error("a VLAN database without VLAN filtering")
		}
	}
}

func TestBondPortOptions(t *testing.T) {
	h, ns, port, _ := routeNS(t)
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: port, Port: &rtm.BondPort{QueueID: rtm.Some[uint16](1)}}); err == nil {
		t.Error("bond port options accepted on a link that is no bond's port")
	}
	if !nstest.Have(t, "link:bond") {
		return
	}
	nstest.IP(t, ns, "link", "add", "bond0", "type", "bond", "mode", "active-backup")
	nstest.IP(t, ns, "link", "set", "veth0", "down")
	nstest.IP(t, ns, "link", "set", "veth0", "master", "bond0")
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: port, Port: &rtm.BondPort{QueueID: rtm.Some[uint16](3), Prio: rtm.Some[int32](7)}}); err != nil {
		t.Fatal(err)
	}
	d := ipJSON(t, ns, "-d", "link", "show", "dev", "veth0")[0]["linkinfo"].(map[string]any)["info_slave_data"].(map[string]any)
	if d["queue_id"] != 3.0 || d["prio"] != 7.0 {
		t.Errorf("ip shows queue_id %v prio %v", d["queue_id"], d["prio"])
	}
}

// TestVXLANVNIsAgainstBridge adds and deletes VNIs of two VXLAN devices
// in VNI filtering mode, and compares the dumps, with and without
// counters, with "bridge -j vni show"; the notifications come too.
func TestVXLANVNIsAgainstBridge(t *testing.T) {
	nstest.Require(t, "link:veth", "link:vxlan", "vnifilter")
	h, ns, v0, _ := routeNS(t)
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "dstport", "4789", "external", "vnifilter")
	nstest.IP(t, ns, "link", "add", "vx1", "type", "vxlan", "dstport", "4790", "external", "vnifilter", "dev", "veth0")
	vx0, vx1 := index(t, h, "vx0"), index(t, h, "vx1")
	m := monitor(t, h, []rtm.Group{rtm.GroupTunnel})
	specs := []rtm.VXLANVNISpec{
		{Index: vx0, VNIs: []rtm.VNIRange{{Start: 100}}},
		{Index: vx0, VNIs: []rtm.VNIRange{{Start: 200, End: 202}, {Start: 500}}, Group: netip.MustParseAddr("2001:db8::9")},
		{Index: vx1, VNIs: []rtm.VNIRange{{Start: 300}}, Group: netip.MustParseAddr("239.1.1.1")},
		{Index: vx1, VNIs: []rtm.VNIRange{{Start: 301, End: 301}}, Group: netip.MustParseAddr("192.0.2.9")},
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.VXLANVNIAdd(s)); err != nil {
			t.Fatalf("add %+v: %v", s, err)
		}
	}
	// bridge's JSON, and the same from the dumps.
	bridgeVNIs := func(args ...string) string {
		var out []struct {
			Ifname string
			VNIs   []map[string]any
		}
		nstest.RunJSON(t, ns, &out, "bridge", args...)
		var lines []string
		for _, d := range out {
			for _, v := range d.VNIs {
				lines = append(lines, fmt.Sprint(d.Ifname, " ", v["vni"], v["vniEnd"], v["group"], v["remote"], v["stats"] != nil))
			}
		}
		sort.Strings(lines)
		return fmt.Sprint(lines)
	}
	names := map[int32]string{vx0: "vx0", vx1: "vx1"}
	dump := func(f *rtm.VXLANVNIFilter) string {
		var lines []string
		for v, err := range h.VXLANVNIDump(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			if v.Family() != unix.AF_BRIDGE {
				t.Errorf("family %d", v.Family())
			}
			for e := range v.Entries() {
				var end, group, remote any
				if e.VNIEnd != 0 && e.VNIEnd != e.VNI {
					end = float64(e.VNIEnd)
				}
				if e.Group.IsValid() && !e.Group.IsUnspecified() {
					if e.Group.IsMulticast() {
						group = e.Group.String()
					} else {
						remote = e.Group.String()
					}
				}
				st, ok := e.Stats()
				if ok != (f != nil && f.Stats) || st.RxBytes != 0 || st.TxErrors != 0 {
					t.Errorf("%d: stats %+v %v", e.VNI, st, ok)
				}
				lines = append(lines, fmt.Sprint(names[v.Index()], " ", float64(e.VNI), end, group, remote, ok))
			}
		}
		sort.Strings(lines)
		return fmt.Sprint(lines)
	}
	for _, c := range []struct {
		f    *rtm.VXLANVNIFilter
		args []string
	}{
		{nil, []string{"vni", "show"}},
		{&rtm.VXLANVNIFilter{Index: vx1}, []string{"vni", "show", "dev", "vx1"}},
		{&rtm.VXLANVNIFilter{Stats: true}, []string{"-s", "vni", "show"}},
	} {
		if got, want := dump(c.f), bridgeVNIs(c.args...); got != want {
			t.Errorf("dump %+v:\n%s\nbridge %v:\n%s", c.f, got, c.args, want)
		}
	}
	// The kernel refuses a dump of a device that is not VXLAN.
	for _, err := range h.VXLANVNIDump(ctx, &rtm.VXLANVNIFilter{Index: v0}) {
		if !errors.Is(err, unix.EINVAL) {
			t.Errorf("dump of veth0: %v", err)
		}
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.VXLANVNIDel(s)); err != nil {
			t.Fatalf("del %+v: %v", s, err)
		}
	}
	if err := h.Do(ctx, rtm.VXLANVNIDel(specs[0])); !errors.Is(err, unix.ENOENT) {
		t.Errorf("second delete: %v", err)
	}
	if err := h.Do(ctx, rtm.VXLANVNIAdd(rtm.VXLANVNISpec{VNIs: []rtm.VNIRange{{Start: 1}}})); err == nil || errors.Is(err, unix.EINVAL) {
		t.Errorf("add without a device: %v, want an error before sending", err)
	}
	if got := dump(nil); got != "[]" {
		t.Errorf("left after the deletes: %s", got)
	}
	awaitAddsAndDels(t, m, len(specs), func(ev rtm.Event) (iter.Seq[rtm.VXLANVNIEntry], bool) {
		v, ok := ev.VXLANVNIs()
		return v.Entries(), ok
	})
}
