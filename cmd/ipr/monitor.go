package main

// ip monitor: RTNL notifications printed as they come, each by the
// printer of its object's "show" command, as iproute2 6.1's ipmonitor.c
// prints them; or the messages of a file (rtmon's, or "ip route save"'s).

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

const monitorUsage = `Usage: ipr monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME
`

// The objects "ip monitor" can be asked for (ipmonitor.c's IPMON_L*).
const (
	monLink = 1 << iota
	monAddr
	monRoute
	monMroute
	monPrefix
	monNeigh
	monNetconf
	monStats
	monRule
	monNSID
	monNexthop
	monAll = ^0
)

// monitorObjects are the words of do_ipmonitor's chain, in its order
// (which decides abbreviations: "n" is neigh, "ne" neigh too).
var monitorObjects = [...]struct {
	name  string
	mask  int
	exact bool
}{
	{"link", monLink, false}, {"address", monAddr, false}, {"route", monRoute, false},
	{"mroute", monMroute, false}, {"prefix", monPrefix, false}, {"neigh", monNeigh, false},
	{"netconf", monNetconf, false}, {"rule", monRule, false}, {"nsid", monNSID, false},
	{"nexthop", monNexthop, false}, {"stats", monStats, true},
}

// monitor is one "ip monitor": what to print and the caches of names
// that ip keeps up to date from the link events themselves.
type monitor struct {
	e        *env
	label    bool
	allNSID  bool
	ifindex  int32
	names    *linkNames
	links    *linkTypes
	nhc      *nexthopCache
	nsNames  map[int32]string
	p        *printer
	filter   routeFilter
	nsidSeen bool
	// bridge makes this "bridge monitor": links and FDB entries only,
	// printed by bridge's printers, with no namespace ids.
	bridge bool
}

// monitorArgs is do_ipmonitor's parsing of its command line.
func monitorArgs(e *env, a *args) (m *monitor, mask int, file string, err error) {
	m = &monitor{e: e}
	var dev string
	for a.more() {
		w := a.advance()
		known := false
		for _, o := range monitorObjects {
			if o.exact && w == o.name || !o.exact && matches(w, o.name) {
				mask |= o.mask
				known = true
				break
			}
		}
		switch {
		case matches(w, "file"):
			// "file" comes first in ip's chain: "f" is file.
			if !a.more() {
				return nil, 0, "", errIncomplete
			}
			file = a.advance()
			continue
		case matches(w, "label"):
			m.label = true
			continue
		case known:
			continue
		case w == "all":
			m.label = true
		case matches(w, "all-nsid"):
			m.allNSID = true
		case matches(w, "help"):
			return nil, 0, "", usageText(monitorUsage)
		case w == "dev":
			if !a.more() {
				return nil, 0, "", errIncomplete
			}
			dev = a.advance()
		default:
			return nil, 0, "", &cliError{code: exitUsage, msg: fmt.Sprintf("Argument %q is unknown, try \"ipr monitor help\".", w)}
		}
	}
	if dev != "" {
		h, err := e.handle()
		if err != nil {
			return nil, 0, "", err
		}
		l, err := linkByName(e.ctx, h, dev)
		if err != nil {
			return nil, 0, "", invarg("Device does not exist\n", dev)
		}
		m.ifindex = l.Index()
		// iproute_reset_filter(ifindex): routes print no "dev".
		m.filter.oif, m.filter.oifSet = m.ifindex, true
	}
	return m, mask, file, nil
}

// groups are the multicast groups of the objects in mask, narrowed by
// the family of -4, -6 or -M as ip narrows them.
func (m *monitor) groups(mask int) []rtm.Group {
	fam := m.e.Family
	var g []rtm.Group
	add := func(want int, family uint8, groups ...uint32) {
		if mask&want != 0 && (fam == 0 || family == 0 || fam == family) {
			for _, x := range groups {
				g = append(g, rtm.Group(x))
			}
		}
	}
	add(monLink, 0, unix.RTNLGRP_LINK)
	add(monAddr, unix.AF_INET, unix.RTNLGRP_IPV4_IFADDR)
	add(monAddr, unix.AF_INET6, unix.RTNLGRP_IPV6_IFADDR)
	add(monRoute, unix.AF_INET, unix.RTNLGRP_IPV4_ROUTE)
	add(monRoute, unix.AF_INET6, unix.RTNLGRP_IPV6_ROUTE)
	add(monRoute, unix.AF_MPLS, unix.RTNLGRP_MPLS_ROUTE)
	add(monMroute, unix.AF_INET, unix.RTNLGRP_IPV4_MROUTE)
	add(monMroute, unix.AF_INET6, unix.RTNLGRP_IPV6_MROUTE)
	add(monPrefix, unix.AF_INET6, unix.RTNLGRP_IPV6_PREFIX)
	add(monNeigh, 0, unix.RTNLGRP_NEIGH)
	add(monRule, unix.AF_INET, unix.RTNLGRP_IPV4_RULE)
	add(monRule, unix.AF_INET6, unix.RTNLGRP_IPV6_RULE)
	add(monNetconf, unix.AF_INET, unix.RTNLGRP_IPV4_NETCONF)
	add(monNetconf, unix.AF_INET6, unix.RTNLGRP_IPV6_NETCONF)
	add(monNetconf, unix.AF_MPLS, unix.RTNLGRP_MPLS_NETCONF)
	add(monNSID, 0, unix.RTNLGRP_NSID)
	add(monNexthop, 0, unix.RTNLGRP_NEXTHOP)
	// ip adds the stats group whatever the family.
	add(monStats, 0, uint32(rtm.GroupStats))
	return g
}

