package ipdb

// Every example of pyroute2's IPDB documentation (the seed users try
// first), done the Go way in a throwaway namespace and checked against the
// kernel. Each test is named after the example; example_test.go shows the
// same code as documentation.

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

func seedCtx(t *testing.T) context.Context {
	return testrun.Context(t, 30*time.Second)
}

// seedDB is where most tests start: a database over a fresh namespace,
// and a context that ends with the test.
func seedDB(t *testing.T) (context.Context, *nstest.NS, *DB) {
	ctx := seedCtx(t)
	h, ns := setup(t)
	return ctx, ns, open(t, h)
}

// checkKindOn returns link name of the database's current state, and
// fails unless it is of kind with parent's link as its parent (IFLA_LINK:
// a veth's peer, a macvlan's or vlan's lower device).
func checkKindOn(t *testing.T, db *DB, name, kind, parent string) rtm.Link {
	t.Helper()
	l, p := linkOf(t, db, name), linkOf(t, db, parent)
	if l.Kind() != kind || l.ParentIndex() != p.Index() {
		t.Fatalf("%s: kind %q parent %d, want %s on %s (%d)", name, l.Kind(), l.ParentIndex(), kind, parent, p.Index())
	}
	return l
}

// linkOf returns a link of the database's current state, or fails.
func linkOf(t *testing.T, db *DB, name string) rtm.Link {
	t.Helper()
	l, ok := db.Snapshot().LinkByName(name)
	if !ok {
		t.Fatalf("no link %s in the database", name)
	}
	return l
}

// mustDo commits what record makes in one transaction of db, or fails.
func mustDo(t *testing.T, ctx context.Context, db *DB, record func(tx *Tx)) {
	t.Helper()
	if err := db.Do(ctx, func(tx *Tx) error { record(tx); return nil }); err != nil {
		t.Fatal(err)
	}
}

// gatewayFixture makes d0, up, with 192.0.2.1/24, for routes via
// gateways 192.0.2.x.
func gatewayFixture(t *testing.T) (*nstest.NS, *DB) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	return ns, open(t, h)
}

// "with ip.interfaces.eth0 as i: i.address = ...; i.ifname = 'bala';
// i.txqlen = 2000": commit when the block ends.
func TestSeedTutorialWithInterface(t *testing.T) {
	ctx := seedCtx(t)
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1")
	db := open(t, h)
	index := linkOf(t, db, "eth0").Index()
	err := db.With(ctx, "eth0", func(i *Iface) error {
		i.SetAddress(hw("00:11:22:33:44:55")).Rename("bala").SetTxQueueLen(2000)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := db.Snapshot()
	if _, ok := s.LinkByName("eth0"); ok {
		t.Fatal("eth0 still there after the rename")
	}
	l := linkOf(t, db, "bala")
	if l.Index() != index || l.HardwareAddr().String() != "00:11:22:33:44:55" || l.TxQueueLen() != 2000 {
		t.Fatalf("bala: index %d (want %d), address %v, txqlen %d", l.Index(), index, l.HardwareAddr(), l.TxQueueLen())
	}
	nstest.WantIP(t, ns, []string{"qlen 2000", "00:11:22:33:44:55"}, "link", "show", "bala")
	if ids := db.Transactions(); len(ids) != 0 {
		t.Fatalf("transactions left open: %v", ids)
	}
}

// The scoped transaction drops the changes when the block fails or
// panics, and the panic goes on.
func TestSeedTutorialWithInterfaceFails(t *testing.T) {
	ctx := seedCtx(t)
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "eth0", "type", "ifb")
	db := open(t, h)
	stop := errors.New("stop")
	err := db.With(ctx, "eth0", func(i *Iface) error {
		i.SetTxQueueLen(2000)
		return stop
	})
	if err != stop {
		t.Fatalf("With returned %v, want the block's error", err)
	}
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Fatalf("recovered %v, want the block's panic", v)
			}
		}()
		db.With(ctx, "eth0", func(i *Iface) error {
			i.SetTxQueueLen(3000)
			panic("boom")
		})
	}()
	if q := linkOf(t, db, "eth0").TxQueueLen(); q == 2000 || q == 3000 {
		t.Fatalf("a dropped block's change was applied: txqlen %d", q)
	}
	if ids := db.Transactions(); len(ids) != 0 {
		t.Fatalf("transactions left open: %v", ids)
	}
	if _, ok := db.Last(); ok {
		t.Fatal("Last finds a dropped transaction")
	}
	// A block whose change the kernel refuses returns the commit's error.
	err = db.With(ctx, "eth0", func(i *Iface) error { i.Rename("lo"); return nil })
	var ce *CommitError
	if !errors.As(err, &ce) {
		t.Fatalf("refused change: %v", err)
	}
}

// "ip.routes.add({'dst': 'default', 'gateway': ...}).commit()".
func TestSeedTutorialDefaultRoute(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	db.Routes().Add(rtm.RouteSpec{Dst: pfx("0.0.0.0/0"), Gateway: addr("192.0.2.254")})
	if err := db.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := db.Snapshot().Route(0, "default")
	if err != nil || r.Gateway() != addr("192.0.2.254") {
		t.Fatalf("default route %v: %v", r.Gateway(), err)
	}
	nstest.WantIP(t, ns, []string{"via 192.0.2.254"}, "route", "show", "default")
}

