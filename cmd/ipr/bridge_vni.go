package main

// bridge vni: iproute2 6.1's bridge/vni.c, the VNI filter of VXLAN
// devices created with "external vnifilter": "bridge vni add|delete|show"
// and, for "bridge monitor vni", the RTM_NEWTUNNEL and RTM_DELTUNNEL
// notifications, all printed by print_vnifilter_rtm.

import (
	"net/netip"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const bridgeVNIUsage = "Usage: bridge vni { add | del } vni VNI\n" +
	"\t\t[ { group | remote } IP_ADDRESS ]\n" +
	"\t\t[ dev DEV ]\n" +
	"       bridge vni { show }\n" +
	"\n" +
	"Where:\tVNI\t:= 0-16777215\n"

// bridgeVNIVerbs are do_vni's commands, in its order: it compares them
// with strcmp, so "del" and "sh" are unknown commands.
var bridgeVNIVerbs = [...]verb{
	{name: "add", exact: true, stats: true, run: func(e *env, a *args) error { return vniModify(e, a, true) }},
	{name: "delete", exact: true, stats: true, run: func(e *env, a *args) error { return vniModify(e, a, false) }},
	{name: "show", exact: true, stats: true, run: vniShow},
	{name: "lst", exact: true, stats: true, run: vniShow},
	{name: "list", exact: true, stats: true, run: vniShow},
	{name: "help", exact: true},
}

// vniEntryStats is VXLAN_VNIFILTER_ENTRY_STATS, the nest of an entry's
// counters, which bridge prints as it finds them.
const vniEntryStats = 5

// vniStats are the VNIFILTER_ENTRY_STATS_* counters in the order
// print_vnifilter_entry_stats prints them: the receive ones, then the
// transmit ones; attribute type, JSON key and text.
var vniStats = [2][4]struct {
	typ        uint16
	key, label string
}{
	{{1, "rx_bytes", "bytes %d "}, {2, "rx_pkts", "pkts %d "}, {3, "rx_drops", "drops %d "}, {4, "rx_errors", "errors %d "}},
	{{5, "tx_bytes", "bytes %d "}, {6, "tx_pkts", "pkts %d "}, {7, "tx_drops", "drops %d "}, {8, "tx_errors", "errors %d "}},
}

// vniModify is vni.c's vni_modify: "bridge vni add" and "bridge vni
// delete". bridge checks neither the VNIs nor the device's kind: the
// kernel does, and its message is the error.
func vniModify(e *env, a *args, add bool) error {
	var dev, vnis string
	var devSet, vniSet bool
	var group netip.Addr
	for a.more() {
		w := a.advance()
		switch w {
		case "help":
			return usageText(bridgeVNIUsage)
		case "group", "remote":
			// bridge names the keyword, not its value, in this one.
			if group.IsValid() {
				return invarg("duplicate group", w)
			}
		case "dev", "vni":
		default:
			continue
		}
		v, err := a.value(w)
		switch {
		case err != nil:
			return err
		case w == "dev":
			dev, devSet = v, true
		case w == "vni" && vniSet:
			return invarg("duplicate vni", v)
		case w == "vni":
			vnis, vniSet = v, true
		default:
			if group, err = vniAddr(e, w, v); err != nil {
				return err
			}
		}
	}
	if !devSet || !vniSet {
		return mdbFail("Device and VNI ID are required arguments.")
	}
	s := rtm.VXLANVNISpec{VNIs: parseVNIList(vnis), Group: group}
	var err error
	if s.Index, err = vlanDevIndex(e, dev, "Cannot find vxlan device %q"); err != nil {
		return err
	}
	req := rtm.VXLANVNIDel(s)
	if add {
		req = rtm.VXLANVNIAdd(s)
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	return h.Do(e.ctx, req)
}

// vniAddr is the address of "group" or "remote" (keyword), read by
// get_addr of any family: a group must be multicast.
func vniAddr(e *env, keyword, v string) (netip.Addr, error) {
	switch v {
	case "default", "any", "all":
		// get_addr takes them as an address of no family, which bridge
		// sends as an attribute of type 0 that the kernel refuses.
		if keyword == "remote" {
			return netip.Addr{}, usagef("remote %q has no address family", v)
		}
		return netip.Addr{}, invarg("invalid group address", v)
	}
	ip, err := parseAddr(keyword, v, 0)
	if err != nil {
		return netip.Addr{}, errAnyAddr(e, v)
	}
	if keyword == "group" && !isMulticastIP(ip) {
		return netip.Addr{}, invarg("invalid group address", v)
	}
	return ip, nil
}

// isMulticastIP is IN_MULTICAST or IN6_IS_ADDR_MULTICAST, which take an
// IPv4-mapped IPv6 address for a unicast one, as netip's IsMulticast
// does not.
func isMulticastIP(ip netip.Addr) bool {
	if ip.Is4() {
		return ip.As4()[0]&0xf0 == 0xe0
	}
	return ip.As16()[0] == 0xff
}

// parseVNIList is parse_vni_filter: VNIs and ranges VNI-VNIEND separated
// by commas, each number read by atoi, empty items skipped (strtok).
func parseVNIList(s string) []rtm.VNIRange {
	var l []rtm.VNIRange
	for _, item := range strings.Split(s, ",") {
		if item == "" {
			continue
		}
		start, end, _ := strings.Cut(item, "-")
		l = append(l, rtm.VNIRange{Start: uint32(cAtoi(start)), End: uint32(cAtoi(end))})
	}
	return l
}

// vniShow is vni.c's vni_show: the VNI filters of every VXLAN device, or
// of "dev", with their counters under -s.
func vniShow(e *env, a *args) error {
	var dev string
	devSet := false
	for a.more() {
		if a.advance() != "dev" {
			continue
		}
		v, err := a.value("dev")
		switch {
		case err != nil:
			return err
		case devSet:
			return duparg("dev", v)
		}
		dev, devSet = v, true
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	var index int32
	if devSet {
		if index, err = vlanDevIndex(e, dev, "Cannot find device %q"); err != nil {
			return err
		}
	}
	// bridge's ll_init_map: every link's name, from a dump before the VNI
	// dump. It also sizes the VNI dump's messages, which the kernel fills
	// up to the largest buffer a read of the socket has offered: bridge
	// prints each message under its device's name, so that a device
	// whose VNIs span two messages is named twice.
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	for l, err := range h.Links(e.ctx, nil) {
		if err != nil {
			return err
		}
		names.byIndex[l.Index()] = newLinkRef(l)
	}
	p := e.newPrinter()
	p.openArray("")
	p.text("%-16s  %-15s  %-15s\n", "dev", "vni", "group/remote")
	for v, err := range h.VXLANVNIDump(e.ctx, &rtm.VXLANVNIFilter{Index: index, Stats: e.Stats.level > 0}) {
		if err != nil {
			// bridge exits there, its JSON array left open.
			if werr := e.output(p); werr != nil {
				return werr
			}
			return dumpRefused(e, err, "Dump ternminated")
		}
		if v.Family() == unix.AF_BRIDGE && (index == 0 || v.Index() == index) {
			printVNIs(p, v, names)
		}
	}
	return e.endList(p)
}

// printVNIEvent prints an RTM_NEWTUNNEL or RTM_DELTUNNEL notification
// (print_vnifilter_rtm, for "bridge monitor"). It reports whether it
// printed anything; bridge ignores tunnel messages of other families.
func printVNIEvent(m *monitor, typ uint16, data []byte) bool {
	v, err := rtm.VXLANVNIsFromBytes(data)
	if err != nil || v.Family() != unix.AF_BRIDGE {
		return false
	}
	m.header("[TUNNEL]", -1, false)
	if typ == unix.RTM_DELTUNNEL {
		m.p.boolean("deleted", "Deleted ", true)
	}
	printVNIs(m.p, v, m.names)
	return true
}

// printVNIs is the rest of print_vnifilter_rtm: the device's name, then
// one line per VNI or range of VNIs, with its group or remote and any
// counters.
func printVNIs(p *printer, v rtm.VXLANVNIs, names *linkNames) {
	first := true
	for e := range v.Entries() {
		p.portRow(first, names, v.Index(), "vnis")
		first = false
		p.openObject("")
		printVNIEntry(p, e)
		p.closeObject()
		p.nl()
	}
	if !first {
		p.closePort()
	}
	p.nl()
}

// printVNIEntry is vni.c's print_vni but its closing.
func printVNIEntry(p *printer, e rtm.VXLANVNIEntry) {
	switch {
	case e.VNIEnd == 0:
		p.uint("vni", " %-14d", uint64(e.VNI))
	default:
		p.uint("vni", " %d", uint64(e.VNI))
		if e.VNI != e.VNIEnd {
			p.uint("vniEnd", "-%-14d ", uint64(e.VNIEnd))
		}
	}
	// An unspecified address prints nothing; a multicast one is a group,
	// any other the remote.
	if g := e.Group; g.IsValid() && !g.IsUnspecified() {
		var b [64]byte
		key := "remote"
		if isMulticastIP(g) {
			key = "group"
		}
		p.strBytes(key, " %s", appendIP(b[:0], g.AsSlice()))
	}
	if a, ok := e.Attrs.Get(vniEntryStats); ok {
		printVNIStats(p, a.Nested())
	}
}

// printVNIStats is print_vnifilter_entry_stats: two lines, of the
// receive and the transmit counters the kernel sent.
func printVNIStats(p *printer, stats nla.Chain) {
	var idx nla.Index
	idx.Reset(stats)
	p.openObject("stats")
	for dir, label := range [...]string{"RX: ", "TX: "} {
		p.nl()
		p.text("%-16s   ", "")
		p.textString(label)
		for _, s := range vniStats[dir] {
			if a, ok := idx.Get(s.typ); ok {
				p.uint(s.key, s.label, attrU64(a))
			}
		}
	}
	p.closeObject()
}
