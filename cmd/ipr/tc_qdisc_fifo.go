package main

// The pfifo, bfifo and pfifo_head_drop qdiscs (tc's q_fifo.c).

import "github.com/ipr-go/ipr/rtm/tc"

func parseFIFO(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	o := &tc.FIFO{Name: kind}
	for a.more() {
		w := a.advance()
		if w != "limit" {
			return nil, tcKindError("%s: unknown parameter %q\nUsage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]", kind, w)
		}
		v, err := a.value(w)
		if err != nil {
			return nil, err
		}
		n, err := tc.ParseSize(v)
		if err != nil {
			return nil, tcKindError("%s: illegal value for \"limit\": %q", kind, v)
		}
		o.Limit = uint32(n)
	}
	return o, nil
}

func printFIFO(p *printer, _ *env, q tc.Qdisc) {
	f, ok := optionsAs[*tc.FIFO](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	if f.Name == "bfifo" {
		tcSize(p, "limit", "limit %s", f.Limit)
	} else {
		p.uint("limit", "limit %dp", uint64(f.Limit))
	}
}
