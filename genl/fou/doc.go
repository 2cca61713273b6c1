// Package fou is the kernel's foo-over-UDP family over generic netlink,
// fou: the UDP ports on which the kernel receives IP packets
// encapsulated in UDP, either directly (FOU, one IP protocol per port)
// or behind a Generic UDP Encapsulation header (GUE), which ip-link's
// fou and gue tunnels send to (`ip fou`).
//
// [Mappings] streams the receive ports as lazy views ([Mapping]) that
// allocate nothing per port, and [Get] reads one; [Add] and [Delete]
// build the requests that open and close one from a [Spec]. Requests
// are validated before anything is sent ([ErrInvalid]); [Do] resolves
// the family and sends them. A kernel without the family (built
// without CONFIG_NET_FOU) is a *genl.FamilyNotFoundError, matched by
// errors.Is(err, genl.ErrFamilyNotFound); the kernel's refusals wrap
// its unix.Errno. The kernel keeps the ports per network namespace.
//
// The vocabulary is written by hand from the uapi header linux/fou.h,
// and the encodings follow net/ipv4/fou_nl.c and fou_core.c and
// iproute2's ip/ipfou.c, whose requests the tests compare byte for
// byte with the package's.
package fou
