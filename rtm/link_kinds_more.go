package rtm

// More kinds of links: netkit, VTI, xfrm, bareudp, CAN (vcan, vxcan),
// GTP, HSR/PRP, IPoIB, nlmon and batman-adv. Each encoder writes
// iproute2 6.1's layout for the same options (netkit, which iproute2 6.1
// does not know, follows the kernel's uapi); the golden tests hold them to
// it.

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/internal/uapi"
	"golang.org/x/sys/unix"
)

// Nlmon is a netlink monitor device ("nlmon"): packet sockets on it see
// every netlink message of its namespace.
type Nlmon struct{ noKindData }

// Kind returns "nlmon".
func (*Nlmon) Kind() string { return "nlmon" }

// VCAN is a virtual CAN bus ("vcan").
type VCAN struct{ noKindData }

// Kind returns "vcan".
func (*VCAN) Kind() string { return "vcan" }

// VXCAN is a virtual CAN tunnel, a pair like veth ("vxcan").
type VXCAN struct {
	// Peer describes the other end, as Veth.Peer does.
	Peer *LinkSpec
}

// vxcanInfoPeer is VXCAN_INFO_PEER (linux/can/vxcan.h).
const vxcanInfoPeer = 1

// Kind returns "vxcan".
func (*VXCAN) Kind() string { return "vxcan" }

func (v *VXCAN) validate(c *linkCtx) error { return (&Veth{Peer: v.Peer}).validate(c) }

func (v *VXCAN) encodeData(c *linkCtx) { (&Veth{Peer: v.Peer}).encodePeer(c, vxcanInfoPeer) }

// Batadv is a batman-adv mesh interface ("batadv").
type Batadv struct {
	// RoutingAlgo is the routing algorithm, "BATMAN_IV" or "BATMAN_V";
	// empty leaves the module's default (IFLA_BATADV_ALGO_NAME).
	RoutingAlgo string
}

// iflaBatadvAlgoName is IFLA_BATADV_ALGO_NAME (linux/batman_adv.h).
const iflaBatadvAlgoName = 1

// Kind returns "batadv".
func (*Batadv) Kind() string { return "batadv" }

func (b *Batadv) validate(c *linkCtx) error {
	if len(b.RoutingAlgo) > 20 {
		return fmt.Errorf("routing algorithm name %q is too long", b.RoutingAlgo)
	}
	return nil
}

func (b *Batadv) encodeData(c *linkCtx) {
	if b.RoutingAlgo != "" {
		c.b.String(iflaBatadvAlgoName, b.RoutingAlgo)
	}
}

// NetkitMode is the mode of a netkit pair.
type NetkitMode uint32

// The netkit modes (enum netkit_mode).
const (
	NetkitL3 NetkitMode = 1 // IP packets, no Ethernet header (the kernel's default)
	NetkitL2 NetkitMode = 0 // Ethernet frames
)

// NetkitPolicy is what a netkit device does with a packet when no BPF
// program decides (enum netkit_action).
type NetkitPolicy int32

// The netkit default policies.
const (
	NetkitPass NetkitPolicy = 0
	NetkitDrop NetkitPolicy = 2
)

// Netkit is a netkit device pair ("netkit", Linux 6.7): a veth-like pair
// whose traffic BPF programs attached to the primary steer.
type Netkit struct {
	// Peer describes the other end, as Veth.Peer does.
	Peer *LinkSpec
	// Mode is NetkitL3 or NetkitL2 (IFLA_NETKIT_MODE).
	Mode Opt[NetkitMode]
	// Policy and PeerPolicy are the default actions of the primary and
	// of the peer (IFLA_NETKIT_POLICY, IFLA_NETKIT_PEER_POLICY).
	Policy, PeerPolicy Opt[NetkitPolicy]
	// Scrub and PeerScrub clear the packet's mark and priority crossing
	// the pair: 0 none, 1 default (IFLA_NETKIT_SCRUB, IFLA_NETKIT_PEER_SCRUB;
	// Linux 6.10).
	Scrub, PeerScrub Opt[uint32]
}

// IFLA_NETKIT_* (linux/if_link.h), which x/sys/unix lacks.
const (
	iflaNetkitPeerInfo   = 1
	iflaNetkitPolicy     = 3
	iflaNetkitPeerPolicy = 4
	iflaNetkitMode       = 5
	iflaNetkitScrub      = 6
	iflaNetkitPeerScrub  = 7
)