func monitorRun(e *env, a *args) error {
	// ip 6.1's monitor opens no JSON document: with -j it prints text,
	// as ipr does (m.p is a text printer). (ip -j also prints the
	// kernel's refusals of its namespace id requests at start; ipr
	// does not.)
	m, mask, file, err := monitorArgs(e, a)
	if err != nil {
		return err
	}
	if mask == 0 {
		mask = monAll
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	m.names = &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}, nsidName: e.nsidName}
	m.links = &linkTypes{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	m.nhc = &nexthopCache{ctx: e.ctx, h: h}
	m.p = &printer{palette: e.palette}
	if file != "" {
		return m.replay(file)
	}
	return m.listen(m.groups(mask))
}

// listen prints the notifications of groups until the context ends.
func (m *monitor) listen(groups []rtm.Group) error {
	e, h := m.e, m.names.h
	// ip's ll_init_map: the names of the links that exist now, kept up
	// to date from the link events, so that events about a link being
	// deleted still name it.
	for l, err := range h.Links(e.ctx, nil) {
		if err != nil {
			return err
		}
		m.remember(l, true)
	}
	var opts []rtm.MonitorOption
	if m.allNSID {
		opts = append(opts, rtm.WithAllNamespaces())
	}
	mon, err := h.Monitor(groups, opts...)
	if err != nil {
		return err
	}
	defer mon.Close()
	for ev, err := range mon.Events(e.ctx) {
		if err != nil {
			if e.ctx.Err() != nil {
				return nil
			}
			return err
		}
		if ev.Overrun {
			continue
		}
		if err := m.message(ev.Type, ev.Header.Flags, ev.Data, ev.NSID, true); err != nil {
			return err
		}
	}
	return nil
}

// replay prints the messages of a file, as ip's rtnl_from_file does.
func (m *monitor) replay(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return &cliError{code: exitUsage, msg: "Cannot fopen: " + strerror(err)}
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var hdr [unix.NLMSG_HDRLEN]byte
	buf := make([]byte, 16384)
	for {
		n, err := io.ReadFull(r, hdr[:])
		if n == 0 && err == io.EOF {
			return nil
		}
		if err != nil {
			return failf("rtnl-from_file: truncated message")
		}
		length := int(binary.NativeEndian.Uint32(hdr[0:]))
		if length < unix.NLMSG_HDRLEN || length > len(buf) {
			off, _ := f.Seek(0, io.SeekCurrent)
			return failf("!!!malformed message: len=%d @%d", length, off-int64(r.Buffered()))
		}
		body := buf[:nlmsgAlign(length-unix.NLMSG_HDRLEN)]
		if _, err := io.ReadFull(r, body); err != nil {
			return failf("rtnl-from_file: truncated message")
		}
		typ := binary.NativeEndian.Uint16(hdr[4:])
		flags := binary.NativeEndian.Uint16(hdr[6:])
		if err := m.message(typ, flags, body[:length-unix.NLMSG_HDRLEN], -1, false); err != nil {
			return err
		}
	}
}

func nlmsgAlign(n int) int { return (n + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1) }

// remember is iproute2's ll_remember_index: the cache of names follows
// link events.
func (m *monitor) remember(l rtm.Link, exists bool) {
	idx := l.Index()
	if !exists {
		delete(m.names.byIndex, idx)
		delete(m.links.byIndex, idx)
		return
	}
	// iproute2 6.1 updates only the flags of a link it knows: a renamed
	// link keeps its old name in ip's output until it is deleted.
	if r, ok := m.names.byIndex[idx]; ok && r.found {
		r.flags = l.Flags()
		m.names.byIndex[idx] = r
	} else {
		m.names.byIndex[idx] = newLinkRef(l)
	}
	if _, ok := m.links.byIndex[idx]; !ok {
		m.links.byIndex[idx] = newLinkRef(l)
	}
}

