package genl_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// hostileCtx bounds a hostile test's calls: far beyond what they need, so
// that it never decides a passing run on a loaded machine.
func hostileCtx(t *testing.T) context.Context {
	return testrun.Context(t, 2*time.Minute)
}

// dialHostile opens a handle in a throwaway namespace.
func dialHostile(t *testing.T, opts ...genl.Option) (*genl.Handle, *nstest.NS) {
	t.Helper()
	ns := nstest.New(t)
	h := genltest.Dial(t, append([]genl.Option{genl.WithNetns(ns.Name)}, opts...)...)
	return h, ns
}

// getFamily asks nlctrl for the family called name, a query on one of
// the handle's sockets that every kernel answers (nlctrl itself is never
// missing).
func getFamily(ctx context.Context, h *genl.Handle, name string) error {
	got := ""
	err := h.Query(ctx, genl.Ctrl, genl.Request{
		Command: unix.CTRL_CMD_GETFAMILY,
		Attrs:   func(e *nla.Encoder) { e.String(unix.CTRL_ATTR_FAMILY_NAME, name) },
	}, func(m genl.Message) error {
		f, err := genl.ParseFamily(m)
		got = f.Name
		return err
	})
	if err == nil && got != name {
		err = fmt.Errorf("asked for family %s, got %q", name, got)
	}
	return err
}

// firstErr returns the first error an iterator yields, or nil, and how
// many items came before it.
func firstErr[T any](seq func(func(T, error) bool)) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// panicInLoop runs the dump seq with a loop body that panics. Where the
// kernel lacks the dump's family (have is false) it panics before, as
// the loop body would never run.
func panicInLoop[T any](seq iter.Seq2[T, error], have bool, family string) {
	if !have {
		panic(family + " missing: nothing to dump")
	}
	for range seq {
		panic("loop body")
	}
}

// fiftyCalls makes 50 calls on h, each with its own bounded context, and
// fails the test unless every one succeeds: the handle is not wedged.
func fiftyCalls(t *testing.T, h *genl.Handle, after string) {
	t.Helper()
	hostile.Calls(t, 50, 30*time.Second, after, func(ctx context.Context, i int) error {
		if i%2 == 0 {
			return getFamily(ctx, h, "nlctrl")
		}
		n, err := firstErr(nlctrl.Families(ctx, h))
		if err == nil && n == 0 {
			err = errors.New("nlctrl dumped no family")
		}
		return err
	})
}

// ctrlNotify subscribes a monitor of h to nlctrl's notify group.
func ctrlNotify(t *testing.T, h *genl.Handle) *genl.Monitor {
	t.Helper()
	mon, err := h.Monitor(genl.Subscription{Family: genl.Ctrl, Group: "notify"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mon.Close() })
	return mon
}

// waitInBackground iterates mon's events on a goroutine of its own until
// an error, which it sends on the channel it returns.
func waitInBackground(mon *genl.Monitor) <-chan error {
	done := make(chan error, 1)
	go func() {
		for _, err := range mon.Events(context.Background()) {
			if err != nil {
				done <- err
				return
			}
		}
		done <- errors.New("Events ended without an error")
	}()
	return done
}

// awaitSync runs a barrier through mon and waits for it: the monitor
// still works.
func awaitSync(t *testing.T, ctx context.Context, mon *genl.Monitor, what string) {
	t.Helper()
	hostile.Within(t, "a monitor barrier "+what, func() {
		id, err := mon.Sync()
		if err != nil {
			t.Errorf("Sync %s: %v", what, err)
			return
		}
		for ev, err := range mon.Events(ctx) {
			if err != nil {
				t.Errorf("Events %s: %v", what, err)
				return
			}
			if ev.Sync == id {
				return
			}
		}
		t.Errorf("Events %s ended before the barrier", what)
	})
}

