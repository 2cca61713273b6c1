package main

// "ip route add", "change", "replace", "prepend", "append" and "delete": iproute2's iproute_modify.

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

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
		scopeSet, anyDst  bool
		encap             *encapArg
	)
	setFamily := func(ad netip.Addr) {
		if family == 0 {
			family = addrFamily(ad)
		}
	}
	metric := func(w string, dst *uint32, lockBit int, max uint64) error {
		v, err := metricValue(a, w, &s.Metrics, lockBit)
		if err != nil {
			return err
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
			if s.PrefSrc, err = a.addrValue("src", family); err != nil {
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
			if s.Src, err = a.prefixValue("from", family); err != nil {
				return err
			}
			setFamily(s.Src.Addr())
		case w == "tos" || matches(w, "dsfield"):
			s.TOS, err = a.tosValue(w)
		case w == "expires":
			s.Expires, err = a.uint32Value(w)
		case matches(w, "metric") || matches(w, "priority") || w == "preference":
			s.Priority, err = a.uint32Value("metric")
		case w == "scope":
			s.Scope, err = a.scopeValue(w)
			s.ScopeSet, scopeSet = true, true
		case routeMetricWord(w) >= 0:
			m := &routeMetricWords[routeMetricWord(w)]
			err = metric(m.name, m.field(&s.Metrics), m.bit, m.max)
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
			s.Metrics.CongestionControl, err = metricValue(a, w, &s.Metrics, unix.RTAX_CC_ALGO)
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
			s.Protocol, err = a.protocolValue(w)
		case matches(w, "table"):
			s.Table, err = a.routeTableValue(w)
			haveTable = true
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
		case w == "encap":
			encap, err = parseEncap(a)
		case w == "rtt":
			err = rttMetric(a, w, &s.Metrics, unix.RTAX_RTT, &s.Metrics.RTT, 8)
		case matches(w, "rttvar"):
			err = rttMetric(a, "rttvar", &s.Metrics, unix.RTAX_RTTVAR, &s.Metrics.RTTVar, 4)
		case w == "rto_min":
			// iproute2 always locks rto_min, and takes no "lock".
			s.Metrics.Lock |= 1 << unix.RTAX_RTO_MIN
			v, err := a.value(w)
			if err != nil {
				return err
			}
			n, _, ok := parseTimeRTT(v)
			if !ok {
				return usagef("\"rto_min\" value is invalid: %q", v)
			}
			s.Metrics.RTOMin = n
		case matches(w, "realms"):
			s.Realms, err = parseValue(a, "realms", parseRealms)
		case w == "as" || w == "ttl-propagate" || matches(w, "vrf"):
			return usagef("%q is not supported", w)
		default:
			if w == "to" {
				if w, err = a.value(w); err != nil {
					return err
				}
			}
			if (w == "" || w[0] < '0' || w[0] > '9') && !strings.Contains(w, ":") {
				if t, ok := routeTypeID(w); ok {
					s.Type, haveType = t, true
					if w, err = a.value("type"); err != nil {
						return err
					}
				}
			}
			if haveDst {
				return duparg2("to", w)
			}
			sel, err := parsePrefixSelector("destination", w, family)
			if err != nil {
				return err
			}
			if sel.family == 0 && family == 0 {
				// "default" before any address: the family comes from
				// a later gateway or source ("route add default via
				// fe80::1"), else it is IPv4, as with iproute2.
				haveDst, anyDst = true, true
				break
			}
			if sel.family == 0 {
				sel.family = family
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
	if anyDst {
		s.Dst = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		if family == unix.AF_INET6 {
			s.Dst = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		}
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
	if err := resolveHop(ctx, h, dev, &s.OutIndex, encap, &s.Tunnel); err != nil {
		return err
	}
	for _, hop := range hops {
		nh := rtm.RouteHopSpec{Gateway: hop.gw, Weight: hop.weight, Flags: hop.flags, Realms: hop.realms}
		if err := resolveHop(ctx, h, hop.dev, &nh.OutIndex, hop.encap, &nh.Tunnel); err != nil {
			return err
		}
		s.NextHops = append(s.NextHops, nh)
	}
	switch op {
	case "add":
		err = e.change(h, rtm.RouteAdd(s))
	case "change":
		err = e.change(h, rtm.RouteChange(s))
	case "replace":
		err = e.change(h, rtm.RouteReplace(s))
	case "prepend":
		err = e.change(h, rtm.RoutePrepend(s))
	case "append":
		err = e.change(h, rtm.RouteAppend(s))
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
		err = e.change(h, rtm.RouteDel(s))
	}
	return err
}

// routeMetricWords are the metrics of "route add" that take a number, in
// iproute2's order of checks (which decides what an abbreviation means):
// the keyword, whether only the whole keyword names it, its RTAX_* bit,
// its largest value and its field.
var routeMetricWords = [...]struct {
	name  string
	exact bool
	bit   int
	max   uint64
	field func(*rtm.RouteMetrics) *uint32
}{
	{"mtu", true, unix.RTAX_MTU, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.MTU }},
	{"hoplimit", true, unix.RTAX_HOPLIMIT, 255, func(m *rtm.RouteMetrics) *uint32 { return &m.HopLimit }},
	{"advmss", true, unix.RTAX_ADVMSS, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.AdvMSS }},
	{"reordering", false, unix.RTAX_REORDERING, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.Reordering }},
	{"window", false, unix.RTAX_WINDOW, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.Window }},
	{"cwnd", false, unix.RTAX_CWND, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.CWnd }},
	{"initcwnd", false, unix.RTAX_INITCWND, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.InitCWnd }},
	{"initrwnd", false, unix.RTAX_INITRWND, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.InitRWnd }},
	{"ssthresh", false, unix.RTAX_SSTHRESH, 1<<32 - 1, func(m *rtm.RouteMetrics) *uint32 { return &m.SSThresh }},
	{"quickack", false, unix.RTAX_QUICKACK, 1, func(m *rtm.RouteMetrics) *uint32 { return &m.QuickAck }},
	{"fastopen_no_cookie", false, unix.RTAX_FASTOPEN_NO_COOKIE, 1, func(m *rtm.RouteMetrics) *uint32 { return &m.FastOpenNoCookie }},
}

