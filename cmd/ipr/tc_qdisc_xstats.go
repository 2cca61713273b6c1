package main

// The qdiscs' extended statistics, as tc -s prints them (each kind's
// print_xstats).

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/rtm/tc"
)

// xstatsView reads a kind's statistics structure, zero past its end (tc
// copies short structures into a zeroed one).
type xstatsView []byte

func (x xstatsView) u32(off int) uint32 {
	if off+4 > len(x) {
		return 0
	}
	return binary.NativeEndian.Uint32(x[off:])
}

func (x xstatsView) u64(off int) uint64 {
	if off+8 > len(x) {
		return 0
	}
	return binary.NativeEndian.Uint64(x[off:])
}

// qdiscXStatsPrinter returns the printer of a qdisc kind's extended
// statistics and the size below which tc refuses to print them (0: tc
// pads short ones with zeros).
func qdiscXStatsPrinter(kind string) (func(p *printer, x xstatsView), int) {
	switch kind {
	case "codel":
		return printCodelXStats, 0
	case "fq_codel":
		return printFQCodelXStats, 0
	case "fq":
		return printFQXStats, 0
	case "red":
		return printREDXStats, 16
	case "choke":
		return printChokeXStats, 20
	case "pie":
		return printPIEXStats, 40
	case "fq_pie":
		return printFQPIEXStats, 0
	}
	return nil, 0
}

// printQdiscXStats is print_qdisc's call of the kind's print_xstats.
func printQdiscXStats(p *printer, kind string, x []byte) {
	pr, min := qdiscXStatsPrinter(kind)
	if pr == nil || x == nil || len(x) < min {
		return
	}
	pr(p, xstatsView(x))
	p.nl()
}

// printDropNext prints codel's signed drop_next time.
func printDropNext(p *printer, next int32) {
	p.jsonInt("drop_next", int64(next))
	if next < 0 {
		p.text(" drop_next -%s", tc.Time(-next).String())
	} else {
		p.text(" drop_next %s", tc.Time(next).String())
	}
}

// printCodelState prints the state of a codel queue, codel's and an
// fq_codel flow's.
func printCodelState(p *printer, count, lastcount, ldelay uint32, dropping bool) {
	p.uint("count", " count %d", uint64(count))
	p.uint("lastcount", " lastcount %d", uint64(lastcount))
	tcTime(p, "ldelay", " ldelay %s", tc.Time(ldelay))
	if dropping {
		p.boolean("dropping", " dropping", true)
	}
}

func printCodelXStats(p *printer, x xstatsView) {
	p.textString(" ")
	printCodelState(p, x.u32(4), x.u32(8), x.u32(12), x.u32(28) != 0)
	printDropNext(p, int32(x.u32(16)))
	p.nl()
	p.uint("maxpacket", "  maxpacket %d", uint64(x.u32(0)))
	p.uint("ecn_mark", " ecn_mark %d", uint64(x.u32(24)))
	p.uint("drop_overlimit", " drop_overlimit %d", uint64(x.u32(20)))
	if v := x.u32(32); v != 0 {
		p.uint("ce_mark", " ce_mark %d", uint64(v))
	}
}

func printFQCodelXStats(p *printer, x xstatsView) {
	switch x.u32(0) {
	case 0: // TCA_FQ_CODEL_XSTATS_QDISC
		p.uint("maxpacket", "  maxpacket %d", uint64(x.u32(4)))
		p.uint("drop_overlimit", " drop_overlimit %d", uint64(x.u32(8)))
		p.uint("new_flow_count", " new_flow_count %d", uint64(x.u32(16)))
		p.uint("ecn_mark", " ecn_mark %d", uint64(x.u32(12)))
		for _, f := range [...]struct {
			off       int
			key, text string
		}{{28, "ce_mark", " ce_mark %d"}, {32, "memory_used", " memory_used %d"}, {36, "drop_overmemory", " drop_overmemory %d"}} {
			if v := x.u32(f.off); v != 0 {
				p.uint(f.key, f.text, uint64(v))
			}
		}
		p.nl()
		p.uint("new_flows_len", "  new_flows_len %d", uint64(x.u32(20)))
		p.uint("old_flows_len", " old_flows_len %d", uint64(x.u32(24)))
	case 1: // TCA_FQ_CODEL_XSTATS_CLASS
		p.int("deficit", "  deficit %d", int64(int32(x.u32(4))))
		printCodelState(p, x.u32(12), x.u32(16), x.u32(8), x.u32(20) != 0)
		if x.u32(20) != 0 {
			printDropNext(p, int32(x.u32(24)))
		}
	}
}

