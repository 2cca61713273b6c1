package rtm_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// fifty makes 50 calls on h, each with a short context, and fails the
// test unless every one succeeds: the handle is not wedged.
func fifty(t *testing.T, h *rtm.Handle, after string) {
	t.Helper()
	hostile.Calls(t, 50, 2*time.Second, after, func(ctx context.Context, i int) error {
		if i%2 == 0 {
			_, err := h.LinkByIndex(ctx, 1)
			return err
		}
		links, err := rtm.Collect(h.Links(ctx, nil))
		if err == nil && len(links) == 0 {
			err = errors.New("no links")
		}
		return err
	})
}

// TestNilContextRefused checks that the entry points refuse a nil context
// with an error before borrowing a socket. Links(nil, nil) used to panic
// with the borrowed socket's lock held and return it to the pool locked:
// the next call drawing it blocked forever, whatever its context.
func TestNilContextRefused(t *testing.T) {
	h, _ := handle(t)
	mon := monitor(t, h, []rtm.Group{rtm.GroupLink})
	var nilCtx context.Context
	lo := netip.MustParsePrefix("192.0.2.1/32")
	calls := []struct {
		name string
		call func() error
	}{
		{"Links", func() error { return testrun.FirstErr(h.Links(nilCtx, nil)) }},
		{"Addrs", func() error { return testrun.FirstErr(h.Addrs(nilCtx, nil)) }},
		{"Routes", func() error { return testrun.FirstErr(h.Routes(nilCtx, nil)) }},
		{"LinkByName", func() error { _, err := h.LinkByName(nilCtx, "lo"); return err }},
		{"LinkByIndex", func() error { _, err := h.LinkByIndex(nilCtx, 1); return err }},
		{"AddrAdd", func() error { return h.AddrAdd(nilCtx, rtm.AddrSpec{Index: 1, Prefix: lo}) }},
		{"RouteAdd", func() error {
			return h.RouteAdd(nilCtx, rtm.RouteSpec{Dst: netip.MustParsePrefix("198.51.100.0/24"), OutIndex: 1})
		}},
		{"Batch.Run", func() error {
			bt := h.NewBatch()
			if err := bt.AddrAdd(rtm.AddrSpec{Index: 1, Prefix: lo}); err != nil {
				return err
			}
			_, err := bt.Run(nilCtx)
			return err
		}},
		{"TunTapOpen", func() error { _, err := h.TunTapOpen(nilCtx, rtm.TunTap{}); return err }},
		{"Monitor.Events", func() error { return testrun.FirstErr(mon.Events(nilCtx)) }},
	}
	for _, c := range calls {
		hostile.Within(t, c.name+" with a nil context", func() {
			hostile.NoPanic(t, c.name, func() {
				if err := c.call(); err == nil || !strings.Contains(err.Error(), "nil context") {
					t.Errorf("%s(nil context) = %v, want a nil-context error", c.name, err)
				}
			})
		})
	}
	fifty(t, h, "after nil contexts")
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: 1, Family: unix.AF_INET}) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Prefix() == lo {
			t.Errorf("a change with a nil context was made: %v", a.Prefix())
		}
	}
}

