package rtm_test

import (
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
)

// ExampleEncapSeg6 is "ip -6 route add 2001:db8:a::/64 encap seg6 mode
// encap segs fc00::1,fc00::2 dev eth0" as a request value; the route the
// kernel reports back decodes with Route.Tunnel.
func ExampleEncapSeg6() {
	req := rtm.RouteAdd(rtm.RouteSpec{
		Dst:      netip.MustParsePrefix("2001:db8:a::/64"),
		OutIndex: 2,
		Tunnel: rtm.EncapSeg6{
			Mode:     rtm.Seg6Encap,
			Segments: []netip.Addr{netip.MustParseAddr("fc00::1"), netip.MustParseAddr("fc00::2")},
		},
	})
	_ = req // h.Do(ctx, req)
	e := rtm.EncapSeg6{Mode: rtm.Seg6EncapRed}
	fmt.Println(rtm.EncapName(e.EncapType()), e.Mode)
	// Output: seg6 encap.red
}
