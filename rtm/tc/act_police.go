package tc

import (
	"errors"
	"fmt"
	"math"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
)

// Police is a policer: a token bucket on bytes (Rate, Burst) or on
// packets (PacketRate, PacketBurst), or an average rate, with a verdict
// for the traffic over the limit ("action police rate 1mbit burst 10k
// conform-exceed drop/ok"). As a filter's legacy "police", it is the
// same settings in the filter's police attribute.
type Police struct {
	// Rate is the byte rate, Burst the bucket in bytes.
	Rate  Rate
	Burst uint32
	// MTU is the largest packet the bucket passes ("mtu"), PeakRate
	// the rate of a second bucket of MTU bytes (it needs MTU).
	MTU      uint32
	PeakRate Rate
	// AvgRate polices the rate estimator's average instead (bytes per
	// second; needs an estimator).
	AvgRate uint32
	// MPU, Overhead and Linklayer size packets for the rate tables
	// (Linklayer 0 is Ethernet, as tc assumes).
	MPU       uint16
	Overhead  uint16
	Linklayer Linklayer
	// PacketRate and PacketBurst are the packet bucket, instead of the
	// byte one.
	PacketRate  uint64
	PacketBurst uint64
	// Exceed is the verdict over the limit (tc's default: reclassify);
	// Conform the one under it (0, pass, sends none). [Action.Control],
	// if set, overrides Exceed.
	Exceed  Verdict
	Conform Verdict

	// What a decoded policer keeps so that it encodes back to the same
	// bytes: the bucket in scheduler ticks and the rate tables' cell
	// sizes.
	index             uint32
	burstTicks        uint32
	pktBurstTicks     uint32
	cellLog, peakCell int
	decoded           bool
}

// NewPolice returns a byte policer of rate and burst that drops what
// exceeds them.
func NewPolice(rate Rate, burst uint32) *Police {
	return &Police{Rate: rate, Burst: burst, Exceed: VerdictDrop}
}

// policeLen is sizeof(struct tc_police).
const policeLen = 56

// ActionKind returns "police".
func (*Police) ActionKind() string { return "police" }

func (p *Police) appendOptions(e *nla.Encoder, a *Action) error {
	exceed := p.Exceed
	if v, ok := a.Control.Get(); ok {
		exceed = v
	}
	return p.append(e, a.Index, exceed)
}

// appendPolice appends a filter's legacy policer as attribute typ.
func appendPolice(e *nla.Encoder, typ uint16, p *Police) error {
	n := rtnl.BeginPlain(e, typ)
	if err := p.append(e, p.index, p.Exceed); err != nil {
		return fmt.Errorf("police: %w", err)
	}
	n.End(e)
	return nil
}

func (p *Police) append(e *nla.Encoder, index uint32, exceed Verdict) error {
	switch {
	case p.Rate != 0 && p.AvgRate != 0:
		return errors.New("rate and avrate are mutually exclusive")
	case p.Rate == 0 && p.AvgRate == 0 && index == 0 && p.MTU == 0 && p.PacketRate == 0:
		return errors.New("needs a rate, an avrate, a packet rate, an mtu or an index")
	case p.Rate != 0 && p.Burst == 0 && p.burstTicks == 0:
		return errors.New("a rate needs a burst")
	case p.PacketRate != 0 && p.PacketBurst == 0:
		return errors.New("a packet rate needs a packet burst")
	case p.PacketRate != 0 && p.Rate != 0:
		return errors.New("rate and packet rate are mutually exclusive")
	case p.PeakRate != 0 && (p.Rate == 0 || p.MTU == 0):
		return errors.New("a peak rate needs a rate and an mtu")
	}
	if err := checkVerdict(exceed); err != nil {
		return err
	}
	if err := checkVerdict(p.Conform); err != nil {
		return err
	}
	ll := p.Linklayer
	if ll == LinklayerUnspec {
		ll = LinklayerEthernet
	}
	var rate, peak RateSpec
	var rtab, ptab [256]uint32
	burst := uint32(0)
	if p.Rate != 0 {
		rate, rtab = p.rateTable(p.Rate, p.cellLog, ll)
		burst = p.burstTicks
		if burst == 0 || XmitSize(p.Rate, burst) != p.Burst {
			burst = XmitTime(p.Rate, p.Burst)
		}
		if burst == math.MaxUint32 {
			return errors.New("burst too large for the rate")
		}
	}
	if p.PeakRate != 0 {
		peak, ptab = p.rateTable(p.PeakRate, p.peakCell, ll)
	}
	if b := structAttr(e, tcaPoliceTbf, policeLen); b != nil {
		native.PutUint32(b, index)
		native.PutUint32(b[4:], uint32(exceed))
		native.PutUint32(b[12:], burst)
		native.PutUint32(b[16:], p.MTU)
		putRateSpec(b[20:], rate)
		putRateSpec(b[32:], peak)
	}
	if p.Rate != 0 {
		putRateTable(e, tcaPoliceRate, &rtab)
		if p.Rate >= 1<<32 {
			e.Uint64(tcaPoliceRate64, uint64(p.Rate))
		}
	}
	if p.PeakRate != 0 {
		putRateTable(e, tcaPolicePeakrate, &ptab)
		if p.PeakRate >= 1<<32 {
			e.Uint64(tcaPolicePeakrate64, uint64(p.PeakRate))
		}
	}
	putU32(e, tcaPoliceAvrate, p.AvgRate)
	putU32(e, tcaPoliceResult, p.Conform)
	if p.PacketRate != 0 {
		ticks := p.pktBurstTicks
		if ticks == 0 || uint64(XmitSize(Rate(p.PacketRate), ticks)) != p.PacketBurst {
			ticks = XmitTime(Rate(p.PacketRate), uint32(min(p.PacketBurst, math.MaxUint32)))
		}
		e.Uint64(tcaPolicePktrate64, p.PacketRate)
		e.Uint64(tcaPolicePktburst64, uint64(ticks))
	}
	return nil
}

