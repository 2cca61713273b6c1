package ipdb_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
	"golang.org/x/sys/unix"
)

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
