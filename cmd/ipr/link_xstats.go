package main

// ipr link xstats and ipr link afstats: iproute2 6.1's iplink_xstats.c
// with the bridge and bond printers of iplink_bridge.c and iplink_bond.c
// (bridge_print_xstats, bond_print_xstats), and iplink.c's
// iplink_afstats (print_af_stats). Both dump RTM_GETSTATS with one group:
// the extended statistics of devices (or of ports), or the per-family
// statistics (MPLS).

import (
	"fmt"
	"slices"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// linkUtilKinds are the kinds iproute2 6.1's ip has a link_util for (the
// "%s_link_util" symbols get_link_kind finds in the binary): "xstats
// type" names one of them or is an invalid type.
var linkUtilKinds = [...]string{
	"amt", "bareudp", "batadv", "bond", "bond_slave", "bridge", "bridge_slave", "can", "dsa", "dummy",
	"geneve", "gtp", "hsr", "ifb", "ipoib", "ipvlan", "ipvtap", "macvlan", "macvtap", "netdevsim", "nlmon",
	"rmnet", "team", "team_slave", "vcan", "virt_wifi", "vlan", "vrf", "vrf_slave", "vxcan", "vxlan", "wwan",
	"macsec", "tun", "gre", "gretap", "erspan", "ip6gre", "ip6gretap", "ip6erspan", "ip6tnl", "ipip", "sit",
	"veth", "vti", "vti6", "xfrm",
}

// Attribute types of the extended statistics (linux/if_link.h,
// linux/if_bridge.h, linux/if_bond.h).
const (
	xstatsTypeBridge = 1 // LINK_XSTATS_TYPE_BRIDGE
	xstatsTypeBond   = 2 // LINK_XSTATS_TYPE_BOND
	bridgeXMcast     = 2 // BRIDGE_XSTATS_MCAST
	bridgeXSTP       = 4 // BRIDGE_XSTATS_STP
	bondX3AD         = 1 // BOND_XSTATS_3AD
	statsXstats      = 2 // IFLA_STATS_LINK_XSTATS
	statsXstatsSlave = 3 // IFLA_STATS_LINK_XSTATS_SLAVE
	statsAFSpec      = 5 // IFLA_STATS_AF_SPEC
)

// xstatsQuery is what "xstats type KIND ARGS" asks for.
type xstatsQuery struct {
	kind  string // bridge, bridge_slave, bond or bond_slave
	xtype uint16 // LINK_XSTATS_TYPE_*
	only  uint16 // the one suite to print (xstats_print_attr), 0 for all
	index int32  // dev's index, 0 for every device
}

// linkXstats is iplink_ifla_xstats: "ipr link xstats type TYPE [ ARGS ]".
func linkXstats(e *env, a *args) error {
	if !a.more() {
		fmt.Fprintln(e.Stderr, "xstats: missing argument")
		return errExit(exitFailure)
	}
	w := a.advance()
	switch {
	case matches(w, "type"):
	case matches(w, "help"):
		fmt.Fprintln(e.Stdout, "Usage: ... xstats type TYPE [ ARGS ]")
		return nil
	default:
		return invarg("unknown argument", w)
	}
	kind, err := a.value("type")
	if err != nil {
		return err
	}
	if !slices.Contains(linkUtilKinds[:], kind) {
		return invarg("invalid type", kind)
	}
	q := xstatsQuery{kind: kind}
	switch kind {
	case "bridge", "bridge_slave":
		q.xtype = xstatsTypeBridge
	case "bond", "bond_slave":
		q.xtype = xstatsTypeBond
	default:
		fmt.Fprintf(e.Stderr, "xstats: link type %s doesn't support xstats\n", kind)
		return errExit(exitFailure)
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	for a.more() {
		w := a.advance()
		switch {
		case q.xtype == xstatsTypeBridge && (w == "igmp" || w == "mcast"):
			q.only = bridgeXMcast
		case q.xtype == xstatsTypeBridge && w == "stp":
			q.only = bridgeXSTP
		case q.xtype == xstatsTypeBond && (w == "lacp" || w == "802.3ad"):
			q.only = bondX3AD
		case w == "dev":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			// ll_name_to_index: a name, or "ifN" for index N.
			if q.index, err = e.linkIndex(v); err != nil {
				return err
			} else if q.index == 0 {
				return errNoDevice(v)
			}
		case w == "help":
			suite := "igmp"
			if q.xtype == xstatsTypeBond {
				suite = "802.3ad"
			}
			fmt.Fprintf(e.Stdout, "Usage: ... %s [ %s ] [ dev DEVICE ]\n", kind, suite)
			return nil
		default:
			return invarg("unknown attribute", w)
		}
	}
	f := rtm.StatsFilter{Mask: rtm.StatsLinkXstats}
	if kind == "bridge_slave" || kind == "bond_slave" {
		f.Mask = rtm.StatsXstatsSlave
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	return listDump(e, p, h.LinkStatsDump(e.ctx, &f), func(s rtm.LinkStats) {
		if q.index != 0 && s.Index() != q.index {
			return
		}
		for _, g := range [...]uint16{statsXstats, statsXstatsSlave} {
			if x, ok := s.Chain().Path(g, q.xtype); ok {
				printXstatsNest(p, s, g == statsXstatsSlave, x.Nested(), &q, links)
			}
		}
	})
}

// printXstatsNest is bridge_print_stats_attr and bond_print_stats_attr:
// the device's name, then each suite of its LINK_XSTATS_TYPE_* nest (of a
// bond, only the first one printed).
func printXstatsNest(p *printer, s rtm.LinkStats, slave bool, nest nla.Chain, q *xstatsQuery, links *linkTypes) {
	p.openObject("")
	p.str("ifname", "%-16s\n", links.name(s.Index()))
	for a := range nest.All() {
		t := a.Kind()
		if q.only != 0 && t != q.only {
			continue
		}
		if q.xtype == xstatsTypeBond {
			if t == bondX3AD {
				printBond3AD(p, a)
			}
			break
		}
		switch t {
		case bridgeXMcast:
			if m, ok := s.BridgeMcast(slave); ok {
				printBridgeMcastStats(p, m)
			}
		case bridgeXSTP:
			if st, ok := s.BridgeSTP(slave); ok {
				printBridgeSTPStats(p, st)
			}
		}
	}
	p.closeObject()
}

// linkAfstats is iplink_afstats: "ipr link afstats [ dev DEV ]", the
// per-family statistics of each device that has some. ip ends with
// status 0 even when dev names no device.
func linkAfstats(e *env, a *args) error {
	var dev string
	for a.more() {
		switch w := a.advance(); {
		case w == "dev":
			prev, err := dev, error(nil)
			if dev, err = a.value(w); err != nil {
				return err
			} else if prev != "" {
				return duparg2("dev", dev)
			}
		case matches(w, "help"):
			return (&object{help: "link", usage: linkUsage}).usageError()
		default:
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ip link help\".", w)}
		}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	var index int32
	if dev != "" {
		if index, err = e.linkIndex(dev); err != nil {
			return err
		} else if index == 0 {
			fmt.Fprintf(e.Stderr, "Device %q does not exist.\n", dev)
			return nil
		}
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	return listDump(e, p, h.LinkStatsDump(e.ctx, &rtm.StatsFilter{Mask: rtm.StatsAFSpec}), func(s rtm.LinkStats) {
		if index != 0 && s.Index() != index {
			return
		}
		if af, ok := s.Chain().Get(statsAFSpec); ok {
			printAFStats(e, p, s, af.Nested(), links)
		}
	})
}

// printAFStats is print_af_stats_attr: the interface, then each family's
// statistics (-f narrows them to one family).
func printAFStats(e *env, p *printer, s rtm.LinkStats, spec nla.Chain, links *linkTypes) {
	printed := false
	for a := range spec.All() {
		af := a.Kind()
		if e.Family != unix.AF_UNSPEC && af != uint16(e.Family) {
			continue
		}
		if !printed {
			p.uint("ifindex", "%d:", uint64(uint32(s.Index())))
			p.colorStr(colorIfname, "ifname", "%s", links.name(s.Index()))
			p.nl()
			printed = true
		}
		if af != unix.AF_MPLS {
			fmt.Fprintf(e.Stderr, "    unknown af(%d)\n", af)
			continue
		}
		m, ok := s.MPLS()
		if !ok {
			continue
		}
		p.textString("    mpls:")
		p.nl()
		printRxTxColumns(p, e.Stats, "        ", "noroute", "noroute", [9]uint64{m.RxPackets, m.TxPackets,
			m.RxBytes, m.TxBytes, m.RxErrors, m.TxErrors, m.RxDropped, m.TxDropped, m.RxNoRoute})
		p.textString("\n")
	}
}
