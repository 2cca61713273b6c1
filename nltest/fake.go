package nltest

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"sync"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Handler answers one request the way the kernel would: with reply
// messages (built by [Message], payload only: the fake sets their
// sequence numbers, port ids and flags) and an error, which is sent as the
// kernel sends errors (NLMSG_ERROR, or NLMSG_DONE ending a dump). The
// error should wrap a unix.Errno; any other becomes EINVAL. The request
// aliases the transport's buffer and is valid only during the call.
type Handler func(req wire.Message) (replies [][]byte, err error)

// Fake is a scriptable kernel: a handler per request type answers what
// code under test sends. Its Dial is a [socket.Dialer]. Handlers may call
// [Fake.Notify] to send notifications to the transports dialed into a
// multicast group, as the kernel does after a change. A Fake is safe for
// concurrent use; handlers run one at a time.
//
// A request of a type with no handler gets EOPNOTSUPP, except dumps,
// which get an empty dump (the kernel has dumps of every RTNL kind).
type Fake struct {
	// serial makes handlers run one at a time.
	serial   sync.Mutex
	mu       sync.Mutex
	handlers map[uint16]Handler
	conns    map[*conn]struct{}
	ports    uint32
	// cur is the request being handled, whose port id and sequence
	// number Notify copies into notifications.
	cur unix.NlMsghdr
	// Requests counts the requests of each type handled, for tests that
	// check what was sent.
	requests map[uint16]int

	rtnl rtnlState
}

// NewFake returns a Fake with no handlers.
func NewFake() *Fake {
	return &Fake{handlers: map[uint16]Handler{}, conns: map[*conn]struct{}{}, requests: map[uint16]int{}}
}

// Handle makes h answer requests of message type typ, replacing any
// handler typ had.
func (f *Fake) Handle(typ uint16, h Handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[typ] = h
}

// Requests returns how many requests of type typ the fake has answered.
func (f *Fake) Requests(typ uint16) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[typ]
}

// Dial opens a transport to the fake. cfg.Groups decides which
// notifications it receives; cfg.FixedLen is used as on a socket.
func (f *Fake) Dial(protocol int, cfg *socket.Config) (socket.Transport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ports++
	c := newConn(f, f.ports, cfg)
	f.conns[c] = struct{}{}
	c.onClose = func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
	}
	return c, nil
}

// Message returns a message of type typ with the given payload (family
// header and attributes), for a [Handler] to reply with or a
// notification.
func Message(typ uint16, payload []byte) []byte { return rawnl.Msg(typ, 0, 0, 0, payload) }

// Notify sends msg (built by [Message]) to every transport dialed into
// multicast group group. Called from a handler, the notification carries
// the port id and sequence number of the request being handled, as the
// kernel's do; otherwise zeros.
func (f *Fake) Notify(group uint32, msg []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		if c.inGroup(group) {
			d := append([]byte(nil), msg...)
			h := wire.DecodeHeader(d)
			h.Pid, h.Seq = f.cur.Pid, f.cur.Seq
			wire.PutHeader(d, h)
			c.notify(d)
		}
	}
}

// Overrun reports an overrun to every transport dialed into group, as
// the kernel does when a socket's receive queue overflowed and
// notifications were lost: code that mirrors kernel state must then dump
// again. (A transport also overruns by itself when more than 256
// notifications wait to be read.)
func (f *Fake) Overrun(group uint32) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		if c.inGroup(group) {
			c.overrun()
		}
	}
}

// answer runs the handlers for each request in dgram, as the kernel
// processes a datagram of requests.
func (f *Fake) answer(c *conn, dgram []byte) ([][]byte, error) {
	f.serial.Lock()
	defer f.serial.Unlock()
	var out bytes.Buffer
	for m, err := range wire.Messages(dgram) {
		if err != nil {
			return nil, err
		}
		f.mu.Lock()
		h := f.handlers[m.Header.Type]
		f.requests[m.Header.Type]++
		f.cur = m.Header
		f.cur.Pid = c.port
		f.mu.Unlock()
		dump := m.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP
		var replies [][]byte
		var herr error
		switch {
		case m.Header.Type == unix.NLMSG_NOOP:
		case h != nil:
			// The fake's lock is not held: a handler may call Notify.
			replies, herr = h(m)
		case !dump:
			herr = unix.EOPNOTSUPP
		}
		f.mu.Lock()
		f.cur = unix.NlMsghdr{}
		f.mu.Unlock()
		for _, r := range replies {
			rh := wire.DecodeHeader(r)
			rh.Seq, rh.Pid = m.Header.Seq, c.port
			if dump {
				rh.Flags |= unix.NLM_F_MULTI
			}
			wire.PutHeader(r, rh)
			out.Write(r)
		}
		errno := errnoOf(herr)
		switch {
		case dump:
			done := unix.NlMsghdr{Len: wire.HeaderLen + 4, Type: unix.NLMSG_DONE, Flags: unix.NLM_F_MULTI, Seq: m.Header.Seq, Pid: c.port}
			writeAck(&out, done, errno, nil)
		case herr != nil || m.Header.Flags&unix.NLM_F_ACK != 0:
			// A failure echoes the request, as without NETLINK_CAP_ACK.
			echo := m.Header
			var payload []byte
			if errno != 0 {
				payload = m.Data
			} else {
				echo.Len = wire.HeaderLen
			}
			ack := unix.NlMsghdr{Len: uint32(wire.HeaderLen + 4 + wire.HeaderLen + len(payload)), Type: unix.NLMSG_ERROR, Seq: m.Header.Seq, Pid: c.port}
			writeAck(&out, ack, errno, func(b *bytes.Buffer) {
				var hb [wire.HeaderLen]byte
				wire.PutHeader(hb[:], echo)
				b.Write(hb[:])
				b.Write(payload)
			})
		}
	}
	return [][]byte{out.Bytes()}, nil
}