// "ip.by_name.keys(); ip.by_index.keys(); ip.interfaces['em1']['address'];
// ip.interfaces['em1']['ipaddr']", and the dot notation.
func TestSeedByNameByIndex(t *testing.T) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "em1", "address", "02:00:00:00:00:e1", "type", "veth", "peer", "name", "em2")
	nstest.IP(t, ns, "link", "set", "em1", "up")
	nstest.IP(t, ns, "addr", "add", "192.0.2.23/24", "dev", "em1")
	nstest.IP(t, ns, "addr", "add", "2001:db8::23/64", "dev", "em1", "nodad")
	db := open(t, h)
	s := db.Snapshot()
	var names []string
	var indexes []int32
	for _, l := range s.Links() {
		names = append(names, l.Name())
		indexes = append(indexes, l.Index())
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"em1", "em2", "lo"}) {
		t.Fatalf("by_name: %v", names)
	}
	for _, i := range indexes {
		l, ok := s.LinkByIndex(i)
		if !ok {
			t.Fatalf("by_index: %d missing", i)
		}
		if byName, _ := s.LinkByName(l.Name()); byName.Index() != i {
			t.Fatalf("by_name[%s] is %d, by_index says %d", l.Name(), byName.Index(), i)
		}
	}
	em1, _ := s.LinkByName("em1")
	if em1.HardwareAddr().String() != "02:00:00:00:00:e1" {
		t.Fatalf("address %v", em1.HardwareAddr())
	}
	if v4 := s.IPv4(em1.Index()); !slices.Equal(v4, []netip.Prefix{pfx("192.0.2.23/24")}) {
		t.Fatalf("ipaddr (IPv4) %v", v4)
	}
	if v6 := s.IPv6(em1.Index()); !slices.Contains(v6, pfx("2001:db8::23/64")) {
		t.Fatalf("ipaddr (IPv6) %v", v6)
	}
}

// "ip.interfaces.lo": the record of the loopback device.
func TestSeedInterfaceLo(t *testing.T) {
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	db := open(t, h)
	wait(t, db, "::1", func(s *Snapshot) bool { return slices.Contains(s.IPv6(1), pfx("::1/128")) })
	s := db.Snapshot()
	lo := linkOf(t, db, "lo")
	switch {
	case lo.Index() != 1, lo.MTU() != 65536, lo.Type() != unix.ARPHRD_LOOPBACK,
		lo.Flags()&(unix.IFF_UP|unix.IFF_LOOPBACK) != unix.IFF_UP|unix.IFF_LOOPBACK,
		lo.HardwareAddr().String() != "00:00:00:00:00:00", lo.Qdisc() != "noqueue",
		lo.NumTxQueues() != 1, lo.NumRxQueues() != 1, lo.Group() != 0:
		t.Fatalf("lo: index %d mtu %d type %d flags %#x address %v qdisc %q queues %d/%d group %d",
			lo.Index(), lo.MTU(), lo.Type(), lo.Flags(), lo.HardwareAddr(), lo.Qdisc(), lo.NumTxQueues(), lo.NumRxQueues(), lo.Group())
	}
	if v4 := s.IPv4(1); !slices.Equal(v4, []netip.Prefix{pfx("127.0.0.1/8")}) {
		t.Fatalf("ipaddr %v", v4)
	}
	if ports := s.Ports(1); len(ports) != 0 {
		t.Fatalf("ports %v", ports)
	}
}

// "transaction modes": direct, implicit (the default), explicit and
// snapshot.
func TestSeedTransactionModes(t *testing.T) {
	ctx := seedCtx(t)
	for _, tc := range []struct {
		mode Mode
		// applied: whether the change is in the kernel before Commit,
		// and after.
		before, after bool
		refused       error
	}{
		{Direct, true, true, nil},
		{Implicit, false, true, nil},
		{Explicit, false, false, ErrExplicit},
		{SnapshotMode, false, false, nil},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			db, ns := openWithD0(t, WithMode(tc.mode))
			db.Interface("d0").SetMTU(1400)
			if got := mtuOf(t, ns, "d0") == "1400"; got != tc.before {
				t.Fatalf("applied before Commit: %v", got)
			}
			if err := db.Commit(ctx); !errors.Is(err, tc.refused) {
				t.Fatalf("Commit: %v, want %v", err, tc.refused)
			}
			if got := mtuOf(t, ns, "d0") == "1400"; got != tc.after {
				t.Fatalf("applied after Commit: %v", got)
			}
			if tc.mode == Explicit {
				// Changes need a transaction from Begin.
				tx := db.Begin()
				tx.Interface("d0").SetMTU(1400)
				if err := tx.Commit(ctx); err != nil || mtuOf(t, ns, "d0") != "1400" {
					t.Fatalf("explicit transaction: %v, mtu %s", err, mtuOf(t, ns, "d0"))
				}
			}
		})
	}
}

