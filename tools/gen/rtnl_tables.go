package main

// The rules of the rtnl generator, carried over from scripts/gen_schema.py
// (its git history explains each entry). Keys are pyroute2 qualified class
// names or kernel constant names.

// rtnlHeaders are the uapi headers the rtnl generator reads, in this order
// (the first #define of a name wins), from rtnl/include/linux.
var rtnlHeaders = []string{
	"if_ether.h", "if_link.h", "if_addr.h", "rtnetlink.h", "neighbour.h",
	"fib_rules.h", "nexthop.h", "lwtunnel.h", "if_bridge.h", "if_tunnel.h",
	"veth.h", "mpls_iptunnel.h", "seg6.h", "seg6_iptunnel.h", "seg6_local.h",
	"ip.h", "ipv6.h", "snmp.h",
	"netconf.h", "if_addrlabel.h", "net_namespace.h", // rtnl_rtobj.go
	"can/netlink.h", // rtnl_kinds.go
}

// typeFix is a kind that overrides pyroute2's, and why.
type typeFix struct{ kind, why string }

// structRule lays a pyroute2 struct class out by a C struct: the struct,
// the member prefix to drop for names pyroute2 lacks, and member kinds the
// C type alone does not tell.
type structRule struct {
	cstruct, memberPrefix string
	kinds                 map[string]string
}

// sized is a kind with its size in bytes.
type sized struct {
	kind string
	size int
}

// noComplete are classes that use a few constants of a larger enum: they
// are not completed from the header.
var noComplete = map[string]bool{"ifinfbase.proplist": true, "macvx_data.macaddr_data": true}

// kindAliases are kernel link kinds pyroute2 does not list whose data is
// another kind's: erspan devices are filled by ipgre_fill_info, ipvtap by
// ipvlan_nl_fillinfo.
var kindAliases = [][2]string{{"erspan", "gre"}, {"ip6erspan", "ip6gre"}, {"ipvtap", "ipvlan"}}

// arrayLen is BOND_MAX_ARP_TARGETS (include/net/bonding.h; not in uapi):
// the kernel numbers the addresses of IFLA_BOND_ARP_IP_TARGET and
// _NS_IP6_TARGET 0..15.
const arrayLen = 16

// prefixes gives a prefix to pyroute2 classes that declare none (pyroute2
// then wants the whole C name). Link kind data use IFLA_ like pyroute2's
// other kinds ("vxlan_id", "geneve_id"); other nests strip their own family.
var prefixes = map[string]string{
	"ifinfbase.proplist":                      "IFLA_",
	"ifinfbase.vflist":                        "IFLA_VF_",
	"ifinfbase.vflist.vfinfo.vf_stats":        "IFLA_VF_STATS_",
	"ifinfbase.vflist.vfinfo.vf_vlist":        "IFLA_VF_VLAN_",
	"ifinfbase.af_spec_inet":                  "AF_",
	"ifinfbase.ifinfo.veth_data":              "VETH_INFO_",
	"ifinfbase.ifinfo.bond_slave_data":        "IFLA_BOND_SLAVE_",
	"macvx_data.macaddr_data":                 "IFLA_",
	"bond.ad_info":                            "IFLA_BOND_AD_INFO_",
	"vlan.qos":                                "IFLA_VLAN_QOS_",
	"geneve":                                  "IFLA_",
	"gtp":                                     "IFLA_",
	"xfrm":                                    "IFLA_",
	"ndtmsg":                                  "NDTA_",
	"ndtmsg.parms":                            "NDTPA_",
	"rtmsg_base.seg6_encap_info":              "SEG6_IPTUNNEL_",
	"rtmsg_base.bpf_encap_info":               "LWT_BPF_",
	"rtmsg_base.bpf_encap_info.bpf_obj":       "LWT_BPF_PROG_",
	"rtmsg_base.seg6local_encap_info":         "SEG6_LOCAL_",
	"rtmsg_base.seg6local_encap_info.bpf_obj": "LWT_BPF_PROG_",
}

