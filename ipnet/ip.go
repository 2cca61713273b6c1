package ipnet

import (
	"cmp"
	"iter"
	"net/netip"
)

// Addr is an IPv4 or IPv6 address, whichever a string turned out to hold:
// the result of Python's ip_address. It is a value type compared with ==;
// the zero value is invalid (Version 0) and every method but IsValid and
// Version treats it as 0.0.0.0. Use As4 and As6 for the full
// version-specific API.
type Addr struct {
	a6 Addr6 // an IPv4 address is stored in the low 32 bits
	v  uint8
}

// AddrFrom4 returns a as an Addr.
func AddrFrom4(a Addr4) Addr { return Addr{Addr6{u: Uint128{Lo: uint64(a.v)}}, 4} }

// AddrFrom6 returns a as an Addr.
func AddrFrom6(a Addr6) Addr { return Addr{a, 6} }

// AddrFromUint128 returns the address with integer value u: IPv4 if u is
// below 2**32, else IPv6 (Python's ip_address(int)).
func AddrFromUint128(u Uint128) Addr {
	if u.Hi == 0 && u.Lo <= 0xffffffff {
		return AddrFrom4(Addr4{uint32(u.Lo)})
	}
	return AddrFrom6(Addr6{u: u})
}

// AddrFromBytes returns the IPv4 address of 4 packed bytes or the IPv6
// address of 16 (Python's ip_address(bytes)); other lengths are a
// *ValueError.
func AddrFromBytes(b []byte) (Addr, error) {
	switch len(b) {
	case 4:
		return AddrFrom4(Addr4{be32(b)}), nil
	case 16:
		return AddrFrom6(Addr6{u: Uint128{be64(b[:8]), be64(b[8:])}}), nil
	}
	return Addr{}, valueErr(pyBytesRepr(b), " does not appear to be an IPv4 or IPv6 address")
}

// AddrFromNetip returns a as an Addr: IPv4 for an IPv4 netip.Addr, IPv6
// (zone included) for an IPv6 one, including IPv4-mapped ones. The invalid
// netip.Addr gives the invalid Addr.
func AddrFromNetip(a netip.Addr) Addr {
	if a.Is4() {
		return AddrFrom4(Addr4{be32(a.AsSlice())})
	}
	if a6, ok := Addr6FromNetip(a); ok {
		return AddrFrom6(a6)
	}
	return Addr{}
}

// ParseAddress parses an IPv4 or IPv6 address as Python's ip_address
// does: as ParseAddr4 if it can, else as ParseAddr6. If neither can, the
// error is a *ValueError "'s' does not appear to be an IPv4 or IPv6
// address"; call ParseAddr4 or ParseAddr6 for the detailed reason.
func ParseAddress(s string) (Addr, error) {
	if looks6(s) {
		if a, ok := parseAddr6Ok(s); ok {
			return AddrFrom6(a), nil
		}
	} else if v, ok := parseAddr4Fast(s); ok {
		return AddrFrom4(Addr4{v}), nil
	}
	return Addr{}, notAnIP(s, "address")
}

// looks6 reports whether s can only be an IPv6 address, if any: whether a
// colon is among its first five bytes. An IPv4 address has no colon, and a
// valid IPv6 address has one within them, after at most four hex digits.
func looks6(s string) bool {
	for i := 0; i < len(s) && i < 5; i++ {
		if s[i] == ':' {
			return true
		}
	}
	return false
}

// notAnIP is the *ValueError of ip_address, ip_network and ip_interface for
// s. Building it out of line keeps the parsers' fast paths small.
//
//go:noinline
func notAnIP(s, what string) error {
	return valueErr(pyRepr(s), " does not appear to be an IPv4 or IPv6 ", what)
}

// MustParseAddress is ParseAddress for constants known to be valid; it
// panics on error.
func MustParseAddress(s string) Addr { return must(ParseAddress(s)) }

// IsValid reports whether a is not the zero Addr.
func (a Addr) IsValid() bool { return a.v != 0 }

// Version returns 4 or 6, or 0 for the zero Addr.
func (a Addr) Version() int { return int(a.v) }

// Is4 reports whether a is an IPv4 address.
func (a Addr) Is4() bool { return a.v == 4 }

// Is6 reports whether a is an IPv6 address.
func (a Addr) Is6() bool { return a.v == 6 }

// As4 returns a as an Addr4, and whether it is one.
func (a Addr) As4() (Addr4, bool) { return a.to4(), a.v == 4 }

// As6 returns a as an Addr6, and whether it is one.
func (a Addr) As6() (Addr6, bool) { return a.a6, a.v == 6 }

func (a Addr) to4() Addr4 { return Addr4{uint32(a.a6.u.Lo)} }

