package rtm_test

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/rtm"
)

func Example() {
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()

	// One request, no dump: the loopback device by name.
	lo, err := h.LinkByName(ctx, "lo")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lo.Name(), lo.Index(), lo.IsUp() || !lo.IsUp())

	// By pyroute2-style name, including nested paths.
	if v, ok := lo.Get("stats64", "rx_bytes"); ok {
		_, isNumber := v.Uint()
		fmt.Println("rx_bytes is a number:", isNumber)
	}

	// A streaming dump: each view is valid until the next iteration.
	n := 0
	for l, err := range h.Links(ctx, &rtm.LinkFilter{Kind: "no-such-kind"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		_ = l
		n++
	}
	fmt.Println("links of an unknown kind:", n)
	// Output:
	// lo 1 true
	// rx_bytes is a number: true
	// links of an unknown kind: 0
}
