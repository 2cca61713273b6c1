package main

// "ipr route": show, add, change, replace, append, prepend, delete, get,
// flush, save and restore routes, with the syntax and output of iproute2's
// "ip route" (version 6.1).

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// routeUsage is "ipr route help".
const routeUsage = "{ show | flush | save } [ SELECTOR ]\n" +
	"         | restore   (a dump of \"route save\" on standard input)\n" +
	"         | get ADDRESS [ from ADDRESS ] [ iif DEV ] [ oif DEV ] [ mark MARK ] [ uid UID ]\n" +
	"               [ ipproto PROTO ] [ sport PORT ] [ dport PORT ] [ fibmatch ]\n" +
	"         | { add | del | change | append | replace | prepend } ROUTE }\n" +
	"SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ] [ table TABLE_ID ]\n" +
	"            [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ] [ dev DEV ] [ iif DEV ]\n" +
	"            [ via ADDRESS ] [ src ADDRESS ] [ metric N ] [ tos TOS ] [ mark MARK ]\n" +
	"ROUTE := [ TYPE ] PREFIX [ from PREFIX ] [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ]\n" +
	"         [ scope SCOPE ] [ metric N ] [ via ADDRESS ] [ dev DEV ] [ src ADDRESS ] [ onlink ]\n" +
	"         [ nhid ID ] [ pref PREF ] [ expires SECONDS ] [ METRIC VALUE... ]\n" +
	"         [ nexthop [ via ADDRESS ] [ dev DEV ] [ weight N ] [ onlink ] ]...\n" +
	"TYPE := { unicast | local | broadcast | multicast | throw | unreachable | prohibit | blackhole | nat }\n" +
	"TABLE_ID := { local | main | default | all | NUMBER }"

// Name tables of "ip route". Like iproute2 they read /etc/iproute2 over
// built-in defaults (the rt_tables.d and rt_protos.d directories are not
// read).
var (
	tableNames   = nameTable{file: "rt_tables", defaults: []idName{{unix.RT_TABLE_DEFAULT, "default"}, {unix.RT_TABLE_MAIN, "main"}, {unix.RT_TABLE_LOCAL, "local"}}}
	protoNames   = nameTable{file: "rt_protos", defaults: []idName{{unix.RTPROT_UNSPEC, "unspec"}, {unix.RTPROT_REDIRECT, "redirect"}, {unix.RTPROT_KERNEL, "kernel"}, {unix.RTPROT_BOOT, "boot"}, {unix.RTPROT_STATIC, "static"}, {unix.RTPROT_GATED, "gated"}, {unix.RTPROT_RA, "ra"}, {unix.RTPROT_MRT, "mrt"}, {unix.RTPROT_ZEBRA, "zebra"}, {unix.RTPROT_BIRD, "bird"}, {unix.RTPROT_BABEL, "babel"}, {unix.RTPROT_DNROUTED, "dnrouted"}, {unix.RTPROT_XORP, "xorp"}, {unix.RTPROT_NTK, "ntk"}, {unix.RTPROT_DHCP, "dhcp"}, {unix.RTPROT_KEEPALIVED, "keepalived"}, {unix.RTPROT_BGP, "bgp"}, {unix.RTPROT_ISIS, "isis"}, {unix.RTPROT_OSPF, "ospf"}, {unix.RTPROT_RIP, "rip"}, {unix.RTPROT_EIGRP, "eigrp"}}}
	realmNames   = nameTable{file: "rt_realms", defaults: []idName{{0, "unknown"}}}
	dsfieldNames = nameTable{file: "rt_dsfield", defaults: []idName{{0, "0"}}}
)

// routeTypeNames is iproute2's rtnl_rtntype_n2a.
var routeTypeNames = [...]string{
	unix.RTN_UNSPEC: "none", unix.RTN_UNICAST: "unicast", unix.RTN_LOCAL: "local",
	unix.RTN_BROADCAST: "broadcast", unix.RTN_ANYCAST: "anycast", unix.RTN_MULTICAST: "multicast",
	unix.RTN_BLACKHOLE: "blackhole", unix.RTN_UNREACHABLE: "unreachable", unix.RTN_PROHIBIT: "prohibit",
	unix.RTN_THROW: "throw", unix.RTN_NAT: "nat", unix.RTN_XRESOLVE: "xresolve",
}

func routeTypeName(t uint8) string {
	if int(t) < len(routeTypeNames) {
		return routeTypeNames[t]
	}
	return strconv.Itoa(int(t))
}

