package rtm_test

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

var nexthopScopeNames = map[uint8]string{unix.RT_SCOPE_UNIVERSE: "global", unix.RT_SCOPE_LINK: "link", unix.RT_SCOPE_HOST: "host"}

var nexthopProtocolNames = map[uint8]string{unix.RTPROT_UNSPEC: "unspec", unix.RTPROT_STATIC: "static", unix.RTPROT_BOOT: "boot"}

// groupString formats a group as "ip -j nexthop" lists it: "id/weight",
// the weight shown only when it is not 1.
func groupString(members []any) string {
	var s []string
	for _, x := range members {
		m := x.(map[string]any)
		w, ok := m["weight"].(float64)
		if !ok {
			w = 1
		}
		s = append(s, fmt.Sprintf("%v/%v", m["id"], w))
	}
	return fmt.Sprint(s)
}

func ourGroup(n rtm.Nexthop) string {
	var s []string
	for m := range n.Group() {
		s = append(s, fmt.Sprintf("%d/%d", m.ID, m.Weight))
	}
	return fmt.Sprint(s)
}

// checkNexthop compares a nexthop with "ip -j -d nexthop show"'s record.
func checkNexthop(t *testing.T, n rtm.Nexthop, w map[string]any, names map[int32]string) {
	t.Helper()
	key := fmt.Sprintf("nexthop %d", n.ID())
	has := func(k string) bool { _, ok := w[k]; return ok }
	str := func(k string) string { s, _ := w[k].(string); return s }
	if g := str("gateway"); g != "" && g != n.Gateway().String() || g == "" && n.Gateway().IsValid() {
		t.Errorf("%s: gateway %v, ip %q", key, n.Gateway(), g)
	}
	if str("dev") != names[n.OutIndex()] {
		t.Errorf("%s: dev %q, ip %q", key, names[n.OutIndex()], str("dev"))
	}
	if has("blackhole") != n.Blackhole() || has("fdb") != n.FDB() {
		t.Errorf("%s: blackhole %v fdb %v, ip %v", key, n.Blackhole(), n.FDB(), w)
	}
	if s := str("scope"); s != "" && s != nexthopScopeNames[n.Scope()] {
		t.Errorf("%s: scope %d, ip %q", key, n.Scope(), s)
	}
	if p := str("protocol"); p != "" && p != nexthopProtocolNames[n.Protocol()] {
		t.Errorf("%s: protocol %d, ip %q", key, n.Protocol(), p)
	}
	flags, _ := w["flags"].([]any)
	if slices.Contains(flags, any("onlink")) != (n.Flags()&unix.RTNH_F_ONLINK != 0) {
		t.Errorf("%s: flags %#x, ip %v", key, n.Flags(), flags)
	}
	group, _ := w["group"].([]any)
	if n.IsGroup() != (group != nil) || groupString(group) != ourGroup(n) {
		t.Errorf("%s: group %s, ip %s", key, ourGroup(n), groupString(group))
	}
	res, ok := n.Resilience()
	if (str("type") == "resilient") != ok || ok != (n.GroupType() == rtm.NexthopGroupResilient) {
		t.Errorf("%s: resilient %v type %d, ip %v", key, ok, n.GroupType(), w["type"])
	}
	if args, _ := w["resilient_args"].(map[string]any); ok && (args["buckets"] != float64(res.Buckets) ||
		args["idle_timer"] != res.IdleTimer.Seconds() || args["unbalanced_timer"] != res.UnbalancedTimer.Seconds()) {
		t.Errorf("%s: resilience %+v, ip %v", key, res, args)
	}
	if typ, _ := n.Encap(); (typ == unix.LWTUNNEL_ENCAP_SEG6) != (str("encap") == "seg6") {
		t.Errorf("%s: encap %d, ip %v", key, typ, w["encap"])
	}
}

