package nla

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Encoder appends attributes to a byte slice. Every attribute starts
// 4-byte aligned and is padded with zeros, as the kernel requires. The
// Encoder allocates only when the slice it was given runs out of capacity,
// so reusing one buffer across requests makes encoding allocation-free.
//
// Errors are sticky: an attribute that cannot be encoded (a payload over
// [MaxPayload] bytes, an invalid address, unbalanced nesting) records the
// first error, later calls do nothing, and [Encoder.Err] reports it. The
// zero Encoder is ready to use.
type Encoder struct {
	buf []byte
	err error
	// open counts nests begun and not yet ended, to catch imbalance.
	open int
}

// NewEncoder returns an Encoder that appends to buf (whose existing
// contents are kept, so that attributes can follow a message header).
func NewEncoder(buf []byte) *Encoder { return &Encoder{buf: buf} }

// Reset makes e append to buf and forgets any error.
func (e *Encoder) Reset(buf []byte) {
	e.buf, e.err, e.open = buf, nil, 0
}

// Bytes returns the encoded buffer.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the length of the encoded buffer.
func (e *Encoder) Len() int { return len(e.buf) }

// Err returns the first error met while encoding, or an error if a nest was
// left open.
func (e *Encoder) Err() error {
	if e.err == nil && e.open != 0 {
		return fmt.Errorf("nla: %d nested attribute(s) begun and not ended", e.open)
	}
	return e.err
}

// Fail records err as the encoder's error unless one is already recorded,
// for layers built on top of the encoder that detect their own errors.
func (e *Encoder) Fail(err error) { e.fail(err) }

// fail records the first error.
func (e *Encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// put appends an attribute header for a payload of n bytes and returns the
// payload area, zeroed padding included, or nil after an error.
func (e *Encoder) put(typ uint16, n int) []byte {
	if e.err != nil {
		return nil
	}
	if n > MaxPayload {
		e.fail(fmt.Errorf("nla: attribute type %d: payload of %d bytes exceeds %d", typ&TypeMask, n, MaxPayload))
		return nil
	}
	start := len(e.buf)
	total := Align(headerLen + n)
	e.buf = grow(e.buf, total)
	b := e.buf[start : start+total]
	native.PutUint16(b[0:], uint16(headerLen+n))
	native.PutUint16(b[2:], typ)
	clear(b[headerLen+n:])
	return b[headerLen : headerLen+n]
}

// grow extends b by n bytes, reallocating only when its capacity is short.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

// Flag appends an attribute with an empty payload (NLA_FLAG).
func (e *Encoder) Flag(typ uint16) { e.put(typ, 0) }

// Uint8 appends a 1-byte attribute.
func (e *Encoder) Uint8(typ uint16, v uint8) {
	if p := e.put(typ, 1); p != nil {
		p[0] = v
	}
}

// Uint16 appends a 2-byte attribute in host byte order.
func (e *Encoder) Uint16(typ uint16, v uint16) {
	if p := e.put(typ, 2); p != nil {
		native.PutUint16(p, v)
	}
}

// Uint32 appends a 4-byte attribute in host byte order.
func (e *Encoder) Uint32(typ uint16, v uint32) {
	if p := e.put(typ, 4); p != nil {
		native.PutUint32(p, v)
	}
}

// Uint64 appends an 8-byte attribute in host byte order.
func (e *Encoder) Uint64(typ uint16, v uint64) {
	if p := e.put(typ, 8); p != nil {
		native.PutUint64(p, v)
	}
}

// Int32 appends a 4-byte signed attribute in host byte order.
func (e *Encoder) Int32(typ uint16, v int32) { e.Uint32(typ, uint32(v)) }

// Int64 appends an 8-byte signed attribute in host byte order.
func (e *Encoder) Int64(typ uint16, v int64) { e.Uint64(typ, uint64(v)) }

// Uint16BE appends a 2-byte attribute in network byte order. It does not
// set NLA_F_NET_BYTEORDER: most kernel policies define the order by type
// and reject the flag; add it to typ where a family wants it.
func (e *Encoder) Uint16BE(typ uint16, v uint16) {
	if p := e.put(typ, 2); p != nil {
		binary.BigEndian.PutUint16(p, v)
	}
}

// Uint32BE appends a 4-byte attribute in network byte order; see
// [Encoder.Uint16BE] about the flag.
func (e *Encoder) Uint32BE(typ uint16, v uint32) {
	if p := e.put(typ, 4); p != nil {
		binary.BigEndian.PutUint32(p, v)
	}
}

// Uint64BE appends an 8-byte attribute in network byte order; see
// [Encoder.Uint16BE] about the flag.
func (e *Encoder) Uint64BE(typ uint16, v uint64) {
	if p := e.put(typ, 8); p != nil {
		binary.BigEndian.PutUint64(p, v)
	}
}

// String appends s as a NUL-terminated string attribute (NLA_NUL_STRING,
// NLA_STRING). A string that itself holds a NUL is an error: the kernel
// would read only up to it, silently.
func (e *Encoder) String(typ uint16, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			e.fail(fmt.Errorf("nla: attribute type %d: string %q contains a NUL byte", typ&TypeMask, s))
			return
		}
	}
	if p := e.put(typ, len(s)+1); p != nil {
		copy(p, s)
		p[len(s)] = 0
	}
}

