package rtm_test

import (
	"fmt"
	"iter"
	"net/netip"
	"runtime"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// The benchmarks here run against the kernel, in a namespace of their
// own, and report the cost per object (ns/route, ns/link) besides the cost
// per dump. Set-up (creating the routes and links) is not timed.

const (
	benchRoutes = 10000
	benchTable  = 100
)

// benchHandle dials a Handle in a fresh namespace holding veth0 (up,
// 192.0.2.1/24) and its peer, so that routes can go via 192.0.2.2.
func benchHandle(b *testing.B) (*rtm.Handle, *nstest.NS) {
	b.Helper()
	h, ns := handle(b)
	nstest.IP(b, ns, "link", "add", "veth0", "up", "type", "veth", "peer", "name", "veth1")
	nstest.IP(b, ns, "link", "set", "veth1", "up")
	nstest.IP(b, ns, "addr", "add", "192.0.2.1/24", "dev", "veth0")
	return h, ns
}

var benchGateway = netip.MustParseAddr("192.0.2.2")

// benchRoute returns the i-th of the benchmark routes: 10.x.y.0/24 via
// 192.0.2.2 in table benchTable.
func benchRoute(i int, oif int32) rtm.RouteSpec {
	return rtm.RouteSpec{
		Dst:      netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24),
		Gateway:  benchGateway,
		OutIndex: oif,
		Table:    benchTable,
	}
}

// addRoutes adds n routes with one batch.
func addRoutes(b *testing.B, h *rtm.Handle, n int, oif int32) {
	b.Helper()
	addInBatch(b, h, n, func(bt *rtm.Batch, i int) error { return bt.RouteAdd(benchRoute(i, oif)) })
}

var benchFilter = &rtm.RouteFilter{Family: unix.AF_INET, Table: benchTable}

// benchDump times b.N runs of dump, whatever came before it untimed: each
// run returns how many of the objects it yielded it counted, which must be
// want, or want or more with atLeast; what names them in the failure. The
// timer is stopped when it returns. dump holds its own range loop and
// checks: a version that took a per-object check function measured three
// more allocations a dump, which the small dumps report.
func benchDump(b *testing.B, what string, want int, atLeast bool, dump func() int) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n := dump(); n != want && !(atLeast && n > want) {
			b.Fatalf("%d %s, want %d", n, what, want)
		}
	}
	b.StopTimer()
}

// reportPer reports the time a dump of perDump objects took per object, as
// ns/unit.
func reportPer(b *testing.B, perDump int, unit string) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perDump), "ns/"+unit)
}

// BenchmarkRouteDump streams a table of 10000 routes and reads each one's
// destination, prefix length, gateway and output interface: the loop of a
// program that scans a routing table.
func BenchmarkRouteDump(b *testing.B) {
	h, _ := benchHandle(b)
	oif := index(b, h, "veth0")
	addRoutes(b, h, benchRoutes, oif)
	benchDump(b, "routes", benchRoutes, false, func() (n int) {
		for r, err := range h.Routes(ctx, benchFilter) {
			if err != nil {
				b.Fatal(err)
			}
			dst, gw := r.DstAddr(), r.Gateway()
			if !dst.Is4() || r.DstLen() != 24 || gw != benchGateway || r.OutIndex() != oif {
				b.Fatalf("route %v/%d via %v dev %d", dst, r.DstLen(), gw, r.OutIndex())
			}
			n++
		}
		return n
	})
	reportPer(b, benchRoutes, "route")
}

// BenchmarkRouteCollect collects a table of 10000 routes into a slice of
// detached Routes, and reports what each costs in allocations and bytes.
func BenchmarkRouteCollect(b *testing.B) {
	h, _ := benchHandle(b)
	addRoutes(b, h, benchRoutes, index(b, h, "veth0"))
	var before, after runtime.MemStats
	b.ReportAllocs()
	b.ResetTimer()
	runtime.ReadMemStats(&before)
	for i := 0; i < b.N; i++ {
		routes, err := rtm.Collect(h.Routes(ctx, benchFilter))
		if err != nil {
			b.Fatal(err)
		}
		if len(routes) != benchRoutes {
			b.Fatalf("%d routes, want %d", len(routes), benchRoutes)
		}
	}
	runtime.ReadMemStats(&after)
	b.StopTimer()
	per := float64(b.N * benchRoutes)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/route")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/route")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/route")
}

