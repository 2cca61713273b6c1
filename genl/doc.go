// Package genl speaks generic netlink (NETLINK_GENERIC), the netlink
// protocol that carries the kernel's many small families (ethtool,
// netdev, WireGuard, MPTCP, ...), each registered under a name and given
// an id at run time.
//
// A [Handle] pools sockets as rtm.Handle does, takes a context on every
// call, and asks for extended ACKs, so that an error names the attribute
// the kernel rejected. [Handle.Family] resolves a family by name through
// the controller family nlctrl and caches it; a family the kernel lacks
// (its module not loaded) is a [*FamilyNotFoundError], matched by
// errors.Is(err, [ErrFamilyNotFound]); an operation the family lacks in
// the running kernel (one a later kernel added) is refused before
// sending, as a [*OpNotSupportedError] that matches [ErrOpNotSupported]
// and unix.EOPNOTSUPP.
//
// Requests go to a resolved family: [Handle.Do] (acknowledged),
// [Handle.Query] (a get answered by one reply), [Handle.Batch]
// (pipelined, a result each) and [Handle.Dump], an iterator over views
// ([Message]) of the replies in the receive buffer that allocates nothing
// per message. [Handle.Monitor] subscribes to families' multicast groups
// by name; overruns are events in the stream, as in rtm.
//
// The cache of families follows the kernel: a handle over sockets watches
// nlctrl's notify group, and a family unregistered or registered again
// (CTRL_CMD_DELFAMILY, CTRL_CMD_NEWFAMILY: its module was unloaded or
// reloaded, and its id may have changed) is looked up anew. The families' own vocabularies
// live in packages of their own (genl/nlctrl, genl/mptcp, genl/tcpmetrics,
// genl/netdev, genl/seg6), so that a program linking one family carries nothing of
// the others; they build on [Handle.DoFamily], [DumpFamily] and
// [QueryFamily], and name attributes through [Value].
//
// [Monitor.Sync] is a barrier in a monitor's stream: the Event it marks
// comes after every notification the kernel had queued, such as those of
// changes just acknowledged.
//
// [WithTransport] replaces the kernel in tests (package nltest).
package genl
