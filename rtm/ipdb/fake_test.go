package ipdb_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// fakeDB opens a database over a fake kernel (package nltest) that has
// eth0 (index 2) with 192.0.2.1/24 and a route through it: no root. The
// context it returns bounds the test's calls: the fake answers at once,
// so the deadline only stops a bug from hanging the test.
func fakeDB(t *testing.T) (context.Context, *ipdb.DB, *nltest.Fake) {
	t.Helper()
	fake := nltest.NewRTNL()
	fake.AddLink(nltest.Link{Index: 2, Name: "eth0", Flags: unix.IFF_UP, MTU: 1500, HardwareAddr: []byte{2, 0, 0, 0, 0, 1}})
	fake.AddAddr(nltest.Addr{Index: 2, Prefix: netip.MustParsePrefix("192.0.2.1/24")})
	fake.AddRoute(nltest.Route{Dst: netip.MustParsePrefix("198.51.100.0/24"), Gateway: netip.MustParseAddr("192.0.2.254"), OIF: 2})
	h, err := rtm.Dial(rtm.WithTransport(fake.Dial))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ctx := testrun.Context(t, 10*time.Second)
	db, err := ipdb.Open(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return ctx, db, fake
}

// TestFakeLoad checks that the database mirrors what the kernel dumps.
func TestFakeLoad(t *testing.T) {
	_, db, _ := fakeDB(t)
	s := db.Snapshot()
	l, ok := s.LinkByName("eth0")
	if !ok || l.Index() != 2 || l.MTU() != 1500 {
		t.Fatalf("eth0: %v, index %d, mtu %d; want index 2, mtu 1500", ok, l.Index(), l.MTU())
	}
	if got := s.IPv4(2); !slices.Equal(got, []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24")}) {
		t.Errorf("eth0's IPv4 addresses: %v", got)
	}
	r, err := s.Route(unix.RT_TABLE_MAIN, "198.51.100.0/24")
	if err != nil || r.Gateway() != netip.MustParseAddr("192.0.2.254") {
		t.Errorf("route 198.51.100.0/24: via %v, %v; want via 192.0.2.254", r.Gateway(), err)
	}
}

// TestFakePlanAndCommit reviews a transaction, commits it to the fake
// kernel and sees the database follow the kernel's notifications; a
// transaction the kernel refuses part of is rolled back.
func TestFakePlanAndCommit(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	kernelHas := func(p string) bool {
		for _, a := range fake.Addrs() {
			if nltest.AddrPrefix(a) == netip.MustParsePrefix(p) {
				return true
			}
		}
		return false
	}

	// 192.0.2.1/24 exists: the kernel refuses it, and the address added
	// before it in the same transaction is taken back.
	tx := db.Begin()
	tx.Interface("eth0").AddIP(netip.MustParsePrefix("192.0.2.6/24")).AddIP(netip.MustParsePrefix("192.0.2.1/24"))
	if err := tx.Commit(ctx); !errors.Is(err, unix.EEXIST) {
		t.Errorf("commit of an existing address: %v, want EEXIST", err)
	}
	if kernelHas("192.0.2.6/24") || !kernelHas("192.0.2.1/24") {
		t.Errorf("after a failed commit the kernel has %v: want it as before", fake.Addrs())
	}

	tx = db.Begin()
	tx.Interface("eth0").AddIP(netip.MustParsePrefix("192.0.2.7/24"))
	rv := tx.Review()
	if rv.Err != nil {
		t.Fatal(rv.Err)
	}
	if text := rv.String(); text != "interface eth0: +ipaddr 192.0.2.7/24\n" {
		t.Errorf("review plans %q", text)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if !kernelHas("192.0.2.7/24") {
		t.Errorf("after the commit the kernel has %v; want 192.0.2.7/24 among them", fake.Addrs())
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		return slices.Contains(s.IPv4(2), netip.MustParsePrefix("192.0.2.7/24"))
	}); err != nil {
		t.Errorf("the database never showed the committed address: %v", err)
	}

	// A transaction on a missing interface is refused before anything is
	// sent.
	sent := fake.Requests(unix.RTM_NEWADDR)
	tx = db.Begin()
	tx.Interface("eth9").AddIP(netip.MustParsePrefix("192.0.2.8/24"))
	if err := tx.Commit(ctx); err == nil {
		t.Error("commit on a missing interface succeeded")
	}
	if n := fake.Requests(unix.RTM_NEWADDR); n != sent {
		t.Errorf("a refused transaction sent %d address requests", n-sent)
	}
}

// TestFakeKernelRefuses checks that a commit the kernel refuses reports
// the kernel's errno and leaves the database as the kernel is.
func TestFakeKernelRefuses(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	fake.Handle(unix.RTM_NEWADDR, func(req wire.Message) ([][]byte, error) { return nil, unix.EPERM })
	tx := db.Begin()
	tx.Interface("eth0").AddIP(netip.MustParsePrefix("192.0.2.9/24"))
	err := tx.Commit(ctx)
	if !errors.Is(err, unix.EPERM) {
		t.Fatalf("commit refused by the kernel: %v, want EPERM", err)
	}
	if slices.Contains(db.Snapshot().IPv4(2), netip.MustParsePrefix("192.0.2.9/24")) {
		t.Error("the database shows an address the kernel refused")
	}
}

var _ socket.Dialer = nltest.NewFake().Dial

// TestFakeRefusedArguments checks that each recorder refuses its invalid
// argument: the transaction fails, saying why, before anything is sent.
func TestFakeRefusedArguments(t *testing.T) {
	ctx, db, _ := fakeDB(t)
	for _, tc := range []struct {
		name   string
		record func(i *ipdb.Iface)
		want   string
	}{
		{"mtu", func(i *ipdb.Iface) { i.SetMTU(0) }, "MTU 0"},
		{"address", func(i *ipdb.Iface) { i.SetAddress(nil) }, "empty link-layer address"},
		{"rename", func(i *ipdb.Iface) { i.Rename("a/b") }, "invalid interface name"},
		{"add ip", func(i *ipdb.Iface) { i.AddIP(netip.Prefix{}) }, "invalid address prefix"},
		{"del ip", func(i *ipdb.Iface) { i.DelIP(netip.Prefix{}) }, "invalid address prefix"},
		{"add neigh", func(i *ipdb.Iface) { i.AddNeigh(rtm.NeighSpec{}) }, "neighbour without an address"},
		{"del neigh", func(i *ipdb.Iface) { i.DelNeigh(netip.Addr{}) }, "neighbour without an address"},
		{"add port", func(i *ipdb.Iface) { i.AddPort(nil) }, "AddPort: the port must be an interface of the same transaction"},
		{"del port", func(i *ipdb.Iface) { i.DelPort(nil) }, "DelPort: the port must be an interface of the same transaction"},
		{"netns", func(i *ipdb.Iface) { i.SetNetns(nil) }, "SetNetns: no namespace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Do(ctx, func(tx *ipdb.Tx) error { tc.record(tx.Interface("eth0")); return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
	if l, ok := db.Snapshot().LinkByName("eth0"); !ok || l.MTU() != 1500 {
		t.Fatalf("eth0 after refused transactions: %v", l)
	}
}

// TestFakeCreateInterface creates a bridge with an address and a route in
// one transaction, as the package example does on a real kernel.
func TestFakeCreateInterface(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	tx := db.Begin()
	br := tx.CreateInterface(rtm.LinkSpec{Name: "br-example", Kind: &rtm.Bridge{}})
	br.SetMTU(9000).Up().AddIP(netip.MustParsePrefix("198.51.100.1/24"))
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var l rtm.Link
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		var ok bool
		l, ok = s.LinkByName("br-example")
		return ok && l.MTU() == 9000 && l.IsUp() && slices.Contains(s.IPv4(l.Index()), netip.MustParsePrefix("198.51.100.1/24"))
	}); err != nil {
		t.Fatalf("the database never showed the bridge as committed: %v", err)
	}
	if l.Kind() != "bridge" {
		t.Errorf("br-example has kind %q", l.Kind())
	}
	if n := fake.Requests(unix.RTM_NEWLINK); n == 0 {
		t.Error("no link request reached the kernel")
	}
}

// TestFakeInterfaceSettings changes an existing interface's MTU, state and
// name, then removes it with its address.
func TestFakeInterfaceSettings(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	tx := db.Begin()
	tx.Interface("eth0").SetMTU(1400).Down().Rename("wan0")
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		l, ok := s.LinkByName("wan0")
		_, old := s.LinkByName("eth0")
		return ok && !old && l.Index() == 2 && l.MTU() == 1400 && !l.IsUp()
	}); err != nil {
		t.Fatalf("the database never showed eth0 as wan0, mtu 1400, down: %v", err)
	}

	tx = db.Begin()
	tx.Interface("wan0").Remove()
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		_, ok := s.LinkByIndex(2)
		return !ok
	}); err != nil {
		t.Errorf("the database still shows the removed interface: %v", err)
	}
	if n := len(fake.Addrs()); n != 0 {
		t.Errorf("the kernel kept %d addresses of the removed link", n)
	}
}