// BenchmarkLinkDump streams 1001 links (500 veth pairs and lo), reading
// each one's index, name, MTU and flags.
func BenchmarkLinkDump(b *testing.B) {
	h, _ := handle(b)
	const pairs = 500
	addInBatch(b, h, pairs, func(bt *rtm.Batch, i int) error {
		return bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("va%d", i), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("vb%d", i)}}})
	})
	const links = 2*pairs + 1
	// "light" is the dump without per-family statistics
	// (LinkFilter.SkipStats); B/link is the kernel's bytes per link.
	for _, c := range []struct {
		name string
		f    *rtm.LinkFilter
	}{{"full", nil}, {"light", &rtm.LinkFilter{SkipStats: true}}} {
		b.Run(c.name, func(b *testing.B) {
			var bytes int
			benchDump(b, "links", links, false, func() (n int) {
				bytes = 0
				for l, err := range h.Links(ctx, c.f) {
					if err != nil {
						b.Fatal(err)
					}
					if l.Index() <= 0 || l.NameIs("") || l.MTU() == 0 || l.Flags()&unix.IFF_UP != 0 && !l.NameIs("lo") {
						b.Fatalf("link %d %q mtu %d flags %#x", l.Index(), l.Name(), l.MTU(), l.Flags())
					}
					bytes += len(l.Bytes())
					n++
				}
				return n
			})
			reportPer(b, links, "link")
			b.ReportMetric(float64(bytes)/links, "B/link")
		})
	}
}

// BenchmarkBatchRouteAdd10k adds 10000 routes with one Batch: encoding,
// sending and the kernel's work. Deleting them again between iterations is
// not timed.
func BenchmarkBatchRouteAdd10k(b *testing.B) {
	h, _ := benchHandle(b)
	oif := index(b, h, "veth0")
	specs := make([]rtm.RouteSpec, benchRoutes)
	for i := range specs {
		specs[i] = benchRoute(i, oif)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt := h.NewBatch()
		for _, s := range specs {
			if err := bt.RouteAdd(s); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := bt.Run(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n, err := h.RouteFlush(ctx, benchFilter); err != nil || n != benchRoutes {
			b.Fatalf("flushed %d routes: %v", n, err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRoutes), "ns/route")
}

// addAddrs adds n IPv4 /32 addresses 10.b.x.y to the link of index ifindex
// with one batch.
func addAddrs(b *testing.B, h *rtm.Handle, ifindex int32, net byte, n int) {
	b.Helper()
	addInBatch(b, h, n, func(bt *rtm.Batch, i int) error {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, net, byte(i >> 8), byte(i)}), 32)
		return bt.AddrAdd(rtm.AddrSpec{Index: ifindex, Prefix: p})
	})
}

// BenchmarkAddrDumpIndex streams the 3000 IPv4 addresses of one link, with
// no other address and with 10000 more on another link: what filtering by
// interface costs.
func BenchmarkAddrDumpIndex(b *testing.B) {
	for _, others := range []int{0, 10000} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			h, _ := benchHandle(b)
			oif := index(b, h, "veth0")
			const mine = 3000
			addAddrs(b, h, oif, 1, mine)
			if others > 0 {
				addAddrs(b, h, index(b, h, "veth1"), 2, others)
			}
			f := &rtm.AddrFilter{Family: unix.AF_INET, Index: oif}
			benchDump(b, "addresses", mine+1, false, func() (n int) {
				for a, err := range h.Addrs(ctx, f) {
					if err != nil {
						b.Fatal(err)
					}
					if a.Index() != oif || !a.IP().Is4() {
						b.Fatalf("address %v on %d", a.Prefix(), a.Index())
					}
					n++
				}
				return n
			})
			reportPer(b, mine, "addr")
		})
	}
}

