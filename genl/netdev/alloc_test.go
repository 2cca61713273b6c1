package netdev_test

import (
	"fmt"
	"testing"

	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
)

// TestDevicesAllocs checks that the device dump allocates nothing per
// device: a namespace of 41 devices costs what one of loopback alone
// does.
func TestDevicesAllocs(t *testing.T) {
	h, ns, ctx := dialNS(t)
	walk := func() int {
		n := 0
		for d, err := range netdev.Devices(ctx, h) {
			if err != nil || d.Index() == 0 {
				return -1
			}
			_ = d.XDPFeatures()
			n++
		}
		return n
	}
	one := genltest.DumpAllocs(t, "devices", 1, walk)
	for i := range 20 {
		nstest.IP(t, ns, "link", "add", fmt.Sprintf("a%d", i), "type", "veth", "peer", "name", fmt.Sprintf("b%d", i))
	}
	many := genltest.DumpAllocs(t, "devices", 41, walk)
	t.Logf("allocations per dump: %.0f of one device, %.0f of 41", one, many)
	// One allocation per device would add 40; the race detector's
	// sync.Pool drops items at random, which adds one now and then.
	if many >= one+20 {
		t.Errorf("a dump of 41 devices allocates %.0f times, of one %.0f: want none per device", many, one)
	}
}