// Kind returns "netkit".
func (*Netkit) Kind() string { return "netkit" }

func (n *Netkit) validate(c *linkCtx) error {
	if m, ok := n.Mode.Get(); ok && m != NetkitL2 && m != NetkitL3 {
		return fmt.Errorf("invalid netkit mode %d", m)
	}
	for _, p := range [...]Opt[NetkitPolicy]{n.Policy, n.PeerPolicy} {
		if v, ok := p.Get(); ok && v != NetkitPass && v != NetkitDrop {
			return fmt.Errorf("invalid netkit policy %d: pass or drop", v)
		}
	}
	for _, s := range [...]Opt[uint32]{n.Scrub, n.PeerScrub} {
		if v, ok := s.Get(); ok && v > 1 {
			return fmt.Errorf("invalid netkit scrub %d: 0 (none) or 1 (default)", v)
		}
	}
	if !c.create && n.Peer != nil {
		return errors.New("the peer can only be given when creating the pair")
	}
	return (&Veth{Peer: n.Peer}).validate(c)
}

func (n *Netkit) encodeData(c *linkCtx) {
	b := c.b
	if v, ok := n.Mode.Get(); ok {
		b.Uint32(iflaNetkitMode, uint32(v))
	}
	if v, ok := n.Policy.Get(); ok {
		b.Int32(iflaNetkitPolicy, int32(v))
	}
	if v, ok := n.PeerPolicy.Get(); ok {
		b.Int32(iflaNetkitPeerPolicy, int32(v))
	}
	putOpt(b.Uint32, iflaNetkitScrub, n.Scrub)
	putOpt(b.Uint32, iflaNetkitPeerScrub, n.PeerScrub)
	(&Veth{Peer: n.Peer}).encodePeer(c, iflaNetkitPeerInfo)
}

// VTI is a virtual tunnel interface for IPsec ("vti", or "vti6" with
// IPv6 endpoints): traffic routed into it is encrypted by the policies
// whose mark matches its keys.
type VTI struct {
	// IPv6 makes a vti6 device; the endpoints must match.
	IPv6 bool
	// Local and Remote are the endpoints; unset means any.
	Local, Remote netip.Addr
	// IKey and OKey are the input and output keys, which the XFRM
	// policies match as marks (iproute2's ikey, okey, key).
	IKey, OKey uint32
	// Dev binds the tunnel to a device.
	Dev int32
	// FwMark marks the outer packets.
	FwMark uint32
}

// Kind returns "vti" or "vti6".
func (v *VTI) Kind() string {
	if v.IPv6 {
		return "vti6"
	}
	return "vti"
}

func (v *VTI) validate(c *linkCtx) error {
	want := 4
	if v.IPv6 {
		want = 6
	}
	if err := checkTunnelAddrs(v.Local, v.Remote, want); err != nil {
		return err
	}
	if v.Dev < 0 {
		return fmt.Errorf("invalid device index %d", v.Dev)
	}
	return nil
}

// encodeData writes link_vti.c's layout: the keys (big-endian, as
// tnl_parse_key makes them) and the mark always, the rest when set. Like
// iproute2 it sends the whole configuration on every change.
func (v *VTI) encodeData(c *linkCtx) {
	if *v == (VTI{IPv6: v.IPv6}) {
		return // iproute2 sends no data without options
	}
	b := c.b
	b.Uint32BE(uapi.IFLA_VTI_IKEY, v.IKey)
	b.Uint32BE(uapi.IFLA_VTI_OKEY, v.OKey)
	if v.Local.IsValid() && !v.Local.IsUnspecified() {
		b.Addr(uapi.IFLA_VTI_LOCAL, v.Local)
	}
	if v.Remote.IsValid() && !v.Remote.IsUnspecified() {
		b.Addr(uapi.IFLA_VTI_REMOTE, v.Remote)
	}
	b.Uint32(uapi.IFLA_VTI_FWMARK, v.FwMark)
	putU32(b, uapi.IFLA_VTI_LINK, v.Dev)
}