// learn is the other half of iproute2's one cache of links: a link that
// no link event told of is looked up in the kernel once, for every
// printer, and then named so even after it is gone.
func (m *monitor) learn(index int32) {
	if index == 0 {
		return
	}
	if _, ok := m.names.byIndex[index]; ok {
		if _, ok := m.links.byIndex[index]; ok {
			return
		}
	}
	l, err := m.names.h.LinkByIndex(m.e.ctx, index)
	if err != nil {
		m.names.byIndex[index] = linkRef{}
		m.links.byIndex[index] = linkRef{}
		return
	}
	if _, ok := m.names.byIndex[index]; !ok {
		m.names.byIndex[index] = newLinkRef(l)
	}
	m.links.byIndex[index] = newLinkRef(l)
}

// header is ipmonitor.c's print_headers: time stamp, namespace id and
// the object's label.
func (m *monitor) header(label string, nsid int32, live bool) {
	p := m.p
	if m.e.Timestamp {
		now := time.Now()
		if m.e.TimestampShort {
			p.textString("[" + now.Format("2006-01-02T15:04:05") + "." + fmt.Sprintf("%06d", now.Nanosecond()/1000) + "] ")
		} else {
			p.textString("Timestamp: " + now.Format("Mon Jan _2 15:04:05 2006") + " " + strconv.Itoa(now.Nanosecond()/1000) + " usec\n")
		}
	}
	if m.allNSID {
		if !live || nsid < 0 {
			p.textString("[nsid current]")
		} else {
			p.textString("[nsid " + strconv.Itoa(int(nsid)) + "]")
		}
	}
	if m.label {
		p.textString(label)
	}
}

// deleted prints iproute2's "Deleted " of a removal.
func (m *monitor) deleted(typ uint16, del uint16) {
	if typ == del {
		m.p.textString("Deleted ")
	}
}

// message is ipmonitor.c's accept_msg: one notification printed.
func (m *monitor) message(typ, flags uint16, data []byte, nsid int32, live bool) error {
	p := m.p
	p.buf = p.buf[:0]
	if m.bridge {
		return m.bridgeMessage(typ, data)
	}
	details := m.e.Details
	switch typ {
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		r, err := rtm.RouteFromBytes(data)
		if err != nil {
			return failf("BUG: wrong nlmsg len %d", len(data)-unix.SizeofRtMsg)
		}
		if r.Flags()&unix.RTM_F_CLONED != 0 {
			return nil
		}
		if r.Family() == rtnlFamilyIPMR || r.Family() == rtnlFamilyIP6MR {
			m.header("[MROUTE]", nsid, live)
			m.mroute(typ, data)
			break
		}
		// ip prints the header before its printer's filters reject
		// the object (here and below).
		m.header("[ROUTE]", nsid, live)
		if m.ifindex == 0 || r.OutIndex() == m.ifindex {
			m.learn(r.OutIndex())
			m.deleted(typ, unix.RTM_DELROUTE)
			printRoute(p, r, &m.filter, m.names, m.nhc, details)
		}
	case unix.RTM_NEWNEXTHOP, unix.RTM_DELNEXTHOP:
		n, err := rtm.NexthopFromBytes(data)
		if err != nil {
			return nil
		}
		m.header("[NEXTHOP]", nsid, live)
		m.deleted(typ, unix.RTM_DELNEXTHOP)
		printNexthopEntry(p, n, "", m.names, details)
		p.endl()
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		l, err := rtm.LinkFromBytes(data)
		if err != nil {
			return nil
		}
		m.remember(l, typ == unix.RTM_NEWLINK)
		m.header("[LINK]", nsid, live)
		if m.ifindex == 0 || l.Index() == m.ifindex {
			m.deleted(typ, unix.RTM_DELLINK)
			var idx nla.Index
			printLink(p, l, &idx, m.names, linkPrint{details: details, linkLayer: true, noQueueLen: true})
		}
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		ad, err := rtm.AddrFromBytes(data)
		if err != nil {
			return nil
		}
		m.header("[ADDR]", nsid, live)
		if m.ifindex == 0 || ad.Index() == m.ifindex {
			m.learn(ad.Index())
			m.deleted(typ, unix.RTM_DELADDR)
			p.text("%d: %s", uint32(ad.Index()), m.names.name(ad.Index()))
			printAddr(p, ad)
		}
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH, unix.RTM_GETNEIGH:
		n, err := rtm.NeighFromBytes(data)
		if err != nil {
			return nil
		}
		if f := m.e.Family; f != 0 && n.Family() != f {
			return nil
		}
		m.header("[NEIGH]", nsid, live)
		if m.ifindex == 0 || n.Index() == m.ifindex {
			m.learn(n.Index())
			m.deleted(typ, unix.RTM_DELNEIGH)
			if typ == unix.RTM_GETNEIGH {
				p.textString("miss ")
			}
			printNeigh(p, n, m.ifindex != 0, m.links)
		}
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		r, err := rtm.RuleFromBytes(data)
		if err != nil {
			return nil
		}
		m.header("[RULE]", nsid, live)
		m.deleted(typ, unix.RTM_DELRULE)
		printRule(p, r, details)
	case unix.RTM_NEWNSID, unix.RTM_DELNSID:
		if !m.nsidSeen {
			m.nsidSeen = true
			m.nsNames = namespaceIDs(m.e.ctx, m.e.ns)
		}
		m.header("[NSID]", nsid, live)
		printNSID(p, wire.Message{Header: unix.NlMsghdr{Type: typ, Flags: flags}, Data: data}, m.nsNames)
	case unix.NLMSG_ERROR, unix.NLMSG_NOOP, unix.NLMSG_DONE:
		return nil
	case nlmsgTimestamp:
		printNlmsgTimestamp(p, data)
	case unix.RTM_NEWNETCONF, unix.RTM_DELNETCONF:
		m.header("[NETCONF]", nsid, live)
		printNetconfMsg(p, typ, data, m.names, m.e.Family, m.ifindex)
	case unix.RTM_NEWPREFIX:
		m.header("[PREFIX]", nsid, live)
		m.prefix(data)
	case unix.RTM_NEWSTATS:
		m.header("[STATS]", nsid, live)
		m.stats(data)
	case unix.RTM_NEWNEXTHOPBUCKET, unix.RTM_DELNEXTHOPBUCKET:
		// The kernel sends none to the nexthop group (as of Linux
		// 6.18); a file can hold them.
		b, err := rtm.NexthopBucketFromBytes(data)
		if err != nil {
			return nil
		}
		m.header("[NEXTHOPBUCKET]", nsid, live)
		printNexthopBucket(p, b)
	case unix.RTM_NEWADDRLABEL, unix.RTM_DELADDRLABEL:
		// Printed by ip, not yet by ipr: left out (the group is not
		// subscribed to; only a file can hold them).
		return nil
	default:
		n := unix.NLMSG_HDRLEN + len(data)
		fmt.Fprintf(m.e.Stderr, "Unknown message: type=0x%08x(%d) flags=0x%08x(%d) len=0x%08x(%d)\n",
			typ, typ, flags, flags, n, n)
		return nil
	}
	if _, err := m.e.Stdout.Write(p.buf); err != nil {
		return err
	}
	return nil
}

