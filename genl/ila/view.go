package ila

import (
	"fmt"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
)

// Mapping is a view of one mapping (an ILA_CMD_GET reply). It aliases
// the message it came from: in [Mappings], valid until the next
// iteration ([Mapping.Clone] detaches it).
type Mapping struct{ attrs nla.Chain }

// ParseMapping returns the view of m, an ILA_CMD_GET reply: any chain of
// well-formed attributes (the kernel sends each of them, but a reader
// answers "absent" for one it left out).
func ParseMapping(m genl.Message) (Mapping, error) {
	err := m.Attrs.Err()
	if err != nil {
		err = fmt.Errorf("ila: mapping: %w", err)
	}
	return Mapping{m.Attrs}, err
}

// Clone returns a copy of p that does not alias the receive buffer.
func (p Mapping) Clone() Mapping { return Mapping{append(nla.Chain(nil), p.attrs...)} }

// Chain is the mapping's attributes (ILA_ATTR_*), raw.
func (p Mapping) Chain() nla.Chain { return p.attrs }

// locator reads the locator attribute t, in network byte order.
func (p Mapping) locator(t uint16) (uint64, bool) {
	return genlview.Optional(p.attrs, t, nla.Attr.Uint64BE)
}

// u8 reads the u8 attribute t.
func (p Mapping) u8(t uint16) (uint8, bool) { return genlview.Optional(p.attrs, t, nla.Attr.Uint8) }

// LocatorMatch is the locator the mapping matches, and whether the
// kernel reports it.
func (p Mapping) LocatorMatch() (uint64, bool) { return p.locator(AttrLocatorMatch) }

// Locator is the locator the mapping writes, and whether the kernel
// reports it.
func (p Mapping) Locator() (uint64, bool) { return p.locator(AttrLocator) }

// Ifindex is the index of the mapping's device (0 for any), and whether
// the kernel reports it.
func (p Mapping) Ifindex() (int32, bool) {
	return genlview.Optional(p.attrs, AttrIfindex, nla.Attr.Int32)
}

// CsumMode is the mapping's checksum mode, and whether the kernel
// reports it.
func (p Mapping) CsumMode() (CsumMode, bool) { v, ok := p.u8(AttrCsumMode); return CsumMode(v), ok }

// IdentType is the type of the identifiers the mapping applies to, and
// whether the kernel reports it.
func (p Mapping) IdentType() (IdentType, bool) { v, ok := p.u8(AttrIdentType); return IdentType(v), ok }
