package main

// The parser of the can kind's options, as iproute2 6.1's iplink_can.c
// reads them (on "ip link set DEV type can ..."; CAN devices are made by
// their drivers). ip prints their data, ipr does not yet.

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
)

// canModes are iproute2's names of the CAN control modes set with on or
// off.
var canModes = [...]struct {
	name string
	mode rtm.CANCtrlMode
}{
	{"loopback", rtm.CANLoopback}, {"listen-only", rtm.CANListenOnly}, {"triple-sampling", rtm.CANTripleSampling},
	{"one-shot", rtm.CANOneShot}, {"berr-reporting", rtm.CANBerrReporting}, {"fd", rtm.CANFD},
	{"fd-non-iso", rtm.CANFDNonISO}, {"presume-ack", rtm.CANPresumeAck}, {"cc-len8-dlc", rtm.CANCCLen8DLC},
}

// parseCAN parses "type can ..." (on ip link set) into s.
func parseCAN(kp *kindArgs, s *rtm.LinkSpec) error {
	c := &rtm.CAN{}
	s.Kind = c
	samplePoint := func(p *uint32) func() error {
		return func() error {
			v, err := kp.value(kp.word)
			if err != nil {
				return err
			}
			f, err := strconv.ParseFloat(v, 32)
			if err != nil {
				return invarg("invalid \""+kp.word+"\" value", v)
			}
			*p = uint32(float32(f) * 1000) // as iproute2 computes it, in float
			return nil
		}
	}
	h := map[string]func() error{
		"tdcv":        kp.u32(&c.TDCV),
		"tdco":        kp.u32(&c.TDCO),
		"tdcf":        kp.u32(&c.TDCF),
		"restart":     func() error { c.Restart = true; return nil },
		"restart-ms":  kp.u32(&c.RestartMS),
		"termination": kp.u16(&c.Termination),
		"tdc-mode": func() error {
			v, err := kp.value("tdc-mode")
			switch {
			case err != nil:
				return err
			case v == "auto":
				c.CtrlMode |= rtm.CANTDCAuto
				c.CtrlModeMask |= rtm.CANTDCAuto
			case v == "manual":
				c.CtrlMode |= rtm.CANTDCManual
				c.CtrlModeMask |= rtm.CANTDCManual
			case v == "off":
				c.CtrlModeMask |= rtm.CANTDCAuto | rtm.CANTDCManual
			default:
				return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: argument of \"tdc-mode\" must be \"auto\", \"manual\" or \"off\", not %q", v)}
			}
			return nil
		},
	}
	// The data phase's bit timing (CAN FD) has the arbitration phase's
	// keywords with a "d" in front.
	for _, bt := range [...]struct {
		prefix string
		t      *rtm.CANBitTiming
	}{{"", &c.BitTiming}, {"d", &c.DataBitTiming}} {
		h[bt.prefix+"bitrate"] = kp.plainU32(&bt.t.Bitrate)
		h[bt.prefix+"sample-point"] = samplePoint(&bt.t.SamplePoint)
		h[bt.prefix+"tq"] = kp.plainU32(&bt.t.TQ)
		h[bt.prefix+"prop-seg"] = kp.plainU32(&bt.t.PropSeg)
		h[bt.prefix+"phase-seg1"] = kp.plainU32(&bt.t.PhaseSeg1)
		h[bt.prefix+"phase-seg2"] = kp.plainU32(&bt.t.PhaseSeg2)
		h[bt.prefix+"sjw"] = kp.plainU32(&bt.t.SJW)
	}
	for _, m := range canModes {
		h[m.name] = func() error {
			var on rtm.Opt[bool]
			if err := kp.onOff(&on)(); err != nil {
				return err
			}
			c.CtrlModeMask |= m.mode
			if on.Or(false) {
				c.CtrlMode |= m.mode
			} else {
				c.CtrlMode &^= m.mode
			}
			return nil
		}
	}
	return kp.parse(h)
}
