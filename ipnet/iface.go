package ipnet

import (
	"net/netip"
)

// Iface4 is an IPv4 interface address: an address together with the
// network it is on, the non-strict form of a network (Python's
// IPv4Interface, e.g. 192.0.2.5/24). It is an 8-byte value type compared
// with ==. The zero value is 0.0.0.0/0.
type Iface4 struct {
	a    Addr4
	bits uint8
}

// ParseIface4 parses an IPv4 interface as Python's IPv4Interface(s) does:
// the forms of ParseNet4, with host bits allowed.
func ParseIface4(s string) (Iface4, error) {
	v, bits, err := parsePrefix4(s)
	if err != nil {
		return Iface4{}, err
	}
	return Iface4{Addr4{v}, bits}, nil
}

// MustParseIface4 is ParseIface4 for constants known to be valid; it panics
// on error.
func MustParseIface4(s string) Iface4 { return must(ParseIface4(s)) }

// NewIface4 returns the interface a/prefixLen. A prefix length outside
// 0..32 is a *NetmaskError.
func NewIface4(a Addr4, prefixLen int) (Iface4, error) {
	if prefixLen < 0 || prefixLen > 32 {
		return Iface4{}, netmaskErr(itoa(prefixLen), " is not a valid netmask")
	}
	return Iface4{a, uint8(prefixLen)}, nil
}

// Iface4FromNetip returns p, host bits and all, as an Iface4. It reports
// false unless p is a valid IPv4 prefix.
func Iface4FromNetip(p netip.Prefix) (Iface4, bool) {
	a, ok := Addr4FromNetip(p.Addr())
	if !ok || !p.IsValid() {
		return Iface4{}, false
	}
	return Iface4{a, uint8(p.Bits())}, true
}

// IP returns the address of i (Python's ip).
func (i Iface4) IP() Addr4 { return i.a }

// Network returns the network i is on (Python's network).
func (i Iface4) Network() Net4 { return Net4{i.a.v & mask4(int(i.bits)), i.bits} }

// Netmask returns the netmask of i's network.
func (i Iface4) Netmask() Addr4 { return Addr4{mask4(int(i.bits))} }

// Hostmask returns the hostmask of i's network.
func (i Iface4) Hostmask() Addr4 { return Addr4{^mask4(int(i.bits))} }

// PrefixLen returns the prefix length of i's network.
func (i Iface4) PrefixLen() int { return int(i.bits) }

// Version returns 4.
func (Iface4) Version() int { return 4 }

// MaxPrefixLen returns 32.
func (Iface4) MaxPrefixLen() int { return 32 }

// Netip returns i as a netip.Prefix whose address keeps its host bits.
func (i Iface4) Netip() netip.Prefix { return netip.PrefixFrom(i.a.Netip(), int(i.bits)) }

// String returns i as "address/prefixlen" (Python's str(i)).
func (i Iface4) String() string {
	var buf [18]byte
	return string(i.AppendTo(buf[:0]))
}