// MaxPrefixLen returns 32 for IPv4 and 128 for IPv6.
func (a Addr) MaxPrefixLen() int {
	if a.v == 6 {
		return 128
	}
	return 32
}

// Uint128 returns the integer value of a.
func (a Addr) Uint128() Uint128 { return a.a6.u }

// Packed returns the 4 or 16 bytes of a in network order.
func (a Addr) Packed() []byte {
	if a.v == 6 {
		return a.a6.Packed()
	}
	return a.to4().Packed()
}

// ScopeID returns the scope id of an IPv6 address, or "".
func (a Addr) ScopeID() string { return a.a6.ScopeID() }

// Netip returns a as a netip.Addr; the zero Addr gives the invalid one.
func (a Addr) Netip() netip.Addr {
	switch a.v {
	case 4:
		return a.to4().Netip()
	case 6:
		return a.a6.Netip()
	}
	return netip.Addr{}
}

// String returns Python's str(a); see Addr4.String and Addr6.String.
func (a Addr) String() string {
	if a.v == 6 {
		return a.a6.String()
	}
	return a.to4().String()
}

// AppendTo appends String's form of a to b.
func (a Addr) AppendTo(b []byte) []byte {
	if a.v == 6 {
		return a.a6.AppendTo(b)
	}
	return a.to4().AppendTo(b)
}

// MarshalText implements encoding.TextMarshaler with String's form; the
// zero Addr marshals as "".
func (a Addr) MarshalText() ([]byte, error) {
	if a.v == 0 {
		return []byte{}, nil
	}
	return a.AppendTo(make([]byte, 0, 46)), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseAddress; ""
// gives the zero Addr.
func (a *Addr) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*a = Addr{}
		return nil
	}
	return unmarshalText(a, text, ParseAddress)
}

// Compressed returns String().
func (a Addr) Compressed() string { return a.String() }

// Exploded returns the long form of a; see Addr6.Exploded.
func (a Addr) Exploded() string {
	if a.v == 6 {
		return a.a6.Exploded()
	}
	return a.to4().String()
}

