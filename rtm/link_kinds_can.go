package rtm

// CAN controllers ("can"): their bit timing, control modes and restart
// policy, set on an existing device as "ip link set DEV type can ..." does
// (a CAN device is made by its driver, not by RTM_NEWLINK). The encoder
// writes iproute2 6.1's layout: restart, restart-ms and termination as
// given, then the bit timings, the control modes and the transmitter
// delay compensation, which iproute2 collects and writes last.

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// IFLA_CAN_TDC and its IFLA_CAN_TDC_* (linux/can/netlink.h), which
// x/sys/unix lacks.
const (
	iflaCANTDC  = 16
	iflaCANTDCV = 7
	iflaCANTDCO = 8
	iflaCANTDCF = 9
)

// CANBitTiming is struct can_bittiming: either Bitrate (with an optional
// SamplePoint) for the driver to compute the segments, or TQ and the
// segments themselves.
type CANBitTiming struct {
	Bitrate     uint32 // bits per second
	SamplePoint uint32 // in tenths of a percent: 875 is 87.5 %
	TQ          uint32 // time quantum in nanoseconds
	PropSeg     uint32 // propagation segment, in time quanta
	PhaseSeg1   uint32 // phase buffer segment 1, in time quanta
	PhaseSeg2   uint32 // phase buffer segment 2, in time quanta
	SJW         uint32 // synchronisation jump width, in time quanta
	BRP         uint32 // bit-rate prescaler (reported by the kernel)
}

// canBitTimingLen is sizeof(struct can_bittiming).
const canBitTimingLen = 32

func (t *CANBitTiming) set() bool { return t.Bitrate != 0 || t.TQ != 0 }

func (t *CANBitTiming) validate(what string) error {
	if *t == (CANBitTiming{}) {
		return nil
	}
	if !t.set() {
		return fmt.Errorf("CAN %s needs a bitrate or a time quantum", what)
	}
	if t.Bitrate != 0 && t.TQ != 0 {
		// The kernel computes the segments from a bitrate, or checks
		// given ones against a time quantum: never both.
		return fmt.Errorf("CAN %s: give a bitrate or a time quantum, not both", what)
	}
	if t.SamplePoint >= 1000 {
		return fmt.Errorf("CAN %s sample point %d is not below 1000 (100 %%)", what, t.SamplePoint)
	}
	return nil
}

func (t *CANBitTiming) encode(c *linkCtx, typ uint16) {
	if !t.set() {
		return
	}
	var buf [canBitTimingLen]byte
	for i, v := range [...]uint32{t.Bitrate, t.SamplePoint, t.TQ, t.PropSeg, t.PhaseSeg1, t.PhaseSeg2, t.SJW, t.BRP} {
		native.PutUint32(buf[4*i:], v)
	}
	c.b.Binary(typ, buf[:])
}

// canShort is the error of a CAN struct (what) of len(b) bytes, when it
// is shorter than n.
func canShort(what string, b []byte, n int) error {
	if len(b) < n {
		return fmt.Errorf("%s of %d bytes, want %d", what, len(b), n)
	}
	return nil
}

func decodeCANBitTiming(b []byte) (CANBitTiming, error) {
	if err := canShort("can_bittiming", b, canBitTimingLen); err != nil {
		return CANBitTiming{}, err
	}
	u := func(i int) uint32 { return native.Uint32(b[4*i:]) }
	return CANBitTiming{u(0), u(1), u(2), u(3), u(4), u(5), u(6), u(7)}, nil
}

// CANCtrlMode is a set of CAN controller modes (CAN_CTRLMODE_*).
type CANCtrlMode uint32

// The CAN control modes.
const (
	CANLoopback       CANCtrlMode = 0x01
	CANListenOnly     CANCtrlMode = 0x02
	CANTripleSampling CANCtrlMode = 0x04
	CANOneShot        CANCtrlMode = 0x08
	CANBerrReporting  CANCtrlMode = 0x10
	CANFD             CANCtrlMode = 0x20
	CANPresumeAck     CANCtrlMode = 0x40
	CANFDNonISO       CANCtrlMode = 0x80
	CANCCLen8DLC      CANCtrlMode = 0x100
	CANTDCAuto        CANCtrlMode = 0x200
	CANTDCManual      CANCtrlMode = 0x400
	canCtrlModeAll    CANCtrlMode = 0x7ff
)

// CANState is a CAN controller's state (enum can_state).
type CANState uint32

// The CAN controller states.
const (
	CANErrorActive  CANState = 0
	CANErrorWarning CANState = 1
	CANErrorPassive CANState = 2
	CANBusOff       CANState = 3
	CANStopped      CANState = 4
	CANSleeping     CANState = 5
)

