package tc_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// An extended-match expression, as tc's "basic match 'cmp(u8 at 9 eq
// 6)' and not 'meta(nf_mark eq 1)'" gives it, encodes into the basic
// filter's Ematches and decodes back.
func ExampleEncodeEmatches() {
	tree, err := tc.EncodeEmatches([]tc.EmatchTerm{
		{Relation: tc.EmatchAnd, Match: &tc.EmatchCmp{Align: 1, Offset: 9, Layer: tc.EmatchLayerNetwork, Value: 6}},
		{Not: true, Match: &tc.EmatchMeta{Left: tc.EmatchMetaValue{ID: 12}, Right: tc.EmatchMetaValue{Int: 1}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = tc.FilterAdd(tc.FilterSpec{Ifindex: 2, Parent: tc.MakeHandle(1, 0), Protocol: unix.ETH_P_IP,
		Options: &tc.Basic{ClassID: tc.MakeHandle(1, 2), Ematches: tree}})
	terms, err := tc.DecodeEmatches(tree)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range terms {
		fmt.Printf("not %v, relation %d, kind %d\n", t.Not, t.Relation, t.Match.EmatchKind())
	}
	// Output:
	// not false, relation 1, kind 1
	// not true, relation 0, kind 4
}

// A chain with a template: the filters of chain 1 of eth0's ingress
// must match on the first 16 bits of the IPv4 destination ("tc chain add
// dev eth0 ingress chain 1 protocol ip flower dst_ip 0.0.0.0/16"); then
// the chains of the block, as "tc chain show dev eth0 ingress" lists
// them.
func ExampleChainAdd() {
	ctx := context.Background()
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	l, err := h.LinkByName(ctx, "eth0")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = h.Do(ctx, tc.ChainAdd(tc.ChainSpec{Ifindex: l.Index(), Parent: tc.HandleMinIngress, Chain: rtm.Some[uint32](1),
		Protocol: unix.ETH_P_IP, Template: &tc.Flower{Dst: netip.MustParsePrefix("0.0.0.0/16")}}))
	if err != nil {
		fmt.Println(err) // "Chain templates are not supported" without flower
		return
	}
	for c, err := range tc.Chains(ctx, h, tc.ChainFilter{Ifindex: l.Index(), Parent: tc.HandleMinIngress}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("chain", c.Index(), c.Kind())
	}
}
