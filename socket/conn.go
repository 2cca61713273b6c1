package socket

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// DefaultBufferSize is the initial size of a Conn's receive buffer. The
// kernel sizes dump datagrams to the reader's buffer, up to 32 KiB, so this
// is the largest datagram a dump normally produces.
const DefaultBufferSize = 32 << 10

// Config configures a Conn. The zero Config opens a plain socket in the
// calling thread's network namespace with every option off.
type Config struct {
	// Netns, if not nil, is the network namespace to open the socket in.
	// The socket stays in it; the handle may be closed after Dial.
	Netns *netns.Handle
	// Groups are multicast groups to join (group numbers, such as
	// unix.RTNLGRP_LINK, not bit masks).
	Groups []uint32
	// ExtAck asks the kernel for extended ACKs: error messages, offending
	// attribute offsets, warnings (NETLINK_EXT_ACK).
	ExtAck bool
	// StrictCheck asks the kernel to validate dump requests strictly and
	// to filter dumps by the request's fields (NETLINK_GET_STRICT_CHK).
	StrictCheck bool
	// CapAck stops the kernel from echoing a failed request's payload in
	// its error (NETLINK_CAP_ACK). The error then cannot locate the
	// offending attribute unless the request is still at hand.
	CapAck bool
	// NoENOBUFS stops the kernel from reporting receive-queue overruns
	// (NETLINK_NO_ENOBUFS): lost notifications go unnoticed. Rarely right,
	// and never for a socket that makes requests: a reply dropped from a
	// full queue then goes unreported too, and the request waits for it
	// until its context ends.
	NoENOBUFS bool
	// ListenAllNSID delivers notifications from every namespace that has
	// an id in this one, each with that id (NETLINK_LISTEN_ALL_NSID).
	ListenAllNSID bool
	// ReceiveBufferSize, if positive, sets the kernel receive queue size
	// in bytes (SO_RCVBUFFORCE when privileged, else SO_RCVBUF, which the
	// kernel caps at net.core.rmem_max).
	ReceiveBufferSize int
	// SendBufferSize, if positive, sets the kernel send buffer size, which
	// bounds how many bytes of requests one sendmsg may carry.
	SendBufferSize int
	// FixedLen, if set, gives the fixed family header length of a request
	// type, so that errors can name the attribute the kernel rejected.
	FixedLen wire.FixedLenFunc
	// Warn, if set, receives the kernel's extended-ACK warnings on
	// requests that succeeded.
	Warn func(request unix.NlMsghdr, warning string)
	// Tap, if set, sees every datagram the socket sends (out set) and
	// every datagram it accepts from the kernel, before anything else
	// reads it, in the goroutine of the call: concurrently, when
	// [Conn.Send] runs beside a receive. The bytes are valid only during
	// the call. It is for recording conversations (package
	// nltest's Recorder), not for filtering them.
	Tap func(out bool, datagram []byte)
}

// Stats counts events a caller might otherwise never see.
type Stats struct {
	// Foreign is the number of datagrams dropped because they came from
	// a port other than the kernel's.
	Foreign uint64
	// Stale is the number of messages dropped because they answered no
	// request in progress: replies to abandoned requests, or notifications
	// on a socket used for requests.
	Stale uint64
	// Overruns is the number of ENOBUFS overruns reported.
	Overruns uint64
}

