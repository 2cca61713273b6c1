package main

// The VNI filter of VXLAN devices in "bridge monitor vni": the
// RTM_NEWTUNNEL and RTM_DELTUNNEL notifications, as bridge/vni.c's
// print_vnifilter_rtm prints them.

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// Tunnel messages, their group and attributes (linux/rtnetlink.h,
// linux/if_link.h; Linux 5.18), which x/sys/unix lacks.
const (
	rtmNewTunnel = 120 // RTM_NEWTUNNEL
	rtmDelTunnel = 121 // RTM_DELTUNNEL

	// groupTunnel is RTNLGRP_TUNNEL, where the kernel announces VNI
	// filter changes.
	groupTunnel rtm.Group = 35

	sizeofTunnelMsg = 8 // struct tunnel_msg: family, flags, reserved, ifindex

	vniFilterEntry      = 1 // VXLAN_VNIFILTER_ENTRY: nest
	vniEntryStart       = 1 // VXLAN_VNIFILTER_ENTRY_START: u32
	vniEntryEnd         = 2 // VXLAN_VNIFILTER_ENTRY_END: u32
	vniEntryGroup       = 3 // VXLAN_VNIFILTER_ENTRY_GROUP: IPv4 address
	vniEntryGroup6      = 4 // VXLAN_VNIFILTER_ENTRY_GROUP6: IPv6 address
	vniEntryStats       = 5 // VXLAN_VNIFILTER_ENTRY_STATS: nest of u64
	vniEntryMaxAttrType = vniEntryStats
)

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

// printVNIEvent prints an RTM_NEWTUNNEL or RTM_DELTUNNEL notification
// (print_vnifilter_rtm): the device's name, then one line per VNI or
// range of VNIs, with its group or remote and any counters. It reports
// whether it printed anything; bridge ignores tunnel messages of other
// families.
func printVNIEvent(m *monitor, typ uint16, data []byte) bool {
	if len(data) < sizeofTunnelMsg || data[0] != unix.AF_BRIDGE {
		return false
	}
	p := m.p
	index := int32(binary.NativeEndian.Uint32(data[4:]))
	m.header("[TUNNEL]", -1, false)
	if typ == rtmDelTunnel {
		p.boolean("deleted", "Deleted ", true)
	}
	first := true
	for a := range nla.Chain(data[sizeofTunnelMsg:]).AllOf(vniFilterEntry) {
		if first {
			p.openObject("")
			p.colorStr(colorIfname, "ifname", "%-16s  ", m.names.name(index))
			p.openArray("vnis")
			first = false
		} else {
			p.text("%-16s  ", "")
		}
		p.openObject("")
		printVNIEntry(p, a.Nested())
		p.closeObject()
		p.nl()
	}
	if !first {
		p.closeArray()
		p.closeObject()
	}
	p.nl()
	return true
}

// printVNIEntry is vni.c's print_vni but its closing.
func printVNIEntry(p *printer, entry nla.Chain) {
	var tb [vniEntryMaxAttrType + 1]nla.Attr
	var has [len(tb)]bool
	for a := range entry.All() {
		if t := a.Kind(); int(t) < len(tb) {
			tb[t], has[t] = a, true
		}
	}
	start, end := attrU32(tb[vniEntryStart]), attrU32(tb[vniEntryEnd])
	switch {
	case end == 0:
		p.uint("vni", " %-14d", uint64(start))
	default:
		p.uint("vni", " %d", uint64(start))
		if start != end {
			p.uint("vniEnd", "-%-14d ", uint64(end))
		}
	}
	// An unspecified address prints nothing; a multicast one is a group,
	// any other the remote.
	var ip []byte
	multicast := false
	switch {
	case has[vniEntryGroup]:
		ip = tb[vniEntryGroup].Data
		multicast = len(ip) == 4 && ip[0]&0xf0 == 0xe0
	case has[vniEntryGroup6]:
		ip = tb[vniEntryGroup6].Data
		multicast = len(ip) == 16 && ip[0] == 0xff
	}
	if (len(ip) == 4 || len(ip) == 16) && !allZero(ip) {
		var b [64]byte
		key := "remote"
		if multicast {
			key = "group"
		}
		p.strBytes(key, " %s", appendIP(b[:0], ip))
	}
	if has[vniEntryStats] {
		printVNIStats(p, tb[vniEntryStats].Nested())
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

// allZero reports whether every byte of b is zero.
func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
