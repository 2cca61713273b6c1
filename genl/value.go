package genl

import "github.com/ipr-go/ipr/internal/schema"

// Value is one attribute reached by name through a family view's Get or
// Attrs ("address/id", "vals/cwnd"), named by the schema generated from
// the family's YNL spec. It aliases the message it came from. Uint, Int,
// Text and Addr decode it by the kind its schema gives; Get and Attrs
// descend into nests; Interface, String and MarshalJSON give the whole
// decoded value. It is the same type as rtm.Value.
type Value = schema.Value
