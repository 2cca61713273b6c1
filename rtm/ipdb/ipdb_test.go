package ipdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

func setup(t testing.TB) (*rtm.Handle, *nstest.NS) {
	t.Helper()
	ns := nstest.New(t)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, ns
}

func open(t testing.TB, h *rtm.Handle, opts ...Option) *DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Open(ctx, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openWithD0 is a database with opts over a fresh namespace that has an
// ifb device d0 before the database loads.
func openWithD0(t testing.TB, opts ...Option) (*DB, *nstest.NS) {
	t.Helper()
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	return open(t, h, opts...), ns
}

func wait(t testing.TB, db *DB, what string, cond func(*Snapshot) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.Wait(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// checkMirror compares the database with a fresh dump of the kernel: the
// oracle is the kernel itself.
func checkMirror(t testing.TB, db *DB) {
	t.Helper()
	// Changes made behind the database's back may still be in flight (a
	// link going down also removes its IPv6 addresses, each with its own
	// notification): compare only once it has applied all of them.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	fresh, err := load(context.Background(), db.h, 0, &db.opts.scope)
	if err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	if d := diffStates(&snap.st, fresh); len(d) > 0 {
		var s []string
		for i, e := range d {
			if i == 20 {
				s = append(s, fmt.Sprintf("... %d more", len(d)-20))
				break
			}
			s = append(s, e.String())
		}
		t.Fatalf("database differs from the kernel by %d changes:\n%s", len(d), strings.Join(s, "\n"))
	}
	if snap.NumRoutes() != fresh.nroutes || snap.NumLinks() != fresh.links.n {
		t.Fatalf("counts: %d routes, %d links; kernel %d, %d", snap.NumRoutes(), snap.NumLinks(), fresh.nroutes, fresh.links.n)
	}
}

func TestMirrorsChangesBehindItsBack(t *testing.T) {
	db, ns := openWithD0(t)
	if _, ok := db.Snapshot().LinkByName("d0"); !ok {
		t.Fatal("d0 not loaded")
	}
	nstest.IP(t, ns, "link", "set", "d0", "up", "mtu", "1400")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	nstest.IP(t, ns, "-6", "addr", "add", "2001:db8::1/64", "dev", "d0", "nodad")
	nstest.IP(t, ns, "route", "add", "198.51.100.0/24", "via", "192.0.2.254", "metric", "5")
	nstest.IP(t, ns, "route", "add", "default", "via", "192.0.2.254")
	nstest.IP(t, ns, "route", "add", "203.0.113.0/24", "dev", "d0", "table", "1000")
	nstest.IP(t, ns, "rule", "add", "from", "10.0.0.0/8", "table", "1000", "priority", "100")
	nstest.IP(t, ns, "neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0")
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "set", "br0", "name", "br1")
	wait(t, db, "the changes", func(s *Snapshot) bool {
		d0, ok := s.LinkByName("d0")
		if !ok || d0.MTU() != 1400 || !d0.IsUp() {
			return false
		}
		_, err1 := s.Route(0, "198.51.100.0/24")
		if _, err := s.Route(0, "default"); err != nil {
			return false
		}
		_, err2 := s.Route(1000, "203.0.113.0/24")
		_, nok := s.Neigh(d0.Index(), netip.MustParseAddr("192.0.2.7"))
		_, br := s.LinkByName("br1")
		_, old := s.LinkByName("br0")
		return err1 == nil && err2 == nil && nok && br && !old && len(s.IPv4(d0.Index())) == 1 &&
			len(s.Rules()) > 0 && len(s.IPv6(d0.Index())) >= 1
	})
	s := db.Snapshot()
	d0, _ := s.LinkByName("d0")
	if got := s.IPv4(d0.Index()); got[0] != netip.MustParsePrefix("192.0.2.1/24") {
		t.Errorf("IPv4 of d0: %v", got)
	}
	r, err := s.Route(0, "198.51.100.0/24")
	if err != nil || r.Gateway() != netip.MustParseAddr("192.0.2.254") || r.Priority() != 5 {
		t.Errorf("route: %v %v", r.Gateway(), err)
	}
	if r, ok := s.FindRoute(RouteQuery{OutIndex: d0.Index(), Table: 1000}); !ok || r.Dst().String() != "203.0.113.0/24" {
		t.Errorf("FindRoute by device: %v %v", r.Dst(), ok)
	}
	if _, err := s.Route(0, "198.51.100.1/24"); err == nil {
		t.Error("a prefix with host bits was accepted")
	}
	if r, err := s.Route(0, "default"); err != nil || r.Dst() != netip.MustParsePrefix("0.0.0.0/0") {
		t.Errorf("default route: %v %v", r.Dst(), err)
	}
	if _, err := s.Route(0, "10.0.0.0/8"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing route: %v", err)
	}
	checkMirror(t, db)

	// Going down flushes the IPv4 routes through d0 without a
	// notification; deleting it takes the rest.
	nstest.IP(t, ns, "link", "set", "d0", "down")
	wait(t, db, "d0 down", func(s *Snapshot) bool {
		_, err := s.Route(1000, "203.0.113.0/24")
		return errors.Is(err, ErrNotFound)
	})
	checkMirror(t, db)
	nstest.IP(t, ns, "link", "del", "d0")
	wait(t, db, "d0 gone", func(s *Snapshot) bool { _, ok := s.LinkByName("d0"); return !ok })
	checkMirror(t, db)
}

func TestEventStormResync(t *testing.T) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	synthetic := make(chan struct{}, 1)
	db := open(t, h, WithMonitorOptions(rtm.WithMonitorBuffer(4096)), WithPostCallback(func(e Event) {
		if e.Synthetic {
			select {
			case synthetic <- struct{}{}:
			default:
			}
		}
	}))
	d0, _ := db.Snapshot().LinkByName("d0")
	// Stall the reader with a slow pre callback so that the kernel
	// drops events.
	release := make(chan struct{})
	remove := db.AddPreCallback(func(Event) bool { <-release; return true })
	ctx := context.Background()
	const n = 3000
	for round := 0; round < 2; round++ {
		bt := h.NewBatch()
		for i := 0; i < n; i++ {
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(round), byte(i >> 8), byte(i)}), 32)
			if err := bt.RouteAdd(rtm.RouteSpec{Dst: p, OutIndex: d0.Index(), Table: 100}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := bt.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	nstest.IP(t, ns, "route", "flush", "table", "100", "root", "10.1.0.0/16")
	nstest.IP(t, ns, "link", "add", "d1", "type", "ifb")
	remove()
	close(release)
	wait(t, db, "the storm", func(s *Snapshot) bool {
		_, ok := s.LinkByName("d1")
		return ok && countTable(s, 100) == n
	})
	if db.Stats().Overruns == 0 {
		t.Fatal("no overrun: the test did not storm")
	}
	checkMirror(t, db)
	// Post callbacks run on their own goroutine, maybe still behind.
	select {
	case <-synthetic:
	case <-time.After(10 * time.Second):
		t.Error("the resynchronisation posted no differences")
	}
}

func countTable(s *Snapshot, table uint32) int {
	n := 0
	for range s.Routes(&RouteQuery{Table: table}) {
		n++
	}
	return n
}

func TestCallbacks(t *testing.T) {
	h, ns := setup(t)
	var panics []error
	var mu sync.Mutex
	db := open(t, h, WithErrorHandler(func(err error) {
		mu.Lock()
		panics = append(panics, err)
		mu.Unlock()
	}))
	db.AddPreCallback(func(e Event) bool {
		l, ok := e.Link()
		return !ok || !l.NameIs("hidden")
	})
	db.AddPreCallback(func(e Event) bool {
		if l, ok := e.Link(); ok && l.NameIs("boom") {
			panic("pre boom")
		}
		return true
	})
	seen := make(chan string, 100)
	db.AddPostCallback(func(e Event) {
		if l, ok := e.Link(); ok && e.IsNew() {
			if l.NameIs("boom") {
				panic("post boom")
			}
			seen <- l.Name()
		}
	})
	for _, name := range []string{"hidden", "boom", "shown"} {
		nstest.IP(t, ns, "link", "add", name, "type", "ifb")
	}
	wait(t, db, "shown", func(s *Snapshot) bool { _, ok := s.LinkByName("shown"); return ok })
	s := db.Snapshot()
	if _, ok := s.LinkByName("hidden"); ok {
		t.Error("a pre callback's drop was ignored")
	}
	if _, ok := s.LinkByName("boom"); !ok {
		t.Error("a panicking pre callback dropped its event")
	}
	deadline := time.After(5 * time.Second)
	for got := ""; got != "shown"; {
		select {
		case got = <-seen:
			if got == "hidden" {
				t.Error("post callback saw a dropped event")
			}
		case <-deadline:
			t.Fatal("post callback never saw shown")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(panics) < 2 || db.Stats().CallbackPanics < 2 {
		t.Errorf("panics reported: %v", panics)
	}
	for _, p := range panics {
		var cp *CallbackPanic
		if !errors.As(p, &cp) {
			t.Errorf("not a CallbackPanic: %v", p)
		}
	}
}

func TestCloseLeavesNothing(t *testing.T) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	// The handle's own sockets, pooled for its later calls (one for
	// dumps, one that watches them), open on its first dump: not the
	// database's.
	for _, err := range h.Addrs(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	goroutines, fds := runtime.NumGoroutine(), hostile.OpenFDs(t)
	for i := 0; i < 3; i++ {
		db, err := Open(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		db.AddPostCallback(func(Event) {})
		nstest.IP(t, ns, "link", "set", "d0", "mtu", fmt.Sprint(1400+i))
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	// Goroutines that just returned may not have exited yet.
	var g int
	for i := 0; i < 100; i++ {
		if g = runtime.NumGoroutine(); g <= goroutines {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if g > goroutines {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after:\n%s", goroutines, g, buf[:runtime.Stack(buf, true)])
	}
	if f := hostile.OpenFDs(t); f > fds {
		t.Fatalf("%d descriptors before, %d after", fds, f)
	}
}

// kernelState is the oracle's view: iproute2's JSON dumps, without what
// changes by itself.
func kernelState(t *testing.T, ns *nstest.NS) string {
	t.Helper()
	var parts []string
	for _, args := range [][]string{
		{"-d", "link", "show"}, {"addr", "show"}, {"route", "show", "table", "all"},
		{"-6", "route", "show", "table", "all"}, {"rule", "show"},
	} {
		var v []map[string]any
		nstest.IPJSON(t, ns, &v, args...)
		for _, o := range v {
			for _, k := range []string{"stats", "stats64", "operstate", "linkinfo", "carrier_changes", "carrier_up_count", "carrier_down_count"} {
				delete(o, k)
			}
			if ai, ok := o["addr_info"].([]any); ok {
				for _, a := range ai {
					delete(a.(map[string]any), "valid_life_time")
					delete(a.(map[string]any), "preferred_life_time")
				}
			}
			b, _ := json.Marshal(o)
			parts = append(parts, string(b))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// rollbackFixture prepares a namespace and returns a transaction touching
// many kinds of objects.
func rollbackFixture(t *testing.T) (*DB, *nstest.NS, func() *Tx) {
	h, ns := setup(t)
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "add", "d2", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	nstest.IP(t, ns, "link", "set", "d2", "up")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	nstest.IP(t, ns, "addr", "add", "192.0.2.2/24", "dev", "d0")
	nstest.IP(t, ns, "addr", "add", "198.18.0.1/24", "dev", "d2")
	nstest.IP(t, ns, "route", "add", "198.51.100.0/24", "via", "192.0.2.254", "metric", "10")
	nstest.IP(t, ns, "route", "add", "203.0.113.0/24", "via", "192.0.2.253")
	nstest.IP(t, ns, "route", "add", "100.64.0.0/16", "dev", "d2", "table", "200")
	nstest.IP(t, ns, "rule", "add", "from", "10.9.0.0/16", "table", "200", "priority", "300")
	db := open(t, h)
	return db, ns, func() *Tx {
		tx := db.Begin()
		br := tx.CreateInterface(rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}})
		v := tx.CreateInterface(rtm.LinkSpec{Name: "va", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "vb"}}})
		d0, d2 := tx.Interface("d0"), tx.Interface("d2")
		d0.SetMTU(1400).SetTxQueueLen(77).DelIP(netip.MustParsePrefix("192.0.2.2/24"))
		d2.Down()
		br.AddPort(v).Up().AddIP(netip.MustParsePrefix("10.1.0.1/24"))
		d0.AddIP(netip.MustParsePrefix("10.2.0.1/24"))
		br.AddRoute(rtm.RouteSpec{Dst: netip.MustParsePrefix("10.3.0.0/24")})
		tx.Routes().
			Change(rtm.RouteSpec{Dst: netip.MustParsePrefix("198.51.100.0/24"), Priority: 10, Gateway: netip.MustParseAddr("192.0.2.250"),
				Metrics: rtm.RouteMetrics{MTU: 1300}}).
			Remove(rtm.RouteSpec{Dst: netip.MustParsePrefix("203.0.113.0/24")}).
			AddNextHop(rtm.RouteSpec{Dst: netip.MustParsePrefix("198.51.100.0/24"), Priority: 10},
				rtm.NextHopSpec{Gateway: netip.MustParseAddr("10.2.0.2"), OutIndex: 0})
		tx.Rules().Add(rtm.RuleSpec{Src: netip.MustParsePrefix("10.8.0.0/16"), Table: 200, Priority: rtm.Some[uint32](400)}).
			Remove(rtm.RuleSpec{Priority: rtm.Some[uint32](300)})
		return tx
	}
}

func TestCommitAndReview(t *testing.T) {
	db, ns, build := rollbackFixture(t)
	tx := build()
	rev := tx.Review()
	if rev.Err != nil {
		t.Fatal(rev.Err)
	}
	text := rev.String()
	for _, want := range []string{"interface br0: create bridge", "interface d0: set mtu", "-ipaddr 192.0.2.2/24",
		"+ipaddr 10.1.0.1/24", "interface br0: +port va", "~route", "metrics.mtu 0 -> 1300", "+nh", "-route", "+rule", "-rule"} {
		if !strings.Contains(text, want) {
			t.Errorf("review lacks %q:\n%s", want, text)
		}
	}
	ctx := context.Background()
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// The kernel, read by iproute2, has every change.
	out := nstest.IP(t, ns, "route", "show", "198.51.100.0/24")
	if !strings.Contains(out, "nexthop via 192.0.2.250") || !strings.Contains(out, "nexthop via 10.2.0.2") || !strings.Contains(out, "mtu 1300") {
		t.Errorf("route after commit: %s", out)
	}
	if out := nstest.IP(t, ns, "link", "show", "va"); !strings.Contains(out, "master br0") {
		t.Errorf("va: %s", out)
	}
	if out := nstest.IP(t, ns, "route", "show", "10.3.0.0/24"); !strings.Contains(out, "dev br0") {
		t.Errorf("route through br0: %q", out)
	}
	// Commit returned: the database shows the changes, without waiting.
	s := db.Snapshot()
	br, ok := s.LinkByName("br0")
	if !ok || !br.IsUp() || len(s.IPv4(br.Index())) != 1 {
		t.Fatalf("br0 after commit: %v, addresses %v", ok, s.IPv4(br.Index()))
	}
	if r, err := s.Route(0, "10.3.0.0/24"); err != nil || r.OutIndex() != br.Index() {
		t.Errorf("route through br0 after commit: %v", err)
	}
	if r, err := s.Route(0, "198.51.100.0/24"); err != nil || r.Metrics().MTU != 1300 {
		t.Errorf("changed route after commit: %v", err)
	}
	if _, err := s.Route(0, "203.0.113.0/24"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed route after commit: %v", err)
	}
	checkMirror(t, db)
	if err := tx.Commit(ctx); !errors.Is(err, ErrTxDone) {
		t.Errorf("second commit: %v", err)
	}
}

// TestCommitShowsItsChanges slows the database's reader down, so that a
// commit's notifications are still queued when the kernel has
// acknowledged every change: Commit must wait for them.
func TestCommitShowsItsChanges(t *testing.T) {
	h, ns := setup(t)
	// No IPv6: the kernel adds link-local addresses after a link goes
	// up, on its own time, which would make checkMirror racy.
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	db := open(t, h, WithPreCallback(func(Event) bool { time.Sleep(2 * time.Millisecond); return true }))
	ctx := context.Background()
	for round := 0; round < 3; round++ {
		tx := db.Begin()
		name := fmt.Sprintf("br%d", round)
		br := tx.CreateInterface(rtm.LinkSpec{Name: name, Kind: &rtm.Bridge{}}).Up()
		for i := 0; i < 20; i++ {
			br.AddRoute(rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(round), byte(i), 0}), 24), Table: 100})
		}
		tx.Interface("d0").SetMTU(uint32(1400 + round))
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		s := db.Snapshot()
		l, ok := s.LinkByName(name)
		if d0, _ := s.LinkByName("d0"); !ok || d0.MTU() != uint32(1400+round) {
			t.Fatalf("round %d: %s shown: %v, d0's MTU %d", round, name, ok, d0.MTU())
		}
		n := 0
		for range s.Routes(&RouteQuery{Table: 100, OutIndex: l.Index()}) {
			n++
		}
		if n != 20 {
			t.Fatalf("round %d: %d of 20 routes shown", round, n)
		}
	}
	checkMirror(t, db)
}

// vetoAt makes tx's commit fail with veto when it reaches step k, before
// making it: what a hook that checks each step does when a check fails.
func vetoAt(tx *Tx, k int, veto error) {
	tx.OnCommit(func(s Step) error {
		if s.Index == k {
			return veto
		}
		return nil
	})
}

func TestRollbackAtEveryStep(t *testing.T) {
	db, ns, build := rollbackFixture(t)
	ctx := context.Background()
	steps, err := build().Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 15 {
		t.Fatalf("only %d steps", len(steps))
	}
	before := kernelState(t, ns)
	veto := errors.New("veto")
	for k := range steps {
		tx := build()
		vetoAt(tx, k, veto)
		err := tx.Commit(ctx)
		var ce *CommitError
		if !errors.As(err, &ce) || !errors.Is(err, veto) || ce.Step.Index != k || ce.Rollback != nil {
			t.Fatalf("veto at step %d (%v): %v", k, steps[k], err)
		}
		if after := kernelState(t, ns); after != before {
			t.Fatalf("veto at step %d (%v): kernel state changed:\n%s", k, steps[k], diffLines(before, after))
		}
		// The rolled back commit returned: the database shows none of it.
		if _, ok := db.Snapshot().LinkByName("br0"); ok {
			t.Fatalf("veto at step %d (%v): the database still shows br0", k, steps[k])
		}
	}
}

func TestRollbackOnKernelFailure(t *testing.T) {
	db, ns, build := rollbackFixture(t)
	before := kernelState(t, ns)
	tx := build()
	// The last route is impossible: its gateway is on no subnet.
	tx.Routes().Add(rtm.RouteSpec{Dst: netip.MustParsePrefix("10.77.0.0/16"), Gateway: netip.MustParseAddr("10.99.99.99")})
	err := tx.Commit(context.Background())
	var ce *CommitError
	if !errors.As(err, &ce) || !errors.Is(err, unix.ENETUNREACH) || ce.Rollback != nil || ce.Step.Stage != "routes" {
		t.Fatalf("commit: %v", err)
	}
	if after := kernelState(t, ns); after != before {
		t.Fatalf("kernel state changed:\n%s", diffLines(before, after))
	}
	// A plan that cannot start changes nothing either.
	tx = db.Begin()
	tx.Interface("nosuch").SetMTU(1300)
	if err := tx.Commit(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing interface: %v", err)
	}
}

func diffLines(a, b string) string {
	as, bs := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		as[l] = true
	}
	for _, l := range strings.Split(b, "\n") {
		bs[l] = true
	}
	var out []string
	for l := range as {
		if !bs[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range bs {
		if !as[l] {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// checkMTU fails unless the kernel shows name with MTU want; when says
// at which point of the test.
func checkMTU(t *testing.T, ns *nstest.NS, name, want, when string) {
	t.Helper()
	if got := mtuOf(t, ns, name); got != want {
		t.Fatalf("%s: mtu %s %s, want %s", name, got, when, want)
	}
}

func mtuOf(t *testing.T, ns *nstest.NS, name string) string {
	out := nstest.IP(t, ns, "-o", "link", "show", name)
	f := strings.Fields(out)
	for i := range f {
		if f[i] == "mtu" && i+1 < len(f) {
			return f[i+1]
		}
	}
	t.Fatalf("no mtu in %q", out)
	return ""
}

func TestModes(t *testing.T) {
	ctx := context.Background()
	t.Run("implicit", func(t *testing.T) {
		db, ns := openWithD0(t)
		db.Interface("d0").SetMTU(1400)
		db.Interface("d0").Up()
		if ids := db.Transactions(); len(ids) != 1 {
			t.Fatalf("open transactions %v", ids)
		}
		checkMTU(t, ns, "d0", "1500", "before commit")
		if r := db.Review(); len(r.Changes) != 2 {
			t.Fatalf("review %v", r)
		}
		if err := db.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		checkMTU(t, ns, "d0", "1400", "after commit")
		db.Interface("d0").SetMTU(1300)
		db.Drop()
		if err := db.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		checkMTU(t, ns, "d0", "1400", "after a dropped change")
	})
	t.Run("explicit", func(t *testing.T) {
		db, ns := openWithD0(t, WithMode(Explicit))
		db.Interface("d0").SetMTU(1400)
		if err := db.Commit(ctx); !errors.Is(err, ErrExplicit) {
			t.Fatalf("implicit change in explicit mode: %v", err)
		}
		a, b := db.Begin(), db.Begin()
		if a.ID() == b.ID() || len(db.Transactions()) != 2 {
			t.Fatalf("ids %d %d, open %v", a.ID(), b.ID(), db.Transactions())
		}
		if got, ok := db.Tx(b.ID()); !ok || got != b {
			t.Fatal("Tx(id)")
		}
		a.Interface("d0").SetMTU(1400)
		b.Interface("d0").SetTxQueueLen(10)
		b.Drop()
		if err := a.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		checkMTU(t, ns, "d0", "1400", "after the commit of a")
		if out := nstest.IP(t, ns, "link", "show", "d0"); strings.Contains(out, "qlen 10") {
			t.Fatalf("dropped change applied: %s", out)
		}
		if len(db.Transactions()) != 0 {
			t.Fatalf("open after commit and drop: %v", db.Transactions())
		}
	})
	t.Run("direct", func(t *testing.T) {
		db, ns := openWithD0(t, WithMode(Direct))
		br := db.CreateInterface(rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}})
		if out := nstest.IP(t, ns, "link", "show", "br0"); !strings.Contains(out, "br0") {
			t.Fatal("br0 not created at once")
		}
		br.AddPort(br.tx.Interface("d0")).SetMTU(1400)
		checkMTU(t, ns, "br0", "1400", "after SetMTU")
		nstest.WantIP(t, ns, []string{"master br0"}, "link", "show", "d0")
		db.Interface("nosuch").SetMTU(1300)
		if err := db.Commit(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("direct failure: %v", err)
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		db, ns := openWithD0(t, WithMode(SnapshotMode))
		before := nstest.IP(t, ns, "-d", "link", "show")
		tx := db.Begin()
		tx.CreateInterface(rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}})
		tx.Interface("d0").SetMTU(1400)
		if len(tx.Review().Changes) != 2 {
			t.Fatalf("review %v", tx.Review())
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if after := nstest.IP(t, ns, "-d", "link", "show"); after != before {
			t.Fatalf("snapshot mode touched the kernel:\n%s", after)
		}
		tx = db.Begin()
		tx.Interface("nosuch").Up()
		if err := tx.Commit(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("snapshot mode missed a bad plan: %v", err)
		}
	})
}

func TestThousandRouteTransaction(t *testing.T) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	db := open(t, h)
	tx := db.Begin()
	d0 := tx.Interface("d0")
	for i := 0; i < 1000; i++ {
		d0.AddRoute(rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 32), Table: 300})
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	wait(t, db, "1000 routes", func(s *Snapshot) bool { return countTable(s, 300) == 1000 })
	checkMirror(t, db)
}

// TestMemoryPerRoute measures the cache's heap per IPv4 route at 10 000
// routes (BenchmarkMemoryPerRoute does 100 000).
func TestMemoryPerRoute(t *testing.T) {
	h, ns := setup(t)
	per := memoryPerRoute(t, h, ns, 10000)
	t.Logf("%.0f bytes per route", per)
	if per > 200 {
		t.Fatalf("%.0f bytes per cached route, more than 200", per)
	}
}

// addD0 adds d0, an ifb, up, to ns and n objects on it in one batch, add
// adding the i-th; it returns d0's index.
func addD0(t testing.TB, h *rtm.Handle, ns *nstest.NS, n int, add func(bt *rtm.Batch, index int32, i int) error) int32 {
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	l, err := h.LinkByName(context.Background(), "d0")
	if err != nil {
		t.Fatal(err)
	}
	bt := h.NewBatch()
	for i := 0; i < n; i++ {
		if err := add(bt, l.Index(), i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bt.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return l.Index()
}

// addRoutes adds d0 and n routes through it, /32s of 10.0.0.0/8 in
// table 100.
func addRoutes(t testing.TB, h *rtm.Handle, ns *nstest.NS, n int) {
	addD0(t, h, ns, n, func(bt *rtm.Batch, index int32, i int) error {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 32)
		return bt.RouteAdd(rtm.RouteSpec{Dst: p, OutIndex: index, Table: 100})
	})
}

func memoryPerRoute(t testing.TB, h *rtm.Handle, ns *nstest.NS, n int) float64 {
	addRoutes(t, h, ns, n)
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := heap()
	st, err := load(context.Background(), h, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	used := heap() - base
	if st.nroutes < n {
		t.Fatalf("loaded %d routes, want %d", st.nroutes, n)
	}
	runtime.KeepAlive(st)
	return float64(used) / float64(st.nroutes)
}
