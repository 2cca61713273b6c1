package mptcp

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Flags are an endpoint's flags (MPTCP_PM_ADDR_FLAG_*, linux/mptcp.h).
type Flags uint32

// The endpoint flags.
const (
	// FlagSignal announces the address to the peer (ADD_ADDR).
	FlagSignal Flags = 1 << 0
	// FlagSubflow creates subflows from the address.
	FlagSubflow Flags = 1 << 1
	// FlagBackup marks the subflows of the address as backups.
	FlagBackup Flags = 1 << 2
	// FlagFullmesh creates a subflow to each address the peer announced.
	FlagFullmesh Flags = 1 << 3
	// FlagImplicit marks an endpoint the kernel created itself, for a
	// subflow the peer opened.
	FlagImplicit Flags = 1 << 4
	// FlagsMask are the flags the kernel knows (MPTCP_PM_ADDR_FLAGS_MASK).
	FlagsMask Flags = 1<<5 - 1
)

// flagNames are the flags' names, in ip's order.
var flagNames = [...]string{"signal", "subflow", "backup", "fullmesh", "implicit"}

// String names the flags as `ip mptcp endpoint` does, separated by
// spaces, unknown bits in hexadecimal.
func (f Flags) String() string { return genlview.BitNames(uint64(f), flagNames[:]) }

// EventsGroup is the multicast group of the path manager's events
// (MPTCP_PM_EV_GRP_NAME).
const EventsGroup = "mptcp_pm_events"

// Family resolves the mptcp_pm family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, MPTCPPMFamilyName)
}

// Endpoint is a view of one endpoint of the in-kernel path manager (the
// MPTCP_PM_ATTR_ADDR nest of a reply). It aliases the message it came
// from: in [Endpoints], valid until the next iteration ([Endpoint.Spec]
// keeps a copy).
type Endpoint struct {
	attrs nla.Chain
}

// ParseEndpoint returns the view of the endpoint that m, an
// MPTCP_PM_CMD_GET_ADDR reply, carries.
func ParseEndpoint(m genl.Message) (Endpoint, error) {
	a, ok := m.Attrs.Get(MPTCPPMAttrAddr)
	if !ok {
		if err := m.Attrs.Err(); err != nil {
			return Endpoint{}, fmt.Errorf("mptcp: endpoint: %w", err)
		}
		return Endpoint{}, errors.New("mptcp: endpoint reply without MPTCP_PM_ATTR_ADDR")
	}
	return Endpoint{attrs: a.Nested()}, nil
}

// Chain is the endpoint's attributes (MPTCP_PM_ADDR_ATTR_*), raw.
func (e Endpoint) Chain() nla.Chain { return e.attrs }

// Get returns the attribute at path, by the names of the kernel's spec
// ("id", "flags", "addr4", "if_idx").
func (e Endpoint) Get(path ...string) (genl.Value, bool) {
	return schema.Lookup(addressSchema, nil, e.attrs, path)
}

// Attrs yields every attribute of the endpoint, by name.
func (e Endpoint) Attrs() iter.Seq2[string, genl.Value] { return schema.All(addressSchema, e.attrs) }

// The readers of the endpoints' and events' attributes: the zero value
// when one is absent or malformed.
func u8(c nla.Chain, t uint16) uint8   { return genlview.Attr(c, t, nla.Attr.Uint8) }
func u16(c nla.Chain, t uint16) uint16 { return genlview.Attr(c, t, nla.Attr.Uint16) }
func u32(c nla.Chain, t uint16) uint32 { return genlview.Attr(c, t, nla.Attr.Uint32) }

// ID is the endpoint's id.
func (e Endpoint) ID() uint8 { return u8(e.attrs, MPTCPPMAddrAttrID) }

// Family is the address family, unix.AF_INET or unix.AF_INET6.
func (e Endpoint) Family() uint16 { return u16(e.attrs, MPTCPPMAddrAttrFamily) }

// Addr is the endpoint's address; not valid if it has none.
func (e Endpoint) Addr() netip.Addr {
	typ := uint16(MPTCPPMAddrAttrAddr6)
	if e.Family() == unix.AF_INET {
		typ = MPTCPPMAddrAttrAddr4
	}
	if a, ok := e.attrs.Get(typ); ok {
		// An address of the other family's size is not the endpoint's.
		if addr, err := a.Addr(); err == nil && addr.Is4() == (typ == MPTCPPMAddrAttrAddr4) {
			return addr
		}
	}
	return netip.Addr{}
}

// Port is the port a signal endpoint listens on, or 0.
func (e Endpoint) Port() uint16 {
	if a, ok := e.attrs.Get(MPTCPPMAddrAttrPort); ok {
		v, _ := a.Uint16()
		return v
	}
	return 0
}

