package rtm_test

import (
	"fmt"
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
	ns := nstest.New(b)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Close() })
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
	bt := h.NewBatch()
	for i := 0; i < n; i++ {
		if err := bt.RouteAdd(benchRoute(i, oif)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := bt.Run(ctx); err != nil {
		b.Fatal(err)
	}
}

func linkIndex(b *testing.B, h *rtm.Handle, name string) int32 {
	b.Helper()
	l, err := h.LinkByName(ctx, name)
	if err != nil {
		b.Fatal(err)
	}
	return l.Index()
}

var benchFilter = &rtm.RouteFilter{Family: unix.AF_INET, Table: benchTable}

// BenchmarkRouteDump streams a table of 10000 routes and reads each one's
// destination, prefix length, gateway and output interface: the loop of a
// program that scans a routing table.
func BenchmarkRouteDump(b *testing.B) {
	h, _ := benchHandle(b)
	oif := linkIndex(b, h, "veth0")
	addRoutes(b, h, benchRoutes, oif)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
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
		if n != benchRoutes {
			b.Fatalf("%d routes, want %d", n, benchRoutes)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRoutes), "ns/route")
}

// BenchmarkRouteCollect collects a table of 10000 routes into a slice of
// detached Routes, and reports what each costs in allocations and bytes.
func BenchmarkRouteCollect(b *testing.B) {
	h, _ := benchHandle(b)
	addRoutes(b, h, benchRoutes, linkIndex(b, h, "veth0"))
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
	ns := nstest.New(b)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Close() })
	const pairs = 500
	bt := h.NewBatch()
	for i := 0; i < pairs; i++ {
		err := bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("va%d", i), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("vb%d", i)}}})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := bt.Run(ctx); err != nil {
		b.Fatal(err)
	}
	const links = 2*pairs + 1
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for l, err := range h.Links(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			if l.Index() <= 0 || l.NameIs("") || l.MTU() == 0 || l.Flags()&unix.IFF_UP != 0 && !l.NameIs("lo") {
				b.Fatalf("link %d %q mtu %d flags %#x", l.Index(), l.Name(), l.MTU(), l.Flags())
			}
			n++
		}
		if n != links {
			b.Fatalf("%d links, want %d", n, links)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*links), "ns/link")
}

// BenchmarkBatchRouteAdd10k adds 10000 routes with one Batch: encoding,
// sending and the kernel's work. Deleting them again between iterations is
// not timed.
func BenchmarkBatchRouteAdd10k(b *testing.B) {
	h, _ := benchHandle(b)
	oif := linkIndex(b, h, "veth0")
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
