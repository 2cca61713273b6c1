package socket

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"unsafe"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// An Exchange is one of the ways a [Transport] sends a single request:
// its method of that name. Every Transport checks the request and sets its
// header flags as the Exchange says, and ends an Execute or a Query where
// [Replies] says.
type Exchange uint8

// The exchanges of a single request.
const (
	ExchangeExecute Exchange = iota // Transport.Execute
	ExchangeQuery                   // Transport.Query
	ExchangeDump                    // Transport.Dump
	ExchangeSend                    // Transport.Send
)

var exchangeNames = [...]string{ExchangeExecute: "Execute", ExchangeQuery: "Query", ExchangeDump: "Dump", ExchangeSend: "Send"}

// String returns the name of the Transport method.
func (e Exchange) String() string {
	if int(e) < len(exchangeNames) {
		return exchangeNames[e]
	}
	return fmt.Sprintf("Exchange(%d)", e)
}

// Check checks req before e sends it: it must hold exactly one message,
// and a dump request (NLM_F_DUMP) must go through Dump (Send sends
// anything). It returns the request's header.
func (e Exchange) Check(req []byte) (unix.NlMsghdr, error) {
	m, rest, ok, err := wire.Next(req)
	if err != nil {
		return unix.NlMsghdr{}, err
	}
	if !ok || len(rest) != 0 {
		return unix.NlMsghdr{}, errors.New("socket: request buffer must hold exactly one message")
	}
	if (e == ExchangeExecute || e == ExchangeQuery) && m.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
		return unix.NlMsghdr{}, fmt.Errorf("socket: %s with a dump request; use Dump", e)
	}
	return m.Header, nil
}

// Flags returns the header flags with which e sends a request whose own
// flags are f: NLM_F_REQUEST always; NLM_F_ACK for an Execute, never for
// a Query or a Dump, as f has it for a Send; NLM_F_DUMP for a Dump.
func (e Exchange) Flags(f uint16) uint16 {
	f |= unix.NLM_F_REQUEST
	switch e {
	case ExchangeExecute:
		f |= unix.NLM_F_ACK
	case ExchangeQuery:
		f &^= unix.NLM_F_ACK
	case ExchangeDump:
		f = (f | unix.NLM_F_DUMP) &^ unix.NLM_F_ACK
	}
	return f
}

// stamp writes seq and flags into the header of the message at b.
func stamp(b []byte, seq uint32, flags uint16) {
	nativePutUint16(b[6:], flags)
	nativePutUint32(b[8:], seq)
}

// drain empties the receive queue without waiting, when it may hold
// something no request asks for (c.dirty, c.unsolicited): the rest of an
// exchange that did not finish cleanly, datagrams from another port, or
// whatever followed an overrun. The kernel refuses a new dump on a socket
// with one in progress (EBUSY), and after an overrun it drops replies
// silently until the queue has been emptied once: a request sent before
// that could wait for a reply that will never come.
//
// drain never waits. While a dump runs, the kernel queues its next part
// inside every recvmsg, so the queue is empty only once the dump has
// ended — including when its NLMSG_DONE was in a datagram lost to
// truncation, which a drain that waited for it would wait for forever.
// Everything drained is counted as stale.
func (c *Conn) drain() error {
	for c.dirty || c.unsolicited {
		d, ok, err := c.tryRecv()
		_, truncated := err.(*TruncatedError)
		switch {
		case err == ErrOverrun || truncated:
			continue // discarding anyway
		case err != nil:
			return err
		case !ok:
			c.dirty, c.unsolicited = false, false
			return nil
		}
		for _, err := range wire.Messages(d.Data) {
			if err != nil {
				break
			}
			c.stale.Add(1)
		}
	}
	return nil
}

