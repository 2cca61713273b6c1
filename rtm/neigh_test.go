package rtm_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// testLinkNames maps the namespace's interface indexes to names.
func testLinkNames(t *testing.T, h *rtm.Handle) map[int32]string {
	t.Helper()
	names := map[int32]string{}
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names[l.Index()] = l.Name()
	}
	return names
}

// neighFlagNames lists the flags "ip -j neigh" shows as keys.
func neighFlagNames(n rtm.Neigh) []string {
	var f []string
	for _, x := range []struct {
		bit  uint8
		name string
	}{{unix.NTF_ROUTER, "router"}, {unix.NTF_PROXY, "proxy"}, {unix.NTF_EXT_LEARNED, "extern_learn"}} {
		if n.Flags()&x.bit != 0 {
			f = append(f, x.name)
		}
	}
	if n.ExtFlags()&rtm.NTFExtManaged != 0 {
		f = append(f, "managed")
	}
	return f
}

func TestNeighsAgainstIP(t *testing.T) {
	h, ns, v0, v1 := routeNS(t)
	specs := []rtm.NeighSpec{
		{Index: v0, Dst: netip.MustParseAddr("192.0.2.5"), LLAddr: mustMAC("02:00:00:00:00:05")},
		{Index: v0, Dst: netip.MustParseAddr("192.0.2.6"), LLAddr: mustMAC("02:00:00:00:00:06"), State: unix.NUD_STALE, Flags: unix.NTF_ROUTER},
		{Index: v0, Dst: netip.MustParseAddr("192.0.2.7"), LLAddr: mustMAC("02:00:00:00:00:07"), State: unix.NUD_NOARP},
		{Index: v0, Dst: netip.MustParseAddr("192.0.2.8"), LLAddr: mustMAC("02:00:00:00:00:08"), Flags: unix.NTF_EXT_LEARNED, Protocol: unix.RTPROT_STATIC},
		{Index: v0, Dst: netip.MustParseAddr("192.0.2.9"), ExtFlags: rtm.NTFExtManaged},
		{Index: v1, Dst: netip.MustParseAddr("198.51.100.5"), LLAddr: mustMAC("02:00:00:00:01:05"), State: unix.NUD_REACHABLE},
		{Index: v0, Dst: netip.MustParseAddr("2001:db8::5"), LLAddr: mustMAC("02:00:00:00:00:05"), State: unix.NUD_REACHABLE, Flags: unix.NTF_ROUTER},
		{Index: v0, Dst: netip.MustParseAddr("2001:db8::6"), LLAddr: mustMAC("02:00:00:00:00:06"), State: unix.NUD_STALE},
		{Index: v0, Dst: netip.MustParseAddr("192.0.2.99"), Flags: unix.NTF_PROXY},
		{Index: v0, Dst: netip.MustParseAddr("2001:db8::99"), Flags: unix.NTF_PROXY},
	}
	for _, s := range specs {
		if err := h.NeighAdd(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// Entries ip adds, which we read back.
	nstest.IP(t, ns, "neigh", "add", "192.0.2.10", "lladdr", "02:00:00:00:00:10", "dev", "veth0", "nud", "permanent", "router")
	nstest.IP(t, ns, "-6", "neigh", "add", "2001:db8::10", "lladdr", "02:00:00:00:00:10", "dev", "veth0", "nud", "noarp")
	nstest.IP(t, ns, "neigh", "add", "proxy", "192.0.2.98", "dev", "veth1")

	if err := h.NeighAdd(ctx, specs[0]); !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), "192.0.2.5") {
		t.Fatalf("duplicate add: %v", err)
	}
	// What the kernel reports (and ip agrees with, below) is what the
	// specs asked for.
	for _, s := range specs {
		n, err := h.NeighGet(ctx, rtm.NeighQuery{Index: s.Index, Dst: s.Dst, Proxy: s.Flags&unix.NTF_PROXY != 0})
		if err != nil {
			t.Fatal(err)
		}
		if s.Flags&unix.NTF_PROXY != 0 {
			if n.Flags()&unix.NTF_PROXY == 0 || n.Dst() != s.Dst {
				t.Errorf("proxy %v: flags %#x dst %v", s.Dst, n.Flags(), n.Dst())
			}
			continue
		}
		state := s.State
		if state == 0 && s.ExtFlags == 0 {
			state = unix.NUD_PERMANENT
		}
		// A managed entry starts resolving at once: any state will do.
		if n.LLAddr().String() != s.LLAddr.String() || (s.ExtFlags == 0 && n.State() != state) ||
			n.Flags() != s.Flags || n.ExtFlags() != s.ExtFlags || n.Protocol() != s.Protocol || n.Index() != s.Index {
			t.Errorf("%v: %v %v flags %#x/%#x protocol %d; want %+v", s.Dst, n.LLAddr(), n.State(), n.Flags(), n.ExtFlags(), n.Protocol(), s)
		}
	}

	names := testLinkNames(t, h)
	compare := func(proxy bool) {
		t.Helper()
		args := []string{"neigh", "show", "nud", "all"}
		if proxy {
			args = []string{"neigh", "show", "proxy"}
		}
		want := map[string]map[string]any{}
		// Multicast entries come and go with IPv6 traffic; leave them
		// out on both sides.
		for _, w := range ipJSON(t, ns, args...) {
			if !netip.MustParseAddr(w["dst"].(string)).IsMulticast() {
				want[fmt.Sprint(w["dst"], " ", w["dev"])] = w
			}
		}
		n := 0
		for nb, err := range h.Neighs(ctx, &rtm.NeighFilter{Proxy: proxy}) {
			if err != nil {
				t.Fatal(err)
			}
			if nb.Dst().IsMulticast() {
				continue
			}
			key := fmt.Sprint(nb.Dst(), " ", names[nb.Index()])
			w, ok := want[key]
			if !ok {
				t.Errorf("neighbour %s unknown to ip (proxy %v)", key, proxy)
				continue
			}
			n++
			if ll, _ := w["lladdr"].(string); ll != nb.LLAddr().String() {
				t.Errorf("%s: lladdr %v, ip %q", key, nb.LLAddr(), ll)
			}
			var state []string
			list, _ := w["state"].([]any)
			for _, s := range list {
				state = append(state, s.(string))
			}
			if !proxy && strings.Join(state, "|") != nb.State().String() {
				t.Errorf("%s: state %v, ip %v", key, nb.State(), state)
			}
			for _, f := range neighFlagNames(nb) {
				if _, ok := w[f]; !ok {
					t.Errorf("%s: flag %s unknown to ip", key, f)
				}
			}
			for _, f := range []string{"router", "proxy", "extern_learn", "managed"} {
				if _, ok := w[f]; ok && !slices.Contains(neighFlagNames(nb), f) {
					t.Errorf("%s: ip shows %s, flags %#x", key, f, nb.Flags())
				}
			}
			if p, _ := w["protocol"].(string); (p == "static") != (nb.Protocol() == unix.RTPROT_STATIC) {
				t.Errorf("%s: protocol %d, ip %q", key, nb.Protocol(), p)
			}
			if v, ok := nb.Get("dst"); !ok || v.String() != nb.Dst().String() {
				t.Errorf("%s: Get(dst) = %v", key, v)
			}
		}
		if n != len(want) {
			t.Errorf("proxy %v: dump matched %d of ip's %d neighbours", proxy, n, len(want))
		}
	}
	compare(false)
	compare(true)

	// NeighGet, with its cache information against "ip -s".
	got, err := h.NeighGet(ctx, rtm.NeighQuery{Index: v0, Dst: netip.MustParseAddr("192.0.2.6")})
	if err != nil {
		t.Fatal(err)
	}
	w := ipJSON(t, ns, "-s", "neigh", "show", "192.0.2.6", "dev", "veth0")[0]
	ci, ok := got.CacheInfo()
	if !ok || got.LLAddr().String() != w["lladdr"] || got.State() != unix.NUD_STALE {
		t.Fatalf("get: %v %v %v; ip %v", got.LLAddr(), got.State(), ok, w)
	}
	for k, d := range map[string]time.Duration{"used": ci.Used, "confirmed": ci.Confirmed, "updated": ci.Updated} {
		if s, _ := w[k].(float64); d < time.Duration(s)*time.Second-time.Second || d > time.Duration(s+1)*time.Second {
			t.Errorf("get: %s %v, ip %v s", k, d, s)
		}
	}
	if _, err := h.NeighGet(ctx, rtm.NeighQuery{Index: v0, Dst: netip.MustParseAddr("192.0.2.99"), Proxy: true}); err != nil {
		t.Errorf("proxy get: %v", err)
	}
	_, err = h.NeighGet(ctx, rtm.NeighQuery{Index: v0, Dst: netip.MustParseAddr("192.0.2.200")})
	if !errors.Is(err, rtm.ErrNotFound) || !errors.Is(err, unix.ENOENT) {
		t.Fatalf("missing neighbour: %v", err)
	}

	// Kernel-side filters.
	count := func(f *rtm.NeighFilter) (n int) {
		for nb, err := range h.Neighs(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			if f.Index != 0 && nb.Index() != f.Index || f.Family != 0 && nb.Family() != f.Family {
				t.Errorf("filter %+v yielded %v on %d", f, nb.Dst(), nb.Index())
			}
			if !nb.Dst().IsMulticast() {
				n++
			}
		}
		return n
	}
	ipCount := func(args ...string) (n int) {
		for _, w := range ipJSON(t, ns, args...) {
			if !netip.MustParseAddr(w["dst"].(string)).IsMulticast() {
				n++
			}
		}
		return n
	}
	if n := count(&rtm.NeighFilter{Index: v1}); n != ipCount("neigh", "show", "dev", "veth1", "nud", "all") || n == 0 {
		t.Errorf("veth1 has %d neighbours", n)
	}
	if n := count(&rtm.NeighFilter{Family: unix.AF_INET6, Index: v0}); n != ipCount("-6", "neigh", "show", "dev", "veth0", "nud", "all") {
		t.Errorf("IPv6 on veth0: %d", n)
	}
	// ip's "nud stale" also shows externally learned entries, whatever
	// their state; count the stale ones it shows.
	stale := 0
	for _, w := range ipJSON(t, ns, "neigh", "show", "nud", "stale") {
		if slices.Contains(w["state"].([]any), any("STALE")) {
			stale++
		}
	}
	if n := count(&rtm.NeighFilter{State: unix.NUD_STALE}); n != stale || n == 0 {
		t.Errorf("stale: %d, ip %d", n, stale)
	}
	if n := count(&rtm.NeighFilter{Family: unix.AF_INET, Proxy: true, Index: v1}); n != 1 {
		t.Errorf("proxies on veth1: %d", n)
	}

	// Replace, change and delete, checked through ip.
	s := specs[0]
	s.LLAddr = mustMAC("02:00:00:00:aa:05")
	if err := h.NeighReplace(ctx, s); err != nil {
		t.Fatal(err)
	}
	s.Dst = netip.MustParseAddr("192.0.2.77")
	if err := h.NeighChange(ctx, s); !errors.Is(err, unix.ENOENT) {
		t.Errorf("change of a missing neighbour: %v", err)
	}
	if err := h.NeighDel(ctx, specs[1]); err != nil {
		t.Fatal(err)
	}
	if err := h.NeighDel(ctx, specs[8]); err != nil {
		t.Fatal(err)
	}
	got5 := ipJSON(t, ns, "neigh", "show", "192.0.2.5", "dev", "veth0")
	if len(got5) != 1 || got5[0]["lladdr"] != "02:00:00:00:aa:05" {
		t.Errorf("after replace ip shows %v", got5)
	}
	if w := ipJSON(t, ns, "neigh", "show", "192.0.2.6", "dev", "veth0"); len(w) != 0 {
		t.Errorf("after delete ip shows %v", w)
	}
	if w := ipJSON(t, ns, "neigh", "show", "proxy", "192.0.2.99"); len(w) != 0 {
		t.Errorf("after proxy delete ip shows %v", w)
	}
}

