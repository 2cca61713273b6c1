package rtm

import (
	"bytes"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// rtobjGoldenSpecs build the requests of testdata/golden_rtobj (recorded
// by scripts/golden_rtobj.sh), by case name.
var rtobjGoldenSpecs = map[string]func(g *goldenEnc) changeRequest{
	"vlan-add": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANAddOp, BridgeVLANSpec{Index: g.idx("p0"), VID: 10})
	},
	"vlan-add-pvid-untagged": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANAddOp, BridgeVLANSpec{Index: g.idx("p0"), VID: 20, PVID: true, Untagged: true, Master: true})
	},
	"vlan-add-range": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANAddOp, BridgeVLANSpec{Index: g.idx("p0"), VID: 100, VIDEnd: 200, Untagged: true})
	},
	"vlan-add-self": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANAddOp, BridgeVLANSpec{Index: g.idx("br0"), VID: 30, Self: true})
	},
	"vlan-del": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANDelOp, BridgeVLANSpec{Index: g.idx("p0"), VID: 10})
	},
	"vlan-del-range": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANDelOp, BridgeVLANSpec{Index: g.idx("p0"), VID: 100, VIDEnd: 200})
	},
	"vlan-tunnel": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANAddOp, BridgeVLANSpec{Index: g.idx("vx0"), VID: 10, TunnelID: Some[uint32](1010)})
	},
	"vlan-tunnel-range": func(g *goldenEnc) changeRequest {
		return vlanReq(bridgeVLANAddOp, BridgeVLANSpec{Index: g.idx("vx0"), VID: 10, VIDEnd: 19, TunnelID: Some[uint32](1010)})
	},
	"vlan-set": func(g *goldenEnc) changeRequest {
		return &specRequest[BridgeVLANOptions, *BridgeVLANOptions]{bridgeVLANSetOp,
			BridgeVLANOptions{Index: g.idx("p0"), VID: 10, State: Some[uint8](3), MulticastRouter: Some[uint8](2)}}
	},
	"vlan-set-range": func(g *goldenEnc) changeRequest {
		return &specRequest[BridgeVLANOptions, *BridgeVLANOptions]{bridgeVLANSetOp,
			BridgeVLANOptions{Index: g.idx("p0"), VID: 10, VIDEnd: 20, State: Some[uint8](4)}}
	},
	"vlan-global": func(g *goldenEnc) changeRequest {
		ticks := func(n int) Opt[time.Duration] { return Some(time.Duration(n) * 10 * time.Millisecond) }
		return &specRequest[BridgeVLANGlobalOptions, *BridgeVLANGlobalOptions]{bridgeVLANGlobalSetOp,
			BridgeVLANGlobalOptions{Index: g.idx("br0"), VID: 10, MulticastSnooping: Some(true), MulticastQuerier: Some(true),
				IGMPVersion: Some[uint8](3), MLDVersion: Some[uint8](2), LastMemberCount: Some[uint32](3),
				StartupQueryCount: Some[uint32](4), LastMemberInterval: ticks(100), MembershipInterval: ticks(26000),
				QuerierInterval: ticks(25500), QueryInterval: ticks(12500), QueryResponseInterval: ticks(1000),
				StartupQueryInterval: ticks(3125)}}
	},
	"vlan-global-range": func(g *goldenEnc) changeRequest {
		return &specRequest[BridgeVLANGlobalOptions, *BridgeVLANGlobalOptions]{bridgeVLANGlobalSetOp,
			BridgeVLANGlobalOptions{Index: g.idx("br0"), VID: 10, VIDEnd: 20, MulticastSnooping: Some(false)}}
	},
	"mdb-add": func(g *goldenEnc) changeRequest {
		return &mdbRequest{mdbAddOp, MDBSpec{BridgeIndex: g.idx("br0"), PortIndex: g.idx("p0"), Group: netip.MustParseAddr("239.1.1.1"), Permanent: true}}
	},
	"mdb-add-temp-vid": func(g *goldenEnc) changeRequest {
		return &mdbRequest{mdbAddOp, MDBSpec{BridgeIndex: g.idx("br0"), PortIndex: g.idx("p0"), Group: netip.MustParseAddr("239.1.1.2"), VID: 10}}
	},
	"mdb-add-v6-src": func(g *goldenEnc) changeRequest {
		return &mdbRequest{mdbAddOp, MDBSpec{BridgeIndex: g.idx("br0"), PortIndex: g.idx("p0"), Group: netip.MustParseAddr("ff0e::1"),
			Source: netip.MustParseAddr("2001:db8::1"), Permanent: true}}
	},
	"mdb-add-src4": func(g *goldenEnc) changeRequest {
		return &mdbRequest{mdbAddOp, MDBSpec{BridgeIndex: g.idx("br0"), PortIndex: g.idx("p0"), Group: netip.MustParseAddr("232.1.1.1"),
			Source: netip.MustParseAddr("192.0.2.1")}}
	},
	"mdb-add-l2": func(g *goldenEnc) changeRequest {
		return &mdbRequest{mdbAddOp, MDBSpec{BridgeIndex: g.idx("br0"), PortIndex: g.idx("p0"),
			MAC: net.HardwareAddr{1, 0, 0x5e, 1, 2, 3}, Permanent: true}}
	},
	"mdb-del": func(g *goldenEnc) changeRequest {
		return &mdbRequest{mdbDelOp, MDBSpec{BridgeIndex: g.idx("br0"), PortIndex: g.idx("p0"), Group: netip.MustParseAddr("239.1.1.1"), Permanent: true}}
	},
	"vni-add": func(g *goldenEnc) changeRequest {
		return vniReq(vxlanVNIAddOp, VXLANVNISpec{Index: g.idx("vx0"), VNIs: []VNIRange{{Start: 100}}})
	},
	"vni-add-range-group": func(g *goldenEnc) changeRequest {
		return vniReq(vxlanVNIAddOp, VXLANVNISpec{Index: g.idx("vx0"), VNIs: []VNIRange{{200, 210}}, Group: netip.MustParseAddr("239.1.1.1")})
	},
	"vni-add-list-remote6": func(g *goldenEnc) changeRequest {
		return vniReq(vxlanVNIAddOp, VXLANVNISpec{Index: g.idx("vx0"), VNIs: []VNIRange{{Start: 500}, {600, 602}, {700, 700}},
			Group: netip.MustParseAddr("2001:db8::1")})
	},
	"vni-add-remote4": func(g *goldenEnc) changeRequest {
		return vniReq(vxlanVNIAddOp, VXLANVNISpec{Index: g.idx("vx0"), VNIs: []VNIRange{{Start: 7}}, Group: netip.MustParseAddr("192.0.2.1")})
	},
	"vni-del": func(g *goldenEnc) changeRequest {
		return vniReq(vxlanVNIDelOp, VXLANVNISpec{Index: g.idx("vx0"), VNIs: []VNIRange{{Start: 100}}})
	},
	"vni-del-range-group": func(g *goldenEnc) changeRequest {
		return vniReq(vxlanVNIDelOp, VXLANVNISpec{Index: g.idx("vx0"), VNIs: []VNIRange{{200, 210}}, Group: netip.MustParseAddr("239.1.1.1")})
	},
	"port-more": func(g *goldenEnc) changeRequest {
		return linkGolden{g, LinkSpec{Index: g.idx("p0"), Port: &BridgePort{BridgePortMore: BridgePortMore{
			FlushFDB: true, ProxyARPWiFi: Some(true), MulticastRouter: Some[uint8](2), MulticastToUnicast: Some(true),
			GroupFwdMask: Some[uint16](0x4000), VLANTunnel: Some(true), Locked: Some(true), BackupPort: Some(g.idx("p1")),
		}}}}
	},
	"port-nobackup": func(g *goldenEnc) changeRequest {
		return linkGolden{g, LinkSpec{Index: g.idx("p0"), Port: &BridgePort{BridgePortMore: BridgePortMore{
			MulticastRouter: Some[uint8](0), BackupPort: Some[int32](0),
		}}}}
	},
	"bond-port": func(g *goldenEnc) changeRequest {
		return linkGolden{g, LinkSpec{Index: g.idx("p0"), Port: &BondPort{QueueID: Some[uint16](3), Prio: Some[int32](7)}}}
	},
	"addrlabel-add": func(g *goldenEnc) changeRequest {
		return &addrLabelRequest{addrLabelAddOp, AddrLabelSpec{Prefix: netip.MustParsePrefix("2001:db8::/32"), Label: 100}}
	},
	"addrlabel-add-dev": func(g *goldenEnc) changeRequest {
		return &addrLabelRequest{addrLabelAddOp, AddrLabelSpec{Prefix: netip.MustParsePrefix("2001:db8:1::/48"), Index: g.idx("p0"), Label: 7}}
	},
	"addrlabel-del": func(g *goldenEnc) changeRequest {
		return &addrLabelRequest{addrLabelDelOp, AddrLabelSpec{Prefix: netip.MustParsePrefix("2001:db8::/32"), Label: 100}}
	},
}

