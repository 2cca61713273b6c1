package ipdb

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The churn tests load a table of stable objects (stableN, fewer for
// links) that do not change while another goroutine adds and removes
// other objects of the same kind on the same link. Every load must end
// with either an error matching ErrInconsistent or every stable object:
// never fewer.
const (
	stableN = 3000
	// churnOps bounds a churner's changes (each an add and a delete), so
	// that it stops by itself whatever happens to the test.
	churnOps = 200000
)

// churnKind is one kind of object the churn tests load.
type churnKind struct {
	name string
	kind Kind
	n    int // stable objects
	// slow marks a kind whose changes take the kernel milliseconds
	// (links): its tests run fewer rounds, and fewer changes overflow
	// the monitor's buffer (its notifications are large).
	slow bool
	// stable adds the stable objects through a batch.
	stable func(bt *rtm.Batch, index int32, i int) error
	// churn adds and then removes the i-th other object.
	churn func(ctx context.Context, h *rtm.Handle, index int32, i int) error
	// count counts the stable objects in a snapshot.
	count func(s *Snapshot, index int32) int
	// isStable reports whether an event is about a stable object.
	isStable func(e Event) bool
}

// inStable reports whether a is one of the stable objects' addresses:
// 10.1.0.0/16. The churners use 10.2.0.0/16.
func inStable(a netip.Addr) bool { return netip.MustParsePrefix("10.1.0.0/16").Contains(a) }

// countIf counts the values of seq that keep keeps.
func countIf[T any](seq iter.Seq[T], keep func(T) bool) int {
	n := 0
	for v := range seq {
		if keep(v) {
			n++
		}
	}
	return n
}

func nthAddr(net byte, i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, net, byte(i >> 8), byte(i)})
}