func TestNeighValidation(t *testing.T) {
	h, _ := handle(t)
	a := netip.MustParseAddr("192.0.2.1")
	cases := map[string]rtm.NeighSpec{
		"no index":     {Dst: a},
		"no address":   {Index: 1},
		"mapped":       {Index: 1, Dst: netip.MustParseAddr("::ffff:192.0.2.1")},
		"zone":         {Index: 1, Dst: netip.MustParseAddr("fe80::1%eth0")},
		"long lladdr":  {Index: 1, Dst: a, LLAddr: make(net.HardwareAddr, 33)},
		"proxy lladdr": {Index: 1, Dst: a, LLAddr: mustMAC("02:00:00:00:00:01"), Flags: unix.NTF_PROXY},
	}
	refusedLocally(t, "", cases, func(s rtm.NeighSpec) error { return h.NeighAdd(ctx, s) })
	refusedLocally(t, "batch ", cases, func(s rtm.NeighSpec) error { return h.NewBatch().NeighAdd(s) })
	fdbCases := map[string]rtm.FDBSpec{
		"no index":  {LLAddr: mustMAC("02:00:00:00:00:01")},
		"short mac": {Index: 1, LLAddr: net.HardwareAddr{1, 2}},
		"vlan":      {Index: 1, LLAddr: mustMAC("02:00:00:00:00:01"), VLAN: 4095},
		"vni":       {Index: 1, LLAddr: mustMAC("02:00:00:00:00:01"), VNI: 1 << 24},
		"nhid+dst":  {Index: 1, LLAddr: mustMAC("02:00:00:00:00:01"), NHID: 1, Dst: a},
	}
	refusedLocally(t, "fdb ", fdbCases, func(s rtm.FDBSpec) error { return h.FDBAdd(ctx, s) })
	tableCases := map[string]rtm.NeighTableSpec{
		"family":            {Family: unix.AF_BRIDGE},
		"thresh per device": {Family: unix.AF_INET, Index: 1, Thresh1: rtm.Some[uint32](1)},
		"negative":          {Family: unix.AF_INET, RetransTime: rtm.Some(-time.Second)},
	}
	refusedLocally(t, "ntable ", tableCases, func(s rtm.NeighTableSpec) error { return h.NeighTableSet(ctx, s) })
	for nb, err := range h.Neighs(ctx, &rtm.NeighFilter{Family: unix.AF_BRIDGE}) {
		if err == nil {
			t.Errorf("AF_BRIDGE neighbour dump yielded %v", nb.Dst())
		}
	}
}

