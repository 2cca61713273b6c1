package tc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Rate is a rate in bytes per second, the unit of the kernel's tc
// attributes. Its String is as tc prints it ("1Mbit"); ParseRate reads
// tc's syntax ("1mbit", "100kbit", "1MBps").
type Rate uint64

// rateUnits are tc's rate suffixes (lib/utils_math.c), matched without
// regard to case, in tc's order: the first match wins.
var rateUnits = [...]struct {
	name  string
	scale float64
}{
	{"bit", 1}, {"Kibit", 1024}, {"kbit", 1000}, {"mibit", 1024 * 1024}, {"mbit", 1000000},
	{"gibit", 1024 * 1024 * 1024}, {"gbit", 1000000000},
	{"tibit", 1024 * 1024 * 1024 * 1024}, {"tbit", 1000000000000},
	{"Bps", 8}, {"KiBps", 8 * 1024}, {"KBps", 8000}, {"MiBps", 8 * 1024 * 1024}, {"MBps", 8000000},
	{"GiBps", 8 * 1024 * 1024 * 1024}, {"GBps", 8000000000},
	{"TiBps", 8 * 1024 * 1024 * 1024 * 1024}, {"TBps", 8000000000000},
}

// parseFloat reads the number that starts s, as strtod does for tc's
// arguments, and returns it with the rest of s.
func parseFloat(s string) (float64, string, bool) {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' ||
		(s[end] == 'e' || s[end] == 'E') && end+1 < len(s) && (s[end+1] >= '0' && s[end+1] <= '9' || s[end+1] == '-' || s[end+1] == '+') ||
		(s[end] == '-' || s[end] == '+') && (end == 0 || s[end-1] == 'e' || s[end-1] == 'E')) {
		end++
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil || end == 0 {
		return 0, s, false
	}
	return v, s[end:], true
}

// ParseRate parses a rate as tc does (get_rate64): a number, in bits per
// second without a suffix, or with one of tc's suffixes: bit, kbit,
// mbit, gbit, tbit, Kibit, mibit, gibit, tibit, Bps, KBps, MBps, GBps,
// TBps, KiBps, MiBps, GiBps, TiBps (any case).
func ParseRate(s string) (Rate, error) {
	bps, rest, ok := parseFloat(s)
	if !ok || bps < 0 {
		return 0, fmt.Errorf("tc: rate %q: not a number", s)
	}
	if rest != "" {
		found := false
		for _, u := range rateUnits {
			if strings.EqualFold(u.name, rest) {
				bps *= u.scale
				found = true
				break
			}
		}
		if !found {
			return 0, fmt.Errorf("tc: rate %q: unknown unit %q", s, rest)
		}
	}
	bps /= 8
	if bps >= 1<<64 {
		return 0, fmt.Errorf("tc: rate %q: too large", s)
	}
	return Rate(bps), nil
}

// String returns r as tc prints it (print_rate without -iec): the rate in
// bits per second, with the largest unit that divides it, or that leaves
// it at 1000 or more ("1Mbit", "1500Kbit", "8bit").
func (r Rate) String() string { return r.format(false) }

// IECString returns r as tc -iec prints it ("1Mibit").
func (r Rate) IECString() string { return r.format(true) }

func (r Rate) format(iec bool) string {
	kilo := uint64(1000)
	infix := ""
	if iec {
		kilo, infix = 1024, "i"
	}
	units := [...]string{"", "K", "M", "G", "T"}
	rate := uint64(r) << 3
	i := 0
	for ; i < len(units)-1; i++ {
		if rate < kilo || rate%kilo != 0 && rate < 1000*kilo {
			break
		}
		rate /= kilo
	}
	s := strconv.FormatUint(rate, 10) + units[i]
	if i > 0 {
		s += infix
	}
	return s + "bit"
}

// Size is a size in bytes; its String is as tc prints sizes ("32Kb").
type Size uint32

// ParseSize parses a size as tc does (get_size): bytes, or with a suffix
// k/kb (KiB), m/mb, g/gb, kbit, mbit, gbit (of bits, 1024-based), b.
func ParseSize(s string) (Size, error) {
	sz, rest, ok := parseFloat(s)
	if !ok || sz < 0 {
		return 0, fmt.Errorf("tc: size %q: not a number", s)
	}
	switch strings.ToLower(rest) {
	case "":
	case "kb", "k":
		sz *= 1024
	case "gb", "g":
		sz *= 1024 * 1024 * 1024
	case "gbit":
		sz *= 1024 * 1024 * 1024 / 8
	case "mb", "m":
		sz *= 1024 * 1024
	case "mbit":
		sz *= 1024 * 1024 / 8
	case "kbit":
		sz *= 1024 / 8
	case "b":
	default:
		return 0, fmt.Errorf("tc: size %q: unknown unit %q", s, rest)
	}
	if sz >= 1<<32 || sz != math.Floor(sz) {
		return 0, fmt.Errorf("tc: size %q: not a 32-bit number of bytes", s)
	}
	return Size(sz), nil
}

