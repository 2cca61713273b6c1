package ipnet

import (
	"iter"
	"net/netip"
	"strings"
)

// Net6 is an IPv6 network: Python's IPv6Network. It holds the network
// address, with no host bits set, and the prefix length; netmask, hostmask
// and broadcast address are derived in O(1). It is a value type compared
// with ==. As in Python, the network address keeps the scope id it was
// written with ("fe80::%eth0/64") unless host bits had to be cleared; no
// other address derived from the network has one. The zero value is ::/0.
type Net6 struct {
	a    Addr6
	bits uint8
}

// ParseNet6 parses an IPv6 network as Python's IPv6Network(s, strict)
// does: an address (see ParseAddr6) optionally followed by '/' and a
// decimal prefix length; without one it is a /128. With strict, an
// address with host bits set is a *ValueError; without, the host bits are
// cleared. A bad address is an *AddressError, a bad prefix length a
// *NetmaskError.
func ParseNet6(s string, strict bool) (Net6, error) {
	a, bits, err := parsePrefix6(s)
	if err != nil {
		return Net6{}, err
	}
	return newNet6(a, bits, strict)
}

// MustParseNet6 is ParseNet6(s, true) for constants known to be valid; it
// panics on error.
func MustParseNet6(s string) Net6 { return must(ParseNet6(s, true)) }

// NewNet6 returns the network a/prefixLen (Python's IPv6Network((a,
// prefixLen), strict)). A prefix length outside 0..128 is a *NetmaskError;
// host bits set with strict are a *ValueError.
func NewNet6(a Addr6, prefixLen int, strict bool) (Net6, error) {
	if prefixLen < 0 || prefixLen > 128 {
		return Net6{}, netmaskErr(itoa(prefixLen), " is not a valid netmask")
	}
	return newNet6(a, uint8(prefixLen), strict)
}

// Net6FromNetip returns p as a Net6; see NewNet6 for strict. An invalid or
// IPv4 p is an *AddressError.
func Net6FromNetip(p netip.Prefix, strict bool) (Net6, error) {
	a, ok := Addr6FromNetip(p.Addr())
	if !ok || !p.IsValid() {
		return Net6{}, addrErr(pyRepr(p.String()), " is not an IPv6 prefix")
	}
	return newNet6(a, uint8(p.Bits()), strict)
}

func newNet6(a Addr6, bits uint8, strict bool) (Net6, error) {
	if masked := a.u.And(mask6(int(bits))); masked != a.u {
		if strict {
			return Net6{}, hostBitsError(a.String, bits)
		}
		a = Addr6{u: masked}
	}
	return Net6{a, bits}, nil
}

// hostBitsError is the *ValueError of a strict network with host bits set.
// Built out of line, it leaves newNet4 and newNet6 small enough to inline.
//
//go:noinline
func hostBitsError(addr func() string, bits uint8) error {
	return valueErr(addr(), "/", itoa(int(bits)), " has host bits set")
}

// parsePrefix6 splits s into address and prefix length as Python's
// IPv6Network and IPv6Interface constructors do.
func parsePrefix6(s string) (Addr6, uint8, error) {
	if a, bits, ok := parsePrefix6Fast(s); ok {
		return a, bits, nil
	}
	return Addr6{}, 0, prefix6Error(s)
}

// parsePrefix6Fast accepts exactly the strings parsePrefix6 accepts,
// without producing an error.
func parsePrefix6Fast(s string) (Addr6, uint8, bool) {
	return parsePrefix6Parts(cutSlash(s))
}

func parsePrefix6Parts(addr, mask string, hasMask bool) (Addr6, uint8, bool) {
	a, ok := parseAddr6Ok(addr)
	if !ok {
		return Addr6{}, 0, false
	}
	if !hasMask {
		return a, 128, true
	}
	bits, ok := parsePrefixLen(mask, 128)
	return a, bits, ok
}

// prefix6Error retraces Python to find why parsePrefix6Fast rejected s.
func prefix6Error(s string) error {
	addr, mask, hasMask := cutSlash(s)
	if hasMask && strings.IndexByte(mask, '/') >= 0 {
		return addrErr("Only one '/' permitted in ", pyRepr(s))
	}
	if _, ok := parseAddr6Ok(addr); !ok {
		return orInvalid(addr6Error(addr), s)
	}
	return netmaskErr(pyRepr(mask), " is not a valid netmask")
}