// TestFakeRoutes commits a route, sees it in the kernel and in the
// database, removes it, and has the removal of a missing route refused.
func TestFakeRoutes(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	spec := rtm.RouteSpec{Dst: netip.MustParsePrefix("203.0.113.0/24"), Gateway: netip.MustParseAddr("192.0.2.253"), OutIndex: 2}
	tx := db.Begin()
	tx.Routes().Add(spec)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Routes()); n != 2 {
		t.Errorf("the kernel has %d routes after the commit, want 2", n)
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		r, err := s.Route(unix.RT_TABLE_MAIN, "203.0.113.0/24")
		return err == nil && r.Gateway() == spec.Gateway
	}); err != nil {
		t.Fatalf("the database never showed the route: %v", err)
	}

	tx = db.Begin()
	tx.Routes().Remove(rtm.RouteSpec{Dst: spec.Dst})
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Routes()); n != 1 {
		t.Errorf("the kernel has %d routes after the removal, want 1", n)
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		_, err := s.Route(unix.RT_TABLE_MAIN, "203.0.113.0/24")
		return err != nil
	}); err != nil {
		t.Errorf("the database still shows the removed route: %v", err)
	}

	tx = db.Begin()
	tx.Routes().Remove(rtm.RouteSpec{Dst: spec.Dst})
	if err := tx.Commit(ctx); err == nil {
		t.Error("removing a route that does not exist succeeded")
	}
}

