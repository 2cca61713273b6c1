package main

// ip route's printing of one route: iproute2's print_route.

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

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

// routeAttrs holds where each attribute type of a route message first
// occurs, found in one pass over the chain: printRoute looks up some
// twenty types per route, which this makes an array read each.
type routeAttrs struct {
	chain nla.Chain
	has   uint32 // bit t: type t is present
	// start and end bound the payload of the first attribute of each
	// type below routeAttrTypes.
	start, end [routeAttrTypes]uint32
}

// routeAttrTypes bounds the types routeAttrs holds: every RTA_* of Linux
// 6.x is below it (RTA_MAX is 31); printRoute asks for no other.
const routeAttrTypes = 32

// reset indexes chain c. Like nla.Index it stops at the first malformed
// attribute, and keeps the first attribute of each type.
func (ra *routeAttrs) reset(c nla.Chain) {
	ra.chain, ra.has = c, 0
	for off := 0; len(c)-off >= 4; {
		n := int(binary.NativeEndian.Uint16(c[off:]))
		if n < 4 || n > len(c)-off {
			break
		}
		if t := binary.NativeEndian.Uint16(c[off+2:]) & nla.TypeMask; t < routeAttrTypes && ra.has&(1<<t) == 0 {
			ra.has |= 1 << t
			ra.start[t], ra.end[t] = uint32(off+4), uint32(off+n)
		}
		off += (n + 3) &^ 3
	}
}

// get returns the first attribute of type t.
func (ra *routeAttrs) get(t uint16) (nla.Attr, bool) {
	if t >= routeAttrTypes || ra.has&(1<<t) == 0 {
		return nla.Attr{}, false
	}
	s, e := ra.start[t], ra.end[t]
	return nla.Attr{Type: t, Data: ra.chain[s:e:e]}, true
}

// table returns the route's table as rtm.Route.Table does: RTA_TABLE, or
// the header's byte.
func (ra *routeAttrs) table(r rtm.Route) uint32 {
	if a, ok := ra.get(unix.RTA_TABLE); ok {
		if v, err := a.Uint32(); err == nil {
			return v
		}
	}
	return r.Table()
}

// printRoute prints one route as iproute2's print_route does.
func printRoute(p *printer, r rtm.Route, f *routeFilter, names *linkNames, nhc *nexthopCache, details bool) {
	var tb routeAttrs
	tb.reset(r.Chain())
	printRouteAttrs(p, r, &tb, f, names, nhc, details)
}

