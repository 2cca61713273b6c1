package xfrm_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/xfrm"
)

// An IKE daemon's work: a tunnel-mode ESP SA and the policy that sends
// traffic through it, then a listing of the ESP SAs.
func Example() {
	local, remote := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	sa := xfrm.State{Src: local, Dst: remote, Proto: xfrm.ProtoESP, SPI: 0x1000, Mode: xfrm.ModeTunnel, Reqid: 1,
		AEAD: &xfrm.Algo{Name: "rfc4106(gcm(aes))", Key: make([]byte, 20), ICVBits: 128}}
	sp := xfrm.Policy{Dir: xfrm.DirOut,
		Selector:  xfrm.Selector{Src: netip.MustParsePrefix("10.1.0.0/16"), Dst: netip.MustParsePrefix("10.2.0.0/16")},
		Templates: []xfrm.Template{{Src: local, Dst: remote, Proto: xfrm.ProtoESP, Mode: xfrm.ModeTunnel, Reqid: 1}}}

	h, err := xfrm.Dial()
	if err == nil {
		defer h.Close()
		ctx := context.Background()
		// The kernel checks the algorithm: ENOENT if it lacks it.
		err = errors.Join(h.StateAdd(ctx, &sa), h.PolicyAdd(ctx, &sp))
		for v, derr := range h.States(ctx, xfrm.StateFilter{Proto: xfrm.ProtoESP}) {
			if derr == nil {
				fmt.Printf("%s -> %s spi %#x\n", v.Src(), v.Dst(), v.SPI())
			}
			err = errors.Join(err, derr)
		}
	}
	if err != nil {
		fmt.Println(err)
	}
}
