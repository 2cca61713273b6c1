package main

// The SR-IOV virtual functions of a link, one "vf N ..." line each, as
// iproute2's print_vfinfo and print_vf_stats64 (ip/ipaddress.c) print
// them under a physical function.

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// vfSettingUnset is the value of a VF setting (spoofchk, trust,
// query_rss) that the driver does not report: ip prints nothing for it.
const vfSettingUnset = 0xffffffff

// vfAddrLen is the length of the MAC and broadcast addresses ip reads
// from the kernel's 32-byte fields: ETH_ALEN on Ethernet, INFINIBAND_ALEN
// on anything else.
func vfAddrLen(arphrd uint16) int {
	if arphrd == unix.ARPHRD_ETHER {
		return 6
	}
	return 20
}

// vfField returns the bytes of a VF attribute's structure from offset
// off, as many as n, padded with zeros when the attribute is shorter or
// absent: ip reads these structures without checking their length (and
// the kernel always sends them whole).
func vfField(a nla.Attr, off, n int, scratch *[32]byte) []byte {
	*scratch = [32]byte{}
	if off < len(a.Data) {
		copy(scratch[:n], a.Data[off:])
	}
	return scratch[:n]
}

// vfU32 is the 32-bit member at offset off of a VF attribute's structure
// (the u32 after the VF number, for most of them), zero when absent.
func vfU32(a nla.Attr, off int) uint32 {
	if off+4 > len(a.Data) {
		return 0
	}
	return binary.NativeEndian.Uint32(a.Data[off:])
}

// printVFs prints IFLA_VFINFO_LIST; ip does so when the link also has
// IFLA_NUM_VF. The JSON array is "vfinfo_list". It returns the number of
// entries, which ip compares with IFLA_NUM_VF.
func printVFs(p *printer, arphrd uint16, linkFlags uint32, list nla.Attr, stats statsOptions) (n uint32) {
	p.openArray("vfinfo_list")
	for info := range list.Nested().All() {
		n++
		p.openObject("")
		// ip complains on standard error about any other type and
		// prints nothing of it.
		if info.Kind() == unix.IFLA_VF_INFO {
			printVF(p, arphrd, linkFlags, info.Nested(), stats)
		}
		p.closeObject()
	}
	p.closeArray()
	return n
}

// printVF prints one IFLA_VF_INFO as print_vfinfo does.
func printVF(p *printer, arphrd uint16, linkFlags uint32, info nla.Chain, stats statsOptions) {
	// vf[type] as parse_rtattr_nested fills it: the last of each type.
	var vf [unix.IFLA_VF_BROADCAST + 1]nla.Attr
	var has [len(vf)]bool
	for a := range info.All() {
		if t := a.Kind(); int(t) < len(vf) {
			vf[t], has[t] = a, true
		}
	}
	var scratch [32]byte
	var text [64]byte
	alen := vfAddrLen(arphrd)

	p.nl()
	p.textString("    ")
	p.int("vf", "vf %d ", int64(int32(vfU32(vf[unix.IFLA_VF_MAC], 0))))
	p.str("link_type", "    link/%s ", linkTypeName(arphrd))
	p.colorStrBytes(colorMAC, "address", "%s", appendHW(text[:0], vfField(vf[unix.IFLA_VF_MAC], 4, alen, &scratch), arphrd))
	if has[unix.IFLA_VF_BROADCAST] {
		if linkFlags&unix.IFF_POINTOPOINT != 0 {
			p.textString(" peer ")
			p.jsonBool("link_pointtopoint", true)
		} else {
			p.textString(" brd ")
		}
		p.colorStrBytes(colorMAC, "broadcast", "%s", appendHW(text[:0], vfField(vf[unix.IFLA_VF_BROADCAST], 0, alen, &scratch), arphrd))
	}

	// struct ifla_vf_vlan_info and ifla_vf_vlan: vf, vlan, qos (and
	// vlan_proto, big-endian).
	vlanQoS := func(a nla.Attr) {
		if v := vfU32(a, 4); v != 0 {
			p.int("vlan", ", vlan %d", int64(int32(v)))
		}
		if q := vfU32(a, 8); q != 0 {
			p.int("qos", ", qos %d", int64(int32(q)))
		}
	}
	if has[unix.IFLA_VF_VLAN_LIST] {
		p.openArray("vlan_list")
		for v := range vf[unix.IFLA_VF_VLAN_LIST].Nested().All() {
			p.openObject("")
			vlanQoS(v)
			if proto := vfField(v, 12, 2, &scratch); be16(proto) != 0 && be16(proto) != unix.ETH_P_8021Q {
				p.str("protocol", ", vlan protocol %s", llProtoName(be16(proto)))
			}
			p.closeObject()
		}
		p.closeArray()
	} else {
		vlanQoS(vf[unix.IFLA_VF_VLAN])
	}

	if r := vfU32(vf[unix.IFLA_VF_TX_RATE], 4); r != 0 {
		p.uint("tx_rate", ", tx rate %d (Mbps)", uint64(r))
	}
	if a := vf[unix.IFLA_VF_RATE]; has[unix.IFLA_VF_RATE] {
		// struct ifla_vf_rate: vf, min_tx_rate, max_tx_rate.
		minTx, maxTx := vfU32(a, 4), vfU32(a, 8)
		if !p.jsonUintPair("rate", "max_tx", uint64(maxTx), "min_tx", uint64(minTx)) {
			if maxTx != 0 {
				p.uint("", ", max_tx_rate %dMbps", uint64(maxTx))
			}
			if minTx != 0 {
				p.uint("", ", min_tx_rate %dMbps", uint64(minTx))
			}
		}
	}
	setting := func(t uint16, key, on, off string) {
		if s := vfU32(vf[t], 4); has[t] && s != vfSettingUnset {
			if s != 0 {
				p.boolean(key, on, true)
			} else {
				p.boolean(key, off, false)
			}
		}
	}
	setting(unix.IFLA_VF_SPOOFCHK, "spoofchk", ", spoof checking on", ", spoof checking off")
	// struct ifla_vf_guid: vf, then the u64 GUID, which ip prints most
	// significant byte first. The GUID ends the structure, whose padding
	// before it depends on the architecture's alignment of a u64.
	guid := func(t uint16, key, format string) {
		if has[t] {
			var g [8]byte
			binary.BigEndian.PutUint64(g[:], binary.NativeEndian.Uint64(vfField(vf[t], max(len(vf[t].Data)-8, 0), 8, &scratch)))
			p.strBytes(key, format, appendHW(text[:0], g[:], unix.ARPHRD_INFINIBAND))
		}
	}
	guid(unix.IFLA_VF_IB_NODE_GUID, "node guid", ", NODE_GUID %s")
	guid(unix.IFLA_VF_IB_PORT_GUID, "port guid", ", PORT_GUID %s")
	if has[unix.IFLA_VF_LINK_STATE] {
		state := "disable"
		switch vfU32(vf[unix.IFLA_VF_LINK_STATE], 4) {
		case unix.IFLA_VF_LINK_STATE_AUTO:
			state = "auto"
		case unix.IFLA_VF_LINK_STATE_ENABLE:
			state = "enable"
		}
		p.str("link_state", ", link-state %s", state)
	}
	setting(unix.IFLA_VF_TRUST, "trust", ", trust on", ", trust off")
	setting(unix.IFLA_VF_RSS_QUERY_EN, "query_rss_en", ", query_rss on", ", query_rss off")

	if has[unix.IFLA_VF_STATS] && stats.level > 0 {
		printVFStats(p, vf[unix.IFLA_VF_STATS].Nested(), stats)
	}
}

