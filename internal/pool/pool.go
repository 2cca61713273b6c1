package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
)

// Pool holds the sockets of one handle: those idle, and every one open,
// so that Close can interrupt the calls in progress. The zero Pool is not
// usable; Open fills it in place, so that a handle embeds it.
type Pool struct {
	// Pkg ("rtm", "genl") prefixes errors; Proto is the netlink protocol;
	// calls on a closed pool return ErrClosed, and Get given a nil context
	// ErrNilContext. They are set before Open.
	Pkg           string
	Proto         int
	ErrClosed     error
	ErrNilContext error
	// Config is what every socket of the pool is opened with; a monitor
	// copies it and sets Groups.
	Config socket.Config
	// NS is the namespace the sockets are opened in, nil for the caller's.
	NS *netns.Handle
	// Dialer replaces socket.Dial when set (a WithTransport option).
	Dialer socket.Dialer

	idle   chan *Conn
	closed atomic.Bool
	mu     sync.Mutex
	open   map[*Conn]struct{}
}

// Open sets p up from o and cfg (whose Netns, ExtAck, StrictCheck and
// ReceiveBufferSize it fills from o: StrictCheck stays on only if cfg asks
// for it and o does not turn it off), opening the namespace o names and
// one socket at once, so that errors such as a missing namespace surface
// there. On error p is closed.
func (p *Pool) Open(o *Options, cfg socket.Config) error {
	pkg := p.Pkg
	p.Dialer = o.Dialer
	p.idle = make(chan *Conn, o.Size)
	p.open = map[*Conn]struct{}{}
	var err error
	switch {
	case o.NSKinds&(o.NSKinds-1) != 0:
		err = errors.New(pkg + ": more than one network namespace option")
	case o.OpenNS != nil:
		if p.NS, err = o.OpenNS(); err != nil {
			err = fmt.Errorf("%s: %w", pkg, err)
		}
	}
	if err != nil {
		p.Close()
		return err
	}
	cfg.Netns = p.NS
	cfg.ExtAck = !o.NoExtAck
	cfg.StrictCheck = cfg.StrictCheck && !o.NoStrict
	cfg.ReceiveBufferSize = o.RcvBuf
	p.Config = cfg
	c, err := p.Dial()
	if err != nil {
		p.Close()
		return err
	}
	p.Put(&c)
	return nil
}

// Closed reports whether Close has been called.
func (p *Pool) Closed() bool { return p.closed.Load() }

// Transport opens a socket, or what the Dialer dials, with cfg. It
// returns a value, which a monitor keeps as it is: no allocation more
// than the socket's.
func (p *Pool) Transport(cfg *socket.Config) (Conn, error) {
	if p.Dialer == nil {
		s, err := socket.Dial(p.Proto, cfg)
		if err != nil {
			return Conn{}, err
		}
		return Conn{S: s}, nil
	}
	// A copy, which the dialer may keep or change; made here only, so
	// that cfg itself does not escape.
	c := *cfg
	t, err := p.Dialer(p.Proto, &c)
	if err != nil {
		return Conn{}, err
	}
	if t == nil {
		return Conn{}, errors.New(p.Pkg + ": the WithTransport dialer returned no transport")
	}
	return Conn{T: t}, nil
}

// Dial opens a socket of the pool's that does not go to the idle ones:
// its owner closes it with CloseConn (rtm's consistency watches).
func (p *Pool) Dial() (*Conn, error) {
	t, err := p.Transport(&p.Config)
	if err != nil {
		if p.closed.Load() {
			// Close ran after the caller's check and closed the
			// namespace the socket was to be opened in.
			return nil, p.ErrClosed
		}
		return nil, fmt.Errorf("%s: %w", p.Pkg, err)
	}
	c := &t
	p.mu.Lock()
	if p.open == nil {
		// Close ran after the caller's check: nothing may join the
		// sockets it closed.
		p.mu.Unlock()
		c.Close()
		return nil, p.ErrClosed
	}
	p.open[c] = struct{}{}
	p.mu.Unlock()
	return c, nil
}

// Get borrows a socket for a call with ctx. It never waits: with no idle
// socket, it opens one. Every borrower follows Get with
//
//	defer p.Discard(&c)
//
// and, once the socket's exchange has returned, p.Put(&c): a socket that a
// panic (in a callback or in the body of a loop over a dump) carries out
// of its exchange is closed, not pooled.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	if ctx == nil {
		return nil, p.ErrNilContext
	}
	if p.closed.Load() {
		return nil, p.ErrClosed
	}
	select {
	case c := <-p.idle:
		return c, nil
	default:
		return p.Dial()
	}
}

// Put returns a borrowed socket to the pool, closing it when the pool is
// full, and clears *c so that the deferred Discard leaves it alone.
func (p *Pool) Put(c **Conn) {
	conn := *c
	*c = nil
	if !p.closed.Load() {
		select {
		case p.idle <- conn:
			return
		default:
		}
	}
	p.CloseConn(conn)
}

// Discard closes a borrowed socket that Put did not take back: its
// exchange was cut short by a panic.
func (p *Pool) Discard(c **Conn) {
	if *c != nil {
		p.CloseConn(*c)
		*c = nil
	}
}

// CloseConn closes c, a socket of the pool's, and forgets it.
func (p *Pool) CloseConn(c *Conn) {
	p.mu.Lock()
	delete(p.open, c)
	p.mu.Unlock()
	c.Close()
}

// Close closes every socket of the pool, interrupting calls in progress,
// and its namespace. It reports false when the pool was closed already.
func (p *Pool) Close() bool {
	if p.closed.Swap(true) {
		return false
	}
	p.mu.Lock()
	for c := range p.open {
		c.Close()
	}
	p.open = nil
	p.mu.Unlock()
	if p.NS != nil {
		p.NS.Close()
	}
	return true
}

// IdlePortIDs returns the port ids of the idle sockets, for tests that
// send datagrams to them as another process could.
func (p *Pool) IdlePortIDs() []uint32 {
	var conns []*Conn
	for {
		select {
		case c := <-p.idle:
			conns = append(conns, c)
			continue
		default:
		}
		break
	}
	ids := make([]uint32, len(conns))
	for i, c := range conns {
		ids[i] = c.PortID()
		p.idle <- c
	}
	return ids
}

// OpenCount returns how many sockets the pool has open, idle or borrowed.
func (p *Pool) OpenCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.open)
}
