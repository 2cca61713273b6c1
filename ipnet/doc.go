// Package ipnet is Python's ipaddress module (PEP 3144, CPython 3.13
// semantics) for Go: IPv4 and IPv6 addresses, networks and interfaces as
// allocation-free value types.
//
// # Types
//
// Addr4 and Addr6 are addresses (IPv4Address, IPv6Address); Net4 and Net6
// are networks (IPv4Network, IPv6Network), whose host bits are always
// clear; Iface4 and Iface6 are interface addresses (IPv4Interface,
// IPv6Interface): an address together with the network it is on. Addr,
// Network and Interface hold either version and are what ParseAddress,
// ParseNetwork and ParseInterface (ip_address, ip_network, ip_interface)
// return. All are small comparable values: IPv6 math is done on Uint128,
// a pair of uint64, without math/big or pointers; netmask, hostmask and
// broadcast address are derived from the prefix length in O(1). An IPv6
// scope id is an interned unique.Handle, so addresses without one carry no
// pointer.
//
// # Versions are never mixed
//
// The version-specific types make mixing IPv4 and IPv6 a compile-time
// error. The version-agnostic types report it at run time as a
// *VersionError, Python's TypeError: comparing, collapsing, containment,
// overlap, subnet tests and exclusion across versions all fail. (Python's
// `in` and overlaps() answer False instead; ipnet refuses to guess.)
// MixedKey provides the total order of Python's get_mixed_type_key for
// sorting mixed lists: IPv4 before IPv6, then by address, an address
// before a network with the same address, then by netmask.
//
// # Parsing and errors
//
// Parsing accepts exactly what Python accepts: no leading zeros in IPv4
// octets, every IPv6 form including "::" and an embedded dotted quad, scope
// ids (fe80::1%eth0), prefix lengths with leading zeros (/024), and for
// IPv4 networks netmasks (/255.255.255.0) and hostmasks (/0.0.0.255).
// Successful parses do not allocate (a scope id is interned). Errors carry
// Python's exact messages and classes: *AddressError (AddressValueError),
// *NetmaskError (NetmaskValueError), *ValueError, *VersionError and
// *IndexError; errors.Is matches them against ErrValue, ErrVersion and
// ErrIndex the way Python's class hierarchy does.
//
// # Formatting
//
// String is Python's str (compressed), Exploded the long form,
// ReversePointer the in-addr.arpa or ip6.arpa name, and networks and
// interfaces have WithPrefixLen, WithNetmask and WithHostmask. An
// IPv4-mapped IPv6 address prints as ::ffff:192.0.2.1, as in 3.13.
//
// # Iterators
//
// Hosts, All, Subnets, SubnetsTo, AddressExclude, SummarizeAddressRange and
// CollapseAddresses return iter.Seq values in the order Python yields.
// They are lazy, so ranging over the first few addresses of a /0 is cheap;
// argument errors are returned before iteration starts. Collapsing sorts
// and merges its input up front (the result is the unique minimal sorted
// cover of the input addresses, as Python's) and splits the merged ranges
// into networks lazily.
//
// # Deviations from CPython 3.13
//
// ipnet follows the 3.13 behaviour where it differs from older Pythons:
// the 3.13 special-purpose tables (including RFC 9637's 3fff::/20 and the
// exceptions inside 192.0.0.0/24 and 2001::/23), and IPv4-mapped IPv6
// addresses whose IsPrivate, IsGlobal, IsLoopback, IsMulticast,
// IsReserved, IsLinkLocal and IsUnspecified are those of the mapped IPv4
// address. Where 3.13 raises from a property or returns a value that
// is plainly a bug, ipnet does what later CPython does or what Python
// evidently intends, so that no formatting method can fail:
//
//   - Exploded of a scoped address keeps the scope id
//     (fe80:0000:...:0001%eth0) where 3.13 raises AddressValueError
//     (fixed upstream in gh-88178).
//   - Exploded of an IPv4-mapped interface keeps its "/prefixlen".
//   - ReversePointer ignores the scope id, and only addresses have one:
//     Python's reverse_pointer of a network or interface reverses the
//     "/prefixlen" text too, which is no DNS name.
//   - Iface4.IsUnspecified and Iface6.IsUnspecified and IsLoopback look at
//     the whole network, as current CPython does.
//   - An IPv6 address string longer than 45 characters is rejected with
//     current CPython's "At most 45 characters expected" message.
//   - Compare and CompareNetworks ignore scope ids, so they are a
//     consistent order; Python's comparisons of networks that differ only
//     in scope id contradict each other.
//   - Not modelled: format(address, spec), adding an integer to an
//     interface (Python returns a /32 or /128 interface), and
//     reverse_pointer of networks and interfaces.
//   - Add and Sub take an int64 (AddUint128 and SubUint128 for IPv6
//     offsets beyond it); At takes an int64 index.
//
// # Conversions
//
// FromNetip-style constructors and Netip methods convert to and from
// net/netip (netip.Prefix has no scope id, so it is dropped), Uint128 and
// Uint32 give the integer value, As4, As16 and Packed the bytes in network
// order, and Addr4From, Addr6From, Addr4FromBytes and Addr6FromBytes
// build addresses back. Net6.NumAddresses returns a Uint128 plus an
// overflow flag for the 2**128 addresses of ::/0; NumAddressesString gives
// the exact decimal count.
package ipnet
