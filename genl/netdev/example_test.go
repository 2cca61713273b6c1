package netdev_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/nltest"
)

// Listing the devices' XDP features, here over a conversation recorded
// on Linux 6.18 in a namespace with a veth pair (drop WithTransport to
// ask the running kernel).
func Example() {
	ctx := context.Background()
	h, err := genl.Dial(genl.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "devices.nlconv"))))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	for d, err := range netdev.Devices(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("ifindex %d: xdp [%v] xsk [%v]\n", d.Index(), d.XDPFeatures(), d.XSKFeatures())
	}
	// Output:
	// ifindex 1: xdp [] xsk []
	// ifindex 2: xdp [] xsk []
	// ifindex 3: xdp [basic redirect rx-sg] xsk []
}