// ReversePointer returns the reverse DNS name of a.
func (a Addr) ReversePointer() string {
	if a.v == 6 {
		return a.a6.ReversePointer()
	}
	return a.to4().ReversePointer()
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b. A
// different IP version is a *VersionError (Python's TypeError); use
// MixedKey to sort mixed lists.
func (a Addr) Compare(b Addr) (int, error) {
	if a.v != b.v {
		return 0, versionErr(a.String(), b.String(), "version")
	}
	if a.v == 6 {
		return a.a6.Compare(b.a6), nil
	}
	return a.to4().Compare(b.to4()), nil
}

// Add returns a+n; see Addr4.Add and Addr6.Add.
func (a Addr) Add(n int64) (Addr, error) {
	if a.v == 6 {
		r, err := a.a6.Add(n)
		return AddrFrom6(r), err
	}
	r, err := a.to4().Add(n)
	return AddrFrom4(r), err
}

// Sub returns a-n; see Addr4.Sub and Addr6.Sub.
func (a Addr) Sub(n int64) (Addr, error) {
	if a.v == 6 {
		r, err := a.a6.Sub(n)
		return AddrFrom6(r), err
	}
	r, err := a.to4().Sub(n)
	return AddrFrom4(r), err
}

// MixedKey returns a's key in the total order of Python's
// get_mixed_type_key.
func (a Addr) MixedKey() MixedKey { return MixedKey{Version: a.v, Addr: a.a6.u} }

// IsPrivate reports Addr4.IsPrivate or Addr6.IsPrivate.
func (a Addr) IsPrivate() bool {
	if a.v == 6 {
		return a.a6.IsPrivate()
	}
	return a.to4().IsPrivate()
}

// IsGlobal reports Addr4.IsGlobal or Addr6.IsGlobal.
func (a Addr) IsGlobal() bool {
	if a.v == 6 {
		return a.a6.IsGlobal()
	}
	return a.to4().IsGlobal()
}

// IsMulticast reports Addr4.IsMulticast or Addr6.IsMulticast.
func (a Addr) IsMulticast() bool {
	if a.v == 6 {
		return a.a6.IsMulticast()
	}
	return a.to4().IsMulticast()
}

// IsReserved reports Addr4.IsReserved or Addr6.IsReserved.
func (a Addr) IsReserved() bool {
	if a.v == 6 {
		return a.a6.IsReserved()
	}
	return a.to4().IsReserved()
}

// IsLoopback reports Addr4.IsLoopback or Addr6.IsLoopback.
func (a Addr) IsLoopback() bool {
	if a.v == 6 {
		return a.a6.IsLoopback()
	}
	return a.to4().IsLoopback()
}

// IsLinkLocal reports Addr4.IsLinkLocal or Addr6.IsLinkLocal.
func (a Addr) IsLinkLocal() bool {
	if a.v == 6 {
		return a.a6.IsLinkLocal()
	}
	return a.to4().IsLinkLocal()
}

// IsSiteLocal reports Addr6.IsSiteLocal; it is false for IPv4, which
// Python does not define it for.
func (a Addr) IsSiteLocal() bool { return a.v == 6 && a.a6.IsSiteLocal() }

// IsUnspecified reports Addr4.IsUnspecified or Addr6.IsUnspecified.
func (a Addr) IsUnspecified() bool {
	if a.v == 6 {
		return a.a6.IsUnspecified()
	}
	return a.to4().IsUnspecified()
}

// Network is an IPv4 or IPv6 network: the result of Python's ip_network.
// It is a value type compared with ==; the zero value is invalid (Version
// 0). Use As4 and As6 for the full version-specific API.
type Network struct {
	a    Addr
	bits uint8
}

// NetworkFrom4 returns n as a Network.
func NetworkFrom4(n Net4) Network { return Network{AddrFrom4(Addr4{n.ip}), n.bits} }

// NetworkFrom6 returns n as a Network.
func NetworkFrom6(n Net6) Network { return Network{AddrFrom6(n.a), n.bits} }

// NetworkFromNetip returns p as a Network; see ParseNetwork for strict. An
// invalid p is an *AddressError.
func NetworkFromNetip(p netip.Prefix, strict bool) (Network, error) {
	if p.Addr().Is4() {
		n, err := Net4FromNetip(p, strict)
		return NetworkFrom4(n), err
	}
	n, err := Net6FromNetip(p, strict)
	if err != nil {
		return Network{}, err
	}
	return NetworkFrom6(n), nil
}

// ParseNetwork parses an IPv4 or IPv6 network as Python's ip_network(s,
// strict) does: as ParseNet4 if it can, else as ParseNet6. A string that
// is neither is a *ValueError "'s' does not appear to be an IPv4 or IPv6
// network"; with strict, host bits set are the *ValueError of ParseNet4 or
// ParseNet6.
func ParseNetwork(s string, strict bool) (Network, error) {
	// One flat function: each layer that returned a Network would cost
	// more than the parse of a short prefix.
	if looks6(s) {
		if a, bits, ok := parsePrefix6Fast(s); ok {
			n, err := newNet6(a, bits, strict)
			return Network{Addr{n.a, 6}, n.bits}, err
		}
	} else if v, bits, ok := parsePrefix4Fast(s); ok {
		n, err := newNet4(v, bits, strict)
		return Network{Addr{Addr6{u: Uint128{Lo: uint64(n.ip)}}, 4}, n.bits}, err
	}
	return Network{}, notAnIP(s, "network")
}

// MustParseNetwork is ParseNetwork(s, true) for constants known to be
// valid; it panics on error.
func MustParseNetwork(s string) Network { return must(ParseNetwork(s, true)) }

func (n Network) to4() Net4 { return Net4{uint32(n.a.a6.u.Lo), n.bits} }
func (n Network) to6() Net6 { return Net6{n.a.a6, n.bits} }

// IsValid reports whether n is not the zero Network.
func (n Network) IsValid() bool { return n.a.v != 0 }

// Version returns 4 or 6, or 0 for the zero Network.
func (n Network) Version() int { return int(n.a.v) }

// As4 returns n as a Net4, and whether it is one.
func (n Network) As4() (Net4, bool) { return n.to4(), n.a.v == 4 }

// As6 returns n as a Net6, and whether it is one.
func (n Network) As6() (Net6, bool) { return n.to6(), n.a.v == 6 }

// MaxPrefixLen returns 32 for IPv4 and 128 for IPv6.
func (n Network) MaxPrefixLen() int { return n.a.MaxPrefixLen() }

// PrefixLen returns the prefix length of n.
func (n Network) PrefixLen() int { return int(n.bits) }

// NetworkAddress returns the first address of n.
func (n Network) NetworkAddress() Addr { return n.a }

// BroadcastAddress returns the last address of n.
func (n Network) BroadcastAddress() Addr {
	if n.a.v == 6 {
		return AddrFrom6(n.to6().BroadcastAddress())
	}
	return AddrFrom4(n.to4().BroadcastAddress())
}

// Netmask returns the netmask of n.
func (n Network) Netmask() Addr {
	if n.a.v == 6 {
		return AddrFrom6(n.to6().Netmask())
	}
	return AddrFrom4(n.to4().Netmask())
}

// Hostmask returns the hostmask of n.
func (n Network) Hostmask() Addr {
	if n.a.v == 6 {
		return AddrFrom6(n.to6().Hostmask())
	}
	return AddrFrom4(n.to4().Hostmask())
}

// NumAddresses returns the number of addresses in n; overflow is true only
// for ::/0, whose 2**128 addresses do not fit (count is then 0).
func (n Network) NumAddresses() (count Uint128, overflow bool) {
	if n.a.v == 6 {
		return n.to6().NumAddresses()
	}
	return Uint128{Lo: n.to4().NumAddresses()}, false
}

// NumAddressesString returns the exact number of addresses in n in
// decimal.
func (n Network) NumAddressesString() string {
	c, over := n.NumAddresses()
	return string(appendDecimal(nil, over, c))
}

// Netip returns n as a netip.Prefix, without scope id.
func (n Network) Netip() netip.Prefix {
	switch n.a.v {
	case 4:
		return n.to4().Netip()
	case 6:
		return n.to6().Netip()
	}
	return netip.Prefix{}
}

// String returns Python's str(n).
func (n Network) String() string {
	if n.a.v == 6 {
		return n.to6().String()
	}
	return n.to4().String()
}

// AppendTo appends String's form of n to b.
func (n Network) AppendTo(b []byte) []byte {
	if n.a.v == 6 {
		return n.to6().AppendTo(b)
	}
	return n.to4().AppendTo(b)
}

// MarshalText implements encoding.TextMarshaler with String's form; the
// zero Network marshals as "".
func (n Network) MarshalText() ([]byte, error) {
	if n.a.v == 0 {
		return []byte{}, nil
	}
	return n.AppendTo(make([]byte, 0, 50)), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with strict
// ParseNetwork; "" gives the zero Network.
func (n *Network) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*n = Network{}
		return nil
	}
	return unmarshalText(n, text, func(s string) (Network, error) { return ParseNetwork(s, true) })
}