// start opens the exchange ex of one request: it checks req, takes the
// socket, arms ctx, discards what an abandoned dump left behind, stamps a
// sequence number and the flags of ex, and sends. On success the caller
// holds the socket and must call finish; on failure start has released
// it.
func (c *Conn) start(ctx context.Context, ex Exchange, req []byte) (seq uint32, stop func() bool, err error) {
	h, err := ex.Check(req)
	if err != nil {
		return 0, nil, err
	}
	if err := c.acquire(ctx); err != nil {
		return 0, nil, err
	}
	stop, err = c.begin(ctx)
	if err != nil {
		c.release()
		return 0, nil, err
	}
	if err = c.drain(); err == nil {
		// Until the exchange ends cleanly, its replies may be left in
		// the queue for the next one to discard.
		c.dirty = true
		seq = c.nextSeq(1)
		stamp(req, seq, ex.Flags(h.Flags))
		err = c.send(req)
	}
	if err != nil {
		c.finish(ctx, stop)
		return 0, nil, c.ctxErr(ctx, err)
	}
	return seq, stop, nil
}

// finish ends an exchange that start opened. It runs deferred, so that a
// panic in a callback or loop body releases the socket; c.dirty, still
// set then, makes the next request discard what the exchange left.
func (c *Conn) finish(ctx context.Context, stop func() bool) {
	c.end(ctx, stop)
	c.release()
}

// Execute sends one request and waits for the kernel's acknowledgement.
// It stamps a sequence number into req and sets NLM_F_ACK. Replies other
// than the acknowledgement, such as the object a get request returns or an
// NLM_F_ECHO copy, are passed to onReply, which may be nil; their data is
// valid only during the call. An error from onReply is returned once the
// exchange is over, so that the socket stays in step.
//
// Dump requests (NLM_F_DUMP) must use [Conn.Dump]. [ErrOverrun] means the
// acknowledgement was lost: the change may have been made.
func (c *Conn) Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	return c.call(ctx, ExchangeExecute, req, onReply)
}

// Query sends a request that the kernel answers with a reply, such as a
// get of one object, and passes the reply to onReply. It does not ask for
// an acknowledgement (NLM_F_ACK is cleared): the reply, or the error that
// replaces it, ends the exchange, which saves the kernel an ack and the
// caller a receive. A multi-part reply is read up to its NLMSG_DONE. The
// reply's data is valid only during onReply.
func (c *Conn) Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	return c.call(ctx, ExchangeQuery, req, onReply)
}

// call is Execute or Query (ex): it sends req and follows its replies to
// the end that [Replies] finds.
func (c *Conn) call(ctx context.Context, ex Exchange, req []byte, onReply func(wire.Message) error) error {
	seq, stop, err := c.start(ctx, ex, req)
	if err != nil {
		return err
	}
	defer c.finish(ctx, stop)
	r := NewReplies(&c.cfg, ex, req)
	for {
		d, err := c.recv()
		if err != nil {
			return c.ctxErr(ctx, err)
		}
		for m, err := range wire.Messages(d.Data) {
			if err != nil {
				return err
			}
			if m.Header.Seq != seq || m.Header.Pid != c.pid {
				c.stale.Add(1)
				continue
			}
			if done, pending, err := r.Next(m, onReply); done {
				c.dirty = pending
				return err
			}
		}
	}
}

// Replies follows the replies of one [Conn.Execute] or [Conn.Query]
// exchange to the message that ends it, and to the exchange's result:
// every [Transport] ends these exchanges where Conn does. An Execute ends
// with the acknowledgement (which follows the NLMSG_DONE of a multi-part
// reply) and reports its extended-ACK warning; a Query ends with its
// reply, the NLMSG_DONE of a multi-part one, or the error that replaces
// it. The other replies go to the exchange's onReply, until one fails.
type Replies struct {
	cfg      *Config
	req      []byte
	query    bool
	replyErr error // the first error onReply returned
}

// NewReplies returns the Replies of ex, an Execute or a Query, of req on
// a transport configured by cfg.
func NewReplies(cfg *Config, ex Exchange, req []byte) Replies {
	return Replies{cfg: cfg, req: req, query: ex == ExchangeQuery}
}

