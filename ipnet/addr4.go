package ipnet

import (
	"cmp"
	"net/netip"
	"strings"
)

// Addr4 is an IPv4 address: Python's IPv4Address. It is a 4-byte value type
// compared with ==; the zero value is 0.0.0.0.
type Addr4 struct {
	v uint32
}

// Addr4From returns the IPv4 address with integer value v (Python's
// IPv4Address(int)).
func Addr4From(v uint32) Addr4 { return Addr4{v} }

// Addr4FromBytes returns the IPv4 address with the 4 packed bytes b in
// network order (Python's IPv4Address(bytes)). Any other length is an
// *AddressError.
func Addr4FromBytes(b []byte) (Addr4, error) {
	if len(b) != 4 {
		return Addr4{}, addrErr(pyBytesRepr(b), " (len ", itoa(len(b)), " != 4) is not permitted as an IPv4 address")
	}
	return Addr4{be32(b)}, nil
}

// Addr4FromNetip returns a as an Addr4. It reports false unless a is an
// IPv4 address; IPv4-mapped IPv6 addresses are IPv6 here as in Python (use
// Addr6.IPv4Mapped to unmap them).
func Addr4FromNetip(a netip.Addr) (Addr4, bool) {
	if !a.Is4() {
		return Addr4{}, false
	}
	return Addr4{be32(a.AsSlice())}, true
}

// ParseAddr4 parses an IPv4 address in dotted-quad form exactly as Python's
// IPv4Address(str) does: four decimal octets, no leading zeros, nothing
// else. Failures are *AddressError with Python's message.
func ParseAddr4(s string) (Addr4, error) {
	if v, ok := parseAddr4Fast(s); ok {
		return Addr4{v}, nil
	}
	if strings.IndexByte(s, '/') >= 0 {
		return Addr4{}, addrErr("Unexpected '/' in ", pyRepr(s))
	}
	return Addr4{}, orInvalid(addr4Error(s), s)
}

// MustParseAddr4 is ParseAddr4 for constants known to be valid; it panics
// on error.
func MustParseAddr4(s string) Addr4 { return must(ParseAddr4(s)) }

// parseAddr4Fast accepts exactly the strings Python's
// _BaseV4._ip_int_from_string accepts, without producing an error message.
func parseAddr4Fast(s string) (uint32, bool) {
	var ip, val uint32
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 1 && val == 0 {
				return 0, false // leading zero
			}
			val = val*10 + uint32(c-'0')
			if val > 255 {
				return 0, false
			}
			digits++
		case c == '.':
			if digits == 0 || dots == 3 {
				return 0, false
			}
			ip = ip<<8 | val
			val, digits = 0, 0
			dots++
		default:
			return 0, false
		}
	}
	if digits == 0 || dots != 3 {
		return 0, false
	}
	return ip<<8 | val, true
}

// addr4Error retraces Python's _BaseV4._ip_int_from_string step by step to
// produce the AddressValueError it raises for s, or nil if Python accepts
// s. It is only called once the fast parser has rejected s; the two are
// fuzzed against each other.
func addr4Error(s string) error {
	if s == "" {
		return addrErr("Address cannot be empty")
	}
	octets := strings.Split(s, ".")
	if len(octets) != 4 {
		return addrErr("Expected 4 octets in ", pyRepr(s))
	}
	for _, o := range octets {
		if msg := octetError(o); msg != "" {
			return addrErr(msg, " in ", pyRepr(s))
		}
	}
	return nil
}

// octetError is Python's _BaseV4._parse_octet: the reason o is not a
// decimal octet, or "" if it is one.
func octetError(o string) string {
	if o == "" {
		return "Empty octet not permitted"
	}
	for i := 0; i < len(o); i++ {
		if o[i] < '0' || o[i] > '9' {
			return "Only decimal digits permitted in " + pyRepr(o)
		}
	}
	if len(o) > 3 {
		return "At most 3 characters permitted in " + pyRepr(o)
	}
	if o != "0" && o[0] == '0' {
		return "Leading zeros are not permitted in " + pyRepr(o)
	}
	v := 0
	for i := 0; i < len(o); i++ {
		v = v*10 + int(o[i]-'0')
	}
	if v > 255 {
		return "Octet " + itoa(v) + " (> 255) not permitted"
	}
	return ""
}

// Uint32 returns the integer value of a (Python's int(a)).
func (a Addr4) Uint32() uint32 { return a.v }

