package rtm

// pyroute2's message model on every view: Get answers the fixed header's
// fields as well as attributes, names are accepted in the kernel's full
// form, GetAll reaches every attribute of a repeated name, and Header
// returns the netlink header.

import (
	"iter"

	"github.com/ipr-go/ipr/internal/schema"
)

// The fixed headers, described as structs under pyroute2's field names.
// Static data: composite literals of constants.
var (
	ifinfomsgFields = schema.Attr{Name: "ifinfomsg", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
		{Name: "ifi_type", Kind: schema.U16, Off: 2},
		{Name: "index", Kind: schema.S32, Off: 4},
		{Name: "flags", Kind: schema.U32, Off: 8},
		{Name: "change", Kind: schema.U32, Off: 12},
	}}
	ifaddrmsgFields = schema.Attr{Name: "ifaddrmsg", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
		{Name: "prefixlen", Kind: schema.U8, Off: 1},
		{Name: "flags", Kind: schema.U8, Off: 2},
		{Name: "scope", Kind: schema.U8, Off: 3},
		{Name: "index", Kind: schema.S32, Off: 4},
	}}
	rtmsgFields = schema.Attr{Name: "rtmsg", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
		{Name: "dst_len", Kind: schema.U8, Off: 1},
		{Name: "src_len", Kind: schema.U8, Off: 2},
		{Name: "tos", Kind: schema.U8, Off: 3},
		{Name: "table", Kind: schema.U8, Off: 4},
		{Name: "proto", Kind: schema.U8, Off: 5},
		{Name: "scope", Kind: schema.U8, Off: 6},
		{Name: "type", Kind: schema.U8, Off: 7},
		{Name: "flags", Kind: schema.U32, Off: 8},
	}}
	ndmsgFields = schema.Attr{Name: "ndmsg", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
		{Name: "ifindex", Kind: schema.S32, Off: 4},
		{Name: "state", Kind: schema.U16, Off: 8},
		{Name: "flags", Kind: schema.U8, Off: 10},
		{Name: "ndm_type", Kind: schema.U8, Off: 11},
	}}
	fibRuleHdrFields = schema.Attr{Name: "fib_rule_hdr", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
		{Name: "dst_len", Kind: schema.U8, Off: 1},
		{Name: "src_len", Kind: schema.U8, Off: 2},
		{Name: "tos", Kind: schema.U8, Off: 3},
		{Name: "table", Kind: schema.U8, Off: 4},
		{Name: "action", Kind: schema.U8, Off: 7},
		{Name: "flags", Kind: schema.U32, Off: 8},
	}}
	nhmsgFields = schema.Attr{Name: "nhmsg", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
		{Name: "scope", Kind: schema.U8, Off: 1},
		{Name: "protocol", Kind: schema.U8, Off: 2},
		{Name: "flags", Kind: schema.U32, Off: 4},
	}}
	ndtmsgFields = schema.Attr{Name: "ndtmsg", Kind: schema.Struct, Fields: []schema.Attr{
		{Name: "family", Kind: schema.U8, Off: 0},
	}}
)

// fields returns the description of header H, or nil for a header
// without one. A type switch, not a map: nothing runs at init.
func (v view[H]) fields() *schema.Attr {
	var h H
	switch any(h).(type) {
	case ifinfomsg:
		return &ifinfomsgFields
	case ifaddrmsg:
		return &ifaddrmsgFields
	case rtmsg:
		return &rtmsgFields
	case ndmsg:
		return &ndmsgFields
	case fibRuleHdr:
		return &fibRuleHdrFields
	case nhmsg:
		return &nhmsgFields
	case ndtmsg:
		return &ndtmsgFields
	}
	return nil
}

// lookup is the views' Get: an attribute by name, or a header field.
func (v view[H]) lookup(s *schema.Schema, path []string) (Value, bool) {
	return schema.LookupMessage(v.fields(), v.hdr(), s, v.index(), v.Chain(), path)
}

// lookupAll is the views' GetAll.
func (v view[H]) lookupAll(s *schema.Schema, path []string) iter.Seq[Value] {
	return schema.LookupAll(s, v.Chain(), path)
}

// HeaderFields yields the fixed header's fields by pyroute2's names
// ("family", "index", "flags", ...), as pyroute2 shows them beside
// "attrs".
func (v view[H]) HeaderFields() iter.Seq2[string, Value] {
	f := v.fields()
	if f == nil {
		return func(func(string, Value) bool) {}
	}
	return schema.NewValue(f, v.hdr()).Attrs()
}
