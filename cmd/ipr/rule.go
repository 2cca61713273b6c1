package main

// "ipr rule": show, add, delete and flush routing policy rules, with the
// syntax and output of iproute2's "ip rule" (version 6.1).

import (
	"context"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ruleUsage is "ipr rule help".
const ruleUsage = "{ show | flush } [ SELECTOR ] | { add | del } SELECTOR ACTION | { save | restore }\n" +
	"SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ] [ fwmark FWMARK[/MASK] ]\n" +
	"            [ iif DEV ] [ oif DEV ] [ pref NUMBER ] [ l3mdev ] [ uidrange N-M ]\n" +
	"            [ ipproto PROTO ] [ sport N[-M] ] [ dport N[-M] ] [ tun_id ID ] [ protocol RTPROTO ]\n" +
	"ACTION := [ table TABLE_ID ] [ realms [SRC/]DST ] [ goto NUMBER ] [ nop ]\n" +
	"          [ suppress_prefixlength N ] [ suppress_ifgroup GROUP ] | { blackhole | unreachable | prohibit }"

// ruleFilter holds the selectors of "rule show" and "rule flush":
// iproute2's filter_nlmsg in iprule.c, for the common selectors.
type ruleFilter struct {
	pref       uint32
	prefSet    bool
	not        bool
	tos        uint8
	tosSet     bool
	mark, mask uint32
	iif, oif   string
	table      uint32
	// protocol is parsed but, as in iproute2 6.1, selects nothing.
	protocol     uint8
	protoSet     bool
	l3mdev       bool
	src, dst     prefixSelector
	ipproto      uint8
	uidrange     rtm.UIDRange
	uidrangeSet  bool
	sport, dport rtm.PortRange
	tunID        uint64
}

func (f *ruleFilter) keep(r rtm.Rule) bool {
	c := r.Chain()
	addr := func(t uint16) []byte {
		var b [16]byte
		if a, ok := c.Get(t); ok {
			copy(b[:], a.Data)
		}
		return b[:]
	}
	switch {
	case f.prefSet && r.Priority() != f.pref,
		f.not && r.Flags()&unix.FIB_RULE_INVERT == 0,
		f.src.set && f.src.family != 0 && (f.src.family != r.Family() || f.src.bits > r.SrcLen() ||
			!addrMatch(addr(unix.FRA_SRC), f.src.addr[:], f.src.bits)),
		f.dst.set && f.dst.family != 0 && (f.dst.family != r.Family() || f.dst.bits > r.DstLen() ||
			!addrMatch(addr(unix.FRA_DST), f.dst.addr[:], f.dst.bits)),
		f.tosSet && r.TOS() != f.tos,
		f.mark != 0 && r.Mark() != f.mark,
		f.mask != 0 && func() bool { m, _ := r.Mask(); return m != f.mask }(),
		f.iif != "" && r.IIFName() != f.iif,
		f.oif != "" && r.OIFName() != f.oif,
		f.l3mdev && !r.L3MDev(),
		f.table != 0 && r.Table() != f.table,
		f.ipproto != 0 && r.IPProto() != f.ipproto,
		f.tunID != 0 && r.TunID() != f.tunID:
		return false
	}
	if f.uidrangeSet {
		if u, ok := r.UIDRange(); !ok || u != f.uidrange {
			return false
		}
	}
	if f.sport != (rtm.PortRange{}) {
		if p, ok := r.SrcPorts(); !ok || p != f.sport {
			return false
		}
	}
	if f.dport != (rtm.PortRange{}) {
		if p, ok := r.DstPorts(); !ok || p != f.dport {
			return false
		}
	}
	return true
}

// ruleList is "rule show" and "rule flush".
func ruleList(e *env, a *args, flush bool) error {
	var f ruleFilter
	family := ruleFamily(e)
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "preference") || matches(w, "order") || matches(w, "priority"):
			f.pref, err = a.uint32Value("preference")
			f.prefSet = true
		case w == "not":
			f.not = true
		case w == "tos" || w == "dsfield":
			f.tos, err = a.tosValue(w)
			f.tosSet = true
		case w == "fwmark":
			f.mark, f.mask, err = a.fwmarkValue(w)
		case w == "dev" || w == "iif":
			f.iif, err = a.value(w)
		case w == "oif":
			f.oif, err = a.value(w)
		case w == "l3mdev":
			f.l3mdev = true
		case w == "uidrange":
			f.uidrange, err = parseValue(a, w, parseUIDRange)
			f.uidrangeSet = true
		case matches(w, "tun_id"):
			f.tunID, err = a.uint64Value("tun_id")
		case matches(w, "lookup") || matches(w, "table"):
			f.table, err = a.routeTableValue(w)
		case matches(w, "from") || matches(w, "src"):
			f.src, err = parseValue(a, w, func(v string) (prefixSelector, error) {
				return parsePrefixSelector("from", v, family)
			})
		case matches(w, "protocol"):
			f.protocol, f.protoSet, err = a.protocolFilter(w)
		case w == "ipproto":
			f.ipproto, err = a.ipProtoValue(w)
		case w == "sport":
			f.sport, err = a.portRangeValue(w)
		case w == "dport":
			f.dport, err = a.portRangeValue(w)
		default:
			// Any other word is the destination, after an optional
			// "to" or "dst".
			if matches(w, "dst") || matches(w, "to") {
				if w, err = a.value(w); err != nil {
					return err
				}
			}
			f.dst, err = parsePrefixSelector("to", w, family)
		}
		if err != nil {
			return err
		}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	if flush {
		return ruleDumpError(e, ruleFlush(ctx, h, family, &f), true)
	}
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	return ruleDumpError(e, listDump(e, p, h.Rules(ctx, &rtm.RuleFilter{Family: family}), func(r rtm.Rule) {
		if f.keep(r) {
			printRule(p, r, e.Details)
		}
	}), true)
}

