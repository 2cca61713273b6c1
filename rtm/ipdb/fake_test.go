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
