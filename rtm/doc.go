// Package rtm speaks RTNL, the kernel's NETLINK_ROUTE interface: links,
// addresses, routes, neighbours, rules and nexthops. It is the Go
// counterpart of pyroute2's IPRoute.
//
// A [Handle] opens sockets with extended ACKs and strict checking on, in the
// caller's network namespace or another one ([WithNetns]). Every call takes
// a context.
//
// Reading is lazy and streaming. A dump such as [Handle.Links] is an
// iterator over views ([Link], [Addr]) of the messages in the socket's
// receive buffer: nothing is decoded until asked for, and iterating
// allocates nothing per object. A view is valid until the next iteration;
// Clone detaches one to keep, and [Collect] gathers a dump into a slice.
// Filters are sent to the kernel wherever it can apply them; each filter
// field documents where it is applied.
//
// Views have typed accessors for the common attributes and, like pyroute2,
// access by name to all of them: link.Get("stats64", "rx_bytes") or
// link.Get("linkinfo", "data", "vxlan_id"), and Attrs to list them with
// their names.
//
// # Consistency under concurrent changes
//
// The kernel sends a dump in datagrams of at most 32 KiB and builds each
// one when the previous one has been read, so a dump that spans several
// datagrams races with changes made meanwhile. How it resumes decides what
// can go wrong: resuming after a key (an interface index, a destination,
// a nexthop id) cannot lose or repeat the objects that stay, but resuming at
// a position in a list (the n-th address of an interface, the n-th entry
// of a hash chain or of a bridge's FDB) repeats an object when one is
// added before that position and skips one when one is removed. The
// kernel flags some dumps that raced with a change (NLM_F_DUMP_INTR) and
// not others.
//
// Every dump method of this package but Rules (2) yields an object at
// most once, and all aim at one promise: when a dump ends without an
// error, each object that existed from its start to its end was yielded
// (objects added or removed meanwhile may or may not appear). When it
// cannot promise that, it yields everything it has, then ends with an
// error matching wire.ErrDumpInterrupted; [wire.Retry] runs it again.
// Notes (1) and (4) say where the promise has holes. Changes the loop
// body makes itself count as concurrent changes: collect first, change
// after (as [Batch] makes easy). Where the kernel does not keep the
// promise itself, ipr does:
//
//	Dump      kernel resumes by   kernel flags   ipr adds
//	Links     interface index     yes            -
//	Routes    destination (1)     no             repeats dropped and flagged
//	Nexthops  nexthop id          yes            -
//	Rules     position            no             changes watched (2)
//	Addrs     position            partly (3)     repeats dropped; removals watched (4)
//	Neighs    position in chain   no             repeats dropped; removals watched (4)
//	FDB       position in list    no             repeats dropped; removals watched (4)
//
// Measured on Linux 6.18 with 3,000 stable objects and another socket
// adding and removing objects of the same kind next to them (the churn
// tests of this package, 300 dumps each), the kernel alone returned a
// wrong set without flagging it in 39 to 82% of the address dumps
// filtered by interface, 0.3 to 3% of the unfiltered ones, 40% of the
// rule dumps, about 1% of the IPv6 neighbour dumps, 75 to 96% of the FDB
// dumps, and 2% (IPv4) and 68% (IPv6) of the route dumps with 10 routes
// per destination; never for links, nexthops or routes to distinct
// destinations. With what ipr adds: in none of 1,000 dumps of each kind,
// but for the IPv4 routes of note (1).
//
// A dump can only go wrong that way when the kernel had to resume it: it
// fills a datagram (of 32 KiB, or at least about 3 KiB), stops when the
// next object does not fit, and resumes from there once the datagram has
// been read. A dump that came whole in one datagram, or whose datagrams
// but the last had room for one more object, was built without such a
// resumption and needs no check ([socket.DumpStats]): up to about 30
// addresses, and up to some hundreds of neighbours or rules, whose
// dumps end in the same datagram.
//
// (1) And by position among the routes to one destination address
// (differing in prefix length, metric, TOS or type). The one case left
// undetected: such an IPv4 route can be skipped, unflagged, when another
// listed before it is removed during the dump (3 dumps in 100 in the
// churn test with 10 routes per destination; none with one).
//
// (2) Rules can be alike in every field, so a repeat proves nothing:
// Rules subscribes to rule notifications for the length of the dump, as
// in (4), and ends in wire.ErrDumpInterrupted when a rule of the family
// was added or removed while a dump the kernel resumed ran.
//
// (3) Never when filtered by interface ([AddrFilter.Index]), and not for
// an IPv6 address that is being added or removed, which the kernel counts
// as a change only once its routes are set up.
//
// (4) An object yielded twice is proof of a race: the second copy is
// dropped and the dump ends in wire.ErrDumpInterrupted. A skipped object
// leaves no trace, so these dumps subscribe to the objects' notifications
// while they run (on a socket the Handle keeps for that, joining and
// leaving the groups around each dump: a few microseconds, nothing per
// object). When the kernel resumed the dump, a removal notified between
// the request and the end of the dump ends it in wire.ErrDumpInterrupted
// too; the notifications are read up to a barrier, a request the kernel
// answers under RTNL, which address, rule and requested neighbour and FDB
// changes hold while they change and notify. This flags a resumed dump
// during which any object of the kind was removed, as the kernel flags a
// link dump during which any link changed. Two windows are left: a
// removal notified without RTNL (a neighbour entry garbage-collected, an
// FDB entry aged out) whose notification the kernel has not yet sent
// when the dump ends (microseconds), and a neighbour table that grows
// during the dump (the kernel then rehashes every entry to new
// positions).
//
// Changes take typed specifications (such as [AddrSpec]) validated before
// anything is sent. [Batch] pipelines many changes and reports a result for
// each. Errors from the kernel unwrap to their unix.Errno, so
// errors.Is(err, unix.EEXIST) works, and carry the kernel's extended-ACK
// message and the operation that failed.
//
// A change is also a value, a [Request]: [RouteAdd](spec) is the request
// that [Handle.RouteAdd] sends, [AddrAdd], [LinkSet], [NeighDel],
// [FDBAppend], [RuleAdd], [NexthopReplace], [NeighTableSet] and the rest
// are those of the other methods of the same names. [Handle.Do] sends
// requests, alone or pipelined, and [Batch.Add] queues them, so that code
// can build changes of any kind without deciding how they are sent (see
// the example of Handle.Do). The Handle and Batch methods are shorthands
// for them; new kinds of change come as request constructors, not as new
// methods. A request is validated when it is sent or queued, before
// anything goes to the kernel, with the errors of the methods.
//
// A Handle cannot be wedged by its caller or by another process. Every call
// refuses a nil context with an error before it borrows a socket, and no
// call waits for a socket: it opens one when none is idle. A socket that a
// panic carries out of its exchange — in the body of a loop over a dump,
// or in a [Batch.RunEcho] callback — is closed, never returned to the
// pool. A socket whose queue overflowed, for instance because another
// process with CAP_NET_ADMIN flooded it, reports [socket.ErrOverrun] to the
// call that met the overrun and empties its queue before its next request
// (see package socket). Specifications are checked before anything is
// sent: a prefix built with a length out of range (an IPv4 /33) is named
// as such.
//
// A Handle talks to the kernel through [socket.Transport]s, which
// [WithTransport] lets a caller dial: package nltest's recorded
// conversations and fake kernel test code over rtm without root.
package rtm