func TestNexthopsAgainstIP(t *testing.T) {
	h, ns, v0, v1 := routeNS(t)
	gw := netip.MustParseAddr
	specs := []rtm.NexthopSpec{
		{ID: 1, Blackhole: true},
		{ID: 2, Gateway: gw("192.0.2.254"), OutIndex: v0},
		{ID: 3, OutIndex: v0},
		{ID: 4, Gateway: gw("2001:db8::fe"), OutIndex: v0},
		{ID: 5, Gateway: gw("10.99.0.1"), OutIndex: v0, Flags: unix.RTNH_F_ONLINK, Protocol: unix.RTPROT_STATIC},
		{ID: 6, Gateway: gw("198.51.100.254"), OutIndex: v1},
		{ID: 7, Family: unix.AF_INET6, Blackhole: true},
		{ID: 10, Group: []rtm.NexthopGroupMember{{ID: 2}, {ID: 6, Weight: 5}}},
		{ID: 11, Group: []rtm.NexthopGroupMember{{ID: 2, Weight: 1}, {ID: 6, Weight: 3}}, GroupType: rtm.NexthopGroupResilient,
			Resilience: rtm.NexthopResilience{Buckets: 8, IdleTimer: 60 * time.Second, UnbalancedTimer: 120 * time.Second}},
		{ID: 20, Gateway: gw("192.0.2.252"), FDB: true},
		{ID: 21, Gateway: gw("192.0.2.251"), FDB: true},
		{ID: 22, Group: []rtm.NexthopGroupMember{{ID: 20}, {ID: 21}}, FDB: true},
	}
	addInBatch(t, h, 4, func(bt *rtm.Batch, i int) error { return bt.NexthopAdd(specs[i]) })
	for _, s := range specs[4:] {
		if err := h.NexthopAdd(ctx, s); err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
	}
	nstest.IP(t, ns, "nexthop", "add", "id", "30", "via", "198.51.100.250", "dev", "veth1", "protocol", "static")
	nstest.IP(t, ns, "nexthop", "add", "id", "31", "group", "30,7/3")
	if err := h.NexthopAdd(ctx, specs[1]); !errors.Is(err, unix.EEXIST) {
		t.Fatalf("duplicate: %v", err)
	}

	// Copy ip's seg6 encapsulation into a nexthop of ours.
	if nstest.Have(t, "seg6") {
		nstest.IP(t, ns, "nexthop", "add", "id", "32", "encap", "seg6", "mode", "encap", "segs", "2001:db8::1", "dev", "veth0")
		seg6, err := h.NexthopGet(ctx, 32)
		if err != nil {
			t.Fatal(err)
		}
		typ, encap := seg6.Encap()
		if err := h.NexthopAdd(ctx, rtm.NexthopSpec{ID: 33, OutIndex: v0, EncapType: typ, Encap: encap}); err != nil {
			t.Fatal(err)
		}
		ip32, ip33 := ipJSON(t, ns, "-d", "nexthop", "show", "id", "32")[0], ipJSON(t, ns, "-d", "nexthop", "show", "id", "33")[0]
		if fmt.Sprint(ip32["segs"], ip32["mode"]) != fmt.Sprint(ip33["segs"], ip33["mode"]) || ip33["encap"] != "seg6" {
			t.Errorf("copied encapsulation: ip shows %v, original %v", ip33, ip32)
		}
	}

	names := testLinkNames(t, h)
	// ip's "fdb" filter is the kernel's: none (see NexthopFilter.FDB).
	compare := func(f *rtm.NexthopFilter, args ...string) {
		t.Helper()
		want := map[uint32]map[string]any{}
		cmd := append([]string{"-d", "nexthop", "show"}, args...)
		if len(args) > 0 && args[0][0] == '-' { // an option, such as -6
			cmd = append([]string{args[0], "-d", "nexthop", "show"}, args[1:]...)
		}
		for _, w := range ipJSON(t, ns, cmd...) {
			if _, fdb := w["fdb"]; f == nil || !f.FDB || fdb {
				want[uint32(w["id"].(float64))] = w
			}
		}
		n := 0
		for nh, err := range h.Nexthops(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			if f != nil && (f.FDB && !nh.FDB() || f.Groups && !nh.IsGroup() ||
				f.Family != 0 && nh.Family() != f.Family || f.OutIndex != 0 && nh.OutIndex() != f.OutIndex) {
				t.Errorf("filter %+v yielded nexthop %d", f, nh.ID())
			}
			w, ok := want[nh.ID()]
			if !ok {
				t.Errorf("nexthop %d unknown to ip %v", nh.ID(), args)
				continue
			}
			n++
			checkNexthop(t, nh, w, names)
		}
		if n != len(want) || n == 0 {
			t.Errorf("dump %+v matched %d of ip's %d nexthops", f, n, len(want))
		}
	}
	compare(nil)
	compare(&rtm.NexthopFilter{OutIndex: v1}, "dev", "veth1")
	compare(&rtm.NexthopFilter{Groups: true}, "groups")
	compare(&rtm.NexthopFilter{Family: unix.AF_INET6}, "-6")
	compare(&rtm.NexthopFilter{FDB: true})

	got, err := h.NexthopGet(ctx, 11)
	if err != nil {
		t.Fatal(err)
	}
	checkNexthop(t, got, ipJSON(t, ns, "-d", "nexthop", "show", "id", "11")[0], names)
	if v, ok := got.Get("res_group", "buckets"); !ok || v.String() != "8" {
		t.Errorf("Get(res_group, buckets) = %v %v", v, ok)
	}
	if _, err := h.NexthopGet(ctx, 999); !errors.Is(err, rtm.ErrNotFound) || !errors.Is(err, unix.ENOENT) {
		t.Errorf("missing nexthop: %v", err)
	}
	for _, n := range []rtm.Nexthop{got} {
		if n.Family() != unix.AF_UNSPEC {
			t.Errorf("group family %d", n.Family())
		}
	}

	// Buckets of the resilient group.
	type bucket struct{ group, index, nh uint32 }
	ipBuckets := func(args ...string) []bucket {
		var b []bucket
		for _, w := range ipJSON(t, ns, append([]string{"nexthop", "bucket", "show"}, args...)...) {
			x := w["bucket"].(map[string]any)
			b = append(b, bucket{uint32(w["id"].(float64)), uint32(x["index"].(float64)), uint32(x["nhid"].(float64))})
		}
		return b
	}
	ourBuckets := func(f *rtm.NexthopBucketFilter) []bucket {
		var b []bucket
		for nb, err := range h.NexthopBuckets(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, bucket{nb.GroupID(), uint32(nb.Index()), nb.NexthopID()})
			if nb.IdleTime() < 0 || nb.IdleTime() > time.Hour {
				t.Errorf("bucket %d: idle time %v", nb.Index(), nb.IdleTime())
			}
		}
		return b
	}
	if got, want := ourBuckets(nil), ipBuckets(); !slices.Equal(got, want) || len(got) != 8 {
		t.Errorf("buckets %v, ip %v", got, want)
	}
	if got, want := ourBuckets(&rtm.NexthopBucketFilter{GroupID: 11, NexthopID: 6}), ipBuckets("id", "11", "nhid", "6"); !slices.Equal(got, want) || len(got) != 6 {
		t.Errorf("buckets of nexthop 6: %v, ip %v", got, want)
	}

	// A route through a group, and what deleting the group does to it.
	dst := netip.MustParsePrefix("10.20.0.0/16")
	if err := h.RouteAdd(ctx, rtm.RouteSpec{Dst: dst, NHID: 10}); err != nil {
		t.Fatal(err)
	}
	w := findIP(ipRoutes(t, ns), "10.20.0.0/16", "main")
	nhs, _ := w["nexthops"].([]any)
	if w == nil || w["nhid"] != 10.0 || len(nhs) != 2 {
		t.Fatalf("ip shows the route as %v", w)
	}
	found := false
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET, Table: unix.RT_TABLE_MAIN}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Dst() == dst {
			found = r.NHID() == 10
		}
	}
	if !found {
		t.Error("the route dump lacks the route's nexthop id")
	}

	// Replace changes a member; routes through its groups follow.
	if err := h.NexthopReplace(ctx, rtm.NexthopSpec{ID: 6, Gateway: gw("198.51.100.253"), OutIndex: v1}); err != nil {
		t.Fatal(err)
	}
	if w := ipJSON(t, ns, "nexthop", "show", "id", "6")[0]; w["gateway"] != "198.51.100.253" {
		t.Errorf("after replace ip shows %v", w)
	}
	if err := h.NexthopDel(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if findIP(ipRoutes(t, ns), "10.20.0.0/16", "main") != nil {
		t.Error("the route survived its nexthop")
	}
	if err := h.NexthopDel(ctx, 10); !errors.Is(err, unix.ENOENT) {
		t.Errorf("deleting twice: %v", err)
	}
}