// explicitTap0 opens, in explicit mode, a database over a throwaway
// namespace that has a tap link named tap0, as the sessions below start.
func explicitTap0(t *testing.T) (context.Context, *DB) {
	nstest.Require(t, "link:tun")
	ctx := seedCtx(t)
	h, ns := setup(t)
	nstest.IP(t, ns, "tuntap", "add", "tap0", "mode", "tap")
	return ctx, open(t, h, WithMode(Explicit))
}

// The explicit session: "ifdb.tap0.begin(); up(); address = ...;
// add_ip(...) twice; review(); commit()", and review() of the last()
// transaction.
func TestSeedExplicitSession(t *testing.T) {
	ctx, db := explicitTap0(t)
	tx := db.Begin()
	tap0 := tx.Interface("tap0")
	tap0.Up()
	tap0.SetAddress(hw("00:11:22:33:44:55"))
	tap0.AddIP(pfx("172.16.0.1/24"))
	tap0.AddIP(pfx("172.16.1.1/24"))
	last, ok := db.Last()
	if !ok || last != tx {
		t.Fatalf("Last: %v %v, want the transaction just begun", last, ok)
	}
	var got []string
	for _, c := range last.Review().Changes {
		got = append(got, c.Action+" "+c.Field+" "+c.New)
	}
	want := []string{"set state up", "set address 00:11:22:33:44:55", "+ipaddr  172.16.0.1/24", "+ipaddr  172.16.1.1/24"}
	if !slices.Equal(got, want) {
		t.Fatalf("review:\n%q\nwant\n%q", got, want)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	l := linkOf(t, db, "tap0")
	if !l.IsUp() || l.HardwareAddr().String() != "00:11:22:33:44:55" ||
		!slices.Equal(db.Snapshot().IPv4(l.Index()), []netip.Prefix{pfx("172.16.0.1/24"), pfx("172.16.1.1/24")}) {
		t.Fatalf("tap0: up %v address %v ipaddr %v", l.IsUp(), l.HardwareAddr(), db.Snapshot().IPv4(l.Index()))
	}
}

// "context managers": with ip.interfaces.tap0 as i: address, ifname
// 'vpn', two addresses.
func TestSeedContextManager(t *testing.T) {
	ctx, db := explicitTap0(t)
	err := db.With(ctx, "tap0", func(i *Iface) error {
		i.SetAddress(hw("00:11:22:33:44:55")).Rename("vpn")
		i.AddIP(pfx("10.0.0.1/24")).AddIP(pfx("10.0.1.1/24"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	l := linkOf(t, db, "vpn")
	if l.HardwareAddr().String() != "00:11:22:33:44:55" ||
		!slices.Equal(db.Snapshot().IPv4(l.Index()), []netip.Prefix{pfx("10.0.0.1/24"), pfx("10.0.1.1/24")}) {
		t.Fatalf("vpn: address %v ipaddr %v", l.HardwareAddr(), db.Snapshot().IPv4(l.Index()))
	}
}

// "with ip.create(kind='bridge', ifname='control') as i: i.add_ip(...)".
func TestSeedCreateBridge(t *testing.T) {
	ctx, _, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.CreateInterface(rtm.LinkSpec{Name: "control", Kind: &rtm.Bridge{}}).AddIP(pfx("10.0.0.1/24"))
	})
	l := linkOf(t, db, "control")
	if l.Kind() != "bridge" || !slices.Equal(db.Snapshot().IPv4(l.Index()), []netip.Prefix{pfx("10.0.0.1/24")}) {
		t.Fatalf("control: kind %q ipaddr %v", l.Kind(), db.Snapshot().IPv4(l.Index()))
	}
}

// "create(kind, ifname, reuse=True)": take the existing interface when it
// matches.
func TestSeedCreateReuse(t *testing.T) {
	ctx := seedCtx(t)
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "control", "type", "bridge")
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	db := open(t, h)
	index := linkOf(t, db, "control").Index()
	tx := db.Begin()
	tx.Ensure(rtm.LinkSpec{Name: "control", Kind: &rtm.Bridge{}}).SetMTU(1400).AddIP(pfx("10.0.0.1/24"))
	tx.Ensure(rtm.LinkSpec{Name: "fresh", Kind: &rtm.Bridge{}}).AddPort(tx.Interface("d0"))
	for _, c := range tx.Review().Changes {
		if c.Action == "create" && c.Object == "interface control" {
			t.Fatalf("review creates the existing interface: %v", tx.Review())
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	s := db.Snapshot()
	control := linkOf(t, db, "control")
	fresh := linkOf(t, db, "fresh")
	if control.Index() != index || control.MTU() != 1400 || !slices.Equal(s.IPv4(index), []netip.Prefix{pfx("10.0.0.1/24")}) {
		t.Fatalf("control: index %d (was %d) mtu %d ipaddr %v", control.Index(), index, control.MTU(), s.IPv4(index))
	}
	if ports := s.Ports(fresh.Index()); len(ports) != 1 || ports[0].Name() != "d0" {
		t.Fatalf("ports of fresh: %v", ports)
	}
	// The name taken by another kind is an error, before anything is sent.
	tx = db.Begin()
	tx.Ensure(rtm.LinkSpec{Name: "d0", Kind: &rtm.Bridge{}}).SetMTU(1300)
	if err := tx.Commit(ctx); !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), `"ifb"`) {
		t.Fatalf("ensuring a bridge over an ifb: %v", err)
	}
	if linkOf(t, db, "d0").MTU() == 1300 {
		t.Fatal("a failed ensure changed d0")
	}
}

// "routing management": a route from a spec with oif, gateway and
// metrics {'mtu': 1400, 'advmss': 500}.
func TestSeedRouteSpecWithMetrics(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	d0 := linkOf(t, db, "d0").Index()
	db.Routes().Add(rtm.RouteSpec{Dst: pfx("172.16.0.0/24"), OutIndex: d0, Gateway: addr("192.0.2.2"),
		Metrics: rtm.RouteMetrics{MTU: 1400, AdvMSS: 500}})
	if err := db.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := db.Snapshot().Route(0, "172.16.0.0/24")
	if err != nil || r.OutIndex() != d0 || r.Gateway() != addr("192.0.2.2") || r.Metrics().MTU != 1400 || r.Metrics().AdvMSS != 500 {
		t.Fatalf("route %v dev %d via %v metrics %+v: %v", r.Dst(), r.OutIndex(), r.Gateway(), r.Metrics(), err)
	}
	nstest.WantIP(t, ns, []string{"mtu 1400 advmss 500"}, "route", "show", "172.16.0.0/24")
}

// "with ip.routes['172.16.1.0/24'] as route: route.gateway = ...;
// route.metrics.mtu = 1500": the route edited in place, at commit.
func TestSeedRouteEditInPlace(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	nstest.IP(t, ns, "route", "add", "172.16.1.0/24", "via", "192.0.2.2", "mtu", "1400", "advmss", "500", "metric", "7")
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.Routes().Edit(rtm.RouteSpec{Dst: pfx("172.16.1.0/24")}, func(r *rtm.RouteSpec) {
			r.Gateway = addr("192.0.2.3")
			r.Metrics.MTU = 1500
		})
	})
	r, err := db.Snapshot().Route(0, "172.16.1.0/24")
	if err != nil || r.Gateway() != addr("192.0.2.3") || r.Metrics().MTU != 1500 || r.Metrics().AdvMSS != 500 || r.Priority() != 7 {
		t.Fatalf("route via %v metric %d metrics %+v: %v", r.Gateway(), r.Priority(), r.Metrics(), err)
	}
	if out := nstest.IP(t, ns, "route", "show", "172.16.1.0/24"); strings.Count(out, "\n") > 1 || !strings.Contains(out, "via 192.0.2.3") || !strings.Contains(out, "mtu 1500 advmss 500") {
		t.Fatalf("kernel: %s", out)
	}
	// The same from a cached route: RouteSpecOf, change a field, Change.
	spec := RouteSpecOf(r)
	spec.Gateway = addr("192.0.2.4")
	db.Routes().Change(spec)
	if err := db.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Snapshot().Route(0, "172.16.1.0/24"); r.Gateway() != addr("192.0.2.4") || r.Metrics().MTU != 1500 {
		t.Fatalf("after Change: via %v metrics %+v", r.Gateway(), r.Metrics())
	}
	// An edit that moves the route to another slot is refused before
	// anything is sent.
	err = db.Do(ctx, func(tx *Tx) error {
		tx.Routes().Edit(rtm.RouteSpec{Dst: pfx("172.16.1.0/24")}, func(r *rtm.RouteSpec) { r.Priority = 9 })
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "cannot change") {
		t.Fatalf("an edit of the priority: %v", err)
	}
	// A route that is not there.
	err = db.Do(ctx, func(tx *Tx) error {
		tx.Routes().Edit(rtm.RouteSpec{Dst: pfx("172.16.9.0/24")}, func(r *rtm.RouteSpec) {})
		return nil
	})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("an edit of a missing route: %v", err)
	}
}

