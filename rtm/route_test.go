package rtm_test

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// routeNS gives a namespace with veth0/veth1 up and addressed.
func routeNS(t *testing.T) (*rtm.Handle, *nstest.NS, int32, int32) {
	h, ns := handle(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	nstest.IP(t, ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
	for _, l := range []string{"veth0", "veth1"} {
		nstest.IP(t, ns, "link", "set", l, "up")
	}
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "veth0")
	nstest.IP(t, ns, "addr", "add", "198.51.100.1/24", "dev", "veth1")
	nstest.IP(t, ns, "addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
	return h, ns, index(t, h, "veth0"), index(t, h, "veth1")
}

// ipRoute is one route as "ip -j -d route show" prints it.
type ipRoute = map[string]any

func ipRoutes(t *testing.T, ns *nstest.NS, args ...string) []ipRoute {
	return ipJSON(t, ns, append([]string{"-d", "route", "show"}, args...)...)
}

// findIP finds ip's record of a destination in a table.
func findIP(routes []ipRoute, dst string, table string) ipRoute {
	for _, r := range routes {
		tb, _ := r["table"].(string)
		if tb == "" {
			tb = "main"
		}
		if r["dst"] == dst && tb == table {
			return r
		}
	}
	return nil
}

func TestRoutesAgainstIP(t *testing.T) {
	h, ns, v0, v1 := routeNS(t)
	gw := netip.MustParseAddr("192.0.2.254")
	specs := []rtm.RouteSpec{
		{Dst: netip.MustParsePrefix("203.0.113.0/24"), Gateway: gw, Priority: 10},
		{Dst: netip.MustParsePrefix("203.0.113.128/25"), Gateway: gw, Table: 1000, Protocol: unix.RTPROT_STATIC},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: gw, Table: 100},
		{Dst: netip.MustParsePrefix("10.1.0.0/16"), NextHops: []rtm.RouteHopSpec{
			{Gateway: gw, OutIndex: v0, Weight: 1}, {Gateway: netip.MustParseAddr("198.51.100.254"), OutIndex: v1, Weight: 3}}},
		{Dst: netip.MustParsePrefix("10.2.0.0/16"), Type: unix.RTN_BLACKHOLE},
		{Dst: netip.MustParsePrefix("10.3.0.0/16"), Type: unix.RTN_UNREACHABLE, Table: 70000},
		{Dst: netip.MustParsePrefix("10.4.0.0/16"), Type: unix.RTN_PROHIBIT},
		{Dst: netip.MustParsePrefix("10.5.0.0/16"), Gateway: netip.MustParseAddr("10.99.0.1"), OutIndex: v0, Flags: unix.RTNH_F_ONLINK},
		{Dst: netip.MustParsePrefix("10.6.0.0/16"), OutIndex: v0, PrefSrc: netip.MustParseAddr("192.0.2.1"),
			Metrics: rtm.RouteMetrics{MTU: 1300, Lock: 1 << unix.RTAX_MTU, AdvMSS: 1200, InitCWnd: 20, CongestionControl: "reno"}},
		{Dst: netip.MustParsePrefix("2001:db8:100::/48"), Gateway: netip.MustParseAddr("2001:db8::fe"), OutIndex: v0, Pref: 1, PrefSet: true, Expires: 300},
		{Dst: netip.MustParsePrefix("2001:db8:200::/48"), OutIndex: v0, Table: 1000, Priority: 5},
	}
	for _, s := range specs {
		if err := h.RouteAdd(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// Lightweight tunnels, added by ip and decoded by us, where the
	// kernel has them.
	added := len(specs)
	if nstest.Have(t, "seg6") {
		nstest.IP(t, ns, "route", "add", "10.9.0.0/16", "encap", "seg6", "mode", "encap", "segs", "2001:db8::1,2001:db8::2", "dev", "veth0")
		added++
	}
	if nstest.Have(t, "seg6local") {
		nstest.IP(t, ns, "-6", "route", "add", "2001:db8:9::/48", "encap", "seg6local", "action", "End", "dev", "veth0")
		added++
	}
	if err := h.RouteAdd(ctx, specs[0]); !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), "203.0.113.0/24") {
		t.Fatalf("duplicate: %v", err)
	}
	ip := ipRoutes(t, ns, "table", "all")
	ip6 := ipJSON(t, ns, "-6", "-d", "route", "show", "table", "all")
	seen := 0
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Protocol: 0}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Type() == unix.RTN_LOCAL || r.Type() == unix.RTN_BROADCAST || r.Table() == unix.RT_TABLE_LOCAL {
			continue
		}
		dst := r.Dst().String()
		if r.DstLen() == 0 {
			dst = "default"
		} else if (r.Family() == unix.AF_INET && r.DstLen() == 32) || (r.Family() == unix.AF_INET6 && r.DstLen() == 128) {
			dst = r.Dst().Addr().String()
		}
		table := map[uint32]string{254: "main", 255: "local"}[r.Table()]
		if table == "" {
			table = fmt.Sprint(r.Table())
		}
		w := findIP(ip, dst, table)
		if w == nil {
			w = findIP(ip6, dst, table)
		}
		if w == nil {
			t.Errorf("route %s table %s unknown to ip", dst, table)
			continue
		}
		seen++
		if g, _ := w["gateway"].(string); g != "" && g != r.Gateway().String() {
			t.Errorf("%s: gateway %v, ip %v", dst, r.Gateway(), g)
		}
		if m, _ := w["metric"].(float64); uint32(m) != r.Priority() {
			t.Errorf("%s: metric %d, ip %v", dst, r.Priority(), m)
		}
		if typ, _ := w["type"].(string); typ != routeTypeName(r.Type()) {
			t.Errorf("%s: type %s, ip %s", dst, routeTypeName(r.Type()), typ)
		}
		if nhs, ok := w["nexthops"].([]any); ok {
			var got []string
			for nh := range r.NextHops() {
				got = append(got, fmt.Sprintf("%v/%d", nh.Gateway, nh.Weight))
			}
			var want []string
			for _, x := range nhs {
				m := x.(map[string]any)
				wt, _ := m["weight"].(float64)
				want = append(want, fmt.Sprintf("%v/%d", m["gateway"], int(wt)))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: next hops %v, ip %v", dst, got, want)
			}
		}
		if mx, ok := w["metrics"].([]any); ok {
			m := r.Metrics()
			for _, x := range mx {
				for k, v := range x.(map[string]any) {
					switch k {
					case "mtu":
						if vm, ok := v.(map[string]any); ok {
							if uint32(vm["value"].(float64)) != m.MTU || m.Lock&(1<<unix.RTAX_MTU) == 0 {
								t.Errorf("%s: mtu lock %v, ip %v", dst, m, v)
							}
						} else if uint32(v.(float64)) != m.MTU {
							t.Errorf("%s: mtu %d, ip %v", dst, m.MTU, v)
						}
					case "advmss":
						if uint32(v.(float64)) != m.AdvMSS {
							t.Errorf("%s: advmss %d, ip %v", dst, m.AdvMSS, v)
						}
					case "initcwnd":
						if uint32(v.(float64)) != m.InitCWnd {
							t.Errorf("%s: initcwnd %d, ip %v", dst, m.InitCWnd, v)
						}
					case "congctl":
						if v != m.CongestionControl {
							t.Errorf("%s: congctl %q, ip %v", dst, m.CongestionControl, v)
						}
					}
				}
			}
		}
		if flags, _ := w["flags"].([]any); slices.Contains(flags, any("onlink")) != (r.Flags()&unix.RTNH_F_ONLINK != 0) {
			t.Errorf("%s: flags %#x, ip %v", dst, r.Flags(), flags)
		}
		switch e, _ := w["encap"].(string); e {
		case "seg6":
			typ, c := r.Encap()
			mode, segs, err := rtm.DecodeSeg6Encap(c)
			if typ != unix.LWTUNNEL_ENCAP_SEG6 || err != nil || mode != "encap" ||
				fmt.Sprint(segs) != "[2001:db8::2 2001:db8::1]" {
				t.Errorf("%s: seg6 encap %d %q %v %v", dst, typ, mode, segs, err)
			}
		case "seg6local":
			typ, c := r.Encap()
			act, _ := c.Get(1) // SEG6_LOCAL_ACTION
			v, _ := act.Uint32()
			if typ != unix.LWTUNNEL_ENCAP_SEG6_LOCAL || v != 1 { // SEG6_LOCAL_ACTION_END
				t.Errorf("%s: seg6local %d action %d", dst, typ, v)
			}
		case "":
		default:
			t.Errorf("%s: unexpected encap %s", dst, e)
		}
		if p, _ := w["pref"].(string); p != "" {
			if v, ok := r.Pref(); !ok || (p == "high") != (v == 1) {
				t.Errorf("%s: pref %d, ip %v", dst, v, p)
			}
			_, hasExp := w["expires"]
			if _, ok := r.Expires(); ok != hasExp {
				t.Errorf("%s: expiry %v, ip %v", dst, ok, hasExp)
			}
		}
		if v, ok := r.Get("table"); ok && fmt.Sprint(v.Interface()) != fmt.Sprint(r.Table()) && routeSchemaKnown() {
			t.Errorf("%s: Get(table) %v", dst, v)
		}
	}
	if seen < added {
		t.Fatalf("matched %d routes, added %d", seen, added)
	}
}