// TestNexthopWideWeights checks 16-bit group weights (Linux 6.12) through
// the kernel: iproute2 6.1 cannot show them.
func TestNexthopWideWeights(t *testing.T) {
	nstest.Require(t, "nexthop:wide_weights")
	h, _, v0, _ := routeNS(t)
	for _, s := range []rtm.NexthopSpec{{ID: 1, OutIndex: v0}, {ID: 2, OutIndex: v0, Gateway: netip.MustParseAddr("192.0.2.9")}} {
		if err := h.NexthopAdd(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	want := []rtm.NexthopGroupMember{{ID: 1, Weight: 300}, {ID: 2, Weight: 65535}}
	if err := h.NexthopAdd(ctx, rtm.NexthopSpec{ID: 3, Group: want}); err != nil {
		t.Fatal(err)
	}
	n, err := h.NexthopGet(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Collect(n.Group()); !slices.Equal(got, want) {
		t.Fatalf("the kernel reports %v, want %v", got, want)
	}
}

func TestNexthopValidation(t *testing.T) {
	h, _ := handle(t)
	gw := netip.MustParseAddr("192.0.2.1")
	cases := map[string]rtm.NexthopSpec{
		"no device":          {ID: 1, Gateway: gw},
		"group and gateway":  {ID: 1, Gateway: gw, Group: []rtm.NexthopGroupMember{{ID: 2}}},
		"member id":          {ID: 1, Group: []rtm.NexthopGroupMember{{ID: 0}}},
		"member twice":       {ID: 1, Group: []rtm.NexthopGroupMember{{ID: 2}, {ID: 2}}},
		"weight":             {ID: 1, Group: []rtm.NexthopGroupMember{{ID: 2, Weight: 1 << 16}}},
		"resilience":         {ID: 1, Group: []rtm.NexthopGroupMember{{ID: 2}}, Resilience: rtm.NexthopResilience{Buckets: 4}},
		"type without group": {ID: 1, OutIndex: 1, GroupType: rtm.NexthopGroupResilient},
		"blackhole gateway":  {ID: 1, Blackhole: true, Gateway: gw},
		"fdb device":         {ID: 1, FDB: true, Gateway: gw, OutIndex: 1},
		"fdb no gateway":     {ID: 1, FDB: true},
		"v4 gw v6 family":    {ID: 1, Family: unix.AF_INET6, Gateway: gw, OutIndex: 1},
		"encap no type":      {ID: 1, OutIndex: 1, Encap: []byte{4, 0, 1, 0}},
	}
	refusedLocally(t, "", cases, func(s rtm.NexthopSpec) error { return h.NexthopAdd(ctx, s) })
	refusedLocally(t, "batch ", cases, func(s rtm.NexthopSpec) error { return h.NewBatch().NexthopAdd(s) })
	if err := h.NexthopDel(ctx, 0); err == nil {
		t.Error("deleting id 0 accepted")
	}
}

func TestNexthopAllocs(t *testing.T) {
	h, _, v0, v1 := routeNS(t)
	const n = 2000
	bt := h.NewBatch()
	for i := 0; i < n; i++ {
		gw := netip.AddrFrom4([4]byte{192, 0, 2, byte(2 + i%250)})
		if err := bt.NexthopAdd(rtm.NexthopSpec{ID: uint32(100 + i), Gateway: gw, OutIndex: v0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bt.NexthopAdd(rtm.NexthopSpec{ID: 1, OutIndex: v1}); err != nil {
		t.Fatal(err)
	}
	if _, err := bt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if all, err := rtm.Collect(h.Nexthops(ctx, &rtm.NexthopFilter{OutIndex: v0})); err != nil || len(all) != n {
		t.Fatalf("dumped %d nexthops (%v), want %d", len(all), err, n)
	}
	flatDumpAllocs(t, "nexthops", n, h.Nexthops(ctx, &rtm.NexthopFilter{OutIndex: v0}), h.Nexthops(ctx, &rtm.NexthopFilter{OutIndex: v1}),
		func(nh rtm.Nexthop) int { return int(nh.ID()) + int(nh.OutIndex()) + nh.Gateway().BitLen() })
}