// "with ip.routes['default'] as route: route.gateway = ...".
func TestSeedDefaultRouteChangeGateway(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	nstest.IP(t, ns, "route", "add", "default", "via", "192.0.2.254")
	r, err := db.Snapshot().Route(0, "default")
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.Routes().Edit(rtm.RouteSpec{Dst: r.Dst()}, func(s *rtm.RouteSpec) { s.Gateway = addr("192.0.2.253") })
	})
	if r, _ := db.Snapshot().Route(0, "default"); r.Gateway() != addr("192.0.2.253") {
		t.Fatalf("default via %v", r.Gateway())
	}
	nstest.WantIP(t, ns, []string{"via 192.0.2.253"}, "route", "show", "default")
}

// "Route specs": by prefix, by the special name 'default', in a table,
// by a dict spec {'dst': ..., 'oif': ...}, and every route of a prefix
// ("[x for x in ip.routes if x['dst'] == 'fe80::/64']").
func TestSeedRouteSpecs(t *testing.T) {
	h, ns := setup(t)
	for _, d := range []string{"d0", "d1"} {
		nstest.IP(t, ns, "link", "add", d, "type", "ifb")
		nstest.IP(t, ns, "link", "set", d, "up")
	}
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "d0")
	nstest.IP(t, ns, "addr", "add", "198.51.100.1/24", "dev", "d1")
	nstest.IP(t, ns, "route", "add", "default", "via", "192.0.2.254")
	nstest.IP(t, ns, "route", "add", "172.16.0.0/24", "dev", "d0", "metric", "10")
	nstest.IP(t, ns, "route", "add", "172.16.0.0/24", "dev", "d1", "metric", "20")
	nstest.IP(t, ns, "route", "add", "172.16.0.0/24", "dev", "d1", "table", "100")
	db := open(t, h)
	wait(t, db, "fe80::/64 on both links", func(s *Snapshot) bool {
		n := 0
		for range s.Routes(&RouteQuery{Table: unix.RT_TABLE_MAIN, Dst: pfx("fe80::/64")}) {
			n++
		}
		return n == 2
	})
	s := db.Snapshot()
	d0, _ := s.LinkByName("d0")
	d1, _ := s.LinkByName("d1")
	// By prefix: the first (lowest metric) of several.
	if r, err := s.Route(0, "172.16.0.0/24"); err != nil || r.OutIndex() != d0.Index() {
		t.Fatalf("by prefix: dev %d: %v", r.OutIndex(), err)
	}
	if r, err := s.Route(0, "default"); err != nil || r.Gateway() != addr("192.0.2.254") {
		t.Fatalf("default: %v", err)
	}
	if r, err := s.Route(100, "172.16.0.0/24"); err != nil || r.OutIndex() != d1.Index() || r.Table() != 100 {
		t.Fatalf("table 100: %v", err)
	}
	// A dict spec: every field given must match.
	if r, ok := s.FindRoute(RouteQuery{Dst: pfx("172.16.0.0/24"), Table: unix.RT_TABLE_MAIN, OutIndex: d1.Index()}); !ok || r.Priority() != 20 {
		t.Fatalf("by dst and oif: %v metric %d", ok, r.Priority())
	}
	// Every route of a prefix, of any table.
	var devs []int32
	for r := range s.Routes(&RouteQuery{Dst: pfx("fe80::/64")}) {
		devs = append(devs, r.OutIndex())
	}
	slices.Sort(devs)
	if !slices.Equal(devs, []int32{d0.Index(), d1.Index()}) {
		t.Fatalf("fe80::/64 routes on %v", devs)
	}
	n := 0
	for range s.Routes(&RouteQuery{Dst: pfx("172.16.0.0/24")}) {
		n++
	}
	if n != 3 {
		t.Fatalf("%d routes to 172.16.0.0/24, want 3", n)
	}
}

