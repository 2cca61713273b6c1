package tc

import (
	"errors"
	"math"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// HFSC are the options of the hfsc qdisc (struct tc_hfsc_qopt): "tc
// qdisc add ... hfsc default 10".
type HFSC struct {
	// Default is the minor number (hex in tc) of the default class.
	Default uint16
}

// Kind returns "hfsc".
func (*HFSC) Kind() string { return "hfsc" }

// AppendOptions appends struct tc_hfsc_qopt.
func (o *HFSC) AppendOptions(r *rtnl.Req) error {
	r.B.Binary(attrOptions, native.AppendUint16(nil, o.Default))
	return nil
}

// DecodeOptions reads struct tc_hfsc_qopt.
func (o *HFSC) DecodeOptions(d []byte) error {
	*o = HFSC{}
	if ok, err := fixedOptions(d, 2); !ok {
		return err
	}
	o.Default = native.Uint16(d)
	return nil
}

func (*HFSC) qdiscOptions() {}

// ServiceCurve is an hfsc service curve (struct tc_service_curve): slope
// M1 for D, then M2 (tc's "m1 RATE d TIME m2 RATE").
type ServiceCurve struct {
	M1 uint32 // bytes per second
	D  Time
	M2 uint32 // bytes per second
}

// ServiceCurveOf is tc's "umax BYTES dmax TIME rate RATE" form: the curve
// that sends umax bytes within dmax at most, and rate after.
func ServiceCurveOf(umax uint32, dmax Time, rate uint32) (ServiceCurve, error) {
	if umax != 0 && dmax == 0 {
		return ServiceCurve{}, errors.New("umax without dmax")
	}
	if rate == 0 {
		return ServiceCurve{}, errors.New("rate 0")
	}
	if dmax != 0 && math.Ceil(float64(umax)*TimeUnitsPerSec/float64(dmax)) > float64(rate) {
		// Concave: the first segment's slope is umax/dmax, up to dmax.
		return ServiceCurve{M1: uint32(math.Ceil(float64(umax) * TimeUnitsPerSec / float64(dmax))), D: dmax, M2: rate}, nil
	}
	// Convex: a first segment of slope 0, up to dmax - umax/rate.
	d := int64(dmax) - int64(uint64(umax)*TimeUnitsPerSec/uint64(rate))
	return ServiceCurve{D: Time(uint32(math.Ceil(float64(d)))), M2: rate}, nil
}

func (c *ServiceCurve) append(b []byte) []byte {
	return native.AppendUint32(native.AppendUint32(native.AppendUint32(b, c.M1), uint32(c.D)), c.M2)
}

// HFSCClass are the options of an hfsc class: its real-time (RT),
// link-sharing (LS) and upper-limit (UL) curves, each optional: "tc class
// add ... hfsc sc rate 1mbit ul rate 2mbit" (sc sets RT and LS).
type HFSCClass struct {
	RT, LS, UL *ServiceCurve
}

// Kind returns "hfsc".
func (*HFSCClass) Kind() string { return "hfsc" }

// AppendOptions validates the curves and appends them.
func (o *HFSCClass) AppendOptions(r *rtnl.Req) error {
	if o.RT == nil && o.LS == nil && o.UL == nil {
		return errors.New("no service curve: give RT, LS or UL")
	}
	if o.UL != nil && o.LS == nil {
		return errors.New("an upper limit needs a link-sharing curve")
	}
	for _, c := range []*ServiceCurve{o.RT, o.LS, o.UL} {
		if c != nil && c.M1 == 0 && c.M2 == 0 {
			return errors.New("a service curve with both slopes 0")
		}
	}
	b := r.B
	n := beginOptions(r)
	for _, c := range []struct {
		typ uint16
		sc  *ServiceCurve
	}{{TcaHfscRsc, o.RT}, {TcaHfscFsc, o.LS}, {TcaHfscUsc, o.UL}} {
		if c.sc != nil {
			b.Binary(c.typ, c.sc.append(make([]byte, 0, 12)))
		}
	}
	endNest(b, n)
	return nil
}

// DecodeOptions reads the curves the kernel reports or tc sends.
func (o *HFSCClass) DecodeOptions(data []byte) error {
	*o = HFSCClass{}
	c := chainOf(data)
	for a := range c.All() {
		if len(a.Data) < 12 {
			continue
		}
		sc := &ServiceCurve{native.Uint32(a.Data), Time(native.Uint32(a.Data[4:])), native.Uint32(a.Data[8:])}
		switch a.Kind() {
		case TcaHfscRsc:
			o.RT = sc
		case TcaHfscFsc:
			o.LS = sc
		case TcaHfscUsc:
			o.UL = sc
		}
	}
	return c.Err()
}

func (*HFSCClass) classOptions() {}
