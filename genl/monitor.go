package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Subscription names a multicast group of a resolved family.
type Subscription struct {
	Family *Family
	// Group is the group's name within the family ("monitor", "mgmt").
	Group string
}

// Monitor is a subscription to generic-netlink multicast groups on a
// socket of its own, in the handle's namespace.
type Monitor struct {
	h    *Handle
	c    conn
	fams []Family // id and header size of each family subscribed to
}

// Monitor subscribes to the groups subs name. A group the family lacks
// is an error, before any socket is opened. Subscribing to nlctrl's
// "notify" group also keeps the handle's family cache current.
func (h *Handle) Monitor(subs ...Subscription) (*Monitor, error) {
	if h == nil {
		return nil, errNilHandle
	}
	if h.pool.Closed() {
		return nil, ErrClosed
	}
	if len(subs) == 0 {
		return nil, errors.New("genl: monitor of no group")
	}
	cfg := h.pool.Config
	cfg.Groups = make([]uint32, 0, len(subs))
	cfg.ReceiveBufferSize = 8 << 20
	m := &Monitor{h: h}
	for _, s := range subs {
		if err := check(s.Family); err != nil {
			return nil, err
		}
		g, ok := s.Family.Group(s.Group)
		if !ok {
			return nil, fmt.Errorf("genl: family %s has no multicast group %q", s.Family.Name, s.Group)
		}
		cfg.Groups = append(cfg.Groups, g)
		m.fams = append(m.fams, Family{ID: s.Family.ID, HeaderSize: s.Family.HeaderSize})
	}
	c, err := h.transport(&cfg)
	if err != nil {
		return nil, fmt.Errorf("genl: monitor: %w", err)
	}
	m.c = c
	return m, nil
}

// Close ends the subscription; an Events iteration in progress returns.
func (m *Monitor) Close() error {
	if !m.opened() {
		return errNoMonitor
	}
	return m.c.Close()
}

// errNoMonitor is returned by the methods of a nil or zero Monitor, one
// that [Handle.Monitor] did not return.
var errNoMonitor = errors.New("genl: monitor not opened by Handle.Monitor")

func (m *Monitor) opened() bool { return m != nil && (m.c.S != nil || m.c.T != nil) }

// Sync asks the kernel for a barrier in the event stream and returns its
// id: Events yields an Event whose Sync field is that id after every
// notification the kernel had queued when Sync was called, such as those
// caused by requests it has acknowledged. It is how a consumer waits for
// the effects of its own changes without sleeping. Sync may be called
// while another goroutine iterates Events. An overrun can take the
// barrier's answer with it: after an Event with Overrun set, call Sync
// again rather than wait for an earlier id.
func (m *Monitor) Sync() (uint32, error) {
	if !m.opened() {
		return 0, errNoMonitor
	}
	// Any request answered in order will do: nlctrl's description of
	// itself, which every kernel has, at a fixed id.
	var b wire.Builder
	b.Begin(unix.GENL_ID_CTRL, 0)
	if hdr := b.Fixed(unix.GENL_HDRLEN); hdr != nil {
		hdr[0] = unix.CTRL_CMD_GETFAMILY
		hdr[1] = uint8(Ctrl.Version)
	}
	b.Uint16(unix.CTRL_ATTR_FAMILY_ID, unix.GENL_ID_CTRL)
	b.End()
	if err := b.Err(); err != nil {
		return 0, fmt.Errorf("genl: monitor sync: %w", err)
	}
	seq, err := m.c.Send(b.Bytes())
	if err != nil {
		return 0, fmt.Errorf("genl: monitor sync: %w", err)
	}
	return seq, nil
}

// Event is one notification, or an overrun.
type Event struct {
	// Overrun reports that the kernel dropped notifications because the
	// consumer fell behind: whoever mirrors kernel state must dump again.
	// The stream goes on after it.
	Overrun bool
	// Sync, when not zero, marks the barrier that [Monitor.Sync]
	// returned: every notification the kernel queued before Sync was
	// called came before this event. Message is then the kernel's reply
	// to the barrier's request, no notification.
	Sync uint32
	// Message is the notification (zero for an overrun). It aliases the
	// receive buffer: valid until the next iteration.
	Message
}

// Events yields notifications until ctx is done, the monitor is closed or
// the socket fails. An overrun is yielded as an Event with Overrun set and
// the sequence goes on; the final error, if any, is yielded last. On a
// socket, iterating allocates nothing per event.
func (m *Monitor) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if ctx == nil {
			yield(Event{}, errNilContext)
			return
		}
		if !m.opened() {
			yield(Event{}, errNoMonitor)
			return
		}
		if c := m.c.S; c != nil {
			for d, err := range c.Notifications(ctx) {
				if !m.deliver(d, err, yield) {
					return
				}
			}
			return
		}
		m.pull(ctx, yield)
	}
}

// pull is Events over a transport other than a socket: a goroutine reads
// its datagrams and hands over copies, so that yield does not escape
// through the transport's iterator.
func (m *Monitor) pull(ctx context.Context, yield func(Event, error) bool) {
	m.c.PullNotifications(ctx, func(d socket.Datagram, err error) bool { return m.deliver(d, err, yield) })
}

// deliver yields the events of one datagram, or its error, and reports
// whether the stream goes on.
func (m *Monitor) deliver(d socket.Datagram, err error, yield func(Event, error) bool) bool {
	if errors.Is(err, socket.ErrOverrun) {
		if m.watchesCtrl() {
			m.h.Forget("") // missed family changes, maybe
		}
		return yield(Event{Overrun: true}, nil)
	}
	if err != nil {
		yield(Event{}, fmt.Errorf("genl: monitor: %w", err))
		return false
	}
	for msg, err := range wire.Messages(d.Data) {
		if err != nil {
			yield(Event{}, fmt.Errorf("genl: monitor: %w", err))
			return false
		}
		if msg.Header.Seq != 0 && msg.Header.Pid == m.c.PortID() {
			// The answer to a Sync (its reply, or an error), not a
			// notification.
			if msg.Header.Type == unix.NLMSG_ERROR {
				continue
			}
			if !yield(Event{Sync: msg.Header.Seq, Message: Message{Header: msg.Header}}, nil) {
				return false
			}
			continue
		}
		if msg.Header.Type < unix.GENL_MIN_ID {
			continue // NLMSG_NOOP, NLMSG_DONE: no notification
		}
		hdrsize := 0
		for _, f := range m.fams {
			if f.ID == msg.Header.Type {
				hdrsize = int(f.HeaderSize)
			}
		}
		v, err := Decode(msg, hdrsize)
		if err != nil {
			yield(Event{}, fmt.Errorf("genl: monitor: %w", err))
			return false
		}
		if v.Header.Type == unix.GENL_ID_CTRL && (v.Command == unix.CTRL_CMD_NEWFAMILY || v.Command == unix.CTRL_CMD_DELFAMILY) {
			m.h.famMu.Lock()
			m.h.invalidate(msg.Header, v)
			m.h.famMu.Unlock()
		}
		if !yield(Event{Message: v}, nil) {
			return false
		}
	}
	return true
}

func (m *Monitor) watchesCtrl() bool {
	for _, f := range m.fams {
		if f.ID == unix.GENL_ID_CTRL {
			return true
		}
	}
	return false
}
