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
// [Conn.JoinGroup], and [Conn.TryRecv] whatever is queued, without
// waiting. After a dump, [Conn.LastDump] tells into how many datagrams the
// kernel split it and whether it may have resumed it after a full one
// ([DumpStats]): only such a dump can have skipped an object that a
// concurrent change moved.
//
// Failure modes are distinct errors: [ErrOverrun] when the kernel dropped
// messages because the receive queue was full (the socket stays usable),
// [*TruncatedError] when a datagram did not fit the buffer,
// wire.ErrDumpInterrupted when a dump raced with changes, and *wire.Error,
// which unwraps to the unix.Errno, for everything the kernel rejected.
//
// Every wait — for the socket while another exchange holds it, for a
// reply — ends when the call's context does or the Conn is closed, and a
// nil context is refused with an error before the socket is taken. A
// panic in a callback (onReply) or in the body of a loop over [Conn.Dump]
// or [Conn.Notifications] releases the socket as it unwinds, and the next
// request first discards whatever that exchange left in the receive queue.
//
// No request waits for a reply the kernel dropped silently. When a
// socket's receive queue overflows, for instance because another process
// with CAP_NET_ADMIN flooded its port, the kernel reports it to one
// receive (ENOBUFS, returned as [ErrOverrun]) and then drops replies
// without a word until the queue has been emptied. So after an overrun, or
// after datagrams from another port, the socket empties its queue, without
// waiting, before its next request. A change whose acknowledgement an
// overrun took may have been made: [Conn.Batch] reports such requests as
// [ErrUnknownOutcome], unless an NLM_F_ECHO copy proves they succeeded.
//
// A protocol package that takes a [Dialer] talks to a [Transport], the
// exchanges of a Conn behind an interface, so that tests can put a
// recorded conversation or a fake kernel (package nltest) in the real
// socket's place. [Config.Tap] sees every datagram, for recording.
//
// A Conn may be opened inside another network namespace ([Config.Netns]);
// it stays bound to that namespace for its lifetime, whatever thread later
// uses it.
package socket
