package ipdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// recorder is what records changes: a transaction, or the database in
// its implicit, direct or snapshot mode.
type recorder interface {
	Interface(name string) *Iface
	CreateInterface(s rtm.LinkSpec) *Iface
	Routes() *Routes
	Rules() *Rules
}

// singleObject is a transaction that changes one object, and how the
// kernel shows it changed.
type singleObject struct {
	name    string
	record  func(r recorder)
	show    []string // ip arguments
	applied func(out string) bool
}

func has(s string) func(string) bool {
	return func(out string) bool { return strings.Contains(out, s) }
}
func hasNot(s string) func(string) bool {
	return func(out string) bool { return !strings.Contains(out, s) }
}
func pfx(s string) netip.Prefix             { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr              { return netip.MustParseAddr(s) }
func prio(p uint32) rtm.Opt[uint32]         { return rtm.Some(p) }
func hw(s string) net.HardwareAddr          { a, _ := net.ParseMAC(s); return a }
func routeVia(dst, gw string) rtm.RouteSpec { return rtm.RouteSpec{Dst: pfx(dst), Gateway: addr(gw)} }

// singleObjects are one transaction of each kind of object, each on
// objects of its own, so that they can run one after the other in one
// namespace (singleObjectFixture).
var singleObjects = []singleObject{
	{"route add", func(r recorder) { r.Routes().Add(routeVia("198.51.100.0/24", "192.0.2.254")) },
		[]string{"route", "show"}, has("198.51.100.0/24 via 192.0.2.254")},
	{"route change", func(r recorder) { r.Routes().Change(routeVia("203.0.113.0/24", "192.0.2.252")) },
		[]string{"route", "show"}, has("203.0.113.0/24 via 192.0.2.252")},
	{"route remove", func(r recorder) { r.Routes().Remove(rtm.RouteSpec{Dst: pfx("100.64.0.0/16")}) },
		[]string{"route", "show"}, hasNot("100.64.0.0/16")},
	{"next hop add", func(r recorder) {
		r.Routes().AddNextHop(rtm.RouteSpec{Dst: pfx("100.65.0.0/16")}, rtm.NextHopSpec{Gateway: addr("192.0.2.251")})
	}, []string{"route", "show", "100.65.0.0/16"}, has("nexthop via 192.0.2.251")},
	{"rule add", func(r recorder) {
		r.Rules().Add(rtm.RuleSpec{Src: pfx("10.8.0.0/16"), Table: 200, Priority: prio(400)})
	}, []string{"rule", "show"}, has("400:\tfrom 10.8.0.0/16 lookup 200")},
	{"rule remove", func(r recorder) { r.Rules().Remove(rtm.RuleSpec{Priority: prio(300)}) },
		[]string{"rule", "show"}, hasNot("300:")},
	{"address add", func(r recorder) { r.Interface("d0").AddIP(pfx("10.2.0.1/24")) },
		[]string{"addr", "show", "d0"}, has("10.2.0.1/24")},
	{"address remove", func(r recorder) { r.Interface("d0").DelIP(pfx("192.0.2.9/24")) },
		[]string{"addr", "show", "d0"}, hasNot("192.0.2.9")},
	{"neighbour add", func(r recorder) {
		r.Interface("d0").AddNeigh(rtm.NeighSpec{Dst: addr("192.0.2.77"), LLAddr: hw("02:00:00:00:00:77")})
	}, []string{"neigh", "show", "dev", "d0"}, has("192.0.2.77 lladdr 02:00:00:00:00:77 PERMANENT")},
	{"neighbour remove", func(r recorder) { r.Interface("d0").DelNeigh(addr("192.0.2.50")) },
		[]string{"neigh", "show", "dev", "d0"}, hasNot("192.0.2.50")},
	{"interface set", func(r recorder) { r.Interface("d1").SetMTU(1400) },
		[]string{"link", "show", "d1"}, has("mtu 1400")},
	{"interface create", func(r recorder) { r.CreateInterface(rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}) },
		[]string{"link", "show"}, has(": br0:")},
	{"interface remove", func(r recorder) { r.Interface("d9").Remove() },
		[]string{"link", "show"}, hasNot(": d9:")},
}

