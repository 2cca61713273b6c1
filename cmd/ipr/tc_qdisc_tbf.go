package main

// The tbf qdisc (tc's q_tbf.c).

import (
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseTBF is tc's tbf_parse_opt.
func parseTBF(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.TBF{}
	burst, mtu := setTo(&o.Burst, sizeArg), setTo(&o.MTU, sizeArg)
	err := readKindOpts(a, "tbf: unknown parameter %q",
		abbr("limit", setTo(&o.Limit, sizeArg)), abbr("latency", setTo(&o.Latency, timeArg)),
		abbr("burst", burst), opt("buffer", burst), opt("maxburst", burst),
		opt("mtu", mtu), opt("minburst", mtu), opt("mpu", setTo(&o.MPU, sizeArg)),
		opt("rate", setTo(&o.Rate, rateArg)), abbr("peakrate", setTo(&o.PeakRate, rateArg)),
		abbr("overhead", setU16(&o.Overhead)), abbr("linklayer", setTo(&o.Linklayer, linklayerArg)))
	if err != nil {
		return nil, err
	}
	if o.Rate == 0 {
		return nil, tcKindError("tbf: the \"rate\" parameter is mandatory.")
	}
	if o.Burst == 0 {
		return nil, tcKindError("tbf: the \"burst\" parameter is mandatory.")
	}
	if o.Limit == 0 && o.Latency == 0 {
		return nil, tcKindError("tbf: either \"limit\" or \"latency\" is required.")
	}
	return o, nil
}

func printTBF(p *printer, e *env, q tc.Qdisc) {
	t, ok := optionsAs[*tc.TBF](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	rcl, pcl := rateCellLogs(q.Options(), 1, 0, tc.SizeofRateSpec)
	tcRate(p, "rate", "rate %s ", t.Rate)
	buffer := tcBuffer(q, t.Rate)
	if e.Details {
		p.str("burst", "burst %s ", tc.Size(buffer).String()+"/"+itoa(1<<rcl))
		tcSize(p, "mpu", "mpu %s ", t.MPU)
	} else {
		tcSize(p, "burst", "burst %s ", buffer)
	}
	parms := tbfParms(q)
	if t.PeakRate != 0 {
		p.text("peakrate %s ", t.PeakRate)
		if len(parms) >= 36 && (le32(parms[32:]) != 0) {
			mtu := tc.XmitSize(t.PeakRate, le32(parms[32:]))
			if e.Details {
				p.str("mtu", "mtu %s ", tc.Size(mtu).String()+"/"+itoa(1<<pcl))
				tcSize(p, "mpu", "mpu %s ", t.MPU)
			} else {
				tcSize(p, "minburst", "minburst %s ", mtu)
			}
		}
	}
	if len(parms) < 36 {
		return
	}
	limit := float64(le32(parms[24:]))
	latency := tc.TimeUnitsPerSec*(limit/float64(t.Rate)) - float64(tc.TicksToTime(le32(parms[28:])))
	if t.PeakRate != 0 {
		lat2 := tc.TimeUnitsPerSec*(limit/float64(t.PeakRate)) - float64(tc.TicksToTime(le32(parms[32:])))
		latency = max(latency, lat2)
	}
	if latency >= 0 {
		p.jsonUint("lat", uint64(latency))
		p.text("lat %s ", tc.Time(uint32(latency)))
	} else {
		tcSize(p, "limit", "limit %s ", uint32(limit))
	}
	if t.Overhead != 0 {
		p.int("overhead", "overhead %d ", int64(t.Overhead))
	}
	ll := t.Linklayer
	if ll == 0 {
		ll = tc.LinklayerEthernet
	}
	if ll > tc.LinklayerEthernet || e.Details {
		p.str("linklayer", "linklayer %s ", ll.String())
	}
}

// tbfParms returns tbf's struct tc_tbf_qopt.
func tbfParms(q tc.Qdisc) []byte {
	a, ok := nlaGet(q.Options(), 1)
	if !ok {
		return nil
	}
	return a
}

// tcBuffer is tbf's burst as tc prints it: from the ticks of the
// structure, not from TCA_TBF_BURST.
func tcBuffer(q tc.Qdisc, rate tc.Rate) uint32 {
	parms := tbfParms(q)
	if len(parms) < 32 {
		return 0
	}
	return tc.XmitSize(rate, le32(parms[28:]))
}
