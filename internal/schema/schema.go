package schema

import (
	"iter"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
)

// Kind says how an attribute's payload decodes.
type Kind uint8

// The kinds of payload. Integers are in host byte order unless their
// name says big-endian (BE).
const (
	Binary Kind = iota // bytes this package does not interpret
	Flag               // no payload: presence is the value
	U8
	U16
	U32
	U64
	S32
	BE16
	BE32
	String // NUL-terminated or not
	Addr   // an IPv4 or IPv6 address, by length
	HW     // a hardware address
	Nested // attributes, named by Attr.Nested or Attr.ByKind
	Struct // a fixed C struct, its members in Attr.Fields
	BE64
)

// Attr describes one attribute type of a schema, or one field of a
// fixed struct attribute.
//
// The fields are laid out widest first, so that the generated tables of
// thousands of Attrs carry no padding between the narrow ones.
type Attr struct {
	Name string
	// Nested is the schema of a Nested payload.
	Nested *Schema
	// Fields are the members of a Struct payload, at offsets Off.
	Fields []Attr
	// ByKind picks a nested schema from the string value of the sibling
	// attribute of type Sibling: IFLA_INFO_DATA depends on IFLA_INFO_KIND.
	// With NumericSibling the sibling is an integer and the keys are its
	// decimal form: RTA_ENCAP depends on RTA_ENCAP_TYPE.
	ByKind         Choices
	Off            int
	Sibling        uint16
	Kind           Kind
	NumericSibling bool
}

// Schema names the attribute types of one message family or nest, the way
// pyroute2 does: the C name without its prefix, in lower case ("ifname"
// for IFLA_IFNAME, "kind" for IFLA_INFO_KIND).
//
// Schemas are generated as composite literals of strings, slices and
// pointers only, never maps or function calls, so that the compiler lays
// them out as static data: importing a package of schemas runs nothing at init, and the
// linker leaves them out of programs that never call Get or Attrs.
type Schema struct {
	Name string
	// Attrs is indexed by attribute type; unknown types have no name.
	Attrs []Attr
	// ByName lists the types of Attrs in the byte order of their names,
	// for Type's binary search.
	ByName []uint16
}

// Choice is one choice of an Attr's ByKind.
type Choice struct {
	Key    string
	Schema *Schema
}

// Choices are sorted by key in byte order.
type Choices []Choice

// Find returns the schema of key, or nil.
func (ks Choices) Find(key []byte) *Schema {
	lo, hi := 0, len(ks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch k := ks[m].Key; {
		case k == string(key):
			return ks[m].Schema
		case k < string(key):
			lo = m + 1
		default:
			hi = m
		}
	}
	return nil
}

// Spec returns the description of type t, with a synthetic name for types
// the schema does not know, so that nothing is ever hidden.
func (s *Schema) Spec(t uint16) *Attr {
	if int(t) < len(s.Attrs) && s.Attrs[t].Name != "" {
		return &s.Attrs[t]
	}
	return &Attr{Name: "attr_" + strconv.Itoa(int(t)), Kind: Binary}
}

// Type resolves a name to its attribute type, accepting "attr_N" for
// unknown types and the kernel's full name ("IFLA_IFNAME").
func (s *Schema) Type(name string) (uint16, bool) {
	if t, ok := s.exact(name); ok {
		return t, true
	}
	if n, ok := strings.CutPrefix(name, "attr_"); ok {
		if v, err := strconv.ParseUint(n, 10, 14); err == nil {
			return uint16(v), true
		}
	}
	return s.kernelName(name)
}

// exact resolves a name of the schema by binary search.
func (s *Schema) exact(name string) (uint16, bool) {
	lo, hi := 0, len(s.ByName)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		t := s.ByName[m]
		switch n := s.Attrs[t].Name; {
		case n == name:
			return t, true
		case n < name:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, false
}

// value builds the Value of attribute a found in chain c.
func value(sp *Attr, data []byte, parent nla.Chain) Value {
	v := Value{spec: sp, data: data}
	if sp.Kind == Nested && sp.ByKind != nil {
		if k, ok := parent.Get(sp.Sibling); ok {
			var key []byte
			if sp.NumericSibling {
				if n, err := k.Uint(); err == nil {
					var buf [20]byte
					key = strconv.AppendUint(buf[:0], n, 10)
				}
			} else {
				key, _ = k.TextBytes()
			}
			v.nested = sp.ByKind.Find(key)
		}
	} else {
		v.nested = sp.Nested
	}
	return v
}

// Lookup resolves a path of names in a view's chain c, starting in schema
// s, through the view's index when it has one (idx may be nil). No
// interface stands between the two: boxing the chain into one would
// allocate on every lookup.
func Lookup(s *Schema, idx *nla.Index, c nla.Chain, path []string) (Value, bool) {
	if len(path) == 0 {
		return Value{}, false
	}
	t, ok := s.Type(path[0])
	if !ok {
		return Value{}, false
	}
	var a nla.Attr
	if idx != nil {
		a, ok = idx.Get(t)
	} else {
		a, ok = c.Get(t)
	}
	if !ok {
		return Value{}, false
	}
	v := value(s.Spec(t), a.Data, c)
	if len(path) == 1 {
		return v, true
	}
	return v.Get(path[1:]...)
}

// All yields every attribute of chain c, named by schema s.
func All(s *Schema, c nla.Chain) iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for a := range c.All() {
			sp := s.Spec(a.Kind())
			if !yield(sp.Name, value(sp, a.Data, c)) {
				return
			}
		}
	}
}
