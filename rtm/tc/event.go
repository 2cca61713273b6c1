package tc

import (
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// The notifications of traffic control come in rtm.GroupTC: subscribe
// with h.Monitor([]rtm.Group{rtm.GroupTC}) and read each event with the
// accessor of its kind.

// objectOf returns the view of ev if its type is typ (RTM_NEW*) or the
// matching RTM_DEL*.
func objectOf(ev rtm.Event, typ uint16, what string) (Object, bool) {
	if ev.Type != typ && ev.Type != typ+1 {
		return Object{}, false
	}
	o, err := wrapObject(what, ev.Data, nil)
	return o, err == nil
}

// QdiscOf returns the qdisc of a notification (RTM_NEWQDISC or
// RTM_DELQDISC: ev.IsNew tells which); false for other events. The view
// aliases the event's buffer: Clone it to keep it.
func QdiscOf(ev rtm.Event) (Qdisc, bool) {
	o, ok := objectOf(ev, unix.RTM_NEWQDISC, "qdisc")
	return Qdisc{o}, ok
}

// ClassOf returns the class of a notification (RTM_NEWTCLASS or
// RTM_DELTCLASS); false for other events.
func ClassOf(ev rtm.Event) (Class, bool) {
	o, ok := objectOf(ev, unix.RTM_NEWTCLASS, "class")
	return Class{o}, ok
}