func singleObjectFixture(t *testing.T, opts ...Option) (*DB, *nstest.NS) {
	h, ns := setup(t)
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	nstest.IP(t, ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	nstest.IP(t, ns, "link", "set", "d1", "up")
	nstest.IP(t, ns, "link", "add", "d9", "type", "ifb")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	nstest.IP(t, ns, "addr", "add", "192.0.2.9/24", "dev", "d0")
	nstest.IP(t, ns, "route", "add", "203.0.113.0/24", "via", "192.0.2.253")
	nstest.IP(t, ns, "route", "add", "100.64.0.0/16", "via", "192.0.2.253")
	nstest.IP(t, ns, "route", "add", "100.65.0.0/16", "via", "192.0.2.253")
	nstest.IP(t, ns, "rule", "add", "from", "10.9.0.0/16", "table", "200", "priority", "300")
	nstest.IP(t, ns, "neigh", "add", "192.0.2.50", "lladdr", "02:00:00:00:00:50", "dev", "d0", "nud", "permanent")
	return open(t, h, opts...), ns
}

// TestSingleObjectTransactions commits a transaction of each kind of
// object alone, in every mode. Routes and rules belong to no interface:
// a transaction of nothing else once indexed an empty interface table
// and panicked, in Review, Plan, Commit and every mode.
func TestSingleObjectTransactions(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []string{"begin", "explicit", "implicit", "direct", "snapshot"} {
		t.Run(mode, func(t *testing.T) {
			var opts []Option
			switch mode {
			case "explicit":
				opts = append(opts, WithMode(Explicit))
			case "direct":
				opts = append(opts, WithMode(Direct))
			case "snapshot":
				opts = append(opts, WithMode(SnapshotMode))
			}
			db, ns := singleObjectFixture(t, opts...)
			for _, c := range singleObjects {
				show := func() bool { return c.applied(nstest.IP(t, ns, c.show...)) }
				if show() {
					t.Fatalf("%s: the kernel shows it before the transaction", c.name)
				}
				switch mode {
				case "begin", "explicit", "snapshot":
					tx := db.Begin()
					c.record(tx)
					if rev := tx.Review(); rev.Err != nil || len(rev.Changes) != 1 {
						t.Fatalf("%s: review: %v", c.name, rev)
					}
					if mode != "snapshot" {
						steps, err := tx.Plan(ctx)
						if err != nil || len(steps) != 1 {
							t.Fatalf("%s: plan %v: %v", c.name, steps, err)
						}
					}
					if err := tx.Commit(ctx); err != nil {
						t.Fatalf("%s: commit: %v", c.name, err)
					}
				case "implicit":
					c.record(db)
					if rev := db.Review(); rev.Err != nil || len(rev.Changes) != 1 {
						t.Fatalf("%s: review: %v", c.name, rev)
					}
					if show() {
						t.Fatalf("%s: applied before the commit", c.name)
					}
					if err := db.Commit(ctx); err != nil {
						t.Fatalf("%s: commit: %v", c.name, err)
					}
				case "direct":
					c.record(db)
					if !show() {
						t.Fatalf("%s: not applied at once: %v", c.name, db.implicit().Err())
					}
					if err := db.Commit(ctx); err != nil {
						t.Fatalf("%s: commit: %v", c.name, err)
					}
				}
				if got, want := show(), mode != "snapshot"; got != want {
					t.Fatalf("%s: after the commit, applied %v, want %v:\n%s", c.name, got, want, nstest.IP(t, ns, c.show...))
				}
			}
			checkMirror(t, db)
		})
	}
}

// TestRouteOpsWithAnInterface commits route and rule changes with an
// interface change, in one transaction: the route operations are no
// interface's, and the interface's change is planned once.
func TestRouteOpsWithAnInterface(t *testing.T) {
	db, ns := singleObjectFixture(t)
	tx := db.Begin()
	tx.Interface("d1").SetMTU(1300)
	tx.Routes().Add(routeVia("198.51.100.0/24", "192.0.2.254"))
	tx.Rules().Add(rtm.RuleSpec{Src: pfx("10.8.0.0/16"), Table: 200, Priority: prio(400)})
	rev := tx.Review()
	if rev.Err != nil || len(rev.Changes) != 3 {
		t.Fatalf("review: %v", rev)
	}
	for _, c := range rev.Changes {
		if strings.HasPrefix(c.Object, "interface") && c.Field != "mtu" {
			t.Errorf("a route or rule change shown as an interface's: %v", c)
		}
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	nstest.WantIP(t, ns, []string{"198.51.100.0/24 via 192.0.2.254"}, "route", "show")
	checkMirror(t, db)
}

// TestConflicts changes, between a transaction's plan and the step that
// changes them, the objects it touches, from outside: the commit fails
// with a *ConflictError naming the object and what happened to it, and
// rolls back. (An interface created meanwhile is not tested: creation is
// a commit's first stage, and no hook runs before it.)
func TestConflicts(t *testing.T) {
	db, ns := singleObjectFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		record func(tx *Tx)
		other  []string // what another writer does meanwhile
		object string
		change string
	}{
		{"route added meanwhile", func(tx *Tx) { tx.Routes().Add(routeVia("198.51.100.0/24", "192.0.2.254")) },
			[]string{"route", "add", "198.51.100.0/24", "via", "192.0.2.250"}, "route 198.51.100.0/24 table 254", "created"},
		{"route removed meanwhile", func(tx *Tx) { tx.Routes().Remove(rtm.RouteSpec{Dst: pfx("100.64.0.0/16")}) },
			[]string{"route", "del", "100.64.0.0/16"}, "route 100.64.0.0/16 table 254", "removed"},
		{"route changed away", func(tx *Tx) { tx.Routes().Change(routeVia("203.0.113.0/24", "192.0.2.252")) },
			[]string{"route", "del", "203.0.113.0/24"}, "route 203.0.113.0/24 table 254", "removed"},
		{"address removed meanwhile", func(tx *Tx) { tx.Interface("d0").DelIP(pfx("192.0.2.9/24")) },
			[]string{"addr", "del", "192.0.2.9/24", "dev", "d0"}, "address 192.0.2.9/24 of interface d0", "removed"},
		{"address added meanwhile", func(tx *Tx) { tx.Interface("d0").AddIP(pfx("10.2.0.1/24")) },
			[]string{"addr", "add", "10.2.0.1/24", "dev", "d0"}, "address 10.2.0.1/24 of interface d0", "created"},
		{"rule removed meanwhile", func(tx *Tx) { tx.Rules().Remove(rtm.RuleSpec{Priority: prio(300)}) },
			[]string{"rule", "del", "priority", "300"}, "rule priority 300", "removed"},
		{"neighbour removed meanwhile", func(tx *Tx) { tx.Interface("d0").DelNeigh(addr("192.0.2.50")) },
			[]string{"neigh", "del", "192.0.2.50", "dev", "d0"}, "neighbour 192.0.2.50 of interface d0", "removed"},
		{"neighbour added meanwhile", func(tx *Tx) {
			tx.Interface("d0").AddNeigh(rtm.NeighSpec{Dst: addr("192.0.2.78"), LLAddr: hw("02:00:00:00:00:78")})
		}, []string{"neigh", "add", "192.0.2.78", "lladdr", "02:00:00:00:00:79", "dev", "d0"}, "neighbour 192.0.2.78 of interface d0", "created"},
		{"interface removed meanwhile", func(tx *Tx) { tx.Interface("d2").AddIP(pfx("10.3.0.1/24")) },
			[]string{"link", "del", "d2"}, "interface d2", "removed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "interface removed meanwhile" {
				nstest.IP(t, ns, "link", "add", "d2", "type", "veth", "peer", "name", "d3")
			}
			tx := db.Begin()
			// An unrelated change in the same transaction, applied
			// before the conflicting one and rolled back after it.
			tx.Interface("d1").SetMTU(1280)
			c.record(tx)
			// The other writer acts once the commit has planned.
			tx.OnCommit(func(s Step) error {
				if s.Index == 0 {
					nstest.IP(t, ns, c.other...)
				}
				return nil
			})
			err := tx.Commit(ctx)
			var ce *ConflictError
			if !errors.Is(err, ErrConflict) || !errors.As(err, &ce) || ce.Object != c.object || ce.Change != c.change {
				t.Fatalf("commit: %v (%#v)", err, ce)
			}
			if c.change == "created" && !errors.Is(err, unix.EEXIST) {
				t.Fatalf("commit: %v does not unwrap to EEXIST", err)
			}
			var cm *CommitError
			if !errors.As(err, &cm) || cm.Rollback != nil {
				t.Fatalf("commit: %v", err)
			}
			if mtu := mtuOf(t, ns, "d1"); mtu != "1500" {
				t.Fatalf("the rest of the transaction was not rolled back: d1's MTU %s", mtu)
			}
		})
	}
	checkMirror(t, db)
}