// NetworkAddress returns the first address of n, with the scope id n was
// written with (Python's network_address).
func (n Net6) NetworkAddress() Addr6 { return n.a }

// BroadcastAddress returns the last address of n (Python's
// broadcast_address).
func (n Net6) BroadcastAddress() Addr6 { return Addr6{u: n.a.u.Or(mask6(int(n.bits)).Not())} }

// Netmask returns the netmask of n, such as ffff:ffff:ffff:ffff:: for a /64.
func (n Net6) Netmask() Addr6 { return Addr6{u: mask6(int(n.bits))} }

// Hostmask returns the hostmask of n, such as ::ffff:ffff:ffff:ffff for a
// /64.
func (n Net6) Hostmask() Addr6 { return Addr6{u: mask6(int(n.bits)).Not()} }

// PrefixLen returns the prefix length of n.
func (n Net6) PrefixLen() int { return int(n.bits) }

// NumAddresses returns the number of addresses in n. Only ::/0 holds more
// than a Uint128 can: for it NumAddresses returns 0 and overflow true, as
// the count is 2**128.
func (n Net6) NumAddresses() (count Uint128, overflow bool) {
	if n.bits == 0 {
		return Uint128{}, true
	}
	return Uint128{Lo: 1}.Lsh(uint(128 - n.bits)), false
}

// NumAddressesString returns the exact number of addresses in n in decimal,
// "340282366920938463463374607431768211456" for ::/0 (Python's
// str(num_addresses)).
func (n Net6) NumAddressesString() string {
	c, over := n.NumAddresses()
	return string(appendDecimal(nil, over, c))
}

// Version returns 6.
func (Net6) Version() int { return 6 }

// MaxPrefixLen returns 128.
func (Net6) MaxPrefixLen() int { return 128 }

// Netip returns n as a netip.Prefix, which has no room for a scope id.
func (n Net6) Netip() netip.Prefix {
	return netip.PrefixFrom(n.a.WithoutScopeID().Netip(), int(n.bits))
}

// String returns n as "network/prefixlen" (Python's str(n)).
func (n Net6) String() string {
	var buf [50]byte
	return string(n.AppendTo(buf[:0]))
}

