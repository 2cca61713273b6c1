package rtm_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ipLink returns "ip -j -d link show dev NAME" in ns, the oracle.
func ipLink(t *testing.T, ns *nstest.NS, name string) map[string]any {
	t.Helper()
	out := ipJSON(t, ns, "-d", "link", "show", "dev", name)
	if len(out) != 1 {
		t.Fatalf("ip link show dev %s: %d links", name, len(out))
	}
	return out[0]
}

// field walks a path of keys in ip's JSON.
func field(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// expect compares ip's JSON values with wanted ones, formatted alike.
func expect(t *testing.T, m map[string]any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		got := field(m, strings.Split(path, ".")...)
		if f, ok := got.(float64); ok && f == float64(int64(f)) {
			got = int64(f) // JSON numbers decode as float64
		}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%v: %s = %v, want %v", m["ifname"], path, got, w)
		}
	}
}

// flags checks that ip shows each flag in want as set (true) or clear.
func flags(t *testing.T, m map[string]any, want map[string]bool) {
	t.Helper()
	have := map[string]bool{}
	list, _ := m["flags"].([]any)
	for _, f := range list {
		have[fmt.Sprint(f)] = true
	}
	for f, on := range want {
		if have[f] != on {
			t.Errorf("%v: flag %s is %v, want %v (flags %v)", m["ifname"], f, have[f], on, list)
		}
	}
}

// sysfs reads /sys/class/net/DEV/ATTR in ns, an oracle for what ip's JSON
// leaves out (such as a transmit queue length of 0).
func sysfs(t *testing.T, ns *nstest.NS, dev, attr string) string {
	t.Helper()
	return strings.TrimSpace(nstest.Run(t, ns, "cat", "/sys/class/net/"+dev+"/"+attr))
}

func mustMAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// index returns the index of the link named name, failing t if there is
// none.
func index(t testing.TB, h *rtm.Handle, name string) int32 {
	t.Helper()
	l, err := h.LinkByName(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return l.Index()
}

func TestLinkAddKindsAgainstIP(t *testing.T) {
	h, ns := handle(t)
	add := func(s rtm.LinkSpec) {
		t.Helper()
		if err := h.LinkAdd(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	add(rtm.LinkSpec{Name: "veth0", MTU: 1400, Address: mustMAC("02:00:00:00:00:01"), TxQueueLen: rtm.Some[uint32](0),
		Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "veth1", MTU: 1300, Address: mustMAC("02:00:00:00:00:02"), Group: rtm.Some[uint32](4)}}})
	add(rtm.LinkSpec{Name: "br0", Up: rtm.Some(true), Kind: &rtm.Bridge{
		ForwardDelay: rtm.Some(12 * time.Second), HelloTime: rtm.Some(3 * time.Second), MaxAge: rtm.Some(25 * time.Second),
		AgeingTime: rtm.Some(100 * time.Second), STP: rtm.Some(true), Priority: rtm.Some[uint16](4096),
		VlanProtocol: rtm.Some[uint16](unix.ETH_P_8021AD), DefaultPVID: rtm.Some[uint16](10),
		MulticastSnooping: rtm.Some(false), MulticastQuerier: rtm.Some(true), GroupFwdMask: rtm.Some[uint16](8),
	}})
	veth1 := index(t, h, "veth1")
	add(rtm.LinkSpec{Name: "vx0", Kind: &rtm.Vxlan{VNI: 1<<24 - 1, Remote: netip.MustParseAddr("192.0.2.2"),
		Local: netip.MustParseAddr("192.0.2.1"), Dev: veth1, TTL: rtm.Some[uint8](64), Port: 4789,
		SrcPortMin: 1000, SrcPortMax: 2000, Learning: rtm.Some(false), Ageing: rtm.Some(300 * time.Second),
		MaxAddresses: rtm.Some[uint32](10), UDPChecksum: rtm.Some(false)}})
	add(rtm.LinkSpec{Name: "vx6", Kind: &rtm.Vxlan{VNI: 0, Group: netip.MustParseAddr("ff05::100"), Dev: veth1}})
	add(rtm.LinkSpec{Name: "mv0", Parent: veth1, Kind: &rtm.Macvlan{Mode: rtm.MacvlanBridge}})
	add(rtm.LinkSpec{Name: "mvt0", Parent: veth1, Kind: &rtm.Macvlan{Mode: rtm.MacvlanPrivate, Tap: true}})
	add(rtm.LinkSpec{Name: "ifb0", TxQueueLen: rtm.Some[uint32](77), Kind: &rtm.Ifb{}})

	expect(t, ipLink(t, ns, "veth0"), map[string]any{"mtu": 1400, "address": "02:00:00:00:00:01",
		"linkinfo.info_kind": "veth", "link": "veth1"})
	if q := sysfs(t, ns, "veth0", "tx_queue_len"); q != "0" {
		t.Errorf("veth0: tx_queue_len %s, want 0", q)
	}
	expect(t, ipLink(t, ns, "veth1"), map[string]any{"mtu": 1300, "address": "02:00:00:00:00:02", "group": 4})
	br := ipLink(t, ns, "br0")
	// The kernel reports the VLAN protocol and default PVID only with VLAN
	// filtering; without it the golden tests alone check them.
	if nstest.Have(t, "vlan_filtering") {
		expect(t, br, map[string]any{"linkinfo.info_data.vlan_protocol": "802.1ad", "linkinfo.info_data.vlan_default_pvid": 10})
	}
	flags(t, br, map[string]bool{"UP": true})
	expect(t, br, map[string]any{
		"linkinfo.info_kind":               "bridge",
		"linkinfo.info_data.forward_delay": 1200, "linkinfo.info_data.hello_time": 300,
		"linkinfo.info_data.max_age": 2500, "linkinfo.info_data.ageing_time": 10000,
		"linkinfo.info_data.stp_state": 1, "linkinfo.info_data.priority": 4096,
		"linkinfo.info_data.mcast_snooping": 0, "linkinfo.info_data.mcast_querier": 1,
		"linkinfo.info_data.group_fwd_mask": "0x8",
	})
	expect(t, ipLink(t, ns, "vx0"), map[string]any{
		"linkinfo.info_data.id": 1<<24 - 1, "linkinfo.info_data.remote": "192.0.2.2",
		"linkinfo.info_data.local": "192.0.2.1", "linkinfo.info_data.link": "veth1",
		"linkinfo.info_data.ttl": 64, "linkinfo.info_data.port": 4789, "linkinfo.info_data.learning": false,
		"linkinfo.info_data.ageing": 300, "linkinfo.info_data.limit": 10, "linkinfo.info_data.udp_csum": false,
		"linkinfo.info_data.port_range.low": 1000, "linkinfo.info_data.port_range.high": 2000,
	})
	expect(t, ipLink(t, ns, "vx6"), map[string]any{"linkinfo.info_data.id": 0, "linkinfo.info_data.group6": "ff05::100",
		"linkinfo.info_data.learning": true})
	expect(t, ipLink(t, ns, "mv0"), map[string]any{"linkinfo.info_kind": "macvlan", "linkinfo.info_data.mode": "bridge", "link": "veth1"})
	expect(t, ipLink(t, ns, "mvt0"), map[string]any{"linkinfo.info_kind": "macvtap", "linkinfo.info_data.mode": "private"})
	expect(t, ipLink(t, ns, "ifb0"), map[string]any{"linkinfo.info_kind": "ifb", "txqlen": 77})

	// Duplicates fail with the kernel's EEXIST, named in the error.
	err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "ifb0", Kind: &rtm.Ifb{}})
	if !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), "ifb0") {
		t.Fatalf("duplicate: %v", err)
	}
	// Replace creates a missing link; the kernel refuses to replace an
	// existing one, as it does for "ip link replace".
	if err := h.LinkReplace(ctx, rtm.LinkSpec{Name: "ifb0", MTU: 1280, Kind: &rtm.Ifb{}}); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatalf("replace existing: %v", err)
	}
	if err := h.LinkReplace(ctx, rtm.LinkSpec{Name: "ifb1", Kind: &rtm.Ifb{}}); err != nil {
		t.Fatal(err)
	}
	ipLink(t, ns, "ifb1")
}

