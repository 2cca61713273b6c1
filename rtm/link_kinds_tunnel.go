package rtm

// The tunnel kinds of links: VXLAN, GRE, IPIP, SIT and Geneve (see
// link_kinds.go for the order in which their attributes are written).

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// maxVNI is the largest 24-bit VXLAN or Geneve network identifier.
const maxVNI = 1<<24 - 1

// Vxlan is a VXLAN tunnel endpoint ("vxlan").
type Vxlan struct {
	// VNI is the VXLAN network identifier, 0 to 2^24-1; always sent.
	VNI uint32
	// Remote is the unicast destination of unknown traffic; Group a
	// multicast group to join instead. At most one may be set.
	Remote, Group netip.Addr
	// Local is the source address; its family must match Remote's or
	// Group's.
	Local netip.Addr
	// Dev is the index of the underlying device (IFLA_VXLAN_LINK).
	Dev int32
	// TTL and TOS of the outer packets; TOS 1 inherits the inner TOS.
	TTL, TOS Opt[uint8]
	// SrcPortMin and SrcPortMax bound the UDP source ports; both or
	// neither must be set.
	SrcPortMin, SrcPortMax uint16
	// Ageing is the lifetime of learnt FDB entries, in whole seconds.
	Ageing Opt[time.Duration]
	// MaxAddresses limits the FDB size (IFLA_VXLAN_LIMIT).
	MaxAddresses Opt[uint32]
	Proxy        Opt[bool] // ARP proxy
	RSC          Opt[bool] // route short-circuit
	L2Miss       Opt[bool] // notify L2 misses
	L3Miss       Opt[bool] // notify L3 misses
	// UDPChecksum computes UDP checksums over IPv4.
	UDPChecksum Opt[bool]
	// Learning learns remote addresses; iproute2 and the kernel default
	// to on when creating.
	Learning Opt[bool]
	// Port is the UDP destination port; 0 leaves the kernel default
	// (8472, not IANA's 4789).
	Port uint16
	// FlowLabel is the IPv6 flow label of outer packets, 0 to 2^20-1
	// (IFLA_VXLAN_LABEL).
	FlowLabel Opt[uint32]
	// UDP6ZeroCsumTx and UDP6ZeroCsumRx send, and accept, IPv6 packets
	// with a zero UDP checksum.
	UDP6ZeroCsumTx, UDP6ZeroCsumRx Opt[bool]
	// External makes a collect-metadata device (iproute2's external): the
	// VNI and endpoints come with each packet (from tc or a route's
	// encap), so VNI, Remote and Group are not sent; learning defaults to
	// off.
	External Opt[bool]
	// GBP turns the Group Based Policy extension on (IFLA_VXLAN_GBP).
	GBP bool
	// VNIFilter filters VNIs per device (IFLA_VXLAN_VNIFILTER, Linux
	// 5.18); it needs External.
	VNIFilter Opt[bool]
}

// external reports whether v is a collect-metadata device.
func (v *Vxlan) external() bool { return v.External.Or(false) }

// Kind returns "vxlan".
func (*Vxlan) Kind() string { return "vxlan" }

func (v *Vxlan) validate(c *linkCtx) error {
	if v.VNI > maxVNI {
		return fmt.Errorf("VNI %d exceeds %d", v.VNI, maxVNI)
	}
	if v.external() && v.VNI != 0 {
		return errors.New("external and a VNI are exclusive")
	}
	if v.VNIFilter.Or(false) && !v.external() {
		return errors.New("vnifilter needs external")
	}
	if l, ok := v.FlowLabel.Get(); ok && l > 1<<20-1 {
		return fmt.Errorf("flow label %#x exceeds 20 bits", l)
	}
	if v.Remote.IsValid() && v.Group.IsValid() {
		return errors.New("remote and group are exclusive")
	}
	if v.Remote.IsValid() && v.Remote.IsMulticast() {
		return fmt.Errorf("remote %v is a multicast address: use Group", v.Remote)
	}
	if v.Group.IsValid() && !v.Group.IsMulticast() {
		return fmt.Errorf("group %v is not a multicast address", v.Group)
	}
	dst := v.Remote
	if v.Group.IsValid() {
		dst = v.Group
	}
	if err := checkTunnelAddrs(v.Local, dst, 0); err != nil {
		return err
	}
	if v.Dev < 0 {
		return fmt.Errorf("invalid device index %d", v.Dev)
	}
	if (v.SrcPortMin == 0) != (v.SrcPortMax == 0) || v.SrcPortMin > v.SrcPortMax {
		return fmt.Errorf("source port range %d-%d: give both bounds, low first", v.SrcPortMin, v.SrcPortMax)
	}
	if a, ok := v.Ageing.Get(); ok {
		if _, err := durationUnits("ageing", a, time.Second); err != nil {
			return err
		}
	}
	return nil
}

