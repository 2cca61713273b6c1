package nla

import "iter"

// IndexedTypes is the number of attribute types an [Index] resolves in
// constant time: every type below it. It covers every type of the rtnetlink
// families (IFLA_MAX is under 70 in Linux 6.x); lookups of larger types fall
// back to a scan.
const IndexedTypes = 128

// Index is a chain with a lookup table, built on first use, that finds the
// first attribute of any type below [IndexedTypes] in constant time.
//
// An Index is meant to be reused: [Index.Reset] points it at the next
// message's chain without clearing anything, and the table is rebuilt only
// if that message is looked into. The zero Index is an empty chain. An
// Index must not be copied after first use (copying is allowed, merely
// wasteful: it is a plain value of about 1,200 bytes).
type Index struct {
	chain Chain
	built bool
	// valid is the length of the well-formed prefix of chain.
	valid int
	count int
	// first describes the first attribute of each type, so that a
	// lookup reads no header: its payload's offset (bits 0-31; never 0,
	// which means absent, since a header precedes every payload), its
	// payload's length (bits 32-47) and its type with flags (bits
	// 48-63). Offsets fit: a chain lies inside one datagram.
	first [IndexedTypes]uint64
	// used lists the types set in first by the last build, so that the
	// next build clears those slots rather than the whole table: a route
	// message sets half a dozen of 128.
	used  [IndexedTypes]uint8
	nused int
}

// Reset points x at chain c. The table is rebuilt lazily, on the next
// lookup.
func (x *Index) Reset(c Chain) {
	x.chain = c
	x.built = false
}

// Chain returns the chain x indexes.
func (x *Index) Chain() Chain { return x.chain }

func (x *Index) build() {
	for _, t := range x.used[:x.nused] {
		x.first[t] = 0
	}
	x.nused = 0
	// Chain.next's checks, inline: a dump builds an index per message.
	c := x.chain
	off, n := 0, 0
	for len(c)-off >= headerLen {
		l := int(native.Uint16(c[off:]))
		if l < headerLen || l > len(c)-off {
			break
		}
		t := native.Uint16(c[off+2:])
		if k := t & TypeMask; k < IndexedTypes && x.first[k] == 0 {
			x.first[k] = uint64(off+headerLen) | uint64(l-headerLen)<<32 | uint64(t)<<48
			x.used[x.nused] = uint8(k)
			x.nused++
		}
		n++
		off = min(off+Align(l), len(c))
	}
	x.valid, x.count, x.built = off, n, true
}

// Get returns the first attribute of type typ (flags ignored).
func (x *Index) Get(typ uint16) (Attr, bool) {
	// The common case, small enough to be inlined: a built table and a
	// type in it.
	if typ &= TypeMask; x.built && typ < IndexedTypes {
		return x.chain.slot(x.first[typ])
	}
	return x.get(typ)
}

// slot returns the attribute a slot of Index.first describes.
func (c Chain) slot(v uint64) (Attr, bool) {
	if v == 0 {
		return Attr{}, false
	}
	start, end := uint32(v), uint32(v)+uint32(uint16(v>>32))
	return Attr{Type: uint16(v >> 48), Data: c[start:end:end]}, true
}

func (x *Index) get(typ uint16) (Attr, bool) {
	if !x.built {
		x.build()
	}
	if typ >= IndexedTypes {
		return x.chain[:x.valid].Get(typ)
	}
	return x.chain.slot(x.first[typ])
}

// Has reports whether the chain holds an attribute of type typ.
func (x *Index) Has(typ uint16) bool {
	_, ok := x.Get(typ)
	return ok
}

// AllOf yields, in order, every attribute of type typ (flags ignored). The
// scan starts at the first one, found through the table.
func (x *Index) AllOf(typ uint16) iter.Seq[Attr] {
	return func(yield func(Attr) bool) {
		if !x.built {
			x.build()
		}
		typ &= TypeMask
		start := 0
		if typ < IndexedTypes {
			if x.first[typ] == 0 {
				return
			}
			start = int(uint32(x.first[typ])) - headerLen
		}
		x.chain[:x.valid].yieldOf(typ, start, yield)
	}
}

// All yields every attribute in order, as [Chain.All] does.
func (x *Index) All() iter.Seq[Attr] { return x.chain.All() }

// Len returns the number of well-formed attributes.
func (x *Index) Len() int {
	if !x.built {
		x.build()
	}
	return x.count
}

// Err reports whether the chain is well formed, as [Chain.Err] does.
func (x *Index) Err() error {
	if !x.built {
		x.build()
	}
	if x.valid == len(x.chain) {
		return nil
	}
	return x.chain.errorAt(x.valid)
}
