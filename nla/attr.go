package nla

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// TypeMask selects the attribute type from nla_type, dropping the
// NLA_F_NESTED and NLA_F_NET_BYTEORDER flags (NLA_TYPE_MASK in
// linux/netlink.h, which x/sys/unix does not define).
const TypeMask = ^uint16(unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER)

// headerLen is NLA_HDRLEN: the 4-byte nla_len, nla_type header.
const headerLen = unix.NLA_HDRLEN

// MaxPayload is the largest payload one attribute can carry: nla_len is a
// 16-bit count that includes the header.
const MaxPayload = 0xffff - headerLen

// Align rounds n up to the 4-byte attribute alignment (NLA_ALIGN).
func Align(n int) int { return (n + unix.NLA_ALIGNTO - 1) &^ (unix.NLA_ALIGNTO - 1) }

// native is the byte order of attribute payloads without NLA_F_NET_BYTEORDER.
var native = binary.NativeEndian

// Attr is one attribute. Data aliases the buffer it was read from and is
// valid only as long as that buffer is.
type Attr struct {
	// Type is nla_type as received, flags included; see [Attr.Kind].
	Type uint16
	// Data is the payload, without header or trailing padding.
	Data []byte
}

// Kind is the attribute type without the NLA_F_NESTED and
// NLA_F_NET_BYTEORDER flags.
func (a Attr) Kind() uint16 { return a.Type & TypeMask }

// IsNested reports whether the sender flagged the payload as a nested
// attribute chain. Many kernel families nest without setting the flag, so
// its absence proves nothing.
func (a Attr) IsNested() bool { return a.Type&unix.NLA_F_NESTED != 0 }

// IsNetByteOrder reports whether the sender flagged the payload as being in
// network byte order.
func (a Attr) IsNetByteOrder() bool { return a.Type&unix.NLA_F_NET_BYTEORDER != 0 }

// ErrLength is matched, through errors.Is, by every [*LengthError].
var ErrLength = errors.New("nla: attribute payload has the wrong length")

// LengthError reports an attribute whose payload length does not fit the
// accessor it was read with.
type LengthError struct {
	Type uint16 // attribute type, flags removed
	Want string // the length or lengths the accessor accepts, such as "4" or "4 or 16"
	Got  int    // the payload length
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("nla: attribute type %d: payload is %d bytes, want %s", e.Type, e.Got, e.Want)
}

// Is makes errors.Is(err, ErrLength) true for every LengthError.
func (e *LengthError) Is(target error) bool { return target == ErrLength }

// lengthError is out of line so that the accessors stay small enough to
// inline into their callers.
func (a Attr) lengthError(want string) error {
	return &LengthError{Type: a.Kind(), Want: want, Got: len(a.Data)}
}

// Uint8 returns a 1-byte payload.
func (a Attr) Uint8() (uint8, error) {
	if len(a.Data) != 1 {
		return 0, a.lengthError("1")
	}
	return a.Data[0], nil
}

// Uint16 returns a 2-byte payload in host byte order.
func (a Attr) Uint16() (uint16, error) {
	if len(a.Data) != 2 {
		return 0, a.lengthError("2")
	}
	return native.Uint16(a.Data), nil
}

// Uint32 returns a 4-byte payload in host byte order.
func (a Attr) Uint32() (uint32, error) {
	if len(a.Data) != 4 {
		return 0, a.lengthError("4")
	}
	return native.Uint32(a.Data), nil
}

// Uint64 returns an 8-byte payload in host byte order.
func (a Attr) Uint64() (uint64, error) {
	if len(a.Data) != 8 {
		return 0, a.lengthError("8")
	}
	return native.Uint64(a.Data), nil
}

// Uint returns an unsigned payload of 1, 2, 4 or 8 bytes in host byte
// order, for attributes whose width depends on the kernel (NLA_UINT) or
// varies between families.
func (a Attr) Uint() (uint64, error) {
	switch len(a.Data) {
	case 1:
		return uint64(a.Data[0]), nil
	case 2:
		return uint64(native.Uint16(a.Data)), nil
	case 4:
		return uint64(native.Uint32(a.Data)), nil
	case 8:
		return native.Uint64(a.Data), nil
	}
	return 0, a.lengthError("1, 2, 4 or 8")
}

// Int8 returns a 1-byte signed payload.
func (a Attr) Int8() (int8, error) {
	v, err := a.Uint8()
	return int8(v), err
}

// Int16 returns a 2-byte signed payload in host byte order.
func (a Attr) Int16() (int16, error) {
	v, err := a.Uint16()
	return int16(v), err
}

// Int32 returns a 4-byte signed payload in host byte order.
func (a Attr) Int32() (int32, error) {
	v, err := a.Uint32()
	return int32(v), err
}

// Int64 returns an 8-byte signed payload in host byte order.
func (a Attr) Int64() (int64, error) {
	v, err := a.Uint64()
	return int64(v), err
}

// Uint16BE returns a 2-byte payload in network byte order, such as a port.
func (a Attr) Uint16BE() (uint16, error) {
	if len(a.Data) != 2 {
		return 0, a.lengthError("2")
	}
	return binary.BigEndian.Uint16(a.Data), nil
}

// Uint32BE returns a 4-byte payload in network byte order, such as a VXLAN
// label or an IPv6 flow label.
func (a Attr) Uint32BE() (uint32, error) {
	if len(a.Data) != 4 {
		return 0, a.lengthError("4")
	}
	return binary.BigEndian.Uint32(a.Data), nil
}

// Uint64BE returns an 8-byte payload in network byte order, such as a
// tunnel key id.
func (a Attr) Uint64BE() (uint64, error) {
	if len(a.Data) != 8 {
		return 0, a.lengthError("8")
	}
	return binary.BigEndian.Uint64(a.Data), nil
}

// ErrNotString is returned by [Attr.Text] and [Attr.TextBytes] for a
// payload that is not NUL-terminated.
var ErrNotString = errors.New("nla: string attribute is not NUL-terminated")

// TextBytes returns a NUL-terminated string payload without its
// terminator and without copying. Bytes after the first NUL are ignored,
// as the kernel's nla_strscpy ignores them.
func (a Attr) TextBytes() ([]byte, error) {
	for i, c := range a.Data {
		if c == 0 {
			return a.Data[:i:i], nil
		}
	}
	return nil, ErrNotString
}

// Text returns a NUL-terminated string payload as a string (which copies
// it). See [Attr.TextBytes] for the rules.
func (a Attr) Text() (string, error) {
	b, err := a.TextBytes()
	return string(b), err
}

// Addr returns a 4- or 16-byte payload as an IPv4 or IPv6 address. A
// 16-byte IPv4-mapped address stays an IPv6 address, as the kernel sent it.
func (a Attr) Addr() (netip.Addr, error) {
	switch len(a.Data) {
	case 4:
		return netip.AddrFrom4([4]byte(a.Data)), nil
	case 16:
		return netip.AddrFrom16([16]byte(a.Data)), nil
	}
	return netip.Addr{}, a.lengthError("4 or 16")
}

// HardwareAddr returns a link-layer address payload (IFLA_ADDRESS,
// NDA_LLADDR, ...) without copying. Netlink carries addresses of any
// length, from 0 bytes (a tunnel without one) up, so only the upper bound
// of MAX_ADDR_LEN (32) is checked.
func (a Attr) HardwareAddr() ([]byte, error) {
	if len(a.Data) > 32 {
		return nil, a.lengthError("at most 32")
	}
	return a.Data, nil
}

// Nested returns the payload as an attribute chain.
func (a Attr) Nested() Chain { return Chain(a.Data) }