// String returns s as tc prints sizes (sprint_size): "32Kb", "1Mb",
// "1514b".
func (s Size) String() string {
	const kilo, mega = 1024, 1024 * 1024
	v := float64(s)
	switch {
	case s >= mega && math.Abs(mega*math.RoundToEven(v/mega)-v) < 1024:
		return cfmtG(math.RoundToEven(v/mega)) + "Mb"
	case s >= kilo && math.Abs(kilo*math.RoundToEven(v/kilo)-v) < 16:
		return cfmtG(math.RoundToEven(v/kilo)) + "Kb"
	}
	return strconv.FormatUint(uint64(s), 10) + "b"
}

// cfmtG formats v as C's printf "%g".
func cfmtG(v float64) string { return cfmt(v, 6) }

// cfmt formats v as C's printf "%.<prec>g": Go's 'g' format with the
// exponent written as C writes it (at least two digits).
func cfmt(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'g', prec, 64)
	if i := strings.IndexAny(s, "e"); i >= 0 && len(s)-i == 3 {
		s = s[:i+2] + "0" + s[i+2:]
	}
	return s
}

// Time is a duration in microseconds, tc's unit for 32-bit times
// (latency, delay, interval); its String is as tc prints them ("50ms").
type Time uint32

// ParseTime parses a time as tc does (get_time): microseconds without a
// suffix, or s/sec/secs, ms/msec/msecs, us/usec/usecs.
func ParseTime(s string) (Time, error) {
	t, err := parseTime(s, TimeUnitsPerSec, 1<<32, false)
	return Time(t), err
}

// parseTime parses a time as tc does (get_time, get_time64), in units of
// which a second holds perSec: a number without a suffix is in those
// units; s, ms, us and (when the units are nanoseconds) ns scale it. The
// time must be below limit in magnitude, and not negative unless signed.
func parseTime(s string, perSec, limit float64, signed bool) (float64, error) {
	t, rest, ok := parseFloat(s)
	if !ok || t < 0 && !signed {
		return 0, fmt.Errorf("tc: time %q: not a number", s)
	}
	var scale float64 // the units in one of rest's
	switch strings.ToLower(rest) {
	case "":
		scale = 1
	case "s", "sec", "secs":
		scale = perSec
	case "ms", "msec", "msecs":
		scale = perSec / 1e3
	case "us", "usec", "usecs":
		scale = perSec / 1e6
	case "ns", "nsec", "nsecs":
		scale = perSec / 1e9
	}
	if scale < 1 { // unknown, or finer than the units
		return 0, fmt.Errorf("tc: time %q: unknown unit %q", s, rest)
	}
	t *= scale
	if math.Abs(t) >= limit {
		return 0, fmt.Errorf("tc: time %q: too long", s)
	}
	return t, nil
}

// String returns t as tc prints times (sprint_time): "1s", "50ms",
// "1.5ms", "800us".
func (t Time) String() string { return formatTime(int64(t), TimeUnitsPerSec, "us") }

// formatTime returns t, in units of which a second holds perSec, as tc
// prints times: in the largest of s, ms and us that it reaches, else
// whole, followed by the units' name.
func formatTime(t int64, perSec float64, units string) string {
	v := float64(t)
	switch {
	case v >= perSec:
		return cfmt(v/perSec, 3) + "s"
	case v >= perSec/1e3:
		return cfmt(v/(perSec/1e3), 3) + "ms"
	case perSec > 1e6 && v >= perSec/1e6:
		return cfmt(v/(perSec/1e6), 3) + "us"
	}
	return strconv.FormatInt(t, 10) + units
}

// Time64 is a duration in nanoseconds, tc's unit for 64-bit times (fq's,
// netem's slots, cake's); its String is as tc prints them.
type Time64 int64

// ParseTime64 parses a 64-bit time as tc does (get_time64):
// nanoseconds without a suffix, or s, ms, us, ns (and their long forms).
func ParseTime64(s string) (Time64, error) {
	t, err := parseTime(s, 1e9, 1<<63, true)
	return Time64(t), err
}

// String returns t as tc prints 64-bit times (sprint_time64).
func (t Time64) String() string { return formatTime(int64(t), 1e9, "ns") }

// The packet scheduler's clock, as /proc/net/psched describes it and tc
// reads it (tc_core_init): every kernel since 2.6.31 writes
// "000003e8 00000040 000f4240 3b9aca00", that is 1000 ns per µs and 64
// ns per tick, so a tick is 1/15.625 µs. tc's arithmetic below uses the
// same floating-point steps, so that the values match to the bit.
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

