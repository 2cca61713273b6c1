package ipdb

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// startupNamespace fills a throwaway namespace with 100 000 IPv4 routes
// and 10 000 neighbours.
func startupNamespace(b *testing.B) *rtm.Handle {
	h, ns := setup(b)
	addRoutes(b, h, ns, 100000)
	l, err := h.LinkByName(context.Background(), "d0")
	if err != nil {
		b.Fatal(err)
	}
	bt := h.NewBatch()
	for i := 0; i < 10000; i++ {
		dst := netip.AddrFrom4([4]byte{172, 16, byte(i >> 8), byte(i)})
		if err := bt.NeighAdd(rtm.NeighSpec{Index: l.Index(), Dst: dst, LLAddr: net.HardwareAddr{2, 0, 0, 0, byte(i >> 8), byte(i)}}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := bt.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	return h
}

// rawDumps dumps what Open loads and only counts it: the floor a
// database's start-up is measured against.
func rawDumps(b *testing.B, h *rtm.Handle) {
	ctx := context.Background()
	n := 0
	count := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	for _, err := range h.Links(ctx, nil) {
		count(err)
	}
	for _, err := range h.Addrs(ctx, nil) {
		count(err)
	}
	for _, err := range h.Routes(ctx, nil) {
		count(err)
	}
	for _, err := range h.Rules(ctx, nil) {
		count(err)
	}
	for _, err := range h.Neighs(ctx, nil) {
		count(err)
	}
	if n < 110000 {
		b.Fatalf("%d objects", n)
	}
}

// BenchmarkOpen opens a database over 100 000 routes and 10 000
// neighbours and, in the same iteration, runs the raw dumps of the same
// objects (rawDumps), so that both see the same machine load. It reports
// each one's median time and the median of the per-iteration ratios
// (open/raw), which the target puts at 2 or less.
func BenchmarkOpen(b *testing.B) {
	h := startupNamespace(b)
	ctx := context.Background()
	var opens, raws, ratios []float64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		start := time.Now()
		rawDumps(b, h)
		raw := time.Since(start)
		b.StartTimer()
		start = time.Now()
		db, err := Open(ctx, h)
		if err != nil {
			b.Fatal(err)
		}
		open := time.Since(start)
		b.StopTimer()
		if s := db.Snapshot(); s.NumRoutes() < 100000 || s.NumNeighs() < 10000 {
			b.Fatalf("%d routes, %d neighbours", s.NumRoutes(), s.NumNeighs())
		}
		db.Close()
		b.StartTimer()
		opens, raws = append(opens, float64(open)), append(raws, float64(raw))
		ratios = append(ratios, float64(open)/float64(raw))
	}
	b.ReportMetric(median(opens)/1e6, "ms-open")
	b.ReportMetric(median(raws)/1e6, "ms-raw")
	b.ReportMetric(median(ratios), "open/raw")
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// BenchmarkMemoryPerRoute reports the heap the cache takes per IPv4 route
// at 100 000 routes.
func BenchmarkMemoryPerRoute(b *testing.B) {
	h, ns := setup(b)
	per := memoryPerRoute(b, h, ns, 100000)
	for i := 0; i < b.N; i++ {
	}
	b.ReportMetric(per, "B/route")
	if per > 200 {
		b.Fatalf("%.0f bytes per route", per)
	}
}

// BenchmarkCommit1000Routes commits a transaction of 1000 routes.
func BenchmarkCommit1000Routes(b *testing.B) {
	h, ns := setup(b)
	nstest.IP(b, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(b, ns, "link", "set", "d0", "up")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := Open(ctx, h)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tx := db.Begin()
		d0 := tx.Interface("d0")
		for j := 0; j < 1000; j++ {
			d0.AddRoute(rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), byte(j >> 8), byte(j)}), 32), Table: 300})
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