// bridgeMessage is bridge's accept_msg.
func (m *monitor) bridgeMessage(typ uint16, data []byte) error {
	p := m.p
	switch typ {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		l, err := rtm.LinkFromBytes(data)
		if err != nil || l.Family() != unix.AF_BRIDGE && l.Family() != unix.AF_UNSPEC {
			return nil
		}
		m.header("[LINK]", -1, false)
		var idx nla.Index
		printBridgeLink(p, l, &idx, m.names, typ == unix.RTM_DELLINK, m.e.Details)
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH:
		n, err := rtm.NeighFromBytes(data)
		if err != nil || n.Family() != unix.AF_BRIDGE {
			return nil
		}
		var f fdbFilter
		m.header("[NEIGH]", -1, false)
		printFDB(p, n, typ == unix.RTM_DELNEIGH, &f, m.links, m.e.Stats.level > 0)
	case unix.RTM_NEWMDB, unix.RTM_DELMDB:
		if !printMDBEvent(m, typ, data) {
			return nil
		}
	case unix.RTM_NEWVLAN, unix.RTM_DELVLAN:
		if !printVLANEvent(m, typ, data) {
			return nil
		}
	case unix.RTM_NEWTUNNEL, unix.RTM_DELTUNNEL:
		if !printVNIEvent(m, typ, data) {
			return nil
		}
	case nlmsgTimestamp:
		printNlmsgTimestamp(p, data)
	default:
		return nil
	}
	_, err := m.e.Stdout.Write(p.buf)
	return err
}

// printNlmsgTimestamp is iproute2's print_nlmsg_timestamp.
func printNlmsgTimestamp(p *printer, data []byte) {
	if len(data) >= 8 {
		secs := binary.NativeEndian.Uint32(data)
		usecs := binary.NativeEndian.Uint32(data[4:])
		p.textString("Timestamp: " + time.Unix(int64(secs), 0).Format("Mon Jan _2 15:04:05 2006") +
			" " + strconv.FormatUint(uint64(usecs), 10) + " us\n")
	}
}

// nlmsgTimestamp is iproute2's NLMSG_TSTAMP, the time stamps rtmon
// writes between the messages of its files.
const nlmsgTimestamp = 15

// The families of multicast routes (RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR),
// which ip monitor prints as [MROUTE].
const (
	rtnlFamilyIPMR  = 128
	rtnlFamilyIP6MR = 129
)
