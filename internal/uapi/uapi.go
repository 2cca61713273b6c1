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
