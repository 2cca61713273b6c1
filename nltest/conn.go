package nltest

import (
	"context"
	"encoding/binary"
	"errors"
	"iter"
	"net"
	"sync/atomic"

	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

var ne = binary.NativeEndian

// kernel is what stands in for the kernel behind a conn: a replayed
// conversation or a fake.
type kernel interface {
	// answer returns the datagrams that answer the datagram of requests
	// c sent. It may restamp the requests' sequence numbers in place
	// (a replay gives them their recorded ones); c reads them back.
	answer(c *conn, dgram []byte) ([][]byte, error)
}

// conn is a socket.Transport over a kernel: the exchanges of
// socket.Conn, played over the datagrams the kernel answers with.
type conn struct {
	k      kernel
	port   uint32
	cfg    socket.Config
	seq    atomic.Uint32
	lock   chan struct{} // one-slot semaphore, as in socket.Conn
	done   chan struct{}
	closed atomic.Bool
	// notes queues notifications and the answers to Send.
	notes chan []byte
	stale atomic.Uint64
	over  atomic.Uint64
	// onClose, if set, runs once on Close.
	onClose func()
}

// noteQueue is how many datagrams a conn queues for Notifications
// before it reports an overrun, as a full receive queue would.
const noteQueue = 256

func newConn(k kernel, port uint32, cfg *socket.Config) *conn {
	c := &conn{k: k, port: port, lock: make(chan struct{}, 1), done: make(chan struct{}),
		notes: make(chan []byte, noteQueue)}
	if cfg != nil {
		c.cfg = *cfg
	}
	c.seq.Store(1)
	return c
}

// errClosed is the error of calls on a closed transport; it matches
// net.ErrClosed, as a closed socket's does. (A type, so that nothing is
// built at init.)
var errClosed error = closedError{}

type closedError struct{}

func (closedError) Error() string { return "nltest: use of closed transport" }
func (closedError) Unwrap() error { return net.ErrClosed }

func (c *conn) acquire(ctx context.Context) error {
	if ctx == nil {
		return errors.New("nltest: nil context")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case c.lock <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return errClosed
	}
	if c.closed.Load() {
		<-c.lock
		return errClosed
	}
	return nil
}

func (c *conn) release() { <-c.lock }

func (c *conn) nextSeq(n uint32) uint32 {
	for {
		end := c.seq.Add(n)
		if first := end - n; first != 0 && first <= end-1 {
			return first
		}
	}
}

// stamp writes seq and flags into the header of the message at b.
func stamp(b []byte, seq uint32, flags uint16) {
	ne.PutUint16(b[6:], flags)
	ne.PutUint32(b[8:], seq)
}

// exchange checks the single request of the exchange ex, takes the
// lock, stamps and sends req, and returns its answer and the sequence
// number it ended up with. Unless it fails, the caller holds the lock
// and releases it.
func (c *conn) exchange(ctx context.Context, ex socket.Exchange, req []byte) (uint32, [][]byte, error) {
	h, err := ex.Check(req)
	if err != nil {
		return 0, nil, err
	}
	if err := c.acquire(ctx); err != nil {
		return 0, nil, err
	}
	held := false
	defer func() {
		if !held { // failed, or a panic in the kernel's answer
			c.release()
		}
	}()
	stamp(req, c.nextSeq(1), ex.Flags(h.Flags))
	dgs, err := c.k.answer(c, req)
	if err != nil {
		return 0, nil, err
	}
	held = true
	return ne.Uint32(req[8:]), dgs, nil
}

// ErrNoReply is returned by an exchange whose answer ended before the
// reply or acknowledgement it waits for: a real socket would wait for it
// until its context ended.
var ErrNoReply = errors.New("nltest: the conversation has no reply to this request")

// messages yields the messages of dgs addressed to seq on c; others count
// as stale, as on a socket.
func (c *conn) messages(dgs [][]byte, seq uint32) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		for _, d := range dgs {
			for m, err := range wire.Messages(d) {
				if err != nil {
					yield(m, err)
					return
				}
				if m.Header.Seq != seq || m.Header.Pid != c.port {
					c.stale.Add(1)
					continue
				}
				if !yield(m, nil) {
					return
				}
			}
		}
	}
}

// Execute implements socket.Transport.
func (c *conn) Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	return c.call(ctx, socket.ExchangeExecute, req, onReply)
}

// Query implements socket.Transport.
func (c *conn) Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	return c.call(ctx, socket.ExchangeQuery, req, onReply)
}

// call is Execute and Query, as socket.Conn makes them: an Execute asks
// for the acknowledgement, a Query does not, and socket.Replies finds
// where each ends.
func (c *conn) call(ctx context.Context, ex socket.Exchange, req []byte, onReply func(wire.Message) error) error {
	seq, dgs, err := c.exchange(ctx, ex, req)
	if err != nil {
		return err
	}
	defer c.release()
	r := socket.NewReplies(&c.cfg, ex, req)
	for m, err := range c.messages(dgs, seq) {
		if err != nil {
			return err
		}
		if done, _, err := r.Next(m, onReply); done {
			return err
		}
	}
	return ErrNoReply
}

