package main

// The fq_codel qdisc (tc's q_fq_codel.c).

import (
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseFQCodel is tc's fq_codel_parse_opt.
func parseFQCodel(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.FQCodel{}
	return o, readKindOpts(a, "What is %q?",
		opt("limit", setTo(&o.Limit, u32Arg)), opt("flows", setTo(&o.Flows, u32Arg)),
		opt("quantum", setTo(&o.Quantum, u32Arg)), opt("drop_batch", setTo(&o.DropBatch, u32Arg)),
		opt("target", setTo(&o.Target, timeArg)), opt("interval", setTo(&o.Interval, timeArg)),
		opt("ce_threshold", setTo(&o.CEThreshold, optTimeArg)),
		opt("ce_threshold_selector", func(a *args, w string) error {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			sel, mask, ok := strings.Cut(v, "/")
			s, err1 := strconv.ParseUint(sel, 0, 8)
			m, err2 := strconv.ParseUint(mask, 0, 8)
			if !ok || err1 != nil || err2 != nil {
				return tcKindError("Illegal \"ce_threshold_selector\"")
			}
			o.CESelector, o.CEMask = rtm.Some(uint8(s)), rtm.Some(uint8(m))
			return nil
		}),
		opt("memory_limit", setSome(&o.MemoryLimit, sizeArg)),
		opt("ecn", setFlag(&o.ECN, "ecn")), opt("noecn", setFlag(&o.ECN, "ecn")))
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
	optTime(p, "ce_threshold", "ce_threshold %s ", f.CEThreshold)
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
	optSize(p, "memory_limit", "memory_limit %s ", f.MemoryLimit)
	if f.ECN.Or(false) {
		p.boolean("ecn", "ecn ", true)
	}
	if f.DropBatch != 0 {
		p.uint("drop_batch", "drop_batch %d ", uint64(f.DropBatch))
	}
}
