package seg6_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/seg6"
	"github.com/ipr-go/ipr/nltest"
)

// Setting the source address of SRv6 encapsulation and reading it back,
// then listing the HMAC keys, here over a conversation recorded on Linux
// 6.18 built without HMAC support (drop WithTransport to ask the running
// kernel).
func Example() {
	ctx := context.Background()
	rp, err := nltest.OpenReplayer(filepath.Join("testdata", "conv", "seg6.nlconv"))
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := genl.Dial(genl.WithTransport(rp.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	before, err := seg6.TunnelSource(ctx, h)
	if err != nil {
		fmt.Println(err)
		return
	}
	req, err := seg6.SetTunnelSource(netip.MustParseAddr("fd00:5e6::1"))
	if err == nil {
		err = seg6.Do(ctx, h, req)
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	after, err := seg6.TunnelSource(ctx, h)
	fmt.Println("tunnel source:", before, "then", after, err)
	set, _ := seg6.SetHMAC(7, seg6.SHA256, []byte("s3cret"))
	if err := seg6.Do(ctx, h, set); errors.Is(err, seg6.ErrHMACNotSupported) {
		fmt.Println("no HMAC support")
		return
	}
	for k, err := range seg6.HMACKeys(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("key", k.ID(), k.Algorithm())
	}
	// Output:
	// tunnel source: :: then fd00:5e6::1 <nil>
	// no HMAC support
}
