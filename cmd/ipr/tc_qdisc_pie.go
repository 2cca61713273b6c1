package main

// The pie and fq_pie qdiscs (tc's q_pie.c, q_fq_pie.c).

import (
	"github.com/ipr-go/ipr/nla"
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

var pieFields = [...]tcField{
	{2, "limit", "limit %dp ", fieldUint}, {1, "target", "target %s ", fieldTime},
	{3, "tupdate", "tupdate %s ", fieldTime}, {4, "alpha", "alpha %d ", fieldUint},
	{5, "beta", "beta %d ", fieldUint}, {6, "ecn", "ecn ", fieldFlag}, {7, "bytemode", "bytemode ", fieldFlag},
	{8, "dq_rate_estimator", "dq_rate_estimator ", fieldFlag},
}

var fqPIEFields = [...]tcField{
	{1, "limit", "limit %dp ", fieldUint}, {2, "flows", "flows %d ", fieldUint},
	{3, "target", "target %s ", fieldTime}, {4, "tupdate", "tupdate %s ", fieldTime},
	{5, "alpha", "alpha %d ", fieldUint}, {6, "beta", "beta %d ", fieldUint},
	{7, "quantum", "quantum %s ", fieldSize}, {8, "memory_limit", "memory_limit %s ", fieldSize},
	{9, "ecn_prob", "ecn_prob %d ", fieldUint}, {10, "ecn", "ecn ", fieldFlag},
	{11, "bytemode", "bytemode ", fieldFlag}, {12, "dq_rate_estimator", "dq_rate_estimator ", fieldFlag},
}

// printPIE is tc's pie_print_opt and fq_pie_print_opt.
func printPIE(p *printer, _ *env, q tc.Qdisc) {
	if q.Kind() == "fq_pie" {
		printFields(p, nla.Chain(q.Options()), fqPIEFields[:])
	} else {
		printFields(p, nla.Chain(q.Options()), pieFields[:])
	}
}
