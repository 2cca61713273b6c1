package main

// "bridge -d vlan show", "bridge -s vlan show" and "bridge vlan global
// show": vlan.c's vlan_show (the RTM_GETVLAN dump of -d and the
// RTM_GETSTATS dumps of -s) and vlan_global_show.

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// vlanPorts is vlan.c's vlan_rtm_cur_ifidx with open_vlan_port and
// close_vlan_port: the port whose JSON object is open, -1 for none.
type vlanPorts struct {
	p     *printer
	links *linkTypes
	cur   int32
}

// open starts an entry of port index: the port's name and array on its
// first entry, else the text indent.
func (v *vlanPorts) open(index int32) {
	first := v.cur != index
	if first {
		v.close()
		v.cur = index
	}
	v.p.portRow(first, v.links, index, "vlans")
	v.p.openObject("")
}

func (v *vlanPorts) close() {
	if v.cur != -1 {
		v.p.closePort()
		v.cur = -1
	}
}

// ifNamer names an interface by its index (linkTypes, linkNames).
type ifNamer interface{ name(index int32) string }

// portRow starts a row of the bridge command's per-port listings: on a
// port's first row the port's JSON object, its name and its array (key),
// on the others the text indent of the name's column.
func (p *printer) portRow(first bool, names ifNamer, index int32, key string) {
	if first {
		p.openObject("")
		p.colorStr(colorIfname, "ifname", "%-16s  ", names.name(index))
		p.openArray(key)
	} else {
		p.text("%-16s  ", "")
	}
}

// closePort ends the port that portRow opened.
func (p *printer) closePort() {
	p.closeArray()
	p.closeObject()
}

// printVLANFlags is vlan.c's print_vlan_flags.
func printVLANFlags(p *printer, flags uint16) {
	if flags == 0 {
		return
	}
	p.openArray("flags")
	if flags&rtm.BridgeVLANPVID != 0 {
		p.str("", " %s", "PVID")
	}
	if flags&rtm.BridgeVLANUntagged != 0 {
		p.str("", " %s", "Egress Untagged")
	}
	p.closeArray()
}

// printVLANCounters is vlan.c's __print_one_vlan_stats.
func printVLANCounters(p *printer, rxBytes, rxPackets, txBytes, txPackets uint64) {
	p.text("%-16s    ", "")
	p.uint("rx_bytes", "RX: %d bytes", rxBytes)
	p.uint("rx_packets", " %d packets\n", rxPackets)
	p.text("%-16s    ", "")
	p.uint("tx_bytes", "TX: %d bytes", txBytes)
	p.uint("tx_packets", " %d packets\n", txPackets)
}

// dumpRefused is how bridge reports a dump the kernel refused (as a
// kernel without VLAN filtering refuses RTM_GETVLAN): its message, then
// terminated ("Dump terminated", or vni.c's "Dump ternminated"), and
// exit(1), where its other failures exit 255.
func dumpRefused(e *env, err error, terminated string) error {
	var ke *wire.Error
	if errors.As(err, &ke) {
		fmt.Fprintf(e.Stderr, "%s\n%s\n", kernelMessage(ke.Message, ke.Errno), terminated)
		return errExit(exitFailure)
	}
	return err
}

// vlanShowDetails is vlan_show with -d: the RTM_GETVLAN dump, with the
// counters under -s; global prints the bridges' global options instead
// (vlan_global_show).
func vlanShowDetails(e *env, h *rtm.Handle, index int32, filterVID uint16, global bool) error {
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	p.text("%-16s  %-9s\n", "port", "vlan-id")
	ports := &vlanPorts{p: p, links: links, cur: -1}
	// bridge filters the port itself: the request names none.
	f := &rtm.BridgeVLANFilter{Stats: !global && e.Stats.level > 0, Global: global}
	for v, err := range h.BridgeVLANDump(e.ctx, f) {
		if err != nil {
			// bridge exits there, its JSON array left open.
			if werr := e.output(p); werr != nil {
				return werr
			}
			return dumpRefused(e, err, "Dump terminated")
		}
		if v.Family() != 0x07 || index != 0 && v.Index() != index {
			continue
		}
		if ports.cur != -1 && ports.cur != v.Index() {
			ports.close()
		}
		printVLANMessage(ports, v, filterVID, !global, global, e.Stats.level > 0)
	}
	ports.close()
	return e.endList(p)
}

