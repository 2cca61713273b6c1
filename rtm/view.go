package rtm

import (
	"bytes"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// The fixed headers of the messages rtm views, as byte arrays of their
// size (see rtnl.Header).
type (
	ifinfomsg  [unix.SizeofIfInfomsg]byte // links
	ifaddrmsg  [unix.SizeofIfAddrmsg]byte // addresses
	rtmsg      [unix.SizeofRtMsg]byte     // routes
	ndmsg      [unix.SizeofNdMsg]byte     // neighbours and FDB entries
	fibRuleHdr [sizeofFibRuleHdr]byte     // rules
	nhmsg      [sizeofNhMsg]byte          // nexthops and their buckets
	ndtmsg     [sizeofNdtMsg]byte         // neighbour tables
)

// view is what every view type (Link, Route, ...) embeds: a message whose
// fixed header is H, with the attribute index a dump builds for it. Its
// readers return zero values for absent attributes, and for the zero view,
// whose header reads as zeros.
type view[H rtnl.Header] struct {
	b   []byte // the fixed header H, then attributes
	idx *nla.Index
	// nlh is the netlink header of a view from a dump, shared by the
	// dump's views as idx is (a pointer, not a copy, to keep views and
	// collected slices small); nil for views made from bytes.
	nlh *unix.NlMsghdr
}

// wrap returns the view of a message payload, after checking that it
// holds header H; what names the message in the error.
func wrap[H rtnl.Header](what string, data []byte, idx *nla.Index) (view[H], error) {
	if err := rtnl.Wrap("rtm", what, data, rtnl.Len[H](), idx); err != nil {
		return view[H]{}, err
	}
	return view[H]{b: data, idx: idx}, nil
}

// Bytes returns the message payload (the bytes after nlmsghdr) the view
// reads: its fixed header, then its attributes.
func (v view[H]) Bytes() []byte { return v.b }

// Header returns the netlink header of the message the view reads, as
// pyroute2's msg["header"]: its type (RTM_NEWLINK, ...), flags
// (NLM_F_MULTI in dumps), sequence number and port id. It is zero for a
// view made from bytes ([LinkFromBytes], ...) or collected ([Collect]),
// and for a view of an event, whose header is the Event's.
func (v view[H]) Header() unix.NlMsghdr {
	if v.nlh == nil {
		return unix.NlMsghdr{}
	}
	return *v.nlh
}

// Chain returns the attribute chain, after the fixed header.
func (v view[H]) Chain() nla.Chain { return rtnl.Chain(v.b, rtnl.Len[H]()) }

// hdr returns the message for reading its fixed header: a zeroed header
// for the zero view, whose accessors then return zeros.
func (v view[H]) hdr() []byte { return rtnl.Fixed(v.b, rtnl.Len[H]()) }

// clone returns a copy of v that owns its bytes.
func (v view[H]) clone() view[H] { return view[H]{b: bytes.Clone(v.b), nlh: cloneHeader(v.nlh)} }

// cloneHeader returns a copy of a view's netlink header.
func cloneHeader(h *unix.NlMsghdr) *unix.NlMsghdr {
	if h == nil {
		return nil
	}
	c := *h
	return &c
}

// detach returns a copy of v whose bytes live in a.
// The header is not kept: collected views have none.
func (v view[H]) detach(a *arena) view[H] { return view[H]{b: a.Copy(v.b)} }

func (v view[H]) get(t uint16) (nla.Attr, bool) { return rtnl.Get(v.b, rtnl.Len[H](), v.idx, t) }

func (v view[H]) has(t uint16) bool {
	_, ok := v.get(t)
	return ok
}

func (v view[H]) u8(t uint16) (uint8, bool)   { return rtnl.U8(v.get(t)) }
func (v view[H]) u16(t uint16) (uint16, bool) { return rtnl.U16(v.get(t)) }
func (v view[H]) u32(t uint16) (uint32, bool) { return rtnl.U32(v.get(t)) }
func (v view[H]) i32(t uint16) (int32, bool)  { return rtnl.I32(v.get(t)) }
func (v view[H]) ip(t uint16) netip.Addr      { return rtnl.IP(v.get(t)) }
func (v view[H]) text(t uint16) string        { return rtnl.Text(v.get(t)) }

func (v view[H]) hw(t uint16) net.HardwareAddr { return net.HardwareAddr(rtnl.HW(v.get(t))) }

// u8or and u32or return def for an absent or malformed attribute.
func (v view[H]) u8or(t uint16, def uint8) uint8 {
	if x, ok := v.u8(t); ok {
		return x
	}
	return def
}

func (v view[H]) u32or(t uint16, def uint32) uint32 {
	if x, ok := v.u32(t); ok {
		return x
	}
	return def
}
