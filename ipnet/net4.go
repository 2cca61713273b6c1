package ipnet

import (
	"iter"
	"net/netip"
	"strings"
)

// Net4 is an IPv4 network: Python's IPv4Network. It holds the network
// address, with no host bits set, and the prefix length; netmask, hostmask
// and broadcast address are derived in O(1). It is an 8-byte value type
// compared with ==. The zero value is 0.0.0.0/0.
type Net4 struct {
	ip   uint32
	bits uint8
}

// ParseNet4 parses an IPv4 network as Python's IPv4Network(s, strict)
// does. s is an address optionally followed by '/' and a prefix length
// (decimal digits, leading zeros allowed: "/024"), a netmask
// ("/255.255.255.0") or a hostmask ("/0.0.0.255"); without a mask it is a
// /32. With strict, an address with host bits set is a *ValueError;
// without, the host bits are cleared. A bad address is an *AddressError, a
// bad mask a *NetmaskError.
func ParseNet4(s string, strict bool) (Net4, error) {
	v, bits, err := parsePrefix4(s)
	if err != nil {
		return Net4{}, err
	}
	return newNet4(v, bits, strict)
}

// MustParseNet4 is ParseNet4(s, true) for constants known to be valid; it
// panics on error.
func MustParseNet4(s string) Net4 { return must(ParseNet4(s, true)) }

// NewNet4 returns the network a/prefixLen (Python's IPv4Network((a,
// prefixLen), strict)). A prefix length outside 0..32 is a *NetmaskError;
// host bits set with strict are a *ValueError.
func NewNet4(a Addr4, prefixLen int, strict bool) (Net4, error) {
	if prefixLen < 0 || prefixLen > 32 {
		return Net4{}, netmaskErr(itoa(prefixLen), " is not a valid netmask")
	}
	return newNet4(a.v, uint8(prefixLen), strict)
}

// Net4FromNetip returns p as a Net4; see NewNet4 for strict. An invalid or
// IPv6 p is an *AddressError.
func Net4FromNetip(p netip.Prefix, strict bool) (Net4, error) {
	a, ok := Addr4FromNetip(p.Addr())
	if !ok || !p.IsValid() {
		return Net4{}, addrErr(pyRepr(p.String()), " is not an IPv4 prefix")
	}
	return newNet4(a.v, uint8(p.Bits()), strict)
}

func newNet4(v uint32, bits uint8, strict bool) (Net4, error) {
	if m := mask4(int(bits)); v&m != v {
		if strict {
			return Net4{}, hostBitsError(Addr4{v}.String, bits)
		}
		v &= m
	}
	return Net4{v, bits}, nil
}

// parsePrefix4 splits s into address and prefix length as Python's
// IPv4Network and IPv4Interface constructors do.
func parsePrefix4(s string) (uint32, uint8, error) {
	if v, bits, ok := parsePrefix4Fast(s); ok {
		return v, bits, nil
	}
	return 0, 0, prefix4Error(s)
}

// parsePrefix4Fast accepts exactly the strings parsePrefix4 accepts,
// without producing an error.
func parsePrefix4Fast(s string) (uint32, uint8, bool) {
	return parsePrefix4Parts(cutSlash(s))
}

func parsePrefix4Parts(addr, mask string, hasMask bool) (uint32, uint8, bool) {
	v, ok := parseAddr4Fast(addr)
	if !ok {
		return 0, 0, false
	}
	if !hasMask {
		return v, 32, true
	}
	if bits, ok := parsePrefixLen(mask, 32); ok {
		return v, bits, true
	}
	bits, ok := prefixFromMaskString4(mask)
	return v, bits, ok
}

// prefixFromMaskString4 is Python's _prefix_from_ip_string: a dotted-quad
// netmask (ones then zeros) or, failing that, hostmask (zeros then ones).
// 0.0.0.0 and 255.255.255.255 are netmasks.
func prefixFromMaskString4(mask string) (uint8, bool) {
	m, ok := parseAddr4Fast(mask)
	if !ok {
		return 0, false
	}
	if bits, ok := prefixFromMask4(m); ok {
		return bits, true
	}
	return prefixFromMask4(^m)
}

// prefix4Error retraces Python to find why parsePrefix4Fast rejected s.
func prefix4Error(s string) error {
	addr, mask, hasMask := cutSlash(s)
	if hasMask && strings.IndexByte(mask, '/') >= 0 {
		return addrErr("Only one '/' permitted in ", pyRepr(s))
	}
	if _, ok := parseAddr4Fast(addr); !ok {
		return orInvalid(addr4Error(addr), s)
	}
	return netmaskErr(pyRepr(mask), " is not a valid netmask")
}

