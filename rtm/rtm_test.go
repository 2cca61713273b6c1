package rtm_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

var ctx = context.Background()

// handle dials a Handle inside a fresh namespace.
func handle(t testing.TB) (*rtm.Handle, *nstest.NS) {
	t.Helper()
	ns := nstest.New(t)
	return dialIn(t, ns.Name), ns
}

// monitor opens a monitor of groups on h, closed when the test ends.
func monitor(t testing.TB, h *rtm.Handle, groups []rtm.Group, opts ...rtm.MonitorOption) *rtm.Monitor {
	t.Helper()
	m, err := h.Monitor(groups, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// addVethPair adds the veth pair p0 and p1 through h, the links of the
// tests that need two (down) links of their own.
func addVethPair(t testing.TB, h *rtm.Handle) {
	t.Helper()
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "p0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "p1"}}}); err != nil {
		t.Fatal(err)
	}
}

// dialIn dials a Handle inside the namespace named ns, with opts, closed
// when the test ends.
func dialIn(t testing.TB, ns string, opts ...rtm.Option) *rtm.Handle {
	t.Helper()
	h, err := rtm.Dial(append([]rtm.Option{rtm.WithNetns(ns)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// refusedLocally checks that do refuses every case before the kernel sees
// it: with an error, and one that carries no errno. what prefixes the
// cases' names in failures.
func refusedLocally[S any](t *testing.T, what string, cases map[string]S, do func(S) error) {
	t.Helper()
	for name, s := range cases {
		err := do(s)
		var errno unix.Errno
		if err == nil || errors.As(err, &errno) {
			t.Errorf("%s%s: %v (want a local validation error)", what, name, err)
		}
	}
}

// flatDumpAllocs checks that a dump of n objects (many) allocates no more
// than a dump of a few (few): objects cost nothing, the dump's set-up is
// the same. read uses each object as a caller would. The slack is for
// sync.Pool, which drops items at random under the race detector.
func flatDumpAllocs[V any](t *testing.T, what string, n int, many, few iter.Seq2[V, error], read func(V) int) {
	t.Helper()
	var sink int
	dump := func(seq iter.Seq2[V, error]) func() {
		return func() {
			for v, err := range seq {
				if err != nil {
					t.Fatal(err)
				}
				sink += read(v)
			}
		}
	}
	m, f := testing.AllocsPerRun(3, dump(many)), testing.AllocsPerRun(3, dump(few))
	t.Logf("%s: %v allocations for a dump of %d, %v for a dump of a few", what, m, n, f)
	if m > f+10 {
		t.Errorf("%s: a dump of %d allocates %v times, of a few %v", what, n, m, f)
	}
}

// addInBatch queues add(bt, i) for i from 0 to n-1 in one batch and runs
// it, failing t on any error: how the tests fill a namespace with many
// objects quickly.
func addInBatch(t testing.TB, h *rtm.Handle, n int, add func(bt *rtm.Batch, i int) error) {
	t.Helper()
	bt := h.NewBatch()
	for i := range n {
		if err := add(bt, i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bt.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// linkNames returns the names of the links a dump with filter f yields,
// in the dump's order.
func linkNames(t testing.TB, h *rtm.Handle, f *rtm.LinkFilter) []string {
	t.Helper()
	var names []string
	for l, err := range h.Links(ctx, f) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, l.Name())
	}
	return names
}

// ipJSON runs "ip -j ARGS" in ns and decodes its output, the oracle.
func ipJSON(t *testing.T, ns *nstest.NS, args ...string) []map[string]any {
	t.Helper()
	var out []map[string]any
	nstest.IPJSON(t, ns, &out, args...)
	return out
}

func TestLinksAgainstIP(t *testing.T) {
	h, ns := handle(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "add", "veth0", "mtu", "1400", "type", "veth", "peer", "name", "veth1")
	nstest.IP(t, ns, "link", "set", "veth1", "master", "br0")
	nstest.IP(t, ns, "link", "set", "veth0", "alias", "uplink", "txqueuelen", "77", "group", "5", "up")
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "dev", "veth0")
	nstest.IP(t, ns, "link", "property", "add", "dev", "veth0", "altname", "wan0")

	want := map[string]map[string]any{}
	for _, l := range ipJSON(t, ns, "-d", "-s", "link", "show") {
		want[l["ifname"].(string)] = l
	}
	n := 0
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		w, ok := want[l.Name()]
		if !ok {
			t.Fatalf("link %q unknown to ip", l.Name())
		}
		num := func(k string) uint64 { f, _ := w[k].(float64); return uint64(f) }
		if int32(num("ifindex")) != l.Index() || uint32(num("mtu")) != l.MTU() ||
			uint32(num("txqlen")) != l.TxQueueLen() || w["operstate"] != l.OperState().String() ||
			uint32(num("min_mtu")) != l.MinMTU() || uint32(num("max_mtu")) != l.MaxMTU() ||
			uint32(num("num_tx_queues")) != l.NumTxQueues() || uint32(num("promiscuity")) != l.Promiscuity() {
			t.Errorf("%s: view disagrees with ip: %+v", l.Name(), w)
		}
		if addr, _ := w["address"].(string); addr != l.HardwareAddr().String() {
			t.Errorf("%s: address %v, ip %v", l.Name(), l.HardwareAddr(), addr)
		}
		if q, _ := w["qdisc"].(string); q != l.Qdisc() {
			t.Errorf("%s: qdisc %q, ip %q", l.Name(), l.Qdisc(), q)
		}
		info, _ := w["linkinfo"].(map[string]any)
		if k, _ := info["info_kind"].(string); k != l.Kind() {
			t.Errorf("%s: kind %q, ip %q", l.Name(), l.Kind(), k)
		}
		if k, _ := info["info_slave_kind"].(string); k != l.PortKind() {
			t.Errorf("%s: port kind %q, ip %q", l.Name(), l.PortKind(), k)
		}
		stats, _ := w["stats64"].(map[string]any)
		rx, _ := stats["rx"].(map[string]any)
		if s, ok := l.Stats64(); !ok || float64(s.RxBytes) != rx["bytes"].(float64) {
			t.Errorf("%s: rx bytes %v, ip %v", l.Name(), s.RxBytes, rx["bytes"])
		}
		if v, ok := l.Get("stats64", "rx_bytes"); !ok || fmt.Sprint(v.Interface()) != fmt.Sprint(uint64(rx["bytes"].(float64))) {
			t.Errorf("%s: Get(stats64, rx_bytes) = %v, %v", l.Name(), v, ok)
		}
		if v, ok := l.Get("ifname"); !ok || v.String() != l.Name() {
			t.Errorf("%s: Get(ifname) = %v", l.Name(), v)
		}
		switch l.Name() {
		case "veth0":
			var alt []string
			for a := range l.AltNames() {
				alt = append(alt, a)
			}
			if l.Alias() != "uplink" || l.Group() != 5 || !l.IsUp() || len(alt) != 1 || alt[0] != "wan0" {
				t.Errorf("veth0: alias %q group %d up %v altnames %v", l.Alias(), l.Group(), l.IsUp(), alt)
			}
		case "veth1":
			br, _ := want["br0"]["ifindex"].(float64)
			if l.MasterIndex() != int32(br) {
				t.Errorf("veth1: master %d, want %v", l.MasterIndex(), br)
			}
		case "vx0":
			if v, ok := l.Get("linkinfo", "kind"); !ok || v.String() != "vxlan" {
				t.Errorf("vx0: Get(linkinfo, kind) = %v %v", v, ok)
			}
		}
	}
	if n != len(want) {
		t.Fatalf("dump has %d links, ip %d", n, len(want))
	}
}

func TestLinkFiltersInKernel(t *testing.T) {
	h, ns := handle(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	for i := 0; i < 3; i++ {
		nstest.IP(t, ns, "link", "add", fmt.Sprintf("v%da", i), "type", "veth", "peer", "name", fmt.Sprintf("v%db", i))
	}
	nstest.IP(t, ns, "link", "set", "v0a", "master", "br0")
	nstest.IP(t, ns, "link", "set", "v2a", "master", "br0")
	br := index(t, h, "br0")
	names := func(f *rtm.LinkFilter) []string { return linkNames(t, h, f) }
	if got := strings.Join(names(&rtm.LinkFilter{MasterIndex: br}), ","); got != "v0a,v2a" {
		t.Errorf("ports of br0: %s", got)
	}
	if got := names(&rtm.LinkFilter{Kind: "veth"}); len(got) != 6 {
		t.Errorf("veth links: %v", got)
	}
	if got := names(&rtm.LinkFilter{Kind: "bridge"}); len(got) != 1 || got[0] != "br0" {
		t.Errorf("bridges: %v", got)
	}
}

func TestLinkLookups(t *testing.T) {
	h, _ := handle(t)
	lo, err := h.LinkByName(ctx, "lo")
	if err != nil || lo.Index() != 1 || lo.Type() != unix.ARPHRD_LOOPBACK {
		t.Fatalf("lo: %v %v", lo.Index(), err)
	}
	same, err := h.LinkByIndex(ctx, 1)
	if err != nil || !same.NameIs("lo") {
		t.Fatalf("index 1: %v %v", same.Name(), err)
	}
	_, err = h.LinkByName(ctx, "nosuch")
	if !errors.Is(err, rtm.ErrNotFound) || !errors.Is(err, unix.ENODEV) || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("missing link: %v", err)
	}
	for _, bad := range []string{"", "a-name-longer-than-15", "a/b", "a b", ".."} {
		if _, err := h.LinkByName(ctx, bad); err == nil || errors.Is(err, unix.ENODEV) {
			t.Errorf("name %q: %v (want a local validation error)", bad, err)
		}
	}
}

func addrSet(t *testing.T, ns *nstest.NS, dev string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, l := range ipJSON(t, ns, "addr", "show", "dev", dev) {
		for _, ai := range l["addr_info"].([]any) {
			a := ai.(map[string]any)
			out[fmt.Sprintf("%v/%v", a["local"], a["prefixlen"])] = a
		}
	}
	return out
}

func TestAddrLifecycle(t *testing.T) {
	h, ns := handle(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "set", "br0", "up")
	br := index(t, h, "br0")
	specs := []rtm.AddrSpec{
		{Index: br, Prefix: netip.MustParsePrefix("192.0.2.1/24"), Broadcast: netip.MustParseAddr("192.0.2.255"), Label: "br0:web"},
		{Index: br, Prefix: netip.MustParsePrefix("192.0.2.2/24")},
		{Index: br, Prefix: netip.MustParsePrefix("2001:db8::1/64"), Flags: unix.IFA_F_NODAD | unix.IFA_F_NOPREFIXROUTE},
		{Index: br, Prefix: netip.MustParsePrefix("2001:db8:1::1/64"), Flags: unix.IFA_F_NODAD | unix.IFA_F_MANAGETEMPADDR, ValidLifetime: 600, PreferredLifetime: 300},
		{Index: br, Prefix: netip.MustParsePrefix("10.9.9.1/32"), Peer: netip.MustParsePrefix("10.9.9.2/32")},
	}
	for _, s := range specs {
		if err := h.AddrAdd(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.AddrAdd(ctx, specs[1]); !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), "192.0.2.2/24") {
		t.Fatalf("duplicate add: %v", err)
	}
	if err := h.AddrReplace(ctx, specs[1]); err != nil {
		t.Fatalf("replace: %v", err)
	}
	want := addrSet(t, ns, "br0")
	got := 0
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: br}) {
		if err != nil {
			t.Fatal(err)
		}
		key := a.Prefix().String()
		w, ok := want[key]
		if !ok {
			t.Errorf("address %s unknown to ip (ip has %v)", key, want)
			continue
		}
		got++
		if lbl, _ := w["label"].(string); lbl != a.Label() {
			t.Errorf("%s: label %q, ip %q", key, a.Label(), lbl)
		}
		if b, _ := w["broadcast"].(string); b != "" && b != a.Broadcast().String() {
			t.Errorf("%s: broadcast %v, ip %v", key, a.Broadcast(), b)
		}
		if p, _ := w["address"].(string); p != "" && p != a.Peer().String() {
			t.Errorf("%s: peer %v, ip %v", key, a.Peer(), p)
		}
		if a.Prefix().Addr().Is6() && a.Prefix().Addr().IsGlobalUnicast() {
			if a.Flags()&unix.IFA_F_NODAD == 0 || w["nodad"] != true {
				t.Errorf("%s: nodad flag %#x, ip %v", key, a.Flags(), w["nodad"])
			}
		}
		if ci, ok := a.CacheInfo(); ok {
			if vl, _ := w["valid_life_time"].(float64); uint32(vl) != ci.Valid && vl != 0 && uint32(vl)+1 != ci.Valid && uint32(vl) != ci.Valid+1 {
				t.Errorf("%s: valid %d, ip %v", key, ci.Valid, vl)
			}
		}
	}
	if got != len(want) {
		t.Fatalf("dump has %d addresses, ip %d", got, len(want))
	}
	// Kernel filter by family and user-space filter by label.
	n4 := 0
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Family: unix.AF_INET, Label: "br0:web"}) {
		if err != nil || a.Family() != unix.AF_INET {
			t.Fatal(a, err)
		}
		n4++
	}
	if n4 != 1 {
		t.Fatalf("label filter kept %d", n4)
	}
	if err := h.AddrDel(ctx, specs[2]); err != nil {
		t.Fatal(err)
	}
	if _, ok := addrSet(t, ns, "br0")["2001:db8::1/64"]; ok {
		t.Fatal("deleted address still there")
	}
	n, err := h.AddrFlush(ctx, &rtm.AddrFilter{Index: br, Family: unix.AF_INET})
	if err != nil || n != 3 {
		t.Fatalf("flush: %d, %v", n, err)
	}
	for k := range addrSet(t, ns, "br0") {
		if !strings.Contains(k, ":") {
			t.Fatalf("IPv4 address %s survived the flush", k)
		}
	}
}

