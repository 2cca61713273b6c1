// Package ioam6 is the kernel's IPv6 In-situ OAM family over generic
// netlink, IOAM6: the IOAM namespaces a node knows, with the data it
// writes into the IOAM trace option of packets in each, and the opaque
// state snapshot schemas that namespaces may carry (`ip ioam`).
//
// [Namespaces] and [Schemas] stream them as lazy views ([Namespace],
// [Schema]) that allocate nothing per object; [AddNamespace],
// [DeleteNamespace], [AddSchema], [DeleteSchema], [SetNamespaceSchema]
// and [DetachNamespaceSchema] build the requests that change them.
// Requests are validated before anything is sent ([ErrInvalid]); [Do]
// resolves the family and sends them. A kernel without the family
// (built without CONFIG_IPV6_IOAM6_LWTUNNEL) is a
// *genl.FamilyNotFoundError, matched by errors.Is(err,
// genl.ErrFamilyNotFound). The kernel keeps namespaces and schemas per
// network namespace.
//
// The family has no YNL spec: its vocabulary is written by hand from the
// uapi header linux/ioam6_genl.h, and the encodings follow
// net/ipv6/ioam6.c and iproute2's ip/ipioam6.c.
package ioam6
