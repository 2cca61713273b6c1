package rtm_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

var ruleActionNames = map[uint8]string{unix.FR_ACT_BLACKHOLE: "blackhole", unix.FR_ACT_UNREACHABLE: "unreachable",
	unix.FR_ACT_PROHIBIT: "prohibit"}

func ruleTableName(t uint32) string {
	switch t {
	case unix.RT_TABLE_LOCAL:
		return "local"
	case unix.RT_TABLE_MAIN:
		return "main"
	case unix.RT_TABLE_DEFAULT:
		return "default"
	}
	return strconv.FormatUint(uint64(t), 10)
}

// checkRule compares a rule with "ip -j rule show"'s record of it.
func checkRule(t *testing.T, r rtm.Rule, w map[string]any) {
	t.Helper()
	key := fmt.Sprintf("family %d priority %d", r.Family(), r.Priority())
	str := func(k string) string { s, _ := w[k].(string); return s }
	num := func(k string) (uint64, bool) { f, ok := w[k].(float64); return uint64(f), ok }
	has := func(k string) bool { _, ok := w[k]; return ok }
	hex := func(v uint32) string { return fmt.Sprintf("%#x", v) }

	if p, _ := num("priority"); uint32(p) != r.Priority() {
		t.Errorf("%s: ip priority %v", key, w["priority"])
	}
	src := "all"
	if r.Src().IsValid() {
		src = r.Src().Addr().String()
	}
	if str("src") != src {
		t.Errorf("%s: src %v, ip %q", key, r.Src(), str("src"))
	}
	if l, _ := num("srclen"); r.Src().IsValid() && r.SrcLen() != int(l) && !(r.SrcLen() == r.Src().Addr().BitLen() && l == 0) {
		t.Errorf("%s: srclen %d, ip %d", key, r.SrcLen(), l)
	}
	if r.Dst().IsValid() != has("dst") || (has("dst") && str("dst") != r.Dst().Addr().String()) {
		t.Errorf("%s: dst %v, ip %v", key, r.Dst(), w["dst"])
	}
	switch r.Action() {
	case unix.FR_ACT_TO_TBL:
		if str("table") != ruleTableName(r.Table()) && !r.L3MDev() {
			t.Errorf("%s: table %d, ip %q", key, r.Table(), str("table"))
		}
	case unix.FR_ACT_GOTO:
		if g, _ := num("goto"); uint32(g) != r.Goto() {
			t.Errorf("%s: goto %d, ip %v", key, r.Goto(), w["goto"])
		}
	case unix.FR_ACT_NOP:
		if !has("nop") {
			t.Errorf("%s: nop, ip %v", key, w)
		}
	default:
		if str("action") != ruleActionNames[r.Action()] {
			t.Errorf("%s: action %d, ip %q", key, r.Action(), str("action"))
		}
	}
	if has("not") != (r.Flags()&unix.FIB_RULE_INVERT != 0) || has("unresolved") != (r.Flags()&unix.FIB_RULE_UNRESOLVED != 0) {
		t.Errorf("%s: flags %#x, ip %v", key, r.Flags(), w)
	}
	if has("tos") != (r.TOS() != 0) || (has("tos") && str("tos") != hex(uint32(r.TOS()))) {
		t.Errorf("%s: tos %#x, ip %v", key, r.TOS(), w["tos"])
	}
	if has("fwmark") != (r.Mark() != 0) || (has("fwmark") && str("fwmark") != hex(r.Mark())) {
		t.Errorf("%s: fwmark %#x, ip %v", key, r.Mark(), w["fwmark"])
	}
	if m, ok := r.Mask(); has("fwmask") != (ok && m != 0xffffffff) || (has("fwmask") && str("fwmask") != hex(m)) {
		t.Errorf("%s: fwmask %#x, ip %v", key, m, w["fwmask"])
	}
	if str("iif") != r.IIFName() || str("oif") != r.OIFName() {
		t.Errorf("%s: iif %q oif %q, ip %v %v", key, r.IIFName(), r.OIFName(), w["iif"], w["oif"])
	}
	u, ok := r.UIDRange()
	if s, _ := num("uid_start"); has("uid_start") != ok || uint32(s) != u.Start {
		t.Errorf("%s: uid range %v, ip %v", key, u, w["uid_start"])
	}
	if e, _ := num("uid_end"); uint32(e) != u.End {
		t.Errorf("%s: uid range %v, ip %v", key, u, w["uid_end"])
	}
	if p := map[uint8]string{unix.IPPROTO_TCP: "tcp", unix.IPPROTO_UDP: "udp"}[r.IPProto()]; p != str("ipproto") {
		t.Errorf("%s: ipproto %d, ip %v", key, r.IPProto(), w["ipproto"])
	}
	for _, x := range []struct {
		name string
		get  func() (rtm.PortRange, bool)
	}{{"sport", r.SrcPorts}, {"dport", r.DstPorts}} {
		pr, ok := x.get()
		var got string
		if ok && pr.Start == pr.End {
			got = fmt.Sprint(pr.Start)
		} else if ok {
			got = fmt.Sprintf("%d-%d", pr.Start, pr.End)
		}
		var want string
		if v, ok := num(x.name); ok {
			want = fmt.Sprint(v)
		} else if s, ok := num(x.name + "_start"); ok {
			e, _ := num(x.name + "_end")
			want = fmt.Sprintf("%d-%d", s, e)
		}
		if got != want {
			t.Errorf("%s: %s %q, ip %q", key, x.name, got, want)
		}
	}
	if has("l3mdev") != r.L3MDev() {
		t.Errorf("%s: l3mdev %v, ip %v", key, r.L3MDev(), w)
	}
	if v, ok := r.SuppressPrefixLen(); has("suppress_prefixlen") != ok || (ok && w["suppress_prefixlen"] != float64(v)) {
		t.Errorf("%s: suppress_prefixlen %d %v, ip %v", key, v, ok, w["suppress_prefixlen"])
	}
	if v, ok := r.SuppressIfGroup(); has("suppress_ifgroup") != ok || (ok && str("suppress_ifgroup") != fmt.Sprint(v)) {
		t.Errorf("%s: suppress_ifgroup %d %v, ip %v", key, v, ok, w["suppress_ifgroup"])
	}
	if id, _ := num("tun_id"); id != r.TunID() {
		t.Errorf("%s: tun_id %d, ip %v", key, r.TunID(), w["tun_id"])
	}
	if r.Flow() != 0 && (str("flow_to") != fmt.Sprint(r.Flow()&0xffff) || str("flow_from") != fmt.Sprint(r.Flow()>>16)) {
		t.Errorf("%s: flow %#x, ip %v %v", key, r.Flow(), w["flow_from"], w["flow_to"])
	}
	if p := str("protocol"); p != "" && p != map[uint8]string{unix.RTPROT_STATIC: "static", unix.RTPROT_BOOT: "boot"}[r.Protocol()] {
		t.Errorf("%s: protocol %d, ip %q", key, r.Protocol(), p)
	}
}