// TimeToTicks converts a time in microseconds to scheduler ticks
// (tc_core_time2tick).
func TimeToTicks(t Time) uint32 { return cUint32(float64(t) * ticksPerUsec) }

// TicksToTime converts scheduler ticks to microseconds
// (tc_core_tick2time).
func TicksToTime(ticks uint32) Time { return Time(cUint32(float64(ticks) / ticksPerUsec)) }

// XmitTime returns the time to send size bytes at rate, in scheduler
// ticks (tc_calc_xmittime): the unit of tbf's and htb's buffers. It is 0
// for a zero rate, which specifications reject before calling it.
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

// Linklayer is the link layer that rate tables account for
// (TC_LINKLAYER_*).
type Linklayer uint8

// The link layers.
const (
	LinklayerUnspec   Linklayer = 0
	LinklayerEthernet Linklayer = 1
	LinklayerATM      Linklayer = 2
)

// ParseLinklayer parses tc's linklayer argument: a prefix of
// "ethernet", "atm" or "adsl" (ATM).
func ParseLinklayer(s string) (Linklayer, error) {
	switch {
	case s != "" && strings.HasPrefix("ethernet", s):
		return LinklayerEthernet, nil
	case s != "" && strings.HasPrefix("atm", s), s != "" && strings.HasPrefix("adsl", s):
		return LinklayerATM, nil
	}
	return 0, fmt.Errorf("tc: linklayer %q: want ethernet, atm or adsl", s)
}

// String returns the name tc prints.
func (l Linklayer) String() string {
	switch l {
	case LinklayerUnspec:
		return "unspec"
	case LinklayerEthernet:
		return "ethernet"
	case LinklayerATM:
		return "atm"
	}
	return "unknown"
}

// RateSpec is struct tc_ratespec, the rate of tbf, htb and police with
// the parameters of its rate table.
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

// putRateSpec writes a tc_ratespec.
func putRateSpec(b []byte, r RateSpec) {
	b[0], b[1] = r.CellLog, uint8(r.Linklayer)
	native.PutUint16(b[2:], r.Overhead)
	native.PutUint16(b[4:], uint16(r.CellAlign))
	native.PutUint16(b[6:], r.MPU)
	native.PutUint32(b[8:], r.Rate)
}

// decodeRateSpec reads a tc_ratespec from the first 12 bytes of b.
func decodeRateSpec(b []byte) RateSpec {
	if len(b) < SizeofRateSpec {
		return RateSpec{}
	}
	return RateSpec{CellLog: b[0], Linklayer: Linklayer(b[1]), Overhead: native.Uint16(b[2:]),
		CellAlign: int16(native.Uint16(b[4:])), MPU: native.Uint16(b[6:]), Rate: native.Uint32(b[8:])}
}

// ratePairAttrs are the attributes of options that hold a rate pair
// (htb's class: rate and ceil; tbf: rate and peak rate): the parameters,
// n bytes headed by the two rate specs, named name in errors; and the
// 64-bit rates that override the specs' rates when set.
type ratePairAttrs struct {
	parms, rate64, second64 uint16
	n                       int
	name                    string
}

// ratePair is what decodeRatePair reads: the first rate spec, the two
// rates, the link layer the tables account for (0 for Ethernet, the
// default), and the parameters after the two specs.
type ratePair struct {
	first        RateSpec
	rate, second Rate
	linklayer    Linklayer
	rest         []byte
}

// decodeRatePair reads the rate pair of the options data into rp.
func decodeRatePair(rp *ratePair, data []byte, t *ratePairAttrs) error {
	var parms []byte
	var rate64, second64 uint64
	for a := range chainOf(data).All() {
		switch a.Kind() {
		case t.parms:
			parms = a.Data
		case t.rate64:
			rate64, _ = a.Uint64()
		case t.second64:
			second64, _ = a.Uint64()
		}
	}
	if err := chainOf(data).Err(); err != nil {
		return err
	}
	if len(parms) < t.n {
		return fmt.Errorf("%s of %d bytes", t.name, len(parms))
	}
	rp.first = decodeRateSpec(parms)
	rp.rate, rp.second = Rate(rp.first.Rate), Rate(decodeRateSpec(parms[SizeofRateSpec:]).Rate)
	if rate64 != 0 {
		rp.rate = Rate(rate64)
	}
	if second64 != 0 {
		rp.second = Rate(second64)
	}
	if rp.first.Linklayer != LinklayerEthernet {
		rp.linklayer = rp.first.Linklayer
	}
	rp.rest = parms[2*SizeofRateSpec:]
	return nil
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
