package ethtool_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/nltest"
)

// Reading a device's features, as `ethtool -k` shows them, and those of
// every device in one dump, here over a conversation recorded on Linux
// 6.18 in a namespace with a veth pair (drop WithTransport to ask the
// running kernel; a conversation recorded anew on another kernel, by
// scripts/capture.sh, may change the counts printed).
func Example() {
	ctx := context.Background()
	h, err := genl.Dial(genl.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "veth.nlconv"))))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	s, err := ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "va"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"rx-gro", "rx-lro", "tx-checksum-ip-generic"} {
		f, _ := s.Get(name)
		fmt.Println(f)
	}
	for s, err := range ethtool.AllFeatures(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		gro, _ := s.Get("rx-gro")
		fmt.Printf("%s (index %d): %d features on, %v\n", s.Name, s.Index, s.Active.Count(), gro)
	}
	// Output:
	// rx-gro: off
	// rx-lro: off [fixed]
	// tx-checksum-ip-generic: on
	// lo (index 1): 18 features on, rx-gro: on
	// vb (index 2): 25 features on, rx-gro: off
	// va (index 3): 25 features on, rx-gro: off
}

// The generated request builders and views reach every ethtool message;
// Device.Header names the device. Here, a veth's channels (ethtool -l).
func ExampleChannelsGetRequest() {
	ctx := context.Background()
	h, err := genl.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	f, err := ethtool.Family(ctx, h)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := ethtool.ChannelsGetRequest(func(e ethtool.ChannelsEncoder) {
		e.Header(ethtool.Device{Name: "eth0"}.Header(0))
	})
	err = h.Query(ctx, f, req, func(m genl.Message) error {
		v, err := ethtool.ParseChannelsGetReply(m)
		if err != nil {
			return err
		}
		rx, _ := v.RXCount()
		rxMax, _ := v.RXMax()
		fmt.Printf("rx %d of %d\n", rx, rxMax)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
}
