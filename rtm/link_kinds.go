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

func (v *Veth) encodeData(c *linkCtx) { v.encodePeer(c, vethInfoPeer) }

// encodePeer writes the peer nest of a pair (veth, vxcan, netkit), of
// type typ.
func (v *Veth) encodePeer(c *linkCtx, typ uint16) {
	if v.Peer == nil {
		return
	}
	n := beginNest(c.b, typ)
	if err := encodePeer(c, v.Peer); err != nil {
		c.b.Fail(err)
	}
	endNest(c.b, n)
}

// noKindData is the part of a LinkKind without settings: nothing to
// check, no IFLA_INFO_DATA.
type noKindData struct{}

func (noKindData) validate(c *linkCtx) error { return nil }
func (noKindData) encodeData(c *linkCtx)     {}

// Dummy is a dummy device ("dummy"), which drops what it is sent.
type Dummy struct{ noKindData }

// Kind returns "dummy".
func (*Dummy) Kind() string { return "dummy" }

// Ifb is an intermediate functional block device ("ifb"), the target of
// traffic redirected by tc.
type Ifb struct{ noKindData }

// Kind returns "ifb".
func (*Ifb) Kind() string { return "ifb" }

// Team is a team device ("team"), the bonding driver's user-space
// successor: the link is created here, its ports added as a bond's
// (LinkSpec.Master); the runner and its options are configured over
// generic netlink by teamd.
type Team struct{ noKindData }

// Kind returns "team".
func (*Team) Kind() string { return "team" }

// Wireguard is a WireGuard device ("wireguard"). Only the link is created
// here; keys and peers are configured over generic netlink.
type Wireguard struct{ noKindData }

// Kind returns "wireguard".
func (*Wireguard) Kind() string { return "wireguard" }

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
	putOpt(b.Uint16, unix.IFLA_BR_PRIORITY, br.Priority)
	putBool8(b, unix.IFLA_BR_VLAN_FILTERING, br.VlanFiltering)
	putOpt(b.Uint16BE, unix.IFLA_BR_VLAN_PROTOCOL, br.VlanProtocol)
	putOpt(b.Uint16, unix.IFLA_BR_GROUP_FWD_MASK, br.GroupFwdMask)
	putOpt(b.Uint16, unix.IFLA_BR_VLAN_DEFAULT_PVID, br.DefaultPVID)
	putBool8(b, unix.IFLA_BR_VLAN_STATS_ENABLED, br.VlanStats)
	putOpt(b.Uint8, unix.IFLA_BR_MCAST_ROUTER, br.MulticastRouter)
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
	// The rest of the port options: see bridge_port.go.
	BridgePortMore
}

// PortKind returns "bridge".
func (*BridgePort) PortKind() string { return "bridge" }

func (p *BridgePort) validate() error {
	if s, ok := p.State.Get(); ok && s > 4 {
		return fmt.Errorf("STP state %d is not 0 to 4", s)
	}
	return p.BridgePortMore.validate()
}

func (p *BridgePort) encodeData(b *wire.Builder) {
	putOpt(b.Uint8, unix.IFLA_BRPORT_STATE, p.State)
	putOpt(b.Uint16, unix.IFLA_BRPORT_PRIORITY, p.Priority)
	putOpt(b.Uint32, unix.IFLA_BRPORT_COST, p.Cost)
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
	p.BridgePortMore.encode(b)
}

// maxVlanID is the largest usable VLAN id.
const maxVlanID = 4094