func (p *Police) decode(opts nla.Chain) error {
	a, ok := opts.Get(tcaPoliceTbf)
	if !ok || len(a.Data) < policeLen {
		return errors.New("no tc_police parameters")
	}
	b := a.Data
	p.decoded = true
	p.index = native.Uint32(b)
	p.Exceed = Verdict(native.Uint32(b[4:]))
	p.burstTicks = native.Uint32(b[12:])
	p.MTU = native.Uint32(b[16:])
	rate, peak := decodeRateSpec(b[20:]), decodeRateSpec(b[32:])
	p.Rate, p.PeakRate = Rate(rate.Rate), Rate(peak.Rate)
	p.cellLog, p.peakCell = int(rate.CellLog), int(peak.CellLog)
	p.MPU, p.Overhead = rate.MPU, rate.Overhead
	if rate.Rate != 0 {
		p.Linklayer = rate.Linklayer & 0x0F // TC_LINKLAYER_MASK: the kernel reads no more
	}
	if p.Linklayer == LinklayerEthernet {
		p.Linklayer = LinklayerUnspec
	}
	for f := range opts.All() {
		switch f.Kind() {
		case tcaPoliceRate64:
			v, _ := f.Uint64()
			p.Rate = Rate(v)
		case tcaPolicePeakrate64:
			v, _ := f.Uint64()
			p.PeakRate = Rate(v)
		case tcaPoliceAvrate:
			p.AvgRate, _ = f.Uint32()
		case tcaPoliceResult:
			v, _ := f.Uint32()
			p.Conform = Verdict(v)
		case tcaPolicePktrate64:
			p.PacketRate, _ = f.Uint64()
		case tcaPolicePktburst64:
			v, _ := f.Uint64()
			p.PacketBurst = v
		}
	}
	if p.Rate != 0 {
		p.Burst = XmitSize(p.Rate, p.burstTicks)
	}
	if p.PacketRate != 0 {
		// The kernel keeps the packet burst in ticks, as tc sends it;
		// the ticks are kept too, to encode back to the same bytes.
		p.pktBurstTicks = uint32(min(p.PacketBurst, math.MaxUint32))
		p.PacketBurst = uint64(XmitSize(Rate(p.PacketRate), p.pktBurstTicks))
	}
	return nil
}

// Index returns the index of a decoded policer.
func (p *Police) Index() uint32 { return p.index }

// rateTable returns the rate spec and table of rate r, the policer's rate
// or peak rate: with the cell log it was decoded with (cellLog), so that
// a policer read back encodes as it came, else the one tc computes.
func (p *Police) rateTable(r Rate, cellLog int, ll Linklayer) (RateSpec, [256]uint32) {
	spec := RateSpec{Rate: uint32(min(uint64(r), math.MaxUint32)), MPU: p.MPU, Overhead: p.Overhead}
	cell := -1
	if p.decoded {
		cell = cellLog
	}
	tab := RateTable(&spec, r, cell, p.MTU, ll)
	return spec, tab
}
