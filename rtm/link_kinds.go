package rtm

// The kinds of links, each with its settings (IFLA_INFO_DATA). Each encoder
// writes its attributes in the order iproute2 6.1 writes them for the same
// options: the order of the struct's fields where iproute2 writes options as
// it reads them, and iproute2's fixed layout where it collects them first
// (vxlan's trailing attributes, GRE, IPIP, SIT, geneve). Kinds whose
// iproute2 parser always sends a full configuration (GRE, IPIP, SIT) do the
// same, so changing one of those sets every field.

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Veth is a virtual Ethernet pair ("veth"). Deleting either end deletes
// both.
type Veth struct {
	// Peer describes the other end: its name, namespace, address, MTU and
	// other generic settings (not Kind, Port or Parent). Nil lets the
	// kernel name it.
	Peer *LinkSpec
}

// Kind returns "veth".
func (*Veth) Kind() string { return "veth" }

func (v *Veth) validate(c *linkCtx) error {
	if v.Peer == nil {
		return nil
	}
	if err := v.Peer.validate(c, true); err != nil {
		return fmt.Errorf("peer: %w", err)
	}
	return nil
}

// vethInfoPeer is VETH_INFO_PEER (linux/veth.h).
const vethInfoPeer = 1

func (v *Veth) encodeData(c *linkCtx) {
	if v.Peer == nil {
		return
	}
	n := beginNest(c.b, vethInfoPeer)
	if err := encodePeer(c, v.Peer); err != nil {
		c.b.Fail(err)
	}
	endNest(c.b, n)
}

// Dummy is a dummy device ("dummy"), which drops what it is sent.
type Dummy struct{}

// Kind returns "dummy".
func (*Dummy) Kind() string              { return "dummy" }
func (*Dummy) validate(c *linkCtx) error { return nil }
func (*Dummy) encodeData(c *linkCtx)     {}

// Ifb is an intermediate functional block device ("ifb"), the target of
// traffic redirected by tc.
type Ifb struct{}

// Kind returns "ifb".
func (*Ifb) Kind() string              { return "ifb" }
func (*Ifb) validate(c *linkCtx) error { return nil }
func (*Ifb) encodeData(c *linkCtx)     {}

// Team is a team device ("team"), the bonding driver's user-space
// successor: the link is created here, its ports added as a bond's
// (LinkSpec.Master); the runner and its options are configured over
// generic netlink by teamd.
type Team struct{}

// Kind returns "team".
func (*Team) Kind() string              { return "team" }
func (*Team) validate(c *linkCtx) error { return nil }
func (*Team) encodeData(c *linkCtx)     {}

// Wireguard is a WireGuard device ("wireguard"). Only the link is created
// here; keys and peers are configured over generic netlink.
type Wireguard struct{}

// Kind returns "wireguard".
func (*Wireguard) Kind() string              { return "wireguard" }
func (*Wireguard) validate(c *linkCtx) error { return nil }
func (*Wireguard) encodeData(c *linkCtx)     {}

// VRF is a virtual routing and forwarding device ("vrf"): its ports route
// through its routing table.
type VRF struct {
	// Table is the routing table; required, and not 0.
	Table uint32
}

// Kind returns "vrf".
func (*VRF) Kind() string { return "vrf" }

func (v *VRF) validate(c *linkCtx) error {
	if v.Table == 0 {
		return errors.New("a VRF needs a routing table other than 0")
	}
	return nil
}

func (v *VRF) encodeData(c *linkCtx) { c.b.Uint32(unix.IFLA_VRF_TABLE, v.Table) }

