package macsec

import (
	"errors"
	"iter"
	"slices"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
)

// Device is a view of one MACsec device: a MACSEC_CMD_GET_TXSC reply,
// whose attributes it aliases. In [Devices] it is valid until the next
// iteration; [Device.Clone] detaches it.
type Device struct{ attrs nla.Chain }

// errNoDevice is ParseDevice's refusal of a reply that names no device.
var errNoDevice = errors.New("macsec: GET_TXSC reply without an interface index or a SecY")

// ParseDevice returns the view of m, a MACSEC_CMD_GET_TXSC reply: it
// must be well formed and name its device and SecY.
func ParseDevice(m genl.Message) (Device, error) {
	var d Device
	if err := m.Attrs.Err(); err != nil {
		return d, errors.Join(errNoDevice, err)
	}
	if _, ok := m.Attrs.Get(AttrSecY); !ok || genlview.Attr(m.Attrs, AttrIfindex, nla.Attr.Uint32) == 0 {
		return d, errNoDevice
	}
	d.attrs = m.Attrs
	return d, nil
}

// Clone is a copy of d of its own, not aliasing the receive buffer.
func (d Device) Clone() Device { return Device{slices.Clone(d.attrs)} }

// Chain returns the raw MACSEC_ATTR_* attributes of the device.
func (d Device) Chain() nla.Chain { return d.attrs }

// Ifindex is the device's interface index.
func (d Device) Ifindex() uint32 { return genlview.Attr(d.attrs, AttrIfindex, nla.Attr.Uint32) }

// SecY is the device's secure entity.
func (d Device) SecY() SecY { return SecY{nested(d.attrs, AttrSecY)} }

// Offload is where the device's MACsec work is done, and whether the
// kernel said (kernels before 5.7 do not).
func (d Device) Offload() (Offload, bool) {
	v, ok := genlview.Optional(nested(d.attrs, AttrOffload), OffloadAttrType, nla.Attr.Uint8)
	return Offload(v), ok
}

// TxSAs yields the device's transmit SAs.
func (d Device) TxSAs() iter.Seq[SA] {
	return genlview.Nests(d.attrs, AttrTxSAList, func(c nla.Chain) SA { return SA{c} })
}

// RxSCs yields the device's receive secure channels.
func (d Device) RxSCs() iter.Seq[RxSC] {
	return genlview.Nests(d.attrs, AttrRxSCList, func(c nla.Chain) RxSC { return RxSC{c} })
}

// TxSCStats is the transmit secure channel's counters.
func (d Device) TxSCStats() TxSCStats {
	var s TxSCStats
	counters(nested(d.attrs, AttrTxSCStats), []*uint64{nil, &s.OutPktsProtected, &s.OutPktsEncrypted, &s.OutOctetsProtected, &s.OutOctetsEncrypted})
	return s
}

// SecYStats is the SecY's counters.
func (d Device) SecYStats() SecYStats {
	var s SecYStats
	counters(nested(d.attrs, AttrSecYStats), []*uint64{nil, &s.OutPktsUntagged, &s.InPktsUntagged, &s.OutPktsTooLong,
		&s.InPktsNoTag, &s.InPktsBadTag, &s.InPktsUnknownSCI, &s.InPktsNoSCI, &s.InPktsOverrun})
	return s
}

// nested is the payload of c's attribute t (nil when absent).
func nested(c nla.Chain, t uint16) nla.Chain {
	a, _ := c.Get(t)
	return a.Nested()
}

// counters reads c's attribute i into *dst[i] (skipping nil ones), as
// unsigned numbers of any width.
func counters(c nla.Chain, dst []*uint64) {
	for a := range c.All() {
		if k := int(a.Kind()); k < len(dst) && dst[k] != nil {
			*dst[k], _ = a.Uint()
		}
	}
}

// SecY is a view of a device's secure entity (MACSEC_ATTR_SECY).
type SecY struct{ attrs nla.Chain }

// Chain is the SecY's attributes (MACSEC_SECY_ATTR_*), raw.
func (s SecY) Chain() nla.Chain { return s.attrs }

// SCI is the transmit secure channel's identifier.
func (s SecY) SCI() SCI { return SCI(genlview.Attr(s.attrs, SecYAttrSCI, nla.Attr.Uint64BE)) }

// EncodingSA is the association number the device transmits with.
func (s SecY) EncodingSA() uint8 { return genlview.Attr(s.attrs, SecYAttrEncodingSA, nla.Attr.Uint8) }

// Window is the replay window, and whether the kernel sent one (it does
// only with replay protection).
func (s SecY) Window() (uint32, bool) {
	return genlview.Optional(s.attrs, SecYAttrWindow, nla.Attr.Uint32)
}

// CipherSuite is the device's cipher suite.
func (s SecY) CipherSuite() Cipher {
	return Cipher(genlview.Attr(s.attrs, SecYAttrCipherSuite, nla.Attr.Uint64))
}

// ICVLen is the integrity check value's length, in bytes.
func (s SecY) ICVLen() uint8 { return genlview.Attr(s.attrs, SecYAttrICVLen, nla.Attr.Uint8) }

// Validate is how the device validates received frames.
func (s SecY) Validate() Validation {
	return Validation(genlview.Attr(s.attrs, SecYAttrValidate, nla.Attr.Uint8))
}

