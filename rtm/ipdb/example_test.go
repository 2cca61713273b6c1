package ipdb_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
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

	db.Routes().Add(rtm.RouteSpec{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: netip.MustParseAddr("192.0.2.254")})
	err = db.Commit(ctx)
	var conflict *ipdb.ConflictError
	switch {
	case errors.As(err, &conflict):
		// Someone else added a default route since the commit planned.
		fmt.Println(conflict.Object, "was", conflict.Change, "meanwhile")
	case err != nil:
		log.Fatal(err)
	}
}
