package main

// The fq qdisc (tc's q_fq.c).

import (
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseFQ(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.FQ{}
	rate := func(w string) (rtm.Opt[uint32], error) {
		r, err := rateArg(a, w)
		if err == nil && r > 0xFFFFFFFF {
			return rtm.Opt[uint32]{}, tcKindError("Illegal %q", w)
		}
		return rtm.Some(uint32(r)), err
	}
	for a.more() {
		w := a.advance()
		var err error
		switch w {
		case "limit":
			o.Limit, err = optU32Arg(a, w)
		case "flow_limit":
			o.FlowLimit, err = optU32Arg(a, w)
		case "buckets":
			o.Buckets, err = u32Arg(a, w)
		case "maxrate":
			o.MaxRate, err = rate(w)
		case "low_rate_threshold":
			o.LowRateThreshold, err = rate(w)
		case "defrate":
			o.DefaultRate, err = rate(w)
		case "ce_threshold":
			o.CEThreshold, err = optTimeArg(a, w)
		case "timer_slack":
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			t, perr := tc.ParseTime64(v)
			if perr != nil || t < 0 || t > 0xFFFFFFFF {
				return nil, tcKindError("Illegal \"timer_slack\"")
			}
			o.TimerSlack = rtm.Some(uint32(t))
		case "horizon_drop", "horizon_cap":
			o.HorizonDrop = rtm.Some(w == "horizon_drop")
		case "horizon":
			o.Horizon, err = optTimeArg(a, w)
		case "quantum":
			o.Quantum, err = optU32Arg(a, w)
		case "initial_quantum":
			o.InitialQuantum, err = optU32Arg(a, w)
		case "orphan_mask":
			o.OrphanMask, err = optU32Arg(a, w)
		case "refill_delay":
			o.RefillDelay, err = optTimeArg(a, w)
		case "pacing", "nopacing":
			o.Pacing = rtm.Some(w == "pacing")
		default:
			return nil, tcKindError("What is %q?", w)
		}
		if err != nil {
			return nil, err
		}
	}
	if o.Buckets != 0 && o.Buckets&(o.Buckets-1) != 0 {
		// tc sends the log of the largest power of two below.
		for o.Buckets&(o.Buckets-1) != 0 {
			o.Buckets &= o.Buckets - 1
		}
	}
	return o, nil
}

// printFQ is tc's fq_print_opt.
func printFQ(p *printer, _ *env, q tc.Qdisc) {
	f, ok := optionsAs[*tc.FQ](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	if v, ok := f.Limit.Get(); ok {
		p.uint("limit", "limit %dp ", uint64(v))
	}
	if v, ok := f.FlowLimit.Get(); ok {
		p.uint("flow_limit", "flow_limit %dp ", uint64(v))
	}
	if f.Buckets != 0 {
		p.uint("buckets", "buckets %d ", uint64(f.Buckets))
	}
	if v, ok := f.OrphanMask.Get(); ok {
		p.uint("orphan_mask", "orphan_mask %d ", uint64(v))
	}
	if v, ok := f.Pacing.Get(); ok && !v {
		p.boolean("pacing", "nopacing ", false)
	}
	if v, ok := f.Quantum.Get(); ok {
		tcSize(p, "quantum", "quantum %s ", v)
	}
	if v, ok := f.InitialQuantum.Get(); ok {
		tcSize(p, "initial_quantum", "initial_quantum %s ", v)
	}
	if v, ok := f.MaxRate.Get(); ok && v != ^uint32(0) {
		tcRate(p, "maxrate", "maxrate %s ", tc.Rate(v))
	}
	if v, ok := f.DefaultRate.Get(); ok && v != 0 {
		tcRate(p, "defrate", "defrate %s ", tc.Rate(v))
	}
	if v, ok := f.LowRateThreshold.Get(); ok && v != 0 {
		tcRate(p, "low_rate_threshold", "low_rate_threshold %s ", tc.Rate(v))
	}
	if v, ok := f.RefillDelay.Get(); ok {
		tcTime(p, "refill_delay", "refill_delay %s ", v)
	}
	if v, ok := f.CEThreshold.Get(); ok && v != ^tc.Time(0) {
		tcTime(p, "ce_threshold", "ce_threshold %s ", v)
	}
	if v, ok := f.TimerSlack.Get(); ok {
		p.jsonUint("timer_slack", uint64(v))
		p.text("timer_slack %s ", tc.Time64(v))
	}
	if v, ok := f.Horizon.Get(); ok {
		tcTime(p, "horizon", "horizon %s ", v)
	}
	if v, ok := f.HorizonDrop.Get(); ok {
		key := "horizon_drop"
		if !v {
			key = "horizon_cap"
		}
		p.jsonNull(key)
		p.textString(key + " ")
	}
}