// benchNeighs dials benchHandle's namespace and adds n ARP entries on
// veth0 (whose index it returns), the i-th for dst(i), all for
// 02:00:00:00:00:01, with one batch.
func benchNeighs(b *testing.B, n int, dst func(i int) netip.Addr) (*rtm.Handle, int32) {
	b.Helper()
	h, _ := benchHandle(b)
	oif := index(b, h, "veth0")
	mac := []byte{2, 0, 0, 0, 0, 1}
	addInBatch(b, h, n, func(bt *rtm.Batch, i int) error {
		return bt.NeighAdd(rtm.NeighSpec{Index: oif, Dst: dst(i), LLAddr: mac})
	})
	return h, oif
}

// BenchmarkNeighDump streams 10000 ARP entries, reading each one's
// address and link-layer address.
func BenchmarkNeighDump(b *testing.B) {
	const n = 10000
	h, _ := benchNeighs(b, n, func(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}) })
	f := &rtm.NeighFilter{Family: unix.AF_INET}
	benchDump(b, "neighbours", n, true, func() (got int) {
		for nb, err := range h.Neighs(ctx, f) {
			if err != nil {
				b.Fatal(err)
			}
			if nb.Dst().Is4() && len(nb.LLAddr()) == 6 {
				got++
			}
		}
		return got
	})
	reportPer(b, n, "neigh")
}

// BenchmarkRuleDump streams 1000 IPv4 rules, which span several
// datagrams: the rule dump then waits for its watch's barrier (see
// Handle.Rules).
func BenchmarkRuleDump(b *testing.B) {
	h, _ := benchHandle(b)
	const n = 1000
	addInBatch(b, h, n, func(bt *rtm.Batch, i int) error {
		return bt.RuleAdd(rtm.RuleSpec{Family: unix.AF_INET, Priority: rtm.Some(uint32(1000 + i)), Table: 100})
	})
	f := &rtm.RuleFilter{Family: unix.AF_INET}
	benchDump(b, "rules", n, false, func() (got int) {
		for r, err := range h.Rules(ctx, f) {
			if err != nil {
				b.Fatal(err)
			}
			if r.Table() == 100 {
				got++
			}
		}
		return got
	})
	reportPer(b, n, "rule")
}

// BenchmarkAddrDumpSmall dumps the two addresses of a namespace (lo's and
// veth0's): the fixed cost of a dump.
func BenchmarkAddrDumpSmall(b *testing.B) {
	h, _ := benchHandle(b)
	if err := h.LinkSet(ctx, rtm.LinkSpec{Name: "lo", Up: rtm.Some(true)}); err != nil {
		b.Fatal(err)
	}
	f := &rtm.AddrFilter{Family: unix.AF_INET}
	benchDump(b, "addresses", 2, false, func() int { return countDump(b, h.Addrs(ctx, f)) })
}

// BenchmarkNeighDumpSmall dumps the four ARP entries of one link: the
// fixed cost of a neighbour dump.
func BenchmarkNeighDumpSmall(b *testing.B) {
	const n = 4
	h, oif := benchNeighs(b, n, func(i int) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + i)}) })
	f := &rtm.NeighFilter{Family: unix.AF_INET, Index: oif}
	benchDump(b, "neighbours", n, false, func() int { return countDump(b, h.Neighs(ctx, f)) })
}

// BenchmarkRuleDumpSmall dumps the default rules of a namespace (3 IPv4,
// 2 IPv6): the fixed cost of a rule dump.
func BenchmarkRuleDumpSmall(b *testing.B) {
	h, _ := benchHandle(b)
	benchDump(b, "rules", 5, false, func() int { return countDump(b, h.Rules(ctx, nil)) })
}

// countDump counts what dump yields, failing b on an error.
func countDump[V any](b *testing.B, dump iter.Seq2[V, error]) (n int) {
	for _, err := range dump {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}
