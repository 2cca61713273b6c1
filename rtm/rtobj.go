package rtm

import "golang.org/x/sys/unix"

// The fixed headers of the other RTNL objects (see rtnl.Header).
type (
	// netconfmsg is struct netconfmsg (one byte, the family), padded to
	// the alignment its attributes start at; RTM_GETNSID's struct
	// rtgenmsg has the same layout.
	netconfmsg   [4]byte
	ifaddrlblmsg [sizeofIfAddrlblMsg]byte // address labels
	brPortMsg    [8]byte                  // MDB: struct br_port_msg
	brVlanMsg    [8]byte                  // bridge VLANs: struct br_vlan_msg
	tunnelMsg    [8]byte                  // VXLAN VNI filter: struct tunnel_msg
	ifStatsMsg   [sizeofIfStatsMsg]byte   // RTM_GETSTATS: struct if_stats_msg
)

// Sizes and values of the uapi x/sys/unix lacks.
const (
	sizeofIfAddrlblMsg = 12 // struct ifaddrlblmsg
	sizeofIfStatsMsg   = 12 // struct if_stats_msg

	// RTNLFamilyIPMR and RTNLFamilyIP6MR are the route families of
	// multicast routes (RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR).
	RTNLFamilyIPMR  = 128
	RTNLFamilyIP6MR = 129
)

// The groups of the other objects' notifications (not in [AllGroups],
// which keeps the groups it always had).
const (
	GroupNSID        Group = unix.RTNLGRP_NSID
	GroupMDB         Group = unix.RTNLGRP_MDB
	GroupBridgeVLAN  Group = unix.RTNLGRP_BRVLAN
	GroupIPv4MRoute  Group = unix.RTNLGRP_IPV4_MROUTE
	GroupIPv6MRoute  Group = unix.RTNLGRP_IPV6_MROUTE
	GroupMPLSNetconf Group = unix.RTNLGRP_MPLS_NETCONF
	// GroupTunnel is RTNLGRP_TUNNEL (x/sys/unix lacks it): the changes
	// of VXLAN VNI filters.
	GroupTunnel Group = 35
)

// The kinds of the other objects' messages.
var (
	netconfMsgs   = msgKind{unix.RTM_NEWNETCONF, "netconf", 0}
	addrLabelMsgs = msgKind{unix.RTM_NEWADDRLABEL, "address label", 0}
	nsidMsgs      = msgKind{unix.RTM_NEWNSID, "nsid", 0}
	mdbMsgs       = msgKind{unix.RTM_NEWMDB, "mdb", unix.ENOENT}
	// mdbDumpMsgs: the kernel answers an MDB dump with messages of type
	// RTM_GETMDB.
	mdbDumpMsgs = msgKind{unix.RTM_GETMDB, "mdb", 0}
	vlanMsgs    = msgKind{unix.RTM_NEWVLAN, "bridge vlan", 0}
	statsMsgs   = msgKind{unix.RTM_NEWSTATS, "stats", unix.ENODEV}
	tunnelMsgs  = msgKind{unix.RTM_NEWTUNNEL, "vxlan vni", 0}
)

// fixedLenRtobj is FixedLen for the other objects' message types.
func fixedLenRtobj(t uint16) int {
	switch {
	case t >= unix.RTM_NEWADDRLABEL && t <= unix.RTM_GETADDRLABEL:
		return sizeofIfAddrlblMsg
	case t >= unix.RTM_NEWNETCONF && t <= unix.RTM_GETNETCONF,
		t >= unix.RTM_NEWNSID && t <= unix.RTM_GETNSID:
		return len(netconfmsg{})
	case t >= unix.RTM_NEWMDB && t <= unix.RTM_GETMDB:
		return len(brPortMsg{})
	case t >= unix.RTM_NEWSTATS && t <= unix.RTM_SETSTATS:
		return sizeofIfStatsMsg
	case t >= unix.RTM_NEWVLAN && t <= unix.RTM_GETVLAN:
		return len(brVlanMsg{})
	case t >= unix.RTM_NEWTUNNEL && t <= unix.RTM_GETTUNNEL:
		return len(tunnelMsg{})
	}
	return -1
}

// isDelRtobj reports the removal notifications of the other objects.
func isDelRtobj(t uint16) bool {
	switch t {
	case unix.RTM_DELNETCONF, unix.RTM_DELADDRLABEL, unix.RTM_DELNSID, unix.RTM_DELMDB, unix.RTM_DELVLAN, unix.RTM_DELTUNNEL:
		return true
	}
	return false
}
