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
//
// A view is four words: the compiler keeps structs of up to four words in
// registers and spills larger ones to memory at every accessor call, which
// made dumps read by accessors twice as slow when a fifth word was added.
// What views of a dump share beyond their bytes therefore sits behind one
// pointer (see viewState).
type view[H rtnl.Header] struct {
	b  []byte // the fixed header H, then attributes
	st *viewState
}

// viewState is what the views of one dump, or of one event stream, share:
// the attribute index of the current message and, in dumps, its netlink
// header (zero for events, whose header is the Event's, and for views made
// from bytes).
type viewState struct {
	idx *nla.Index
	nlh unix.NlMsghdr
}

// index returns the attribute index v reads through, or nil to walk the
// chain.
func (v view[H]) index() *nla.Index {
	if v.st == nil {
		return nil
	}
	return v.st.idx
}

// wrap returns the view of a message payload, after checking that it
// holds header H; what names the message in the error.
func wrap[H rtnl.Header](what string, data []byte, st *viewState) (view[H], error) {
	var idx *nla.Index
	if st != nil {
		idx = st.idx
	}
	if err := rtnl.Wrap("rtm", what, data, rtnl.Len[H](), idx); err != nil {
		return view[H]{}, err
	}
	return view[H]{b: data, st: st}, nil
}

// viewOf returns the view of type V (Link, Route, ...) of a message
// payload of k's type, after checking that it holds V's header H.
func viewOf[V ~struct{ view[H] }, H rtnl.Header](k *msgKind, data []byte, st *viewState) (V, error) {
	v, err := wrap[H](k.what, data, st)
	return V{v}, err
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
	if v.st == nil {
		return unix.NlMsghdr{}
	}
	return v.st.nlh
}

// Chain returns the attribute chain, after the fixed header.
func (v view[H]) Chain() nla.Chain { return rtnl.Chain(v.b, rtnl.Len[H]()) }

// hdr returns the message for reading its fixed header: a zeroed header
// for the zero view, whose accessors then return zeros.
func (v view[H]) hdr() []byte { return rtnl.Fixed(v.b, rtnl.Len[H]()) }

// clone returns a copy of v that owns its bytes.
// It keeps the netlink header, not the index, which is the dump's.
func (v view[H]) clone() view[H] {
	c := view[H]{b: bytes.Clone(v.b)}
	if h := v.Header(); h != (unix.NlMsghdr{}) {
		c.st = &viewState{nlh: h}
	}
	return c
}

// detach returns a copy of v whose bytes live in a.
// The header is not kept: collected views have none.
func (v view[H]) detach(a *arena) view[H] { return view[H]{b: a.Copy(v.b)} }

func (v view[H]) get(t uint16) (nla.Attr, bool) { return rtnl.Get(v.b, rtnl.Len[H](), v.index(), t) }

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

// encap returns a lightweight-tunnel encapsulation: its type, attribute
// typ (RTA_ENCAP_TYPE, ...), and its attributes, nested in attribute
// attrs; 0 and nil without a type.
func (v view[H]) encap(typ, attrs uint16) (uint16, nla.Chain) {
	t, ok := v.get(typ)
	if !ok {
		return 0, nil
	}
	n, _ := t.Uint16()
	e, _ := v.get(attrs)
	return n, e.Nested()
}

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