// cutSlash is strings.Cut(s, "/") on the fast IndexByte path.
func cutSlash(s string) (before, after string, found bool) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// parsePrefixLen is Python's _prefix_from_prefix_string: one or more ASCII
// digits with a value in 0..max.
func parsePrefixLen(s string, max int) (uint8, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n = n*10 + int(c-'0'); n > max {
			return 0, false
		}
	}
	return uint8(n), true
}

// prefixFromMask4 returns the prefix length of the netmask m (ones then
// zeros), as Python's _prefix_from_ip_int does.
func prefixFromMask4(m uint32) (uint8, bool) {
	bits := 32 - trailingZeros32(m)
	return uint8(bits), m == mask4(bits)
}

func trailingZeros32(v uint32) int {
	if v == 0 {
		return 32
	}
	n := 0
	for v&1 == 0 {
		v >>= 1
		n++
	}
	return n
}

// NetworkAddress returns the first address of n (Python's network_address).
func (n Net4) NetworkAddress() Addr4 { return Addr4{n.ip} }

// BroadcastAddress returns the last address of n (Python's
// broadcast_address).
func (n Net4) BroadcastAddress() Addr4 { return Addr4{n.ip | ^mask4(int(n.bits))} }

// Netmask returns the netmask of n, such as 255.255.255.0 for a /24.
func (n Net4) Netmask() Addr4 { return Addr4{mask4(int(n.bits))} }

// Hostmask returns the hostmask of n, such as 0.0.0.255 for a /24.
func (n Net4) Hostmask() Addr4 { return Addr4{^mask4(int(n.bits))} }

// PrefixLen returns the prefix length of n.
func (n Net4) PrefixLen() int { return int(n.bits) }

// NumAddresses returns the number of addresses in n, 2**32 for 0.0.0.0/0.
func (n Net4) NumAddresses() uint64 { return 1 << (32 - n.bits) }

// Version returns 4.
func (Net4) Version() int { return 4 }

// MaxPrefixLen returns 32.
func (Net4) MaxPrefixLen() int { return 32 }

// Netip returns n as a netip.Prefix.
func (n Net4) Netip() netip.Prefix {
	return netip.PrefixFrom(Addr4{n.ip}.Netip(), int(n.bits))
}

// String returns n as "network/prefixlen" (Python's str(n)).
func (n Net4) String() string {
	var buf [18]byte
	return string(n.AppendTo(buf[:0]))
}