// Conn is a netlink socket. Its exchanges ([Conn.Execute], [Conn.Dump],
// [Conn.Batch], [Conn.Recv]) are serialised: a Conn is safe for concurrent
// use, but one exchange waits for another to finish, or for its own
// context to end. Use several Conns for parallelism.
type Conn struct {
	protocol int
	file     *os.File
	rc       syscall.RawConn
	pid      uint32
	cfg      Config

	seq    atomic.Uint32
	closed atomic.Bool
	// peek is set once a datagram has been truncated, or by SetPeek,
	// after which sizes are checked before each receive.
	peek atomic.Bool

	// lock serialises exchanges and guards everything below it. It is a
	// one-slot semaphore rather than a mutex so that waiting for it
	// honours the waiter's context; done is closed by Close, to free
	// waiters at once.
	lock chan struct{}
	done chan struct{}
	// buf is the receive buffer.
	buf []byte
	// dirty is set while the receive queue may hold something no
	// request will ask for: the rest of an exchange that did not finish
	// cleanly (an error, a cancelled context, a dump abandoned midway, a
	// panic in a callback or loop body). unsolicited is set when an
	// exchange met datagrams from another port or an overrun. Either makes
	// the next request empty the queue first, without waiting (see drain).
	dirty       bool
	unsolicited bool
	// lastDump describes the latest dump that ran to its end.
	lastDump DumpStats

	// The recvmsg arguments live here, so that receiving allocates
	// nothing; recvFn is the method value passed to the poller.
	msg    unix.Msghdr
	iov    unix.Iovec
	from   unix.RawSockaddrNetlink
	oob    []byte
	flags  int
	n      int
	rerr   error
	recvFn func(fd uintptr) bool

	// smu guards the send arguments: Send may run while an exchange or
	// a notification stream holds mu.
	smu     sync.Mutex
	sendFn  func(fd uintptr) bool
	sendBuf []byte
	serr    error
	to      unix.RawSockaddrNetlink

	// gmu guards the arguments of group membership changes, which may
	// run during an exchange; groupFn is the method value passed to the
	// poller, so that joining and leaving allocate nothing.
	gmu     sync.Mutex
	groupFn func(fd uintptr)
	gopt    int
	group   uint32
	gerr    error

	// tryFn is the method value tryRecv passes to the poller; empty is
	// its result.
	tryFn func(fd uintptr) bool
	empty bool

	foreign, stale, overruns atomic.Uint64

	// dl guards the deadline against a context callback that fires after
	// its exchange ended; gen identifies the exchange in progress.
	dl  sync.Mutex
	gen uint64
}

// Dial opens and binds a netlink socket of the given protocol, such as
// unix.NETLINK_ROUTE. cfg may be nil.
func Dial(protocol int, cfg *Config) (*Conn, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	var fd int
	open := func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, protocol)
		return err
	}
	var err error
	if c.Netns != nil {
		// A socket belongs to the namespace it was created in, whatever
		// thread uses it later: only the creation needs the switch.
		err = netns.Do(c.Netns, open)
	} else {
		err = open()
	}
	if err != nil {
		return nil, fmt.Errorf("socket: open netlink protocol %d: %w", protocol, err)
	}
	conn, err := newConn(fd, protocol, c)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return conn, nil
}

