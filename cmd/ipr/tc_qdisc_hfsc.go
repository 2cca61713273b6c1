package main

// The hfsc qdisc and its classes (tc's q_hfsc.c).

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseHFSC is tc's hfsc_parse_opt.
func parseHFSC(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.HFSC{}
	return o, readKindOpts(a, "HFSC: What is %q?", abbr("default", func(a *args, w string) error {
		n, err := checkedArg(a, w, func(v string) (uint64, error) { return strconv.ParseUint(v, 16, 16) },
			func(string) error { return tcKindError("HFSC: invalid default class ID") })
		o.Default = uint16(n)
		return err
	}))
}

func parseHFSCClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.HFSCClass{}
	for a.more() {
		w := a.advance()
		sc, err := parseServiceCurve(a)
		if err != nil {
			return nil, err
		}
		switch {
		case matches(w, "rt"):
			o.RT = sc
		case matches(w, "ls"):
			o.LS = sc
		case matches(w, "sc"):
			rt := *sc
			o.RT, o.LS = &rt, sc
		case matches(w, "ul"):
			o.UL = sc
		default:
			return nil, tcKindError("HFSC: What is %q?", w)
		}
	}
	return o, nil
}

// parseServiceCurve reads "[m1 RATE] [d TIME] m2 RATE" or "[umax BYTES]
// [dmax TIME] rate RATE".
func parseServiceCurve(a *args) (*tc.ServiceCurve, error) {
	if !a.more() {
		return nil, errIncomplete
	}
	var sc tc.ServiceCurve
	rate := func(w string) (uint32, error) {
		r, err := rateArg(a, w)
		if err == nil && r > 0xFFFFFFFF {
			return 0, tcKindError("HFSC: Illegal %q", w)
		}
		return uint32(r), err
	}
	switch w := a.peek(); {
	case matches(w, "m1"), matches(w, "d"), matches(w, "m2"):
		var err error
		for a.more() && err == nil {
			switch w := a.peek(); {
			case matches(w, "m1"):
				sc.M1, err = rate(a.advance())
			case matches(w, "d"):
				sc.D, err = timeArg(a, a.advance())
			case matches(w, "m2"):
				sc.M2, err = rate(a.advance())
				return &sc, err
			default:
				return nil, tcKindError("HFSC: Illegal \"m2\"")
			}
		}
		return nil, tcKindError("HFSC: Illegal \"m2\"")
	}
	var umax, r uint32
	var dmax tc.Time
	var err error
	for a.more() && err == nil {
		switch w := a.peek(); {
		case matches(w, "umax"):
			umax, err = sizeArg(a, a.advance())
		case matches(w, "dmax"):
			dmax, err = timeArg(a, a.advance())
		case matches(w, "rate"):
			if r, err = rate(a.advance()); err != nil {
				return nil, err
			}
			c, err := tc.ServiceCurveOf(umax, dmax, r)
			if err != nil {
				return nil, tcKindError("HFSC: %v", err)
			}
			return &c, nil
		default:
			return nil, tcKindError("HFSC: Illegal \"rate\"")
		}
	}
	if err != nil {
		return nil, err
	}
	return nil, tcKindError("HFSC: Illegal \"rate\"")
}

// printHFSC is tc's hfsc_print_opt.
func printHFSC(p *printer, _ *env, q tc.Qdisc) {
	if b := q.Options(); len(b) >= 2 {
		if def := binary.NativeEndian.Uint16(b); def != 0 {
			p.raw(fmt.Sprintf("default %x ", def))
		}
	}
}

// printHFSCClass is tc's hfsc_print_class_opt (fprintf: text even in
// JSON).
func printHFSCClass(p *printer, _ *env, c tc.Class) {
	opts := nla.Chain(c.Options())
	curve := func(typ uint16) []byte {
		a, ok := opts.Get(typ)
		if !ok || len(a.Data) < 12 {
			return nil
		}
		return a.Data[:12]
	}
	sc := func(name string, b []byte) {
		x := xstatsView(b)
		p.raw(name + " ")
		p.raw("m1 " + tc.Rate(x.u32(0)).String() + " ")
		p.raw("d " + tc.Time(x.u32(4)).String() + " ") // tc_core_ktime2time: clock_factor 1
		p.raw("m2 " + tc.Rate(x.u32(8)).String() + " ")
	}
	rsc, fsc, usc := curve(1), curve(2), curve(3)
	if rsc != nil && fsc != nil && bytes.Equal(rsc, fsc) {
		sc("sc", rsc)
	} else {
		if rsc != nil {
			sc("rt", rsc)
		}
		if fsc != nil {
			sc("ls", fsc)
		}
	}
	if usc != nil {
		sc("ul", usc)
	}
}

// printHFSCXStats is tc's hfsc_print_xstats.
func printHFSCXStats(p *printer, b []byte) {
	if len(b) < 24 {
		return
	}
	x := xstatsView(b)
	p.raw(fmt.Sprintf(" period %d ", x.u32(16)))
	if w := x.u64(0); w != 0 {
		p.raw(fmt.Sprintf("work %d bytes ", w))
	}
	if w := x.u64(8); w != 0 {
		p.raw(fmt.Sprintf("rtwork %d bytes ", w))
	}
	p.raw(fmt.Sprintf("level %d ", x.u32(20)))
	p.raw("\n")
}