// TestHostilePanics panics in the body of loops over dumps and monitors,
// and in every callback the API takes, three times each, then checks that
// the handle still serves 50 calls, that the monitor still delivers, and
// that no descriptor or goroutine was left behind: a socket a panic
// carried out of its exchange is closed, not pooled.
func TestHostilePanics(t *testing.T) {
	h, ns := dialHostile(t)
	ctx := hostileCtx(t)
	mon := ctrlNotify(t, h)
	haveNetdev := nstest.Have(t, "genl:netdev")
	haveEthtool := nstest.Have(t, "genl:ethtool")
	haveMPTCP := nstest.Have(t, "genl:mptcp_pm")
	// The first lookup of a family opens the cache's watch socket; ethtool
	// dumps lo, the MPTCP dump an endpoint.
	if haveNetdev {
		if _, err := netdev.Family(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	if haveMPTCP {
		nstest.IP(t, ns, "mptcp", "endpoint", "add", "10.0.0.1", "id", "1")
	}
	fiftyCalls(t, h, "before the panics") // warm the pool
	getFam := genl.Request{
		Command: unix.CTRL_CMD_GETFAMILY,
		Attrs:   func(e *nla.Encoder) { e.String(unix.CTRL_ATTR_FAMILY_NAME, "nlctrl") },
	}
	leaks := hostile.Baseline(t)
	bodies := []struct {
		name string
		f    func()
	}{
		{"nlctrl.Families loop body", func() { panicInLoop(nlctrl.Families(ctx, h), true, "nlctrl") }},
		{"Handle.Dump loop body", func() {
			panicInLoop(h.Dump(ctx, genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}), true, "nlctrl")
		}},
		{"DumpFamily's parse", func() {
			for range genl.DumpFamily(ctx, h, "nlctrl", genl.Request{Command: unix.CTRL_CMD_GETFAMILY},
				func(genl.Message) (int, error) { panic("parse") }) {
			}
		}},
		{"QueryFamily's parse", func() {
			genl.QueryFamily(ctx, h, "nlctrl", getFam, func(genl.Message) (int, error) { panic("parse") })
		}},
		{"Handle.Query callback", func() {
			h.Query(ctx, genl.Ctrl, getFam, func(genl.Message) error { panic("onReply") })
		}},
		{"Handle.Do callback", func() {
			h.Do(ctx, genl.Ctrl, getFam, func(genl.Message) error { panic("onReply") })
		}},
		{"Handle.Batch callback", func() {
			h.Batch(ctx, genl.Ctrl, []genl.Request{getFam, getFam, getFam},
				func(int, genl.Message) error { panic("onReply") })
		}},
		{"netdev.Devices loop body", func() { panicInLoop(netdev.Devices(ctx, h), haveNetdev, "netdev") }},
		{"ethtool.AllFeatures loop body", func() { panicInLoop(ethtool.AllFeatures(ctx, h), haveEthtool, "ethtool") }},
		{"mptcp.Endpoints loop body", func() { panicInLoop(mptcp.Endpoints(ctx, h), haveMPTCP, "mptcp_pm") }},
		{"netdev monitor loop body", func() {
			if !haveNetdev {
				panic("netdev missing: no monitor")
			}
			m, err := netdev.Monitor(ctx, h)
			if err != nil {
				t.Error(err)
				panic("no monitor")
			}
			defer m.Close()
			hostile.PanicInEvents(t, m.Sync, m.Events(ctx))
		}},
		{"Monitor.Events loop body", func() { hostile.PanicInEvents(t, mon.Sync, mon.Events(ctx)) }},
	}
	for _, b := range bodies {
		hostile.Panics(t, b.name, 3, b.f)
		fiftyCalls(t, h, "after panics in "+b.name)
	}
	awaitSync(t, ctx, mon, "after the panics")
	leaks("after the panics")
}

// TestHostileFlood floods the handle's idle socket from another port of
// the namespace until the sender gets EAGAIN, and checks that calls with
// no deadline all return: the first may report the overrun its reply was
// lost to (socket.ErrOverrun), the others must succeed. It floods again in
// the middle of a dump, from the loop body.
func TestHostileFlood(t *testing.T) {
	h, ns := dialHostile(t)
	call := func() error { return getFamily(context.Background(), h, "nlctrl") }
	hostile.CallsAfterFlood(t, "before the floods", call) // a socket in the pool
	hostile.FloodRounds(t, ns.Handle, func() []uint32 { return genl.IdlePortIDs(h) }, call, func(flood func()) {
		families := 0
		for _, err := range nlctrl.Families(context.Background(), h) {
			if err != nil {
				// The flood may overrun the dump's own replies: an
				// error, never a short dump.
				if !errors.Is(err, socket.ErrOverrun) {
					t.Errorf("dump: %v", err)
				}
				return
			}
			if families++; families == 1 {
				flood()
			}
		}
		if families < 2 {
			t.Errorf("the dump yielded %d families", families)
		}
	})
}

// bigDump returns a dump that spans several datagrams: ethtool's features
// of 21 devices, in full bitsets, some 90 KiB; and how many messages it
// has.
func bigDump(t *testing.T, ctx context.Context, h *genl.Handle, ns *nstest.NS) (func(context.Context) iter.Seq2[genl.Message, error], int) {
	t.Helper()
	nstest.Require(t, "genl:ethtool")
	addVeths(t, ns, 10)
	f, err := ethtool.Family(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	features := func(ctx context.Context) iter.Seq2[genl.Message, error] {
		return h.Dump(ctx, f, ethtool.FeaturesGetRequest(nil))
	}
	n, size := 0, 0
	for m, err := range features(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		size += len(m.Attrs) + 20
	}
	if size < 64<<10 {
		// One datagram of the kernel's holds at most 32 KiB, and a
		// dump is built one datagram per read: 3 or more.
		t.Fatalf("the features dump is %d bytes: too small to span 3 datagrams", size)
	}
	return features, n
}

// TestHostileCancelMidDump cancels a dump's context from the body of the
// loop over it: the dump ends with context.Canceled, and the socket the
// rest of the dump was left in serves the next 50 calls.
func TestHostileCancelMidDump(t *testing.T) {
	h, ns := dialHostile(t)
	ctx := hostileCtx(t)
	features, want := bigDump(t, ctx, h, ns)
	for round := range 3 {
		hostile.Within(t, "a dump cancelled midway", func() {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			n := 0
			for _, err := range features(cctx) {
				if err != nil {
					if !errors.Is(err, context.Canceled) {
						t.Errorf("round %d: the dump ended with %v, want context.Canceled", round, err)
					}
					return
				}
				if n++; n == 1 {
					cancel()
				}
			}
			t.Errorf("round %d: the dump yielded all %d of %d messages though cancelled", round, n, want)
		})
		fiftyCalls(t, h, fmt.Sprintf("after a cancelled dump (round %d)", round))
	}
}

// TestHostileCancelMidMonitor cancels a monitor's context from the body
// of the loop over its events, with more events queued: the next thing
// the loop sees is context.Canceled, and the monitor still works.
func TestHostileCancelMidMonitor(t *testing.T) {
	h, _ := dialHostile(t)
	ctx := hostileCtx(t)
	mon := ctrlNotify(t, h)
	for round := range 3 {
		var last uint32
		for range 10 {
			id, err := mon.Sync()
			if err != nil {
				t.Fatal(err)
			}
			last = id
		}
		hostile.Within(t, "a monitor cancelled midway", func() {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			n := 0
			for ev, err := range mon.Events(cctx) {
				if err != nil {
					if n != 1 || !errors.Is(err, context.Canceled) {
						t.Errorf("round %d: after %d events, %v; want context.Canceled after 1", round, n, err)
					}
					return
				}
				if n++; n == 1 {
					cancel()
				} else if ev.Sync == last {
					break
				}
			}
			t.Errorf("round %d: %d events though cancelled after the first", round, n)
		})
		awaitSync(t, ctx, mon, fmt.Sprintf("after a cancelled monitor (round %d)", round))
	}
}

// TestHostileCloseDuringCall closes the handle from the body of a loop
// over a dump that spans several datagrams (ethtool's features of 21
// devices, in full bitsets: some 90 KiB) and while a monitor waits: each returns promptly, the
// dump with an error, the monitor with an error, and every later call
// says the handle is closed.
func TestHostileCloseDuringCall(t *testing.T) {
	h, ns := dialHostile(t)
	ctx := hostileCtx(t)
	features, want := bigDump(t, ctx, h, ns)
	mon := ctrlNotify(t, h)
	monErr := waitInBackground(mon)
	hostile.Within(t, "a dump whose handle is closed midway", func() {
		n, err := firstErr(func(yield func(genl.Message, error) bool) {
			first := true
			for m, err := range features(ctx) {
				if first {
					first = false
					h.Close()
				}
				if !yield(m, err) {
					return
				}
			}
		})
		if !errors.Is(err, net.ErrClosed) && !errors.Is(err, genl.ErrClosed) {
			t.Errorf("the dump ended after %d messages of %d with %v, want a closed-handle error", n, want, err)
		}
		t.Logf("closed midway, the dump yielded %d messages of %d, then %v", n, want, err)
	})
	if _, err := firstErr(nlctrl.Families(ctx, h)); !errors.Is(err, genl.ErrClosed) {
		t.Errorf("a dump after Close: %v, want ErrClosed", err)
	}
	if err := getFamily(ctx, h, "nlctrl"); !errors.Is(err, genl.ErrClosed) {
		t.Errorf("a query after Close: %v, want ErrClosed", err)
	}
	// The monitor is closed by its own Close (it is not one of the
	// handle's pooled sockets); a waiting Events returns with an error.
	mon.Close()
	hostile.Within(t, "a waiting monitor closed", func() {
		if err := <-monErr; err == nil {
			t.Error("no error")
		}
	})
}

// TestHostileConcurrent runs 50 goroutines over one handle, mixing
// families, dumps, queries and the family cache (Forget); run with -race.
func TestHostileConcurrent(t *testing.T) {
	h, ns := dialHostile(t)
	ctx := hostileCtx(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	have := map[string]bool{}
	for _, f := range []string{"netdev", "ethtool", "tcp_metrics", "mptcp_pm"} {
		have[f] = nstest.Have(t, "genl:"+f)
	}
	lo := ethtool.Device{Name: "lo"}
	calls := []func() error{
		func() error { return getFamily(ctx, h, "nlctrl") },
		func() error {
			n, err := firstErr(nlctrl.Families(ctx, h))
			if err == nil && n == 0 {
				err = errors.New("nlctrl dumped no family")
			}
			return err
		},
		func() error { h.Forget("netdev"); return nil },
		func() error {
			if !have["netdev"] {
				return nil
			}
			n, err := firstErr(netdev.Devices(ctx, h))
			if err == nil && n != 1 {
				err = fmt.Errorf("netdev dumped %d devices, want lo alone", n)
			}
			return err
		},
		func() error {
			if !have["ethtool"] {
				return nil
			}
			s, err := ethtool.GetFeatures(ctx, h, lo)
			if err == nil && s.Name != "lo" {
				err = fmt.Errorf("features of %q, want lo", s.Name)
			}
			return err
		},
		func() error {
			if !have["tcp_metrics"] {
				return nil
			}
			_, err := firstErr(tcpmetrics.Dump(ctx, h))
			return err
		},
		func() error {
			if !have["mptcp_pm"] {
				return nil
			}
			_, err := firstErr(mptcp.Endpoints(ctx, h))
			return err
		},
	}
	var errs []error
	hostile.Within(t, "50 goroutines on one handle", func() {
		errs = testrun.Parallel(50, 20, func(g, i int) error { return calls[(g+i)%len(calls)]() })
	})
	for _, err := range errs {
		t.Error(err)
	}
}

// TestHostileCloseUnderLoad closes a handle while 50 goroutines call it
// in a loop: every goroutine stops promptly on an error saying the handle
// (or its socket) is closed, nothing panics or races, and every
// descriptor and goroutine of the handle is gone afterwards.
func TestHostileCloseUnderLoad(t *testing.T) {
	ns := nstest.New(t)
	ctx := hostileCtx(t)
	leaks := hostile.Baseline(t)
	h, err := genl.Dial(genl.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	haveNetdev := nstest.Have(t, "genl:netdev")
	var calls atomic.Int64
	busy := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				var err error
				switch (g + i) % 3 {
				case 0:
					err = getFamily(ctx, h, "nlctrl")
				case 1:
					_, err = firstErr(nlctrl.Families(ctx, h))
				default:
					if haveNetdev {
						_, err = firstErr(netdev.Devices(ctx, h))
					} else {
						_, err = h.Family(ctx, "nlctrl")
					}
				}
				if err != nil {
					errs <- err
					return
				}
				if calls.Add(1) == 500 {
					once.Do(func() { close(busy) })
				}
			}
		}()
	}
	hostile.Within(t, "500 calls before Close", func() { <-busy })
	h.Close()
	hostile.Within(t, "50 goroutines after Close", wg.Wait)
	close(errs)
	for err := range errs {
		if !errors.Is(err, genl.ErrClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("a call when the handle closed: %v, want a closed error", err)
		}
	}
	leaks("after Close under load")
}
