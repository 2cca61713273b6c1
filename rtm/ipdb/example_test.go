package ipdb_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
	"golang.org/x/sys/unix"
)

// Example creates a bridge with an address and a route in one
// transaction, and reads the result back from the database. It needs root
// (and changes the namespace it runs in), so it has no Output.
func Example() {
	ctx := context.Background()
	h, err := rtm.Dial()
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	db, err := ipdb.Open(ctx, h)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	tx := db.Begin()
	br := tx.CreateInterface(rtm.LinkSpec{Name: "br-example", Kind: &rtm.Bridge{}})
	br.SetMTU(9000).Up().AddIP(netip.MustParsePrefix("192.0.2.1/24"))
	br.AddRoute(rtm.RouteSpec{Dst: netip.MustParsePrefix("198.51.100.0/24")})
	fmt.Print(tx.Review())
	if err := tx.Commit(ctx); err != nil {
		log.Fatal(err) // nothing of the transaction is left in the kernel
	}

	// The database already shows the commit.
	s := db.Snapshot()
	l, _ := s.LinkByName("br-example")
	fmt.Println(l.MTU(), s.IPv4(l.Index()))
}

// Example_routes is pyroute2 IPDB's first routing example,
// ip.routes.add({'dst': 'default', 'gateway': ...}).commit(): a
// transaction of routes alone, in the default (implicit) mode, where the
// database's own change methods open the transaction that Commit
// commits. A commit that another writer got in the way of says so.
func Example_routes() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	db.Routes().Add(rtm.RouteSpec{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: netip.MustParseAddr("192.0.2.254")})
	err := db.Commit(ctx)
	var conflict *ipdb.ConflictError
	switch {
	case errors.As(err, &conflict):
		// Someone else added a default route since the commit planned.
		fmt.Println(conflict.Object, "was", conflict.Change, "meanwhile")
	case err != nil:
		log.Fatal(err)
	}
}

// openDB is what every example but the first starts with: a database
// with opts over a handle on the current namespace, and release, which
// closes both (pyroute2's release()).
func openDB(ctx context.Context, opts ...ipdb.Option) (db *ipdb.DB, release func()) {
	h, err := rtm.Dial()
	if err != nil {
		log.Fatal(err)
	}
	db, err = ipdb.Open(ctx, h, opts...)
	if err != nil {
		log.Fatal(err)
	}
	return db, func() {
		db.Close()
		h.Close()
	}
}

// ExampleDB_With is pyroute2's "with ip.interfaces.eth0 as i:": the
// changes commit when the function returns nil, and are dropped if it
// returns an error or panics.
func ExampleDB_With() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	hwaddr, _ := net.ParseMAC("00:11:22:33:44:55")
	err := db.With(ctx, "eth0", func(i *ipdb.Iface) error {
		i.SetAddress(hwaddr).Rename("bala").SetTxQueueLen(2000)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}

// ExampleSnapshot_LinkByName is pyroute2's by_name, by_index and
// interfaces['em1']['address'] / ['ipaddr'] (or ip.interfaces.em1.address).
func ExampleSnapshot_LinkByName() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	s := db.Snapshot()
	for _, l := range s.Links() { // by_index and by_name
		fmt.Println(l.Index(), l.Name())
	}
	if em1, ok := s.LinkByName("em1"); ok {
		fmt.Println(em1.HardwareAddr(), s.IPv4(em1.Index()), s.IPv6(em1.Index()))
	}
	lo, _ := s.LinkByIndex(1) // ip.interfaces.lo
	fmt.Println(lo.Name(), lo.MTU(), lo.Flags(), lo.Qdisc(), lo.Type(), s.Ports(lo.Index()))
}

// ExampleWithMode shows the transaction modes: Direct (every change goes
// to the kernel at once), Implicit (the default: the first change opens a
// transaction that db.Commit commits), Explicit (changes need Begin) and
// SnapshotMode (nothing ever reaches the kernel).
func ExampleWithMode() {
	ctx := context.Background()
	db, release := openDB(ctx, ipdb.WithMode(ipdb.Explicit))
	defer release()

	// The explicit session: begin, change, review, commit.
	tx := db.Begin()
	tap0 := tx.Interface("tap0")
	tap0.Up()
	hwaddr, _ := net.ParseMAC("00:11:22:33:44:55")
	tap0.SetAddress(hwaddr)
	tap0.AddIP(netip.MustParsePrefix("172.16.0.1/24"))
	tap0.AddIP(netip.MustParsePrefix("172.16.1.1/24"))
	last, _ := db.Last() // review() the last() transaction
	fmt.Print(last.Review())
	if err := tx.Commit(ctx); err != nil {
		log.Fatal(err)
	}
}

