package ipnet

import (
	"net/netip"
	"strings"
	"unique"
)

// Addr6 is an IPv6 address with an optional scope id (RFC 4007 zone, such as
// the "eth0" of fe80::1%eth0): Python's IPv6Address. It is a value type
// compared with ==, which like Python's == takes the scope id into account.
// The scope id is an interned handle, so an address without one holds only
// its 128 bits and a nil handle. The zero value is ::.
type Addr6 struct {
	u Uint128
	z unique.Handle[string]
}

var noZone unique.Handle[string]

func makeZone(s string) unique.Handle[string] {
	if s == "" {
		return noZone
	}
	return unique.Make(s)
}

// Addr6From returns the IPv6 address with integer value u (Python's
// IPv6Address(int)).
func Addr6From(u Uint128) Addr6 { return Addr6{u: u} }

// Addr6FromBytes returns the IPv6 address with the 16 packed bytes b in
// network order (Python's IPv6Address(bytes)). Any other length is an
// *AddressError.
func Addr6FromBytes(b []byte) (Addr6, error) {
	if len(b) != 16 {
		return Addr6{}, addrErr(pyBytesRepr(b), " (len ", itoa(len(b)), " != 16) is not permitted as an IPv6 address")
	}
	return Addr6{u: Uint128{be64(b[:8]), be64(b[8:])}}, nil
}

// Addr6FromNetip returns a, zone included, as an Addr6. It reports false
// unless a is an IPv6 address (IPv4-mapped ones included).
func Addr6FromNetip(a netip.Addr) (Addr6, bool) {
	if !a.Is6() {
		return Addr6{}, false
	}
	b := a.As16()
	return Addr6{u: Uint128{be64(b[:8]), be64(b[8:])}, z: makeZone(a.Zone())}, true
}

// ParseAddr6 parses an IPv6 address exactly as Python's IPv6Address(str)
// does: RFC 4291 text with at most one "::", hextets of at most four hex
// digits, an optional dotted-quad IPv4 tail (::ffff:192.0.2.1) and an
// optional non-empty %scope_id suffix. Failures are *AddressError with
// Python's message.
func ParseAddr6(s string) (Addr6, error) {
	if a, ok := parseAddr6Ok(s); ok {
		return a, nil
	}
	return Addr6{}, orInvalid(addr6Error(s), s)
}

// parseAddr6Ok accepts exactly the strings ParseAddr6 accepts, without
// producing an error.
func parseAddr6Ok(s string) (Addr6, bool) {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		u, ok := parseAddr6Fast(s) // the common case: no scope id
		return Addr6{u: u}, ok
	}
	zone := s[i+1:]
	if zone == "" || strings.IndexByte(zone, '%') >= 0 || strings.IndexByte(zone, '/') >= 0 {
		return Addr6{}, false
	}
	u, ok := parseAddr6Fast(s[:i])
	if !ok {
		return Addr6{}, false
	}
	return Addr6{u: u, z: unique.Make(zone)}, true
}

// MustParseAddr6 is ParseAddr6 for constants known to be valid; it panics
// on error.
func MustParseAddr6(s string) Addr6 { return must(ParseAddr6(s)) }

// parseAddr6Fast accepts exactly the strings (without scope id) that
// Python's _BaseV6._ip_int_from_string accepts, without producing an error
// message.
func parseAddr6Fast(s string) (Uint128, bool) {
	var h [8]uint16
	n, ellipsis, i := 0, -1, 0
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis, i = 0, 2
		if len(s) == 2 {
			return Uint128{}, true
		}
	}
	for n < 8 {
		off, val := i, uint32(0)
	scan:
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= '0' && c <= '9':
				val = val<<4 | uint32(c-'0')
			case c >= 'a' && c <= 'f':
				val = val<<4 | uint32(c-'a'+10)
			case c >= 'A' && c <= 'F':
				val = val<<4 | uint32(c-'A'+10)
			default:
				break scan
			}
		}
		if i < len(s) && s[i] == '.' {
			// A dotted-quad tail: the hex digits scanned so far start it.
			if n > 6 {
				return Uint128{}, false
			}
			v4, ok := parseAddr4Fast(s[off:])
			if !ok {
				return Uint128{}, false
			}
			h[n], h[n+1] = uint16(v4>>16), uint16(v4)
			n += 2
			i = len(s)
			break
		}
		if i == off || i-off > 4 {
			return Uint128{}, false
		}
		h[n] = uint16(val)
		n++
		if i == len(s) {
			break
		}
		if s[i] != ':' {
			return Uint128{}, false
		}
		i++
		if i == len(s) {
			return Uint128{}, false // a single trailing ':'
		}
		if s[i] == ':' {
			if ellipsis >= 0 {
				return Uint128{}, false
			}
			ellipsis = n
			i++
			if i == len(s) {
				break
			}
		}
	}
	if i != len(s) {
		return Uint128{}, false
	}
	if ellipsis < 0 {
		if n != 8 {
			return Uint128{}, false
		}
	} else {
		if n == 8 {
			return Uint128{}, false // "::" must stand for at least one hextet
		}
		skip := 8 - n
		copy(h[ellipsis+skip:], h[ellipsis:n])
		clear(h[ellipsis : ellipsis+skip])
	}
	return Uint128{
		uint64(h[0])<<48 | uint64(h[1])<<32 | uint64(h[2])<<16 | uint64(h[3]),
		uint64(h[4])<<48 | uint64(h[5])<<32 | uint64(h[6])<<16 | uint64(h[7]),
	}, true
}

