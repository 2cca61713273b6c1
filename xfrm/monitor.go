package xfrm

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
)

// EventType is the XFRM_MSG_* type of a notification.
type EventType uint16

// The notifications a monitor reads (XFRM_MSG_*, linux/xfrm.h).
const (
	EventNewSA        EventType = msgNewSA
	EventDelSA        EventType = msgDelSA
	EventNewPolicy    EventType = msgNewPolicy
	EventDelPolicy    EventType = msgDelPolicy
	EventAcquire      EventType = msgAllocSPI + 1 // XFRM_MSG_ACQUIRE
	EventExpire       EventType = msgAllocSPI + 2 // XFRM_MSG_EXPIRE
	EventUpdPolicy    EventType = msgUpdPolicy
	EventUpdSA        EventType = msgUpdSA
	EventPolicyExpire EventType = msgUpdSA + 1 // XFRM_MSG_POLEXPIRE
	EventFlushSA      EventType = msgFlushSA
	EventFlushPolicy  EventType = msgFlushPolicy
	EventNewAE        EventType = msgFlushPolicy + 1 // XFRM_MSG_NEWAE
	EventReport       EventType = msgFlushPolicy + 3 // XFRM_MSG_REPORT
	EventMapping      EventType = msgGetSPDInfo + 1  // XFRM_MSG_MAPPING
	EventDefaults     EventType = msgGetDefault      // XFRM_MSG_GETDEFAULT, after a change of the default actions
)

// Monitor is a subscription to XFRM notifications on a socket of its
// own, in the handle's namespace.
type Monitor struct {
	c pool.Conn
}

// errNoMonitor is returned by the methods of a Monitor that
// [Handle.Monitor] did not return.
var errNoMonitor = errors.New("xfrm: monitor not opened by Handle.Monitor")

// Monitor subscribes to the groups named (GroupSA, GroupPolicy, ...);
// with none, to every group, as "ip xfrm monitor" does.
func (h *Handle) Monitor(groups ...uint32) (*Monitor, error) {
	return h.monitor(false, groups)
}

// MonitorAllNamespaces is Monitor that also delivers the notifications of
// every namespace that has an id in the handle's namespace
// (NETLINK_LISTEN_ALL_NSID), each with that id in Event.NSID, as
// "ip xfrm monitor all-nsid" does.
func (h *Handle) MonitorAllNamespaces(groups ...uint32) (*Monitor, error) {
	return h.monitor(true, groups)
}

// monitor is Monitor, with NETLINK_LISTEN_ALL_NSID if allNSID.
func (h *Handle) monitor(allNSID bool, groups []uint32) (*Monitor, error) {
	if err := h.check(context.Background()); err != nil {
		return nil, err
	}
	cfg := h.pool.Config
	cfg.Groups = nil
	for _, g := range groups {
		if g < GroupAcquire || g > GroupMapping {
			return nil, fmt.Errorf("xfrm: monitor: group %d", g)
		}
		cfg.Groups = append(cfg.Groups, g)
	}
	if cfg.Groups == nil {
		for g := uint32(GroupAcquire); g <= GroupMapping; g++ {
			cfg.Groups = append(cfg.Groups, g)
		}
	}
	cfg.ListenAllNSID = allNSID
	c, err := h.pool.Transport(&cfg)
	if err != nil {
		return nil, fmt.Errorf("xfrm: monitor: %w", err)
	}
	return &Monitor{c: c}, nil
}

func (m *Monitor) opened() bool { return m != nil && (m.c.S != nil || m.c.T != nil) }

// Close ends the subscription; an Events iteration in progress returns.
func (m *Monitor) Close() error {
	if !m.opened() {
		return errNoMonitor
	}
	return m.c.Close()
}

// Event is one notification, or an overrun: the kernel dropped
// notifications because the consumer fell behind, and whoever mirrors
// the SAs and policies must dump them again. Its message aliases the
// receive buffer, valid until the next iteration.
type Event struct {
	Overrun bool
	// NSID is the id of the namespace the notification came from, -1
	// for the monitor's own.
	NSID    int32
	Message wire.Message
}

// Type returns the notification's type.
func (ev Event) Type() EventType { return EventType(ev.Message.Header.Type) }

// State returns the SA of an EventNewSA, EventUpdSA, EventDelSA or
// EventExpire. An EventDelSA's attributes are those of the deletion
// (its XFRMA_SA holds the SA's struct).
func (ev Event) State() (StateView, bool) {
	v, ok := ev.object(EventNewSA, EventUpdSA, EventExpire, EventDelSA, sizeofUsersaInfo, sizeofUsersaID, 6) // XFRMA_SA
	return StateView{v}, ok
}