// Flag is the u8 flag attribute t (SecYAttrProtect, SecYAttrReplay,
// SecYAttrOper, SecYAttrEncrypt, SecYAttrIncSCI, SecYAttrES,
// SecYAttrSCB), and whether the kernel sent it.
func (s SecY) Flag(t uint16) (on, ok bool) {
	v, ok := genlview.Optional(s.attrs, t, nla.Attr.Uint8)
	return v != 0, ok
}

// RxSC is a view of a receive secure channel.
type RxSC struct{ attrs nla.Chain }

// Chain is the channel's attributes (MACSEC_RXSC_ATTR_*), raw.
func (r RxSC) Chain() nla.Chain { return r.attrs }

// SCI is the channel's identifier.
func (r RxSC) SCI() SCI { return SCI(genlview.Attr(r.attrs, RxSCAttrSCI, nla.Attr.Uint64BE)) }

// Active reports whether the channel is active.
func (r RxSC) Active() bool { return genlview.Attr(r.attrs, RxSCAttrActive, nla.Attr.Uint8) != 0 }

// SAs yields the channel's SAs.
func (r RxSC) SAs() iter.Seq[SA] {
	return genlview.Nests(r.attrs, RxSCAttrSAList, func(c nla.Chain) SA { return SA{c} })
}

// Stats is the channel's counters.
func (r RxSC) Stats() RxSCStats {
	var s RxSCStats
	counters(nested(r.attrs, RxSCAttrStats), []*uint64{nil, &s.InOctetsValidated, &s.InOctetsDecrypted,
		&s.InPktsUnchecked, &s.InPktsDelayed, &s.InPktsOK, &s.InPktsInvalid, &s.InPktsLate,
		&s.InPktsNotValid, &s.InPktsNotUsingSA, &s.InPktsUnusedSA})
	return s
}

// SA is a view of a transmit or receive secure association.
type SA struct{ attrs nla.Chain }

// Chain is the SA's attributes (MACSEC_SA_ATTR_*), raw.
func (s SA) Chain() nla.Chain { return s.attrs }

// AN is the association number.
func (s SA) AN() uint8 { return genlview.Attr(s.attrs, SAAttrAN, nla.Attr.Uint8) }

// Active reports whether the SA is active.
func (s SA) Active() bool { return genlview.Attr(s.attrs, SAAttrActive, nla.Attr.Uint8) != 0 }

// PN is the next packet number (32 or, with XPN, 64 bits).
func (s SA) PN() uint64 { return genlview.Attr(s.attrs, SAAttrPN, nla.Attr.Uint) }

// KeyID is the key's identifier, aliasing the message.
func (s SA) KeyID() []byte {
	a, _ := s.attrs.Get(SAAttrKeyID)
	return a.Data
}

// SSCI is the short secure channel identifier, and whether the SA has one
// (XPN only).
func (s SA) SSCI() (uint32, bool) { return genlview.Optional(s.attrs, SAAttrSSCI, nla.Attr.Uint32BE) }

// Stats is the SA's counters: the In ones for a receive SA, the Out ones
// for a transmit SA.
func (s SA) Stats() SAStats {
	var st SAStats
	var in = [...]*uint64{nil, &st.InPktsOK, &st.InPktsInvalid, &st.InPktsNotValid, &st.InPktsNotUsingSA,
		&st.InPktsUnusedSA, &st.OutPktsProtected, &st.OutPktsEncrypted}
	counters(nested(s.attrs, SAAttrStats), in[:])
	return st
}

// TxSCStats is a transmit secure channel's counters
// (MACSEC_TXSC_STATS_ATTR_*).
type TxSCStats struct {
	// The counters of IEEE 802.1AE, named as ip prints them, in the
	// order of the kernel's attributes.
	OutPktsProtected, OutPktsEncrypted, OutOctetsProtected, OutOctetsEncrypted uint64
}

// SecYStats is a SecY's counters (MACSEC_SECY_STATS_ATTR_*).
type SecYStats struct {
	// The counters of IEEE 802.1AE, named as ip prints them, in the
	// order of the kernel's attributes.
	OutPktsUntagged, InPktsUntagged, OutPktsTooLong, InPktsNoTag, InPktsBadTag,
	InPktsUnknownSCI, InPktsNoSCI, InPktsOverrun uint64
}

// RxSCStats is a receive secure channel's counters
// (MACSEC_RXSC_STATS_ATTR_*).
type RxSCStats struct {
	// The counters of IEEE 802.1AE, named as ip prints them, in the
	// order of the kernel's attributes.
	InOctetsValidated, InOctetsDecrypted, InPktsUnchecked, InPktsDelayed, InPktsOK,
	InPktsInvalid, InPktsLate, InPktsNotValid, InPktsNotUsingSA, InPktsUnusedSA uint64
}

// SAStats is a secure association's counters (MACSEC_SA_STATS_ATTR_*,
// u32 in the kernel).
type SAStats struct {
	// The counters of IEEE 802.1AE, named as ip prints them, in the
	// order of the kernel's attributes.
	InPktsOK, InPktsInvalid, InPktsNotValid, InPktsNotUsingSA, InPktsUnusedSA,
	OutPktsProtected, OutPktsEncrypted uint64
}
