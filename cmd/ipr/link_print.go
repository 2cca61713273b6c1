package main

// ip link's printing of one link: iproute2's print_linkinfo.

import (
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// linkPrint says what printLink prints.
type linkPrint struct {
	// details is -d.
	details bool
	// doLink is true for "link show" and false for "addr show", which
	// prints a little less.
	doLink bool
	// linkLayer prints the link-layer type and addresses, which "addr
	// show" leaves out when filtering by address family.
	linkLayer bool
	// stats are -s and its companions; "link show" prints the counters
	// within the link, "addr show" after its addresses (not here). Both
	// print a VF's counters within its line.
	stats statsOptions
	// noQueueLen leaves out "qlen", as ip's monitor does (its filter's
	// showqueue is off).
	noQueueLen bool
	// indexed says that idx already indexes the link (keepLink has just
	// reset it), which spares building the index again.
	indexed bool
}

// printLink prints one link as iproute2's print_linkinfo does, using idx
// to index l's attributes.
func printLink(p *printer, l rtm.Link, idx *nla.Index, names *linkNames, o linkPrint) {
	if !o.indexed {
		idx.Reset(l.Chain())
	}
	details, doLink := o.details, o.doLink
	get := idx.Get
	p.int("ifindex", "%d: ", int64(l.Index()))
	mdown := printNameAndLink(p, "%s: ", l.Name(), idx, names)
	printLinkFlags(p, l.Flags(), mdown)

	if a, ok := get(unix.IFLA_MTU); ok {
		p.uint("mtu", "mtu %d ", uint64(attrU32(a)))
	}
	if a, ok := get(unix.IFLA_XDP); ok {
		printXDP(p, a, doLink, false, details)
	}
	if a, ok := get(unix.IFLA_QDISC); ok {
		p.strBytes("qdisc", "qdisc %s ", attrText(a))
	}
	if a, ok := get(unix.IFLA_MASTER); ok {
		p.str("master", "master %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := get(unix.IFLA_OPERSTATE); ok {
		if s := attrU8(a); int(s) < len(operStates) {
			if p.json {
				p.jsonStr("operstate", operStates[s])
			} else {
				p.textString("state ")
				p.colorStr(operStateColor(s), "", "%s ", operStates[s])
			}
		} else {
			p.jsonUint("operstate_index", uint64(s))
			p.text("state %s ", cHex(uint64(s)))
		}
	}
	if a, ok := get(unix.IFLA_LINKMODE); ok && doLink {
		if m := attrU8(a); m < 2 {
			p.str("linkmode", "mode %s ", [...]string{"DEFAULT", "DORMANT"}[m])
		} else {
			p.int("linkmode_index", "mode %d ", int64(m))
		}
	}
	if a, ok := get(unix.IFLA_GROUP); ok {
		p.str("group", "group %s ", groupNames.name(attrU32(a)))
	}
	if q := txQueueLen(l, idx, names); q != 0 && !o.noQueueLen {
		p.int("txqlen", "qlen %d", int64(int32(q)))
	}
	if a, ok := get(unix.IFLA_EVENT); ok {
		printLinkEvent(p, attrU32(a))
	}

	if o.linkLayer {
		printLinkLayer(p, l, idx)
	}

	if a, ok := get(unix.IFLA_LINK_NETNSID); ok {
		id := int32(attrU32(a))
		p.jsonInt("link_netnsid", int64(id))
		if id < 0 {
			p.text(" link-netnsid unknown")
		} else if name, ok := names.netnsName(id, p.json); ok {
			p.text(" link-netns %s", name)
		} else {
			p.text(" link-netnsid %d", id)
		}
	}
	if a, ok := get(unix.IFLA_NEW_NETNSID); ok {
		id := int32(attrU32(a))
		if name, ok := names.netnsName(id, p.json); ok {
			p.text(" new-netns %s", name)
		} else {
			p.text(" new-netnsid %d", id)
		}
	}
	if a, ok := get(unix.IFLA_NEW_IFINDEX); ok {
		p.text(" new-ifindex %d", int32(attrU32(a)))
	}
	if a, ok := get(unix.IFLA_PROTO_DOWN); ok && attrU8(a) != 0 {
		p.boolean("proto_down", " protodown on ", true)
	}
	printProtoDownReason(p, get)

	if details {
		printLinkDetails(p, idx, names, doLink)
	}
	if a, ok := get(unix.IFLA_IFALIAS); ok && (doLink || details) {
		p.nl()
		p.textString("    ")
		p.str("ifalias", "alias %s", attrStr(a))
	}
	if a, ok := get(unix.IFLA_XDP); ok && (doLink || details) {
		printXDP(p, a, true, true, details)
	}
	if doLink && o.stats.level > 0 {
		p.nl()
		printLinkStats(p, idx, o.stats)
	}
	truncatedVFs := false
	if a, ok := get(unix.IFLA_VFINFO_LIST); ok && (doLink || details) {
		if num, ok := get(unix.IFLA_NUM_VF); ok {
			truncatedVFs = printVFs(p, l.Type(), l.Flags(), a, o.stats) != attrU32(num)
		}
	}
	if a, ok := get(unix.IFLA_PROP_LIST); ok {
		p.openArray("altnames")
		for alt := range a.Nested().AllOf(unix.IFLA_ALT_IFNAME) {
			p.nl()
			p.textString("    altname ")
			p.str("", "%s", attrStr(alt))
		}
		p.closeArray()
	}
	p.endl()
	if truncatedVFs {
		// The kernel ran out of room in the message for the VFs.
		p.warn("Truncated VF list: " + l.Name() + "\n")
	}
}

func printLinkLayer(p *printer, l rtm.Link, idx *nla.Index) {
	p.nl()
	typ := l.Type()
	p.str("link_type", "    link/%s ", linkTypeName(typ))
	var scratch [64]byte
	hw, hasHW := idx.Get(unix.IFLA_ADDRESS)
	if hasHW {
		p.colorStrBytes(colorMAC, "address", "%s", appendHW(scratch[:0], hw.Data, typ))
	}
	if a, ok := idx.Get(unix.IFLA_BROADCAST); ok {
		if l.Flags()&unix.IFF_POINTOPOINT != 0 {
			p.textString(" peer ")
			p.jsonBool("link_pointtopoint", true)
		} else {
			p.textString(" brd ")
		}
		p.colorStrBytes(colorMAC, "broadcast", "%s", appendHW(scratch[:0], a.Data, typ))
	}
	if a, ok := idx.Get(unix.IFLA_PERM_ADDRESS); ok && (!hasHW || string(hw.Data) != string(a.Data)) {
		p.textString(" permaddr ")
		p.colorStrBytes(colorMAC, "permaddr", "%s", appendHW(scratch[:0], a.Data, typ))
	}
}

// txQueueLen returns IFLA_TXQLEN. IPv6's short view of links (the "-6"
// dumps) lacks it; iproute2 then asks with an ioctl, and this asks for the
// full link.
func txQueueLen(l rtm.Link, idx *nla.Index, names *linkNames) uint32 {
	if a, ok := idx.Get(unix.IFLA_TXQLEN); ok {
		return attrU32(a)
	}
	full, err := names.h.LinkByIndex(names.ctx, l.Index())
	if err != nil {
		return 0
	}
	return full.TxQueueLen()
}

var operStates = [...]string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"}

// printNameAndLink prints "name@lower" (iproute2's print_name_and_link)
// and reports whether the lower device is down (the M-DOWN flag).
func printNameAndLink(p *printer, format, name string, idx *nla.Index, names *linkNames) (mdown bool) {
	a, ok := idx.Get(unix.IFLA_LINK)
	if !ok {
		p.colorStr(colorIfname, "ifname", format, name)
		return false
	}
	lower := int32(attrU32(a))
	text := name
	switch _, otherNetns := idx.Get(unix.IFLA_LINK_NETNSID); {
	case lower == 0:
		p.jsonNull("link")
		text += "@NONE"
	case otherNetns:
		// The index is in another namespace: it names nothing here.
		p.jsonInt("link_index", int64(lower))
		text += "@if" + strconv.FormatUint(uint64(uint32(lower)), 10)
	default:
		lowerName := names.name(lower)
		p.jsonStr("link", lowerName)
		text += "@" + lowerName
		r := names.lookup(lower)
		mdown = r.found && r.flags&unix.IFF_UP == 0
	}
	if p.json {
		p.jsonStr("ifname", name)
	} else {
		p.colorStr(colorIfname, "", format, text)
	}
	return mdown
}

// linkFlagNames are the IFF_* flags in the order iproute2 prints them.
var linkFlagNames = [...]struct {
	flag uint32
	name string
}{
	{unix.IFF_LOOPBACK, "LOOPBACK"}, {unix.IFF_BROADCAST, "BROADCAST"},
	{unix.IFF_POINTOPOINT, "POINTOPOINT"}, {unix.IFF_MULTICAST, "MULTICAST"},
	{unix.IFF_NOARP, "NOARP"}, {unix.IFF_ALLMULTI, "ALLMULTI"}, {unix.IFF_PROMISC, "PROMISC"},
	{unix.IFF_MASTER, "MASTER"}, {unix.IFF_SLAVE, "SLAVE"}, {unix.IFF_DEBUG, "DEBUG"},
	{unix.IFF_DYNAMIC, "DYNAMIC"}, {unix.IFF_AUTOMEDIA, "AUTOMEDIA"}, {unix.IFF_PORTSEL, "PORTSEL"},
	{unix.IFF_NOTRAILERS, "NOTRAILERS"}, {unix.IFF_UP, "UP"}, {unix.IFF_LOWER_UP, "LOWER_UP"},
	{unix.IFF_DORMANT, "DORMANT"}, {unix.IFF_ECHO, "ECHO"},
}

// printLinkFlags prints "<BROADCAST,MULTICAST,UP> " or the JSON "flags"
// array, as iproute2's print_link_flags does.
func printLinkFlags(p *printer, flags uint32, mdown bool) {
	p.openArray("flags")
	p.textString("<")
	sep := func() {
		if flags != 0 {
			p.textString(",")
		}
	}
	if flags&unix.IFF_UP != 0 && flags&unix.IFF_RUNNING == 0 {
		p.str("", "%s", "NO-CARRIER")
		sep()
	}
	flags &^= unix.IFF_RUNNING
	for _, f := range linkFlagNames {
		if flags&f.flag != 0 {
			flags &^= f.flag
			p.str("", "%s", f.name)
			sep()
		}
	}
	if flags != 0 {
		p.str("", "%s", strconv.FormatUint(uint64(flags), 16))
	}
	if mdown {
		p.str("", ",%s", "M-DOWN")
	}
	p.closeArray()
	p.textString("> ")
}

var linkEvents = [...]string{"NONE", "REBOOT", "FEATURE CHANGE", "BONDING FAILOVER", "NOTIFY PEERS", "RESEND IGMP", "BONDING OPTION"}

func printLinkEvent(p *printer, ev uint32) {
	switch {
	case int(ev) >= len(linkEvents):
		p.int("event", "event %d ", int64(int32(ev)))
	case ev != 0:
		p.str("event", "event %s ", linkEvents[ev])
	}
}

// printLinkDetails prints what -d adds to a link.
func printLinkDetails(p *printer, idx *nla.Index, names *linkNames, doLink bool) {
	get := idx.Get
	u32 := func(t uint16, key, format string) {
		if a, ok := get(t); ok {
			p.uint(key, format, uint64(attrU32(a)))
		}
	}
	u32(unix.IFLA_PROMISCUITY, "promiscuity", " promiscuity %d ")
	u32(unix.IFLA_ALLMULTI, "allmulti", " allmulti %d ")
	u32(unix.IFLA_MIN_MTU, "min_mtu", "minmtu %d ")
	u32(unix.IFLA_MAX_MTU, "max_mtu", "maxmtu %d ")
	if a, ok := get(unix.IFLA_LINKINFO); ok {
		printLinkInfo(p, a.Nested(), names)
	}
	if a, ok := get(unix.IFLA_AF_SPEC); ok && doLink {
		printAFSpec(p, a.Nested())
	}
	u32(unix.IFLA_NUM_TX_QUEUES, "num_tx_queues", "numtxqueues %d ")
	u32(unix.IFLA_NUM_RX_QUEUES, "num_rx_queues", "numrxqueues %d ")
	u32(unix.IFLA_GSO_MAX_SIZE, "gso_max_size", "gso_max_size %d ")
	u32(unix.IFLA_GSO_MAX_SEGS, "gso_max_segs", "gso_max_segs %d ")
	u32(unix.IFLA_TSO_MAX_SIZE, "tso_max_size", "tso_max_size %d ")
	u32(unix.IFLA_TSO_MAX_SEGS, "tso_max_segs", "tso_max_segs %d ")
	u32(unix.IFLA_GRO_MAX_SIZE, "gro_max_size", "gro_max_size %d ")
	if a, ok := get(unix.IFLA_PHYS_PORT_NAME); ok {
		p.str("phys_port_name", "portname %s ", attrStr(a))
	}
	if a, ok := get(unix.IFLA_PHYS_PORT_ID); ok {
		p.str("phys_port_id", "portid %s ", hexString(a.Data))
	}
	if a, ok := get(unix.IFLA_PHYS_SWITCH_ID); ok {
		p.str("phys_switch_id", "switchid %s ", hexString(a.Data))
	}
	if a, ok := get(unix.IFLA_PARENT_DEV_BUS_NAME); ok {
		p.str("parentbus", "parentbus %s ", attrStr(a))
	}
	if a, ok := get(unix.IFLA_PARENT_DEV_NAME); ok {
		p.str("parentdev", "parentdev %s ", attrStr(a))
	}
}

func hexString(b []byte) string {
	const hex = "0123456789abcdef"
	s := make([]byte, 0, 2*len(b))
	for _, c := range b {
		s = append(s, hex[c>>4], hex[c&15])
	}
	return string(s)
}

// IPv6 address generation modes (IN6_ADDR_GEN_MODE_*, linux/if_link.h),
// which x/sys/unix lacks.
var addrGenModes = [...]string{"eui64", "none", "stable_secret", "random"}

func printAFSpec(p *printer, spec nla.Chain) {
	inet6, ok := spec.Get(unix.AF_INET6)
	if !ok {
		return
	}
	a, ok := inet6.Nested().Get(unix.IFLA_INET6_ADDR_GEN_MODE)
	if !ok {
		return
	}
	m := attrU8(a)
	hex := "0x" + strconv.FormatUint(uint64(m)|0x100, 16)[1:] // C's "%#.2hhx"
	p.str("inet6_addr_gen_mode", "addrgenmode %s ", nameAt(addrGenModes[:], m, hex))
}

func native32(b []byte) uint32 { return attrU32(nla.Attr{Data: b[:4]}) }

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// printLinkBrief prints a link as -brief does, iproute2's
// print_linkinfo_brief: name, state and, for "link show" (the link
// family), address and flags on a line of their own; "addr show" follows
// with the addresses and ends the line.
func printLinkBrief(p *printer, l rtm.Link, idx *nla.Index, names *linkNames, linkFamily bool) {
	idx.Reset(l.Chain())
	mdown := printNameAndLink(p, "%-16s ", l.Name(), idx, names)
	if a, ok := idx.Get(unix.IFLA_OPERSTATE); ok {
		if s := attrU8(a); int(s) < len(operStates) {
			p.colorStr(operStateColor(s), "operstate", "%-14s ", operStates[s])
		} else {
			p.jsonUint("operstate_index", uint64(s))
			p.text("state %s", cHex(uint64(s)))
		}
	}
	if !linkFamily {
		return
	}
	if hw, ok := idx.Get(unix.IFLA_ADDRESS); ok {
		p.colorStr(colorMAC, "address", "%s ", hwString(hw.Data, l.Type()))
	}
	printLinkFlags(p, l.Flags(), mdown)
	p.endl()
}