// Bridge is an Ethernet bridge ("bridge"). Times are sent in hundredths of
// a second and must be whole hundredths.
type Bridge struct {
	ForwardDelay Opt[time.Duration] // IFLA_BR_FORWARD_DELAY
	HelloTime    Opt[time.Duration] // IFLA_BR_HELLO_TIME
	MaxAge       Opt[time.Duration] // IFLA_BR_MAX_AGE
	AgeingTime   Opt[time.Duration] // IFLA_BR_AGEING_TIME: FDB entry lifetime
	STP          Opt[bool]          // IFLA_BR_STP_STATE
	Priority     Opt[uint16]        // IFLA_BR_PRIORITY: STP bridge priority
	// VlanFiltering turns VLAN filtering on (IFLA_BR_VLAN_FILTERING).
	VlanFiltering Opt[bool]
	// VlanProtocol is unix.ETH_P_8021Q or unix.ETH_P_8021AD.
	VlanProtocol Opt[uint16]
	// GroupFwdMask selects link-local groups to forward (IFLA_BR_GROUP_FWD_MASK).
	GroupFwdMask Opt[uint16]
	// DefaultPVID is the PVID of new ports, 0 (none) to 4094.
	DefaultPVID       Opt[uint16]
	VlanStats         Opt[bool]  // IFLA_BR_VLAN_STATS_ENABLED
	MulticastRouter   Opt[uint8] // IFLA_BR_MCAST_ROUTER: 0 disabled, 1 auto, 2 permanent
	MulticastSnooping Opt[bool]  // IFLA_BR_MCAST_SNOOPING
	MulticastQuerier  Opt[bool]  // IFLA_BR_MCAST_QUERIER
	NFCallIPTables    Opt[bool]  // IFLA_BR_NF_CALL_IPTABLES
	NFCallIP6Tables   Opt[bool]  // IFLA_BR_NF_CALL_IP6TABLES
	NFCallARPTables   Opt[bool]  // IFLA_BR_NF_CALL_ARPTABLES
}

// Kind returns "bridge".
func (*Bridge) Kind() string { return "bridge" }

func (br *Bridge) validate(c *linkCtx) error {
	for _, d := range []struct {
		name string
		v    Opt[time.Duration]
	}{{"forward delay", br.ForwardDelay}, {"hello time", br.HelloTime}, {"max age", br.MaxAge}, {"ageing time", br.AgeingTime}} {
		if v, ok := d.v.Get(); ok {
			if _, err := durationUnits(d.name, v, 10*time.Millisecond); err != nil {
				return err
			}
		}
	}
	if p, ok := br.VlanProtocol.Get(); ok && p != unix.ETH_P_8021Q && p != unix.ETH_P_8021AD {
		return fmt.Errorf("VLAN protocol %#04x is neither 802.1Q nor 802.1ad", p)
	}
	if p, ok := br.DefaultPVID.Get(); ok && p > maxVlanID {
		return fmt.Errorf("default PVID %d exceeds %d", p, maxVlanID)
	}
	if r, ok := br.MulticastRouter.Get(); ok && r > 2 {
		return fmt.Errorf("multicast router mode %d is not 0, 1 or 2", r)
	}
	return nil
}

// durationUnits converts d to a count of unit, rejecting negative values,
// values that overflow 32 bits and fractions of unit.
func durationUnits(name string, d, unit time.Duration) (uint32, error) {
	if d < 0 || d%unit != 0 || d/unit > 1<<32-1 {
		return 0, fmt.Errorf("%s %v: must be a whole number of %v, at most %v", name, d, unit, unit*(1<<32-1))
	}
	return uint32(d / unit), nil
}

func putCentiseconds(b *wire.Builder, typ uint16, o Opt[time.Duration]) {
	if d, ok := o.Get(); ok {
		b.Uint32(typ, uint32(d/(10*time.Millisecond)))
	}
}

func putBool8(b *wire.Builder, typ uint16, o Opt[bool]) {
	if v, ok := o.Get(); ok {
		b.Uint8(typ, boolByte(v))
	}
}

