package genl

import (
	"context"
	"errors"
	"iter"
	"sync"

	"github.com/ipr-go/ipr/internal/pool"
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
	pool    pool.Pool
	builder pool.Builders

	famMu    sync.Mutex
	families map[string]*Family
	watch    *socket.Conn // nlctrl notifications, for the cache (family.go)
}

// Option configures [Dial].
type Option func(*pool.Options) error

// WithNetns opens the handle in the named network namespace (iproute2's
// /run/netns names). Generic-netlink families are the kernel's, but some
// (ethtool, netdev) answer about the namespace's devices.
func WithNetns(name string) Option { return pool.Netns(name) }

// WithNetnsPath opens the handle in the network namespace at path, such
// as /proc/PID/ns/net.
func WithNetnsPath(path string) Option { return pool.NetnsPath(path) }

// WithNetnsHandle opens the handle in the namespace h refers to. The
// handle keeps its own reference; h may be closed after Dial.
func WithNetnsHandle(h *netns.Handle) Option { return pool.NetnsHandle("genl", h) }

// WithoutExtAck turns extended ACKs off: errors then carry only the errno.
func WithoutExtAck() Option { return pool.NoExtAck }

// WithReceiveBufferSize sets each socket's kernel receive queue size
// (default 1 MiB).
func WithReceiveBufferSize(n int) Option { return pool.ReceiveBufferSize("genl", n) }

// WithPoolSize sets how many idle sockets the handle keeps (default 4).
// More concurrent calls than that still run, on sockets opened for them.
func WithPoolSize(n int) Option { return pool.Size("genl", n) }

// WithTransport makes the handle talk to the kernel through the
// transports d opens instead of netlink sockets: d is called with
// unix.NETLINK_GENERIC and the socket options the handle would use. It is
// how tests replace the kernel (package nltest: a recorded conversation,
// or a scripted fake).
func WithTransport(d socket.Dialer) Option { return pool.Transport("genl", d) }

// Dial opens a generic-netlink handle with extended ACKs on (unless
// [WithoutExtAck]). It opens one socket at once, so that errors (such as a
// missing namespace) surface here.
func Dial(opts ...Option) (*Handle, error) {
	h := &Handle{pool: pool.Pool{Pkg: "genl", Proto: unix.NETLINK_GENERIC, ErrClosed: ErrClosed, ErrNilContext: errNilContext}}
	if err := pool.OpenWith(&h.pool, opts, socket.Config{FixedLen: FixedLen}); err != nil {
		return nil, err
	}
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

// conn is one of a handle's transports (see package internal/pool).
type conn = pool.Conn

// transport opens a socket, or what WithTransport dials, with cfg.
func (h *Handle) transport(cfg *socket.Config) (conn, error) { return h.pool.Transport(cfg) }

// ErrClosed is returned by calls on a closed Handle.
var ErrClosed = errors.New("genl: handle closed")

// errNilContext is returned by every call given a nil context, before
// anything is borrowed or sent.
var errNilContext = errors.New("genl: nil context")

// errNilHandle is returned by every call on a nil *Handle (a family
// package's function given none), before anything is touched.
var errNilHandle = errors.New("genl: nil handle")

// get borrows a socket for a call with ctx; every borrower follows it with
// defer h.discard(&c) and, once the exchange has returned, h.put(&c) (see
// pool.Pool.Get).
func (h *Handle) get(ctx context.Context) (*conn, error) { return h.pool.Get(ctx) }

func (h *Handle) put(c **conn) { h.pool.Put(c) }

func (h *Handle) discard(c **conn) { h.pool.Discard(c) }

// Close closes every socket of the handle, interrupting calls in
// progress. It is safe to call more than once.
func (h *Handle) Close() error {
	if h == nil || !h.pool.Close() {
		return nil
	}
	h.famMu.Lock()
	if h.watch != nil {
		h.watch.Close()
		h.watch = nil
	}
	h.famMu.Unlock()
	return nil
}

// newBuilder returns a pooled request builder; release it with
// h.builder.Put after the request is sent.
func (h *Handle) newBuilder() *wire.Builder { return h.builder.Get() }

// opError names the operation in err.
func opError(op string, err error) error { return pool.OpError("genl", op, err) }

// dump streams the raw replies to the dump request built in b.
func (h *Handle) dump(ctx context.Context, op string, b *wire.Builder) iter.Seq2[wire.Message, error] {
	return h.pool.Dump(ctx, op, &h.builder, b, false, nil)
}
