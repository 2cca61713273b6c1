package uapi

// IFLA_IPTUN_* (linux/if_tunnel.h): the attributes of ipip, sit, ip6tnl and their kin.
const (
	IFLA_IPTUN_LINK                = 1
	IFLA_IPTUN_LOCAL               = 2
	IFLA_IPTUN_REMOTE              = 3
	IFLA_IPTUN_TTL                 = 4
	IFLA_IPTUN_TOS                 = 5
	IFLA_IPTUN_ENCAP_LIMIT         = 6
	IFLA_IPTUN_FLOWINFO            = 7
	IFLA_IPTUN_FLAGS               = 8
	IFLA_IPTUN_PROTO               = 9
	IFLA_IPTUN_PMTUDISC            = 10
	IFLA_IPTUN_6RD_PREFIX          = 11
	IFLA_IPTUN_6RD_RELAY_PREFIX    = 12
	IFLA_IPTUN_6RD_PREFIXLEN       = 13
	IFLA_IPTUN_6RD_RELAY_PREFIXLEN = 14
	IFLA_IPTUN_ENCAP_TYPE          = 15
	IFLA_IPTUN_ENCAP_FLAGS         = 16
	IFLA_IPTUN_ENCAP_SPORT         = 17
	IFLA_IPTUN_ENCAP_DPORT         = 18
	IFLA_IPTUN_COLLECT_METADATA    = 19
	IFLA_IPTUN_FWMARK              = 20
)

// IFLA_VTI_* (linux/if_tunnel.h): the attributes of vti and vti6.
const (
	IFLA_VTI_LINK   = 1
	IFLA_VTI_IKEY   = 2
	IFLA_VTI_OKEY   = 3
	IFLA_VTI_LOCAL  = 4
	IFLA_VTI_REMOTE = 5
	IFLA_VTI_FWMARK = 6
)

// IFLA_BRIDGE_* (linux/if_bridge.h): a bridge port's IFLA_AF_SPEC.
const (
	IFLA_BRIDGE_FLAGS            = 0
	IFLA_BRIDGE_MODE             = 1
	IFLA_BRIDGE_VLAN_INFO        = 2
	IFLA_BRIDGE_VLAN_TUNNEL_INFO = 3
)

// SEG6_IPTUNNEL_* (linux/seg6_iptunnel.h): the attribute of a seg6
// encapsulation.
const SEG6_IPTUNNEL_SRH = 1

// SEG6_LOCAL_* (linux/seg6_local.h): the attributes of a seg6local
// encapsulation, of its counters and of its flavors.
const (
	SEG6_LOCAL_ACTION   = 1
	SEG6_LOCAL_SRH      = 2
	SEG6_LOCAL_TABLE    = 3
	SEG6_LOCAL_NH4      = 4
	SEG6_LOCAL_NH6      = 5
	SEG6_LOCAL_IIF      = 6
	SEG6_LOCAL_OIF      = 7
	SEG6_LOCAL_BPF      = 8
	SEG6_LOCAL_VRFTABLE = 9
	SEG6_LOCAL_COUNTERS = 10
	SEG6_LOCAL_FLAVORS  = 11

	SEG6_LOCAL_CNT_PACKETS = 2 // 1 is SEG6_LOCAL_CNT_PAD
	SEG6_LOCAL_CNT_BYTES   = 3
	SEG6_LOCAL_CNT_ERRORS  = 4

	// The flavors' attributes (Linux 6.2, newer than some installed
	// headers: the test checks them only where the header has them).
	SEG6_LOCAL_FLV_OPERATION        = 1
	SEG6_LOCAL_FLV_LCBLOCK_BITS     = 2
	SEG6_LOCAL_FLV_LCNODE_FUNC_BITS = 3
)
