// Package seg6 is the kernel's SRv6 (IPv6 segment routing) family over
// generic netlink, SEG6: the source address of the outer header the
// kernel's seg6 encapsulation writes (`ip sr tunsrc`), and the HMAC keys
// that sign and check segment routing headers (`ip sr hmac`).
//
// [TunnelSource] asks for the tunnel source and [SetTunnelSource] builds
// the request that changes it; [HMACKeys] streams the HMAC keys as lazy
// views ([HMACKey]) that allocate nothing per key, and [SetHMAC] and
// [DeleteHMAC] build the requests that add, replace and remove one.
// Requests are validated before anything is sent ([ErrInvalid]); [Do]
// resolves the family and sends them. A kernel without the family is a
// *genl.FamilyNotFoundError, matched by errors.Is(err,
// genl.ErrFamilyNotFound); a kernel built without
// CONFIG_IPV6_SEG6_HMAC refuses every HMAC request with the kernel's
// ENOTSUPP, matched by errors.Is(err, [ErrHMACNotSupported]).
//
// The family has no YNL spec: its vocabulary is written by hand from the
// uapi headers linux/seg6_genl.h and linux/seg6_hmac.h, and the
// encodings follow net/ipv6/seg6.c and iproute2's ip/ipseg6.c.
package seg6