// Compressed returns String().
func (n Network) Compressed() string { return n.String() }

// Exploded returns the long form of n; see Net6.Exploded.
func (n Network) Exploded() string {
	if n.a.v == 6 {
		return n.to6().Exploded()
	}
	return n.to4().String()
}

// ReversePointer returns Python's reverse_pointer of n; see
// Net4.ReversePointer and Net6.ReversePointer.
func (n Network) ReversePointer() string {
	if n.a.v == 6 {
		return n.to6().ReversePointer()
	}
	return n.to4().ReversePointer()
}

// WithPrefixLen returns String().
func (n Network) WithPrefixLen() string { return n.String() }

// WithNetmask returns n as "network/netmask".
func (n Network) WithNetmask() string {
	if n.a.v == 6 {
		return n.to6().WithNetmask()
	}
	return n.to4().WithNetmask()
}

// WithHostmask returns n as "network/hostmask".
func (n Network) WithHostmask() string {
	if n.a.v == 6 {
		return n.to6().WithHostmask()
	}
	return n.to4().WithHostmask()
}

// Contains reports whether a is in n. Unlike Python's `in`, which answers
// False, an address of the other IP version is a *VersionError: the two
// are never silently mixed.
func (n Network) Contains(a Addr) (bool, error) {
	if n.a.v != a.v {
		return false, versionErr(n.String(), a.String(), "version")
	}
	if a.v == 6 {
		return n.to6().Contains(a.a6), nil
	}
	return n.to4().Contains(a.to4()), nil
}

// Overlaps reports whether n and o have an address in common. Unlike
// Python, which answers False, a network of the other IP version is a
// *VersionError.
func (n Network) Overlaps(o Network) (bool, error) {
	if n.a.v != o.a.v {
		return false, versionErr(n.String(), o.String(), "version")
	}
	if n.a.v == 6 {
		return n.to6().Overlaps(o.to6()), nil
	}
	return n.to4().Overlaps(o.to4()), nil
}

// SubnetOf reports whether n lies entirely within o; a different IP
// version is a *VersionError.
func (n Network) SubnetOf(o Network) (bool, error) {
	if n.a.v != o.a.v {
		return false, versionErr(n.String(), o.String(), "version")
	}
	if n.a.v == 6 {
		return n.to6().SubnetOf(o.to6()), nil
	}
	return n.to4().SubnetOf(o.to4()), nil
}

// SupernetOf reports whether o lies entirely within n; a different IP
// version is a *VersionError.
func (n Network) SupernetOf(o Network) (bool, error) {
	if n.a.v != o.a.v {
		return false, versionErr(o.String(), n.String(), "version")
	}
	return o.SubnetOf(n)
}

// Compare orders n and o as Net4.Compare or Net6.Compare; a different IP
// version is a *VersionError (use MixedKey to sort mixed lists).
func (n Network) Compare(o Network) (int, error) {
	if n.a.v != o.a.v {
		return 0, versionErr(n.String(), o.String(), "version")
	}
	if n.a.v == 6 {
		return n.to6().Compare(o.to6()), nil
	}
	return n.to4().Compare(o.to4()), nil
}

