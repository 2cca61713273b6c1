package tc

// Temporary copies of the tc core's request plumbing (branch tc), removed
// when it is merged.

import (
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/wire"
)

type change struct {
	verb       string
	typ, flags uint16
}

type spec interface {
	encode(r *rtnl.Req, c change) error
	opName(verb string) string
}

type specRequest[S any, P interface {
	*S
	spec
}] struct {
	change
	s S
}

func (q *specRequest[S, P]) AppendTo(r *rtnl.Req) error {
	r.Op = q.verb
	if r.Named {
		r.Op = P(&q.s).opName(q.verb)
	}
	return P(&q.s).encode(r, q.change)
}

type header struct {
	family         uint8
	ifindex        int32
	handle, parent Handle
	info           uint32
}

func begin(b *wire.Builder, c change, h header) {
	b.Begin(c.typ, c.flags)
	if t := b.Fixed(tcmsgLen); t != nil {
		t[0] = h.family
		native.PutUint32(t[4:], uint32(h.ifindex))
		native.PutUint32(t[8:], uint32(h.handle))
		native.PutUint32(t[12:], uint32(h.parent))
		native.PutUint32(t[16:], h.info)
	}
}

func (h Handle) String() string { return "" }

// Copies of the core's units.go (branch tc), removed at the merge.

type Rate uint64

const (
	ticksPerUsec = 1000.0 / 64.0
	// TimeUnitsPerSec is tc's TIME_UNITS_PER_SEC: tc's 32-bit times
	// are microseconds.
	TimeUnitsPerSec = 1000000
)

// cUint32 converts v to uint32 as C does on amd64 for the values tc's
// arithmetic meets: truncation toward zero, then the low 32 bits.
func cUint32(v float64) uint32 {
	if v != v || v <= -1 || v >= 1<<63 {
		return 0x80000000 // x86's "integer indefinite", truncated
	}
	if v < 0 {
		return 0
	}
	return uint32(uint64(v))
}

func TimeToTicks(t Time) uint32 { return cUint32(float64(t) * ticksPerUsec) }

func TicksToTime(ticks uint32) Time { return Time(cUint32(float64(ticks) / ticksPerUsec)) }

type Time uint32

func XmitTime(rate Rate, size uint32) uint32 {
	if rate == 0 {
		return 0
	}
	us := cUint32(TimeUnitsPerSec * (float64(size) / float64(rate)))
	return TimeToTicks(Time(us))
}

// XmitSize returns the bytes sent at rate in ticks scheduler ticks
// (tc_calc_xmitsize): tc prints buffers with it.
func XmitSize(rate Rate, ticks uint32) uint32 {
	return cUint32(float64(rate) * float64(TicksToTime(ticks)) / TimeUnitsPerSec)
}

type Linklayer uint8

const (
	LinklayerUnspec   Linklayer = 0
	LinklayerEthernet Linklayer = 1
	LinklayerATM      Linklayer = 2
)

type RateSpec struct {
	CellLog   uint8
	Linklayer Linklayer
	Overhead  uint16
	CellAlign int16
	MPU       uint16
	// Rate is the rate in bytes per second, saturated at 2^32-1: a
	// larger rate goes in the kind's 64-bit attribute.
	Rate uint32
}

// SizeofRateSpec is the size of struct tc_ratespec.
const SizeofRateSpec = 12

// appendRateSpec appends r in the kernel's layout.
func appendRateSpec(b []byte, r RateSpec) []byte {
	b = append(b, r.CellLog, uint8(r.Linklayer))
	b = native.AppendUint16(b, r.Overhead)
	b = native.AppendUint16(b, uint16(r.CellAlign))
	b = native.AppendUint16(b, r.MPU)
	return native.AppendUint32(b, r.Rate)
}

// decodeRateSpec reads a tc_ratespec from the first 12 bytes of b.
func decodeRateSpec(b []byte) RateSpec {
	if len(b) < SizeofRateSpec {
		return RateSpec{}
	}
	return RateSpec{CellLog: b[0], Linklayer: Linklayer(b[1]), Overhead: native.Uint16(b[2:]),
		CellAlign: int16(native.Uint16(b[4:])), MPU: native.Uint16(b[6:]), Rate: native.Uint32(b[8:])}
}

// The ATM cell sizes rate tables align to (linux/atm.h).
const (
	atmCellPayload = 48
	atmCellSize    = 53
)

// RateTable computes the rate table the kernel still asks tbf, htb and
// police for, as tc does (tc_calc_rtable_64): rtab[i] is the time, in
// ticks, to send (i+1)<<cell_log bytes at rate, sizes raised to r.MPU and
// aligned to ATM cells for LinklayerATM. A negative cellLog picks the
// smallest that covers mtu (2047 when zero) in 256 cells. It sets r's
// cell log, cell alignment (-1) and link layer as tc does.
func RateTable(r *RateSpec, rate Rate, cellLog int, mtu uint32, ll Linklayer) [256]uint32 {
	if mtu == 0 {
		mtu = 2047
	}
	if cellLog < 0 {
		cellLog = 0
		for (mtu >> cellLog) > 255 {
			cellLog++
		}
	}
	var rtab [256]uint32
	for i := range rtab {
		sz := uint32(i+1) << cellLog
		if sz < uint32(r.MPU) {
			sz = uint32(r.MPU)
		}
		if ll == LinklayerATM {
			cells := sz / atmCellPayload
			if sz%atmCellPayload > 0 {
				cells++
			}
			sz = cells * atmCellSize
		}
		rtab[i] = XmitTime(rate, sz)
	}
	r.CellAlign = -1
	r.CellLog = uint8(cellLog)
	r.Linklayer = ll & 0x0F
	return rtab
}