func TestLinkSetAgainstIP(t *testing.T) {
	h, ns := handle(t)
	addVethPair(t, h)
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}); err != nil {
		t.Fatal(err)
	}
	p0, br := index(t, h, "p0"), index(t, h, "br0")
	set := func(s rtm.LinkSpec) {
		t.Helper()
		if err := h.LinkSet(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	set(rtm.LinkSpec{Index: p0, Up: rtm.Some(true), MTU: 1280, Address: mustMAC("02:00:00:00:00:09"),
		TxQueueLen: rtm.Some[uint32](0), Promisc: rtm.Some(true), ARP: rtm.Some(false), AllMulticast: rtm.Some(true),
		Master: rtm.Some(br), Group: rtm.Some[uint32](5), Alias: rtm.Some("uplink")})
	m := ipLink(t, ns, "p0")
	expect(t, m, map[string]any{
		"mtu": 1280, "address": "02:00:00:00:00:09", "promiscuity": 2, "master": "br0",
		"group": 5, "ifalias": "uplink", "linkinfo.info_slave_kind": "bridge",
	})
	flags(t, m, map[string]bool{"UP": true, "NOARP": true, "ALLMULTI": true, "PROMISC": true, "MULTICAST": true})
	if q := sysfs(t, ns, "p0", "tx_queue_len"); q != "0" {
		t.Errorf("p0: tx_queue_len %s, want 0", q)
	}
	// Zero values that are settings: group 0, no alias, ARP back on.
	set(rtm.LinkSpec{Index: p0, Group: rtm.Some[uint32](0), Alias: rtm.Some(""), ARP: rtm.Some(true),
		Promisc: rtm.Some(false), AllMulticast: rtm.Some(false), Up: rtm.Some(false)})
	m = ipLink(t, ns, "p0")
	expect(t, m, map[string]any{"group": "default", "ifalias": nil, "promiscuity": 1})
	flags(t, m, map[string]bool{"UP": false, "NOARP": false, "ALLMULTI": false, "PROMISC": false})
	// Bridge port settings, then nomaster.
	set(rtm.LinkSpec{Index: p0, Port: &rtm.BridgePort{Cost: rtm.Some[uint32](10), Priority: rtm.Some[uint16](5),
		Learning: rtm.Some(false), Flood: rtm.Some(false), Hairpin: rtm.Some(true), Isolated: rtm.Some(true)}})
	expect(t, ipLink(t, ns, "p0"), map[string]any{
		"linkinfo.info_slave_data.cost": 10, "linkinfo.info_slave_data.priority": 5,
		"linkinfo.info_slave_data.learning": false, "linkinfo.info_slave_data.flood": false,
		"linkinfo.info_slave_data.hairpin": true, "linkinfo.info_slave_data.isolated": true,
	})
	set(rtm.LinkSpec{Index: br, Kind: &rtm.Bridge{STP: rtm.Some(true), Priority: rtm.Some[uint16](0)}})
	expect(t, ipLink(t, ns, "br0"), map[string]any{"linkinfo.info_data.stp_state": 1, "linkinfo.info_data.priority": 0})
	set(rtm.LinkSpec{Index: p0, Master: rtm.Some[int32](0)})
	expect(t, ipLink(t, ns, "p0"), map[string]any{"master": nil})

	// Rename by index; then select by name.
	set(rtm.LinkSpec{Index: p0, Name: "wan0"})
	set(rtm.LinkSpec{Name: "wan0", MTU: 1300})
	expect(t, ipLink(t, ns, "wan0"), map[string]any{"ifindex": p0, "mtu": 1300})

	// Alternative names.
	if err := h.LinkAltNameAdd(ctx, p0, "wan-uplink-long-name", "w0"); err != nil {
		t.Fatal(err)
	}
	expect(t, ipLink(t, ns, "wan0"), map[string]any{"altnames": "[wan-uplink-long-name w0]"})
	if err := h.LinkAltNameAdd(ctx, p0, "w0"); !errors.Is(err, unix.EEXIST) {
		t.Errorf("duplicate altname: %v", err)
	}
	if err := h.LinkAltNameDel(ctx, p0, "w0"); err != nil {
		t.Fatal(err)
	}
	expect(t, ipLink(t, ns, "wan0"), map[string]any{"altnames": "[wan-uplink-long-name]"})

	// A missing link.
	if err := h.LinkSet(ctx, rtm.LinkSpec{Name: "nosuch", MTU: 1400}); !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("set missing link: %v", err)
	}
}