// bridgeJSON runs "bridge -j ARGS" in ns and decodes its output.
func bridgeJSON(t *testing.T, ns *nstest.NS, args ...string) []map[string]any {
	t.Helper()
	out := nstest.Run(t, ns, "bridge", append([]string{"-j"}, args...)...)
	var v []map[string]any
	if strings.TrimSpace(out) == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("bridge %v: %v\n%s", args, err, out)
	}
	return v
}

// fdbKey identifies an FDB entry as bridge prints it.
func fdbKey(macAddr, dev, dst any) string { return fmt.Sprint(macAddr, " ", dev, " ", dst) }

// fdbState is bridge's name for an FDB entry's state.
func fdbState(s rtm.NeighState) string {
	switch {
	case s&unix.NUD_PERMANENT != 0:
		return "permanent"
	case s&unix.NUD_NOARP != 0:
		return "static"
	case s&unix.NUD_STALE != 0:
		return "stale"
	}
	return ""
}

func fdbFlags(n rtm.Neigh) []string {
	var f []string
	for _, x := range []struct {
		bit  uint8
		name string
	}{{unix.NTF_SELF, "self"}, {unix.NTF_ROUTER, "router"}, {unix.NTF_EXT_LEARNED, "extern_learn"},
		{unix.NTF_OFFLOADED, "offload"}, {unix.NTF_MASTER, "master"}, {rtm.NTFSticky, "sticky"}} {
		if n.Flags()&x.bit != 0 {
			f = append(f, x.name)
		}
	}
	return f
}