// Binary appends an attribute with payload b, copied (NLA_BINARY).
func (e *Encoder) Binary(typ uint16, b []byte) {
	if p := e.put(typ, len(b)); p != nil {
		copy(p, b)
	}
}

// Addr appends an IP address as 4 bytes (IPv4) or 16 bytes (IPv6). The
// zone of an IPv6 address is not encoded (netlink carries it, where at
// all, as a separate ifindex). The zero Addr is an error.
func (e *Encoder) Addr(typ uint16, a netip.Addr) {
	switch {
	case a.Is4():
		if p := e.put(typ, 4); p != nil {
			b := a.As4()
			copy(p, b[:])
		}
	case a.Is6():
		if p := e.put(typ, 16); p != nil {
			b := a.As16()
			copy(p, b[:])
		}
	default:
		e.fail(fmt.Errorf("nla: attribute type %d: invalid IP address", typ&TypeMask))
	}
}

// Nest is a nested attribute under construction, returned by
// [Encoder.BeginNest] and closed by [Encoder.EndNest].
type Nest struct{ start int }

// BeginNest starts a nested attribute: the attributes appended until the
// matching [Encoder.EndNest] become its payload. It sets NLA_F_NESTED,
// which the kernel requires for nests under strict validation and accepts
// everywhere else.
func (e *Encoder) BeginNest(typ uint16) Nest {
	start := len(e.buf)
	e.put(typ|unix.NLA_F_NESTED, 0)
	e.open++
	return Nest{start: start}
}

// EndNest closes nest n, writing its final length.
func (e *Encoder) EndNest(n Nest) {
	e.open--
	if e.err != nil {
		return
	}
	if n.start+headerLen > len(e.buf) || e.open < 0 {
		e.fail(fmt.Errorf("nla: EndNest without a matching BeginNest"))
		return
	}
	size := len(e.buf) - n.start
	if size > 0xffff {
		e.fail(fmt.Errorf("nla: nested attribute type %d: %d bytes exceed the 16-bit length", native.Uint16(e.buf[n.start+2:])&TypeMask, size))
		return
	}
	native.PutUint16(e.buf[n.start:], uint16(size))
}

// Reserve appends n zero bytes, padded to the 4-byte alignment, and returns
// the n-byte region for the caller to fill: a message's fixed header, for
// instance. It returns nil after an error.
func (e *Encoder) Reserve(n int) []byte {
	if e.err != nil {
		return nil
	}
	if n < 0 {
		e.fail(fmt.Errorf("nla: cannot reserve %d bytes", n))
		return nil
	}
	start := len(e.buf)
	e.buf = grow(e.buf, Align(n))
	clear(e.buf[start:])
	return e.buf[start : start+n]
}

// Truncate discards everything after the first n bytes, to abandon a
// partly encoded message. It keeps any error.
func (e *Encoder) Truncate(n int) {
	if n >= 0 && n <= len(e.buf) {
		e.buf = e.buf[:n]
	}
}
