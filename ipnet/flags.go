package ipnet

// The special-purpose tables below are those of CPython 3.13's ipaddress
// (_IPv4Constants and _IPv6Constants), which follow the IANA IPv4 and IPv6
// Special-Purpose Address Registries: a block is "private" when the
// registry marks it not globally reachable.

type block4 struct {
	addr uint32
	bits uint8
}

func (b block4) contains(v uint32) bool { return (v^b.addr)>>(32-b.bits) == 0 }

type block6 struct {
	addr Uint128
	bits uint8
}

func (b block6) contains(u Uint128) bool {
	x := u.Xor(b.addr)
	if b.bits <= 64 {
		return x.Hi>>(64-b.bits) == 0
	}
	return x.Hi == 0 && x.Lo>>(128-b.bits) == 0
}

func b6(hi, lo uint64, bits uint8) block6 { return block6{Uint128{hi, lo}, bits} }

// The IPv4 blocks are written as constant expressions, octet by octet,
// rather than through a helper like b6: the compiler cannot lay out the
// result of shifting a helper's byte parameters as static data, and would
// compute the tables at package init.

var (
	linkLocal4 = block4{169<<24 | 254<<16 | 0<<8 | 0, 16}
	loopback4  = block4{127<<24 | 0<<16 | 0<<8 | 0, 8}
	multicast4 = block4{224<<24 | 0<<16 | 0<<8 | 0, 4}
	shared4    = block4{100<<24 | 64<<16 | 0<<8 | 0, 10} // RFC 6598: neither private nor global
	reserved4  = block4{240<<24 | 0<<16 | 0<<8 | 0, 4}

	private4 = [...]block4{
		{0<<24 | 0<<16 | 0<<8 | 0, 8},
		{10<<24 | 0<<16 | 0<<8 | 0, 8},
		{127<<24 | 0<<16 | 0<<8 | 0, 8},
		{169<<24 | 254<<16 | 0<<8 | 0, 16},
		{172<<24 | 16<<16 | 0<<8 | 0, 12},
		{192<<24 | 0<<16 | 0<<8 | 0, 24},
		{192<<24 | 0<<16 | 0<<8 | 170, 31},
		{192<<24 | 0<<16 | 2<<8 | 0, 24},
		{192<<24 | 168<<16 | 0<<8 | 0, 16},
		{198<<24 | 18<<16 | 0<<8 | 0, 15},
		{198<<24 | 51<<16 | 100<<8 | 0, 24},
		{203<<24 | 0<<16 | 113<<8 | 0, 24},
		{240<<24 | 0<<16 | 0<<8 | 0, 4},
		{255<<24 | 255<<16 | 255<<8 | 255, 32},
	}
	privateExceptions4 = [...]block4{
		{192<<24 | 0<<16 | 0<<8 | 9, 32},
		{192<<24 | 0<<16 | 0<<8 | 10, 32},
	}

	linkLocal6 = b6(0xfe80<<48, 0, 10)
	multicast6 = b6(0xff00<<48, 0, 8)
	siteLocal6 = b6(0xfec0<<48, 0, 10)

	private6 = [...]block6{
		b6(0, 1, 128),                   // ::1/128
		b6(0, 0, 128),                   // ::/128
		b6(0, 0xffff<<32, 96),           // ::ffff:0:0/96
		b6(0x0064_ff9b_0001<<16, 0, 48), // 64:ff9b:1::/48
		b6(0x0100<<48, 0, 64),           // 100::/64
		b6(0x2001<<48, 0, 23),           // 2001::/23
		b6(0x2001_0db8<<32, 0, 32),      // 2001:db8::/32
		b6(0x2002<<48, 0, 16),           // 2002::/16
		b6(0x3fff<<48, 0, 20),           // 3fff::/20 (RFC 9637)
		b6(0xfc00<<48, 0, 7),            // fc00::/7
		b6(0xfe80<<48, 0, 10),           // fe80::/10
	}
	privateExceptions6 = [...]block6{
		b6(0x2001_0001<<32, 1, 128),     // 2001:1::1/128
		b6(0x2001_0001<<32, 2, 128),     // 2001:1::2/128
		b6(0x2001_0003<<32, 0, 32),      // 2001:3::/32
		b6(0x2001_0004_0112<<16, 0, 48), // 2001:4:112::/48
		b6(0x2001_0020<<32, 0, 28),      // 2001:20::/28
		b6(0x2001_0030<<32, 0, 28),      // 2001:30::/28
	}
	reserved6 = [...]block6{
		b6(0x0000<<48, 0, 8), b6(0x0100<<48, 0, 8),
		b6(0x0200<<48, 0, 7), b6(0x0400<<48, 0, 6),
		b6(0x0800<<48, 0, 5), b6(0x1000<<48, 0, 4),
		b6(0x4000<<48, 0, 3), b6(0x6000<<48, 0, 3),
		b6(0x8000<<48, 0, 3), b6(0xa000<<48, 0, 3),
		b6(0xc000<<48, 0, 3), b6(0xe000<<48, 0, 4),
		b6(0xf000<<48, 0, 5), b6(0xf800<<48, 0, 6),
		b6(0xfe00<<48, 0, 9),
	}
)