var churnKinds = []churnKind{
	{
		name: "rules",
		kind: KindRules,
		n:    1000,
		stable: func(bt *rtm.Batch, _ int32, i int) error {
			return bt.RuleAdd(rtm.RuleSpec{Src: netip.PrefixFrom(nthAddr(1, i), 32), Table: 100, Priority: rtm.Some(uint32(1000 + i))})
		},
		churn: func(ctx context.Context, h *rtm.Handle, _ int32, i int) error {
			// Before the stable rules, so that their positions shift.
			s := rtm.RuleSpec{Src: netip.PrefixFrom(nthAddr(2, i%4096), 32), Table: 100, Priority: rtm.Some(uint32(500))}
			if err := h.RuleAdd(ctx, s); err != nil {
				return err
			}
			return h.RuleDel(ctx, s)
		},
		count: func(s *Snapshot, _ int32) int {
			return countIf(slices.Values(s.Rules()), func(r rtm.Rule) bool { return inStable(r.Src().Addr()) })
		},
		isStable: func(e Event) bool { r, ok := e.Rule(); return ok && inStable(r.Src().Addr()) },
	},
	{
		name: "links",
		kind: KindLinks,
		n:    300,
		slow: true,
		stable: func(bt *rtm.Batch, _ int32, i int) error {
			return bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("s%d", i), Kind: &rtm.Ifb{}})
		},
		churn: func(ctx context.Context, h *rtm.Handle, _ int32, i int) error {
			name := fmt.Sprintf("x%d", i%64)
			if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: name, Kind: &rtm.Ifb{}}); err != nil {
				return err
			}
			l, err := h.LinkByName(ctx, name)
			if err != nil {
				return err
			}
			return h.LinkDel(ctx, l.Index())
		},
		count: func(s *Snapshot, _ int32) int {
			return countIf(slices.Values(s.Links()), func(l rtm.Link) bool { return strings.HasPrefix(l.Name(), "s") })
		},
		isStable: func(e Event) bool { l, ok := e.Link(); return ok && strings.HasPrefix(l.Name(), "s") },
	},
	{
		name: "addresses",
		n:    stableN,
		kind: KindAddrs,
		stable: func(bt *rtm.Batch, index int32, i int) error {
			return bt.AddrAdd(rtm.AddrSpec{Index: index, Prefix: netip.PrefixFrom(nthAddr(1, i), 32)})
		},
		churn: func(ctx context.Context, h *rtm.Handle, index int32, i int) error {
			s := rtm.AddrSpec{Index: index, Prefix: netip.PrefixFrom(nthAddr(2, i%4096), 32), Scope: unix.RT_SCOPE_HOST}
			if err := h.AddrAdd(ctx, s); err != nil {
				return err
			}
			return h.AddrDel(ctx, s)
		},
		count: func(s *Snapshot, index int32) int {
			return countIf(slices.Values(s.Addrs(index, unix.AF_INET)), func(a rtm.Addr) bool { return inStable(a.IP()) })
		},
		isStable: func(e Event) bool { a, ok := e.Addr(); return ok && inStable(a.IP()) },
	},
	{
		name: "routes",
		n:    stableN,
		kind: KindRoutes,
		stable: func(bt *rtm.Batch, index int32, i int) error {
			return bt.RouteAdd(rtm.RouteSpec{Dst: netip.PrefixFrom(nthAddr(1, i), 32), OutIndex: index, Table: 100})
		},
		churn: func(ctx context.Context, h *rtm.Handle, index int32, i int) error {
			s := rtm.RouteSpec{Dst: netip.PrefixFrom(nthAddr(2, i%4096), 32), OutIndex: index, Table: 100}
			if err := h.RouteAdd(ctx, s); err != nil {
				return err
			}
			return h.RouteDel(ctx, s)
		},
		count: func(s *Snapshot, _ int32) int {
			return countIf(s.Routes(&RouteQuery{Table: 100}), func(r rtm.Route) bool { return inStable(r.Dst().Addr()) })
		},
		isStable: func(e Event) bool { r, ok := e.Route(); return ok && inStable(r.Dst().Addr()) },
	},
	{
		name: "neighbours",
		n:    stableN,
		kind: KindNeighs,
		stable: func(bt *rtm.Batch, index int32, i int) error {
			return bt.NeighAdd(rtm.NeighSpec{Index: index, Dst: nthAddr(1, i), LLAddr: net.HardwareAddr{2, 0, 0, 1, byte(i >> 8), byte(i)}})
		},
		churn: func(ctx context.Context, h *rtm.Handle, index int32, i int) error {
			s := rtm.NeighSpec{Index: index, Dst: nthAddr(2, i%4096), LLAddr: net.HardwareAddr{2, 0, 0, 2, byte(i >> 8), byte(i)}}
			if err := h.NeighAdd(ctx, s); err != nil {
				return err
			}
			return h.NeighDel(ctx, s)
		},
		count: func(s *Snapshot, index int32) int {
			return countIf(s.Neighs(index), func(nb rtm.Neigh) bool { return inStable(nb.Dst()) })
		},
		isStable: func(e Event) bool { n, ok := e.Neigh(); return ok && inStable(n.Dst()) },
	},
}

// churnFixture makes a namespace with a link d0 and k.n stable objects of
// k's kind, and returns a handle on it and d0's index.
func churnFixture(t *testing.T, k churnKind) (*rtm.Handle, *nstest.NS, int32) {
	h, ns := setup(t)
	return h, ns, addD0(t, h, ns, k.n, k.stable)
}

// churner adds and removes objects of k's kind on a handle of its own
// until stop is called or churnOps changes are made. It returns the
// number of changes made; it fails the test if a change fails.
type churner struct {
	done chan struct{}
	stop context.CancelFunc
	ops  atomic.Int64
	err  error
}

func startChurn(t *testing.T, ns *nstest.NS, k churnKind, index int32) *churner {
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &churner{done: make(chan struct{}), stop: cancel}
	go func() {
		defer close(c.done)
		defer h.Close()
		for i := 0; i < churnOps && ctx.Err() == nil; i++ {
			if err := k.churn(ctx, h, index, i); err != nil {
				if ctx.Err() == nil {
					c.err = err
				}
				return
			}
			c.ops.Add(1)
		}
	}()
	t.Cleanup(c.end)
	return c
}

// end stops the churner and waits for it.
func (c *churner) end() {
	c.stop()
	<-c.done
}

