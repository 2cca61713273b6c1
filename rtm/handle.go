package rtm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Handle is an RTNL (NETLINK_ROUTE) handle, the Go counterpart of
// pyroute2's IPRoute. It is safe for concurrent use: each exchange borrows
// a socket from a small pool, so that concurrent calls run in parallel
// rather than queueing on one socket.
type Handle struct {
	cfg     socket.Config
	ns      *netns.Handle
	dialer  socket.Dialer // nil: socket.Dial
	idle    chan *conn
	closed  atomic.Bool
	mu      sync.Mutex
	open    map[*conn]struct{}
	builder sync.Pool
	watches watchPool
}

// Option configures [Dial].
type Option func(*options) error

type options struct {
	// openNS opens the namespace an option named; nsKinds has a bit for
	// each kind of namespace option given. The options hold the opening
	// code, so that a program that never names a namespace links none of
	// it (about 28 kB, scripts/binsize.sh).
	openNS   func() (*netns.Handle, error)
	nsKinds  uint8
	noStrict bool
	noExtAck bool
	rcvbuf   int
	pool     int
	dialer   socket.Dialer
}

// WithNetns opens the handle in the named network namespace, as
// pyroute2's IPRoute(netns="name") does (iproute2's /run/netns names).
func WithNetns(name string) Option {
	return func(o *options) error {
		if name == "" {
			return nil // an empty name names no namespace
		}
		o.nsKinds |= 1
		o.openNS = func() (*netns.Handle, error) { return netns.Open(name) }
		return nil
	}
}

// WithNetnsPath opens the handle in the network namespace at path, such
// as /proc/PID/ns/net.
func WithNetnsPath(path string) Option {
	return func(o *options) error {
		if path == "" {
			return nil
		}
		o.nsKinds |= 2
		o.openNS = func() (*netns.Handle, error) { return netns.OpenPath(path) }
		return nil
	}
}

// WithNetnsHandle opens the handle in the namespace h refers to. The
// handle keeps its own reference; h may be closed after Dial.
func WithNetnsHandle(h *netns.Handle) Option {
	return func(o *options) error {
		if h == nil {
			return errors.New("rtm: WithNetnsHandle(nil)")
		}
		o.nsKinds |= 4
		o.openNS = func() (*netns.Handle, error) {
			return netns.OpenPath(fmt.Sprintf("/proc/self/fd/%d", h.Fd()))
		}
		return nil
	}
}

// WithoutStrictCheck turns NETLINK_GET_STRICT_CHK off, for kernels older
// than 4.20. Dumps are then filtered in user space where the kernel would
// have filtered them.
func WithoutStrictCheck() Option {
	return func(o *options) error { o.noStrict = true; return nil }
}

// WithoutExtAck turns extended ACKs off: errors then carry only the errno.
func WithoutExtAck() Option {
	return func(o *options) error { o.noExtAck = true; return nil }
}

// WithReceiveBufferSize sets each socket's kernel receive queue size
// (default 1 MiB, forced past net.core.rmem_max when privileged). It bounds
// how many requests of a batch go in one sendmsg: their failure replies
// must fit in it.
func WithReceiveBufferSize(n int) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("rtm: receive buffer size %d", n)
		}
		o.rcvbuf = n
		return nil
	}
}

// WithPoolSize sets how many idle sockets the handle keeps (default 4).
// More concurrent calls than that still run, on sockets opened for them.
func WithPoolSize(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("rtm: pool size %d", n)
		}
		o.pool = n
		return nil
	}
}

// WithTransport makes the handle, and its monitors, talk to the kernel
// through the transports d opens instead of netlink sockets: d is called
// with unix.NETLINK_ROUTE and the socket options the handle would use
// (Groups set for a monitor). It is how tests replace the kernel (see
// package nltest: a recorded conversation, or a scripted fake), and how a
// caller can wrap the real socket, by calling [socket.DialTransport]
// inside d.
func WithTransport(d socket.Dialer) Option {
	return func(o *options) error {
		if d == nil {
			return errors.New("rtm: WithTransport(nil)")
		}
		o.dialer = d
		return nil
	}
}