// Uint128 returns the integer value of a as a Uint128.
func (a Addr4) Uint128() Uint128 { return Uint128{Lo: uint64(a.v)} }

// As4 returns the 4 bytes of a in network order (Python's packed).
func (a Addr4) As4() [4]byte {
	return [4]byte{byte(a.v >> 24), byte(a.v >> 16), byte(a.v >> 8), byte(a.v)}
}

// Packed returns the 4 bytes of a in network order in a new slice
// (Python's packed).
func (a Addr4) Packed() []byte {
	b := a.As4()
	return b[:]
}

// Netip returns a as a netip.Addr.
func (a Addr4) Netip() netip.Addr { return netip.AddrFrom4(a.As4()) }

// Version returns 4.
func (Addr4) Version() int { return 4 }

// MaxPrefixLen returns 32.
func (Addr4) MaxPrefixLen() int { return 32 }

// String returns a in dotted-quad form (Python's str(a)).
func (a Addr4) String() string {
	var buf [15]byte
	return string(a.AppendTo(buf[:0]))
}

// AppendTo appends the dotted-quad form of a to b.
func (a Addr4) AppendTo(b []byte) []byte {
	b = appendUint(b, uint64(a.v>>24))
	b = append(b, '.')
	b = appendUint(b, uint64(a.v>>16&0xff))
	b = append(b, '.')
	b = appendUint(b, uint64(a.v>>8&0xff))
	b = append(b, '.')
	return appendUint(b, uint64(a.v&0xff))
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (a Addr4) MarshalText() ([]byte, error) { return a.AppendTo(make([]byte, 0, 15)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseAddr4.
func (a *Addr4) UnmarshalText(text []byte) error { return unmarshalText(a, text, ParseAddr4) }

// Compressed returns String(); IPv4 has a single textual form.
func (a Addr4) Compressed() string { return a.String() }

// Exploded returns String(); IPv4 has a single textual form.
func (a Addr4) Exploded() string { return a.String() }

// ReversePointer returns the reverse DNS name of a, such as
// "1.2.0.192.in-addr.arpa" for 192.0.2.1.
func (a Addr4) ReversePointer() string {
	b := make([]byte, 0, 29)
	for shift := 0; shift < 32; shift += 8 {
		b = appendUint(b, uint64(a.v>>uint(shift)&0xff))
		b = append(b, '.')
	}
	return string(append(b, "in-addr.arpa"...))
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b.
func (a Addr4) Compare(b Addr4) int { return cmp.Compare(a.v, b.v) }

// Less reports whether a sorts before b.
func (a Addr4) Less(b Addr4) bool { return a.v < b.v }

// Add returns a+n (Python's a + n). A result outside 0.0.0.0 ..
// 255.255.255.255 is an *AddressError.
func (a Addr4) Add(n int64) (Addr4, error) {
	if n < 0 {
		return a.offset(true, uint64(-(n+1))+1)
	}
	return a.offset(false, uint64(n))
}

// Sub returns a-n (Python's a - n). A result outside 0.0.0.0 ..
// 255.255.255.255 is an *AddressError.
func (a Addr4) Sub(n int64) (Addr4, error) {
	if n < 0 {
		return a.offset(false, uint64(-(n+1))+1)
	}
	return a.offset(true, uint64(n))
}

// offset adds (or with neg subtracts) the magnitude m.
func (a Addr4) offset(neg bool, m uint64) (Addr4, error) {
	v := uint64(a.v)
	if neg {
		if m > v {
			return Addr4{}, addrErr("-", string(appendUint(nil, m-v)), " (< 0) is not permitted as an IPv4 address")
		}
		return Addr4{uint32(v - m)}, nil
	}
	if m > 0xffffffff-v { // v+m cannot overflow uint64: v < 2**32, m < 2**63+1
		return Addr4{}, addrErr(string(appendUint(nil, v+m)), " (>= 2**32) is not permitted as an IPv4 address")
	}
	return Addr4{uint32(v + m)}, nil
}

// IPv6Mapped returns the IPv4-mapped IPv6 address ::ffff:a (Python's
// ipv6_mapped).
func (a Addr4) IPv6Mapped() Addr6 {
	return Addr6{u: Uint128{Lo: 0xffff<<32 | uint64(a.v)}}
}

// MixedKey returns a's key in the total order of Python's
// get_mixed_type_key.
func (a Addr4) MixedKey() MixedKey {
	return MixedKey{Version: 4, Addr: a.Uint128()}
}

func be32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
