package rtm_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// Requests are values: a function can build the changes an interface
// needs, of any kind, and leave to its caller whether they are sent alone
// or pipelined. Here the kernel is nltest's fake, so the example runs
// without root.
func ExampleHandle_Do() {
	ctx := context.Background()
	fake := nltest.NewRTNL()
	fake.AddLink(nltest.Link{Index: 2, Name: "eth0", MTU: 1500})
	h, err := rtm.Dial(rtm.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	// uplink is the configuration of an uplink, as requests.
	uplink := func(index int32) []rtm.Request {
		return []rtm.Request{
			rtm.LinkSet(rtm.LinkSpec{Index: index, Up: rtm.Some(true)}),
			rtm.AddrAdd(rtm.AddrSpec{Index: index, Prefix: netip.MustParsePrefix("192.0.2.10/24")}),
			rtm.RouteAdd(rtm.RouteSpec{Dst: netip.MustParsePrefix("198.51.100.0/24"),
				Gateway: netip.MustParseAddr("192.0.2.1"), OutIndex: index}),
		}
	}
	// Sent pipelined: one round trip for the three.
	if err := h.Do(ctx, uplink(2)...); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("addresses:", len(fake.Addrs()), "routes:", len(fake.Routes()))

	// Sent alone, a request's error names its object, and validation
	// fails before anything is sent.
	err = h.Do(ctx, uplink(2)[1])
	fmt.Println(errors.Is(err, unix.EEXIST), err)
	err = h.Do(ctx, rtm.AddrAdd(rtm.AddrSpec{Index: 2}))
	fmt.Println(err)

	// Queued in a batch, with other requests.
	bt := h.NewBatch()
	if err := bt.Add(rtm.AddrDel(rtm.AddrSpec{Index: 2, Prefix: netip.MustParsePrefix("192.0.2.10/24")})); err != nil {
		fmt.Println(err)
		return
	}
	results, err := bt.Run(ctx)
	fmt.Println(len(results), err, len(fake.Addrs()))
	// Output:
	// addresses: 1 routes: 1
	// true rtm: address add 192.0.2.10/24: file exists
	// rtm: address add: no valid address prefix
	// 1 <nil> 0
}
