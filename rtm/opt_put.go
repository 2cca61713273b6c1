package rtm

import "github.com/ipr-go/ipr/wire"

// The specifications send an optional field only when it is set: putOpt8
// writes an 8-bit attribute when o is set, and so on for the other sizes
// and the big-endian ones.

func putOpt8(b *wire.Builder, typ uint16, o Opt[uint8]) {
	if v, ok := o.Get(); ok {
		b.Uint8(typ, v)
	}
}

func putOpt16(b *wire.Builder, typ uint16, o Opt[uint16]) {
	if v, ok := o.Get(); ok {
		b.Uint16(typ, v)
	}
}

func putOpt16BE(b *wire.Builder, typ uint16, o Opt[uint16]) {
	if v, ok := o.Get(); ok {
		b.Uint16BE(typ, v)
	}
}

func putOpt32(b *wire.Builder, typ uint16, o Opt[uint32]) {
	if v, ok := o.Get(); ok {
		b.Uint32(typ, v)
	}
}

func putOpt64BE(b *wire.Builder, typ uint16, o Opt[uint64]) {
	if v, ok := o.Get(); ok {
		b.Uint64BE(typ, v)
	}
}
