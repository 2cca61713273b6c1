package main

// "ipr link": show, add, set and delete network interfaces, with the
// syntax and output of iproute2's "ip link" (version 6.1).

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// linkUsage is "ipr link help".
const linkUsage = "{ show [ [dev] NAME ] [ up ] [ master DEV | nomaster ] [ type KIND ] [ group GROUP ]\n" +
	"         | add [ link DEV ] [ name ] NAME [ OPTIONS ] type KIND [ KIND-ARGS ]\n" +
	"         | set [ dev ] NAME [ OPTIONS ] [ type KIND [ KIND-ARGS ] ]\n" +
	"         | replace [ link DEV ] [ name ] NAME [ OPTIONS ] type KIND [ KIND-ARGS ]\n" +
	"         | del [ dev ] NAME }\n" +
	"OPTIONS := [ up | down ] [ mtu MTU ] [ name NEWNAME ] [ address LLADDR ] [ broadcast LLADDR ]\n" +
	"           [ master DEV | nomaster ] [ txqueuelen N ] [ alias NAME ] [ group GROUP ] [ index N ]\n" +
	"           [ numtxqueues N ] [ numrxqueues N ] [ netns { PID | NAME } ]\n" +
	"           [ multicast | allmulticast | promisc | arp { on | off } ]\n" +
	"KIND := { veth [ peer [ name ] NAME [ OPTIONS ] ] | bridge | bridge_slave | vxlan | macvlan | macvtap\n" +
	"          | vlan | ipvlan | ipvtap | vrf | dummy | ifb | wireguard }"

// showFilter is what "link show" and "addr show" select, iproute2's
// struct link_filter.
type showFilter struct {
	dev        string
	index      int32
	up         bool
	group      uint32
	groupSet   bool
	master     int32 // -1: nomaster
	masterName string
	kind       string
	slaveKind  string

	// Address filters ("addr show" only).
	family    uint8
	scope     uint8
	scopeMask uint8
	flags     uint32
	flagMask  uint32
	label     string
	prefix    netip.Prefix
	// names resolves the interface names that label filters match
	// unlabelled addresses against.
	names *linkNames
}

// parseShowFilter parses the arguments of "link show" or, with addrs,
// "addr show" and "addr flush".
func parseShowFilter(a *args, f *showFilter, addrs bool) error {
	for a.more() {
		w := a.advance()
		switch {
		case w == "up":
			f.up = true
		case w == "group":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			g, ok := groupNames.id(s, 1<<32-1)
			if !ok {
				return usagef("invalid group %q", s)
			}
			f.group, f.groupSet = g, true
		case w == "master":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			f.masterName = s
		case w == "nomaster":
			f.master, f.masterName = -1, ""
		case w == "type":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			if k, ok := strings.CutSuffix(s, "_slave"); ok {
				f.slaveKind = k
			} else {
				f.kind = s
			}
		case addrs && w == "to":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			p, _, err := parsePrefix("to", s, f.family)
			if err != nil {
				return err
			}
			f.prefix = p
			if f.family == 0 {
				f.family = addrFamily(p.Addr())
			}
		case addrs && w == "scope":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			f.scopeMask = 0xff
			sc, ok := scopeNames.id(s, 255)
			if !ok {
				if s != "all" {
					return usagef("invalid scope %q", s)
				}
				sc, f.scopeMask = unix.RT_SCOPE_NOWHERE, 0
			}
			f.scope = uint8(sc)
		case addrs && w == "label":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			f.label = s
		case addrs && addrFlagFilter(f, w):
		default:
			if w == "dev" {
				s, err := a.value(w)
				if err != nil {
					return err
				}
				w = s
			} else if strings.HasPrefix(w, "-") || w == "help" {
				return usagef("unknown argument %q", w)
			}
			if f.dev != "" {
				return usagef("device given twice: %q and %q", f.dev, w)
			}
			f.dev = w
		}
	}
	return nil
}

// linkShow is "link show".
func linkShow(e *env, a *args) error {
	f := showFilter{family: unix.AF_PACKET}
	if err := parseShowFilter(a, &f, false); err != nil {
		return err
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	links, names, err := selectLinks(ctx, h, &f)
	if err != nil {
		return err
	}
	p := &printer{json: e.JSON}
	p.openArray("")
	var idx nla.Index
	for _, l := range links {
		p.openObject("")
		// As in iproute2, a link that print_linkinfo's filters drop
		// leaves the empty JSON object opened for it.
		if f.keepLink(l, &idx) {
			printLink(p, l, &idx, names, linkPrint{details: e.Details, doLink: true, linkLayer: true})
		}
		p.closeObject()
	}
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	_, err = e.Stdout.Write(p.buf)
	return err
}

// selectLinks gets the links a show command lists: one by name when f
// names a device, else a dump filtered kernel-side where iproute2 filters
// kernel-side. It resolves f's device and master names to indexes.
func selectLinks(ctx context.Context, h *rtm.Handle, f *showFilter) ([]rtm.Link, *linkNames, error) {
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	if f.masterName != "" {
		m, err := h.LinkByName(ctx, f.masterName)
		if err != nil {
			return nil, nil, invarg("Device does not exist\n", f.masterName) // sic: ip ends this message with an empty line
		}
		f.master = m.Index()
	}
	var links []rtm.Link
	if f.dev != "" {
		l, err := h.LinkByName(ctx, f.dev)
		if err != nil {
			if isNotFound(err) {
				return nil, nil, errNoShowDevice(f.dev)
			}
			return nil, nil, err
		}
		f.index = l.Index()
		links = []rtm.Link{l}
	} else {
		lf := &rtm.LinkFilter{MasterIndex: f.master, Kind: f.kind}
		if f.family == unix.AF_INET6 {
			// Like iproute2, dump with the family: IPv6 answers itself,
			// with its short view of each link (name, MTU, addresses),
			// and filters nothing.
			lf = &rtm.LinkFilter{Family: unix.AF_INET6}
		}
		var err error
		links, err = rtm.Collect(h.Links(ctx, lf))
		if err != nil {
			return nil, nil, err
		}
	}
	for _, l := range links {
		names.byIndex[l.Index()] = linkRef{name: l.Name(), flags: l.Flags(), found: true}
	}
	return links, names, nil
}

// keepLink applies the filters of iproute2's print_linkinfo.
func (f *showFilter) keepLink(l rtm.Link, idx *nla.Index) bool {
	idx.Reset(l.Chain())
	if f.index != 0 && l.Index() != f.index {
		return false
	}
	if f.up && !l.IsUp() {
		return false
	}
	if a, ok := idx.Get(unix.IFLA_GROUP); ok && f.groupSet && attrU32(a) != f.group {
		return false
	}
	if a, ok := idx.Get(unix.IFLA_MASTER); ok {
		if f.master > 0 && int32(attrU32(a)) != f.master {
			return false
		}
		if f.master < 0 && attrU32(a) != 0 {
			return false
		}
	} else if f.master > 0 {
		return false
	}
	if f.kind != "" && l.Kind() != f.kind {
		return false
	}
	if f.slaveKind != "" && l.PortKind() != f.slaveKind {
		return false
	}
	return true
}

// linkNames resolves interface indexes to names and flags, as iproute2's
// ll_map cache does: from the links already listed, else by asking the
// kernel.
type linkNames struct {
	ctx     context.Context
	h       *rtm.Handle
	byIndex map[int32]linkRef
}

type linkRef struct {
	name  string
	flags uint32
	found bool
}

func (n *linkNames) lookup(index int32) linkRef {
	if r, ok := n.byIndex[index]; ok {
		return r
	}
	var r linkRef
	if l, err := n.h.LinkByIndex(n.ctx, index); err == nil {
		r = linkRef{name: l.Name(), flags: l.Flags(), found: true}
	}
	n.byIndex[index] = r
	return r
}

// name is iproute2's ll_index_to_name: "*" for 0, "ifN" if unknown.
func (n *linkNames) name(index int32) string {
	if index == 0 {
		return "*"
	}
	if r := n.lookup(index); r.found {
		return r.name
	}
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10)
}

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
}

