package main

// The fq_codel qdisc (tc's q_fq_codel.c).

import (
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseFQCodel(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.FQCodel{}
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
			o.Target, err = timeArg(a, w)
		case "interval":
			o.Interval, err = timeArg(a, w)
		case "ce_threshold":
			o.CEThreshold, err = optTimeArg(a, w)
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
			o.CESelector, o.CEMask = rtm.Some(uint8(s)), rtm.Some(uint8(m))
		case "memory_limit":
			v, serr := sizeArg(a, w)
			o.MemoryLimit, err = rtm.Some(v), serr
		case "ecn", "noecn":
			o.ECN = rtm.Some(w == "ecn")
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
	f, ok := optionsAs[*tc.FQCodel](tc.QdiscOptionsOf(q))
	if !ok {
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
	if v, ok := f.CEThreshold.Get(); ok {
		tcTime(p, "ce_threshold", "ce_threshold %s ", v)
	}
	if sel, mask := f.CESelector.Or(0), f.CEMask.Or(0); sel != 0 || mask != 0 {
		// print_uint in JSON, "%#x" in text
		p.jsonUint("ce_threshold_selector", uint64(sel))
		p.text("ce_threshold_selector %s", cHex(uint64(sel)))
		p.jsonUint("ce_threshold_mask", uint64(mask))
		p.text("/%s ", cHex(uint64(mask)))
	}
	if has(3) {
		tcTime(p, "interval", "interval %s ", f.Interval)
	}
	if v, ok := f.MemoryLimit.Get(); ok {
		tcSize(p, "memory_limit", "memory_limit %s ", v)
	}
	if f.ECN.Or(false) {
		p.boolean("ecn", "ecn ", true)
	}
	if f.DropBatch != 0 {
		p.uint("drop_batch", "drop_batch %d ", uint64(f.DropBatch))
	}
}
