package xfrm_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/xfrm"
)

// An IKE daemon's work: a tunnel-mode ESP SA and the policy that sends
// traffic through it, then a listing.
func Example() {
	h, err := xfrm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	local, remote := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	err = h.StateAdd(ctx, &xfrm.State{
		Src: local, Dst: remote, Proto: xfrm.ProtoESP, SPI: 0x1000, Mode: xfrm.ModeTunnel, Reqid: 1,
		AEAD: &xfrm.Algo{Name: "rfc4106(gcm(aes))", Key: make([]byte, 20), ICVBits: 128},
	})
	if err != nil {
		fmt.Println(err)
	}
	err = h.PolicyAdd(ctx, &xfrm.Policy{
		Selector:  xfrm.Selector{Src: netip.MustParsePrefix("10.1.0.0/16"), Dst: netip.MustParsePrefix("10.2.0.0/16")},
		Dir:       xfrm.DirOut,
		Templates: []xfrm.Template{{Src: local, Dst: remote, Proto: xfrm.ProtoESP, Mode: xfrm.ModeTunnel, Reqid: 1}},
	})
	if err != nil {
		fmt.Println(err)
	}
	for v, err := range h.States(ctx, xfrm.StateFilter{Proto: xfrm.ProtoESP}) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%s -> %s spi %#x\n", v.Src(), v.Dst(), v.SPI())
	}
}
