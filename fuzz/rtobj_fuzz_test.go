package fuzz

import (
	"testing"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// The targets of the other RTNL objects' views: netconf, address labels,
// namespace ids, the bridge's multicast database and VLANs, link
// statistics and multicast routes. Their seeds are kernel replies
// (internal/capture) where this kernel has the object, and otherwise
// messages laid out as the kernel's fill functions lay them out (synth-*)
// or iproute2's requests, which share the notifications' layout
// (iproute2-*).

func FuzzRtmNetconf(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Netconf]{
		view: "Netconf", msgType: unix.RTM_NEWNETCONF, decode: rtm.NetconfFromBytes,
		schemaNames: []string{"ifindex", "forwarding", "rp_filter", "proxy_neigh"},
		features:    []string{"IPv4", "IPv6", "all", "default", "forwarding on"},
		check: func(t *testing.T, cov *coverage, b []byte, c rtm.Netconf) {
			fatalIf(t, c.Family() != b[0], "netconfmsg misread")
			cov.family(c.Family(), unix.AF_INET, unix.AF_INET6)
			switch c.Index() {
			case rtm.NetconfIndexAll:
				cov.hit("all")
			case rtm.NetconfIndexDefault:
				cov.hit("default")
			}
			if v, ok := c.Forwarding(); ok && v != 0 {
				cov.hit("forwarding on")
			}
		},
	})
}

func FuzzRtmAddrLabel(f *testing.F) {
	fuzzView(f, viewTarget[rtm.AddrLabel]{
		view: "AddrLabel", msgType: unix.RTM_NEWADDRLABEL, decode: rtm.AddrLabelFromBytes,
		schemaNames: []string{"address", "label"},
		features:    []string{"prefix", "interface"},
		check: func(t *testing.T, cov *coverage, b []byte, l rtm.AddrLabel) {
			fatalIf(t, l.Family() != b[0] || l.PrefixLen() != b[2] || l.Flags() != b[3] ||
				l.Index() != int32(native.Uint32(b[4:])) || l.Seq() != native.Uint32(b[8:]), "ifaddrlblmsg misread")
			if p := l.Prefix(); p.IsValid() {
				fatalIf(t, p.Bits() != int(b[2]) || p.Addr() != l.Address(), "prefix %v", p)
				cov.hit("prefix")
			}
			if l.Index() != 0 {
				cov.hit("interface")
			}
		},
	})
}

func FuzzRtmNetnsID(f *testing.F) {
	fuzzView(f, viewTarget[rtm.NetnsID]{
		view: "NetnsID", msgType: unix.RTM_NEWNSID, decode: rtm.NetnsIDFromBytes,
		schemaNames: []string{"nsid", "current_nsid"},
		features:    []string{"id"},
		check: func(t *testing.T, cov *coverage, b []byte, n rtm.NetnsID) {
			if _, ok := n.Get("nsid"); ok {
				cov.hit("id")
			} else {
				fatalIf(t, n.ID() != rtm.NetnsIDAuto, "ID %d without NETNSA_NSID", n.ID())
			}
		},
	})
}

func FuzzRtmMDB(f *testing.F) {
	fuzzView(f, viewTarget[rtm.MDB]{
		view: "MDB", msgType: unix.RTM_NEWMDB, decode: rtm.MDBFromBytes,
		schemaNames: []string{"mdb", "router"},
		features:    []string{"IPv4 group", "IPv6 group", "MAC group", "source", "timer"},
		check: func(t *testing.T, cov *coverage, b []byte, m rtm.MDB) {
			fatalIf(t, m.Family() != b[0] || m.Index() != int32(native.Uint32(b[4:])), "br_port_msg misread")
			for e := range m.Entries() {
				fatalIf(t, e.BridgeIndex != m.Index(), "entry of bridge %d in message of %d", e.BridgeIndex, m.Index())
				switch {
				case e.Group.Is4():
					cov.hit("IPv4 group")
				case e.Group.Is6():
					cov.hit("IPv6 group")
				default:
					fatalIf(t, e.Proto == unix.ETH_P_IP || e.Proto == unix.ETH_P_IPV6, "IP entry without group")
					cov.hit("MAC group")
				}
				if e.Source().IsValid() {
					cov.hit("source")
				}
				if _, ok := e.Timer(); ok {
					cov.hit("timer")
				}
				e.GroupMode()
				e.Protocol()
				for range e.Sources() {
				}
			}
		},
	})
}