// ruleFlush deletes the selected rules but the one of priority 0, as
// iproute2's flush_rule does.
func ruleFlush(ctx context.Context, h *rtm.Handle, family uint8, f *ruleFilter) error {
	bt := h.NewBatch()
	for r, err := range h.Rules(ctx, &rtm.RuleFilter{Family: family}) {
		if err != nil {
			return err
		}
		if r.Priority() == 0 || !f.keep(r) {
			continue
		}
		// Deleting by priority and family, as ip does, removes the
		// first rule of that priority: enough when priorities are
		// unique, and a later round is not needed as ip takes none.
		s := rtm.RuleSpec{Family: r.Family(), Priority: rtm.Some(r.Priority()), Table: r.Table(), Action: r.Action()}
		if err := bt.RuleDel(s); err != nil {
			return err
		}
	}
	return runFlush(ctx, bt, unix.ENOENT)
}

// printRule prints one rule as iproute2's print_rule does.
func printRule(p *printer, r rtm.Rule, details bool) {
	var tb nla.Index
	tb.Reset(r.Chain())
	fam := r.Family()
	host := afBitLen(fam)
	p.openObject("")
	p.uint("priority", "%d:\t", uint64(r.Priority()))
	if r.Flags()&unix.FIB_RULE_INVERT != 0 {
		p.jsonNull("not")
		p.textString("not ")
	}
	prefix := func(t uint16, bits int, text, key, lenKey string, always bool) {
		if a, ok := tb.Get(t); ok {
			p.textString(text)
			p.colorStr(familyColor(fam), key, "%s", formatAddr(fam, a.Data))
			if bits != host {
				p.uint(lenKey, "/%d", uint64(bits))
			}
		} else if bits != 0 {
			p.str(key, text+"%s", "0")
			p.uint(lenKey, "/%d", uint64(bits))
		} else if always {
			p.str(key, text+"%s", "all")
		}
	}
	prefix(unix.FRA_SRC, r.SrcLen(), "from ", "src", "srclen", true)
	prefix(unix.FRA_DST, r.DstLen(), " to ", "dst", "dstlen", false)
	if t := r.TOS(); t != 0 {
		p.str("tos", " tos %s", dsfieldName(t))
	}
	_, hasMark := tb.Get(unix.FRA_FWMARK)
	mask, hasMask := r.Mask()
	if hasMark || hasMask {
		p.hex("fwmark", " fwmark %s", uint64(r.Mark()))
		if hasMask && mask != 0xffffffff {
			p.hex("fwmask", "/%s", uint64(mask))
		}
	}
	if a, ok := tb.Get(unix.FRA_IIFNAME); ok {
		p.textString(" iif ")
		p.colorStr(colorIfname, "iif", "%s", attrStr(a))
		if r.Flags()&unix.FIB_RULE_IIF_DETACHED != 0 {
			p.jsonNull("iif_detached")
			p.textString(" [detached]")
		}
	}
	if a, ok := tb.Get(unix.FRA_OIFNAME); ok {
		p.textString(" oif ")
		p.colorStr(colorIfname, "oif", "%s", attrStr(a))
		if r.Flags()&unix.FIB_RULE_OIF_DETACHED != 0 {
			p.jsonNull("oif_detached")
			p.textString(" [detached]")
		}
	}
	if r.L3MDev() {
		p.jsonNull("l3mdev")
		p.textString(" lookup [l3mdev-table]")
	}
	if u, ok := r.UIDRange(); ok {
		p.uint("uid_start", " uidrange %d", uint64(u.Start))
		p.uint("uid_end", "-%d", uint64(u.End))
	}
	if a, ok := tb.Get(unix.FRA_IP_PROTO); ok {
		p.str("ipproto", " ipproto %s", ipProtoName(attrU8(a)))
	}
	for _, pr := range []struct {
		t    uint16
		name string
	}{{unix.FRA_SPORT_RANGE, "sport"}, {unix.FRA_DPORT_RANGE, "dport"}} {
		a, ok := tb.Get(pr.t)
		if !ok || len(a.Data) < 4 {
			continue
		}
		start, end := binary.NativeEndian.Uint16(a.Data), binary.NativeEndian.Uint16(a.Data[2:])
		if start == end {
			p.uint(pr.name, " "+pr.name+" %d", uint64(start))
		} else {
			p.uint(pr.name+"_start", " "+pr.name+" %d", uint64(start))
			p.uint(pr.name+"_end", "-%d", uint64(end))
		}
	}
	if _, ok := tb.Get(unix.FRA_TUN_ID); ok {
		p.uint("tun_id", " tun_id %d", r.TunID())
	}
	if t := r.Table(); t != 0 {
		p.str("table", " lookup %s", tableNames.name(t))
		if v, ok := r.SuppressPrefixLen(); ok && int32(v) != -1 {
			p.int("suppress_prefixlen", " suppress_prefixlength %d", int64(int32(v)))
		}
		if v, ok := r.SuppressIfGroup(); ok && int32(v) != -1 {
			p.str("suppress_ifgroup", " suppress_ifgroup %s", groupNames.name(v))
		}
	}
	if v := r.Flow(); v != 0 || func() bool { _, ok := tb.Get(unix.FRA_FLOW); return ok }() {
		if from := v >> 16; from != 0 {
			p.str("flow_from", " realms %s/", realmNames.name(from))
		} else {
			p.textString(" realms ")
		}
		p.str("flow_to", "%s", realmNames.name(v&0xffff))
	}
	switch act := r.Action(); act {
	case unix.RTN_NAT:
		if a, ok := tb.Get(unix.RTA_GATEWAY); ok {
			p.str("nat_gateway", " map-to %s", formatAddr(fam, a.Data))
		} else {
			p.jsonNull("masquerade")
			p.textString(" masquerade")
		}
	case unix.FR_ACT_GOTO:
		if _, ok := tb.Get(unix.FRA_GOTO); ok {
			p.uint("goto", " goto %d", uint64(r.Goto()))
		} else {
			p.str("goto", " goto %s", "none")
		}
		if r.Flags()&unix.FIB_RULE_UNRESOLVED != 0 {
			p.jsonNull("unresolved")
			p.textString(" [unresolved]")
		}
	case unix.FR_ACT_NOP:
		p.jsonNull("nop")
		p.textString(" nop")
	case unix.FR_ACT_TO_TBL:
	default:
		p.str("action", " %s", routeTypeName(act))
	}
	if _, ok := tb.Get(unix.FRA_PROTOCOL); ok {
		if pr := r.Protocol(); (pr != 0 && pr != unix.RTPROT_KERNEL) || details {
			p.str("protocol", " proto %s", protoNames.name(uint32(pr)))
		}
	}
	p.endl()
	p.closeObject()
}

