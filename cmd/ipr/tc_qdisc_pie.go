package main

// The pie and fq_pie qdiscs (tc's q_pie.c, q_fq_pie.c).

import (
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parsePIE(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	o := &tc.PIE{}
	fq := kind == "fq_pie"
	if fq {
		o.Name = kind
	}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "limit":
			o.Limit, err = optU32Arg(a, w)
		case w == "target":
			o.Target, err = optTimeArg(a, w)
		case w == "tupdate":
			o.TUpdate, err = optTimeArg(a, w)
		case w == "alpha":
			o.Alpha, err = optU32Arg(a, w)
		case w == "beta":
			o.Beta, err = optU32Arg(a, w)
		case w == "ecn", w == "noecn":
			o.ECN = rtm.Some(w == "ecn")
		case w == "bytemode", w == "nobytemode":
			o.ByteMode = rtm.Some(w == "bytemode")
		case w == "dq_rate_estimator", w == "no_dq_rate_estimator":
			o.DQRateEstimator = rtm.Some(w == "dq_rate_estimator")
		case fq && w == "flows":
			o.Flows, err = optU32Arg(a, w)
		case fq && w == "quantum":
			var v uint32
			v, err = sizeArg(a, w)
			o.Quantum = rtm.Some(v)
		case fq && w == "memory_limit":
			var v uint32
			v, err = sizeArg(a, w)
			o.MemoryLimit = rtm.Some(v)
		case fq && w == "ecn_prob":
			o.ECNProb, err = optU32Arg(a, w)
		default:
			return nil, tcKindError("What is %q?", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}
