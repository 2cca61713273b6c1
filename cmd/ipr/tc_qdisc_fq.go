package main

// The fq qdisc (tc's q_fq.c).

import (
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseFQ is tc's fq_parse_opt.
func parseFQ(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.FQ{}
	err := readKindOpts(a, "What is %q?",
		opt("limit", setTo(&o.Limit, optU32Arg)), opt("flow_limit", setTo(&o.FlowLimit, optU32Arg)),
		opt("buckets", setTo(&o.Buckets, u32Arg)), opt("maxrate", setTo(&o.MaxRate, fqRateArg)),
		opt("low_rate_threshold", setTo(&o.LowRateThreshold, fqRateArg)), opt("defrate", setTo(&o.DefaultRate, fqRateArg)),
		opt("ce_threshold", setTo(&o.CEThreshold, optTimeArg)), opt("timer_slack", setTo(&o.TimerSlack, fqTimerSlackArg)),
		opt("horizon_drop", setFlag(&o.HorizonDrop, "horizon_drop")), opt("horizon_cap", setFlag(&o.HorizonDrop, "horizon_drop")),
		opt("horizon", setTo(&o.Horizon, optTimeArg)), opt("quantum", setTo(&o.Quantum, optU32Arg)),
		opt("initial_quantum", setTo(&o.InitialQuantum, optU32Arg)), opt("orphan_mask", setTo(&o.OrphanMask, optU32Arg)),
		opt("refill_delay", setTo(&o.RefillDelay, optTimeArg)),
		opt("pacing", setFlag(&o.Pacing, "pacing")), opt("nopacing", setFlag(&o.Pacing, "pacing")))
	// tc sends the log of the largest power of two below.
	for o.Buckets&(o.Buckets-1) != 0 {
		o.Buckets &= o.Buckets - 1
	}
	return o, err
}

// fqRateArg reads one of fq's rates, which are 32 bits.
func fqRateArg(a *args, w string) (rtm.Opt[uint32], error) {
	r, err := rateArg(a, w)
	if err == nil && r > 0xFFFFFFFF {
		return rtm.Opt[uint32]{}, tcKindError("Illegal %q", w)
	}
	return rtm.Some(uint32(r)), err
}

// fqTimerSlackArg reads fq's timer slack: a time in nanoseconds.
func fqTimerSlackArg(a *args, w string) (rtm.Opt[uint32], error) {
	v, err := a.value(w)
	if err != nil {
		return rtm.Opt[uint32]{}, err
	}
	t, err := tc.ParseTime64(v)
	if err != nil || t < 0 || t > 0xFFFFFFFF {
		return rtm.Opt[uint32]{}, tcKindError("Illegal \"timer_slack\"")
	}
	return rtm.Some(uint32(t)), nil
}

// printFQ is tc's fq_print_opt.
func printFQ(p *printer, _ *env, q tc.Qdisc) {
	f, ok := optionsAs[*tc.FQ](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	optUint(p, "limit", "limit %dp ", f.Limit)
	optUint(p, "flow_limit", "flow_limit %dp ", f.FlowLimit)
	if f.Buckets != 0 {
		p.uint("buckets", "buckets %d ", uint64(f.Buckets))
	}
	optUint(p, "orphan_mask", "orphan_mask %d ", f.OrphanMask)
	if v, ok := f.Pacing.Get(); ok && !v {
		p.boolean("pacing", "nopacing ", false)
	}
	optSize(p, "quantum", "quantum %s ", f.Quantum)
	optSize(p, "initial_quantum", "initial_quantum %s ", f.InitialQuantum)
	if v, ok := f.MaxRate.Get(); ok && v != ^uint32(0) {
		tcRate(p, "maxrate", "maxrate %s ", tc.Rate(v))
	}
	if v, ok := f.DefaultRate.Get(); ok && v != 0 {
		tcRate(p, "defrate", "defrate %s ", tc.Rate(v))
	}
	if v, ok := f.LowRateThreshold.Get(); ok && v != 0 {
		tcRate(p, "low_rate_threshold", "low_rate_threshold %s ", tc.Rate(v))
	}
	optTime(p, "refill_delay", "refill_delay %s ", f.RefillDelay)
	if v, ok := f.CEThreshold.Get(); ok && v != ^tc.Time(0) {
		tcTime(p, "ce_threshold", "ce_threshold %s ", v)
	}
	if v, ok := f.TimerSlack.Get(); ok {
		p.jsonUint("timer_slack", uint64(v))
		p.text("timer_slack %s ", tc.Time64(v))
	}
	optTime(p, "horizon", "horizon %s ", f.Horizon)
	if v, ok := f.HorizonDrop.Get(); ok {
		key := "horizon_drop"
		if !v {
			key = "horizon_cap"
		}
		p.jsonNull(key)
		p.textString(key + " ")
	}
}
