package rtm

// The schemas of rtnetlink messages live in the generated zschema_*.go
// files; tools/gen (gen rtnl) derives them from pyroute2's nla maps and
// the kernel's uapi headers. The views use:
//
//	linkSchema        RTM_NEWLINK of AF_UNSPEC and AF_INET6
//	linkBridgeSchema  RTM_NEWLINK of AF_BRIDGE (bridge link, bridge vlan)
//	addrSchema        RTM_NEWADDR
//	routeSchema       RTM_NEWROUTE
//	nexthopSchema     RTM_NEWNEXTHOP
//	neighSchema       RTM_NEWNEIGH
//	neighTableSchema  RTM_NEWNEIGHTBL
//	ruleSchema        RTM_NEWRULE
//
// linkInfoSchema resolves IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA by kind
// through linkDataSchemas and linkSlaveDataSchemas.

//go:generate go run -C ../tools/gen . rtnl

// ifaProto is IFA_PROTO (Linux 6.1), which x/sys/unix lacks.
const ifaProto = 11