// ipProtoName is iproute2's inet_proto_n2a: getprotobynumber's name for
// the common protocols (unless -N), else "ipproto-N".
func ipProtoName(v uint8) string {
	if name := nameOr(ipProtos, v, ""); name != "" && !numericNames {
		return name
	}
	return "ipproto-" + strconv.Itoa(int(v))
}

// ipProtos are /etc/protocols' names of the protocols rules and XFRM
// selectors name most: getprotobynumber's, which inet_proto_n2a and
// strxf_proto print, and getprotobyname's, which inet_proto_a2n and
// xfrm's selectors read.
var ipProtos = []named[uint8]{
	{"icmp", unix.IPPROTO_ICMP}, {"ipencap", unix.IPPROTO_IPIP}, {"tcp", unix.IPPROTO_TCP}, {"udp", unix.IPPROTO_UDP},
	{"dccp", unix.IPPROTO_DCCP}, {"ipv6", unix.IPPROTO_IPV6}, {"gre", unix.IPPROTO_GRE}, {"esp", unix.IPPROTO_ESP},
	{"ah", unix.IPPROTO_AH}, {"ipv6-icmp", unix.IPPROTO_ICMPV6}, {"sctp", unix.IPPROTO_SCTP},
	{"mobility-header", unix.IPPROTO_MH}, {"udplite", unix.IPPROTO_UDPLITE},
}

