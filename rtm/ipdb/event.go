package ipdb

import (
	"fmt"
	"runtime/debug"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// Event is a change the database saw: a kernel notification, or a
// difference a resynchronisation found (Synthetic). Data is the message
// payload and must not be modified; it stays valid.
type Event struct {
	// Type is the message type: unix.RTM_NEWLINK, unix.RTM_DELROUTE, ...,
	// or EventResyncFailed (whose Data is nil).
	Type uint16
	// Header is the notification's netlink header (zero when Synthetic):
	// Pid and Seq name the request that caused the change.
	Header unix.NlMsghdr
	// Data is the message payload (ifinfomsg, rtmsg, ... and attributes).
	Data []byte
	// Synthetic marks a change the kernel did not notify: found by a
	// resynchronisation after an overrun, or implied by another change
	// (a deleted link takes its addresses and routes with it).
	Synthetic bool
	// Err is why an automatic resynchronisation failed, for an event of
	// Type [EventResyncFailed]; nil otherwise.
	Err error
}

// IsNew reports a creation or change, as opposed to a removal.
func (e Event) IsNew() bool {
	switch e.Type {
	case unix.RTM_NEWLINK, unix.RTM_NEWADDR, unix.RTM_NEWROUTE, unix.RTM_NEWNEIGH, unix.RTM_NEWRULE:
		return true
	}
	return false
}

// Link returns the event's link, for RTM_NEWLINK and RTM_DELLINK.
func (e Event) Link() (rtm.Link, bool) { return eventView(e, unix.RTM_NEWLINK, rtm.LinkFromBytes) }

// Addr returns the event's address, for RTM_NEWADDR and RTM_DELADDR.
func (e Event) Addr() (rtm.Addr, bool) { return eventView(e, unix.RTM_NEWADDR, rtm.AddrFromBytes) }

// Route returns the event's route, for RTM_NEWROUTE and RTM_DELROUTE.
func (e Event) Route() (rtm.Route, bool) { return eventView(e, unix.RTM_NEWROUTE, rtm.RouteFromBytes) }

// Neigh returns the event's neighbour, for RTM_NEWNEIGH and RTM_DELNEIGH.
func (e Event) Neigh() (rtm.Neigh, bool) { return eventView(e, unix.RTM_NEWNEIGH, rtm.NeighFromBytes) }

// Rule returns the event's rule, for RTM_NEWRULE and RTM_DELRULE.
func (e Event) Rule() (rtm.Rule, bool) { return eventView(e, unix.RTM_NEWRULE, rtm.RuleFromBytes) }

// eventView decodes the event's message with fromBytes if its type is
// newType (RTM_NEW*) or the matching RTM_DEL*.
func eventView[V any](e Event, newType uint16, fromBytes func([]byte) (V, error)) (V, bool) {
	if e.Type != newType && e.Type != newType+1 {
		var zero V
		return zero, false
	}
	v, err := fromBytes(e.Data)
	return v, err == nil
}

// String names the event: "+link", "-route", with "(synthetic)" when the
// kernel did not notify it.
func (e Event) String() string {
	sign := "-"
	if e.IsNew() {
		sign = "+"
	}
	var kind string
	switch e.Type {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		kind = "link"
		if l, ok := e.Link(); ok {
			kind += " " + l.Name()
		}
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		kind = "address"
		if a, ok := e.Addr(); ok {
			kind += " " + a.Prefix().String()
		}
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		kind = "route"
		if r, ok := e.Route(); ok {
			kind += fmt.Sprintf(" %v table %d", r.Dst(), r.Table())
		}
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH:
		kind = "neighbour"
		if n, ok := e.Neigh(); ok {
			kind += " " + n.Dst().String()
		}
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		kind = "rule"
	case EventResyncFailed:
		return fmt.Sprintf("resynchronisation failed: %v", e.Err)
	default:
		kind = fmt.Sprintf("message type %d", e.Type)
	}
	s := sign + kind
	if e.Synthetic {
		s += " (synthetic)"
	}
	return s
}

// PreCallback inspects a notification before the database applies it,
// on the goroutine that reads events: it must be quick. Returning false
// drops the notification: the database does not apply it and post
// callbacks do not see it. Synthetic events do not go through pre
// callbacks: they describe what the kernel already holds.
type PreCallback func(Event) bool

// PreRewriter is a pre callback that may rewrite the notification
// (pyroute2's pre callbacks, which patch arriving messages): it returns
// the event to apply instead, and false to drop it. e.Data is the
// database's own copy of the message: the rewriter may change it in place
// or return other bytes, which the database keeps (the rewriter must not
// change them afterwards). A rewritten event that does not parse as a
// message of its Type is reported (see [WithErrorHandler]) and the
// rewrite ignored: the event goes on as this callback received it. Later pre callbacks and the post callbacks see
// the rewritten event.
type PreRewriter func(e Event) (Event, bool)

// PostCallback receives each change after the database applied it, in
// order, on a goroutine of its own: a slow callback delays the callbacks
// after it but never the database.
type PostCallback func(Event)

// parses reports whether e's Data parses as a message of its Type (any
// Data does for a type the database ignores).
func parses(e Event) bool {
	var err error
	switch e.Type {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		_, err = rtm.LinkFromBytes(e.Data)
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		_, err = rtm.AddrFromBytes(e.Data)
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		_, err = rtm.RouteFromBytes(e.Data)
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH:
		_, err = rtm.NeighFromBytes(e.Data)
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		_, err = rtm.RuleFromBytes(e.Data)
	}
	return err == nil
}

// CallbackPanic reports a callback that panicked. The panic is contained:
// the database goes on, and for a pre callback the event is kept.
type CallbackPanic struct {
	Event Event
	Value any
	Stack []byte
}

func (p *CallbackPanic) Error() string {
	return fmt.Sprintf("ipdb: callback panicked on %v: %v", p.Event, p.Value)
}

// protect runs f, turning a panic into a *CallbackPanic.
func protect(e Event, f func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &CallbackPanic{Event: e, Value: v, Stack: debug.Stack()}
		}
	}()
	f()
	return nil
}
