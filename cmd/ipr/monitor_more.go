package main

// The notifications of "ip monitor" printed by other object printers:
// multicast routes (ipmroute.c's print_mroute), IPv6 prefixes from router
// advertisements (ipprefix.c's print_prefix) and statistics
// (ipstats.c's ipstats_print).

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// mroute prints a multicast route event as print_mroute does, with
// ipmroute_reset_filter's filter: the input interface of "dev", every
// table, the table shown as "show table all" shows it.
func (m *monitor) mroute(typ uint16, data []byte) {
	r, err := rtm.MRouteFromBytes(data)
	if err != nil {
		return
	}
	if r.Type() != unix.RTN_MULTICAST {
		fmt.Fprintln(m.e.Stderr, "Non multicast route received, kernel does support IP multicast?")
		return
	}
	if m.ifindex != 0 && r.InIndex() != m.ifindex {
		return
	}
	m.learn(r.InIndex())
	for o := range r.Oifs() {
		m.learn(o.Index)
	}
	m.deleted(typ, unix.RTM_DELROUTE)
	printMRoute(m.p, r, m.links, m.e.Stats.level > 0, m.e.Details, true)
}

// struct prefixmsg and its attributes (linux/rtnetlink.h), which x/sys
// lacks.
const (
	sizeofPrefixMsg        = 12
	prefixAddress          = 1 // PREFIX_ADDRESS
	prefixCacheinfo        = 2 // PREFIX_CACHEINFO: struct prefix_cacheinfo
	ndOptPrefixInformation = 3 // ND_OPT_PREFIX_INFORMATION
	ifPrefixOnlink         = 0x01
	ifPrefixAutoconf       = 0x02
)

// prefix prints an RTM_NEWPREFIX event as print_prefix does, including
// its lack of a space between the prefix and "dev".
func (m *monitor) prefix(data []byte) {
	if len(data) < sizeofPrefixMsg {
		fmt.Fprintf(m.e.Stderr, "BUG: wrong nlmsg len %d\n", len(data)-sizeofPrefixMsg)
		return
	}
	if f := m.e.Family; f != 0 && f != unix.AF_INET6 {
		return
	}
	family, ifindex := data[0], int32(binary.NativeEndian.Uint32(data[4:]))
	ndType, plen, flags := data[8], data[9], data[10]
	if family != unix.AF_INET6 {
		fmt.Fprintf(m.e.Stderr, "incorrect protocol family: %d\n", family)
		return
	}
	if ndType != ndOptPrefixInformation {
		fmt.Fprintf(m.e.Stderr, "wrong ND type %d\n", ndType)
		return
	}
	p := m.p
	attrs := nla.Chain(data[sizeofPrefixMsg:])
	if a, ok := attrs.Get(prefixAddress); ok {
		p.textString("prefix " + prefixAddrText(a.Data) + "/" + strconv.Itoa(int(plen)))
	}
	m.learn(ifindex)
	p.textString("dev " + m.names.name(ifindex) + " ")
	if flags&ifPrefixOnlink != 0 {
		p.textString("onlink ")
	}
	if flags&ifPrefixAutoconf != 0 {
		p.textString("autoconf ")
	}
	if a, ok := attrs.Get(prefixCacheinfo); ok && len(a.Data) >= 8 {
		// struct prefix_cacheinfo: preferred_time, then valid_time.
		p.textString("valid " + strconv.FormatUint(uint64(binary.NativeEndian.Uint32(a.Data[4:])), 10) + " ")
		p.textString("preferred " + strconv.FormatUint(uint64(binary.NativeEndian.Uint32(a.Data)), 10) + " ")
	}
	p.textString("\n")
}

// prefixAddrText is rt_addr_n2a_rta for AF_INET6: the address, or
// "???" when the attribute is not 16 bytes long.
func prefixAddrText(b []byte) string {
	if len(b) != 16 {
		return "???"
	}
	return netip.AddrFrom16([16]byte(b)).String()
}

// stats prints an RTM_NEWSTATS event as ipstats_print does: the
// interface and its hardware statistics' state, with no group names.
func (m *monitor) stats(data []byte) {
	s, err := rtm.LinkStatsFromBytes(data)
	if err != nil {
		return
	}
	m.learn(s.Index())
	p := m.p
	p.int("ifindex", "%d:", int64(s.Index()))
	p.str("ifname", " %s:", m.names.name(s.Index()))
	var idx nla.Index
	printStatsLeaf(p, s, &statsLeaves[statsHWInfoLeaf], &idx, m.e.Stats)
	p.nl()
}
