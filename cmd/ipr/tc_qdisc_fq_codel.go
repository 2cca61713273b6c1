package main

// The fq_codel qdisc (tc's q_fq_codel.c).

import (
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm/tc"
)

func parseFQCodel(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.FQCodel{}
	timeArg := func(w string) (tc.Time, error) {
		v, err := a.value(w)
		if err != nil {
			return 0, err
		}
		t, err := tc.ParseTime(v)
		if err != nil {
			return 0, tcKindError("Illegal %q", w)
		}
		return t, nil
	}
	for a.more() {
		w := a.advance()
		var err error
		switch w {
		case "limit":
			o.Limit, err = htbU32(a, w, 0)
		case "flows":
			o.Flows, err = htbU32(a, w, 0)
		case "quantum":
			o.Quantum, err = htbU32(a, w, 0)
		case "drop_batch":
			o.DropBatch, err = htbU32(a, w, 0)
		case "target":
			o.Target, err = timeArg(w)
		case "interval":
			o.Interval, err = timeArg(w)
		case "ce_threshold":
			t, terr := timeArg(w)
			o.CEThreshold, err = &t, terr
		case "ce_threshold_selector":
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			sel, mask, ok := strings.Cut(v, "/")
			s, err1 := strconv.ParseUint(sel, 0, 8)
			m, err2 := strconv.ParseUint(mask, 0, 8)
			if !ok || err1 != nil || err2 != nil {
				return nil, tcKindError("Illegal \"ce_threshold_selector\"")
			}
			s8, m8 := uint8(s), uint8(m)
			o.CESelector, o.CEMask = &s8, &m8
		case "memory_limit":
			v, serr := sizeArg(a, w)
			o.MemoryLimit, err = &v, serr
		case "ecn", "noecn":
			v := w == "ecn"
			o.ECN = &v
		default:
			return nil, tcKindError("What is %q?", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

func printFQCodel(p *printer, _ *env, q tc.Qdisc) {
	o, err := tc.QdiscOptionsOf(q)
	f, ok := o.(*tc.FQCodel)
	if err != nil || !ok {
		return
	}
	has := func(t uint16) bool { _, ok := nlaGet(q.Options(), t); return ok }
	if has(2) {
		p.uint("limit", "limit %dp ", uint64(f.Limit))
	}
	if has(5) {
		p.uint("flows", "flows %d ", uint64(f.Flows))
	}
	if has(6) {
		p.uint("quantum", "quantum %d ", uint64(f.Quantum))
	}
	if has(1) {
		tcTime(p, "target", "target %s ", f.Target)
	}
	if f.CEThreshold != nil {
		tcTime(p, "ce_threshold", "ce_threshold %s ", *f.CEThreshold)
	}
	if sel, mask := deref8(f.CESelector), deref8(f.CEMask); sel != 0 || mask != 0 {
		p.hex("ce_threshold_selector", "ce_threshold_selector %s", uint64(sel))
		p.hex("ce_threshold_mask", "/%s ", uint64(mask))
	}
	if has(3) {
		tcTime(p, "interval", "interval %s ", f.Interval)
	}
	if f.MemoryLimit != nil {
		tcSize(p, "memory_limit", "memory_limit %s ", *f.MemoryLimit)
	}
	if f.ECN != nil && *f.ECN {
		p.boolean("ecn", "ecn ", true)
	}
	if f.DropBatch != 0 {
		p.uint("drop_batch", "drop_batch %d ", uint64(f.DropBatch))
	}
}

func deref8(p *uint8) uint8 {
	if p == nil {
		return 0
	}
	return *p
}
