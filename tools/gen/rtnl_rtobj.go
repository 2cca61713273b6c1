package main

// The schemas of the RTNL objects other than links, addresses, routes,
// neighbours, nexthops and rules: netconf, IPv6 address labels, namespace
// ids, the bridge's multicast database and VLANs, and RTM_GETSTATS. pyroute2
// 0.7 models few of them, so they are built from the uapi headers alone,
// with the kinds below (each from the kernel's policy or fill function).

// rtobjTypes extends kernelTypes for these schemas.
var rtobjTypes = map[string]string{
	// NETCONFA_*: inet_netconf_fill_devconf puts s32s.
	"NETCONFA_IFINDEX": "s32", "NETCONFA_FORWARDING": "s32", "NETCONFA_RP_FILTER": "s32",
	"NETCONFA_MC_FORWARDING": "s32", "NETCONFA_PROXY_NEIGH": "s32",
	"NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN": "s32", "NETCONFA_INPUT": "s32",
	"NETCONFA_BC_FORWARDING": "s32",
	// IFAL_*: ifal_policy.
	"IFAL_ADDRESS": "addr", "IFAL_LABEL": "u32",
	// NETNSA_*: rtnl_net_policy.
	"NETNSA_NONE": "binary", "NETNSA_NSID": "s32", "NETNSA_PID": "u32", "NETNSA_FD": "u32",
	"NETNSA_TARGET_NSID": "s32", "NETNSA_CURRENT_NSID": "s32",
	// MDBA_*: the entry's info is a struct br_mdb_entry followed by
	// MDBA_MDB_EATTR_* attributes, and a router port a u32 followed by
	// MDBA_ROUTER_PATTR_*, which a schema cannot express: the views
	// decode them.
	"MDBA_MDB_ENTRY_INFO": "binary", "MDBA_ROUTER_PORT": "binary",
	// BRIDGE_VLANDB_*: br_vlan_db_policy, br_vlan_fill_vids,
	// br_vlan_global_opts_fill.
	"BRIDGE_VLANDB_ENTRY_RANGE": "u16", "BRIDGE_VLANDB_ENTRY_STATE": "u8",
	"BRIDGE_VLANDB_ENTRY_MCAST_ROUTER": "u8",
	"BRIDGE_VLANDB_TINFO_ID":           "u32", "BRIDGE_VLANDB_TINFO_CMD": "u32",
	"BRIDGE_VLANDB_STATS_RX_BYTES": "u64", "BRIDGE_VLANDB_STATS_RX_PACKETS": "u64",
	"BRIDGE_VLANDB_STATS_TX_BYTES": "u64", "BRIDGE_VLANDB_STATS_TX_PACKETS": "u64",
	"BRIDGE_VLANDB_STATS_PAD": "binary",
	"BRIDGE_VLANDB_GOPTS_ID":  "u16", "BRIDGE_VLANDB_GOPTS_RANGE": "u16",
	"BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING": "u8", "BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION": "u8",
	"BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION": "u8", "BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT": "u32",
	"BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT": "u32", "BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL": "u64",
	"BRIDGE_VLANDB_GOPTS_PAD": "binary", "BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL": "u64",
	"BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL": "u64", "BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL": "u64",
	"BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL": "u64",
	"BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL":  "u64",
	"BRIDGE_VLANDB_GOPTS_MCAST_QUERIER":              "u8",
	"BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_STATE":        "binary", "BRIDGE_VLANDB_GOPTS_MSTI": "u16",
	// IFLA_STATS_*: rtnl_fill_statsinfo. The extended statistics are
	// structs and nests the views decode.
	"IFLA_STATS_AF_SPEC": "binary", "BRIDGE_XSTATS_VLAN": "binary", "BRIDGE_XSTATS_MCAST": "binary",
	"BRIDGE_XSTATS_PAD": "binary", "BRIDGE_XSTATS_STP": "binary", "LINK_XSTATS_TYPE_BOND": "binary",
	"IFLA_OFFLOAD_XSTATS_HW_S_INFO": "binary", "IFLA_OFFLOAD_XSTATS_L3_STATS": "binary",
}

// rtobjRoots are the root schemas of rtm/zschema_rtobj.go.
var rtobjRoots = []string{"netconfSchema", "addrLabelSchema", "netnsIDSchema", "mdbSchema", "bridgeVLANSchema", "statsSchema"}

