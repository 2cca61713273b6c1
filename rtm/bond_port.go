package rtm

import (
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// BondPort is a link's settings as a bond port (IFLA_BOND_SLAVE_*), set
// with [Handle.LinkSet] on a link whose master is a bond ("ip link set dev
// DEV type bond_slave queue_id ID prio PRIO"). The rest of a bond port's
// state (its MII status, aggregator, 802.3ad port states) is read-only:
// read it by name, link.Get("linkinfo", "slave_data", "mii_status").
type BondPort struct {
	// QueueID is the transmit queue the port's traffic is mapped to
	// (the bond's tc filters can select it), 0 for none.
	QueueID Opt[uint16]
	// Prio is the port's priority for becoming the active port (Linux
	// 6.0; active-backup, balance-tlb and balance-alb modes).
	Prio Opt[int32]
}

// PortKind returns "bond".
func (*BondPort) PortKind() string { return "bond" }

// validate accepts every setting: the kernel checks a queue id against
// the bond's queue count, which only it knows.
func (p *BondPort) validate() error { return nil }

func (p *BondPort) encodeData(b *wire.Builder) {
	putOpt(b.Uint16, unix.IFLA_BOND_SLAVE_QUEUE_ID, p.QueueID)
	if v, ok := p.Prio.Get(); ok {
		b.Uint32(unix.IFLA_BOND_SLAVE_PRIO, uint32(v))
	}
}
