package nla

import (
	"errors"
	"fmt"
	"iter"
)

// ErrMalformed is matched, through errors.Is, by every [*ChainError].
var ErrMalformed = errors.New("nla: malformed attribute chain")

// ChainError reports where an attribute chain stops being well formed.
// Attributes before Offset are intact and remain readable.
type ChainError struct {
	Offset int    // byte offset of the bad attribute header within the chain
	Reason string // what is wrong with it
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("nla: malformed attribute chain at offset %d: %s", e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrMalformed) true for every ChainError.
func (e *ChainError) Is(target error) bool { return target == ErrMalformed }

// Chain is an attribute list: a view of the bytes that follow a message's
// fixed header, or of a nested attribute's payload. Its methods scan the
// list from the start on every call; use an [Index] to look up many types
// in one chain.
type Chain []byte

// next decodes the attribute at off. It returns the attribute, the offset
// of the one after it, and ok=false at the end of the chain or at the first
// malformed header. It never reads outside c.
func (c Chain) next(off int) (a Attr, next int, ok bool) {
	if off < 0 || len(c)-off < headerLen {
		return Attr{}, off, false
	}
	n := int(native.Uint16(c[off:]))
	if n < headerLen || n > len(c)-off {
		return Attr{}, off, false
	}
	a = Attr{Type: native.Uint16(c[off+2:]), Data: c[off+headerLen : off+n : off+n]}
	// The last attribute may lack its padding; never step past the end.
	next = min(off+Align(n), len(c))
	return a, next, true
}

// Err reports whether the whole chain is well formed. It returns nil or a
// [*ChainError] naming the first bad header. Trailing bytes too short to
// hold a header are an error too, as the kernel's nla_ok treats them.
func (c Chain) Err() error {
	off := 0
	for off < len(c) {
		_, next, ok := c.next(off)
		if !ok {
			return c.errorAt(off)
		}
		off = next
	}
	return nil
}

func (c Chain) errorAt(off int) error {
	if len(c)-off < headerLen {
		return &ChainError{Offset: off, Reason: fmt.Sprintf("%d trailing bytes, shorter than a header", len(c)-off)}
	}
	n := int(native.Uint16(c[off:]))
	if n < headerLen {
		return &ChainError{Offset: off, Reason: fmt.Sprintf("length %d is shorter than the header", n)}
	}
	return &ChainError{Offset: off, Reason: fmt.Sprintf("length %d runs past the end of the chain (%d bytes left)", n, len(c)-off)}
}

// Get returns the first attribute of type typ (flags ignored).
func (c Chain) Get(typ uint16) (Attr, bool) {
	typ &= TypeMask
	for off := 0; ; {
		a, next, ok := c.next(off)
		if !ok {
			return Attr{}, false
		}
		if a.Kind() == typ {
			return a, true
		}
		off = next
	}
}

// Path follows nested attributes: Path(A, B, C) is attribute C inside the
// payload of B inside the payload of the first A. It reports false when any
// step is missing.
func (c Chain) Path(types ...uint16) (Attr, bool) {
	var a Attr
	cur := c
	for _, t := range types {
		var ok bool
		if a, ok = cur.Get(t); !ok {
			return Attr{}, false
		}
		cur = Chain(a.Data)
	}
	return a, len(types) > 0
}

// All yields every attribute in order. It stops at the end of the chain or
// at the first malformed header; [Chain.Err] tells which.
func (c Chain) All() iter.Seq[Attr] {
	return func(yield func(Attr) bool) {
		for off := 0; ; {
			a, next, ok := c.next(off)
			if !ok || !yield(a) {
				return
			}
			off = next
		}
	}
}

// AllOf yields, in order, every attribute of type typ (flags ignored), for
// the types that a message may repeat, such as IFLA_ALT_IFNAME.
func (c Chain) AllOf(typ uint16) iter.Seq[Attr] {
	typ &= TypeMask
	return func(yield func(Attr) bool) { c.yieldOf(typ, 0, yield) }
}

// yieldOf passes yield every attribute of type typ from offset off on,
// until it returns false or the chain ends.
func (c Chain) yieldOf(typ uint16, off int, yield func(Attr) bool) {
	for {
		a, next, ok := c.next(off)
		if !ok || a.Kind() == typ && !yield(a) {
			return
		}
		off = next
	}
}

// Len returns the number of well-formed attributes before the end of the
// chain or its first malformed header.
func (c Chain) Len() int {
	n := 0
	for off := 0; ; n++ {
		_, next, ok := c.next(off)
		if !ok {
			return n
		}
		off = next
	}
}
