package mptcp

import (
	"context"
	"encoding/binary"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
)

// Monitor subscribes to the path manager's events ([EventsGroup]) on h;
// [ParseEvent] reads each. [genl.Monitor.Sync] is a barrier in its
// stream.
func Monitor(ctx context.Context, h *genl.Handle) (*genl.Monitor, error) {
	f, err := Family(ctx, h)
	if err != nil {
		return nil, err
	}
	return h.Monitor(genl.Subscription{Family: f, Group: EventsGroup})
}

// Event is a view of one MPTCP event (MPTCP_EVENT_*): a connection or a
// subflow created, established or closed, an address announced or
// removed. It aliases the notification: valid until the next iteration
// of the monitor.
type Event struct {
	// Type is the event, one of the MPTCPEvent* constants.
	Type  uint8
	attrs nla.Chain
}

// ParseEvent returns the view of m, a notification of the mptcp_pm
// family.
func ParseEvent(m genl.Message) Event { return Event{Type: m.Command, attrs: m.Attrs} }

// Chain is the event's attributes (MPTCP_ATTR_*), raw.
func (e Event) Chain() nla.Chain { return e.attrs }

// Get returns the attribute at path, by the names of the kernel's spec
// ("token", "saddr4", "reset_reason").
func (e Event) Get(path ...string) (genl.Value, bool) {
	return schema.Lookup(eventAttrSchema, nil, e.attrs, path)
}

// Attrs yields every attribute of the event, by name.
func (e Event) Attrs() iter.Seq2[string, genl.Value] { return schema.All(eventAttrSchema, e.attrs) }

// eventNames are the names `ip mptcp monitor` prints for the events it
// knows.
var eventNames = [...]string{
	MPTCPEventCreated:        "CREATED",
	MPTCPEventEstablished:    "ESTABLISHED",
	MPTCPEventClosed:         "CLOSED",
	MPTCPEventAnnounced:      "ANNOUNCED",
	MPTCPEventRemoved:        "REMOVED",
	MPTCPEventSubEstablished: "SF_ESTABLISHED",
	MPTCPEventSubClosed:      "SF_CLOSED",
	MPTCPEventSubPriority:    "SF_PRIO",
}

// Name is the event's name as `ip mptcp monitor` prints it
// ("ESTABLISHED", "SF_CLOSED"), or "" for one it does not name.
func (e Event) Name() string {
	if int(e.Type) < len(eventNames) {
		return eventNames[e.Type]
	}
	return ""
}

func (e Event) attr(typ uint16) (nla.Attr, bool) { return e.attrs.Get(typ) }

// Has reports whether the event carries attribute typ (MPTCP_ATTR_*).
func (e Event) Has(typ uint16) bool {
	_, ok := e.attr(typ)
	return ok
}

// Token is the connection's token.
func (e Event) Token() uint32 { return u32(e.attrs, MPTCPAttrToken) }

// Family is the address family of the addresses, AF_INET or AF_INET6.
func (e Event) Family() uint16 { return u16(e.attrs, MPTCPAttrFamily) }

// LocalID is the id of the local endpoint.
func (e Event) LocalID() uint8 { return u8(e.attrs, MPTCPAttrLocID) }

// RemoteID is the id of the peer's address.
func (e Event) RemoteID() uint8 { return u8(e.attrs, MPTCPAttrRemID) }

// Source is the local address (MPTCP_ATTR_SADDR4 or SADDR6).
func (e Event) Source() netip.Addr { return e.addr(MPTCPAttrSaddr4, MPTCPAttrSaddr6) }

// Destination is the peer's address (MPTCP_ATTR_DADDR4 or DADDR6).
func (e Event) Destination() netip.Addr { return e.addr(MPTCPAttrDaddr4, MPTCPAttrDaddr6) }

// SourcePort is the local port.
func (e Event) SourcePort() uint16 { return e.be16(MPTCPAttrSport) }

// DestinationPort is the peer's port.
func (e Event) DestinationPort() uint16 { return e.be16(MPTCPAttrDport) }

// Backup is the subflow's backup flag.
func (e Event) Backup() uint8 { return u8(e.attrs, MPTCPAttrBackup) }

// Error is a closed subflow's error (an errno).
func (e Event) Error() uint8 { return u8(e.attrs, MPTCPAttrError) }

// Flags are the event's flags (MPTCP_PM_EV_FLAG_*).
func (e Event) Flags() uint16 { return u16(e.attrs, MPTCPAttrFlags) }

// Timeout is the connection's timeout.
func (e Event) Timeout() uint32 { return u32(e.attrs, MPTCPAttrTimeout) }

// IfIndex is the index of the subflow's device.
func (e Event) IfIndex() int32 { return int32(u32(e.attrs, MPTCPAttrIfIdx)) }

// ResetReason is a reset subflow's reason (MPTCP_RST_*).
func (e Event) ResetReason() uint32 { return u32(e.attrs, MPTCPAttrResetReason) }

// ResetFlags are a reset subflow's flags.
func (e Event) ResetFlags() uint32 { return u32(e.attrs, MPTCPAttrResetFlags) }

func (e Event) be16(typ uint16) uint16 {
	if a, ok := e.attr(typ); ok && len(a.Data) >= 2 {
		return binary.BigEndian.Uint16(a.Data)
	}
	return 0
}

func (e Event) addr(v4, v6 uint16) netip.Addr {
	if a, ok := e.attr(v4); ok && len(a.Data) == 4 {
		return netip.AddrFrom4([4]byte(a.Data))
	}
	if a, ok := e.attr(v6); ok && len(a.Data) >= 16 {
		return netip.AddrFrom16([16]byte(a.Data[:16]))
	}
	return netip.Addr{}
}