// aliasPrefixes maps pyroute2's spelling of a constant to the header's: pyroute2
// renames the shared tunnel enums per kind to keep its names apart.
var aliasPrefixes = [][2]string{
	{"IFLA_IPIP_", "IFLA_IPTUN_"},
	{"IFLA_SIT_", "IFLA_IPTUN_"},
	{"IFLA_IP6TNL_", "IFLA_IPTUN_"},
	{"IFLA_IP6GRE_", "IFLA_GRE_"},
	{"IFLA_MACVTAP_", "IFLA_MACVLAN_"},
	{"IFLA_IF_NETNSID", "IFLA_TARGET_NETNSID"},
}

// kernelTypes types the header attributes pyroute2 0.7.2 lacks, from the
// kernel's policies (net/core/rtnetlink.c ifla_policy, the drivers'
// *_policy tables, net/ipv4/fib_frontend.c rtm_ipv4_policy,
// net/core/fib_rules.c fib_rule_policy, net/ipv4/nexthop.c rtm_nh_policy_*,
// net/core/neighbour.c nda_policy/nl_ntbl_parm_policy) and, for attributes
// the kernel only sends, from the fill function that writes them.
var kernelTypes = map[string]string{
	// if_link.h: IFLA_*
	"IFLA_ALLMULTI": "u32",
	// IFLA_BR_*
	"IFLA_BR_VLAN_STATS_PER_PORT": "u8", "IFLA_BR_MULTI_BOOLOPT": "br_boolopt",
	"IFLA_BR_MCAST_QUERIER_STATE": "binary",
	// IFLA_BRPORT_*
	"IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT": "u32", "IFLA_BRPORT_MCAST_EHT_HOSTS_CNT": "u32",
	"IFLA_BRPORT_LOCKED": "u8",
	// IFLA_IPTUN_*, IFLA_GRE_*, IFLA_VTI_*
	"IFLA_GRE_ERSPAN_INDEX": "u32", "IFLA_GRE_ERSPAN_VER": "u8",
	"IFLA_GRE_ERSPAN_DIR": "u8", "IFLA_GRE_ERSPAN_HWID": "u16",
	"IFLA_GRE_ENCAP_SPORT": "be16", "IFLA_GRE_ENCAP_DPORT": "be16",
	"IFLA_GRE_COLLECT_METADATA": "flag", "IFLA_GRE_IGNORE_DF": "u8",
	"IFLA_GRE_FWMARK": "u32", "IFLA_VTI_FWMARK": "u32",
	"IFLA_IPTUN_ENCAP_SPORT": "be16", "IFLA_IPTUN_ENCAP_DPORT": "be16",
	"IFLA_IPTUN_COLLECT_METADATA": "flag",
	// IFLA_MACVLAN_*
	"IFLA_MACVLAN_BC_QUEUE_LEN": "u32", "IFLA_MACVLAN_BC_QUEUE_LEN_USED": "u32",
	// IFLA_VRF_*, IFLA_VRF_PORT_*
	"IFLA_VRF_PORT_TABLE": "u32",
	// IFLA_IPVLAN_*
	"IFLA_IPVLAN_FLAGS": "u16",
	// IFLA_VXLAN_*
	"IFLA_VXLAN_VNIFILTER": "u8",
	// IFLA_GENEVE_*
	"IFLA_GENEVE_INNER_PROTO_INHERIT": "flag",
	// IFLA_BOND_*, IFLA_BOND_AD_INFO_*, IFLA_BOND_SLAVE_*
	"IFLA_BOND_AD_ACTOR_SYSTEM": "hw", "IFLA_BOND_PEER_NOTIF_DELAY": "u32",
	"IFLA_BOND_AD_LACP_ACTIVE": "u8", "IFLA_BOND_MISSED_MAX": "u8",
	"IFLA_BOND_NS_IP6_TARGET": "array:addr", "IFLA_BOND_COUPLED_CONTROL": "u8",
	"IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE":   "u8",
	"IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE": "u16",
	"IFLA_BOND_SLAVE_PRIO":                       "s32", "IFLA_BOND_SLAVE_ACTOR_PORT_PRIO": "u16",
	"IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE":   "u8",
	"IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE": "u8",
	// IFLA_GTP_*
	"IFLA_GTP_ROLE": "u32", "IFLA_GTP_CREATE_SOCKETS": "u8",
	"IFLA_GTP_RESTART_COUNT": "u8",
	// IFLA_XFRM_*
	"IFLA_XFRM_COLLECT_METADATA": "flag",
	// IFLA_INET6_*
	"IFLA_INET6_RA_MTU": "u32",
	// IFLA_XDP_*
	"IFLA_XDP_EXPECTED_FD": "s32",
	// IFLA_VF_*
	"IFLA_VF_BROADCAST": "binary", "IFLA_VF_STATS_RX_DROPPED": "u64",
	"IFLA_VF_STATS_TX_DROPPED": "u64",
	// IFLA_BRIDGE_* (AF_SPEC of AF_BRIDGE messages)
	"IFLA_BRIDGE_VLAN_TUNNEL_INFO": "binary", "IFLA_BRIDGE_MRP": "binary",
	"IFLA_BRIDGE_CFM": "binary", "IFLA_BRIDGE_MST": "binary",
	// IFA_*
	"IFA_RT_PRIORITY": "u32", "IFA_TARGET_NETNSID": "s32", "IFA_PROTO": "u8",
	// RTA_*
	"RTA_UID": "u32", "RTA_TTL_PROPAGATE": "u8", "RTA_IP_PROTO": "u8",
	"RTA_SPORT": "be16", "RTA_DPORT": "be16", "RTA_NH_ID": "u32",
	"RTA_PAD": "binary",
	// RTAX_*
	"RTAX_CC_ALGO": "string", "RTAX_FASTOPEN_NO_COOKIE": "u32",
	// MPLS_IPTUNNEL_*, LWTUNNEL_IP_*, LWT_BPF_*, SEG6_*
	"LWT_BPF_PROG_NAME": "string",
	"LWTUNNEL_IP_ID":    "be64", "LWTUNNEL_IP_DST": "addr", "LWTUNNEL_IP_SRC": "addr",
	"LWTUNNEL_IP_TTL": "u8", "LWTUNNEL_IP_TOS": "u8", "LWTUNNEL_IP_FLAGS": "be16",
	"LWTUNNEL_IP_PAD": "binary", "LWTUNNEL_IP_OPTS": "binary",
	"LWTUNNEL_IP6_ID": "be64", "LWTUNNEL_IP6_DST": "addr", "LWTUNNEL_IP6_SRC": "addr",
	"LWTUNNEL_IP6_HOPLIMIT": "u8", "LWTUNNEL_IP6_TC": "u8", "LWTUNNEL_IP6_FLAGS": "be16",
	"LWTUNNEL_IP6_PAD": "binary", "LWTUNNEL_IP6_OPTS": "binary",
	"SEG6_LOCAL_COUNTERS": "binary", "SEG6_LOCAL_FLAVORS": "binary",
	// NDA_*
	"NDA_LINK_NETNSID": "s32", "NDA_SRC_VNI": "u32", "NDA_PROTOCOL": "u8",
	"NDA_NH_ID": "u32", "NDA_FDB_EXT_ATTRS": "binary",
	"NDA_FLAGS_EXT": "u32", "NDA_NDM_STATE_MASK": "u16", "NDA_NDM_FLAGS_MASK": "u8",
	// NDTA_*, NDTPA_*
	"NDTA_PAD": "binary", "NDTPA_MCAST_REPROBES": "u32", "NDTPA_PAD": "binary",
	"NDTPA_INTERVAL_PROBE_TIME_MS": "u64",
	// FRA_*
	"FRA_FLOW": "u32", "FRA_UNUSED2": "binary", "FRA_UNUSED3": "binary",
	"FRA_UNUSED4": "binary", "FRA_UNUSED5": "binary", "FRA_PAD": "binary",
	// NHA_*: rtm_nh_policy_new, nh_fill_node
	"NHA_ID": "u32", "NHA_GROUP": "binary", "NHA_GROUP_TYPE": "u16",
	"NHA_BLACKHOLE": "flag", "NHA_OIF": "u32", "NHA_GATEWAY": "addr",
	"NHA_ENCAP_TYPE": "u16", "NHA_GROUPS": "flag", "NHA_MASTER": "u32",
	"NHA_FDB":               "flag",
	"NHA_RES_GROUP_BUCKETS": "u16", "NHA_RES_GROUP_IDLE_TIMER": "u32",
	"NHA_RES_GROUP_UNBALANCED_TIMER": "u32", "NHA_RES_GROUP_UNBALANCED_TIME": "u64",
	"NHA_RES_GROUP_PAD":    "binary",
	"NHA_RES_BUCKET_INDEX": "u16", "NHA_RES_BUCKET_IDLE_TIME": "u64",
	"NHA_RES_BUCKET_NH_ID": "u32", "NHA_RES_BUCKET_PAD": "binary",
}