// TestConcurrentWriters is a bounded CNI bridge plugin: 8 workers commit
// 40 transactions, each creating a veth pair, enslaving one end to a
// shared bridge, and adding an address and a route, while another writer
// creates and deletes unrelated links and addresses. No commit may fail
// because of the others: commits once re-read every link and failed when
// the dump was interrupted by a concurrent change.
func TestConcurrentWriters(t *testing.T) {
	h, ns := setup(t)
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	// A bridge's id follows its lowest port address unless its address
	// is set, and its ports' ids change without notifications then,
	// which only a resync catches: set it, to compare the mirror below.
	nstest.IP(t, ns, "link", "add", "cni0", "address", "02:00:00:00:00:01", "type", "bridge")
	nstest.IP(t, ns, "link", "set", "cni0", "up")
	db := open(t, h)
	churn, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer churn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	stop := make(chan struct{})
	churned := make(chan int)
	go func() {
		n := 0
		defer func() { churned <- n }()
		for ; n < 5000; n++ {
			select {
			case <-stop:
				return
			default:
			}
			name := fmt.Sprintf("x%d", n%4)
			if err := churn.LinkAdd(ctx, rtm.LinkSpec{Name: name, Kind: &rtm.Ifb{}}); err != nil {
				continue
			}
			l, err := churn.LinkByName(ctx, name)
			if err != nil {
				continue
			}
			churn.AddrAdd(ctx, rtm.AddrSpec{Index: l.Index(), Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 31, byte(n % 4), 1}), 24)})
			churn.LinkDel(ctx, l.Index())
		}
	}()

	const workers, perWorker = 8, 5
	errs := testrun.Parallel(workers, perWorker, func(w, i int) error {
		n := w*perWorker + i
		tx := db.Begin()
		c := tx.CreateInterface(rtm.LinkSpec{Name: fmt.Sprintf("c%d", n), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("p%d", n)}}})
		c.Up().AddIP(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 200, byte(n), 1}), 24))
		c.AddRoute(rtm.RouteSpec{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 201, byte(n), 0}), 24), Gateway: netip.AddrFrom4([4]byte{10, 200, byte(n), 2})})
		tx.Interface("cni0").AddPort(c)
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("transaction %d: %w", n, err)
		}
		return nil
	})
	close(stop)
	n := <-churned
	for _, err := range errs {
		t.Error(err)
	}
	if n == 0 {
		t.Fatal("the other writer changed nothing")
	}
	s := db.Snapshot()
	br, _ := s.LinkByName("cni0")
	for i := 0; i < workers*perWorker; i++ {
		l, ok := s.LinkByName(fmt.Sprintf("c%d", i))
		if !ok {
			t.Fatalf("c%d not shown", i)
		}
		if l.MasterIndex() != br.Index() || len(s.IPv4(l.Index())) != 1 {
			t.Fatalf("c%d: master %d, addresses %v", i, l.MasterIndex(), s.IPv4(l.Index()))
		}
	}
	// The kernel reports carrier changes (a bridge's, as its ports come
	// and go) late, from a worker of its own: wait for them.
	wait(t, db, "links to settle", func(s *Snapshot) bool {
		links, err := rtm.Collect(h.Links(ctx, nil))
		if err != nil {
			return false
		}
		for _, l := range links {
			if c, ok := s.LinkByIndex(l.Index()); !ok || !sameLink(c.Bytes(), l.Bytes()) {
				return false
			}
		}
		return true
	})
	checkMirror(t, db)
}