// CompareNetworks is Python's compare_networks: Compare without scope ids,
// with Python's message for a different IP version.
func (n Network) CompareNetworks(o Network) (int, error) {
	if n.a.v != o.a.v {
		return 0, versionErr(n.String(), o.String(), "type")
	}
	if n.a.v == 6 {
		return n.to6().CompareNetworks(o.to6()), nil
	}
	return n.to4().Compare(o.to4()), nil
}

// At returns the i-th address of n, from the end if i is negative.
func (n Network) At(i int64) (Addr, error) {
	if n.a.v == 6 {
		a, err := n.to6().At(i)
		return AddrFrom6(a), err
	}
	a, err := n.to4().At(i)
	return AddrFrom4(a), err
}

// AtUint128 returns the i-th address of n, for indexes beyond int64; see
// Net6.AtUint128.
func (n Network) AtUint128(i Uint128) (Addr, error) {
	if n.a.v == 6 {
		a, err := n.to6().AtUint128(i)
		return AddrFrom6(a), err
	}
	if i.Hi != 0 || i.Lo > 1<<32 {
		return Addr{}, errIndexRange
	}
	a, err := n.to4().At(int64(i.Lo))
	return AddrFrom4(a), err
}

// AtUint128FromEnd returns the i-th address of n counting back from its
// last address, for indexes beyond int64; see Net6.AtUint128FromEnd.
func (n Network) AtUint128FromEnd(i Uint128) (Addr, error) {
	if n.a.v == 6 {
		a, err := n.to6().AtUint128FromEnd(i)
		return AddrFrom6(a), err
	}
	if i.Hi != 0 || i.Lo > 1<<32 {
		return Addr{}, errIndexRange
	}
	a, err := n.to4().At(-1 - int64(i.Lo))
	return AddrFrom4(a), err
}

// All returns an iterator over every address of n.
func (n Network) All() iter.Seq[Addr] {
	if n.a.v == 6 {
		return mapSeq(n.to6().All(), AddrFrom6)
	}
	return mapSeq(n.to4().All(), AddrFrom4)
}

// Hosts returns an iterator over the usable host addresses of n; see
// Net4.Hosts and Net6.Hosts.
func (n Network) Hosts() iter.Seq[Addr] {
	if n.a.v == 6 {
		return mapSeq(n.to6().Hosts(), AddrFrom6)
	}
	return mapSeq(n.to4().Hosts(), AddrFrom4)
}

// Subnets is Net4.Subnets or Net6.Subnets.
func (n Network) Subnets(prefixLenDiff int) (iter.Seq[Network], error) {
	if n.a.v == 6 {
		s, err := n.to6().Subnets(prefixLenDiff)
		return mapSeqErr(s, err, NetworkFrom6)
	}
	s, err := n.to4().Subnets(prefixLenDiff)
	return mapSeqErr(s, err, NetworkFrom4)
}

// SubnetsTo is Net4.SubnetsTo or Net6.SubnetsTo.
func (n Network) SubnetsTo(newPrefix int) (iter.Seq[Network], error) {
	if n.a.v == 6 {
		s, err := n.to6().SubnetsTo(newPrefix)
		return mapSeqErr(s, err, NetworkFrom6)
	}
	s, err := n.to4().SubnetsTo(newPrefix)
	return mapSeqErr(s, err, NetworkFrom4)
}

// Supernet is Net4.Supernet or Net6.Supernet.
func (n Network) Supernet(prefixLenDiff int) (Network, error) {
	if n.a.v == 6 {
		s, err := n.to6().Supernet(prefixLenDiff)
		return NetworkFrom6(s), err
	}
	s, err := n.to4().Supernet(prefixLenDiff)
	return NetworkFrom4(s), err
}

// SupernetTo is Net4.SupernetTo or Net6.SupernetTo.
func (n Network) SupernetTo(newPrefix int) (Network, error) {
	if n.a.v == 6 {
		s, err := n.to6().SupernetTo(newPrefix)
		return NetworkFrom6(s), err
	}
	s, err := n.to4().SupernetTo(newPrefix)
	return NetworkFrom4(s), err
}

// AddressExclude is Net4.AddressExclude or Net6.AddressExclude; a
// different IP version is a *VersionError.
func (n Network) AddressExclude(o Network) (iter.Seq[Network], error) {
	if n.a.v != o.a.v {
		return nil, versionErr(n.String(), o.String(), "version")
	}
	if n.a.v == 6 {
		s, err := n.to6().AddressExclude(o.to6())
		return mapSeqErr(s, err, NetworkFrom6)
	}
	s, err := n.to4().AddressExclude(o.to4())
	return mapSeqErr(s, err, NetworkFrom4)
}

// MixedKey returns n's key in the total order of Python's
// get_mixed_type_key.
func (n Network) MixedKey() MixedKey {
	return MixedKey{Version: n.a.v, Addr: n.a.a6.u, IsNetwork: true, PrefixLen: n.bits}
}