func parseMark(v string) (mark, mask uint32, err error) {
	ms, ks, hasMask := strings.Cut(v, "/")
	m, err1 := strconv.ParseUint(ms, 0, 32)
	var k uint64
	var err2 error
	if hasMask {
		k, err2 = strconv.ParseUint(ks, 0, 32)
	}
	if err1 != nil || err2 != nil {
		return 0, 0, usagef("invalid fwmark %q", v)
	}
	return uint32(m), uint32(k), nil
}

func parseUIDRange(v string) (rtm.UIDRange, error) {
	s, e, ok := strings.Cut(v, "-")
	a, err1 := strconv.ParseUint(s, 10, 32)
	b, err2 := strconv.ParseUint(e, 10, 32)
	if !ok || err1 != nil || err2 != nil {
		return rtm.UIDRange{}, usagef("invalid uidrange %q: want N-M", v)
	}
	return rtm.UIDRange{Start: uint32(a), End: uint32(b)}, nil
}

func parsePortRange(keyword, v string) (rtm.PortRange, error) {
	s, e, isRange := strings.Cut(v, "-")
	a, err1 := strconv.ParseUint(s, 10, 16)
	b, err2 := a, error(nil)
	if isRange {
		b, err2 = strconv.ParseUint(e, 10, 16)
	}
	if err1 != nil || err2 != nil {
		return rtm.PortRange{}, usagef("invalid %s %q", keyword, v)
	}
	return rtm.PortRange{Start: uint16(a), End: uint16(b)}, nil
}

// ruleModify is "rule add" and "rule del", parsed as iproute2's
// iprule_modify parses them.
func ruleModify(e *env, a *args, add bool) error {
	s := rtm.RuleSpec{Family: e.Family}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "not":
			s.Flags |= unix.FIB_RULE_INVERT
		case w == "from" || w == "to":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if v == "all" || v == "any" || v == "default" {
				// iproute2 sends an empty selector, which matches
				// every address: the same as none.
				break
			}
			p, _, err := parsePrefix(w, v, s.Family)
			if err != nil {
				return err
			}
			if s.Family == 0 {
				s.Family = addrFamily(p.Addr())
			}
			if w == "from" {
				s.Src = p
			} else {
				s.Dst = p
			}
		case matches(w, "preference") || matches(w, "order") || matches(w, "priority"):
			s.Priority, err = someValue(a.uint32Value("preference"))
		case w == "tos" || matches(w, "dsfield"):
			s.TOS, err = a.tosValue(w)
		case w == "fwmark":
			s.Mark, s.Mask, err = a.fwmarkValue(w)
		case matches(w, "realms"):
			s.Flow, err = parseValue(a, w, parseRealms)
		case matches(w, "protocol"):
			s.Protocol, err = a.protocolValue(w)
		case matches(w, "tun_id"):
			s.TunID, err = a.uint64Value("tun_id")
		case matches(w, "table") || w == "lookup":
			s.Table, err = a.routeTableValue(w)
		case matches(w, "suppress_prefixlength"):
			s.SuppressPrefixLen, err = someValue(a.uint32Value("suppress_prefixlength"))
		case matches(w, "suppress_ifgroup"):
			s.SuppressIfGroup, err = someValue(a.tableValue(w, "suppress_ifgroup", &groupNames, 1<<32-1))
		case w == "dev" || w == "iif":
			s.IIFName, err = a.value(w)
		case w == "oif":
			s.OIFName, err = a.value(w)
		case w == "l3mdev":
			s.L3MDev = true
		case w == "uidrange":
			s.UIDRange, err = someValue(parseValue(a, w, parseUIDRange))
		case w == "ipproto":
			s.IPProto, err = a.ipProtoValue(w)
		case w == "sport":
			s.SrcPorts, err = a.portRangeValue(w)
		case w == "dport":
			s.DstPorts, err = a.portRangeValue(w)
		case matches(w, "goto"):
			s.Goto, err = a.uint32Value("goto")
			s.Action = unix.FR_ACT_GOTO
		case matches(w, "nop"):
			s.Action = unix.FR_ACT_NOP
		default:
			if w == "type" {
				if w, err = a.value(w); err != nil {
					return err
				}
			}
			t, ok := routeTypeID(w)
			if !ok {
				return invarg("Failed to parse rule type", w)
			}
			if t != unix.RTN_BLACKHOLE && t != unix.RTN_UNREACHABLE && t != unix.RTN_PROHIBIT && t != unix.RTN_UNICAST {
				// ip sends the type's number as the action, which the
				// kernel reads as another action or refuses.
				return usagef("rule type %q is not an action", w)
			}
			if t == unix.RTN_UNICAST {
				t = unix.FR_ACT_TO_TBL
			}
			s.Action = t
		}
		if err != nil {
			return err
		}
	}
	if s.Family == 0 {
		s.Family = unix.AF_INET
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if add {
		return e.change(h, rtm.RuleAdd(s))
	}
	return e.change(h, rtm.RuleDel(s))
}