var canStateNames = [...]string{
	CANErrorActive: "ERROR-ACTIVE", CANErrorWarning: "ERROR-WARNING", CANErrorPassive: "ERROR-PASSIVE",
	CANBusOff: "BUS-OFF", CANStopped: "STOPPED", CANSleeping: "SLEEPING",
}

// String returns iproute2's name of the state ("ERROR-ACTIVE").
func (s CANState) String() string {
	return rtnl.Name(canStateNames[:], s, "<unknown %d>")
}

// CAN is the settings of a CAN controller ("can"), for
// LinkSpec.Kind on a link change (not a creation). Zero or unset fields
// are not sent.
type CAN struct {
	// Restart restarts a controller that is bus-off (IFLA_CAN_RESTART).
	Restart bool
	// RestartMS is the delay of automatic restarts after bus-off, 0 to
	// turn them off (IFLA_CAN_RESTART_MS).
	RestartMS Opt[uint32]
	// Termination is the bus termination resistance in ohms, 0 for
	// off (IFLA_CAN_TERMINATION).
	Termination Opt[uint16]
	// BitTiming is the nominal (arbitration) bit timing; DataBitTiming
	// CAN FD's data phase bit timing.
	BitTiming, DataBitTiming CANBitTiming
	// CtrlModeMask is the modes to change and CtrlMode the ones of them
	// to turn on (struct can_ctrlmode); CtrlMode must be within the mask.
	CtrlMode, CtrlModeMask CANCtrlMode
	// TDCV, TDCO and TDCF are CAN FD's transmitter delay compensation
	// value, offset and filter window (IFLA_CAN_TDC).
	TDCV, TDCO, TDCF Opt[uint32]
}

// Kind returns "can".
func (*CAN) Kind() string { return "can" }

func (k *CAN) validate(c *linkCtx) error {
	if c.create {
		return errors.New("CAN devices are made by their drivers: set CAN options on an existing device, not when creating one")
	}
	if err := k.BitTiming.validate("bit timing"); err != nil {
		return err
	}
	if err := k.DataBitTiming.validate("data bit timing"); err != nil {
		return err
	}
	if k.CtrlModeMask&^canCtrlModeAll != 0 {
		return fmt.Errorf("unknown CAN control modes %#x", uint32(k.CtrlModeMask&^canCtrlModeAll))
	}
	if k.CtrlMode&^k.CtrlModeMask != 0 {
		return fmt.Errorf("CAN control modes %#x are outside the mask %#x", uint32(k.CtrlMode), uint32(k.CtrlModeMask))
	}
	if k.CtrlMode&CANTDCAuto != 0 && k.CtrlMode&CANTDCManual != 0 {
		return errors.New("CAN transmitter delay compensation cannot be both automatic and manual")
	}
	return nil
}

func (k *CAN) encodeData(c *linkCtx) {
	b := c.b
	if k.Restart {
		b.Uint32(unix.IFLA_CAN_RESTART, 1)
	}
	putOpt(b.Uint32, unix.IFLA_CAN_RESTART_MS, k.RestartMS)
	putOpt(b.Uint16, unix.IFLA_CAN_TERMINATION, k.Termination)
	k.BitTiming.encode(c, unix.IFLA_CAN_BITTIMING)
	k.DataBitTiming.encode(c, unix.IFLA_CAN_DATA_BITTIMING)
	if k.CtrlModeMask != 0 {
		var cm [8]byte // struct can_ctrlmode
		native.PutUint32(cm[0:], uint32(k.CtrlModeMask))
		native.PutUint32(cm[4:], uint32(k.CtrlMode))
		b.Binary(unix.IFLA_CAN_CTRLMODE, cm[:])
	}
	if k.TDCV.IsSet() || k.TDCO.IsSet() || k.TDCF.IsSet() {
		n := beginNest(b, iflaCANTDC|unix.NLA_F_NESTED)
		for _, f := range [...]struct {
			o   Opt[uint32]
			typ uint16
		}{{k.TDCV, iflaCANTDCV}, {k.TDCO, iflaCANTDCO}, {k.TDCF, iflaCANTDCF}} {
			putOpt(b.Uint32, f.typ, f.o)
		}
		endNest(b, n)
	}
}

// CANBitTimingConst is struct can_bittiming_const: the limits of a
// controller's bit timing.
type CANBitTimingConst struct {
	Name                                   string
	TSeg1Min, TSeg1Max, TSeg2Min, TSeg2Max uint32
	SJWMax, BRPMin, BRPMax, BRPInc         uint32
}

