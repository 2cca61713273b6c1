package tc

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/wire"
)

// The attributes after netem's struct tc_netem_qopt (TCA_NETEM_*).
const (
	netemCorr       = 1
	netemDelayDist  = 2
	netemReorder    = 3
	netemCorrupt    = 4
	netemLoss       = 5
	netemRate       = 6
	netemECN        = 7
	netemRate64     = 8
	netemLatency64  = 10
	netemJitter64   = 11
	netemSlot       = 12
	netemSlotDist   = 13
	netemLossGI     = 1
	netemLossGE     = 2
	sizeofNetemQopt = 24
	sizeofNetemSlot = 40
)

// Percent is a probability as netem stores it: a fraction of 2^32-1
// (tc's "10%" is 429496730).
type Percent uint32

// PercentOf returns the Percent of p (0 to 100), rounded as tc does.
func PercentOf(p float64) Percent { return Percent(math.RoundToEven(p / 100 * math.MaxUint32)) }

// ParsePercent parses tc's percentage ("10%", "0.5%", or "10" as tc
// also accepts).
func ParsePercent(s string) (Percent, error) {
	v, rest, ok := parseFloat(s)
	if !ok || rest != "" && rest != "%" {
		return 0, fmt.Errorf("tc: percentage %q: not a number", s)
	}
	if v < 0 || v > 100 {
		return 0, fmt.Errorf("tc: percentage %q: not between 0 and 100", s)
	}
	return PercentOf(v), nil
}

// Float returns p as a percentage (0 to 100).
func (p Percent) Float() float64 { return float64(p) * 100 / math.MaxUint32 }

// String returns p as tc prints it: "%g%" of the percentage.
func (p Percent) String() string {
	return strconv.FormatFloat(p.Float(), 'g', -1, 64) + "%"
}

// NetemGI is netem's 4-state (General and Intuitive) loss model, tc's
// "loss state p13 p31 p32 p23 p14".
type NetemGI struct{ P13, P31, P32, P23, P14 Percent }

// NetemGE is netem's Gilbert-Elliot loss model, tc's "loss gemodel p r
// 1-h 1-k": H and K1 as the kernel stores them.
type NetemGE struct{ P, R, H, K1 Percent }

// NetemSlot is netem's slotting, tc's "slot MIN MAX packets N bytes N"
// or "slot distribution NAME DELAY JITTER".
type NetemSlot struct {
	MinDelay, MaxDelay    Time64
	MaxPackets, MaxBytes  int32
	DistDelay, DistJitter Time64
	Distribution          []int16
}

// Netem are the options of the network emulator qdisc: "tc qdisc add
// ... netem delay 100ms 10ms 25% loss 1% duplicate 1% reorder 25% 50%
// corrupt 0.1% rate 1mbit slot 1ms 2ms".
type Netem struct {
	// Limit is the queue's length in packets; 0 is tc's 1000.
	Limit uint32
	// Latency and Jitter are the added delay and its variation.
	Latency, Jitter Time
	// Loss, Duplicate, Reorder and Corrupt are probabilities; Gap sends
	// every Gap-th packet without delay (reordering).
	Loss, Duplicate, Reorder, Corrupt Percent
	Gap                               uint32
	// The correlations of the delay, loss, duplication, reordering and
	// corruption with the previous packet's.
	DelayCorr, LossCorr, DupCorr, ReorderCorr, CorruptCorr Percent
	// LossGI and LossGE replace Loss by a loss model.
	LossGI *NetemGI
	LossGE *NetemGE
	// ECN marks instead of dropping the lost packets.
	ECN bool
	// Rate limits the rate; PacketOverhead, CellSize and CellOverhead
	// adjust the packet sizes it accounts.
	Rate                         Rate
	PacketOverhead, CellOverhead int32
	CellSize                     uint32
	// Distribution is the delay's distribution table (tc's
	// "distribution normal" loads /usr/lib/tc/normal.dist).
	Distribution []int16
	// Slot, if set, sends packets in slots.
	Slot *NetemSlot
}

// Kind returns "netem".
func (*Netem) Kind() string { return "netem" }

