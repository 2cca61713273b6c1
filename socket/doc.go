// Package socket is a hand-written AF_NETLINK socket for any netlink
// family.
//
// A [Conn] runs in the Go runtime's network poller: the file descriptor is
// non-blocking and every blocking call takes a [context.Context] whose
// cancellation and deadline interrupt it. A Conn receives into one buffer
// that it reuses, so that steady-state receiving allocates nothing; the
// bytes it hands out are valid until the next receive.
//
// Requests always go to the kernel's address (port 0, no groups), never to
// the socket's own address, which would multicast them to other listeners.
// Every datagram's sender is checked: only the kernel is trusted, and
// datagrams from any other port are dropped and counted in [Stats].
// Replies are matched to requests by sequence number and port id.
//
// Three exchanges cover what netlink users do: [Conn.Execute] sends one
// request and waits for its acknowledgement, [Conn.Dump] streams the
// replies of a dump as an iterator, and [Conn.Batch] pipelines many
// requests in as few sendmsg calls as the socket buffers allow and reports
// a result for each. [Conn.Recv] reads multicast notifications after
// [Conn.JoinGroup].
//
// Failure modes are distinct errors: [ErrOverrun] when the kernel dropped
// messages because the receive queue was full (the socket stays usable),
// [*TruncatedError] when a datagram did not fit the buffer,
// wire.ErrDumpInterrupted when a dump raced with changes, and *wire.Error,
// which unwraps to the unix.Errno, for everything the kernel rejected.
//
// A Conn may be opened inside another network namespace ([Config.Netns]);
// it stays bound to that namespace for its lifetime, whatever thread later
// uses it.
package socket
