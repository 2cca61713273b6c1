package tc

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// MultiQ are the options of the multiq qdisc (struct tc_multiq_qopt),
// which has a band for each of the device's queues: tc sends the
// structure zeroed, and the kernel reports the bands it made.
type MultiQ struct {
	// Bands and MaxBands are read back only.
	Bands, MaxBands uint16
}

// Kind returns "multiq".
func (*MultiQ) Kind() string { return "multiq" }

// AppendOptions appends the zeroed structure, as tc does.
func (*MultiQ) AppendOptions(r *rtnl.Req) error {
	r.B.Binary(attrOptions, make([]byte, 4))
	return nil
}

// DecodeOptions reads struct tc_multiq_qopt.
func (o *MultiQ) DecodeOptions(d []byte) error {
	*o = MultiQ{}
	if ok, err := fixedOptions(d, 4); !ok {
		return err
	}
	o.Bands, o.MaxBands = native.Uint16(d), native.Uint16(d[2:])
	return nil
}

func (*MultiQ) qdiscOptions() {}

// PlugAction is what a plug qdisc is told (TCQ_PLUG_*).
type PlugAction int32

// The plug actions: tc's "block", "release", "release_indefinite" and
// "limit".
const (
	PlugBuffer            PlugAction = 0
	PlugReleaseOne        PlugAction = 1
	PlugReleaseIndefinite PlugAction = 2
	PlugLimit             PlugAction = 3
)

// Plug are the options of the plug qdisc (struct tc_plug_qopt): "tc
// qdisc add ... plug limit 10000", "tc qdisc change ... plug release".
type Plug struct {
	Action PlugAction
	// Limit is the bytes buffered, with PlugLimit.
	Limit uint32
}

// Kind returns "plug".
func (*Plug) Kind() string { return "plug" }

// AppendOptions appends struct tc_plug_qopt.
func (o *Plug) AppendOptions(r *rtnl.Req) error {
	if o.Action < PlugBuffer || o.Action > PlugLimit {
		return fmt.Errorf("action %d: want one of TCQ_PLUG_*", o.Action)
	}
	b := native.AppendUint32(make([]byte, 0, 8), uint32(o.Action))
	r.B.Binary(attrOptions, native.AppendUint32(b, o.Limit))
	return nil
}

// DecodeOptions reads struct tc_plug_qopt (the kernel reports none).
func (o *Plug) DecodeOptions(d []byte) error {
	*o = Plug{}
	if ok, err := fixedOptions(d, 8); !ok {
		return err
	}
	o.Action, o.Limit = PlugAction(native.Uint32(d)), native.Uint32(d[4:])
	return nil
}

func (*Plug) qdiscOptions() {}