// Xfrm is an XFRM interface ("xfrm"): IPsec policies with its interface
// id send their traffic through it.
type Xfrm struct {
	// IfID is the interface id the policies and states name (if_id);
	// required unless External.
	IfID uint32
	// Dev is the underlying device (IFLA_XFRM_LINK).
	Dev int32
	// External makes a collect-metadata device, whose id each packet's
	// metadata gives; it takes no IfID or Dev.
	External bool
}

// IFLA_XFRM_* (linux/if_link.h).
const (
	iflaXfrmLink            = 1
	iflaXfrmIfID            = 2
	iflaXfrmCollectMetadata = 3
)

// Kind returns "xfrm".
func (*Xfrm) Kind() string { return "xfrm" }

func (x *Xfrm) validate(c *linkCtx) error {
	if x.Dev < 0 {
		return fmt.Errorf("invalid device index %d", x.Dev)
	}
	if x.External {
		if x.IfID != 0 || x.Dev != 0 {
			return errors.New("an external xfrm device takes no if_id or device")
		}
		return nil
	}
	if x.IfID == 0 && c.create {
		return errors.New("an xfrm device needs a nonzero if_id")
	}
	return nil
}

func (x *Xfrm) encodeData(c *linkCtx) {
	b := c.b
	if x.IfID != 0 {
		b.Uint32(iflaXfrmIfID, x.IfID)
	}
	if x.External {
		b.Flag(iflaXfrmCollectMetadata)
	}
	putU32(b, iflaXfrmLink, x.Dev)
}

// BareUDP is a bare UDP tunnel ("bareudp"): L3 packets of one ethertype
// carried in UDP without a tunnel header.
type BareUDP struct {
	// Port is the UDP destination port; required.
	Port uint16
	// EtherType is the carried protocol, such as unix.ETH_P_MPLS_UC or
	// unix.ETH_P_IP; required.
	EtherType uint16
	// SrcPortMin is the lowest UDP source port.
	SrcPortMin Opt[uint16]
	// MultiProto also carries the family's other protocol (IPv6 with
	// IPv4, multicast MPLS with unicast).
	MultiProto bool
}

// IFLA_BAREUDP_* (linux/if_link.h).
const (
	iflaBareUDPPort           = 1
	iflaBareUDPEtherType      = 2
	iflaBareUDPSrcPortMin     = 3
	iflaBareUDPMultiProtoMode = 4
)

// Kind returns "bareudp".
func (*BareUDP) Kind() string { return "bareudp" }

func (u *BareUDP) validate(c *linkCtx) error {
	if c.create && (u.Port == 0 || u.EtherType == 0) {
		return errors.New("a bareudp device needs a destination port and an ethertype")
	}
	return nil
}

func (u *BareUDP) encodeData(c *linkCtx) {
	b := c.b
	b.Uint16BE(iflaBareUDPPort, u.Port)
	b.Uint16BE(iflaBareUDPEtherType, u.EtherType)
	putOpt(b.Uint16, iflaBareUDPSrcPortMin, u.SrcPortMin)
	if u.MultiProto {
		b.Flag(iflaBareUDPMultiProtoMode)
	}
}

// GTPRole is a GTP device's role.
type GTPRole uint32

// The GTP roles (enum ifla_gtp_role).
const (
	GTPRoleGGSN GTPRole = 0
	GTPRoleSGSN GTPRole = 1
)

// GTP is a GPRS tunnelling protocol device ("gtp"), whose sockets the
// kernel creates (IFLA_GTP_CREATE_SOCKETS, as iproute2 asks).
type GTP struct {
	// Role is GTPRoleGGSN or GTPRoleSGSN.
	Role GTPRole
	// HashSize is the PDP context hash size, below 2^17; 0 is
	// iproute2's 1024.
	HashSize uint32
	// RestartCount is the GTP restart counter (IFLA_GTP_RESTART_COUNT).
	RestartCount Opt[uint8]
}

// Kind returns "gtp".
func (*GTP) Kind() string { return "gtp" }

func (g *GTP) validate(c *linkCtx) error {
	if g.Role > GTPRoleSGSN {
		return fmt.Errorf("invalid GTP role %d", g.Role)
	}
	if g.HashSize >= 1<<17 {
		return fmt.Errorf("PDP hash size %d is not below %d", g.HashSize, 1<<17)
	}
	return nil
}

