package ipdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// startupNamespace fills a throwaway namespace with 100 000 IPv4 routes
// and 10 000 neighbours.
func startupNamespace(b *testing.B) *rtm.Handle {
	h, ns := setup(b)
	addRoutes(b, h, ns, benchRoutes())
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
	if n < benchRoutes()+10000 {
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
	var m pairedMedians
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
		if s := db.Snapshot(); s.NumRoutes() < benchRoutes() || s.NumNeighs() < 10000 {
			b.Fatalf("%d routes, %d neighbours", s.NumRoutes(), s.NumNeighs())
		}
		db.Close()
		b.StartTimer()
		m.add(open, raw)
	}
	m.report(b, "open", "raw")
}

// pairedMedians are the times of two sides a benchmark measures in each
// iteration, under the same machine load, and their ratios.
type pairedMedians struct{ a, b, ratios []float64 }

func (m *pairedMedians) add(a, b time.Duration) {
	m.a, m.b = append(m.a, float64(a)), append(m.b, float64(b))
	m.ratios = append(m.ratios, float64(a)/float64(b))
}

// report reports the median time of each side, in ms-A and ms-B, and
// the median of the per-iteration ratios, in A/B.
func (m *pairedMedians) report(tb *testing.B, a, b string) {
	tb.ReportMetric(median(m.a)/1e6, "ms-"+a)
	tb.ReportMetric(median(m.b)/1e6, "ms-"+b)
	tb.ReportMetric(median(m.ratios), a+"/"+b)
}

// benchRoutes is the number of routes the start-up benchmarks load:
// 100 000, or IPR_BENCH_ROUTES (the targets also name 1 000 000).
func benchRoutes() int {
	if v, err := strconv.Atoi(os.Getenv("IPR_BENCH_ROUTES")); err == nil && v >= 1000 {
		return v
	}
	return 100000
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
	per := memoryPerRoute(b, h, ns, benchRoutes())
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

// txBench is a namespace of n routes (table 100, 10.x.y.z/32 through d0)
// with a database open on it.
type txBench struct {
	h   *rtm.Handle
	db  *DB
	dev int32
	n   int
}

func newTxBench(b *testing.B, n int) *txBench {
	h, ns := setup(b)
	addRoutes(b, h, ns, n)
	l, err := h.LinkByName(context.Background(), "d0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	db, err := Open(ctx, h)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if got := db.Snapshot().NumRoutes(); got < n {
		b.Fatalf("%d routes, want %d", got, n)
	}
	return &txBench{h: h, db: db, dev: l.Index(), n: n}
}

// existing returns the j-th of 1000 routes spread over the n routes
// addRoutes made.
func (t *txBench) existing(j int) rtm.RouteSpec {
	i := j * (t.n / 1000)
	return rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 32), OutIndex: t.dev, Table: 100}
}

// fresh returns the j-th of 1000 routes that do not exist.
func (t *txBench) fresh(j int) rtm.RouteSpec {
	return rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{11, 0, byte(j >> 8), byte(j)}), 32), OutIndex: t.dev, Table: 100}
}

func (t *txBench) batch(b *testing.B, add func(bt *rtm.Batch, j int) error, n int) []error {
	bt := t.h.NewBatch()
	for j := 0; j < n; j++ {
		if err := add(bt, j); err != nil {
			b.Fatal(err)
		}
	}
	res, err := bt.Run(context.Background())
	if res == nil && err != nil {
		b.Fatal(err)
	}
	return res
}

// unreachable is a change the kernel refuses: its gateway is on no subnet.
func (t *txBench) unreachable(j int) rtm.RouteSpec {
	s := t.existing(j)
	s.OutIndex, s.Gateway = 0, netip.MustParseAddr("192.0.2.99")
	return s
}

// eachRoute is the transaction side of benchTx1000 for one change to
// each of 1000 routes: change records the j-th on r in iteration i.
func eachRoute(ctx context.Context, change func(r *Routes, i, j int)) func(i int, tx *Tx) error {
	return func(i int, tx *Tx) error {
		r := tx.Routes()
		for j := 0; j < 1000; j++ {
			change(r, i, j)
		}
		return tx.Commit(ctx)
	}
}