// routeTypeID is iproute2's rtnl_rtntype_a2n: a type name or a number.
func routeTypeID(s string) (uint8, bool) {
	for i, n := range routeTypeNames {
		if n == s && i != unix.RTN_UNSPEC {
			return uint8(i), true
		}
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return uint8(v), err == nil
}

// dsfieldName is rtnl_dsfield_n2a: a name from rt_dsfield or "0x%02x".
func dsfieldName(v uint8) string {
	dsfieldNames.load()
	if s, ok := dsfieldNames.names[uint32(v)]; ok {
		return s
	}
	return fmt.Sprintf("0x%02x", v)
}

// dsfieldID is rtnl_dsfield_a2n: a name, or a number in hexadecimal.
func dsfieldID(s string) (uint8, bool) {
	dsfieldNames.load()
	if id, ok := dsfieldNames.ids[s]; ok {
		return uint8(id), true
	}
	// C's strtoul in base 16, which iproute2 uses, takes a "0x" prefix.
	h := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	v, err := strconv.ParseUint(h, 16, 8)
	return uint8(v), err == nil && h != ""
}

// Constants x/sys/unix lacks: route cache flags (linux/in_route.h) and
// SRv6 attributes (linux/seg6_iptunnel.h, linux/seg6_local.h).
const (
	rtcfNotify     = 0x00010000
	rtcfDirectDst  = 0x00020000
	rtcfRedirected = 0x00040000
	rtcfTProxy     = 0x00080000
	rtcfFast       = 0x00200000
	rtcfMasq       = 0x00400000
	rtcfSNAT       = 0x00800000
	rtcfDoRedirect = 0x01000000
	rtcfDirectSrc  = 0x04000000
	rtcfDNAT       = 0x08000000
	rtcfBroadcast  = 0x10000000
	rtcfMulticast  = 0x20000000
	rtcfReject     = 0x40000000
	rtcfLocal      = 0x80000000

	seg6IPTunnelSRH = 1

	seg6LocalAction   = 1
	seg6LocalSRH      = 2
	seg6LocalTable    = 3
	seg6LocalNH4      = 4
	seg6LocalNH6      = 5
	seg6LocalIIF      = 6
	seg6LocalOIF      = 7
	seg6LocalBPF      = 8
	seg6LocalVRFTable = 9
	seg6LocalFlavors  = 11

	seg6LocalFlvOperation   = 1
	seg6LocalFlvLCBlockBits = 2
	seg6LocalFlvLCNodeBits  = 3

	rtaNHID = 30
)

// prefixSelector is one of iproute2's inet_prefix filters: "root",
// "match", "via" or "src" arguments of "route show".
type prefixSelector struct {
	set    bool // given at all
	family uint8
	bits   int
	addr   [16]byte
}

// parsePrefixSelector is iproute2's get_prefix for filters: "default"
// (and "all", "any") is a zero-length prefix of no particular family.
func parsePrefixSelector(keyword, s string, family uint8) (prefixSelector, error) {
	if s == "default" || s == "all" || s == "any" {
		return prefixSelector{set: true, family: family}, nil
	}
	p, _, err := parsePrefix(keyword, s, family)
	if err != nil {
		return prefixSelector{}, err
	}
	sel := prefixSelector{set: true, family: addrFamily(p.Addr()), bits: p.Bits()}
	copy(sel.addr[:], p.Addr().AsSlice())
	return sel, nil
}

// addrMatch is iproute2's inet_addr_match: whether the first bits of a
// and b agree.
func addrMatch(a, b []byte, bits int) bool {
	for i := 0; bits > 0 && i < len(a) && i < len(b); i++ {
		mask := byte(0xff)
		if bits < 8 {
			mask <<= 8 - bits
		}
		if (a[i]^b[i])&mask != 0 {
			return false
		}
		bits -= 8
	}
	return true
}

// routeFilter holds the selectors of "route show", "flush" and "save":
// iproute2's filter and its filter_nlmsg.
type routeFilter struct {
	family   uint8
	table    uint32 // 0: all tables
	cloned   bool
	get      bool // printing "route get" replies: no filtering
	protocol uint8
	protoSet bool
	scope    uint8
	scopeSet bool
	typeMask uint32
	tos      uint8
	tosSet   bool
	iif, oif int32
	iifSet   bool
	oifSet   bool
	mark     uint32
	markSet  bool
	metric   uint32
	metricOK bool
	realm    uint32
	realmSet bool

	rootDst, matchDst, rootSrc, matchSrc, via, prefSrc prefixSelector
}

type routeAction int

const (
	routeShow routeAction = iota
	routeFlush
	routeSave
)

// parseRouteFilter parses a SELECTOR as iproute2's
// iproute_list_flush_or_save does.
func parseRouteFilter(e *env, a *args, f *routeFilter) (iif, oif string, err error) {
	f.family = e.Family
	f.table = unix.RT_TABLE_MAIN
	for a.more() {
		w := a.advance()
		switch {
		case matches(w, "table"):
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			switch id, ok := tableNames.id(s, 1<<32-1); {
			case ok:
				f.table = id
			case s == "all":
				f.table = 0
			case s == "cache":
				f.cloned = true
			default:
				return "", "", usagef("invalid table %q", s)
			}
		case matches(w, "cached") || matches(w, "cloned"):
			f.cloned = true
		case w == "tos" || matches(w, "dsfield"):
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			v, ok := dsfieldID(s)
			if !ok {
				return "", "", usagef("invalid tos %q", s)
			}
			f.tos, f.tosSet = v, true
		case matches(w, "protocol"):
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			if s == "all" {
				f.protocol, f.protoSet = 0, false
				continue
			}
			v, ok := protoNames.id(s, 255)
			if !ok {
				return "", "", usagef("invalid protocol %q", s)
			}
			f.protocol, f.protoSet = uint8(v), true
		case matches(w, "scope"):
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			if s == "all" {
				f.scopeSet = false
				continue
			}
			v, ok := scopeNames.id(s, 255)
			if !ok {
				return "", "", usagef("invalid scope %q", s)
			}
			f.scope, f.scopeSet = uint8(v), true
		case matches(w, "type"):
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			t, ok := routeTypeID(s)
			if !ok || t >= 32 {
				return "", "", usagef("invalid type %q", s)
			}
			f.typeMask = 1 << t
		case w == "dev" || w == "oif":
			if oif, err = a.value(w); err != nil {
				return "", "", err
			}
		case w == "iif":
			if iif, err = a.value(w); err != nil {
				return "", "", err
			}
		case w == "mark":
			v, err := a.uint32Value(w)
			if err != nil {
				return "", "", err
			}
			f.mark, f.markSet = v, true
		case matches(w, "metric") || matches(w, "priority") || w == "preference":
			v, err := a.uint32Value("metric")
			if err != nil {
				return "", "", err
			}
			f.metric, f.metricOK = v, true
		case matches(w, "realms"):
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			v, err := parseRealms(s)
			if err != nil {
				return "", "", err
			}
			f.realm, f.realmSet = v, true
		case w == "via":
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			fam := f.family
			if s == "inet" || s == "inet6" {
				fam = map[string]uint8{"inet": unix.AF_INET, "inet6": unix.AF_INET6}[s]
				if s, err = a.value(w); err != nil {
					return "", "", err
				}
			}
			if f.via, err = parsePrefixSelector("via", s, fam); err != nil {
				return "", "", err
			}
		case w == "src":
			s, err := a.value(w)
			if err != nil {
				return "", "", err
			}
			if f.prefSrc, err = parsePrefixSelector("src", s, f.family); err != nil {
				return "", "", err
			}
		case matches(w, "from"):
			if err := parseRootMatch(a, w, f.family, &f.rootSrc, &f.matchSrc); err != nil {
				return "", "", err
			}
		default:
			if !matches(w, "to") {
				a.i-- // w is the prefix itself
			}
			if err := parseRootMatch(a, "to", f.family, &f.rootDst, &f.matchDst); err != nil {
				return "", "", err
			}
		}
	}
	if f.family == 0 && f.table != 0 {
		// As ip does: the main table (or another) lists IPv4 only
		// unless -6 asks otherwise.
		f.family = unix.AF_INET
	}
	return iif, oif, nil
}

// parseRootMatch parses "root P", "match P", "exact P" or "P" after "to"
// or "from".
func parseRootMatch(a *args, keyword string, family uint8, root, match *prefixSelector) error {
	s, err := a.value(keyword)
	if err != nil {
		return err
	}
	mode := "exact"
	switch {
	case matches(s, "root"):
		mode = "root"
	case matches(s, "match"):
		mode = "match"
	case matches(s, "exact"):
	default:
		a.i--
	}
	if s, err = a.value(mode); err != nil {
		return err
	}
	sel, err := parsePrefixSelector(keyword, s, family)
	if err != nil {
		return err
	}
	switch mode {
	case "root":
		*root = sel
	case "match":
		*match = sel
	default:
		*root, *match = sel, sel
	}
	return nil
}

// parseRealms parses "FROM/TO", "/TO" or "TO" realms (names or numbers).
func parseRealms(s string) (uint32, error) {
	id := func(r string) (uint32, error) {
		if r == "" {
			return 0, nil
		}
		v, ok := realmNames.id(r, 255)
		if !ok {
			return 0, usagef("invalid realm %q", r)
		}
		return v, nil
	}
	from, to, slash := strings.Cut(s, "/")
	if !slash {
		from, to = "", s
	}
	f, err := id(from)
	if err != nil {
		return 0, err
	}
	t, err := id(to)
	return f<<16 | t, err
}

// keep is iproute2's filter_nlmsg.
func (f *routeFilter) keep(r rtm.Route) bool {
	if f.get {
		return true
	}
	if f.family != 0 && r.Family() != f.family {
		return false
	}
	if f.cloned != (r.Flags()&unix.RTM_F_CLONED != 0) {
		return false
	}
	if f.table != 0 && r.Table() != f.table {
		return false
	}
	switch {
	case f.protoSet && r.Protocol() != f.protocol,
		f.scopeSet && r.Scope() != f.scope,
		f.typeMask != 0 && f.typeMask&(1<<r.Type()) == 0,
		f.tosSet && r.TOS() != f.tos:
		return false
	}
	c := r.Chain()
	var dst, src [16]byte
	if a, ok := c.Get(unix.RTA_DST); ok {
		copy(dst[:], a.Data)
	}
	if a, ok := c.Get(unix.RTA_SRC); ok {
		copy(src[:], a.Data)
	}
	fam := r.Family()
	if !selectorKeeps(f.rootDst, fam, dst[:], r.DstLen(), true) ||
		!selectorKeeps(f.matchDst, fam, dst[:], r.DstLen(), false) ||
		!selectorKeeps(f.rootSrc, fam, src[:], r.SrcLen(), true) ||
		!selectorKeeps(f.matchSrc, fam, src[:], r.SrcLen(), false) {
		return false
	}
	if f.via.set && f.via.family != 0 {
		var gw [16]byte
		gfam := fam
		if a, ok := c.Get(unix.RTA_VIA); ok && len(a.Data) >= 2 {
			gfam = uint8(binary.NativeEndian.Uint16(a.Data))
			copy(gw[:], a.Data[2:])
		} else if a, ok := c.Get(unix.RTA_GATEWAY); ok {
			copy(gw[:], a.Data)
		}
		if gfam != f.via.family || !addrMatch(gw[:], f.via.addr[:], f.via.bits) {
			return false
		}
	}
	if f.prefSrc.set && f.prefSrc.family != 0 {
		var ps [16]byte
		if a, ok := c.Get(unix.RTA_PREFSRC); ok {
			copy(ps[:], a.Data)
		}
		if fam != f.prefSrc.family || !addrMatch(ps[:], f.prefSrc.addr[:], f.prefSrc.bits) {
			return false
		}
	}
	if f.realmSet {
		var realm uint32
		if a, ok := c.Get(unix.RTA_FLOW); ok {
			realm = attrU32(a)
		}
		if realm != f.realm {
			return false
		}
	}
	switch {
	case f.iifSet && r.InIndex() != f.iif,
		f.oifSet && r.OutIndex() != f.oif,
		f.markSet && r.Mark() != f.mark,
		f.metricOK && r.Priority() != f.metric:
		return false
	}
	return true
}

// selectorKeeps applies a "root" (route within the selector) or "match"
// (selector within the route) prefix selector.
func selectorKeeps(s prefixSelector, fam uint8, addr []byte, bits int, root bool) bool {
	if !s.set {
		return true
	}
	if s.family != 0 && s.family != fam {
		return false
	}
	if root {
		return s.bits <= bits && addrMatch(addr, s.addr[:], s.bits)
	}
	return s.bits >= bits && addrMatch(addr, s.addr[:], bits)
}

// routeList is "route show", "route flush" and "route save".
func routeList(e *env, a *args, action routeAction) error {
	if action == routeFlush && !a.more() {
		return usagef("flush requires arguments")
	}
	var f routeFilter
	iif, oif, err := parseRouteFilter(e, a, &f)
	if err != nil {
		return err
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	for _, d := range []struct {
		name  string
		index *int32
		set   *bool
	}{{iif, &f.iif, &f.iifSet}, {oif, &f.oif, &f.oifSet}} {
		if d.name == "" {
			continue
		}
		l, err := linkByName(ctx, h, d.name)
		if err != nil {
			return err
		}
		*d.index, *d.set = l.Index(), true
	}
	// The kernel filters by what iproute2 asks it to; the rest is done
	// here, as ip does it.
	kf := &rtm.RouteFilter{Family: f.family, Table: f.table, Cloned: f.cloned, OutIndex: f.oif}
	if f.protoSet {
		kf.Protocol = f.protocol
	}
	switch action {
	case routeSave:
		return routeSaveTo(ctx, e, h, &f, kf)
	case routeFlush:
		return routeFlushMatching(ctx, h, &f, kf)
	}
	p := &printer{json: e.JSON}
	p.openArray("")
	nh := &nexthopCache{ctx: ctx, h: h}
	for r, err := range h.Routes(ctx, kf) {
		if err != nil {
			return err
		}
		if f.keep(r) {
			printRoute(p, r, &f, names, nh, e.Details)
		}
	}
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	_, err = e.Stdout.Write(p.buf)
	return err
}

// routeSaveTo writes the selected routes as "ip route save" does. The
// selectors the kernel does not apply are applied to the saved messages.
func routeSaveTo(ctx context.Context, e *env, h *rtm.Handle, f *routeFilter, kf *rtm.RouteFilter) error {
	var buf bytes.Buffer
	if _, err := h.RouteSave(ctx, &buf, kf); err != nil {
		return err
	}
	out := buf.Bytes()[:4]
	for rest := buf.Bytes()[4:]; len(rest) >= 16; {
		n := int(binary.NativeEndian.Uint32(rest))
		if n < 16 || n > len(rest) {
			return fmt.Errorf("route save: malformed dump")
		}
		if r, err := rtm.RouteFromBytes(rest[16:n]); err == nil && f.keep(r) {
			out = append(out, rest[:n]...)
		}
		rest = rest[min((n+3)&^3, len(rest)):]
	}
	_, err := e.Stdout.Write(out)
	return err
}

// routeRestore is "route restore": a dump on standard input.
func routeRestore(e *env) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	_, err = h.RouteRestore(e.ctx, e.Stdin)
	return err
}

// routeShowDump is "route showdump": a dump on standard input, printed.
func routeShowDump(e *env) error {
	data, err := io.ReadAll(e.Stdin)
	if err != nil {
		return err
	}
	if len(data) < 4 || binary.NativeEndian.Uint32(data) != rtm.RouteDumpMagic {
		return errors.New("not a route dump: magic mismatch")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	f := routeFilter{get: true}
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	p := &printer{json: e.JSON}
	p.openArray("")
	for rest := data[4:]; len(rest) > 0; {
		if len(rest) < 16 {
			return errors.New("route dump: truncated message")
		}
		n := int(binary.NativeEndian.Uint32(rest))
		if n < 16+unix.SizeofRtMsg || n > len(rest) {
			return errors.New("route dump: malformed message")
		}
		r, _ := rtm.RouteFromBytes(rest[16:n])
		printRoute(p, r, &f, names, &nexthopCache{ctx: ctx, h: h}, e.Details)
		rest = rest[min((n+3)&^3, len(rest)):]
	}
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	_, err = e.Stdout.Write(p.buf)
	return err
}

// routeFlushMatching deletes the selected routes, in rounds until none
// is left, as iproute2's iproute_flush does.
func routeFlushMatching(ctx context.Context, h *rtm.Handle, f *routeFilter, kf *rtm.RouteFilter) error {
	if f.cloned {
		return usagef("flushing the route cache is not supported")
	}
	for round := 0; round < maxFlushRounds; round++ {
		bt := h.NewBatch()
		for r, err := range h.Routes(ctx, kf) {
			if err != nil {
				return err
			}
			// ip leaves IPv6's "unreachable default ... metric -1" alone.
			if !f.keep(r) || (r.Family() == unix.AF_INET6 && r.DstLen() == 0 &&
				r.Type() == unix.RTN_UNREACHABLE && r.Priority() == 1<<32-1) {
				continue
			}
			s := rtm.RouteSpec{Dst: r.Dst(), Table: r.Table(), Protocol: r.Protocol(), Type: r.Type(),
				TOS: r.TOS(), Scope: r.Scope(), ScopeSet: true, Priority: r.Priority(), OutIndex: r.OutIndex()}
			if r.SrcLen() > 0 {
				s.Src = r.Src()
			}
			if err := bt.RouteDel(s); err != nil {
				return err
			}
		}
		if bt.Len() == 0 {
			return nil
		}
		results, err := bt.Run(ctx)
		if err != nil {
			for _, r := range results {
				if r != nil && !errors.Is(r, unix.ESRCH) && !errors.Is(r, unix.ENOENT) {
					return r
				}
			}
			if results == nil {
				return err
			}
		}
	}
	return fmt.Errorf("flush remains incomplete after %d rounds", maxFlushRounds)
}

// nexthopCache looks up the nexthop objects routes refer to, for the
// "nh_info" of "route show -d".
type nexthopCache struct {
	ctx  context.Context
	h    *rtm.Handle
	byID map[uint32]rtm.Nexthop
}

func (c *nexthopCache) get(id uint32) (rtm.Nexthop, bool) {
	if n, ok := c.byID[id]; ok {
		return n, true
	}
	n, err := c.h.NexthopGet(c.ctx, id)
	if err != nil {
		return rtm.Nexthop{}, false
	}
	if c.byID == nil {
		c.byID = map[uint32]rtm.Nexthop{}
	}
	c.byID[id] = n
	return n, true
}

// printRoute prints one route as iproute2's print_route does.
func printRoute(p *printer, r rtm.Route, f *routeFilter, names *linkNames, nhc *nexthopCache, details bool) {
	var tb nla.Index
	tb.Reset(r.Chain())
	fam := r.Family()
	hostLen := 32
	switch fam {
	case unix.AF_INET6:
		hostLen = 128
	case unix.AF_MPLS:
		hostLen = 20
	}
	p.openObject("")
	if r.Type() != unix.RTN_UNICAST || details {
		p.str("type", "%s ", routeTypeName(r.Type()))
	}
	p.str("dst", "%s ", routePrefix(&tb, unix.RTA_DST, fam, r.DstLen(), hostLen, true))
	if _, ok := tb.Get(unix.RTA_SRC); ok {
		p.str("from", "from %s ", routePrefix(&tb, unix.RTA_SRC, fam, r.SrcLen(), hostLen, false))
	} else if r.SrcLen() != 0 {
		p.str("src", "from %s ", fmt.Sprintf("0/%d", r.SrcLen()))
	}
	if a, ok := tb.Get(rtaNHID); ok {
		p.uint("nhid", "nhid %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.RTA_NEWDST); ok {
		p.textString("as to ")
		p.str("to", "%s ", formatAddr(fam, a.Data))
	}
	if a, ok := tb.Get(unix.RTA_ENCAP); ok {
		if t, ok := tb.Get(unix.RTA_ENCAP_TYPE); ok {
			printEncap(p, attrU16(t), a.Nested(), names)
		}
	}
	if r.TOS() != 0 && !f.tosSet {
		p.str("tos", "tos %s ", dsfieldName(r.TOS()))
	}
	if a, ok := tb.Get(unix.RTA_GATEWAY); ok && !(f.via.set && f.via.bits == hostLen) {
		p.textString("via ")
		p.str("gateway", "%s ", formatAddr(fam, a.Data))
	}
	if a, ok := tb.Get(unix.RTA_VIA); ok {
		printVia(p, a.Data)
	}
	if a, ok := tb.Get(unix.RTA_OIF); ok && !f.oifSet {
		p.textString("dev ")
		p.str("dev", "%s ", names.name(int32(attrU32(a))))
	}
	if t := r.Table(); t != 0 && (t != unix.RT_TABLE_MAIN || details) && f.table == 0 {
		p.str("table", "table %s ", tableNames.name(t))
	}
	if r.Flags()&unix.RTM_F_CLONED == 0 {
		if (r.Protocol() != unix.RTPROT_BOOT || details) && !f.protoSet {
			p.str("protocol", "proto %s ", protoNames.name(uint32(r.Protocol())))
		}
		if (r.Scope() != unix.RT_SCOPE_UNIVERSE || details) && !f.scopeSet {
			p.str("scope", "scope %s ", scopeNames.name(uint32(r.Scope())))
		}
	}
	if a, ok := tb.Get(unix.RTA_PREFSRC); ok && !(f.prefSrc.set && f.prefSrc.bits == hostLen) {
		p.textString("src ")
		p.str("prefsrc", "%s ", formatAddr(fam, a.Data))
	}
	if a, ok := tb.Get(unix.RTA_PRIORITY); ok && !f.metricOK {
		p.uint("metric", "metric %d ", uint64(attrU32(a)))
	}
	printRouteFlags(p, r.Flags())
	if a, ok := tb.Get(unix.RTA_MARK); ok {
		if m := attrU32(a); m != 0 {
			switch {
			case p.json:
				p.jsonUint("mark", uint64(m))
			case m >= 16:
				p.text("mark 0x%x ", m)
			default:
				p.text("mark %d ", m)
			}
		}
	}
	if a, ok := tb.Get(unix.RTA_FLOW); ok && !f.realmSet {
		printFlow(p, attrU32(a))
	}
	if a, ok := tb.Get(unix.RTA_UID); ok {
		p.uint("uid", "uid %d ", uint64(attrU32(a)))
	}
	if fam == unix.AF_INET && r.Flags()&unix.RTM_F_CLONED != 0 {
		printCacheFlags(p, r.Flags())
	}
	if a, ok := tb.Get(unix.RTA_CACHEINFO); ok && (fam == unix.AF_INET || fam == unix.AF_INET6) && len(a.Data) >= 32 {
		printRouteCacheInfo(p, a.Data)
	}
	if a, ok := tb.Get(unix.RTA_METRICS); ok {
		printMetrics(p, a.Nested())
	}
	if a, ok := tb.Get(unix.RTA_IIF); ok && !f.iifSet {
		p.textString("iif ")
		p.str("iif", "%s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(unix.RTA_PREF); ok {
		switch v := attrU8(a); v {
		case 3: // ICMPV6_ROUTER_PREF_LOW
			p.str("pref", "pref %s", "low")
		case 0:
			p.str("pref", "pref %s", "medium")
		case 1:
			p.str("pref", "pref %s", "high")
		default:
			p.uint("pref", "%d", uint64(v))
		}
	}
	if a, ok := tb.Get(unix.RTA_TTL_PROPAGATE); ok {
		on := attrU8(a) != 0
		if p.json {
			p.jsonBool("ttl-propogate", on)
		} else if on {
			p.textString("ttl-propogate enabled")
		} else {
			p.textString("ttl-propogate disabled")
		}
	}
	if a, ok := tb.Get(rtaNHID); ok && details {
		if n, ok := nhc.get(attrU32(a)); ok {
			p.textString("\n\tnh_info ")
			printNexthopEntry(p, n, "nh_info", names, details)
		}
	}
	if a, ok := tb.Get(unix.RTA_MULTIPATH); ok {
		printMultipath(p, r, a.Data, names)
	}
	p.nl()
	p.closeObject()
}

// routePrefix formats a route's destination or source as print_route
// does: a bare address for a host route, "default" for none.
func routePrefix(tb *nla.Index, t uint16, fam uint8, bits, hostLen int, dst bool) string {
	a, ok := tb.Get(t)
	switch {
	case !ok && bits != 0:
		return fmt.Sprintf("0/%d ", bits)
	case !ok:
		return "default"
	case bits != hostLen:
		return fmt.Sprintf("%s/%d", formatAddr(fam, a.Data), bits)
	}
	return formatAddr(fam, a.Data)
}

// formatAddr is iproute2's rt_addr_n2a for routes' addresses.
func formatAddr(fam uint8, b []byte) string {
	switch fam {
	case unix.AF_INET, unix.AF_INET6:
		if len(b) == 4 || len(b) == 16 {
			return ipString(b)
		}
	case unix.AF_MPLS:
		var s []string
		for len(b) >= 4 {
			e := binary.BigEndian.Uint32(b)
			s = append(s, strconv.FormatUint(uint64(e>>12), 10))
			b = b[4:]
			if e&0x100 != 0 {
				break
			}
		}
		return strings.Join(s, "/")
	}
	return "???"
}

func printVia(p *printer, b []byte) {
	if len(b) < 2 {
		return
	}
	fam := uint8(binary.NativeEndian.Uint16(b))
	host := formatAddr(fam, b[2:])
	if p.json {
		p.openObject("via")
		p.jsonStr("family", familyNameOrQ(fam))
		p.jsonStr("host", host)
		p.closeObject()
		return
	}
	p.text("via %s ", familyNameOrQ(fam))
	p.text("%s ", host)
}

func familyNameOrQ(f uint8) string {
	if s := familyName(f); s != "" {
		return s
	}
	return "???"
}

// printRouteFlags is iproute2's print_rt_flags.
func printRouteFlags(p *printer, flags uint32) {
	p.openArray("flags")
	for _, fl := range [...]struct {
		mask uint32
		name string
	}{
		{unix.RTNH_F_DEAD, "dead"}, {unix.RTNH_F_ONLINK, "onlink"}, {unix.RTNH_F_PERVASIVE, "pervasive"},
		{unix.RTNH_F_OFFLOAD, "offload"}, {unix.RTNH_F_TRAP, "trap"}, {unix.RTM_F_NOTIFY, "notify"},
		{unix.RTNH_F_LINKDOWN, "linkdown"}, {unix.RTNH_F_UNRESOLVED, "unresolved"},
		{unix.RTM_F_OFFLOAD, "rt_offload"}, {unix.RTM_F_TRAP, "rt_trap"},
		{unix.RTM_F_OFFLOAD_FAILED, "rt_offload_failed"},
	} {
		if flags&fl.mask != 0 {
			p.str("", "%s ", fl.name)
		}
	}
	p.closeArray()
}

func printFlow(p *printer, v uint32) {
	from, to := v>>16, v&0xffff
	if p.json {
		p.openObject("flow")
		if from != 0 {
			p.jsonStr("from", realmNames.name(from))
		}
		p.jsonStr("to", realmNames.name(to))
		p.closeObject()
		return
	}
	if from != 0 {
		p.text("realms %s/", realmNames.name(from))
	} else {
		p.textString("realm ")
	}
	p.text("%s ", realmNames.name(to))
}

// printCacheFlags is iproute2's print_cache_flags.
func printCacheFlags(p *printer, flags uint32) {
	flags &^= 0xffff
	if p.json {
		p.openArray("cache")
	} else {
		p.textString("\n    cache ")
		if flags == 0 {
			return
		}
		p.textString("<")
	}
	for _, fl := range [...]struct {
		mask uint32
		name string
	}{
		{rtcfLocal, "local"}, {rtcfReject, "reject"}, {rtcfMulticast, "mc"}, {rtcfBroadcast, "brd"},
		{rtcfDNAT, "dst-nat"}, {rtcfSNAT, "src-nat"}, {rtcfMasq, "masq"}, {rtcfDirectDst, "dst-direct"},
		{rtcfDirectSrc, "src-direct"}, {rtcfRedirected, "redirected"}, {rtcfDoRedirect, "redirect"},
		{rtcfFast, "fastroute"}, {rtcfNotify, "notify"}, {rtcfTProxy, "proxy"},
	} {
		if flags&fl.mask == 0 {
			continue
		}
		flags &^= fl.mask
		if p.json {
			p.str("", "", fl.name)
		} else if flags != 0 {
			p.text("%s,", fl.name)
		} else {
			p.text("%s> ", fl.name)
		}
	}
	if flags != 0 {
		p.str("flags", "%s>", strconv.FormatUint(uint64(flags), 16))
	}
	p.closeArray()
}

// printRouteCacheInfo is iproute2's print_rta_cacheinfo (without -s).
func printRouteCacheInfo(p *printer, ci []byte) {
	u := func(i int) uint32 { return binary.NativeEndian.Uint32(ci[4*i:]) }
	if exp := int32(u(2)); exp != 0 {
		p.int("expires", "expires %dsec ", int64(exp/100))
	}
	if e := u(3); e != 0 {
		p.uint("error", "error %d ", uint64(e))
	}
	if id := u(5); id != 0 {
		if p.json {
			p.hex("ipid", "", uint64(id))
		} else {
			p.text("ipid 0x%04x ", id)
		}
	}
	if ts, age := u(6), u(7); ts != 0 || age != 0 {
		if p.json {
			p.hex("ts", "", uint64(ts))
		} else {
			p.text("ts 0x%x", ts)
		}
		p.uint("tsage", "tsage %dsec ", uint64(age))
	}
}

// metricNames are iproute2's mx_names, by RTAX_* number.
var metricNames = [...]string{
	unix.RTAX_MTU: "mtu", unix.RTAX_WINDOW: "window", unix.RTAX_RTT: "rtt", unix.RTAX_RTTVAR: "rttvar",
	unix.RTAX_SSTHRESH: "ssthresh", unix.RTAX_CWND: "cwnd", unix.RTAX_ADVMSS: "advmss",
	unix.RTAX_REORDERING: "reordering", unix.RTAX_HOPLIMIT: "hoplimit", unix.RTAX_INITCWND: "initcwnd",
	unix.RTAX_FEATURES: "features", unix.RTAX_RTO_MIN: "rto_min", unix.RTAX_INITRWND: "initrwnd",
	unix.RTAX_QUICKACK: "quickack", unix.RTAX_CC_ALGO: "congctl",
	unix.RTAX_FASTOPEN_NO_COOKIE: "fastopen_no_cookie",
}

// printMetrics is iproute2's print_rta_metrics.
func printMetrics(p *printer, c nla.Chain) {
	p.openArray("metrics")
	p.openObject("")
	var mx [unix.RTAX_FASTOPEN_NO_COOKIE + 1]*nla.Attr
	for a := range c.All() {
		if k := int(a.Kind()); k < len(mx) {
			a := a
			mx[k] = &a
		}
	}
	var lock uint32
	if mx[unix.RTAX_LOCK] != nil {
		lock = attrU32(*mx[unix.RTAX_LOCK])
	}
	for i := 2; i < len(mx); i++ {
		locked := lock&(1<<i) != 0
		if mx[i] == nil && !locked {
			continue
		}
		var v uint32
		if mx[i] != nil && i != unix.RTAX_CC_ALGO {
			v = attrU32(*mx[i])
		}
		if i == unix.RTAX_HOPLIMIT && int32(v) == -1 {
			continue
		}
		p.text("%s ", metricNames[i])
		if locked {
			p.textString("lock ")
		}
		switch i {
		case unix.RTAX_FEATURES:
			if v&unix.RTAX_FEATURE_ECN != 0 {
				p.jsonNull("ecn")
				p.textString("ecn ")
				if v&^unix.RTAX_FEATURE_ECN != 0 {
					p.hex("features", "%s ", uint64(v))
				}
			} else if v != 0 {
				p.hex("features", "%s ", uint64(v))
			}
		case unix.RTAX_RTT, unix.RTAX_RTTVAR, unix.RTAX_RTO_MIN:
			switch i {
			case unix.RTAX_RTT:
				v /= 8
			case unix.RTAX_RTTVAR:
				v /= 4
			}
			switch {
			case p.json:
				p.jsonUint(metricNames[i], uint64(v))
			case v >= 1000:
				p.text("%ss ", strconv.FormatFloat(float64(v)/1e3, 'g', 6, 64))
			default:
				p.text("%dms ", v)
			}
		case unix.RTAX_CC_ALGO:
			var s string
			if mx[i] != nil {
				s = attrStr(*mx[i])
			}
			p.str("congestion", "%s ", s)
		default:
			p.uint(metricNames[i], "%d ", uint64(v))
		}
	}
	p.closeObject()
	p.closeArray()
}

// printMultipath is iproute2's print_rta_multipath.
func printMultipath(p *printer, r rtm.Route, b []byte, names *linkNames) {
	p.openArray("nexthops")
	fam := r.Family()
	mcast := r.Flags()&unix.RTM_F_CLONED != 0 && r.Type() == unix.RTN_MULTICAST
	first := true
	for len(b) >= unix.SizeofRtNexthop {
		n := int(binary.NativeEndian.Uint16(b))
		if n > len(b) || n < unix.SizeofRtNexthop {
			break
		}
		flags, hops, index := b[2], b[3], int32(binary.NativeEndian.Uint32(b[4:]))
		p.openObject("")
		switch {
		case !mcast:
			p.textString("\n\tnexthop ")
		case first:
			p.textString("Oifs: ")
			first = false
		default:
			p.textString(" ")
		}
		if n > unix.SizeofRtNexthop {
			var tb nla.Index
			tb.Reset(nla.Chain(b[unix.SizeofRtNexthop:n]))
			if a, ok := tb.Get(unix.RTA_ENCAP); ok {
				if t, ok := tb.Get(unix.RTA_ENCAP_TYPE); ok {
					printEncap(p, attrU16(t), a.Nested(), names)
				}
			}
			if a, ok := tb.Get(unix.RTA_NEWDST); ok {
				p.textString("as to ")
				p.str("to", "%s ", formatAddr(fam, a.Data))
			}
			if a, ok := tb.Get(unix.RTA_GATEWAY); ok {
				p.textString("via ")
				p.str("gateway", "%s ", formatAddr(fam, a.Data))
			}
			if a, ok := tb.Get(unix.RTA_VIA); ok {
				printVia(p, a.Data)
			}
			if a, ok := tb.Get(unix.RTA_FLOW); ok {
				printFlow(p, attrU32(a))
			}
		}
		if mcast {
			p.str("dev", "%s", names.name(index))
			if hops != 1 {
				p.int("ttl", "(ttl>%d)", int64(hops))
			}
			p.textString(" ")
		} else {
			p.str("dev", "dev %s ", names.name(index))
			if fam != unix.AF_MPLS {
				p.int("weight", "weight %d ", int64(hops)+1)
			}
		}
		printRouteFlags(p, uint32(flags))
		b = b[min((n+3)&^3, len(b)):]
		p.closeObject()
	}
	p.closeArray()
}

// encapNames is iproute2's format_encap_type, by LWTUNNEL_ENCAP_*.
var encapNames = [...]string{"unknown", "mpls", "ip", "ila", "ip6", "seg6", "bpf", "seg6local", "rpl", "ioam6", "xfrm"}

// printEncap is iproute2's lwt_print_encap for the encapsulations
// this kernel offers without modules: MPLS, seg6 and seg6local.
func printEncap(p *printer, t uint16, c nla.Chain, names *linkNames) {
	name := "unknown"
	if int(t) < len(encapNames) {
		name = encapNames[t]
	}
	p.str("encap", " encap %s ", name)
	switch t {
	case unix.LWTUNNEL_ENCAP_MPLS:
		if a, ok := c.Get(unix.MPLS_IPTUNNEL_DST); ok {
			p.str("dst", " %s ", formatAddr(unix.AF_MPLS, a.Data))
		}
		if a, ok := c.Get(unix.MPLS_IPTUNNEL_TTL); ok {
			p.uint("ttl", "ttl %d ", uint64(attrU8(a)))
		}
	case unix.LWTUNNEL_ENCAP_SEG6:
		a, ok := c.Get(seg6IPTunnelSRH)
		if !ok || len(a.Data) < 4 {
			return
		}
		modes := [...]string{"inline", "encap", "l2encap", "encap.red", "l2encap.red"}
		mode := "<unknown>"
		if m := int32(binary.NativeEndian.Uint32(a.Data)); m >= 0 && int(m) < len(modes) {
			mode = modes[m]
		}
		p.str("mode", "mode %s ", mode)
		printSRH(p, a.Data[4:])
	case unix.LWTUNNEL_ENCAP_SEG6_LOCAL:
		printSeg6Local(p, c, names)
	}
}

// printSRH is iproute2's print_srh: the segments, last first as the
// header holds them, and the HMAC key id if any.
func printSRH(p *printer, srh []byte) {
	if len(srh) < 8 {
		return
	}
	first := int(srh[4])
	if p.json {
		p.openArray("segs")
	} else {
		p.text("segs %d [ ", first+1)
	}
	for i := first; i >= 0; i-- {
		if off := 8 + 16*i; off+16 <= len(srh) {
			p.str("", "%s ", ipString(srh[off:off+16]))
		}
	}
	if p.json {
		p.closeArray()
	} else {
		p.textString("] ")
	}
	// The HMAC TLV follows the segments when the H flag (0x08) is set.
	if srh[5]&0x08 != 0 {
		off := (int(srh[1])+1)<<3 - 40
		if off >= 0 && off+8 <= len(srh) {
			id := binary.BigEndian.Uint32(srh[off+4:])
			if p.json {
				p.hex("hmac", "", uint64(id))
			} else {
				p.text("hmac %X ", id)
			}
		}
	}
}

var seg6LocalActions = [...]string{"", "End", "End.X", "End.T", "End.DX2", "End.DX6", "End.DX4",
	"End.DT6", "End.DT4", "End.B6", "End.B6.Encaps", "End.BM", "End.S", "End.AS", "End.AM", "End.BPF", "End.DT46"}

// printSeg6Local is iproute2's print_encap_seg6local (without -s).
func printSeg6Local(p *printer, c nla.Chain, names *linkNames) {
	var tb nla.Index
	tb.Reset(c)
	a, ok := tb.Get(seg6LocalAction)
	if !ok {
		return
	}
	action := "<invalid>"
	if v := attrU32(a); int(v) < len(seg6LocalActions) {
		action = seg6LocalActions[v]
		if action == "" {
			action = "<unknown>"
		}
	}
	p.str("action", "action %s ", action)
	if a, ok := tb.Get(seg6LocalSRH); ok {
		p.openObject("srh")
		printSRH(p, a.Data)
		p.closeObject()
	}
	if a, ok := tb.Get(seg6LocalTable); ok {
		p.str("table", "table %s ", tableNames.name(attrU32(a)))
	}
	if a, ok := tb.Get(seg6LocalVRFTable); ok {
		p.str("vrftable", "vrftable %s ", tableNames.name(attrU32(a)))
	}
	if a, ok := tb.Get(seg6LocalNH4); ok {
		p.str("nh4", "nh4 %s ", formatAddr(unix.AF_INET, a.Data))
	}
	if a, ok := tb.Get(seg6LocalNH6); ok {
		p.str("nh6", "nh6 %s ", formatAddr(unix.AF_INET6, a.Data))
	}
	if a, ok := tb.Get(seg6LocalIIF); ok {
		p.str("iif", "iif %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(seg6LocalOIF); ok {
		p.str("oif", "oif %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(seg6LocalBPF); ok {
		name := "<unknown>"
		if n, ok := a.Nested().Get(2); ok { // LWT_BPF_PROG_NAME
			name = attrStr(n)
		}
		if p.json {
			p.jsonStr("endpoint", name)
		} else {
			p.textString("endpoint ")
			if name != "<unknown>" {
				p.text("%s ", name)
			}
		}
	}
	if a, ok := tb.Get(seg6LocalFlavors); ok {
		var fb nla.Index
		fb.Reset(a.Nested())
		if f, ok := fb.Get(seg6LocalFlvOperation); ok {
			flv := attrU32(f)
			p.openArray("flavors")
			p.textString("flavors ")
			n := 0
			for i, name := range [...]string{1: "psp", 2: "usp", 3: "usd", 4: "next-csid"} {
				if name == "" || flv&(1<<i) == 0 {
					continue
				}
				if p.json {
					p.str("", "", name)
				} else if n == 0 {
					p.textString(name)
				} else {
					p.text(",%s", name)
				}
				n++
			}
			p.closeArray()
			p.textString(" ")
		}
		for _, k := range []struct {
			t    uint16
			name string
		}{{seg6LocalFlvLCBlockBits, "lblen"}, {seg6LocalFlvLCNodeBits, "nflen"}} {
			if v, ok := fb.Get(k.t); ok {
				p.uint(k.name, k.name+" %d ", uint64(attrU8(v)))
			}
		}
	}
}

// routeGet is "route get".
func routeGet(e *env, a *args) error {
	var (
		q         rtm.RouteQuery
		family    = e.Family
		iif, oif  string
		haveDst   bool
		connected bool
	)
	for a.more() {
		w := a.advance()
		switch {
		case w == "tos" || matches(w, "dsfield"):
			return usagef("\"tos\" is not supported by route get")
		case matches(w, "from"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			p, _, err := parsePrefix("from", s, family)
			if err != nil {
				return err
			}
			q.Src, family = p.Addr(), addrFamily(p.Addr())
		case matches(w, "iif"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			iif = s
		case matches(w, "mark"):
			v, err := a.uint32Value(w)
			if err != nil {
				return err
			}
			q.Mark = v
		case matches(w, "oif") || w == "dev":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			oif = s
		case matches(w, "uid"):
			v, err := a.uint32Value(w)
			if err != nil {
				return err
			}
			q.UID, q.UIDSet = v, true
		case matches(w, "fibmatch"):
			q.FIBMatch = true
		case matches(w, "connected"):
			connected = true
		case matches(w, "sport"), matches(w, "dport"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			v, err := strconv.ParseUint(s, 0, 16)
			if err != nil {
				return usagef("invalid %s %q", w, s)
			}
			if matches(w, "sport") {
				q.SrcPort = uint16(v)
			} else {
				q.DstPort = uint16(v)
			}
		case matches(w, "ipproto"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			v, ok := ipProtoID(s)
			if !ok {
				return usagef("invalid ipproto %q", s)
			}
			q.IPProto = v
		default:
			if w == "to" {
				s, err := a.value(w)
				if err != nil {
					return err
				}
				w = s
			}
			if haveDst {
				return usagef("unknown argument %q", w)
			}
			p, _, err := parsePrefix("destination", w, family)
			if err != nil {
				return err
			}
			if p.Bits() != p.Addr().BitLen() {
				fmt.Fprintf(e.Stderr, "Warning: /%d as prefix is invalid, only /%d (or none) is supported.\n",
					p.Bits(), p.Addr().BitLen())
			}
			q.Dst, family, haveDst = p.Addr(), addrFamily(p.Addr()), true
		}
	}
	if !haveDst {
		return usagef("need at least a destination address")
	}
	if connected {
		return usagef("\"connected\" is not supported")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	for _, d := range []struct {
		name  string
		index *int32
	}{{iif, &q.InIndex}, {oif, &q.OutIndex}} {
		if d.name == "" {
			continue
		}
		l, err := linkByName(ctx, h, d.name)
		if err != nil {
			return err
		}
		*d.index = l.Index()
	}
	r, err := h.RouteGet(ctx, q)
	if err != nil {
		return err
	}
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	p := &printer{json: e.JSON}
	p.openArray("")
	printRoute(p, r, &routeFilter{get: true}, names, &nexthopCache{ctx: ctx, h: h}, e.Details)
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	_, err = e.Stdout.Write(p.buf)
	return err
}

// ipProtoID is iproute2's inet_proto_a2n for the common protocols, or a
// number.
func ipProtoID(s string) (uint8, bool) {
	switch s {
	case "tcp":
		return unix.IPPROTO_TCP, true
	case "udp":
		return unix.IPPROTO_UDP, true
	case "icmp":
		return unix.IPPROTO_ICMP, true
	case "ipv6-icmp", "icmpv6":
		return unix.IPPROTO_ICMPV6, true
	case "sctp":
		return unix.IPPROTO_SCTP, true
	case "udplite":
		return unix.IPPROTO_UDPLITE, true
	case "dccp":
		return unix.IPPROTO_DCCP, true
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return uint8(v), err == nil
}

// routeModify is "route add", "change", "replace", "prepend", "append"
// and "delete", parsed as iproute2's iproute_modify parses them.
func routeModify(e *env, a *args, op string) error {
	var (
		s                 rtm.RouteSpec
		family            = e.Family
		dev               string
		haveDst, haveType bool
		haveTable, haveGW bool
		hops              []nexthopArgs
		scopeSet          bool
	)
	setFamily := func(ad netip.Addr) {
		if family == 0 {
			family = addrFamily(ad)
		}
	}
	metric := func(w string, dst *uint32, lockBit int, max uint64) error {
		v, err := a.value(w)
		if err != nil {
			return err
		}
		if v == "lock" {
			s.Metrics.Lock |= 1 << lockBit
			if v, err = a.value(w); err != nil {
				return err
			}
		}
		n, err := strconv.ParseUint(v, 0, 32)
		if err != nil || n > max {
			return usagef("invalid %s %q", w, v)
		}
		*dst = uint32(n)
		return nil
	}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "src":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if s.PrefSrc, err = parseAddr("src", v, family); err != nil {
				return err
			}
			setFamily(s.PrefSrc)
		case w == "via":
			if haveGW {
				return usagef("use nexthop syntax to specify multiple via")
			}
			haveGW = true
			v, err := a.value(w)
			if err != nil {
				return err
			}
			gwFamily := family
			if v == "inet" || v == "inet6" {
				gwFamily = 0
				if v, err = a.value(w); err != nil {
					return err
				}
			}
			if s.Gateway, err = parseAddr("via", v, gwFamily); err != nil {
				return err
			}
			setFamily(s.Gateway)
		case w == "from":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if s.Src, _, err = parsePrefix("from", v, family); err != nil {
				return err
			}
			setFamily(s.Src.Addr())
		case w == "tos" || matches(w, "dsfield"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			t, ok := dsfieldID(v)
			if !ok {
				return usagef("invalid tos %q", v)
			}
			s.TOS = t
		case w == "expires":
			s.Expires, err = a.uint32Value(w)
		case matches(w, "metric") || matches(w, "priority") || w == "preference":
			s.Priority, err = a.uint32Value("metric")
		case w == "scope":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			sc, ok := scopeNames.id(v, 255)
			if !ok {
				return usagef("invalid scope %q", v)
			}
			s.Scope, s.ScopeSet, scopeSet = uint8(sc), true, true
		case w == "mtu":
			err = metric(w, &s.Metrics.MTU, unix.RTAX_MTU, 1<<32-1)
		case w == "hoplimit":
			err = metric(w, &s.Metrics.HopLimit, unix.RTAX_HOPLIMIT, 255)
		case w == "advmss":
			err = metric(w, &s.Metrics.AdvMSS, unix.RTAX_ADVMSS, 1<<32-1)
		case matches(w, "reordering"):
			err = metric("reordering", &s.Metrics.Reordering, unix.RTAX_REORDERING, 1<<32-1)
		case matches(w, "window"):
			err = metric("window", &s.Metrics.Window, unix.RTAX_WINDOW, 1<<32-1)
		case matches(w, "cwnd"):
			err = metric("cwnd", &s.Metrics.CWnd, unix.RTAX_CWND, 1<<32-1)
		case matches(w, "initcwnd"):
			err = metric("initcwnd", &s.Metrics.InitCWnd, unix.RTAX_INITCWND, 1<<32-1)
		case matches(w, "initrwnd"):
			err = metric("initrwnd", &s.Metrics.InitRWnd, unix.RTAX_INITRWND, 1<<32-1)
		case matches(w, "ssthresh"):
			err = metric("ssthresh", &s.Metrics.SSThresh, unix.RTAX_SSTHRESH, 1<<32-1)
		case matches(w, "quickack"):
			err = metric("quickack", &s.Metrics.QuickAck, unix.RTAX_QUICKACK, 1)
		case matches(w, "fastopen_no_cookie"):
			err = metric("fastopen_no_cookie", &s.Metrics.FastOpenNoCookie, unix.RTAX_FASTOPEN_NO_COOKIE, 1)
		case matches(w, "features"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if v != "ecn" {
				return usagef("invalid features %q: want ecn", v)
			}
			s.Metrics.Features = unix.RTAX_FEATURE_ECN
		case matches(w, "congctl"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if v == "lock" {
				s.Metrics.Lock |= 1 << unix.RTAX_CC_ALGO
				if v, err = a.value(w); err != nil {
					return err
				}
			}
			s.Metrics.CongestionControl = v
		case w == "onlink":
			s.Flags |= unix.RTNH_F_ONLINK
		case w == "nexthop":
			a.i--
			if hops, err = parseNexthops(a, family); err != nil {
				return err
			}
			for _, h := range hops {
				if h.gw.IsValid() {
					setFamily(h.gw)
				}
			}
		case w == "nhid":
			s.NHID, err = a.uint32Value(w)
		case matches(w, "protocol"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			id, ok := protoNames.id(v, 255)
			if !ok {
				return usagef("invalid protocol %q", v)
			}
			s.Protocol = uint8(id)
		case matches(w, "table"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			id, ok := tableNames.id(v, 1<<32-1)
			if !ok {
				return usagef("invalid table %q", v)
			}
			s.Table, haveTable = id, true
		case w == "dev" || w == "oif":
			dev, err = a.value(w)
		case matches(w, "pref"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			switch v {
			case "low":
				s.Pref = 3
			case "medium":
				s.Pref = 0
			case "high":
				s.Pref = 1
			default:
				n, err := strconv.ParseUint(v, 0, 8)
				if err != nil {
					return usagef("invalid pref %q", v)
				}
				s.Pref = uint8(n)
			}
			s.PrefSet = true
		case w == "encap" || w == "as" || matches(w, "realms") || w == "ttl-propagate" ||
			w == "rtt" || w == "rttvar" || w == "rto_min" || matches(w, "vrf"):
			return usagef("%q is not supported", w)
		default:
			if w == "to" {
				if w, err = a.value(w); err != nil {
					return err
				}
			}
			if (w[0] < '0' || w[0] > '9') && !strings.Contains(w, ":") {
				if t, ok := routeTypeID(w); ok {
					s.Type, haveType = t, true
					if w, err = a.value("type"); err != nil {
						return err
					}
				}
			}
			if haveDst {
				return usagef("unknown argument %q (destination already given)", w)
			}
			sel, err := parsePrefixSelector("destination", w, family)
			if err != nil {
				return err
			}
			if sel.family == 0 {
				sel.family = family
				if sel.family == 0 {
					sel.family = unix.AF_INET
				}
			}
			addr, _ := netip.AddrFromSlice(sel.addr[:4])
			if sel.family == unix.AF_INET6 {
				addr = netip.AddrFrom16(sel.addr)
			}
			s.Dst, haveDst = netip.PrefixFrom(addr, sel.bits), true
			setFamily(addr)
		}
		if err != nil {
			return err
		}
	}
	if !haveDst {
		return usagef("no destination prefix given")
	}
	if s.Dst != s.Dst.Masked() {
		return usagef("invalid destination %v: host bits are set (did you mean %v?)", s.Dst, s.Dst.Masked())
	}
	if !haveTable && (s.Type == unix.RTN_LOCAL || s.Type == unix.RTN_BROADCAST ||
		s.Type == unix.RTN_NAT || s.Type == unix.RTN_ANYCAST) {
		s.Table = unix.RT_TABLE_LOCAL
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	if dev != "" {
		l, err := linkByName(ctx, h, dev)
		if err != nil {
			return err
		}
		s.OutIndex = l.Index()
	}
	for _, hop := range hops {
		nh := rtm.NextHopSpec{Gateway: hop.gw, Weight: hop.weight, Flags: hop.flags}
		if hop.dev != "" {
			l, err := linkByName(ctx, h, hop.dev)
			if err != nil {
				return err
			}
			nh.OutIndex = l.Index()
		}
		s.NextHops = append(s.NextHops, nh)
	}
	switch op {
	case "add":
		err = h.RouteAdd(ctx, s)
	case "change":
		err = h.RouteChange(ctx, s)
	case "replace":
		err = h.RouteReplace(ctx, s)
	case "prepend":
		err = h.RoutePrepend(ctx, s)
	case "append":
		err = h.RouteAppend(ctx, s)
	default:
		if !scopeSet {
			s.Scope, s.ScopeSet = unix.RT_SCOPE_NOWHERE, true
		}
		if !haveType {
			// ip deletes a route of any type unless one is named;
			// RouteSpec always sends one, so take the route's own.
			if t, ok := existingRouteType(ctx, h, &s); ok {
				s.Type = t
			}
		}
		err = h.RouteDel(ctx, s)
	}
	return err
}

// existingRouteType finds the type of the route "route del" names.
func existingRouteType(ctx context.Context, h *rtm.Handle, s *rtm.RouteSpec) (uint8, bool) {
	table := s.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	fam := uint8(unix.AF_INET6)
	if s.Dst.Addr().Is4() {
		fam = unix.AF_INET
	}
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: fam, Table: table}) {
		if err != nil {
			return 0, false
		}
		if r.Dst() == s.Dst && (s.TOS == 0 || r.TOS() == s.TOS) && (s.Priority == 0 || r.Priority() == s.Priority) {
			return r.Type(), true
		}
	}
	return 0, false
}

// nexthopArgs is one "nexthop" of a multipath route.
type nexthopArgs struct {
	gw     netip.Addr
	dev    string
	weight int
	flags  uint8
}

// parseNexthops parses "nexthop ..." groups up to the end of the line, as
// iproute2's parse_nexthops does.
func parseNexthops(a *args, family uint8) ([]nexthopArgs, error) {
	var hops []nexthopArgs
	for a.more() {
		if w := a.advance(); w != "nexthop" {
			return nil, usagef("\"nexthop\" or end of line is expected instead of %q", w)
		}
		if !a.more() {
			return nil, usagef("unexpected end of line after \"nexthop\"")
		}
		var nh nexthopArgs
	hop:
		for a.more() {
			switch w := a.advance(); {
			case w == "via":
				v, err := a.value(w)
				if err != nil {
					return nil, err
				}
				if v == "inet" || v == "inet6" {
					if v, err = a.value(w); err != nil {
						return nil, err
					}
				}
				if nh.gw, err = parseAddr("via", v, family); err != nil {
					return nil, err
				}
			case w == "dev":
				v, err := a.value(w)
				if err != nil {
					return nil, err
				}
				nh.dev = v
			case w == "weight":
				v, err := a.uint32Value(w)
				if err != nil || v == 0 || v > 256 {
					return nil, usagef("invalid weight: want 1 to 256")
				}
				nh.weight = int(v)
			case w == "onlink":
				nh.flags |= unix.RTNH_F_ONLINK
			case w == "encap" || w == "as" || matches(w, "realms"):
				return nil, usagef("%q in a nexthop is not supported", w)
			default:
				a.i--
				break hop
			}
		}
		hops = append(hops, nh)
	}
	return hops, nil
}
