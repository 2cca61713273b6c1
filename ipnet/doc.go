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
// String is Python's str (compressed), Exploded the long form, and
// networks and interfaces have WithPrefixLen, WithNetmask and WithHostmask.
// An IPv4-mapped IPv6 address prints as ::ffff:192.0.2.1, as in 3.13.
// ReversePointer of an address is its in-addr.arpa or ip6.arpa name; that of
// a network or interface is Python's quirky answer, which reverses the
// "/prefixlen" too (0/24.2.0.192.in-addr.arpa) and so is no DNS name.
// Format is Python's format(address, spec): "s" specs with fill, alignment,
// width and precision, and zero-padded binary or hex ("b", "x", "X", "n",
// with '#' and '_').
//
// # Arithmetic
//
// Add and Sub move an address (Python's a + n); on an interface they give
// a full-length interface, as Python's i + n does. At is Python's n[i].
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
// # Python version
//
// ipnet follows the CPython 3.13 branch including its bug-fix releases:
// the 3.13 special-purpose tables (including RFC 9637's 3fff::/20, gh-124217,
// and the exceptions inside 192.0.0.0/24 and 2001::/23), IPv4-mapped IPv6
// addresses whose IsPrivate, IsGlobal, IsLoopback, IsMulticast, IsReserved,
// IsLinkLocal and IsUnspecified are those of the mapped IPv4 address
// (gh-122792), and the early rejection of IPv6 text longer than 45
// characters (gh-128840). ipnet/oracle_test.go checks ipnet against that
// module record by record (see testdata/README.md).
//
// # Deviations from CPython 3.13.0
//
// Where 3.13.0 raises from a property or gives an answer that is plainly a
// bug, ipnet does what later CPython does or what Python evidently
// intends, so that no formatting method can fail and orders are
// consistent. The oracle test holds ipnet to each rule below and logs how
// many records it covers.
//
//   - Exploded of a scoped IPv6 address or network keeps the scope id
//     (fe80:0000:0000:0000:0000:0000:0000:0001%eth0) where 3.13.0 raises
//     AddressValueError (gh-88178, fixed on CPython's main branch for
//     addresses).
//   - ReversePointer of a scoped IPv6 address or network ignores the scope
//     id, where 3.13.0 raises and CPython main splices the reversed scope
//     id into the name (gh-155836).
//   - Iface4.IsUnspecified is true for 0.0.0.0/32, as for Iface6 and as in
//     CPython main; 3.13.0 always answers False (gh-115766).
//   - Compare and CompareNetworks ignore scope ids, so networks that differ
//     only in scope id compare by prefix length. In 3.13.0
//     compare_networks answers 1 both ways for such networks and < is
//     inconsistent with it.
//   - AddressExclude ignores scope ids; 3.13.0 raises AssertionError for
//     some scoped networks ("Error performing exclusion").
//   - CollapseAddresses drops scope ids; 3.13.0 keeps the scope id of an
//     input network that nothing merged with.
//   - CollapseAddresses takes addresses and networks as separate lists and
//     checks the versions of the addresses first, so when versions are
//     mixed its *VersionError may name a different pair of items than
//     Python, which walks its single list in order.
//   - Network.Contains and Network.Overlaps of different IP versions return
//     a *VersionError, where Python answers False: ipnet never mixes
//     versions silently.
//
// # Limits
//
// ipnet's typed API cannot express some of Python's arguments: integers
// are uint32 or Uint128, so negative integers and integers of 2**128 or
// more are not addresses (Python raises AddressValueError for them);
// offsets for Add and Sub are int64 (AddUint128 and SubUint128 for IPv6
// offsets beyond it, and Iface6 likewise), and indexes for At are int64
// (AtUint128 and AtUint128FromEnd beyond it), so an IPv4 offset or index
// beyond int64, or any beyond 128 bits, which Python rejects anyway, cannot
// be passed at all. Subnets and SubnetsTo, Supernet and SupernetTo are
// separate methods, so Python's error for giving prefixlen_diff and
// new_prefix together has no counterpart. Format pads to at most
// MaxFormatWidth characters, where Python pads to any width memory allows.
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
