// Package nltest stands in for the kernel in tests of code over netlink,
// so that they run without root, and without a kernel that has the
// feature under test.
//
// Code that talks to the kernel through a [socket.Transport] dialed by a
// [socket.Dialer] (rtm.WithTransport gives an rtm.Handle one) can be
// given either of two stand-ins:
//
//   - A recorded conversation. A [Recorder] wraps real sockets and writes
//     every datagram they send and receive to a file, once, as root; a
//     [Replayer] then answers each request with the replies recorded for
//     it, and reports a request that differs from the recorded one (the
//     code under test changed what it asks) as a [*MismatchError].
//     [Conversation] does both in one test: it replays, or records when
//     NLTEST_RECORD=1. [ReplayFile] is the replaying dialer alone, for an
//     example or a program run against a recording.
//   - A [Fake]: a handler per request type answers what the code sends,
//     and [Fake.Notify] sends notifications to the transports dialed into
//     a group. [NewRTNL] returns one that keeps links, addresses and
//     routes as the kernel does ([Fake.AddLink], [Fake.AddAddr],
//     [Fake.AddRoute]), for testing agent code that reads and changes
//     them.
//
// Both play the exchanges of [socket.Conn] faithfully, over the
// datagrams they answer with: kernel errors are *wire.Error values that
// unwrap to the unix.Errno, extended-ACK offsets are located, dumps end
// with their NLMSG_DONE, and the replies of a request with another
// sequence number or port id are dropped as stale.
//
// # Conversation format
//
// A conversation is a text file; its first line is
//
//	# nltest conversation v1
//
// and every other line is a comment (starting with #), empty, or one
// datagram:
//
//	> SOCKET HEX   a datagram sent by socket number SOCKET
//	< SOCKET HEX   a datagram received by it
//
// HEX is the datagram's bytes in the recording machine's byte order.
// Sockets are numbered in the order they were dialed, from 1, and port
// ids in the datagrams are replaced by those numbers, so that a recording
// is the same from run to run of the same kernel. A replayed request is
// compared with the recorded one except for sequence numbers and port
// ids; the replies keep their recorded sequence numbers (the replayed
// request is given its recorded one). The NLMSG_NOOP barriers of a batch
// are not compared. Recorded notifications are not replayed: a
// conversation is sequential, as the code that recorded it.
package nltest
