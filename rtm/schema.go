package rtm

import "golang.org/x/sys/unix"

// The schemas below are the hand-written minimum the views rely on; the
// generated tables in zschema*.go extend them (see scripts/gen_schema.py).

func u32(name string) attrSpec  { return attrSpec{name: name, kind: kindU32} }
func u8(name string) attrSpec   { return attrSpec{name: name, kind: kindU8} }
func str(name string) attrSpec  { return attrSpec{name: name, kind: kindString} }
func addr(name string) attrSpec { return attrSpec{name: name, kind: kindAddr} }
func hw(name string) attrSpec   { return attrSpec{name: name, kind: kindHW} }

// stats64Fields are the members of struct rtnl_link_stats64, in order.
var stats64Fields = structFields(kindU64, 8,
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
	"rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
	"rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
	"rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
	"tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
	"rx_nohandler", "rx_otherhost_dropped")

func structFields(k valueKind, size int, names ...string) []attrSpec {
	f := make([]attrSpec, len(names))
	for i, n := range names {
		f[i] = attrSpec{name: n, kind: k, off: i * size}
	}
	return f
}

var linkInfoSchema = newSchema("linkinfo",
	entry{unix.IFLA_INFO_KIND, str("kind")},
	entry{unix.IFLA_INFO_DATA, attrSpec{name: "data", kind: kindNested, sibling: unix.IFLA_INFO_KIND, byKind: linkDataSchemas}},
	entry{unix.IFLA_INFO_XSTATS, attrSpec{name: "xstats", kind: kindBinary}},
	entry{unix.IFLA_INFO_SLAVE_KIND, str("slave_kind")},
	entry{unix.IFLA_INFO_SLAVE_DATA, attrSpec{name: "slave_data", kind: kindNested, sibling: unix.IFLA_INFO_SLAVE_KIND, byKind: linkSlaveDataSchemas}},
)

// linkDataSchemas and linkSlaveDataSchemas map a link kind to the schema of
// its IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA.
var (
	linkDataSchemas      = map[string]*schema{}
	linkSlaveDataSchemas = map[string]*schema{}
)

var linkSchema = newSchema("link",
	entry{unix.IFLA_ADDRESS, hw("address")},
	entry{unix.IFLA_BROADCAST, hw("broadcast")},
	entry{unix.IFLA_IFNAME, str("ifname")},
	entry{unix.IFLA_MTU, u32("mtu")},
	entry{unix.IFLA_LINK, u32("link")},
	entry{unix.IFLA_QDISC, str("qdisc")},
	entry{unix.IFLA_MASTER, u32("master")},
	entry{unix.IFLA_TXQLEN, u32("txqlen")},
	entry{unix.IFLA_OPERSTATE, u8("operstate")},
	entry{unix.IFLA_LINKMODE, u8("linkmode")},
	entry{unix.IFLA_LINKINFO, attrSpec{name: "linkinfo", kind: kindNested, nested: linkInfoSchema}},
	entry{unix.IFLA_IFALIAS, str("ifalias")},
	entry{unix.IFLA_STATS64, attrSpec{name: "stats64", kind: kindStruct, fields: stats64Fields}},
	entry{unix.IFLA_GROUP, u32("group")},
	entry{unix.IFLA_PROMISCUITY, u32("promiscuity")},
	entry{unix.IFLA_NUM_TX_QUEUES, u32("num_tx_queues")},
	entry{unix.IFLA_NUM_RX_QUEUES, u32("num_rx_queues")},
	entry{unix.IFLA_CARRIER, u8("carrier")},
	entry{unix.IFLA_CARRIER_CHANGES, u32("carrier_changes")},
	entry{unix.IFLA_LINK_NETNSID, attrSpec{name: "link_netnsid", kind: kindS32}},
	entry{unix.IFLA_MIN_MTU, u32("min_mtu")},
	entry{unix.IFLA_MAX_MTU, u32("max_mtu")},
	entry{unix.IFLA_PERM_ADDRESS, hw("perm_address")},
	entry{unix.IFLA_GSO_MAX_SEGS, u32("gso_max_segs")},
	entry{unix.IFLA_GSO_MAX_SIZE, u32("gso_max_size")},
	entry{unix.IFLA_GRO_MAX_SIZE, u32("gro_max_size")},
	entry{unix.IFLA_CARRIER_UP_COUNT, u32("carrier_up_count")},
	entry{unix.IFLA_CARRIER_DOWN_COUNT, u32("carrier_down_count")},
	entry{unix.IFLA_PROP_LIST, attrSpec{name: "prop_list", kind: kindNested, nested: newSchema("prop_list",
		entry{unix.IFLA_ALT_IFNAME, str("alt_ifname")})}},
)

var addrSchema = newSchema("addr",
	entry{unix.IFA_ADDRESS, addr("address")},
	entry{unix.IFA_LOCAL, addr("local")},
	entry{unix.IFA_LABEL, str("label")},
	entry{unix.IFA_BROADCAST, addr("broadcast")},
	entry{unix.IFA_ANYCAST, addr("anycast")},
	entry{unix.IFA_CACHEINFO, attrSpec{name: "cacheinfo", kind: kindStruct,
		fields: structFields(kindU32, 4, "ifa_preferred", "ifa_valid", "cstamp", "tstamp")}},
	entry{unix.IFA_MULTICAST, addr("multicast")},
	entry{unix.IFA_FLAGS, u32("flags")},
	entry{unix.IFA_RT_PRIORITY, u32("rt_priority")},
	entry{unix.IFA_TARGET_NETNSID, attrSpec{name: "target_netnsid", kind: kindS32}},
	entry{ifaProto, u8("proto")},
)

// ifaProto is IFA_PROTO (Linux 6.1), which x/sys/unix lacks.
const ifaProto = 11
