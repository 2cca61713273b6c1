package rtm_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ipr-go/ipr/rtm"
)

// Creating links needs root, so this example has no output to check. It
// builds a bridge with a veth pair whose far end lives in another
// namespace, as
//
//	ip -n blue link add br0 up type bridge stp_state 0
//	ip -n blue link add veth0 mtu 9000 type veth peer name eth0 netns red
//	ip -n blue link set veth0 master br0 up
//	ip -n blue link set veth0 type bridge_slave learning off
func ExampleHandle_LinkAdd() {
	ctx := context.Background()
	h, err := rtm.Dial(rtm.WithNetns("blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()

	err = h.LinkAdd(ctx, rtm.LinkSpec{Name: "br0", Up: rtm.Some(true), Kind: &rtm.Bridge{STP: rtm.Some(false)}})
	if err != nil {
		log.Fatal(err)
	}
	err = h.LinkAdd(ctx, rtm.LinkSpec{
		Name: "veth0",
		MTU:  9000,
		Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "eth0", Netns: rtm.NetnsByName("red")}},
	})
	if err != nil {
		log.Fatal(err)
	}
	br, err := h.LinkByName(ctx, "br0")
	if err != nil {
		log.Fatal(err)
	}
	// Some distinguishes "set to" from "leave alone": Some(false) turns
	// learning off, where the zero value would not touch it.
	err = h.LinkSet(ctx, rtm.LinkSpec{Name: "veth0", Master: rtm.Some(br.Index()), Up: rtm.Some(true)})
	if err != nil {
		log.Fatal(err)
	}
	err = h.LinkSet(ctx, rtm.LinkSpec{Name: "veth0", Port: &rtm.BridgePort{Learning: rtm.Some(false)}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("br0 has index", br.Index())
}

// A batch creates many links with few system calls; each request has its
// own result.
func ExampleBatch_LinkAdd() {
	h, err := rtm.Dial(rtm.WithNetns("blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	bt := h.NewBatch()
	for i := 0; i < 1000; i++ {
		err := bt.LinkAdd(rtm.LinkSpec{
			Name: fmt.Sprintf("a%d", i),
			Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("b%d", i)}},
		})
		if err != nil {
			log.Fatal(err) // invalid spec: nothing was added or sent
		}
	}
	results, err := bt.Run(context.Background())
	if err != nil {
		for i, r := range results {
			if r != nil {
				log.Printf("pair %d: %v", i, r)
			}
		}
	}
}
