// Package rtnl is the core that the views of netlink objects share: the
// reading of a message made of a fixed header and an attribute chain, with
// readers that tell an absent attribute from a present one, and the arena
// that collects many views into few allocations. Package rtm builds its
// views (Link, Route, ...) on it; packages for other netlink families
// (traffic control, generic netlink) build theirs on it the same way.
//
// A package embeds a small generic view type of its own (view[H] in rtm)
// rather than one from here, since Go promotes a method of an embedded type
// from another package only if it is exported: the readers would become
// public methods of every view. That type's methods are one-line calls of
// the functions here.
package rtnl

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"syscall"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
)

// Header is a fixed message header, named by a byte array of its size
// (type rtmsg [12]byte): generic code reads the size as len(h), which the
// compiler folds to a constant, since arrays of different sizes never
// share an instantiation.
type Header interface {
	~[4]byte | ~[8]byte | ~[12]byte | ~[16]byte | ~[20]byte
}

// Len returns the size of the header H.
func Len[H Header]() int {
	var h H
	return len(h)
}

// zeroHeader stands in for the fixed header of a zero view; it is as long
// as the longest Header.
var zeroHeader [20]byte

// Fixed returns b for reading its fixed header of n bytes, or a zeroed
// header when b is too short to hold one: only the zero value of a view
// is, since Wrap checks the messages views are made of. The accessors of a
// zero view then return zeros instead of panicking.
func Fixed(b []byte, n int) []byte {
	if len(b) < n {
		return zeroHeader[:n:n]
	}
	return b
}

// Wrap checks that data holds a fixed header of n bytes, and points idx
// (if not nil) at its attributes. what names the message in the error
// ("route" gives "rtm: route message of 3 bytes" with pkg "rtm").
func Wrap(pkg, what string, data []byte, n int, idx *nla.Index) error {
	if len(data) < n {
		return fmt.Errorf("%s: %s message of %d bytes", pkg, what, len(data))
	}
	if idx != nil {
		idx.Reset(nla.Chain(data[n:]))
	}
	return nil
}

// Chain returns the attribute chain after the fixed header of n bytes.
func Chain(b []byte, n int) nla.Chain { return nla.Chain(Fixed(b, n)[n:]) }

// Get returns the attribute of type t of a message: from idx, which a dump
// builds once per message, or else by walking the chain.
func Get(b []byte, n int, idx *nla.Index, t uint16) (nla.Attr, bool) {
	if idx != nil {
		return idx.Get(t)
	}
	return Chain(b, n).Get(t)
}

// The readers below take what Get returns, so that a view's reader is one
// call: rtnl.U32(v.get(t)). Each returns the value and whether the
// attribute is present and of the right size; the value is zero when it is
// not.

// U8 reads a 1-byte attribute.
func U8(a nla.Attr, ok bool) (uint8, bool) {
	if !ok {
		return 0, false
	}
	v, err := a.Uint8()
	return v, err == nil
}

// U16 reads a 2-byte attribute in host byte order.
func U16(a nla.Attr, ok bool) (uint16, bool) {
	if !ok {
		return 0, false
	}
	v, err := a.Uint16()
	return v, err == nil
}

// U32 reads a 4-byte attribute in host byte order.
func U32(a nla.Attr, ok bool) (uint32, bool) {
	if !ok {
		return 0, false
	}
	v, err := a.Uint32()
	return v, err == nil
}

// I32 reads a 4-byte signed attribute in host byte order.
func I32(a nla.Attr, ok bool) (int32, bool) {
	if !ok {
		return 0, false
	}
	v, err := a.Int32()
	return v, err == nil
}

// U64s reads a nest of 64-bit counters into fields: the attribute of
// type first+i into fields[i] (nil skips a type), a malformed one as 0;
// attributes of other types are skipped. It returns the first malformed
// counter's error.
func U64s(c nla.Chain, first uint16, fields ...*uint64) error {
	var err error
	for a := range c.All() {
		i := int(a.Kind()) - int(first)
		if i < 0 || i >= len(fields) || fields[i] == nil {
			continue
		}
		v, e := a.Uint64()
		*fields[i] = v
		if err == nil {
			err = e
		}
	}
	return err
}

// IP reads an IPv4 or IPv6 address; the zero Addr (not valid) when absent
// or of another size.
func IP(a nla.Attr, ok bool) netip.Addr {
	if !ok {
		return netip.Addr{}
	}
	v, _ := a.Addr()
	return v
}

// Text reads a NUL-terminated string; "" when absent or unterminated.
func Text(a nla.Attr, ok bool) string {
	if !ok {
		return ""
	}
	s, _ := a.Text()
	return s
}

// HW reads a link-layer address without copying; nil when absent or too
// long.
func HW(a nla.Attr, ok bool) []byte {
	if !ok {
		return nil
	}
	v, _ := a.HardwareAddr()
	return v
}

// Arena hands out copies of byte slices carved from shared blocks, so that
// collecting many views costs one allocation per block, not one per view.
type Arena struct{ block []byte }

// ArenaBlock is the size of an Arena's blocks.
const ArenaBlock = 64 << 10

// Copy returns a copy of b that lives in the arena, capacity-limited so
// that appending to it cannot overwrite its neighbours. A slice over a
// quarter of a block gets an allocation of its own.
func (a *Arena) Copy(b []byte) []byte {
	if len(b) > ArenaBlock/4 {
		return bytes.Clone(b)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, ArenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

// Req is what a request value appends itself to: the message being
// built, and the name of the operation, which the request sets for errors.
// Its type is internal, so that only this module's packages can implement
// the request interfaces whose method takes it.
type Req struct {
	// B is the builder the request appends one message to.
	B *wire.Builder
	// Named asks the request for its full name in Op ("route add
	// 10.0.0.0/24 table 100"), for a request sent alone. Otherwise Op
	// is a bare verb ("route add"), and a failure is named from the
	// request's bytes, so that a batch of successful requests formats
	// nothing.
	Named bool
	// Op names the operation in errors; the request sets it before it
	// validates anything.
	Op string
	// Missing is the errno by which the kernel says the object the
	// request names does not exist (ENODEV for links), for a request
	// sent alone: its error then also matches the package's not-found
	// error. Zero leaves errors as they are.
	Missing syscall.Errno
	// Opened are resources the message refers to (namespaces opened by
	// name, whose descriptors it carries), which stay open until it is
	// sent and are closed after. Only a request sent alone (Named) may
	// open any: a batch is sent later, by someone else.
	Opened []io.Closer
}
