package tc

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// sizeofSFQQoptV1 is the size of struct tc_sfq_qopt_v1, which tc sends
// and the kernel reports.
const sizeofSFQQoptV1 = 72

// SFQ are the options of the stochastic fairness queueing qdisc (struct
// tc_sfq_qopt_v1): "tc qdisc add ... sfq perturb 10 quantum 1514 limit
// 127". Options all zero send none: the kernel's defaults.
type SFQ struct {
	// Quantum is the bytes a flow sends per round (0: the MTU).
	Quantum uint32
	// Perturb is the period of the hash's perturbation in seconds.
	Perturb int32
	// Limit is the packets the qdisc holds (at least 2 when set).
	Limit uint32
	// Divisor is the hash table's size; Flows the number of flows;
	// Depth the packets per flow.
	Divisor, Flows, Depth uint32
	// HeadDrop drops from the head of a full flow.
	HeadDrop bool
	// The RED parameters (tc's redflowlimit, min, max, ...), as the
	// kernel stores them: read back only; zero sends none.
	RedLimit, RedQthMin, RedQthMax uint32
	RedWlog, RedPlog, RedScellLog  uint8
	RedFlags                       uint8
	RedMaxP                        uint32
}

// Kind returns "sfq".
func (*SFQ) Kind() string { return "sfq" }

// AppendOptions appends struct tc_sfq_qopt_v1, unless every option is
// zero (tc then sends none).
func (o *SFQ) AppendOptions(r *rtnl.Req) error {
	if *o == (SFQ{}) {
		return nil
	}
	if o.Limit == 1 {
		return fmt.Errorf("limit 1: sfq needs at least 2")
	}
	d := make([]byte, 0, sizeofSFQQoptV1)
	d = native.AppendUint32(d, o.Quantum)
	d = native.AppendUint32(d, uint32(o.Perturb))
	d = native.AppendUint32(d, o.Limit)
	d = native.AppendUint32(d, o.Divisor)
	d = native.AppendUint32(d, o.Flows)
	d = native.AppendUint32(d, o.Depth)
	d = native.AppendUint32(d, b2u(o.HeadDrop))
	d = native.AppendUint32(d, o.RedLimit)
	d = native.AppendUint32(d, o.RedQthMin)
	d = native.AppendUint32(d, o.RedQthMax)
	d = append(d, o.RedWlog, o.RedPlog, o.RedScellLog, o.RedFlags)
	d = native.AppendUint32(d, o.RedMaxP)
	d = append(d, make([]byte, sizeofSFQQoptV1-len(d))...) // the statistics
	r.B.Binary(attrOptions, d)
	return nil
}

// DecodeOptions reads struct tc_sfq_qopt_v1 (or the older tc_sfq_qopt).
func (o *SFQ) DecodeOptions(d []byte) error {
	*o = SFQ{}
	if ok, err := fixedOptions(d, 20); !ok { // the older tc_sfq_qopt
		return err
	}
	o.Quantum, o.Perturb, o.Limit = native.Uint32(d), int32(native.Uint32(d[4:])), native.Uint32(d[8:])
	o.Divisor, o.Flows = native.Uint32(d[12:]), native.Uint32(d[16:])
	if len(d) >= 48 {
		o.Depth, o.HeadDrop = native.Uint32(d[20:]), native.Uint32(d[24:]) != 0
		o.RedLimit, o.RedQthMin, o.RedQthMax = native.Uint32(d[28:]), native.Uint32(d[32:]), native.Uint32(d[36:])
		o.RedWlog, o.RedPlog, o.RedScellLog, o.RedFlags = d[40], d[41], d[42], d[43]
		o.RedMaxP = native.Uint32(d[44:])
	}
	return nil
}

func (*SFQ) qdiscOptions() {}
