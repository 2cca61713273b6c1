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

// attrSchema returns the schema that names the attributes of the
// messages with header H: each view type has a header type of its own
// (NetnsID's rtgenmsg is Netconf's netconfmsg in layout, a
// NexthopBucket's attributes are a Nexthop's). A type switch, as fields.
func (v view[H]) attrSchema() *schema.Schema {
	var h H
	switch any(h).(type) {
	case ifinfomsg:
		return linkSchema
	case ifaddrmsg:
		return addrSchema
	case rtmsg:
		return routeSchema
	case ndmsg:
		return neighSchema
	case fibRuleHdr:
		return ruleSchema
	case nhmsg:
		return nexthopSchema
	case ndtmsg:
		return neighTableSchema
	case netconfmsg:
		return netconfSchema
	case rtgenmsg:
		return netnsIDSchema
	case ifaddrlblmsg:
		return addrLabelSchema
	case brPortMsg:
		return mdbSchema
	case brVlanMsg:
		return bridgeVLANSchema
	case ifStatsMsg:
		return statsSchema
	}
	return &unnamedSchema
}

// unnamedSchema names no attribute: the views without a schema
// (VXLANVNIs) call every attribute "attr_N". Static data.
var unnamedSchema = schema.Schema{Name: "attrs"}

// Get returns an attribute by pyroute2-style name and nested path:
// Get("ifname"), Get("stats64", "rx_bytes"), Get("linkinfo", "data",
// "vxlan_id") on a Link; Get("local"), Get("cacheinfo", "ifa_valid") on
// an Addr; Get("dst"), Get("metrics", "mtu") on a Route; each view type's
// doc lists some of its names. Unknown types are named "attr_N". Names are
// also accepted in the kernel's form: Get("IFLA_LINKINFO",
// "IFLA_INFO_KIND"). The fixed header's fields answer too, as in
// pyroute2, where the view's header has them: a link's Get("index"),
// Get("flags"), Get("family"), Get("ifi_type"), Get("change"), an
// address's "prefixlen", a route's "dst_len", ... (see HeaderFields),
// attributes winning where both have a name.
func (v view[H]) Get(path ...string) (Value, bool) {
	return schema.LookupMessage(v.fields(), v.hdr(), v.attrSchema(), v.index(), v.Chain(), path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (v view[H]) GetAll(path ...string) iter.Seq[Value] {
	return schema.LookupAll(v.attrSchema(), v.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name, in message
// order.
func (v view[H]) Attrs() iter.Seq2[string, Value] { return schema.All(v.attrSchema(), v.Chain()) }

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