// AppendTo appends String's form of n to b.
func (n Net4) AppendTo(b []byte) []byte {
	b = Addr4{n.ip}.AppendTo(b)
	b = append(b, '/')
	return appendUint(b, uint64(n.bits))
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (n Net4) MarshalText() ([]byte, error) { return n.AppendTo(make([]byte, 0, 18)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with strict ParseNet4.
func (n *Net4) UnmarshalText(text []byte) error {
	return unmarshalText(n, text, func(s string) (Net4, error) { return ParseNet4(s, true) })
}

// WithPrefixLen returns String().
func (n Net4) WithPrefixLen() string { return n.String() }

// WithNetmask returns n as "network/netmask", such as
// "192.0.2.0/255.255.255.0".
func (n Net4) WithNetmask() string {
	return string(n.Netmask().AppendTo(append(Addr4{n.ip}.AppendTo(nil), '/')))
}

// WithHostmask returns n as "network/hostmask", such as
// "192.0.2.0/0.0.0.255".
func (n Net4) WithHostmask() string {
	return string(n.Hostmask().AppendTo(append(Addr4{n.ip}.AppendTo(nil), '/')))
}

// Compressed returns String().
func (n Net4) Compressed() string { return n.String() }

// Exploded returns String().
func (n Net4) Exploded() string { return n.String() }

// Contains reports whether a is in n (Python's a in n).
func (n Net4) Contains(a Addr4) bool { return a.v&mask4(int(n.bits)) == n.ip }

// Overlaps reports whether n and o have an address in common.
func (n Net4) Overlaps(o Net4) bool {
	return n.Contains(Addr4{o.ip}) || o.Contains(Addr4{n.ip})
}

// SubnetOf reports whether n lies entirely within o.
func (n Net4) SubnetOf(o Net4) bool { return n.bits >= o.bits && o.Contains(Addr4{n.ip}) }

// SupernetOf reports whether o lies entirely within n.
func (n Net4) SupernetOf(o Net4) bool { return o.SubnetOf(n) }

// Compare orders networks by network address, then by netmask, so that a
// network sorts before its subnets that share its first address (Python's
// compare_networks and <).
func (n Net4) Compare(o Net4) int {
	switch {
	case n.ip < o.ip:
		return -1
	case n.ip > o.ip:
		return 1
	case n.bits < o.bits:
		return -1
	case n.bits > o.bits:
		return 1
	}
	return 0
}

// CompareNetworks is Compare, under Python's name.
func (n Net4) CompareNetworks(o Net4) int { return n.Compare(o) }

// Less reports whether n sorts before o in Compare's order.
func (n Net4) Less(o Net4) bool { return n.Compare(o) < 0 }

// At returns the i-th address of n, counting from the end when i is
// negative: -1 is the broadcast address (Python's n[i]). An index outside n
// is an *IndexError.
func (n Net4) At(i int64) (Addr4, error) {
	first, last := uint64(n.ip), uint64(n.BroadcastAddress().v)
	if i >= 0 {
		if uint64(i) > last-first {
			return Addr4{}, errIndexRange
		}
		return Addr4{uint32(first + uint64(i))}, nil
	}
	back := uint64(-(i + 1)) // 0 for -1
	if back > last-first {
		return Addr4{}, errIndexRange
	}
	return Addr4{uint32(last - back)}, nil
}

// All returns an iterator over every address of n, in order (Python's
// iter(n)).
func (n Net4) All() iter.Seq[Addr4] {
	return rangeSeq4(n.ip, n.BroadcastAddress().v)
}

// Hosts returns an iterator over the usable host addresses of n (Python's
// hosts()): all but the network and broadcast addresses, except that a /31
// yields both its addresses and a /32 its single address.
func (n Net4) Hosts() iter.Seq[Addr4] {
	first, last := n.ip, n.BroadcastAddress().v
	if n.bits < 31 {
		first, last = first+1, last-1
	}
	return rangeSeq4(first, last)
}

func rangeSeq4(first, last uint32) iter.Seq[Addr4] {
	return func(yield func(Addr4) bool) {
		for v := first; ; v++ {
			if !yield(Addr4{v}) || v == last {
				return
			}
		}
	}
}

// Subnets returns an iterator over the subnets of n whose prefix is
// prefixLenDiff bits longer (Python's subnets(prefixlen_diff)); a /32
// yields itself. A negative diff or one past /32 is a *ValueError.
func (n Net4) Subnets(prefixLenDiff int) (iter.Seq[Net4], error) {
	if n.bits == 32 {
		return single(n), nil
	}
	if prefixLenDiff < 0 {
		return nil, valueErr("prefix length diff must be > 0")
	}
	if prefixLenDiff > 32-int(n.bits) {
		return nil, valueErr("prefix length diff ", string(appendUint(nil, uint64(n.bits)+uint64(prefixLenDiff))),
			" is invalid for netblock ", n.String())
	}
	return n.subnets(uint8(prefixLenDiff)), nil
}

// SubnetsTo returns an iterator over the subnets of n with prefix length
// newPrefix (Python's subnets(new_prefix=newPrefix)); a /32 yields itself.
func (n Net4) SubnetsTo(newPrefix int) (iter.Seq[Net4], error) {
	if n.bits == 32 {
		return single(n), nil
	}
	if newPrefix < int(n.bits) {
		return nil, valueErr("new prefix must be longer")
	}
	if newPrefix > 32 {
		return nil, valueErr("prefix length diff ", itoa(newPrefix), " is invalid for netblock ", n.String())
	}
	return n.subnets(uint8(newPrefix) - n.bits), nil
}

func (n Net4) subnets(diff uint8) iter.Seq[Net4] {
	bits := n.bits + diff
	step := uint64(1) << (32 - bits)
	end := uint64(n.ip) + n.NumAddresses()
	return func(yield func(Net4) bool) {
		for v := uint64(n.ip); v < end; v += step {
			if !yield(Net4{uint32(v), bits}) {
				return
			}
		}
	}
}

// Supernet returns the network containing n whose prefix is prefixLenDiff
// bits shorter (Python's supernet(prefixlen_diff)); 0.0.0.0/0 returns
// itself. Going past /0 or a negative diff is a *ValueError.
func (n Net4) Supernet(prefixLenDiff int) (Net4, error) {
	if n.bits == 0 {
		return n, nil
	}
	if prefixLenDiff > int(n.bits) {
		return Net4{}, valueErr("current prefixlen is ", itoa(int(n.bits)), ", cannot have a prefixlen_diff of ", itoa(prefixLenDiff))
	}
	if prefixLenDiff < 0 {
		return Net4{}, valueErr("negative shift count")
	}
	bits := n.bits - uint8(prefixLenDiff)
	return Net4{n.ip & mask4(int(bits)), bits}, nil
}

// SupernetTo returns the network containing n with prefix length newPrefix
// (Python's supernet(new_prefix=newPrefix)); 0.0.0.0/0 returns itself.
func (n Net4) SupernetTo(newPrefix int) (Net4, error) {
	if n.bits == 0 {
		return n, nil
	}
	if newPrefix > int(n.bits) {
		return Net4{}, valueErr("new prefix must be shorter")
	}
	if newPrefix < 0 {
		return Net4{}, valueErr("current prefixlen is ", itoa(int(n.bits)), ", cannot have a prefixlen_diff of ",
			string(appendUint(nil, uint64(n.bits)+uint64(-(newPrefix+1))+1)))
	}
	return Net4{n.ip & mask4(newPrefix), uint8(newPrefix)}, nil
}

// AddressExclude returns an iterator over the networks that remain when o
// is removed from n, in Python's order: from the half of n not holding o
// down to o's sibling (Python's address_exclude). o must lie within n,
// else it is a *ValueError.
func (n Net4) AddressExclude(o Net4) (iter.Seq[Net4], error) {
	if !o.SubnetOf(n) {
		return nil, valueErr(o.String(), " not contained in ", n.String())
	}
	return func(yield func(Net4) bool) {
		for bits := n.bits + 1; bits <= o.bits; bits++ {
			// The prefix of o at this length, with its last bit flipped.
			sibling := (o.ip & mask4(int(bits))) ^ (1 << (32 - bits))
			if !yield(Net4{sibling, bits}) {
				return
			}
		}
	}, nil
}

// IsPrivate reports whether both the network and broadcast addresses of n
// lie in one not-globally-reachable block and neither in its exceptions.
func (n Net4) IsPrivate() bool {
	first, last := n.ip, n.BroadcastAddress().v
	for _, b := range privateExceptions4 {
		if b.contains(first) || b.contains(last) {
			return false
		}
	}
	for _, b := range private4 {
		if b.contains(first) && b.contains(last) {
			return true
		}
	}
	return false
}

// IsGlobal reports whether n is neither private nor inside 100.64.0.0/10.
func (n Net4) IsGlobal() bool {
	return !(shared4.contains(n.ip) && shared4.contains(n.BroadcastAddress().v)) && !n.IsPrivate()
}

// IsMulticast reports whether all of n is multicast.
func (n Net4) IsMulticast() bool {
	return n.NetworkAddress().IsMulticast() && n.BroadcastAddress().IsMulticast()
}

// IsReserved reports whether all of n is IETF reserved.
func (n Net4) IsReserved() bool {
	return n.NetworkAddress().IsReserved() && n.BroadcastAddress().IsReserved()
}

// IsLoopback reports whether all of n is loopback.
func (n Net4) IsLoopback() bool {
	return n.NetworkAddress().IsLoopback() && n.BroadcastAddress().IsLoopback()
}

// IsLinkLocal reports whether all of n is link-local.
func (n Net4) IsLinkLocal() bool {
	return n.NetworkAddress().IsLinkLocal() && n.BroadcastAddress().IsLinkLocal()
}

// IsUnspecified reports whether n is 0.0.0.0/32.
func (n Net4) IsUnspecified() bool {
	return n.NetworkAddress().IsUnspecified() && n.BroadcastAddress().IsUnspecified()
}

// MixedKey returns n's key in the total order of Python's
// get_mixed_type_key.
func (n Net4) MixedKey() MixedKey {
	return MixedKey{Version: 4, Addr: Uint128{Lo: uint64(n.ip)}, IsNetwork: true, PrefixLen: n.bits}
}

func single[T any](v T) iter.Seq[T] {
	return func(yield func(T) bool) { yield(v) }
}

// ReversePointer returns Python's reverse_pointer of n: the dot-separated
// fields of String() in reverse order, then "in-addr.arpa", so that
// 192.0.2.0/24 gives "0/24.2.0.192.in-addr.arpa". The prefix length stays
// glued to the last octet; this is not a usable DNS name (RFC 2317
// delegation names vary), only Python's answer. Addr4.ReversePointer is the
// name of an address.
func (n Net4) ReversePointer() string { return reversePointer4(n.ip, n.bits) }

// reversePointer4 is Python's reverse_pointer of the network or interface
// v/bits.
func reversePointer4(v uint32, bits uint8) string {
	b := make([]byte, 0, 33)
	b = appendUint(b, uint64(v&0xff))
	b = append(b, '/')
	b = appendUint(b, uint64(bits))
	for shift := 8; shift < 32; shift += 8 {
		b = append(b, '.')
		b = appendUint(b, uint64(v>>uint(shift)&0xff))
	}
	return string(append(b, ".in-addr.arpa"...))
}
