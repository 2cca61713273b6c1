package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
)

// The attributes of fq_codel's options (TCA_FQ_CODEL_*).
const (
	fqCodelTarget        = 1
	fqCodelLimit         = 2
	fqCodelInterval      = 3
	fqCodelECN           = 4
	fqCodelFlows         = 5
	fqCodelQuantum       = 6
	fqCodelCEThreshold   = 7
	fqCodelDropBatch     = 8
	fqCodelMemoryLimit   = 9
	fqCodelCESelector    = 10
	fqCodelCEMask        = 11
	fqCodelCEThresholdNo = ^uint32(0)
)

// FQCodel are the options of the fq_codel qdisc: "tc qdisc add ...
// fq_codel limit 10240 flows 1024 target 5ms interval 100ms ecn". Zero
// or unset fields are not sent: the kernel keeps its defaults.
type FQCodel struct {
	Limit, Flows, Quantum, DropBatch uint32
	// Target and Interval are CoDel's, in microseconds.
	Target, Interval Time
	// ECN marks instead of dropping (nil: the kernel's default, on).
	ECN rtm.Opt[bool]
	// CEThreshold marks packets delayed longer (nil: none).
	CEThreshold rtm.Opt[Time]
	// CESelector and CEMask restrict the CE threshold to packets whose
	// skb priority masked by CEMask is CESelector (tc's
	// "ce_threshold_selector VALUE/MASK"); nil: all.
	CESelector, CEMask rtm.Opt[uint8]
	// MemoryLimit bounds the memory of the queues (nil: the kernel's 32
	// MiB).
	MemoryLimit rtm.Opt[uint32]
}

// Kind returns "fq_codel".
func (*FQCodel) Kind() string { return "fq_codel" }

// AppendOptions appends the options set, in tc's order.
func (o *FQCodel) AppendOptions(r *rtnl.Req) error {
	b := r.B
	n := beginOptions(r)
	putU32(&b.Encoder, fqCodelLimit, o.Limit)
	putU32(&b.Encoder, fqCodelFlows, o.Flows)
	putU32(&b.Encoder, fqCodelQuantum, o.Quantum)
	putU32(&b.Encoder, fqCodelInterval, uint32(o.Interval))
	putU32(&b.Encoder, fqCodelTarget, uint32(o.Target))
	if v, ok := o.ECN.Get(); ok {
		b.Uint32(fqCodelECN, b2u(v))
	}
	if v, ok := o.CEThreshold.Get(); ok {
		b.Uint32(fqCodelCEThreshold, uint32(v))
	}
	if o.CESelector.IsSet() || o.CEMask.IsSet() {
		b.Uint8(fqCodelCEMask, o.CEMask.Or(0))
		b.Uint8(fqCodelCESelector, o.CESelector.Or(0))
	}
	if v, ok := o.MemoryLimit.Get(); ok {
		b.Uint32(fqCodelMemoryLimit, v)
	}
	putU32(&b.Encoder, fqCodelDropBatch, o.DropBatch)
	endNest(b, n)
	return nil
}

// DecodeOptions reads the options the kernel reports (all of them) or tc
// sends.
func (o *FQCodel) DecodeOptions(data []byte) error {
	*o = FQCodel{}
	for a := range chainOf(data).All() {
		switch a.Kind() {
		case fqCodelLimit:
			o.Limit = attrU32(a)
		case fqCodelFlows:
			o.Flows = attrU32(a)
		case fqCodelQuantum:
			o.Quantum = attrU32(a)
		case fqCodelInterval:
			o.Interval = Time(attrU32(a))
		case fqCodelTarget:
			o.Target = Time(attrU32(a))
		case fqCodelDropBatch:
			o.DropBatch = attrU32(a)
		case fqCodelECN:
			o.ECN = rtm.Some(attrU32(a) != 0)
		case fqCodelCEThreshold:
			o.CEThreshold = rtm.Some(Time(attrU32(a)))
		case fqCodelCESelector:
			o.CESelector = rtm.Some(attrU8(a))
		case fqCodelCEMask:
			o.CEMask = rtm.Some(attrU8(a))
		case fqCodelMemoryLimit:
			o.MemoryLimit = rtm.Some(attrU32(a))
		}
	}
	return chainOf(data).Err()
}

func (*FQCodel) qdiscOptions() {}