// typeFixes overrides pyroute2 where its type contradicts the kernel.
var typeFixes = map[string]typeFix{
	"IFLA_PERM_ADDRESS":         {"hw", "pyroute2 hex: a hardware address (rtnl_fill_ifinfo)"},
	"IFLA_NEW_NETNSID":          {"s32", "pyroute2 be32: the kernel sends a host-order s32"},
	"IFLA_TARGET_NETNSID":       {"s32", "pyroute2 uint32: ifla_policy has NLA_S32"},
	"IFLA_XDP_FLAGS":            {"u32", "pyroute2 '>H': ifla_xdp_policy has NLA_U32"},
	"IFLA_GENEVE_DF":            {"u8", "pyroute2 uint16: geneve_policy has NLA_U8"},
	"IFLA_BOND_AD_ACTOR_SYSTEM": {"hw", "pyroute2 hex: a MAC address (NLA_BINARY, ETH_ALEN)"},
	"RTA_EXPIRES":               {"u64", "pyroute2 hex: the kernel puts a u64 (ipmr_fill_mroute)"},
	"IFLA_VXLAN_TTL_INHERIT":    {"u8", "pyroute2 flag: vxlan_fill_info puts a u8 (the policy says NLA_FLAG)"},
	"IFLA_VXLAN_LABEL":          {"be32", "pyroute2 uint32: a flow label in network order (nla_get_be32)"},
}

