package pool

import (
	"bytes"
	"context"

	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
)

// Conn is one transport of a pool: a socket, or what a WithTransport
// dialer opened. A socket is called through its concrete type (see the
// package documentation).
type Conn struct {
	S *socket.Conn
	T socket.Transport // when S is nil
}

// Close closes the transport.
func (c *Conn) Close() error {
	if c.S != nil {
		return c.S.Close()
	}
	return c.T.Close()
}

// LastDump returns how the kernel split the last dump into datagrams;
// zero for another transport, whose dumps are not resumed.
func (c *Conn) LastDump() socket.DumpStats {
	if c.S != nil {
		return c.S.LastDump()
	}
	return socket.DumpStats{}
}

// SetPeek turns MSG_PEEK sizing of datagrams on or off.
func (c *Conn) SetPeek(on bool) {
	if c.S != nil {
		c.S.SetPeek(on)
	} else {
		c.T.SetPeek(on)
	}
}

// PortID returns the transport's netlink port id.
func (c *Conn) PortID() uint32 {
	if c.S != nil {
		return c.S.PortID()
	}
	return c.T.PortID()
}

// Stats returns the transport's counters.
func (c *Conn) Stats() socket.Stats {
	if c.S != nil {
		return c.S.Stats()
	}
	return c.T.Stats()
}

// Send sends req without waiting for a reply.
func (c *Conn) Send(req []byte) (uint32, error) {
	if c.S != nil {
		return c.S.Send(req)
	}
	return c.T.Send(req)
}

// Batch runs the requests in msgs pipelined.
func (c *Conn) Batch(ctx context.Context, msgs []byte, results []error, onReply func(int, wire.Message) error) error {
	if c.S != nil {
		return c.S.Batch(ctx, msgs, results, onReply)
	}
	return c.T.Batch(ctx, msgs, results, onReply)
}

// Execute runs the Execute exchange of req on c.
func (c *Conn) Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	if c.S != nil {
		return c.S.Execute(ctx, req, onReply)
	}
	return buffered(onReply, func(keep func(wire.Message) error) error { return c.T.Execute(ctx, req, keep) })
}

// Query runs the Query exchange of req on c, as Execute does.
func (c *Conn) Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	if c.S != nil {
		return c.S.Query(ctx, req, onReply)
	}
	return buffered(onReply, func(keep func(wire.Message) error) error { return c.T.Query(ctx, req, keep) })
}

// buffered runs an exchange of a transport other than a socket with a
// callback that keeps copies of the replies, which onReply then sees once
// the exchange is over, as it sees its own error (an error from onReply,
// as on a socket, does not stop the exchange).
func buffered(onReply func(wire.Message) error, exchange func(keep func(wire.Message) error) error) error {
	var replies []wire.Message
	err := exchange(func(m wire.Message) error {
		replies = append(replies, wire.Message{Header: m.Header, Data: bytes.Clone(m.Data)})
		return nil
	})
	if err != nil || onReply == nil {
		return err
	}
	for _, m := range replies {
		if err := onReply(m); err != nil {
			return err
		}
	}
	return nil
}

// StreamDump runs a dump of req, passing each message to yield until it
// returns false, and returns the dump's error. A socket's own loop runs
// for a socket: the compiler then keeps the loop's state on the stack,
// where a call through the interface would move it to the heap (some ten
// allocations per dump). Another transport's whole dump is read, into
// copies, before its messages are yielded, so that yield does not escape
// through the transport's iterator, which would move the loop state of
// every dump to the heap, real sockets' included (such transports,
// nltest's, hold their replies in memory anyway); its error comes after
// its messages.
func (c *Conn) StreamDump(ctx context.Context, req []byte, yield func(wire.Message) bool) error {
	if sc := c.S; sc != nil {
		for m, err := range sc.Dump(ctx, req) {
			if err != nil {
				return err
			}
			if !yield(m) {
				return nil
			}
		}
		return nil
	}
	var msgs []wire.Message
	var derr error
	for m, err := range c.T.Dump(ctx, req) {
		if err != nil {
			derr = err
			break
		}
		msgs = append(msgs, wire.Message{Header: m.Header, Data: bytes.Clone(m.Data)})
	}
	for _, m := range msgs {
		if !yield(m) {
			return nil
		}
	}
	return derr
}

// PullNotifications reads the notifications of a transport other than a
// socket and passes copies of them to each, from the caller's goroutine,
// until each returns false or the transport's stream ends. A goroutine
// reads the transport, so that each does not escape through the
// transport's iterator (which would move the loop state of every
// monitor, sockets' included, to the heap); it ends when this returns,
// however it returns (each may panic).
func (c *Conn) PullNotifications(ctx context.Context, each func(d socket.Datagram, err error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type step struct {
		d   socket.Datagram
		err error
	}
	ch := make(chan step)
	go func() {
		defer close(ch)
		for d, err := range c.T.Notifications(ctx) {
			d.Data = bytes.Clone(d.Data)
			select {
			case ch <- step{d, err}:
			case <-ctx.Done():
				return
			}
		}
	}()
	for s := range ch {
		if !each(s.d, s.err) {
			return
		}
	}
}