// checkTunnelAddrs checks that tunnel endpoints are valid unzoned
// addresses of one family, and of family 4 or 6 if want is.
func checkTunnelAddrs(local, remote netip.Addr, want int) error {
	for _, a := range [...]netip.Addr{local, remote} {
		if !a.IsValid() {
			continue
		}
		if a.Zone() != "" || a.Is4In6() {
			return fmt.Errorf("address %v: use a plain IPv4 or IPv6 address", a)
		}
		if (want == 4 && !a.Is4()) || (want == 6 && !a.Is6()) {
			return fmt.Errorf("address %v is not IPv%d", a, want)
		}
	}
	if local.IsValid() && remote.IsValid() && local.Is4() != remote.Is4() {
		return fmt.Errorf("local %v and remote %v differ in address family", local, remote)
	}
	return nil
}

func putAddr46(b *wire.Builder, typ4, typ6 uint16, a netip.Addr) {
	if !a.IsValid() {
		return
	}
	if a.Is4() {
		b.Addr(typ4, a)
	} else {
		b.Addr(typ6, a)
	}
}

func (v *Vxlan) encodeData(c *linkCtx) {
	b := c.b
	putU32(b, unix.IFLA_VXLAN_LINK, v.Dev)
	if t, ok := v.TTL.Get(); ok {
		b.Uint8(unix.IFLA_VXLAN_TTL, t)
	}
	if t, ok := v.TOS.Get(); ok {
		b.Uint8(unix.IFLA_VXLAN_TOS, t)
	}
	if l, ok := v.FlowLabel.Get(); ok {
		b.Uint32BE(unix.IFLA_VXLAN_LABEL, l)
	}
	if v.SrcPortMin != 0 {
		var r [4]byte
		r[0], r[1] = byte(v.SrcPortMin>>8), byte(v.SrcPortMin)
		r[2], r[3] = byte(v.SrcPortMax>>8), byte(v.SrcPortMax)
		b.Binary(unix.IFLA_VXLAN_PORT_RANGE, r[:])
	}
	if a, ok := v.Ageing.Get(); ok {
		b.Uint32(unix.IFLA_VXLAN_AGEING, uint32(a/time.Second))
	}
	if m, ok := v.MaxAddresses.Get(); ok {
		b.Uint32(unix.IFLA_VXLAN_LIMIT, m)
	}
	putBool8(b, unix.IFLA_VXLAN_PROXY, v.Proxy)
	putBool8(b, unix.IFLA_VXLAN_RSC, v.RSC)
	putBool8(b, unix.IFLA_VXLAN_L2MISS, v.L2Miss)
	putBool8(b, unix.IFLA_VXLAN_L3MISS, v.L3Miss)
	putBool8(b, unix.IFLA_VXLAN_UDP_CSUM, v.UDPChecksum)
	putBool8(b, unix.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, v.UDP6ZeroCsumTx)
	putBool8(b, unix.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, v.UDP6ZeroCsumRx)
	putBool8(b, unix.IFLA_VXLAN_COLLECT_METADATA, v.External)
	if v.GBP {
		b.Flag(unix.IFLA_VXLAN_GBP)
	}
	putBool8(b, unix.IFLA_VXLAN_VNIFILTER, v.VNIFilter)
	// iproute2 collects these and writes them last.
	if !v.external() {
		b.Uint32(unix.IFLA_VXLAN_ID, v.VNI)
	}
	putAddr46(b, unix.IFLA_VXLAN_LOCAL, unix.IFLA_VXLAN_LOCAL6, v.Local)
	putAddr46(b, unix.IFLA_VXLAN_GROUP, unix.IFLA_VXLAN_GROUP6, v.Remote)
	putAddr46(b, unix.IFLA_VXLAN_GROUP, unix.IFLA_VXLAN_GROUP6, v.Group)
	if l, ok := v.Learning.Get(); ok || c.create {
		if !ok {
			l = !v.external() // external turns learning off
		}
		b.Uint8(unix.IFLA_VXLAN_LEARNING, boolByte(l))
	}
	putU16BE(b, unix.IFLA_VXLAN_PORT, v.Port)
}

