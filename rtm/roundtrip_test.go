package rtm

// Round trips: each request encoder's output, decoded by the view of the
// message type, must give back every field of the spec. They need no
// kernel, so they also run on big-endian s390x under qemu (scripts/test.sh,
// step bigendian, runs the tests named TestRoundTrip*): the encoders and
// the views must agree on the byte order of every field, native and
// network.

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// encoded runs enc on a fresh Builder and returns the payload of the one
// message it must write, of type typ.
func encoded(t *testing.T, typ uint16, enc func(b *wire.Builder) error) []byte {
	t.Helper()
	var b wire.Builder
	if err := enc(&b); err != nil {
		t.Fatalf("encoding: %v", err)
	}
	if err := b.Err(); err != nil {
		t.Fatalf("builder: %v", err)
	}
	var data []byte
	n := 0
	for m, err := range wire.Messages(b.Bytes()) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Type != typ {
			t.Fatalf("message type %d, want %d", m.Header.Type, typ)
		}
		if m.Header.Flags&unix.NLM_F_REQUEST == 0 {
			t.Fatalf("flags %#x lack NLM_F_REQUEST", m.Header.Flags)
		}
		data = m.Data
		n++
	}
	if n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
	if fl := FixedLen(typ); len(data) < fl {
		t.Fatalf("payload of %d bytes, shorter than the %d-byte header", len(data), fl)
	}
	return data
}

