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
