package ipdb_test

import (
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
	"golang.org/x/sys/unix"
)

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