// IFLA_GRE_* (linux/if_tunnel.h), which x/sys/unix lacks.
const (
	iflaGreLink        = 1
	iflaGreIflags      = 2
	iflaGreOflags      = 3
	iflaGreIkey        = 4
	iflaGreOkey        = 5
	iflaGreLocal       = 6
	iflaGreRemote      = 7
	iflaGreTTL         = 8
	iflaGreTOS         = 9
	iflaGrePMTUDisc    = 10
	iflaGreEncapLimit  = 11
	iflaGreFlowinfo    = 12
	iflaGreFlags       = 13
	iflaGreEncapType   = 14
	iflaGreEncapFlags  = 15
	iflaGreEncapSport  = 16
	iflaGreEncapDport  = 17
	iflaGreFwmark      = 20
	iflaGreErspanVer   = 22
	greFlagCsum        = 0x8000 // GRE_CSUM, big-endian on the wire
	greFlagKey         = 0x2000 // GRE_KEY
	tunnelEncapCsum6   = 0x2    // TUNNEL_ENCAP_FLAG_CSUM6
	ip6DefaultHopLimit = 64     // DEFAULT_TNL_HOP_LIMIT
	ip6DefaultEncapLim = 4      // IPV6_DEFAULT_TNL_ENCAP_LIMIT
)

// GRE is a GRE tunnel: "gre", "gretap" (Ethernet over GRE), or with IPv6
// "ip6gre" and "ip6gretap". Like iproute2, GRE sends its whole
// configuration, unset fields as their defaults, whenever any field is set.
type GRE struct {
	// IPv6 makes an ip6gre or ip6gretap tunnel; Local and Remote must
	// then be IPv6 addresses, else IPv4.
	IPv6 bool
	// Tap carries Ethernet frames (gretap, ip6gretap).
	Tap bool
	// Local and Remote are the endpoints; unset means any.
	Local, Remote netip.Addr
	// IKey and OKey are the input and output keys.
	IKey, OKey Opt[uint32]
	// ICsum and OCsum checksum input and output packets.
	ICsum, OCsum bool
	// TTL of outer packets: 0 inherits (IPv4); IPv6 defaults to 64.
	TTL Opt[uint8]
	// TOS of outer packets (IPv4 only): 1 inherits.
	TOS uint8
	// PMTUDisc is path MTU discovery (IPv4 only); on unless Some(false),
	// which needs TTL 0.
	PMTUDisc Opt[bool]
	// Dev binds the tunnel to a device.
	Dev int32
	// FwMark marks the outer packets.
	FwMark uint32
	// ISeq and OSeq number input and output packets (GRE_SEQ,
	// iproute2's iseq, oseq and seq).
	ISeq, OSeq bool
	// ERSPAN makes an ERSPAN tunnel ("erspan", "ip6erspan"), which
	// carries mirrored Ethernet frames; Tap is then implied.
	ERSPAN *ERSPAN
}

// ERSPAN is the ERSPAN settings of a [GRE] tunnel.
type ERSPAN struct {
	// Version is 0, 1 (type II, the default) or 2 (type III).
	Version Opt[uint8]
	// Index is the type II session index, 1 to 2^20-1 (0 sends none).
	Index uint32
	// Egress sets the type III direction to egress (else ingress).
	Egress bool
	// HWID is the type III hardware id, 0 to 63.
	HWID uint16
}

// IFLA_GRE_ERSPAN_* (linux/if_tunnel.h).
const (
	iflaGreErspanIndex = 21
	iflaGreErspanDir   = 23
	iflaGreErspanHWID  = 24
	greFlagSeq         = 0x1000 // GRE_SEQ
)

func (e *ERSPAN) validate() error {
	if v, ok := e.Version.Get(); ok && v > 2 {
		return fmt.Errorf("erspan version %d: 0, 1 or 2", v)
	}
	if e.Index > 1<<20-1 {
		return fmt.Errorf("erspan index %d exceeds 20 bits", e.Index)
	}
	if e.HWID > 63 {
		return fmt.Errorf("erspan hwid %d exceeds 6 bits", e.HWID)
	}
	return nil
}

// encode writes the ERSPAN attributes as link_gre.c does after fwmark.
func (e *ERSPAN) encode(b *wire.Builder) {
	v := e.Version.Or(1)
	b.Uint8(iflaGreErspanVer, v)
	switch {
	case v == 1 && e.Index != 0:
		b.Uint32(iflaGreErspanIndex, e.Index)
	case v == 2:
		b.Uint8(iflaGreErspanDir, boolByte(e.Egress))
		b.Uint16(iflaGreErspanHWID, e.HWID)
	}
}