func isPrivate4(v uint32) bool {
	for _, b := range privateExceptions4 {
		if b.contains(v) {
			return false
		}
	}
	for _, b := range private4 {
		if b.contains(v) {
			return true
		}
	}
	return false
}

func isPrivate6(u Uint128) bool {
	for _, b := range privateExceptions6 {
		if b.contains(u) {
			return false
		}
	}
	for _, b := range private6 {
		if b.contains(u) {
			return true
		}
	}
	return false
}

func isReserved6(u Uint128) bool {
	for _, b := range reserved6 {
		if b.contains(u) {
			return true
		}
	}
	return false
}

// IsPrivate reports whether the IANA IPv4 Special-Purpose Address Registry
// marks a as not globally reachable. 100.64.0.0/10 is neither private nor
// global.
func (a Addr4) IsPrivate() bool { return isPrivate4(a.v) }

// IsGlobal reports whether a is globally reachable: not private and not in
// the shared address space 100.64.0.0/10.
func (a Addr4) IsGlobal() bool { return !shared4.contains(a.v) && !isPrivate4(a.v) }

// IsMulticast reports whether a is in 224.0.0.0/4 (RFC 3171).
func (a Addr4) IsMulticast() bool { return multicast4.contains(a.v) }

// IsReserved reports whether a is in the IETF reserved 240.0.0.0/4.
func (a Addr4) IsReserved() bool { return reserved4.contains(a.v) }

// IsLoopback reports whether a is in 127.0.0.0/8.
func (a Addr4) IsLoopback() bool { return loopback4.contains(a.v) }

// IsLinkLocal reports whether a is in 169.254.0.0/16 (RFC 3927).
func (a Addr4) IsLinkLocal() bool { return linkLocal4.contains(a.v) }

// IsUnspecified reports whether a is 0.0.0.0.
func (a Addr4) IsUnspecified() bool { return a.v == 0 }

// The IPv6 predicates below follow Python 3.13: for an IPv4-mapped address
// (::ffff:0:0/96) they report the property of the mapped IPv4 address.

// IsPrivate reports whether the IANA IPv6 Special-Purpose Address Registry
// marks a as not globally reachable (for an IPv4-mapped address: whether
// the IPv4 address is private).
func (a Addr6) IsPrivate() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsPrivate()
	}
	return isPrivate6(a.u)
}

// IsGlobal reports whether a is globally reachable: not private (for an
// IPv4-mapped address: whether the IPv4 address is global).
func (a Addr6) IsGlobal() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsGlobal()
	}
	return !isPrivate6(a.u)
}

// IsMulticast reports whether a is in ff00::/8 (RFC 2373).
func (a Addr6) IsMulticast() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsMulticast()
	}
	return multicast6.contains(a.u)
}

// IsReserved reports whether a is in one of the IETF reserved IPv6 ranges.
func (a Addr6) IsReserved() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsReserved()
	}
	return isReserved6(a.u)
}

// IsLoopback reports whether a is ::1.
func (a Addr6) IsLoopback() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsLoopback()
	}
	return a.u == Uint128{Lo: 1}
}

// IsLinkLocal reports whether a is in fe80::/10 (RFC 4291).
func (a Addr6) IsLinkLocal() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsLinkLocal()
	}
	return linkLocal6.contains(a.u)
}

// IsSiteLocal reports whether a is in the deprecated site-local fec0::/10
// (RFC 3513); IPv4-mapped addresses are not mapped for this test, as in
// Python.
func (a Addr6) IsSiteLocal() bool { return siteLocal6.contains(a.u) }

// IsUnspecified reports whether a is :: (or ::ffff:0.0.0.0).
func (a Addr6) IsUnspecified() bool {
	if v4, ok := a.IPv4Mapped(); ok {
		return v4.IsUnspecified()
	}
	return a.u.IsZero()
}
