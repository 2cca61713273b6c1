package tc_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// A u32 selector is built from tc's matches; handles parse and print as
// tc's ("800::800").
func ExampleU32Sel() {
	var sel tc.U32Sel
	sel.MatchPrefix(netip.MustParsePrefix("10.0.0.0/8"), 12, false) // match ip src 10.0.0.0/8
	sel.Match16(80, 0xffff, 22, false)                              // match ip dport 80 0xffff
	sel.Match8(6, 0xff, 9, false)                                   // match ip protocol 6 0xff
	for _, k := range sel.Keys {
		fmt.Printf("%08x/%08x at %d\n", k.Val, k.Mask, k.Off)
	}
	h, _ := tc.ParseU32Handle("800::800")
	fmt.Printf("%#x %s\n", h, tc.FormatU32Handle(h))
	// Output:
	// 0a000000/ff000000 at 12
	// 00000050/0000ffff at 20
	// 00060000/00ff0000 at 8
	// 0x80000800 800::800
}

// Filters with actions are added with requests, in batches, and dumped as
// views that decode to the specifications that made them.
func ExampleFilters() {
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	var sel tc.U32Sel
	sel.MatchPrefix(netip.MustParsePrefix("192.0.2.0/24"), 16, false)
	err = h.Do(ctx, tc.FilterAdd(tc.FilterSpec{Ifindex: 2, Parent: tc.HandleMinIngress, Priority: 10,
		Protocol: unix.ETH_P_IP, Options: &tc.U32{Sel: &sel,
			Actions: []tc.Action{{Kind: &tc.Mirred{Ifindex: 3, Ingress: true}}}}}))
	if err != nil {
		fmt.Println(err)
	}
	for f, err := range tc.Filters(ctx, h, tc.FilterFilter{Ifindex: 2, Parent: tc.HandleMinIngress}) {
		if err != nil {
			fmt.Println(err)
			break
		}
		for a := range f.Actions() {
			fmt.Println(f.Priority(), f.Kind(), a.Kind(), a.Index())
		}
	}
}