// Kind returns "gre", "gretap", "ip6gre", "ip6gretap", "erspan" or
// "ip6erspan".
func (g *GRE) Kind() string {
	k := "gre"
	if g.Tap {
		k = "gretap"
	}
	if g.ERSPAN != nil {
		k = "erspan"
	}
	if g.IPv6 {
		k = "ip6" + k
	}
	return k
}

func (g *GRE) validate(c *linkCtx) error {
	want := 4
	if g.IPv6 {
		want = 6
	}
	if err := checkTunnelAddrs(g.Local, g.Remote, want); err != nil {
		return err
	}
	if g.IPv6 && (g.TOS != 0 || g.PMTUDisc.IsSet()) {
		return errors.New("TOS and PMTUDisc apply to IPv4 GRE only")
	}
	if on, ok := g.PMTUDisc.Get(); ok && !on && g.TTL.Or(0) != 0 {
		return errors.New("a TTL needs path MTU discovery")
	}
	if g.Dev < 0 {
		return fmt.Errorf("invalid device index %d", g.Dev)
	}
	if g.ERSPAN != nil {
		return g.ERSPAN.validate()
	}
	return nil
}

func (g *GRE) encodeData(c *linkCtx) {
	if *g == (GRE{IPv6: g.IPv6, Tap: g.Tap}) {
		return // iproute2 sends no data without options
	}
	b := c.b
	var iflags, oflags uint16
	ikey, iok := g.IKey.Get()
	okey, ook := g.OKey.Get()
	if iok {
		iflags |= greFlagKey
	}
	if ook {
		oflags |= greFlagKey
	}
	if g.ICsum {
		iflags |= greFlagCsum
	}
	if g.OCsum {
		oflags |= greFlagCsum
	}
	if g.ISeq {
		iflags |= greFlagSeq
	}
	if g.OSeq {
		oflags |= greFlagSeq
	}
	b.Uint32BE(iflaGreIkey, ikey)
	b.Uint32BE(iflaGreOkey, okey)
	b.Uint16BE(iflaGreIflags, iflags)
	b.Uint16BE(iflaGreOflags, oflags)
	if g.Local.IsValid() {
		b.Addr(iflaGreLocal, g.Local)
	}
	if g.Remote.IsValid() {
		b.Addr(iflaGreRemote, g.Remote)
	}
	encapFlags := uint16(0)
	if g.IPv6 {
		putU32(b, iflaGreLink, g.Dev)
		b.Uint8(iflaGreTTL, g.TTL.Or(ip6DefaultHopLimit))
		b.Uint8(iflaGreEncapLimit, ip6DefaultEncapLim)
		b.Uint32BE(iflaGreFlowinfo, 0)
		b.Uint32(iflaGreFlags, 0)
		b.Uint32(iflaGreFwmark, g.FwMark)
		if g.ERSPAN != nil {
			g.ERSPAN.encode(b)
		} else {
			b.Uint8(iflaGreErspanVer, 1) // link_gre6.c sends its default
		}
		encapFlags = tunnelEncapCsum6
	} else {
		b.Uint8(iflaGrePMTUDisc, boolByte(g.PMTUDisc.Or(true)))
		b.Uint8(iflaGreTOS, g.TOS)
		putU32(b, iflaGreLink, g.Dev)
		b.Uint8(iflaGreTTL, g.TTL.Or(0))
		b.Uint32(iflaGreFwmark, g.FwMark)
		if g.ERSPAN != nil {
			g.ERSPAN.encode(b)
		}
	}
	b.Uint16(iflaGreEncapType, 0)
	b.Uint16(iflaGreEncapFlags, encapFlags)
	b.Uint16BE(iflaGreEncapSport, 0)
	b.Uint16BE(iflaGreEncapDport, 0)
}

// IPIP is an IPv4-in-IPv4 tunnel ("ipip"). Like iproute2, it sends its
// whole configuration whenever any field is set.
type IPIP struct {
	// Local and Remote are the IPv4 endpoints; unset means any.
	Local, Remote netip.Addr
	// TTL of outer packets, 0 to inherit.
	TTL uint8
	// TOS of outer packets, 1 to inherit.
	TOS uint8
	// PMTUDisc is path MTU discovery; on unless Some(false), which
	// needs TTL 0.
	PMTUDisc Opt[bool]
	// Dev binds the tunnel to a device.
	Dev int32
	// FwMark marks the outer packets.
	FwMark uint32
}

// SIT is an IPv6-in-IPv4 tunnel ("sit"), with the settings of [IPIP].
type SIT IPIP