// AppendTo appends String's form of i to b.
func (i Iface4) AppendTo(b []byte) []byte {
	b = i.a.AppendTo(b)
	b = append(b, '/')
	return appendUint(b, uint64(i.bits))
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (i Iface4) MarshalText() ([]byte, error) { return i.AppendTo(make([]byte, 0, 18)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseIface4.
func (i *Iface4) UnmarshalText(text []byte) error { return unmarshalText(i, text, ParseIface4) }

// WithPrefixLen returns String().
func (i Iface4) WithPrefixLen() string { return i.String() }

// WithNetmask returns i as "address/netmask".
func (i Iface4) WithNetmask() string {
	return string(i.Netmask().AppendTo(append(i.a.AppendTo(nil), '/')))
}

// WithHostmask returns i as "address/hostmask".
func (i Iface4) WithHostmask() string {
	return string(i.Hostmask().AppendTo(append(i.a.AppendTo(nil), '/')))
}

// Compressed returns String().
func (i Iface4) Compressed() string { return i.String() }

// Exploded returns String().
func (i Iface4) Exploded() string { return i.String() }

// ReversePointer returns Python's reverse_pointer of i: the dot-separated
// fields of String() in reverse order, then "in-addr.arpa", so that
// 192.0.2.5/24 gives "5/24.2.0.192.in-addr.arpa" (see Net4.ReversePointer;
// IP().ReversePointer() is the DNS name of the address).
func (i Iface4) ReversePointer() string { return reversePointer4(i.a.v, i.bits) }

// Add returns the interface (i's address + n)/32, as Python's i + n does:
// arithmetic on an interface is arithmetic on its address, and the result
// is a full-length interface. A result outside 0.0.0.0 .. 255.255.255.255
// is an *AddressError.
func (i Iface4) Add(n int64) (Iface4, error) {
	a, err := i.a.Add(n)
	return Iface4{a, 32}, err
}

// Sub returns the interface (i's address - n)/32 (Python's i - n); see Add.
func (i Iface4) Sub(n int64) (Iface4, error) {
	a, err := i.a.Sub(n)
	return Iface4{a, 32}, err
}

// Compare orders interfaces by network (see Net4.Compare), then by address,
// as Python's < does.
func (i Iface4) Compare(o Iface4) int {
	if c := i.Network().Compare(o.Network()); c != 0 {
		return c
	}
	return i.a.Compare(o.a)
}

// Less reports whether i sorts before o in Compare's order.
func (i Iface4) Less(o Iface4) bool { return i.Compare(o) < 0 }

// IsPrivate reports whether i's address is private (see Addr4.IsPrivate).
func (i Iface4) IsPrivate() bool { return i.a.IsPrivate() }

// IsGlobal reports whether i's address is global.
func (i Iface4) IsGlobal() bool { return i.a.IsGlobal() }

// IsMulticast reports whether i's address is multicast.
func (i Iface4) IsMulticast() bool { return i.a.IsMulticast() }

// IsReserved reports whether i's address is IETF reserved.
func (i Iface4) IsReserved() bool { return i.a.IsReserved() }

// IsLoopback reports whether i's address is loopback.
func (i Iface4) IsLoopback() bool { return i.a.IsLoopback() }

// IsLinkLocal reports whether i's address is link-local.
func (i Iface4) IsLinkLocal() bool { return i.a.IsLinkLocal() }

// IsUnspecified reports whether i is 0.0.0.0/32: unlike the address test,
// Python requires the whole network to be unspecified.
func (i Iface4) IsUnspecified() bool { return i.a.v == 0 && i.Network().IsUnspecified() }

// Iface6 is an IPv6 interface address: an address, with optional scope id,
// together with the network it is on (Python's IPv6Interface, e.g.
// 2001:db8::5/64 or fe80::1%eth0/64). It is a value type compared with ==.
// The zero value is ::/0.
type Iface6 struct {
	a    Addr6
	bits uint8
}

// ParseIface6 parses an IPv6 interface as Python's IPv6Interface(s) does:
// the forms of ParseNet6, with host bits allowed.
func ParseIface6(s string) (Iface6, error) {
	a, bits, err := parsePrefix6(s)
	if err != nil {
		return Iface6{}, err
	}
	return Iface6{a, bits}, nil
}

// MustParseIface6 is ParseIface6 for constants known to be valid; it panics
// on error.
func MustParseIface6(s string) Iface6 { return must(ParseIface6(s)) }

// NewIface6 returns the interface a/prefixLen. A prefix length outside
// 0..128 is a *NetmaskError.
func NewIface6(a Addr6, prefixLen int) (Iface6, error) {
	if prefixLen < 0 || prefixLen > 128 {
		return Iface6{}, netmaskErr(itoa(prefixLen), " is not a valid netmask")
	}
	return Iface6{a, uint8(prefixLen)}, nil
}

// Iface6FromNetip returns p, host bits and all, as an Iface6. It reports
// false unless p is a valid IPv6 prefix.
func Iface6FromNetip(p netip.Prefix) (Iface6, bool) {
	a, ok := Addr6FromNetip(p.Addr())
	if !ok || !p.IsValid() {
		return Iface6{}, false
	}
	return Iface6{a, uint8(p.Bits())}, true
}

// IP returns the address of i without its scope id, as Python's ip does.
func (i Iface6) IP() Addr6 { return Addr6{u: i.a.u} }

// Addr returns the address of i with its scope id.
func (i Iface6) Addr() Addr6 { return i.a }

// ScopeID returns the scope id of i's address, or "" (Python's scope_id).
func (i Iface6) ScopeID() string { return i.a.ScopeID() }

// Network returns the network i is on (Python's network). Its network
// address keeps i's scope id only when i's address has no host bits, as
// in Python.
func (i Iface6) Network() Net6 {
	n, _ := newNet6(i.a, i.bits, false)
	return n
}

// Netmask returns the netmask of i's network.
func (i Iface6) Netmask() Addr6 { return Addr6{u: mask6(int(i.bits))} }

// Hostmask returns the hostmask of i's network.
func (i Iface6) Hostmask() Addr6 { return Addr6{u: mask6(int(i.bits)).Not()} }

// PrefixLen returns the prefix length of i's network.
func (i Iface6) PrefixLen() int { return int(i.bits) }

// Version returns 6.
func (Iface6) Version() int { return 6 }

// MaxPrefixLen returns 128.
func (Iface6) MaxPrefixLen() int { return 128 }

// Netip returns i as a netip.Prefix whose address keeps its host bits but,
// netip having no room for one, not its scope id.
func (i Iface6) Netip() netip.Prefix { return netip.PrefixFrom(i.IP().Netip(), int(i.bits)) }

// String returns i as "address%scope/prefixlen" (Python's str(i)).
func (i Iface6) String() string {
	var buf [50]byte
	return string(i.AppendTo(buf[:0]))
}

// AppendTo appends String's form of i to b.
func (i Iface6) AppendTo(b []byte) []byte {
	b = i.a.AppendTo(b)
	b = append(b, '/')
	return appendUint(b, uint64(i.bits))
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (i Iface6) MarshalText() ([]byte, error) { return i.AppendTo(make([]byte, 0, 50)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseIface6.
func (i *Iface6) UnmarshalText(text []byte) error { return unmarshalText(i, text, ParseIface6) }

// WithPrefixLen returns i as "address/prefixlen". As in Python, the
// address has no scope id and an IPv4-mapped one is printed in hex
// (::ffff:c000:201/128).
func (i Iface6) WithPrefixLen() string {
	b := append(appendCompressed6(nil, i.a.u), '/')
	return string(appendUint(b, uint64(i.bits)))
}

// WithNetmask returns i as "address/netmask", the address printed as in
// WithPrefixLen.
func (i Iface6) WithNetmask() string {
	return string(i.Netmask().AppendTo(append(appendCompressed6(nil, i.a.u), '/')))
}

// WithHostmask returns i as "address/hostmask", the address printed as in
// WithPrefixLen.
func (i Iface6) WithHostmask() string {
	return string(i.Hostmask().AppendTo(append(appendCompressed6(nil, i.a.u), '/')))
}

// Compressed returns String().
func (i Iface6) Compressed() string { return i.String() }

// Exploded returns the long form of i's address, without scope id, then
// "/prefixlen". For an IPv4-mapped address it returns the address's
// exploded form alone (0000:0000:0000:0000:0000:ffff:192.0.2.1), as
// Python does.
func (i Iface6) Exploded() string {
	if v4, ok := i.a.IPv4Mapped(); ok {
		b := append(make([]byte, 0, 45), "0000:0000:0000:0000:0000:ffff:"...)
		return string(v4.AppendTo(b))
	}
	b := appendExploded6(make([]byte, 0, 43), i.a.u)
	b = append(b, '/')
	return string(appendUint(b, uint64(i.bits)))
}

// ReversePointer returns Python's reverse_pointer of i: that of the network
// i.Network() (see Net6.ReversePointer) but for i's address, so that
// 2001:db8::5/64 gives "4.6./.5.0.0 ... 8.b.d.0.1.0.0.2.ip6.arpa"; for an
// IPv4-mapped address it is the address's ip6.arpa name, as in Python.
func (i Iface6) ReversePointer() string {
	if _, ok := i.a.IPv4Mapped(); ok {
		return i.a.ReversePointer()
	}
	return reversePointer6(i.a.u, i.bits)
}

// Add returns the interface (i's address + n)/128 without scope id, as
// Python's i + n does; see Iface4.Add. A result outside the IPv6 address
// space is an *AddressError.
func (i Iface6) Add(n int64) (Iface6, error) {
	a, err := i.a.Add(n)
	return Iface6{a, 128}, err
}

// Sub returns the interface (i's address - n)/128 (Python's i - n); see Add.
func (i Iface6) Sub(n int64) (Iface6, error) {
	a, err := i.a.Sub(n)
	return Iface6{a, 128}, err
}

// AddUint128 is Add for offsets beyond int64.
func (i Iface6) AddUint128(n Uint128) (Iface6, error) {
	a, err := i.a.AddUint128(n)
	return Iface6{a, 128}, err
}

// SubUint128 is Sub for offsets beyond int64.
func (i Iface6) SubUint128(n Uint128) (Iface6, error) {
	a, err := i.a.SubUint128(n)
	return Iface6{a, 128}, err
}

// Compare orders interfaces by network (see Net6.Compare), then by address,
// as Python's < does.
func (i Iface6) Compare(o Iface6) int {
	if c := i.Network().Compare(o.Network()); c != 0 {
		return c
	}
	return i.a.Compare(o.a)
}

// Less reports whether i sorts before o in Compare's order.
func (i Iface6) Less(o Iface6) bool { return i.Compare(o) < 0 }

// IsPrivate reports whether i's address is private (see Addr6.IsPrivate).
func (i Iface6) IsPrivate() bool { return i.a.IsPrivate() }

// IsGlobal reports whether i's address is global.
func (i Iface6) IsGlobal() bool { return i.a.IsGlobal() }

// IsMulticast reports whether i's address is multicast.
func (i Iface6) IsMulticast() bool { return i.a.IsMulticast() }

// IsReserved reports whether i's address is IETF reserved.
func (i Iface6) IsReserved() bool { return i.a.IsReserved() }

// IsLinkLocal reports whether i's address is link-local.
func (i Iface6) IsLinkLocal() bool { return i.a.IsLinkLocal() }

// IsSiteLocal reports whether i's address is site-local.
func (i Iface6) IsSiteLocal() bool { return i.a.IsSiteLocal() }

// IsLoopback reports whether both i's address and its whole network are
// loopback, as Python requires: ::1/128 is, ::1/64 is not.
func (i Iface6) IsLoopback() bool { return i.a.IsLoopback() && i.Network().IsLoopback() }

// IsUnspecified reports whether i is ::/128: Python requires the address
// to be :: and the whole network to be unspecified.
func (i Iface6) IsUnspecified() bool { return i.a.u.IsZero() && i.Network().IsUnspecified() }
