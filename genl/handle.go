package genl

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

// Handle is a generic-netlink (NETLINK_GENERIC) handle. It is safe for
// concurrent use: each exchange borrows a socket from a small pool, as
// rtm.Handle does, and families resolved by name are cached per handle
// (see [Handle.Family]).
type Handle struct {
	cfg     socket.Config
	ns      *netns.Handle
	dialer  socket.Dialer // nil: socket.Dial
	idle    chan *conn
	closed  atomic.Bool
	mu      sync.Mutex
	open    map[*conn]struct{}
	builder sync.Pool

	famMu    sync.Mutex
	families map[string]*Family
	watch    *socket.Conn // nlctrl notifications, for the cache (family.go)
}

// Option configures [Dial].
type Option func(*options) error

type options struct {
	openNS   func() (*netns.Handle, error)
	nsKinds  uint8
	noExtAck bool
	rcvbuf   int
	pool     int
	dialer   socket.Dialer
}

// WithNetns opens the handle in the named network namespace (iproute2's
// /run/netns names). Generic-netlink families are the kernel's, but some
// (ethtool, netdev) answer about the namespace's devices.
func WithNetns(name string) Option {
	return func(o *options) error {
		if name == "" {
			return nil
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
			return errors.New("genl: WithNetnsHandle(nil)")
		}
		o.nsKinds |= 4
		o.openNS = func() (*netns.Handle, error) {
			return netns.OpenPath(fmt.Sprintf("/proc/self/fd/%d", h.Fd()))
		}
		return nil
	}
}

// WithoutExtAck turns extended ACKs off: errors then carry only the errno.
func WithoutExtAck() Option {
	return func(o *options) error { o.noExtAck = true; return nil }
}

// WithReceiveBufferSize sets each socket's kernel receive queue size
// (default 1 MiB).
func WithReceiveBufferSize(n int) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("genl: receive buffer size %d", n)
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
			return fmt.Errorf("genl: pool size %d", n)
		}
		o.pool = n
		return nil
	}
}

// WithTransport makes the handle talk to the kernel through the
// transports d opens instead of netlink sockets: d is called with
// unix.NETLINK_GENERIC and the socket options the handle would use. It is
// how tests replace the kernel (package nltest: a recorded conversation,
// or a scripted fake).
func WithTransport(d socket.Dialer) Option {
	return func(o *options) error {
		if d == nil {
			return errors.New("genl: WithTransport(nil)")
		}
		o.dialer = d
		return nil
	}
}

// Dial opens a generic-netlink handle with extended ACKs on (unless
// [WithoutExtAck]). It opens one socket at once, so that errors (such as a
// missing namespace) surface here.
func Dial(opts ...Option) (*Handle, error) {
	o := options{pool: 4, rcvbuf: 1 << 20}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	h := &Handle{idle: make(chan *conn, o.pool), open: map[*conn]struct{}{}, dialer: o.dialer}
	var err error
	switch {
	case o.nsKinds&(o.nsKinds-1) != 0:
		return nil, errors.New("genl: more than one network namespace option")
	case o.openNS != nil:
		h.ns, err = o.openNS()
	}
	if err != nil {
		return nil, fmt.Errorf("genl: %w", err)
	}
	h.cfg = socket.Config{
		Netns:             h.ns,
		ExtAck:            !o.noExtAck,
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

// FixedLen is the fixed header length of a generic-netlink message of
// type t (struct genlmsghdr, for every family id), or -1 for the
// netlink control types. A family with a user header of its own
// (Family.HeaderSize) has it after this one.
func FixedLen(t uint16) int {
	if t < unix.GENL_MIN_ID {
		return -1
	}
	return unix.GENL_HDRLEN
}

func (h *Handle) dial() (*conn, error) {
	t, err := h.transport(&h.cfg)
	if err != nil {
		return nil, fmt.Errorf("genl: %w", err)
	}
	c := &t
	h.mu.Lock()
	if h.open == nil {
		h.mu.Unlock()
		c.Close()
		return nil, ErrClosed
	}
	h.open[c] = struct{}{}
	h.mu.Unlock()
	return c, nil
}

// conn is one of a handle's transports: a socket, called through its
// concrete type so that a dump's state stays on the stack (as in rtm), or
// what WithTransport dialed.
type conn struct {
	s *socket.Conn
	t socket.Transport // when s is nil
}

func (h *Handle) transport(cfg *socket.Config) (conn, error) {
	if h.dialer == nil {
		s, err := socket.Dial(unix.NETLINK_GENERIC, cfg)
		if err != nil {
			return conn{}, err
		}
		return conn{s: s}, nil
	}
	c := *cfg
	t, err := h.dialer(unix.NETLINK_GENERIC, &c)
	if err != nil {
		return conn{}, err
	}
	if t == nil {
		return conn{}, errors.New("genl: the WithTransport dialer returned no transport")
	}
	return conn{t: t}, nil
}

func (c *conn) Close() error {
	if c.s != nil {
		return c.s.Close()
	}
	return c.t.Close()
}

func (c *conn) Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	if c.s != nil {
		return c.s.Execute(ctx, req, onReply)
	}
	return buffered(onReply, func(keep func(wire.Message) error) error { return c.t.Execute(ctx, req, keep) })
}

func (c *conn) Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	if c.s != nil {
		return c.s.Query(ctx, req, onReply)
	}
	return buffered(onReply, func(keep func(wire.Message) error) error { return c.t.Query(ctx, req, keep) })
}

