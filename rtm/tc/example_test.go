package tc_test

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// Rates, sizes, times and handles parse and print as tc's.
func ExampleParseRate() {
	r, _ := tc.ParseRate("1mbit")
	s, _ := tc.ParseSize("32k")
	t, _ := tc.ParseTime("50ms")
	h, _ := tc.ParseHandle("1:10")
	fmt.Println(uint64(r), r, uint32(s), s, uint32(t), t, uint32(h), h)
	fmt.Println(tc.XmitTime(r, 1514))
	// Output:
	// 125000 1Mbit 32768 32Kb 50000 50ms 65552 1:10
	// 189250
}

// A qdisc is added with a request, and dumped as views.
func ExampleQdiscs() {
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	err = h.Do(ctx, tc.QdiscAdd(tc.QdiscSpec{Ifindex: 1, Parent: tc.HandleRoot,
		Handle: tc.MakeHandle(1, 0), Options: &tc.FIFO{Name: "pfifo", Limit: 100}}))
	if err != nil {
		fmt.Println(err)
	}
	for q, err := range tc.Qdiscs(ctx, h, &tc.QdiscFilter{Ifindex: 1}) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(q.Kind(), q.Handle(), q.Parent())
	}
}