// Next takes the exchange's next message: one that carries its sequence
// number and port; a reply goes to onReply (which may be nil) until
// onReply fails. onReply is an argument, not a field, so that the
// caller's closure does not escape to the heap with the request and
// configuration the errors keep. It reports done when m ends the exchange, and then the
// exchange's result in err, and pending when replies of the exchange may
// still follow m (a failed multi-part reply's NLMSG_DONE may be followed
// by the acknowledgement; an undecodable one leaves the rest unknown).
func (r *Replies) Next(m wire.Message, onReply func(wire.Message) error) (done, pending bool, err error) {
	switch m.Header.Type {
	case unix.NLMSG_ERROR, unix.NLMSG_DONE:
		ack, err := wire.DecodeAck(m)
		if err != nil {
			return true, true, err
		}
		if ack.Errno != 0 {
			return true, !r.query && m.Header.Type == unix.NLMSG_DONE, r.cfg.AckError(ack, r.req)
		}
		if r.query {
			return true, false, r.replyErr
		}
		if m.Header.Type == unix.NLMSG_DONE {
			// The end of a multi-part reply; the ack follows.
			return false, false, nil
		}
		r.cfg.ReportWarning(ack)
		return true, false, r.replyErr
	case unix.NLMSG_NOOP, unix.NLMSG_OVERRUN:
	default:
		if onReply != nil && r.replyErr == nil {
			r.replyErr = onReply(m)
		}
		if r.query && m.Header.Flags&unix.NLM_F_MULTI == 0 {
			return true, false, r.replyErr
		}
	}
	return false, false, nil
}

// Send stamps a fresh sequence number into the single request in req and
// sends it without waiting for anything: its replies arrive in the
// socket's stream, in order with notifications, for whoever reads them
// (see [Conn.Notifications]). Unlike the exchanges, Send may run while
// another goroutine is receiving. It returns the sequence number.
func (c *Conn) Send(req []byte) (uint32, error) {
	h, err := ExchangeSend.Check(req)
	if err != nil {
		return 0, err
	}
	seq := c.nextSeq(1)
	stamp(req, seq, ExchangeSend.Flags(h.Flags))
	if err := c.send(req); err != nil {
		return 0, c.closedErr(err)
	}
	return seq, nil
}

// Dump sends a dump request and yields its replies in order. It stamps a
// sequence number into req and sets NLM_F_DUMP. Each yielded message
// aliases the receive buffer and is valid until the next iteration.
//
// An error ends the sequence: a *wire.Error when the kernel rejects the
// dump, [ErrOverrun] or another receive error, or, after every message was
// yielded, wire.ErrDumpInterrupted when the kernel flagged the dump as
// inconsistent (NLM_F_DUMP_INTR); see wire.Retry.
//
// The socket is held for the whole iteration: the loop body must not use
// the same Conn. Breaking out early is allowed, and so is a panic in the
// loop body, which releases the socket; the rest of the dump is discarded
// before the socket's next exchange.
func (c *Conn) Dump(ctx context.Context, req []byte) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		seq, stop, err := c.start(ctx, ExchangeDump, req)
		if err != nil {
			yield(wire.Message{}, err)
			return
		}
		defer c.finish(ctx, stop)
		// Leaving before DONE leaves replies in flight: c.dirty stays set.
		interrupted := false
		c.lastDump = DumpStats{}
		var parts DumpStats // this dump's datagrams so far
		last := 0           // the size of the latest of them
		for {
			// The deadline a cancellation sets comes from another
			// goroutine, after a loop body's cancel may have returned:
			// without this check, the next datagrams could be read.
			if err := ctx.Err(); err != nil {
				yield(wire.Message{}, err)
				return
			}
			d, err := c.recv()
			if err != nil {
				yield(wire.Message{}, c.ctxErr(ctx, err))
				return
			}
			counted := false
			for rest := d.Data; len(rest) > 0; {
				m, next, ok, err := wire.Next(rest)
				if err != nil {
					yield(wire.Message{}, err)
					return
				}
				if !ok {
					break
				}
				rest = next
				if m.Header.Seq != seq || m.Header.Pid != c.pid {
					c.stale.Add(1)
					continue
				}
				if m.Header.Flags&unix.NLM_F_DUMP_INTR != 0 {
					interrupted = true
				}
				if !counted {
					// The first of the dump's messages in this
					// datagram: the one before was not the last.
					counted = true
					parts.Datagrams++
					parts.Fullest = max(parts.Fullest, last)
					last = len(d.Data)
				}
				switch m.Header.Type {
				case unix.NLMSG_DONE, unix.NLMSG_ERROR:
					c.dirty = false
					c.lastDump = parts
					if err := c.cfg.DumpEndError(m, req, interrupted); err != nil {
						yield(wire.Message{}, err)
					}
					return
				case unix.NLMSG_NOOP, unix.NLMSG_OVERRUN:
				default:
					if !yield(m, nil) {
						// The end of the dump may already be in this
						// datagram; then nothing is left to drain.
						c.settle(rest, seq)
						return
					}
				}
			}
		}
	}
}