// printRouteAttrs is printRoute for a route whose attributes tb holds.
func printRouteAttrs(p *printer, r rtm.Route, tb *routeAttrs, f *routeFilter, names *linkNames, nhc *nexthopCache, details bool) {
	fam := r.Family()
	hostLen := afBitLen(fam)
	p.openObject("")
	if r.Type() != unix.RTN_UNICAST || details {
		p.strAround("type", "", routeTypeName(r.Type()), " ")
	}
	var scratch [64]byte
	// A multicast route's addresses are of the family its multicast
	// routing family stands for (get_real_family); hostLen stays 0.
	addrFam := realFamily(r.Type(), fam)
	dstColor := colorPlain
	if _, ok := tb.get(unix.RTA_DST); ok {
		dstColor = familyColor(addrFam)
	}
	p.addrAroundIn(dstColor, "dst", "", appendRoutePrefix(scratch[:0], tb, unix.RTA_DST, addrFam, r.DstLen(), hostLen), " ")
	if _, ok := tb.get(unix.RTA_SRC); ok {
		v := appendRoutePrefix(scratch[:0], tb, unix.RTA_SRC, addrFam, r.SrcLen(), hostLen)
		if p.palette != nil && !p.json {
			p.colorStrBytes(familyColor(addrFam), "from", "from %s ", v) // ip colors "from " too
		} else {
			p.addrAround("from", "from ", v, " ")
		}
	} else if r.SrcLen() != 0 {
		p.str("src", "from %s ", fmt.Sprintf("0/%d", r.SrcLen()))
	}
	if a, ok := tb.get(rtaNHID); ok {
		p.uintAround("nhid", "nhid ", uint64(attrU32(a)), " ")
	}
	if a, ok := tb.get(unix.RTA_NEWDST); ok {
		p.addrAroundIn(familyColor(fam), "to", "as to ", appendHost(scratch[:0], fam, a.Data), " ")
	}
	if a, ok := tb.get(unix.RTA_ENCAP); ok {
		if t, ok := tb.get(unix.RTA_ENCAP_TYPE); ok {
			printEncap(p, attrU16(t), a.Nested(), names)
		}
	}
	if r.TOS() != 0 && !f.tosSet {
		p.strAround("tos", "tos ", dsfieldName(r.TOS()), " ")
	}
	if a, ok := tb.get(unix.RTA_GATEWAY); ok && !(f.via.set && f.via.bits == hostLen) {
		p.addrAroundIn(familyColor(fam), "gateway", "via ", appendHost(scratch[:0], fam, a.Data), " ")
	}
	if a, ok := tb.get(unix.RTA_VIA); ok {
		printVia(p, a.Data)
	}
	if a, ok := tb.get(unix.RTA_OIF); ok && !f.oifSet {
		p.strAroundIn(colorIfname, "dev", "dev ", names.name(int32(attrU32(a))), " ")
	}
	if t := tb.table(r); t != 0 && (t != unix.RT_TABLE_MAIN || details) && f.table == 0 {
		p.strAround("table", "table ", tableNames.name(t), " ")
	}
	if r.Flags()&unix.RTM_F_CLONED == 0 {
		if (r.Protocol() != unix.RTPROT_BOOT || details) && !f.protoSet {
			p.strAround("protocol", "proto ", protoNames.name(uint32(r.Protocol())), " ")
		}
		if (r.Scope() != unix.RT_SCOPE_UNIVERSE || details) && !f.scopeSet {
			p.strAround("scope", "scope ", scopeNames.name(uint32(r.Scope())), " ")
		}
	}
	if a, ok := tb.get(unix.RTA_PREFSRC); ok && !(f.prefSrc.set && f.prefSrc.bits == hostLen) {
		p.addrAroundIn(familyColor(fam), "prefsrc", "src ", appendAddr(scratch[:0], fam, a.Data), " ")
	}
	if a, ok := tb.get(unix.RTA_PRIORITY); ok && !f.metricOK {
		p.uintAround("metric", "metric ", uint64(attrU32(a)), " ")
	}
	printRouteFlags(p, r.Flags())
	if a, ok := tb.get(unix.RTA_MARK); ok {
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
	if a, ok := tb.get(unix.RTA_FLOW); ok && !f.realmSet {
		printFlow(p, attrU32(a))
	}
	if a, ok := tb.get(unix.RTA_UID); ok {
		p.uintAround("uid", "uid ", uint64(attrU32(a)), " ")
	}
	if fam == unix.AF_INET && r.Flags()&unix.RTM_F_CLONED != 0 {
		printCacheFlags(p, r.Flags())
	}
	if a, ok := tb.get(unix.RTA_CACHEINFO); ok && (fam == unix.AF_INET || fam == unix.AF_INET6) && len(a.Data) >= 32 {
		printRouteCacheInfo(p, a.Data, f.stats)
	}
	if a, ok := tb.get(unix.RTA_METRICS); ok {
		printMetrics(p, a.Nested())
	}
	if a, ok := tb.get(unix.RTA_IIF); ok && !f.iifSet {
		p.strAroundIn(colorIfname, "iif", "iif ", names.name(int32(attrU32(a))), " ")
	}
	if a, ok := tb.get(unix.RTA_PREF); ok {
		switch v := attrU8(a); v {
		case 3: // ICMPV6_ROUTER_PREF_LOW
			p.strAround("pref", "pref ", "low", "")
		case 0:
			p.strAround("pref", "pref ", "medium", "")
		case 1:
			p.strAround("pref", "pref ", "high", "")
		default:
			p.uintAround("pref", "", uint64(v), "")
		}
	}
	if a, ok := tb.get(unix.RTA_TTL_PROPAGATE); ok {
		on := attrU8(a) != 0
		if p.json {
			p.jsonBool("ttl-propogate", on)
		} else if on {
			p.textString("ttl-propogate enabled")
		} else {
			p.textString("ttl-propogate disabled")
		}
	}
	if a, ok := tb.get(rtaNHID); ok && details {
		if n, ok := nhc.get(attrU32(a)); ok {
			p.textString("\n\tnh_info ")
			printNexthopEntry(p, n, "nh_info", names, details)
		}
	}
	if a, ok := tb.get(unix.RTA_MULTIPATH); ok {
		printMultipath(p, r, a.Data, names)
	}
	p.endl()
	p.closeObject()
}

// appendRoutePrefix appends a route's destination or source as
// print_route formats it: a bare address for a host route, "default" for
// none.
func appendRoutePrefix(b []byte, tb *routeAttrs, t uint16, fam uint8, bits, hostLen int) []byte {
	a, ok := tb.get(t)
	switch {
	case !ok && bits != 0:
		b = append(b, "0/"...)
		return append(strconv.AppendInt(b, int64(bits), 10), ' ')
	case !ok:
		return append(b, "default"...)
	case bits != hostLen:
		b = appendAddr(b, fam, a.Data)
		return strconv.AppendInt(append(b, '/'), int64(bits), 10)
	}
	return appendHost(b, fam, a.Data)
}

// realFamily is utils.c's get_real_family: the address family of a route
// of type typ and family fam, AF_INET or AF_INET6 for a multicast route of
// a multicast routing family.
func realFamily(typ, fam uint8) uint8 {
	if typ == unix.RTN_MULTICAST {
		switch fam {
		case rtnlFamilyIPMR:
			return unix.AF_INET
		case rtnlFamilyIP6MR:
			return unix.AF_INET6
		}
	}
	return fam
}

// afBitLen is utils.c's af_bit_len: the length in bits of a host address
// of family fam, 0 for a family that has none.
func afBitLen(fam uint8) int {
	switch fam {
	case unix.AF_INET6:
		return 128
	case unix.AF_INET:
		return 32
	case unix.AF_MPLS:
		return 20
	}
	return 0
}

// formatAddr is iproute2's rt_addr_n2a for routes' addresses.
func formatAddr(fam uint8, b []byte) string { return string(appendAddr(nil, fam, b)) }

// appendAddr appends what formatAddr returns.
func appendAddr(out []byte, fam uint8, b []byte) []byte {
	switch fam {
	case unix.AF_INET, unix.AF_INET6:
		if len(b) == 4 || len(b) == 16 {
			return appendIP(out, b)
		}
	case unix.AF_MPLS:
		for i := 0; len(b) >= 4; i++ {
			e := binary.BigEndian.Uint32(b)
			if i > 0 {
				out = append(out, '/')
			}
			out = strconv.AppendUint(out, uint64(e>>12), 10)
			b = b[4:]
			if e&0x100 != 0 {
				break
			}
		}
		return out
	}
	return append(out, "???"...)
}

func printVia(p *printer, b []byte) {
	if len(b) < 2 {
		return
	}
	fam := uint8(binary.NativeEndian.Uint16(b))
	host := string(appendHost(nil, fam, b[2:]))
	if p.json {
		p.openObject("via")
		p.jsonStr("family", familyNameOrQ(fam))
		p.jsonStr("host", host)
		p.closeObject()
		return
	}
	p.text("via %s ", familyNameOrQ(fam))
	p.colorStr(familyColor(fam), "", "%s ", host)
}

func familyNameOrQ(f uint8) string {
	if s := familyName(f); s != "" {
		return s
	}
	return "???"
}

// printRouteFlags is iproute2's print_rt_flags.
func printRouteFlags(p *printer, flags uint32) {
	names := [...]struct {
		mask uint32
		name string
	}{
		{unix.RTNH_F_DEAD, "dead"}, {unix.RTNH_F_ONLINK, "onlink"}, {unix.RTNH_F_PERVASIVE, "pervasive"},
		{unix.RTNH_F_OFFLOAD, "offload"}, {unix.RTNH_F_TRAP, "trap"}, {unix.RTM_F_NOTIFY, "notify"},
		{unix.RTNH_F_LINKDOWN, "linkdown"}, {unix.RTNH_F_UNRESOLVED, "unresolved"},
		{unix.RTM_F_OFFLOAD, "rt_offload"}, {unix.RTM_F_TRAP, "rt_trap"},
		{unix.RTM_F_OFFLOAD_FAILED, "rt_offload_failed"},
	}
	const known = unix.RTNH_F_DEAD | unix.RTNH_F_ONLINK | unix.RTNH_F_PERVASIVE | unix.RTNH_F_OFFLOAD |
		unix.RTNH_F_TRAP | unix.RTM_F_NOTIFY | unix.RTNH_F_LINKDOWN | unix.RTNH_F_UNRESOLVED |
		unix.RTM_F_OFFLOAD | unix.RTM_F_TRAP | unix.RTM_F_OFFLOAD_FAILED
	if flags&known == 0 {
		// Most routes: nothing in text, an empty array in JSON.
		if p.json {
			p.memberNamed("flags")
			p.buf = append(p.buf, "[]"...)
		}
		return
	}
	p.openArray("flags")
	for _, fl := range names {
		if flags&fl.mask != 0 {
			p.strAround("", "", fl.name, " ")
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
		p.nl()
		p.textString("    cache ")
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

// printRouteCacheInfo is iproute2's print_rta_cacheinfo; stats is -s.
func printRouteCacheInfo(p *printer, ci []byte, stats bool) {
	u := func(i int) uint32 { return binary.NativeEndian.Uint32(ci[4*i:]) }
	if exp := int32(u(2)); exp != 0 {
		p.int("expires", "expires %dsec ", int64(exp/100))
	}
	if e := u(3); e != 0 {
		p.uint("error", "error %d ", uint64(e))
	}
	if stats {
		// struct rta_cacheinfo: clntref, lastuse, expires, error, used.
		if v := u(0); v != 0 {
			p.uint("users", "users %d ", uint64(v))
		}
		if v := u(4); v != 0 {
			p.uint("used", "used %d ", uint64(v))
		}
		if v := u(1); v != 0 {
			p.uint("age", "age %dsec ", uint64(v/100))
		}
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
			p.nl()
			p.textString("\tnexthop ")
		case first:
			p.textString("Oifs: ")
			first = false
		default:
			p.textString(" ")
		}
		if n > unix.SizeofRtNexthop {
			var (
				tb      nla.Index
				scratch [64]byte
			)
			tb.Reset(nla.Chain(b[unix.SizeofRtNexthop:n]))
			if a, ok := tb.Get(unix.RTA_ENCAP); ok {
				if t, ok := tb.Get(unix.RTA_ENCAP_TYPE); ok {
					printEncap(p, attrU16(t), a.Nested(), names)
				}
			}
			if a, ok := tb.Get(unix.RTA_NEWDST); ok {
				p.textString("as to ")
				p.colorStrBytes(familyColor(fam), "to", "%s ", appendHost(scratch[:0], fam, a.Data))
			}
			if a, ok := tb.Get(unix.RTA_GATEWAY); ok {
				p.textString("via ")
				p.colorStrBytes(familyColor(fam), "gateway", "%s ", appendHost(scratch[:0], fam, a.Data))
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
