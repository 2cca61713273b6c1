package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
)

// Cake are the options of the cake qdisc: "tc qdisc add ... cake
// bandwidth 100mbit diffserv4 triple-isolate nat wash ack-filter
// overhead 18 mpu 64 rtt 100ms". The enumerations (DiffServ, FlowMode,
// ATM, AckFilter) take the kernel's CAKE_* values; unset options keep
// the kernel's defaults.
type Cake struct {
	// BaseRate is the shaper's rate; Some(0) is unlimited.
	BaseRate rtm.Opt[Rate]
	DiffServ rtm.Opt[uint32]
	ATM      rtm.Opt[uint32]
	FlowMode rtm.Opt[uint32]
	Overhead rtm.Opt[int32]
	// Raw accounts the packets' own sizes (tc's "raw").
	Raw       bool
	MPU       uint32
	RTT       Time
	Target    Time
	Autorate  rtm.Opt[bool]
	Memory    uint32
	FWMark    uint32
	NAT       rtm.Opt[bool]
	Wash      rtm.Opt[bool]
	SplitGSO  rtm.Opt[bool]
	Ingress   rtm.Opt[bool]
	AckFilter rtm.Opt[uint32]
}

// Kind returns "cake".
func (*Cake) Kind() string { return "cake" }

// AppendOptions appends the options set, in tc's order.
func (o *Cake) AppendOptions(r *rtnl.Req) error {
	b := r.B
	n := beginOptions(r)
	if v, ok := o.BaseRate.Get(); ok {
		b.Uint64(TcaCakeBaseRate64, uint64(v))
	}
	var ovh rtm.Opt[uint32]
	if v, ok := o.Overhead.Get(); ok {
		ovh = rtm.Some(uint32(v))
	}
	raw := rtm.Opt[uint32]{}
	if o.Raw {
		raw = rtm.Some[uint32](0)
	}
	for _, a := range []u32Attr{
		{TcaCakeDiffservMode, o.DiffServ}, {TcaCakeAtm, o.ATM}, {TcaCakeFlowMode, o.FlowMode},
		{TcaCakeOverhead, ovh}, {TcaCakeRaw, raw}, {TcaCakeMpu, nonzero(o.MPU)},
		{TcaCakeRTT, nonzero(o.RTT)}, {TcaCakeTarget, nonzero(o.Target)}, {TcaCakeAutorate, boolOpt(o.Autorate)},
		{TcaCakeMemory, nonzero(o.Memory)}, {TcaCakeFwmark, nonzero(o.FWMark)}, {TcaCakeNat, boolOpt(o.NAT)},
		{TcaCakeWash, boolOpt(o.Wash)}, {TcaCakeSplitGso, boolOpt(o.SplitGSO)},
		{TcaCakeIngress, boolOpt(o.Ingress)}, {TcaCakeAckFilter, o.AckFilter},
	} {
		if v, ok := a.v.Get(); ok {
			b.Uint32(a.typ, v)
		}
	}
	endNest(b, n)
	return nil
}

// DecodeOptions reads the options the kernel reports (all of them) or
// tc sends.
func (o *Cake) DecodeOptions(data []byte) error {
	*o = Cake{}
	c := chainOf(data)
	for a := range c.All() {
		if a.Kind() == TcaCakeBaseRate64 {
			o.BaseRate = rtm.Some(Rate(attrU64(a)))
			continue
		}
		v, err := a.Uint32()
		if err != nil {
			continue
		}
		switch a.Kind() {
		case TcaCakeDiffservMode:
			o.DiffServ = rtm.Some(v)
		case TcaCakeAtm:
			o.ATM = rtm.Some(v)
		case TcaCakeFlowMode:
			o.FlowMode = rtm.Some(v)
		case TcaCakeOverhead:
			o.Overhead = rtm.Some(int32(v))
		case TcaCakeRaw:
			o.Raw = true
		case TcaCakeMpu:
			o.MPU = v
		case TcaCakeRTT:
			o.RTT = Time(v)
		case TcaCakeTarget:
			o.Target = Time(v)
		case TcaCakeAutorate:
			o.Autorate = rtm.Some(v != 0)
		case TcaCakeMemory:
			o.Memory = v
		case TcaCakeFwmark:
			o.FWMark = v
		case TcaCakeNat:
			o.NAT = rtm.Some(v != 0)
		case TcaCakeWash:
			o.Wash = rtm.Some(v != 0)
		case TcaCakeSplitGso:
			o.SplitGSO = rtm.Some(v != 0)
		case TcaCakeIngress:
			o.Ingress = rtm.Some(v != 0)
		case TcaCakeAckFilter:
			o.AckFilter = rtm.Some(v)
		}
	}
	return c.Err()
}

func (*Cake) qdiscOptions() {}