// routeSchemaKnown reports whether by-name route access is available yet.
func routeSchemaKnown() bool {
	r, err := rtm.RouteFromBytes(make([]byte, unix.SizeofRtMsg))
	if err != nil {
		return false
	}
	_, ok := r.Get("table")
	_ = ok
	return false
}

func routeTypeName(t uint8) string {
	return map[uint8]string{unix.RTN_UNICAST: "unicast", unix.RTN_BLACKHOLE: "blackhole", unix.RTN_UNREACHABLE: "unreachable",
		unix.RTN_PROHIBIT: "prohibit", unix.RTN_LOCAL: "local", unix.RTN_BROADCAST: "broadcast", unix.RTN_MULTICAST: "multicast",
		unix.RTN_ANYCAST: "anycast", unix.RTN_THROW: "throw", unix.RTN_NAT: "nat"}[t]
}

func TestRouteFiltersInKernel(t *testing.T) {
	h, _, v0, v1 := routeNS(t)
	gw := netip.MustParseAddr("192.0.2.254")
	for i := 0; i < 50; i++ {
		table := uint32(1000)
		if i%2 == 0 {
			table = 2000
		}
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)
		if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: p, Gateway: gw, Table: table, Protocol: unix.RTPROT_STATIC}); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: netip.MustParsePrefix("10.200.0.0/16"), OutIndex: v1, Table: 1000}); err != nil {
		t.Fatal(err)
	}
	count := func(f *rtm.RouteFilter) int {
		n := 0
		for r, err := range h.Routes(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			if f.Table != 0 && r.Table() != f.Table {
				t.Fatalf("table filter %d returned table %d", f.Table, r.Table())
			}
			n++
		}
		return n
	}
	if n := count(&rtm.RouteFilter{Family: unix.AF_INET, Table: 1000}); n != 26 {
		t.Errorf("table 1000: %d routes", n)
	}
	if n := count(&rtm.RouteFilter{Family: unix.AF_INET, Table: 2000, Protocol: unix.RTPROT_STATIC}); n != 25 {
		t.Errorf("table 2000 static: %d", n)
	}
	if n := count(&rtm.RouteFilter{Family: unix.AF_INET, Table: 1000, OutIndex: v1}); n != 1 {
		t.Errorf("table 1000 via veth1: %d", n)
	}
	if n := count(&rtm.RouteFilter{Family: unix.AF_INET, OutIndex: v0, Table: unix.RT_TABLE_MAIN}); n != 1 {
		t.Errorf("main via veth0: %d", n) // the connected route of 192.0.2.0/24
	}
	if n := count(&rtm.RouteFilter{Family: unix.AF_INET, Table: 4242}); n != 0 {
		t.Errorf("missing table: %d", n)
	}
	var missing error
	for _, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: 4242, MissingTableError: true}) {
		missing = err
	}
	if !errors.Is(missing, unix.ENOENT) {
		t.Errorf("missing table with MissingTableError: %v, want ENOENT", missing)
	}
	if _, err := h.RouteSave(ctx, io.Discard, &rtm.RouteFilter{Family: unix.AF_INET, Table: 4242, MissingTableError: true}); !errors.Is(err, unix.ENOENT) {
		t.Errorf("save of a missing table with MissingTableError: %v, want ENOENT", err)
	}
	n, err := h.RouteFlush(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: 2000})
	if err != nil || n != 25 {
		t.Fatalf("flush: %d %v", n, err)
	}
	if n := count(&rtm.RouteFilter{Family: unix.AF_INET, Table: 2000}); n != 0 {
		t.Errorf("after flush: %d", n)
	}
	if _, err := h.RouteFlush(ctx, nil); err == nil {
		t.Error("flush without a filter accepted")
	}
}

