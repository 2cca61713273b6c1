package main

// The netem qdisc (tc's q_netem.c): its command line. Its options are
// not printed yet (this kernel has no netem to compare with).

import (
	"os"
	"strconv"

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
