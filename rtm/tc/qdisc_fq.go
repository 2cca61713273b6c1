package tc

import (
	"fmt"
	"math/bits"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
)

// FQ are the options of the fair queue qdisc: "tc qdisc add ... fq limit
// 10000 flow_limit 100 buckets 1024 maxrate 1gbit quantum 3028 pacing
// horizon 10s horizon_drop". Unset options keep the kernel's defaults.
type FQ struct {
	Limit, FlowLimit rtm.Opt[uint32]
	// Buckets is the size of the flow table, a power of two (tc sends
	// its log).
	Buckets                   uint32
	Quantum, InitialQuantum   rtm.Opt[uint32]
	Pacing                    rtm.Opt[bool]
	MaxRate, LowRateThreshold rtm.Opt[uint32]
	// DefaultRate is obsolete; tc still sends it.
	DefaultRate rtm.Opt[uint32]
	RefillDelay rtm.Opt[Time]
	OrphanMask  rtm.Opt[uint32]
	CEThreshold rtm.Opt[Time]
	// TimerSlack is in nanoseconds.
	TimerSlack  rtm.Opt[uint32]
	Horizon     rtm.Opt[Time]
	HorizonDrop rtm.Opt[bool]
}

// Kind returns "fq".
func (*FQ) Kind() string { return "fq" }

// fields are the 32-bit options' attributes, in tc's order.
func (o *FQ) fields() []u32Field {
	return []u32Field{
		{TcaFqPlimit, &o.Limit}, {TcaFqFlowPlimit, &o.FlowLimit}, {TcaFqQuantum, &o.Quantum},
		{TcaFqInitialQuantum, &o.InitialQuantum}, {TcaFqRateEnable, &o.Pacing},
		{TcaFqFlowMaxRate, &o.MaxRate}, {TcaFqLowRateThreshold, &o.LowRateThreshold},
		{TcaFqFlowDefaultRate, &o.DefaultRate}, {TcaFqFlowRefillDelay, &o.RefillDelay},
		{TcaFqOrphanMask, &o.OrphanMask}, {TcaFqCeThreshold, &o.CEThreshold},
		{TcaFqTimerSlack, &o.TimerSlack}, {TcaFqHorizon, &o.Horizon},
	}
}

// AppendOptions appends the options set, in tc's order.
func (o *FQ) AppendOptions(r *rtnl.Req) error {
	if o.Buckets != 0 && o.Buckets&(o.Buckets-1) != 0 {
		return fmt.Errorf("buckets %d: not a power of two", o.Buckets)
	}
	b := r.B
	n := beginOptions(r)
	if o.Buckets != 0 {
		b.Uint32(TcaFqBucketsLog, uint32(bits.TrailingZeros32(o.Buckets)))
	}
	appendU32Fields(r, o.fields())
	if v, ok := o.HorizonDrop.Get(); ok {
		b.Uint8(TcaFqHorizonDrop, b2u8(v))
	}
	endNest(b, n)
	return nil
}

// DecodeOptions reads the options the kernel reports or tc sends.
func (o *FQ) DecodeOptions(data []byte) error {
	*o = FQ{}
	return decodeU32Fields(data, o.fields(), func(a nla.Attr) bool {
		switch a.Kind() {
		case TcaFqHorizonDrop:
			o.HorizonDrop = rtm.Some(attrU8(a) != 0)
		case TcaFqBucketsLog:
			if v, err := a.Uint32(); err == nil && v < 32 {
				o.Buckets = 1 << v
			}
		default:
			return false
		}
		return true
	})
}

func (*FQ) qdiscOptions() {}
