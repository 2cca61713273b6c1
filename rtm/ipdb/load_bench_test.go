package ipdb

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"testing"

	"github.com/ipr-go/ipr/rtm"
)

// agentNamespace fills a throwaway namespace as a node running a few
// hundred containers looks to a CNI plugin: 400 links with an address
// each, and 3000 routes.
func agentNamespace(b *testing.B) *rtm.Handle {
	h, ns := setup(b)
	addRoutes(b, h, ns, 3000)
	ctx := context.Background()
	bt := h.NewBatch()
	for i := 1; i < 400; i++ {
		if err := bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("c%d", i), Kind: &rtm.Ifb{}}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := bt.Run(ctx); err != nil {
		b.Fatal(err)
	}
	bt = h.NewBatch()
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		i := l.Index()
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 20, byte(i >> 8), byte(i)}), 16)
		if err := bt.AddrAdd(rtm.AddrSpec{Index: i, Prefix: p}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := bt.Run(ctx); err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkOpenAndCommit measures what a short-lived process pays for
// opening a database and committing one small change (an MTU) on a
// namespace of 400 links and 3000 routes: with every kind of object
// loaded, with links only, with links and addresses, and rtm making the
// same change without a database.
func BenchmarkOpenAndCommit(b *testing.B) {
	h := agentNamespace(b)
	ctx := context.Background()
	benchOpen(b, h, []openScope{
		{"all", nil},
		{"links", []Option{WithKinds(KindLinks)}},
		{"links+addrs", []Option{WithKinds(KindAddrs)}},
		{"links+main", []Option{WithKinds(KindRoutes), WithRouteTables(254)}},
	}, func(b *testing.B, db *DB, i int) {
		tx := db.Begin()
		tx.Interface("c7").SetMTU(1400 + uint32(i%2))
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("rtm", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l, err := h.LinkByName(ctx, "c7")
			if err != nil {
				b.Fatal(err)
			}
			if err := h.LinkSet(ctx, rtm.LinkSpec{Index: l.Index(), MTU: 1400 + uint32(i%2)}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOpen400Links measures Open alone, limited to links and not,
// on the same namespace.
func BenchmarkOpen400Links(b *testing.B) {
	benchOpen(b, agentNamespace(b), []openScope{
		{"all", nil},
		{"links", []Option{WithKinds(KindLinks)}},
	}, func(b *testing.B, db *DB, _ int) {
		if db.Snapshot().NumLinks() < 400 {
			b.Fatal("links missing")
		}
	})
}

// openScope is a set of Open's options that a benchmark compares.
type openScope struct {
	name string
	opts []Option
}

// benchOpen runs a sub-benchmark for each scope: each iteration opens a
// database on h with the scope's options, passes it to use with the
// sub-benchmark and the iteration's number, and closes it.
func benchOpen(b *testing.B, h *rtm.Handle, scopes []openScope, use func(b *testing.B, db *DB, i int)) {
	ctx := context.Background()
	for _, c := range scopes {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				db, err := Open(ctx, h, c.opts...)
				if err != nil {
					b.Fatal(err)
				}
				use(b, db, i)
				db.Close()
			}
		})
	}
}

// BenchmarkIgnoredRouteTable reports the heap a database holds over
// 100 000 routes in table 100, mirroring them and leaving the table out
// (pyroute2's ignore_rtables).
func BenchmarkIgnoredRouteTable(b *testing.B) {
	h, ns := setup(b)
	addRoutes(b, h, ns, 100000)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		opts []Option
	}{
		{"mirrored", nil},
		{"ignored", []Option{WithoutRouteTables(100)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var held float64
			for i := 0; i < b.N; i++ {
				base := heapInUse()
				db, err := Open(ctx, h, c.opts...)
				if err != nil {
					b.Fatal(err)
				}
				held = float64(heapInUse() - base)
				db.Close()
			}
			b.ReportMetric(held/1e6, "MB-held")
		})
	}
}

// heapInUse returns the live heap after collecting garbage.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