// awaitOpsOrQuota waits until the churner has made n changes, and reports
// whether it goes on: false when it has made all churnOps of them. It
// fails t if the churner stopped for another reason.
func (c *churner) awaitOpsOrQuota(t *testing.T, n int64) bool {
	for c.ops.Load() < n {
		select {
		case <-c.done:
			if c.err != nil || c.ops.Load() < churnOps {
				t.Fatalf("the churner stopped after %d changes: %v", c.ops.Load(), c.err)
			}
			return false
		default:
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// awaitOps waits until the churner has made n changes, or has stopped.
func (c *churner) awaitOps(t *testing.T, n int64) {
	for c.ops.Load() < n {
		select {
		case <-c.done:
			t.Fatalf("the churner stopped after %d changes: %v", c.ops.Load(), c.err)
		default:
		}
		time.Sleep(time.Millisecond)
	}
}

// checkLoad checks the outcome of a load under churn: an error matching
// ErrInconsistent, or every stable object.
func checkLoad(t *testing.T, k churnKind, what string, err error, got int) (failed bool) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrInconsistent) {
			t.Fatalf("%s: %v, which is not ErrInconsistent", what, err)
		}
		return true
	}
	if got != k.n {
		t.Fatalf("%s succeeded with %d of the %d stable %s", what, got, k.n, k.name)
	}
	return false
}

// rounds returns the number of loads a churn test makes of k's kind.
func (k churnKind) rounds(n int) int {
	if k.slow {
		return n / 4
	}
	return n
}

// TestOpenUnderChurn opens databases while another process changes
// objects of the same kind on the same link: none may miss a stable
// object. The old loader returned empty tables after three interrupted
// dumps.
func TestOpenUnderChurn(t *testing.T) {
	for _, k := range churnKinds {
		t.Run(k.name, func(t *testing.T) {
			h, ns, index := churnFixture(t, k)
			c := startChurn(t, ns, k, index)
			c.awaitOps(t, 10)
			ctx := context.Background()
			failures := 0
			for i := 0; i < k.rounds(40); i++ {
				db, err := Open(ctx, h)
				n := 0
				if err == nil {
					n = k.count(db.Snapshot(), index)
					db.Close()
				}
				if checkLoad(t, k, "Open", err, n) {
					failures++
				}
			}
			c.end()
			if c.err != nil {
				t.Fatal(c.err)
			}
			t.Logf("%d opens of %d failed under %d changes", failures, k.rounds(40), c.ops.Load())
			// Without churn, Open loads everything.
			db := open(t, h)
			if n := k.count(db.Snapshot(), index); n != k.n {
				t.Fatalf("quiet Open: %d of %d", n, k.n)
			}
		})
	}
}

// TestResyncUnderChurn resynchronises a database while another process
// changes objects: a Resync either succeeds with every stable object or
// fails and leaves the state as it was.
func TestResyncUnderChurn(t *testing.T) {
	for _, k := range churnKinds {
		t.Run(k.name, func(t *testing.T) {
			h, ns, index := churnFixture(t, k)
			db := open(t, h)
			c := startChurn(t, ns, k, index)
			c.awaitOps(t, 10)
			ctx := context.Background()
			failures := 0
			for i := 0; i < k.rounds(40); i++ {
				err := db.Resync(ctx)
				// Failed or not, the stable objects stay.
				if checkLoad(t, k, "Resync", err, k.count(db.Snapshot(), index)) {
					if n := k.count(db.Snapshot(), index); n != k.n {
						t.Fatalf("a failed Resync left %d of %d", n, k.n)
					}
					failures++
				}
			}
			c.end()
			if c.err != nil {
				t.Fatal(c.err)
			}
			t.Logf("%d resyncs of %d failed under %d changes", failures, k.rounds(40), c.ops.Load())
		})
	}
}

