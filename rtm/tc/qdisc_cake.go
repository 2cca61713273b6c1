package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
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

// fields are the 32-bit options' attributes, in tc's order.
func (o *Cake) fields() []u32Field {
	return []u32Field{
		{TcaCakeDiffservMode, &o.DiffServ}, {TcaCakeAtm, &o.ATM}, {TcaCakeFlowMode, &o.FlowMode},
		{TcaCakeOverhead, &o.Overhead}, {TcaCakeRaw, &o.Raw}, {TcaCakeMpu, &o.MPU},
		{TcaCakeRTT, &o.RTT}, {TcaCakeTarget, &o.Target}, {TcaCakeAutorate, &o.Autorate},
		{TcaCakeMemory, &o.Memory}, {TcaCakeFwmark, &o.FWMark}, {TcaCakeNat, &o.NAT},
		{TcaCakeWash, &o.Wash}, {TcaCakeSplitGso, &o.SplitGSO},
		{TcaCakeIngress, &o.Ingress}, {TcaCakeAckFilter, &o.AckFilter},
	}
}

// AppendOptions appends the options set, in tc's order.
func (o *Cake) AppendOptions(r *rtnl.Req) error {
	b := r.B
	n := beginOptions(r)
	if v, ok := o.BaseRate.Get(); ok {
		b.Uint64(TcaCakeBaseRate64, uint64(v))
	}
	appendU32Fields(r, o.fields())
	endNest(b, n)
	return nil
}

// DecodeOptions reads the options the kernel reports (all of them) or
// tc sends.
func (o *Cake) DecodeOptions(data []byte) error {
	*o = Cake{}
	return decodeU32Fields(data, o.fields(), func(a nla.Attr) bool {
		if a.Kind() != TcaCakeBaseRate64 {
			return false
		}
		o.BaseRate = rtm.Some(Rate(attrU64(a)))
		return true
	})
}

func (*Cake) qdiscOptions() {}