func printFQXStats(p *printer, x xstatsView) {
	p.uint("flows", "  flows %d", uint64(x.u32(64)))
	p.uint("inactive", " (inactive %d", uint64(x.u32(68)))
	p.uint("throttled", " throttled %d)", uint64(x.u32(72)))
	if next := int64(x.u64(56)); next > 0 {
		p.jsonUint("next_packet_delay", uint64(next))
		p.text(" next_packet_delay %s", tc.Time64(next).String())
	}
	p.nl()
	p.uint("gc", "  gc %d", x.u64(0))
	p.uint("highprio", " highprio %d", x.u64(8))
	if v := x.u64(16); v != 0 {
		p.uint("retrans", " retrans %d", v)
	}
	p.uint("throttled", " throttled %d", x.u64(24))
	if v := x.u32(76); v != 0 {
		p.jsonUint("latency", uint64(v))
		p.text(" latency %s", tc.Time64(v).String())
	}
	if v := x.u64(80); v != 0 {
		p.uint("ce_mark", " ce_mark %d", v)
	}
	if v := x.u64(32); v != 0 {
		p.uint("flows_plimit", " flows_plimit %d", v)
	}
	tooLong, allocErr, hDrops, hCaps := x.u64(40), x.u64(48), x.u64(88), x.u64(96)
	if tooLong != 0 || allocErr != 0 || hDrops != 0 || hCaps != 0 {
		p.nl()
		for _, f := range [...]struct {
			v         uint64
			key, text string
		}{{tooLong, "pkts_too_long", " pkts_too_long %d"}, {allocErr, "alloc_errors", " alloc_errors %d"},
			{hDrops, "horizon_drops", " horizon_drops %d"}, {hCaps, "horizon_caps", "  horizon_caps %d"}} {
			if f.v != 0 {
				p.uint(f.key, f.text, f.v)
			}
		}
	}
}

// xField is a u32 of a statistics structure and how tc prints it.
type xField struct {
	off       int
	key, text string
}

// printXFields prints u32 fields in order; an off of -1 is print_nl.
func printXFields(p *printer, x xstatsView, fields []xField) {
	for _, f := range fields {
		if f.off < 0 {
			p.nl()
			continue
		}
		p.uint(f.key, f.text, uint64(x.u32(f.off)))
	}
}

// struct tc_red_xstats and tc_choke_xstats: early, pdrop, other,
// marked (, matched).
var (
	redXFields = [...]xField{{12, "marked", "  marked %d "}, {0, "early", "early %d "},
		{4, "pdrop", "pdrop %d "}, {8, "other", "other %d "}}
	chokeXFields = [...]xField{{12, "marked", "  marked %d"}, {0, "early", " early %d"},
		{4, "pdrop", " pdrop %d"}, {8, "other", " other %d"}, {16, "matched", " matched %d"}}
	pieXFields = [...]xField{{-1, "", ""}, {20, "pkts_in", "  pkts_in %d"}, {28, "overlimit", " overlimit %d"},
		{24, "dropped", " dropped %d"}, {32, "maxq", " maxq %d"}, {36, "ecn_mark", " ecn_mark %d"}}
	fqPIEXFields = [...]xField{{0, "pkts_in", "  pkts_in %d"}, {8, "overlimit", " overlimit %d"},
		{12, "overmemory", " overmemory %d"}, {4, "dropped", " dropped %d"}, {16, "ecn_mark", " ecn_mark %d"},
		{-1, "", ""}, {20, "new_flow_count", "  new_flow_count %d"}, {24, "new_flows_len", " new_flows_len %d"},
		{28, "old_flows_len", " old_flows_len %d"}, {32, "memory_used", " memory_used %d"}}
)

func printREDXStats(p *printer, x xstatsView) { printXFields(p, x, redXFields[:]) }

func printChokeXStats(p *printer, x xstatsView) { printXFields(p, x, chokeXFields[:]) }

func printPIEXStats(p *printer, x xstatsView) {
	p.float("prob", "  prob %s", float64(x.u64(0))/float64(^uint64(0)), 'g', 6)
	tcTime(p, "delay", " delay %s", tc.Time(x.u32(8)))
	if x.u32(16) != 0 {
		p.uint("avg_dq_rate", " avg_dq_rate %d", uint64(x.u32(12)))
	}
	printXFields(p, x, pieXFields[:])
}

func printFQPIEXStats(p *printer, x xstatsView) { printXFields(p, x, fqPIEXFields[:]) }
