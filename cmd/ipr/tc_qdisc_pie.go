package main

// The pie and fq_pie qdiscs (tc's q_pie.c, q_fq_pie.c).

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parsePIE is tc's pie_parse_opt and fq_pie_parse_opt.
func parsePIE(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	o := &tc.PIE{}
	opts := []kindOpt{
		opt("limit", setTo(&o.Limit, optU32Arg)), opt("target", setTo(&o.Target, optTimeArg)),
		opt("tupdate", setTo(&o.TUpdate, optTimeArg)), opt("alpha", setTo(&o.Alpha, optU32Arg)),
		opt("beta", setTo(&o.Beta, optU32Arg)), opt("ecn", setFlag(&o.ECN, "ecn")), opt("noecn", setFlag(&o.ECN, "ecn")),
		opt("bytemode", setFlag(&o.ByteMode, "bytemode")), opt("nobytemode", setFlag(&o.ByteMode, "bytemode")),
		opt("dq_rate_estimator", setFlag(&o.DQRateEstimator, "dq_rate_estimator")),
		opt("no_dq_rate_estimator", setFlag(&o.DQRateEstimator, "dq_rate_estimator")),
	}
	if kind == "fq_pie" {
		o.Name = kind
		opts = append(opts, opt("flows", setTo(&o.Flows, optU32Arg)), opt("quantum", setSome(&o.Quantum, sizeArg)),
			opt("memory_limit", setSome(&o.MemoryLimit, sizeArg)), opt("ecn_prob", setTo(&o.ECNProb, optU32Arg)))
	}
	return o, readKindOpts(a, "What is %q?", opts...)
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
