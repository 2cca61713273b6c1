package main

// The sfq qdisc (tc's q_sfq.c).

import (
	"encoding/binary"
	"strconv"

	"github.com/ipr-go/ipr/rtm/tc"
)

// parseSFQ is tc's sfq_parse_opt.
func parseSFQ(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.SFQ{}
	var red tc.SFQRED
	redSet := false
	// setRED reads one of sfq's RED options.
	setRED := func(read func(a *args, w string) error) func(a *args, w string) error {
		return func(a *args, w string) error {
			redSet = true
			return read(a, w)
		}
	}
	err := readKindOpts(a, "What is %q?",
		opt("quantum", setTo(&o.Quantum, sizeArg)),
		opt("perturb", func(a *args, w string) error {
			n, err := legalArg(a, w, func(v string) (int64, error) { return strconv.ParseInt(v, 0, 32) })
			o.Perturb = int32(n)
			return err
		}),
		opt("limit", func(a *args, w string) (err error) {
			if o.Limit, err = u32Arg(a, w); err == nil && o.Limit < 2 {
				return tcKindError("Illegal \"limit\", must be > 1")
			}
			return err
		}),
		opt("divisor", setTo(&o.Divisor, u32Arg)), opt("flows", setTo(&o.Flows, u32Arg)),
		opt("depth", setTo(&o.Depth, u32Arg)), opt("headdrop", setTrue(&o.HeadDrop)),
		opt("redflowlimit", setRED(setTo(&red.Limit, u32Arg))), opt("min", setRED(setTo(&red.Min, u32Arg))),
		opt("max", setRED(setTo(&red.Max, u32Arg))), opt("burst", setRED(setTo(&red.Burst, u32Arg))),
		opt("avpkt", setRED(setTo(&red.Avpkt, sizeArg))), opt("probability", setRED(setTo(&red.Probability, probabilityArg))),
		opt("ecn", setRED(setBits(&red.Flags, tc.REDECN))), opt("harddrop", setRED(setBits(&red.Flags, tc.REDHardDrop))))
	if err != nil {
		return nil, err
	}
	if redSet {
		if err := o.SetRED(red); err != nil {
			return nil, tcKindError("%v", err)
		}
	}
	return o, nil
}

// probabilityArg reads RED's probability, a fraction.
func probabilityArg(a *args, w string) (float64, error) {
	return legalArg(a, w, func(v string) (float64, error) { return strconv.ParseFloat(v, 64) })
}

func printSFQ(p *printer, e *env, q tc.Qdisc) {
	s, ok := optionsAs[*tc.SFQ](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	p.uint("limit", "limit %dp ", uint64(s.Limit))
	tcSize(p, "quantum", "quantum %s ", s.Quantum)
	if s.Depth != 0 {
		p.uint("depth", "depth %d ", uint64(s.Depth))
	}
	if s.HeadDrop {
		p.boolean("headdrop", "headdrop ", true)
	}
	if e.Details {
		p.uint("flows", "flows %d ", uint64(s.Flows))
	}
	p.uint("divisor", "divisor %d ", uint64(s.Divisor))
	if s.Perturb != 0 {
		p.int("perturb", "perturb %dsec ", int64(s.Perturb))
	}
	// tc reads the RED options only from a whole tc_sfq_qopt_v1, which
	// ends with struct tc_sfqred_stats.
	if d := q.Options(); len(d) >= sfqQoptV1Size && s.RedQthMin != 0 {
		p.uint("ewma", "ewma %d ", uint64(s.RedWlog))
		tcSize(p, "min", "min %s ", s.RedQthMin)
		tcSize(p, "max", "max %s ", s.RedQthMax)
		p.float("probability", "probability %s ", float64(s.RedMaxP)/(1<<32), 'g', 6)
		printREDFlags(p, s.RedFlags)
		if e.Stats.level > 0 {
			printSFQREDStats(p, d[48:sfqQoptV1Size])
		}
	}
}

// sfqQoptV1Size is the size of struct tc_sfq_qopt_v1.
const sfqQoptV1Size = 72

// printSFQREDStats prints struct tc_sfqred_stats (prob_drop,
// forced_drop, prob_mark, forced_mark, prob_mark_head,
// forced_mark_head) in sfq_print_opt's order.
func printSFQREDStats(p *printer, st []byte) {
	for i, f := range [...]struct {
		at  int
		key string
	}{{8, "prob_mark"}, {16, "prob_mark_head"}, {0, "prob_drop"}, {12, "forced_mark"}, {20, "forced_mark_head"}, {4, "forced_drop"}} {
		switch i {
		case 0, 3:
			p.nl()
			p.uint(f.key, "  "+f.key+" %d", uint64(binary.NativeEndian.Uint32(st[f.at:])))
		default:
			p.uint(f.key, " "+f.key+" %d", uint64(binary.NativeEndian.Uint32(st[f.at:])))
		}
	}
}

// printREDFlags is tc_red_print_flags: each flag a JSON boolean, the
// set ones as words.
func printREDFlags(p *printer, flags uint8) {
	for _, f := range [...]struct {
		bit  uint8
		name string
	}{{tc.REDECN, "ecn"}, {tc.REDHardDrop, "harddrop"}, {tc.REDAdaptive, "adaptive"}, {tc.REDNoDrop, "nodrop"}} {
		if flags&f.bit != 0 {
			p.boolean(f.name, f.name+" ", true)
		} else if p.json {
			p.boolean(f.name, "", false)
		}
	}
}
