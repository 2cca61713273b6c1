package rtm

import (
	"encoding/binary"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"golang.org/x/sys/unix"
)

// TestLinkStatsShortCounters pins how the readers of counter structs
// (rtnl_link_stats64 and rtnl_hw_stats64) read a struct shorter than
// theirs, as a kernel older than the struct sends it: the counters it
// holds whole, zero past its end (a counter cut in two included); and a
// longer one, as a newer kernel sends it: its first counters.
func TestLinkStatsShortCounters(t *testing.T) {
	counters := func(n int) []byte {
		b := make([]byte, n)
		for i := 0; 8*i+8 <= n; i++ {
			binary.NativeEndian.PutUint64(b[8*i:], uint64(100+i))
		}
		return b
	}
	stats := func(link64, cpuHit, l3 []byte) LinkStats {
		t.Helper()
		p := make([]byte, sizeofIfStatsMsg)
		p = append(p, rawnl.Attr(iflaStatsLink64, link64)...)
		off := append(rawnl.Attr(offloadCPUHit, cpuHit), rawnl.Attr(offloadL3Stats, l3)...)
		p = append(p, rawnl.Attr(iflaStatsOffloadXstats|unix.NLA_F_NESTED, off)...)
		s, err := LinkStatsFromBytes(p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := stats(counters(20), counters(8), counters(30))
	if l, ok := s.Link64(); !ok || l != (LinkStats64{RxPackets: 100, TxPackets: 101}) {
		t.Errorf("short Link64() = %+v, %v", l, ok)
	}
	if l, ok := s.CPUHit(); !ok || l != (LinkStats64{RxPackets: 100}) {
		t.Errorf("short CPUHit() = %+v, %v", l, ok)
	}
	if h, ok := s.L3Stats(); !ok || h != (HWStats64{RxPackets: 100, TxPackets: 101, RxBytes: 102}) {
		t.Errorf("short L3Stats() = %+v, %v", h, ok)
	}
	s = stats(counters(8*30), counters(0), counters(8*10))
	want := LinkStats64{100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115,
		116, 117, 118, 119, 120, 121, 122, 123, 124}
	if l, ok := s.Link64(); !ok || l != want {
		t.Errorf("long Link64() = %+v, %v", l, ok)
	}
	if l, ok := s.CPUHit(); !ok || l != (LinkStats64{}) {
		t.Errorf("empty CPUHit() = %+v, %v", l, ok)
	}
	if h, ok := s.L3Stats(); !ok || h != (HWStats64{100, 101, 102, 103, 104, 105, 106, 107, 108}) {
		t.Errorf("long L3Stats() = %+v, %v", h, ok)
	}
}