// structsTable lays out pyroute2's struct classes by the header's C struct:
// (struct, member prefix to drop for names pyroute2 lacks, member kinds
// that the C type alone does not tell).
var structsTable = map[string]structRule{
	"ifinfbase.ifstats":                            {"rtnl_link_stats", "", nil},
	"ifinfbase.ifstats64":                          {"rtnl_link_stats64", "", nil},
	"ifinfbase.ifmap":                              {"rtnl_link_ifmap", "", nil},
	"ifinfbase.vflist.vfinfo.vf_mac":               {"ifla_vf_mac", "", nil},
	"ifinfbase.vflist.vfinfo.vf_vlan":              {"ifla_vf_vlan", "", nil},
	"ifinfbase.vflist.vfinfo.vf_tx_rate":           {"ifla_vf_tx_rate", "", nil},
	"ifinfbase.vflist.vfinfo.vf_spoofchk":          {"ifla_vf_spoofchk", "", nil},
	"ifinfbase.vflist.vfinfo.vf_link_state":        {"ifla_vf_link_state", "", nil},
	"ifinfbase.vflist.vfinfo.vf_rate":              {"ifla_vf_rate", "", nil},
	"ifinfbase.vflist.vfinfo.vf_rss_query_en":      {"ifla_vf_rss_query_en", "", nil},
	"ifinfbase.vflist.vfinfo.vf_trust":             {"ifla_vf_trust", "", nil},
	"ifinfbase.vflist.vfinfo.vf_ib_node_guid":      {"ifla_vf_guid", "", nil},
	"ifinfbase.vflist.vfinfo.vf_ib_port_guid":      {"ifla_vf_guid", "", nil},
	"ifinfbase.vflist.vfinfo.vf_vlist.ivvi":        {"ifla_vf_vlan_info", "", nil},
	"ifinfbase.af_spec_inet.inet6.ipv6_cache_info": {"ifla_cacheinfo", "", nil},
	"ifinfbase.af_spec_bridge.vlan_info":           {"bridge_vlan_info", "", nil},
	// prio is two bytes, most significant first (br_stp_set_bridge_priority)
	"ifinfbase.ifinfo.bridge_data.br_id": {"ifla_bridge_id", "", map[string]string{"prio": "be16", "addr": "hw"}},
	"protinfo_bridge.br_id":              {"ifla_bridge_id", "", map[string]string{"prio": "be16", "addr": "hw"}},
	"ifaddrmsg.cacheinfo":                {"ifa_cacheinfo", "", nil},
	"rtmsg_base.cacheinfo":               {"rta_cacheinfo", "", nil},
	"rtmsg_base.rta_mfc_stats":           {"rta_mfc_stats", "", nil},
	"rtmsg_base.rtvia":                   {"rtvia", "rtvia_", map[string]string{"rtvia_addr": "addr"}},
	"ndmsg.cacheinfo":                    {"nda_cacheinfo", "", nil},
	"ndtmsg.config":                      {"ndt_config", "ndtc_", nil},
	"ndtmsg.stats":                       {"ndt_stats", "ndts_", nil},
	"fibmsg.uid_range":                   {"fib_rule_uid_range", "", nil},
	"fibmsg.port_range":                  {"fib_rule_port_range", "", nil},
	"vxlan.port_range":                   {"ifla_vxlan_port_range", "", nil},
	"vlan.vlan_flags":                    {"ifla_vlan_flags", "", nil},
	"vlan.qos.qos_mapping":               {"ifla_vlan_qos_mapping", "", nil},
}