// ExampleDB_Do is pyroute2's "with ip.create(kind='bridge',
// ifname='control') as i: i.add_ip(...)", and create(..., reuse=True),
// which takes the interface if it exists.
func ExampleDB_Do() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	err := db.Do(ctx, func(tx *ipdb.Tx) error {
		tx.CreateInterface(rtm.LinkSpec{Name: "control", Kind: &rtm.Bridge{}}).
			AddIP(netip.MustParsePrefix("10.0.0.1/24"))
		tx.Ensure(rtm.LinkSpec{Name: "br-reused", Kind: &rtm.Bridge{}}).Up()
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}

// ExampleIface_SetParent creates the kinds of pyroute2's create(): a veth
// pair, a macvlan and a vxlan on it, referred to by the transaction's
// object (pyroute2's link=ip.interfaces.eth0) though it does not exist
// yet, and a tap device.
func ExampleIface_SetParent() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	tx := db.Begin()
	v1p0 := tx.CreateInterface(rtm.LinkSpec{Name: "v1p0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "v1p1"}}})
	v1p0.AddIP(netip.MustParsePrefix("172.16.0.1/24")).AddIP(netip.MustParsePrefix("172.16.1.1/24"))
	tx.CreateInterface(rtm.LinkSpec{Name: "mvlan0", Kind: &rtm.Macvlan{Mode: rtm.MacvlanPrivate}}).SetParent(v1p0)
	tx.CreateInterface(rtm.LinkSpec{Name: "vx101", Kind: &rtm.Vxlan{VNI: 101, Group: netip.MustParseAddr("239.1.1.1"),
		TTL: rtm.Some[uint8](16)}}).SetParent(v1p0)
	tx.CreateTunTap(rtm.TunTap{Name: "tap0", Tap: true, Owner: rtm.Some[uint32](1000)})
	// Kinds this kernel may lack: a VLAN, a GRE tunnel, a bond, a team.
	//   tx.CreateInterface(rtm.LinkSpec{Name: "v101", Kind: &rtm.Vlan{ID: 101}}).SetParent(v1p0)
	//   tx.CreateInterface(rtm.LinkSpec{Name: "grex", Kind: &rtm.GRE{Local: ..., Remote: ..., TTL: rtm.Some[uint8](16)}})
	//   tx.CreateInterface(rtm.LinkSpec{Name: "bond0", Kind: &rtm.Bond{}}).AddPort(tx.Interface("eth1"))
	//   tx.CreateInterface(rtm.LinkSpec{Name: "team0", Kind: &rtm.Team{}})
	if err := tx.Commit(ctx); err != nil {
		log.Fatal(err)
	}
}

// ExampleRoutes_Edit is pyroute2's routing management: a route from a
// spec with metrics, "with ip.routes['172.16.1.0/24'] as route:
// route.gateway = ...; route.metrics.mtu = 1500", the default route's
// gateway changed, and a cached route turned back into a spec.
func ExampleRoutes_Edit() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	db.Routes().Add(rtm.RouteSpec{Dst: netip.MustParsePrefix("172.16.1.0/24"), Gateway: netip.MustParseAddr("192.0.2.2"),
		Metrics: rtm.RouteMetrics{MTU: 1400, AdvMSS: 500}})
	if err := db.Commit(ctx); err != nil {
		log.Fatal(err)
	}

	err := db.Do(ctx, func(tx *ipdb.Tx) error {
		tx.Routes().Edit(rtm.RouteSpec{Dst: netip.MustParsePrefix("172.16.1.0/24")}, func(r *rtm.RouteSpec) {
			r.Gateway = netip.MustParseAddr("192.0.2.3")
			r.Metrics.MTU = 1500
		})
		tx.Routes().Edit(rtm.RouteSpec{Dst: netip.MustParsePrefix("0.0.0.0/0")}, func(r *rtm.RouteSpec) {
			r.Gateway = netip.MustParseAddr("192.0.2.254")
		})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	// The same from a snapshot: RouteSpecOf, change a field, Change.
	r, err := db.Snapshot().Route(0, "172.16.1.0/24")
	if err != nil {
		log.Fatal(err)
	}
	spec := ipdb.RouteSpecOf(r)
	spec.Metrics.MTU = 1400
	db.Routes().Change(spec)
	if err := db.Commit(ctx); err != nil {
		log.Fatal(err)
	}
}

// ExampleSnapshot_Route is pyroute2's route specs: by prefix, by the name
// "default", in a table, by several fields ({'dst': ..., 'oif': 2}), and
// every route of a prefix.
func ExampleSnapshot_Route() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	s := db.Snapshot()
	r, _ := s.Route(0, "172.16.1.0/24")
	def, _ := s.Route(0, "default")
	t100, _ := s.Route(100, "172.16.1.0/24")
	byOIF, _ := s.FindRoute(ipdb.RouteQuery{Table: 254, Dst: netip.MustParsePrefix("172.16.1.0/24"), OutIndex: 2})
	fmt.Println(r.Gateway(), def.Gateway(), t100.Gateway(), byOIF.Gateway())
	for r := range s.Routes(&ipdb.RouteQuery{Dst: netip.MustParsePrefix("fe80::/64")}) {
		fmt.Println(r.OutIndex())
	}
}

// ExampleRoutes_AddNextHop is pyroute2's multipath routing: hops 2 and 1
// are iproute2's weights 3 and 2; add_nh and del_nh. A default route may
// be multipath too.
func ExampleRoutes_AddNextHop() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	dst := rtm.RouteSpec{Dst: netip.MustParsePrefix("172.16.232.0/24")}
	mp := dst
	mp.NextHops = []rtm.NextHopSpec{
		{Gateway: netip.MustParseAddr("192.0.2.2"), Weight: 3},
		{Gateway: netip.MustParseAddr("192.0.2.3"), Weight: 2},
		{Gateway: netip.MustParseAddr("192.0.2.4")},
	}
	db.Routes().Add(mp)
	if err := db.Commit(ctx); err != nil {
		log.Fatal(err)
	}
	err := db.Do(ctx, func(tx *ipdb.Tx) error {
		tx.Routes().AddNextHop(dst, rtm.NextHopSpec{Gateway: netip.MustParseAddr("192.0.2.5")}).
			DelNextHop(dst, netip.MustParseAddr("192.0.2.3"), 0)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}

// ExampleDB_AddPostCallback is pyroute2's register_callback: a post
// callback that looks the new interface up by the message's index, and a
// pre callback that patches arriving messages.
func ExampleDB_AddPostCallback() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	db.AddPostCallback(func(e ipdb.Event) {
		if e.Type != unix.RTM_NEWLINK {
			return
		}
		l, _ := e.Link()
		if iface, ok := db.Snapshot().LinkByIndex(l.Index()); ok {
			fmt.Println("new link", iface.Name())
		}
	})
	db.AddPreRewriter(func(e ipdb.Event) (ipdb.Event, bool) {
		if l, ok := e.Link(); ok && l.NameIs("hidden") {
			return e, false // drop it
		}
		return e, true // or return another event
	})
}

// ExampleTx_OnCommit is pyroute2's commit hooks: roll the transaction
// back if a check after a step fails, e.g. a host becomes unreachable.
func ExampleTx_OnCommit() {
	ctx := context.Background()
	db, release := openDB(ctx)
	defer release()

	reachable := func() bool { return true } // your own check
	tx := db.Begin().OnCommit(func(s ipdb.Step) error {
		if s.Stage == "routes" && !reachable() {
			return errors.New("gateway unreachable")
		}
		return nil
	})
	tx.Routes().Add(rtm.RouteSpec{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: netip.MustParseAddr("192.0.2.254")})
	var ce *ipdb.CommitError
	if err := tx.Commit(ctx); errors.As(err, &ce) {
		fmt.Println("rolled back at", ce.Step, "because", ce.Err)
	}
}