func (o *Netem) validate() error {
	var errs []error
	if o.Reorder != 0 && o.Latency == 0 {
		errs = append(errs, errors.New("reorder without delay: nothing to reorder"))
	}
	if o.Reorder == 0 && o.Gap != 0 {
		errs = append(errs, errors.New("gap without reorder"))
	}
	if o.ECN && o.Loss == 0 && o.LossGI == nil && o.LossGE == nil {
		errs = append(errs, errors.New("ecn without loss"))
	}
	if o.Loss != 0 && (o.LossGI != nil || o.LossGE != nil) || o.LossGI != nil && o.LossGE != nil {
		errs = append(errs, errors.New("more than one loss model"))
	}
	if o.Distribution != nil && (o.Latency == 0 || o.Jitter == 0) {
		errs = append(errs, errors.New("distribution without delay and jitter"))
	}
	if o.Slot != nil && o.Slot.MaxDelay < o.Slot.MinDelay {
		errs = append(errs, errors.New("slot: max delay below min delay"))
	}
	if float64(o.Latency)*ticksPerUsec >= 1<<32 || float64(o.Jitter)*ticksPerUsec >= 1<<32 {
		errs = append(errs, errors.New("delay too large for 32-bit scheduler ticks"))
	}
	return errors.Join(errs...)
}

// AppendOptions validates the options and appends them as tc does:
// struct tc_netem_qopt, then the attributes of what is set.
func (o *Netem) AppendOptions(r *rtnl.Req) error {
	if err := o.validate(); err != nil {
		return err
	}
	limit, gap := o.Limit, o.Gap
	if limit == 0 {
		limit = 1000
	}
	if o.Reorder != 0 && gap == 0 {
		gap = 1
	}
	b := r.B
	start := b.Len()
	q := make([]byte, 0, sizeofNetemQopt)
	for _, v := range [...]uint32{TimeToTicks(o.Latency), limit, uint32(o.Loss), gap, uint32(o.Duplicate), TimeToTicks(o.Jitter)} {
		q = native.AppendUint32(q, v)
	}
	b.Binary(attrOptions, q)
	if o.DelayCorr|o.LossCorr|o.ReorderCorr|o.CorruptCorr != 0 {
		b.Binary(netemCorr, u32s(uint32(o.DelayCorr), uint32(o.LossCorr), uint32(o.DupCorr)))
	}
	if o.Reorder != 0 {
		b.Binary(netemReorder, u32s(uint32(o.Reorder), uint32(o.ReorderCorr)))
	}
	if o.ECN {
		b.Uint32(netemECN, 1)
	}
	if o.Corrupt != 0 {
		b.Binary(netemCorrupt, u32s(uint32(o.Corrupt), uint32(o.CorruptCorr)))
	}
	if s := o.Slot; s != nil {
		d := make([]byte, 0, sizeofNetemSlot)
		d = native.AppendUint64(d, uint64(s.MinDelay))
		d = native.AppendUint64(d, uint64(s.MaxDelay))
		d = native.AppendUint32(d, uint32(s.MaxPackets))
		d = native.AppendUint32(d, uint32(s.MaxBytes))
		d = native.AppendUint64(d, uint64(s.DistDelay))
		d = native.AppendUint64(d, uint64(s.DistJitter))
		b.Binary(netemSlot, d)
	}
	if o.LossGI != nil || o.LossGE != nil {
		n := b.BeginNest(netemLoss) // tc sets NLA_F_NESTED here
		if m := o.LossGI; m != nil {
			b.Binary(netemLossGI, u32s(uint32(m.P13), uint32(m.P31), uint32(m.P32), uint32(m.P14), uint32(m.P23)))
		} else if m := o.LossGE; m != nil {
			b.Binary(netemLossGE, u32s(uint32(m.P), uint32(m.R), uint32(m.H), uint32(m.K1)))
		}
		b.EndNest(n)
	}
	if o.Rate != 0 {
		rate := uint32(o.Rate)
		if o.Rate > maxRate32 {
			b.Uint64(netemRate64, uint64(o.Rate))
			rate = ^uint32(0)
		}
		b.Binary(netemRate, u32s(rate, uint32(o.PacketOverhead), o.CellSize, uint32(o.CellOverhead)))
	}
	if o.Distribution != nil {
		b.Binary(netemDelayDist, i16s(o.Distribution))
	}
	if o.Slot != nil && o.Slot.Distribution != nil {
		b.Binary(netemSlotDist, i16s(o.Slot.Distribution))
	}
	endNest(b, nestMark(start))
	return nil
}

func u32s(v ...uint32) []byte {
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b = native.AppendUint32(b, x)
	}
	return b
}

func i16s(v []int16) []byte {
	b := make([]byte, 0, 2*len(v))
	for _, x := range v {
		b = native.AppendUint16(b, uint16(x))
	}
	return b
}

