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

// TestGetAllocatesOnlyTheCopy checks what BenchmarkLinkByIndex reports: a
// get allocates the copy its view owns and nothing else. The reply
// callback that carries the view out once escaped to the heap through
// the socket's reply tracker, with the view itself: two allocations more
// per get.
func TestGetAllocatesOnlyTheCopy(t *testing.T) {
	if raceDetector {
		t.Skip("allocation counts vary under the race detector (sync.Pool drops items at random); run without -race")
	}
	h, _ := handle(t)
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := h.LinkByIndex(ctx, 1); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("LinkByIndex allocates %v times per call, want 1 (the view's copy)", allocs)
	}
}
