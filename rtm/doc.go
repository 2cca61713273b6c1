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
// Changes take typed specifications (such as [AddrSpec]) validated before
// anything is sent. [Batch] pipelines many changes and reports a result for
// each. Errors from the kernel unwrap to their unix.Errno, so
// errors.Is(err, unix.EEXIST) works, and carry the kernel's extended-ACK
// message and the operation that failed.
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
package rtm