func TestRulesAgainstIP(t *testing.T) {
	h, ns, _, _ := routeNS(t)
	p := rtm.Some[uint32]
	specs := []rtm.RuleSpec{
		{Priority: p(100), Src: netip.MustParsePrefix("10.0.0.0/8"), Dst: netip.MustParsePrefix("172.16.0.0/12"), Table: 1000},
		{Priority: p(101), Mark: 0x10, Mask: 0xff, IIFName: "veth0", OIFName: "veth1", TOS: 0x10, Table: 200, Protocol: unix.RTPROT_STATIC},
		{Priority: p(102), UIDRange: rtm.Some(rtm.UIDRange{Start: 100, End: 200}), IPProto: unix.IPPROTO_TCP,
			SrcPorts: rtm.PortRange{Start: 1000, End: 2000}, DstPorts: rtm.PortRange{Start: 80, End: 80}, Goto: 200},
		{Priority: p(103), Src: netip.MustParsePrefix("10.1.0.0/16"), Flags: unix.FIB_RULE_INVERT, Action: unix.FR_ACT_BLACKHOLE},
		{Priority: p(104), L3MDev: true},
		{Priority: p(105), SuppressPrefixLen: p(0), SuppressIfGroup: p(5)},
		{Priority: p(106), Action: unix.FR_ACT_NOP},
		{Priority: p(107), Action: unix.FR_ACT_PROHIBIT, Mark: 0x7},
		{Priority: p(108), Action: unix.FR_ACT_UNREACHABLE, UIDRange: rtm.Some(rtm.UIDRange{})},
		{Priority: p(109), TunID: 42, Table: 5},
		{Priority: p(110), Flow: 3<<16 | 4, Table: 6},
		{Priority: p(111), Table: 70000, IPProto: unix.IPPROTO_UDP, DstPorts: rtm.PortRange{Start: 53, End: 53}},
		{Priority: p(0), Table: 9, Src: netip.MustParsePrefix("192.0.2.0/24")},
		{Src: netip.MustParsePrefix("2001:db8::/32"), Table: 300, Priority: p(100)},
		{Family: unix.AF_INET6, Dst: netip.MustParsePrefix("2001:db8:1::/48"), Action: unix.FR_ACT_PROHIBIT, Priority: p(101)},
	}
	addInBatch(t, h, 3, func(bt *rtm.Batch, i int) error { return bt.RuleAdd(specs[i]) })
	for _, s := range specs[3:] {
		if err := h.RuleAdd(ctx, s); err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
	}
	// A rule without a priority gets one from the kernel.
	if err := h.RuleAdd(ctx, rtm.RuleSpec{Table: 11, Mark: 0x11}); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "rule", "add", "pref", "120", "from", "198.51.100.0/24", "iif", "veth1", "lookup", "50", "protocol", "static")
	nstest.IP(t, ns, "rule", "add", "pref", "121", "not", "fwmark", "0x7/0xf", "prohibit")
	nstest.IP(t, ns, "rule", "add", "pref", "119", "sport", "1-9", "ipproto", "udp", "goto", "120")
	if err := h.RuleAdd(ctx, specs[0]); !errors.Is(err, unix.EEXIST) || !strings.Contains(fmt.Sprint(err), "priority 100") {
		t.Fatalf("duplicate: %v", err)
	}

	// What the kernel reports (and ip agrees with, below) is what the
	// specs asked for.
	for _, s := range specs {
		prio, _ := s.Priority.Get()
		fam := uint8(unix.AF_INET)
		if s.Family == unix.AF_INET6 || s.Src.Addr().Is6() {
			fam = unix.AF_INET6
		}
		found := false
		for r, err := range h.Rules(ctx, &rtm.RuleFilter{Family: fam, Priority: s.Priority}) {
			if err != nil {
				t.Fatal(err)
			}
			if found || prio == 0 && r.Table() == unix.RT_TABLE_LOCAL {
				continue
			}
			found = true
			if got := specOfRule(r); fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", withRuleDefaults(s)) {
				t.Errorf("rule %d:\n got %+v\nwant %+v", prio, got, withRuleDefaults(s))
			}
		}
		if !found {
			t.Errorf("rule %d missing", prio)
		}
	}

	for _, fam := range []uint8{unix.AF_INET, unix.AF_INET6} {
		args := []string{"-4", "rule", "show"}
		if fam == unix.AF_INET6 {
			args[0] = "-6"
		}
		want := map[uint32]map[string]any{}
		for _, w := range ipJSON(t, ns, args...) {
			if prio, _ := w["priority"].(float64); want[uint32(prio)] == nil {
				want[uint32(prio)] = w
			}
		}
		n := 0
		seen := map[uint32]bool{}
		for r, err := range h.Rules(ctx, &rtm.RuleFilter{Family: fam}) {
			if err != nil {
				t.Fatal(err)
			}
			if r.Family() != fam {
				t.Fatalf("family %d in a dump of %d", r.Family(), fam)
			}
			if seen[r.Priority()] { // the local rule and ours at 0
				continue
			}
			seen[r.Priority()] = true
			w, ok := want[r.Priority()]
			if !ok {
				t.Errorf("rule %d unknown to ip", r.Priority())
				continue
			}
			n++
			checkRule(t, r, w)
			if v, ok := r.Get("priority"); r.Priority() != 0 && (!ok || v.String() != fmt.Sprint(r.Priority())) {
				t.Errorf("rule %d: Get(priority) = %v", r.Priority(), v)
			}
		}
		if n != len(want) {
			t.Errorf("family %d: dump matched %d of ip's %d rules", fam, n, len(want))
		}
	}

	// User-space filters.
	count := func(f *rtm.RuleFilter) int {
		rules, err := rtm.Collect(h.Rules(ctx, f))
		if err != nil {
			t.Fatal(err)
		}
		return len(rules)
	}
	if n := count(&rtm.RuleFilter{Family: unix.AF_INET, Table: 70000}); n != 1 {
		t.Errorf("table 70000: %d rules", n)
	}
	if n := count(&rtm.RuleFilter{Family: unix.AF_INET, Priority: p(0)}); n != len(ipJSON(t, ns, "-4", "rule", "show", "pref", "0")) {
		t.Errorf("priority 0: %d rules, ip %v", n, ipJSON(t, ns, "-4", "rule", "show", "pref", "0"))
	}
	if n := count(&rtm.RuleFilter{Protocol: unix.RTPROT_STATIC}); n != 2 {
		t.Errorf("static: %d rules", n)
	}

	// Delete by priority alone, and by selectors.
	if err := h.RuleDel(ctx, rtm.RuleSpec{Priority: p(100)}); err != nil {
		t.Fatal(err)
	}
	if err := h.RuleDel(ctx, rtm.RuleSpec{Table: 70000}); err != nil {
		t.Fatal(err)
	}
	if err := h.RuleDel(ctx, rtm.RuleSpec{Priority: p(4242)}); !errors.Is(err, unix.ENOENT) {
		t.Errorf("deleting a missing rule: %v", err)
	}
	for _, w := range ipJSON(t, ns, "-4", "rule", "show") {
		if w["priority"] == 100.0 || w["priority"] == 111.0 {
			t.Errorf("deleted rule still there: %v", w)
		}
	}
	if len(ipJSON(t, ns, "-6", "rule", "show", "pref", "100")) != 1 {
		t.Error("deleting the IPv4 rule 100 touched the IPv6 one")
	}
}