func (g *GTP) encodeData(c *linkCtx) {
	b := c.b
	b.Uint8(unix.IFLA_GTP_CREATE_SOCKETS, 1)
	b.Uint32(unix.IFLA_GTP_ROLE, uint32(g.Role))
	putU32(b, unix.IFLA_GTP_PDP_HASHSIZE, g.HashSize)
	putOpt(b.Uint8, unix.IFLA_GTP_RESTART_COUNT, g.RestartCount)
	if g.HashSize == 0 {
		b.Uint32(unix.IFLA_GTP_PDP_HASHSIZE, 1024) // iproute2's default, added last
	}
}

// HSR is a High-availability Seamless Redundancy device, or with
// Protocol 1 a Parallel Redundancy Protocol one ("hsr").
type HSR struct {
	// Port1 and Port2 are the indexes of the two redundant ports
	// (iproute2's slave1, slave2); required when creating.
	Port1, Port2 int32
	// Supervision is the last byte of the supervision frames' multicast
	// address.
	Supervision Opt[uint8]
	// Version is the HSR version, 0 or 1.
	Version Opt[uint8]
	// Protocol is 0 (HSR) or 1 (PRP).
	Protocol Opt[uint8]
}

// Kind returns "hsr".
func (*HSR) Kind() string { return "hsr" }

func (h *HSR) validate(c *linkCtx) error {
	if h.Port1 < 0 || h.Port2 < 0 {
		return fmt.Errorf("invalid port index %d or %d", h.Port1, h.Port2)
	}
	if c.create && (h.Port1 == 0 || h.Port2 == 0) {
		return errors.New("an hsr device needs two ports")
	}
	if h.Port1 != 0 && h.Port1 == h.Port2 {
		return errors.New("the two ports of an hsr device must differ")
	}
	return cmp.Or(
		checkMax(h.Version, 1, "invalid HSR version %d"),
		checkMax(h.Protocol, 1, "invalid HSR protocol %d: 0 (HSR) or 1 (PRP)"),
	)
}

// encodeData writes the options in iproute2's order of reading them as
// "supervision version proto slave1 slave2".
func (h *HSR) encodeData(c *linkCtx) {
	b := c.b
	putOpt(b.Uint8, unix.IFLA_HSR_MULTICAST_SPEC, h.Supervision)
	putOpt(b.Uint8, unix.IFLA_HSR_VERSION, h.Version)
	putOpt(b.Uint8, unix.IFLA_HSR_PROTOCOL, h.Protocol)
	putU32(b, unix.IFLA_HSR_SLAVE1, h.Port1)
	putU32(b, unix.IFLA_HSR_SLAVE2, h.Port2)
}

// IPoIB is an IP-over-InfiniBand child interface ("ipoib") of the
// device LinkSpec.Parent names.
type IPoIB struct {
	// PKey is the partition key.
	PKey Opt[uint16]
	// Mode is 0 (datagram) or 1 (connected).
	Mode Opt[uint16]
	// UMcast allows user-space multicast (1) or not (0).
	UMcast Opt[uint16]
}

// Kind returns "ipoib".
func (*IPoIB) Kind() string { return "ipoib" }

func (p *IPoIB) validate(c *linkCtx) error {
	return checkMax(p.Mode, 1, "invalid IPoIB mode %d: 0 (datagram) or 1 (connected)")
}

func (p *IPoIB) encodeData(c *linkCtx) {
	b := c.b
	putOpt(b.Uint16, unix.IFLA_IPOIB_PKEY, p.PKey)
	putOpt(b.Uint16, unix.IFLA_IPOIB_MODE, p.Mode)
	putOpt(b.Uint16, unix.IFLA_IPOIB_UMCAST, p.UMcast)
}

// The ethertypes BareUDP names often.
const (
	EtherTypeMPLSUnicast = unix.ETH_P_MPLS_UC
	EtherTypeIPv4        = unix.ETH_P_IP
	EtherTypeIPv6        = unix.ETH_P_IPV6
)