// buffered runs an exchange of a transport other than a socket with a
// callback that keeps copies of the replies, which onReply sees once the
// exchange is over, so that onReply does not escape through the
// interface (as rtm does).
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

// ErrClosed is returned by calls on a closed Handle.
var ErrClosed = errors.New("genl: handle closed")

// errNilContext is returned by every call given a nil context, before
// anything is borrowed or sent.
var errNilContext = errors.New("genl: nil context")

// get borrows a socket for a call with ctx, opening one when none is
// idle. Every borrower follows it with defer h.discard(&c) and, once the
// exchange has returned, h.put(&c): a socket that a panic carries out of
// its exchange (mid-dump) is closed, not pooled.
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
	h.famMu.Lock()
	if h.watch != nil {
		h.watch.Close()
		h.watch = nil
	}
	h.famMu.Unlock()
	if h.ns != nil {
		h.ns.Close()
	}
	return nil
}

func (h *Handle) newBuilder() *wire.Builder {
	if b, ok := h.builder.Get().(*wire.Builder); ok {
		b.Reset(b.Bytes())
		return b
	}
	return &wire.Builder{}
}

// opError names the operation in err.
func opError(op string, err error) error {
	if err == nil {
		return nil
	}
	if e := asWireError(err); e != nil && e.Op == "" {
		e.Op = "genl: " + op
		return err
	}
	return fmt.Errorf("genl: %s: %w", op, err)
}

// asWireError returns the first *wire.Error in err's tree, as errors.As
// finds it, without the reflection errors.As links in.
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

// streamDump relays the messages of a dump to yield: the socket's own
// loop for a socket (its state stays on the stack: no allocation per
// message), a buffered copy for another transport.
func streamDump(ctx context.Context, op string, c *conn, req []byte, yield func(wire.Message, error) bool) {
	if sc := c.s; sc != nil {
		for m, err := range sc.Dump(ctx, req) {
			if err != nil {
				yield(m, opError(op, err))
				return
			}
			if !yield(m, nil) {
				return
			}
		}
		return
	}
	var msgs []wire.Message
	var derr error
	for m, err := range c.t.Dump(ctx, req) {
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
		yield(wire.Message{}, opError(op, derr))
	}
}

// dump streams the raw replies to the dump request built in b.
func (h *Handle) dump(ctx context.Context, op string, b *wire.Builder) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		defer h.builder.Put(b)
		if err := b.Err(); err != nil {
			yield(wire.Message{}, fmt.Errorf("genl: %s: %w", op, err))
			return
		}
		c, err := h.get(ctx)
		if err != nil {
			yield(wire.Message{}, err)
			return
		}
		defer h.discard(&c)
		// A panic in the caller's loop body unwinds through yield and
		// skips put: the socket, mid-dump, is closed.
		streamDump(ctx, op, c, b.Bytes(), yield)
		h.put(&c)
	}
}
