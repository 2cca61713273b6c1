package tc_test

import (
	"context"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// addHTBClasses adds an htb qdisc and n classes to p0, in one batch.
func addHTBClasses(t testing.TB, h *rtm.Handle, n int) {
	t.Helper()
	ctx := context.Background()
	one := tc.MakeHandle(1, 0)
	reqs := []rtm.Request{tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: one, Options: &tc.HTB{}})}
	for i := 1; i <= n; i++ {
		reqs = append(reqs, tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: one, Handle: tc.MakeHandle(1, uint16(i)),
			Options: &tc.HTBClass{Rate: tc.Rate(1000 * i)}}))
	}
	if err := h.Do(ctx, reqs...); err != nil {
		t.Fatal(err)
	}
}

// A dump allocates nothing per object: a dump of 1,000 classes costs
// what a dump of 100 does.
func TestDumpAllocations(t *testing.T) {
	nstest.Require(t, "qdisc:htb")
	_, h := vethNS(t)
	_, h2 := vethNS(t)
	addHTBClasses(t, h, 100)
	addHTBClasses(t, h2, 1000)
	ctx := context.Background()
	count := func(h *rtm.Handle) func() {
		return func() {
			n := 0
			for c, err := range tc.Classes(ctx, h, tc.ClassFilter{Ifindex: p0}) {
				if err != nil {
					t.Fatal(err)
				}
				if c.Handle().Minor() != 0 {
					n++
				}
			}
		}
	}
	// The least of three measures, and a margin of a few allocations: the
	// runtime's own (a park in the poller, a GC that empties the handle's
	// builder pool) come and go with load and the race detector, while an
	// allocation per class would cost 900 more, and one per datagram
	// (a hundred or so classes each) about nine.
	small, large := testrun.LeastAllocs(5, count(h)), testrun.LeastAllocs(5, count(h2))
	if large > small+4 {
		t.Errorf("class dump: %v allocations for 100 classes, %v for 1,000", small, large)
	}
	t.Logf("class dump: %v allocations for 100 classes, %v for 1,000", small, large)
}