// benchTx1000 measures, in each iteration, a transaction of 1000 route
// changes and rtm.Batch doing the same requests, and reports the median
// of each and of their ratio (tx/batch), which the target puts at 2 or
// less. setup and cleanup run untimed around both.
func benchTx1000(b *testing.B, t *txBench, tx func(i int, tx *Tx) error, batch func(i int) error, cleanup func(i int)) {
	ctx := context.Background()
	var m pairedMedians
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := tx(i, t.db.Begin()); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		b.StopTimer()
		cleanup(i)
		start = time.Now()
		if err := batch(i); err != nil {
			b.Fatal(err)
		}
		raw := time.Since(start)
		cleanup(i)
		if err := t.db.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		m.add(d, raw)
	}
	m.report(b, "tx", "batch")
}

// BenchmarkTx1000Routes commits transactions of 1000 route changes in a
// namespace of 100 000 routes (IPR_BENCH_ROUTES changes the number),
// against rtm.Batch doing the same requests: adding 1000 routes,
// changing 1000, removing 1000, and changing 1000 of which the last fails
// and the 999 others are rolled back.
func BenchmarkTx1000Routes(b *testing.B) {
	t := newTxBench(b, benchRoutes())
	ctx := context.Background()
	changed := func(i, j int) rtm.RouteSpec {
		s := t.existing(j)
		s.Metrics.MTU = uint32(1300 + i%2)
		return s
	}
	// Each change to the j-th route in iteration i, as the transaction
	// records it and as the batch sends it (a change alternates with the
	// transaction's), and the batch request that undoes it, if any.
	for _, c := range []struct {
		name  string
		tx    func(r *Routes, i, j int)
		batch func(bt *rtm.Batch, i, j int) error
		undo  func(bt *rtm.Batch, j int) error
	}{
		{"add", func(r *Routes, _, j int) { r.Add(t.fresh(j)) },
			func(bt *rtm.Batch, _, j int) error { return bt.RouteAdd(t.fresh(j)) },
			func(bt *rtm.Batch, j int) error { return bt.RouteDel(t.fresh(j)) }},
		{"change", func(r *Routes, i, j int) { r.Change(changed(i, j)) },
			func(bt *rtm.Batch, i, j int) error { return bt.RouteChange(changed(i+1, j)) }, nil},
		{"remove", func(r *Routes, _, j int) { r.Remove(t.existing(j)) },
			func(bt *rtm.Batch, _, j int) error { return bt.RouteDel(t.existing(j)) },
			func(bt *rtm.Batch, j int) error { return bt.RouteReplace(t.existing(j)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchTx1000(b, t, eachRoute(ctx, c.tx), func(i int) error {
				return errors.Join(t.batch(b, func(bt *rtm.Batch, j int) error { return c.batch(bt, i, j) }, 1000)...)
			}, func(int) {
				if c.undo != nil {
					t.batch(b, c.undo, 1000)
				}
			})
		})
	}
	b.Run("rollback", func(b *testing.B) {
		benchTx1000(b, t, func(i int, tx *Tx) error {
			r := tx.Routes()
			for j := 0; j < 999; j++ {
				r.Change(changed(i, j))
			}
			r.Change(t.unreachable(999))
			var ce *CommitError
			if err := tx.Commit(ctx); !errors.As(err, &ce) || ce.Rollback != nil {
				return fmt.Errorf("commit: %v", err)
			}
			return nil
		}, func(i int) error {
			// The same requests: 1000 changes, the last refused, and
			// 999 replaces that restore the routes.
			res := t.batch(b, func(bt *rtm.Batch, j int) error {
				if j == 999 {
					return bt.RouteChange(t.unreachable(j))
				}
				return bt.RouteChange(changed(i, j))
			}, 1000)
			if res[999] == nil {
				return errors.New("the last change did not fail")
			}
			return errors.Join(t.batch(b, func(bt *rtm.Batch, j int) error { return bt.RouteReplace(t.existing(998 - j)) }, 999)...)
		}, func(int) {})
	})
}

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
