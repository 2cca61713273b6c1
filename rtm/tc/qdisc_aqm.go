package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
)

// Codel are the options of the codel qdisc: "tc qdisc add ... codel
// limit 1000 target 5ms interval 100ms ecn ce_threshold 1ms". Unset
// options keep the kernel's defaults.
type Codel struct {
	Limit            rtm.Opt[uint32]
	Target, Interval rtm.Opt[Time]
	ECN              rtm.Opt[bool]
	CEThreshold      rtm.Opt[Time]
}

// Kind returns "codel".
func (*Codel) Kind() string { return "codel" }

// AppendOptions appends the options set, in tc's order.
func (o *Codel) AppendOptions(r *rtnl.Req) error {
	appendU32Attrs(r, false,
		u32Attr{TcaCodelLimit, o.Limit},
		u32Attr{TcaCodelInterval, timeOpt(o.Interval)},
		u32Attr{TcaCodelTarget, timeOpt(o.Target)},
		u32Attr{TcaCodelEcn, boolOpt(o.ECN)},
		u32Attr{TcaCodelCeThreshold, timeOpt(o.CEThreshold)})
	return nil
}

// DecodeOptions reads the options the kernel reports or tc sends.
func (o *Codel) DecodeOptions(data []byte) error {
	*o = Codel{}
	return decodeU32Attrs(data, func(typ uint16, v uint32) {
		switch typ {
		case TcaCodelLimit:
			o.Limit = rtm.Some(v)
		case TcaCodelInterval:
			o.Interval = rtm.Some(Time(v))
		case TcaCodelTarget:
			o.Target = rtm.Some(Time(v))
		case TcaCodelEcn:
			o.ECN = rtm.Some(v != 0)
		case TcaCodelCeThreshold:
			o.CEThreshold = rtm.Some(Time(v))
		}
	})
}

func (*Codel) qdiscOptions() {}

// PIE are the options of the pie qdisc (Name "pie") and of fq_pie (Name
// "fq_pie", which adds Flows, Quantum, MemoryLimit and ECNProb): "tc
// qdisc add ... pie limit 1000 target 15ms tupdate 15ms alpha 2 beta 20
// ecn bytemode".
type PIE struct {
	// Name is "pie" (the default when empty) or "fq_pie".
	Name                 string
	Limit                rtm.Opt[uint32]
	Target, TUpdate      rtm.Opt[Time]
	Alpha, Beta          rtm.Opt[uint32]
	ECN, ByteMode        rtm.Opt[bool]
	DQRateEstimator      rtm.Opt[bool]
	Flows, Quantum       rtm.Opt[uint32]
	MemoryLimit, ECNProb rtm.Opt[uint32]
}

// Kind returns "pie" or o.Name.
func (o *PIE) Kind() string {
	if o.Name == "" {
		return "pie"
	}
	return o.Name
}

// AppendOptions appends the options set, in tc's order.
func (o *PIE) AppendOptions(r *rtnl.Req) error {
	if o.Kind() == "fq_pie" {
		appendU32Attrs(r, true,
			u32Attr{TcaFqPieLimit, o.Limit}, u32Attr{TcaFqPieFlows, o.Flows},
			u32Attr{TcaFqPieTarget, timeOpt(o.Target)}, u32Attr{TcaFqPieTupdate, timeOpt(o.TUpdate)},
			u32Attr{TcaFqPieAlpha, o.Alpha}, u32Attr{TcaFqPieBeta, o.Beta},
			u32Attr{TcaFqPieQuantum, o.Quantum}, u32Attr{TcaFqPieMemoryLimit, o.MemoryLimit},
			u32Attr{TcaFqPieEcnProb, o.ECNProb}, u32Attr{TcaFqPieEcn, boolOpt(o.ECN)},
			u32Attr{TcaFqPieBytemode, boolOpt(o.ByteMode)}, u32Attr{TcaFqPieDqRateEstimator, boolOpt(o.DQRateEstimator)})
		return nil
	}
	appendU32Attrs(r, false,
		u32Attr{TcaPieLimit, o.Limit}, u32Attr{TcaPieTupdate, timeOpt(o.TUpdate)},
		u32Attr{TcaPieTarget, timeOpt(o.Target)}, u32Attr{TcaPieAlpha, o.Alpha}, u32Attr{TcaPieBeta, o.Beta},
		u32Attr{TcaPieEcn, boolOpt(o.ECN)}, u32Attr{TcaPieBytemode, boolOpt(o.ByteMode)},
		u32Attr{TcaPieDqRateEstimator, boolOpt(o.DQRateEstimator)})
	return nil
}

