package main

// The red and choke qdiscs (tc's q_red.c, q_choke.c).

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseRED is tc's red_parse_opt and choke_parse_opt.
func parseRED(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	o := &tc.RED{}
	threshold := sizeArg // red's thresholds are sizes, choke's packets
	if kind == "choke" {
		o.Name, threshold = kind, u32Arg
	}
	opts := []kindOpt{
		opt("limit", setTo(&o.Limit, threshold)), opt("min", setTo(&o.Min, threshold)),
		opt("max", setTo(&o.Max, threshold)), opt("burst", setTo(&o.Burst, u32Arg)),
		opt("avpkt", setTo(&o.Avpkt, sizeArg)), opt("probability", setTo(&o.Probability, probabilityArg)),
		opt("bandwidth", setTo(&o.Bandwidth, rateArg)), opt("ecn", setBits(&o.Flags, tc.REDECN)),
	}
	if kind != "choke" {
		opts = append(opts, opt("harddrop", setBits(&o.Flags, tc.REDHardDrop)), opt("nodrop", setBits(&o.Flags, tc.REDNoDrop)),
			opt("adaptive", setBits(&o.Flags, tc.REDAdaptive)), opt("adaptative", setBits(&o.Flags, tc.REDAdaptive)))
	}
	return o, readKindOpts(a, "What is %q?", opts...)
}

// printRED is tc's red_print_opt and choke_print_opt (without qevents).
func printRED(p *printer, e *env, q tc.Qdisc) {
	opts := nla.Chain(q.Options())
	a, ok := opts.Get(1) // TCA_RED_PARMS, TCA_CHOKE_PARMS
	if !ok || len(a.Data) < 16 {
		return
	}
	qopt := xstatsView(a.Data)
	var maxP uint32
	if m, ok := opts.Get(3); ok && len(m.Data) >= 4 {
		maxP = attrU32(m)
	}
	flags := uint32(a.Data[15])
	if q.Kind() == "red" {
		if f, ok := opts.Get(4); ok && len(f.Data) >= 8 {
			flags = xstatsView(f.Data).u32(0) // nla_bitfield32 value
		}
		tcSize(p, "limit", "limit %s ", qopt.u32(0))
		tcSize(p, "min", "min %s ", qopt.u32(4))
		tcSize(p, "max", "max %s ", qopt.u32(8))
	} else {
		p.uint("limit", "limit %dp ", uint64(qopt.u32(0)))
		p.uint("min", "min %dp ", uint64(qopt.u32(4)))
		p.uint("max", "max %dp ", uint64(qopt.u32(8)))
	}
	printREDFlags(p, uint8(flags))
	if e.Details {
		p.uint("ewma", "ewma %d ", uint64(a.Data[12]))
		if maxP != 0 {
			p.float("probability", "probability %s ", float64(maxP)/(1<<32), 'g', 6)
		} else {
			p.uint("Plog", "Plog %d ", uint64(a.Data[13]))
		}
		p.uint("Scell_log", "Scell_log %d", uint64(a.Data[14]))
	}
}