// TestMoveToNetns moves an interface into another namespace in a
// transaction (pyroute2's net_ns_fd), and back by rolling back: the
// interface returns under its name, with its state, addresses and
// routes.
func TestMoveToNetns(t *testing.T) {
	db, ns := singleObjectFixture(t)
	other := nstest.New(t)
	target, err := netns.Open(other.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	nstest.IP(t, ns, "route", "add", "10.50.0.0/16", "dev", "d1")
	nstest.IP(t, ns, "addr", "add", "10.60.0.1/24", "dev", "d1")
	ctx := context.Background()
	before := kernelState(t, ns)
	move := func() *Tx {
		tx := db.Begin()
		tx.Interface("d0").SetMTU(1400)
		tx.Interface("d1").SetMTU(1300).AddIP(pfx("10.61.0.1/24")).SetNetns(target)
		return tx
	}
	steps, err := move().Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A veto at every step, the move's included, rolls everything back.
	for k := range steps {
		tx := move()
		veto := errors.New("veto")
		vetoAt(tx, k, veto)
		err := tx.Commit(ctx)
		var ce *CommitError
		if !errors.As(err, &ce) || !errors.Is(err, veto) || ce.Rollback != nil {
			t.Fatalf("veto at step %d (%v): %v", k, steps[k], err)
		}
		// A veth pair regains its carrier and operational state once
		// both ends are back, from a worker of the kernel's own.
		wait(t, db, "carrier on d0 and d1", func(s *Snapshot) bool {
			for _, name := range []string{"d0", "d1"} {
				const on = unix.IFF_LOWER_UP | unix.IFF_RUNNING
				if l, ok := s.LinkByName(name); !ok || l.Flags()&on != on {
					return false
				}
			}
			return true
		})
		if after := kernelState(t, ns); after != before {
			t.Fatalf("veto at step %d (%v): kernel state changed:\n%s", k, steps[k], diffLines(before, after))
		}
		if out := nstest.IP(t, other, "link", "show"); strings.Contains(out, "d1") {
			t.Fatalf("veto at step %d: d1 left in the other namespace:\n%s", k, out)
		}
	}
	if err := move().Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if out := nstest.IP(t, other, "link", "show", "d1"); !strings.Contains(out, "mtu 1300") {
		t.Fatalf("d1 in the other namespace: %s", out)
	}
	if _, ok := db.Snapshot().LinkByName("d1"); ok {
		t.Fatal("the database still shows d1")
	}
	checkMTU(t, ns, "d0", "1400", "after the commit")
	checkMirror(t, db)
}