func TestLinkNetnsMoveAndDelete(t *testing.T) {
	h, ns := handle(t)
	other := nstest.New(t)
	third := nstest.New(t)
	for _, s := range []rtm.LinkSpec{
		{Name: "byname", Kind: &rtm.Ifb{}},
		{Name: "byhandle", Kind: &rtm.Ifb{}},
		// The peer is created straight in the other namespace.
		{Name: "v0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "v1", Netns: rtm.NetnsByName(other.Name)}}},
	} {
		if err := h.LinkAdd(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Name: "byname", Netns: rtm.NetnsByName(other.Name)}); err != nil {
		t.Fatal(err)
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Name: "byhandle", Netns: rtm.NetnsByHandle(third.Handle)}); err != nil {
		t.Fatal(err)
	}
	ipLink(t, other, "byname")
	ipLink(t, other, "v1")
	ipLink(t, third, "byhandle")
	if n := len(ipJSON(t, ns, "link", "show", "type", "ifb")); n != 0 {
		t.Errorf("%d ifb links left behind", n)
	}

	v0 := index(t, h, "v0")
	if err := h.LinkDel(ctx, v0); err != nil {
		t.Fatal(err)
	}
	if n := len(ipJSON(t, other, "link", "show", "type", "veth")); n != 0 {
		t.Errorf("deleting v0 left %d veth in the peer's namespace", n)
	}
	if err := h.LinkDel(ctx, v0); !errors.Is(err, rtm.ErrNotFound) || !errors.Is(err, unix.ENODEV) {
		t.Errorf("deleting again: %v", err)
	}
	h2 := dialIn(t, other.Name)
	if err := h2.LinkDelByName(ctx, "byname"); err != nil {
		t.Fatal(err)
	}
	if err := h2.LinkDelByName(ctx, "byname"); !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("deleting by name again: %v", err)
	}
}