func boolByte(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

func (br *Bridge) encodeData(c *linkCtx) {
	b := c.b
	putCentiseconds(b, unix.IFLA_BR_FORWARD_DELAY, br.ForwardDelay)
	putCentiseconds(b, unix.IFLA_BR_HELLO_TIME, br.HelloTime)
	putCentiseconds(b, unix.IFLA_BR_MAX_AGE, br.MaxAge)
	putCentiseconds(b, unix.IFLA_BR_AGEING_TIME, br.AgeingTime)
	if v, ok := br.STP.Get(); ok {
		b.Uint32(unix.IFLA_BR_STP_STATE, uint32(boolByte(v)))
	}
	if v, ok := br.Priority.Get(); ok {
		b.Uint16(unix.IFLA_BR_PRIORITY, v)
	}
	putBool8(b, unix.IFLA_BR_VLAN_FILTERING, br.VlanFiltering)
	if v, ok := br.VlanProtocol.Get(); ok {
		b.Uint16BE(unix.IFLA_BR_VLAN_PROTOCOL, v)
	}
	if v, ok := br.GroupFwdMask.Get(); ok {
		b.Uint16(unix.IFLA_BR_GROUP_FWD_MASK, v)
	}
	if v, ok := br.DefaultPVID.Get(); ok {
		b.Uint16(unix.IFLA_BR_VLAN_DEFAULT_PVID, v)
	}
	putBool8(b, unix.IFLA_BR_VLAN_STATS_ENABLED, br.VlanStats)
	if v, ok := br.MulticastRouter.Get(); ok {
		b.Uint8(unix.IFLA_BR_MCAST_ROUTER, v)
	}
	putBool8(b, unix.IFLA_BR_MCAST_SNOOPING, br.MulticastSnooping)
	putBool8(b, unix.IFLA_BR_MCAST_QUERIER, br.MulticastQuerier)
	putBool8(b, unix.IFLA_BR_NF_CALL_IPTABLES, br.NFCallIPTables)
	putBool8(b, unix.IFLA_BR_NF_CALL_IP6TABLES, br.NFCallIP6Tables)
	putBool8(b, unix.IFLA_BR_NF_CALL_ARPTABLES, br.NFCallARPTables)
}

// BridgePort is a link's settings as a bridge port (IFLA_BRPORT_*), set
// with [Handle.LinkSet] on a link whose master is a bridge.
type BridgePort struct {
	// State is the STP state: 0 disabled, 1 listening, 2 learning,
	// 3 forwarding, 4 blocking.
	State          Opt[uint8]
	Priority       Opt[uint16] // STP port priority
	Cost           Opt[uint32] // STP path cost
	Guard          Opt[bool]   // drop BPDUs received on the port
	Hairpin        Opt[bool]   // send frames back out of the port they came in on
	FastLeave      Opt[bool]   // multicast fast leave
	RootBlock      Opt[bool]   // never become the root port
	Learning       Opt[bool]   // learn source addresses
	Flood          Opt[bool]   // flood unknown unicast to the port
	MulticastFlood Opt[bool]   // flood unknown multicast
	BroadcastFlood Opt[bool]   // flood broadcast
	ProxyARP       Opt[bool]
	NeighSuppress  Opt[bool] // ARP/ND suppression
	Isolated       Opt[bool] // talk only to non-isolated ports
}

// PortKind returns "bridge".
func (*BridgePort) PortKind() string { return "bridge" }

func (p *BridgePort) validate() error {
	if s, ok := p.State.Get(); ok && s > 4 {
		return fmt.Errorf("STP state %d is not 0 to 4", s)
	}
	return nil
}

func (p *BridgePort) encodeData(b *wire.Builder) {
	if v, ok := p.State.Get(); ok {
		b.Uint8(unix.IFLA_BRPORT_STATE, v)
	}
	if v, ok := p.Priority.Get(); ok {
		b.Uint16(unix.IFLA_BRPORT_PRIORITY, v)
	}
	if v, ok := p.Cost.Get(); ok {
		b.Uint32(unix.IFLA_BRPORT_COST, v)
	}
	putBool8(b, unix.IFLA_BRPORT_GUARD, p.Guard)
	putBool8(b, unix.IFLA_BRPORT_MODE, p.Hairpin)
	putBool8(b, unix.IFLA_BRPORT_FAST_LEAVE, p.FastLeave)
	putBool8(b, unix.IFLA_BRPORT_PROTECT, p.RootBlock)
	putBool8(b, unix.IFLA_BRPORT_LEARNING, p.Learning)
	putBool8(b, unix.IFLA_BRPORT_UNICAST_FLOOD, p.Flood)
	putBool8(b, unix.IFLA_BRPORT_MCAST_FLOOD, p.MulticastFlood)
	putBool8(b, unix.IFLA_BRPORT_BCAST_FLOOD, p.BroadcastFlood)
	putBool8(b, unix.IFLA_BRPORT_PROXYARP, p.ProxyARP)
	putBool8(b, unix.IFLA_BRPORT_NEIGH_SUPPRESS, p.NeighSuppress)
	putBool8(b, unix.IFLA_BRPORT_ISOLATED, p.Isolated)
}

// maxVlanID is the largest usable VLAN id.
const maxVlanID = 4094

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
}

// Kind returns "vxlan".
func (*Vxlan) Kind() string { return "vxlan" }

