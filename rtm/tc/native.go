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

// putU32 appends a 32-bit attribute unless v is zero, which the options
// use for "not given".
func putU32[T ~uint32 | ~int32](e *nla.Encoder, typ uint16, v T) {
	if v != 0 {
		e.Uint32(typ, uint32(v))
	}
}

// attrU32 and attrU8 read an attribute, zero when malformed.
func attrU32(a nla.Attr) uint32 {
	v, _ := a.Uint32()
	return v
}

func attrU8(a nla.Attr) uint8 {
	v, _ := a.Uint8()
	return v
}

func attrU64(a nla.Attr) uint64 {
	v, _ := a.Uint64()
	return v
}

// b2u is 1 for true.
func b2u(v bool) uint32 {
	if v {
		return 1
	}
	return 0
}
