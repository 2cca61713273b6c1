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
// The kernel sends a dump in datagrams of at most 32 KiB, and builds each
// one when the previous one has been read, so a dump that spans several
// datagrams can race with changes made meanwhile. How it resumes decides
// what can go wrong: resuming after a key (an interface index, a prefix, a
// nexthop id) cannot lose or repeat the objects that stay, but resuming at
// a position in a list (the n-th address of an interface, the n-th entry
// of a hash chain) repeats an object when one is added before that
// position and skips one when one is removed. The kernel flags some dumps
// that raced with a change (NLM_F_DUMP_INTR) and not others. A flagged
// dump still yields everything the kernel sent, then ends with an error
// matching wire.ErrDumpInterrupted; [wire.Retry] runs it again.
//
// Every dump of this package yields each object at most once, and never
// ends without an error after yielding an inconsistent set where the
// inconsistency can be seen cheaply. What each guarantees for the objects
// that exist from the start of the dump to its end (objects added or
// removed during the dump may or may not appear):
//
//	Dump           kernel resumes by  kernel flags  ipr adds                     stable objects
//	Links          interface index    yes           -                            exactly once
//	Routes         prefix             rarely        -                            exactly once (1)
//	Nexthops       nexthop id         yes           -                            exactly once
//	Rules          position           never         a second dump to compare     exactly once, or flagged (2)
//	Addrs          position           yes (3)       index filter in user space;  at most once; rarely missed
//	                                                repeats dropped and flagged  without a flag (4)
//	Neighs         position in chain  never         repeats dropped and flagged  at most once; rarely missed
//	                                                                             without a flag (5)
//	FDB            position in list   never         repeats dropped and flagged  at most once; can be missed
//	                                                                             without a flag (5)
//	NexthopBuckets bucket index       yes           -                            exactly once
//
// (1) Routes that share a prefix (differing in metric, TOS or type) are
// resumed by position among themselves, so one of them can be repeated or
// skipped when another of the same prefix comes or goes.
//
// (2) Rules are few, so a rule dump is followed by a second one, not
// yielded, and ends in wire.ErrDumpInterrupted unless both were identical.
//
// (3) Only without an interface filter: the kernel never flags an address
// dump filtered by interface, which was wrong in 8 of 10 dumps of a link
// with 3,000 addresses while another program added and removed addresses
// on it. [AddrFilter.Index] is therefore applied in user space, over the
// dump of every address of the family.
//
// (4) The kernel flags the dump unless the change lands while the last
// datagram is being built, or, for IPv6, between an address entering or
// leaving the list and the kernel counting the change, which it does only
// after the address's routes are set up (measured under continuous churn:
// about 1 dump in 100 for IPv6, none in 1,000 for IPv4).
//
// (5) A repeated entry is proof of a race and is reported; a skipped one
// leaves no trace. Measured under continuous churn next to 3,000 stable
// entries: about 1 neighbour dump in 100 missed one (IPv6 only), and 1
// to 10 FDB dumps in 100. Where an exact set matters under churn, follow
// the dump with a [Monitor] subscription (as [ipdb] does), which reports
// every change after the dump.
//
// Changes take typed specifications (such as [AddrSpec]) validated before
// anything is sent. [Batch] pipelines many changes and reports a result for
// each. Errors from the kernel unwrap to their unix.Errno, so
// errors.Is(err, unix.EEXIST) works, and carry the kernel's extended-ACK
// message and the operation that failed.
package rtm
