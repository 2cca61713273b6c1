package tc

import (
	"errors"
	"math"
)

// SFQRED are the RED settings of an sfq qdisc as tc's command line gives
// them ("sfq redflowlimit 100000 min 8000 max 60000 probability 0.2
// ecn"): SetRED derives the kernel's parameters from them.
type SFQRED struct {
	// Limit is the bytes a flow may queue ("redflowlimit"). Required.
	Limit uint32
	// Min and Max are the average queue thresholds in bytes; zero
	// picks Limit/4 for Max and Max/3 for Min.
	Min, Max uint32
	// Burst is the packets of a burst; zero picks (2*Min+Max)/(3*Avpkt).
	Burst uint32
	// Avpkt is the average packet size; zero is 1000.
	Avpkt uint32
	// Probability is the marking probability at Max; zero is 0.02.
	Probability float64
	// Flags are REDECN and REDHardDrop.
	Flags uint8
}

// SetRED sets the RED parameters of o as tc's sfq_parse_opt computes
// them from r (the EWMA weight, the probability's log and max_P).
func (o *SFQ) SetRED(r SFQRED) error {
	if r.Limit == 0 {
		return errors.New("sfq: RED needs a limit (redflowlimit)")
	}
	if r.Flags&^(REDECN|REDHardDrop) != 0 {
		return errors.New("sfq: RED flags other than ecn and harddrop")
	}
	avpkt, prob := r.Avpkt, r.Probability
	if avpkt == 0 {
		avpkt = 1000
	}
	if prob == 0 {
		prob = 0.02
	}
	if r.Max == 0 {
		r.Max = r.Limit / 4
	}
	if r.Min == 0 {
		r.Min = r.Max / 3
	}
	if r.Burst == 0 {
		r.Burst = (2*r.Min + r.Max) / (3 * avpkt)
	}
	if r.Max > r.Limit {
		return errors.New("sfq: RED max is larger than limit")
	}
	if r.Min >= r.Max {
		return errors.New("sfq: RED min is not smaller than max")
	}
	wlog, err := redEWMA(r.Min, r.Burst, avpkt)
	if err != nil {
		return err
	}
	plog, err := redP(r.Min, r.Max, prob)
	if err != nil {
		return err
	}
	o.RedLimit, o.RedQthMin, o.RedQthMax = r.Limit, r.Min, r.Max
	o.RedWlog, o.RedPlog, o.RedFlags = uint8(wlog), uint8(plog), r.Flags
	o.RedMaxP = cUint32(prob * math.Pow(2, 32))
	return nil
}