func TestAddrValidation(t *testing.T) {
	h, _ := handle(t)
	cases := map[string]rtm.AddrSpec{
		"no index":       {Prefix: netip.MustParsePrefix("192.0.2.1/24")},
		"no prefix":      {Index: 1},
		"mixed peer":     {Index: 1, Prefix: netip.MustParsePrefix("192.0.2.1/32"), Peer: netip.MustParsePrefix("2001:db8::2/128")},
		"v6 broadcast":   {Index: 1, Prefix: netip.MustParsePrefix("2001:db8::1/64"), Broadcast: netip.MustParseAddr("192.0.2.255")},
		"v6 label":       {Index: 1, Prefix: netip.MustParsePrefix("2001:db8::1/64"), Label: "lo:x"},
		"mapped":         {Index: 1, Prefix: netip.MustParsePrefix("::ffff:192.0.2.1/120")},
		"lifetime order": {Index: 1, Prefix: netip.MustParsePrefix("192.0.2.1/24"), ValidLifetime: 10, PreferredLifetime: 20},
	}
	refusedLocally(t, "", cases, func(s rtm.AddrSpec) error { return h.AddrAdd(ctx, s) })
}

func TestBatchTenThousandAddresses(t *testing.T) {
	h, ns := handle(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	br := index(t, h, "br0")
	bt := h.NewBatch()
	const n = 10000
	for i := 0; i < n; i++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 1}), 32)
		if err := bt.AddrAdd(rtm.AddrSpec{Index: br, Prefix: p}); err != nil {
			t.Fatal(err)
		}
	}
	// One duplicate and one validation failure (not added) mixed in.
	if err := bt.AddrAdd(rtm.AddrSpec{Index: br, Prefix: netip.MustParsePrefix("10.0.5.1/32")}); err != nil {
		t.Fatal(err)
	}
	if err := bt.AddrAdd(rtm.AddrSpec{Index: 0}); err == nil {
		t.Fatal("invalid spec accepted into the batch")
	}
	results, err := bt.Run(ctx)
	if len(results) != n+1 || !errors.Is(err, unix.EEXIST) || !errors.Is(results[n], unix.EEXIST) {
		t.Fatalf("%d results, err %v, last %v", len(results), err, results[n])
	}
	for i, r := range results[:n] {
		if r != nil {
			t.Fatalf("result %d: %v", i, r)
		}
	}
	count := 0
	for range h.Addrs(ctx, &rtm.AddrFilter{Index: br}) {
		count++
	}
	ipCount := strings.Count(nstest.IP(t, ns, "-4", "-o", "addr", "show", "dev", "br0"), "\n")
	if count != n || ipCount != n {
		t.Fatalf("dump sees %d addresses, ip %d, want %d", count, ipCount, n)
	}
}

func TestHandleConcurrentAndClose(t *testing.T) {
	h, _ := handle(t)
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		go func() {
			var err error
			for j := 0; j < 20 && err == nil; j++ {
				_, err = h.LinkByName(ctx, "lo")
				for _, e := range h.Links(ctx, nil) {
					if e != nil {
						err = e
					}
				}
			}
			errs <- err
		}()
	}
	for i := 0; i < 16; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	h.Close()
	h.Close()
	if _, err := h.LinkByName(ctx, "lo"); !errors.Is(err, rtm.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestDialErrors(t *testing.T) {
	nstest.RequirePrivileged(t)
	if _, err := rtm.Dial(rtm.WithNetns("ipr-no-such-namespace")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing namespace: %v", err)
	}
	if _, err := rtm.Dial(rtm.WithNetns("a"), rtm.WithNetnsPath("/b")); err == nil {
		t.Fatal("two namespaces accepted")
	}
}
