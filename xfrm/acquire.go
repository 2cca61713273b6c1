package xfrm

import (
	"encoding/binary"
	"net/netip"
)

// AcquireView is the kernel's request for an SA that a packet needs
// (struct xfrm_user_acquire, XFRM_MSG_ACQUIRE), read in place: what an
// IKE daemon negotiates. Valid until the monitor moves on.
type AcquireView struct {
	view
}

// Acquire returns the request of an EventAcquire.
func (ev Event) Acquire() (AcquireView, bool) {
	if ev.Type() != EventAcquire {
		return AcquireView{}, false
	}
	v, err := split(ev.Message, sizeofAcquire, "acquire")
	return AcquireView{v}, err == nil
}

// struct xfrm_user_acquire: id, saddr, sel, policy, aalgos, ealgos,
// calgos, seq; the policy's size depends on the alignment of __u64.
const (
	acqID, acqSaddr, acqSel, acqPolicy = 0, 24, 40, 96
	acqAalgos                          = acqPolicy + sizeofUserpolicyInfo
	sizeofAcquire                      = acqAalgos + 16
)

// Family returns the family of the acquire's addresses: its selector's,
// else its policy's.
func (a AcquireView) Family() uint16 {
	if f := native.Uint16(a.b[acqSel+selFamily:]); f != 0 {
		return f
	}
	return native.Uint16(a.b[acqPolicy+polSel+selFamily:])
}

// Proto returns the protocol of the SA wanted.
func (a AcquireView) Proto() Proto { return Proto(a.b[acqID+idProto]) }

// SPI returns the SPI of the SA wanted (usually 0).
func (a AcquireView) SPI() uint32 { return binary.BigEndian.Uint32(a.b[acqID+idSPI:]) }

// Dst returns the SA's destination.
func (a AcquireView) Dst() netip.Addr { return addrAt(a.b[acqID+idDaddr:], a.Family()) }

// Src returns the SA's source.
func (a AcquireView) Src() netip.Addr { return addrAt(a.b[acqSaddr:], a.Family()) }

// Selector returns the selector of the packet that needs the SA.
func (a AcquireView) Selector() Selector { return selectorAt(a.b[acqSel:], a.Family()) }

// Policy returns the policy that wants the SA, with the acquire's
// attributes (its templates, mark, interface id).
func (a AcquireView) Policy() PolicyView {
	return PolicyView{view{b: a.b[acqPolicy : acqPolicy+sizeofUserpolicyInfo], attrs: a.attrs}}
}

// Algos returns the algorithm masks (aalgos, ealgos, calgos) the SA may use.
func (a AcquireView) Algos() (auth, crypt, comp uint32) {
	return native.Uint32(a.b[acqAalgos:]), native.Uint32(a.b[acqAalgos+4:]), native.Uint32(a.b[acqAalgos+8:])
}

// Seq returns the acquire's sequence number, which the SA added in
// answer carries (State.Seq).
func (a AcquireView) Seq() uint32 { return native.Uint32(a.b[acqAalgos+12:]) }