// addr6Error retraces Python's IPv6Address(str) to produce the
// AddressValueError it raises for s, or nil if Python accepts s.
func addr6Error(s string) error {
	if strings.IndexByte(s, '/') >= 0 {
		return addrErr("Unexpected '/' in ", pyRepr(s))
	}
	addr, scope, zoned := strings.Cut(s, "%")
	if zoned && (scope == "" || strings.IndexByte(scope, '%') >= 0) {
		return addrErr(`Invalid IPv6 address: "`, pyRepr(s), `"`)
	}
	return ipInt6Error(addr)
}

// ipInt6Error retraces Python's _BaseV6._ip_int_from_string; it returns nil
// if Python accepts s.
func ipInt6Error(s string) error {
	if s == "" {
		return addrErr("Address cannot be empty")
	}
	if n := runeLen(s); n > 45 {
		short := s
		if n > 100 {
			r := []rune(s)
			short = string(r[:45]) + "(" + itoa(n-90) + " chars elided)" + string(r[n-45:])
		}
		return addrErr("At most 45 characters expected in ", pyRepr(short))
	}
	const maxParts = 9
	parts := strings.SplitN(s, ":", maxParts+1)
	if len(parts) < 3 {
		return addrErr("At least 3 parts expected in ", pyRepr(s))
	}
	if last := parts[len(parts)-1]; strings.IndexByte(last, '.') >= 0 {
		if _, err := ParseAddr4(last); err != nil {
			return addrErr(err.Error(), " in ", pyRepr(s))
		}
		// Python replaces the tail by its two hextets; any valid ones do here.
		parts = append(parts[:len(parts)-1], "0", "0")
	}
	if len(parts) > maxParts {
		return addrErr("At most 8 colons permitted in ", pyRepr(s))
	}
	skip := -1
	for i := 1; i < len(parts)-1; i++ {
		if parts[i] == "" {
			if skip >= 0 {
				return addrErr("At most one '::' permitted in ", pyRepr(s))
			}
			skip = i
		}
	}
	var hi, lo int
	if skip >= 0 {
		hi, lo = skip, len(parts)-skip-1
		if parts[0] == "" {
			if hi--; hi != 0 {
				return addrErr("Leading ':' only permitted as part of '::' in ", pyRepr(s))
			}
		}
		if parts[len(parts)-1] == "" {
			if lo--; lo != 0 {
				return addrErr("Trailing ':' only permitted as part of '::' in ", pyRepr(s))
			}
		}
		if 8-(hi+lo) < 1 {
			return addrErr("Expected at most 7 other parts with '::' in ", pyRepr(s))
		}
	} else {
		if len(parts) != 8 {
			return addrErr("Exactly 8 parts expected without '::' in ", pyRepr(s))
		}
		if parts[0] == "" {
			return addrErr("Leading ':' only permitted as part of '::' in ", pyRepr(s))
		}
		if parts[len(parts)-1] == "" {
			return addrErr("Trailing ':' only permitted as part of '::' in ", pyRepr(s))
		}
		hi, lo = len(parts), 0
	}
	for _, p := range append(parts[:hi:hi], parts[len(parts)-lo:]...) {
		if msg := hextetError(p); msg != "" {
			return addrErr(msg, " in ", pyRepr(s))
		}
	}
	return nil
}

// hextetError is Python's _BaseV6._parse_hextet: the reason p is not a
// hextet, or "" if it is one.
func hextetError(p string) string {
	for i := 0; i < len(p); i++ {
		if c := p[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "Only hex digits permitted in " + pyRepr(p)
		}
	}
	if len(p) > 4 {
		return "At most 4 characters permitted in " + pyRepr(p)
	}
	if p == "" {
		return "invalid literal for int() with base 16: ''"
	}
	return ""
}

