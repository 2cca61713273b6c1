package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Group is an RTNL multicast group (RTNLGRP_*).
type Group uint32

// The groups most subscribers want.
const (
	GroupLink        Group = unix.RTNLGRP_LINK
	GroupNeigh       Group = unix.RTNLGRP_NEIGH
	GroupIPv4Addr    Group = unix.RTNLGRP_IPV4_IFADDR
	GroupIPv6Addr    Group = unix.RTNLGRP_IPV6_IFADDR
	GroupIPv4Route   Group = unix.RTNLGRP_IPV4_ROUTE
	GroupIPv6Route   Group = unix.RTNLGRP_IPV6_ROUTE
	GroupIPv4Rule    Group = unix.RTNLGRP_IPV4_RULE
	GroupIPv6Rule    Group = unix.RTNLGRP_IPV6_RULE
	GroupNexthop     Group = unix.RTNLGRP_NEXTHOP
	GroupIPv4Netconf Group = unix.RTNLGRP_IPV4_NETCONF
	GroupIPv6Netconf Group = unix.RTNLGRP_IPV6_NETCONF
	GroupMPLSRoute   Group = unix.RTNLGRP_MPLS_ROUTE
	// GroupTC carries the traffic control notifications (qdiscs,
	// classes, filters, actions), which package rtm/tc reads.
	GroupTC Group = unix.RTNLGRP_TC
)

// AllGroups are the groups of every object kind rtm knows.
var AllGroups = []Group{GroupLink, GroupNeigh, GroupIPv4Addr, GroupIPv6Addr, GroupIPv4Route,
	GroupIPv6Route, GroupIPv4Rule, GroupIPv6Rule, GroupNexthop}

// MonitorOption configures [Handle.Monitor].
type MonitorOption func(*monitorOptions)

type monitorOptions struct {
	allNSID bool
	rcvbuf  int
}

// WithAllNamespaces also delivers events from every namespace that has an
// id in the handle's namespace (NETLINK_LISTEN_ALL_NSID), each with that
// id in Event.NSID.
func WithAllNamespaces() MonitorOption { return func(o *monitorOptions) { o.allNSID = true } }

// WithMonitorBuffer sets the kernel receive queue of the monitor's socket
// (default 8 MiB, forced past rmem_max when privileged): the burst of
// events it can absorb while the consumer is busy.
func WithMonitorBuffer(bytes int) MonitorOption {
	return func(o *monitorOptions) { o.rcvbuf = bytes }
}

// Monitor is a subscription to RTNL multicast groups on a socket of its
// own, in the handle's namespace.
type Monitor struct {
	c conn
}

// Monitor subscribes to groups (all of [AllGroups] when none are given).
func (h *Handle) Monitor(groups []Group, opts ...MonitorOption) (*Monitor, error) {
	if h.pool.Closed() {
		return nil, ErrClosed
	}
	o := monitorOptions{rcvbuf: 8 << 20}
	for _, opt := range opts {
		opt(&o)
	}
	if len(groups) == 0 {
		groups = AllGroups
	}
	cfg := h.pool.Config
	cfg.Groups = make([]uint32, len(groups))
	for i, g := range groups {
		cfg.Groups[i] = uint32(g)
	}
	cfg.ListenAllNSID = o.allNSID
	cfg.ReceiveBufferSize = o.rcvbuf
	c, err := h.transport(&cfg)
	if err != nil {
		return nil, fmt.Errorf("rtm: monitor: %w", err)
	}
	return &Monitor{c: c}, nil
}

// Sync asks the kernel for a barrier in the event stream and returns its
// id: Events yields an Event whose Sync field is that id after every
// notification the kernel had queued when Sync was called, such as those of
// changes just acknowledged. It is how a consumer waits for the effects of
// its own changes without sleeping. Sync may be called while another
// goroutine iterates Events. An overrun can take the barrier's answer with
// it: after an Event with Overrun set, call Sync again rather than wait
// for an earlier id.
func (m *Monitor) Sync() (uint32, error) {
	// Any request answered in order will do: the loopback device, which
	// every namespace has at index 1, is the cheapest.
	var b wire.Builder
	linkRequest(&b, unix.RTM_GETLINK, 0, unix.AF_UNSPEC, 1)
	b.Uint32(unix.IFLA_EXT_MASK, 0)
	b.End()
	seq, err := m.c.Send(b.Bytes())
	if err != nil {
		return 0, fmt.Errorf("rtm: monitor sync: %w", err)
	}
	return seq, nil
}