// Kind returns "ipip".
func (*IPIP) Kind() string                { return "ipip" }
func (t *IPIP) validate(c *linkCtx) error { return validateIPTunnel(t) }
func (t *IPIP) encodeData(c *linkCtx)     { encodeIPTunnel(c.b, t, false) }

// Kind returns "sit".
func (*SIT) Kind() string                { return "sit" }
func (t *SIT) validate(c *linkCtx) error { return validateIPTunnel((*IPIP)(t)) }
func (t *SIT) encodeData(c *linkCtx)     { encodeIPTunnel(c.b, (*IPIP)(t), true) }

func validateIPTunnel(t *IPIP) error {
	if err := checkTunnelAddrs(t.Local, t.Remote, 4); err != nil {
		return err
	}
	if on, ok := t.PMTUDisc.Get(); ok && !on && t.TTL != 0 {
		return errors.New("a TTL needs path MTU discovery")
	}
	if t.Dev < 0 {
		return fmt.Errorf("invalid device index %d", t.Dev)
	}
	return nil
}

// encodeIPTunnel writes link_iptnl.c's layout.
func encodeIPTunnel(b *wire.Builder, t *IPIP, sit bool) {
	if *t == (IPIP{}) {
		return
	}
	b.Uint8(uapi.IFLA_IPTUN_PROTO, 0)
	if t.Local.IsValid() {
		b.Addr(uapi.IFLA_IPTUN_LOCAL, t.Local)
	}
	if t.Remote.IsValid() {
		b.Addr(uapi.IFLA_IPTUN_REMOTE, t.Remote)
	}
	b.Uint8(uapi.IFLA_IPTUN_PMTUDISC, boolByte(t.PMTUDisc.Or(true)))
	b.Uint8(uapi.IFLA_IPTUN_TOS, t.TOS)
	b.Uint8(uapi.IFLA_IPTUN_TTL, t.TTL)
	b.Uint32(uapi.IFLA_IPTUN_LINK, uint32(t.Dev))
	b.Uint32(uapi.IFLA_IPTUN_FWMARK, t.FwMark)
	b.Uint16(uapi.IFLA_IPTUN_ENCAP_TYPE, 0)
	b.Uint16(uapi.IFLA_IPTUN_ENCAP_FLAGS, 0)
	b.Uint16BE(uapi.IFLA_IPTUN_ENCAP_SPORT, 0)
	b.Uint16BE(uapi.IFLA_IPTUN_ENCAP_DPORT, 0)
	if sit {
		b.Uint16(uapi.IFLA_IPTUN_FLAGS, 0)
	}
}

// Geneve is a Geneve tunnel endpoint ("geneve").
type Geneve struct {
	// VNI is the virtual network identifier, 0 to 2^24-1; always sent.
	VNI uint32
	// Remote is the other endpoint, IPv4 or IPv6.
	Remote netip.Addr
	// TTL and TOS of outer packets (TOS 1 inherits).
	TTL, TOS uint8
	// Label is the IPv6 flow label, 0 to 2^20-1.
	Label uint32
	// Port is the UDP destination port; 0 leaves the default (6081).
	Port uint16
	// UDPChecksum computes UDP checksums of outer packets.
	UDPChecksum Opt[bool]
}

// Kind returns "geneve".
func (*Geneve) Kind() string { return "geneve" }

func (g *Geneve) validate(c *linkCtx) error {
	if g.VNI > maxVNI {
		return fmt.Errorf("VNI %d exceeds %d", g.VNI, maxVNI)
	}
	if g.Label > 1<<20-1 {
		return fmt.Errorf("flow label %#x exceeds 20 bits", g.Label)
	}
	if g.Remote.IsValid() && g.Remote.IsMulticast() {
		return fmt.Errorf("remote %v is a multicast address", g.Remote)
	}
	return checkTunnelAddrs(netip.Addr{}, g.Remote, 0)
}

func (g *Geneve) encodeData(c *linkCtx) {
	b := c.b
	b.Uint32(unix.IFLA_GENEVE_ID, g.VNI)
	putAddr46(b, unix.IFLA_GENEVE_REMOTE, unix.IFLA_GENEVE_REMOTE6, g.Remote)
	b.Uint32BE(unix.IFLA_GENEVE_LABEL, g.Label)
	b.Uint8(unix.IFLA_GENEVE_TTL, g.TTL)
	b.Uint8(unix.IFLA_GENEVE_TOS, g.TOS)
	putU16BE(b, unix.IFLA_GENEVE_PORT, g.Port)
	putBool8(b, unix.IFLA_GENEVE_UDP_CSUM, g.UDPChecksum)
}