func TestLinkValidation(t *testing.T) {
	h, _ := handle(t)
	veth := func(s rtm.LinkSpec) rtm.LinkSpec { s.Kind = &rtm.Veth{}; return s }
	addCases := map[string]rtm.LinkSpec{
		"long name":       veth(rtm.LinkSpec{Name: "a-name-longer-than-15"}),
		"slash":           veth(rtm.LinkSpec{Name: "a/b"}),
		"no kind":         {Name: "x"},
		"short MAC":       veth(rtm.LinkSpec{Name: "x", Address: net.HardwareAddr{2, 0, 0}}),
		"multicast MAC":   veth(rtm.LinkSpec{Name: "x", Address: mustMAC("01:00:5e:00:00:01")}),
		"zero MAC":        veth(rtm.LinkSpec{Name: "x", Address: mustMAC("00:00:00:00:00:00")}),
		"negative index":  veth(rtm.LinkSpec{Index: -1}),
		"long alias":      veth(rtm.LinkSpec{Name: "x", Alias: rtm.Some(strings.Repeat("a", 256))}),
		"peer long name":  {Name: "x", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "a-name-longer-than-15"}}},
		"peer kind":       {Name: "x", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "y", Kind: &rtm.Ifb{}}}},
		"kind and port":   {Name: "x", Kind: &rtm.Ifb{}, Port: &rtm.BridgePort{}},
		"vni":             {Name: "x", Kind: &rtm.Vxlan{VNI: 1 << 24}},
		"vxlan families":  {Name: "x", Kind: &rtm.Vxlan{VNI: 1, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("2001:db8::1")}},
		"vxlan group":     {Name: "x", Kind: &rtm.Vxlan{VNI: 1, Group: netip.MustParseAddr("192.0.2.1")}},
		"vxlan ports":     {Name: "x", Kind: &rtm.Vxlan{VNI: 1, SrcPortMin: 2000, SrcPortMax: 1000}},
		"vlan id":         {Name: "x", Parent: 1, Kind: &rtm.Vlan{ID: 4095}},
		"vlan protocol":   {Name: "x", Parent: 1, Kind: &rtm.Vlan{ID: 1, Protocol: 0x0800}},
		"gre family":      {Name: "x", Kind: &rtm.GRE{Remote: netip.MustParseAddr("2001:db8::1")}},
		"gre6 family":     {Name: "x", Kind: &rtm.GRE{IPv6: true, Local: netip.MustParseAddr("192.0.2.1")}},
		"gre ttl":         {Name: "x", Kind: &rtm.GRE{Remote: netip.MustParseAddr("192.0.2.1"), TTL: rtm.Some[uint8](64), PMTUDisc: rtm.Some(false)}},
		"ipip family":     {Name: "x", Kind: &rtm.IPIP{Remote: netip.MustParseAddr("2001:db8::1")}},
		"geneve vni":      {Name: "x", Kind: &rtm.Geneve{VNI: 1 << 24}},
		"geneve label":    {Name: "x", Kind: &rtm.Geneve{VNI: 1, Label: 1 << 20}},
		"vrf table":       {Name: "x", Kind: &rtm.VRF{}},
		"bridge time":     {Name: "x", Kind: &rtm.Bridge{ForwardDelay: rtm.Some(15 * time.Millisecond)}},
		"bridge pvid":     {Name: "x", Kind: &rtm.Bridge{DefaultPVID: rtm.Some[uint16](4095)}},
		"bond mode":       {Name: "x", Kind: &rtm.Bond{Mode: rtm.Some(rtm.BondMode(7))}},
		"bond arp target": {Name: "x", Kind: &rtm.Bond{ARPIPTargets: []netip.Addr{netip.MustParseAddr("2001:db8::1")}}},
		"macvlan mode":    {Name: "x", Parent: 1, Kind: &rtm.Macvlan{Mode: 3}},
		"netns pid":       veth(rtm.LinkSpec{Name: "x", Netns: rtm.NetnsByPID(0)}),
		"netns name":      veth(rtm.LinkSpec{Name: "x", Netns: rtm.NetnsByName("a/b")}),
	}
	refusedLocally(t, "", addCases, func(s rtm.LinkSpec) error { return h.LinkAdd(ctx, s) })
	setCases := map[string]rtm.LinkSpec{
		"no selector":    {MTU: 1400},
		"parent on set":  {Index: 1, Parent: 1},
		"port state":     {Index: 1, Port: &rtm.BridgePort{State: rtm.Some[uint8](5)}},
		"bad broadcast":  {Index: 1, Broadcast: net.HardwareAddr{}},
		"negative index": {Index: -3},
	}
	refusedLocally(t, "set ", setCases, func(s rtm.LinkSpec) error { return h.LinkSet(ctx, s) })
	for _, bad := range [][]string{nil, {""}, {strings.Repeat("a", 128)}, {"a/b"}} {
		if err := h.LinkAltNameAdd(ctx, 1, bad...); err == nil {
			t.Errorf("altnames %q accepted", bad)
		}
	}
	bt := h.NewBatch()
	if err := bt.LinkAdd(rtm.LinkSpec{Name: "x", Kind: &rtm.Ifb{}, Netns: rtm.NetnsByName("somewhere")}); err == nil {
		t.Error("batch accepted a namespace by name")
	}
	if bt.Len() != 0 {
		t.Errorf("invalid requests were added to the batch: %d", bt.Len())
	}
}

