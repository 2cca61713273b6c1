package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
)

// The attributes of htb's options (TCA_HTB_*).
const (
	htbParms      = 1
	htbInit       = 2
	htbCtab       = 3
	htbRtab       = 4
	htbDirectQlen = 5
	htbRate64     = 6
	htbCeil64     = 7
	htbOffload    = 9
)

// tc's defaults for htb.
const (
	htbVersion         = 3
	htbDefaultR2Q      = 10
	htbDefaultMTU      = 1600
	sizeofHTBGlob      = 20
	sizeofHTBOpt       = 2*SizeofRateSpec + 20
	pschedHz           = 1000000000 // tc's get_hz(): /proc/net/psched's clock resolution
	maxRate32     Rate = 1<<32 - 1
)

// HTB are the options of the htb qdisc (struct tc_htb_glob): "tc qdisc
// add ... htb default 10 r2q 10".
type HTB struct {
	// Default is the minor number of the class that unclassified
	// traffic goes to (tc's "default", hex); 0 sends it unshaped.
	Default uint32
	// R2Q divides a class's rate into its quantum; 0 is tc's 10.
	R2Q uint32
	// Debug is tc's "debug" bits.
	Debug uint32
	// DirectQlen limits the queue of the unshaped traffic; unset leaves
	// the device's txqueuelen.
	DirectQlen rtm.Opt[uint32]
	// Offload asks for hardware offload (tc's "offload").
	Offload bool
	// Version is the protocol version the kernel reports (major<<16 |
	// minor: 0x30011, tc's "3.17"); DirectPkts
	// is its count of packets sent unshaped. Both are read back only.
	Version, DirectPkts uint32
}

// Kind returns "htb".
func (*HTB) Kind() string { return "htb" }

// AppendOptions appends TCA_HTB_INIT and the optional attributes.
func (o *HTB) AppendOptions(r *rtnl.Req) error {
	r2q := o.R2Q
	if r2q == 0 {
		r2q = htbDefaultR2Q
	}
	b := r.B
	n := beginOptions(r)
	glob := make([]byte, 0, sizeofHTBGlob)
	glob = native.AppendUint32(glob, htbVersion)
	glob = native.AppendUint32(glob, r2q)
	glob = native.AppendUint32(glob, o.Default)
	glob = native.AppendUint32(glob, o.Debug)
	glob = native.AppendUint32(glob, 0)
	b.Binary(htbInit, glob)
	if v, ok := o.DirectQlen.Get(); ok {
		b.Uint32(htbDirectQlen, v)
	}
	if o.Offload {
		b.Flag(htbOffload)
	}
	endNest(b, n)
	return nil
}

// DecodeOptions reads the options the kernel reports (or tc sends).
func (o *HTB) DecodeOptions(data []byte) error {
	*o = HTB{}
	for a := range chainOf(data).All() {
		switch a.Kind() {
		case htbInit:
			if len(a.Data) < sizeofHTBGlob {
				return fmt.Errorf("TCA_HTB_INIT of %d bytes", len(a.Data))
			}
			d := a.Data
			o.Version, o.R2Q, o.Default, o.Debug, o.DirectPkts = native.Uint32(d), native.Uint32(d[4:]),
				native.Uint32(d[8:]), native.Uint32(d[12:]), native.Uint32(d[16:])
		case htbDirectQlen:
			v, err := a.Uint32()
			if err != nil {
				return err
			}
			o.DirectQlen = rtm.Some(v)
		case htbOffload:
			o.Offload = true
		}
	}
	return chainOf(data).Err()
}

func (*HTB) qdiscOptions() {}

// HTBClass are the options of an htb class (struct tc_htb_opt and the
// rate tables): "tc class add ... htb rate 1mbit ceil 2mbit burst 15k".
type HTBClass struct {
	// Rate is the guaranteed rate. Required.
	Rate Rate
	// Ceil is the rate the class may borrow up to; 0 is Rate.
	Ceil Rate
	// Burst and CBurst are the bytes sent at full speed (tc's "burst"
	// and "cburst"); 0 is tc's default, the rate's bytes per scheduler
	// tick plus the MTU.
	Burst, CBurst uint32
	// MTU sizes the rate tables; 0 is tc's 1600.
	MTU uint32
	// MPU is the minimum packet size accounted, Overhead the bytes added
	// to each packet.
	MPU, Overhead uint16
	// Linklayer is the link layer the rate tables account for; 0 is
	// ethernet.
	Linklayer Linklayer
	// Quantum is the bytes served per round (0: rate / r2q).
	Quantum uint32
	// Prio is the priority of the class for spare bandwidth.
	Prio uint32
	// Level is the class's depth, which the kernel reports: read back
	// only.
	Level uint32
}