// Uint128 returns the integer value of a (Python's int(a)).
func (a Addr6) Uint128() Uint128 { return a.u }

// As16 returns the 16 bytes of a in network order (Python's packed).
func (a Addr6) As16() [16]byte {
	var b [16]byte
	put64(b[:8], a.u.Hi)
	put64(b[8:], a.u.Lo)
	return b
}

// Packed returns the 16 bytes of a in network order in a new slice
// (Python's packed).
func (a Addr6) Packed() []byte {
	b := a.As16()
	return b[:]
}

// Netip returns a, zone included, as a netip.Addr.
func (a Addr6) Netip() netip.Addr {
	n := netip.AddrFrom16(a.As16())
	if a.z != noZone {
		n = n.WithZone(a.z.Value())
	}
	return n
}

// Version returns 6.
func (Addr6) Version() int { return 6 }

// MaxPrefixLen returns 128.
func (Addr6) MaxPrefixLen() int { return 128 }

// ScopeID returns the scope id (zone) of a, or "" if it has none (Python's
// scope_id, which is None then).
func (a Addr6) ScopeID() string {
	if a.z == noZone {
		return ""
	}
	return a.z.Value()
}

// WithScopeID returns a with scope id zone; "" removes it.
func (a Addr6) WithScopeID(zone string) Addr6 {
	a.z = makeZone(zone)
	return a
}

// WithoutScopeID returns a without its scope id.
func (a Addr6) WithoutScopeID() Addr6 { return Addr6{u: a.u} }

// IPv4Mapped returns the IPv4 address embedded in an IPv4-mapped address
// (::ffff:0:0/96), and false for any other address (Python's ipv4_mapped,
// which is None then).
func (a Addr6) IPv4Mapped() (Addr4, bool) {
	if a.u.Hi != 0 || a.u.Lo>>32 != 0xffff {
		return Addr4{}, false
	}
	return Addr4{uint32(a.u.Lo)}, true
}

// SixToFour returns the IPv4 address embedded in a 6to4 address (2002::/16),
// and false for any other address (Python's sixtofour).
func (a Addr6) SixToFour() (Addr4, bool) {
	if a.u.Hi>>48 != 0x2002 {
		return Addr4{}, false
	}
	return Addr4{uint32(a.u.Hi >> 16)}, true
}

// Teredo returns the server and client IPv4 addresses embedded in a Teredo
// address (2001::/32), and false for any other address (Python's teredo).
func (a Addr6) Teredo() (server, client Addr4, ok bool) {
	if a.u.Hi>>32 != 0x20010000 {
		return Addr4{}, Addr4{}, false
	}
	return Addr4{uint32(a.u.Hi)}, Addr4{^uint32(a.u.Lo)}, true
}

// String returns the compressed form of a (Python's str(a)): the longest
// run of two or more zero hextets, the first of equal runs, becomes "::";
// an IPv4-mapped address ends in dotted-quad form (::ffff:192.0.2.1); the
// scope id, if any, follows a '%'.
func (a Addr6) String() string {
	var buf [46]byte
	return string(a.AppendTo(buf[:0]))
}

// AppendTo appends String's form of a to b.
func (a Addr6) AppendTo(b []byte) []byte {
	if v4, ok := a.IPv4Mapped(); ok {
		b = append(b, "::ffff:"...)
		b = v4.AppendTo(b)
	} else {
		b = appendCompressed6(b, a.u)
	}
	return a.appendZone(b)
}

func (a Addr6) appendZone(b []byte) []byte {
	if a.z != noZone {
		b = append(b, '%')
		b = append(b, a.z.Value()...)
	}
	return b
}