func newConn(fd, protocol int, cfg Config) (*Conn, error) {
	// Raw system calls on a netlink address: unix.Bind and
	// unix.Getsockname would link every address family's conversion
	// into every program.
	sa := unix.RawSockaddrNetlink{Family: unix.AF_NETLINK}
	if _, _, e := unix.RawSyscall(unix.SYS_BIND, uintptr(fd), uintptr(unsafe.Pointer(&sa)), unix.SizeofSockaddrNetlink); e != 0 {
		return nil, fmt.Errorf("socket: bind: %w", e)
	}
	n := uint32(unix.SizeofSockaddrNetlink)
	if _, _, e := unix.RawSyscall(unix.SYS_GETSOCKNAME, uintptr(fd), uintptr(unsafe.Pointer(&sa)), uintptr(unsafe.Pointer(&n))); e != 0 {
		return nil, fmt.Errorf("socket: getsockname: %w", e)
	}
	if sa.Family != unix.AF_NETLINK || n < unix.SizeofSockaddrNetlink {
		return nil, fmt.Errorf("socket: getsockname returned family %d", sa.Family)
	}
	c := &Conn{protocol: protocol, pid: sa.Pid, cfg: cfg, buf: make([]byte, DefaultBufferSize),
		lock: make(chan struct{}, 1), done: make(chan struct{})}
	c.to.Family = unix.AF_NETLINK // port 0, groups 0: the kernel
	c.seq.Store(1)
	c.recvFn = c.recvmsg
	c.sendFn = c.sendto
	c.groupFn = c.setGroup
	c.tryFn = c.recvmsgNoWait

	bools := []struct {
		on  bool
		opt int
	}{
		{cfg.ExtAck, unix.NETLINK_EXT_ACK},
		{cfg.StrictCheck, unix.NETLINK_GET_STRICT_CHK},
		{cfg.CapAck, unix.NETLINK_CAP_ACK},
		{cfg.NoENOBUFS, unix.NETLINK_NO_ENOBUFS},
		{cfg.ListenAllNSID, unix.NETLINK_LISTEN_ALL_NSID},
	}
	for _, b := range bools {
		if b.on {
			if err := setBool(fd, b.opt, true); err != nil {
				return nil, err
			}
		}
	}
	if cfg.ListenAllNSID {
		c.oob = make([]byte, unix.CmsgSpace(4))
	}
	if cfg.ReceiveBufferSize > 0 {
		if err := setBufSize(fd, unix.SO_RCVBUFFORCE, unix.SO_RCVBUF, cfg.ReceiveBufferSize); err != nil {
			return nil, err
		}
	}
	if cfg.SendBufferSize > 0 {
		if err := setBufSize(fd, unix.SO_SNDBUFFORCE, unix.SO_SNDBUF, cfg.SendBufferSize); err != nil {
			return nil, err
		}
	}
	for _, g := range cfg.Groups {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, int(g)); err != nil {
			return nil, fmt.Errorf("socket: join group %d: %w", g, err)
		}
	}
	// os.NewFile registers a non-blocking descriptor with the poller.
	c.file = os.NewFile(uintptr(fd), "netlink")
	rc, err := c.file.SyscallConn()
	if err != nil {
		return nil, err
	}
	c.rc = rc
	return c, nil
}

func setBool(fd, opt int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, opt, v); err != nil {
		return fmt.Errorf("socket: netlink option %d: %w", opt, err)
	}
	return nil
}

func setBufSize(fd, force, plain, n int) error {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, force, n); err == nil {
		return nil
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, plain, n); err != nil {
		return fmt.Errorf("socket: buffer size %d: %w", n, err)
	}
	return nil
}

// PortID returns the port id the kernel assigned to the socket.
func (c *Conn) PortID() uint32 { return c.pid }

// Protocol returns the netlink protocol the socket was opened with.
func (c *Conn) Protocol() int { return c.protocol }

// Stats returns the socket's counters.
func (c *Conn) Stats() Stats {
	return Stats{Foreign: c.foreign.Load(), Stale: c.stale.Load(), Overruns: c.overruns.Load()}
}

// control runs f on the descriptor, unless the socket is closed.
func (c *Conn) control(f func(fd int) error) error {
	var ferr error
	err := c.rc.Control(func(fd uintptr) { ferr = f(int(fd)) })
	if err != nil {
		return c.closedErr(err)
	}
	return ferr
}

// JoinGroup subscribes the socket to multicast group g.
func (c *Conn) JoinGroup(g uint32) error {
	if err := c.membership(unix.NETLINK_ADD_MEMBERSHIP, g); err != nil {
		return fmt.Errorf("socket: join group %d: %w", g, err)
	}
	return nil
}

// LeaveGroup unsubscribes the socket from multicast group g.
func (c *Conn) LeaveGroup(g uint32) error {
	if err := c.membership(unix.NETLINK_DROP_MEMBERSHIP, g); err != nil {
		return fmt.Errorf("socket: leave group %d: %w", g, err)
	}
	return nil
}

// membership joins or leaves group g (opt is NETLINK_ADD_MEMBERSHIP or
// NETLINK_DROP_MEMBERSHIP) without allocating: a dump that watches
// notifications does both each time.
func (c *Conn) membership(opt int, g uint32) error {
	c.gmu.Lock()
	defer c.gmu.Unlock()
	c.gopt, c.group, c.gerr = opt, g, nil
	if err := c.rc.Control(c.groupFn); err != nil {
		return c.closedErr(err)
	}
	return c.gerr
}

