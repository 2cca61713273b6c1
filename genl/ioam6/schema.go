package ioam6

import (
	"iter"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/schema"
)

// The by-name schema of the family's messages, written by hand as static
// data: the uapi names (IOAM6_ATTR_*) in lower case. ByName lists the
// types in the byte order of their names (checked by TestSchema).
var ioam6Schema = &schema.Schema{
	Name: "ioam6",
	Attrs: []schema.Attr{
		AttrNsID:       {Name: "ns_id", Kind: schema.U16},        // IOAM6_ATTR_NS_ID: a namespace, or a schema's
		AttrNsData:     {Name: "ns_data", Kind: schema.U32},      // IOAM6_ATTR_NS_DATA
		AttrNsDataWide: {Name: "ns_data_wide", Kind: schema.U64}, // IOAM6_ATTR_NS_DATA_WIDE
		AttrScID:       {Name: "sc_id", Kind: schema.U32},        // IOAM6_ATTR_SC_ID: a schema, or a namespace's
		AttrScData:     {Name: "sc_data", Kind: schema.Binary},   // IOAM6_ATTR_SC_DATA
		AttrScNone:     {Name: "sc_none", Kind: schema.Flag},     // IOAM6_ATTR_SC_NONE, in requests only
		AttrPad:        {Name: "pad", Kind: schema.Binary},       // IOAM6_ATTR_PAD, before a u64
	},
	ByName: []uint16{AttrNsData, AttrNsDataWide, AttrNsID, AttrPad, AttrScData, AttrScID, AttrScNone},
}

// Get returns the attribute called name ("ns_id", "ns_data",
// "ns_data_wide", "sc_id").
func (n Namespace) Get(name string) (genl.Value, bool) {
	return schema.Lookup(ioam6Schema, nil, n.attrs, []string{name})
}

// Attrs yields every attribute of the namespace, by name.
func (n Namespace) Attrs() iter.Seq2[string, genl.Value] { return schema.All(ioam6Schema, n.attrs) }

// Get returns the attribute called name ("sc_id", "ns_id", "sc_data").
func (s Schema) Get(name string) (genl.Value, bool) {
	return schema.Lookup(ioam6Schema, nil, s.attrs, []string{name})
}

// Attrs yields every attribute of the schema, by name.
func (s Schema) Attrs() iter.Seq2[string, genl.Value] { return schema.All(ioam6Schema, s.attrs) }