func FuzzRtmBridgeVLANs(f *testing.F) {
	fuzzView(f, viewTarget[rtm.BridgeVLANs]{
		view: "BridgeVLANs", msgType: unix.RTM_NEWVLAN, decode: rtm.BridgeVLANsFromBytes,
		schemaNames: []string{"entry", "global_options"},
		features:    []string{"range", "stats", "tunnel", "global"},
		check: func(t *testing.T, cov *coverage, b []byte, v rtm.BridgeVLANs) {
			fatalIf(t, v.Family() != b[0] || v.Index() != int32(native.Uint32(b[4:])), "br_vlan_msg misread")
			for e := range v.Entries() {
				fatalIf(t, e.VIDEnd < e.VID, "range %d-%d", e.VID, e.VIDEnd)
				if e.VIDEnd > e.VID {
					cov.hit("range")
				}
				if _, ok := e.Stats(); ok {
					cov.hit("stats")
				}
				if _, ok := e.TunnelID(); ok {
					cov.hit("tunnel")
				}
				e.State()
				e.MulticastRouter()
				e.MulticastGroups()
				e.NeighSuppress()
			}
			for g := range v.GlobalOptions() {
				fatalIf(t, g.VIDEnd < g.VID, "range %d-%d", g.VID, g.VIDEnd)
				cov.hit("global")
				g.MulticastSnooping()
				g.MulticastQuerier()
				g.IGMPVersion()
				g.MLDVersion()
				g.MSTI()
				for typ := uint16(0); typ < 20; typ++ {
					g.Interval(typ)
				}
			}
		},
	})
}

func FuzzRtmLinkStats(f *testing.F) {
	fuzzView(f, viewTarget[rtm.LinkStats]{
		view: "LinkStats", msgType: unix.RTM_NEWSTATS, decode: rtm.LinkStatsFromBytes,
		schemaNames: []string{"link_64", "link_xstats", "link_xstats_slave", "link_offload_xstats"},
		features:    []string{"link", "bridge", "bridge port", "offload"},
		check: func(t *testing.T, cov *coverage, b []byte, s rtm.LinkStats) {
			fatalIf(t, s.Family() != b[0] || s.Index() != int32(native.Uint32(b[4:])) ||
				s.FilterMask() != native.Uint32(b[8:]), "if_stats_msg misread")
			if _, ok := s.Link64(); ok {
				cov.hit("link")
			}
			for _, slave := range []bool{false, true} {
				_, stp := s.BridgeSTP(slave)
				_, mc := s.BridgeMcast(slave)
				if stp || mc {
					cov.hit(map[bool]string{false: "bridge", true: "bridge port"}[slave])
				}
				for range s.BridgeVLANs(slave) {
				}
				s.Bond3AD(slave)
			}
			if _, _, ok := s.L3StatsInfo(); ok {
				cov.hit("offload")
			}
			s.L3Stats()
			s.CPUHit()
			s.MPLS()
			for _, af := range []uint8{unix.AF_INET, unix.AF_INET6, unix.AF_MPLS} {
				if c, ok := s.AFSpec(af); ok {
					for range c.All() {
					}
				}
			}
		},
	})
}

func FuzzRtmMRoute(f *testing.F) {
	fuzzView(f, viewTarget[rtm.MRoute]{
		view: "MRoute", msgType: unix.RTM_NEWROUTE, decode: rtm.MRouteFromBytes,
		schemaNames: []string{"dst", "src", "iif", "multipath"},
		features:    []string{"IPv4", "IPv6", "oifs", "stats", "unresolved"},
		check: func(t *testing.T, cov *coverage, b []byte, r rtm.MRoute) {
			fatalIf(t, r.Family() != b[0], "rtmsg misread")
			cov.family(r.Family(), rtm.RTNLFamilyIPMR, rtm.RTNLFamilyIP6MR)
			n := 0
			for range r.Oifs() {
				n++
			}
			if n > 0 {
				cov.hit("oifs")
			}
			if _, ok := r.Stats(); ok {
				cov.hit("stats")
			}
			if r.Unresolved() {
				cov.hit("unresolved")
			}
		},
	})
}