// printLink prints one link as iproute2's print_linkinfo does, using idx
// to index l's attributes.
func printLink(p *printer, l rtm.Link, idx *nla.Index, names *linkNames, o linkPrint) {
	idx.Reset(l.Chain())
	details, doLink := o.details, o.doLink
	get := idx.Get
	p.int("ifindex", "%d: ", int64(l.Index()))
	mdown := printNameAndLink(p, l.Name(), idx, names)
	printLinkFlags(p, l.Flags(), mdown)

	if a, ok := get(unix.IFLA_MTU); ok {
		p.uint("mtu", "mtu %d ", uint64(attrU32(a)))
	}
	if a, ok := get(unix.IFLA_QDISC); ok {
		p.str("qdisc", "qdisc %s ", attrStr(a))
	}
	if a, ok := get(unix.IFLA_MASTER); ok {
		p.str("master", "master %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := get(unix.IFLA_OPERSTATE); ok {
		if s := attrU8(a); int(s) < len(operStates) {
			if p.json {
				p.jsonStr("operstate", operStates[s])
			} else {
				p.text("state %s ", operStates[s])
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
	if q := txQueueLen(l, idx, names); q != 0 {
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
		if id >= 0 {
			p.text(" link-netnsid %d", id)
		} else {
			p.text(" link-netnsid unknown")
		}
	}
	if a, ok := get(unix.IFLA_NEW_NETNSID); ok {
		p.text(" new-netnsid %d", int32(attrU32(a)))
	}
	if a, ok := get(unix.IFLA_NEW_IFINDEX); ok {
		p.text(" new-ifindex %d", int32(attrU32(a)))
	}
	if a, ok := get(unix.IFLA_PROTO_DOWN); ok && attrU8(a) != 0 {
		p.boolean("proto_down", " protodown on ", true)
	}

	if details {
		printLinkDetails(p, idx, names, doLink)
	}
	if a, ok := get(unix.IFLA_IFALIAS); ok && (doLink || details) {
		p.textString("\n    ")
		p.str("ifalias", "alias %s", attrStr(a))
	}
	if a, ok := get(unix.IFLA_PROP_LIST); ok {
		p.openArray("altnames")
		for alt := range a.Nested().AllOf(unix.IFLA_ALT_IFNAME) {
			p.textString("\n    altname ")
			p.str("", "%s", attrStr(alt))
		}
		p.closeArray()
	}
	p.nl()
}

func printLinkLayer(p *printer, l rtm.Link, idx *nla.Index) {
	p.nl()
	typ := l.Type()
	p.str("link_type", "    link/%s ", linkTypeName(typ))
	hw, hasHW := idx.Get(unix.IFLA_ADDRESS)
	if hasHW {
		p.str("address", "%s", hwString(hw.Data, typ))
	}
	if a, ok := idx.Get(unix.IFLA_BROADCAST); ok {
		if l.Flags()&unix.IFF_POINTOPOINT != 0 {
			p.textString(" peer ")
			p.jsonBool("link_pointtopoint", true)
		} else {
			p.textString(" brd ")
		}
		p.str("broadcast", "%s", hwString(a.Data, typ))
	}
	if a, ok := idx.Get(unix.IFLA_PERM_ADDRESS); ok && (!hasHW || string(hw.Data) != string(a.Data)) {
		p.textString(" permaddr ")
		p.str("permaddr", "%s", hwString(a.Data, typ))
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
func printNameAndLink(p *printer, name string, idx *nla.Index, names *linkNames) (mdown bool) {
	a, ok := idx.Get(unix.IFLA_LINK)
	if !ok {
		p.str("ifname", "%s: ", name)
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
		p.text("%s: ", text)
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
	s := "0x" + strconv.FormatUint(uint64(m)|0x100, 16)[1:] // C's "%#.2hhx"
	if int(m) < len(addrGenModes) {
		s = addrGenModes[m]
	}
	p.str("inet6_addr_gen_mode", "addrgenmode %s ", s)
}

// kindPrinter prints a kind's IFLA_INFO_DATA (or a port's
// IFLA_INFO_SLAVE_DATA). data is nil when the attribute is absent.
type kindPrinter func(p *printer, data *nla.Index, names *linkNames)

// kindPrinterOf returns the printer of a kind whose data is printed, named as iproute2
// names its link_util modules. Kinds iproute2 prints nothing for (veth,
// dummy, ifb, ...) are absent, as are kinds not implemented here.
func kindPrinterOf(kind string) kindPrinter {
	switch kind {
	case "bridge":
		return printBridge
	case "bridge_slave":
		return printBridgePort
	case "vxlan":
		return printVXLAN
	case "macvlan":
		return printMacvlan
	case "macvtap":
		return printMacvlan
	case "tun":
		return printTun
	}
	return nil
}

// printLinkInfo prints IFLA_LINKINFO, iproute2's print_linktype.
func printLinkInfo(p *printer, info nla.Chain, names *linkNames) {
	p.openObject("linkinfo")
	kind, hasKind := info.Get(unix.IFLA_INFO_KIND)
	if hasKind {
		k := attrStr(kind)
		p.nl()
		p.str("info_kind", "    %s ", k)
		printKindData(p, "info_data", k, info, unix.IFLA_INFO_DATA, names)
	}
	if slave, ok := info.Get(unix.IFLA_INFO_SLAVE_KIND); ok {
		k := attrStr(slave)
		p.nl()
		p.str("info_slave_kind", "    %s_slave ", k)
		printKindData(p, "info_slave_data", k+"_slave", info, unix.IFLA_INFO_SLAVE_DATA, names)
	}
	p.closeObject()
}

func printKindData(p *printer, key, kind string, info nla.Chain, typ uint16, names *linkNames) {
	printData := kindPrinterOf(kind)
	ok := printData != nil
	if !ok {
		return
	}
	p.openObject(key)
	if a, ok := info.Get(typ); ok {
		var data nla.Index
		data.Reset(a.Nested())
		printData(p, &data, names)
	} else {
		printData(p, nil, names)
	}
	p.closeObject()
}

// bridgeID formats struct ifla_bridge_id as iproute2 does:
// "8000.aa:bb:c:d:e:f", the priority in hex and then the address the way
// glibc's ether_ntoa prints it, without leading zeros.
func bridgeID(b []byte) string {
	if len(b) < 8 {
		return ""
	}
	s := make([]byte, 0, 24)
	s = append(s, hexString(b[:2])...)
	s = append(s, '.')
	for i, c := range b[2:8] {
		if i > 0 {
			s = append(s, ':')
		}
		s = strconv.AppendUint(s, uint64(c), 16)
	}
	return string(s)
}

// printTimer prints a bridge timer, sent in hundredths of a second, as
// seconds with two decimals; JSON gets a bare number such as 14.96.
func printTimer(p *printer, key string, a nla.Attr) {
	v := attrU64(a)
	sec, frac := int32(v/100), int32(v%100)
	if p.json {
		p.number(key, "", strconv.Itoa(int(sec))+"."+string([]byte{byte('0' + frac/10), byte('0' + frac%10)}))
		return
	}
	p.text("%s %4d.%02d ", key, sec, frac)
}

func printBridge(p *printer, tb *nla.Index, _ *linkNames) {
	if tb == nil {
		return
	}
	uint := func(t uint16, key, format string, width int) {
		a, ok := tb.Get(t)
		if !ok {
			return
		}
		var v uint64
		switch width {
		case 1:
			v = uint64(attrU8(a))
		case 2:
			v = uint64(attrU16(a))
		case 4:
			v = uint64(attrU32(a))
		default:
			v = attrU64(a)
		}
		p.uint(key, format, v)
	}
	uint(unix.IFLA_BR_FORWARD_DELAY, "forward_delay", "forward_delay %d ", 4)
	uint(unix.IFLA_BR_HELLO_TIME, "hello_time", "hello_time %d ", 4)
	uint(unix.IFLA_BR_MAX_AGE, "max_age", "max_age %d ", 4)
	uint(unix.IFLA_BR_AGEING_TIME, "ageing_time", "ageing_time %d ", 4)
	uint(unix.IFLA_BR_STP_STATE, "stp_state", "stp_state %d ", 4)
	uint(unix.IFLA_BR_PRIORITY, "priority", "priority %d ", 2)
	uint(unix.IFLA_BR_VLAN_FILTERING, "vlan_filtering", "vlan_filtering %d ", 1)
	if a, ok := tb.Get(unix.IFLA_BR_VLAN_PROTOCOL); ok {
		p.str("vlan_protocol", "vlan_protocol %s ", ethProtoName(attrU16(a)))
	}
	id, hasID := tb.Get(unix.IFLA_BR_BRIDGE_ID)
	if hasID {
		p.str("bridge_id", "bridge_id %s ", bridgeID(id.Data))
	}
	if _, ok := tb.Get(unix.IFLA_BR_ROOT_ID); ok {
		// iproute2 6.1 formats IFLA_BR_BRIDGE_ID here, not
		// IFLA_BR_ROOT_ID; the output follows it.
		p.str("root_id", "designated_root %s ", bridgeID(id.Data))
	}
	uint(unix.IFLA_BR_ROOT_PORT, "root_port", "root_port %d ", 2)
	uint(unix.IFLA_BR_ROOT_PATH_COST, "root_path_cost", "root_path_cost %d ", 4)
	uint(unix.IFLA_BR_TOPOLOGY_CHANGE, "topology_change", "topology_change %d ", 1)
	uint(unix.IFLA_BR_TOPOLOGY_CHANGE_DETECTED, "topology_change_detected", "topology_change_detected %d ", 1)
	for _, t := range [...]struct {
		typ uint16
		key string
	}{
		{unix.IFLA_BR_HELLO_TIMER, "hello_timer"}, {unix.IFLA_BR_TCN_TIMER, "tcn_timer"},
		{unix.IFLA_BR_TOPOLOGY_CHANGE_TIMER, "topology_change_timer"}, {unix.IFLA_BR_GC_TIMER, "gc_timer"},
	} {
		if a, ok := tb.Get(t.typ); ok {
			printTimer(p, t.key, a)
		}
	}
	uint(unix.IFLA_BR_VLAN_DEFAULT_PVID, "vlan_default_pvid", "vlan_default_pvid %d ", 2)
	uint(unix.IFLA_BR_VLAN_STATS_ENABLED, "vlan_stats_enabled", "vlan_stats_enabled %d ", 1)
	uint(unix.IFLA_BR_VLAN_STATS_PER_PORT, "vlan_stats_per_port", "vlan_stats_per_port %d ", 1)
	if a, ok := tb.Get(unix.IFLA_BR_GROUP_FWD_MASK); ok {
		p.hex("group_fwd_mask", "group_fwd_mask %s ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BR_GROUP_ADDR); ok {
		p.str("group_addr", "group_address %s ", hwString(a.Data, unix.ARPHRD_ETHER))
	}
	uint(unix.IFLA_BR_MCAST_SNOOPING, "mcast_snooping", "mcast_snooping %d ", 1)
	if a, ok := tb.Get(unix.IFLA_BR_MULTI_BOOLOPT); ok && len(a.Data) >= 8 {
		// struct br_boolopt_multi {optval, optmask}; bits are
		// BR_BOOLOPT_NO_LL_LEARN (0) and BR_BOOLOPT_MCAST_VLAN_SNOOPING (1).
		val, mask := native32(a.Data), native32(a.Data[4:])
		for _, o := range [...]struct {
			bit  uint32
			key  string
			text string
		}{{1 << 0, "no_linklocal_learn", "no_linklocal_learn %d "}, {1 << 1, "mcast_vlan_snooping", "mcast_vlan_snooping %d "}} {
			if mask&o.bit != 0 {
				var v uint64
				if val&o.bit != 0 {
					v = 1
				}
				p.uint(o.key, o.text, v)
			}
		}
	}
	uint(unix.IFLA_BR_MCAST_ROUTER, "mcast_router", "mcast_router %d ", 1)
	uint(unix.IFLA_BR_MCAST_QUERY_USE_IFADDR, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr %d ", 1)
	uint(unix.IFLA_BR_MCAST_QUERIER, "mcast_querier", "mcast_querier %d ", 1)
	uint(unix.IFLA_BR_MCAST_HASH_ELASTICITY, "mcast_hash_elasticity", "mcast_hash_elasticity %d ", 4)
	uint(unix.IFLA_BR_MCAST_HASH_MAX, "mcast_hash_max", "mcast_hash_max %d ", 4)
	uint(unix.IFLA_BR_MCAST_LAST_MEMBER_CNT, "mcast_last_member_cnt", "mcast_last_member_count %d ", 4)
	uint(unix.IFLA_BR_MCAST_STARTUP_QUERY_CNT, "mcast_startup_query_cnt", "mcast_startup_query_count %d ", 4)
	uint(unix.IFLA_BR_MCAST_LAST_MEMBER_INTVL, "mcast_last_member_intvl", "mcast_last_member_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_MEMBERSHIP_INTVL, "mcast_membership_intvl", "mcast_membership_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_QUERIER_INTVL, "mcast_querier_intvl", "mcast_querier_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_QUERY_INTVL, "mcast_query_intvl", "mcast_query_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, "mcast_query_response_intvl", "mcast_query_response_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, "mcast_startup_query_intvl", "mcast_startup_query_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_STATS_ENABLED, "mcast_stats_enabled", "mcast_stats_enabled %d ", 1)
	uint(unix.IFLA_BR_MCAST_IGMP_VERSION, "mcast_igmp_version", "mcast_igmp_version %d ", 1)
	uint(unix.IFLA_BR_MCAST_MLD_VERSION, "mcast_mld_version", "mcast_mld_version %d ", 1)
	uint(unix.IFLA_BR_NF_CALL_IPTABLES, "nf_call_iptables", "nf_call_iptables %d ", 1)
	uint(unix.IFLA_BR_NF_CALL_IP6TABLES, "nf_call_ip6tables", "nf_call_ip6tables %d ", 1)
	uint(unix.IFLA_BR_NF_CALL_ARPTABLES, "nf_call_arptables", "nf_call_arptables %d ", 1)
}

// ethProtoName is iproute2's ll_proto_n2a for the protocols a bridge's
// vlan_protocol can be; p is in network byte order, as sent.
func ethProtoName(p uint16) string {
	p = p>>8 | p<<8
	switch p {
	case unix.ETH_P_8021Q:
		return "802.1Q"
	case unix.ETH_P_8021AD:
		return "802.1ad"
	}
	return "[" + strconv.Itoa(int(p)) + "]"
}

var bridgePortStates = [...]string{"disabled", "listening", "learning", "forwarding", "blocking"}

// bridgeFwdMaskNames names the bits of group_fwd_mask_str.
var bridgeFwdMaskNames = [16]string{0: "stp", 2: "lacp", 14: "lldp"}

func printBridgePort(p *printer, tb *nla.Index, names *linkNames) {
	if tb == nil {
		return
	}
	onOff := func(t uint16, key, format string) {
		if a, ok := tb.Get(t); ok {
			p.onOff(key, format, attrU8(a) != 0)
		}
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_STATE); ok {
		if s := attrU8(a); int(s) < len(bridgePortStates) {
			p.str("state", "state %s ", bridgePortStates[s])
		} else {
			p.int("state_index", "state (%d) ", int64(s))
		}
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_PRIORITY); ok {
		p.int("priority", "priority %d ", int64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_COST); ok {
		p.int("cost", "cost %d ", int64(int32(attrU32(a))))
	}
	onOff(unix.IFLA_BRPORT_MODE, "hairpin", "hairpin %s ")
	onOff(unix.IFLA_BRPORT_GUARD, "guard", "guard %s ")
	onOff(unix.IFLA_BRPORT_PROTECT, "root_block", "root_block %s ")
	onOff(unix.IFLA_BRPORT_FAST_LEAVE, "fastleave", "fastleave %s ")
	onOff(unix.IFLA_BRPORT_LEARNING, "learning", "learning %s ")
	onOff(unix.IFLA_BRPORT_UNICAST_FLOOD, "flood", "flood %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_ID); ok {
		p.hex("id", "port_id %s ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_NO); ok {
		p.hex("no", "port_no %s ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_DESIGNATED_PORT); ok {
		p.uint("designated_port", "designated_port %d ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_DESIGNATED_COST); ok {
		p.uint("designated_cost", "designated_cost %d ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_BRIDGE_ID); ok {
		p.str("bridge_id", "designated_bridge %s ", bridgeID(a.Data))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_ROOT_ID); ok {
		p.str("root_id", "designated_root %s ", bridgeID(a.Data))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_HOLD_TIMER); ok {
		printTimer(p, "hold_timer", a)
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_MESSAGE_AGE_TIMER); ok {
		printTimer(p, "message_age_timer", a)
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_FORWARD_DELAY_TIMER); ok {
		printTimer(p, "forward_delay_timer", a)
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK); ok {
		p.uint("topology_change_ack", "topology_change_ack %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_CONFIG_PENDING); ok {
		p.uint("config_pending", "config_pending %d ", uint64(attrU8(a)))
	}
	onOff(unix.IFLA_BRPORT_PROXYARP, "proxy_arp", "proxy_arp %s ")
	onOff(unix.IFLA_BRPORT_PROXYARP_WIFI, "proxy_arp_wifi", "proxy_arp_wifi %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_MULTICAST_ROUTER); ok {
		p.uint("multicast_router", "mcast_router %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_FAST_LEAVE); ok && !p.json {
		p.onOff("", "mcast_fast_leave %s ", attrU8(a) != 0)
	}
	onOff(unix.IFLA_BRPORT_MCAST_FLOOD, "mcast_flood", "mcast_flood %s ")
	onOff(unix.IFLA_BRPORT_BCAST_FLOOD, "bcast_flood", "bcast_flood %s ")
	onOff(unix.IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast", "mcast_to_unicast %s ")
	onOff(unix.IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress", "neigh_suppress %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_GROUP_FWD_MASK); ok {
		m := attrU16(a)
		p.hex("group_fwd_mask", "group_fwd_mask %s ", uint64(m))
		var s []string
		for i := 0; i < 16; i++ {
			if m&(1<<i) == 0 {
				continue
			}
			if n := bridgeFwdMaskNames[i]; n != "" {
				s = append(s, n)
			} else {
				s = append(s, "0x"+strconv.FormatUint(1<<i, 16))
			}
		}
		str := "0x0"
		if len(s) > 0 {
			str = strings.Join(s, ",")
		}
		p.str("group_fwd_mask_str", "group_fwd_mask_str %s ", str)
	}
	onOff(unix.IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel", "vlan_tunnel %s ")
	onOff(unix.IFLA_BRPORT_ISOLATED, "isolated", "isolated %s ")
	onOff(unix.IFLA_BRPORT_LOCKED, "locked", "locked %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_BACKUP_PORT); ok {
		p.str("backup_port", "backup_port %s ", names.name(int32(attrU32(a))))
	}
}

func printVXLAN(p *printer, tb *nla.Index, names *linkNames) {
	if tb == nil {
		return
	}
	nonzeroFlag := func(t uint16, key, text string) {
		if a, ok := tb.Get(t); ok && attrU8(a) != 0 {
			p.boolean(key, text, true)
		}
	}
	nonzeroFlag(unix.IFLA_VXLAN_COLLECT_METADATA, "external", "external ")
	nonzeroFlag(unix.IFLA_VXLAN_VNIFILTER, "vnifilter", "vnifilter")
	if a, ok := tb.Get(unix.IFLA_VXLAN_ID); ok && len(a.Data) >= 4 {
		p.uint("id", "id %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_GROUP); ok {
		if len(a.Data) == 4 && native32(a.Data) != 0 {
			if a.Data[0]&0xf0 == 0xe0 {
				p.str("group", "group %s ", ipString(a.Data))
			} else {
				p.str("remote", "remote %s ", ipString(a.Data))
			}
		}
	} else if a, ok := tb.Get(unix.IFLA_VXLAN_GROUP6); ok && len(a.Data) == 16 {
		if ip := netip.AddrFrom16([16]byte(a.Data)); !ip.IsUnspecified() {
			if ip.IsMulticast() {
				p.str("group6", "group %s ", ipString(a.Data))
			} else {
				p.str("remote6", "remote %s ", ipString(a.Data))
			}
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LOCAL); ok {
		if len(a.Data) == 4 && native32(a.Data) != 0 {
			p.str("local", "local %s ", ipString(a.Data))
		}
	} else if a, ok := tb.Get(unix.IFLA_VXLAN_LOCAL6); ok && len(a.Data) == 16 {
		if !netip.AddrFrom16([16]byte(a.Data)).IsUnspecified() {
			p.str("local6", "local %s ", ipString(a.Data))
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LINK); ok && attrU32(a) != 0 {
		p.str("link", "dev %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_PORT_RANGE); ok && len(a.Data) >= 4 {
		low, high := be16(a.Data), be16(a.Data[2:])
		if p.json {
			p.openObject("port_range")
			p.jsonUint("low", uint64(low))
			p.jsonUint("high", uint64(high))
			p.closeObject()
		} else {
			p.text("srcport %d %d ", low, high)
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_PORT); ok && len(a.Data) >= 2 {
		p.uint("port", "dstport %d ", uint64(be16(a.Data)))
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LEARNING); ok {
		learning := attrU8(a) != 0
		p.jsonBool("learning", learning)
		if !learning {
			p.textString("nolearning ")
		}
	}
	nonzeroFlag(unix.IFLA_VXLAN_PROXY, "proxy", "proxy ")
	nonzeroFlag(unix.IFLA_VXLAN_RSC, "rsc", "rsc ")
	nonzeroFlag(unix.IFLA_VXLAN_L2MISS, "l2miss", "l2miss ")
	nonzeroFlag(unix.IFLA_VXLAN_L3MISS, "l3miss", "l3miss ")
	if a, ok := tb.Get(unix.IFLA_VXLAN_TOS); ok {
		if tos := attrU8(a); tos == 1 && !p.json {
			p.textString("tos inherit ")
		} else if tos != 0 {
			p.hex("tos", "tos %s ", uint64(tos))
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_TTL_INHERIT); ok && attrU8(a) != 0 {
		p.textString("ttl inherit ")
	} else if a, ok := tb.Get(unix.IFLA_VXLAN_TTL); ok {
		if ttl := attrU8(a); ttl != 0 || p.json {
			p.uint("ttl", "ttl %d ", uint64(ttl))
		} else {
			p.textString("ttl auto ")
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_DF); ok {
		switch attrU8(a) {
		case 0:
			p.jsonStr("df", "unset")
		case 1:
			p.str("df", "df %s ", "set")
		case 2:
			p.str("df", "df %s ", "inherit")
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LABEL); ok && len(a.Data) >= 4 {
		if label := be32(a.Data); label != 0 {
			p.hex("label", "flowlabel %s ", uint64(label))
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_AGEING); ok {
		if age := attrU32(a); age == 0 {
			p.uint("ageing", "ageing none ", 0)
		} else {
			p.uint("ageing", "ageing %d ", uint64(age))
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LIMIT); ok && attrU32(a) != 0 {
		p.uint("limit", "maxaddr %d ", uint64(attrU32(a)))
	}
	for _, c := range [...]struct {
		typ  uint16
		key  string
		text string
	}{
		{unix.IFLA_VXLAN_UDP_CSUM, "udp_csum", "udpcsum "},
		{unix.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx "},
		{unix.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx "},
	} {
		if a, ok := tb.Get(c.typ); ok {
			on := attrU8(a) != 0
			p.jsonBool(c.key, on)
			if !on {
				p.textString("no")
			}
			p.textString(c.text)
		}
	}
	nonzeroFlag(unix.IFLA_VXLAN_REMCSUM_TX, "remcsum_tx", "remcsumtx ")
	nonzeroFlag(unix.IFLA_VXLAN_REMCSUM_RX, "remcsum_rx", "remcsumrx ")
	if _, ok := tb.Get(unix.IFLA_VXLAN_GBP); ok {
		p.boolean("gbp", "gbp ", true)
	}
	if _, ok := tb.Get(unix.IFLA_VXLAN_GPE); ok {
		p.boolean("gpe", "gpe ", true)
	}
}

// Macvlan modes and flags (linux/if_link.h), which x/sys/unix lacks.
const (
	macvlanModePrivate  = 1
	macvlanModeVEPA     = 2
	macvlanModeBridge   = 4
	macvlanModePassthru = 8
	macvlanModeSource   = 16

	macvlanFlagNoPromisc = 1
	macvlanFlagNoDst     = 2
)

func printMacvlan(p *printer, tb *nla.Index, _ *linkNames) {
	if tb == nil {
		return
	}
	a, ok := tb.Get(unix.IFLA_MACVLAN_MODE)
	if !ok || len(a.Data) < 4 {
		return
	}
	mode := attrU32(a)
	name := "unknown"
	switch mode {
	case macvlanModePrivate:
		name = "private"
	case macvlanModeVEPA:
		name = "vepa"
	case macvlanModeBridge:
		name = "bridge"
	case macvlanModePassthru:
		name = "passthru"
	case macvlanModeSource:
		name = "source"
	}
	p.str("mode", "mode %s ", name)
	var flags uint16
	if a, ok := tb.Get(unix.IFLA_MACVLAN_FLAGS); ok && len(a.Data) >= 2 {
		flags = attrU16(a)
	}
	if flags&macvlanFlagNoPromisc != 0 {
		p.boolean("nopromisc", "nopromisc ", true)
	}
	if flags&macvlanFlagNoDst != 0 {
		p.boolean("nodst", "nodst ", true)
	}
	if a, ok := tb.Get(unix.IFLA_MACVLAN_BC_QUEUE_LEN); ok && len(a.Data) >= 4 {
		p.uint("bcqueuelen", "bcqueuelen %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.IFLA_MACVLAN_BC_QUEUE_LEN_USED); ok && len(a.Data) >= 4 {
		p.uint("usedbcqueuelen", "usedbcqueuelen %d ", uint64(attrU32(a)))
	}
	if mode != macvlanModeSource {
		return
	}
	a, ok = tb.Get(unix.IFLA_MACVLAN_MACADDR_COUNT)
	if !ok || len(a.Data) < 4 {
		return
	}
	p.int("macaddr_count", "remotes (%d) ", int64(int32(attrU32(a))))
	data, ok := tb.Get(unix.IFLA_MACVLAN_MACADDR_DATA)
	if !ok {
		return
	}
	p.openArray("macaddr_data")
	for m := range data.Nested().AllOf(unix.IFLA_MACVLAN_MACADDR) {
		if len(m.Data) >= 6 {
			p.str("", "%s ", hwString(m.Data[:6], unix.ARPHRD_ETHER))
		}
	}
	p.closeArray()
}

func printTun(p *printer, tb *nla.Index, _ *linkNames) {
	if tb == nil {
		return
	}
	if a, ok := tb.Get(unix.IFLA_TUN_TYPE); ok {
		var s string
		switch t := attrU8(a); t {
		case unix.IFF_TUN:
			s = "tun"
		case unix.IFF_TAP:
			s = "tap"
		default:
			s = "UNKNOWN:" + strconv.Itoa(int(t))
		}
		p.str("type", "type %s ", s)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_PI); ok {
		p.onOff("pi", "pi %s ", attrU8(a) != 0)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_VNET_HDR); ok {
		p.onOff("vnet_hdr", "vnet_hdr %s ", attrU8(a) != 0)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_MULTI_QUEUE); !ok || attrU8(a) == 0 {
		p.jsonBool("multi_queue", false)
	} else {
		p.boolean("multi_queue", "multi_queue ", true)
		if a, ok := tb.Get(unix.IFLA_TUN_NUM_QUEUES); ok {
			p.uint("numqueues", "numqueues %d ", uint64(attrU32(a)))
		}
		if a, ok := tb.Get(unix.IFLA_TUN_NUM_DISABLED_QUEUES); ok {
			p.uint("numdisabled", "numdisabled %d ", uint64(attrU32(a)))
		}
	}
	if a, ok := tb.Get(unix.IFLA_TUN_PERSIST); ok {
		p.onOff("persist", "persist %s ", attrU8(a) != 0)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_OWNER); ok {
		id := strconv.FormatUint(uint64(attrU32(a)), 10)
		if u, err := user.LookupId(id); err == nil {
			p.str("user", "user %s ", u.Username)
		} else {
			p.uint("user", "user %d ", uint64(attrU32(a)))
		}
	}
	if a, ok := tb.Get(unix.IFLA_TUN_GROUP); ok {
		id := strconv.FormatUint(uint64(attrU32(a)), 10)
		if g, err := user.LookupGroupId(id); err == nil {
			p.str("group", "group %s ", g.Name)
		} else {
			p.uint("group", "group %d ", uint64(attrU32(a)))
		}
	}
}

func native32(b []byte) uint32 { return attrU32(nla.Attr{Data: b[:4]}) }
func be16(b []byte) uint16     { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// linkOp is the link-changing command being parsed.
type linkOp int

const (
	linkAdd linkOp = iota
	linkSet
	linkReplace
	linkDelete
)

// linkChange is "link add", "link set", "link replace" and "link del",
// parsed as iproute2's iplink_modify parses them.
func linkChange(e *env, a *args, op linkOp) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	if op == linkDelete {
		return linkDelete1(ctx, h, a)
	}
	lp := &linkParser{ctx: ctx, h: h}
	var spec rtm.LinkSpec
	dev, name, kind, err := lp.options(a, &spec, false)
	if err != nil {
		return err
	}
	if kind != "" {
		if err := lp.kind(kind, a, &spec); err != nil {
			return err
		}
	}
	if dev == "" {
		return usagef("not enough information: a device name is required")
	}
	if op == linkAdd || op == linkReplace {
		if kind == "" {
			return usagef("not enough information: \"type\" argument is required")
		}
		spec.Name = name
		if op == linkAdd {
			return h.LinkAdd(ctx, spec)
		}
		return h.LinkReplace(ctx, spec)
	}
	l, err := linkByName(ctx, h, dev)
	if err != nil {
		return err
	}
	spec.Index = l.Index()
	if name != dev {
		spec.Name = name
	}
	return h.LinkSet(ctx, spec)
}

// linkDelete1 is "link del [dev] NAME [type KIND]"; the type, which
// iproute2 accepts, is ignored.
func linkDelete1(ctx context.Context, h *rtm.Handle, a *args) error {
	var dev string
	for a.more() {
		w := a.advance()
		switch {
		case w == "dev" || matches(w, "type"):
			if _, err := a.value(w); err != nil {
				return err
			}
			if w == "dev" {
				dev = a.list[a.i-1]
			}
		case dev == "" && !strings.HasPrefix(w, "-") && w != "help":
			dev = w
		default:
			return usagef("link delete takes only a device name: unexpected %q", w)
		}
	}
	if dev == "" {
		return usagef("not enough information: a device name is required")
	}
	err := h.LinkDelByName(ctx, dev)
	if isNotFound(err) {
		return errNoDevice(dev)
	}
	return err
}

// linkParser parses link options, resolving the device names in them.
type linkParser struct {
	ctx context.Context
	h   *rtm.Handle
}

func (lp *linkParser) index(name string) (int32, error) {
	l, err := linkByName(lp.ctx, lp.h, name)
	if err != nil {
		return 0, err
	}
	return l.Index(), nil
}

// options parses the generic options of iproute2's iplink_parse into s, up
// to "type KIND". It returns the device (after "dev", or a bare word), the
// name ("name NAME", else the device) and the kind. A veth peer's options
// (peer) stop at the end of the arguments instead.
func (lp *linkParser) options(a *args, s *rtm.LinkSpec, peer bool) (dev, name, kind string, err error) {
	onOff := func(w string) (bool, error) {
		v, err := a.value(w)
		if err != nil {
			return false, err
		}
		switch v {
		case "on":
			return true, nil
		case "off":
			return false, nil
		}
		return false, usagef("invalid %s %q: want \"on\" or \"off\"", w, v)
	}
	for a.more() {
		w := a.advance()
		var err error
		// iproute2's order of checks, which decides what abbreviations
		// mean.
		switch {
		case w == "up" || w == "down":
			s.Up = rtm.Some(w == "up")
		case w == "name":
			if name != "" {
				return "", "", "", usagef("name given twice")
			}
			if name, err = a.value(w); err == nil && !validIfname(name) {
				err = invarg(`"name" not a valid ifname`, name)
			}
		case w == "index":
			var v uint32
			v, err = a.uint32Value(w)
			s.Index = int32(v)
			if v == 0 || v > 1<<31-1 {
				err = usagef("invalid index %d", v)
			}
		case matches(w, "link"):
			var v string
			if v, err = a.value("link"); err == nil {
				s.Parent, err = lp.index(v)
			}
		case matches(w, "address"):
			s.Address, err = llAddrValue(a, "address")
		case matches(w, "broadcast") || w == "brd":
			s.Broadcast, err = llAddrValue(a, "broadcast")
		case matches(w, "txqueuelen") || w == "qlen" || matches(w, "txqlen"):
			var v uint32
			v, err = a.uint32Value("txqueuelen")
			s.TxQueueLen = rtm.Some(v)
		case w == "mtu":
			s.MTU, err = a.uint32Value(w)
			if err == nil && s.MTU == 0 {
				err = usagef("invalid mtu 0")
			}
		case w == "netns":
			var v string
			if v, err = a.value(w); err == nil {
				s.Netns, err = netnsValue(v)
			}
		case w == "multicast":
			var on bool
			on, err = onOff(w)
			s.Multicast = rtm.Some(on)
		case w == "allmulticast":
			var on bool
			on, err = onOff(w)
			s.AllMulticast = rtm.Some(on)
		case w == "promisc":
			var on bool
			on, err = onOff(w)
			s.Promisc = rtm.Some(on)
		case w == "arp":
			var on bool
			on, err = onOff(w)
			s.ARP = rtm.Some(on)
		case matches(w, "master"):
			var v string
			var m int32
			if v, err = a.value("master"); err == nil {
				m, err = lp.index(v)
				s.Master = rtm.Some(m)
			}
		case matches(w, "nomaster"):
			s.Master = rtm.Some[int32](0)
		case matches(w, "type") && !peer:
			kind, err = a.value("type")
			if err == nil && kind == "" {
				err = usagef("empty type")
			}
			dev, name = devAndName(dev, name)
			return dev, name, kind, err
		case matches(w, "alias"):
			var v string
			v, err = a.value("alias")
			s.Alias = rtm.Some(v)
		case w == "group":
			var v string
			if v, err = a.value(w); err == nil {
				g, ok := groupNames.id(v, 1<<32-1)
				if !ok {
					err = usagef("invalid group %q", v)
				}
				s.Group = rtm.Some(g)
			}
		case matches(w, "numtxqueues"):
			s.NumTxQueues, err = a.uint32Value("numtxqueues")
		case matches(w, "numrxqueues"):
			s.NumRxQueues, err = a.uint32Value("numrxqueues")
		case unsupportedLinkOption(w):
			err = usagef("option %q is not supported by ipr", w)
		default:
			if w == "dev" {
				if w, err = a.value(w); err != nil {
					break
				}
			} else if w == "help" || strings.HasPrefix(w, "-") {
				return "", "", "", usagef("unknown option %q", w)
			}
			if dev != "" {
				return "", "", "", usagef("unknown option %q (device already given as %q)", w, dev)
			}
			dev = w
		}
		if err != nil {
			return "", "", "", err
		}
	}
	dev, name = devAndName(dev, name)
	return dev, name, "", nil
}

// devAndName completes "ip link add dev NAME" and "ip link add name NAME",
// which mean the same.
func devAndName(dev, name string) (string, string) {
	if name == "" {
		return dev, dev
	}
	if dev == "" {
		return name, name
	}
	return dev, name
}

// unsupportedLinkOption reports iproute2 options ipr does not implement; they
// get a clearer error than "unknown option".
func unsupportedLinkOption(w string) bool {
	switch w {
	case "xdp", "xdpgeneric", "xdpdrv", "xdpoffload", "trailers", "carrier",
		"vf", "vrf", "dynamic", "mode", "state", "addrgenmode",
		"link-netns", "link-netnsid", "protodown", "protodown_reason", "gso_max_size", "gso_max_segs",
		"gro_max_size", "parentdev":
		return true
	}
	return false
}

// llAddrValue parses a link-layer address: colon-separated hex bytes, as
// iproute2's ll_addr_a2n accepts them ("0:1:2:3:4:5" included).
func llAddrValue(a *args, keyword string) ([]byte, error) {
	s, err := a.value(keyword)
	if err != nil {
		return nil, err
	}
	var hw []byte
	for _, part := range strings.Split(s, ":") {
		v, err := strconv.ParseUint(part, 16, 8)
		if err != nil || len(part) > 2 {
			return nil, usagef("invalid %s %q: want hex bytes separated by colons", keyword, s)
		}
		hw = append(hw, byte(v))
	}
	if len(hw) > 32 {
		return nil, usagef("invalid %s %q: longer than 32 bytes", keyword, s)
	}
	return hw, nil
}

// netnsValue designates a namespace by name or, if no namespace has that
// name, by process id, as iproute2 does.
func netnsValue(s string) (rtm.Netns, error) {
	if path, err := netns.Path(s); err == nil {
		if _, err := os.Stat(path); err == nil {
			return rtm.NetnsByName(s), nil
		}
	}
	if pid, err := strconv.Atoi(s); err == nil && pid > 0 {
		return rtm.NetnsByPID(pid), nil
	}
	return rtm.Netns{}, fmt.Errorf("invalid netns %q: no such namespace or process", s)
}

// kind parses the arguments after "type KIND" into s.
func (lp *linkParser) kind(kind string, a *args, s *rtm.LinkSpec) error {
	kp := kindArgs{args: a, kind: kind}
	switch kind {
	case "veth":
		v := &rtm.Veth{}
		s.Kind = v
		if !a.more() {
			return nil
		}
		if w := a.advance(); w != "peer" {
			return usagef("type veth: unknown argument %q, want \"peer\"", w)
		}
		v.Peer = &rtm.LinkSpec{}
		_, name, _, err := lp.options(a, v.Peer, true)
		v.Peer.Name = name
		return err
	case "bridge":
		br := &rtm.Bridge{}
		s.Kind = br
		return kp.parse(map[string]func() error{
			"forward_delay":      kp.centiseconds(&br.ForwardDelay),
			"hello_time":         kp.centiseconds(&br.HelloTime),
			"max_age":            kp.centiseconds(&br.MaxAge),
			"ageing_time":        kp.centiseconds(&br.AgeingTime),
			"stp_state":          kp.bool01(&br.STP),
			"priority":           kp.u16(&br.Priority),
			"vlan_filtering":     kp.bool01(&br.VlanFiltering),
			"vlan_protocol":      kp.vlanProtocol(&br.VlanProtocol),
			"group_fwd_mask":     kp.u16(&br.GroupFwdMask),
			"vlan_default_pvid":  kp.u16(&br.DefaultPVID),
			"vlan_stats_enabled": kp.bool01(&br.VlanStats),
			"mcast_router":       kp.u8(&br.MulticastRouter),
			"mcast_snooping":     kp.bool01(&br.MulticastSnooping),
			"mcast_querier":      kp.bool01(&br.MulticastQuerier),
			"nf_call_iptables":   kp.bool01(&br.NFCallIPTables),
			"nf_call_ip6tables":  kp.bool01(&br.NFCallIP6Tables),
			"nf_call_arptables":  kp.bool01(&br.NFCallARPTables),
		})
	case "bridge_slave":
		bp := &rtm.BridgePort{}
		s.Port = bp
		return kp.parse(map[string]func() error{
			"state":          kp.u8(&bp.State),
			"priority":       kp.u16(&bp.Priority),
			"cost":           kp.u32(&bp.Cost),
			"guard":          kp.onOff(&bp.Guard),
			"hairpin":        kp.onOff(&bp.Hairpin),
			"fastleave":      kp.onOff(&bp.FastLeave),
			"root_block":     kp.onOff(&bp.RootBlock),
			"learning":       kp.onOff(&bp.Learning),
			"flood":          kp.onOff(&bp.Flood),
			"mcast_flood":    kp.onOff(&bp.MulticastFlood),
			"bcast_flood":    kp.onOff(&bp.BroadcastFlood),
			"proxy_arp":      kp.onOff(&bp.ProxyARP),
			"neigh_suppress": kp.onOff(&bp.NeighSuppress),
			"isolated":       kp.onOff(&bp.Isolated),
		})
	case "vxlan":
		vx := &rtm.Vxlan{}
		s.Kind = vx
		var hasID bool
		err := kp.parse(map[string]func() error{
			"id":         func() error { hasID = true; return kp.plainU32(&vx.VNI)() },
			"vni":        func() error { hasID = true; return kp.plainU32(&vx.VNI)() },
			"remote":     kp.addr(&vx.Remote),
			"group":      kp.addr(&vx.Group),
			"local":      kp.addr(&vx.Local),
			"dev":        kp.dev(lp, &vx.Dev),
			"ttl":        kp.ttl(&vx.TTL),
			"hoplimit":   kp.ttl(&vx.TTL),
			"tos":        kp.tos(&vx.TOS),
			"dsfield":    kp.tos(&vx.TOS),
			"srcport":    kp.portRange(&vx.SrcPortMin, &vx.SrcPortMax),
			"port":       kp.plainU16(&vx.Port),
			"dstport":    kp.plainU16(&vx.Port),
			"ageing":     kp.seconds(&vx.Ageing),
			"maxaddress": kp.u32(&vx.MaxAddresses),
			"learning":   kp.flag(&vx.Learning, true),
			"nolearning": kp.flag(&vx.Learning, false),
			"proxy":      kp.flag(&vx.Proxy, true),
			"noproxy":    kp.flag(&vx.Proxy, false),
			"rsc":        kp.flag(&vx.RSC, true),
			"norsc":      kp.flag(&vx.RSC, false),
			"l2miss":     kp.flag(&vx.L2Miss, true),
			"nol2miss":   kp.flag(&vx.L2Miss, false),
			"l3miss":     kp.flag(&vx.L3Miss, true),
			"nol3miss":   kp.flag(&vx.L3Miss, false),
			"udpcsum":    kp.flag(&vx.UDPChecksum, true),
			"noudpcsum":  kp.flag(&vx.UDPChecksum, false),
		})
		if err == nil && !hasID {
			err = usagef("type vxlan: \"id\" is required")
		}
		return err
	case "macvlan", "macvtap":
		m := &rtm.Macvlan{Tap: kind == "macvtap"}
		s.Kind = m
		var flags rtm.MacvlanFlags
		err := kp.parse(map[string]func() error{
			"mode": func() error {
				v, err := a.value("mode")
				if err != nil {
					return err
				}
				modes := map[string]rtm.MacvlanMode{"private": rtm.MacvlanPrivate, "vepa": rtm.MacvlanVEPA,
					"bridge": rtm.MacvlanBridge, "passthru": rtm.MacvlanPassthru, "source": rtm.MacvlanSource}
				mode, ok := modes[v]
				if !ok {
					return usagef("type %s: invalid mode %q", kind, v)
				}
				m.Mode = mode
				return nil
			},
			"nopromisc": func() error { flags |= rtm.MacvlanNoPromisc; return nil },
			"nodst":     func() error { flags |= rtm.MacvlanNoDst; return nil },
		})
		if flags != 0 {
			m.Flags = rtm.Some(flags)
		}
		return err
	case "vlan":
		v := &rtm.Vlan{}
		s.Kind = v
		var hasID bool
		err := kp.parse(map[string]func() error{
			"id":             func() error { hasID = true; return kp.plainU16(&v.ID)() },
			"protocol":       kp.plainVlanProtocol(&v.Protocol),
			"reorder_hdr":    kp.onOff(&v.ReorderHeader),
			"gvrp":           kp.onOff(&v.GVRP),
			"mvrp":           kp.onOff(&v.MVRP),
			"loose_binding":  kp.onOff(&v.LooseBinding),
			"bridge_binding": kp.onOff(&v.BridgeBinding),
		})
		if err == nil && !hasID {
			err = usagef("type vlan: \"id\" is required")
		}
		return err
	case "ipvlan", "ipvtap":
		v := &rtm.IPVlan{Tap: kind == "ipvtap"}
		s.Kind = v
		return kp.parse(map[string]func() error{
			"mode": func() error {
				w, err := a.value("mode")
				modes := map[string]rtm.IPVlanMode{"l2": rtm.IPVlanL2, "l3": rtm.IPVlanL3, "l3s": rtm.IPVlanL3S}
				mode, ok := modes[w]
				if err == nil && !ok {
					err = usagef("type %s: invalid mode %q", kind, w)
				}
				v.Mode = rtm.Some(mode)
				return err
			},
			"bridge":  func() error { v.Flag = rtm.Some(rtm.IPVlanBridge); return nil },
			"private": func() error { v.Flag = rtm.Some(rtm.IPVlanPrivate); return nil },
			"vepa":    func() error { v.Flag = rtm.Some(rtm.IPVlanVEPA); return nil },
		})
	case "vrf":
		v := &rtm.VRF{}
		s.Kind = v
		return kp.parse(map[string]func() error{"table": kp.plainU32(&v.Table)})
	case "dummy":
		s.Kind = &rtm.Dummy{}
	case "ifb":
		s.Kind = &rtm.Ifb{}
	case "wireguard":
		s.Kind = &rtm.Wireguard{}
	default:
		return usagef("type %q is not supported by ipr", kind)
	}
	if a.more() {
		return usagef("type %s takes no arguments, got %q", kind, a.peek())
	}
	return nil
}

// kindArgs parses one kind's arguments: each keyword's handler reads the
// values that follow it.
type kindArgs struct {
	*args
	kind string
	word string // the keyword being parsed
}

func (kp *kindArgs) parse(handlers map[string]func() error) error {
	for kp.more() {
		kp.word = kp.advance()
		h, ok := handlers[kp.word]
		if !ok {
			return usagef("type %s: unknown argument %q", kp.kind, kp.word)
		}
		if err := h(); err != nil {
			return err
		}
	}
	return nil
}

func (kp *kindArgs) number(bits int) (uint64, error) {
	s, err := kp.value(kp.word)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(s, 0, bits)
	if err != nil {
		return 0, usagef("type %s: invalid %s %q: want a number from 0 to %d", kp.kind, kp.word, s, uint64(1)<<bits-1)
	}
	return v, nil
}

func (kp *kindArgs) u8(o *rtm.Opt[uint8]) func() error {
	return func() error {
		v, err := kp.number(8)
		*o = rtm.Some(uint8(v))
		return err
	}
}

func (kp *kindArgs) u16(o *rtm.Opt[uint16]) func() error {
	return func() error {
		v, err := kp.number(16)
		*o = rtm.Some(uint16(v))
		return err
	}
}

func (kp *kindArgs) u32(o *rtm.Opt[uint32]) func() error {
	return func() error {
		v, err := kp.number(32)
		*o = rtm.Some(uint32(v))
		return err
	}
}

func (kp *kindArgs) plainU16(p *uint16) func() error {
	return func() error {
		v, err := kp.number(16)
		*p = uint16(v)
		return err
	}
}

func (kp *kindArgs) plainU32(p *uint32) func() error {
	return func() error {
		v, err := kp.number(32)
		*p = uint32(v)
		return err
	}
}

// centiseconds reads a bridge time, which iproute2 passes to the kernel
// as given: in hundredths of a second.
func (kp *kindArgs) centiseconds(o *rtm.Opt[time.Duration]) func() error {
	return func() error {
		v, err := kp.number(32)
		*o = rtm.Some(time.Duration(v) * 10 * time.Millisecond)
		return err
	}
}

func (kp *kindArgs) seconds(o *rtm.Opt[time.Duration]) func() error {
	return func() error {
		v, err := kp.number(32)
		*o = rtm.Some(time.Duration(v) * time.Second)
		return err
	}
}

func (kp *kindArgs) bool01(o *rtm.Opt[bool]) func() error {
	return func() error {
		v, err := kp.number(8)
		if err == nil && v > 1 {
			err = usagef("type %s: invalid %s %d: want 0 or 1", kp.kind, kp.word, v)
		}
		*o = rtm.Some(v == 1)
		return err
	}
}

func (kp *kindArgs) onOff(o *rtm.Opt[bool]) func() error {
	return func() error {
		s, err := kp.value(kp.word)
		if err != nil {
			return err
		}
		if s != "on" && s != "off" {
			return usagef("type %s: invalid %s %q: want \"on\" or \"off\"", kp.kind, kp.word, s)
		}
		*o = rtm.Some(s == "on")
		return nil
	}
}

func (kp *kindArgs) flag(o *rtm.Opt[bool], v bool) func() error {
	return func() error { *o = rtm.Some(v); return nil }
}

func (kp *kindArgs) addr(p *netip.Addr) func() error {
	return func() error {
		s, err := kp.value(kp.word)
		if err == nil {
			*p, err = parseAddr(kp.word, s, 0)
		}
		return err
	}
}

func (kp *kindArgs) dev(lp *linkParser, p *int32) func() error {
	return func() error {
		s, err := kp.value(kp.word)
		if err == nil {
			*p, err = lp.index(s)
		}
		return err
	}
}

// ttl reads a TTL or "auto"/"inherit" (0).
func (kp *kindArgs) ttl(o *rtm.Opt[uint8]) func() error {
	return func() error {
		if kp.more() && (kp.peek() == "auto" || kp.peek() == "inherit") {
			kp.advance()
			*o = rtm.Some[uint8](0)
			return nil
		}
		return kp.u8(o)()
	}
}

// tos reads a TOS or "inherit" (1).
func (kp *kindArgs) tos(o *rtm.Opt[uint8]) func() error {
	return func() error {
		if kp.more() && kp.peek() == "inherit" {
			kp.advance()
			*o = rtm.Some[uint8](1)
			return nil
		}
		return kp.u8(o)()
	}
}

func (kp *kindArgs) portRange(low, high *uint16) func() error {
	return func() error {
		if err := kp.plainU16(low)(); err != nil {
			return err
		}
		return kp.plainU16(high)()
	}
}

func (kp *kindArgs) vlanProtocolValue() (uint16, error) {
	s, err := kp.value(kp.word)
	if err != nil {
		return 0, err
	}
	switch strings.ToLower(s) {
	case "802.1q":
		return unix.ETH_P_8021Q, nil
	case "802.1ad":
		return unix.ETH_P_8021AD, nil
	}
	return 0, usagef("type %s: invalid %s %q: want 802.1Q or 802.1ad", kp.kind, kp.word, s)
}

func (kp *kindArgs) vlanProtocol(o *rtm.Opt[uint16]) func() error {
	return func() error {
		v, err := kp.vlanProtocolValue()
		*o = rtm.Some(v)
		return err
	}
}

func (kp *kindArgs) plainVlanProtocol(p *uint16) func() error {
	return func() error {
		v, err := kp.vlanProtocolValue()
		*p = v
		return err
	}
}

// validIfname is iproute2's check_ifname, which ip applies to "name"
// before sending anything: not empty, shorter than IFNAMSIZ, and without
// '/' or white space.
func validIfname(name string) bool {
	return name != "" && len(name) < unix.IFNAMSIZ && !strings.ContainsAny(name, "/ \t\n\v\f\r")
}
