package main

// The -d printer of the bond kind: iproute2 6.1's bond_print_opt.

import (
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// The names of bond options' values, iplink_bond.c's tables.
var (
	bondModeNames            = []string{"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"}
	bondArpValidateNames     = []string{"none", "active", "backup", "all", "filter", "filter_active", "filter_backup"}
	bondArpAllTargetsNames   = []string{"any", "all"}
	bondPrimaryReselectNames = []string{"always", "better", "failure"}
	bondFailOverMACNames     = []string{"none", "active", "follow"}
	bondXmitHashPolicyNames  = []string{"layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"}
	bondLACPActiveNames      = []string{"off", "on"}
	bondLACPRateNames        = []string{"slow", "fast"}
	bondADSelectNames        = []string{"stable", "bandwidth", "count"}
)

// bondName is iplink_bond.c's get_name.
func bondName(names []string, i uint32) string { return nameAt(names, i, "UNKNOWN") }

// bondNumbers are the options bond_print_opt prints as plain numbers,
// with their width, between the ones it prints otherwise.
type bondNumber struct {
	typ        uint16
	key, label string
	bits       int
}

// printBondNumbers prints those of nums that are present.
func printBondNumbers(p *printer, tb *nla.Index, nums ...bondNumber) {
	for _, n := range nums {
		a, ok := tb.Get(n.typ)
		if !ok {
			continue
		}
		p.uint(n.key, n.label+" %d ", attrUintN(a, n.bits/8))
	}
}

// printBondNamed prints an option whose value is named by names.
func printBondNamed(p *printer, tb *nla.Index, typ uint16, key, label string, names []string, bits int) {
	a, ok := tb.Get(typ)
	if !ok {
		return
	}
	p.str(key, label+" %s ", bondName(names, uint32(attrUintN(a, bits/8))))
}

// printBondTargets prints ARP (IPv4) or NS (IPv6) targets: "arp_ip_target
// A,B ".
func printBondTargets(p *printer, tb *nla.Index, typ uint16, key string) {
	a, ok := tb.Get(typ)
	if !ok {
		return
	}
	// iproute2 indexes the nest by attribute type 0..15 and prints from
	// type 0 up, as long as type 0 is present.
	var targets [16][]byte
	for t := range a.Nested().All() {
		if k := t.Kind(); k < 16 {
			targets[k] = t.Data
		}
	}
	if targets[0] == nil {
		return
	}
	p.openArray(key)
	p.textString(key + " ")
	for i, t := range targets {
		if t != nil {
			s := "???"
			if ip, ok := netip.AddrFromSlice(t); ok && (len(t) == 4 || len(t) == 16) {
				s = ip.String()
			}
			p.str("", "%s", s)
		}
		if !p.json && i < len(targets)-1 && targets[i+1] != nil {
			p.textString(",")
		}
	}
	p.textString(" ")
	p.closeArray()
}

// printBond is bond_print_opt.
func printBond(p *printer, tb *nla.Index, names *linkNames) {
	printBondNamed(p, tb, unix.IFLA_BOND_MODE, "mode", "mode", bondModeNames, 8)
	dev := func(typ uint16, key string) {
		if a, ok := tb.Get(typ); ok && attrU32(a) != 0 {
			p.str(key, key+" %s ", names.name(int32(attrU32(a))))
		}
	}
	dev(unix.IFLA_BOND_ACTIVE_SLAVE, "active_slave")
	printBondNumbers(p, tb,
		bondNumber{unix.IFLA_BOND_MIIMON, "miimon", "miimon", 32},
		bondNumber{unix.IFLA_BOND_UPDELAY, "updelay", "updelay", 32},
		bondNumber{unix.IFLA_BOND_DOWNDELAY, "downdelay", "downdelay", 32},
		bondNumber{unix.IFLA_BOND_PEER_NOTIF_DELAY, "peer_notify_delay", "peer_notify_delay", 32},
		bondNumber{unix.IFLA_BOND_USE_CARRIER, "use_carrier", "use_carrier", 8},
		bondNumber{unix.IFLA_BOND_ARP_INTERVAL, "arp_interval", "arp_interval", 32},
		bondNumber{unix.IFLA_BOND_MISSED_MAX, "arp_missed_max", "arp_missed_max", 8})
	printBondTargets(p, tb, unix.IFLA_BOND_ARP_IP_TARGET, "arp_ip_target")
	printBondTargets(p, tb, unix.IFLA_BOND_NS_IP6_TARGET, "ns_ip6_target")
	if a, ok := tb.Get(unix.IFLA_BOND_ARP_VALIDATE); ok {
		if v := attrU32(a); v == 0 && p.json {
			p.jsonNull("arp_validate")
		} else {
			p.str("arp_validate", "arp_validate %s ", bondName(bondArpValidateNames, v))
		}
	}
	printBondNamed(p, tb, unix.IFLA_BOND_ARP_ALL_TARGETS, "arp_all_targets", "arp_all_targets", bondArpAllTargetsNames, 32)
	dev(unix.IFLA_BOND_PRIMARY, "primary")
	printBondNamed(p, tb, unix.IFLA_BOND_PRIMARY_RESELECT, "primary_reselect", "primary_reselect", bondPrimaryReselectNames, 8)
	printBondNamed(p, tb, unix.IFLA_BOND_FAIL_OVER_MAC, "fail_over_mac", "fail_over_mac", bondFailOverMACNames, 8)
	printBondNamed(p, tb, unix.IFLA_BOND_XMIT_HASH_POLICY, "xmit_hash_policy", "xmit_hash_policy", bondXmitHashPolicyNames, 8)
	printBondNumbers(p, tb,
		bondNumber{unix.IFLA_BOND_RESEND_IGMP, "resend_igmp", "resend_igmp", 32},
		bondNumber{unix.IFLA_BOND_NUM_PEER_NOTIF, "num_peer_notif", "num_grat_arp", 8},
		bondNumber{unix.IFLA_BOND_ALL_SLAVES_ACTIVE, "all_slaves_active", "all_slaves_active", 8},
		bondNumber{unix.IFLA_BOND_MIN_LINKS, "min_links", "min_links", 32},
		bondNumber{unix.IFLA_BOND_LP_INTERVAL, "lp_interval", "lp_interval", 32},
		bondNumber{unix.IFLA_BOND_PACKETS_PER_SLAVE, "packets_per_slave", "packets_per_slave", 32})
	printBondNamed(p, tb, unix.IFLA_BOND_AD_LACP_ACTIVE, "ad_lacp_active", "lacp_active", bondLACPActiveNames, 8)
	printBondNamed(p, tb, unix.IFLA_BOND_AD_LACP_RATE, "ad_lacp_rate", "lacp_rate", bondLACPRateNames, 8)
	printBondNamed(p, tb, unix.IFLA_BOND_AD_SELECT, "ad_select", "ad_select", bondADSelectNames, 8)
	if a, ok := tb.Get(unix.IFLA_BOND_AD_INFO); ok {
		var ad nla.Index
		ad.Reset(a.Nested())
		p.openObject("ad_info")
		for _, n := range [...]struct {
			typ        uint16
			key, label string
		}{{unix.IFLA_BOND_AD_INFO_AGGREGATOR, "aggregator", "ad_aggregator"},
			{unix.IFLA_BOND_AD_INFO_NUM_PORTS, "num_ports", "ad_num_ports"},
			{unix.IFLA_BOND_AD_INFO_ACTOR_KEY, "actor_key", "ad_actor_key"},
			{unix.IFLA_BOND_AD_INFO_PARTNER_KEY, "partner_key", "ad_partner_key"}} {
			if a, ok := ad.Get(n.typ); ok {
				p.int(n.key, n.label+" %d ", int64(attrU16(a)))
			}
		}
		if a, ok := ad.Get(unix.IFLA_BOND_AD_INFO_PARTNER_MAC); ok && len(a.Data) >= 6 {
			p.str("partner_mac", "ad_partner_mac %s ", hwString(a.Data[:6], unix.ARPHRD_ETHER))
		}
		p.closeObject()
	}
	printBondNumbers(p, tb,
		bondNumber{unix.IFLA_BOND_AD_ACTOR_SYS_PRIO, "ad_actor_sys_prio", "ad_actor_sys_prio", 16},
		bondNumber{unix.IFLA_BOND_AD_USER_PORT_KEY, "ad_user_port_key", "ad_user_port_key", 16})
	if a, ok := tb.Get(unix.IFLA_BOND_AD_ACTOR_SYSTEM); ok {
		p.str("ad_actor_system", "ad_actor_system %s ", hwString(a.Data, unix.ARPHRD_ETHER))
	}
	printBondNumbers(p, tb, bondNumber{unix.IFLA_BOND_TLB_DYNAMIC_LB, "tlb_dynamic_lb", "tlb_dynamic_lb", 8})
}
