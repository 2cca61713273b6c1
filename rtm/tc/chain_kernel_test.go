package tc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// TestKernelChains adds chains with this package, checks that tc shows
// them, dumps and gets them, reads their events, and deletes them; a
// template of a kind without templates (u32) is refused with the
// kernel's message.
func TestKernelChains(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32")
	n := newTCNS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := n.h.Monitor([]rtm.Group{rtm.GroupTC})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	one := tc.ChainSpec{Ifindex: n.p0, Parent: minIngress, Chain: rtm.Some[uint32](1)}
	if err := n.h.Do(ctx, tc.ChainAdd(one)); err != nil {
		t.Fatal(err)
	}
	if err := n.h.Do(ctx, tc.ChainAdd(one)); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding chain 1 again: %v, want EEXIST", err)
	}
	// A filter in chain 3 creates the chain.
	n.tc(t, "filter", "add", "dev", "p0", "ingress", "chain", "3", "prio", "1", "protocol", "ip", "u32", "match", "ip", "dst", "10.0.0.0/8")
	if got, want := n.tc(t, "chain", "show", "dev", "p0", "ingress"), "chain parent ffff: chain 1 \nchain parent ffff: chain 3 \n"; got != want {
		t.Errorf("tc chain show: %q, want %q", got, want)
	}
	var got []uint32
	for c, err := range tc.Chains(ctx, n.h, tc.ChainFilter{Ifindex: n.p0, Parent: minIngress}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Ifindex() != n.p0 || c.Parent() != 0xffff0000 || c.Kind() != "" {
			t.Errorf("chain %d: ifindex %d parent %v kind %q", c.Index(), c.Ifindex(), c.Parent(), c.Kind())
		}
		got = append(got, c.Index())
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("dumped chains %v, want [1 3]", got)
	}
	for range tc.Chains(ctx, n.h, tc.ChainFilter{Ifindex: n.p0, Parent: minEgress}) {
		t.Error("egress has a chain")
	}
	c, err := tc.ChainGet(ctx, n.h, tc.ChainSpec{Ifindex: n.p0, Parent: minIngress, Chain: rtm.Some[uint32](3)})
	if err != nil || c.Index() != 3 {
		t.Errorf("get chain 3: %d, %v", c.Index(), err)
	}
	if _, err := tc.ChainGet(ctx, n.h, tc.ChainSpec{Ifindex: n.p0, Parent: minIngress, Chain: rtm.Some[uint32](9)}); !errors.Is(err, unix.EINVAL) ||
		!strings.Contains(err.Error(), "Cannot find specified filter chain") {
		t.Errorf("get chain 9: %v", err)
	}
	u32 := tc.ChainSpec{Ifindex: n.p0, Parent: minIngress, Chain: rtm.Some[uint32](4), Protocol: unix.ETH_P_IP, Template: &tc.RawFilter{Name: "u32"}}
	if err := n.h.Do(ctx, tc.ChainAdd(u32)); !errors.Is(err, unix.EOPNOTSUPP) ||
		!strings.Contains(err.Error(), "Chain templates are not supported") {
		t.Errorf("a u32 template: %v", err)
	}
	if err := n.h.Do(ctx, tc.ChainDel(one)); err != nil {
		t.Fatal(err)
	}
	// Deleting chain 3 deletes its filter.
	if err := n.h.Do(ctx, tc.ChainDel(tc.ChainSpec{Ifindex: n.p0, Parent: minIngress, Chain: rtm.Some[uint32](3)})); err != nil {
		t.Fatal(err)
	}
	if out := n.tc(t, "filter", "show", "dev", "p0", "ingress"); out != "" {
		t.Errorf("filters left after deleting their chain: %q", out)
	}
	var added, deleted bool
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		c, ok := tc.ChainOf(ev)
		if !ok || c.Index() != 1 {
			continue
		}
		if ev.IsNew() {
			added = true
		} else {
			deleted = true
		}
		if added && deleted {
			break
		}
	}
	if !added || !deleted {
		t.Errorf("chain 1's events: added %v, deleted %v", added, deleted)
	}
}