// DumpStats tells how the kernel delivered a dump: into how many
// datagrams it split it. The kernel builds a dump one datagram at a time,
// each when the previous one has been read, and resumes it where it
// stopped; some dumps resume at a position in a list, and an object
// removed meanwhile then makes them skip another one. A dump that the
// kernel did not have to resume cannot have skipped anything that way.
type DumpStats struct {
	// Datagrams is how many datagrams carried the dump's messages, its
	// NLMSG_DONE included.
	Datagrams int
	// Fullest is the size in bytes of the largest of those datagrams but
	// the last (0 for a dump that came in one datagram).
	Fullest int
}

// minDumpRoom is the least room, in bytes, the kernel gives a dump
// datagram: NLMSG_GOODSIZE, a 4 KiB page less its skb_shared_info (at
// most 768 bytes, with CONFIG_MAX_SKB_FRAGS at its maximum of 45). It
// gives more once the socket has received with a larger buffer, up to
// 32 KiB.
const minDumpRoom = 4096 - 768

// Resumed reports whether the kernel may have stopped the dump because
// a datagram was full, and resumed it in the next one, given that none of
// the dump's messages is longer than maxMsg bytes. The kernel's dump
// functions stop a datagram only when the next message does not fit, or
// at the end of the dump, after which the next call (when the
// NLMSG_DONE comes apart, as for dumps over every family) finds nothing
// left. So a dump whose datagrams but the last all had room for one more
// message was never resumed midway; one that came in a single datagram,
// its NLMSG_DONE included, never was, whatever its size.
func (s DumpStats) Resumed(maxMsg int) bool {
	return s.Datagrams > 1 && s.Fullest+maxMsg > minDumpRoom
}

// LastDump returns the DumpStats of the latest [Conn.Dump] on c that ran
// to its end (its NLMSG_DONE or error); the zero DumpStats while a dump
// runs or after one was left early. Call it while no other exchange can
// run on c, after the loop over the dump.
func (c *Conn) LastDump() DumpStats { return c.lastDump }

// settle marks the dump abandoned at seq as finished if its end is among
// the messages in b, the unread rest of a datagram: then nothing is left
// to drain.
func (c *Conn) settle(b []byte, seq uint32) {
	for len(b) > 0 {
		m, next, ok, err := wire.Next(b)
		if err != nil || !ok {
			return
		}
		c.stale.Add(1)
		if m.Header.Seq == seq && m.Header.Pid == c.pid &&
			(m.Header.Type == unix.NLMSG_DONE || m.Header.Type == unix.NLMSG_ERROR) {
			c.dirty = false
			return
		}
		b = next
	}
}

// Notifications yields datagrams from the kernel until ctx is done or the
// socket fails, for a socket subscribed to multicast groups. An overrun is
// yielded as [ErrOverrun] and the sequence goes on; any other error ends
// it. Each datagram is valid until the next iteration. The socket is held
// for the whole iteration.
func (c *Conn) Notifications(ctx context.Context) iter.Seq2[Datagram, error] {
	return func(yield func(Datagram, error) bool) {
		if err := c.acquire(ctx); err != nil {
			yield(Datagram{}, err)
			return
		}
		defer c.release()
		stop, err := c.begin(ctx)
		if err != nil {
			yield(Datagram{}, err)
			return
		}
		defer c.end(ctx, stop)
		for {
			// As in Dump: a cancel from the loop body must stop the
			// stream before the next datagram, not race the deadline.
			if err := ctx.Err(); err != nil {
				yield(Datagram{}, err)
				return
			}
			d, err := c.recv()
			if err != nil {
				if err == ErrOverrun {
					if !yield(Datagram{}, err) {
						return
					}
					continue
				}
				yield(Datagram{}, c.ctxErr(ctx, err))
				return
			}
			if !yield(d, nil) {
				return
			}
		}
	}
}

// BatchError reports the requests of a batch that failed.
type BatchError struct {
	Failed int   // how many requests failed
	First  int   // index of the first failed request
	Err    error // its error
}

