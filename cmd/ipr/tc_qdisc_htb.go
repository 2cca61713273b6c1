package main

// The htb qdisc and its classes (tc's q_htb.c).

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"

	"github.com/ipr-go/ipr/rtm/tc"
)

func parseHTB(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.HTB{}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "r2q"):
			o.R2Q, err = htbU32(a, w, 10)
		case matches(w, "default"):
			o.Default, err = htbU32(a, w, 16)
		case matches(w, "debug"):
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			for i := 0; i < 16 && i < len(v) && v[i] >= '0' && v[i] <= '3'; i++ {
				o.Debug |= uint32(v[i]-'0') << (2 * i)
			}
		case matches(w, "direct_qlen"):
			v, verr := htbU32(a, w, 10)
			o.DirectQlen, err = rtm.Some(v), verr
		case matches(w, "offload"):
			o.Offload = true
		default:
			return nil, tcKindError("What is %q?\nUsage: ... qdisc add ... htb [default N] [r2q N] [direct_qlen P] [offload]", w)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

func htbU32(a *args, w string, base int) (uint32, error) {
	v, err := a.value(w)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(v, base, 32)
	if err != nil {
		return 0, tcKindError("Illegal %q", w)
	}
	return uint32(n), nil
}

func printHTB(p *printer, e *env, q tc.Qdisc) {
	h, ok := optionsAs[*tc.HTB](tc.QdiscOptionsOf(q))
	if !ok {
		return
	}
	p.int("r2q", "r2q %d", int64(int32(h.R2Q)))
	p.hex("default", " default %s", uint64(h.Default))
	p.uint("direct_packets_stat", " direct_packets_stat %d", uint64(h.DirectPkts))
	if e.Details {
		p.str("ver", " ver %s", fmt.Sprintf("%d.%d", h.Version>>16, h.Version&0xFFFF))
	}
	if v, ok := h.DirectQlen.Get(); ok {
		p.uint("direct_qlen", " direct_qlen %d", uint64(v))
	}
	if h.Offload {
		p.jsonNull("offload")
		p.textString(" offload")
	}
}

func parseHTBClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.HTBClass{}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "prio"):
			o.Prio, err = htbU32(a, w, 10)
		case matches(w, "mtu"):
			o.MTU, err = htbU32(a, w, 10)
		case matches(w, "mpu"):
			var v uint32
			v, err = htbU32(a, w, 10)
			o.MPU = uint16(v)
		case matches(w, "overhead"):
			var v uint32
			v, err = htbU32(a, w, 10)
			o.Overhead = uint16(v)
		case matches(w, "linklayer"):
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			o.Linklayer, err = tc.ParseLinklayer(v)
		case matches(w, "quantum"):
			o.Quantum, err = htbU32(a, w, 10)
		case matches(w, "burst"), w == "buffer", w == "maxburst":
			o.Burst, err = sizeArg(a, w)
		case matches(w, "cburst"), w == "cbuffer", w == "cmaxburst":
			o.CBurst, err = sizeArg(a, w)
		case w == "ceil":
			o.Ceil, err = rateArg(a, w)
		case w == "rate":
			o.Rate, err = rateArg(a, w)
		default:
			return nil, tcKindError("What is %q?", w)
		}
		if err != nil {
			return nil, err
		}
	}
	if o.Rate == 0 {
		return nil, tcKindError("\"rate\" is required.")
	}
	return o, nil
}

// sizeArg reads a size argument ("32k").
func sizeArg(a *args, w string) (uint32, error) {
	v, err := a.value(w)
	if err != nil {
		return 0, err
	}
	s, err := tc.ParseSize(v)
	if err != nil {
		return 0, tcKindError("Illegal %q", w)
	}
	return uint32(s), nil
}

// rateArg reads a rate argument ("1mbit").
func rateArg(a *args, w string) (tc.Rate, error) {
	v, err := a.value(w)
	if err != nil {
		return 0, err
	}
	r, err := tc.ParseRate(v)
	if err != nil {
		return 0, tcKindError("Illegal %q", w)
	}
	return r, nil
}

// printHTBClass prints an htb class's options as tc does; tc writes most
// of them with printf even with -j, so the JSON holds only prio and
// quantum (and is valid, where tc's is not).
func printHTBClass(p *printer, e *env, c tc.Class) {
	h, ok := optionsAs[*tc.HTBClass](tc.ClassOptionsOf(c))
	if !ok {
		return
	}
	if h.Level == 0 {
		p.int("prio", "prio %d ", int64(int32(h.Prio)))
		if e.Details {
			p.int("quantum", "quantum %d ", int64(int32(h.Quantum)))
		}
	}
	p.text("rate %s ", h.Rate)
	if h.Overhead != 0 {
		p.text("overhead %d ", h.Overhead)
	}
	p.text("ceil %s ", h.Ceil)
	ll := h.Linklayer
	if ll == 0 {
		ll = tc.LinklayerEthernet
	}
	if ll > tc.LinklayerEthernet || e.Details {
		p.text("linklayer %s ", ll)
	}
	if e.Details {
		rcl, ccl := rateCellLogs(c.Options(), 1, 0, tc.SizeofRateSpec)
		p.text("burst %s/%d ", tc.Size(h.Burst), 1<<rcl)
		p.text("mpu %s ", tc.Size(h.MPU))
		p.text("cburst %s/%d ", tc.Size(h.CBurst), 1<<ccl)
		p.text("mpu %s ", tc.Size(h.MPU))
		p.text("level %d ", h.Level)
	} else {
		p.text("burst %s ", tc.Size(h.Burst))
		p.text("cburst %s ", tc.Size(h.CBurst))
	}
}

// rateCellLogs reads the cell logs of the two rate specifications at
// offsets off1 and off2 of attribute typ of options, as tc prints them
// ("burst 15Kb/1"): the kernel reports them as it stores them.
func rateCellLogs(options []byte, typ uint16, off1, off2 int) (uint8, uint8) {
	a, ok := nla.Chain(options).Get(typ)
	if !ok || len(a.Data) <= off2 {
		return 0, 0
	}
	return a.Data[off1] & 31, a.Data[off2] & 31
}