// DecodeOptions reads the options the kernel reports or tc sends.
func (o *PIE) DecodeOptions(data []byte) error {
	name := o.Name
	if name == "pie" {
		name = "" // the default
	}
	*o = PIE{Name: name}
	if o.Kind() == "fq_pie" {
		return decodeU32Attrs(data, func(typ uint16, v uint32) {
			switch typ {
			case TcaFqPieLimit:
				o.Limit = rtm.Some(v)
			case TcaFqPieFlows:
				o.Flows = rtm.Some(v)
			case TcaFqPieTarget:
				o.Target = rtm.Some(Time(v))
			case TcaFqPieTupdate:
				o.TUpdate = rtm.Some(Time(v))
			case TcaFqPieAlpha:
				o.Alpha = rtm.Some(v)
			case TcaFqPieBeta:
				o.Beta = rtm.Some(v)
			case TcaFqPieQuantum:
				o.Quantum = rtm.Some(v)
			case TcaFqPieMemoryLimit:
				o.MemoryLimit = rtm.Some(v)
			case TcaFqPieEcnProb:
				o.ECNProb = rtm.Some(v)
			case TcaFqPieEcn:
				o.ECN = rtm.Some(v != 0)
			case TcaFqPieBytemode:
				o.ByteMode = rtm.Some(v != 0)
			case TcaFqPieDqRateEstimator:
				o.DQRateEstimator = rtm.Some(v != 0)
			}
		})
	}
	return decodeU32Attrs(data, func(typ uint16, v uint32) {
		switch typ {
		case TcaPieLimit:
			o.Limit = rtm.Some(v)
		case TcaPieTarget:
			o.Target = rtm.Some(Time(v))
		case TcaPieTupdate:
			o.TUpdate = rtm.Some(Time(v))
		case TcaPieAlpha:
			o.Alpha = rtm.Some(v)
		case TcaPieBeta:
			o.Beta = rtm.Some(v)
		case TcaPieEcn:
			o.ECN = rtm.Some(v != 0)
		case TcaPieBytemode:
			o.ByteMode = rtm.Some(v != 0)
		case TcaPieDqRateEstimator:
			o.DQRateEstimator = rtm.Some(v != 0)
		}
	})
}

func (*PIE) qdiscOptions() {}

// timeOpt converts an optional time to the attribute's 32 bits.
func timeOpt(t rtm.Opt[Time]) rtm.Opt[uint32] {
	if v, ok := t.Get(); ok {
		return rtm.Some(uint32(v))
	}
	return rtm.Opt[uint32]{}
}

// DRRClass are the options of a drr class: "tc class add ... drr
// quantum 1514". The drr qdisc itself has none (Bare{Name: "drr"}).
type DRRClass struct{ Quantum rtm.Opt[uint32] }

// Kind returns "drr".
func (*DRRClass) Kind() string { return "drr" }

// AppendOptions appends the quantum, if set.
func (o *DRRClass) AppendOptions(r *rtnl.Req) error {
	appendU32Attrs(r, false, u32Attr{TcaDrrQuantum, o.Quantum})
	return nil
}

// DecodeOptions reads the quantum.
func (o *DRRClass) DecodeOptions(data []byte) error {
	*o = DRRClass{}
	return decodeU32Attrs(data, func(typ uint16, v uint32) {
		if typ == TcaDrrQuantum {
			o.Quantum = rtm.Some(v)
		}
	})
}

func (*DRRClass) classOptions() {}

// QFQClass are the options of a qfq class: "tc class add ... qfq weight
// 10 maxpkt 1514". The qfq qdisc itself has none (Bare{Name: "qfq"}).
type QFQClass struct{ Weight, MaxPkt rtm.Opt[uint32] }

// Kind returns "qfq".
func (*QFQClass) Kind() string { return "qfq" }

// AppendOptions appends the weight and maximum packet size set.
func (o *QFQClass) AppendOptions(r *rtnl.Req) error {
	appendU32Attrs(r, false, u32Attr{TcaQfqWeight, o.Weight}, u32Attr{TcaQfqLmax, o.MaxPkt})
	return nil
}

// DecodeOptions reads the weight and maximum packet size.
func (o *QFQClass) DecodeOptions(data []byte) error {
	*o = QFQClass{}
	return decodeU32Attrs(data, func(typ uint16, v uint32) {
		switch typ {
		case TcaQfqWeight:
			o.Weight = rtm.Some(v)
		case TcaQfqLmax:
			o.MaxPkt = rtm.Some(v)
		}
	})
}

func (*QFQClass) classOptions() {}
