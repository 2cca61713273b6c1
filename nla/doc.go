// Package nla reads and writes netlink attributes (struct nlattr, the
// type-length-value records that follow every netlink message's fixed
// header).
//
// Reading never copies. An [Attr] is a view of one attribute inside the
// caller's buffer, and its typed accessors check the payload length and
// return an error value instead of panicking or reading out of range. A
// [Chain] is a view of a whole attribute list: the list may repeat a type
// (it is a list, not a map), so Chain offers the first attribute of a type,
// every attribute of a type, and every attribute in order.
//
// Looking an attribute up in a Chain scans it. When a message is read
// field by field, an [Index] built over the chain turns every later lookup
// into an array access: it is built lazily, on the first lookup, into
// storage the Index owns, so a single Index reused across the messages of a
// dump allocates nothing.
//
// Writing is append-style: an [Encoder] appends aligned attributes,
// including nested ones, to a byte slice and allocates only when the
// slice's capacity is exhausted.
//
// Netlink attributes are in host byte order unless the sender sets
// NLA_F_NET_BYTEORDER; the BE accessors read network byte order.
package nla