func TestBatchVethPairs(t *testing.T) {
	h, ns := handle(t)
	const pairs = 2000
	bt := h.NewBatch()
	for i := 0; i < pairs; i++ {
		err := bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("va%d", i), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("vb%d", i)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// One duplicate, which fails alone.
	if err := bt.LinkAdd(rtm.LinkSpec{Name: "va7", Kind: &rtm.Veth{}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results, err := bt.Run(ctx)
	elapsed := time.Since(start)
	if len(results) != pairs+1 || !errors.Is(err, unix.EEXIST) || !errors.Is(results[pairs], unix.EEXIST) {
		t.Fatalf("%d results, err %v", len(results), err)
	}
	for i, r := range results[:pairs] {
		if r != nil {
			t.Fatalf("pair %d: %v", i, r)
		}
	}
	t.Logf("%d veth pairs in one batch: %v", pairs, elapsed)
	if n := strings.Count(nstest.IP(t, ns, "-o", "link", "show", "type", "veth"), "\n"); n != 2*pairs {
		t.Fatalf("ip sees %d veth links, want %d", n, 2*pairs)
	}
	// Delete some in a batch too: deleting one end deletes the pair. (Each
	// deletion waits for an RCU grace period in the kernel, so deleting
	// all 2000 would take half a minute; the namespace's teardown deletes
	// the rest in bulk.)
	del := h.NewBatch()
	const deleted = 50
	for i := 0; i < deleted; i++ {
		if err := del.LinkDel(index(t, h, fmt.Sprintf("va%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := del.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(nstest.IP(t, ns, "-o", "link", "show", "type", "veth"), "\n"); n != 2*(pairs-deleted) {
		t.Fatalf("ip sees %d veth links after deleting %d pairs, want %d", n, deleted, 2*(pairs-deleted))
	}
}

func TestTunTap(t *testing.T) {
	h, ns := handle(t)
	name, err := h.TunTapAdd(ctx, rtm.TunTap{Name: "tap0", Tap: true, VnetHdr: true, MultiQueue: true,
		Owner: rtm.Some[uint32](4242), Group: rtm.Some[uint32](4343)})
	if err != nil || name != "tap0" {
		t.Fatalf("TunTapAdd: %q, %v", name, err)
	}
	expect(t, ipLink(t, ns, "tap0"), map[string]any{
		"linkinfo.info_kind": "tun", "linkinfo.info_data.type": "tap", "linkinfo.info_data.pi": false,
		"linkinfo.info_data.vnet_hdr": true, "linkinfo.info_data.multi_queue": true,
		"linkinfo.info_data.persist": true, "linkinfo.info_data.user": 4242, "linkinfo.info_data.group": 4343,
	})
	if _, err := h.TunTapAdd(ctx, rtm.TunTap{Name: "tap0", Tap: true}); err == nil {
		t.Error("a second TunTapAdd of tap0 with other flags succeeded")
	}
	// The same flags attach to tap0, unless Exclusive.
	same := rtm.TunTap{Name: "tap0", Tap: true, VnetHdr: true, MultiQueue: true}
	if f, err := h.TunTapOpen(ctx, same); err != nil {
		t.Errorf("TunTapOpen of tap0 with its flags: %v", err)
	} else {
		f.Close()
	}
	same.Exclusive = true
	if _, err := h.TunTapOpen(ctx, same); !errors.Is(err, unix.EBUSY) {
		t.Errorf("exclusive TunTapOpen of tap0: %v, want EBUSY", err)
	}
	if err := h.LinkDel(ctx, index(t, h, "tap0")); err != nil {
		t.Fatal(err)
	}

	// A kernel-named, non-persistent TUN lives as long as its file.
	f, err := h.TunTapOpen(ctx, rtm.TunTap{PacketInfo: true})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, ipLink(t, ns, f.Name()), map[string]any{"linkinfo.info_data.type": "tun",
		"linkinfo.info_data.pi": true, "linkinfo.info_data.persist": false})
	if f.Name() != "tun0" {
		t.Errorf("kernel-picked name %q", f.Name())
	}
	if err := f.SetReadDeadline(time.Now().Add(time.Millisecond)); err != nil {
		t.Errorf("deadline on the queue: %v", err)
	}
	f.Close()
	if n := len(ipJSON(t, ns, "link", "show", "type", "tun")); n != 0 {
		t.Errorf("%d tun links after close", n)
	}
	if _, err := h.TunTapAdd(ctx, rtm.TunTap{Name: "a-name-longer-than-15"}); err == nil || errors.Is(err, os.ErrNotExist) {
		t.Errorf("long name: %v", err)
	}
}

func TestLinkAddInHandleNamespace(t *testing.T) {
	// A Handle created from a netns.Handle creates links there, not here.
	ns := nstest.New(t)
	h, err := rtm.Dial(rtm.WithNetnsHandle(ns.Handle))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "ipr-ns-only", Kind: &rtm.Ifb{}}); err != nil {
		t.Fatal(err)
	}
	ipLink(t, ns, "ipr-ns-only")
	err = netns.Do(ns.Handle, func() error { _, err := net.InterfaceByName("ipr-ns-only"); return err })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.InterfaceByName("ipr-ns-only"); err == nil {
		t.Fatal("link created in the test's own namespace")
	}
}