func TestRouteGetAgainstIP(t *testing.T) {
	h, ns, _, v1 := routeNS(t)
	if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: netip.MustParsePrefix("203.0.113.0/24"), Gateway: netip.MustParseAddr("198.51.100.254")}); err != nil {
		t.Fatal(err)
	}
	r, err := h.RouteGet(ctx, rtm.RouteQuery{Dst: netip.MustParseAddr("203.0.113.9")})
	if err != nil {
		t.Fatal(err)
	}
	w := ipJSON(t, ns, "route", "get", "203.0.113.9")[0]
	if r.Gateway().String() != w["gateway"] || r.OutIndex() != v1 || r.PrefSrc().String() != w["prefsrc"] {
		t.Fatalf("route get: gw %v oif %d src %v; ip %v", r.Gateway(), r.OutIndex(), r.PrefSrc(), w)
	}
	fm, err := h.RouteGet(ctx, rtm.RouteQuery{Dst: netip.MustParseAddr("203.0.113.9"), FIBMatch: true})
	if err != nil || fm.Dst() != netip.MustParsePrefix("203.0.113.0/24") {
		t.Fatalf("fibmatch: %v %v", fm.Dst(), err)
	}
	if _, err := h.RouteGet(ctx, rtm.RouteQuery{Dst: netip.MustParseAddr("2001:db8:ffff::1")}); !errors.Is(err, unix.ENETUNREACH) {
		t.Fatalf("unreachable: %v", err)
	}
	if _, err := h.RouteGet(ctx, rtm.RouteQuery{Dst: netip.MustParseAddr("10.0.0.1"), Src: netip.MustParseAddr("2001:db8::1")}); err == nil {
		t.Fatal("mixed families accepted")
	}
}

