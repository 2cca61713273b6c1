package tc

// The attributes of TCA_STATS2 and of an action's TCA_ACT_STATS
// (TCA_STATS_*, linux/gen_stats.h).
const (
	statsBasic     = 1
	statsRateEst   = 2
	statsQueue     = 3
	statsApp       = 4
	statsRateEst64 = 5
	statsBasicHW   = 7
	statsPkt64     = 8
)

// Stats are the statistics of a qdisc, class, filter or action
// (TCA_STATS2: struct gnet_stats_basic, gnet_stats_rate_est(64),
// gnet_stats_queue), as tc -s prints them.
type Stats struct {
	// Bytes and Packets are the traffic seen (TCA_STATS_BASIC, with the
	// 64-bit packet count of TCA_STATS_PKT64 when present).
	Bytes, Packets uint64
	// HasBasic reports that the basic counters were present.
	HasBasic bool
	// HWBytes and HWPackets are the part of the traffic seen by
	// hardware (TCA_STATS_BASIC_HW), when HasHW.
	HWBytes, HWPackets uint64
	HasHW              bool
	// BPS and PPS are the rate estimator's bytes and packets per second
	// (TCA_STATS_RATE_EST64, else TCA_STATS_RATE_EST), when HasRateEst.
	BPS, PPS   uint64
	HasRateEst bool
	// The queue's counters (TCA_STATS_QUEUE), when HasQueue.
	QueueLen, Backlog, Drops, Requeues, Overlimits uint32
	HasQueue                                       bool
	// App is the kind's extended statistics (TCA_STATS_APP), raw.
	App []byte
}

// DecodeStats decodes the payload of a TCA_STATS2 attribute (or of an
// action's TCA_ACT_STATS). Malformed parts are left zero.
func DecodeStats(b []byte) Stats {
	var s Stats
	var pkt64 uint64
	hasPkt64 := false
	for a := range chainOf(b).All() {
		d := a.Data
		switch a.Kind() {
		case statsBasic:
			if len(d) >= 12 {
				s.Bytes, s.Packets, s.HasBasic = native.Uint64(d), uint64(native.Uint32(d[8:])), true
			}
		case statsBasicHW:
			if len(d) >= 12 {
				s.HWBytes, s.HWPackets, s.HasHW = native.Uint64(d), uint64(native.Uint32(d[8:])), true
			}
		case statsPkt64:
			if len(d) >= 8 {
				pkt64, hasPkt64 = native.Uint64(d), true
			}
		case statsRateEst:
			if len(d) >= 8 && !s.HasRateEst {
				s.BPS, s.PPS, s.HasRateEst = uint64(native.Uint32(d)), uint64(native.Uint32(d[4:])), true
			}
		case statsRateEst64:
			if len(d) >= 16 {
				s.BPS, s.PPS, s.HasRateEst = native.Uint64(d), native.Uint64(d[8:]), true
			}
		case statsQueue:
			if len(d) >= 20 {
				s.QueueLen, s.Backlog, s.Drops = native.Uint32(d), native.Uint32(d[4:]), native.Uint32(d[8:])
				s.Requeues, s.Overlimits, s.HasQueue = native.Uint32(d[12:]), native.Uint32(d[16:]), true
			}
		case statsApp:
			s.App = d
		}
	}
	if hasPkt64 {
		s.Packets = pkt64
	}
	return s
}

// decodeOldStats decodes struct tc_stats (TCA_STATS), which kernels send
// beside TCA_STATS2 and old ones alone.
func decodeOldStats(d []byte) Stats {
	var s Stats
	if len(d) < 36 {
		return s
	}
	s.Bytes, s.Packets, s.HasBasic = native.Uint64(d), uint64(native.Uint32(d[8:])), true
	s.Drops, s.Overlimits = native.Uint32(d[12:]), native.Uint32(d[16:])
	s.BPS, s.PPS, s.HasRateEst = uint64(native.Uint32(d[20:])), uint64(native.Uint32(d[24:])), true
	s.QueueLen, s.Backlog, s.HasQueue = native.Uint32(d[28:]), native.Uint32(d[32:]), true
	return s
}