// printVLANMessage is the loop of vlan.c's print_vlan_rtm over one
// message's entries (print_vlan_opts) and global options
// (print_vlan_global_opts), those of VLAN filterVID when not 0.
func printVLANMessage(ports *vlanPorts, v rtm.BridgeVLANs, filterVID uint16, entries, global, stats bool) {
	p := ports.p
	if global {
		for g := range v.GlobalOptions() {
			if filterVID != 0 && (filterVID < g.VID || filterVID > g.VIDEnd) {
				continue
			}
			ports.open(v.Index())
			printVLANGlobal(p, g)
			p.closeObject()
		}
	}
	if !entries {
		return
	}
	for ent := range v.Entries() {
		if filterVID != 0 && (filterVID < ent.VID || filterVID > ent.VIDEnd) {
			continue
		}
		ports.open(v.Index())
		vlanPrintRange(p, "vlan", uint32(ent.VID), uint32(ent.VIDEnd))
		printVLANFlags(p, ent.Flags)
		p.nl()
		p.text("%-16s    ", "")
		state, _ := ent.State()
		printSTPState(p, state)
		if r, ok := ent.MulticastRouter(); ok {
			p.uint("mcast_router", "mcast_router %d ", uint64(r))
		}
		p.nl()
		if stats {
			s, _ := ent.Stats()
			printVLANCounters(p, s.RxBytes, s.RxPackets, s.TxBytes, s.TxPackets)
		}
		p.closeObject()
	}
}

// printVLANEvent is print_vlan_rtm for "bridge monitor": an RTM_NEWVLAN
// or RTM_DELVLAN notification, each printed with its port's name.
func printVLANEvent(m *monitor, typ uint16, data []byte) bool {
	v, err := rtm.BridgeVLANsFromBytes(data)
	if err != nil || v.Family() != 0x07 {
		return false
	}
	m.header("[VLAN]", -1, false)
	if typ == unix.RTM_DELVLAN {
		m.p.boolean("deleted", "Deleted ", true)
	}
	ports := &vlanPorts{p: m.p, links: m.links, cur: -1}
	printVLANMessage(ports, v, 0, true, true, m.e.Stats.level > 0)
	return true
}

// The BRIDGE_VLANDB_GOPTS_* attributes print_vlan_global_opts prints, in
// its order, with their sizes (1, 4 or 8 bytes).
var vlanGlobalOpts = [...]struct {
	typ  uint16
	size int
	name string
}{
	{4, 1, "mcast_snooping"}, {13, 1, "mcast_querier"}, {5, 1, "mcast_igmp_version"},
	{6, 1, "mcast_mld_version"}, {7, 4, "mcast_last_member_count"}, {9, 8, "mcast_last_member_interval"},
	{8, 4, "mcast_startup_query_count"}, {12, 8, "mcast_startup_query_interval"},
	{10, 8, "mcast_membership_interval"}, {11, 8, "mcast_querier_interval"}, {14, 8, "mcast_query_interval"},
	{15, 8, "mcast_query_response_interval"},
}

// printVLANGlobal is vlan.c's print_vlan_global_opts but its router ports.
func printVLANGlobal(p *printer, g rtm.BridgeVLANGlobal) {
	vlanPrintRange(p, "vlan", uint32(g.VID), uint32(g.VIDEnd))
	p.nl()
	p.text("%-16s    ", "")
	var tb nla.Index
	tb.Reset(g.Attrs)
	_, haveMLD := tb.Get(6)
	for _, o := range vlanGlobalOpts {
		a, ok := tb.Get(o.typ)
		if o.typ == 7 {
			// print_vlan_global_opts tests for the MLD version before
			// printing the last member count.
			ok = haveMLD
		}
		if !ok {
			continue
		}
		p.uint(o.name, o.name+" %d ", attrUintN(a, o.size))
	}
	p.nl()
}

// vlanShowStats is vlan_show with -s and without -d: the per-VLAN
// counters of bridges, then of ports, from two RTM_GETSTATS dumps.
func vlanShowStats(e *env, h *rtm.Handle, index int32, filterVID uint16) error {
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	p.text("%-16s  vlan-id\n", "port")
	for _, slave := range [...]bool{false, true} {
		mask := rtm.StatsLinkXstats
		if slave {
			mask = rtm.StatsXstatsSlave
		}
		for s, err := range h.LinkStatsDump(e.ctx, &rtm.StatsFilter{Mask: mask}) {
			if err != nil {
				if werr := e.output(p); werr != nil {
					return werr
				}
				return dumpRefused(e, err, "Dump terminated")
			}
			if index != 0 && s.Index() != index {
				continue
			}
			found := false
			for x := range s.BridgeVLANs(slave) {
				if filterVID != 0 && filterVID != x.VID {
					continue
				}
				// Pure port entries come with the ports' dump.
				if x.Flags&rtm.BridgeVLANMaster != 0 && x.Flags&rtm.BridgeVLANBrEntry == 0 {
					continue
				}
				p.portRow(!found, links, s.Index(), "vlans")
				found = true
				p.openObject("")
				p.uint("vid", "%d", uint64(x.VID))
				printVLANFlags(p, x.Flags)
				p.nl()
				printVLANCounters(p, x.RxBytes, x.RxPackets, x.TxBytes, x.TxPackets)
				p.closeObject()
			}
			if found {
				p.closePort()
			}
		}
	}
	return e.endList(p)
}
