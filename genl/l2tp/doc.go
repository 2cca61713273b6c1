// Package l2tp is the kernel's L2TPv3 family over generic netlink,
// l2tp: the static tunnels and the Ethernet pseudowire sessions in them
// that `ip l2tp` creates, deletes and lists, without a control
// protocol.
//
// [Tunnels] and [Sessions] stream them as lazy views ([Tunnel],
// [Session]) that allocate nothing per object, and [GetTunnel] and
// [GetSession] read one; [CreateTunnel], [DeleteTunnel],
// [CreateSession] and [DeleteSession] build the requests that change
// them. Requests are validated before anything is sent ([ErrInvalid]);
// [Do] resolves the family and sends them. A kernel without the family
// (built without CONFIG_L2TP) is a *genl.FamilyNotFoundError, matched by
// errors.Is(err, genl.ErrFamilyNotFound); the kernel's refusals wrap
// its unix.Errno.
//
// The vocabulary is written by hand from the uapi header linux/l2tp.h,
// and the encodings follow net/l2tp/l2tp_netlink.c and iproute2's
// ip/ipl2tp.c, whose requests the tests compare byte for byte with the
// package's. Ports are in host byte order on the wire, as the family
// has them.
package l2tp
