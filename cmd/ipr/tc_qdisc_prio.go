package main

// The prio qdisc, whose printer pfifo_fast shares (tc's q_prio.c).

import (
	"strconv"

	"github.com/ipr-go/ipr/rtm/tc"
)

func parsePrio(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Prio{}
	pmap := false
	idx := 0
	for a.more() {
		w := a.advance()
		switch {
		case w == "bands" && !pmap:
			v, err := a.value(w)
			if err != nil {
				return nil, err
			}
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil {
				return nil, tcKindError("Illegal \"bands\"")
			}
			o.Bands = int32(n)
		case w == "priomap":
			if pmap {
				return nil, tcKindError("Error: duplicate priomap")
			}
			pmap = true
			o.Priomap = tc.DefaultPriomap
		case w == "multiqueue":
			o.Multiqueue = true
		case pmap:
			band, err := strconv.ParseUint(w, 10, 8)
			if err != nil {
				return nil, tcKindError("Illegal \"priomap\" element")
			}
			if idx > 15 {
				return nil, tcKindError("Error: priomap is too long")
			}
			o.Priomap[idx] = uint8(band)
			idx++
		default:
			return nil, tcKindError("Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]")
		}
	}
	return o, nil
}

func printPrio(p *printer, _ *env, q tc.Qdisc) {
	pr, ok := optionsAs[*tc.Prio](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	p.uint("bands", "bands %d ", uint64(uint32(pr.Bands)))
	if p.json {
		p.openArray("priomap")
		for _, b := range pr.Priomap {
			p.uint("", "", uint64(b))
		}
		p.closeArray()
	} else {
		p.textString("priomap")
		for _, b := range pr.Priomap {
			p.text(" %d", b)
		}
	}
	if pr.Multiqueue {
		p.textString(" multiqueue: on ")
	}
	p.jsonBool("multiqueue", pr.Multiqueue)
}