func (e *BatchError) Error() string {
	if e.Failed == 1 {
		return fmt.Sprintf("socket: batch request %d failed: %v", e.First, e.Err)
	}
	return fmt.Sprintf("socket: %d batch requests failed, the first (request %d): %v", e.Failed, e.First, e.Err)
}

// Unwrap returns the first failure's error.
func (e *BatchError) Unwrap() error { return e.Err }

// ErrUnknownOutcome is the result of a batched request whose outcome was
// lost: an overrun dropped replies while it was processed, so whether it
// failed is unknown. A request whose NLM_F_ECHO copy arrived is known to
// have succeeded and never gets it. A Batch that reports it should be
// checked against the kernel's state.
var ErrUnknownOutcome = errors.New("socket: outcome of request unknown: its reply may have been lost to an overrun")

// Batch sends every request in msgs, pipelined in as few sendmsg calls as
// the socket's send buffer allows, and reports a result for each. msgs
// holds requests back to back, as a wire.Builder produces them; Batch
// stamps their sequence numbers and clears NLM_F_ACK, since the kernel
// reports failures without it, and ends each sendmsg with an
// acknowledged NLMSG_NOOP that marks when every reply has arrived.
//
// results, if not nil, must have one element per request; Batch sets each
// to nil or to the request's error. onReply, which may be nil, receives the
// non-error replies (NLM_F_ECHO copies) with the index of their request.
// Batch returns nil when every request succeeded and otherwise a
// [*BatchError], which unwraps to the first failure.
//
// Extended-ACK warnings are not reported for batched requests.
func (c *Conn) Batch(ctx context.Context, msgs []byte, results []error, onReply func(i int, m wire.Message) error) error {
	// Index the messages first: bad framing fails before anything is sent.
	count, err := CheckBatch(msgs, results)
	if err != nil || count == 0 {
		return err
	}
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	stop, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer c.end(ctx, stop)
	if err := c.drain(); err != nil {
		return c.ctxErr(ctx, err)
	}
	limit, maxCount, err := c.batchLimits()
	if err != nil {
		return err
	}
	c.dirty = true
	b := batch{c: c, r: NewBatchReplies(&c.cfg, count, results, onReply)}
	b.first = c.nextSeq(uint32(count))
	i, off := 0, 0
	for off < len(msgs) {
		start, startIdx := off, i
		for off < len(msgs) {
			n := int(nativeUint32(msgs[off:]))
			next := min(off+wire.Align(n), len(msgs))
			if off > start && (next-start > limit || i-startIdx >= maxCount) {
				break
			}
			stamp(msgs[off:], b.first+uint32(i), nativeUint16(msgs[off+6:])&^unix.NLM_F_ACK|unix.NLM_F_REQUEST)
			off, i = next, i+1
		}
		if err := b.chunk(msgs[start:off], startIdx, i); err != nil {
			return c.ctxErr(ctx, err)
		}
	}
	c.dirty = false
	return b.r.Err()
}