// IsPrivate reports Net4.IsPrivate or Net6.IsPrivate.
func (n Network) IsPrivate() bool {
	if n.a.v == 6 {
		return n.to6().IsPrivate()
	}
	return n.to4().IsPrivate()
}

// IsGlobal reports Net4.IsGlobal or Net6.IsGlobal.
func (n Network) IsGlobal() bool {
	if n.a.v == 6 {
		return n.to6().IsGlobal()
	}
	return n.to4().IsGlobal()
}

// IsMulticast reports whether all of n is multicast.
func (n Network) IsMulticast() bool {
	if n.a.v == 6 {
		return n.to6().IsMulticast()
	}
	return n.to4().IsMulticast()
}

// IsReserved reports whether all of n is IETF reserved.
func (n Network) IsReserved() bool {
	if n.a.v == 6 {
		return n.to6().IsReserved()
	}
	return n.to4().IsReserved()
}

// IsLoopback reports whether all of n is loopback.
func (n Network) IsLoopback() bool {
	if n.a.v == 6 {
		return n.to6().IsLoopback()
	}
	return n.to4().IsLoopback()
}

// IsLinkLocal reports whether all of n is link-local.
func (n Network) IsLinkLocal() bool {
	if n.a.v == 6 {
		return n.to6().IsLinkLocal()
	}
	return n.to4().IsLinkLocal()
}

// IsSiteLocal reports Net6.IsSiteLocal; it is false for IPv4.
func (n Network) IsSiteLocal() bool { return n.a.v == 6 && n.to6().IsSiteLocal() }

// IsUnspecified reports whether n is 0.0.0.0/32 or ::/128.
func (n Network) IsUnspecified() bool {
	if n.a.v == 6 {
		return n.to6().IsUnspecified()
	}
	return n.to4().IsUnspecified()
}

// Interface is an IPv4 or IPv6 interface address: the result of Python's
// ip_interface. It is a value type compared with ==; the zero value is
// invalid (Version 0). Use As4 and As6 for the full version-specific API.
type Interface struct {
	a    Addr
	bits uint8
}

// InterfaceFrom4 returns i as an Interface.
func InterfaceFrom4(i Iface4) Interface { return Interface{AddrFrom4(i.a), i.bits} }

// InterfaceFrom6 returns i as an Interface.
func InterfaceFrom6(i Iface6) Interface { return Interface{AddrFrom6(i.a), i.bits} }

// InterfaceFromNetip returns p, host bits and all, as an Interface; the
// invalid netip.Prefix gives the invalid Interface.
func InterfaceFromNetip(p netip.Prefix) Interface {
	if i, ok := Iface4FromNetip(p); ok {
		return InterfaceFrom4(i)
	}
	if i, ok := Iface6FromNetip(p); ok {
		return InterfaceFrom6(i)
	}
	return Interface{}
}

// ParseInterface parses an IPv4 or IPv6 interface as Python's
// ip_interface does: as ParseIface4 if it can, else as ParseIface6. A
// string that is neither is a *ValueError "'s' does not appear to be an
// IPv4 or IPv6 interface".
func ParseInterface(s string) (Interface, error) {
	addr, mask, hasMask := cutSlash(s)
	if looks6(addr) {
		if a, bits, ok := parsePrefix6Parts(addr, mask, hasMask); ok {
			return Interface{AddrFrom6(a), bits}, nil
		}
	} else if v, bits, ok := parsePrefix4Parts(addr, mask, hasMask); ok {
		return Interface{AddrFrom4(Addr4{v}), bits}, nil
	}
	return Interface{}, notAnIP(s, "interface")
}

// MustParseInterface is ParseInterface for constants known to be valid; it
// panics on error.
func MustParseInterface(s string) Interface { return must(ParseInterface(s)) }

func (i Interface) to4() Iface4 { return Iface4{i.a.to4(), i.bits} }
func (i Interface) to6() Iface6 { return Iface6{i.a.a6, i.bits} }

// IsValid reports whether i is not the zero Interface.
func (i Interface) IsValid() bool { return i.a.v != 0 }

// Version returns 4 or 6, or 0 for the zero Interface.
func (i Interface) Version() int { return int(i.a.v) }

// As4 returns i as an Iface4, and whether it is one.
func (i Interface) As4() (Iface4, bool) { return i.to4(), i.a.v == 4 }

// As6 returns i as an Iface6, and whether it is one.
func (i Interface) As6() (Iface6, bool) { return i.to6(), i.a.v == 6 }

// IP returns the address of i, without scope id as in Python.
func (i Interface) IP() Addr {
	if i.a.v == 6 {
		return AddrFrom6(i.to6().IP())
	}
	return i.a
}