// Dial opens an RTNL handle. Extended ACKs and strict checking are on
// unless turned off by options. Dial opens one socket at once, so that
// errors (such as a missing namespace) surface here.
func Dial(opts ...Option) (*Handle, error) {
	o := options{pool: 4, rcvbuf: 1 << 20}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	h := &Handle{idle: make(chan *conn, o.pool), open: map[*conn]struct{}{},
		dialer: o.dialer}
	var err error
	switch {
	case o.nsKinds&(o.nsKinds-1) != 0:
		return nil, errors.New("rtm: more than one network namespace option")
	case o.openNS != nil:
		h.ns, err = o.openNS()
	}
	if err != nil {
		return nil, fmt.Errorf("rtm: %w", err)
	}
	h.cfg = socket.Config{
		Netns:             h.ns,
		ExtAck:            !o.noExtAck,
		StrictCheck:       !o.noStrict,
		ReceiveBufferSize: o.rcvbuf,
		FixedLen:          FixedLen,
	}
	c, err := h.dial()
	if err != nil {
		h.Close()
		return nil, err
	}
	h.put(&c)
	return h, nil
}

func (h *Handle) dial() (*conn, error) {
	t, err := h.transport(&h.cfg)
	if err != nil {
		return nil, fmt.Errorf("rtm: %w", err)
	}
	c := &t
	h.mu.Lock()
	if h.open == nil {
		// Close ran after the caller's check: nothing may join the
		// sockets it closed.
		h.mu.Unlock()
		c.Close()
		return nil, ErrClosed
	}
	h.open[c] = struct{}{}
	h.mu.Unlock()
	return c, nil
}

// conn is one of a handle's transports: a socket, or what WithTransport
// dialed. A socket is called through its concrete type, never through
// socket.Transport: the compiler then keeps the state of every dump and
// get on the stack, and the linker drops the socket methods a program
// does not use.
type conn struct {
	s *socket.Conn
	t socket.Transport // when s is nil
}

// transport opens a socket, or what WithTransport dials, with cfg. It
// returns a value, which a Monitor keeps as it is: no allocation more
// than the socket's.
func (h *Handle) transport(cfg *socket.Config) (conn, error) {
	if h.dialer == nil {
		s, err := socket.Dial(unix.NETLINK_ROUTE, cfg)
		if err != nil {
			return conn{}, err
		}
		return conn{s: s}, nil
	}
	// A copy, which the dialer may keep or change; made here only, so
	// that cfg itself does not escape.
	c := *cfg
	t, err := h.dialer(unix.NETLINK_ROUTE, &c)
	if err != nil {
		return conn{}, err
	}
	if t == nil {
		return conn{}, errors.New("rtm: the WithTransport dialer returned no transport")
	}
	return conn{t: t}, nil
}

func (c *conn) Close() error {
	if c.s != nil {
		return c.s.Close()
	}
	return c.t.Close()
}

// LastDump returns how the kernel split the last dump into datagrams;
// zero for a transport of WithTransport, whose dumps are not resumed.
func (c *conn) LastDump() socket.DumpStats {
	if c.s != nil {
		return c.s.LastDump()
	}
	return socket.DumpStats{}
}

func (c *conn) SetPeek(on bool) {
	if c.s != nil {
		c.s.SetPeek(on)
	} else {
		c.t.SetPeek(on)
	}
}

func (c *conn) PortID() uint32 {
	if c.s != nil {
		return c.s.PortID()
	}
	return c.t.PortID()
}

func (c *conn) Stats() socket.Stats {
	if c.s != nil {
		return c.s.Stats()
	}
	return c.t.Stats()
}

func (c *conn) Send(req []byte) (uint32, error) {
	if c.s != nil {
		return c.s.Send(req)
	}
	return c.t.Send(req)
}

func (c *conn) Batch(ctx context.Context, msgs []byte, results []error, onReply func(int, wire.Message) error) error {
	if c.s != nil {
		return c.s.Batch(ctx, msgs, results, onReply)
	}
	return c.t.Batch(ctx, msgs, results, onReply)
}

// ErrClosed is returned by calls on a closed Handle.
var ErrClosed = errors.New("rtm: handle closed")

// errNilContext is returned by every call given a nil context, before
// anything is borrowed or sent.
var errNilContext = errors.New("rtm: nil context")

// get borrows a socket for a call with ctx. It never waits: with no idle
// socket, it opens one. Every borrower follows get with
//
//	defer h.discard(&c)
//
// and, once the socket's exchange has returned, h.put(&c): a socket that a
// panic (in a callback or in the body of a loop over a dump) carries out
// of its exchange is closed, not pooled.
func (h *Handle) get(ctx context.Context) (*conn, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if h.closed.Load() {
		return nil, ErrClosed
	}
	select {
	case c := <-h.idle:
		return c, nil
	default:
		return h.dial()
	}
}