// changeRequest is a request that encodes into a builder.
type changeRequest interface{ encode(b *wire.Builder) error }

// linkGolden is a link change, which the golden encoder builds.
type linkGolden struct {
	g *goldenEnc
	s LinkSpec
}

func (l linkGolden) encode(*wire.Builder) error { return l.g.set(l.s) }

func vlanReq(op change, s BridgeVLANSpec) changeRequest {
	return &specRequest[BridgeVLANSpec, *BridgeVLANSpec]{op, s}
}

func vniReq(op change, s VXLANVNISpec) changeRequest { return &vxlanVNIRequest{op, s} }

// TestRtobjRequestsMatchIproute2 builds each request captured from
// "bridge vlan", "bridge mdb" and "ip addrlabel" and compares it byte for
// byte; the requests the kernel's notifications share a layout with are
// decoded back through their views.
func TestRtobjRequestsMatchIproute2(t *testing.T) {
	golden.LittleEndianOnly(t, "the golden captures are")
	cases := golden.Read(t, "testdata/golden_rtobj/*.txt")
	golden.Match(t, cases, caseName, rtobjGoldenSpecs, "scripts/golden_rtobj.sh", func(t *testing.T, c golden.Case, build func(*goldenEnc) changeRequest) {
		g := &goldenEnc{links: c.Links, t: t}
		// iproute2 asks for an acknowledgement: Do adds the flag
		// when it sends.
		if err := build(g).encode(&g.b); err != nil {
			t.Fatalf("%s: %v", c.Cmd, err)
		}
		got := g.b.Bytes()
		if len(got) >= 8 {
			native.PutUint16(got[6:], native.Uint16(got[6:])|unix.NLM_F_REQUEST|unix.NLM_F_ACK)
		}
		if !bytes.Equal(got, c.Req) {
			t.Errorf("%s\nrtm:      %x\niproute2: %x", c.Cmd, got, c.Req)
		}
		decodeGoldenBack(t, c.Name, c.Req[unix.NLMSG_HDRLEN:], native.Uint16(c.Req[4:]))
	})
}