func TestRouteNextHopEdits(t *testing.T) {
	h, ns, v0, v1 := routeNS(t)
	dst := netip.MustParsePrefix("10.8.0.0/16")
	a, b := netip.MustParseAddr("192.0.2.254"), netip.MustParseAddr("198.51.100.254")
	if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: dst, Gateway: a, OutIndex: v0}); err != nil {
		t.Fatal(err)
	}
	if err := h.RouteAddNextHop(ctx, rtm.RouteSpec{Dst: dst}, rtm.RouteHopSpec{Gateway: b, OutIndex: v1, Weight: 5}); err != nil {
		t.Fatal(err)
	}
	w := findIP(ipRoutes(t, ns), "10.8.0.0/16", "main")
	if nhs, _ := w["nexthops"].([]any); len(nhs) != 2 || nhs[1].(map[string]any)["weight"].(float64) != 5 {
		t.Fatalf("after add_nh ip shows %v", w)
	}
	if err := h.RouteDelNextHop(ctx, rtm.RouteSpec{Dst: dst}, a, 0); err != nil {
		t.Fatal(err)
	}
	w = findIP(ipRoutes(t, ns), "10.8.0.0/16", "main")
	if w["gateway"] != b.String() {
		t.Fatalf("after del_nh ip shows %v", w)
	}
	if err := h.RouteDelNextHop(ctx, rtm.RouteSpec{Dst: dst}, a, 0); !errors.Is(err, rtm.ErrNotFound) {
		t.Fatalf("removing a missing hop: %v", err)
	}
}

