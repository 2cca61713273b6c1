package rtm

import (
	"net/netip"
	"testing"
)

// BenchmarkBatchRouteAdd measures building one route-add request into a
// batch: the per-route cost before anything is sent.
func BenchmarkBatchRouteAdd(b *testing.B) {
	bt := &Batch{}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%10000 == 0 {
			bt = &Batch{b: bt.b, ops: bt.ops[:0], lazy: bt.lazy[:0]}
			bt.b.Reset(bt.b.Bytes())
		}
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), 0}), 24)
		if err := bt.RouteAdd(RouteSpec{Dst: p, OutIndex: 2, Table: 100}); err != nil {
			b.Fatal(err)
		}
	}
}