// TestPanicNeverPoolsHeldSocket panics in the body of loops over dumps and
// in a batch's echo callback, then checks that the handle still serves 50
// calls with short contexts and that no descriptor or goroutine was left
// behind: a socket a panic carried out of its exchange is closed, not
// pooled (nor leaked, as it was after a panic in a batch callback).
func TestPanicNeverPoolsHeldSocket(t *testing.T) {
	h, ns := handle(t)
	nstest.IP(t, ns, "link", "set", "lo", "up") // local routes to dump
	mon := monitor(t, h, []rtm.Group{rtm.GroupLink})
	fifty(t, h, "before the panics") // warm the pool
	echoes := 0
	leaks := hostile.Baseline(t)
	var bodies = []struct {
		name string
		f    func()
	}{
		{"Links loop body", func() {
			for range h.Links(ctx, nil) {
				panic("loop body")
			}
		}},
		{"Routes loop body", func() {
			for range h.Routes(ctx, &rtm.RouteFilter{Table: unix.RT_TABLE_LOCAL}) {
				panic("loop body")
			}
		}},
		{"Collect's loop over Links", func() {
			// A panic while the socket is inside the iterator's
			// machinery rather than the caller's code.
			rtm.Collect(func(yield func(rtm.Link, error) bool) {
				for l, err := range h.Links(ctx, nil) {
					if !yield(l, err) {
						return
					}
					panic("inner")
				}
			})
		}},
		{"RunEcho callback", func() {
			bt := h.NewBatch()
			for range 3 {
				echoes++ // a new address each time, so that each is echoed
				if err := bt.AddrAdd(rtm.AddrSpec{Index: 1, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(echoes)}), 32)}); err != nil {
					t.Error(err)
				}
			}
			bt.RunEcho(ctx, func(int, wire.Message) error { panic("onEcho") })
		}},
		{"Monitor.Events loop body", func() { hostile.PanicInEvents(t, mon.Sync, mon.Events(ctx)) }},
	}
	for _, b := range bodies {
		hostile.Panics(t, b.name, 3, b.f)
		fifty(t, h, "after panics in "+b.name)
	}
	// The monitor too still works: its barrier comes through.
	hostile.Within(t, "a monitor barrier after panics", func() {
		id, err := mon.Sync()
		if err != nil {
			t.Error(err)
			return
		}
		for ev, err := range mon.Events(ctx) {
			if err != nil {
				t.Error(err)
				return
			}
			if ev.Sync == id {
				return
			}
		}
	})
	leaks("after the panics")
}

// TestFloodPooledSocket floods the handle's idle socket from another port
// until the sender gets EAGAIN, and checks that calls with no deadline all
// return: the first may report the overrun its reply was lost to
// (socket.ErrOverrun), the others must succeed. After an overrun the
// kernel drops replies silently until the queue is emptied, and the second
// call used to wait for one forever.
func TestFloodPooledSocket(t *testing.T) {
	h, ns := handle(t)
	call := func() error {
		_, err := h.LinkByIndex(context.Background(), 1)
		return err
	}
	hostile.FloodRounds(t, ns.Handle, func() []uint32 { return rtm.IdlePortIDs(h) }, call, func(flood func()) {
		links := 0
		for _, err := range h.Links(context.Background(), nil) {
			if err != nil {
				t.Errorf("dump: %v", err)
				return
			}
			if links++; links == 1 {
				flood()
			}
		}
		if links == 0 {
			t.Error("the dump yielded no link")
		}
	})
}

// TestBatchRunsOnce checks that a second Run or RunEcho sends nothing and
// says so: it used to send every request again.
func TestBatchRunsOnce(t *testing.T) {
	h, _ := handle(t)
	bt := h.NewBatch()
	p := netip.MustParsePrefix("192.0.2.7/32")
	if err := bt.AddrAdd(rtm.AddrSpec{Index: 1, Prefix: p}); err != nil {
		t.Fatal(err)
	}
	if _, err := bt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := bt.Run(ctx); err == nil || !strings.Contains(err.Error(), "already run") {
		t.Errorf("second Run = %v, want an already-run error", err)
	}
	if _, err := bt.RunEcho(ctx, nil); err == nil || !strings.Contains(err.Error(), "already run") {
		t.Errorf("RunEcho after Run = %v, want an already-run error", err)
	}
	// Nothing was sent again: deleting the address once leaves none.
	if err := h.AddrDel(ctx, rtm.AddrSpec{Index: 1, Prefix: p}); err != nil {
		t.Fatal(err)
	}
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: 1, Family: unix.AF_INET}) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Prefix() == p {
			t.Errorf("%v is still there: a second Run added it again", p)
		}
	}
}