func (g *rtnlGen) rtobjFamilies() {
	g.schemaFromHeader("netconfSchema", "netconf", "NETCONFA_IFINDEX", "NETCONFA_", nil)
	g.schemaFromHeader("addrLabelSchema", "addrlabel", "IFAL_ADDRESS", "IFAL_", nil)
	g.schemaFromHeader("netnsIDSchema", "nsid", "NETNSA_NSID", "NETNSA_", nil)

	entry := g.schemaFromHeader("mdbEntrySchema", "entry", "MDBA_MDB_ENTRY_INFO", "MDBA_MDB_ENTRY_", nil)
	entries := g.schemaFromHeader("mdbEntriesSchema", "mdb", "MDBA_MDB_ENTRY", "MDBA_MDB_", map[string]*rspec{
		"MDBA_MDB_ENTRY": {kind: "nested", nested: entry}})
	routers := g.schemaFromHeader("mdbRouterSchema", "router", "MDBA_ROUTER_PORT", "MDBA_ROUTER_", nil)
	g.schemaFromHeader("mdbSchema", "mdb", "MDBA_MDB", "MDBA_", map[string]*rspec{
		"MDBA_MDB":    {kind: "nested", nested: entries},
		"MDBA_ROUTER": {kind: "nested", nested: routers},
	})

	vlanInfo := g.structFromHeader("bridgeVLANInfoFields", "bridge_vlan_info", "", nil, nil)
	g.structs[vlanInfo.goName] = vlanInfo
	tinfo := g.schemaFromHeader("bridgeVLANTunnelSchema", "tunnel_info", "BRIDGE_VLANDB_TINFO_ID", "BRIDGE_VLANDB_TINFO_", nil)
	vstats := g.schemaFromHeader("bridgeVLANStatsSchema", "stats", "BRIDGE_VLANDB_STATS_RX_BYTES", "BRIDGE_VLANDB_STATS_", nil)
	ventry := g.schemaFromHeader("bridgeVLANEntrySchema", "entry", "BRIDGE_VLANDB_ENTRY_INFO", "BRIDGE_VLANDB_ENTRY_", map[string]*rspec{
		"BRIDGE_VLANDB_ENTRY_INFO":        {kind: "struct", strct: vlanInfo},
		"BRIDGE_VLANDB_ENTRY_TUNNEL_INFO": {kind: "nested", nested: tinfo},
		"BRIDGE_VLANDB_ENTRY_STATS":       {kind: "nested", nested: vstats},
	})
	gopts := g.schemaFromHeader("bridgeVLANGlobalSchema", "global_options", "BRIDGE_VLANDB_GOPTS_ID", "BRIDGE_VLANDB_GOPTS_", map[string]*rspec{
		"BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS": {kind: "nested", nested: routers},
	})
	g.schemaFromHeader("bridgeVLANSchema", "vlan", "BRIDGE_VLANDB_ENTRY", "BRIDGE_VLANDB_", map[string]*rspec{
		"BRIDGE_VLANDB_ENTRY":          {kind: "nested", nested: ventry},
		"BRIDGE_VLANDB_GLOBAL_OPTIONS": {kind: "nested", nested: gopts},
	})

	// The link schema's IFLA_STATS64 layout, built by linkFamily.
	stats64, ok := g.structs["rtnlLinkStats64Fields"]
	if !ok {
		failf("the link schema has no rtnlLinkStats64Fields")
	}
	brx := g.schemaFromHeader("statsBridgeSchema", "bridge", "BRIDGE_XSTATS_VLAN", "BRIDGE_XSTATS_", nil)
	xstats := g.schemaFromHeader("statsXstatsSchema", "xstats", "LINK_XSTATS_TYPE_BRIDGE", "LINK_XSTATS_TYPE_", map[string]*rspec{
		"LINK_XSTATS_TYPE_BRIDGE": {kind: "nested", nested: brx},
	})
	offload := g.schemaFromHeader("statsOffloadSchema", "offload_xstats", "IFLA_OFFLOAD_XSTATS_CPU_HIT", "IFLA_OFFLOAD_XSTATS_", map[string]*rspec{
		"IFLA_OFFLOAD_XSTATS_CPU_HIT": {kind: "struct", strct: stats64},
	})
	g.schemaFromHeader("statsSchema", "stats", "IFLA_STATS_LINK_64", "IFLA_STATS_", map[string]*rspec{
		"IFLA_STATS_LINK_64":             {kind: "struct", strct: stats64},
		"IFLA_STATS_LINK_XSTATS":         {kind: "nested", nested: xstats},
		"IFLA_STATS_LINK_XSTATS_SLAVE":   {kind: "nested", nested: xstats},
		"IFLA_STATS_LINK_OFFLOAD_XSTATS": {kind: "nested", nested: offload},
	})
}
