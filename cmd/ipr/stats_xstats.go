package main

// The extended statistics of bridges and bonds that "ip stats show group
// xstats" prints: iproute2 6.1's bridge_print_stats_mcast,
// bridge_print_stats_stp (iplink_bridge.c) and bond_print_3ad_stats
// (iplink_bond.c).

import (
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
)

// statsIndent is the "%-16s" of an empty interface name that starts each
// of these lines.
const statsIndent = "                "

// printBridgeMcastStats prints struct br_mcast_stats.
func printBridgeMcastStats(p *printer, m rtm.BridgeMcastStats) {
	versions := func(key, title string, pairs ...[2]uint64) {
		p.openObject(key)
		p.textString(statsIndent + "    " + title + ":\n")
		for dir, name := range [...]string{"rx", "tx"} {
			p.textString(statsIndent + "      ")
			if !p.json {
				p.buf = append(p.buf, "RXTX"[2*dir:2*dir+2]...)
				p.buf = append(p.buf, ": "...)
			}
			for k, pair := range pairs {
				if p.json {
					p.uint(name+"_v"+string(rune('1'+k)), "", pair[dir])
					continue
				}
				p.buf = fmt.Appendf(p.buf, "v%d %d", k+1, pair[dir])
				if k == len(pairs)-1 {
					p.buf = append(p.buf, '\n')
				} else {
					p.buf = append(p.buf, ' ')
				}
			}
		}
		p.closeObject()
	}
	leaves := func(key, title string, pair [2]uint64) {
		p.openObject(key)
		p.textString(statsIndent + "    " + title + " leaves: ")
		p.uint("rx", "RX: %d ", pair[0])
		p.uint("tx", "TX: %d\n", pair[1])
		p.closeObject()
	}
	p.openObject("multicast")
	versions("igmp_queries", "IGMP queries", m.IGMPv1Queries, m.IGMPv2Queries, m.IGMPv3Queries)
	versions("igmp_reports", "IGMP reports", m.IGMPv1Reports, m.IGMPv2Reports, m.IGMPv3Reports)
	leaves("igmp_leaves", "IGMP", m.IGMPLeaves)
	p.textString(statsIndent + "    IGMP parse errors: ")
	p.uint("igmp_parse_errors", "%d\n", m.IGMPParseErrors)
	versions("mld_queries", "MLD queries", m.MLDv1Queries, m.MLDv2Queries)
	versions("mld_reports", "MLD reports", m.MLDv1Reports, m.MLDv2Reports)
	leaves("mld_leaves", "MLD", m.MLDLeaves)
	p.textString(statsIndent + "    MLD parse errors: ")
	p.uint("mld_parse_errors", "%d\n", m.MLDParseErrors)
	p.closeObject()
}

// printBridgeSTPStats prints struct bridge_stp_xstats.
func printBridgeSTPStats(p *printer, s rtm.BridgeSTPStats) {
	p.openObject("stp")
	p.textString(statsIndent + "    STP BPDU:  ")
	p.uint("rx_bpdu", "RX: %d ", s.RxBPDU)
	p.uint("tx_bpdu", "TX: %d\n", s.TxBPDU)
	p.textString(statsIndent + "    STP TCN:   ")
	p.uint("rx_tcn", "RX: %d ", s.RxTCN)
	p.uint("tx_tcn", "TX: %d\n", s.TxTCN)
	p.textString(statsIndent + "    STP Transitions: ")
	p.uint("transition_blk", "Blocked: %d ", s.TransitionBlk)
	p.uint("transition_fwd", "Forwarding: %d\n", s.TransitionFwd)
	p.closeObject()
}

// bond3ADCounters are BOND_3AD_STAT_* (from 0), with ip's keys and texts.
var bond3ADCounters = [...]struct{ key, format string }{
	{"lacpdu_rx", "LACPDU Rx %d\n"},
	{"lacpdu_tx", "LACPDU Tx %d\n"},
	{"lacpdu_unknown_rx", "LACPDU Unknown type Rx %d\n"},
	{"lacpdu_illegal_rx", "LACPDU Illegal Rx %d\n"},
	{"marker_rx", "Marker Rx %d\n"},
	{"marker_tx", "Marker Tx %d\n"},
	{"marker_response_rx", "Marker response Rx %d\n"},
	{"marker_response_tx", "Marker response Tx %d\n"},
	{"marker_unknown_rx", "Marker unknown type Rx %d\n"},
}

// printBond3AD prints a bond's or port's BOND_XSTATS_3AD nest.
func printBond3AD(p *printer, a nla.Attr) {
	p.openObject("802.3ad")
	for i, c := range bond3ADCounters {
		s, ok := a.Nested().Get(uint16(i))
		if !ok {
			continue
		}
		v, _ := s.Uint64()
		p.textString(statsIndent + "    ")
		p.uint(c.key, c.format, v)
	}
	p.closeObject()
}