// appendCompressed6 appends u in Python's compressed hextet form, without
// the IPv4-mapped special case.
func appendCompressed6(b []byte, u Uint128) []byte {
	var h [8]uint16
	for i := 0; i < 4; i++ {
		h[i] = uint16(u.Hi >> uint(48-16*i))
		h[4+i] = uint16(u.Lo >> uint(48-16*i))
	}
	bestStart, bestLen := -1, 0
	for i := 0; i < 8; {
		if h[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && h[j] == 0 {
			j++
		}
		if j-i > bestLen {
			bestStart, bestLen = i, j-i
		}
		i = j
	}
	if bestLen < 2 {
		bestStart = -1
	}
	for i := 0; i < 8; i++ {
		if i == bestStart {
			b = append(b, ':', ':')
			i += bestLen - 1
			continue
		}
		if i > 0 && i != bestStart+bestLen {
			b = append(b, ':')
		}
		b = appendHex16(b, h[i])
	}
	return b
}

func appendHex16(b []byte, v uint16) []byte {
	switch {
	case v >= 0x1000:
		return append(b, hexDigits[v>>12], hexDigits[v>>8&0xf], hexDigits[v>>4&0xf], hexDigits[v&0xf])
	case v >= 0x100:
		return append(b, hexDigits[v>>8], hexDigits[v>>4&0xf], hexDigits[v&0xf])
	case v >= 0x10:
		return append(b, hexDigits[v>>4], hexDigits[v&0xf])
	}
	return append(b, hexDigits[v])
}

// appendExploded6 appends all 32 hex digits of u in colon-separated groups.
func appendExploded6(b []byte, u Uint128) []byte {
	for i := 0; i < 8; i++ {
		if i > 0 {
			b = append(b, ':')
		}
		w := u.Hi
		if i >= 4 {
			w = u.Lo
		}
		v := uint16(w >> uint(48-16*(i%4)))
		b = append(b, hexDigits[v>>12], hexDigits[v>>8&0xf], hexDigits[v>>4&0xf], hexDigits[v&0xf])
	}
	return b
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (a Addr6) MarshalText() ([]byte, error) { return a.AppendTo(make([]byte, 0, 46)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseAddr6.
func (a *Addr6) UnmarshalText(text []byte) error { return unmarshalText(a, text, ParseAddr6) }

// Compressed returns String().
func (a Addr6) Compressed() string { return a.String() }

// Exploded returns the long form of a: eight groups of four hex digits, the
// last two as dotted quad for an IPv4-mapped address
// (0000:0000:0000:0000:0000:ffff:192.0.2.1), then %scope_id if any.
func (a Addr6) Exploded() string {
	b := make([]byte, 0, 48)
	if v4, ok := a.IPv4Mapped(); ok {
		b = append(b, "0000:0000:0000:0000:0000:ffff:"...)
		b = v4.AppendTo(b)
	} else {
		b = appendExploded6(b, a.u)
	}
	return string(a.appendZone(b))
}

// ReversePointer returns the ip6.arpa reverse DNS name of a: its 32 nibbles
// in reverse order. The scope id is not part of the name.
func (a Addr6) ReversePointer() string {
	return string(appendNibbles(make([]byte, 0, 72), a.u))
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b.
// Addresses are ordered by value, as in Python: addresses that differ only
// in scope id compare 0 although they are not ==.
func (a Addr6) Compare(b Addr6) int { return a.u.Cmp(b.u) }

// Less reports whether a sorts before b in Compare's order.
func (a Addr6) Less(b Addr6) bool { return a.u.Less(b.u) }

// Add returns a+n without scope id (Python's a + n). A result outside
// :: .. ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff is an *AddressError.
func (a Addr6) Add(n int64) (Addr6, error) {
	if n < 0 {
		return a.offset(true, Uint128{Lo: uint64(-(n + 1)) + 1})
	}
	return a.offset(false, Uint128{Lo: uint64(n)})
}

// Sub returns a-n without scope id (Python's a - n). A result outside
// :: .. ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff is an *AddressError.
func (a Addr6) Sub(n int64) (Addr6, error) {
	if n < 0 {
		return a.offset(false, Uint128{Lo: uint64(-(n + 1)) + 1})
	}
	return a.offset(true, Uint128{Lo: uint64(n)})
}

// AddUint128 returns a+n without scope id; see Add.
func (a Addr6) AddUint128(n Uint128) (Addr6, error) { return a.offset(false, n) }

// SubUint128 returns a-n without scope id; see Sub.
func (a Addr6) SubUint128(n Uint128) (Addr6, error) { return a.offset(true, n) }

func (a Addr6) offset(neg bool, m Uint128) (Addr6, error) {
	if neg {
		d, borrow := a.u.Sub(m)
		if borrow {
			over, _ := m.Sub(a.u)
			return Addr6{}, addrErr("-", string(appendDecimal(nil, false, over)), " (< 0) is not permitted as an IPv6 address")
		}
		return Addr6{u: d}, nil
	}
	s, carry := a.u.Add(m)
	if carry {
		return Addr6{}, addrErr(string(appendDecimal(nil, true, s)), " (>= 2**128) is not permitted as an IPv6 address")
	}
	return Addr6{u: s}, nil
}

// MixedKey returns a's key in the total order of Python's
// get_mixed_type_key.
func (a Addr6) MixedKey() MixedKey {
	return MixedKey{Version: 6, Addr: a.u}
}

func be64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
}

func put64(b []byte, v uint64) {
	_ = b[7]
	b[0], b[1], b[2], b[3] = byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32)
	b[4], b[5], b[6], b[7] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}