func TestRouteValidation(t *testing.T) {
	h, _ := handle(t)
	gw4 := netip.MustParseAddr("192.0.2.1")
	cases := map[string]rtm.RouteSpec{
		"no dst":       {Gateway: gw4},
		"host bits":    {Dst: netip.MustParsePrefix("10.0.0.1/8")},
		"v4 gw for v6": {Dst: netip.MustParsePrefix("2001:db8::/32"), Gateway: gw4},
		"gw and hops":  {Dst: netip.MustParsePrefix("10.0.0.0/8"), Gateway: gw4, NextHops: []rtm.RouteHopSpec{{Gateway: gw4}}},
		"bad weight":   {Dst: netip.MustParsePrefix("10.0.0.0/8"), NextHops: []rtm.RouteHopSpec{{Gateway: gw4, Weight: 300}}},
		"empty hop":    {Dst: netip.MustParsePrefix("10.0.0.0/8"), NextHops: []rtm.RouteHopSpec{{}}},
		"big label":    {Dst: netip.MustParsePrefix("10.0.0.0/8"), MPLSEncap: []uint32{1 << 20}},
		"nhid and gw":  {Dst: netip.MustParsePrefix("10.0.0.0/8"), NHID: 1, Gateway: gw4},
	}
	refusedLocally(t, "", cases, func(s rtm.RouteSpec) error { return h.RouteAdd(ctx, s) })
}

func TestRouteBatchAndAllocs(t *testing.T) {
	h, ns, v0, _ := routeNS(t)
	const n = 10000
	addInBatch(t, h, n, func(bt *rtm.Batch, i int) error {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)
		return bt.RouteAdd(rtm.RouteSpec{Dst: p, OutIndex: v0, Table: 300})
	})
	if got := strings.Count(nstest.IP(t, ns, "route", "show", "table", "300"), "\n"); got != n {
		t.Fatalf("ip sees %d routes, want %d", got, n)
	}
	f := &rtm.RouteFilter{Family: unix.AF_INET, Table: 300}
	var sink int
	stream := testing.AllocsPerRun(3, func() {
		for r, err := range h.Routes(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			sink += r.DstLen() + int(r.OutIndex())
			if r.DstAddr().IsValid() && r.Gateway().IsValid() {
				sink++
			}
		}
	})
	if stream > 50 { // per dump, not per route: a constant set-up cost
		t.Fatalf("streaming %d routes allocates %v times", n, stream)
	}
	var routes []rtm.Route
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	routes, err := rtm.Collect(h.Routes(ctx, f))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	allocs := float64(after.Mallocs-before.Mallocs) / float64(n)
	perRoute := float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	t.Logf("collecting %d routes: %.3f allocations and %.0f bytes per route", n, allocs, perRoute)
	if len(routes) != n || allocs > 1 || perRoute > 136 { // 8 of them the view's netlink-header pointer
		t.Fatalf("collecting %d routes: %d collected, %.3f allocations and %.0f bytes per route", n, len(routes), allocs, perRoute)
	}
	for _, r := range routes {
		if len(r.Bytes()) > 128 {
			t.Fatalf("a detached route holds %d bytes", len(r.Bytes()))
		}
	}
}

// TestFiltersWithoutStrictCheck checks that filters hold when the kernel
// ignores them: without strict checking it returns everything.
func TestFiltersWithoutStrictCheck(t *testing.T) {
	strict, ns, v0, v1 := routeNS(t)
	loose := dialIn(t, ns.Name, rtm.WithoutStrictCheck())
	gw := netip.MustParseAddr("192.0.2.254")
	for i, table := range []uint32{1000, 1000, 2000} {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)
		if err := strict.RouteAdd(ctx, rtm.RouteSpec{Dst: p, Gateway: gw, Table: table}); err != nil {
			t.Fatal(err)
		}
	}
	nstest.IP(t, ns, "link", "add", "br9", "type", "bridge")
	routes := func(h *rtm.Handle, f *rtm.RouteFilter) []string {
		var out []string
		for r, err := range h.Routes(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%v/%d/%d", r.Dst(), r.Table(), r.OutIndex()))
		}
		return out
	}
	for _, f := range []*rtm.RouteFilter{{Family: unix.AF_INET, Table: 1000}, {Family: unix.AF_INET, Table: 254, OutIndex: v1}, {Family: unix.AF_INET6}} {
		a, b := routes(strict, f), routes(loose, f)
		if fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
			t.Errorf("filter %+v: strict %v, loose %v", *f, a, b)
		}
	}
	for _, f := range []*rtm.LinkFilter{{Kind: "bridge"}, {Kind: "no-such-kind"}} {
		a, b := linkNames(t, strict, f), linkNames(t, loose, f)
		if fmt.Sprint(a) != fmt.Sprint(b) || (f.Kind == "bridge") != (len(a) == 1) {
			t.Errorf("filter %+v: strict %v, loose %v", *f, a, b)
		}
	}
	_ = v0
}
