package xfrm

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Handle is an XFRM (NETLINK_XFRM) handle. It is safe for concurrent use:
// each exchange borrows a socket from a small pool, as rtm.Handle does.
type Handle struct {
	pool    pool.Pool
	builder pool.Builders
}

// Option configures [Dial].
type Option func(*pool.Options) error

// WithNetns opens the handle in the named network namespace (iproute2's
// /run/netns names): the SAs and policies are the namespace's.
func WithNetns(name string) Option { return pool.Netns(name) }

// WithNetnsPath opens the handle in the network namespace at path, such
// as /proc/PID/ns/net.
func WithNetnsPath(path string) Option { return pool.NetnsPath(path) }

// WithNetnsHandle opens the handle in the namespace h refers to. The
// handle keeps its own reference; h may be closed after Dial.
func WithNetnsHandle(h *netns.Handle) Option { return pool.NetnsHandle("xfrm", h) }

// WithoutExtAck turns extended ACKs off: errors then carry only the errno.
func WithoutExtAck() Option { return pool.NoExtAck }

// WithReceiveBufferSize sets each socket's kernel receive queue size
// (default 1 MiB).
func WithReceiveBufferSize(n int) Option { return pool.ReceiveBufferSize("xfrm", n) }

// WithPoolSize sets how many idle sockets the handle keeps (default 4).
func WithPoolSize(n int) Option { return pool.Size("xfrm", n) }

// WithTransport makes the handle talk through the transports d opens
// instead of netlink sockets: d is called with unix.NETLINK_XFRM. It is
// how tests replace the kernel (package nltest).
func WithTransport(d socket.Dialer) Option { return pool.Transport("xfrm", d) }

// ErrClosed is returned by calls on a closed Handle.
var ErrClosed = errors.New("xfrm: handle closed")

// errNilContext is returned by every call given a nil context.
var errNilContext = errors.New("xfrm: nil context")

// errNilHandle is returned by every call on a nil *Handle.
var errNilHandle = errors.New("xfrm: nil handle")

// Dial opens an XFRM handle with extended ACKs on (unless
// [WithoutExtAck]). It opens one socket at once, so that errors (such as
// a missing namespace, or a kernel without CONFIG_XFRM_USER) surface here.
func Dial(opts ...Option) (*Handle, error) {
	h := &Handle{pool: pool.Pool{Pkg: "xfrm", Proto: unix.NETLINK_XFRM, ErrClosed: ErrClosed, ErrNilContext: errNilContext}}
	if err := pool.OpenWith(&h.pool, opts, socket.Config{FixedLen: FixedLen}); err != nil {
		return nil, err
	}
	return h, nil
}

// FixedLen is the fixed header length of an XFRM request of type t (the
// kernel's xfrm_msg_min), so that errors can name the attribute the
// kernel rejected; -1 for a type it does not know.
func FixedLen(t uint16) int {
	switch t {
	case msgNewSA, msgUpdSA:
		return sizeofUsersaInfo
	case msgDelSA, msgGetSA:
		return sizeofUsersaID
	case msgNewPolicy, msgUpdPolicy:
		return sizeofUserpolicyInfo
	case msgDelPolicy, msgGetPolicy:
		return sizeofUserpolicyID
	case msgAllocSPI:
		return sizeofUserspiInfo
	case msgFlushSA:
		return 1
	case msgFlushPolicy:
		return 0
	case msgGetSADInfo, msgGetSPDInfo, msgNewSPDInfo:
		return 4
	}
	return -1
}

// Close closes every socket of the handle, interrupting calls in
// progress. It is safe to call more than once, and on nil.
func (h *Handle) Close() error {
	if h != nil {
		h.pool.Close()
	}
	return nil
}

// opError names the operation in err.
func opError(op string, err error) error { return pool.OpError("xfrm", op, err) }

// exchange sends the request built in b on a pooled socket and returns b
// to its pool: as an execute (with an acknowledgement) when ack is set,
// else as a query answered by one reply.
func (h *Handle) exchange(ctx context.Context, op string, b *wire.Builder, ack bool, onReply func(wire.Message) error) error {
	defer h.builder.Put(b)
	if err := b.Err(); err != nil {
		return fmt.Errorf("xfrm: %s: %w", op, err)
	}
	c, err := h.pool.Get(ctx)
	if err != nil {
		return err
	}
	defer h.pool.Discard(&c)
	if ack {
		err = c.Execute(ctx, b.Bytes(), onReply)
	} else {
		err = c.Query(ctx, b.Bytes(), onReply)
	}
	h.pool.Put(&c)
	return opError(op, err)
}

// check returns the error of a call on h before anything is built.
func (h *Handle) check(ctx context.Context) error {
	if h == nil {
		return errNilHandle
	}
	if ctx == nil {
		return errNilContext
	}
	if h.pool.Closed() {
		return ErrClosed
	}
	return nil
}

// dump streams the raw replies to the dump request built in b.
func (h *Handle) dump(ctx context.Context, op string, b *wire.Builder) iter.Seq2[wire.Message, error] {
	return h.pool.Dump(ctx, op, &h.builder, b, false, nil)
}