// put returns a borrowed socket to the pool, closing it when the pool is
// full, and clears *c so that the deferred discard leaves it alone.
func (h *Handle) put(c **conn) {
	conn := *c
	*c = nil
	if !h.closed.Load() {
		select {
		case h.idle <- conn:
			return
		default:
		}
	}
	h.close(conn)
}

// discard closes a borrowed socket that put did not take back: its
// exchange was cut short by a panic.
func (h *Handle) discard(c **conn) {
	if *c != nil {
		h.close(*c)
		*c = nil
	}
}

func (h *Handle) close(c *conn) {
	h.mu.Lock()
	delete(h.open, c)
	h.mu.Unlock()
	c.Close()
}

// Close closes every socket of the handle, interrupting calls in
// progress. It is safe to call more than once.
func (h *Handle) Close() error {
	if h.closed.Swap(true) {
		return nil
	}
	h.mu.Lock()
	for c := range h.open {
		c.Close()
	}
	h.open = nil
	h.mu.Unlock()
	if h.ns != nil {
		h.ns.Close()
	}
	return nil
}

// newBuilder returns a pooled request builder; release it with
// h.builder.Put after the request is sent.
func (h *Handle) newBuilder() *wire.Builder {
	if b, ok := h.builder.Get().(*wire.Builder); ok {
		b.Reset(b.Bytes())
		return b
	}
	return &wire.Builder{}
}

