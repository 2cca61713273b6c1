package main

// bridge fdb: the forwarding databases of bridges and VXLAN devices, as
// iproute2 6.1's bridge/fdb.c lists and changes them.

import (
	"net"
	"net/netip"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const fdbUsage = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
`

// fdbVerbs are do_fdb's commands in its order.
var fdbVerbs = [...]verb{
	{name: "add", run: func(e *env, a *args) error { return fdbModify(e, a, rtm.FDBAdd) }},
	{name: "append", run: func(e *env, a *args) error { return fdbModify(e, a, rtm.FDBAppend) }},
	{name: "replace", run: func(e *env, a *args) error { return fdbModify(e, a, rtm.FDBReplace) }},
	{name: "delete", run: func(e *env, a *args) error { return fdbModify(e, a, rtm.FDBDel) }},
	{name: "get", stats: true, run: fdbGet},
	{name: "show", stats: true, run: fdbShow},
	{name: "lst", stats: true, run: fdbShow},
	{name: "list", stats: true, run: fdbShow},
	{name: "flush", exact: true},
	{name: "help"},
}

// fdbFilter is fdb.c's filter_* variables.
type fdbFilter struct {
	index, master int32
	state         uint32
	vlan          uint16
	dynamic       bool
}

// fdbStateNames is fdb.c's state_a2n.
func fdbState(arg string) (uint32, bool) {
	switch {
	case matches(arg, "permanent"):
		return unix.NUD_PERMANENT, true
	case matches(arg, "static"), matches(arg, "temp"):
		return unix.NUD_NOARP, true
	case matches(arg, "stale"):
		return unix.NUD_STALE, true
	case matches(arg, "reachable"), matches(arg, "dynamic"):
		return unix.NUD_REACHABLE, true
	case arg == "all":
		return ^uint32(0), true
	}
	v, err := strconv.ParseUint(arg, 0, 32)
	return uint32(v), err == nil
}

func fdbShow(e *env, a *args) error {
	var (
		f       fdbFilter
		dev, br string
	)
	for a.more() {
		var err error
		switch w := a.advance(); {
		case w == "brport" || w == "dev":
			dev, err = a.value(w)
		case w == "br":
			br, err = a.value(w)
		case w == "vlan":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if f.vlan != 0 {
				return duparg("vlan", v)
			}
			f.vlan = uint16(atoi(v))
		case w == "state":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			s, ok := fdbState(v)
			if !ok {
				return invarg("invalid state", v)
			}
			f.state |= s
		case w == "dynamic":
			f.dynamic = true
		case matches(w, "help"):
			return usageText(fdbUsage)
		}
		if err != nil {
			return err
		}
	}
	h, err := fdbHandle(e, fdbRef{br, fdbNoBridge, &f.master}, fdbRef{dev, fdbNoDevice, &f.index})
	if err != nil {
		return err
	}
	links := &linkTypes{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	p := e.newPrinter()
	return listDump(e, p, h.FDB(e.ctx, &rtm.FDBFilter{MasterIndex: f.master, Index: f.index}), func(n rtm.Neigh) {
		printFDB(p, n, false, &f, links, e.Stats.level > 0)
	})
}

// atoi is C's atoi: the leading decimal digits, 0 without any.
func atoi(s string) int {
	n, i, neg := 0, 0, false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// fdbStateName is fdb.c's state_n2a.
func fdbStateName(s uint16, json bool) string {
	switch {
	case s&unix.NUD_PERMANENT != 0:
		return "permanent"
	case s&unix.NUD_NOARP != 0:
		return "static"
	case s&unix.NUD_STALE != 0:
		return "stale"
	case s&unix.NUD_REACHABLE != 0:
		return ""
	case json:
		return cHex(uint64(s))
	}
	return "state=" + cHex(uint64(s))
}

// printFDB is fdb.c's print_fdb; it reports whether it printed, after
// the filters the kernel does not apply.
func printFDB(p *printer, n rtm.Neigh, deleted bool, f *fdbFilter, links *linkTypes, stats bool) bool {
	if n.Family() != unix.AF_BRIDGE || f.index != 0 && f.index != n.Index() ||
		f.state != 0 && uint32(n.State())&f.state == 0 {
		return false
	}
	var tb nla.Index
	tb.Reset(n.Chain())
	var vid uint16
	if a, ok := tb.Get(unix.NDA_VLAN); ok {
		vid = attrU16(a)
	}
	if f.vlan != 0 && f.vlan != vid || f.dynamic && n.State()&unix.NUD_PERMANENT != 0 {
		return false
	}
	p.openObject("")
	if deleted {
		p.boolean("deleted", "Deleted ", true)
	}
	if a, ok := tb.Get(unix.NDA_LLADDR); ok {
		p.colorStr(colorMAC, "mac", "%s ", hwString(a.Data, links.get(n.Index()).arphrd))
	}
	if f.index == 0 && n.Index() != 0 {
		p.textString("dev ")
		p.colorStr(colorIfname, "ifname", "%s ", links.name(n.Index()))
	}
	if a, ok := tb.Get(unix.NDA_DST); ok {
		p.textString("dst ")
		p.colorStr(addrColor(a.Data), "dst", "%s ", hostString(a.Data))
	}
	if vid != 0 {
		p.uint("vlan", "vlan %d ", uint64(vid))
	}
	if a, ok := tb.Get(unix.NDA_PORT); ok && len(a.Data) >= 2 {
		p.uint("port", "port %d ", uint64(be16(a.Data)))
	}
	if a, ok := tb.Get(unix.NDA_VNI); ok {
		p.uint("vni", "vni %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.NDA_SRC_VNI); ok {
		p.uint("src_vni", "src_vni %d ", uint64(attrU32(a)))
	}
	_, otherNetns := tb.Get(unix.NDA_LINK_NETNSID)
	if a, ok := tb.Get(unix.NDA_IFINDEX); ok {
		if otherNetns {
			p.uint("viaIfIndex", "via ifindex %d ", uint64(attrU32(a)))
		} else {
			p.str("viaIf", "via %s ", links.name(int32(attrU32(a))))
		}
	}
	if a, ok := tb.Get(ndaNHID); ok {
		p.uint("nhid", "nhid %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.NDA_LINK_NETNSID); ok {
		p.int("linkNetNsId", "link-netnsid %d ", int64(int32(attrU32(a))))
	}
	if a, ok := tb.Get(unix.NDA_CACHEINFO); ok && stats && len(a.Data) >= 16 {
		// struct nda_cacheinfo's ndm_used and ndm_updated, in USER_HZ.
		used, updated := native32(a.Data[4:])/userHZ, native32(a.Data[8:])/userHZ
		if p.json {
			p.jsonUint("used", uint64(used))
			p.jsonUint("updated", uint64(updated))
		} else {
			p.text("used %d/%d ", int32(used), int32(updated))
		}
	}
	p.openArray("flags")
	flags := n.Flags()
	for _, fl := range [...]struct {
		bit  uint8
		name string
	}{
		{unix.NTF_SELF, "self"}, {unix.NTF_ROUTER, "router"}, {unix.NTF_EXT_LEARNED, "extern_learn"},
		{unix.NTF_OFFLOADED, "offload"}, {unix.NTF_MASTER, "master"}, {rtm.NTFSticky, "sticky"},
	} {
		if flags&fl.bit != 0 {
			p.str("", "%s ", fl.name)
		}
	}
	p.closeArray()
	if a, ok := tb.Get(unix.NDA_MASTER); ok {
		p.str("master", "master %s ", links.name(int32(attrU32(a))))
	}
	p.str("state", "%s\n", fdbStateName(uint16(n.State()), p.json))
	p.closeObject()
	return true
}

// ndaNHID is NDA_NH_ID.
const ndaNHID = 17

// userHZ is the unit of the kernel's clock_t values given to user space.
const userHZ = 100

// fdbModify is fdb.c's fdb_modify for add, append, replace and delete.
func fdbModify(e *env, a *args, op func(rtm.FDBSpec) rtm.Request) error {
	var (
		s          rtm.FDBSpec
		dev, addr  string
		dstOK      bool
		vid        = -1
		state      = uint16(unix.NUD_NOARP)
		flags      uint8
		via        string
		portOrVNIs bool
	)
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "dev":
			dev, err = a.value(w)
		case w == "dst":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if dstOK {
				return duparg2("dst", v)
			}
			ip, err := netip.ParseAddr(v)
			if err != nil || e.Family == unix.AF_INET && !ip.Is4() || e.Family == unix.AF_INET6 && !ip.Is6() {
				return errAnyAddr(e, v)
			}
			s.Dst, dstOK = ip, true
		case w == "nhid":
			n, err := a.uintValue(w, 32, "\"id\" value is invalid\n")
			if err != nil {
				return err
			}
			s.NHID = uint32(n)
		case w == "port":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			n, err := strconv.ParseUint(v, 0, 64)
			if err != nil {
				pn, lerr := net.LookupPort("udp", v)
				if lerr != nil {
					return invarg("invalid port\n", v)
				}
				n = uint64(pn)
			} else if n > 0xffff {
				return invarg("invalid port\n", v)
			}
			s.Port, portOrVNIs = uint16(n), portOrVNIs || n != 0
		case w == "vni":
			s.VNI, err = a.vniValue(w, "invalid VNI\n")
			portOrVNIs = true
		case w == "src_vni":
			s.SrcVNI, err = a.vniValue(w, "invalid src VNI\n")
		case w == "via":
			via, err = a.value(w)
		case w == "self":
			flags |= unix.NTF_SELF
		case matches(w, "master"):
			flags |= unix.NTF_MASTER
		case matches(w, "router"):
			flags |= unix.NTF_ROUTER
		case matches(w, "local"), matches(w, "permanent"):
			state |= unix.NUD_PERMANENT
		case matches(w, "temp"), matches(w, "static"):
			state |= unix.NUD_REACHABLE
		case matches(w, "dynamic"):
			state = state&^unix.NUD_NOARP | unix.NUD_REACHABLE
		case matches(w, "vlan"):
			err = fdbVLANArg(a, w, &vid)
		case matches(w, "use"):
			flags |= unix.NTF_USE
		case matches(w, "extern_learn"):
			flags |= unix.NTF_EXT_LEARNED
		case matches(w, "sticky"):
			flags |= rtm.NTFSticky
		default:
			err = fdbAddrArg(a, w, &addr)
		}
		if err != nil {
			return err
		}
	}
	if dev == "" || addr == "" {
		return failf("Device and address are required arguments.")
	}
	if s.NHID != 0 && (dstOK || portOrVNIs) {
		return failf("dst, port, vni are mutually exclusive with nhid")
	}
	if flags&(unix.NTF_SELF|unix.NTF_MASTER) == 0 {
		flags |= unix.NTF_SELF
	}
	if state&(unix.NUD_PERMANENT|unix.NUD_REACHABLE) == 0 {
		state |= unix.NUD_PERMANENT
	}
	hw, err := fdbMAC(addr)
	if err != nil {
		return err
	}
	s.LLAddr, s.Flags, s.State = hw, flags, rtm.NeighState(state)
	if vid >= 0 {
		s.VLAN = uint16(vid)
	}
	h, err := fdbHandle(e, fdbRef{via, fdbNoDevice, &s.LinkIndex}, fdbRef{dev, fdbNoDevice, &s.Index})
	if err != nil {
		return err
	}
	return h.Do(e.ctx, op(s))
}

// parseMAC6 is fdb.c's sscanf("%hhx:%hhx:%hhx:%hhx:%hhx:%hhx").
func parseMAC6(s string) (net.HardwareAddr, bool) {
	hw, bad := parseLLAddr(s, 6)
	return hw, bad == "" && len(hw) == 6
}

// fdbGet is fdb.c's fdb_get: one entry, by bridge or by device.
func fdbGet(e *env, a *args) error {
	var (
		q       rtm.FDBQuery
		f       fdbFilter
		dev, br string
		addr    string
		vlan    = -1
	)
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "brport" || w == "dev":
			dev, err = a.value(w)
		case w == "br":
			br, err = a.value(w)
		case w == "vni":
			q.VNI, err = a.vniValue(w, "invalid VNI\n")
		case w == "self":
			q.Flags |= unix.NTF_SELF
		case matches(w, "master"):
			q.Flags |= unix.NTF_MASTER
		case matches(w, "vlan"):
			err = fdbVLANArg(a, w, &vlan)
		case matches(w, "dynamic"):
			f.dynamic = true
		default:
			err = fdbAddrArg(a, w, &addr)
		}
		if err != nil {
			return err
		}
	}
	if dev == "" && br == "" || addr == "" {
		return failf("Device or master and address are required arguments.")
	}
	hw, err := fdbMAC(addr)
	if err != nil {
		return err
	}
	q.LLAddr = hw
	if vlan >= 0 {
		q.VLAN = uint16(vlan)
	}
	h, err := fdbHandle(e, fdbRef{dev, fdbNoDevice, &q.Index}, fdbRef{br, fdbNoBridge, &q.MasterIndex})
	if err != nil {
		return err
	}
	n, err := h.FDBGet(e.ctx, q)
	if err != nil {
		// fdb_get returns -2 for the kernel's refusal: bridge exits 254.
		report(e.Stderr, err)
		return errExit(256 - 2)
	}
	links := &linkTypes{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	p := e.newPrinter()
	p.openArray("")
	printFDB(p, n, false, &f, links, e.Stats.level > 0)
	return e.endList(p)
}

// fdbRef is a device an fdb command names: its name, the message (a
// format of the name) with which fdb.c fails to find it, and where its
// index goes.
type fdbRef struct {
	name, missing string
	index         *int32
}

// The messages of fdbRef.
const (
	fdbNoDevice = "Cannot find device %q"
	fdbNoBridge = "Cannot find bridge device %q"
)

// fdbHandle returns the handle to the kernel, after resolving the devices
// refs name (those given); fdb.c fails with the ref's message whatever
// went wrong.
func fdbHandle(e *env, refs ...fdbRef) (*rtm.Handle, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		if r.name == "" {
			continue
		}
		l, err := linkByName(e.ctx, h, r.name)
		if err != nil {
			return nil, failf(r.missing, r.name)
		}
		*r.index = l.Index()
	}
	return h, nil
}

// fdbMAC parses the LLADDR of fdb add and get.
func fdbMAC(addr string) (net.HardwareAddr, error) {
	hw, ok := parseMAC6(addr)
	if !ok {
		return nil, failf("Invalid mac address %s", addr)
	}
	return hw, nil
}

// fdbVLANArg reads "vlan VID" of fdb add and get, given once (*vid is -1
// until then), as atoi reads it.
func fdbVLANArg(a *args, w string, vid *int) error {
	if *vid >= 0 {
		return duparg2("vlan", w)
	}
	v, err := a.value(w)
	if err != nil {
		return err
	}
	*vid = atoi(v)
	return nil
}

// fdbAddrArg reads the LLADDR of fdb add and get, after an optional "to";
// "help" there prints the usage.
func fdbAddrArg(a *args, w string, addr *string) error {
	w, err := a.toValue(w)
	if err != nil {
		return err
	}
	if matches(w, "help") {
		return usageText(fdbUsage)
	}
	if *addr != "" {
		return duparg2("to", w)
	}
	*addr = w
	return nil
}