// TestFakeDelIP removes an address through a transaction.
func TestFakeDelIP(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	p := netip.MustParsePrefix("192.0.2.1/24")
	tx := db.Begin()
	tx.Interface("eth0").DelIP(p)
	if rv := tx.Review(); rv.Err != nil || len(rv.Changes) != 1 {
		t.Fatalf("review of one address removal: %v, %d changes", rv.Err, len(rv.Changes))
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Addrs()); n != 0 {
		t.Errorf("the kernel has %d addresses after the removal, want 0", n)
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool { return len(s.IPv4(2)) == 0 }); err != nil {
		t.Errorf("the database still shows the address: %v", err)
	}
	// The address is gone: removing it again cannot be planned.
	tx = db.Begin()
	tx.Interface("eth0").DelIP(p)
	if err := tx.Commit(ctx); err == nil {
		t.Error("removing a missing address succeeded")
	}
}

// TestFakeFollowsOthers checks that the database follows changes that
// another process made: the fake sends their notifications.
func TestFakeFollowsOthers(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	a := nltest.Addr{Index: 2, Prefix: netip.MustParsePrefix("192.0.2.50/24")}
	fake.AddAddr(a)
	fake.Notify(unix.RTNLGRP_IPV4_IFADDR, nltest.Message(unix.RTM_NEWADDR, a.Payload()))
	l := nltest.Link{Index: 3, Name: "eth1", MTU: 9000}
	fake.AddLink(l)
	fake.Notify(unix.RTNLGRP_LINK, nltest.Message(unix.RTM_NEWLINK, l.Payload()))
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool {
		l, ok := s.LinkByName("eth1")
		return ok && l.MTU() == 9000 && slices.Contains(s.IPv4(2), a.Prefix)
	}); err != nil {
		t.Errorf("the database did not follow the notifications: %v", err)
	}
	if err := db.Err(); err != nil {
		t.Errorf("db.Err() = %v", err)
	}
}