// canBitTimingConstLen is sizeof(struct can_bittiming_const).
const canBitTimingConstLen = 48

// CANInfo is what the kernel reports of a CAN controller in its
// IFLA_INFO_DATA; fields of attributes absent stay zero (or unset).
type CANInfo struct {
	// Settings holds the settable part: restart delay, termination, bit
	// timings, control modes (CtrlMode the modes on, CtrlModeMask the
	// modes the controller supports, from IFLA_CAN_CTRLMODE) and TDC.
	Settings CAN
	// BitTimingConst and DataBitTimingConst are the controller's limits.
	BitTimingConst, DataBitTimingConst Opt[CANBitTimingConst]
	// ClockHz is the controller's clock (IFLA_CAN_CLOCK).
	ClockHz uint32
	// State is the controller's error state (IFLA_CAN_STATE).
	State Opt[CANState]
	// TxErrors and RxErrors are the bus error counters
	// (IFLA_CAN_BERR_COUNTER), when the driver reports them.
	TxErrors, RxErrors Opt[uint16]
}

// LinkCAN reads a CAN controller's state and settings from its
// IFLA_INFO_DATA (Link.KindData). It fails on a malformed attribute.
func LinkCAN(data nla.Chain) (CANInfo, error) {
	var in CANInfo
	s := &in.Settings
	for a := range data.All() {
		var err error
		switch a.Kind() {
		case unix.IFLA_CAN_BITTIMING:
			s.BitTiming, err = decodeCANBitTiming(a.Data)
		case unix.IFLA_CAN_DATA_BITTIMING:
			s.DataBitTiming, err = decodeCANBitTiming(a.Data)
		case unix.IFLA_CAN_BITTIMING_CONST:
			in.BitTimingConst, err = decodeCANBitTimingConst(a.Data)
		case unix.IFLA_CAN_DATA_BITTIMING_CONST:
			in.DataBitTimingConst, err = decodeCANBitTimingConst(a.Data)
		case unix.IFLA_CAN_CLOCK:
			in.ClockHz, err = a.Uint32()
		case unix.IFLA_CAN_STATE:
			var v uint32
			v, err = a.Uint32()
			in.State = Some(CANState(v))
		case unix.IFLA_CAN_CTRLMODE:
			if err = canShort("can_ctrlmode", a.Data, 8); err != nil {
				break
			}
			s.CtrlModeMask = CANCtrlMode(native.Uint32(a.Data))
			s.CtrlMode = CANCtrlMode(native.Uint32(a.Data[4:]))
		case unix.IFLA_CAN_RESTART_MS:
			s.RestartMS, err = kindOpt(a.Uint32())
		case unix.IFLA_CAN_RESTART:
			s.Restart = true
		case unix.IFLA_CAN_TERMINATION:
			s.Termination, err = kindOpt(a.Uint16())
		case unix.IFLA_CAN_BERR_COUNTER:
			if err = canShort("can_berr_counter", a.Data, 4); err != nil {
				break
			}
			in.TxErrors = Some(native.Uint16(a.Data))
			in.RxErrors = Some(native.Uint16(a.Data[2:]))
		case iflaCANTDC:
			err = decodeCANTDC(s, a.Nested())
		}
		if err != nil {
			return in, fmt.Errorf("can data: attribute %d: %w", a.Kind(), err)
		}
	}
	return in, data.Err()
}

func decodeCANTDC(s *CAN, tdc nla.Chain) error {
	for a := range tdc.All() {
		var err error
		switch a.Kind() {
		case iflaCANTDCV:
			s.TDCV, err = kindOpt(a.Uint32())
		case iflaCANTDCO:
			s.TDCO, err = kindOpt(a.Uint32())
		case iflaCANTDCF:
			s.TDCF, err = kindOpt(a.Uint32())
		}
		if err != nil {
			return fmt.Errorf("tdc attribute %d: %w", a.Kind(), err)
		}
	}
	return tdc.Err()
}

func decodeCANBitTimingConst(b []byte) (Opt[CANBitTimingConst], error) {
	if err := canShort("can_bittiming_const", b, canBitTimingConstLen); err != nil {
		return Opt[CANBitTimingConst]{}, err
	}
	name := b[:16]
	for i, c := range name {
		if c == 0 {
			name = name[:i]
			break
		}
	}
	u := func(i int) uint32 { return native.Uint32(b[16+4*i:]) }
	return Some(CANBitTimingConst{string(name), u(0), u(1), u(2), u(3), u(4), u(5), u(6), u(7)}), nil
}