// decoded encodes a request with enc (a spec's encode method) as a
// message of type typ with flags, and decodes it with from
// (RouteFromBytes, ...).
func decoded[V any](t *testing.T, typ, flags uint16, enc func(b *wire.Builder, typ, flags uint16) error, from func([]byte) (V, error)) V {
	t.Helper()
	v, err := from(encoded(t, typ, func(b *wire.Builder) error { return enc(b, typ, flags) }))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// builtView decodes the message built in b (the first, with its netlink
// header) with from (RouteFromBytes, ...).
func builtView[V any](t *testing.T, b *wire.Builder, from func([]byte) (V, error)) V {
	t.Helper()
	m, _, ok, err := wire.Next(b.Bytes())
	if err != nil || !ok {
		t.Fatalf("built message: %v", err)
	}
	v, err := from(m.Data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkField reports a field that did not come back.
func checkField[T comparable](t *testing.T, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", field, got, want)
	}
}

// checkOptField checks an optional field's getter, which returns the
// value and whether it is present: that it returns want and wantOK,
// reported as field and "field ok".
func checkOptField[T comparable](t *testing.T, field string, get func() (T, bool), want T, wantOK bool) {
	t.Helper()
	got, ok := get()
	checkField(t, field, got, want)
	checkField(t, field+" ok", ok, wantOK)
}

// attrData returns the payload of attribute typ of c, failing if it is absent.
func attrData(t *testing.T, c nla.Chain, typ uint16) []byte {
	t.Helper()
	a, ok := c.Get(typ)
	if !ok {
		t.Fatalf("attribute %d missing", typ)
	}
	return a.Data
}

// uintAttr decodes attribute typ of c as a native-endian integer of its
// size.
func uintAttr(t *testing.T, c nla.Chain, typ uint16) uint64 {
	t.Helper()
	d := attrData(t, c, typ)
	switch len(d) {
	case 1:
		return uint64(d[0])
	case 2:
		return uint64(binary.NativeEndian.Uint16(d))
	case 4:
		return uint64(binary.NativeEndian.Uint32(d))
	case 8:
		return binary.NativeEndian.Uint64(d)
	}
	t.Fatalf("attribute %d: %d bytes is no integer", typ, len(d))
	return 0
}

// beAttr decodes attribute typ of c as a big-endian integer of its size.
func beAttr(t *testing.T, c nla.Chain, typ uint16) uint64 {
	t.Helper()
	var n uint64
	for _, b := range attrData(t, c, typ) {
		n = n<<8 | uint64(b)
	}
	return n
}

func addrAttr(t *testing.T, c nla.Chain, typ uint16) netip.Addr {
	t.Helper()
	a, ok := netip.AddrFromSlice(attrData(t, c, typ))
	if !ok {
		t.Fatalf("attribute %d is no address", typ)
	}
	return a
}

// labelStack decodes an MPLS label stack (RFC 3032: 20-bit label, 3 traffic
// class bits, bottom-of-stack bit, 8-bit TTL, big-endian), checking that
// exactly the last entry is the bottom of the stack.
func labelStack(t *testing.T, b []byte) []uint32 {
	t.Helper()
	var out []uint32
	for i := 0; i+4 <= len(b); i += 4 {
		e := binary.BigEndian.Uint32(b[i:])
		if bos := e&0x100 != 0; bos != (i+4 == len(b)) {
			t.Errorf("label stack %x: bottom-of-stack bit wrong at entry %d", b, i/4)
		}
		out = append(out, e>>12)
	}
	if len(b)%4 != 0 {
		t.Errorf("label stack of %d bytes", len(b))
	}
	return out
}

func TestRoundTripRoute(t *testing.T) {
	metrics := RouteMetrics{
		Lock: 1<<unix.RTAX_MTU | 1<<unix.RTAX_ADVMSS, MTU: 1400, Window: 65535, RTT: 120, RTTVar: 30,
		SSThresh: 40, CWnd: 10, AdvMSS: 1360, Reordering: 3, HopLimit: 60, InitCWnd: 20, Features: 1,
		RTOMin: 50, InitRWnd: 30, QuickAck: 1, FastOpenNoCookie: 1, CongestionControl: "cubic",
	}
	for _, tc := range []struct {
		name string
		spec RouteSpec
	}{
		{"ipv4 every field", RouteSpec{
			Dst: netip.MustParsePrefix("198.51.100.0/24"), Table: 1000, Protocol: unix.RTPROT_STATIC,
			Type: unix.RTN_UNICAST, Scope: unix.RT_SCOPE_UNIVERSE, ScopeSet: true, TOS: 0x10, Priority: 20,
			Gateway: netip.MustParseAddr("192.0.2.1"), OutIndex: 3, PrefSrc: netip.MustParseAddr("192.0.2.7"),
			Flags: unix.RTNH_F_ONLINK, Metrics: metrics, MPLSEncap: []uint32{16, 1<<20 - 1},
		}},
		{"ipv4 default via ipv6", RouteSpec{
			Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: netip.MustParseAddr("fe80::1"), OutIndex: 2,
		}},
		{"ipv4 blackhole table 100", RouteSpec{
			Dst: netip.MustParsePrefix("203.0.113.0/25"), Table: 100, Type: unix.RTN_BLACKHOLE,
		}},
		{"ipv4 multipath", RouteSpec{
			Dst: netip.MustParsePrefix("10.0.0.0/8"), Priority: 5,
			NextHops: []RouteHopSpec{
				{Gateway: netip.MustParseAddr("192.0.2.1"), OutIndex: 2, Flags: unix.RTNH_F_ONLINK},
				{Gateway: netip.MustParseAddr("2001:db8::1"), OutIndex: 3, Weight: 256, MPLSEncap: []uint32{100, 200}},
				{OutIndex: 4, Weight: 3},
			},
		}},
		{"ipv6 source-specific", RouteSpec{
			Dst: netip.MustParsePrefix("2001:db8:100::/48"), Src: netip.MustParsePrefix("2001:db8:1::/64"),
			Gateway: netip.MustParseAddr("fe80::2"), OutIndex: 5, Pref: 1, PrefSet: true, Expires: 600,
			Metrics: RouteMetrics{MTU: 1280, HopLimit: 32},
		}},
		{"ipv6 multipath", RouteSpec{
			Dst: netip.MustParsePrefix("2001:db8:200::/48"),
			NextHops: []RouteHopSpec{
				{Gateway: netip.MustParseAddr("fe80::1"), OutIndex: 2, Weight: 1},
				{Gateway: netip.MustParseAddr("fe80::2"), OutIndex: 3, Weight: 7},
			},
		}},
		{"nexthop object", RouteSpec{Dst: netip.MustParsePrefix("192.0.2.128/25"), NHID: 7}},
		{"mpls", func() RouteSpec {
			s := MPLSRoute(100)
			s.NewLabels = []uint32{200, 300}
			s.Gateway = netip.MustParseAddr("192.0.2.1")
			s.OutIndex = 2
			return s
		}()},
		{"mpls via ipv6", func() RouteSpec {
			s := MPLSRoute(1<<20 - 1)
			s.Gateway = netip.MustParseAddr("2001:db8::9")
			s.OutIndex = 2
			return s
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			r := decoded(t, unix.RTM_NEWROUTE, routeAddFlags, s.encode, RouteFromBytes)
			checkRoute(t, r, &s)
		})
	}
}

func checkRoute(t *testing.T, r Route, s *RouteSpec) {
	t.Helper()
	table := s.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	checkField(t, "Table", r.Table(), table)
	if v, ok := r.Get("table"); !ok {
		t.Error(`Get("table") missing`)
	} else if n, _ := v.Uint(); n != uint64(table) {
		t.Errorf(`Get("table") = %d, want %d`, n, table)
	}
	if table > 255 {
		checkField(t, "rtm_table", r.Bytes()[4], 0)
	} else {
		checkField(t, "rtm_table", uint32(r.Bytes()[4]), table)
	}
	if s.Protocol != 0 {
		checkField(t, "Protocol", r.Protocol(), s.Protocol)
	}
	if s.Type != 0 {
		checkField(t, "Type", r.Type(), s.Type)
	}
	if s.ScopeSet {
		checkField(t, "Scope", r.Scope(), s.Scope)
	}
	checkField(t, "TOS", r.TOS(), s.TOS)
	checkField(t, "Flags", r.Flags(), s.Flags)
	checkField(t, "Priority", r.Priority(), s.Priority)
	checkField(t, "PrefSrc", r.PrefSrc(), s.PrefSrc)
	checkField(t, "OutIndex", r.OutIndex(), s.OutIndex)
	checkField(t, "Gateway", r.Gateway(), s.Gateway)
	checkField(t, "NHID", r.NHID(), s.NHID)
	checkField(t, "Metrics", r.Metrics(), s.Metrics)
	if s.Metrics.MTU != 0 {
		v, _ := r.Get("metrics", "mtu")
		n, ok := v.Uint()
		checkField(t, `Get("metrics", "mtu")`, n, uint64(s.Metrics.MTU))
		checkField(t, `Get("metrics", "mtu") ok`, ok, true)
	}
	checkOptField(t, "Pref", r.Pref, s.Pref, s.PrefSet)
	checkOptField(t, "Expires", r.Expires, s.Expires, s.Expires != 0)

	if s.mpls {
		checkField(t, "Family", r.Family(), unix.AF_MPLS)
		checkField(t, "DstLen", r.DstLen(), 20)
		checkOptField(t, "Label", r.Label, s.Label, true)
		if got := labelStack(t, attrData(t, r.Chain(), unix.RTA_DST)); !slices.Equal(got, []uint32{s.Label}) {
			t.Errorf("RTA_DST labels %v, want [%d]", got, s.Label)
		}
		if !slices.Equal(r.NewLabels(), s.NewLabels) {
			t.Errorf("NewLabels = %v, want %v", r.NewLabels(), s.NewLabels)
		}
		checkField(t, "Dst", r.Dst(), netip.Prefix{})
	} else {
		fam := uint8(unix.AF_INET6)
		if s.Dst.Addr().Is4() {
			fam = unix.AF_INET
		}
		checkField(t, "Family", r.Family(), fam)
		checkField(t, "Dst", r.Dst(), s.Dst)
		checkField(t, "DstLen", r.DstLen(), s.Dst.Bits())
		if s.Dst.Bits() == 0 {
			checkField(t, "DstAddr of a default route", r.DstAddr(), netip.Addr{})
		} else {
			checkField(t, "DstAddr", r.DstAddr(), s.Dst.Addr())
		}
		if s.Src.IsValid() {
			checkField(t, "Src", r.Src(), s.Src)
			checkField(t, "SrcLen", r.SrcLen(), s.Src.Bits())
		} else {
			checkField(t, "SrcLen", r.SrcLen(), 0)
		}
	}
	if typ, encap := r.Encap(); len(s.MPLSEncap) > 0 {
		checkField(t, "Encap type", typ, unix.LWTUNNEL_ENCAP_MPLS)
		if got := labelStack(t, attrData(t, encap, unix.MPLS_IPTUNNEL_DST)); !slices.Equal(got, s.MPLSEncap) {
			t.Errorf("Encap labels %v, want %v", got, s.MPLSEncap)
		}
	} else {
		checkField(t, "Encap type", typ, 0)
	}

	var hops []RouteHop
	for nh := range r.NextHops() {
		hops = append(hops, nh)
	}
	if len(hops) != len(s.NextHops) {
		t.Fatalf("%d next hops, want %d", len(hops), len(s.NextHops))
	}
	for i, nh := range hops {
		want := s.NextHops[i]
		w := want.Weight
		if w == 0 {
			w = 1
		}
		if nh.Gateway != want.Gateway || nh.Index != want.OutIndex || nh.Weight != w || nh.Flags != want.Flags {
			t.Errorf("next hop %d = %+v, want %+v", i, nh, want)
		}
		if len(want.MPLSEncap) > 0 {
			checkField(t, "hop encap type", nh.EncapType, unix.LWTUNNEL_ENCAP_MPLS)
			if got := labelStack(t, attrData(t, nh.Encap, unix.MPLS_IPTUNNEL_DST)); !slices.Equal(got, want.MPLSEncap) {
				t.Errorf("next hop %d labels %v, want %v", i, got, want.MPLSEncap)
			}
		} else if nh.EncapType != 0 || nh.Encap != nil {
			t.Errorf("next hop %d has encapsulation %d", i, nh.EncapType)
		}
	}
}

// TestRoundTripRouteDel checks the key fields of a delete, which leaves
// the protocol unset for the kernel to match any.
func TestRoundTripRouteDel(t *testing.T) {
	s := RouteSpec{Dst: netip.MustParsePrefix("0.0.0.0/0"), Table: 7, Priority: 9}
	r := decoded(t, unix.RTM_DELROUTE, 0, s.encode, RouteFromBytes)
	checkField(t, "Dst", r.Dst(), s.Dst)
	checkField(t, "DstAddr", r.DstAddr(), netip.IPv4Unspecified())
	checkField(t, "Table", r.Table(), 7)
	checkField(t, "Priority", r.Priority(), 9)
	checkField(t, "Protocol", r.Protocol(), 0)
}

func TestRoundTripAddr(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec AddrSpec
	}{
		{"ipv4 every field", AddrSpec{
			Index: 3, Prefix: netip.MustParsePrefix("192.0.2.1/24"), Broadcast: netip.MustParseAddr("192.0.2.255"),
			Label: "eth0:web", Scope: unix.RT_SCOPE_LINK, Flags: unix.IFA_F_NOPREFIXROUTE | unix.IFA_F_NODAD,
			ValidLifetime: 600, PreferredLifetime: 300, Protocol: 4, RoutePriority: 50,
		}},
		{"ipv4 peer", AddrSpec{
			Index: 4, Prefix: netip.MustParsePrefix("10.0.0.1/32"), Peer: netip.MustParsePrefix("10.0.0.2/30"),
		}},
		{"ipv6 small flags", AddrSpec{
			Index: 1 << 30, Prefix: netip.MustParsePrefix("2001:db8::1/64"), Flags: unix.IFA_F_NODAD,
			ValidLifetime: Forever, PreferredLifetime: 0,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			a := decoded(t, unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, s.encode, AddrFromBytes)
			fam := uint8(unix.AF_INET6)
			if s.Prefix.Addr().Is4() {
				fam = unix.AF_INET
			}
			checkField(t, "Family", a.Family(), fam)
			checkField(t, "Index", a.Index(), s.Index)
			checkField(t, "Local", a.Local(), s.Prefix.Addr())
			checkField(t, "IP", a.IP(), s.Prefix.Addr())
			checkField(t, "Scope", a.Scope(), s.Scope)
			checkField(t, "Flags", a.Flags(), s.Flags)
			checkField(t, "Broadcast", a.Broadcast(), s.Broadcast)
			checkField(t, "Label", a.Label(), s.Label)
			checkField(t, "Protocol", a.Protocol(), s.Protocol)
			checkField(t, "RoutePriority", a.RoutePriority(), s.RoutePriority)
			if s.Peer.IsValid() {
				checkField(t, "PrefixLen", a.PrefixLen(), s.Peer.Bits())
				checkField(t, "Address", a.Address(), s.Peer.Addr())
				checkField(t, "Peer", a.Peer(), s.Peer.Addr())
			} else {
				checkField(t, "PrefixLen", a.PrefixLen(), s.Prefix.Bits())
				checkField(t, "Prefix", a.Prefix(), s.Prefix)
				checkField(t, "Address", a.Address(), s.Prefix.Addr())
				checkField(t, "Peer", a.Peer(), netip.Addr{})
			}
			ci, ok := a.CacheInfo()
			checkField(t, "CacheInfo ok", ok, s.ValidLifetime != 0 || s.PreferredLifetime != 0)
			checkField(t, "Valid", ci.Valid, s.ValidLifetime)
			checkField(t, "Preferred", ci.Preferred, s.PreferredLifetime)
			if ok {
				v, _ := a.Get("cacheinfo", "ifa_valid")
				n, _ := v.Uint()
				checkField(t, `Get("cacheinfo", "ifa_valid")`, n, uint64(s.ValidLifetime))
			}
		})
	}
}

// checkNeigh checks what a neighbour and an FDB entry decode alike: the
// ndmsg's family, index, state and flags, and the NDA_DST and NDA_LLADDR
// addresses.
func checkNeigh(t *testing.T, n Neigh, family uint8, index int32, dst netip.Addr, lladdr net.HardwareAddr, state NeighState, flags uint8) {
	t.Helper()
	checkField(t, "Family", n.Family(), family)
	checkField(t, "Index", n.Index(), index)
	checkField(t, "Dst", n.Dst(), dst)
	checkField(t, "LLAddr", n.LLAddr().String(), lladdr.String())
	checkField(t, "State", n.State(), state)
	checkField(t, "Flags", n.Flags(), flags)
}

func TestRoundTripNeigh(t *testing.T) {
	for _, tc := range []struct {
		name      string
		spec      NeighSpec
		wantState NeighState
	}{
		{"ipv4 every field", NeighSpec{
			Index: 2, Dst: netip.MustParseAddr("192.0.2.5"), LLAddr: net.HardwareAddr{2, 0, 0, 0, 0, 5},
			State: unix.NUD_REACHABLE, Flags: unix.NTF_ROUTER, ExtFlags: NTFExtManaged, Protocol: unix.RTPROT_STATIC,
		}, unix.NUD_REACHABLE},
		{"ipv6 proxy", NeighSpec{
			Index: 7, Dst: netip.MustParseAddr("2001:db8::5"), Flags: unix.NTF_PROXY,
		}, unix.NUD_PERMANENT},
		{"infiniband address", NeighSpec{
			Index: 9, Dst: netip.MustParseAddr("192.0.2.6"), LLAddr: bytes.Repeat([]byte{0xab}, 20),
			State: unix.NUD_NOARP,
		}, unix.NUD_NOARP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			n := decoded(t, unix.RTM_NEWNEIGH, neighAddFlags, s.encode, NeighFromBytes)
			checkNeigh(t, n, ipFamily(s.Dst), s.Index, s.Dst, s.LLAddr, tc.wantState, s.Flags)
			checkField(t, "ExtFlags", n.ExtFlags(), s.ExtFlags)
			checkField(t, "Protocol", n.Protocol(), s.Protocol)
		})
	}
}

