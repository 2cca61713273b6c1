package main

// The htb qdisc and its classes (tc's q_htb.c).

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseHTB is tc's htb_parse_opt.
func parseHTB(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.HTB{}
	return o, readKindOpts(a, "What is %q?\nUsage: ... qdisc add ... htb [default N] [r2q N] [direct_qlen P] [offload]",
		abbr("r2q", setTo(&o.R2Q, decimalU32Arg)),
		abbr("default", setTo(&o.Default, func(a *args, w string) (uint32, error) { return htbU32(a, w, 16) })),
		abbr("debug", func(a *args, w string) error {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			for i := 0; i < 16 && i < len(v) && v[i] >= '0' && v[i] <= '3'; i++ {
				o.Debug |= uint32(v[i]-'0') << (2 * i)
			}
			return nil
		}),
		abbr("direct_qlen", setSome(&o.DirectQlen, decimalU32Arg)), abbr("offload", setTrue(&o.Offload)))
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

// parseHTBClass is tc's htb_parse_class_opt.
func parseHTBClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.HTBClass{}
	burst, cburst := setTo(&o.Burst, sizeArg), setTo(&o.CBurst, sizeArg)
	err := readKindOpts(a, "What is %q?",
		abbr("prio", setTo(&o.Prio, decimalU32Arg)), abbr("mtu", setTo(&o.MTU, decimalU32Arg)),
		abbr("mpu", setU16(&o.MPU)), abbr("overhead", setU16(&o.Overhead)),
		abbr("linklayer", setTo(&o.Linklayer, linklayerArg)), abbr("quantum", setTo(&o.Quantum, decimalU32Arg)),
		abbr("burst", burst), opt("buffer", burst), opt("maxburst", burst),
		abbr("cburst", cburst), opt("cbuffer", cburst), opt("cmaxburst", cburst),
		opt("ceil", setTo(&o.Ceil, rateArg)), opt("rate", setTo(&o.Rate, rateArg)))
	if err == nil && o.Rate == 0 {
		return nil, tcKindError("\"rate\" is required.")
	}
	return o, err
}

// sizeArg reads a size argument ("32k").
func sizeArg(a *args, w string) (uint32, error) {
	s, err := legalArg(a, w, tc.ParseSize)
	return uint32(s), err
}

// rateArg reads a rate argument ("1mbit").
func rateArg(a *args, w string) (tc.Rate, error) { return legalArg(a, w, tc.ParseRate) }

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
