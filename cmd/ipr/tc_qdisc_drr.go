package main

// The drr and qfq qdiscs, which have no options, and their classes (tc's
// q_drr.c, q_qfq.c).

import (
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseDRRClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.DRRClass{}
	for a.more() {
		w := a.advance()
		if w != "quantum" {
			return nil, tcKindError("What is %q?\nUsage: ... drr quantum SIZE", w)
		}
		v, err := sizeArg(a, w)
		if err != nil {
			return nil, err
		}
		o.Quantum = rtm.Some(v)
	}
	return o, nil
}

func parseQFQClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.QFQClass{}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "weight"):
			var v uint32
			v, err = htbU32(a, w, 10)
			o.Weight = rtm.Some(v)
		case matches(w, "maxpkt"):
			var v uint32
			v, err = htbU32(a, w, 10)
			o.MaxPkt = rtm.Some(v)
		default:
			return nil, tcKindError("What is %q?\nUsage: ... qfq [ weight W ] [ maxpkt BYTES ]", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}