// IP6Tnl is an IPv6 tunnel ("ip6tnl"): IPv6 or IPv4 over IPv6. Like
// iproute2, it sends its whole configuration, unset fields as iproute2's
// defaults, whenever any field is set.
type IP6Tnl struct {
	// Proto is the carried protocol: 0 any (the default),
	// unix.IPPROTO_IPV6 (ip6ip6) or unix.IPPROTO_IPIP (ip4ip6).
	Proto uint8
	// Local and Remote are the IPv6 endpoints; unset means any.
	Local, Remote netip.Addr
	// Dev binds the tunnel to a device.
	Dev int32
	// HopLimit of outer packets; iproute2's default is 64, 0 inherits.
	HopLimit Opt[uint8]
	// EncapLimit is the tunnel encapsulation limit (default 4);
	// Flags with IP6TnlIgnoreEncapLimit sends none.
	EncapLimit Opt[uint8]
	// FlowInfo is the outer traffic class and flow label, as the
	// big-endian word of the IPv6 header's first 32 bits (iproute2 builds
	// it from tclass and flowlabel).
	FlowInfo uint32
	// Flags are IP6_TNL_F_* (IP6TnlIgnoreEncapLimit, ...).
	Flags uint32
	// FwMark marks the outer packets.
	FwMark uint32
	// External makes a collect-metadata tunnel, which sends nothing else.
	External bool
}

// The IP6_TNL_F_* flags (linux/ip6_tunnel.h).
const (
	IP6TnlIgnoreEncapLimit = 0x1
	IP6TnlUseOrigTClass    = 0x2
	IP6TnlUseOrigFlowLabel = 0x4
	IP6TnlRcvDSCPCopy      = 0x10
	IP6TnlUseOrigFwMark    = 0x20
	IP6TnlAllowLocalRemote = 0x40
)

// Kind returns "ip6tnl".
func (*IP6Tnl) Kind() string { return "ip6tnl" }

func (t *IP6Tnl) validate(c *linkCtx) error {
	switch t.Proto {
	case 0, unix.IPPROTO_IPV6, unix.IPPROTO_IPIP:
	default:
		return fmt.Errorf("invalid ip6tnl protocol %d: 0 (any), IPPROTO_IPV6 or IPPROTO_IPIP", t.Proto)
	}
	if err := checkTunnelAddrs(t.Local, t.Remote, 6); err != nil {
		return err
	}
	if t.Dev < 0 {
		return fmt.Errorf("invalid device index %d", t.Dev)
	}
	if t.External && (t.Local.IsValid() || t.Remote.IsValid() || t.Dev != 0) {
		return errors.New("an external ip6tnl takes no endpoints or device")
	}
	return nil
}

// encodeData writes link_ip6tnl.c's layout.
func (t *IP6Tnl) encodeData(c *linkCtx) {
	if *t == (IP6Tnl{}) {
		return // iproute2 sends no data without options
	}
	b := c.b
	b.Uint8(uapi.IFLA_IPTUN_PROTO, t.Proto)
	if t.External {
		b.Flag(uapi.IFLA_IPTUN_COLLECT_METADATA)
		return
	}
	if t.Local.IsValid() && !t.Local.IsUnspecified() {
		b.Addr(uapi.IFLA_IPTUN_LOCAL, t.Local)
	}
	if t.Remote.IsValid() && !t.Remote.IsUnspecified() {
		b.Addr(uapi.IFLA_IPTUN_REMOTE, t.Remote)
	}
	b.Uint8(uapi.IFLA_IPTUN_TTL, t.HopLimit.Or(ip6DefaultHopLimit))
	b.Uint8(uapi.IFLA_IPTUN_ENCAP_LIMIT, t.EncapLimit.Or(ip6DefaultEncapLim))
	b.Uint32BE(uapi.IFLA_IPTUN_FLOWINFO, t.FlowInfo)
	b.Uint32(uapi.IFLA_IPTUN_FLAGS, t.Flags)
	b.Uint32(uapi.IFLA_IPTUN_LINK, uint32(t.Dev))
	b.Uint32(uapi.IFLA_IPTUN_FWMARK, t.FwMark)
	b.Uint16(uapi.IFLA_IPTUN_ENCAP_TYPE, 0)
	b.Uint16(uapi.IFLA_IPTUN_ENCAP_FLAGS, tunnelEncapCsum6)
	b.Uint16BE(uapi.IFLA_IPTUN_ENCAP_SPORT, 0)
	b.Uint16BE(uapi.IFLA_IPTUN_ENCAP_DPORT, 0)
}