// execute sends the request built in b and waits for its acknowledgement.
func (h *Handle) execute(ctx context.Context, op string, b *wire.Builder, onReply func(wire.Message) error) error {
	defer h.builder.Put(b)
	if err := b.Err(); err != nil {
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	c, err := h.get(ctx)
	if err != nil {
		return err
	}
	defer h.discard(&c)
	err = c.Execute(ctx, b.Bytes(), onReply)
	h.put(&c)
	return opError(op, err)
}

// query sends the get request built in b and passes the kernel's reply to
// onReply; no acknowledgement is asked for. When describe is set, op is a
// bare verb ("link get") and a failure names the object from the request
// itself, so that a successful lookup formats nothing.
func (h *Handle) query(ctx context.Context, op string, describe bool, b *wire.Builder, onReply func(wire.Message) error) error {
	defer h.builder.Put(b)
	if err := b.Err(); err != nil {
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	c, err := h.get(ctx)
	if err != nil {
		return err
	}
	defer h.discard(&c)
	err = c.Query(ctx, b.Bytes(), onReply)
	h.put(&c)
	if err != nil && describe {
		if m, _, ok, ferr := wire.Next(b.Bytes()); ferr == nil && ok {
			op += " " + describeMessage(m)
		}
	}
	return opError(op, err)
}

// Execute runs the Execute exchange of req on c.
//
// A socket is called through its concrete type: an onReply that went
// through an interface would escape, and every caller's closure and what
// it captures with it, allocations a get does not make on a socket.
// Another transport gets a closure that keeps copies of the replies
// (see buffered).
func (c *conn) Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	if c.s != nil {
		return c.s.Execute(ctx, req, onReply)
	}
	return buffered(onReply, func(keep func(wire.Message) error) error { return c.t.Execute(ctx, req, keep) })
}

// Query runs the Query exchange of req on c, as Execute does.
func (c *conn) Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	if c.s != nil {
		return c.s.Query(ctx, req, onReply)
	}
	return buffered(onReply, func(keep func(wire.Message) error) error { return c.t.Query(ctx, req, keep) })
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

// opError names the operation in err.
func opError(op string, err error) error {
	if err == nil {
		return nil
	}
	if e := asWireError(err); e != nil && e.Op == "" {
		e.Op = "rtm: " + op
		return err
	}
	return fmt.Errorf("rtm: %s: %w", op, err)
}

// asWireError returns the first *wire.Error in err's tree, as errors.As
// finds it, without the reflection errors.As links into every program.
func asWireError(err error) *wire.Error {
	for err != nil {
		switch e := err.(type) {
		case *wire.Error:
			return e
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range e.Unwrap() {
				if w := asWireError(err); w != nil {
					return w
				}
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}

// dump streams the replies to the dump request built in b.
func (h *Handle) dump(ctx context.Context, op string, b *wire.Builder) iter.Seq2[wire.Message, error] {
	return h.dumpPeek(ctx, op, b, false)
}

// dumpPeek is dump, with the socket checking each datagram's size first
// when peek is set: for dumps whose messages may exceed the buffer.
func (h *Handle) dumpPeek(ctx context.Context, op string, b *wire.Builder, peek bool) iter.Seq2[wire.Message, error] {
	return h.dumpStats(ctx, op, b, peek, nil)
}

// dumpStats is dumpPeek, storing in *st, when st is not nil, how the
// kernel split a dump that ran to its end into datagrams.
func (h *Handle) dumpStats(ctx context.Context, op string, b *wire.Builder, peek bool, st *socket.DumpStats) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		defer h.builder.Put(b)
		if err := b.Err(); err != nil {
			yield(wire.Message{}, fmt.Errorf("rtm: %s: %w", op, err))
			return
		}
		c, err := h.get(ctx)
		if err != nil {
			yield(wire.Message{}, err)
			return
		}
		defer h.discard(&c)
		if peek {
			// A link with many VFs makes a message larger than the
			// kernel's usual 32 KiB dump datagrams; never lose one.
			c.SetPeek(true)
		}
		// A panic in the caller's loop body unwinds through yield and
		// skips put: the socket, mid-dump, is closed.
		streamDump(ctx, op, c, b.Bytes(), yield)
		if st != nil {
			*st = c.LastDump()
		}
		h.put(&c)
	}
}

func streamDump(ctx context.Context, op string, c *conn, req []byte, yield func(wire.Message, error) bool) {
	if sc := c.s; sc != nil {
		// The real socket's loop, written for its concrete type: the
		// compiler then keeps the loop's state on the stack, where a call
		// through the interface would move it to the heap (some ten
		// allocations per dump).
		for m, err := range sc.Dump(ctx, req) {
			if !relay(op, m, err, yield) {
				return
			}
		}
		return
	}
	bufferedDump(ctx, op, c.t, req, yield)
}

// bufferedDump is streamDump for a transport other than a socket: the
// whole dump is read, into copies, before its messages are yielded, so
// that yield does not escape through the transport's iterator, which
// would move the loop state of every dump in the package to the heap,
// real sockets' included. (Such transports, nltest's, hold their replies
// in memory anyway.)
func bufferedDump(ctx context.Context, op string, c socket.Transport, req []byte, yield func(wire.Message, error) bool) {
	var msgs []wire.Message
	var derr error
	for m, err := range c.Dump(ctx, req) {
		if err != nil {
			derr = err
			break
		}
		msgs = append(msgs, wire.Message{Header: m.Header, Data: bytes.Clone(m.Data)})
	}
	for _, m := range msgs {
		if !yield(m, nil) {
			return
		}
	}
	if derr != nil {
		relay(op, wire.Message{}, derr, yield)
	}
}

// relay passes one step of a dump on to yield, naming op in an error, and
// reports whether the dump goes on.
func relay(op string, m wire.Message, err error, yield func(wire.Message, error) bool) bool {
	if err != nil {
		yield(m, opError(op, err))
		return false
	}
	return yield(m, nil)
}

// FixedLen returns the length of the fixed header that starts an RTNL
// message of type t (struct ifinfomsg, ifaddrmsg, rtmsg, ...), or -1 for
// an unknown type.
func FixedLen(t uint16) int {
	switch {
	case t >= unix.RTM_NEWLINK && t <= unix.RTM_SETLINK:
		return unix.SizeofIfInfomsg
	case t >= unix.RTM_NEWADDR && t <= unix.RTM_GETADDR:
		return unix.SizeofIfAddrmsg
	case t >= unix.RTM_NEWROUTE && t <= unix.RTM_GETROUTE:
		return unix.SizeofRtMsg
	case t >= unix.RTM_NEWNEIGH && t <= unix.RTM_GETNEIGH:
		return unix.SizeofNdMsg
	case t >= unix.RTM_NEWRULE && t <= unix.RTM_GETRULE:
		return sizeofFibRuleHdr
	case t >= unix.RTM_NEWQDISC && t <= unix.RTM_GETTFILTER:
		return sizeofTcMsg
	case t >= unix.RTM_NEWNEXTHOP && t <= unix.RTM_GETNEXTHOP,
		t >= unix.RTM_NEWNEXTHOPBUCKET && t <= unix.RTM_GETNEXTHOPBUCKET:
		return sizeofNhMsg
	case t >= unix.RTM_NEWNEIGHTBL && t <= unix.RTM_SETNEIGHTBL:
		return sizeofNdtMsg
	}
	return fixedLenRtobj(t)
}

// Fixed header sizes x/sys/unix lacks structs for.
const (
	sizeofFibRuleHdr = 12 // struct fib_rule_hdr
	sizeofTcMsg      = 20 // struct tcmsg
	sizeofNhMsg      = 8  // struct nhmsg
)
