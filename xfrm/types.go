package xfrm

import (
	"net/netip"
	"strconv"
)

// Proto is an IPsec or IPv6 mobility protocol of an SA (the IPPROTO_*
// number of xfrm_id.proto).
type Proto uint8

// The protocols the kernel's XFRM knows.
const (
	ProtoAny      Proto = 0   // any of ESP, AH and IPComp, in flushes and filters
	ProtoRoute2   Proto = 43  // IPPROTO_ROUTING: Mobile IPv6 type 2 routing header
	ProtoESP      Proto = 50  // IPPROTO_ESP
	ProtoAH       Proto = 51  // IPPROTO_AH
	ProtoHAO      Proto = 60  // IPPROTO_DSTOPTS: Mobile IPv6 home address option
	ProtoComp     Proto = 108 // IPPROTO_COMP: IPComp
	ProtoIPsecAny Proto = 255 // IPSEC_PROTO_ANY, as the kernel reads it in a flush
)

// String returns iproute2's name of p ("esp", "ah", "comp", "route2",
// "hao", "ipsec-any": xfrmproto_types), or its number. A switch, not a
// map, so that nothing is built at package init.
func (p Proto) String() string {
	switch p {
	case ProtoESP:
		return "esp"
	case ProtoAH:
		return "ah"
	case ProtoComp:
		return "comp"
	case ProtoRoute2:
		return "route2"
	case ProtoHAO:
		return "hao"
	case ProtoIPsecAny:
		return "ipsec-any"
	}
	return strconv.Itoa(int(p))
}

// ipsec reports whether p is ESP, AH or IPComp.
func (p Proto) ipsec() bool { return p == ProtoESP || p == ProtoAH || p == ProtoComp }

// Mode is an SA's or template's mode (XFRM_MODE_*).
type Mode uint8

// The modes of linux/xfrm.h, XFRM_MODE_TRANSPORT to XFRM_MODE_BEET.
const (
	ModeTransport Mode = iota
	ModeTunnel
	ModeRO // XFRM_MODE_ROUTEOPTIMIZATION
	ModeInTrigger
	ModeBEET
)

// String returns iproute2's name of m, or its number.
func (m Mode) String() string {
	return nameOf(uint8(m), "transport", "tunnel", "ro", "in_trigger", "beet")
}

// nameOf returns names[v], or v's number past them.
func nameOf(v uint8, names ...string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return strconv.Itoa(int(v))
}

// Dir is a policy's direction (XFRM_POLICY_IN, _OUT, _FWD).
type Dir uint8

// The directions of linux/xfrm.h.
const (
	DirIn  Dir = 0
	DirOut Dir = 1
	DirFwd Dir = 2
)

// String returns iproute2's name of d, or its number.
func (d Dir) String() string { return nameOf(uint8(d), "in", "out", "fwd") }

// Action is what a policy does (XFRM_POLICY_ALLOW, _BLOCK).
type Action uint8

// The actions of linux/xfrm.h.
const (
	ActionAllow Action = 0
	ActionBlock Action = 1
)

// PolicyType is the policy database a policy is in
// (XFRM_POLICY_TYPE_MAIN, _SUB).
type PolicyType uint8

// The policy types of linux/xfrm.h.
const (
	PolicyMain PolicyType = 0
	PolicySub  PolicyType = 1
	PolicyAny  PolicyType = 255 // XFRM_POLICY_TYPE_ANY, in flushes
)

// StateFlags are xfrm_usersa_info.flags (XFRM_STATE_*).
type StateFlags uint8

// The state flags of linux/xfrm.h: XFRM_STATE_NOECN, _DECAP_DSCP,
// _NOPMTUDISC, _WILDRECV, _ICMP, _AF_UNSPEC, _ALIGN4, _ESN.
const (
	StateNoECN StateFlags = 1 << iota
	StateDecapDSCP
	StateNoPMTUDisc
	StateWildRecv
	StateICMP
	StateAFUnspec
	StateAlign4
	StateESN
)

// The extra flags of an SA (XFRMA_SA_EXTRA_FLAGS, XFRM_SA_XFLAG_*).
const (
	ExtraDontEncapDSCP uint32 = 1 // XFRM_SA_XFLAG_DONT_ENCAP_DSCP
	ExtraOSeqMayWrap   uint32 = 2 // XFRM_SA_XFLAG_OSEQ_MAY_WRAP
)