// TestOverrunResyncUnderChurn makes the database overrun (a small monitor
// buffer and a stalled reader) while another process changes objects, so
// that it resynchronises under churn. It must never post the removal of a
// stable object, report each failed resynchronisation as an event, and
// end with every stable object.
func TestOverrunResyncUnderChurn(t *testing.T) {
	for _, k := range churnKinds {
		t.Run(k.name, func(t *testing.T) {
			h, ns, index := churnFixture(t, k)
			var mu sync.Mutex
			var lost []Event
			var failed []error
			db := open(t, h, WithMonitorOptions(rtm.WithMonitorBuffer(4096)), WithPostCallback(func(e Event) {
				mu.Lock()
				defer mu.Unlock()
				switch {
				case e.Type == EventResyncFailed:
					failed = append(failed, e.Err)
				case !e.IsNew() && k.isStable(e):
					lost = append(lost, e)
				}
			}))
			c := startChurn(t, ns, k, index)
			flood := int64(200)
			if k.slow {
				flood = 10
			}
			for round := 0; round < k.rounds(20); round++ {
				// Stall the reader until the churn has overflowed its
				// buffer, then let it resynchronise while the churn goes
				// on.
				release := make(chan struct{})
				remove := db.AddPreCallback(func(Event) bool { <-release; return true })
				base := c.ops.Load()
				more := c.awaitOpsOrQuota(t, base+flood)
				remove()
				close(release)
				// Until it tried, with the churn going on (or, on a
				// machine so loaded that the churner made all its
				// changes first, without).
				st := db.Stats()
				tried := st.Resyncs + st.ResyncFailures
				attempted := func(st Stats) bool { return st.Resyncs+st.ResyncFailures != tried }
				if round == 0 {
					awaitStats(t, db, "a resynchronisation attempt", attempted)
				} else if !pollStats(db, 10*time.Second, attempted) {
					// The churn did not overflow the new subscription
					// in time on a loaded machine: enough rounds. A
					// reader that is stuck fails the checks below.
					t.Logf("round %d: no overrun within 10 s", round)
					break
				}
				if !more {
					break // the churner made all its changes
				}
			}
			c.end()
			if c.err != nil {
				t.Fatal(c.err)
			}
			wait(t, db, "the stable objects", func(s *Snapshot) bool { return k.count(s, index) == k.n })
			if err := db.Err(); err != nil {
				t.Fatal(err)
			}
			if db.Stats().Overruns == 0 {
				t.Fatal("no overrun: the test did not storm")
			}
			// Under churn every attempt may have been inconsistent; once
			// the churn is over, the retries must succeed.
			awaitStats(t, db, "a successful resynchronisation", func(st Stats) bool { return st.Resyncs > 0 })
			st := db.Stats()
			checkMirror(t, db)
			mu.Lock()
			defer mu.Unlock()
			if len(lost) > 0 {
				t.Fatalf("the database posted the removal of %d stable %s, such as %v", len(lost), k.name, lost[0])
			}
			for _, err := range failed {
				if !errors.Is(err, ErrInconsistent) {
					t.Fatalf("a resynchronisation failed with %v, which is not ErrInconsistent", err)
				}
			}
			if uint64(len(failed)) > st.ResyncFailures {
				t.Fatalf("%d failure events, %d failures counted", len(failed), st.ResyncFailures)
			}
			t.Logf("%d overruns, %d resyncs, %d failed, under %d changes", st.Overruns, st.Resyncs, st.ResyncFailures, c.ops.Load())
		})
	}
}

// overrun stalls db's reader while a batch makes more notifications than
// its monitor buffer holds, then lets it go: the database overruns.
func overrun(t *testing.T, db *DB, h *rtm.Handle, index int32, round byte) {
	t.Helper()
	release := make(chan struct{})
	remove := db.AddPreCallback(func(Event) bool { <-release; return true })
	defer close(release)
	defer remove()
	bt := h.NewBatch()
	for i := 0; i < 2000; i++ {
		if err := bt.RouteAdd(rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 100 + round, byte(i >> 8), byte(i)}), 32), OutIndex: index, Table: 100}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bt.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestOverrunResyncFailureRetried makes the resynchronisation after an
