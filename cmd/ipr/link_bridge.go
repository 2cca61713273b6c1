package main

// The bridge and bridge_slave link kinds: parsers and printers.

import (
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// "8000.aa:bb:c:d:e:f", the priority in hex and then the address the way
// glibc's ether_ntoa prints it, without leading zeros.
func bridgeID(b []byte) string {
	if len(b) < 8 {
		return ""
	}
	s := make([]byte, 0, 24)
	s = append(s, hexString(b[:2])...)
	s = append(s, '.')
	for i, c := range b[2:8] {
		if i > 0 {
			s = append(s, ':')
		}
		s = strconv.AppendUint(s, uint64(c), 16)
	}
	return string(s)
}

// printTimer prints a bridge timer, sent in hundredths of a second, as
// seconds with two decimals; JSON gets a bare number such as 14.96.
func printTimer(p *printer, key string, a nla.Attr) {
	v := attrU64(a)
	sec, frac := int32(v/100), int32(v%100)
	if p.json {
		p.number(key, "", strconv.Itoa(int(sec))+"."+string([]byte{byte('0' + frac/10), byte('0' + frac%10)}))
		return
	}
	p.text("%s %4d.%02d ", key, sec, frac)
}

func printBridge(p *printer, tb *nla.Index, _ *linkNames) {
	uint := func(t uint16, key, format string, width int) {
		a, ok := tb.Get(t)
		if !ok {
			return
		}
		p.uint(key, format, attrUintN(a, width))
	}
	uint(unix.IFLA_BR_FORWARD_DELAY, "forward_delay", "forward_delay %d ", 4)
	uint(unix.IFLA_BR_HELLO_TIME, "hello_time", "hello_time %d ", 4)
	uint(unix.IFLA_BR_MAX_AGE, "max_age", "max_age %d ", 4)
	uint(unix.IFLA_BR_AGEING_TIME, "ageing_time", "ageing_time %d ", 4)
	uint(unix.IFLA_BR_STP_STATE, "stp_state", "stp_state %d ", 4)
	uint(unix.IFLA_BR_PRIORITY, "priority", "priority %d ", 2)
	uint(unix.IFLA_BR_VLAN_FILTERING, "vlan_filtering", "vlan_filtering %d ", 1)
	if a, ok := tb.Get(unix.IFLA_BR_VLAN_PROTOCOL); ok {
		proto, _ := a.Uint16BE()
		p.str("vlan_protocol", "vlan_protocol %s ", llProtoName(proto))
	}
	id, hasID := tb.Get(unix.IFLA_BR_BRIDGE_ID)
	if hasID {
		p.str("bridge_id", "bridge_id %s ", bridgeID(id.Data))
	}
	if _, ok := tb.Get(unix.IFLA_BR_ROOT_ID); ok {
		// iproute2 6.1 formats IFLA_BR_BRIDGE_ID here, not
		// IFLA_BR_ROOT_ID; the output follows it.
		p.str("root_id", "designated_root %s ", bridgeID(id.Data))
	}
	uint(unix.IFLA_BR_ROOT_PORT, "root_port", "root_port %d ", 2)
	uint(unix.IFLA_BR_ROOT_PATH_COST, "root_path_cost", "root_path_cost %d ", 4)
	uint(unix.IFLA_BR_TOPOLOGY_CHANGE, "topology_change", "topology_change %d ", 1)
	uint(unix.IFLA_BR_TOPOLOGY_CHANGE_DETECTED, "topology_change_detected", "topology_change_detected %d ", 1)
	for _, t := range [...]struct {
		typ uint16
		key string
	}{
		{unix.IFLA_BR_HELLO_TIMER, "hello_timer"}, {unix.IFLA_BR_TCN_TIMER, "tcn_timer"},
		{unix.IFLA_BR_TOPOLOGY_CHANGE_TIMER, "topology_change_timer"}, {unix.IFLA_BR_GC_TIMER, "gc_timer"},
	} {
		if a, ok := tb.Get(t.typ); ok {
			printTimer(p, t.key, a)
		}
	}
	uint(unix.IFLA_BR_VLAN_DEFAULT_PVID, "vlan_default_pvid", "vlan_default_pvid %d ", 2)
	uint(unix.IFLA_BR_VLAN_STATS_ENABLED, "vlan_stats_enabled", "vlan_stats_enabled %d ", 1)
	uint(unix.IFLA_BR_VLAN_STATS_PER_PORT, "vlan_stats_per_port", "vlan_stats_per_port %d ", 1)
	if a, ok := tb.Get(unix.IFLA_BR_GROUP_FWD_MASK); ok {
		p.hex("group_fwd_mask", "group_fwd_mask %s ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BR_GROUP_ADDR); ok {
		p.str("group_addr", "group_address %s ", hwString(a.Data, unix.ARPHRD_ETHER))
	}
	uint(unix.IFLA_BR_MCAST_SNOOPING, "mcast_snooping", "mcast_snooping %d ", 1)
	if a, ok := tb.Get(unix.IFLA_BR_MULTI_BOOLOPT); ok && len(a.Data) >= 8 {
		// struct br_boolopt_multi {optval, optmask}; bits are
		// BR_BOOLOPT_NO_LL_LEARN (0) and BR_BOOLOPT_MCAST_VLAN_SNOOPING (1).
		val, mask := native32(a.Data), native32(a.Data[4:])
		for _, o := range [...]struct {
			bit  uint32
			key  string
			text string
		}{{1 << 0, "no_linklocal_learn", "no_linklocal_learn %d "}, {1 << 1, "mcast_vlan_snooping", "mcast_vlan_snooping %d "}} {
			if mask&o.bit != 0 {
				var v uint64
				if val&o.bit != 0 {
					v = 1
				}
				p.uint(o.key, o.text, v)
			}
		}
	}
	uint(unix.IFLA_BR_MCAST_ROUTER, "mcast_router", "mcast_router %d ", 1)
	uint(unix.IFLA_BR_MCAST_QUERY_USE_IFADDR, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr %d ", 1)
	uint(unix.IFLA_BR_MCAST_QUERIER, "mcast_querier", "mcast_querier %d ", 1)
	uint(unix.IFLA_BR_MCAST_HASH_ELASTICITY, "mcast_hash_elasticity", "mcast_hash_elasticity %d ", 4)
	uint(unix.IFLA_BR_MCAST_HASH_MAX, "mcast_hash_max", "mcast_hash_max %d ", 4)
	uint(unix.IFLA_BR_MCAST_LAST_MEMBER_CNT, "mcast_last_member_cnt", "mcast_last_member_count %d ", 4)
	uint(unix.IFLA_BR_MCAST_STARTUP_QUERY_CNT, "mcast_startup_query_cnt", "mcast_startup_query_count %d ", 4)
	uint(unix.IFLA_BR_MCAST_LAST_MEMBER_INTVL, "mcast_last_member_intvl", "mcast_last_member_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_MEMBERSHIP_INTVL, "mcast_membership_intvl", "mcast_membership_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_QUERIER_INTVL, "mcast_querier_intvl", "mcast_querier_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_QUERY_INTVL, "mcast_query_intvl", "mcast_query_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, "mcast_query_response_intvl", "mcast_query_response_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, "mcast_startup_query_intvl", "mcast_startup_query_interval %d ", 8)
	uint(unix.IFLA_BR_MCAST_STATS_ENABLED, "mcast_stats_enabled", "mcast_stats_enabled %d ", 1)
	uint(unix.IFLA_BR_MCAST_IGMP_VERSION, "mcast_igmp_version", "mcast_igmp_version %d ", 1)
	uint(unix.IFLA_BR_MCAST_MLD_VERSION, "mcast_mld_version", "mcast_mld_version %d ", 1)
	uint(unix.IFLA_BR_NF_CALL_IPTABLES, "nf_call_iptables", "nf_call_iptables %d ", 1)
	uint(unix.IFLA_BR_NF_CALL_IP6TABLES, "nf_call_ip6tables", "nf_call_ip6tables %d ", 1)
	uint(unix.IFLA_BR_NF_CALL_ARPTABLES, "nf_call_arptables", "nf_call_arptables %d ", 1)
}

// bridgeFwdMaskNames names the bits of group_fwd_mask_str.
var bridgeFwdMaskNames = [16]string{0: "stp", 2: "lacp", 14: "lldp"}

func printBridgePort(p *printer, tb *nla.Index, names *linkNames) {
	onOff := func(t uint16, key, format string) {
		if a, ok := tb.Get(t); ok {
			p.onOff(key, format, attrU8(a) != 0)
		}
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_STATE); ok {
		if s := attrU8(a); int(s) < len(stpStates) {
			p.str("state", "state %s ", stpStates[s])
		} else {
			p.int("state_index", "state (%d) ", int64(s))
		}
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_PRIORITY); ok {
		p.int("priority", "priority %d ", int64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_COST); ok {
		p.int("cost", "cost %d ", int64(int32(attrU32(a))))
	}
	onOff(unix.IFLA_BRPORT_MODE, "hairpin", "hairpin %s ")
	onOff(unix.IFLA_BRPORT_GUARD, "guard", "guard %s ")
	onOff(unix.IFLA_BRPORT_PROTECT, "root_block", "root_block %s ")
	onOff(unix.IFLA_BRPORT_FAST_LEAVE, "fastleave", "fastleave %s ")
	onOff(unix.IFLA_BRPORT_LEARNING, "learning", "learning %s ")
	onOff(unix.IFLA_BRPORT_UNICAST_FLOOD, "flood", "flood %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_ID); ok {
		p.hex("id", "port_id %s ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_NO); ok {
		p.hex("no", "port_no %s ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_DESIGNATED_PORT); ok {
		p.uint("designated_port", "designated_port %d ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_DESIGNATED_COST); ok {
		p.uint("designated_cost", "designated_cost %d ", uint64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_BRIDGE_ID); ok {
		p.str("bridge_id", "designated_bridge %s ", bridgeID(a.Data))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_ROOT_ID); ok {
		p.str("root_id", "designated_root %s ", bridgeID(a.Data))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_HOLD_TIMER); ok {
		printTimer(p, "hold_timer", a)
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_MESSAGE_AGE_TIMER); ok {
		printTimer(p, "message_age_timer", a)
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_FORWARD_DELAY_TIMER); ok {
		printTimer(p, "forward_delay_timer", a)
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK); ok {
		p.uint("topology_change_ack", "topology_change_ack %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_CONFIG_PENDING); ok {
		p.uint("config_pending", "config_pending %d ", uint64(attrU8(a)))
	}
	onOff(unix.IFLA_BRPORT_PROXYARP, "proxy_arp", "proxy_arp %s ")
	onOff(unix.IFLA_BRPORT_PROXYARP_WIFI, "proxy_arp_wifi", "proxy_arp_wifi %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_MULTICAST_ROUTER); ok {
		p.uint("multicast_router", "mcast_router %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(unix.IFLA_BRPORT_FAST_LEAVE); ok && !p.json {
		p.onOff("", "mcast_fast_leave %s ", attrU8(a) != 0)
	}
	onOff(unix.IFLA_BRPORT_MCAST_FLOOD, "mcast_flood", "mcast_flood %s ")
	onOff(unix.IFLA_BRPORT_BCAST_FLOOD, "bcast_flood", "bcast_flood %s ")
	onOff(unix.IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast", "mcast_to_unicast %s ")
	onOff(unix.IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress", "neigh_suppress %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_GROUP_FWD_MASK); ok {
		m := attrU16(a)
		p.hex("group_fwd_mask", "group_fwd_mask %s ", uint64(m))
		var s []string
		for i := 0; i < 16; i++ {
			if m&(1<<i) == 0 {
				continue
			}
			if n := bridgeFwdMaskNames[i]; n != "" {
				s = append(s, n)
			} else {
				s = append(s, "0x"+strconv.FormatUint(1<<i, 16))
			}
		}
		str := "0x0"
		if len(s) > 0 {
			str = strings.Join(s, ",")
		}
		p.str("group_fwd_mask_str", "group_fwd_mask_str %s ", str)
	}
	onOff(unix.IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel", "vlan_tunnel %s ")
	onOff(unix.IFLA_BRPORT_ISOLATED, "isolated", "isolated %s ")
	onOff(unix.IFLA_BRPORT_LOCKED, "locked", "locked %s ")
	if a, ok := tb.Get(unix.IFLA_BRPORT_BACKUP_PORT); ok {
		p.str("backup_port", "backup_port %s ", names.name(int32(attrU32(a))))
	}
}

// parseBridge parses the arguments of "type bridge".
func parseBridge(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	br := &rtm.Bridge{}
	s.Kind = br
	return kp.parse(map[string]func() error{
		"forward_delay":      kp.centiseconds(&br.ForwardDelay),
		"hello_time":         kp.centiseconds(&br.HelloTime),
		"max_age":            kp.centiseconds(&br.MaxAge),
		"ageing_time":        kp.centiseconds(&br.AgeingTime),
		"stp_state":          kp.bool01(&br.STP),
		"priority":           kp.u16(&br.Priority),
		"vlan_filtering":     kp.bool01(&br.VlanFiltering),
		"vlan_protocol":      kp.vlanProtocol(&br.VlanProtocol),
		"group_fwd_mask":     kp.u16(&br.GroupFwdMask),
		"vlan_default_pvid":  kp.u16(&br.DefaultPVID),
		"vlan_stats_enabled": kp.bool01(&br.VlanStats),
		"mcast_router":       kp.u8(&br.MulticastRouter),
		"mcast_snooping":     kp.bool01(&br.MulticastSnooping),
		"mcast_querier":      kp.bool01(&br.MulticastQuerier),
		"nf_call_iptables":   kp.bool01(&br.NFCallIPTables),
		"nf_call_ip6tables":  kp.bool01(&br.NFCallIP6Tables),
		"nf_call_arptables":  kp.bool01(&br.NFCallARPTables),
	})
}

// parseBridgePort parses the arguments of "type bridge_slave".
func parseBridgePort(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	bp := &rtm.BridgePort{}
	s.Port = bp
	return kp.parse(map[string]func() error{
		"state":          kp.u8(&bp.State),
		"priority":       kp.u16(&bp.Priority),
		"cost":           kp.u32(&bp.Cost),
		"guard":          kp.onOff(&bp.Guard),
		"hairpin":        kp.onOff(&bp.Hairpin),
		"fastleave":      kp.onOff(&bp.FastLeave),
		"root_block":     kp.onOff(&bp.RootBlock),
		"learning":       kp.onOff(&bp.Learning),
		"flood":          kp.onOff(&bp.Flood),
		"mcast_flood":    kp.onOff(&bp.MulticastFlood),
		"bcast_flood":    kp.onOff(&bp.BroadcastFlood),
		"proxy_arp":      kp.onOff(&bp.ProxyARP),
		"neigh_suppress": kp.onOff(&bp.NeighSuppress),
		"isolated":       kp.onOff(&bp.Isolated),
	})
}
