package socket

import (
	"context"
	"iter"

	"github.com/ipr-go/ipr/wire"
)

// Transport is what a protocol package needs from a netlink socket: the
// exchanges of [Conn], and nothing about file descriptors. [*Conn] is the
// real one; a test can put a recorded conversation or a scripted fake in
// its place (see package nltest), so that code over netlink can be tested
// without the kernel, or without root.
//
// Each method has the contract of the [Conn] method of the same name:
// requests are stamped in place, replies alias memory that is valid only
// until the next reply, and kernel failures are *wire.Error values that
// unwrap to a unix.Errno. Another Transport keeps to these contracts
// with the pieces Conn is made of: [Exchange] checks a request and gives
// its flags, [Replies] and [BatchReplies] read the replies of an exchange
// to its result, [CheckBatch] checks a batch, and [Config.AckError],
// [Config.DumpEndError] and [Config.ReportWarning] make the errors.
type Transport interface {
	// Execute sends one request and waits for its acknowledgement; see
	// [Conn.Execute].
	Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error
	// Query sends a request answered by a reply rather than an
	// acknowledgement; see [Conn.Query].
	Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error
	// Dump streams the replies to a dump request; see [Conn.Dump].
	Dump(ctx context.Context, req []byte) iter.Seq2[wire.Message, error]
	// Batch pipelines many requests with a result for each; see
	// [Conn.Batch].
	Batch(ctx context.Context, msgs []byte, results []error, onReply func(i int, m wire.Message) error) error
	// Send sends a request without waiting; its replies arrive among the
	// notifications. See [Conn.Send].
	Send(req []byte) (uint32, error)
	// Notifications yields datagrams for the multicast groups the
	// transport was dialed with ([Config.Groups]); see
	// [Conn.Notifications].
	Notifications(ctx context.Context) iter.Seq2[Datagram, error]
	// PortID returns the port id replies to this transport carry.
	PortID() uint32
	// SetPeek asks for datagrams larger than the buffer to be received
	// whole; see [Conn.SetPeek]. Transports without a buffer ignore it.
	SetPeek(on bool)
	// Stats returns the transport's counters; see [Stats].
	Stats() Stats
	// Close releases the transport and interrupts calls in progress.
	Close() error
}

// Dialer opens a transport for a netlink protocol, with cfg's options
// (cfg is never nil). [Dial] is one, returning a [*Conn]; a protocol
// package that pools transports takes a Dialer so that a test can give it
// other ones. A Dialer that ignores options cannot honour them: Groups,
// for one, decides which notifications a transport delivers.
type Dialer func(protocol int, cfg *Config) (Transport, error)

// DialTransport is [Dial] as a [Dialer].
func DialTransport(protocol int, cfg *Config) (Transport, error) {
	c, err := Dial(protocol, cfg)
	if err != nil {
		return nil, err // not a non-nil interface holding a nil *Conn
	}
	return c, nil
}
