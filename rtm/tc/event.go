package tc

import "github.com/ipr-go/ipr/rtm"

// The notifications of traffic control come in rtm.GroupTC: subscribe
// with h.Monitor([]rtm.Group{rtm.GroupTC}) and read each event with the
// accessor of its kind.

// QdiscOf returns the qdisc of a notification (RTM_NEWQDISC or
// RTM_DELQDISC: ev.IsNew tells which); false for other events. The view
// aliases the event's buffer: Clone it to keep it.
func QdiscOf(ev rtm.Event) (Qdisc, bool) { return viewOf[Qdisc](ev, &qdiscFamily) }

// ClassOf returns the class of a notification (RTM_NEWTCLASS or
// RTM_DELTCLASS); false for other events.
func ClassOf(ev rtm.Event) (Class, bool) { return viewOf[Class](ev, &classFamily) }
