package ipnet

import (
	"slices"
	"testing"
)

// TestCollapseLarge checks the radix-sorted collapse of many random
// networks against collapsing the same networks one summarize at a time
// after a plain sort, which shares no sorting code with it.
func TestCollapseLarge(t *testing.T) {
	nets4 := randomNets4(5000)
	got4 := slices.Collect(CollapseAddresses4(nil, nets4))
	sorted4 := slices.Clone(nets4)
	slices.SortFunc(sorted4, Net4.Compare)
	var want4 []Net4
	first, last := sorted4[0].ip, sorted4[0].BroadcastAddress().v
	for _, n := range sorted4[1:] {
		if uint64(n.ip) <= uint64(last)+1 {
			last = max(last, n.BroadcastAddress().v)
			continue
		}
		summarize4(first, last, func(n Net4) bool { want4 = append(want4, n); return true })
		first, last = n.ip, n.BroadcastAddress().v
	}
	summarize4(first, last, func(n Net4) bool { want4 = append(want4, n); return true })
	if !slices.Equal(got4, want4) {
		t.Errorf("CollapseAddresses4: %d networks, want %d", len(got4), len(want4))
	}

	nets6 := randomNets6(5000)
	nets6 = append(nets6, nets6[:100]...) // duplicates share their high bits
	got6 := slices.Collect(CollapseAddresses6(nil, nets6))
	for i := 1; i < len(got6); i++ {
		if !got6[i-1].BroadcastAddress().u.Less(got6[i].a.u) {
			t.Fatalf("CollapseAddresses6: %v before %v", got6[i-1], got6[i])
		}
	}
	for _, n := range nets6 {
		if !slices.ContainsFunc(got6, func(m Net6) bool { return n.SubnetOf(m) }) {
			t.Fatalf("CollapseAddresses6 lost %v", n)
		}
	}
}