// "Route metrics": route['metrics']['mtu'] = 1400 and
// route.metrics.mtu = 1400 are the same change.
func TestSeedRouteMetrics(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	nstest.IP(t, ns, "route", "add", "172.16.0.0/24", "via", "192.0.2.2")
	db.Routes().Edit(rtm.RouteSpec{Dst: pfx("172.16.0.0/24")}, func(r *rtm.RouteSpec) {
		r.Metrics.MTU = 1400
		r.Metrics.HopLimit = 32
	})
	if err := db.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Snapshot().Route(0, "172.16.0.0/24")
	if m := r.Metrics(); m.MTU != 1400 || m.HopLimit != 32 || r.Gateway() != addr("192.0.2.2") {
		t.Fatalf("metrics %+v via %v", m, r.Gateway())
	}
	nstest.WantIP(t, ns, []string{"mtu 1400 hoplimit 32"}, "route", "show", "172.16.0.0/24")
}

// "Multipath routing": a route with hops 2, 1 and none (iproute2's
// weights 3, 2 and 1), then add_nh and del_nh.
func TestSeedMultipath(t *testing.T) {
	nstest.Require(t, "multipath")
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	dst := pfx("172.16.232.0/24")
	db.Routes().Add(rtm.RouteSpec{Dst: dst, NextHops: []rtm.NextHopSpec{
		{Gateway: addr("192.0.2.2"), Weight: 2 + 1},
		{Gateway: addr("192.0.2.3"), Weight: 1 + 1},
		{Gateway: addr("192.0.2.4")},
	}})
	if err := db.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	hops := func() map[netip.Addr]int {
		r, err := db.Snapshot().Route(0, dst.String())
		if err != nil {
			t.Fatal(err)
		}
		m := map[netip.Addr]int{}
		for nh := range r.NextHops() {
			m[nh.Gateway] = nh.Weight
		}
		return m
	}
	want := map[netip.Addr]int{addr("192.0.2.2"): 3, addr("192.0.2.3"): 2, addr("192.0.2.4"): 1}
	if got := hops(); !mapsEqual(got, want) {
		t.Fatalf("next hops %v, want %v", got, want)
	}
	nstest.WantIP(t, ns, []string{"via 192.0.2.2 dev d0 weight 3"}, "route", "show", dst.String())
	// with ip.routes[...] as r: r.add_nh(...); r.del_nh(...)
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.Routes().AddNextHop(rtm.RouteSpec{Dst: dst}, rtm.NextHopSpec{Gateway: addr("192.0.2.5")}).
			DelNextHop(rtm.RouteSpec{Dst: dst}, addr("192.0.2.3"), 0)
	})
	want = map[netip.Addr]int{addr("192.0.2.2"): 3, addr("192.0.2.4"): 1, addr("192.0.2.5"): 1}
	if got := hops(); !mapsEqual(got, want) {
		t.Fatalf("next hops %v after add_nh and del_nh, want %v", got, want)
	}
	checkMirror(t, db)
}