var ctypes = map[string]sized{
	"__u8": {"u8", 1}, "__u16": {"u16", 2}, "__u32": {"u32", 4}, "__u64": {"u64", 8},
	"__s32": {"s32", 4}, "int": {"s32", 4}, "__be16": {"be16", 2}, "__be32": {"be32", 4},
	"__kernel_sa_family_t": {"u16", 2}, "unsigned int": {"u32", 4},
}

var atoms = map[string]string{
	"uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64",
	"int32": "s32", "be16": "be16", "be32": "be32", "be64": "be64",
	"asciiz": "string", "string": "string",
	"ipaddr": "addr", "ip4addr": "addr", "ip6addr": "addr", "target": "addr",
	"l2addr": "hw", "lladdr": "hw", "flag": "flag",
	"hex": "binary", "cdata": "binary", "array": "binary", "mpls_target": "binary",
}

var formats = map[string]sized{
	"B": {"u8", 1}, "H": {"u16", 2}, "I": {"u32", 4}, "Q": {"u64", 8}, "uint64": {"u64", 8},
	"i": {"s32", 4}, ">H": {"be16", 2}, ">I": {"be32", 4},
}

// Scalar pyroute2 classes the format of their 'value' field does not
// describe: addresses decoded by hand.
var scalarClasses = map[string]string{
	"rtmsg_base.seg6local_encap_info.nh4": "addr",
	"rtmsg_base.seg6local_encap_info.nh6": "addr",
}

var goKind = map[string]string{
	"flag": "schema.Flag", "u8": "schema.U8", "u16": "schema.U16", "u32": "schema.U32",
	"u64": "schema.U64", "s32": "schema.S32", "be16": "schema.BE16", "be32": "schema.BE32",
	"be64": "schema.BE64", "string": "schema.String", "addr": "schema.Addr", "hw": "schema.HW",
	"binary": "schema.Binary",
}
