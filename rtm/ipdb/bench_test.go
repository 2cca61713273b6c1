package ipdb

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// BenchmarkStartup opens a database over 100 000 routes and 10 000
// neighbours, and, for comparison, runs the raw dumps of the same
// namespace that only count messages: the database's load should cost at
// most twice as much.
func BenchmarkStartup(b *testing.B) {
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
	ctx := context.Background()
	b.Run("raw-dumps", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			n := 0
			for _, err := range h.Links(ctx, nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			for _, err := range h.Addrs(ctx, nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			for _, err := range h.Routes(ctx, nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			for _, err := range h.Rules(ctx, nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			for _, err := range h.Neighs(ctx, nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n < 110000 {
				b.Fatalf("%d objects", n)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			db, err := Open(ctx, h)
			if err != nil {
				b.Fatal(err)
			}
			if s := db.Snapshot(); s.NumRoutes() < 100000 || s.NumNeighs() < 10000 {
				b.Fatalf("%d routes, %d neighbours", s.NumRoutes(), s.NumNeighs())
			}
			db.Close()
		}
	})
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
