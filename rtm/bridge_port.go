package rtm

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// BridgePortMore are the bridge port options beyond STP, learning and
// flooding: multicast, tunnelling, 802.1X locking and backup ports
// (IFLA_BRPORT_*). [BridgePort] embeds it; they are sent after its other
// options, in this order, as "ip link set dev DEV type bridge_slave"
// sends them when given in this order.
type BridgePortMore struct {
	// FlushFDB removes the port's dynamic FDB entries (fdb_flush).
	FlushFDB bool
	// ProxyARPWiFi is proxy ARP for Wi-Fi (proxy_arp_wifi).
	ProxyARPWiFi Opt[bool]
	// MulticastRouter is the port's multicast router mode: 0 disabled,
	// 1 learnt from queries (the default), 2 permanent, 3 temporary.
	MulticastRouter Opt[uint8]
	// MulticastToUnicast sends multicast to each member as unicast.
	MulticastToUnicast Opt[bool]
	// GroupFwdMask lets link-local groups 01:80:c2:00:00:0X through, by
	// bit X (not 0, 1 or 2, which the kernel refuses).
	GroupFwdMask Opt[uint16]
	// VLANTunnel maps VLANs to tunnel ids on the port (a collect-metadata
	// VXLAN device); see [BridgeVLANSpec.TunnelID].
	VLANTunnel Opt[bool]
	// Locked only lets traffic from hosts with an FDB entry in (802.1X).
	Locked Opt[bool]
	// MAB, on a locked port, learns hosts as locked FDB entries for user
	// space to authorise (MAC authentication bypass; Linux 6.2).
	MAB Opt[bool]
	// BackupPort redirects the port's traffic to another port when its
	// carrier is down; Some(0) removes it (nobackup_port).
	BackupPort Opt[int32]
	// MulticastEHTHostsLimit bounds the hosts tracked for explicit host
	// tracking (IGMPv3/MLDv2).
	MulticastEHTHostsLimit Opt[uint32]
	// MulticastMaxGroups bounds the groups the port can join; 0 means no
	// limit (Linux 6.3).
	MulticastMaxGroups Opt[uint32]
	// NeighVLANSuppress makes neighbour suppression per VLAN (Linux
	// 6.5).
	NeighVLANSuppress Opt[bool]
	// BackupNHID sends the port's traffic to an FDB nexthop group when
	// its carrier is down (Linux 6.7); Some(0) removes it.
	BackupNHID Opt[uint32]
}

func (p *BridgePortMore) validate() error {
	if v, ok := p.MulticastRouter.Get(); ok && v > 3 {
		return fmt.Errorf("multicast router mode %d is not 0 to 3", v)
	}
	if v, ok := p.GroupFwdMask.Get(); ok && v&7 != 0 {
		return fmt.Errorf("group forward mask %#x has bits 0-2, which the kernel refuses", v)
	}
	if v, ok := p.BackupPort.Get(); ok && v < 0 {
		return fmt.Errorf("invalid backup port index %d", v)
	}
	if mab, _ := p.MAB.Get(); mab {
		if locked, ok := p.Locked.Get(); ok && !locked {
			return errors.New("MAB needs a locked port")
		}
	}
	return nil
}

func (p *BridgePortMore) encode(b *wire.Builder) {
	if p.FlushFDB {
		b.Flag(unix.IFLA_BRPORT_FLUSH)
	}
	putBool8(b, unix.IFLA_BRPORT_PROXYARP_WIFI, p.ProxyARPWiFi)
	putOpt(b.Uint8, unix.IFLA_BRPORT_MULTICAST_ROUTER, p.MulticastRouter)
	putBool8(b, unix.IFLA_BRPORT_MCAST_TO_UCAST, p.MulticastToUnicast)
	putOpt(b.Uint16, unix.IFLA_BRPORT_GROUP_FWD_MASK, p.GroupFwdMask)
	putBool8(b, unix.IFLA_BRPORT_VLAN_TUNNEL, p.VLANTunnel)
	putBool8(b, unix.IFLA_BRPORT_LOCKED, p.Locked)
	putBool8(b, unix.IFLA_BRPORT_MAB, p.MAB)
	if v, ok := p.BackupPort.Get(); ok {
		b.Uint32(unix.IFLA_BRPORT_BACKUP_PORT, uint32(v))
	}
	putOpt(b.Uint32, unix.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, p.MulticastEHTHostsLimit)
	putOpt(b.Uint32, unix.IFLA_BRPORT_MCAST_MAX_GROUPS, p.MulticastMaxGroups)
	putBool8(b, unix.IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, p.NeighVLANSuppress)
	putOpt(b.Uint32, unix.IFLA_BRPORT_BACKUP_NHID, p.BackupNHID)
}
