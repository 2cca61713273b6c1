// Package ipdb is a database of a network namespace's links, addresses,
// routes, rules and neighbours that follows the kernel, and changes them
// in transactions: pyroute2's IPDB, without its failures.
//
// [Open] subscribes to RTNL notifications first, then loads every object
// (routes of every table), then applies the notifications that arrived
// meanwhile, so that no change is missed. Each table comes from one
// consistent dump: a dump the kernel flags as interrupted by concurrent
// changes, that shows an object twice, or (for rules, whose dumps the
// kernel never flags) during which a rule changed, is taken again a few
// times, and
// if none is consistent the load fails with [ErrInconsistent] rather
// than leave a table incomplete or empty. [WithKinds], [WithRouteTables]
// and [WithoutRouteTables] (pyroute2's ignore_rtables) limit what is
// loaded and followed, so that a short-lived process pays only for what
// it uses.
//
// When the kernel reports an overrun (its queue of notifications for the
// database overflowed), the database subscribes afresh, reads everything
// again, compares, and posts the differences as synthetic events: after
// any storm it equals the kernel's state. A resynchronisation that fails
// is posted as an [EventResyncFailed] event and tried again. It also repairs what the kernel changes without
// notice: the IPv4 routes flushed when a link goes down or an address
// goes, the routes and addresses that go with a deleted link, bridge
// ports' states, veth peers.
//
// Objects are kept as the kernel's own messages and read through the rtm
// views ([rtm.Link], [rtm.Route], ...): a cached IPv4 route takes about 110
// bytes. [DB.Snapshot] returns the state at one moment, which never
// changes and which any number of goroutines may read while the database
// goes on; [DB.Wait] waits, without polling, for a condition to hold.
//
// Changes go through transactions ([Tx]), in one of the modes of
// pyroute2's IPDB ([Mode]). A transaction records changes to interfaces
// ([Iface]: create any kind rtm supports, up and down, rename, address,
// MTU, transmit queue, addresses, neighbours, ports, a move to another
// namespace), routes ([Routes]: add, change, edit in place, remove, next
// hops, metrics) and rules ([Rules]); a transaction may hold any of them
// alone. [DB.With] and [DB.Do] are pyroute2's "with ip.interfaces.eth0
// as i:": the transaction commits when the function returns nil and is
// dropped if it fails or panics; [DB.Last] is pyroute2's last().
// [Tx.Ensure] is create(..., reuse=True); [Iface.SetParent] gives a vlan,
// macvlan or vxlan a lower device by the transaction's object, even one
// the same commit creates; [Routes.Edit] and [RouteSpecOf] change a route
// in place (route.gateway = ...), and [Snapshot.Ports] lists a bridge's
// or bond's ports.
// [Tx.Review] shows the pending diff and [Tx.Commit] applies it in
// dependency order, pipelined, each change confirmed by the kernel's
// acknowledgement, and rolls every applied change back, in reverse
// order, if one fails or a [CommitHook] vetoes it. When Commit returns,
// the database shows its outcome.
//
// A commit plans from the database itself, once it has applied every
// notification queued until then, with indexed lookups: it reads nothing
// again from the kernel, so its cost follows its changes, not the size
// of the tables, and other writers in the namespace cannot make it fail
// unless they change the very objects it changes, which it reports as a
// [ConflictError] ([ErrConflict]).
//
// Pre callbacks see each notification before it is applied and may drop
// it or, as a [PreRewriter], rewrite it; post callbacks see each change after, in order, on a goroutine of
// their own. [DB.Close] stops everything the database started.
package ipdb
