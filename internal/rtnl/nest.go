package rtnl

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// PlainNest is a nested attribute begun without NLA_F_NESTED, as
// iproute2's addattr_nest begins most of them (ip's link attributes, tc's
// classifier options): the kernel parses them either way, and leaving the
// flag as iproute2 does keeps requests byte-identical to its own.
type PlainNest struct {
	n     nla.Nest
	start int
	typ   uint16
}

// BeginPlain begins a nest of type typ.
func BeginPlain(e *nla.Encoder, typ uint16) PlainNest {
	start := e.Len()
	return PlainNest{n: e.BeginNest(typ), start: start, typ: typ}
}

// End ends the nest and clears the NLA_F_NESTED that nla.Encoder set.
func (p PlainNest) End(e *nla.Encoder) {
	e.EndNest(p.n)
	// After an encoding error the nest may not be there: check before
	// rewriting its type. The error itself stays in e.
	if buf := e.Bytes(); len(buf) >= p.start+4 && binary.NativeEndian.Uint16(buf[p.start+2:]) == p.typ|unix.NLA_F_NESTED {
		binary.NativeEndian.PutUint16(buf[p.start+2:], p.typ)
	}
}

// EndOrDrop ends the nest, or removes it if it is empty: iproute2 sends
// no IFLA_INFO_DATA when a kind is given no options.
func (p PlainNest) EndOrDrop(e *nla.Encoder) {
	if e.Len() == p.start+nla.Align(4) {
		e.EndNest(p.n) // keeps the open-nest count balanced
		e.Truncate(p.start)
		return
	}
	p.End(e)
}