func TestRoundTripFDB(t *testing.T) {
	for _, tc := range []struct {
		name      string
		spec      FDBSpec
		wantState NeighState
		wantFlags uint8
	}{
		{"bridge port", FDBSpec{
			Index: 5, LLAddr: net.HardwareAddr{2, 0, 0, 0, 0, 1}, Flags: unix.NTF_MASTER | NTFSticky,
			State: unix.NUD_REACHABLE | unix.NUD_NOARP, VLAN: 4094,
		}, unix.NUD_REACHABLE | unix.NUD_NOARP, unix.NTF_MASTER | NTFSticky},
		{"vxlan remote", FDBSpec{
			Index: 6, LLAddr: net.HardwareAddr{0, 0, 0, 0, 0, 0}, Dst: netip.MustParseAddr("2001:db8::9"),
			Port: 4789, VNI: 1<<24 - 1, SrcVNI: 7, LinkIndex: 2,
		}, unix.NUD_NOARP | unix.NUD_PERMANENT, unix.NTF_SELF},
		{"nexthop group", FDBSpec{
			Index: 6, LLAddr: net.HardwareAddr{2, 0, 0, 0, 0, 2}, NHID: 9, Flags: unix.NTF_SELF | unix.NTF_EXT_LEARNED,
		}, unix.NUD_NOARP | unix.NUD_PERMANENT, unix.NTF_SELF | unix.NTF_EXT_LEARNED},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			n := decoded(t, unix.RTM_NEWNEIGH, neighAppendFlags, s.encode, NeighFromBytes)
			checkNeigh(t, n, unix.AF_BRIDGE, s.Index, s.Dst, s.LLAddr, tc.wantState, tc.wantFlags)
			checkOptField(t, "VLAN", n.VLAN, s.VLAN, s.VLAN != 0)
			checkOptField(t, "Port", n.Port, s.Port, s.Port != 0)
			checkOptField(t, "VNI", n.VNI, s.VNI, s.VNI != 0)
			checkOptField(t, "SrcVNI", n.SrcVNI, s.SrcVNI, s.SrcVNI != 0)
			checkField(t, "LinkIndex", n.LinkIndex(), s.LinkIndex)
			checkField(t, "NHID", n.NHID(), s.NHID)
		})
	}
}