// Flags are the endpoint's flags.
func (e Endpoint) Flags() Flags { return Flags(u32(e.attrs, MPTCPPMAddrAttrFlags)) }

// IfIndex is the index of the endpoint's device, or 0.
func (e Endpoint) IfIndex() int32 { return int32(u32(e.attrs, MPTCPPMAddrAttrIfIdx)) }

// Spec returns a detached copy of the endpoint.
func (e Endpoint) Spec() EndpointSpec {
	return EndpointSpec{Addr: e.Addr(), ID: e.ID(), Port: e.Port(), Flags: e.Flags(), IfIndex: e.IfIndex()}
}

// EndpointSpec describes an endpoint to add or change.
type EndpointSpec struct {
	// Addr is the endpoint's address.
	Addr netip.Addr
	// ID is the endpoint's id; 0 lets the kernel choose one when adding.
	ID uint8
	// Port, for a signal endpoint, is a port to listen on.
	Port uint16
	// Flags are the endpoint's flags.
	Flags Flags
	// IfIndex is the index of the endpoint's device, or 0.
	IfIndex int32
}

// request is a request of command cmd whose only attribute is an
// MPTCP_PM_ATTR_ADDR nest, written in ip's order.
func request(cmd uint8, s EndpointSpec, withID bool) genl.Request {
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		n := e.BeginNest(MPTCPPMAttrAddr | unix.NLA_F_NESTED)
		if withID {
			e.Uint8(MPTCPPMAddrAttrID, s.ID)
		}
		if s.Flags != 0 {
			e.Uint32(MPTCPPMAddrAttrFlags, uint32(s.Flags))
		}
		if s.IfIndex != 0 {
			e.Int32(MPTCPPMAddrAttrIfIdx, s.IfIndex)
		}
		if s.Port != 0 {
			e.Uint16(MPTCPPMAddrAttrPort, s.Port)
		}
		if s.Addr.IsValid() {
			if s.Addr.Is4() {
				e.Uint16(MPTCPPMAddrAttrFamily, unix.AF_INET)
				e.Addr(MPTCPPMAddrAttrAddr4, s.Addr)
			} else {
				e.Uint16(MPTCPPMAddrAttrFamily, unix.AF_INET6)
				e.Addr(MPTCPPMAddrAttrAddr6, s.Addr)
			}
		}
		e.EndNest(n)
	}}
}

// ErrInvalid is matched (errors.Is) by the errors of the request
// constructors: arguments the kernel would refuse, caught before
// anything is sent.
var ErrInvalid = errors.New("invalid argument")