// "Multipath default routes": weighted default routes are accepted and
// mirrored (the kernel no longer balances them per flow as it did).
func TestSeedMultipathDefault(t *testing.T) {
	nstest.Require(t, "multipath")
	ctx := seedCtx(t)
	_, db := gatewayFixture(t)
	db.Routes().Add(rtm.RouteSpec{Dst: pfx("0.0.0.0/0"), NextHops: []rtm.NextHopSpec{
		{Gateway: addr("192.0.2.2"), Weight: 2}, {Gateway: addr("192.0.2.3")},
	}})
	if err := db.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := db.Snapshot().Route(0, "default")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for nh := range r.NextHops() {
		got = append(got, nh.Gateway.String())
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"192.0.2.2", "192.0.2.3"}) {
		t.Fatalf("default route next hops %v", got)
	}
	checkMirror(t, db)
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// "with ip.create(ifname='v1p0', kind='veth', peer='v1p1') as i:
// i.add_ip(...) twice".
func TestSeedCreateVeth(t *testing.T) {
	ctx, _, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.CreateInterface(rtm.LinkSpec{Name: "v1p0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "v1p1"}}}).
			AddIP(pfx("172.16.0.1/24")).AddIP(pfx("172.16.1.1/24"))
	})
	v0 := checkKindOn(t, db, "v1p0", "veth", "v1p1")
	if !slices.Equal(db.Snapshot().IPv4(v0.Index()), []netip.Prefix{pfx("172.16.0.1/24"), pfx("172.16.1.1/24")}) {
		t.Fatalf("v1p0: ipaddr %v", db.Snapshot().IPv4(v0.Index()))
	}
}

// "ip.create(ifname='mvlan0', kind='macvlan', link=ip.interfaces.em1,
// macvlan_mode='private')", with the parent created in the same
// transaction and referred to by its object.
func TestSeedCreateMacvlan(t *testing.T) {
	nstest.Require(t, "link:macvlan")
	ctx, _, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		// Recorded before its parent: the commit orders them.
		mv := tx.CreateInterface(rtm.LinkSpec{Name: "mvlan0", Kind: &rtm.Macvlan{Mode: rtm.MacvlanPrivate}})
		em1 := tx.CreateInterface(rtm.LinkSpec{Name: "em1", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "em2"}}})
		mv.SetParent(em1).Up().AddIP(pfx("10.0.0.2/24"))
	})
	mv := checkKindOn(t, db, "mvlan0", "macvlan", "em1")
	if !slices.Equal(db.Snapshot().IPv4(mv.Index()), []netip.Prefix{pfx("10.0.0.2/24")}) {
		t.Fatalf("mvlan0: ipaddr %v", db.Snapshot().IPv4(mv.Index()))
	}
	if mode, ok := mv.KindData().Get(unix.IFLA_MACVLAN_MODE); !ok || mode.Data[0] != byte(rtm.MacvlanPrivate) {
		t.Fatalf("macvlan mode %v", mode.Data)
	}
}

// "ip.create(ifname='mvtap0', kind='macvtap', link=..., macvtap_mode=...)".
func TestSeedCreateMacvtap(t *testing.T) {
	nstest.Require(t, "link:macvtap")
	ctx := seedCtx(t)
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "em1", "type", "veth", "peer", "name", "em2")
	db := open(t, h)
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.CreateInterface(rtm.LinkSpec{Name: "mvtap0", Kind: &rtm.Macvlan{Tap: true, Mode: rtm.MacvlanVEPA}}).
			SetParent(tx.Interface("em1"))
	})
	checkKindOn(t, db, "mvtap0", "macvtap", "em1")
}

// "ip.create(ifname='v101', kind='vlan', link=ip.interfaces.eth0,
// vlan_id=101)": the link given as an interface object.
func TestSeedCreateVlan(t *testing.T) {
	nstest.Require(t, "link:vlan")
	ctx, _, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		eth0 := tx.CreateInterface(rtm.LinkSpec{Name: "eth0", Kind: &rtm.Veth{}})
		tx.CreateInterface(rtm.LinkSpec{Name: "v101", Kind: &rtm.Vlan{ID: 101}}).SetParent(eth0).AddIP(pfx("10.1.0.1/24"))
	})
	checkKindOn(t, db, "v101", "vlan", "eth0")
}

// "ip.create(kind='vxlan', ifname='vx101', vxlan_link=ip.interfaces.eth0,
// vxlan_id=101, vxlan_group=..., vxlan_ttl=16)".
func TestSeedCreateVxlan(t *testing.T) {
	nstest.Require(t, "link:vxlan")
	ctx, ns, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		eth0 := tx.CreateInterface(rtm.LinkSpec{Name: "eth0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "eth1"}}})
		tx.CreateInterface(rtm.LinkSpec{Name: "vx101", Kind: &rtm.Vxlan{VNI: 101, Group: addr("239.1.1.1"), TTL: rtm.Some[uint8](16)}}).
			SetParent(eth0)
	})
	l := linkOf(t, db, "vx101")
	dev, ok := l.KindData().Get(unix.IFLA_VXLAN_LINK)
	if l.Kind() != "vxlan" || !ok {
		t.Fatalf("vx101: kind %q, no IFLA_VXLAN_LINK", l.Kind())
	}
	if v, _ := dev.Uint32(); int32(v) != linkOf(t, db, "eth0").Index() {
		t.Fatalf("vx101 on device %d, want eth0's %d", v, linkOf(t, db, "eth0").Index())
	}
	nstest.WantIP(t, ns, []string{"group 239.1.1.1 dev eth0", "ttl 16"}, "-d", "link", "show", "vx101")
}