// Close ends the subscription; an Events iteration in progress returns.
func (m *Monitor) Close() error { return m.c.Close() }

// Stats returns the monitor socket's counters, overruns included.
func (m *Monitor) Stats() socket.Stats { return m.c.Stats() }

// Event is one notification. Its views alias the receive buffer and are
// valid until the next iteration.
type Event struct {
	// Type is the message type: RTM_NEWLINK, RTM_DELADDR, ...; zero for
	// an overrun.
	Type uint16
	// Overrun reports that the kernel dropped events because the
	// consumer fell behind: whoever mirrors kernel state must
	// resynchronise (dump again). The stream goes on after it.
	Overrun bool
	// NSID is the id of the namespace the event came from, with
	// [WithAllNamespaces], or -1 for the monitor's own namespace.
	NSID int32
	// Header is the netlink header: Pid and Seq identify the request
	// that caused the change, when a process made it.
	Header unix.NlMsghdr
	// Data is the message payload, for kinds without a view.
	Data []byte
	// Sync, when not zero, marks the barrier that [Monitor.Sync] returned:
	// every notification the kernel queued before Sync was called came
	// before this event.
	Sync uint32
	st   *viewState
}

// IsNew reports a creation or change (RTM_NEW*), as opposed to a removal.
func (e Event) IsNew() bool {
	switch e.Type {
	case unix.RTM_DELLINK, unix.RTM_DELADDR, unix.RTM_DELROUTE, unix.RTM_DELNEIGH,
		unix.RTM_DELRULE, unix.RTM_DELNEXTHOP, unix.RTM_DELNEXTHOPBUCKET,
		unix.RTM_DELQDISC, unix.RTM_DELTCLASS, unix.RTM_DELTFILTER, unix.RTM_DELACTION, unix.RTM_DELCHAIN:
		return false
	}
	return e.Type != 0 && !isDelRtobj(e.Type)
}

// Link returns the event's link, for RTM_NEWLINK and RTM_DELLINK.
func (e Event) Link() (Link, bool) {
	return eventOf[Link](e, &linkMsgs)
}

// Addr returns the event's address, for RTM_NEWADDR and RTM_DELADDR.
func (e Event) Addr() (Addr, bool) {
	return eventOf[Addr](e, &addrMsgs)
}

// Route returns the event's route, for RTM_NEWROUTE and RTM_DELROUTE.
func (e Event) Route() (Route, bool) {
	return eventOf[Route](e, &routeMsgs)
}

// Neigh returns the event's neighbour or FDB entry, for RTM_NEWNEIGH and
// RTM_DELNEIGH.
func (e Event) Neigh() (Neigh, bool) {
	return eventOf[Neigh](e, &neighMsgs)
}

// Rule returns the event's rule, for RTM_NEWRULE and RTM_DELRULE.
func (e Event) Rule() (Rule, bool) {
	return eventOf[Rule](e, &ruleMsgs)
}

// Nexthop returns the event's nexthop object, for RTM_NEWNEXTHOP and
// RTM_DELNEXTHOP.
func (e Event) Nexthop() (Nexthop, bool) {
	return eventOf[Nexthop](e, &nexthopMsgs)
}

// NexthopBucket returns the event's resilient-group bucket, for
// RTM_NEWNEXTHOPBUCKET and RTM_DELNEXTHOPBUCKET.
func (e Event) NexthopBucket() (NexthopBucket, bool) {
	return eventOf[NexthopBucket](e, &nexthopBucketMsgs)
}

