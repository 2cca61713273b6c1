package rtm

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"iter"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ipr-go/ipr/nla"
)

// valueKind says how an attribute's payload decodes.
type valueKind uint8

const (
	kindBinary valueKind = iota
	kindFlag
	kindU8
	kindU16
	kindU32
	kindU64
	kindS32
	kindBE16
	kindBE32
	kindString
	kindAddr
	kindHW
	kindNested
	kindStruct
	kindBE64
)

// attrSpec describes one attribute type of a schema, or one field of a
// fixed struct attribute.
type attrSpec struct {
	name string
	kind valueKind
	// nested is the schema of a kindNested payload.
	nested *schema
	// fields are the members of a kindStruct payload, at offsets off.
	fields []attrSpec
	off    int
	// byKind picks a nested schema from the string value of the sibling
	// attribute of type sibling: IFLA_INFO_DATA depends on IFLA_INFO_KIND.
	// With numericSibling the sibling is an integer and the keys are its
	// decimal form: RTA_ENCAP depends on RTA_ENCAP_TYPE.
	sibling        uint16
	byKind         kindSchemas
	numericSibling bool
}

// schema names the attribute types of one message family or nest, the way
// pyroute2 does: the C name without its prefix, in lower case ("ifname"
// for IFLA_IFNAME, "kind" for IFLA_INFO_KIND).
//
// Schemas are generated as composite literals of strings, slices and
// pointers only, never maps or function calls, so that the compiler lays
// them out as static data: importing rtm runs nothing at init, and the
// linker leaves them out of programs that never call Get or Attrs.
type schema struct {
	name string
	// attrs is indexed by attribute type; unknown types have no name.
	attrs []attrSpec
	// byName lists the types of attrs in the byte order of their names,
	// for lookup's binary search.
	byName []uint16
}

// kindSchema is one choice of an attrSpec's byKind.
type kindSchema struct {
	key    string
	schema *schema
}

// kindSchemas are sorted by key in byte order.
type kindSchemas []kindSchema

// find returns the schema of key, or nil.
func (ks kindSchemas) find(key []byte) *schema {
	lo, hi := 0, len(ks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch k := ks[m].key; {
		case k == string(key):
			return ks[m].schema
		case k < string(key):
			lo = m + 1
		default:
			hi = m
		}
	}
	return nil
}

// spec returns the description of type t, with a synthetic name for types
// the schema does not know, so that nothing is ever hidden.
func (s *schema) spec(t uint16) *attrSpec {
	if int(t) < len(s.attrs) && s.attrs[t].name != "" {
		return &s.attrs[t]
	}
	return &attrSpec{name: "attr_" + strconv.Itoa(int(t)), kind: kindBinary}
}

// lookup resolves a name, accepting "attr_N" for unknown types.
func (s *schema) lookup(name string) (uint16, bool) {
	lo, hi := 0, len(s.byName)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		t := s.byName[m]
		switch n := s.attrs[t].name; {
		case n == name:
			return t, true
		case n < name:
			lo = m + 1
		default:
			hi = m
		}
	}
	if n, ok := strings.CutPrefix(name, "attr_"); ok {
		if v, err := strconv.ParseUint(n, 10, 14); err == nil {
			return uint16(v), true
		}
	}
	return 0, false
}

// value builds the Value of attribute a found in chain c.
func value(sp *attrSpec, data []byte, parent nla.Chain) Value {
	v := Value{spec: sp, data: data}
	if sp.kind == kindNested && sp.byKind != nil {
		if k, ok := parent.Get(sp.sibling); ok {
			var key []byte
			if sp.numericSibling {
				if n, err := k.Uint(); err == nil {
					var buf [20]byte
					key = strconv.AppendUint(buf[:0], n, 10)
				}
			} else {
				key, _ = k.TextBytes()
			}
			v.nested = sp.byKind.find(key)
		}
	} else {
		v.nested = sp.nested
	}
	return v
}

// lookup resolves a path of names in a view's chain c, starting in schema
// s, through the view's index when it has one (idx may be nil). No
// interface stands between the two: boxing the chain into one would
// allocate on every lookup.
func lookup(s *schema, idx *nla.Index, c nla.Chain, path []string) (Value, bool) {
	if len(path) == 0 {
		return Value{}, false
	}
	t, ok := s.lookup(path[0])
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
	v := value(s.spec(t), a.Data, c)
	if len(path) == 1 {
		return v, true
	}
	return v.Get(path[1:]...)
}

// attrs yields every attribute of chain c, named by schema s.
func attrs(s *schema, c nla.Chain) iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for a := range c.All() {
			sp := s.spec(a.Kind())
			if !yield(sp.name, value(sp, a.Data, c)) {
				return
			}
		}
	}
}

// Value is one attribute, or one field of a struct attribute, reached by
// name through a view's Get or Attrs. It aliases the message it came from.
type Value struct {
	spec   *attrSpec
	data   []byte
	nested *schema
}

// Name returns the attribute's name, such as "mtu"; "" for the zero Value.
func (v Value) Name() string {
	if v.spec == nil {
		return ""
	}
	return v.spec.name
}

// Bytes returns the raw payload.
func (v Value) Bytes() []byte { return v.data }

// IsNested reports whether the value holds named attributes or fields,
// reachable through Get and Attrs.
func (v Value) IsNested() bool {
	return v.spec != nil && ((v.spec.kind == kindNested && v.nested != nil) || v.spec.kind == kindStruct)
}

