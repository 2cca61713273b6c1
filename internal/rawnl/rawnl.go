// Package rawnl lays out netlink messages and attributes byte by byte, as
// linux/netlink.h defines them, without the wire and nla packages: the
// tests of those packages check them against the format rather than
// against themselves, internal/capture records what the kernel answers
// without going through the code its recordings test, and nltest's fake
// kernel and nstest's probes write their messages with it.
package rawnl

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// Attr returns one attribute: its struct nlattr header (length, then
// type, in host byte order), payload, and the zero padding to a multiple
// of 4 bytes that the length does not count.
func Attr(typ uint16, payload []byte) []byte {
	b := make([]byte, 4, 4+len(payload)+3)
	binary.NativeEndian.PutUint16(b[0:], uint16(4+len(payload)))
	binary.NativeEndian.PutUint16(b[2:], typ)
	return pad(append(b, payload...))
}

// Msg returns one message: its struct nlmsghdr (length, type, flags,
// sequence number, port id, in host byte order), payload, and the zero
// padding to a multiple of 4 bytes that the length does not count.
func Msg(typ, flags uint16, seq, pid uint32, payload []byte) []byte {
	b := make([]byte, 16, 16+len(payload)+3)
	binary.NativeEndian.PutUint32(b[0:], uint32(16+len(payload)))
	binary.NativeEndian.PutUint16(b[4:], typ)
	binary.NativeEndian.PutUint16(b[6:], flags)
	binary.NativeEndian.PutUint32(b[8:], seq)
	binary.NativeEndian.PutUint32(b[12:], pid)
	return pad(append(b, payload...))
}

func pad(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// LinkDump returns a request to dump every link, as rtm sends it: an
// RTM_GETLINK message with NLM_F_REQUEST and NLM_F_DUMP, sequence number
// and port id 0, and a zeroed struct ifinfomsg.
func LinkDump() []byte {
	return Msg(unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, 0, 0, make([]byte, unix.SizeofIfInfomsg))
}
