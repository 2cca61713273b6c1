package main

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// The tunnel mapping's attributes (IFLA_BRIDGE_VLAN_TUNNEL_* in
// linux/if_bridge.h).
const (
	vlanTestTunnelID   = 1
	vlanTestTunnelVID  = 2
	vlanTestTunnelFlag = 3
)

// vlanTestEntry is one VLAN of a port: its flags and id, and for a
// tunnel mapping its tunnel id.
type vlanTestEntry struct {
	flags, vid uint16
	tunnel     uint32
}

// vlanTestPort is an AF_BRIDGE RTM_NEWLINK of a port as the kernel
// reports it to a dump with RTEXT_FILTER_BRVLAN_COMPRESSED: its VLANs,
// then its VLAN-to-tunnel mappings (the entries with a tunnel id).
func vlanTestPort(index uint32, name string, vlans []vlanTestEntry) []byte {
	ne := binary.NativeEndian
	p := make([]byte, unix.SizeofIfInfomsg)
	p[0] = unix.AF_BRIDGE
	ne.PutUint16(p[2:], unix.ARPHRD_ETHER)
	ne.PutUint32(p[4:], index)
	ne.PutUint32(p[8:], unix.IFF_UP|unix.IFF_BROADCAST|unix.IFF_MULTICAST)
	p = appendAttr(p, unix.IFLA_IFNAME, append([]byte(name), 0))
	p = appendAttr(p, unix.IFLA_MTU, ne.AppendUint32(nil, 1500))
	var spec []byte
	for _, v := range vlans {
		if v.tunnel == 0 {
			spec = appendAttr(spec, uapi.IFLA_BRIDGE_VLAN_INFO, ne.AppendUint16(ne.AppendUint16(nil, v.flags), v.vid))
		}
	}
	for _, v := range vlans {
		if v.tunnel != 0 {
			var nest []byte
			nest = appendAttr(nest, vlanTestTunnelID, ne.AppendUint32(nil, v.tunnel))
			nest = appendAttr(nest, vlanTestTunnelVID, ne.AppendUint16(nil, v.vid))
			nest = appendAttr(nest, vlanTestTunnelFlag, ne.AppendUint16(nil, v.flags))
			spec = appendAttr(spec, uapi.IFLA_BRIDGE_VLAN_TUNNEL_INFO, nest)
		}
	}
	p = appendAttr(p, unix.IFLA_AF_SPEC, spec)
	return nltest.Message(unix.RTM_NEWLINK, p)
}

// vlanPrintCommands are the listings compared with bridge's.
var vlanPrintCommands = []string{
	"bridge vlan show", "bridge -j vlan show", "bridge vlan show vid 20", "bridge vlan show vid 150",
	"bridge vlan show vid 300", "bridge vlan show dev p1",
	"bridge vlan tunnelshow", "bridge -j vlan tunnelshow", "bridge vlan tunnelshow vid 1500",
	"bridge vlan tunnelshow vid 5", "bridge vlan tunnelshow dev p0",
}

// TestBridgeVLANShowAsBridge prints VLAN and tunnel rows (single VLANs,
// ranges, flags, filters by VLAN and port), which a kernel without VLAN
// filtering cannot hold, through the fake kernel, and compares them
// with what iproute2 6.1's bridge printed for the same messages under
// the fakertnl shim (IPR_VLANPRINT_WRITE=1 records them again).
func TestBridgeVLANShowAsBridge(t *testing.T) {
	if binaryNativeIsBig() {
		t.Skip("the golden is little-endian")
	}
	msgs := [][]byte{
		vlanTestPort(3, "p0", []vlanTestEntry{
			{flags: rtm.BridgeVLANPVID | rtm.BridgeVLANUntagged, vid: 1},
			{vid: 10},
			{flags: rtm.BridgeVLANUntagged, vid: 20},
			{flags: rtm.BridgeVLANRangeBegin, vid: 100}, {flags: rtm.BridgeVLANRangeEnd, vid: 200},
			{flags: rtm.BridgeVLANRangeBegin | rtm.BridgeVLANUntagged, vid: 1000}, {flags: rtm.BridgeVLANRangeEnd | rtm.BridgeVLANUntagged, vid: 4094},
			{vid: 10, tunnel: 65536},
			{flags: rtm.BridgeVLANRangeBegin, vid: 1000, tunnel: 1000}, {flags: rtm.BridgeVLANRangeEnd, vid: 2000, tunnel: 2000},
		}),
		vlanTestPort(2, "p1", []vlanTestEntry{
			{flags: rtm.BridgeVLANPVID, vid: 5},
			{flags: rtm.BridgeVLANRangeBegin, vid: 140}, {flags: rtm.BridgeVLANRangeEnd, vid: 160},
			{vid: 5, tunnel: 4294967295},
			{vid: 4094, tunnel: 7},
		}),
		vlanTestPort(4, "br0", nil),
	}
	serveLinks(t, msgs)
	compareShimGoldens(t, filepath.Join("testdata", "vlanprint.txt"), "IPR_VLANPRINT_WRITE", msgs, vlanPrintCommands)
}