// batchLimits returns how many bytes and requests one sendmsg of a batch
// may carry. The kernel refuses datagrams over sk_sndbuf - 32 (EMSGSIZE),
// and the barrier needs room. And the replies to a chunk must fit in the
// receive queue, or the kernel drops them: an error reply costs about
// errReplyCost bytes of it, echoed request and extended ACK included.
func (c *Conn) batchLimits() (bytes, count int, err error) {
	var sndbuf, rcvbuf int
	err = c.control(func(fd int) error {
		var err error
		if sndbuf, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF); err != nil {
			return err
		}
		rcvbuf, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return max(sndbuf-32-wire.HeaderLen, wire.HeaderLen), max(rcvbuf/errReplyCost, 16), nil
}

// errReplyCost is a generous estimate of the receive-queue memory one
// error reply takes (its skb's truesize).
const errReplyCost = 2048

type batch struct {
	c       *Conn
	first   uint32
	r       BatchReplies
	barrier [wire.HeaderLen]byte
}

// chunk sends requests lo..hi-1 (bytes p) followed by a barrier and
// collects their replies up to the barrier's acknowledgement.
func (b *batch) chunk(p []byte, lo, hi int) error {
	c := b.c
	request := func(i int) []byte { return b.request(p, lo, i) }
	overrun := false
	barrier := c.nextSeq(1)
	wire.PutHeader(b.barrier[:], unix.NlMsghdr{Len: wire.HeaderLen, Type: unix.NLMSG_NOOP,
		Flags: unix.NLM_F_REQUEST | unix.NLM_F_ACK, Seq: barrier})
	if err := c.sendv(p, b.barrier[:]); err != nil {
		return err
	}
	for {
		d, err := c.recv()
		if err == ErrOverrun {
			// Replies, possibly the barrier's, were dropped. Empty the
			// queue without waiting (the kernel drops silently while it
			// stays congested), then send a new barrier: its ack comes
			// after everything, and now there is room for it.
			overrun = true
			for {
				d, ok, err := c.tryRecv()
				if err == ErrOverrun {
					continue
				}
				if err != nil {
					return err
				}
				if !ok {
					break
				}
				done, err := b.handle(d, lo, hi, request, &barrier)
				if err != nil {
					return err
				}
				if done {
					b.r.Settle(lo, hi, overrun)
					return nil
				}
			}
			barrier = c.nextSeq(1)
			wire.PutHeader(b.barrier[:], unix.NlMsghdr{Len: wire.HeaderLen, Type: unix.NLMSG_NOOP,
				Flags: unix.NLM_F_REQUEST | unix.NLM_F_ACK, Seq: barrier})
			if err := c.send(b.barrier[:]); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		done, err := b.handle(d, lo, hi, request, &barrier)
		if err != nil || done {
			if done && err == nil {
				b.r.Settle(lo, hi, overrun)
			}
			return err
		}
	}
}

// handle processes one datagram of the replies to requests lo..hi-1,
// whose bytes request returns. It reports done when the barrier's
// acknowledgement arrived.
func (b *batch) handle(d Datagram, lo, hi int, request func(int) []byte, barrier *uint32) (done bool, err error) {
	c := b.c
	for m, err := range wire.Messages(d.Data) {
		if err != nil {
			return false, err
		}
		if m.Header.Pid != c.pid {
			c.stale.Add(1)
			continue
		}
		if m.Header.Seq == *barrier && m.Header.Type == unix.NLMSG_ERROR {
			return true, nil
		}
		idx := int(m.Header.Seq - b.first)
		if m.Header.Seq < b.first || idx < lo || idx >= hi {
			c.stale.Add(1)
			continue
		}
		if err := b.r.Reply(idx, m, request); err != nil {
			return false, err
		}
	}
	return false, nil
}

// BatchReplies follows the replies to the requests of one Batch, as every
// [Transport] reads them, and makes the Batch's results: a request fails
// with the error of its NLMSG_ERROR reply, or with the error onReply
// returns for one of its other replies (NLM_F_ECHO copies); it succeeds
// otherwise, unless an overrun may have eaten its error reply and no echo
// proves it done ([ErrUnknownOutcome]).
type BatchReplies struct {
	cfg         *Config
	results     []error
	onReply     func(int, wire.Message) error
	seen        []outcome // by request
	failed      int
	firstFailed int
	firstErr    error
}

// NewBatchReplies returns the BatchReplies of a Batch of count requests on
// a transport configured by cfg, with the Batch's results and onReply
// (either may be nil).
func NewBatchReplies(cfg *Config, count int, results []error, onReply func(int, wire.Message) error) BatchReplies {
	return BatchReplies{cfg: cfg, results: results, onReply: onReply, seen: make([]outcome, count)}
}

// Reply takes m, a reply to request i. request returns the bytes of a
// request; Reply calls it only for a request the kernel rejected, to name
// the attribute it rejected. The error is m's, when it does not decode.
func (r *BatchReplies) Reply(i int, m wire.Message, request func(i int) []byte) error {
	switch m.Header.Type {
	case unix.NLMSG_ERROR:
		ack, err := wire.DecodeAck(m)
		if err != nil {
			return err
		}
		if ack.Errno != 0 && r.seen[i] != failed {
			r.fail(i, r.cfg.AckError(ack, request(i)))
		}
	case unix.NLMSG_NOOP, unix.NLMSG_DONE, unix.NLMSG_OVERRUN:
	default:
		// The kernel echoes a change (NLM_F_ECHO) only once it has
		// made it: proof of success, should an overrun hide the rest.
		if r.seen[i] == unknown {
			r.seen[i] = echoed
		}
		if r.onReply != nil {
			if err := r.onReply(i, m); err != nil && r.seen[i] != failed {
				r.fail(i, err)
			}
		}
	}
	return nil
}

func (r *BatchReplies) fail(i int, err error) {
	r.seen[i] = failed
	if r.results != nil {
		r.results[i] = err
	}
	if r.failed == 0 || i < r.firstFailed {
		r.firstFailed, r.firstErr = i, err
	}
	r.failed++
}

// outcome is what the replies of a batch tell about one request.
type outcome uint8

const (
	unknown outcome = iota // no reply: success, unless an overrun ate its error
	echoed                 // an NLM_F_ECHO copy came back: it succeeded
	failed                 // an error reply came back, or onReply failed it
)

// Settle settles requests lo..hi-1, whose replies have all come, but for
// those an overrun dropped when overrun is set: a request that did not
// fail succeeded, unless an overrun may have eaten its error and no echo
// proves it done.
func (r *BatchReplies) Settle(lo, hi int, overrun bool) {
	for i := lo; i < hi; i++ {
		if r.seen[i] == failed {
			continue
		}
		if overrun && r.seen[i] == unknown {
			r.fail(i, ErrUnknownOutcome)
		} else if r.results != nil {
			r.results[i] = nil
		}
	}
}

// Err returns the Batch's error: nil when every request succeeded, else a
// [*BatchError].
func (r *BatchReplies) Err() error {
	if r.failed > 0 {
		return &BatchError{Failed: r.failed, First: r.firstFailed, Err: r.firstErr}
	}
	return nil
}

// request returns the bytes of request idx within chunk p, which starts
// with request lo, for locating a rejected attribute.
func (b *batch) request(p []byte, lo, idx int) []byte {
	off := b.offsetOf(p, lo, idx)
	if off < 0 || off+wire.HeaderLen > len(p) {
		return nil
	}
	n := int(nativeUint32(p[off:]))
	return p[off:min(off+n, len(p))]
}

func (b *batch) offsetOf(p []byte, lo, idx int) int {
	off := 0
	for i := lo; i < idx && off+wire.HeaderLen <= len(p); i++ {
		off += wire.Align(int(nativeUint32(p[off:])))
	}
	return min(off, len(p))
}

// sendv sends two buffers as one datagram, without copying them together.
func (c *Conn) sendv(a, b []byte) error {
	if c.cfg.Tap != nil {
		c.cfg.Tap(true, append(a[:len(a):len(a)], b...))
	}
	var iov [2]unix.Iovec
	iov[0].Base, iov[1].Base = &a[0], &b[0]
	iov[0].SetLen(len(a))
	iov[1].SetLen(len(b))
	var msg unix.Msghdr
	msg.Name = (*byte)(unsafe.Pointer(&c.to))
	msg.Namelen = unix.SizeofSockaddrNetlink
	msg.Iov = &iov[0]
	msg.SetIovlen(2)
	var serr error
	err := c.rc.Write(func(fd uintptr) bool {
		_, _, e := unix.Syscall(unix.SYS_SENDMSG, fd, uintptr(unsafe.Pointer(&msg)), 0)
		if e == unix.EAGAIN || e == unix.EINTR {
			return false
		}
		if e != 0 {
			serr = e
		}
		return true
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("socket: sendmsg: %w", serr)
	}
	return nil
}

// CheckBatch checks the arguments of a Batch, as every [Transport]'s
// Batch must, before anything is sent: msgs must frame, hold no dump
// request, and have as many requests as results has slots (when results
// is not nil). It returns how many requests msgs holds.
func CheckBatch(msgs []byte, results []error) (int, error) {
	var count int
	for m, err := range wire.Messages(msgs) {
		if err != nil {
			return 0, err
		}
		if m.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
			return 0, errors.New("socket: Batch cannot carry dump requests")
		}
		count++
	}
	if results != nil && len(results) != count {
		return 0, fmt.Errorf("socket: Batch of %d requests with %d result slots", count, len(results))
	}
	return count, nil
}
