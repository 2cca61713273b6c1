package l2tp

import "errors"

// The l2tp family's vocabulary, from include/uapi/linux/l2tp.h.

// FamilyName is the generic-netlink family to resolve (L2TP_GENL_NAME).
const FamilyName = "l2tp"

// FamilyVersion is the family's version (L2TP_GENL_VERSION).
const FamilyVersion = 1

// Commands (L2TP_CMD_*).
const (
	CmdTunnelCreate  = 1 // L2TP_CMD_TUNNEL_CREATE
	CmdTunnelDelete  = 2 // L2TP_CMD_TUNNEL_DELETE
	CmdTunnelModify  = 3 // L2TP_CMD_TUNNEL_MODIFY
	CmdTunnelGet     = 4 // L2TP_CMD_TUNNEL_GET: one tunnel, or a dump of them all
	CmdSessionCreate = 5 // L2TP_CMD_SESSION_CREATE
	CmdSessionDelete = 6 // L2TP_CMD_SESSION_DELETE
	CmdSessionModify = 7 // L2TP_CMD_SESSION_MODIFY
	CmdSessionGet    = 8 // L2TP_CMD_SESSION_GET: one session, or a dump of them all
)

// Attributes (L2TP_ATTR_*).
const (
	AttrPwType         = 1  // L2TP_ATTR_PW_TYPE, u16 of a PseudowireType
	AttrEncapType      = 2  // L2TP_ATTR_ENCAP_TYPE, u16 of an Encap
	AttrOffset         = 3  // L2TP_ATTR_OFFSET, u16 (unused)
	AttrDataSeq        = 4  // L2TP_ATTR_DATA_SEQ, u16 (unused)
	AttrL2SpecType     = 5  // L2TP_ATTR_L2SPEC_TYPE, u8 of an L2Spec
	AttrL2SpecLen      = 6  // L2TP_ATTR_L2SPEC_LEN, u8
	AttrProtoVersion   = 7  // L2TP_ATTR_PROTO_VERSION, u8: 2 or 3
	AttrIfname         = 8  // L2TP_ATTR_IFNAME, string
	AttrConnID         = 9  // L2TP_ATTR_CONN_ID, u32: the tunnel id
	AttrPeerConnID     = 10 // L2TP_ATTR_PEER_CONN_ID, u32
	AttrSessionID      = 11 // L2TP_ATTR_SESSION_ID, u32
	AttrPeerSessionID  = 12 // L2TP_ATTR_PEER_SESSION_ID, u32
	AttrUDPCsum        = 13 // L2TP_ATTR_UDP_CSUM, u8
	AttrVlanID         = 14 // L2TP_ATTR_VLAN_ID, u16 (unused)
	AttrCookie         = 15 // L2TP_ATTR_COOKIE, 0, 4 or 8 bytes
	AttrPeerCookie     = 16 // L2TP_ATTR_PEER_COOKIE, 0, 4 or 8 bytes
	AttrDebug          = 17 // L2TP_ATTR_DEBUG, u32 (unused)
	AttrRecvSeq        = 18 // L2TP_ATTR_RECV_SEQ, u8
	AttrSendSeq        = 19 // L2TP_ATTR_SEND_SEQ, u8
	AttrLNSMode        = 20 // L2TP_ATTR_LNS_MODE, u8
	AttrUsingIPsec     = 21 // L2TP_ATTR_USING_IPSEC, u8
	AttrRecvTimeout    = 22 // L2TP_ATTR_RECV_TIMEOUT, u64 of milliseconds
	AttrFD             = 23 // L2TP_ATTR_FD, s32 (a tunnel's socket, L2TPv2)
	AttrIPSaddr        = 24 // L2TP_ATTR_IP_SADDR, 4 bytes
	AttrIPDaddr        = 25 // L2TP_ATTR_IP_DADDR, 4 bytes
	AttrUDPSport       = 26 // L2TP_ATTR_UDP_SPORT, u16 in host byte order
	AttrUDPDport       = 27 // L2TP_ATTR_UDP_DPORT, u16 in host byte order
	AttrMTU            = 28 // L2TP_ATTR_MTU, u16 (unused)
	AttrMRU            = 29 // L2TP_ATTR_MRU, u16 (unused)
	AttrStats          = 30 // L2TP_ATTR_STATS, nested L2TP_ATTR_STATS_*
	AttrIP6Saddr       = 31 // L2TP_ATTR_IP6_SADDR, struct in6_addr
	AttrIP6Daddr       = 32 // L2TP_ATTR_IP6_DADDR, struct in6_addr
	AttrUDPZeroCsum6TX = 33 // L2TP_ATTR_UDP_ZERO_CSUM6_TX, flag
	AttrUDPZeroCsum6RX = 34 // L2TP_ATTR_UDP_ZERO_CSUM6_RX, flag
	AttrPad            = 35 // L2TP_ATTR_PAD
)