// Uint returns an unsigned integer attribute.
func (v Value) Uint() (uint64, bool) {
	if v.spec == nil {
		return 0, false
	}
	a := nla.Attr{Data: v.data}
	switch v.spec.kind {
	case kindU8, kindU16, kindU32, kindU64:
		n, err := a.Uint()
		return n, err == nil
	case kindBE16:
		n, err := a.Uint16BE()
		return uint64(n), err == nil
	case kindBE32:
		n, err := a.Uint32BE()
		return uint64(n), err == nil
	case kindBE64:
		n, err := a.Uint64BE()
		return n, err == nil
	}
	return 0, false
}

// Int returns a signed integer attribute.
func (v Value) Int() (int64, bool) {
	if v.spec != nil && v.spec.kind == kindS32 {
		n, err := nla.Attr{Data: v.data}.Int32()
		return int64(n), err == nil
	}
	return 0, false
}

// Text returns a string attribute.
func (v Value) Text() (string, bool) {
	if v.spec == nil || v.spec.kind != kindString {
		return "", false
	}
	s, err := nla.Attr{Data: v.data}.Text()
	return s, err == nil
}

// Addr returns an IP address attribute.
func (v Value) Addr() (netip.Addr, bool) {
	if v.spec == nil || v.spec.kind != kindAddr {
		return netip.Addr{}, false
	}
	a, err := nla.Attr{Data: v.data}.Addr()
	return a, err == nil
}

// Get descends into a nested attribute or struct by names.
func (v Value) Get(path ...string) (Value, bool) {
	if len(path) == 0 || v.spec == nil {
		return v, v.spec != nil && len(path) == 0
	}
	switch v.spec.kind {
	case kindStruct:
		for i := range v.spec.fields {
			f := &v.spec.fields[i]
			if f.name == path[0] {
				fv, ok := v.field(f)
				if !ok || len(path) > 1 {
					return Value{}, false
				}
				return fv, true
			}
		}
	case kindNested:
		if v.nested != nil {
			return lookup(v.nested, nil, nla.Chain(v.data), path)
		}
	}
	return Value{}, false
}

// field returns a member of a struct. Numbers have their size; addresses,
// strings and bytes run to the end of the payload, so they come last
// (struct rtvia, struct ifla_bridge_id).
func (v Value) field(f *attrSpec) (Value, bool) {
	size := 0
	switch f.kind {
	case kindU8:
		size = 1
	case kindU16, kindBE16:
		size = 2
	case kindU32, kindS32, kindBE32:
		size = 4
	case kindU64, kindBE64:
		size = 8
	case kindAddr, kindHW, kindString, kindBinary:
		size = len(v.data) - f.off
	}
	if size <= 0 || f.off+size > len(v.data) {
		return Value{}, false
	}
	return Value{spec: f, data: v.data[f.off : f.off+size]}, true
}

// Attrs yields the named members of a nested attribute or struct.
func (v Value) Attrs() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		switch {
		case v.spec == nil:
		case v.spec.kind == kindStruct:
			for i := range v.spec.fields {
				if fv, ok := v.field(&v.spec.fields[i]); ok && !yield(fv.spec.name, fv) {
					return
				}
			}
		case v.spec.kind == kindNested && v.nested != nil:
			for name, val := range attrs(v.nested, nla.Chain(v.data)) {
				if !yield(name, val) {
					return
				}
			}
		}
	}
}

// Interface returns the decoded value: uint64, int64, string, bool (a
// flag), netip.Addr, net.HardwareAddr, map[string]any (nested attributes
// and structs, with repeated names gathered into []any), or []byte for
// payloads it cannot interpret.
func (v Value) Interface() any {
	if v.spec == nil {
		return nil
	}
	switch v.spec.kind {
	case kindFlag:
		return true
	case kindU8, kindU16, kindU32, kindU64, kindBE16, kindBE32, kindBE64:
		if n, ok := v.Uint(); ok {
			return n
		}
	case kindS32:
		if n, ok := v.Int(); ok {
			return n
		}
	case kindString:
		if s, ok := v.Text(); ok {
			return s
		}
	case kindAddr:
		if a, ok := v.Addr(); ok {
			return a
		}
	case kindHW:
		return net.HardwareAddr(bytes.Clone(v.data))
	case kindNested, kindStruct:
		if v.IsNested() {
			m := map[string]any{}
			for name, val := range v.Attrs() {
				x := val.Interface()
				if prev, dup := m[name]; dup {
					if list, ok := prev.([]any); ok {
						m[name] = append(list, x)
					} else {
						m[name] = []any{prev, x}
					}
					continue
				}
				m[name] = x
			}
			return m
		}
	}
	return bytes.Clone(v.data)
}

// String formats the value for people.
func (v Value) String() string {
	switch x := v.Interface().(type) {
	case nil:
		return "<nil>"
	case []byte:
		return hex.EncodeToString(x)
	default:
		return fmt.Sprint(x)
	}
}

// MarshalJSON encodes the decoded value; binary payloads become hex
// strings, addresses strings. The encoding is encoding/json's (map keys
// sorted, HTML-safe escaping), written here so that rtm does not import
// encoding/json, whose package init and encoders every program importing
// rtm would carry.
func (v Value) MarshalJSON() ([]byte, error) {
	return appendJSON(nil, v.Interface()), nil
}

// appendJSON appends x, one of the types Interface returns, as JSON.
func appendJSON(b []byte, x any) []byte {
	switch t := x.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, t)
	case uint64:
		return strconv.AppendUint(b, t, 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case string:
		return appendJSONString(b, t)
	case []byte:
		b = append(b, '"')
		b = hex.AppendEncode(b, t)
		return append(b, '"')
	case net.HardwareAddr:
		return appendJSONString(b, t.String())
	case netip.Addr:
		return appendJSONString(b, t.String())
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSON(b, t[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	}
	return appendJSONString(b, fmt.Sprint(x))
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// does: control characters, quotes, backslashes, the HTML-sensitive <, >
// and &, and U+2028 and U+2029 escaped; invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

var native = binary.NativeEndian
