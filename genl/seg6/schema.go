package seg6

import (
	"iter"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/schema"
)

// The by-name schema of the family's messages, written by hand as static
// data, with the uapi names in lower case. ByName lists the types in the
// byte order of their names (checked by TestSchema).
var seg6Schema = &schema.Schema{
	Name: "seg6",
	Attrs: []schema.Attr{
		AttrDst:       {Name: "dst", Kind: schema.Addr},        // SEG6_ATTR_DST
		AttrDstLen:    {Name: "dstlen", Kind: schema.S32},      // SEG6_ATTR_DSTLEN
		AttrHMACKeyID: {Name: "hmackeyid", Kind: schema.U32},   // SEG6_ATTR_HMACKEYID
		AttrSecret:    {Name: "secret", Kind: schema.Binary},   // SEG6_ATTR_SECRET
		AttrSecretLen: {Name: "secretlen", Kind: schema.U8},    // SEG6_ATTR_SECRETLEN
		AttrAlgID:     {Name: "algid", Kind: schema.U8},        // SEG6_ATTR_ALGID
		AttrHMACInfo:  {Name: "hmacinfo", Kind: schema.Binary}, // SEG6_ATTR_HMACINFO
	},
	ByName: []uint16{AttrAlgID, AttrDst, AttrDstLen, AttrHMACInfo, AttrHMACKeyID, AttrSecret, AttrSecretLen},
}

// Get returns the attribute called name ("hmackeyid", "algid",
// "secretlen", "secret").
func (k HMACKey) Get(name string) (genl.Value, bool) {
	return schema.Lookup(seg6Schema, nil, k.attrs, []string{name})
}

// Attrs yields every attribute of the key, by name.
func (k HMACKey) Attrs() iter.Seq2[string, genl.Value] { return schema.All(seg6Schema, k.attrs) }
