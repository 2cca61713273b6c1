package rtm

// The kinds of links made on a parent device (LinkSpec.Parent): macvlan,
// macvtap, ipvlan, ipvtap and VLAN.

import (
	"fmt"

	"golang.org/x/sys/unix"
)

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
	putU16BE(b, unix.IFLA_VLAN_PROTOCOL, v.Protocol)
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
