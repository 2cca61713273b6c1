package main

// The netem qdisc (tc's q_netem.c): its command line and its options'
// printer.

import (
	"math"
	"os"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseNetem(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Netem{}
	nextIsNumber := func() bool {
		return a.more() && len(a.peek()) > 0 && a.peek()[0] >= '0' && a.peek()[0] <= '9'
	}
	nextIsSigned := func() bool {
		return a.more() && len(a.peek()) > 0 && (a.peek()[0] >= '0' && a.peek()[0] <= '9' || a.peek()[0] == '-')
	}
	percent := func(w string, dst *tc.Percent) error {
		v, err := a.value(w)
		if err != nil {
			return err
		}
		if *dst, err = tc.ParsePercent(v); err != nil {
			return tcKindError("Illegal %q", w)
		}
		return nil
	}
	optPercent := func(w string, dst *tc.Percent) error {
		if !nextIsNumber() {
			return nil
		}
		return percent(w, dst)
	}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "limit"):
			o.Limit, err = sizeArg(a, w)
		case matches(w, "latency"), matches(w, "delay"):
			if o.Latency, err = timeArg(a, w); err == nil && nextIsNumber() {
				if o.Jitter, err = timeArg(a, w); err == nil {
					err = optPercent(w, &o.DelayCorr)
				}
			}
		case matches(w, "loss"), matches(w, "drop"):
			if !a.more() {
				return nil, errIncomplete
			}
			switch m := a.peek(); {
			case m == "state":
				a.advance()
				gi := &tc.NetemGI{}
				if err = percent(w, &gi.P13); err != nil {
					return nil, err
				}
				gi.P31, gi.P23 = tc.PercentOf(100-gi.P13.Float()), tc.PercentOf(100)
				for _, p := range []*tc.Percent{&gi.P31, &gi.P32, &gi.P23, &gi.P14} {
					if err = optPercent(w, p); err != nil {
						return nil, err
					}
				}
				o.LossGI = gi
			case m == "gemodel":
				a.advance()
				ge := &tc.NetemGE{}
				if err = percent(w, &ge.P); err != nil {
					return nil, err
				}
				ge.R = tc.PercentOf(100 - ge.P.Float())
				for _, p := range []*tc.Percent{&ge.R, &ge.H, &ge.K1} {
					if err = optPercent(w, p); err != nil {
						return nil, err
					}
				}
				ge.H = ^ge.H // tc's "1-h" is the kernel's h
				o.LossGE = ge
			default:
				if m == "random" {
					a.advance()
				}
				if err = percent(w, &o.Loss); err == nil {
					err = optPercent(w, &o.LossCorr)
				}
			}
		case matches(w, "ecn"):
			o.ECN = true
		case matches(w, "reorder"):
			if err = percent(w, &o.Reorder); err == nil {
				err = optPercent(w, &o.ReorderCorr)
			}
		case matches(w, "corrupt"):
			if err = percent(w, &o.Corrupt); err == nil {
				err = optPercent(w, &o.CorruptCorr)
			}
		case matches(w, "gap"):
			o.Gap, err = htbU32(a, w, 0)
		case matches(w, "duplicate"):
			if err = percent(w, &o.Duplicate); err == nil {
				err = optPercent(w, &o.DupCorr)
			}
		case matches(w, "distribution"):
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			b, rerr := os.ReadFile("/usr/lib/tc/" + v + ".dist")
			if rerr != nil {
				return nil, tcKindError("No distribution data for %s (/usr/lib/tc/%s.dist: %v)", v, v, rerr)
			}
			if o.Distribution, err = tc.ParseDistribution(string(b)); err != nil {
				return nil, tcKindError("%v", err)
			}
		case matches(w, "rate"):
			if o.Rate, err = rateArg(a, w); err != nil {
				return nil, err
			}
			for i, dst := range []*int32{&o.PacketOverhead, nil, &o.CellOverhead} {
				if i == 1 {
					if !nextIsNumber() {
						break
					}
					o.CellSize, err = htbU32(a, w, 0)
				} else if (i == 0 || o.CellSize != 0) && nextIsSigned() {
					n, perr := strconv.ParseInt(a.advance(), 0, 32)
					if perr != nil {
						return nil, tcKindError("Illegal %q", w)
					}
					*dst = int32(n)
				}
				if err != nil {
					return nil, err
				}
			}
		case matches(w, "slot"):
			s := &tc.NetemSlot{}
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			if s.MinDelay, err = tc.ParseTime64(v); err != nil {
				return nil, tcKindError("Illegal \"slot\"")
			}
			s.MaxDelay = s.MinDelay
			if nextIsNumber() {
				if s.MaxDelay, err = tc.ParseTime64(a.advance()); err != nil || s.MaxDelay < s.MinDelay {
					return nil, tcKindError("Illegal \"slot\"")
				}
			}
			for a.more() && (a.peek() == "packets" || a.peek() == "bytes") {
				k := a.advance()
				if k == "packets" {
					n, perr := htbU32(a, k, 0)
					s.MaxPackets, err = int32(n), perr
				} else {
					n, perr := sizeArg(a, k)
					s.MaxBytes, err = int32(n), perr
				}
				if err != nil {
					return nil, err
				}
			}
			o.Slot = s
		default:
			return nil, tcKindError("netem: unknown parameter %q", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

// netemPercent is tc's __print_percent: percent points in text, a
// fraction in JSON.
func netemPercent(p *printer, key, text string, v uint32) {
	if p.json {
		p.float(key, "", float64(v)/math.MaxUint32, 'g', 6)
		return
	}
	p.float("", text+" %s%%", 100*float64(v)/math.MaxUint32, 'g', 6)
}

// netemCorr is tc's print_corr.
func netemCorr(p *printer, present bool, v uint32) {
	if p.json {
		netemPercent(p, "correlation", " correlation", v)
	} else if present {
		netemPercent(p, "", "", v)
	}
}

// netemRandom prints a probability v other than zero and its
// correlation (from TCA_NETEM_CORR, if hasCor) as object obj, key key.
func netemRandom(p *printer, obj, key string, v uint32, hasCor bool, corr uint32) {
	if v == 0 {
		return
	}
	p.openObject(obj)
	netemPercent(p, key, " "+key, v)
	netemCorr(p, hasCor && corr != 0, corr)
	p.closeObject()
}

// netemIntOpt is tc's PRINT_INT_OPT: always in JSON, if not zero in
// text.
func netemIntOpt(p *printer, label string, v int32) {
	p.jsonInt(label, int64(v))
	if v != 0 {
		p.text(" "+label+" %d", v)
	}
}

// netemTime64 is tc's __print_time64: seconds in JSON.
func netemTime64(p *printer, key, text string, v int64) {
	p.text(text+" %s", tc.Time64(v).String())
	if p.json {
		p.float(key, "", float64(v)/1e9, 'g', 6)
	}
}

// printNetem is tc's netem_print_opt.
func printNetem(p *printer, _ *env, q tc.Qdisc) {
	b := q.Options()
	if len(b) < 24 {
		return
	}
	qopt := xstatsView(b[:24])
	opts := nla.Chain(b[24:])
	get := func(typ uint16, n int) (xstatsView, bool) {
		a, ok := opts.Get(typ)
		if !ok || len(a.Data) < n {
			return nil, false
		}
		return xstatsView(a.Data), true
	}
	cor, hasCor := get(1, 12)
	reorder, hasReorder := get(3, 8)
	corrupt, hasCorrupt := get(4, 8)
	var gi, ge xstatsView
	if l, ok := opts.Get(5); ok {
		for a := range nla.Chain(l.Data).All() {
			switch a.Kind() {
			case 1:
				gi = xstatsView(a.Data)
			case 2:
				ge = xstatsView(a.Data)
			}
		}
	}
	rate, hasRate := get(6, 16)
	_, hasECN := get(7, 4)
	var rate64 uint64
	if r, ok := get(8, 8); ok {
		rate64 = r.u64(0)
	}
	slot, hasSlot := get(12, 40)
	latency, jitter := qopt.u32(0), qopt.u32(20)
	p.uint("limit", "limit %d", uint64(qopt.u32(4)))
	if latency != 0 {
		p.openObject("delay")
		if !p.json {
			p.text(" delay %s", tc.TicksToTime(latency).String())
			if jitter != 0 {
				p.text("  %s", tc.TicksToTime(jitter).String())
			}
		} else {
			p.float("delay", "", float64(tc.TicksToTime(latency))/1e6, 'g', 6)
			p.float("jitter", "", float64(tc.TicksToTime(jitter))/1e6, 'g', 6)
		}
		netemCorr(p, jitter != 0 && hasCor && cor.u32(0) != 0, cor.u32(0))
		p.closeObject()
	}
	netemRandom(p, "loss-random", "loss", qopt.u32(8), hasCor, cor.u32(4))
	if gi != nil {
		p.openObject("loss-state")
		netemPercent(p, "p13", " loss state p13", gi.u32(0))
		netemPercent(p, "p31", " p31", gi.u32(4))
		netemPercent(p, "p32", " p32", gi.u32(8))
		netemPercent(p, "p23", " p23", gi.u32(16))
		netemPercent(p, "p14", " p14", gi.u32(12))
		p.closeObject()
	}
	if ge != nil {
		p.openObject("loss-gemodel")
		netemPercent(p, "p", " loss gemodel p", ge.u32(0))
		netemPercent(p, "r", " r", ge.u32(4))
		netemPercent(p, "1-h", " 1-h", math.MaxUint32-ge.u32(8))
		netemPercent(p, "1-k", " 1-k", ge.u32(12))
		p.closeObject()
	}
	netemRandom(p, "duplicate", "duplicate", qopt.u32(16), hasCor, cor.u32(8))
	for _, pc := range [...]struct {
		name string
		v    xstatsView
		has  bool
	}{{"reorder", reorder, hasReorder}, {"corrupt", corrupt, hasCorrupt}} {
		// struct tc_netem_reorder and tc_netem_corrupt: probability,
		// correlation
		if pc.has && pc.v.u32(0) != 0 {
			p.openObject(pc.name)
			netemPercent(p, pc.name, " "+pc.name, pc.v.u32(0))
			netemCorr(p, pc.v.u32(4) != 0, pc.v.u32(4))
			p.closeObject()
		}
	}
	if hasRate && rate.u32(0) != 0 {
		p.openObject("rate")
		if rate64 == 0 {
			rate64 = uint64(rate.u32(0))
		}
		tcRate(p, "rate", " rate %s", tc.Rate(rate64))
		netemIntOpt(p, "packetoverhead", int32(rate.u32(4)))
		p.jsonUint("cellsize", uint64(rate.u32(8)))
		if cs := rate.u32(8); cs != 0 {
			p.text(" cellsize %d", cs)
		}
		netemIntOpt(p, "celloverhead", int32(rate.u32(12)))
		p.closeObject()
	}
	if hasSlot {
		p.openObject("slot")
		if dj := int64(slot.u64(32)); dj > 0 {
			netemTime64(p, "distribution", " slot distribution", int64(slot.u64(24)))
			netemTime64(p, "jitter", "", dj)
		} else {
			netemTime64(p, "min-delay", " slot", int64(slot.u64(0)))
			netemTime64(p, "max-delay", "", int64(slot.u64(8)))
		}
		netemIntOpt(p, "packets", int32(slot.u32(16)))
		netemIntOpt(p, "bytes", int32(slot.u32(20)))
		p.closeObject()
	}
	p.jsonBool("ecn", hasECN)
	if hasECN {
		p.textString(" ecn ")
	}
	gap := qopt.u32(12)
	p.jsonUint("gap", uint64(gap))
	if gap != 0 {
		p.text(" gap %d", gap)
	}
}