// Network returns the network i is on.
func (i Interface) Network() Network {
	if i.a.v == 6 {
		return NetworkFrom6(i.to6().Network())
	}
	return NetworkFrom4(i.to4().Network())
}

// PrefixLen returns the prefix length of i's network.
func (i Interface) PrefixLen() int { return int(i.bits) }

// Netmask returns the netmask of i's network.
func (i Interface) Netmask() Addr { return i.Network().Netmask() }

// Hostmask returns the hostmask of i's network.
func (i Interface) Hostmask() Addr { return i.Network().Hostmask() }

// Netip returns i as a netip.Prefix whose address keeps its host bits.
func (i Interface) Netip() netip.Prefix {
	switch i.a.v {
	case 4:
		return i.to4().Netip()
	case 6:
		return i.to6().Netip()
	}
	return netip.Prefix{}
}

// String returns Python's str(i).
func (i Interface) String() string {
	if i.a.v == 6 {
		return i.to6().String()
	}
	return i.to4().String()
}

// Compressed returns String().
func (i Interface) Compressed() string { return i.String() }

// Exploded returns the long form of i; see Iface6.Exploded.
func (i Interface) Exploded() string {
	if i.a.v == 6 {
		return i.to6().Exploded()
	}
	return i.to4().String()
}

// ReversePointer returns Python's reverse_pointer of i; see
// Iface4.ReversePointer and Iface6.ReversePointer.
func (i Interface) ReversePointer() string {
	if i.a.v == 6 {
		return i.to6().ReversePointer()
	}
	return i.to4().ReversePointer()
}

// Add returns the full-length interface of i's address + n (Python's
// i + n); see Iface4.Add and Iface6.Add.
func (i Interface) Add(n int64) (Interface, error) {
	if i.a.v == 6 {
		r, err := i.to6().Add(n)
		return InterfaceFrom6(r), err
	}
	r, err := i.to4().Add(n)
	return InterfaceFrom4(r), err
}

// Sub returns the full-length interface of i's address - n (Python's
// i - n); see Iface4.Sub and Iface6.Sub.
func (i Interface) Sub(n int64) (Interface, error) {
	if i.a.v == 6 {
		r, err := i.to6().Sub(n)
		return InterfaceFrom6(r), err
	}
	r, err := i.to4().Sub(n)
	return InterfaceFrom4(r), err
}

// WithPrefixLen returns i as "address/prefixlen", without scope id.
func (i Interface) WithPrefixLen() string {
	if i.a.v == 6 {
		return i.to6().WithPrefixLen()
	}
	return i.to4().String()
}

// WithNetmask returns i as "address/netmask", without scope id.
func (i Interface) WithNetmask() string {
	if i.a.v == 6 {
		return i.to6().WithNetmask()
	}
	return i.to4().WithNetmask()
}

// WithHostmask returns i as "address/hostmask", without scope id.
func (i Interface) WithHostmask() string {
	if i.a.v == 6 {
		return i.to6().WithHostmask()
	}
	return i.to4().WithHostmask()
}

// Compare orders i and o as Iface4.Compare or Iface6.Compare; a different
// IP version is a *VersionError.
func (i Interface) Compare(o Interface) (int, error) {
	if i.a.v != o.a.v {
		return 0, versionErr(i.String(), o.String(), "version")
	}
	if i.a.v == 6 {
		return i.to6().Compare(o.to6()), nil
	}
	return i.to4().Compare(o.to4()), nil
}

// IsPrivate reports whether i's address is private.
func (i Interface) IsPrivate() bool { return i.a.IsPrivate() }

// IsGlobal reports whether i's address is global.
func (i Interface) IsGlobal() bool { return i.a.IsGlobal() }

// IsMulticast reports whether i's address is multicast.
func (i Interface) IsMulticast() bool { return i.a.IsMulticast() }

// IsReserved reports whether i's address is IETF reserved.
func (i Interface) IsReserved() bool { return i.a.IsReserved() }

// IsLinkLocal reports whether i's address is link-local.
func (i Interface) IsLinkLocal() bool { return i.a.IsLinkLocal() }

// IsSiteLocal reports whether i's address is site-local (IPv6 only).
func (i Interface) IsSiteLocal() bool { return i.a.IsSiteLocal() }

// IsLoopback reports Iface4.IsLoopback or Iface6.IsLoopback.
func (i Interface) IsLoopback() bool {
	if i.a.v == 6 {
		return i.to6().IsLoopback()
	}
	return i.to4().IsLoopback()
}

// IsUnspecified reports Iface4.IsUnspecified or Iface6.IsUnspecified.
func (i Interface) IsUnspecified() bool {
	if i.a.v == 6 {
		return i.to6().IsUnspecified()
	}
	return i.to4().IsUnspecified()
}

