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
