package main

// The drr and qfq qdiscs, which have no options, and their classes (tc's
// q_drr.c, q_qfq.c).

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseDRRClass is tc's drr_parse_class_opt.
func parseDRRClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.DRRClass{}
	return o, readKindOpts(a, "What is %q?\nUsage: ... drr quantum SIZE", opt("quantum", setSome(&o.Quantum, sizeArg)))
}

// parseQFQClass is tc's qfq_parse_class_opt.
func parseQFQClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.QFQClass{}
	return o, readKindOpts(a, "What is %q?\nUsage: ... qfq [ weight W ] [ maxpkt BYTES ]",
		abbr("weight", setSome(&o.Weight, decimalU32Arg)), abbr("maxpkt", setSome(&o.MaxPkt, decimalU32Arg)))
}

// printDRRClass is tc's drr_print_opt (text only, as tc prints it).
func printDRRClass(p *printer, _ *env, c tc.Class) {
	if a, ok := nla.Chain(c.Options()).Get(1); ok { // TCA_DRR_QUANTUM
		p.text("quantum %s ", tc.Size(attrU32(a)).String())
	}
}

// printDRRXStats is tc's drr_print_xstats.
func printDRRXStats(p *printer, x []byte) {
	if len(x) >= 4 {
		p.text(" deficit %s ", tc.Size(xstatsView(x).u32(0)).String())
	}
}

// printQFQClass is tc's qfq_print_opt, for qfq's classes (fprintf: text even
// in JSON).
func printQFQClass(p *printer, _ *env, c tc.Class) {
	opts := nla.Chain(c.Options())
	if a, ok := opts.Get(1); ok { // TCA_QFQ_WEIGHT
		p.raw("weight " + itoa(int(attrU32(a))) + " ")
	}
	if a, ok := opts.Get(2); ok { // TCA_QFQ_LMAX
		p.raw("maxpkt " + itoa(int(attrU32(a))) + " ")
	}
}
