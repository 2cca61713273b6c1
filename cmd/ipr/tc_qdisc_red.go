package main

// The red and choke qdiscs (tc's q_red.c, q_choke.c).

import (
	"strconv"

	"github.com/ipr-go/ipr/nla"
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

// printRED is tc's red_print_opt and choke_print_opt (without qevents).
func printRED(p *printer, e *env, q tc.Qdisc) {
	opts := nla.Chain(q.Options())
	a, ok := opts.Get(1) // TCA_RED_PARMS, TCA_CHOKE_PARMS
	if !ok || len(a.Data) < 16 {
		return
	}
	qopt := xstatsView(a.Data)
	var maxP uint32
	if m, ok := opts.Get(3); ok && len(m.Data) >= 4 {
		maxP = attrU32(m)
	}
	flags := uint32(a.Data[15])
	if q.Kind() == "red" {
		if f, ok := opts.Get(4); ok && len(f.Data) >= 8 {
			flags = xstatsView(f.Data).u32(0) // nla_bitfield32 value
		}
		tcSize(p, "limit", "limit %s ", qopt.u32(0))
		tcSize(p, "min", "min %s ", qopt.u32(4))
		tcSize(p, "max", "max %s ", qopt.u32(8))
	} else {
		p.uint("limit", "limit %dp ", uint64(qopt.u32(0)))
		p.uint("min", "min %dp ", uint64(qopt.u32(4)))
		p.uint("max", "max %dp ", uint64(qopt.u32(8)))
	}
	for i, name := range [...]string{"ecn", "harddrop", "adaptive", "nodrop"} {
		if flags&(1<<i) != 0 {
			p.boolean(name, name+" ", true)
		} else {
			p.jsonBool(name, false)
		}
	}
	if e.Details {
		p.uint("ewma", "ewma %d ", uint64(a.Data[12]))
		if maxP != 0 {
			p.float("probability", "probability %s ", float64(maxP)/(1<<32), 'g', 6)
		} else {
			p.uint("Plog", "Plog %d ", uint64(a.Data[13]))
		}
		p.uint("Scell_log", "Scell_log %d", uint64(a.Data[14]))
	}
}
