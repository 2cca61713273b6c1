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

// fields are the options' attributes, in tc's order.
func (o *Codel) fields() []u32Field {
	return []u32Field{{TcaCodelLimit, &o.Limit}, {TcaCodelInterval, &o.Interval},
		{TcaCodelTarget, &o.Target}, {TcaCodelEcn, &o.ECN}, {TcaCodelCeThreshold, &o.CEThreshold}}
}

// AppendOptions appends the options set, in tc's order.
func (o *Codel) AppendOptions(r *rtnl.Req) error {
	appendU32Options(r, false, o.fields())
	return nil
}

// DecodeOptions reads the options the kernel reports or tc sends.
func (o *Codel) DecodeOptions(data []byte) error {
	*o = Codel{}
	return decodeU32Fields(data, o.fields(), nil)
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

// fields are the options' attributes, in tc's order: pie's, or
// fq_pie's.
func (o *PIE) fields() []u32Field {
	if o.Kind() == "fq_pie" {
		return []u32Field{{TcaFqPieLimit, &o.Limit}, {TcaFqPieFlows, &o.Flows},
			{TcaFqPieTarget, &o.Target}, {TcaFqPieTupdate, &o.TUpdate},
			{TcaFqPieAlpha, &o.Alpha}, {TcaFqPieBeta, &o.Beta},
			{TcaFqPieQuantum, &o.Quantum}, {TcaFqPieMemoryLimit, &o.MemoryLimit},
			{TcaFqPieEcnProb, &o.ECNProb}, {TcaFqPieEcn, &o.ECN},
			{TcaFqPieBytemode, &o.ByteMode}, {TcaFqPieDqRateEstimator, &o.DQRateEstimator}}
	}
	return []u32Field{{TcaPieLimit, &o.Limit}, {TcaPieTupdate, &o.TUpdate},
		{TcaPieTarget, &o.Target}, {TcaPieAlpha, &o.Alpha}, {TcaPieBeta, &o.Beta},
		{TcaPieEcn, &o.ECN}, {TcaPieBytemode, &o.ByteMode},
		{TcaPieDqRateEstimator, &o.DQRateEstimator}}
}

// AppendOptions appends the options set, in tc's order.
func (o *PIE) AppendOptions(r *rtnl.Req) error {
	appendU32Options(r, o.Kind() == "fq_pie", o.fields())
	return nil
}

// DecodeOptions reads the options the kernel reports or tc sends.
func (o *PIE) DecodeOptions(data []byte) error {
	name := o.Name
	if name == "pie" {
		name = "" // the default
	}
	*o = PIE{Name: name}
	return decodeU32Fields(data, o.fields(), nil)
}

func (*PIE) qdiscOptions() {}

// DRRClass are the options of a drr class: "tc class add ... drr
// quantum 1514". The drr qdisc itself has none (Bare{Name: "drr"}).
type DRRClass struct{ Quantum rtm.Opt[uint32] }

// Kind returns "drr".
func (*DRRClass) Kind() string { return "drr" }

// AppendOptions appends the quantum, if set.
func (o *DRRClass) AppendOptions(r *rtnl.Req) error {
	appendU32Options(r, false, []u32Field{{TcaDrrQuantum, &o.Quantum}})
	return nil
}

// DecodeOptions reads the quantum.
func (o *DRRClass) DecodeOptions(data []byte) error {
	*o = DRRClass{}
	return decodeU32Fields(data, []u32Field{{TcaDrrQuantum, &o.Quantum}}, nil)
}

func (*DRRClass) classOptions() {}

// QFQClass are the options of a qfq class: "tc class add ... qfq weight
// 10 maxpkt 1514". The qfq qdisc itself has none (Bare{Name: "qfq"}).
type QFQClass struct{ Weight, MaxPkt rtm.Opt[uint32] }

// Kind returns "qfq".
func (*QFQClass) Kind() string { return "qfq" }

// fields are the options' attributes, in tc's order.
func (o *QFQClass) fields() []u32Field {
	return []u32Field{{TcaQfqWeight, &o.Weight}, {TcaQfqLmax, &o.MaxPkt}}
}

// AppendOptions appends the weight and maximum packet size set.
func (o *QFQClass) AppendOptions(r *rtnl.Req) error {
	appendU32Options(r, false, o.fields())
	return nil
}

// DecodeOptions reads the weight and maximum packet size.
func (o *QFQClass) DecodeOptions(data []byte) error {
	*o = QFQClass{}
	return decodeU32Fields(data, o.fields(), nil)
}

func (*QFQClass) classOptions() {}
