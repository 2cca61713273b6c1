package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
)

// The kinds whose options are mostly a list of 32-bit attributes, each
// sent only when set (codel, fq_codel, pie, fq_pie, fq, cake, the drr,
// qfq and ets classes), describe them once, in tc's order, as a table of
// u32Fields that both encodes and decodes them.

// u32Field binds a 32-bit attribute to a field of the options, both
// ways. p points at the field: a *rtm.Opt[uint32], *rtm.Opt[Time],
// *rtm.Opt[int32] or *rtm.Opt[bool] (sent as 0 or 1) is sent when set;
// a *uint32 or *Time when not zero; a *bool, a flag whose presence is
// the value, is sent as 0 when true.
type u32Field struct {
	typ uint16
	p   any
}

// value returns the field's attribute value and whether it is sent.
func (f u32Field) value() (uint32, bool) {
	switch p := f.p.(type) {
	case *rtm.Opt[uint32]:
		return p.Get()
	case *rtm.Opt[Time]:
		v, ok := p.Get()
		return uint32(v), ok
	case *rtm.Opt[int32]:
		v, ok := p.Get()
		return uint32(v), ok
	case *rtm.Opt[bool]:
		v, ok := p.Get()
		return b2u(v), ok
	case *uint32:
		return *p, *p != 0
	case *Time:
		return uint32(*p), *p != 0
	case *bool:
		return 0, *p
	}
	return 0, false
}

// set sets the field from its attribute's value.
func (f u32Field) set(v uint32) {
	switch p := f.p.(type) {
	case *rtm.Opt[uint32]:
		*p = rtm.Some(v)
	case *rtm.Opt[Time]:
		*p = rtm.Some(Time(v))
	case *rtm.Opt[int32]:
		*p = rtm.Some(int32(v))
	case *rtm.Opt[bool]:
		*p = rtm.Some(v != 0)
	case *uint32:
		*p = v
	case *Time:
		*p = Time(v)
	case *bool:
		*p = true
	}
}

// appendU32Options appends TCA_OPTIONS holding the fields sent, with
// NLA_F_NESTED when flagged (fq_pie's tc sets it).
func appendU32Options(r *rtnl.Req, flagged bool, fields []u32Field) {
	b := r.B
	if flagged {
		n := b.BeginNest(attrOptions)
		appendU32Fields(r, fields)
		b.EndNest(n)
		return
	}
	n := beginOptions(r)
	appendU32Fields(r, fields)
	endNest(b, n)
}

// appendU32Fields appends the attributes of the fields sent, in order.
func appendU32Fields(r *rtnl.Req, fields []u32Field) {
	for _, f := range fields {
		if v, ok := f.value(); ok {
			r.B.Uint32(f.typ, v)
		}
	}
}

// decodeU32Fields sets the fields from the attributes of data: other,
// if set, first takes the attributes it handles (reporting true); a
// field's attribute of other than 32 bits is skipped.
func decodeU32Fields(data []byte, fields []u32Field, other func(a nla.Attr) bool) error {
	c := chainOf(data)
	for a := range c.All() {
		if other != nil && other(a) {
			continue
		}
		v, err := a.Uint32()
		if err != nil {
			continue
		}
		for _, f := range fields {
			if f.typ == a.Kind() {
				f.set(v)
			}
		}
	}
	return c.Err()
}
