package main

// The codel qdisc (tc's q_codel.c).

import (
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseCodel(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Codel{}
	for a.more() {
		w := a.advance()
		var err error
		switch w {
		case "limit":
			o.Limit, err = optU32Arg(a, w)
		case "target":
			o.Target, err = optTimeArg(a, w)
		case "interval":
			o.Interval, err = optTimeArg(a, w)
		case "ce_threshold":
			o.CEThreshold, err = optTimeArg(a, w)
		case "ecn", "noecn":
			o.ECN = rtm.Some(w == "ecn")
		default:
			return nil, tcKindError("What is %q?\nUsage: ... codel [ limit PACKETS ] [ target TIME ] [ interval TIME ] [ ecn | noecn ] [ ce_threshold TIME ]", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

// printCodel is tc's codel_print_opt.
func printCodel(p *printer, _ *env, q tc.Qdisc) {
	c, ok := optionsAs[*tc.Codel](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	if v, ok := c.Limit.Get(); ok {
		p.uint("limit", "limit %dp ", uint64(v))
	}
	if v, ok := c.Target.Get(); ok {
		tcTime(p, "target", "target %s ", v)
	}
	if v, ok := c.CEThreshold.Get(); ok {
		tcTime(p, "ce_threshold", "ce_threshold %s ", v)
	}
	if v, ok := c.Interval.Get(); ok {
		tcTime(p, "interval", "interval %s ", v)
	}
	if c.ECN.Or(false) {
		p.boolean("ecn", "ecn ", true)
	}
}