// TestRunEchoOverrunUsesEchoes runs a batch of address additions with
// echoes on a socket whose receive queue is too small for the echoes, so
// that overruns lose most of them. A request whose echo arrived succeeded,
// and must be reported so; only requests with neither echo nor error are
// of unknown outcome. All of them used to be reported unknown.
func TestRunEchoOverrunUsesEchoes(t *testing.T) {
	ns := nstest.New(t)
	h := dialIn(t, ns.Name, rtm.WithReceiveBufferSize(4096))
	const n = 1000
	bt := h.NewBatch()
	for i := range n {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}), 32)
		if err := bt.AddrAdd(rtm.AddrSpec{Index: 1, Prefix: p}); err != nil {
			t.Fatal(err)
		}
	}
	echoed := make([]bool, n)
	var results []error
	hostile.Within(t, "a batch with echoes and overruns", func() {
		results, _ = bt.RunEcho(ctx, func(i int, m wire.Message) error {
			if m.Header.Type == unix.RTM_NEWADDR {
				echoed[i] = true
			}
			return nil
		})
	})
	if len(results) != n {
		t.Fatalf("%d results for %d requests", len(results), n)
	}
	ok, unknown, echoes, denied := 0, 0, 0, 0
	for i, r := range results {
		switch {
		case r == nil:
			ok++
		case errors.Is(r, socket.ErrUnknownOutcome):
			unknown++
			if echoed[i] {
				if denied++; denied == 1 {
					t.Errorf("request %d: echoed, yet reported %v", i, r)
				}
			}
		default:
			t.Errorf("request %d: %v", i, r)
		}
		if echoed[i] {
			echoes++
		}
	}
	if denied > 0 {
		t.Errorf("%d of %d echoed requests reported of unknown outcome", denied, echoes)
	}
	if unknown == 0 || echoes == 0 {
		t.Fatalf("%d echoes, %d unknown outcomes: the test did not overrun as meant", echoes, unknown)
	}
	t.Logf("%d requests: %d echoed, %d succeeded, %d unknown", n, echoes, ok, unknown)
	// Every addition did succeed: the kernel has them all.
	addrs := 0
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: 1, Family: unix.AF_INET}) {
		if err != nil {
			t.Fatal(err)
		}
		if a.IP().As4()[0] == 10 {
			addrs++
		}
	}
	if addrs != n {
		t.Errorf("the kernel holds %d of the %d addresses", addrs, n)
	}
}

// TestPrefixLengthOutOfRange checks that a prefix built with a length
// beyond its address's (an IPv4 /33), which netip holds as invalid but
// with its address, is rejected as such, not as a missing prefix.
func TestPrefixLengthOutOfRange(t *testing.T) {
	h, _ := handle(t)
	v4, v6 := netip.MustParseAddr("198.51.100.0"), netip.MustParseAddr("2001:db8::")
	bad4, bad6 := netip.PrefixFrom(v4, 33), netip.PrefixFrom(v6, 129)
	good4 := netip.MustParsePrefix("198.51.100.0/24")
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"route dst", func() error { return h.RouteAdd(ctx, rtm.RouteSpec{Dst: bad4, OutIndex: 1}) },
			"rtm: route add 198.51.100.0: destination 198.51.100.0: prefix length out of range for IPv4 (0-32)"},
		{"route dst v6", func() error { return h.RouteAdd(ctx, rtm.RouteSpec{Dst: bad6, OutIndex: 1}) },
			"destination 2001:db8::: prefix length out of range for IPv6 (0-128)"},
		{"route src", func() error {
			return h.RouteAdd(ctx, rtm.RouteSpec{Dst: netip.MustParsePrefix("2001:db8:1::/64"), Src: bad6, OutIndex: 1})
		}, "source 2001:db8::: prefix length out of range for IPv6"},
		{"batch route", func() error { return h.NewBatch().RouteAdd(rtm.RouteSpec{Dst: bad4, OutIndex: 1}) },
			"prefix length out of range for IPv4 (0-32)"},
		{"address", func() error { return h.AddrAdd(ctx, rtm.AddrSpec{Index: 1, Prefix: bad4}) },
			"rtm: address add 198.51.100.0: address 198.51.100.0: prefix length out of range for IPv4 (0-32)"},
		{"address peer", func() error {
			return h.AddrAdd(ctx, rtm.AddrSpec{Index: 1, Prefix: good4, Peer: bad4})
		}, "peer 198.51.100.0: prefix length out of range for IPv4"},
		{"rule src", func() error { return h.RuleAdd(ctx, rtm.RuleSpec{Src: bad4, Table: 100}) },
			"source 198.51.100.0: prefix length out of range for IPv4 (0-32)"},
		{"rule dst", func() error { return h.RuleAdd(ctx, rtm.RuleSpec{Dst: bad6, Table: 100}) },
			"destination 2001:db8::: prefix length out of range for IPv6"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