// MixedKey is the sort key of Python's get_mixed_type_key: a total order
// over addresses and networks of both versions. IPv4 sorts before IPv6;
// within a version, by (network) address; at equal addresses an address
// sorts before a network; networks then sort by netmask, shorter prefix
// first. Scope ids are not part of the key.
type MixedKey struct {
	Version   uint8   // 4 or 6
	Addr      Uint128 // the address, or the network address
	IsNetwork bool    // false for an address
	PrefixLen uint8   // the prefix length of a network; 0 for an address
}

// Compare returns -1, 0 or +1 as k sorts before, equal to or after o.
func (k MixedKey) Compare(o MixedKey) int {
	switch {
	case k.Version != o.Version:
		return cmp.Compare(k.Version, o.Version)
	case k.Addr != o.Addr:
		return k.Addr.Cmp(o.Addr)
	case k.IsNetwork != o.IsNetwork:
		if o.IsNetwork {
			return -1
		}
		return 1
	}
	return cmp.Compare(k.PrefixLen, o.PrefixLen)
}

// CollapseAddresses is Python's collapse_addresses for Addr and Network
// values: CollapseAddresses4 or CollapseAddresses6, whichever version all
// of addrs and nets share. Mixing versions is a *VersionError.
func CollapseAddresses(addrs []Addr, nets []Network) (iter.Seq[Network], error) {
	if err := collapseVersions(addrs, nets); err != nil {
		return nil, err
	}
	v := uint8(4)
	if len(addrs) > 0 && addrs[0].v == 6 || len(addrs) == 0 && len(nets) > 0 && nets[0].a.v == 6 {
		v = 6
	}
	if v == 6 {
		a6 := make([]Addr6, len(addrs))
		for i, a := range addrs {
			a6[i] = a.a6
		}
		n6 := make([]Net6, len(nets))
		for i, n := range nets {
			n6[i] = n.to6()
		}
		return mapSeq(CollapseAddresses6(a6, n6), NetworkFrom6), nil
	}
	a4 := make([]Addr4, len(addrs))
	for i, a := range addrs {
		a4[i] = a.to4()
	}
	n4 := make([]Net4, len(nets))
	for i, n := range nets {
		n4[i] = n.to4()
	}
	return mapSeq(CollapseAddresses4(a4, n4), NetworkFrom4), nil
}

// collapseVersions reports mixed versions with the message Python's
// collapse_addresses gives: like Python, it checks each address (and each
// network of the maximum prefix length, which Python treats as one)
// against the previous one, and each other network against the previous
// other network.
func collapseVersions(addrs []Addr, nets []Network) error {
	var lastIP, lastNet string
	var ipV, netV uint8
	for _, a := range addrs {
		if ipV != 0 && a.v != ipV {
			return versionErr(a.String(), lastIP, "version")
		}
		ipV, lastIP = a.v, a.String()
	}
	for _, n := range nets {
		if int(n.bits) == n.MaxPrefixLen() {
			if ipV != 0 && n.a.v != ipV {
				return versionErr(n.String(), lastIP, "version")
			}
			ipV, lastIP = n.a.v, n.a.String()
			continue
		}
		if netV != 0 && n.a.v != netV {
			return versionErr(n.String(), lastNet, "version")
		}
		netV, lastNet = n.a.v, n.String()
	}
	if ipV != 0 && netV != 0 && ipV != netV {
		// Python fails later, sorting the mixed result; name one of each.
		return versionErr(lastNet, lastIP, "version")
	}
	return nil
}

// SummarizeAddressRange is Python's summarize_address_range for Addr
// values; first and last of different versions are a *VersionError.
func SummarizeAddressRange(first, last Addr) (iter.Seq[Network], error) {
	if first.v != last.v {
		return nil, versionErr(first.String(), last.String(), "version")
	}
	if first.v == 6 {
		s, err := SummarizeAddressRange6(first.a6, last.a6)
		return mapSeqErr(s, err, NetworkFrom6)
	}
	s, err := SummarizeAddressRange4(first.to4(), last.to4())
	return mapSeqErr(s, err, NetworkFrom4)
}

// V4IntToPacked returns v as 4 bytes in network order (Python's
// v4_int_to_packed).
func V4IntToPacked(v uint32) [4]byte { return Addr4{v}.As4() }

// V6IntToPacked returns u as 16 bytes in network order (Python's
// v6_int_to_packed).
func V6IntToPacked(u Uint128) [16]byte { return Addr6{u: u}.As16() }

func mapSeq[T, U any](s iter.Seq[T], f func(T) U) iter.Seq[U] {
	return func(yield func(U) bool) {
		for v := range s {
			if !yield(f(v)) {
				return
			}
		}
	}
}

func mapSeqErr[T, U any](s iter.Seq[T], err error, f func(T) U) (iter.Seq[U], error) {
	if err != nil {
		return nil, err
	}
	return mapSeq(s, f), nil
}
