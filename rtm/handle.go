package rtm

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

// Handle is an RTNL (NETLINK_ROUTE) handle, the Go counterpart of
// pyroute2's IPRoute. It is safe for concurrent use: each exchange borrows
// a socket from a small pool, so that concurrent calls run in parallel
// rather than queueing on one socket.
type Handle struct {
	pool    pool.Pool
	builder pool.Builders
	watches watchPool
}

// Option configures [Dial].
type Option func(*pool.Options) error

// WithNetns opens the handle in the named network namespace, as
// pyroute2's IPRoute(netns="name") does (iproute2's /run/netns names).
func WithNetns(name string) Option { return pool.Netns(name) }

// WithNetnsPath opens the handle in the network namespace at path, such
// as /proc/PID/ns/net.
func WithNetnsPath(path string) Option { return pool.NetnsPath(path) }

// WithNetnsHandle opens the handle in the namespace h refers to. The
// handle keeps its own reference; h may be closed after Dial.
func WithNetnsHandle(h *netns.Handle) Option { return pool.NetnsHandle("rtm", h) }

// WithoutStrictCheck turns NETLINK_GET_STRICT_CHK off, for kernels older
// than 4.20. Dumps are then filtered in user space where the kernel would
// have filtered them.
func WithoutStrictCheck() Option { return pool.NoStrictCheck }

// WithoutExtAck turns extended ACKs off: errors then carry only the errno.
func WithoutExtAck() Option { return pool.NoExtAck }

// WithReceiveBufferSize sets each socket's kernel receive queue size
// (default 1 MiB, forced past net.core.rmem_max when privileged). It bounds
// how many requests of a batch go in one sendmsg: their failure replies
// must fit in it.
func WithReceiveBufferSize(n int) Option { return pool.ReceiveBufferSize("rtm", n) }

// WithPoolSize sets how many idle sockets the handle keeps (default 4).
// More concurrent calls than that still run, on sockets opened for them.
func WithPoolSize(n int) Option { return pool.Size("rtm", n) }

// WithTransport makes the handle, and its monitors, talk to the kernel
// through the transports d opens instead of netlink sockets: d is called
// with unix.NETLINK_ROUTE and the socket options the handle would use
// (Groups set for a monitor). It is how tests replace the kernel (see
// package nltest: a recorded conversation, or a scripted fake), and how a
// caller can wrap the real socket, by calling [socket.DialTransport]
// inside d.
func WithTransport(d socket.Dialer) Option { return pool.Transport("rtm", d) }

// Dial opens an RTNL handle. Extended ACKs and strict checking are on
// unless turned off by options. Dial opens one socket at once, so that
// errors (such as a missing namespace) surface here.
func Dial(opts ...Option) (*Handle, error) {
	h := &Handle{pool: pool.Pool{Pkg: "rtm", Proto: unix.NETLINK_ROUTE, ErrClosed: ErrClosed, ErrNilContext: errNilContext}}
	if err := pool.OpenWith(&h.pool, opts, socket.Config{StrictCheck: true, FixedLen: FixedLen}); err != nil {
		return nil, err
	}
	return h, nil
}

// conn is one of a handle's transports (see package internal/pool).
type conn = pool.Conn

// transport opens a socket, or what WithTransport dials, with cfg.
func (h *Handle) transport(cfg *socket.Config) (conn, error) { return h.pool.Transport(cfg) }

// ErrClosed is returned by calls on a closed Handle.
var ErrClosed = errors.New("rtm: handle closed")

// errNilContext is returned by every call given a nil context, before
// anything is borrowed or sent.
var errNilContext = errors.New("rtm: nil context")

// get borrows a socket for a call with ctx; every borrower follows it with
// defer h.discard(&c) and, once the exchange has returned, h.put(&c) (see
// pool.Pool.Get).
func (h *Handle) get(ctx context.Context) (*conn, error) { return h.pool.Get(ctx) }

func (h *Handle) put(c **conn) { h.pool.Put(c) }

func (h *Handle) discard(c **conn) { h.pool.Discard(c) }

// Close closes every socket of the handle, interrupting calls in
// progress. It is safe to call more than once.
func (h *Handle) Close() error {
	h.pool.Close()
	return nil
}

// newBuilder returns a pooled request builder; release it with
// h.builder.Put after the request is sent.
func (h *Handle) newBuilder() *wire.Builder { return h.builder.Get() }

// newRequest takes a builder and begins a message of type typ with a
// fixed header of hdrLen bytes, whose first byte (in every rtnetlink
// header) is the family. It returns the header for the caller to fill in
// the rest: nil when the builder failed, which End reports.
func (h *Handle) newRequest(typ, flags uint16, hdrLen int, family uint8) (*wire.Builder, []byte) {
	b := h.newBuilder()
	b.Begin(typ, flags)
	hdr := b.Fixed(hdrLen)
	if hdr != nil {
		hdr[0] = family
	}
	return b, hdr
}

// execute sends the request built in b and waits for its acknowledgement.
func (h *Handle) execute(ctx context.Context, op string, b *wire.Builder, onReply func(wire.Message) error) error {
	return h.exchange(ctx, op, false, b, true, onReply)
}

// query sends the get request built in b and passes the kernel's reply to
// onReply; no acknowledgement is asked for. When describe is set, op is a
// bare verb ("link get") and a failure names the object from the request
// itself, so that a successful lookup formats nothing.
func (h *Handle) query(ctx context.Context, op string, describe bool, b *wire.Builder, onReply func(wire.Message) error) error {
	return h.exchange(ctx, op, describe, b, false, onReply)
}

// exchange sends the request built in b on a pooled socket, and returns
// b to its pool: as an execute when ack is set, else as a query.
func (h *Handle) exchange(ctx context.Context, op string, describe bool, b *wire.Builder, ack bool, onReply func(wire.Message) error) error {
	defer h.builder.Put(b)
	if err := b.Err(); err != nil {
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	c, err := h.get(ctx)
	if err != nil {
		return err
	}
	defer h.discard(&c)
	if ack {
		err = c.Execute(ctx, b.Bytes(), onReply)
	} else {
		err = c.Query(ctx, b.Bytes(), onReply)
	}
	h.put(&c)
	if err != nil && describe {
		if m, _, ok, ferr := wire.Next(b.Bytes()); ferr == nil && ok {
			op += " " + describeMessage(m)
		}
	}
	return opError(op, err)
}

// opError names the operation in err.
func opError(op string, err error) error { return pool.OpError("rtm", op, err) }

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
	return h.pool.Dump(ctx, op, &h.builder, b, peek, st)
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