// eventOf views e as a V if it is a notification of k's type or of its
// removal (each RTM_DEL* type follows its RTM_NEW*).
func eventOf[V ~struct{ view[H] }, H rtnl.Header](e Event, k *msgKind) (V, bool) {
	if e.Type != k.typ && e.Type != k.typ+1 {
		var zero V
		return zero, false
	}
	v, err := viewOf[V](k, e.Data, e.st)
	return v, err == nil
}

// Events yields notifications until ctx is done, the monitor is closed or
// the socket fails. An overrun is yielded as an Event with Overrun set and
// the sequence goes on; nothing ends silently: the final error, if any,
// is yielded last (ctx's error when ctx ended it, an error matching
// net.ErrClosed after Close). Iterating allocates nothing per event.
func (m *Monitor) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if c := m.c.S; c != nil {
			var idx nla.Index
			st := viewState{idx: &idx}
			// The real socket's loop, for its concrete type and written
			// out (deliver's, which is too large to inline): through the
			// interface or a call, idx and the loop's state would go to
			// the heap.
			for d, err := range c.Notifications(ctx) {
				if errors.Is(err, socket.ErrOverrun) {
					if !yield(Event{Overrun: true, NSID: -1}, nil) {
						return
					}
					continue
				}
				if err != nil {
					yield(Event{}, fmt.Errorf("rtm: monitor: %w", err))
					return
				}
				for rest := d.Data; len(rest) > 0; {
					ev, next, have, err := m.event(rest, d.NSID, &st)
					if err != nil {
						yield(Event{}, err)
						return
					}
					if have && !yield(ev, nil) {
						return
					}
					rest = next
				}
			}
			return
		}
		m.pull(ctx, yield)
	}
}

// pull is Events over a transport other than a socket, whose datagrams
// a goroutine reads and hands over, copied, so that yield does not escape
// through the transport's iterator. (It is a function of its own because
// its defer would keep the compiler from inlining Events' closure, and
// then from keeping its callers' loop state on the stack.)
func (m *Monitor) pull(ctx context.Context, yield func(Event, error) bool) {
	var idx nla.Index
	st := viewState{idx: &idx}
	m.c.PullNotifications(ctx, func(d socket.Datagram, err error) bool { return m.deliver(d, err, &st, yield) })
}

// deliver yields the events of one datagram, or its error, and reports
// whether the stream goes on: the loop of Events, for other transports
// than sockets.
func (m *Monitor) deliver(d socket.Datagram, err error, st *viewState, yield func(Event, error) bool) bool {
	if errors.Is(err, socket.ErrOverrun) {
		return yield(Event{Overrun: true, NSID: -1}, nil)
	}
	if err != nil {
		yield(Event{}, fmt.Errorf("rtm: monitor: %w", err))
		return false
	}
	for rest := d.Data; len(rest) > 0; {
		ev, next, have, err := m.event(rest, d.NSID, st)
		if err != nil {
			yield(Event{}, err)
			return false
		}
		if have && !yield(ev, nil) {
			return false
		}
		rest = next
	}
	return true
}

// event decodes the first message in b: have is false for a message that
// is no event (an acknowledgement, NLMSG_NOOP), rest is what follows it.
// One message per datagram is the rule for notifications, so the caller's
// loop avoids an iterator closure per datagram.
func (m *Monitor) event(b []byte, nsid int32, st *viewState) (ev Event, rest []byte, have bool, err error) {
	msg, rest, ok, err := wire.Next(b)
	if err != nil {
		return Event{}, nil, false, fmt.Errorf("rtm: monitor: %w", err)
	}
	if !ok {
		return Event{}, nil, false, nil
	}
	if msg.Header.Pid == m.c.PortID() && msg.Header.Seq != 0 {
		// The answer to a Sync, not a notification.
		if msg.Header.Type == unix.NLMSG_ERROR {
			return Event{}, rest, false, nil
		}
		return Event{NSID: -1, Sync: msg.Header.Seq, Header: msg.Header}, rest, true, nil
	}
	if msg.Header.Type < unix.RTM_BASE {
		return Event{}, rest, false, nil // NLMSG_NOOP and friends
	}
	return Event{Type: msg.Header.Type, NSID: nsid, Header: msg.Header, Data: msg.Data, st: st}, rest, true, nil
}
