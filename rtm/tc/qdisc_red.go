package tc

import (
	"errors"
	"fmt"
	"math"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// The flags of red (TC_RED_*).
const (
	REDECN        = 1
	REDHardDrop   = 2
	REDAdaptive   = 4
	REDNoDrop     = 8
	redSupported  = REDECN | REDHardDrop | REDAdaptive | REDNoDrop
	sizeofREDQopt = 16
)

// RED are the options of the red qdisc (Name "red") and of choke (Name
// "choke", whose thresholds are in packets): "tc qdisc add ... red limit
// 400000 min 30000 max 90000 avpkt 1000 burst 55 bandwidth 10mbit
// probability 0.02 ecn". tc derives the kernel's parameters (Wlog, Plog,
// Scell_log, the idle damping table, max_P) from them, as AppendOptions
// does; the kernel reports the derived ones, which DecodeOptions sets
// (the inputs it cannot recover stay zero).
type RED struct {
	// Name is "red" (the default when empty) or "choke".
	Name string
	// Limit is the queue's limit, Min and Max the thresholds of the
	// average queue (bytes for red, packets for choke; 0: tc's
	// defaults from Limit).
	Limit, Min, Max uint32
	// Burst is the packets of a burst (0: tc's default); Avpkt the
	// average packet size (required for red; 0 is 1000 for choke).
	Burst, Avpkt uint32
	// Probability is the marking probability at Max (0: 0.02).
	Probability float64
	// Bandwidth computes the idle damping (0: 10Mbit).
	Bandwidth Rate
	// Flags are RED* flags (choke knows REDECN only).
	Flags uint32
	// The parameters the kernel keeps, read back.
	Wlog, Plog, ScellLog uint8
	MaxP                 uint32
}

// Kind returns "red" or o.Name.
func (o *RED) Kind() string {
	if o.Name == "" {
		return "red"
	}
	return o.Name
}

// redParams is what tc derives from a RED specification.
type redParams struct {
	qmin, qmax        uint32
	wlog, plog, scell uint8
	stab              [256]byte
	maxP              uint32
}

func (o *RED) params() (redParams, error) {
	var p redParams
	choke := o.Kind() == "choke"
	avpkt := o.Avpkt
	if choke && avpkt == 0 {
		avpkt = 1000
	}
	if o.Limit == 0 || avpkt == 0 {
		return p, errors.New("limit and avpkt are required")
	}
	if o.Flags&^redSupported != 0 || choke && o.Flags&^REDECN != 0 {
		return p, fmt.Errorf("flags %#x not supported", o.Flags)
	}
	prob := o.Probability
	if prob == 0 {
		prob = 0.02
	}
	rate := o.Bandwidth
	if rate == 0 {
		rate = 1250000 // tc's 10Mbit
	}
	p.qmin, p.qmax = o.Min, o.Max
	burst := o.Burst
	if choke {
		if p.qmax == 0 {
			p.qmax = o.Limit / 4
		}
		if p.qmin == 0 {
			p.qmin = p.qmax / 3
		}
		if burst == 0 {
			burst = (2*p.qmin + p.qmax) / 3
		}
	} else {
		if p.qmax == 0 {
			if p.qmin != 0 {
				p.qmax = p.qmin * 3
			} else {
				p.qmax = o.Limit / 4
			}
		}
		if p.qmin == 0 {
			p.qmin = p.qmax / 3
		}
		if burst == 0 {
			burst = (2*p.qmin + p.qmax) / (3 * avpkt)
		}
	}
	if p.qmax > o.Limit {
		return p, fmt.Errorf("max %d is above the limit %d", p.qmax, o.Limit)
	}
	if p.qmin >= p.qmax {
		return p, fmt.Errorf("min %d is not below max %d", p.qmin, p.qmax)
	}
	scale := uint32(1)
	if choke {
		scale = avpkt
	}
	wlog, err := redEWMA(p.qmin*scale, burst, avpkt)
	if err != nil {
		return p, err
	}
	plog, err := redP(p.qmin*scale, p.qmax*scale, prob)
	if err != nil {
		return p, err
	}
	scell, err := redIdleDamping(wlog, avpkt, rate, &p.stab)
	if err != nil {
		return p, err
	}
	p.wlog, p.plog, p.scell = uint8(wlog), uint8(plog), uint8(scell)
	p.maxP = cUint32(prob * math.Pow(2, 32))
	return p, nil
}

// redEWMA is tc_red_eval_ewma.
func redEWMA(qmin, burst, avpkt uint32) (int, error) {
	a := float64(burst) + 1 - float64(qmin)/float64(avpkt)
	if a < 1 {
		return 0, fmt.Errorf("burst %d is too small: try burst %d", burst, 1+qmin/avpkt)
	}
	w := 0.5
	for wlog := 1; wlog < 32; wlog++ {
		if a <= (1-math.Pow(1-w, float64(burst)))/w {
			return wlog, nil
		}
		w /= 2
	}
	return 0, errors.New("burst too large for the ewma")
}

// redP is tc_red_eval_P.
func redP(qmin, qmax uint32, prob float64) (int, error) {
	d := int32(qmax - qmin)
	if d == 0 {
		return 0, nil
	}
	if d < 0 {
		return 0, errors.New("max below min")
	}
	prob /= float64(d)
	for i := 0; i < 32; i++ {
		if prob > 1.0 {
			return i, nil
		}
		prob *= 2
	}
	return 0, errors.New("probability too small")
}

// redIdleDamping is tc_red_eval_idle_damping: the table of the average
// queue's decay while idle, and its cell log.
func redIdleDamping(wlog int, avpkt uint32, rate Rate, stab *[256]byte) (int, error) {
	xmit := float64(XmitTime(rate, avpkt))
	lW := -math.Log(1.0-1.0/float64(uint32(1)<<wlog)) / xmit
	maxtime := 31 / lW
	clog := 0
	for ; clog < 32; clog++ {
		if maxtime/float64(uint32(1)<<clog) < 512 {
			break
		}
	}
	if clog >= 32 {
		return 0, errors.New("idle damping out of range")
	}
	stab[0] = 0
	for i := 1; i < 255; i++ {
		v := uint8(int64(float64(i<<clog) * lW))
		if v > 31 {
			v = 31
		}
		stab[i] = v
	}
	stab[255] = 31
	return clog, nil
}

// AppendOptions derives the kernel's parameters as tc does and appends
// them.
func (o *RED) AppendOptions(r *rtnl.Req) error {
	p, err := o.params()
	if err != nil {
		return err
	}
	choke := o.Kind() == "choke"
	q := native.AppendUint32(make([]byte, 0, sizeofREDQopt), o.Limit)
	q = native.AppendUint32(q, p.qmin)
	q = native.AppendUint32(q, p.qmax)
	var qflags uint8
	if choke {
		qflags = uint8(o.Flags)
	}
	q = append(q, p.wlog, p.plog, p.scell, qflags)
	b := r.B
	n := beginOptions(r)
	b.Binary(TcaRedParms, q) // TCA_CHOKE_PARMS, TCA_CHOKE_STAB, TCA_CHOKE_MAX_P have the same numbers
	b.Binary(TcaRedStab, p.stab[:])
	b.Uint32(TcaRedMaxP, p.maxP)
	if !choke {
		b.Binary(TcaRedFlags, u32s(o.Flags, redSupported))
	}
	endNest(b, n)
	return nil
}

// DecodeOptions reads the parameters the kernel reports or tc sends.
func (o *RED) DecodeOptions(data []byte) error {
	name := o.Name
	if name == "red" {
		name = ""
	}
	*o = RED{Name: name}
	c := chainOf(data)
	for a := range c.All() {
		switch d := a.Data; a.Kind() {
		case TcaRedParms:
			if len(d) < sizeofREDQopt {
				return fmt.Errorf("parameters of %d bytes", len(d))
			}
			o.Limit, o.Min, o.Max = native.Uint32(d), native.Uint32(d[4:]), native.Uint32(d[8:])
			o.Wlog, o.Plog, o.ScellLog = d[12], d[13], d[14]
			o.Flags |= uint32(d[15])
		case TcaRedMaxP:
			o.MaxP = attrU32(a)
		case TcaRedFlags:
			if len(d) >= 4 {
				o.Flags |= native.Uint32(d)
			}
		}
	}
	return c.Err()
}

func (*RED) qdiscOptions() {}