// Kind returns "htb".
func (*HTBClass) Kind() string { return "htb" }

// AppendOptions validates the class and appends its parameters and rate
// tables as tc computes them.
func (o *HTBClass) AppendOptions(r *rtnl.Req) error {
	if o.Rate == 0 {
		return errors.New("rate 0: an htb class needs a rate")
	}
	ceil := o.Ceil
	if ceil == 0 {
		ceil = o.Rate
	}
	if ceil < o.Rate {
		return fmt.Errorf("ceil %v is below rate %v", ceil, o.Rate)
	}
	mtu := o.MTU
	if mtu == 0 {
		mtu = htbDefaultMTU
	}
	ll := o.Linklayer
	if ll == LinklayerUnspec {
		ll = LinklayerEthernet
	}
	buffer, cbuffer := o.Burst, o.CBurst
	if buffer == 0 {
		buffer = uint32(uint64(o.Rate)/pschedHz) + mtu
	}
	if cbuffer == 0 {
		cbuffer = uint32(uint64(ceil)/pschedHz) + mtu
	}
	rate := RateSpec{Rate: uint32(min(o.Rate, maxRate32)), MPU: o.MPU, Overhead: o.Overhead}
	ceilSpec := RateSpec{Rate: uint32(min(ceil, maxRate32)), MPU: o.MPU, Overhead: o.Overhead}
	rtab := RateTable(&rate, Rate(rate.Rate), -1, mtu, ll)
	ctab := RateTable(&ceilSpec, Rate(ceilSpec.Rate), -1, mtu, ll)

	b := r.B
	n := beginOptions(r)
	if o.Rate > maxRate32 {
		b.Uint64(htbRate64, uint64(o.Rate))
	}
	if ceil > maxRate32 {
		b.Uint64(htbCeil64, uint64(ceil))
	}
	if p := structAttr(&b.Encoder, htbParms, sizeofHTBOpt); p != nil {
		putRateSpec(p, rate)
		putRateSpec(p[SizeofRateSpec:], ceilSpec)
		d := p[2*SizeofRateSpec:]
		native.PutUint32(d, XmitTime(o.Rate, buffer))
		native.PutUint32(d[4:], XmitTime(ceil, cbuffer))
		native.PutUint32(d[8:], o.Quantum)
		native.PutUint32(d[16:], o.Prio) // after the level, 0
	}
	putRateTable(&b.Encoder, htbRtab, &rtab)
	putRateTable(&b.Encoder, htbCtab, &ctab)
	endNest(b, n)
	return nil
}

// htbRatePair are the attributes of an htb class's rate and ceil.
var htbRatePair = ratePairAttrs{htbParms, htbRate64, htbCeil64, sizeofHTBOpt, "TCA_HTB_PARMS"}

// DecodeOptions reads the class parameters the kernel reports (or tc
// sends): bursts come back from scheduler ticks as tc computes them, MTU
// is not reported and stays zero.
func (o *HTBClass) DecodeOptions(data []byte) error {
	*o = HTBClass{}
	var rp ratePair
	if err := decodeRatePair(&rp, data, &htbRatePair); err != nil {
		return err
	}
	o.Rate, o.Ceil, o.Linklayer = rp.rate, rp.second, rp.linklayer
	o.MPU, o.Overhead = rp.first.MPU, rp.first.Overhead
	d := rp.rest
	o.Burst = XmitSize(o.Rate, native.Uint32(d))
	o.CBurst = XmitSize(o.Ceil, native.Uint32(d[4:]))
	o.Quantum, o.Level, o.Prio = native.Uint32(d[8:]), native.Uint32(d[12:]), native.Uint32(d[16:])
	return nil
}

func (*HTBClass) classOptions() {}
