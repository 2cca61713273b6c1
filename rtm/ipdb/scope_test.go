package ipdb

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"golang.org/x/sys/unix"
)

// scopeFixture makes a namespace with a link d0 that has an address, a
// neighbour, a rule and routes in the main table and in table 100.
func scopeFixture(t *testing.T) (*nstest.NS, func(...Option) *DB) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	nstest.IP(t, ns, "neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0")
	nstest.IP(t, ns, "rule", "add", "from", "10.0.0.0/8", "table", "100", "priority", "100")
	nstest.IP(t, ns, "route", "add", "198.51.100.0/24", "via", "192.0.2.254")
	nstest.IP(t, ns, "route", "add", "203.0.113.0/24", "dev", "d0", "table", "100")
	return ns, func(opts ...Option) *DB { return open(t, h, opts...) }
}

func TestWithKindsLinksOnly(t *testing.T) {
	ns, openWith := scopeFixture(t)
	db := openWith(WithKinds(KindLinks))
	s := db.Snapshot()
	d0, ok := s.LinkByName("d0")
	if !ok {
		t.Fatal("d0 not loaded")
	}
	if !s.Mirrors(KindLinks) || s.Mirrors(KindAddrs) || s.Mirrors(KindRoutes) || s.Mirrors(KindRules) ||
		s.Mirrors(KindNeighs) || s.Mirrors(KindLinks|KindAddrs) || db.Mirrors(KindAddrs) || !db.Mirrors(KindLinks) {
		t.Fatal("Mirrors does not say what the database mirrors")
	}
	if s.NumAddrs() != 0 || s.NumRoutes() != 0 || s.NumNeighs() != 0 || len(s.Rules()) != 0 {
		t.Fatalf("loaded %d addresses, %d routes, %d neighbours, %d rules", s.NumAddrs(), s.NumRoutes(), s.NumNeighs(), len(s.Rules()))
	}
	if _, err := s.Route(0, "198.51.100.0/24"); !errors.Is(err, ErrNotMirrored) {
		t.Fatalf("Route of a database without routes: %v", err)
	}
	// The subscription does not join the other kinds' groups: their
	// notifications never reach the database.
	events := db.Stats().Events
	for i := 0; i < 20; i++ {
		nstest.IP(t, ns, "addr", "add", netip.AddrFrom4([4]byte{198, 18, 0, byte(i + 1)}).String()+"/32", "dev", "d0")
	}
	nstest.IP(t, ns, "link", "set", "d0", "mtu", "1400")
	wait(t, db, "the MTU", func(s *Snapshot) bool { l, _ := s.LinkByName("d0"); return l.MTU() == 1400 })
	if err := db.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := db.Stats().Events - events; n >= 20 {
		t.Fatalf("%d notifications read for one link change and 20 addresses not mirrored", n)
	}
	if s := db.Snapshot(); s.NumAddrs() != 0 || len(s.IPv4(d0.Index())) != 0 {
		t.Fatalf("%d addresses mirrored", s.NumAddrs())
	}
	checkMirror(t, db)
	// A transaction may still change what is not mirrored.
	tx := db.Begin()
	tx.Interface("d0").AddIP(netip.MustParsePrefix("198.18.1.1/24")).SetMTU(1300)
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	nstest.WantIP(t, ns, []string{"198.18.1.1/24", "mtu 1300"}, "-4", "addr", "show", "dev", "d0") // the commit applied
	if s := db.Snapshot(); s.NumAddrs() != 0 {
		t.Fatalf("%d addresses mirrored after the commit", s.NumAddrs())
	}
}

func TestWithKindsAndRouteTables(t *testing.T) {
	ns, openWith := scopeFixture(t)
	db := openWith(WithKinds(KindAddrs|KindRoutes), WithRouteTables(100, 200), WithRouteTables(100)) // 200 does not exist
	s := db.Snapshot()
	d0, _ := s.LinkByName("d0")
	if len(s.IPv4(d0.Index())) != 1 || s.NumNeighs() != 0 || len(s.Rules()) != 0 {
		t.Fatalf("%d addresses, %d neighbours, %d rules", len(s.IPv4(d0.Index())), s.NumNeighs(), len(s.Rules()))
	}
	if _, err := s.Route(100, "203.0.113.0/24"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Route(0, "198.51.100.0/24"); !errors.Is(err, ErrNotMirrored) {
		t.Fatalf("Route in a table not mirrored: %v", err)
	}
	if !s.MirrorsTable(100) || s.MirrorsTable(unix.RT_TABLE_MAIN) || s.MirrorsTable(unix.RT_TABLE_LOCAL) {
		t.Fatal("MirrorsTable does not say which tables are mirrored")
	}
	for r := range s.Routes(nil) {
		if r.Table() != 100 {
			t.Fatalf("route %v of table %d loaded", r.Dst(), r.Table())
		}
	}
	nstest.IP(t, ns, "route", "add", "198.51.101.0/24", "via", "192.0.2.254")
	nstest.IP(t, ns, "route", "add", "198.51.102.0/24", "dev", "d0", "table", "100")
	nstest.IP(t, ns, "addr", "add", "192.0.2.2/24", "dev", "d0")
	wait(t, db, "the changes", func(s *Snapshot) bool {
		_, err := s.Route(100, "198.51.102.0/24")
		return err == nil && len(s.IPv4(d0.Index())) == 2
	})
	for r := range db.Snapshot().Routes(nil) {
		if r.Table() != 100 {
			t.Fatalf("route %v of table %d mirrored", r.Dst(), r.Table())
		}
	}
	checkMirror(t, db)
	if err := db.Resync(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkMirror(t, db)
}

func TestWithoutRouteTables(t *testing.T) {
	ns, openWith := scopeFixture(t)
	db := openWith(WithoutRouteTables(100, unix.RT_TABLE_LOCAL))
	s := db.Snapshot()
	if _, err := s.Route(0, "198.51.100.0/24"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Route(100, "203.0.113.0/24"); !errors.Is(err, ErrNotMirrored) {
		t.Fatalf("Route in an ignored table: %v", err)
	}
	if s.NumNeighs() != 1 || len(s.Rules()) == 0 {
		t.Fatalf("%d neighbours, %d rules", s.NumNeighs(), len(s.Rules()))
	}
	nstest.IP(t, ns, "route", "add", "198.51.102.0/24", "dev", "d0", "table", "100")
	nstest.IP(t, ns, "route", "add", "198.51.103.0/24", "dev", "d0")
	wait(t, db, "the route", func(s *Snapshot) bool { _, err := s.Route(0, "198.51.103.0/24"); return err == nil })
	for r := range db.Snapshot().Routes(nil) {
		if r.Table() == 100 || r.Table() == unix.RT_TABLE_LOCAL {
			t.Fatalf("route %v of ignored table %d mirrored", r.Dst(), r.Table())
		}
	}
	checkMirror(t, db)
}

func TestScopeOptionErrors(t *testing.T) {
	for name, opt := range map[string]Option{
		"no table":      WithRouteTables(),
		"table 0":       WithoutRouteTables(0),
		"unknown kinds": WithKinds(0x80),
	} {
		if err := opt(&options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
