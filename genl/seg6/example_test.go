package seg6_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/seg6"
	"github.com/ipr-go/ipr/internal/seg6fake"
)

// Setting the source address of SRv6 encapsulation and an HMAC key, and
// reading them back, here on a fake kernel with HMAC support, which
// kernels built without CONFIG_IPV6_SEG6_HMAC lack (drop WithTransport to
// ask the running kernel).
func Example() {
	_, fake := seg6fake.New()
	h, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	src, err := seg6.SetTunnelSource(netip.MustParseAddr("fd00:5e6::1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	key, err := seg6.SetHMAC(7, seg6.SHA256, []byte("s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Both requests at once, pipelined.
	if err := seg6.Do(ctx, h, src, key); err != nil {
		fmt.Println(err)
		return
	}
	addr, err := seg6.TunnelSource(ctx, h)
	fmt.Println("tunnel source:", addr, err)
	for k, err := range seg6.HMACKeys(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("key %d: %s, secret %q\n", k.ID(), k.Algorithm(), k.Secret())
	}
	// Output:
	// tunnel source: fd00:5e6::1 <nil>
	// key 7: sha256, secret "s3cret"
}
