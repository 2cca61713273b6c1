package schema

// pyroute2's message model: a message's fixed header answers Get like its
// attributes do, names are accepted in the kernel's full form
// ("IFLA_IFNAME"), and every attribute of a repeated name is reachable.

import (
	"iter"

	"github.com/ipr-go/ipr/nla"
)

// NewValue returns the Value of data described by a, such as a message's
// fixed header described as a Struct.
func NewValue(a *Attr, data []byte) Value { return Value{spec: a, data: data, nested: a.Nested} }

// LookupMessage is Lookup for a message whose fixed header hdr is
// described by the Struct h: a path whose first name is no attribute of s
// but a field of h ("index", "flags", "family") reads that field.
// Attributes win where both have a name (a route's "table" is RTA_TABLE,
// which holds tables above 255, rather than rtm_table).
func LookupMessage(h *Attr, hdr []byte, s *Schema, idx *nla.Index, c nla.Chain, path []string) (Value, bool) {
	if v, ok := Lookup(s, idx, c, path); ok {
		return v, true
	}
	if h == nil || len(path) == 0 {
		return Value{}, false
	}
	if _, isAttr := s.Type(path[0]); isAttr {
		return Value{}, false
	}
	return NewValue(h, hdr).Get(path...)
}

// LookupAll yields every attribute that path names in chain c, starting
// in schema s: the last name may repeat in its chain (pyroute2's
// get_attrs), as IFLA_MACVLAN_MACADDR does in a macvlan's data. The names
// before the last resolve as Lookup resolves them, to their first match.
func LookupAll(s *Schema, c nla.Chain, path []string) iter.Seq[Value] {
	return func(yield func(Value) bool) {
		if len(path) == 0 || s == nil {
			return
		}
		if len(path) > 1 {
			parent, ok := Lookup(s, nil, c, path[:len(path)-1])
			if !ok || parent.spec.Kind != Nested || parent.nested == nil {
				return
			}
			s, c = parent.nested, nla.Chain(parent.data)
		}
		t, ok := s.Type(path[len(path)-1])
		if !ok {
			return
		}
		sp := s.Spec(t)
		for a := range c.AllOf(t) {
			if !yield(value(sp, a.Data, c)) {
				return
			}
		}
	}
}

// GetAll yields every attribute that path names under a nested value
// (see LookupAll).
func (v Value) GetAll(path ...string) iter.Seq[Value] {
	if v.spec == nil || v.spec.Kind != Nested || v.nested == nil {
		return func(func(Value) bool) {}
	}
	return LookupAll(v.nested, nla.Chain(v.data), path)
}

// kernelName resolves a name in the kernel's form, upper case with its
// prefix ("IFLA_IFNAME", "IFLA_INFO_DATA", "IFLA_MACVLAN_MACADDR"): it
// tries the lower-case name without one, two, ... leading words, the
// longest first, so that each schema's own prefix comes off whatever it
// is. Names with no upper-case letter are left to the exact search.
func (s *Schema) kernelName(name string) (uint16, bool) {
	upper := false
	var buf [64]byte
	if len(name) > len(buf) {
		return 0, false
	}
	low := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			upper = true
			c += 'a' - 'A'
		}
		low[i] = c
	}
	if !upper {
		return 0, false
	}
	for i := 0; i < len(low); i++ {
		if low[i] != '_' || i+1 == len(low) {
			continue
		}
		if t, ok := s.exact(string(low[i+1:])); ok {
			return t, true
		}
	}
	return 0, false
}