// Policy returns the policy of an EventNewPolicy, EventUpdPolicy,
// EventDelPolicy or EventPolicyExpire.
func (ev Event) Policy() (PolicyView, bool) {
	v, ok := ev.object(EventNewPolicy, EventUpdPolicy, EventPolicyExpire, EventDelPolicy, sizeofUserpolicyInfo, sizeofUserpolicyID, 7) // XFRMA_POLICY
	return PolicyView{v}, ok
}

// object returns the SA or policy (a struct of size bytes) of an event
// of type added, updated, expired (whose struct is followed by hard,
// padded to 8) or deleted (an id struct of idSize bytes, whose attribute
// attr holds the object's struct).
func (ev Event) object(added, updated, expired, deleted EventType, size, idSize int, attr uint16) (view, bool) {
	data := ev.Message.Data
	switch t := ev.Type(); {
	case t == deleted:
		attrs := attrsAfter(data, idSize)
		b, ok := attrAt(attrs, attr, size)
		return view{b: b[:len(b):len(b)], attrs: attrs}, ok
	case t != added && t != updated && t != expired, len(data) < size:
		return view{}, false
	case t == expired:
		return view{b: data[:size], attrs: attrsAfter(data, size+8)}, true
	}
	return view{b: data[:size], attrs: nla.Chain(data[size:])}, true
}

// attrsAfter returns the attributes of data after its first n bytes.
func attrsAfter(data []byte, n int) nla.Chain {
	if len(data) < n {
		return nil
	}
	return nla.Chain(data[n:])
}

// Hard reports whether an expiry is the hard one (struct
// xfrm_user_expire and xfrm_user_polexpire).
func (ev Event) Hard() bool {
	switch d := ev.Message.Data; ev.Type() {
	case EventExpire:
		return len(d) > sizeofUsersaInfo && d[sizeofUsersaInfo] != 0
	case EventPolicyExpire:
		return len(d) > sizeofUserpolicyInfo && d[sizeofUserpolicyInfo] != 0
	}
	return false
}

// FlushedProto returns the protocol of an EventFlushSA (0 for all).
func (ev Event) FlushedProto() (Proto, bool) {
	if ev.Type() != EventFlushSA || len(ev.Message.Data) < 1 {
		return 0, false
	}
	return Proto(ev.Message.Data[0]), true
}

// FlushedPolicyType returns the XFRMA_POLICY_TYPE of an
// EventFlushPolicy, when it has one.
func (ev Event) FlushedPolicyType() (PolicyType, bool) {
	if ev.Type() != EventFlushPolicy {
		return 0, false
	}
	b, ok := attrAt(nla.Chain(ev.Message.Data), attrPolicyType, 1)
	if !ok {
		return 0, false
	}
	return PolicyType(b[0]), true
}

// Events yields notifications until ctx is done, the monitor is closed
// or the socket fails. An overrun is yielded as an Event with Overrun set
// and the sequence goes on; the final error, if any, comes last.
func (m *Monitor) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		switch {
		case ctx == nil:
			yield(Event{}, errNilContext)
		case !m.opened():
			yield(Event{}, errNoMonitor)
		case m.c.S != nil:
			for d, err := range m.c.S.Notifications(ctx) {
				if !deliver(d, err, yield) {
					return
				}
			}
		default:
			m.c.PullNotifications(ctx, func(d socket.Datagram, err error) bool { return deliver(d, err, yield) })
		}
	}
}

// deliver yields the notifications of one datagram, or its error, and
// reports whether the stream goes on.
func deliver(d socket.Datagram, err error, yield func(Event, error) bool) bool {
	switch {
	case errors.Is(err, socket.ErrOverrun):
		return yield(Event{Overrun: true, NSID: -1}, nil)
	case err != nil:
		yield(Event{}, fmt.Errorf("xfrm: monitor: %w", err))
		return false
	}
	msgs := wire.Messages(d.Data)
	for msg, err := range msgs {
		switch {
		case err != nil:
			yield(Event{}, fmt.Errorf("xfrm: monitor: %w", err))
			return false
		case msg.Header.Type < msgBase:
			// NLMSG_NOOP, NLMSG_DONE, NLMSG_ERROR: no notification.
		case !yield(Event{NSID: d.NSID, Message: msg}, nil):
			return false
		}
	}
	return true
}
