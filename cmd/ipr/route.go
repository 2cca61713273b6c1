package main

// "ipr route": show, add, change, replace, append, prepend, delete, get,
// flush, save and restore routes, with the syntax and output of iproute2's
// "ip route" (version 6.1).

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
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
	tableNames = nameTable{file: "rt_tables", defaults: []idName{
		{unix.RT_TABLE_DEFAULT, "default"}, {unix.RT_TABLE_MAIN, "main"}, {unix.RT_TABLE_LOCAL, "local"},
	}}
	protoNames = nameTable{file: "rt_protos", defaults: []idName{
		{unix.RTPROT_UNSPEC, "unspec"}, {unix.RTPROT_REDIRECT, "redirect"}, {unix.RTPROT_KERNEL, "kernel"}, {unix.RTPROT_BOOT, "boot"},
		{unix.RTPROT_STATIC, "static"}, {unix.RTPROT_GATED, "gated"}, {unix.RTPROT_RA, "ra"}, {unix.RTPROT_MRT, "mrt"},
		{unix.RTPROT_ZEBRA, "zebra"}, {unix.RTPROT_BIRD, "bird"}, {unix.RTPROT_BABEL, "babel"}, {unix.RTPROT_DNROUTED, "dnrouted"},
		{unix.RTPROT_XORP, "xorp"}, {unix.RTPROT_NTK, "ntk"}, {unix.RTPROT_DHCP, "dhcp"}, {unix.RTPROT_KEEPALIVED, "keepalived"},
		{unix.RTPROT_BGP, "bgp"}, {unix.RTPROT_ISIS, "isis"}, {unix.RTPROT_OSPF, "ospf"}, {unix.RTPROT_RIP, "rip"},
		{unix.RTPROT_EIGRP, "eigrp"},
	}}
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
	if int(t) < len(routeTypeNames) && !numericNames {
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
	if s, ok := dsfieldNames.names[uint32(v)]; ok && !numericNames {
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
	// stats is -s: cache information adds users, used and age.
	stats    bool
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
			if f.tos, err = a.tosValue(w); err != nil {
				return "", "", err
			}
			f.tosSet = true
		case matches(w, "protocol"):
			if f.protocol, f.protoSet, err = a.protocolFilter(w); err != nil {
				return "", "", err
			}
		case matches(w, "scope"):
			if f.scope, f.scopeSet, err = a.scopeFilter(w); err != nil {
				return "", "", err
			}
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
	var tb routeAttrs
	tb.reset(r.Chain())
	return f.keepAttrs(r, &tb)
}

// keepAttrs is keep for a route whose attributes tb holds.
func (f *routeFilter) keepAttrs(r rtm.Route, tb *routeAttrs) bool {
	if f.get {
		return true
	}
	if f.family != 0 && r.Family() != f.family {
		return false
	}
	if f.cloned != (r.Flags()&unix.RTM_F_CLONED != 0) {
		return false
	}
	if f.table != 0 && tb.table(r) != f.table {
		return false
	}
	switch {
	case f.protoSet && r.Protocol() != f.protocol,
		f.scopeSet && r.Scope() != f.scope,
		f.typeMask != 0 && f.typeMask&(1<<r.Type()) == 0,
		f.tosSet && r.TOS() != f.tos:
		return false
	}
	fam := r.Family()
	// Without prefix selectors (a plain "route show") the attributes
	// are not looked for: each look-up walks the message.
	if f.rootDst.set || f.matchDst.set || f.rootSrc.set || f.matchSrc.set {
		var dst, src [16]byte
		if a, ok := tb.get(unix.RTA_DST); ok {
			copy(dst[:], a.Data)
		}
		if a, ok := tb.get(unix.RTA_SRC); ok {
			copy(src[:], a.Data)
		}
		if !selectorKeeps(f.rootDst, fam, dst[:], r.DstLen(), true) ||
			!selectorKeeps(f.matchDst, fam, dst[:], r.DstLen(), false) ||
			!selectorKeeps(f.rootSrc, fam, src[:], r.SrcLen(), true) ||
			!selectorKeeps(f.matchSrc, fam, src[:], r.SrcLen(), false) {
			return false
		}
	}
	if f.via.set && f.via.family != 0 {
		var gw [16]byte
		gfam := fam
		if a, ok := tb.get(unix.RTA_VIA); ok && len(a.Data) >= 2 {
			gfam = uint8(binary.NativeEndian.Uint16(a.Data))
			copy(gw[:], a.Data[2:])
		} else if a, ok := tb.get(unix.RTA_GATEWAY); ok {
			copy(gw[:], a.Data)
		}
		if gfam != f.via.family || !addrMatch(gw[:], f.via.addr[:], f.via.bits) {
			return false
		}
	}
	if f.prefSrc.set && f.prefSrc.family != 0 {
		var ps [16]byte
		if a, ok := tb.get(unix.RTA_PREFSRC); ok {
			copy(ps[:], a.Data)
		}
		if fam != f.prefSrc.family || !addrMatch(ps[:], f.prefSrc.addr[:], f.prefSrc.bits) {
			return false
		}
	}
	if f.realmSet {
		var realm uint32
		if a, ok := tb.get(unix.RTA_FLOW); ok {
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
		return failf(`"ipr route flush" requires arguments.`)
	}
	// ip writes the magic word before it reads the selectors.
	if action == routeSave {
		if err := routeDump.create(e); err != nil {
			return err
		}
	}
	f := routeFilter{stats: e.Stats.level > 0}
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
	// A table the kernel does not have is refused as the kernel refuses
	// it, but for show and save of the main table (save_route_errhndlr).
	kf := &rtm.RouteFilter{Family: f.family, Table: f.table, Cloned: f.cloned, OutIndex: f.oif,
		MissingTableError: action == routeFlush || f.table != unix.RT_TABLE_MAIN}
	if f.protoSet {
		kf.Protocol = f.protocol
	}
	switch action {
	case routeSave:
		return routeSaveTo(ctx, e, h, &f, kf)
	case routeFlush:
		r := newFlushReport(e, "entries")
		return r.finish(routeFlushMatching(ctx, h, &f, kf, r, names))
	}
	p := e.newPrinter()
	p.openArray("")
	nh := &nexthopCache{ctx: ctx, h: h}
	var tb routeAttrs
	for r, err := range h.Routes(ctx, kf) {
		if err != nil {
			// ip exits there, its JSON array left open.
			if werr := e.output(p); werr != nil {
				return werr
			}
			return rtnlDumpRefused(err, "Dump terminated")
		}
		tb.reset(r.Chain())
		if f.keepAttrs(r, &tb) {
			printRouteAttrs(p, r, &tb, &f, names, nh, e.Details)
			p.flush()
		}
	}
	return e.endList(p)
}

// routeSaveTo writes the selected routes as "ip route save" does, after
// the magic word routeDump.create wrote. The selectors the kernel does
// not apply are applied to the saved messages.
func routeSaveTo(ctx context.Context, e *env, h *rtm.Handle, f *routeFilter, kf *rtm.RouteFilter) error {
	var buf bytes.Buffer
	if _, err := h.RouteSave(ctx, &buf, kf); err != nil {
		return rtnlDumpRefused(err, "Dump terminated")
	}
	var out []byte
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

// routeRestore is "route restore": a saved file on standard input,
// restored in ip's three passes (routeRestorePass), each in the file's
// order. Unlike ip, which seeks back to the start for each pass, it reads
// the file once, so that standard input may be a pipe.
func routeRestore(e *env) error {
	r, err := routeDump.open(e)
	if err != nil {
		return err
	}
	var msgs [][]byte
	for m, err := range routeDump.messages(r) {
		if err != nil {
			return err
		}
		msgs = append(msgs, bytes.Clone(m))
	}
	c, err := rawConn(e)
	if err != nil {
		return err
	}
	defer c.Close()
	for pass := range 3 {
		for _, m := range msgs {
			if routeRestorePass(m) != pass {
				continue
			}
			if err := routeDump.restore(e, c, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// routeRestorePass is the pass of ip's restore_handler that restores a
// saved route: 0 for the routes to local addresses (no gateway, and no
// preferred source but the destination), 1 for local networks (no
// gateway), 2 for the others, restored once their gateways are reachable.
func routeRestorePass(m []byte) int {
	r, err := rtm.RouteFromBytes(m[wire.HeaderLen:])
	if err != nil {
		return 2
	}
	c := r.Chain()
	src, hasSrc := c.Get(unix.RTA_PREFSRC)
	dst, hasDst := c.Get(unix.RTA_DST)
	switch _, gw := c.Get(unix.RTA_GATEWAY); {
	case gw:
		return 2
	case !hasSrc || hasDst && bytes.Equal(src.Data, dst.Data):
		return 0
	}
	return 1
}

// routeShowDump is "route showdump": a saved file on standard input,
// printed.
func routeShowDump(e *env) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	f := routeFilter{get: true}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	nh := &nexthopCache{ctx: e.ctx, h: h}
	r, err := routeDump.open(e)
	if err != nil {
		return err
	}
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	p.openArray("")
	// A broken file ends the listing where it breaks, as in ip.
	var broken error
	for m, err := range routeDump.messages(r) {
		if err == nil && len(m) < wire.HeaderLen+unix.SizeofRtMsg {
			err = &cliError{code: routeDump.failed, msg: "route dump: malformed message"}
		}
		if err != nil {
			broken = err
			break
		}
		r, _ := rtm.RouteFromBytes(m[wire.HeaderLen:])
		printRoute(p, r, &f, names, nh, e.Details)
	}
	if err := e.endList(p); err != nil {
		return err
	}
	return broken
}

// routeFlushMatching deletes the selected routes, in rounds until none
// is left, as iproute2's iproute_flush does, and reports them to rep.
func routeFlushMatching(ctx context.Context, h *rtm.Handle, f *routeFilter, kf *rtm.RouteFilter, rep *flushReport, names *linkNames) error {
	if f.cloned {
		return usagef("flushing the route cache is not supported")
	}
	var (
		nh *nexthopCache
		tb routeAttrs
	)
	if rep.each() {
		nh = &nexthopCache{ctx: ctx, h: h}
	}
	for round := 0; round < maxFlushRounds; round++ {
		bt := h.NewBatch()
		for r, err := range h.Routes(ctx, kf) {
			if err != nil {
				return rtnlDumpRefused(err, "Flush terminated")
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
			if rep.each() {
				tb.reset(r.Chain())
				printRouteAttrs(rep.p, r, &tb, f, names, nh, rep.e.Details)
			}
		}
		if done, err := rep.endRound(ctx, bt, unix.ESRCH, unix.ENOENT); done || err != nil {
			return err
		}
	}
	return fmt.Errorf("flush remains incomplete after %d rounds", maxFlushRounds)
}