// Dump implements socket.Transport.
func (c *conn) Dump(ctx context.Context, req []byte) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		seq, dgs, err := c.exchange(ctx, socket.ExchangeDump, req)
		if err != nil {
			yield(wire.Message{}, err)
			return
		}
		defer c.release()
		interrupted := false
		for m, err := range c.messages(dgs, seq) {
			if err != nil {
				yield(m, err)
				return
			}
			if m.Header.Flags&unix.NLM_F_DUMP_INTR != 0 {
				interrupted = true
			}
			switch m.Header.Type {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				if err := c.cfg.DumpEndError(m, req, interrupted); err != nil {
					yield(wire.Message{}, err)
				}
				return
			case unix.NLMSG_NOOP, unix.NLMSG_OVERRUN:
			default:
				if err := ctx.Err(); err != nil {
					yield(wire.Message{}, err)
					return
				}
				if !yield(m, nil) {
					return
				}
			}
		}
		yield(wire.Message{}, ErrNoReply)
	}
}

// Batch implements socket.Transport: the requests go in one datagram,
// and each gets the result its replies give it.
func (c *conn) Batch(ctx context.Context, msgs []byte, results []error, onReply func(i int, m wire.Message) error) error {
	count, err := socket.CheckBatch(msgs, results)
	if err != nil || count == 0 {
		return err
	}
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	first := c.nextSeq(uint32(count))
	offs := make([]int, 0, count)
	for off := 0; off < len(msgs); off += wire.Align(int(ne.Uint32(msgs[off:]))) {
		stamp(msgs[off:], first+uint32(len(offs)), ne.Uint16(msgs[off+6:])&^unix.NLM_F_ACK|unix.NLM_F_REQUEST)
		offs = append(offs, off)
	}
	dgs, err := c.k.answer(c, msgs)
	if err != nil {
		return err
	}
	index := make(map[uint32]int, count)
	for i, off := range offs {
		index[ne.Uint32(msgs[off+8:])] = i
	}
	request := func(i int) []byte {
		end := len(msgs)
		if i+1 < len(offs) {
			end = offs[i+1]
		}
		return msgs[offs[i]:end]
	}
	r := socket.NewBatchReplies(&c.cfg, count, results, onReply)
	for _, d := range dgs {
		for m, err := range wire.Messages(d) {
			if err != nil {
				return err
			}
			i, ok := index[m.Header.Seq]
			if !ok || m.Header.Pid != c.port {
				c.stale.Add(1)
				continue
			}
			if err := r.Reply(i, m, request); err != nil {
				return err
			}
		}
	}
	r.Settle(0, count, false)
	return r.Err()
}

// Send implements socket.Transport: the answer joins the notifications.
func (c *conn) Send(req []byte) (uint32, error) {
	h, err := socket.ExchangeSend.Check(req)
	if err != nil {
		return 0, err
	}
	if c.closed.Load() {
		return 0, errClosed
	}
	stamp(req, c.nextSeq(1), socket.ExchangeSend.Flags(h.Flags))
	dgs, err := c.k.answer(c, req)
	if err != nil {
		return 0, err
	}
	for _, d := range dgs {
		c.notify(d)
	}
	return ne.Uint32(req[8:]), nil
}

// notify queues a datagram for Notifications, or counts an overrun when
// the queue is full, as the kernel would drop it.
func (c *conn) notify(d []byte) {
	select {
	case c.notes <- d:
	default:
		c.overrun()
	}
}

// overrun queues an overrun report (nil), unless the queue is full, in
// which case the reader meets one soon enough: the next notify after
// the reader makes room reports it.
func (c *conn) overrun() {
	c.over.Add(1)
	select {
	case c.notes <- nil:
	default:
	}
}

// Notifications implements socket.Transport.
func (c *conn) Notifications(ctx context.Context) iter.Seq2[socket.Datagram, error] {
	return func(yield func(socket.Datagram, error) bool) {
		if err := c.acquire(ctx); err != nil {
			yield(socket.Datagram{}, err)
			return
		}
		defer c.release()
		for {
			select {
			case d := <-c.notes:
				if d == nil {
					if !yield(socket.Datagram{}, socket.ErrOverrun) {
						return
					}
					continue
				}
				if !yield(socket.Datagram{Data: d, NSID: -1}, nil) {
					return
				}
			case <-ctx.Done():
				yield(socket.Datagram{}, ctx.Err())
				return
			case <-c.done:
				yield(socket.Datagram{}, errClosed)
				return
			}
		}
	}
}

// PortID implements socket.Transport.
func (c *conn) PortID() uint32 { return c.port }

// SetPeek implements socket.Transport; there is no buffer to outgrow.
func (c *conn) SetPeek(bool) {}

// Stats implements socket.Transport.
func (c *conn) Stats() socket.Stats {
	return socket.Stats{Stale: c.stale.Load(), Overruns: c.over.Load()}
}

// Close implements socket.Transport.
func (c *conn) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	close(c.done)
	if c.onClose != nil {
		c.onClose()
	}
	return nil
}

// groups reports whether c was dialed into group g.
func (c *conn) inGroup(g uint32) bool {
	for _, x := range c.cfg.Groups {
		if x == g {
			return true
		}
	}
	return false
}

var _ socket.Transport = (*conn)(nil)
