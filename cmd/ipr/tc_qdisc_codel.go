package main

// The codel qdisc (tc's q_codel.c).

import (
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseCodel is tc's codel_parse_opt.
func parseCodel(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Codel{}
	return o, readKindOpts(a, "What is %q?\nUsage: ... codel [ limit PACKETS ] [ target TIME ] [ interval TIME ] [ ecn | noecn ] [ ce_threshold TIME ]",
		opt("limit", setTo(&o.Limit, optU32Arg)), opt("target", setTo(&o.Target, optTimeArg)),
		opt("interval", setTo(&o.Interval, optTimeArg)), opt("ce_threshold", setTo(&o.CEThreshold, optTimeArg)),
		opt("ecn", setFlag(&o.ECN, "ecn")), opt("noecn", setFlag(&o.ECN, "ecn")))
}

// printCodel is tc's codel_print_opt.
func printCodel(p *printer, _ *env, q tc.Qdisc) {
	c, ok := optionsAs[*tc.Codel](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	optUint(p, "limit", "limit %dp ", c.Limit)
	optTime(p, "target", "target %s ", c.Target)
	optTime(p, "ce_threshold", "ce_threshold %s ", c.CEThreshold)
	optTime(p, "interval", "interval %s ", c.Interval)
	if c.ECN.Or(false) {
		p.boolean("ecn", "ecn ", true)
	}
}