// setGroup is the poller callback of membership.
func (c *Conn) setGroup(fd uintptr) {
	c.gerr = unix.SetsockoptInt(int(fd), unix.SOL_NETLINK, c.gopt, int(c.group))
}

// SetOption turns a SOL_NETLINK boolean option, such as
// unix.NETLINK_NO_ENOBUFS, on or off.
func (c *Conn) SetOption(opt int, on bool) error {
	return c.control(func(fd int) error { return setBool(fd, opt, on) })
}

// SetPeek makes the socket check each datagram's size before receiving it
// (MSG_PEEK|MSG_TRUNC), growing the buffer first, so that no datagram is
// ever truncated: it costs one more system call per datagram. The socket
// turns it on by itself after a truncation; turn it on beforehand for
// requests whose replies may exceed the buffer, such as link dumps with
// SR-IOV VF information.
func (c *Conn) SetPeek(on bool) { c.peek.Store(on) }

// SetReceiveBufferSize sets the kernel receive queue size, forcing it past
// net.core.rmem_max when privileged.
func (c *Conn) SetReceiveBufferSize(n int) error {
	return c.control(func(fd int) error { return setBufSize(fd, unix.SO_RCVBUFFORCE, unix.SO_RCVBUF, n) })
}

// Close closes the socket. It is safe to call more than once and while
// other goroutines are blocked in the socket, which then return an error
// that wraps net.ErrClosed.
func (c *Conn) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	close(c.done)
	return c.file.Close()
}

// closedErr reports any failure on a closed socket as net.ErrClosed: the
// poller's own error for it is internal to the standard library.
func (c *Conn) closedErr(err error) error {
	if c.closed.Load() || errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("socket: %w", net.ErrClosed)
	}
	return err
}

// errNilContext is returned, before anything else happens, by every call
// given a nil context.
var errNilContext = errors.New("socket: nil context")

// acquire takes the socket for one exchange, waiting while another holds
// it until ctx is done or the socket is closed.
func (c *Conn) acquire(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	select {
	case c.lock <- struct{}{}:
		return nil
	default:
	}
	select {
	case c.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return fmt.Errorf("socket: %w", net.ErrClosed)
	}
}

// release gives the socket back; it runs deferred, so that a panic in a
// callback or loop body cannot leave the socket taken.
func (c *Conn) release() { <-c.lock }

// nextSeq reserves n consecutive sequence numbers and returns the first.
// Zero is skipped: notifications carry it.
func (c *Conn) nextSeq(n uint32) uint32 {
	for {
		end := c.seq.Add(n)
		first := end - n
		if first != 0 && first <= end-1 {
			return first
		}
		// The n numbers would wrap through zero; claim the next block.
	}
}

// begin arms ctx's deadline and cancellation on the socket for one
// exchange; end disarms them. The generation check keeps a cancellation
// that fires late from poisoning the next exchange.
func (c *Conn) begin(ctx context.Context) (stop func() bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.dl.Lock()
	c.gen++
	gen := c.gen
	if d, ok := ctx.Deadline(); ok {
		c.file.SetDeadline(d)
	}
	c.dl.Unlock()
	if ctx.Done() == nil {
		return nil, nil
	}
	// A goroutine rather than context.AfterFunc, which costs as much per
	// exchange but links the cancelCtx machinery into every program:
	// about 20 kB (scripts/binsize.sh).
	quit := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			c.dl.Lock()
			if c.gen == gen {
				c.file.SetDeadline(time.Unix(1, 0))
			}
			c.dl.Unlock()
		case <-quit:
		}
	}()
	return func() bool { close(quit); return true }, nil
}

func (c *Conn) end(ctx context.Context, stop func() bool) {
	if stop != nil {
		stop()
	}
	c.dl.Lock()
	c.gen++
	if stop != nil || ctxHasDeadline(ctx) {
		c.file.SetDeadline(time.Time{})
	}
	c.dl.Unlock()
}