// "ip.create(ifname='tap0', kind='tuntap', mode='tap', uid=..., gid=...)".
func TestSeedCreateTunTap(t *testing.T) {
	nstest.Require(t, "link:tun")
	ctx, ns, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.CreateTunTap(rtm.TunTap{Name: "tap0", Tap: true, Owner: rtm.Some[uint32](4242), Group: rtm.Some[uint32](4243)}).
			AddIP(pfx("10.2.0.1/24"))
	})
	l := linkOf(t, db, "tap0")
	if l.Kind() != "tun" || !slices.Equal(db.Snapshot().IPv4(l.Index()), []netip.Prefix{pfx("10.2.0.1/24")}) {
		t.Fatalf("tap0: kind %q ipaddr %v", l.Kind(), db.Snapshot().IPv4(l.Index()))
	}
	nstest.WantIP(t, ns, []string{"tun type tap", "user 4242 group 4243"}, "-d", "link", "show", "tap0")
}

// "ip.create(ifname='grex', kind='gre', gre_local=..., gre_remote=...,
// gre_ttl=16)" and the keyed GRE with iflags and oflags.
func TestSeedCreateGRE(t *testing.T) {
	nstest.Require(t, "link:gre")
	ctx, _, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		tx.CreateInterface(rtm.LinkSpec{Name: "grex", Kind: &rtm.GRE{Local: addr("172.16.0.1"), Remote: addr("172.16.0.101"), TTL: rtm.Some[uint8](16)}}).
			AddIP(pfx("192.168.0.1/24")).Up()
		tx.CreateInterface(rtm.LinkSpec{Name: "gre-keyed", Kind: &rtm.GRE{Local: addr("172.16.0.1"), Remote: addr("172.16.0.102"),
			IKey: rtm.Some[uint32](10), OKey: rtm.Some[uint32](10)}})
	})
	if l := linkOf(t, db, "grex"); l.Kind() != "gre" {
		t.Fatalf("grex: kind %q", l.Kind())
	}
}

// The kinds of create() that need nothing but a name: bridge, bond,
// dummy, team; with ports, seen through the ports view.
func TestSeedCreateKindsWithPorts(t *testing.T) {
	ctx := seedCtx(t)
	for _, tc := range []struct {
		feature string
		kind    rtm.LinkKind
	}{
		{"link:bridge", &rtm.Bridge{}},
		{"link:bond", &rtm.Bond{}},
		{"link:team", &rtm.Team{}}, // the request is checked against iproute2's in rtm
		{"link:dummy", &rtm.Dummy{}},
	} {
		t.Run(tc.kind.Kind(), func(t *testing.T) {
			nstest.Require(t, tc.feature)
			h, ns := setup(t)
			nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
			db := open(t, h)
			mustDo(t, ctx, db, func(tx *Tx) {
				m := tx.CreateInterface(rtm.LinkSpec{Name: "m0", Kind: tc.kind}).Up()
				if tc.kind.Kind() != "dummy" {
					m.AddPort(tx.Interface("p0"))
				}
			})
			m := linkOf(t, db, "m0")
			if m.Kind() != tc.kind.Kind() {
				t.Fatalf("m0: kind %q", m.Kind())
			}
			ports := db.Snapshot().Ports(m.Index())
			if tc.kind.Kind() != "dummy" && (len(ports) != 1 || ports[0].Name() != "p0") {
				t.Fatalf("ports %v", ports)
			}
		})
	}
}