// specOfRule rebuilds the spec of a dumped rule, for the fields the
// tests set.
func specOfRule(r rtm.Rule) rtm.RuleSpec {
	s := rtm.RuleSpec{Family: r.Family(), Priority: rtm.Some(r.Priority()), Action: r.Action(), Table: r.Table(),
		Goto: r.Goto(), Src: r.Src(), Dst: r.Dst(), Flags: r.Flags() & unix.FIB_RULE_INVERT, TOS: r.TOS(),
		Mark: r.Mark(), IIFName: r.IIFName(), OIFName: r.OIFName(), L3MDev: r.L3MDev(), IPProto: r.IPProto(),
		Flow: r.Flow(), TunID: r.TunID(), Protocol: r.Protocol()}
	s.Mask, _ = r.Mask()
	if u, ok := r.UIDRange(); ok {
		s.UIDRange = rtm.Some(u)
	}
	s.SrcPorts, _ = r.SrcPorts()
	s.DstPorts, _ = r.DstPorts()
	if v, ok := r.SuppressPrefixLen(); ok {
		s.SuppressPrefixLen = rtm.Some(v)
	}
	if v, ok := r.SuppressIfGroup(); ok {
		s.SuppressIfGroup = rtm.Some(v)
	}
	return s
}

// withRuleDefaults fills in what adding s implies: iproute2's defaults,
// which RuleSpec documents, and the kernel's mask for a bare mark.
func withRuleDefaults(s rtm.RuleSpec) rtm.RuleSpec {
	if s.Family == 0 {
		s.Family = unix.AF_INET
		if s.Src.Addr().Is6() || s.Dst.Addr().Is6() {
			s.Family = unix.AF_INET6
		}
	}
	switch {
	case s.Action == 0 && s.Goto != 0:
		s.Action = unix.FR_ACT_GOTO
	case s.Action == 0:
		s.Action = unix.FR_ACT_TO_TBL
	}
	if s.Action == unix.FR_ACT_TO_TBL && s.Table == 0 && !s.L3MDev {
		s.Table = unix.RT_TABLE_MAIN
	}
	if (s.Mark != 0 || s.Mask != 0) && s.Mask == 0 {
		s.Mask = 0xffffffff
	}
	return s
}

