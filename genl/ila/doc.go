// Package ila is the kernel's Identifier-Locator Addressing family over
// generic netlink, ila: the mappings by which the kernel rewrites the
// locator (the upper 64 bits) of IPv6 addresses as packets arrive, one
// per locator to match and device (`ip ila`).
//
// [Mappings] streams the mappings as lazy views ([Mapping]) that
// allocate nothing per mapping; [Add] and [Delete] build the requests
// that add and remove one from a [Spec]. Requests are validated before
// anything is sent ([ErrInvalid]); [Do] resolves the family and sends
// them. A kernel without the family (built without CONFIG_IPV6_ILA) is a
// *genl.FamilyNotFoundError, matched by errors.Is(err,
// genl.ErrFamilyNotFound); the kernel's refusals wrap its unix.Errno. The
// kernel keeps the mappings per network namespace.
//
// Locators are 64-bit numbers whose four 16-bit groups are written
// "2001:db8:1:2" ([ParseLocator], [AppendLocator]); the package sends
// them in network byte order, as the kernel wants them.
//
// The vocabulary is written by hand from the uapi header linux/ila.h,
// and the encodings follow net/ipv6/ila/ila_xlat.c and iproute2's
// ip/ipila.c, whose requests the tests compare byte for byte with the
// package's.
package ila