func writeAck(out *bytes.Buffer, h unix.NlMsghdr, errno unix.Errno, body func(*bytes.Buffer)) {
	start := out.Len()
	var hb [wire.HeaderLen]byte
	wire.PutHeader(hb[:], h)
	out.Write(hb[:])
	var code [4]byte
	ne.PutUint32(code[:], uint32(-int32(errno)))
	out.Write(code[:])
	if body != nil {
		body(out)
	}
	for (out.Len()-start)%4 != 0 {
		out.WriteByte(0)
	}
}

// errnoOf returns the errno err wraps: EINVAL for other errors.
func errnoOf(err error) unix.Errno {
	if err == nil {
		return 0
	}
	var e unix.Errno
	if errors.As(err, &e) && e != 0 {
		return e
	}
	return unix.EINVAL
}

// Link is a link for [Fake.AddLink]: the attributes most code reads.
type Link struct {
	Index        int32
	Name         string
	Flags        uint32 // unix.IFF_UP, ...
	MTU          uint32
	HardwareAddr net.HardwareAddr
	Kind         string // IFLA_INFO_KIND, empty for none
	Master       int32  // IFLA_MASTER, 0 for none
}

// Payload returns the link as an RTM_NEWLINK payload.
func (l Link) Payload() []byte {
	fixed := make([]byte, unix.SizeofIfInfomsg)
	fixed[0] = unix.AF_UNSPEC
	ne.PutUint32(fixed[4:], uint32(l.Index))
	ne.PutUint32(fixed[8:], l.Flags)
	e := nla.NewEncoder(fixed)
	e.String(unix.IFLA_IFNAME, l.Name)
	if l.MTU != 0 {
		e.Uint32(unix.IFLA_MTU, l.MTU)
	}
	if l.HardwareAddr != nil {
		e.Binary(unix.IFLA_ADDRESS, l.HardwareAddr)
	}
	if l.Master != 0 {
		e.Uint32(unix.IFLA_MASTER, uint32(l.Master))
	}
	state := uint8(2) // IF_OPER_DOWN
	if l.Flags&unix.IFF_UP != 0 {
		state = 6 // IF_OPER_UP
	}
	e.Uint8(unix.IFLA_OPERSTATE, state)
	if l.Kind != "" {
		n := e.BeginNest(unix.IFLA_LINKINFO)
		e.String(unix.IFLA_INFO_KIND, l.Kind)
		e.EndNest(n)
	}
	return e.Bytes()
}

// Addr is an address for [Fake.AddAddr].
type Addr struct {
	Index  int32
	Prefix netip.Prefix // the address and its prefix length
	Scope  uint8        // unix.RT_SCOPE_UNIVERSE, ...
}

// Payload returns the address as an RTM_NEWADDR payload.
func (a Addr) Payload() []byte {
	fixed := make([]byte, unix.SizeofIfAddrmsg)
	fixed[0] = family(a.Prefix.Addr())
	fixed[1] = uint8(a.Prefix.Bits())
	fixed[3] = a.Scope
	ne.PutUint32(fixed[4:], uint32(a.Index))
	e := nla.NewEncoder(fixed)
	if a.Prefix.Addr().Is4() {
		e.Addr(unix.IFA_LOCAL, a.Prefix.Addr())
	}
	e.Addr(unix.IFA_ADDRESS, a.Prefix.Addr())
	return e.Bytes()
}

// Route is a route for [Fake.AddRoute].
type Route struct {
	Dst      netip.Prefix
	Gateway  netip.Addr // zero for none
	OIF      int32
	Table    uint32 // 0 is unix.RT_TABLE_MAIN
	Priority uint32
	Protocol uint8 // 0 is unix.RTPROT_BOOT
	Scope    uint8
	Type     uint8 // 0 is unix.RTN_UNICAST
}

// Payload returns the route as an RTM_NEWROUTE payload.
func (r Route) Payload() []byte {
	table := r.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	fixed := make([]byte, unix.SizeofRtMsg)
	fixed[0] = family(r.Dst.Addr())
	fixed[1] = uint8(r.Dst.Bits())
	fixed[4] = uint8(min(table, 255))
	fixed[5] = r.Protocol
	if fixed[5] == 0 {
		fixed[5] = unix.RTPROT_BOOT
	}
	fixed[6] = r.Scope
	fixed[7] = r.Type
	if fixed[7] == 0 {
		fixed[7] = unix.RTN_UNICAST
	}
	e := nla.NewEncoder(fixed)
	e.Uint32(unix.RTA_TABLE, table)
	if r.Dst.Bits() > 0 {
		e.Addr(unix.RTA_DST, r.Dst.Addr())
	}
	if r.Priority != 0 {
		e.Uint32(unix.RTA_PRIORITY, r.Priority)
	}
	if r.Gateway.IsValid() {
		e.Addr(unix.RTA_GATEWAY, r.Gateway)
	}
	if r.OIF != 0 {
		e.Uint32(unix.RTA_OIF, uint32(r.OIF))
	}
	return e.Bytes()
}

func family(a netip.Addr) uint8 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}
