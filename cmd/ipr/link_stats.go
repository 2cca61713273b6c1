package main

// -s: a link's counters, as iproute2's print_stats64 prints them.

import (
	"encoding/binary"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// statsOptions are the options that shape the counters: -s given once or
// more, -h (human-readable units) and -iec (powers of 1024).
type statsOptions struct {
	level int
	human bool
	iec   bool
}

// linkStats is struct rtnl_link_stats64 of iproute2 6.1's headers, in its
// field order.
type linkStats struct {
	rxPackets, txPackets, rxBytes, txBytes, rxErrors, txErrors, rxDropped, txDropped uint64
	multicast, collisions                                                            uint64
	rxLengthErrors, rxOverErrors, rxCRCErrors, rxFrameErrors, rxFIFOErrors           uint64
	rxMissedErrors, txAbortedErrors, txCarrierErrors, txFIFOErrors                   uint64
	txHeartbeatErrors, txWindowErrors, rxCompressed, txCompressed, rxNoHandler       uint64
	rxOtherhostDropped                                                               uint64
}

// linkStatsFields is the number of counters in linkStats; IFLA_STATS, the
// 32-bit form, has all but the last.
const linkStatsFields = 25

// fields returns pointers to s's counters in the structure's order.
func (s *linkStats) fields() [linkStatsFields]*uint64 {
	return [...]*uint64{&s.rxPackets, &s.txPackets, &s.rxBytes, &s.txBytes, &s.rxErrors, &s.txErrors,
		&s.rxDropped, &s.txDropped, &s.multicast, &s.collisions, &s.rxLengthErrors, &s.rxOverErrors,
		&s.rxCRCErrors, &s.rxFrameErrors, &s.rxFIFOErrors, &s.rxMissedErrors, &s.txAbortedErrors,
		&s.txCarrierErrors, &s.txFIFOErrors, &s.txHeartbeatErrors, &s.txWindowErrors, &s.rxCompressed,
		&s.txCompressed, &s.rxNoHandler, &s.rxOtherhostDropped}
}

// readLinkStats is iproute2's get_rtnl_link_stats_rta: IFLA_STATS64, else
// IFLA_STATS widened, a short attribute padded with zeros. The name is
// the JSON key ip uses: "stats64", or "stats" for the 32-bit form.
func readLinkStats(idx *nla.Index) (s linkStats, key string, ok bool) {
	f := s.fields()
	if a, ok := idx.Get(unix.IFLA_STATS64); ok {
		for i := 0; i < linkStatsFields && 8*i+8 <= len(a.Data); i++ {
			*f[i] = binary.NativeEndian.Uint64(a.Data[8*i:])
		}
		return s, "stats64", true
	}
	if a, ok := idx.Get(unix.IFLA_STATS); ok {
		for i := 0; i < linkStatsFields-1 && 4*i+4 <= len(a.Data); i++ {
			*f[i] = uint64(binary.NativeEndian.Uint32(a.Data[4*i:]))
		}
		return s, "stats", true
	}
	return s, "", false
}

// printLinkStats is iproute2's __print_link_stats and print_stats64.
func printLinkStats(p *printer, idx *nla.Index, o statsOptions) {
	s, key, ok := readLinkStats(idx)
	if !ok {
		return
	}
	carrier, hasCarrier := idx.Get(unix.IFLA_CARRIER_CHANGES)
	carrierChanges := uint64(attrU32(carrier))
	if p.json {
		// uints prints counters under their keys, and the compressed
		// one when it counts.
		uints := func(keys []string, vals []uint64, compressed uint64) {
			for i, k := range keys {
				p.jsonUint(k, vals[i])
			}
			if compressed != 0 {
				p.jsonUint("compressed", compressed)
			}
		}
		p.openObject(key)
		p.openObject("rx")
		uints([]string{"bytes", "packets", "errors", "dropped", "over_errors", "multicast"},
			[]uint64{s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxOverErrors, s.multicast}, s.rxCompressed)
		if o.level > 1 {
			uints([]string{"length_errors", "crc_errors", "frame_errors", "fifo_errors", "missed_errors"},
				[]uint64{s.rxLengthErrors, s.rxCRCErrors, s.rxFrameErrors, s.rxFIFOErrors, s.rxMissedErrors}, 0)
			if s.rxNoHandler != 0 {
				p.jsonUint("nohandler", s.rxNoHandler)
			}
			if s.rxOtherhostDropped != 0 {
				p.jsonUint("otherhost", s.rxOtherhostDropped)
			}
		}
		p.closeObject()
		p.openObject("tx")
		uints([]string{"bytes", "packets", "errors", "dropped", "carrier_errors", "collisions"},
			[]uint64{s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions}, s.txCompressed)
		if o.level > 1 {
			uints([]string{"aborted_errors", "fifo_errors", "window_errors", "heartbeat_errors"},
				[]uint64{s.txAbortedErrors, s.txFIFOErrors, s.txWindowErrors, s.txHeartbeatErrors}, 0)
			if hasCarrier {
				p.jsonUint("carrier_changes", carrierChanges)
			}
		}
		p.closeObject()
		p.closeObject()
		return
	}

	// The columns widen to the widest number below them.
	cols := [8]int{len("*X errors:"), len("packets"), len("errors"), len("dropped"),
		len("heartbt"), len("overrun"), len("compressed"), len("otherhost")}
	size := func(v ...uint64) {
		if o.human {
			return
		}
		for i, x := range v {
			if n := len(strconv.FormatUint(x, 10)); n > cols[i] {
				cols[i] = n
			}
		}
	}
	size(s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast, s.rxCompressed, 0)
	if o.level > 1 {
		size(0, s.rxLengthErrors, s.rxCRCErrors, s.rxFrameErrors, s.rxFIFOErrors, s.rxOverErrors,
			s.rxNoHandler, s.rxOtherhostDropped)
	}
	size(s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions, s.txCompressed, 0)
	if o.level > 1 {
		size(0, 0, s.txAbortedErrors, s.txFIFOErrors, s.txWindowErrors, s.txHeartbeatErrors, carrierChanges, 0)
	}
	num := func(width int, v uint64) { p.buf = appendStatNum(p.buf, width, v, o) }
	pad := func(width int, s string) { p.buf = appendPadded(p.buf, width, s) }

	// counters prints a direction's two lines: the column titles over
	// the counters, and the compressed column only when it counts.
	counters := func(title string, heads [5]string, vals [6]uint64, compressed uint64) {
		p.textString(title)
		pad(cols[0]-4, "bytes")
		for i, h := range heads {
			p.textString(" ")
			pad(cols[i+1], h)
		}
		head := ""
		if compressed != 0 {
			head = "compressed"
		}
		p.textString(" ")
		pad(cols[6], head)
		p.nl()
		p.textString("    ")
		for i, v := range vals {
			num(cols[i], v)
		}
		if compressed != 0 {
			num(cols[6], compressed)
		}
	}
	// errorHeads starts a direction's -s -s lines: its error titles.
	errorHeads := func(title string, heads [5]string) {
		p.nl()
		p.textString(title)
		pad(cols[0]-10, "")
		for i, h := range heads {
			p.textString(" ")
			pad(cols[i+1], h)
		}
	}
	// errorCounts prints the error counters under errorHeads' titles.
	errorCounts := func(vals []uint64) {
		p.nl()
		pad(cols[0]+5, "")
		for i, v := range vals {
			num(cols[i+1], v)
		}
	}

	counters("    RX: ", [...]string{"packets", "errors", "dropped", "missed", "mcast"},
		[...]uint64{s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast}, s.rxCompressed)
	if o.level > 1 {
		errorHeads("    RX errors:", [...]string{"length", "crc", "frame", "fifo", "overrun"})
		if s.rxNoHandler != 0 {
			pad(cols[6]+1, " nohandler")
		}
		if s.rxOtherhostDropped != 0 {
			pad(cols[7]+1, " otherhost")
		}
		rx := [...]uint64{s.rxLengthErrors, s.rxCRCErrors, s.rxFrameErrors, s.rxFIFOErrors, s.rxOverErrors}
		errorCounts(rx[:])
		if s.rxNoHandler != 0 {
			num(cols[6], s.rxNoHandler)
		}
		if s.rxOtherhostDropped != 0 {
			num(cols[7], s.rxOtherhostDropped)
		}
	}
	p.nl()

	counters("    TX: ", [...]string{"packets", "errors", "dropped", "carrier", "collsns"},
		[...]uint64{s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions}, s.txCompressed)
	if o.level > 1 {
		// Without carrier changes their column keeps its place, blank.
		heads := [...]string{"aborted", "fifo", "window", "heartbt", ""}
		tx := [...]uint64{s.txAbortedErrors, s.txFIFOErrors, s.txWindowErrors, s.txHeartbeatErrors, carrierChanges}
		n := len(tx) - 1
		if hasCarrier {
			heads[4], n = "transns", len(tx)
		}
		errorHeads("    TX errors:", heads)
		errorCounts(tx[:n])
	}
}

// appendPadded is C's "%*s": s right-aligned in width columns.
func appendPadded(b []byte, width int, s string) []byte {
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

// appendStatNum is iproute2's print_num: a counter right-aligned in width
// columns and a space; with -h, large ones in units of 1000 (1024 with
// -iec) with a prefix (k, M, G, T, P, E; Ki... with -iec).
func appendStatNum(b []byte, width int, v uint64, o statsOptions) []byte {
	base := uint64(1000)
	if o.iec {
		base = 1024
	}
	if !o.human || v < base {
		return append(appendPadded(b, width, strconv.FormatUint(v, 10)), ' ')
	}
	const prefixes = "kMGTPE"
	pre := 0
	pow := uint64(1)
	for {
		pow *= base
		if v/base < pow || pre+1 >= len(prefixes) {
			break
		}
		pre++
	}
	precision := 2
	for powj := uint64(1); precision > 0; precision-- {
		powj *= 10
		if v/pow < powj {
			break
		}
	}
	s := strconv.FormatFloat(float64(v)/float64(pow), 'f', precision, 64) + string(prefixes[pre])
	if o.iec {
		s += "i"
	}
	return append(appendPadded(b, width, s), ' ')
}
