package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
)

// The kinds whose options are a list of 32-bit attributes, each sent
// only when set (codel, pie, fq_pie, the drr and qfq classes), share
// this: u32Attr is one of them, in tc's order.
type u32Attr struct {
	typ uint16
	v   rtm.Opt[uint32]
}

// appendU32Attrs appends TCA_OPTIONS holding the attributes set, with
// NLA_F_NESTED when flagged (fq_pie's tc sets it).
func appendU32Attrs(r *rtnl.Req, flagged bool, attrs ...u32Attr) {
	b := r.B
	put := func() {
		for _, a := range attrs {
			if v, ok := a.v.Get(); ok {
				b.Uint32(a.typ, v)
			}
		}
	}
	if flagged {
		n := b.BeginNest(attrOptions)
		put()
		b.EndNest(n)
		return
	}
	n := beginOptions(r)
	put()
	endNest(b, n)
}

// decodeU32Attrs calls set with each 32-bit attribute of data.
func decodeU32Attrs(data []byte, set func(typ uint16, v uint32)) error {
	c := chainOf(data)
	for a := range c.All() {
		if v, err := a.Uint32(); err == nil {
			set(a.Kind(), v)
		}
	}
	return c.Err()
}

// boolOpt is an Opt[uint32] of an Opt[bool], as tc sends its ecn flags.
func boolOpt(v rtm.Opt[bool]) rtm.Opt[uint32] {
	if b, ok := v.Get(); ok {
		return rtm.Some(b2u(b))
	}
	return rtm.Opt[uint32]{}
}

// nonzero is an Opt set when v is not zero: the options tc sends only
// when given a value other than zero.
func nonzero[T ~uint32](v T) rtm.Opt[uint32] {
	if v == 0 {
		return rtm.Opt[uint32]{}
	}
	return rtm.Some(uint32(v))
}