// AppendTo appends String's form of n to b.
func (n Net6) AppendTo(b []byte) []byte {
	b = n.a.AppendTo(b)
	b = append(b, '/')
	return appendUint(b, uint64(n.bits))
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (n Net6) MarshalText() ([]byte, error) { return n.AppendTo(make([]byte, 0, 50)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with strict ParseNet6.
func (n *Net6) UnmarshalText(text []byte) error {
	return unmarshalText(n, text, func(s string) (Net6, error) { return ParseNet6(s, true) })
}

// WithPrefixLen returns String().
func (n Net6) WithPrefixLen() string { return n.String() }

// WithNetmask returns n as "network/netmask".
func (n Net6) WithNetmask() string {
	return string(n.Netmask().AppendTo(append(n.a.AppendTo(nil), '/')))
}

// WithHostmask returns n as "network/hostmask".
func (n Net6) WithHostmask() string {
	return string(n.Hostmask().AppendTo(append(n.a.AppendTo(nil), '/')))
}

// Compressed returns String().
func (n Net6) Compressed() string { return n.String() }

// Exploded returns n with all 32 hex digits of the network address, such
// as "2001:0db8:0000:0000:0000:0000:0000:0000/32". Unlike an address, a
// network prints an IPv4-mapped network address in hex, as Python does.
func (n Net6) Exploded() string {
	b := appendExploded6(make([]byte, 0, 48), n.a.u)
	b = n.a.appendZone(b)
	b = append(b, '/')
	return string(appendUint(b, uint64(n.bits)))
}

// Contains reports whether a is in n (Python's a in n); scope ids are
// ignored.
func (n Net6) Contains(a Addr6) bool {
	m := mask6(int(n.bits))
	return a.u.Hi&m.Hi == n.a.u.Hi && a.u.Lo&m.Lo == n.a.u.Lo
}

// Overlaps reports whether n and o have an address in common.
func (n Net6) Overlaps(o Net6) bool { return n.Contains(o.a) || o.Contains(n.a) }

// SubnetOf reports whether n lies entirely within o. As in Python, whose
// test compares network addresses with <=, networks with the same network
// address but different scope ids are not subnets of each other.
func (n Net6) SubnetOf(o Net6) bool {
	if n.a.u == o.a.u && n.a.z != o.a.z {
		return false
	}
	return n.bits >= o.bits && o.Contains(n.a)
}

// SupernetOf reports whether o lies entirely within n.
func (n Net6) SupernetOf(o Net6) bool { return o.SubnetOf(n) }

// Compare orders networks by network address, then by netmask (Python's
// compare_networks and <). Scope ids are ignored: networks that differ
// only in scope id compare 0 although they are not ==. (Python's own
// comparisons of such networks are inconsistent, e.g. compare_networks
// answers 1 both ways.)
func (n Net6) Compare(o Net6) int {
	if c := n.a.u.Cmp(o.a.u); c != 0 {
		return c
	}
	switch {
	case n.bits < o.bits:
		return -1
	case n.bits > o.bits:
		return 1
	}
	return 0
}

// CompareNetworks is Compare, under Python's name.
func (n Net6) CompareNetworks(o Net6) int { return n.Compare(o) }

// Less reports whether n sorts before o in Compare's order.
func (n Net6) Less(o Net6) bool { return n.Compare(o) < 0 }

// At returns the i-th address of n, counting from the end when i is
// negative: -1 is the broadcast address (Python's n[i]). An index outside n
// is an *IndexError.
func (n Net6) At(i int64) (Addr6, error) {
	span := mask6(int(n.bits)).Not() // last - first
	if i >= 0 {
		if (Uint128{Lo: uint64(i)}).Cmp(span) > 0 {
			return Addr6{}, errIndexRange
		}
		s, _ := n.a.u.Add(Uint128{Lo: uint64(i)})
		return Addr6{u: s}, nil
	}
	back := Uint128{Lo: uint64(-(i + 1))}
	if back.Cmp(span) > 0 {
		return Addr6{}, errIndexRange
	}
	d, _ := n.BroadcastAddress().u.Sub(back)
	return Addr6{u: d}, nil
}

// AtUint128 returns the i-th address of n, counting from 0 at the network
// address (Python's n[i] for the indexes At cannot take). An index outside
// n is an *IndexError.
func (n Net6) AtUint128(i Uint128) (Addr6, error) {
	if i.Cmp(mask6(int(n.bits)).Not()) > 0 {
		return Addr6{}, errIndexRange
	}
	s, _ := n.a.u.Add(i)
	return Addr6{u: s}, nil
}

// AtUint128FromEnd returns the i-th address of n counting back from 0 at
// the broadcast address: Python's n[-1-i], for the indexes At cannot take.
// (-1-i rather than -i keeps n[-2**128] of ::/0 within reach.) An index
// outside n is an *IndexError.
func (n Net6) AtUint128FromEnd(i Uint128) (Addr6, error) {
	if i.Cmp(mask6(int(n.bits)).Not()) > 0 {
		return Addr6{}, errIndexRange
	}
	d, _ := n.BroadcastAddress().u.Sub(i)
	return Addr6{u: d}, nil
}

// All returns an iterator over every address of n, in order (Python's
// iter(n)). It is lazy: ranging over a ::/64 is fine as long as the loop
// stops.
func (n Net6) All() iter.Seq[Addr6] {
	return rangeSeq6(n.a.u, n.BroadcastAddress().u)
}

// Hosts returns an iterator over the usable host addresses of n (Python's
// hosts()): all but the Subnet-Router anycast (network) address, except
// that a /127 yields both its addresses and a /128 its single address, with
// its scope id.
func (n Net6) Hosts() iter.Seq[Addr6] {
	switch n.bits {
	case 128:
		return single(n.a)
	case 127:
		return n.All()
	}
	return rangeSeq6(n.a.u.addOne(), n.BroadcastAddress().u)
}

func rangeSeq6(first, last Uint128) iter.Seq[Addr6] {
	return func(yield func(Addr6) bool) {
		for u := first; ; u = u.addOne() {
			if !yield(Addr6{u: u}) || u == last {
				return
			}
		}
	}
}

// Subnets returns an iterator over the subnets of n whose prefix is
// prefixLenDiff bits longer (Python's subnets(prefixlen_diff)); a /128
// yields itself. A negative diff or one past /128 is a *ValueError.
func (n Net6) Subnets(prefixLenDiff int) (iter.Seq[Net6], error) {
	if n.bits == 128 {
		return single(n), nil
	}
	if prefixLenDiff < 0 {
		return nil, valueErr("prefix length diff must be > 0")
	}
	if prefixLenDiff > 128-int(n.bits) {
		return nil, valueErr("prefix length diff ", string(appendUint(nil, uint64(n.bits)+uint64(prefixLenDiff))),
			" is invalid for netblock ", n.String())
	}
	return n.subnets(n.bits + uint8(prefixLenDiff)), nil
}

// SubnetsTo returns an iterator over the subnets of n with prefix length
// newPrefix (Python's subnets(new_prefix=newPrefix)); a /128 yields itself.
func (n Net6) SubnetsTo(newPrefix int) (iter.Seq[Net6], error) {
	if n.bits == 128 {
		return single(n), nil
	}
	if newPrefix < int(n.bits) {
		return nil, valueErr("new prefix must be longer")
	}
	if newPrefix > 128 {
		return nil, valueErr("prefix length diff ", itoa(newPrefix), " is invalid for netblock ", n.String())
	}
	return n.subnets(uint8(newPrefix)), nil
}

func (n Net6) subnets(bits uint8) iter.Seq[Net6] {
	step := Uint128{Lo: 1}.Lsh(uint(128 - bits))
	last := n.BroadcastAddress().u.And(mask6(int(bits)))
	first := n.a.u
	if bits == n.bits {
		return single(Net6{Addr6{u: first}, bits})
	}
	return func(yield func(Net6) bool) {
		for u := first; ; u, _ = u.Add(step) {
			if !yield(Net6{Addr6{u: u}, bits}) || u == last {
				return
			}
		}
	}
}

// Supernet returns the network containing n whose prefix is prefixLenDiff
// bits shorter (Python's supernet(prefixlen_diff)); ::/0 returns itself.
// Going past /0 or a negative diff is a *ValueError.
func (n Net6) Supernet(prefixLenDiff int) (Net6, error) {
	if n.bits == 0 {
		return n, nil
	}
	if prefixLenDiff > int(n.bits) {
		return Net6{}, valueErr("current prefixlen is ", itoa(int(n.bits)), ", cannot have a prefixlen_diff of ", itoa(prefixLenDiff))
	}
	if prefixLenDiff < 0 {
		return Net6{}, valueErr("negative shift count")
	}
	bits := n.bits - uint8(prefixLenDiff)
	return Net6{Addr6{u: n.a.u.And(mask6(int(bits)))}, bits}, nil
}

// SupernetTo returns the network containing n with prefix length newPrefix
// (Python's supernet(new_prefix=newPrefix)); ::/0 returns itself.
func (n Net6) SupernetTo(newPrefix int) (Net6, error) {
	if n.bits == 0 {
		return n, nil
	}
	if newPrefix > int(n.bits) {
		return Net6{}, valueErr("new prefix must be shorter")
	}
	if newPrefix < 0 {
		return Net6{}, valueErr("current prefixlen is ", itoa(int(n.bits)), ", cannot have a prefixlen_diff of ",
			string(appendUint(nil, uint64(n.bits)+uint64(-(newPrefix+1))+1)))
	}
	return Net6{Addr6{u: n.a.u.And(mask6(newPrefix))}, uint8(newPrefix)}, nil
}

// AddressExclude returns an iterator over the networks that remain when o
// is removed from n, in Python's order (Python's address_exclude). o must
// lie within n, else it is a *ValueError. Scope ids are ignored.
func (n Net6) AddressExclude(o Net6) (iter.Seq[Net6], error) {
	if !o.SubnetOf(n) {
		return nil, valueErr(o.String(), " not contained in ", n.String())
	}
	return func(yield func(Net6) bool) {
		for bits := n.bits + 1; bits <= o.bits; bits++ {
			bit := Uint128{Lo: 1}.Lsh(uint(128 - bits))
			sibling := o.a.u.And(mask6(int(bits))).Xor(bit)
			if !yield(Net6{Addr6{u: sibling}, bits}) {
				return
			}
		}
	}, nil
}

// IsPrivate reports whether both the network and broadcast addresses of n
// lie in one not-globally-reachable block and neither in its exceptions.
// As in Python, this looks at the IPv6 blocks only: a network inside
// ::ffff:0:0/96 is private whatever IPv4 addresses it maps.
func (n Net6) IsPrivate() bool {
	first, last := n.a.u, n.BroadcastAddress().u
	for _, b := range privateExceptions6 {
		if b.contains(first) || b.contains(last) {
			return false
		}
	}
	for _, b := range private6 {
		if b.contains(first) && b.contains(last) {
			return true
		}
	}
	return false
}

// IsGlobal reports whether n is not private.
func (n Net6) IsGlobal() bool { return !n.IsPrivate() }

// IsMulticast reports whether all of n is multicast.
func (n Net6) IsMulticast() bool {
	return n.a.IsMulticast() && n.BroadcastAddress().IsMulticast()
}

// IsReserved reports whether all of n is IETF reserved.
func (n Net6) IsReserved() bool {
	return n.a.IsReserved() && n.BroadcastAddress().IsReserved()
}

// IsLoopback reports whether all of n is loopback.
func (n Net6) IsLoopback() bool {
	return n.a.IsLoopback() && n.BroadcastAddress().IsLoopback()
}

// IsLinkLocal reports whether all of n is link-local.
func (n Net6) IsLinkLocal() bool {
	return n.a.IsLinkLocal() && n.BroadcastAddress().IsLinkLocal()
}

// IsSiteLocal reports whether all of n is site-local.
func (n Net6) IsSiteLocal() bool {
	return n.a.IsSiteLocal() && n.BroadcastAddress().IsSiteLocal()
}

// IsUnspecified reports whether n is ::/128.
func (n Net6) IsUnspecified() bool {
	return n.a.IsUnspecified() && n.BroadcastAddress().IsUnspecified()
}

// MixedKey returns n's key in the total order of Python's
// get_mixed_type_key.
func (n Net6) MixedKey() MixedKey {
	return MixedKey{Version: 6, Addr: n.a.u, IsNetwork: true, PrefixLen: n.bits}
}

// ReversePointer returns Python's reverse_pointer of n: the characters of
// Exploded() in reverse order without the colons, dot-separated, then
// "ip6.arpa", so that 2001:db8::/32 gives "2.3./.0.0.0 ... 8.b.d.0.1.0.0.2.ip6.arpa".
// The reversed prefix length leads; this is only Python's answer, not a
// usable DNS name (Addr6.ReversePointer is the name of an address). The
// scope id is ignored, where Python 3.13 raises AddressValueError.
func (n Net6) ReversePointer() string { return reversePointer6(n.a.u, n.bits) }

// reversePointer6 is Python's reverse_pointer of the network or interface
// u/bits.
func reversePointer6(u Uint128, bits uint8) string {
	b := make([]byte, 0, 80)
	var d [3]byte
	p := appendUint(d[:0], uint64(bits))
	for i := len(p) - 1; i >= 0; i-- {
		b = append(b, p[i], '.')
	}
	b = append(b, '/', '.')
	return string(appendNibbles(b, u))
}

// appendNibbles appends the 32 nibbles of u, least significant first, each
// followed by a dot, and then "ip6.arpa".
func appendNibbles(b []byte, u Uint128) []byte {
	for i := 0; i < 32; i++ {
		w := u.Lo
		if i >= 16 {
			w = u.Hi
		}
		b = append(b, hexDigits[w>>uint(4*(i%16))&0xf], '.')
	}
	return append(b, "ip6.arpa"...)
}