// vfStatsLines are the two halves of print_vf_stats64, receive and
// transmit: the JSON object, the text heading and the counters in order,
// each with its JSON key and text width. The dropped counters, newer than
// the others, follow when the kernel sends them.
var vfStatsLines = [2]struct {
	key, heading string
	counters     []vfCounter
	dropped      uint16
}{
	{"rx", "    RX: bytes  packets  mcast   bcast ", []vfCounter{{unix.IFLA_VF_STATS_RX_BYTES, "bytes", 10},
		{unix.IFLA_VF_STATS_RX_PACKETS, "packets", 8}, {unix.IFLA_VF_STATS_MULTICAST, "multicast", 7},
		{unix.IFLA_VF_STATS_BROADCAST, "broadcast", 7}}, unix.IFLA_VF_STATS_RX_DROPPED},
	{"tx", "    TX: bytes  packets ", []vfCounter{{unix.IFLA_VF_STATS_TX_BYTES, "tx_bytes", 10},
		{unix.IFLA_VF_STATS_TX_PACKETS, "tx_packets", 8}}, unix.IFLA_VF_STATS_TX_DROPPED},
}

// vfCounter is one IFLA_VF_STATS_* counter of vfStatsLines.
type vfCounter struct {
	typ   uint16
	key   string
	width int
}

// printVFStats prints a VF's counters (IFLA_VF_STATS) as
// print_vf_stats64 does.
func printVFStats(p *printer, s nla.Chain, o statsOptions) {
	var c [unix.IFLA_VF_STATS_TX_DROPPED + 1]uint64
	var has [len(c)]bool
	for a := range s.All() {
		if t := a.Kind(); int(t) < len(c) {
			c[t], has[t] = attrU64(a), true
		}
	}
	p.openObject("stats")
	for _, line := range vfStatsLines {
		dropped := has[line.dropped]
		if p.json {
			p.openObject(line.key)
			for _, k := range line.counters {
				p.jsonUint(k.key, c[k.typ])
			}
			if dropped {
				p.jsonUint("dropped", c[line.dropped])
			}
			p.closeObject()
			continue
		}
		p.nl()
		p.textString(line.heading)
		if dropped {
			p.textString("  dropped ")
		}
		p.nl()
		p.textString("    ")
		for _, k := range line.counters {
			p.buf = appendStatNum(p.buf, k.width, c[k.typ], o)
		}
		if dropped {
			p.buf = appendStatNum(p.buf, 8, c[line.dropped], o)
		}
	}
	p.closeObject()
}