func TestFDBAgainstBridge(t *testing.T) {
	h, ns, v0, _ := routeNS(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "add", "veth2", "type", "veth", "peer", "name", "veth3")
	nstest.IP(t, ns, "link", "set", "veth2", "master", "br0")
	// No learning, so that the tables hold only what the test puts there.
	nstest.IP(t, ns, "link", "set", "veth2", "type", "bridge_slave", "learning", "off")
	for _, l := range []string{"br0", "veth2", "veth3"} {
		nstest.IP(t, ns, "link", "set", l, "up")
	}
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "192.0.2.1", "nolearning")
	nstest.IP(t, ns, "link", "add", "vx1", "type", "vxlan", "external", "dstport", "4790", "nolearning")
	br, port, vx0, vx1 := index(t, h, "br0"), index(t, h, "veth2"), index(t, h, "vx0"), index(t, h, "vx1")
	zero := mustMAC("00:00:00:00:00:00")
	static := rtm.NeighState(unix.NUD_NOARP | unix.NUD_REACHABLE)
	specs := []struct {
		appendIt bool
		s        rtm.FDBSpec
	}{
		{false, rtm.FDBSpec{Index: port, LLAddr: mustMAC("02:00:00:00:01:01"), Flags: unix.NTF_MASTER, State: static}},
		{false, rtm.FDBSpec{Index: port, LLAddr: mustMAC("02:00:00:00:01:02"), Flags: unix.NTF_MASTER, State: unix.NUD_REACHABLE}},
		{false, rtm.FDBSpec{Index: port, LLAddr: mustMAC("02:00:00:00:01:03"), Flags: unix.NTF_MASTER | rtm.NTFSticky, State: static}},
		{false, rtm.FDBSpec{Index: port, LLAddr: mustMAC("02:00:00:00:01:04"), Flags: unix.NTF_MASTER | unix.NTF_EXT_LEARNED, State: unix.NUD_REACHABLE}},
		{false, rtm.FDBSpec{Index: port, LLAddr: mustMAC("02:00:00:00:01:05"), Flags: unix.NTF_MASTER}},
		{true, rtm.FDBSpec{Index: vx0, LLAddr: zero, Dst: netip.MustParseAddr("192.0.2.10")}},
		{true, rtm.FDBSpec{Index: vx0, LLAddr: zero, Dst: netip.MustParseAddr("192.0.2.11"), Port: 5000, VNI: 100, LinkIndex: v0}},
		{false, rtm.FDBSpec{Index: vx0, LLAddr: mustMAC("02:00:00:00:02:01"), Dst: netip.MustParseAddr("192.0.2.12")}},
		{false, rtm.FDBSpec{Index: vx1, LLAddr: mustMAC("02:00:00:00:02:02"), Dst: netip.MustParseAddr("192.0.2.13"), VNI: 88, SrcVNI: 77}},
	}
	addInBatch(t, h, 2, func(bt *rtm.Batch, i int) error { return bt.FDBAdd(specs[i].s) })
	for _, x := range specs[2:] {
		var err error
		if x.appendIt {
			err = h.FDBAppend(ctx, x.s)
		} else {
			err = h.FDBAdd(ctx, x.s)
		}
		if err != nil {
			t.Fatalf("%+v: %v", x.s, err)
		}
	}
	nstest.Run(t, ns, "bridge", "fdb", "add", "02:00:00:00:03:01", "dev", "veth2", "master", "static")
	nstest.Run(t, ns, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "192.0.2.14", "vni", "7")
	if err := h.FDBAdd(ctx, specs[7].s); !errors.Is(err, unix.EEXIST) {
		t.Fatalf("duplicate fdb add: %v", err)
	}

	names := testLinkNames(t, h)
	compare := func(f *rtm.FDBFilter, args ...string) {
		t.Helper()
		want := map[string]map[string]any{}
		dev := ""
		if f != nil && f.Index != 0 {
			dev = names[f.Index]
		}
		for _, w := range bridgeJSON(t, ns, append([]string{"fdb", "show"}, args...)...) {
			ifname, _ := w["ifname"].(string)
			if ifname == "" {
				ifname = dev
			}
			want[fdbKey(w["mac"], ifname, w["dst"])] = w
		}
		n := 0
		for e, err := range h.FDB(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Family() != unix.AF_BRIDGE || f != nil && f.Index != 0 && e.Index() != f.Index {
				t.Errorf("filter %+v yielded family %d index %d", f, e.Family(), e.Index())
			}
			var dst any
			if e.Dst().IsValid() {
				dst = e.Dst().String()
			}
			key := fdbKey(e.LLAddr().String(), names[e.Index()], dst)
			w, ok := want[key]
			if !ok {
				t.Errorf("fdb entry %s unknown to bridge %v", key, args)
				continue
			}
			n++
			if st, _ := w["state"].(string); st != fdbState(e.State()) {
				t.Errorf("%s: state %v, bridge %q", key, e.State(), st)
			}
			var flags []string
			for _, x := range w["flags"].([]any) {
				flags = append(flags, x.(string))
			}
			if !slices.Equal(flags, fdbFlags(e)) {
				t.Errorf("%s: flags %v, bridge %v", key, fdbFlags(e), flags)
			}
			if m, _ := w["master"].(string); m != names[e.MasterIndex()] {
				t.Errorf("%s: master %q, bridge %q", key, names[e.MasterIndex()], m)
			}
			checkNum := func(k string, v uint32, has bool) {
				f, ok := w[k].(float64)
				if ok != has || uint32(f) != v {
					t.Errorf("%s: %s %d (present %v), bridge %v", key, k, v, has, w[k])
				}
			}
			vni, ok := e.VNI()
			checkNum("vni", vni, ok)
			svni, ok := e.SrcVNI()
			checkNum("src_vni", svni, ok)
			p, ok := e.Port()
			checkNum("port", uint32(p), ok)
			if via, _ := w["viaIf"].(string); via != names[e.LinkIndex()] {
				t.Errorf("%s: via %q, bridge %q", key, names[e.LinkIndex()], via)
			}
		}
		if n != len(want) || n == 0 {
			t.Errorf("fdb dump %v matched %d of bridge's %d entries", args, n, len(want))
		}
	}
	compare(nil)
	compare(&rtm.FDBFilter{MasterIndex: br}, "br", "br0")
	compare(&rtm.FDBFilter{Index: vx0}, "dev", "vx0")
	compare(&rtm.FDBFilter{Index: port}, "dev", "veth2")

	// bridge shows what the specs asked for.
	byKey := map[string]map[string]any{}
	for _, w := range bridgeJSON(t, ns, "fdb", "show") {
		byKey[fdbKey(w["mac"], w["ifname"], w["dst"])] = w
	}
	for _, x := range specs {
		s := x.s
		var dst any
		if s.Dst.IsValid() {
			dst = s.Dst.String()
		}
		key := fdbKey(s.LLAddr.String(), names[s.Index], dst)
		w := byKey[key]
		if w == nil {
			t.Errorf("bridge lacks %s", key)
			continue
		}
		state := s.State
		if state == 0 {
			state = unix.NUD_NOARP | unix.NUD_PERMANENT
		}
		flags := fmt.Sprint(w["flags"])
		got := fmt.Sprint(w["state"], w["vni"], w["src_vni"], w["port"], w["viaIf"], w["master"],
			strings.Contains(flags, "sticky"), strings.Contains(flags, "extern_learn"))
		num := func(v uint32) any {
			if v == 0 {
				return nil
			}
			return float64(v)
		}
		var via, master any
		if s.LinkIndex != 0 {
			via = names[s.LinkIndex]
		}
		if s.Flags&unix.NTF_MASTER != 0 {
			master = "br0"
		}
		want := fmt.Sprint(fdbState(state), num(s.VNI), num(s.SrcVNI), num(uint32(s.Port)), via, master,
			s.Flags&rtm.NTFSticky != 0, s.Flags&unix.NTF_EXT_LEARNED != 0)
		if got != want {
			t.Errorf("%s: bridge shows %s, spec %s", key, got, want)
		}
	}

	// Get by bridge and by device, against bridge fdb get.
	e, err := h.FDBGet(ctx, rtm.FDBQuery{LLAddr: mustMAC("02:00:00:00:01:01"), MasterIndex: br})
	if err != nil {
		t.Fatal(err)
	}
	w := bridgeJSON(t, ns, "fdb", "get", "02:00:00:00:01:01", "br", "br0")[0]
	if names[e.Index()] != w["ifname"] || fdbState(e.State()) != w["state"] || names[e.MasterIndex()] != w["master"] {
		t.Errorf("fdb get: %s %v %s; bridge %v", names[e.Index()], e.State(), names[e.MasterIndex()], w)
	}
	_, err = h.FDBGet(ctx, rtm.FDBQuery{LLAddr: mustMAC("02:00:00:00:09:09"), MasterIndex: br})
	if !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("missing fdb entry: %v", err)
	}

	// Replace moves an entry; deleting one remote of the flooding entry
	// keeps the others.
	r := specs[7].s
	r.Dst = netip.MustParseAddr("192.0.2.20")
	if err := h.FDBReplace(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := h.FDBDel(ctx, specs[5].s); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range bridgeJSON(t, ns, "fdb", "show", "dev", "vx0") {
		got = append(got, fmt.Sprint(w["mac"], " ", w["dst"]))
	}
	slices.Sort(got)
	want := []string{"00:00:00:00:00:00 192.0.2.11", "00:00:00:00:00:00 192.0.2.14", "02:00:00:00:02:01 192.0.2.20"}
	if !slices.Equal(got, want) {
		t.Errorf("vx0 after replace and delete: %v, want %v", got, want)
	}
	if err := h.FDBDel(ctx, specs[0].s); err != nil {
		t.Fatal(err)
	}
	if err := h.FDBDel(ctx, specs[0].s); !errors.Is(err, unix.ENOENT) {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestNeighTablesAgainstIP(t *testing.T) {
	h, ns, v0, _ := routeNS(t)
	want := map[string]map[string]any{}
	for _, w := range ipJSON(t, ns, "-s", "ntable", "show") {
		dev, _ := w["dev"].(string)
		want[fmt.Sprint(w["name"], " ", dev)] = w
	}
	names := testLinkNames(t, h)
	n := 0
	for tb, err := range h.NeighTables(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		p, ok := tb.Params()
		if !ok {
			t.Fatalf("%s: no parameters", tb.Name())
		}
		key := fmt.Sprint(tb.Name(), " ", names[p.Index])
		w, ok := want[key]
		if !ok {
			t.Errorf("table %s unknown to ip", key)
			continue
		}
		n++
		num := func(k string) int64 { f, _ := w[k].(float64); return int64(f) }
		ms := func(d time.Duration) int64 { return d.Milliseconds() }
		if num("base_reachable") != ms(p.BaseReachableTime) || num("retrans") != ms(p.RetransTime) ||
			num("gc_stale") != ms(p.GCStaleTime) || num("delay_probe") != ms(p.DelayProbeTime) ||
			num("queue") != int64(p.QueueLen) || num("app_probes") != int64(p.AppProbes) ||
			num("ucast_probes") != int64(p.UcastProbes) || num("mcast_probes") != int64(p.McastProbes) ||
			num("anycast_delay") != ms(p.AnycastDelay) || num("proxy_delay") != ms(p.ProxyDelay) ||
			num("proxy_queue") != int64(p.ProxyQueueLen) || num("locktime") != ms(p.LockTime) {
			t.Errorf("%s: %+v, ip %v", key, p, w)
		}
		if p.Index == 0 {
			if num("thresh1") != int64(tb.Thresh1()) || num("thresh3") != int64(tb.Thresh3()) ||
				num("gc_interval") != ms(tb.GCInterval()) {
				t.Errorf("%s: thresholds %d %d gc %v, ip %v", key, tb.Thresh1(), tb.Thresh3(), tb.GCInterval(), w)
			}
			// The tables are shared by every namespace, so their counters
			// move; their geometry does not.
			c, ok := tb.Config()
			if !ok || num("key_length") != int64(c.KeyLen) || num("entry_size") != int64(c.EntrySize) {
				t.Errorf("%s: config %+v, ip %v", key, c, w)
			}
			if st, ok := tb.Stats(); !ok || st.Allocs == 0 || int64(st.Allocs) < num("allocs")-1000 {
				t.Errorf("%s: stats %+v, ip %v", key, st, w)
			}
			if v, ok := tb.Get("parms", "retrans_time"); !ok || fmt.Sprint(v.Interface()) != fmt.Sprint(ms(p.RetransTime)) {
				t.Errorf("%s: Get(parms, retrans_time) = %v", key, v)
			}
		}
	}
	if n != len(want) {
		t.Fatalf("dump matched %d of ip's %d tables", n, len(want))
	}

	// Change veth0's ARP parameters, zero values included, and read them
	// back through ip.
	err := h.NeighTableSet(ctx, rtm.NeighTableSpec{Family: unix.AF_INET, Index: v0,
		AppProbes: rtm.Some[uint32](2), UcastProbes: rtm.Some[uint32](0), QueueLen: rtm.Some[uint32](11),
		RetransTime: rtm.Some(1500 * time.Millisecond), ProxyDelay: rtm.Some(time.Duration(0))})
	if err != nil {
		t.Fatal(err)
	}
	w := ipJSON(t, ns, "ntable", "show", "name", "arp_cache", "dev", "veth0")[0]
	if w["app_probes"] != 2.0 || w["ucast_probes"] != 0.0 || w["queue"] != 11.0 || w["retrans"] != 1500.0 || w["proxy_delay"] != 0.0 {
		t.Errorf("after change ip shows %v", w)
	}
	count := 0
	for tb, err := range h.NeighTables(ctx, &rtm.NeighTableFilter{Family: unix.AF_INET, Index: v0}) {
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := tb.Params(); p.AppProbes != 2 || tb.Family() != unix.AF_INET {
			t.Errorf("filtered dump: %s %+v", tb.Name(), p)
		}
		count++
	}
	if count != 1 {
		t.Errorf("filtered dump yielded %d messages", count)
	}
}

func TestNeighAndFDBAllocs(t *testing.T) {
	h, ns, v0, v1 := routeNS(t)
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "nolearning")
	nstest.IP(t, ns, "link", "add", "vx1", "type", "vxlan", "id", "43", "dstport", "4789", "nolearning")
	vx0, vx1 := index(t, h, "vx0"), index(t, h, "vx1")
	const n = 2000
	bt := h.NewBatch()
	for i := 0; i < n; i++ {
		a := netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)})
		hw := net.HardwareAddr{2, 0, 0, 0, byte(i >> 8), byte(i)}
		if err := bt.NeighAdd(rtm.NeighSpec{Index: v0, Dst: a, LLAddr: hw}); err != nil {
			t.Fatal(err)
		}
		if err := bt.FDBAdd(rtm.FDBSpec{Index: vx0, LLAddr: hw, Dst: a}); err != nil {
			t.Fatal(err)
		}
	}
	one := netip.MustParseAddr("198.51.100.9")
	if err := bt.NeighAdd(rtm.NeighSpec{Index: v1, Dst: one, LLAddr: mustMAC("02:00:00:00:00:09")}); err != nil {
		t.Fatal(err)
	}
	if err := bt.FDBAdd(rtm.FDBSpec{Index: vx1, LLAddr: mustMAC("02:00:00:00:00:09"), Dst: one}); err != nil {
		t.Fatal(err)
	}
	if _, err := bt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := rtm.Collect(h.Neighs(ctx, &rtm.NeighFilter{Family: unix.AF_INET, Index: v0})); err != nil || len(got) != n {
		t.Fatalf("dumped %d neighbours (%v), added %d", len(got), err, n)
	}
	if got, err := rtm.Collect(h.FDB(ctx, &rtm.FDBFilter{Index: vx0})); err != nil || len(got) != n {
		t.Fatalf("dumped %d fdb entries (%v), added %d", len(got), err, n)
	}
	flatDumpAllocs(t, "neighbours", n, h.Neighs(ctx, &rtm.NeighFilter{Family: unix.AF_INET, Index: v0}),
		h.Neighs(ctx, &rtm.NeighFilter{Family: unix.AF_INET, Index: v1}), func(nb rtm.Neigh) int {
			return len(nb.LLAddr()) + int(nb.State()) + int(nb.Flags()) + nb.Dst().BitLen()
		})
	flatDumpAllocs(t, "fdb", n, h.FDB(ctx, &rtm.FDBFilter{Index: vx0}), h.FDB(ctx, &rtm.FDBFilter{Index: vx1}), func(e rtm.Neigh) int {
		v, _ := e.VNI()
		return len(e.LLAddr()) + int(v) + int(e.MasterIndex()) + e.Dst().BitLen()
	})
}