// TestRuleNewSelectors round-trips the selectors newer than this
// iproute2 (DSCP, flow labels, port masks) through the kernel.
func TestRuleNewSelectors(t *testing.T) {
	h, _ := handle(t)
	p := rtm.Some[uint32]
	for _, c := range []struct {
		feature string
		s       rtm.RuleSpec
		ok      func(r rtm.Rule) bool
	}{
		{"rule:dscp", rtm.RuleSpec{Priority: p(10), DSCP: rtm.Some[uint8](46), Table: 10},
			func(r rtm.Rule) bool { d, ok := r.DSCP(); return ok && d == 46 }},
		{"rule:dscp_mask", rtm.RuleSpec{Priority: p(11), DSCP: rtm.Some[uint8](0x20), DSCPMask: 0x38, Table: 10},
			func(r rtm.Rule) bool { d, _ := r.DSCP(); m, ok := r.DSCPMask(); return ok && d == 0x20 && m == 0x38 }},
		{"rule:flowlabel", rtm.RuleSpec{Family: unix.AF_INET6, Priority: p(12), FlowLabel: 0x12340, FlowLabelMask: 0xffff0, Table: 10},
			func(r rtm.Rule) bool { l, m, ok := r.FlowLabel(); return ok && l == 0x12340 && m == 0xffff0 }},
		{"rule:port_mask", rtm.RuleSpec{Priority: p(13), IPProto: unix.IPPROTO_UDP, DstPorts: rtm.PortRange{Start: 0x1200, End: 0x1200}, DstPortMask: 0xff00, Table: 10},
			func(r rtm.Rule) bool {
				m, ok := r.DstPortMask()
				pr, _ := r.DstPorts()
				return ok && m == 0xff00 && pr.Start == 0x1200
			}},
	} {
		if !nstest.Have(t, c.feature) {
			continue
		}
		if err := h.RuleAdd(ctx, c.s); err != nil {
			t.Fatalf("%s: %v", c.feature, err)
		}
		prio, _ := c.s.Priority.Get()
		found := false
		for r, err := range h.Rules(ctx, &rtm.RuleFilter{Family: c.s.Family, Priority: c.s.Priority}) {
			if err != nil {
				t.Fatal(err)
			}
			found = true
			if !c.ok(r) {
				t.Errorf("%s: the kernel reports %v", c.feature, collectAttrs(r))
			}
		}
		if !found {
			t.Errorf("%s: rule %d missing", c.feature, prio)
		}
	}
}

