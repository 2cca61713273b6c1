package schema

import (
	"bytes"
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

// Value is one attribute, or one field of a struct attribute, reached by
// name through a view's Get or Attrs. It aliases the message it came from.
type Value struct {
	spec   *Attr
	data   []byte
	nested *Schema
}

// Name returns the attribute's name, such as "mtu"; "" for the zero Value.
func (v Value) Name() string {
	if v.spec == nil {
		return ""
	}
	return v.spec.Name
}

// Bytes returns the raw payload.
func (v Value) Bytes() []byte { return v.data }

// IsNested reports whether the value holds named attributes or fields,
// reachable through Get and Attrs.
func (v Value) IsNested() bool {
	return v.spec != nil && ((v.spec.Kind == Nested && v.nested != nil) || v.spec.Kind == Struct)
}

// Uint returns an unsigned integer attribute.
func (v Value) Uint() (uint64, bool) {
	if v.spec == nil {
		return 0, false
	}
	a := nla.Attr{Data: v.data}
	switch v.spec.Kind {
	case U8, U16, U32, U64:
		n, err := a.Uint()
		return n, err == nil
	case BE16:
		n, err := a.Uint16BE()
		return uint64(n), err == nil
	case BE32:
		n, err := a.Uint32BE()
		return uint64(n), err == nil
	case BE64:
		n, err := a.Uint64BE()
		return n, err == nil
	}
	return 0, false
}

// Int returns a signed integer attribute.
func (v Value) Int() (int64, bool) {
	if v.spec != nil && v.spec.Kind == S32 {
		n, err := nla.Attr{Data: v.data}.Int32()
		return int64(n), err == nil
	}
	return 0, false
}

// Text returns a string attribute.
func (v Value) Text() (string, bool) {
	if v.spec == nil || v.spec.Kind != String {
		return "", false
	}
	s, err := nla.Attr{Data: v.data}.Text()
	return s, err == nil
}

// Addr returns an IP address attribute.
func (v Value) Addr() (netip.Addr, bool) {
	if v.spec == nil || v.spec.Kind != Addr {
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
	switch v.spec.Kind {
	case Struct:
		for i := range v.spec.Fields {
			f := &v.spec.Fields[i]
			if f.Name == path[0] {
				fv, ok := v.field(f)
				if !ok || len(path) > 1 {
					return Value{}, false
				}
				return fv, true
			}
		}
	case Nested:
		if v.nested != nil {
			return Lookup(v.nested, nil, nla.Chain(v.data), path)
		}
	}
	return Value{}, false
}

// field returns a member of a struct. Numbers have their size; addresses,
// strings and bytes run to the end of the payload, so they come last
// (struct rtvia, struct ifla_bridge_id).
func (v Value) field(f *Attr) (Value, bool) {
	size := 0
	switch f.Kind {
	case U8:
		size = 1
	case U16, BE16:
		size = 2
	case U32, S32, BE32:
		size = 4
	case U64, BE64:
		size = 8
	case Addr, HW, String, Binary:
		size = len(v.data) - f.Off
	}
	if size <= 0 || f.Off+size > len(v.data) {
		return Value{}, false
	}
	return Value{spec: f, data: v.data[f.Off : f.Off+size]}, true
}

// Attrs yields the named members of a nested attribute or struct.
func (v Value) Attrs() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		switch {
		case v.spec == nil:
		case v.spec.Kind == Struct:
			for i := range v.spec.Fields {
				if fv, ok := v.field(&v.spec.Fields[i]); ok && !yield(fv.spec.Name, fv) {
					return
				}
			}
		case v.spec.Kind == Nested && v.nested != nil:
			for name, val := range All(v.nested, nla.Chain(v.data)) {
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
	switch v.spec.Kind {
	case Flag:
		return true
	case U8, U16, U32, U64, BE16, BE32, BE64:
		return v.orRaw(v.Uint())
	case S32:
		return v.orRaw(v.Int())
	case String:
		return v.orRaw(v.Text())
	case Addr:
		return v.orRaw(v.Addr())
	case HW:
		return net.HardwareAddr(bytes.Clone(v.data))
	case Nested, Struct:
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

// orRaw is what Interface returns of a value its kind decodes to x (ok),
// or, when it does not decode, of a malformed one: a copy of its payload.
func (v Value) orRaw(x any, ok bool) any {
	if ok {
		return x
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
	return AppendJSON(nil, v.Interface()), nil
}

// AppendJSON appends x, one of the types Value.Interface returns, as
// JSON, the way encoding/json would with binary payloads as hex strings
// and addresses as strings. Views of other packages that hold Values use
// it for their own MarshalJSON.
func AppendJSON(b []byte, x any) []byte {
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
		return AppendJSONString(b, t)
	case []byte:
		b = append(b, '"')
		b = hex.AppendEncode(b, t)
		return append(b, '"')
	case net.HardwareAddr:
		return AppendJSONString(b, t.String())
	case netip.Addr:
		return AppendJSONString(b, t.String())
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
			b = AppendJSONString(b, k)
			b = append(b, ':')
			b = AppendJSON(b, t[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSON(b, e)
		}
		return append(b, ']')
	}
	return AppendJSONString(b, fmt.Sprint(x))
}

// AppendJSONString appends s as a JSON string, escaped as encoding/json
// does: control characters, quotes, backslashes, the HTML-sensitive <, >
// and &, and U+2028 and U+2029 escaped; invalid UTF-8 replaced by U+FFFD.
func AppendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = AppendJSONASCII(b, c, "<>&")
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

// AppendJSONASCII appends the ASCII byte c as a JSON string holds it: a
// quote, a backslash and the control characters escaped (by their short
// escape where JSON has one, else as \u00XX), as are the bytes of
// hexAlso; any other byte as it is. encoding/json's flavour escapes "<>&"
// too, iproute2's printer DEL.
func AppendJSONASCII(b []byte, c byte, hexAlso string) []byte {
	switch {
	case c == '"' || c == '\\':
		return append(b, '\\', c)
	case c == '\n':
		return append(b, '\\', 'n')
	case c == '\r':
		return append(b, '\\', 'r')
	case c == '\t':
		return append(b, '\\', 't')
	case c == '\b':
		return append(b, '\\', 'b')
	case c == '\f':
		return append(b, '\\', 'f')
	case c < 0x20 || strings.IndexByte(hexAlso, c) >= 0:
		const hexDigits = "0123456789abcdef"
		return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, c)
}

// SpecOf returns the description v was decoded by, nil for the zero Value.
// It is a function rather than a method so that rtm.Value, an alias of
// Value, shows users no internal types.
func SpecOf(v Value) *Attr { return v.spec }

// NestedOf returns the schema of v's nested attributes, nil when v is not
// a nest or its kind-dependent schema is unknown.
func NestedOf(v Value) *Schema { return v.nested }