// Counters of AttrStats (L2TP_ATTR_*), each a u64.
const (
	StatsTxPackets        = 1  // L2TP_ATTR_TX_PACKETS
	StatsTxBytes          = 2  // L2TP_ATTR_TX_BYTES
	StatsTxErrors         = 3  // L2TP_ATTR_TX_ERRORS
	StatsRxPackets        = 4  // L2TP_ATTR_RX_PACKETS
	StatsRxBytes          = 5  // L2TP_ATTR_RX_BYTES
	StatsRxSeqDiscards    = 6  // L2TP_ATTR_RX_SEQ_DISCARDS
	StatsRxOOSPackets     = 7  // L2TP_ATTR_RX_OOS_PACKETS
	StatsRxErrors         = 8  // L2TP_ATTR_RX_ERRORS
	StatsPad              = 9  // L2TP_ATTR_STATS_PAD
	StatsRxCookieDiscards = 10 // L2TP_ATTR_RX_COOKIE_DISCARDS
	StatsRxInvalid        = 11 // L2TP_ATTR_RX_INVALID
)

// Encap is a tunnel's encapsulation (L2TP_ENCAPTYPE_*).
type Encap uint16

// The encapsulations.
const (
	EncapUDP Encap = 0 // L2TP_ENCAPTYPE_UDP: over UDP
	EncapIP  Encap = 1 // L2TP_ENCAPTYPE_IP: right over IP (protocol 115)
)

// String is the encapsulation's name as ip prints it ("UDP", "IP"), or
// "??".
func (e Encap) String() string {
	switch e {
	case EncapUDP:
		return "UDP"
	case EncapIP:
		return "IP"
	}
	return "??"
}

// PseudowireType is a session's pseudowire (L2TP_PWTYPE_*).
type PseudowireType uint16

// The pseudowires.
const (
	PwTypeNone    PseudowireType = 0x0000 // L2TP_PWTYPE_NONE
	PwTypeEthVLAN PseudowireType = 0x0004 // L2TP_PWTYPE_ETH_VLAN
	PwTypeEth     PseudowireType = 0x0005 // L2TP_PWTYPE_ETH: the one ip creates
	PwTypePPP     PseudowireType = 0x0007 // L2TP_PWTYPE_PPP
	PwTypePPPAC   PseudowireType = 0x0008 // L2TP_PWTYPE_PPP_AC
	PwTypeIP      PseudowireType = 0x000b // L2TP_PWTYPE_IP
)

// L2Spec is a session's layer-2-specific sublayer (L2TP_L2SPECTYPE_*).
type L2Spec uint8

// The sublayers.
const (
	L2SpecNone    L2Spec = 0 // L2TP_L2SPECTYPE_NONE
	L2SpecDefault L2Spec = 1 // L2TP_L2SPECTYPE_DEFAULT: 4 bytes
)

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")