func collectAttrs(r rtm.Rule) map[string]string {
	m := map[string]string{}
	for k, v := range r.Attrs() {
		m[k] = v.String()
	}
	return m
}

func TestRuleValidation(t *testing.T) {
	h, _ := handle(t)
	p := rtm.Some[uint32]
	cases := map[string]rtm.RuleSpec{
		"mixed families":  {Src: netip.MustParsePrefix("10.0.0.0/8"), Dst: netip.MustParsePrefix("2001:db8::/32")},
		"host bits":       {Src: netip.MustParsePrefix("10.0.0.1/8")},
		"family":          {Family: unix.AF_BRIDGE},
		"long name":       {IIFName: "0123456789abcdefg"},
		"goto no target":  {Action: unix.FR_ACT_GOTO},
		"goto and action": {Goto: 5, Action: unix.FR_ACT_NOP},
		"l3mdev table":    {L3MDev: true, Table: 5},
		"dscp range":      {DSCP: rtm.Some[uint8](64)},
		"tos and dscp":    {DSCP: rtm.Some[uint8](1), TOS: 4},
		"uid range":       {UIDRange: rtm.Some(rtm.UIDRange{Start: 5, End: 1})},
		"port range":      {DstPorts: rtm.PortRange{Start: 9, End: 1}},
		"port mask range": {DstPorts: rtm.PortRange{Start: 1, End: 9}, DstPortMask: 0xff},
		"v4 flow label":   {FlowLabel: 1, FlowLabelMask: 1},
		"label mask":      {Family: unix.AF_INET6, FlowLabel: 3, FlowLabelMask: 1},
		"action":          {Action: 42, Priority: p(1)},
	}
	refusedLocally(t, "", cases, func(s rtm.RuleSpec) error { return h.RuleAdd(ctx, s) })
	refusedLocally(t, "batch ", cases, func(s rtm.RuleSpec) error { return h.NewBatch().RuleAdd(s) })
}

func TestRuleAllocs(t *testing.T) {
	h, _ := handle(t)
	const n = 2000
	addInBatch(t, h, n, func(bt *rtm.Batch, i int) error {
		return bt.RuleAdd(rtm.RuleSpec{Priority: rtm.Some(uint32(1000 + i)), Mark: uint32(i + 1), Table: uint32(1000 + i)})
	})
	if rules, err := rtm.Collect(h.Rules(ctx, &rtm.RuleFilter{Family: unix.AF_INET})); err != nil || len(rules) != n+3 {
		t.Fatalf("dumped %d rules (%v), want %d", len(rules), err, n+3)
	}
	// The few: IPv6's 2 default rules.
	flatDumpAllocs(t, "rules", n, h.Rules(ctx, &rtm.RuleFilter{Family: unix.AF_INET}), h.Rules(ctx, &rtm.RuleFilter{Family: unix.AF_INET6}),
		func(r rtm.Rule) int { return int(r.Table()+r.Priority()+r.Mark()) + r.Src().Bits() })
}