func (v *Vxlan) validate(c *linkCtx) error {
	if v.VNI > maxVNI {
		return fmt.Errorf("VNI %d exceeds %d", v.VNI, maxVNI)
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
	if v.Dev != 0 {
		b.Uint32(unix.IFLA_VXLAN_LINK, uint32(v.Dev))
	}
	if t, ok := v.TTL.Get(); ok {
		b.Uint8(unix.IFLA_VXLAN_TTL, t)
	}
	if t, ok := v.TOS.Get(); ok {
		b.Uint8(unix.IFLA_VXLAN_TOS, t)
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
	// iproute2 collects these and writes them last.
	b.Uint32(unix.IFLA_VXLAN_ID, v.VNI)
	putAddr46(b, unix.IFLA_VXLAN_LOCAL, unix.IFLA_VXLAN_LOCAL6, v.Local)
	putAddr46(b, unix.IFLA_VXLAN_GROUP, unix.IFLA_VXLAN_GROUP6, v.Remote)
	putAddr46(b, unix.IFLA_VXLAN_GROUP, unix.IFLA_VXLAN_GROUP6, v.Group)
	if l, ok := v.Learning.Get(); ok || c.create {
		b.Uint8(unix.IFLA_VXLAN_LEARNING, boolByte(l || !ok))
	}
	if v.Port != 0 {
		b.Uint16BE(unix.IFLA_VXLAN_PORT, v.Port)
	}
}

// MacvlanMode is a macvlan or macvtap mode (MACVLAN_MODE_*).
type MacvlanMode uint32

// Macvlan modes.
const (
	MacvlanPrivate  MacvlanMode = 1  // no traffic between macvlans of the parent
	MacvlanVEPA     MacvlanMode = 2  // traffic between macvlans goes through the switch
	MacvlanBridge   MacvlanMode = 4  // macvlans of the parent talk directly
	MacvlanPassthru MacvlanMode = 8  // one macvlan takes over the parent
	MacvlanSource   MacvlanMode = 16 // accept by source address
)

// MacvlanFlags are MACVLAN_FLAG_* flags.
type MacvlanFlags uint16

// Macvlan flags.
const (
	MacvlanNoPromisc MacvlanFlags = 1 // passthru: do not put the parent in promiscuous mode
	MacvlanNoDst     MacvlanFlags = 2 // source mode: do not also match by destination
)

// Macvlan is a MAC-address-based virtual device on a parent
// (LinkSpec.Parent): "macvlan", or "macvtap" with Tap.
type Macvlan struct {
	// Mode is the mode; 0 leaves the kernel's default (vepa).
	Mode MacvlanMode
	// Flags are sent when set.
	Flags Opt[MacvlanFlags]
	// Tap makes a macvtap, whose queues are character devices.
	Tap bool
}

// Kind returns "macvlan" or "macvtap".
func (m *Macvlan) Kind() string {
	if m.Tap {
		return "macvtap"
	}
	return "macvlan"
}

func (m *Macvlan) validate(c *linkCtx) error {
	switch m.Mode {
	case 0, MacvlanPrivate, MacvlanVEPA, MacvlanBridge, MacvlanPassthru, MacvlanSource:
	default:
		return fmt.Errorf("invalid mode %d", m.Mode)
	}
	if f, ok := m.Flags.Get(); ok && f&^(MacvlanNoPromisc|MacvlanNoDst) != 0 {
		return fmt.Errorf("invalid flags %#x", f)
	}
	return nil
}

func (m *Macvlan) encodeData(c *linkCtx) {
	if m.Mode != 0 {
		c.b.Uint32(unix.IFLA_MACVLAN_MODE, uint32(m.Mode))
	}
	if f, ok := m.Flags.Get(); ok {
		c.b.Uint16(unix.IFLA_MACVLAN_FLAGS, uint16(f))
	}
}

// IPVlanMode is an ipvlan mode (IPVLAN_MODE_*).
type IPVlanMode uint16

// IPVlan modes.
const (
	IPVlanL2  IPVlanMode = 0
	IPVlanL3  IPVlanMode = 1
	IPVlanL3S IPVlanMode = 2
)

// IPVlanFlag is an ipvlan port flag (IPVLAN_F_*): bridge, private or vepa.
type IPVlanFlag uint16

// IPVlan flags.
const (
	IPVlanBridge  IPVlanFlag = 0
	IPVlanPrivate IPVlanFlag = 1
	IPVlanVEPA    IPVlanFlag = 2
)

// IPVlan is an IP-address-based virtual device on a parent
// (LinkSpec.Parent): "ipvlan", or "ipvtap" with Tap.
type IPVlan struct {
	Mode Opt[IPVlanMode]
	Flag Opt[IPVlanFlag]
	Tap  bool
}

// Kind returns "ipvlan" or "ipvtap".
func (v *IPVlan) Kind() string {
	if v.Tap {
		return "ipvtap"
	}
	return "ipvlan"
}

func (v *IPVlan) validate(c *linkCtx) error {
	if m, ok := v.Mode.Get(); ok && m > IPVlanL3S {
		return fmt.Errorf("invalid mode %d", m)
	}
	if f, ok := v.Flag.Get(); ok && f > IPVlanVEPA {
		return fmt.Errorf("invalid flag %d", f)
	}
	return nil
}

func (v *IPVlan) encodeData(c *linkCtx) {
	if !v.Mode.IsSet() && !v.Flag.IsSet() {
		return
	}
	if m, ok := v.Mode.Get(); ok {
		c.b.Uint16(unix.IFLA_IPVLAN_MODE, uint16(m))
	}
	// iproute2 sends the flags whenever it sends options.
	c.b.Uint16(unix.IFLA_IPVLAN_FLAGS, uint16(v.Flag.Or(IPVlanBridge)))
}

// Vlan is an 802.1Q or 802.1ad VLAN device on a parent (LinkSpec.Parent):
// "vlan".
type Vlan struct {
	// ID is the VLAN id, 0 to 4094; always sent.
	ID uint16
	// Protocol is unix.ETH_P_8021Q or unix.ETH_P_8021AD; 0 leaves the
	// default (802.1Q).
	Protocol uint16
	// VLAN_FLAG_* settings.
	ReorderHeader, GVRP, MVRP, LooseBinding, BridgeBinding Opt[bool]
}

// Kind returns "vlan".
func (*Vlan) Kind() string { return "vlan" }

func (v *Vlan) validate(c *linkCtx) error {
	if v.ID > maxVlanID {
		return fmt.Errorf("VLAN id %d exceeds %d", v.ID, maxVlanID)
	}
	if v.Protocol != 0 && v.Protocol != unix.ETH_P_8021Q && v.Protocol != unix.ETH_P_8021AD {
		return fmt.Errorf("VLAN protocol %#04x is neither 802.1Q nor 802.1ad", v.Protocol)
	}
	return nil
}

// VLAN_FLAG_* (linux/if_vlan.h).
const (
	vlanFlagReorderHdr    = 0x1
	vlanFlagGVRP          = 0x2
	vlanFlagLooseBinding  = 0x4
	vlanFlagMVRP          = 0x8
	vlanFlagBridgeBinding = 0x10
)

func (v *Vlan) encodeData(c *linkCtx) {
	b := c.b
	if v.Protocol != 0 {
		b.Uint16BE(unix.IFLA_VLAN_PROTOCOL, v.Protocol)
	}
	b.Uint16(unix.IFLA_VLAN_ID, v.ID)
	var flags, mask uint32
	for _, f := range [...]struct {
		o   Opt[bool]
		bit uint32
	}{{v.ReorderHeader, vlanFlagReorderHdr}, {v.GVRP, vlanFlagGVRP}, {v.LooseBinding, vlanFlagLooseBinding},
		{v.MVRP, vlanFlagMVRP}, {v.BridgeBinding, vlanFlagBridgeBinding}} {
		if on, ok := f.o.Get(); ok {
			mask |= f.bit
			if on {
				flags |= f.bit
			}
		}
	}
	if mask != 0 {
		var fl [8]byte // struct ifla_vlan_flags
		native.PutUint32(fl[0:], flags)
		native.PutUint32(fl[4:], mask)
		b.Binary(unix.IFLA_VLAN_FLAGS, fl[:])
	}
}

// BondMode is a bonding mode.
type BondMode uint8

// Bonding modes.
const (
	BondBalanceRR    BondMode = 0
	BondActiveBackup BondMode = 1
	BondBalanceXOR   BondMode = 2
	BondBroadcast    BondMode = 3
	Bond8023AD       BondMode = 4
	BondBalanceTLB   BondMode = 5
	BondBalanceALB   BondMode = 6
)

// BondXmitHashPolicy selects the transmit hash.
type BondXmitHashPolicy uint8

// Transmit hash policies.
const (
	BondHashLayer2        BondXmitHashPolicy = 0
	BondHashLayer34       BondXmitHashPolicy = 1
	BondHashLayer23       BondXmitHashPolicy = 2
	BondHashEncap23       BondXmitHashPolicy = 3
	BondHashEncap34       BondXmitHashPolicy = 4
	BondHashVlanSrcMAC    BondXmitHashPolicy = 5
	maxBondXmitHashPolicy                    = BondHashVlanSrcMAC
)

// Bond is a bonding device ("bond"). Times are sent in milliseconds and
// must be whole milliseconds.
type Bond struct {
	Mode         Opt[BondMode]
	Miimon       Opt[time.Duration] // link monitoring interval
	UpDelay      Opt[time.Duration]
	DownDelay    Opt[time.Duration]
	ARPInterval  Opt[time.Duration]
	ARPIPTargets []netip.Addr // IPv4 ARP monitoring targets, at most 16
	// FailOverMAC is 0 none, 1 active, 2 follow.
	FailOverMAC Opt[uint8]
	// LACPRate is 0 slow, 1 fast (802.3ad).
	LACPRate       Opt[uint8]
	XmitHashPolicy Opt[BondXmitHashPolicy]
	MinLinks       Opt[uint32]
	// ADSelect is 0 stable, 1 bandwidth, 2 count (802.3ad).
	ADSelect Opt[uint8]
}

// Kind returns "bond".
func (*Bond) Kind() string { return "bond" }

func (bd *Bond) validate(c *linkCtx) error {
	if m, ok := bd.Mode.Get(); ok && m > BondBalanceALB {
		return fmt.Errorf("invalid mode %d", m)
	}
	for _, d := range []struct {
		name string
		v    Opt[time.Duration]
	}{{"miimon", bd.Miimon}, {"updelay", bd.UpDelay}, {"downdelay", bd.DownDelay}, {"arp interval", bd.ARPInterval}} {
		if v, ok := d.v.Get(); ok {
			if _, err := durationUnits(d.name, v, time.Millisecond); err != nil {
				return err
			}
		}
	}
	if len(bd.ARPIPTargets) > 16 {
		return fmt.Errorf("%d ARP targets, at most 16", len(bd.ARPIPTargets))
	}
	for _, a := range bd.ARPIPTargets {
		if !a.Is4() {
			return fmt.Errorf("ARP target %v is not an IPv4 address", a)
		}
	}
	if v, ok := bd.FailOverMAC.Get(); ok && v > 2 {
		return fmt.Errorf("invalid fail_over_mac %d", v)
	}
	if v, ok := bd.LACPRate.Get(); ok && v > 1 {
		return fmt.Errorf("invalid LACP rate %d", v)
	}
	if v, ok := bd.XmitHashPolicy.Get(); ok && v > maxBondXmitHashPolicy {
		return fmt.Errorf("invalid transmit hash policy %d", v)
	}
	if v, ok := bd.ADSelect.Get(); ok && v > 2 {
		return fmt.Errorf("invalid ad_select %d", v)
	}
	return nil
}

func putMilliseconds(b *wire.Builder, typ uint16, o Opt[time.Duration]) {
	if d, ok := o.Get(); ok {
		b.Uint32(typ, uint32(d/time.Millisecond))
	}
}

func (bd *Bond) encodeData(c *linkCtx) {
	b := c.b
	if v, ok := bd.Mode.Get(); ok {
		b.Uint8(unix.IFLA_BOND_MODE, uint8(v))
	}
	putMilliseconds(b, unix.IFLA_BOND_MIIMON, bd.Miimon)
	putMilliseconds(b, unix.IFLA_BOND_UPDELAY, bd.UpDelay)
	putMilliseconds(b, unix.IFLA_BOND_DOWNDELAY, bd.DownDelay)
	putMilliseconds(b, unix.IFLA_BOND_ARP_INTERVAL, bd.ARPInterval)
	if len(bd.ARPIPTargets) > 0 {
		n := beginNest(b, unix.IFLA_BOND_ARP_IP_TARGET)
		for i, a := range bd.ARPIPTargets {
			b.Addr(uint16(i), a)
		}
		endNest(b, n)
	}
	if v, ok := bd.FailOverMAC.Get(); ok {
		b.Uint8(unix.IFLA_BOND_FAIL_OVER_MAC, v)
	}
	if v, ok := bd.LACPRate.Get(); ok {
		b.Uint8(unix.IFLA_BOND_AD_LACP_RATE, v)
	}
	if v, ok := bd.XmitHashPolicy.Get(); ok {
		b.Uint8(unix.IFLA_BOND_XMIT_HASH_POLICY, uint8(v))
	}
	if v, ok := bd.MinLinks.Get(); ok {
		b.Uint32(unix.IFLA_BOND_MIN_LINKS, v)
	}
	if v, ok := bd.ADSelect.Get(); ok {
		b.Uint8(unix.IFLA_BOND_AD_SELECT, v)
	}
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
}

// Kind returns "gre", "gretap", "ip6gre" or "ip6gretap".
func (g *GRE) Kind() string {
	k := "gre"
	if g.Tap {
		k = "gretap"
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
		if g.Dev != 0 {
			b.Uint32(iflaGreLink, uint32(g.Dev))
		}
		b.Uint8(iflaGreTTL, g.TTL.Or(ip6DefaultHopLimit))
		b.Uint8(iflaGreEncapLimit, ip6DefaultEncapLim)
		b.Uint32BE(iflaGreFlowinfo, 0)
		b.Uint32(iflaGreFlags, 0)
		b.Uint32(iflaGreFwmark, g.FwMark)
		b.Uint8(iflaGreErspanVer, 1)
		encapFlags = tunnelEncapCsum6
	} else {
		b.Uint8(iflaGrePMTUDisc, boolByte(g.PMTUDisc.Or(true)))
		b.Uint8(iflaGreTOS, g.TOS)
		if g.Dev != 0 {
			b.Uint32(iflaGreLink, uint32(g.Dev))
		}
		b.Uint8(iflaGreTTL, g.TTL.Or(0))
		b.Uint32(iflaGreFwmark, g.FwMark)
	}
	b.Uint16(iflaGreEncapType, 0)
	b.Uint16(iflaGreEncapFlags, encapFlags)
	b.Uint16BE(iflaGreEncapSport, 0)
	b.Uint16BE(iflaGreEncapDport, 0)
}

// IFLA_IPTUN_* (linux/if_tunnel.h), which x/sys/unix lacks.
const (
	iflaIPTunLink       = 1
	iflaIPTunLocal      = 2
	iflaIPTunRemote     = 3
	iflaIPTunTTL        = 4
	iflaIPTunTOS        = 5
	iflaIPTunFlags      = 8
	iflaIPTunProto      = 9
	iflaIPTunPMTUDisc   = 10
	iflaIPTunEncapType  = 15
	iflaIPTunEncapFlags = 16
	iflaIPTunEncapSport = 17
	iflaIPTunEncapDport = 18
	iflaIPTunFwmark     = 20
)

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
	b.Uint8(iflaIPTunProto, 0)
	if t.Local.IsValid() {
		b.Addr(iflaIPTunLocal, t.Local)
	}
	if t.Remote.IsValid() {
		b.Addr(iflaIPTunRemote, t.Remote)
	}
	b.Uint8(iflaIPTunPMTUDisc, boolByte(t.PMTUDisc.Or(true)))
	b.Uint8(iflaIPTunTOS, t.TOS)
	b.Uint8(iflaIPTunTTL, t.TTL)
	b.Uint32(iflaIPTunLink, uint32(t.Dev))
	b.Uint32(iflaIPTunFwmark, t.FwMark)
	b.Uint16(iflaIPTunEncapType, 0)
	b.Uint16(iflaIPTunEncapFlags, 0)
	b.Uint16BE(iflaIPTunEncapSport, 0)
	b.Uint16BE(iflaIPTunEncapDport, 0)
	if sit {
		b.Uint16(iflaIPTunFlags, 0)
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
	if g.Port != 0 {
		b.Uint16BE(unix.IFLA_GENEVE_PORT, g.Port)
	}
	putBool8(b, unix.IFLA_GENEVE_UDP_CSUM, g.UDPChecksum)
}