// DecodeOptions reads the options the kernel reports or tc sends. The
// kernel reports every structure, zero when unset; the 64-bit delays,
// when present, are preferred to the ticks of the structure.
func (o *Netem) DecodeOptions(data []byte) error {
	*o = Netem{}
	if len(data) < sizeofNetemQopt {
		return fmt.Errorf("%d bytes, want %d or more", len(data), sizeofNetemQopt)
	}
	o.Latency, o.Limit, o.Loss = TicksToTime(native.Uint32(data)), native.Uint32(data[4:]), Percent(native.Uint32(data[8:]))
	o.Gap, o.Duplicate, o.Jitter = native.Uint32(data[12:]), Percent(native.Uint32(data[16:])), TicksToTime(native.Uint32(data[20:]))
	attrs := chainOf(data[wire.Align(sizeofNetemQopt):])
	var rate64 uint64
	for a := range attrs.All() {
		d := a.Data
		switch a.Kind() {
		case netemCorr:
			if len(d) >= 12 {
				o.DelayCorr, o.LossCorr, o.DupCorr = Percent(native.Uint32(d)), Percent(native.Uint32(d[4:])), Percent(native.Uint32(d[8:]))
			}
		case netemReorder:
			if len(d) >= 8 {
				o.Reorder, o.ReorderCorr = Percent(native.Uint32(d)), Percent(native.Uint32(d[4:]))
			}
		case netemCorrupt:
			if len(d) >= 8 {
				o.Corrupt, o.CorruptCorr = Percent(native.Uint32(d)), Percent(native.Uint32(d[4:]))
			}
		case netemECN:
			o.ECN = attrU32(a) != 0
		case netemRate:
			if len(d) >= 16 {
				o.Rate, o.PacketOverhead = Rate(native.Uint32(d)), int32(native.Uint32(d[4:]))
				o.CellSize, o.CellOverhead = native.Uint32(d[8:]), int32(native.Uint32(d[12:]))
			}
		case netemRate64:
			rate64 = attrU64(a)
		case netemLatency64:
			if v, err := a.Int64(); err == nil {
				o.Latency = Time(v / 1000)
			}
		case netemJitter64:
			if v, err := a.Int64(); err == nil {
				o.Jitter = Time(v / 1000)
			}
		case netemSlot:
			if len(d) >= sizeofNetemSlot {
				o.Slot = &NetemSlot{MinDelay: Time64(native.Uint64(d)), MaxDelay: Time64(native.Uint64(d[8:])),
					MaxPackets: int32(native.Uint32(d[16:])), MaxBytes: int32(native.Uint32(d[20:])),
					DistDelay: Time64(native.Uint64(d[24:])), DistJitter: Time64(native.Uint64(d[32:]))}
			}
		case netemLoss:
			for m := range a.Nested().All() {
				md := m.Data
				switch {
				case m.Kind() == netemLossGI && len(md) >= 20:
					o.LossGI = &NetemGI{P13: Percent(native.Uint32(md)), P31: Percent(native.Uint32(md[4:])),
						P32: Percent(native.Uint32(md[8:])), P14: Percent(native.Uint32(md[12:])), P23: Percent(native.Uint32(md[16:]))}
				case m.Kind() == netemLossGE && len(md) >= 16:
					o.LossGE = &NetemGE{P: Percent(native.Uint32(md)), R: Percent(native.Uint32(md[4:])),
						H: Percent(native.Uint32(md[8:])), K1: Percent(native.Uint32(md[12:]))}
				}
			}
		case netemDelayDist:
			o.Distribution = decodeI16s(d)
		case netemSlotDist:
			if o.Slot == nil {
				o.Slot = &NetemSlot{}
			}
			o.Slot.Distribution = decodeI16s(d)
		}
	}
	if rate64 != 0 {
		o.Rate = Rate(rate64)
	}
	if o.Reorder != 0 && o.Gap == 1 {
		o.Gap = 0 // tc's implied gap of a reorder reads back as none given
	}
	return attrs.Err()
}

func decodeI16s(d []byte) []int16 {
	v := make([]int16, len(d)/2)
	for i := range v {
		v[i] = int16(native.Uint16(d[2*i:]))
	}
	return v
}

func (*Netem) qdiscOptions() {}

// ParseDistribution reads a netem distribution table in tc's .dist
// format (/usr/lib/tc/normal.dist: numbers separated by blanks, lines
// starting with # ignored).
func ParseDistribution(text string) ([]int16, error) {
	var v []int16
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, f := range strings.Fields(line) {
			n, err := strconv.ParseInt(f, 10, 16)
			if err != nil {
				return nil, fmt.Errorf("tc: distribution: %q: %w", f, err)
			}
			v = append(v, int16(n))
		}
	}
	if len(v) == 0 {
		return nil, errors.New("tc: distribution: empty")
	}
	return v, nil
}