// decodeGoldenBack reads a captured request with the view of its message
// type, where the request has the notification's layout.
func decodeGoldenBack(t *testing.T, name string, payload []byte, typ uint16) {
	switch typ {
	case unix.RTM_NEWVLAN:
		v, err := BridgeVLANsFromBytes(payload)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for e := range v.Entries() {
			n++
			if e.VID != 10 || e.Flags != BridgeVLANOnlyOpts {
				t.Errorf("entry %+v", e)
			}
			if st, ok := e.State(); !ok || st < 3 {
				t.Errorf("state %d %v", st, ok)
			}
		}
		for o := range v.GlobalOptions() {
			n++
			snoop, ok := o.MulticastSnooping()
			if o.VID != 10 || !ok || snoop != (name == "vlan-global") {
				t.Errorf("global %+v snooping %v %v", o, snoop, ok)
			}
			if name == "vlan-global" {
				if d, ok := o.Interval(brvlanGoptsMcastQueryIntvl); !ok || d != 125*time.Second {
					t.Errorf("query interval %v", d)
				}
				if v, _ := o.IGMPVersion(); v != 3 {
					t.Errorf("igmp version %d", v)
				}
			}
		}
		if n != 1 || v.Index() <= 0 {
			t.Errorf("%d entries, index %d", n, v.Index())
		}
	case unix.RTM_NEWADDRLABEL, unix.RTM_DELADDRLABEL:
		l, err := AddrLabelFromBytes(payload)
		if err != nil {
			t.Fatal(err)
		}
		if label, ok := l.Label(); !ok || l.Prefix().Addr().Is4() || label == 0 {
			t.Errorf("label %v %d", l.Prefix(), label)
		}
	case unix.RTM_NEWTUNNEL, unix.RTM_DELTUNNEL:
		v, _ := VXLANVNIsFromBytes(payload)
		entries := slices.Collect(v.Entries())
		if len(entries) == 0 || v.Index() <= 0 || v.Family() != unix.AF_BRIDGE {
			t.Errorf("%d entries, index %d, family %d", len(entries), v.Index(), v.Family())
		}
		for _, e := range entries {
			if e.VNI == 0 || e.VNIEnd != 0 && e.VNIEnd < e.VNI || strings.Contains(name, "group") != e.Group.IsMulticast() {
				t.Errorf("entry %+v", e)
			}
		}
	case unix.RTM_NEWMDB, unix.RTM_DELMDB:
		// MDBA_SET_ENTRY has the layout of an entry's info.
		m, err := MDBFromBytes(payload)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := m.get(mdbaSetEntry)
		e, ok2 := decodeMDBEntry(a.Data)
		if !ok || !ok2 || e.PortIndex <= 0 || e.Group.IsValid() == (e.Proto == 0) {
			t.Errorf("entry %+v", e)
		}
	}
}

