package rtm_test

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// BenchmarkLinkByIndex gets the loopback link: one pooled socket borrowed
// and returned per call, one Query. It measures the handle's per-call cost
// (the allocations are the detached Link's).
func BenchmarkLinkByIndex(b *testing.B) {
	ns := nstest.New(b)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Close() })
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.LinkByIndex(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}
