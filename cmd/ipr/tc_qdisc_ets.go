package main

// The ets qdisc and its classes (tc's q_ets.c).

import (
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseETS(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.ETS{}
	list := ""
	for a.more() {
		w := a.advance()
		switch w {
		case "bands", "strict":
			v, err := a.value(w)
			if err != nil {
				return nil, err
			}
			n, err := strconv.ParseUint(v, 10, 8)
			if err != nil || n > 16 {
				return nil, tcKindError("Illegal %q", w)
			}
			if w == "bands" {
				o.Bands = uint8(n)
			} else {
				o.Strict = uint8(n)
			}
			list = ""
		case "quanta", "priomap":
			list = w
		default:
			n, err := strconv.ParseUint(w, 10, 32)
			switch {
			case err != nil || list == "":
				return nil, tcKindError("What is %q?", w)
			case list == "quanta":
				o.Quanta = append(o.Quanta, uint32(n))
			default:
				o.Priomap = append(o.Priomap, uint8(n))
			}
		}
	}
	return o, nil
}

func parseETSClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.ETSClass{}
	for a.more() {
		w := a.advance()
		if w != "quantum" {
			return nil, tcKindError("What is %q?", w)
		}
		v, err := u32Arg(a, w)
		if err != nil {
			return nil, err
		}
		o.Quantum = rtm.Some(v)
	}
	return o, nil
}