// The policy flags (xfrm_userpolicy_info.flags).
const (
	PolicyLocalOK uint8 = 1 // XFRM_POLICY_LOCALOK
	PolicyICMP    uint8 = 2 // XFRM_POLICY_ICMP
)

// The encapsulation types of an SA (UDP_ENCAP_* of linux/udp.h,
// TCP_ENCAP_ESPINTCP of linux/tcp.h).
const (
	EncapESPInUDPNonIKE uint16 = 1 // UDP_ENCAP_ESPINUDP_NON_IKE
	EncapESPInUDP       uint16 = 2 // UDP_ENCAP_ESPINUDP
	EncapESPInTCP       uint16 = 7 // TCP_ENCAP_ESPINTCP
)

// Mark is a mark and mask (struct xfrm_mark): an SA or policy with one
// matches packets whose mark, masked, equals Value.
type Mark struct {
	Value, Mask uint32
}

// Selector says which packets an SA or policy applies to (struct
// xfrm_selector). Src and Dst are prefixes of one family; an invalid
// (zero) prefix is the family's any, and with both invalid the selector
// has Family's (AF_INET or AF_INET6; zero is none for an SA, AF_INET for
// a policy, as iproute2 does). A port whose mask is zero is
// matched exactly (mask 0xffff). For ICMP, SrcPort is the type and
// DstPort the code, as the kernel reads them.
type Selector struct {
	Src, Dst    netip.Prefix
	Family      uint16
	Proto       uint8
	SrcPort     uint16
	SrcPortMask uint16
	DstPort     uint16
	DstPortMask uint16
	Ifindex     int32
	UID         uint32
}

// Lifetime holds an SA's or policy's limits (struct xfrm_lifetime_cfg).
// A zero byte or packet limit is no limit (XFRM_INF); zero seconds are no
// expiry, as in the kernel.
type Lifetime struct {
	SoftBytes, HardBytes     uint64
	SoftPackets, HardPackets uint64
	SoftAddSeconds           uint64
	HardAddSeconds           uint64
	SoftUseSeconds           uint64
	HardUseSeconds           uint64
}

// Current holds an SA's or policy's counters (struct xfrm_lifetime_cur):
// reported by the kernel, ignored in requests.
type Current struct {
	Bytes, Packets   uint64
	AddTime, UseTime uint64 // seconds since the epoch; UseTime 0 if never used
}

// Stats are an SA's error counters (struct xfrm_stats), as reported.
type Stats struct {
	ReplayWindow, Replay, IntegrityFailed uint32
}

// Algo is an algorithm with its key (struct xfrm_algo, xfrm_algo_auth,
// xfrm_algo_aead): Name is the kernel crypto API's name ("cbc(aes)",
// "hmac(sha256)", "rfc4106(gcm(aes))", "deflate"). KeyBits, when not
// zero, is the key length in bits, else 8*len(Key). TruncBits is an
// authentication algorithm's truncation length (XFRMA_ALG_AUTH_TRUNC when
// not zero); ICVBits an AEAD's ICV length.
type Algo struct {
	Name      string
	Key       []byte
	KeyBits   uint32
	TruncBits uint32
	ICVBits   uint32
}

// Encap is an SA's UDP or TCP encapsulation (struct xfrm_encap_tmpl):
// Type is one of the Encap* constants; OrigAddr, the NAT-T original
// address, may be invalid (zero).
type Encap struct {
	Type             uint16
	SrcPort, DstPort uint16
	OrigAddr         netip.Addr
}

// Replay is an SA's anti-replay state without ESN (struct
// xfrm_replay_state, XFRMA_REPLAY_VAL).
type Replay struct {
	OSeq, Seq, Bitmap uint32
}

// ReplayESN is an SA's extended-sequence-number anti-replay state (struct
// xfrm_replay_state_esn, XFRMA_REPLAY_ESN_VAL). Window is in packets, at
// most 4096; Bitmap, when reported, holds the window's bits.
type ReplayESN struct {
	Window       uint32
	Seq, SeqHi   uint32
	OSeq, OSeqHi uint32
	Bitmap       []uint32
}

// Offload asks for an SA's hardware offload (struct xfrm_user_offload):
// Flags holds XFRM_OFFLOAD_INBOUND (2) and XFRM_OFFLOAD_PACKET (4).
type Offload struct {
	Ifindex int32
	Flags   uint8
}

// SecCtx is an LSM security context (struct xfrm_user_sec_ctx and its
// string).
type SecCtx struct {
	DOI, Alg uint8
	Context  string
}
