package seg6

import (
	"errors"

	"golang.org/x/sys/unix"
)

// The SEG6 family's vocabulary, from include/uapi/linux/seg6_genl.h and
// seg6_hmac.h. SEG6 has no YNL spec, so these are written by hand.

// FamilyName is the generic-netlink family to resolve (SEG6_GENL_NAME).
const FamilyName = "SEG6"

// FamilyVersion is the family's version (SEG6_GENL_VERSION).
const FamilyVersion = 1

// Commands (SEG6_CMD_*).
const (
	CmdSetHMAC   = 1 // SEG6_CMD_SETHMAC: add, replace or (secret length 0) delete a key
	CmdDumpHMAC  = 2 // SEG6_CMD_DUMPHMAC, a dump of the keys
	CmdSetTunSrc = 3 // SEG6_CMD_SET_TUNSRC
	CmdGetTunSrc = 4 // SEG6_CMD_GET_TUNSRC
)

// Attributes (SEG6_ATTR_*).
const (
	AttrDst       = 1 // SEG6_ATTR_DST, struct in6_addr: the tunnel source
	AttrDstLen    = 2 // SEG6_ATTR_DSTLEN, s32 (unused by the kernel)
	AttrHMACKeyID = 3 // SEG6_ATTR_HMACKEYID, u32
	AttrSecret    = 4 // SEG6_ATTR_SECRET, binary: the key's secret
	AttrSecretLen = 5 // SEG6_ATTR_SECRETLEN, u8: the secret's length
	AttrAlgID     = 6 // SEG6_ATTR_ALGID, u8 of an Algorithm
	AttrHMACInfo  = 7 // SEG6_ATTR_HMACINFO, nested (unused by the kernel)
)

// SecretMaxLen is the longest secret the kernel keeps
// (SEG6_HMAC_SECRET_LEN).
const SecretMaxLen = 64

// Algorithm is an HMAC's hash (SEG6_HMAC_ALGO_*).
type Algorithm uint8

// The algorithms of the kernel.
const (
	SHA1   Algorithm = 1 // SEG6_HMAC_ALGO_SHA1
	SHA256 Algorithm = 2 // SEG6_HMAC_ALGO_SHA256
)

// String is the algorithm's name as ip spells it ("sha1", "sha256"), or
// "<unknown>" as ip prints any other.
func (a Algorithm) String() string {
	switch a {
	case SHA1:
		return "sha1"
	case SHA256:
		return "sha256"
	}
	return "<unknown>"
}

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")

// ErrHMACNotSupported is the kernel's ENOTSUPP (524, an errno of the
// kernel's own that libc has no name for), which a kernel built without
// CONFIG_IPV6_SEG6_HMAC answers to every HMAC request: errors.Is(err,
// ErrHMACNotSupported) tells it from a refusal of the request itself.
var ErrHMACNotSupported error = unix.Errno(524)