func TestRoundTripRule(t *testing.T) {
	for _, tc := range []struct {
		name       string
		spec       RuleSpec
		wantAction uint8
		wantTable  uint32
	}{
		{"ipv4 every selector", RuleSpec{
			Priority: Some[uint32](100), Src: netip.MustParsePrefix("10.0.0.0/8"), Dst: netip.MustParsePrefix("192.0.2.0/24"),
			Table: 1000, Mark: 0x10, Mask: 0xff, IIFName: "eth0", OIFName: "veth-long-name", TOS: 0x10,
			Flags: unix.FIB_RULE_INVERT, UIDRange: Some(UIDRange{1000, 2000}), IPProto: unix.IPPROTO_TCP,
			SrcPorts: PortRange{1000, 2000}, DstPorts: PortRange{443, 443}, DstPortMask: 0xff00,
			SuppressPrefixLen: Some[uint32](0), SuppressIfGroup: Some[uint32](5), Flow: 0x00010002,
			TunID: 0x1122334455667788, Protocol: unix.RTPROT_STATIC,
		}, unix.FR_ACT_TO_TBL, 1000},
		{"ipv6 dscp, flow label, l3mdev", RuleSpec{
			Family: unix.AF_INET6, Priority: Some[uint32](0), DSCP: Some[uint8](10), DSCPMask: 0x3f,
			FlowLabel: 0x12345, FlowLabelMask: 0xfffff, L3MDev: true, SrcPortMask: 0xf, SrcPorts: PortRange{80, 80},
		}, unix.FR_ACT_TO_TBL, 0},
		{"goto", RuleSpec{Goto: 200, Mark: 0, Mask: 0xf0}, unix.FR_ACT_GOTO, 0},
		{"prohibit", RuleSpec{Action: unix.FR_ACT_PROHIBIT, Dst: netip.MustParsePrefix("2001:db8::/32")}, unix.FR_ACT_PROHIBIT, 0},
		{"main table", RuleSpec{Table: 0}, unix.FR_ACT_TO_TBL, unix.RT_TABLE_MAIN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			r := decoded(t, unix.RTM_NEWRULE, ruleAddFlags, s.encode, RuleFromBytes)
			checkField(t, "Family", r.Family(), s.family())
			checkField(t, "Action", r.Action(), tc.wantAction)
			checkField(t, "Table", r.Table(), tc.wantTable)
			checkField(t, "Src", r.Src(), s.Src)
			checkField(t, "Dst", r.Dst(), s.Dst)
			checkField(t, "SrcLen", r.SrcLen(), s.Src.Bits()*boolInt(s.Src.IsValid()))
			checkField(t, "DstLen", r.DstLen(), s.Dst.Bits()*boolInt(s.Dst.IsValid()))
			checkField(t, "TOS", r.TOS(), s.TOS)
			checkField(t, "Flags", r.Flags(), s.Flags)
			checkField(t, "Priority", r.Priority(), s.Priority.Or(0))
			_, hasPrio := r.Get("priority")
			checkField(t, "priority present", hasPrio, s.Priority.IsSet())
			checkField(t, "Mark", r.Mark(), s.Mark)
			checkOptField(t, "Mask", r.Mask, s.Mask, s.Mask != 0)
			checkField(t, "IIFName", r.IIFName(), s.IIFName)
			checkField(t, "OIFName", r.OIFName(), s.OIFName)
			checkField(t, "Goto", r.Goto(), s.Goto)
			checkField(t, "Flow", r.Flow(), s.Flow)
			checkField(t, "TunID", r.TunID(), s.TunID)
			checkField(t, "L3MDev", r.L3MDev(), s.L3MDev)
			checkField(t, "Protocol", r.Protocol(), s.Protocol)
			checkField(t, "IPProto", r.IPProto(), s.IPProto)
			optional := func(field string, got uint32, ok bool, want Opt[uint32]) {
				t.Helper()
				checkField(t, field, got, want.Or(0))
				checkField(t, field+" ok", ok, want.IsSet())
			}
			v, ok := r.SuppressPrefixLen()
			optional("SuppressPrefixLen", v, ok, s.SuppressPrefixLen)
			v, ok = r.SuppressIfGroup()
			optional("SuppressIfGroup", v, ok, s.SuppressIfGroup)
			checkOptField(t, "UIDRange", r.UIDRange, s.UIDRange.Or(UIDRange{}), s.UIDRange.IsSet())
			for _, p := range []struct {
				name     string
				get      func() (PortRange, bool)
				getMask  func() (uint16, bool)
				r        PortRange
				wantMask uint16
			}{{"SrcPorts", r.SrcPorts, r.SrcPortMask, s.SrcPorts, s.SrcPortMask}, {"DstPorts", r.DstPorts, r.DstPortMask, s.DstPorts, s.DstPortMask}} {
				got, ok := p.get()
				checkField(t, p.name, got, p.r)
				checkField(t, p.name+" ok", ok, p.r != PortRange{})
				m, ok := p.getMask()
				checkField(t, p.name+" mask", m, p.wantMask)
				checkField(t, p.name+" mask ok", ok, p.wantMask != 0)
			}
			checkOptField(t, "DSCP", r.DSCP, s.DSCP.Or(0), s.DSCP.IsSet())
			checkOptField(t, "DSCPMask", r.DSCPMask, s.DSCPMask, s.DSCPMask != 0)
			label, lmask, ok := r.FlowLabel()
			checkField(t, "FlowLabel", label, s.FlowLabel)
			checkField(t, "FlowLabel mask", lmask, s.FlowLabelMask)
			checkField(t, "FlowLabel ok", ok, s.FlowLabelMask != 0)
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRoundTripNexthop(t *testing.T) {
	var encap nla.Encoder
	encap.Binary(unix.MPLS_IPTUNNEL_DST, appendLabels(nil, []uint32{100, 200}))
	encap.Uint8(unix.MPLS_IPTUNNEL_TTL, 9)
	for _, tc := range []struct {
		name    string
		spec    NexthopSpec
		wantFam uint8
	}{
		{"ipv4 gateway", NexthopSpec{
			ID: 1, Gateway: netip.MustParseAddr("192.0.2.1"), OutIndex: 2, Flags: unix.RTNH_F_ONLINK, Protocol: unix.RTPROT_STATIC,
		}, unix.AF_INET},
		{"ipv6 with mpls encap", NexthopSpec{
			ID: 2, Gateway: netip.MustParseAddr("2001:db8::1"), OutIndex: 3, EncapType: unix.LWTUNNEL_ENCAP_MPLS, Encap: encap.Bytes(),
		}, unix.AF_INET6},
		{"device only", NexthopSpec{ID: 1 << 31, OutIndex: 4, Family: unix.AF_INET6}, unix.AF_INET6},
		{"blackhole", NexthopSpec{ID: 3, Blackhole: true}, unix.AF_INET},
		{"fdb", NexthopSpec{ID: 4, Gateway: netip.MustParseAddr("192.0.2.50"), FDB: true}, unix.AF_INET},
		{"multipath group", NexthopSpec{
			ID: 10, Group: []NexthopGroupMember{{ID: 1}, {ID: 2, Weight: 200}, {ID: 3, Weight: 256}, {ID: 4, Weight: 65535}},
		}, unix.AF_UNSPEC},
		{"resilient fdb group", NexthopSpec{
			ID: 11, FDB: true, Group: []NexthopGroupMember{{ID: 5, Weight: 1}, {ID: 6, Weight: 3}}, GroupType: NexthopGroupResilient,
			Resilience: NexthopResilience{Buckets: 32, IdleTimer: 60 * time.Second, UnbalancedTimer: 1230 * time.Millisecond},
		}, unix.AF_UNSPEC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			n := decoded(t, unix.RTM_NEWNEXTHOP, nexthopAddFlags, s.encode, NexthopFromBytes)
			checkField(t, "Family", n.Family(), tc.wantFam)
			checkField(t, "ID", n.ID(), s.ID)
			checkField(t, "Gateway", n.Gateway(), s.Gateway)
			checkField(t, "OutIndex", n.OutIndex(), s.OutIndex)
			checkField(t, "Flags", n.Flags(), s.Flags)
			checkField(t, "Protocol", n.Protocol(), s.Protocol)
			checkField(t, "Blackhole", n.Blackhole(), s.Blackhole)
			checkField(t, "FDB", n.FDB(), s.FDB)
			typ, c := n.Encap()
			checkField(t, "EncapType", typ, s.EncapType)
			if !bytes.Equal(c, s.Encap) {
				t.Errorf("Encap = %x, want %x", []byte(c), []byte(s.Encap))
			}
			checkField(t, "IsGroup", n.IsGroup(), len(s.Group) > 0)
			checkField(t, "GroupType", n.GroupType(), s.GroupType)
			var members []NexthopGroupMember
			for m := range n.Group() {
				members = append(members, m)
			}
			if len(members) != len(s.Group) {
				t.Fatalf("%d members, want %d", len(members), len(s.Group))
			}
			for i, m := range members {
				want := s.Group[i]
				want.Weight = max(want.Weight, 1)
				checkField(t, "member", m, want)
			}
			r, ok := n.Resilience()
			checkField(t, "Resilience ok", ok, s.GroupType == NexthopGroupResilient)
			checkField(t, "Resilience", r, s.Resilience)
		})
	}
}

// encodedLink encodes a link request as LinkAdd (create) or LinkSet does.
func encodedLink(t *testing.T, create bool, s *LinkSpec) Link {
	t.Helper()
	flags := uint16(0)
	if create {
		flags = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	}
	l, err := LinkFromBytes(encoded(t, unix.RTM_NEWLINK, func(b *wire.Builder) error {
		c := linkCtx{b: b, create: create}
		defer c.close()
		return encodeLink(&c, unix.RTM_NEWLINK, flags, s)
	}))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// kindData returns the raw IFLA_INFO_KIND and the IFLA_INFO_DATA chain. The
// kind is checked raw: requests carry it without the NUL that Kind
// expects of the kernel's replies, as iproute2 sends it.
func kindData(t *testing.T, l Link, kind string) nla.Chain {
	t.Helper()
	k, _ := l.Chain().Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_KIND)
	if got, _, _ := bytes.Cut(k.Data, []byte{0}); string(got) != kind {
		t.Errorf("IFLA_INFO_KIND %q, want %q", k.Data, kind)
	}
	return l.KindData()
}

func TestRoundTripLinkCommon(t *testing.T) {
	s := LinkSpec{
		Name: "veth0", MTU: 1400, Address: net.HardwareAddr{2, 0, 0, 0, 0, 1}, Broadcast: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		TxQueueLen: Some[uint32](0), Up: Some(true), ARP: Some(false), Promisc: Some(false), AllMulticast: Some(true),
		Master: Some[int32](7), NumTxQueues: 4, NumRxQueues: 2, Group: Some[uint32](0), Alias: Some("uplink"),
		Netns: NetnsByPID(1),
		Kind:  &Veth{Peer: &LinkSpec{Name: "veth1", MTU: 1300, Address: net.HardwareAddr{2, 0, 0, 0, 0, 2}, Up: Some(false), Netns: NetnsByFd(9)}},
	}
	l := encodedLink(t, true, &s)
	checkField(t, "Index", l.Index(), 0)
	checkField(t, "Name", l.Name(), s.Name)
	checkField(t, "NameIs", l.NameIs(s.Name), true)
	checkField(t, "MTU", l.MTU(), s.MTU)
	checkField(t, "HardwareAddr", l.HardwareAddr().String(), s.Address.String())
	checkField(t, "Broadcast", l.Broadcast().String(), s.Broadcast.String())
	checkField(t, "TxQueueLen", l.TxQueueLen(), 0)
	if _, ok := l.Get("txqlen"); !ok {
		t.Error("TxQueueLen Some(0) not sent")
	}
	checkField(t, "Flags", l.Flags(), unix.IFF_UP|unix.IFF_NOARP|unix.IFF_ALLMULTI)
	checkField(t, "Change", l.Change(), unix.IFF_UP|unix.IFF_NOARP|unix.IFF_PROMISC|unix.IFF_ALLMULTI)
	checkField(t, "IsUp", l.IsUp(), true)
	checkField(t, "MasterIndex", l.MasterIndex(), 7)
	checkField(t, "NumTxQueues", l.NumTxQueues(), s.NumTxQueues)
	checkField(t, "NumRxQueues", l.NumRxQueues(), s.NumRxQueues)
	checkField(t, "Group", l.Group(), 0)
	if _, ok := l.Get("group"); !ok {
		t.Error("Group Some(0) not sent")
	}
	checkField(t, "alias", string(attrData(t, l.Chain(), unix.IFLA_IFALIAS)), "uplink")
	checkField(t, "netns pid", uintAttr(t, l.Chain(), unix.IFLA_NET_NS_PID), 1)

	data := kindData(t, l, "veth")
	peer, err := LinkFromBytes(attrData(t, data, vethInfoPeer))
	if err != nil {
		t.Fatal(err)
	}
	checkField(t, "peer Name", peer.Name(), "veth1")
	checkField(t, "peer MTU", peer.MTU(), 1300)
	checkField(t, "peer HardwareAddr", peer.HardwareAddr().String(), "02:00:00:00:00:02")
	checkField(t, "peer Flags", peer.Flags(), 0)
	checkField(t, "peer Change", peer.Change(), unix.IFF_UP)
	checkField(t, "peer netns fd", uintAttr(t, peer.Chain(), unix.IFLA_NET_NS_FD), 9)
}

func TestRoundTripLinkSetAndDel(t *testing.T) {
	l := encodedLink(t, false, &LinkSpec{Index: 12, Name: "wan0", Master: Some[int32](0), Alias: Some("")})
	checkField(t, "Index", l.Index(), 12)
	checkField(t, "Name", l.Name(), "wan0")
	checkField(t, "MasterIndex", l.MasterIndex(), 0)
	if _, ok := l.Get("master"); !ok {
		t.Error("Master Some(0) (nomaster) not sent")
	}
	checkField(t, "alias length", len(attrData(t, l.Chain(), unix.IFLA_IFALIAS)), 0)

	d, err := LinkFromBytes(encoded(t, unix.RTM_DELLINK, func(b *wire.Builder) error {
		c := linkCtx{b: b}
		return encodeLink(&c, unix.RTM_DELLINK, 0, &LinkSpec{Index: 1<<31 - 1})
	}))
	if err != nil {
		t.Fatal(err)
	}
	checkField(t, "deleted Index", d.Index(), 1<<31-1)
}

func TestRoundTripLinkKinds(t *testing.T) {
	type field struct {
		typ  uint16
		want uint64
		be   bool // network byte order
	}
	for _, tc := range []struct {
		name   string
		spec   LinkSpec
		kind   string
		fields []field
		addrs  map[uint16]netip.Addr
		raw    map[uint16][]byte
	}{
		{name: "vxlan", kind: "vxlan", spec: LinkSpec{Name: "vx0", Kind: &Vxlan{
			VNI: 1<<24 - 1, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"), Dev: 3,
			TTL: Some[uint8](64), TOS: Some[uint8](1), SrcPortMin: 1000, SrcPortMax: 0xfffe, Ageing: Some(300 * time.Second),
			MaxAddresses: Some[uint32](100), Proxy: Some(true), L2Miss: Some(false), UDPChecksum: Some(true), Port: 4789,
		}}, fields: []field{
			{typ: unix.IFLA_VXLAN_ID, want: 1<<24 - 1}, {typ: unix.IFLA_VXLAN_LINK, want: 3}, {typ: unix.IFLA_VXLAN_TTL, want: 64},
			{typ: unix.IFLA_VXLAN_TOS, want: 1}, {typ: unix.IFLA_VXLAN_AGEING, want: 300}, {typ: unix.IFLA_VXLAN_LIMIT, want: 100},
			{typ: unix.IFLA_VXLAN_PROXY, want: 1}, {typ: unix.IFLA_VXLAN_L2MISS, want: 0}, {typ: unix.IFLA_VXLAN_UDP_CSUM, want: 1},
			{typ: unix.IFLA_VXLAN_LEARNING, want: 1}, {typ: unix.IFLA_VXLAN_PORT, want: 4789, be: true},
			{typ: unix.IFLA_VXLAN_PORT_RANGE, want: 1000<<16 | 0xfffe, be: true},
		}, addrs: map[uint16]netip.Addr{unix.IFLA_VXLAN_LOCAL: netip.MustParseAddr("192.0.2.1"), unix.IFLA_VXLAN_GROUP: netip.MustParseAddr("192.0.2.2")}},
		{name: "vxlan ipv6 group", kind: "vxlan", spec: LinkSpec{Name: "vx1", Kind: &Vxlan{
			VNI: 7, Group: netip.MustParseAddr("ff05::1"), Local: netip.MustParseAddr("2001:db8::1"), Learning: Some(false),
		}}, fields: []field{{typ: unix.IFLA_VXLAN_ID, want: 7}, {typ: unix.IFLA_VXLAN_LEARNING, want: 0}},
			addrs: map[uint16]netip.Addr{unix.IFLA_VXLAN_LOCAL6: netip.MustParseAddr("2001:db8::1"), unix.IFLA_VXLAN_GROUP6: netip.MustParseAddr("ff05::1")}},
		{name: "bridge", kind: "bridge", spec: LinkSpec{Name: "br0", Kind: &Bridge{
			ForwardDelay: Some(15 * time.Second), HelloTime: Some(2 * time.Second), MaxAge: Some(20 * time.Second),
			AgeingTime: Some(300 * time.Second), STP: Some(true), Priority: Some[uint16](0x8000), VlanFiltering: Some(true),
			VlanProtocol: Some[uint16](unix.ETH_P_8021AD), GroupFwdMask: Some[uint16](0), DefaultPVID: Some[uint16](4094),
			VlanStats: Some(true), MulticastRouter: Some[uint8](2), MulticastSnooping: Some(false), MulticastQuerier: Some(true),
			NFCallIPTables: Some(true), NFCallIP6Tables: Some(false), NFCallARPTables: Some(true),
		}}, fields: []field{
			{typ: unix.IFLA_BR_FORWARD_DELAY, want: 1500}, {typ: unix.IFLA_BR_HELLO_TIME, want: 200}, {typ: unix.IFLA_BR_MAX_AGE, want: 2000},
			{typ: unix.IFLA_BR_AGEING_TIME, want: 30000}, {typ: unix.IFLA_BR_STP_STATE, want: 1}, {typ: unix.IFLA_BR_PRIORITY, want: 0x8000},
			{typ: unix.IFLA_BR_VLAN_FILTERING, want: 1}, {typ: unix.IFLA_BR_VLAN_PROTOCOL, want: unix.ETH_P_8021AD, be: true},
			{typ: unix.IFLA_BR_GROUP_FWD_MASK, want: 0}, {typ: unix.IFLA_BR_VLAN_DEFAULT_PVID, want: 4094},
			{typ: unix.IFLA_BR_VLAN_STATS_ENABLED, want: 1}, {typ: unix.IFLA_BR_MCAST_ROUTER, want: 2},
			{typ: unix.IFLA_BR_MCAST_SNOOPING, want: 0}, {typ: unix.IFLA_BR_MCAST_QUERIER, want: 1},
			{typ: unix.IFLA_BR_NF_CALL_IPTABLES, want: 1}, {typ: unix.IFLA_BR_NF_CALL_IP6TABLES, want: 0},
			{typ: unix.IFLA_BR_NF_CALL_ARPTABLES, want: 1},
		}},
		{name: "vlan", kind: "vlan", spec: LinkSpec{Name: "eth0.100", Parent: 2, Kind: &Vlan{
			ID: 4094, Protocol: unix.ETH_P_8021AD, ReorderHeader: Some(true), GVRP: Some(false), BridgeBinding: Some(true),
		}}, fields: []field{{typ: unix.IFLA_VLAN_ID, want: 4094}, {typ: unix.IFLA_VLAN_PROTOCOL, want: unix.ETH_P_8021AD, be: true}},
			raw: map[uint16][]byte{unix.IFLA_VLAN_FLAGS: vlanFlags(vlanFlagReorderHdr|vlanFlagBridgeBinding,
				vlanFlagReorderHdr|vlanFlagGVRP|vlanFlagBridgeBinding)}},
		{name: "bond", kind: "bond", spec: LinkSpec{Name: "bond0", Kind: &Bond{
			Mode: Some(BondActiveBackup), Miimon: Some(100 * time.Millisecond), UpDelay: Some(200 * time.Millisecond),
			DownDelay: Some(time.Second), ARPInterval: Some(0 * time.Millisecond),
			ARPIPTargets: []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")},
			FailOverMAC:  Some[uint8](2), LACPRate: Some[uint8](1), XmitHashPolicy: Some(BondHashLayer34),
			MinLinks: Some[uint32](1), ADSelect: Some[uint8](2),
		}}, fields: []field{
			{typ: unix.IFLA_BOND_MODE, want: 1}, {typ: unix.IFLA_BOND_MIIMON, want: 100}, {typ: unix.IFLA_BOND_UPDELAY, want: 200},
			{typ: unix.IFLA_BOND_DOWNDELAY, want: 1000}, {typ: unix.IFLA_BOND_ARP_INTERVAL, want: 0},
			{typ: unix.IFLA_BOND_FAIL_OVER_MAC, want: 2}, {typ: unix.IFLA_BOND_AD_LACP_RATE, want: 1},
			{typ: unix.IFLA_BOND_XMIT_HASH_POLICY, want: 1}, {typ: unix.IFLA_BOND_MIN_LINKS, want: 1}, {typ: unix.IFLA_BOND_AD_SELECT, want: 2},
		}},
		{name: "macvtap", kind: "macvtap", spec: LinkSpec{Name: "mvt0", Parent: 2, Kind: &Macvlan{Mode: MacvlanPassthru, Flags: Some(MacvlanNoPromisc), Tap: true}},
			fields: []field{{typ: unix.IFLA_MACVLAN_MODE, want: uint64(MacvlanPassthru)}, {typ: unix.IFLA_MACVLAN_FLAGS, want: uint64(MacvlanNoPromisc)}}},
		{name: "ipvlan", kind: "ipvlan", spec: LinkSpec{Name: "ipv0", Parent: 2, Kind: &IPVlan{Mode: Some(IPVlanL3S), Flag: Some(IPVlanVEPA)}},
			fields: []field{{typ: unix.IFLA_IPVLAN_MODE, want: uint64(IPVlanL3S)}, {typ: unix.IFLA_IPVLAN_FLAGS, want: 2}}},
		{name: "ip6gretap", kind: "ip6gretap", spec: LinkSpec{Name: "gt0", Kind: &GRE{
			IPv6: true, Tap: true, Local: netip.MustParseAddr("2001:db8::1"), Remote: netip.MustParseAddr("2001:db8::2"),
			IKey: Some[uint32](0xdeadbeef), OKey: Some[uint32](6), OCsum: true, TTL: Some[uint8](10), Dev: 2, FwMark: 9,
		}}, fields: []field{
			{typ: iflaGreIkey, want: 0xdeadbeef, be: true}, {typ: iflaGreOkey, want: 6, be: true},
			{typ: iflaGreIflags, want: greFlagKey, be: true}, {typ: iflaGreOflags, want: greFlagKey | greFlagCsum, be: true},
			{typ: iflaGreTTL, want: 10}, {typ: iflaGreLink, want: 2}, {typ: iflaGreFwmark, want: 9},
		}, addrs: map[uint16]netip.Addr{iflaGreLocal: netip.MustParseAddr("2001:db8::1"), iflaGreRemote: netip.MustParseAddr("2001:db8::2")}},
		{name: "sit", kind: "sit", spec: LinkSpec{Name: "sit1", Kind: &SIT{
			Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"), TTL: 64, TOS: 1, Dev: 3, FwMark: 4,
		}}, fields: []field{
			{typ: uapi.IFLA_IPTUN_TTL, want: 64}, {typ: uapi.IFLA_IPTUN_TOS, want: 1}, {typ: uapi.IFLA_IPTUN_LINK, want: 3}, {typ: uapi.IFLA_IPTUN_FWMARK, want: 4},
			{typ: uapi.IFLA_IPTUN_PMTUDISC, want: 1},
		}, addrs: map[uint16]netip.Addr{uapi.IFLA_IPTUN_LOCAL: netip.MustParseAddr("192.0.2.1"), uapi.IFLA_IPTUN_REMOTE: netip.MustParseAddr("192.0.2.2")}},
		{name: "geneve", kind: "geneve", spec: LinkSpec{Name: "gnv0", Kind: &Geneve{
			VNI: 5000, Remote: netip.MustParseAddr("2001:db8::5"), TTL: 3, TOS: 4, Label: 0xfffff, Port: 6082, UDPChecksum: Some(true),
		}}, fields: []field{
			{typ: unix.IFLA_GENEVE_ID, want: 5000}, {typ: unix.IFLA_GENEVE_TTL, want: 3}, {typ: unix.IFLA_GENEVE_TOS, want: 4},
			{typ: unix.IFLA_GENEVE_LABEL, want: 0xfffff, be: true}, {typ: unix.IFLA_GENEVE_PORT, want: 6082, be: true},
			{typ: unix.IFLA_GENEVE_UDP_CSUM, want: 1},
		}, addrs: map[uint16]netip.Addr{unix.IFLA_GENEVE_REMOTE6: netip.MustParseAddr("2001:db8::5")}},
		{name: "vrf", kind: "vrf", spec: LinkSpec{Name: "vrf-blue", Kind: &VRF{Table: 1 << 31}},
			fields: []field{{typ: unix.IFLA_VRF_TABLE, want: 1 << 31}}},
		{name: "dummy", kind: "dummy", spec: LinkSpec{Name: "d0", Kind: &Dummy{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := encodedLink(t, true, &tc.spec)
			checkField(t, "Name", l.Name(), tc.spec.Name)
			checkField(t, "ParentIndex", l.ParentIndex(), tc.spec.Parent)
			data := kindData(t, l, tc.kind)
			if len(tc.fields)+len(tc.addrs)+len(tc.raw) == 0 && data != nil {
				t.Errorf("IFLA_INFO_DATA %x sent without options", []byte(data))
			}
			for _, f := range tc.fields {
				got := uintAttr
				if f.be {
					got = beAttr
				}
				if v := got(t, data, f.typ); v != f.want {
					t.Errorf("attribute %d = %d, want %d", f.typ, v, f.want)
				}
			}
			for typ, want := range tc.addrs {
				checkField(t, "address attribute", addrAttr(t, data, typ), want)
			}
			for typ, want := range tc.raw {
				if got := attrData(t, data, typ); !bytes.Equal(got, want) {
					t.Errorf("attribute %d = %x, want %x", typ, got, want)
				}
			}
		})
	}
}

// vlanFlags lays out struct ifla_vlan_flags.
func vlanFlags(flags, mask uint32) []byte {
	return binary.NativeEndian.AppendUint32(binary.NativeEndian.AppendUint32(nil, flags), mask)
}

func TestRoundTripBondTargets(t *testing.T) {
	targets := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.2"), netip.MustParseAddr("203.0.113.3")}
	l := encodedLink(t, true, &LinkSpec{Name: "bond1", Kind: &Bond{ARPIPTargets: targets}})
	var got []netip.Addr
	for a := range nla.Chain(attrData(t, kindData(t, l, "bond"), unix.IFLA_BOND_ARP_IP_TARGET)).All() {
		ip, err := a.Addr()
		if err != nil {
			t.Fatal(err)
		}
		checkField(t, "target index", int(a.Kind()), len(got))
		got = append(got, ip)
	}
	if !slices.Equal(got, targets) {
		t.Errorf("ARP targets %v, want %v", got, targets)
	}
}

func TestRoundTripBridgePort(t *testing.T) {
	l := encodedLink(t, false, &LinkSpec{Index: 5, Port: &BridgePort{
		State: Some[uint8](3), Priority: Some[uint16](32), Cost: Some[uint32](1 << 20), Guard: Some(true), Hairpin: Some(false),
		FastLeave: Some(true), RootBlock: Some(false), Learning: Some(false), Flood: Some(true), MulticastFlood: Some(false),
		BroadcastFlood: Some(true), ProxyARP: Some(false), NeighSuppress: Some(true), Isolated: Some(true),
	}})
	checkField(t, "Index", l.Index(), 5)
	kindData(t, l, "bridge_slave")
	data := l.PortData()
	for _, f := range []struct {
		typ  uint16
		want uint64
	}{
		{unix.IFLA_BRPORT_STATE, 3}, {unix.IFLA_BRPORT_PRIORITY, 32}, {unix.IFLA_BRPORT_COST, 1 << 20},
		{unix.IFLA_BRPORT_GUARD, 1}, {unix.IFLA_BRPORT_MODE, 0}, {unix.IFLA_BRPORT_FAST_LEAVE, 1},
		{unix.IFLA_BRPORT_PROTECT, 0}, {unix.IFLA_BRPORT_LEARNING, 0}, {unix.IFLA_BRPORT_UNICAST_FLOOD, 1},
		{unix.IFLA_BRPORT_MCAST_FLOOD, 0}, {unix.IFLA_BRPORT_BCAST_FLOOD, 1}, {unix.IFLA_BRPORT_PROXYARP, 0},
		{unix.IFLA_BRPORT_NEIGH_SUPPRESS, 1}, {unix.IFLA_BRPORT_ISOLATED, 1},
	} {
		if v := uintAttr(t, data, f.typ); v != f.want {
			t.Errorf("IFLA_BRPORT attribute %d = %d, want %d", f.typ, v, f.want)
		}
	}
}