func invalid(format string, a ...any) error {
	return fmt.Errorf("mptcp: %w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// EndpointAdd is the request that adds the endpoint s
// (MPTCP_PM_CMD_ADD_ADDR): s.Addr is required, a port needs
// FlagSignal, and FlagSignal excludes FlagFullmesh.
func EndpointAdd(s EndpointSpec) (genl.Request, error) {
	switch {
	case !s.Addr.IsValid():
		return genl.Request{}, invalid("an endpoint needs an address")
	case s.Flags&^FlagsMask != 0:
		return genl.Request{}, invalid("unknown endpoint flags %#x", uint32(s.Flags&^FlagsMask))
	case s.Flags&FlagSignal != 0 && s.Flags&FlagFullmesh != 0:
		return genl.Request{}, invalid("flags mustn't have both signal and fullmesh")
	case s.Port != 0 && s.Flags&FlagSignal == 0:
		return genl.Request{}, invalid("flags must have signal when using port")
	case s.IfIndex < 0:
		return genl.Request{}, invalid("interface index %d", s.IfIndex)
	}
	return request(MPTCPPMCmdAddAddr, s, s.ID != 0), nil
}

// EndpointDelete is the request that deletes the endpoint id
// (MPTCP_PM_CMD_DEL_ADDR). The endpoint of id 0, the address of a
// connection's initial subflow, is named by its address instead: addr
// must be given for id 0 and only for it.
func EndpointDelete(id uint8, addr netip.Addr) (genl.Request, error) {
	switch {
	case id != 0 && addr.IsValid():
		return genl.Request{}, invalid("an address is only for deleting the endpoint of id 0")
	case id == 0 && !addr.IsValid():
		return genl.Request{}, invalid("deleting the endpoint of id 0 needs its address")
	}
	return request(MPTCPPMCmdDelAddr, EndpointSpec{ID: id, Addr: addr}, true), nil
}

// EndpointSetFlags is the request that changes the flags of an endpoint
// (MPTCP_PM_CMD_SET_FLAGS), named by s.ID, or by s.Addr (and s.Port)
// when s.ID is 0. Only FlagBackup and FlagFullmesh can change; the
// flags not in s.Flags are cleared.
func EndpointSetFlags(s EndpointSpec) (genl.Request, error) {
	switch {
	case s.Flags&^(FlagBackup|FlagFullmesh) != 0:
		return genl.Request{}, invalid("invalid flags, backup and fullmesh only")
	case s.ID != 0 && s.Port != 0:
		return genl.Request{}, invalid("port can't be used with id")
	case s.ID == 0 && !s.Addr.IsValid():
		return genl.Request{}, invalid("an endpoint is named by its id or its address")
	case s.IfIndex != 0:
		return genl.Request{}, invalid("the device of an endpoint cannot change")
	}
	return request(MPTCPPMCmdSetFlags, s, s.ID != 0), nil
}

// EndpointFlush is the request that deletes every endpoint
// (MPTCP_PM_CMD_FLUSH_ADDRS).
func EndpointFlush() genl.Request {
	return genl.Request{Command: MPTCPPMCmdFlushAddrs}
}

// Limits are the path manager's limits (MPTCP_PM_CMD_GET_LIMITS).
type Limits struct {
	// AddAddrAccepted is how many addresses announced by a peer
	// (ADD_ADDR) a connection accepts.
	AddAddrAccepted uint32
	// Subflows is how many additional subflows a connection may have.
	Subflows uint32
}

// LimitsSpec is a change of limits: a nil field is left as it is.
type LimitsSpec struct {
	// AddAddrAccepted, if not nil, is the new Limits.AddAddrAccepted.
	AddAddrAccepted *uint32
	// Subflows, if not nil, is the new Limits.Subflows.
	Subflows *uint32
}

// LimitsSet is the request that changes the limits
// (MPTCP_PM_CMD_SET_LIMITS). The kernel refuses values above its
// maximum (MPTCP_PM_ADDR_MAX, 8 in Linux 6.12) with an extended-ACK
// message.
func LimitsSet(l LimitsSpec) genl.Request {
	return genl.Request{Command: MPTCPPMCmdSetLimits, Attrs: func(e *nla.Encoder) {
		if l.AddAddrAccepted != nil {
			e.Uint32(MPTCPPMAttrRcvAddAddrs, *l.AddAddrAccepted)
		}
		if l.Subflows != nil {
			e.Uint32(MPTCPPMAttrSubflows, *l.Subflows)
		}
	}}
}

// Do resolves the mptcp_pm family and sends reqs, one by one when there
// is one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, MPTCPPMFamilyName, reqs...)
}

// Endpoints dumps the endpoints (MPTCP_PM_CMD_GET_ADDR). Each view is
// valid until the next iteration; iterating allocates nothing per
// endpoint.
func Endpoints(ctx context.Context, h *genl.Handle) iter.Seq2[Endpoint, error] {
	return genl.DumpFamily(ctx, h, MPTCPPMFamilyName, genl.Request{Command: MPTCPPMCmdGetAddr}, ParseEndpoint)
}

// GetEndpoint asks for the endpoint id (MPTCP_PM_CMD_GET_ADDR). An id
// the kernel does not have is an error matching unix.EINVAL, with the
// kernel's message ("address not found").
func GetEndpoint(ctx context.Context, h *genl.Handle, id uint8) (EndpointSpec, error) {
	return genl.QueryFamily(ctx, h, MPTCPPMFamilyName, request(MPTCPPMCmdGetAddr, EndpointSpec{ID: id}, true), func(m genl.Message) (EndpointSpec, error) {
		e, err := ParseEndpoint(m)
		return e.Spec(), err
	})
}

// GetLimits asks for the limits (MPTCP_PM_CMD_GET_LIMITS).
func GetLimits(ctx context.Context, h *genl.Handle) (Limits, error) {
	return genl.QueryFamily(ctx, h, MPTCPPMFamilyName, genl.Request{Command: MPTCPPMCmdGetLimits}, ParseLimits)
}

// ParseLimits reads the limits of an MPTCP_PM_CMD_GET_LIMITS reply.
func ParseLimits(m genl.Message) (Limits, error) {
	var l Limits
	for a := range m.Attrs.All() {
		var err error
		switch a.Kind() {
		case MPTCPPMAttrRcvAddAddrs:
			l.AddAddrAccepted, err = a.Uint32()
		case MPTCPPMAttrSubflows:
			l.Subflows, err = a.Uint32()
		}
		if err != nil {
			return Limits{}, fmt.Errorf("mptcp: limits: %w", err)
		}
	}
	if err := m.Attrs.Err(); err != nil {
		return Limits{}, fmt.Errorf("mptcp: limits: %w", err)
	}
	return l, nil
}
