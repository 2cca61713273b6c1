package tc

import (
	"encoding/binary"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
)

// native is the host byte order of the kernel's tc structures; ipr runs
// on little-endian hosts only (as package rtm does).
var native = binary.NativeEndian

// chainOf reads b as an attribute chain.
func chainOf(b []byte) nla.Chain { return nla.Chain(b) }

// nestMark is a nested attribute under construction by beginNest.
type nestMark int

// beginNest starts a nested attribute without NLA_F_NESTED, as tc's
// addattr_nest does for most kinds (nla.Encoder.BeginNest sets it): the
// request bytes then equal tc's. The kernel parses tc's nests either way.
func beginNest(b *wire.Builder, typ uint16) nestMark {
	start := b.Len()
	b.Binary(typ, nil)
	return nestMark(start)
}

// endNest closes a nest of beginNest, writing its length.
func endNest(b *wire.Builder, n nestMark) {
	buf := b.Bytes()
	if b.Encoder.Err() != nil || len(buf) < int(n)+4 {
		return
	}
	size := len(buf) - int(n)
	if size > 0xFFFF {
		b.Fail(fmt.Errorf("tc: nested attribute of %d bytes exceeds 64 KiB", size))
		return
	}
	native.PutUint16(buf[n:], uint16(size))
}