// "register_callback(callback, mode='post')": a post callback that looks
// the new interface up by the index of the message; and mode='pre', which
// may patch the arriving message.
func TestSeedCallbacks(t *testing.T) {
	h, ns := setup(t)
	var (
		mu       sync.Mutex
		reported []error
	)
	db := open(t, h, WithErrorHandler(func(err error) { mu.Lock(); reported = append(reported, err); mu.Unlock() }))
	found := make(chan string, 16)
	db.AddPostCallback(func(e Event) {
		if e.Type != unix.RTM_NEWLINK {
			return
		}
		l, _ := e.Link()
		// The database already holds what the callback was told of.
		if got, ok := db.Snapshot().LinkByIndex(l.Index()); ok && l.NameIs("cb0") {
			found <- got.Name()
		}
	})
	// A pre callback that patches messages: every link "patched" is
	// mirrored with MTU 1234, whatever the kernel says.
	db.AddPreRewriter(func(e Event) (Event, bool) {
		if l, ok := e.Link(); ok && l.NameIs("patched") {
			if a, ok := l.Chain().Get(unix.IFLA_MTU); ok && len(a.Data) == 4 {
				copy(a.Data, []byte{0xd2, 0x04, 0, 0}) // 1234, little-endian
			}
		}
		return e, true
	})
	// One that breaks its messages is reported and ignored.
	db.AddPreRewriter(func(e Event) (Event, bool) {
		if l, ok := e.Link(); ok && l.NameIs("broken") {
			e.Data = e.Data[:3]
		}
		return e, true
	})
	nstest.IP(t, ns, "link", "add", "cb0", "type", "ifb")
	nstest.IP(t, ns, "link", "add", "patched", "type", "ifb")
	nstest.IP(t, ns, "link", "add", "broken", "type", "ifb")
	select {
	case name := <-found:
		if name != "cb0" {
			t.Fatalf("post callback found %q", name)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("post callback never saw cb0")
	}
	wait(t, db, "broken", func(s *Snapshot) bool { _, ok := s.LinkByName("broken"); return ok })
	if mtu := linkOf(t, db, "patched").MTU(); mtu != 1234 {
		t.Fatalf("patched MTU %d, want the pre callback's 1234", mtu)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) == 0 || !strings.Contains(reported[0].Error(), "malformed") {
		t.Fatalf("a malformed rewrite was not reported: %v", reported)
	}
}

// Commit hooks: "roll back changes depending on your own function calls,
// e.g. when a host or a network becomes unreachable".
func TestSeedCommitHooks(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	unreachable := errors.New("192.0.2.2 does not answer")
	var steps []string
	tx := db.Begin().OnCommit(func(s Step) error {
		steps = append(steps, s.Stage)
		if s.Stage == "routes" {
			return unreachable // the check after the route failed
		}
		return nil
	})
	tx.Interface("d0").SetMTU(1400).AddIP(pfx("192.0.2.10/24"))
	tx.Routes().Add(rtm.RouteSpec{Dst: pfx("172.16.0.0/24"), Gateway: addr("192.0.2.2")})
	err := tx.Commit(ctx)
	var ce *CommitError
	if !errors.As(err, &ce) || !errors.Is(err, unreachable) || ce.Rollback != nil {
		t.Fatalf("vetoed commit: %v", err)
	}
	if !slices.Equal(steps, []string{"attributes", "addresses", "routes"}) {
		t.Fatalf("hook saw %v", steps)
	}
	if mtuOf(t, ns, "d0") != "1500" || slices.Contains(db.Snapshot().IPv4(linkOf(t, db, "d0").Index()), pfx("192.0.2.10/24")) {
		t.Fatal("the vetoed commit was not rolled back")
	}
	if _, err := db.Snapshot().Route(0, "172.16.0.0/24"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the vetoed route: %v", err)
	}
	checkMirror(t, db)
}

// "One failed operation during commit() rolls back all the changes, has
// been made so far."
func TestSeedRollback(t *testing.T) {
	ctx := seedCtx(t)
	ns, db := gatewayFixture(t)
	before := nstest.IP(t, ns, "-d", "addr", "show")
	tx := db.Begin()
	tx.CreateInterface(rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}).Up().AddIP(pfx("10.9.0.1/24"))
	tx.Interface("d0").SetMTU(1400)
	// Unreachable gateway: the kernel refuses the route.
	tx.Routes().Add(rtm.RouteSpec{Dst: pfx("172.16.0.0/24"), Gateway: addr("203.0.113.1")})
	err := tx.Commit(ctx)
	var ce *CommitError
	if !errors.As(err, &ce) || ce.Step.Stage != "routes" || ce.Rollback != nil {
		t.Fatalf("commit: %v", err)
	}
	if _, ok := db.Snapshot().LinkByName("br0"); ok {
		t.Fatal("br0 left after the rollback")
	}
	if after := nstest.IP(t, ns, "-d", "addr", "show"); after != before {
		t.Fatalf("the kernel differs after the rollback:\n%s\nwas\n%s", after, before)
	}
	checkMirror(t, db)
}

// "Restart IPRoute channel, and create all the DB from scratch. Can be
// used when sync is lost": Resync.
func TestSeedResync(t *testing.T) {
	ctx := seedCtx(t)
	h, ns := setup(t)
	db := open(t, h, WithPreCallback(func(e Event) bool {
		// Lose every notification of d0: the database falls out of sync.
		l, ok := e.Link()
		return !ok || !l.NameIs("d0")
	}))
	nstest.IP(t, ns, "link", "add", "d0", "type", "ifb")
	if err := db.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := db.Snapshot().LinkByName("d0"); ok {
		t.Fatal("the pre callback did not hide d0")
	}
	if err := db.Resync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := db.Snapshot().LinkByName("d0"); !ok {
		t.Fatal("Resync did not find d0")
	}
}

// "release(): shutdown IPDB instance and sync the state".
func TestSeedRelease(t *testing.T) {
	ctx := seedCtx(t)
	db, ns := openWithD0(t)
	tx := db.Begin()
	tx.Interface("d0").SetMTU(1400)
	db.Close()
	if err := tx.Commit(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("commit after Close: %v", err)
	}
	if mtuOf(t, ns, "d0") != "1500" {
		t.Fatal("a transaction committed after Close")
	}
}