// overrun fail: the database must post the failure as an event, keep its
// state, try again, and end equal to the kernel once a resynchronisation
// succeeds. Closing it while it waits to try again must not wait for the
// retries.
func TestOverrunResyncFailureRetried(t *testing.T) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	events := make(chan Event, 100)
	db := open(t, h, WithMonitorOptions(rtm.WithMonitorBuffer(4096)), WithPostCallback(func(e Event) {
		if e.Type == EventResyncFailed {
			events <- e
		}
	}))
	d0, _ := db.Snapshot().LinkByName("d0")
	fault := errors.Join(ErrInconsistent, errors.New("injected"))
	var calls atomic.Int32
	failThrice := func() error {
		if calls.Add(1) <= 3 {
			return fault
		}
		return nil
	}
	db.loadFault.Store(&failThrice)
	overrun(t, db, h, d0.Index(), 0)
	for i := 0; i < 3; i++ {
		select {
		case e := <-events:
			if !errors.Is(e.Err, fault) || !e.Synthetic || e.IsNew() {
				t.Fatalf("event %v", e)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%d failure events, want 3", i)
		}
	}
	wait(t, db, "the routes", func(s *Snapshot) bool { return countTable(s, 100) == 2000 })
	if st := db.Stats(); st.Overruns == 0 || st.ResyncFailures != 3 || st.Resyncs == 0 {
		t.Fatalf("stats %+v", st)
	}
	if err := db.Err(); err != nil {
		t.Fatal(err)
	}
	checkMirror(t, db)
	if len(events) != 0 {
		t.Fatalf("%d more failure events", len(events))
	}

	// A resynchronisation that keeps failing: the database keeps its
	// state and retries; Close ends the retries.
	db2 := open(t, h, WithMonitorOptions(rtm.WithMonitorBuffer(4096)), WithPostCallback(func(e Event) {
		if e.Type == EventResyncFailed {
			select {
			case events <- e:
			default:
			}
		}
	}))
	failAlways := func() error { return fault }
	db2.loadFault.Store(&failAlways)
	before := db2.Snapshot()
	overrun(t, db2, h, d0.Index(), 1)
	for i := 0; i < 2; i++ {
		select {
		case <-events:
		case <-time.After(10 * time.Second):
			t.Fatal("no failure event")
		}
	}
	if s := db2.Snapshot(); countTable(s, 100) > countTable(before, 100)+2000 || len(s.IPv4(d0.Index())) != 1 {
		t.Fatalf("the state changed by more than the notifications read: %d routes", countTable(s, 100))
	}
	if err := db2.Err(); err != nil {
		t.Fatalf("the reader stopped: %v", err)
	}
	db2.Close()
	if err := db2.Resync(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Resync after Close: %v", err)
	}
}

// TestConsistentRetries checks the retry loop: inconsistencies are tried
// again a bounded number of times and then reported, other errors at
// once.
func TestConsistentRetries(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := consistent(ctx, "things", func() error { calls++; return wire.ErrDumpInterrupted })
	if calls != loadAttempts || !errors.Is(err, ErrInconsistent) || !errors.Is(err, wire.ErrDumpInterrupted) {
		t.Fatalf("interrupted: %d calls, %v", calls, err)
	}
	calls = 0
	err = consistent(ctx, "things", func() error {
		if calls++; calls < 3 {
			return fmt.Errorf("x: %w", errDuplicate)
		}
		return nil
	})
	if calls != 3 || err != nil {
		t.Fatalf("duplicates: %d calls, %v", calls, err)
	}
	calls = 0
	err = consistent(ctx, "things", func() error { calls++; return unix.EPERM })
	if calls != 1 || !errors.Is(err, unix.EPERM) || errors.Is(err, ErrInconsistent) {
		t.Fatalf("other error: %d calls, %v", calls, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	calls = 0
	err = consistent(cctx, "things", func() error { calls++; return wire.ErrDumpInterrupted })
	if calls != 1 || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %d calls, %v", calls, err)
	}
}

// awaitStats waits, boundedly, until cond holds for db's counters.
func awaitStats(t *testing.T, db *DB, what string, cond func(Stats) bool) {
	t.Helper()
	if !pollStats(db, time.Minute, cond) {
		t.Fatalf("no %s within a minute: %+v", what, db.Stats())
	}
}

// pollStats reports whether cond holds for db's counters within d.
func pollStats(db *DB, d time.Duration, cond func(Stats) bool) bool {
	deadline := time.Now().Add(d)
	for !cond(db.Stats()) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}