func ctxHasDeadline(ctx context.Context) bool {
	_, ok := ctx.Deadline()
	return ok
}

// ctxErr prefers the context's error to the poller's deadline error that
// the context caused. The poller's timer may fire an instant before the
// context's own, so a passed deadline counts even while ctx.Err is nil.
func (c *Conn) ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			return context.DeadlineExceeded
		}
	}
	return c.closedErr(err)
}

// sendto is the poller callback that sends c.sendBuf to the kernel.
func (c *Conn) sendto(fd uintptr) bool {
	var p unsafe.Pointer
	if len(c.sendBuf) > 0 {
		p = unsafe.Pointer(&c.sendBuf[0])
	}
	_, _, e := unix.Syscall6(unix.SYS_SENDTO, fd, uintptr(p), uintptr(len(c.sendBuf)), 0,
		uintptr(unsafe.Pointer(&c.to)), unix.SizeofSockaddrNetlink)
	switch e {
	case unix.EAGAIN:
		return false
	case unix.EINTR:
		return false
	case 0:
		c.serr = nil
	default:
		c.serr = e
	}
	return true
}

// send writes one datagram of requests to the kernel.
func (c *Conn) send(b []byte) error {
	c.smu.Lock()
	defer c.smu.Unlock()
	if c.cfg.Tap != nil {
		c.cfg.Tap(true, b)
	}
	c.sendBuf = b
	err := c.rc.Write(c.sendFn)
	c.sendBuf = nil
	if err != nil {
		return err
	}
	if c.serr != nil {
		return fmt.Errorf("socket: sendto: %w", c.serr)
	}
	return nil
}

// recvmsg is the poller callback that receives one datagram into c.buf.
func (c *Conn) recvmsg(fd uintptr) bool {
	c.iov.Base = &c.buf[0]
	c.iov.SetLen(len(c.buf))
	c.msg.Name = (*byte)(unsafe.Pointer(&c.from))
	c.msg.Namelen = unix.SizeofSockaddrNetlink
	c.msg.Iov = &c.iov
	c.msg.SetIovlen(1)
	if c.oob != nil {
		c.msg.Control = &c.oob[0]
		c.msg.SetControllen(len(c.oob))
	}
	n, _, e := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&c.msg)), uintptr(c.flags))
	switch e {
	case unix.EAGAIN, unix.EINTR:
		return false
	case 0:
		c.n, c.rerr = int(n), nil
	default:
		c.n, c.rerr = 0, e
	}
	return true
}

// Datagram is one received datagram. Data aliases the socket's receive
// buffer and is valid until the next receive on the socket.
type Datagram struct {
	Data []byte
	// NSID is the id, in the socket's namespace, of the namespace a
	// notification came from, when [Config.ListenAllNSID] is set and the
	// notification came from another namespace; otherwise -1.
	NSID int32
}

// recv receives one datagram from the kernel, dropping foreign ones.
func (c *Conn) recv() (Datagram, error) {
	for {
		if c.peek.Load() {
			// MSG_TRUNC makes recvmsg return the datagram's real size.
			// Only the kernel's datagrams may grow the buffer: another
			// port's are dropped below, truncated or not.
			c.flags = unix.MSG_PEEK | unix.MSG_TRUNC
			if err := c.rc.Read(c.recvFn); err != nil {
				return Datagram{}, err
			}
			if c.rerr != nil {
				// The kernel reports an error, an overrun's ENOBUFS
				// above all, to one receive only: this one.
				d, _, err := c.received()
				return d, err
			}
			if c.n > len(c.buf) && c.from.Pid == 0 {
				c.buf = make([]byte, wire.Align(c.n))
			}
		}
		c.flags = unix.MSG_TRUNC
		if err := c.rc.Read(c.recvFn); err != nil {
			return Datagram{}, err
		}
		d, again, err := c.received()
		if !again {
			return d, err
		}
	}
}