// routeMetricWord is the index in routeMetricWords of the metric w names,
// or -1.
func routeMetricWord(w string) int {
	for i, m := range routeMetricWords {
		if w == m.name || !m.exact && matches(w, m.name) {
			return i
		}
	}
	return -1
}

// metricValue reads the value of a route metric, after "lock", which sets
// the metric's bit in the RTAX_LOCK set.
func metricValue(a *args, w string, m *rtm.RouteMetrics, bit int) (string, error) {
	v, err := a.value(w)
	if err == nil && v == "lock" {
		m.Lock |= 1 << bit
		v, err = a.value(w)
	}
	return v, err
}

// rttMetric parses the value of rtt or rttvar: a time in milliseconds
// with a unit ("100ms", "1s"), stored scaled by scale as the kernel keeps
// it, or a bare number stored as it is (get_time_rtt's "raw").
func rttMetric(a *args, w string, m *rtm.RouteMetrics, bit int, dst *uint32, scale uint32) error {
	v, err := metricValue(a, w, m, bit)
	if err != nil {
		return err
	}
	n, raw, ok := parseTimeRTT(v)
	if !ok {
		return usagef("%q value is invalid: %q", w, v)
	}
	if !raw {
		n *= scale
	}
	*dst = n
	return nil
}

// parseTimeRTT is iproute2's get_time_rtt: milliseconds, a decimal
// fraction rounded up, with an optional unit (s, sec, secs, ms, msec,
// msecs); raw reports that no unit was given.
func parseTimeRTT(s string) (v uint32, raw, ok bool) {
	num := strings.TrimRightFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' })
	unit := strings.ToLower(s[len(num):])
	var t float64
	if strings.Contains(num, ".") {
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || f < 0 {
			return 0, false, false
		}
		t = f
	} else {
		n, err := strconv.ParseUint(num, 0, 64)
		if err != nil {
			return 0, false, false
		}
		t = float64(n)
	}
	switch unit {
	case "":
		raw = true
	case "s", "sec", "secs":
		t *= 1000
	case "ms", "msec", "msecs":
	default:
		return 0, false, false
	}
	if t > 1<<32-1 {
		return 0, false, false
	}
	v = uint32(t)
	if float64(v) < t {
		v++
	}
	return v, raw, true
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
	realms uint32
	encap  *encapArg
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
			var err error
			switch w := a.advance(); {
			case w == "via":
				if nh.gw, err = a.viaValue(family); err != nil {
					return nil, err
				}
			case w == "dev":
				if nh.dev, err = a.value(w); err != nil {
					return nil, err
				}
			case w == "weight":
				v, err := a.uint32Value(w)
				if err != nil || v == 0 || v > 256 {
					return nil, usagef("invalid weight: want 1 to 256")
				}
				nh.weight = int(v)
			case w == "onlink":
				nh.flags |= unix.RTNH_F_ONLINK
			case w == "encap":
				if nh.encap, err = parseEncap(a); err != nil {
					return nil, err
				}
			case matches(w, "realms"):
				if nh.realms, err = parseValue(a, "realms", parseRealms); err != nil {
					return nil, err
				}
			case w == "as":
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