// TestFakeOverrunResync checks that the database recovers from an
// overrun of its monitor: notifications lost, it dumps again.
func TestFakeOverrunResync(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	// Changes whose notifications were lost, then the overrun that says so.
	for i := range 3 {
		fake.AddAddr(nltest.Addr{Index: 2, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 1, 0, byte(i)}), 32)})
	}
	fake.Overrun(unix.RTNLGRP_IPV4_IFADDR)
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool { return len(s.IPv4(2)) == 4 }); err != nil {
		t.Errorf("after an overrun the database has %v: %v", db.Snapshot().IPv4(2), errors.Join(err, db.Err()))
	}
	if st := db.Stats(); st.Overruns == 0 || st.Resyncs == 0 {
		t.Errorf("stats %+v: want the overrun and a resync counted", st)
	}
}

// TestFakeSnapshotIsolation checks that a snapshot is a consistent view:
// what is committed after it was taken does not show in it.
func TestFakeSnapshotIsolation(t *testing.T) {
	ctx, db, _ := fakeDB(t)
	before := db.Snapshot()
	tx := db.Begin()
	tx.Interface("eth0").AddIP(netip.MustParsePrefix("192.0.2.20/24"))
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Wait(ctx, func(s *ipdb.Snapshot) bool { return len(s.IPv4(2)) == 2 }); err != nil {
		t.Fatal(err)
	}
	if got := before.IPv4(2); len(got) != 1 {
		t.Errorf("a snapshot taken before the commit shows %v", got)
	}
}

// TestFakePostCallbacks checks that post callbacks see the changes a
// commit made, in order, and stop after their removal.
func TestFakePostCallbacks(t *testing.T) {
	ctx, db, _ := fakeDB(t)
	got := make(chan netip.Prefix, 16)
	remove := db.AddPostCallback(func(e ipdb.Event) {
		if e.Type != unix.RTM_NEWADDR {
			return
		}
		a, err := rtm.AddrFromBytes(e.Data)
		if err == nil {
			got <- a.Prefix()
		}
	})
	tx := db.Begin()
	tx.Interface("eth0").AddIP(netip.MustParsePrefix("192.0.2.21/24")).AddIP(netip.MustParsePrefix("192.0.2.22/24"))
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"192.0.2.21/24", "192.0.2.22/24"} {
		select {
		case p := <-got:
			if p != netip.MustParsePrefix(want) {
				t.Errorf("callback saw %v, want %s", p, want)
			}
		case <-ctx.Done():
			t.Fatalf("callback never saw %s", want)
		}
	}
	remove()
	tx = db.Begin()
	tx.Interface("eth0").AddIP(netip.MustParsePrefix("192.0.2.23/24"))
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		t.Errorf("a removed callback saw %v", p)
	default:
	}
}

// TestFakeResync checks that an explicit Resync picks up what changed
// without a notification.
func TestFakeResync(t *testing.T) {
	ctx, db, fake := fakeDB(t)
	fake.AddRoute(nltest.Route{Dst: netip.MustParsePrefix("203.0.113.128/25"), OIF: 2})
	fake.AddLink(nltest.Link{Index: 7, Name: "silent0"})
	if _, ok := db.Snapshot().LinkByName("silent0"); ok {
		t.Fatal("the database knew of silent0 before resyncing")
	}
	if err := db.Resync(ctx); err != nil {
		t.Fatal(err)
	}
	s := db.Snapshot()
	if _, ok := s.LinkByName("silent0"); !ok {
		t.Error("silent0 missing after Resync")
	}
	if _, err := s.Route(unix.RT_TABLE_MAIN, "203.0.113.128/25"); err != nil {
		t.Errorf("route missing after Resync: %v", err)
	}
	if st := db.Stats(); st.Resyncs == 0 {
		t.Errorf("stats %+v: the resync is not counted", st)
	}
}
