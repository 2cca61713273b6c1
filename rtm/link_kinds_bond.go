package rtm

// The bonding device's kind of link and its settings.

import (
	"cmp"
	"fmt"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

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
	return cmp.Or(
		checkMax(bd.FailOverMAC, 2, "invalid fail_over_mac %d"),
		checkMax(bd.LACPRate, 1, "invalid LACP rate %d"),
		checkMax(bd.XmitHashPolicy, maxBondXmitHashPolicy, "invalid transmit hash policy %d"),
		checkMax(bd.ADSelect, 2, "invalid ad_select %d"),
	)
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
	putOpt(b.Uint8, unix.IFLA_BOND_FAIL_OVER_MAC, bd.FailOverMAC)
	putOpt(b.Uint8, unix.IFLA_BOND_AD_LACP_RATE, bd.LACPRate)
	if v, ok := bd.XmitHashPolicy.Get(); ok {
		b.Uint8(unix.IFLA_BOND_XMIT_HASH_POLICY, uint8(v))
	}
	putOpt(b.Uint32, unix.IFLA_BOND_MIN_LINKS, bd.MinLinks)
	putOpt(b.Uint8, unix.IFLA_BOND_AD_SELECT, bd.ADSelect)
}
