package fou

import "errors"

// The fou family's vocabulary, from include/uapi/linux/fou.h.

// FamilyName is the generic-netlink family to resolve (FOU_GENL_NAME).
const FamilyName = "fou"

// FamilyVersion is the family's version (FOU_GENL_VERSION).
const FamilyVersion = 1

// Commands (FOU_CMD_*).
const (
	CmdAdd = 1 // FOU_CMD_ADD: open a receive port
	CmdDel = 2 // FOU_CMD_DEL: close one
	CmdGet = 3 // FOU_CMD_GET: one port, or a dump of them all
)

// Attributes (FOU_ATTR_*).
const (
	AttrPort             = 1  // FOU_ATTR_PORT, u16 in network byte order
	AttrAF               = 2  // FOU_ATTR_AF, u8: AF_INET or AF_INET6
	AttrIPProto          = 3  // FOU_ATTR_IPPROTO, u8: the protocol of direct encapsulation
	AttrType             = 4  // FOU_ATTR_TYPE, u8 of an Encap
	AttrRemcsumNoPartial = 5  // FOU_ATTR_REMCSUM_NOPARTIAL, flag
	AttrLocalV4          = 6  // FOU_ATTR_LOCAL_V4, 4 bytes
	AttrLocalV6          = 7  // FOU_ATTR_LOCAL_V6, struct in6_addr
	AttrPeerV4           = 8  // FOU_ATTR_PEER_V4, 4 bytes
	AttrPeerV6           = 9  // FOU_ATTR_PEER_V6, struct in6_addr
	AttrPeerPort         = 10 // FOU_ATTR_PEER_PORT, u16 in network byte order
	AttrIfindex          = 11 // FOU_ATTR_IFINDEX, s32
)

// Encap is a port's encapsulation (FOU_ENCAP_*).
type Encap uint8

// The encapsulations.
const (
	EncapDirect Encap = 1 // FOU_ENCAP_DIRECT: the IP packet right after the UDP header
	EncapGUE    Encap = 2 // FOU_ENCAP_GUE: a GUE header first
)

// String is the encapsulation's name ("direct", "gue"), or "unknown".
func (e Encap) String() string {
	switch e {
	case EncapDirect:
		return "direct"
	case EncapGUE:
		return "gue"
	}
	return "unknown"
}

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")
