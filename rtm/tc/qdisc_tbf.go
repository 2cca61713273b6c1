package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// The attributes of tbf's options (TCA_TBF_*).
const (
	tbfParms   = 1
	tbfRtab    = 2
	tbfPtab    = 3
	tbfRate64  = 4
	tbfPrate64 = 5
	tbfBurst   = 6
	tbfPburst  = 7
)

const sizeofTBFQopt = 2*SizeofRateSpec + 12

// TBF are the options of the token bucket filter qdisc (struct
// tc_tbf_qopt and the rate tables): "tc qdisc add ... tbf rate 1mbit
// burst 32k latency 50ms".
type TBF struct {
	// Rate is the rate of the bucket. Required.
	Rate Rate
	// Burst is the bucket's size in bytes. Required; at least MTU when
	// a peak rate is set.
	Burst uint32
	// Limit is the bytes that may wait in the queue. Either Limit or
	// Latency is required.
	Limit uint32
	// Latency is the longest a packet may wait, from which tc computes
	// the limit (rate × latency + burst). Not sent: read back as zero.
	Latency Time
	// PeakRate, with MTU, adds a second bucket (tc's "peakrate" and
	// "mtu"/"minburst").
	PeakRate Rate
	MTU      uint32
	// MPU and Overhead adjust packet sizes; Linklayer is the link layer
	// the rate tables account for (0: ethernet).
	MPU       uint32
	Overhead  uint16
	Linklayer Linklayer
}

// Kind returns "tbf".
func (*TBF) Kind() string { return "tbf" }

func (o *TBF) validate() error {
	var errs []error
	if o.Rate == 0 {
		errs = append(errs, errors.New("rate 0: tbf needs a rate"))
	}
	if o.Burst == 0 {
		errs = append(errs, errors.New("burst 0: tbf needs a burst"))
	}
	if o.PeakRate != 0 && o.MTU == 0 {
		errs = append(errs, errors.New("peakrate without mtu"))
	}
	if o.MTU != 0 && o.Burst != 0 && o.Burst < o.MTU {
		errs = append(errs, fmt.Errorf("burst %d is below the mtu %d: no packet of the mtu could ever pass", o.Burst, o.MTU))
	}
	if o.Limit == 0 && o.Latency == 0 {
		errs = append(errs, errors.New("neither limit nor latency"))
	}
	if o.Limit != 0 && o.Latency != 0 {
		errs = append(errs, errors.New("both limit and latency: give one"))
	}
	if o.MPU > 0xFFFF {
		errs = append(errs, fmt.Errorf("mpu %d exceeds 16 bits", o.MPU))
	}
	return errors.Join(errs...)
}

// AppendOptions validates the options and appends them as tc does.
func (o *TBF) AppendOptions(r *rtnl.Req) error {
	if err := o.validate(); err != nil {
		return err
	}
	ll := o.Linklayer
	if ll == LinklayerUnspec {
		ll = LinklayerEthernet
	}
	rate := RateSpec{Rate: uint32(min(o.Rate, maxRate32)), MPU: uint16(o.MPU), Overhead: o.Overhead}
	peak := RateSpec{Rate: uint32(min(o.PeakRate, maxRate32))}
	limit := o.Limit
	if limit == 0 {
		lim := float64(o.Rate)*float64(o.Latency)/TimeUnitsPerSec + float64(o.Burst)
		if o.PeakRate != 0 {
			lim2 := float64(o.PeakRate)*float64(o.Latency)/TimeUnitsPerSec + float64(o.MTU)
			lim = min(lim, lim2)
		}
		limit = cUint32(lim)
	}
	rtab := RateTable(&rate, Rate(rate.Rate), -1, o.MTU, ll)
	buffer := XmitTime(Rate(rate.Rate), o.Burst)
	var ptab [256]uint32
	var mtuTicks uint32
	if peak.Rate != 0 {
		peak.MPU, peak.Overhead = uint16(o.MPU), o.Overhead
		ptab = RateTable(&peak, Rate(peak.Rate), -1, o.MTU, ll)
		mtuTicks = XmitTime(Rate(peak.Rate), o.MTU)
	}

	b := r.B
	n := beginOptions(r)
	if p := structAttr(&b.Encoder, tbfParms, sizeofTBFQopt); p != nil {
		putRateSpec(p, rate)
		putRateSpec(p[SizeofRateSpec:], peak)
		d := p[2*SizeofRateSpec:]
		native.PutUint32(d, limit)
		native.PutUint32(d[4:], buffer)
		native.PutUint32(d[8:], mtuTicks)
	}
	b.Uint32(tbfBurst, o.Burst)
	if o.Rate > maxRate32 {
		b.Uint64(tbfRate64, uint64(o.Rate))
	}
	putRateTable(&b.Encoder, tbfRtab, &rtab)
	if peak.Rate != 0 {
		if o.PeakRate > maxRate32 {
			b.Uint64(tbfPrate64, uint64(o.PeakRate))
		}
		b.Uint32(tbfPburst, o.MTU)
		putRateTable(&b.Encoder, tbfPtab, &ptab)
	}
	endNest(b, n)
	return nil
}

// tbfRatePair are the attributes of tbf's rate and peak rate.
var tbfRatePair = ratePairAttrs{tbfParms, tbfRate64, tbfPrate64, sizeofTBFQopt, "TCA_TBF_PARMS"}

// DecodeOptions reads the options the kernel reports (or tc sends): the
// burst and mtu come back from scheduler ticks as tc prints them, and the
// limit as a limit (Latency stays zero).
func (o *TBF) DecodeOptions(data []byte) error {
	*o = TBF{}
	var rp ratePair
	if err := decodeRatePair(&rp, data, &tbfRatePair); err != nil {
		return err
	}
	burst, pburst := -1, -1
	for a := range chainOf(data).All() {
		v, err := a.Uint32()
		switch {
		case err != nil:
		case a.Kind() == tbfBurst:
			burst = int(v)
		case a.Kind() == tbfPburst:
			pburst = int(v)
		}
	}
	o.Rate, o.PeakRate, o.Linklayer = rp.rate, rp.second, rp.linklayer
	o.MPU, o.Overhead = uint32(rp.first.MPU), rp.first.Overhead
	d := rp.rest
	o.Limit = native.Uint32(d)
	o.Burst = XmitSize(o.Rate, native.Uint32(d[4:]))
	if burst >= 0 {
		o.Burst = uint32(burst)
	}
	if o.PeakRate != 0 {
		o.MTU = XmitSize(o.PeakRate, native.Uint32(d[8:]))
		if pburst >= 0 {
			o.MTU = uint32(pburst)
		}
	}
	return nil
}

func (*TBF) qdiscOptions() {}
