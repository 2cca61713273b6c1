package rtm

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/internal/schema"
)

// Value is one attribute, or one field of a struct attribute, reached by
// name through a view's Get or Attrs ("mtu", "linkinfo/kind"). It aliases
// the message it came from. Uint, Int, Text and Addr decode it by the
// kind its schema gives; Get and Attrs descend into nests and structs;
// Interface, String and MarshalJSON give the whole decoded value.
type Value = schema.Value

var native = binary.NativeEndian