// received examines what recvmsg left in c: again is set for a datagram
// from another port, which is dropped. An overrun or another port's
// datagram marks the queue for emptying before the next request: after an
// overrun the kernel drops replies without a word until the queue has
// been emptied once, and another port may have sent more.
func (c *Conn) received() (d Datagram, again bool, err error) {
	if c.rerr != nil {
		if c.rerr == unix.ENOBUFS {
			c.overruns.Add(1)
			c.unsolicited = true
			return Datagram{}, false, ErrOverrun
		}
		return Datagram{}, false, fmt.Errorf("socket: recvmsg: %w", c.rerr)
	}
	if c.from.Pid != 0 {
		c.foreign.Add(1)
		c.unsolicited = true
		return Datagram{}, true, nil
	}
	if c.n > len(c.buf) || c.msg.Flags&unix.MSG_TRUNC != 0 {
		err := &TruncatedError{Size: c.n, Buffer: len(c.buf)}
		c.buf = make([]byte, wire.Align(c.n))
		c.peek.Store(true)
		return Datagram{}, false, err
	}
	if c.cfg.Tap != nil {
		c.cfg.Tap(false, c.buf[:c.n])
	}
	return Datagram{Data: c.buf[:c.n], NSID: c.nsid()}, false, nil
}

// tryRecv receives one datagram if one is queued, without waiting: ok is
// false when the queue is empty.
func (c *Conn) tryRecv() (d Datagram, ok bool, err error) {
	for {
		c.flags = unix.MSG_TRUNC | unix.MSG_DONTWAIT
		if err := c.rc.Read(c.tryFn); err != nil {
			return Datagram{}, false, err
		}
		if c.empty {
			return Datagram{}, false, nil
		}
		d, again, err := c.received()
		if !again {
			return d, err == nil, err
		}
	}
}

// recvmsgNoWait is the poller callback of tryRecv: it never asks the
// poller to wait, and sets c.empty when nothing was queued (EAGAIN).
func (c *Conn) recvmsgNoWait(fd uintptr) bool {
	c.empty = !c.recvmsg(fd)
	return true
}

// nsid extracts the NETLINK_LISTEN_ALL_NSID control message, if any.
func (c *Conn) nsid() int32 {
	if c.oob == nil {
		return -1
	}
	cl := int(c.msg.Controllen)
	if cl < unix.CmsgLen(4) || cl > len(c.oob) {
		return -1
	}
	h := (*unix.Cmsghdr)(unsafe.Pointer(&c.oob[0]))
	if h.Level != unix.SOL_NETLINK || h.Type != unix.NETLINK_LISTEN_ALL_NSID || int(h.Len) < unix.CmsgLen(4) {
		return -1
	}
	return int32(nativeUint32(c.oob[unix.CmsgLen(0):]))
}

// Recv waits for and returns the next datagram from the kernel, typically a
// multicast notification after [Conn.JoinGroup]. It returns [ErrOverrun]
// once for each overrun, after which notifications continue.
func (c *Conn) Recv(ctx context.Context) (Datagram, error) {
	if err := c.acquire(ctx); err != nil {
		return Datagram{}, err
	}
	defer c.release()
	stop, err := c.begin(ctx)
	if err != nil {
		return Datagram{}, err
	}
	defer c.end(ctx, stop)
	d, err := c.recv()
	return d, c.ctxErr(ctx, err)
}

// TryRecv returns the next datagram already queued on the socket, without
// waiting for one: ok is false when the queue is empty. Like [Conn.Recv],
// it returns [ErrOverrun] once for each overrun. It waits only while
// another exchange holds the socket, until ctx is done.
func (c *Conn) TryRecv(ctx context.Context) (d Datagram, ok bool, err error) {
	if err := c.acquire(ctx); err != nil {
		return Datagram{}, false, err
	}
	defer c.release()
	d, ok, err = c.tryRecv()
	if err != nil {
		return Datagram{}, false, c.closedErr(err)
	}
	return d, ok, nil
}
