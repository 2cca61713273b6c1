package rtm_test

import (
	"testing"
)

// BenchmarkLinkByIndex gets the loopback link: one pooled socket borrowed
// and returned per call, one Query. It measures the handle's per-call cost
// (the allocations are the detached Link's).
func BenchmarkLinkByIndex(b *testing.B) {
	h, _ := handle(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.LinkByIndex(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}
