package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/wire"
)

// The attributes after mqprio's struct tc_mqprio_qopt (TCA_MQPRIO_*).
const (
	mqprioMode      = 1
	mqprioShaper    = 2
	mqprioMinRate64 = 3
	mqprioMaxRate64 = 4
	sizeofMQPrio    = 82
)

// DefaultMQPrioMap is tc's map of priorities to traffic classes.
var DefaultMQPrioMap = [16]uint8{0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 1, 3, 3, 3, 3}

// QueueRange is a traffic class's queues: Count queues from Offset (tc's
// "queues COUNT@OFFSET").
type QueueRange struct{ Count, Offset uint16 }

// MQPrio are the options of the mqprio qdisc (struct tc_mqprio_qopt and
// its attributes): "tc qdisc add ... mqprio num_tc 3 map 0 0 0 0 1 1 1 1
// 2 2 2 2 2 2 2 2 queues 4@0 4@4 8@8 hw 0".
type MQPrio struct {
	// NumTC is the number of traffic classes; 0 is tc's 8.
	NumTC uint8
	// Map maps priorities to traffic classes; the zero array is tc's
	// DefaultMQPrioMap.
	Map [16]uint8
	// NoHW leaves the mapping to software (tc's "hw 0"); tc's default
	// is hardware offload (hw 1).
	NoHW bool
	// Queues are the traffic classes' queues.
	Queues []QueueRange
	// Mode and Shaper are TC_MQPRIO_MODE_* and TC_MQPRIO_SHAPER_* (0:
	// dcb), sent only when not 0 and with hardware offload.
	Mode, Shaper uint16
	// MinRate and MaxRate are the rates of the bw_rlimit shaper, one per
	// traffic class.
	MinRate, MaxRate []Rate
}

// Kind returns "mqprio".
func (*MQPrio) Kind() string { return "mqprio" }

// AppendOptions validates the options and appends them as tc does.
func (o *MQPrio) AppendOptions(r *rtnl.Req) error {
	numTC, pm := o.NumTC, o.Map
	if numTC == 0 {
		numTC = 8
	}
	if pm == ([16]uint8{}) {
		pm = DefaultMQPrioMap
	}
	switch {
	case numTC > 16:
		return fmt.Errorf("num_tc %d: at most 16", numTC)
	case len(o.Queues) > int(numTC):
		return fmt.Errorf("%d queue ranges for %d traffic classes", len(o.Queues), numTC)
	case len(o.MinRate) > 16 || len(o.MaxRate) > 16:
		return errors.New("more than 16 rates")
	case o.NoHW && (o.Mode != 0 || o.Shaper != 0):
		return errors.New("mode and shaper need hardware offload")
	case (len(o.MinRate) > 0 || len(o.MaxRate) > 0) && o.Shaper != 1:
		return errors.New("min_rate and max_rate need the bw_rlimit shaper (Shaper 1)")
	}
	q := make([]byte, 0, sizeofMQPrio)
	q = append(q, numTC)
	q = append(q, pm[:]...)
	q = append(q, b2u8(!o.NoHW))
	var count, offset [16]uint16
	for i, qr := range o.Queues {
		count[i], offset[i] = qr.Count, qr.Offset
	}
	for _, v := range count {
		q = native.AppendUint16(q, v)
	}
	for _, v := range offset {
		q = native.AppendUint16(q, v)
	}
	b := r.B
	start := b.Len()
	b.Binary(attrOptions, q)
	if o.Mode != 0 {
		b.Uint16(mqprioMode, o.Mode)
	}
	if o.Shaper != 0 {
		b.Uint16(mqprioShaper, o.Shaper)
	}
	for _, rates := range []struct {
		typ uint16
		v   []Rate
	}{{mqprioMinRate64, o.MinRate}, {mqprioMaxRate64, o.MaxRate}} {
		if len(rates.v) == 0 {
			continue
		}
		n := b.BeginNest(rates.typ)
		var all [16]Rate
		copy(all[:], rates.v)
		for _, v := range all {
			b.Uint64(rates.typ, uint64(v))
		}
		b.EndNest(n)
	}
	endNest(b, nestMark(start))
	return nil
}

// DecodeOptions reads the options the kernel reports or tc sends.
func (o *MQPrio) DecodeOptions(d []byte) error {
	*o = MQPrio{}
	if len(d) < sizeofMQPrio {
		return fmt.Errorf("%d bytes, want %d", len(d), sizeofMQPrio)
	}
	o.NumTC = d[0]
	copy(o.Map[:], d[1:17])
	o.NoHW = d[17] == 0
	// Queues holds one range per traffic class, by class; trailing empty
	// ranges are left out.
	for i := 0; i < 16 && i < int(o.NumTC); i++ {
		o.Queues = append(o.Queues, QueueRange{native.Uint16(d[18+2*i:]), native.Uint16(d[50+2*i:])})
	}
	for len(o.Queues) > 0 && o.Queues[len(o.Queues)-1] == (QueueRange{}) {
		o.Queues = o.Queues[:len(o.Queues)-1]
	}
	if len(o.Queues) == 0 {
		o.Queues = nil
	}
	attrs := chainOf(d[min(len(d), wire.Align(sizeofMQPrio)):])
	for a := range attrs.All() {
		switch a.Kind() {
		case mqprioMode:
			o.Mode, _ = a.Uint16()
		case mqprioShaper:
			o.Shaper, _ = a.Uint16()
		case mqprioMinRate64, mqprioMaxRate64:
			var v []Rate
			for x := range a.Nested().AllOf(a.Kind()) {
				v = append(v, Rate(attrU64(x)))
			}
			for len(v) > 0 && v[len(v)-1] == 0 {
				v = v[:len(v)-1]
			}
			if a.Kind() == mqprioMinRate64 {
				o.MinRate = v
			} else {
				o.MaxRate = v
			}
		}
	}
	return attrs.Err()
}

func (*MQPrio) qdiscOptions() {}

func b2u8(v bool) uint8 { return uint8(b2u(v)) }
