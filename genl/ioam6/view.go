package ioam6

import (
	"fmt"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
)

// Namespace is a view of one IOAM namespace (an IOAM6_CMD_DUMP_NAMESPACES
// reply). It aliases the message it came from: in [Namespaces], valid
// until the next iteration ([Namespace.Clone] detaches it).
type Namespace struct {
	attrs nla.Chain
}

// ParseNamespace returns the view of m, an IOAM6_CMD_DUMP_NAMESPACES
// reply.
func ParseNamespace(m genl.Message) (Namespace, error) {
	return parse(m, AttrNsID, "namespace", func(c nla.Chain) Namespace { return Namespace{attrs: c} })
}

// parse checks m's attributes and that it names its object by id, an
// attribute the kernel always sends (what names the object in the
// error), and returns the view view makes of them.
func parse[T any](m genl.Message, id uint16, what string, view func(nla.Chain) T) (T, error) {
	var zero T
	if err := m.Attrs.Err(); err != nil {
		return zero, fmt.Errorf("ioam6: %w", err)
	}
	if _, ok := m.Attrs.Get(id); !ok {
		return zero, fmt.Errorf("ioam6: %s without an id (%d bytes of attributes)", what, len(m.Attrs))
	}
	return view(m.Attrs), nil
}

// Clone returns a copy of n that does not alias the receive buffer.
func (n Namespace) Clone() Namespace { return Namespace{attrs: append(nla.Chain(nil), n.attrs...)} }

// Chain is the namespace's attributes (IOAM6_ATTR_*), raw.
func (n Namespace) Chain() nla.Chain { return n.attrs }

// ID is the namespace's id.
func (n Namespace) ID() uint16 { return genlview.Attr(n.attrs, AttrNsID, nla.Attr.Uint16) }

// Data is the namespace's data, and whether it has any: the kernel
// reports none for a namespace added without it, or with the value that
// means "unavailable" (0xffffffff), which it keeps alike.
func (n Namespace) Data() (uint32, bool) {
	return genlview.Optional(n.attrs, AttrNsData, nla.Attr.Uint32)
}

// DataWide is the namespace's wide data, and whether it has any (none
// for 0xffffffffffffffff, as for Data).
func (n Namespace) DataWide() (uint64, bool) {
	return genlview.Optional(n.attrs, AttrNsDataWide, nla.Attr.Uint64)
}

// Schema is the id of the schema attached to the namespace, and whether
// one is.
func (n Namespace) Schema() (uint32, bool) {
	return genlview.Optional(n.attrs, AttrScID, nla.Attr.Uint32)
}

// Schema is a view of one IOAM schema (an IOAM6_CMD_DUMP_SCHEMAS reply).
// It aliases the message it came from: in [Schemas], valid until the
// next iteration ([Schema.Clone] detaches it).
type Schema struct {
	attrs nla.Chain
}

// ParseSchema returns the view of m, an IOAM6_CMD_DUMP_SCHEMAS reply.
func ParseSchema(m genl.Message) (Schema, error) {
	return parse(m, AttrScID, "schema", func(c nla.Chain) Schema { return Schema{attrs: c} })
}

// Clone returns a copy of s that does not alias the receive buffer.
func (s Schema) Clone() Schema { return Schema{attrs: append(nla.Chain(nil), s.attrs...)} }

// Chain is the schema's attributes (IOAM6_ATTR_*), raw.
func (s Schema) Chain() nla.Chain { return s.attrs }

// ID is the schema's id.
func (s Schema) ID() uint32 { return genlview.Attr(s.attrs, AttrScID, nla.Attr.Uint32) }

// Namespace is the id of the namespace the schema is attached to, and
// whether it is attached to one.
func (s Schema) Namespace() (uint16, bool) {
	return genlview.Optional(s.attrs, AttrNsID, nla.Attr.Uint16)
}

// Data is the schema's data, aliasing the message: the kernel pads what
// it was given with zeros to a multiple of four bytes.
func (s Schema) Data() []byte {
	a, _ := s.attrs.Get(AttrScData)
	return a.Data
}
