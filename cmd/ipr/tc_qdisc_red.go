package main

// The red and choke qdiscs (tc's q_red.c, q_choke.c).

import (
	"strconv"

	"github.com/ipr-go/ipr/rtm/tc"
)

func parseRED(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	o := &tc.RED{}
	choke := kind == "choke"
	if choke {
		o.Name = kind
	}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "limit" && !choke, w == "min" && !choke, w == "max" && !choke:
			var v uint32
			v, err = sizeArg(a, w)
			switch w {
			case "limit":
				o.Limit = v
			case "min":
				o.Min = v
			default:
				o.Max = v
			}
		case w == "limit":
			o.Limit, err = u32Arg(a, w)
		case w == "min":
			o.Min, err = u32Arg(a, w)
		case w == "max":
			o.Max, err = u32Arg(a, w)
		case w == "burst":
			o.Burst, err = u32Arg(a, w)
		case w == "avpkt":
			o.Avpkt, err = sizeArg(a, w)
		case w == "probability":
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			if o.Probability, err = strconv.ParseFloat(v, 64); err != nil {
				return nil, tcKindError("Illegal \"probability\"")
			}
		case w == "bandwidth":
			o.Bandwidth, err = rateArg(a, w)
		case w == "ecn":
			o.Flags |= tc.REDECN
		case !choke && w == "harddrop":
			o.Flags |= tc.REDHardDrop
		case !choke && w == "nodrop":
			o.Flags |= tc.REDNoDrop
		case !choke && (w == "adaptive" || w == "adaptative"):
			o.Flags |= tc.REDAdaptive
		default:
			return nil, tcKindError("What is %q?", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}
