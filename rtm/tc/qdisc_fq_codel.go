package tc

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
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

// fields are the 32-bit options, in tc's order: those before the CE
// selector and mask (8-bit), and those after.
func (o *FQCodel) fields() (before, after []u32Field) {
	return []u32Field{{fqCodelLimit, &o.Limit}, {fqCodelFlows, &o.Flows}, {fqCodelQuantum, &o.Quantum},
			{fqCodelInterval, &o.Interval}, {fqCodelTarget, &o.Target}, {fqCodelECN, &o.ECN},
			{fqCodelCEThreshold, &o.CEThreshold}},
		[]u32Field{{fqCodelMemoryLimit, &o.MemoryLimit}, {fqCodelDropBatch, &o.DropBatch}}
}

// AppendOptions appends the options set, in tc's order.
func (o *FQCodel) AppendOptions(r *rtnl.Req) error {
	b := r.B
	n := beginOptions(r)
	before, after := o.fields()
	appendU32Fields(r, before)
	if o.CESelector.IsSet() || o.CEMask.IsSet() {
		b.Uint8(fqCodelCEMask, o.CEMask.Or(0))
		b.Uint8(fqCodelCESelector, o.CESelector.Or(0))
	}
	appendU32Fields(r, after)
	endNest(b, n)
	return nil
}

// DecodeOptions reads the options the kernel reports (all of them) or tc
// sends.
func (o *FQCodel) DecodeOptions(data []byte) error {
	*o = FQCodel{}
	before, after := o.fields()
	return decodeU32Fields(data, append(before, after...), func(a nla.Attr) bool {
		switch a.Kind() {
		case fqCodelCESelector:
			o.CESelector = rtm.Some(attrU8(a))
		case fqCodelCEMask:
			o.CEMask = rtm.Some(attrU8(a))
		default:
			return false
		}
		return true
	})
}

func (*FQCodel) qdiscOptions() {}
