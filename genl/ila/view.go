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
type Mapping struct {
	attrs nla.Chain
}

// ParseMapping returns the view of m, an ILA_CMD_GET reply.
func ParseMapping(m genl.Message) (Mapping, error) {
	if err := m.Attrs.Err(); err != nil {
		return Mapping{}, fmt.Errorf("ila: %w", err)
	}
	return Mapping{attrs: m.Attrs}, nil
}

// Clone returns a copy of p that does not alias the receive buffer.
func (p Mapping) Clone() Mapping { return Mapping{attrs: append(nla.Chain(nil), p.attrs...)} }

// Chain is the mapping's attributes (ILA_ATTR_*), raw.
func (p Mapping) Chain() nla.Chain { return p.attrs }

// LocatorMatch is the locator the mapping matches, and whether the
// kernel reports it.
func (p Mapping) LocatorMatch() (uint64, bool) {
	return genlview.Optional(p.attrs, AttrLocatorMatch, nla.Attr.Uint64BE)
}

// Locator is the locator the mapping writes, and whether the kernel
// reports it.
func (p Mapping) Locator() (uint64, bool) {
	return genlview.Optional(p.attrs, AttrLocator, nla.Attr.Uint64BE)
}

// Ifindex is the index of the mapping's device (0 for any), and whether
// the kernel reports it.
func (p Mapping) Ifindex() (int32, bool) {
	return genlview.Optional(p.attrs, AttrIfindex, nla.Attr.Int32)
}

// CsumMode is the mapping's checksum mode, and whether the kernel
// reports it.
func (p Mapping) CsumMode() (CsumMode, bool) {
	v, ok := genlview.Optional(p.attrs, AttrCsumMode, nla.Attr.Uint8)
	return CsumMode(v), ok
}

// IdentType is the type of the identifiers the mapping applies to, and
// whether the kernel reports it.
func (p Mapping) IdentType() (IdentType, bool) {
	v, ok := genlview.Optional(p.attrs, AttrIdentType, nla.Attr.Uint8)
	return IdentType(v), ok
}
