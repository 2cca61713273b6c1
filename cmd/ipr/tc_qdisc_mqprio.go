package main

// The mqprio qdisc (tc's q_mqprio.c).

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseMQPrio(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.MQPrio{NumTC: 8, Map: tc.DefaultMQPrioMap}
	num := func() (uint64, bool) {
		if !a.more() {
			return 0, false
		}
		n, err := strconv.ParseUint(a.peek(), 10, 8)
		return n, err == nil
	}
	for a.more() {
		w := a.advance()
		switch {
		case w == "num_tc":
			v, err := htbU32(a, w, 10)
			if err != nil || v > 16 {
				return nil, tcKindError("Illegal \"num_tc\"")
			}
			o.NumTC = uint8(v)
		case w == "map":
			idx := 0
			for n, ok := num(); ok && idx < 16; n, ok = num() {
				a.advance()
				o.Map[idx] = uint8(n)
				idx++
			}
			for ; idx < 16; idx++ {
				o.Map[idx] = 0
			}
		case w == "queues":
			for a.more() && strings.Contains(a.peek(), "@") {
				c, off, _ := strings.Cut(a.advance(), "@")
				cn, err1 := strconv.ParseUint(c, 10, 16)
				on, err2 := strconv.ParseUint(off, 10, 16)
				if err1 != nil || err2 != nil {
					return nil, tcKindError("Illegal \"queues\"")
				}
				o.Queues = append(o.Queues, tc.QueueRange{Count: uint16(cn), Offset: uint16(on)})
			}
		case w == "hw":
			v, err := htbU32(a, w, 10)
			if err != nil {
				return nil, err
			}
			o.NoHW = v == 0
		case !o.NoHW && (w == "mode" || w == "shaper"):
			v, err := a.value(w)
			if err != nil {
				return nil, err
			}
			// Both are 0 for "dcb", 1 for the other word.
			dst, other := &o.Mode, "channel"
			if w == "shaper" {
				dst, other = &o.Shaper, "bw_rlimit"
			}
			switch {
			case matches(v, "dcb"):
				*dst = 0
			case matches(v, other):
				*dst = 1
			default:
				return nil, tcKindError("Illegal %s (%s)", w, v)
			}
		case o.Shaper == 1 && (w == "min_rate" || w == "max_rate"):
			var rates []tc.Rate
			for a.more() && len(rates) < int(o.NumTC) {
				r, err := tc.ParseRate(a.peek())
				if err != nil {
					break
				}
				a.advance()
				rates = append(rates, r)
			}
			if w == "min_rate" {
				o.MinRate = rates
			} else {
				o.MaxRate = rates
			}
		default:
			return nil, invarg("unknown argument", w)
		}
	}
	return o, nil
}

// printMQPrio is tc's mqprio_print_opt.
func printMQPrio(p *printer, _ *env, q tc.Qdisc) {
	b := q.Options()
	const size = 84 // RTA_ALIGN(sizeof(struct tc_mqprio_qopt))
	if len(b) < size {
		return
	}
	numTC := int(b[0])
	p.uint("tc", "tc %d ", uint64(numTC))
	key := "map "
	if p.json {
		key = "map"
	}
	p.openArray("map")
	p.textString(key)
	for i := range 16 {
		p.uint("", "%d ", uint64(b[1+i]))
	}
	p.closeArray()
	p.openArray("queues")
	p.textString("\n             queues:")
	for i := 0; i < numTC && i < 16; i++ {
		count := binary.NativeEndian.Uint16(b[18+2*i:])
		off := binary.NativeEndian.Uint16(b[50+2*i:])
		p.openArray("")
		p.uint("", "(%d:", uint64(off))
		p.uint("", "%d) ", uint64(uint32(off)+uint32(count)-1))
		p.closeArray()
	}
	p.closeArray()
	if len(b) == size {
		return
	}
	opts := nla.Chain(b[size:])
	if a, ok := opts.Get(1); !ok {
		p.str("mode", "\n             mode:%s", "dcb")
	} else if attrU16(a) == 1 {
		p.str("mode", "\n             mode:%s", "channel")
	}
	if a, ok := opts.Get(2); !ok {
		p.str("shaper", "\n             shaper:%s", "dcb")
	} else if attrU16(a) == 1 {
		p.str("shaper", "\n             shaper:%s", "bw_rlimit")
	}
	for _, r := range [...]struct {
		typ       uint16
		key, text string
	}{{3, "min_rate", "\tmin_rate:"}, {4, "max_rate", "\tmax_rate:"}} {
		a, ok := opts.Get(r.typ)
		if !ok {
			continue
		}
		var rates [16]uint64
		n := 0
		for x := range nla.Chain(a.Data).All() {
			if n < 16 {
				rates[n] = attrU64(x)
				n++
			}
		}
		p.openArray(r.key)
		p.textString(r.text)
		for i := 0; i < numTC && i < 16; i++ {
			if p.json {
				p.uint("", "", rates[i])
			} else {
				p.text("%s ", tc.Rate(rates[i]).String())
			}
		}
		p.closeArray()
	}
}