// TestBridgeVLANLinkDecode reads an AF_BRIDGE link message laid out as
// br_fill_ifinfo lays it out (this kernel has no VLAN filtering to send
// one): a compressed range, a single VLAN with flags, a tunnel mapping.
func TestBridgeVLANLinkDecode(t *testing.T) {
	var b wire.Builder
	b.Begin(unix.RTM_NEWLINK, 0)
	if ifi := b.Fixed(unix.SizeofIfInfomsg); ifi != nil {
		ifi[0] = unix.AF_BRIDGE
		native.PutUint32(ifi[4:], 4)
	}
	n := b.BeginNest(unix.IFLA_AF_SPEC)
	for _, v := range [][2]uint16{{BridgeVLANPVID | BridgeVLANUntagged, 1}, {BridgeVLANRangeBegin, 10}, {BridgeVLANRangeEnd, 20}} {
		b.Binary(uapi.IFLA_BRIDGE_VLAN_INFO, []byte{byte(v[0]), byte(v[0] >> 8), byte(v[1]), byte(v[1] >> 8)})
	}
	tn := b.BeginNest(uapi.IFLA_BRIDGE_VLAN_TUNNEL_INFO)
	b.Uint32(iflaBridgeTunnelID, 1010)
	b.Uint16(iflaBridgeTunnelVID, 10)
	b.Uint16(iflaBridgeTunnelFlags, 0)
	b.EndNest(tn)
	b.EndNest(n)
	b.End()
	l := builtView(t, &b, LinkFromBytes)
	var got []BridgeVLANInfo
	for v := range l.BridgeVLANInfos() {
		got = append(got, v)
	}
	if len(got) != 3 || got[0] != (BridgeVLANInfo{BridgeVLANPVID | BridgeVLANUntagged, 1}) || got[2].VID != 20 {
		t.Errorf("VLANs %+v", got)
	}
	for tun := range l.BridgeVLANTunnels() {
		if tun != (BridgeVLANTunnel{ID: 1010, VID: 10}) {
			t.Errorf("tunnel %+v", tun)
		}
	}
	// The MRoute view of a message laid out as ipmr_fill_mroute does.
	b.Reset(nil)
	b.Begin(unix.RTM_NEWROUTE, 0)
	if rt := b.Fixed(unix.SizeofRtMsg); rt != nil {
		copy(rt, []byte{RTNLFamilyIPMR, 32, 32, 0, unix.RT_TABLE_DEFAULT, unix.RTPROT_STATIC, 0, unix.RTN_MULTICAST})
	}
	b.Uint32(unix.RTA_TABLE, unix.RT_TABLE_DEFAULT)
	b.Binary(unix.RTA_SRC, []byte{192, 0, 2, 1})
	b.Binary(unix.RTA_DST, []byte{239, 1, 1, 1})
	b.Uint32(unix.RTA_IIF, 2)
	b.Binary(unix.RTA_MULTIPATH, []byte{8, 0, 0, 1, 3, 0, 0, 0, 8, 0, 0, 5, 4, 0, 0, 0})
	b.Binary(rtaMFCStats, make([]byte, 24))
	b.Uint64(unix.RTA_EXPIRES, 250)
	b.End()
	r := builtView(t, &b, MRouteFromBytes)
	var oifs []MRouteOif
	for o := range r.Oifs() {
		oifs = append(oifs, o)
	}
	age, _ := r.LastUse()
	if r.Origin().String() != "192.0.2.1" || r.Group().String() != "239.1.1.1" || r.InIndex() != 2 ||
		len(oifs) != 2 || oifs[1] != (MRouteOif{Index: 4, TTL: 5}) || age != 2500*time.Millisecond ||
		r.Table() != unix.RT_TABLE_DEFAULT || r.Unresolved() {
		t.Errorf("mroute %v %v iif %d oifs %+v age %v table %d", r.Origin(), r.Group(), r.InIndex(), oifs, age, r.Table())
	}
}
