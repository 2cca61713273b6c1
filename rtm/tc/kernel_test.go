package tc_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// vethNS returns a namespace with a veth pair p0 (index 3) and p1 (index
// 2), both up, and a handle in it.
func vethNS(t *testing.T) (*nstest.NS, *rtm.Handle) {
	t.Helper()
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.IP(t, ns, "link", "set", "p0", "up")
	nstest.IP(t, ns, "link", "set", "p1", "up")
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return ns, h
}

// tcMade returns vethNS's namespace and handle on a kernel with
// features, after tc has run the command lines cmds in it.
func tcMade(t *testing.T, features []string, cmds ...string) (*nstest.NS, *rtm.Handle) {
	t.Helper()
	nstest.Require(t, features...)
	ns, h := vethNS(t)
	for _, cmd := range cmds {
		nstest.Run(t, ns, "tc", strings.Fields(cmd)...)
	}
	return ns, h
}

// tcJSON runs tc -j args in ns and decodes its output.
func tcJSON(t *testing.T, ns *nstest.NS, args ...string) []map[string]any {
	t.Helper()
	var v []map[string]any
	nstest.RunJSON(t, ns, &v, "tc", args...)
	return v
}

func TestQdiscKernel(t *testing.T) {
	nstest.Require(t, "qdisc:pfifo", "qdisc:clsact", "qdisc:ingress")
	ns, h := vethNS(t)
	ctx := context.Background()
	err := h.Do(ctx,
		tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 0), Options: &tc.FIFO{Name: "pfifo", Limit: 10}}),
		tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleIngress, Options: &tc.Ingress{}}),
		tc.QdiscAdd(tc.QdiscSpec{Ifindex: p1, Parent: tc.HandleClsact, Options: &tc.Clsact{}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The same qdisc again: EEXIST, with the kernel's message.
	err = h.Do(ctx, tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 0), Options: &tc.FIFO{Name: "pfifo", Limit: 10}}))
	if !errors.Is(err, unix.EEXIST) {
		t.Errorf("second add: %v, want EEXIST", err)
	}

	type row struct {
		kind, handle, parent string
		ifindex              int32
	}
	var got []row
	var limit uint32
	for q, err := range tc.Qdiscs(ctx, h, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row{q.Kind(), fmt.Sprintf("%x:", q.Handle().Major()), q.Parent().String(), q.Ifindex()})
		if q.IsKind("pfifo") {
			o, err := tc.QdiscOptionsOf(q)
			if err != nil {
				t.Fatal(err)
			}
			limit = o.(*tc.FIFO).Limit
			if s, ok := q.Stats(); !ok || !s.HasBasic || !s.HasQueue {
				t.Errorf("pfifo stats %+v %v", s, ok)
			}
		}
	}
	if limit != 10 {
		t.Errorf("pfifo limit %d, want 10", limit)
	}
	// tc shows the same qdiscs, in the same order.
	js := tcJSON(t, ns, "qdisc", "show")
	if len(js) != len(got) {
		t.Fatalf("ipr dumps %v, tc shows %v", got, js)
	}
	for i, j := range js {
		parent, _ := j["parent"].(string)
		if j["root"] == true {
			parent = "root"
		}
		if j["kind"] != got[i].kind || j["handle"] != got[i].handle || parent != got[i].parent {
			t.Errorf("qdisc %d: ipr %+v, tc %v", i, got[i], j)
		}
	}

	q, err := tc.QdiscGet(ctx, h, p0, tc.MakeHandle(1, 0), tc.HandleNone)
	if err != nil || !q.IsKind("pfifo") || q.Handle() != tc.MakeHandle(1, 0) {
		t.Errorf("get 1: = %v %v %v", q.Kind(), q.Handle(), err)
	}
	_, err = tc.QdiscGet(ctx, h, p0, tc.MakeHandle(7, 0), tc.HandleNone)
	if !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("get 7: %v, want ErrNotFound", err)
	}

	// Deleting the root qdisc leaves the default one.
	if err := h.Do(ctx, tc.QdiscDel(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot})); err != nil {
		t.Fatal(err)
	}
	for q, err := range tc.Qdiscs(ctx, h, &tc.QdiscFilter{Ifindex: p0, Parent: tc.HandleRoot}) {
		if err != nil {
			t.Fatal(err)
		}
		if q.IsKind("pfifo") {
			t.Errorf("pfifo still there after delete")
		}
	}
}

func TestQdiscEvents(t *testing.T) {
	nstest.Require(t, "qdisc:ingress")
	_, h := vethNS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := h.Monitor([]rtm.Group{rtm.GroupTC})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	spec := tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleIngress, Options: &tc.Ingress{}}
	if err := h.Do(ctx, tc.QdiscAdd(spec), tc.QdiscDel(spec)); err != nil {
		t.Fatal(err)
	}
	var seen []bool
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		q, ok := tc.QdiscOf(ev)
		if !ok || !q.IsKind("ingress") {
			continue
		}
		if q.Ifindex() != p0 || q.Handle() != tc.HandleIngressQdisc {
			t.Errorf("event qdisc %v dev %d", q.Handle(), q.Ifindex())
		}
		seen = append(seen, ev.IsNew())
		if len(seen) == 2 {
			break
		}
	}
	if len(seen) != 2 || !seen[0] || seen[1] {
		t.Errorf("events new=%v, want [true false]", seen)
	}
}

// A failed request of a batch is named from its bytes.
func TestBatchErrorNamesQdisc(t *testing.T) {
	nstest.Require(t, "qdisc:pfifo")
	_, h := vethNS(t)
	ctx := context.Background()
	spec := tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 0), Options: &tc.FIFO{Name: "pfifo"}}
	err := h.Do(ctx, tc.QdiscAdd(spec), tc.QdiscAdd(spec))
	if !errors.Is(err, unix.EEXIST) || !strings.Contains(err.Error(), "qdisc add ifindex 3 handle 1: parent root") {
		t.Errorf("batch error %v", err)
	}
}

// What only the kernel knows comes back as its error, with its extended
// ACK message: a parent that does not exist.
func TestKernelRefusalHasExtack(t *testing.T) {
	nstest.Require(t, "qdisc:pfifo")
	_, h := vethNS(t)
	err := h.Do(context.Background(), tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.MakeHandle(5, 1),
		Handle: tc.MakeHandle(6, 0), Options: &tc.FIFO{Name: "pfifo"}}))
	if !errors.Is(err, unix.ENOENT) || !strings.Contains(err.Error(), "qdisc add pfifo handle 6: parent 5:1 ifindex 3") ||
		!strings.Contains(err.Error(), "Failed to find specified qdisc") {
		t.Fatalf("err %v, want ENOENT naming the request", err)
	}
	t.Log(err)
}

func TestHTBKernel(t *testing.T) {
	nstest.Require(t, "qdisc:htb")
	ns, h := vethNS(t)
	ctx := context.Background()
	one := tc.MakeHandle(1, 0)
	err := h.Do(ctx,
		tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: one, Options: &tc.HTB{Default: 0x10}}),
		tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: one, Handle: tc.MakeHandle(1, 1), Options: &tc.HTBClass{Rate: 1250000}}),
		tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 1), Handle: tc.MakeHandle(1, 0x10), Options: &tc.HTBClass{Rate: 125000, Ceil: 250000, Burst: 15 << 10}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	q, err := tc.QdiscGet(ctx, h, p0, one, tc.HandleNone)
	if err != nil {
		t.Fatal(err)
	}
	o, err := tc.QdiscOptionsOf(q)
	if err != nil {
		t.Fatal(err)
	}
	if htb := o.(*tc.HTB); htb.Default != 0x10 || htb.R2Q != 10 || htb.Version>>16 != 3 || htb.DirectQlen.Or(0) != 1000 {
		t.Errorf("htb options %+v", htb)
	}
	js := tcJSON(t, ns, "-d", "qdisc", "show", "dev", "p0")
	if opts := js[0]["options"].(map[string]any); opts["default"] != "0x10" || opts["r2q"] != 10.0 || opts["direct_qlen"] != 1000.0 {
		t.Errorf("tc shows %v", opts)
	}

	// tc's class output is text, even with -j (htb prints with printf).
	text := nstest.Run(t, ns, "tc", "-s", "-d", "class", "show", "dev", "p0")
	n := 0
	for c, err := range tc.Classes(ctx, h, tc.ClassFilter{Ifindex: p0}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		o, err := tc.ClassOptionsOf(c)
		if err != nil {
			t.Fatal(err)
		}
		hc := o.(*tc.HTBClass)
		parent := "parent " + c.Parent().String()
		if c.Parent() == tc.HandleRoot {
			parent = "root"
		}
		want := fmt.Sprintf("class htb %v %s ", c.Handle(), parent)
		if hc.Level == 0 {
			want += fmt.Sprintf("prio %d quantum %d ", hc.Prio, hc.Quantum)
		}
		want += fmt.Sprintf("rate %v ceil %v linklayer ethernet burst %v/1 mpu 0b cburst %v/1 mpu 0b level %d",
			hc.Rate, hc.Ceil, tc.Size(hc.Burst), tc.Size(hc.CBurst), hc.Level)
		if !strings.Contains(text, want) {
			t.Errorf("tc shows\n%s\nwithout\n%s", text, want)
		}
		if s, ok := c.Stats(); !ok || !s.HasBasic || len(s.App) == 0 {
			t.Errorf("class %v stats %+v", c.Handle(), s)
		}
	}
	if n != 2 {
		t.Errorf("%d classes, want 2", n)
	}
	c, err := tc.ClassGet(ctx, h, p0, tc.MakeHandle(1, 0x10))
	if err != nil || c.Parent() != tc.MakeHandle(1, 1) {
		t.Errorf("class get: %v %v", c.Parent(), err)
	}

	// The kernel refuses a class of a qdisc that does not exist, with
	// its own message.
	err = h.Do(ctx, tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(5, 0), Handle: tc.MakeHandle(5, 8), Options: &tc.HTBClass{Rate: 1000}}))
	if !errors.Is(err, unix.ENOENT) {
		t.Errorf("class of a missing qdisc: %v, want ENOENT", err)
	} else {
		t.Log(err)
	}
	if err := h.Do(ctx, tc.ClassDel(tc.ClassSpec{Ifindex: p0, Handle: tc.MakeHandle(1, 0x10)})); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.ClassGet(ctx, h, p0, tc.MakeHandle(1, 0x10)); !errors.Is(err, unix.ENOENT) {
		t.Errorf("get after delete: %v", err)
	}
}

func TestTBFKernel(t *testing.T) {
	nstest.Require(t, "qdisc:tbf")
	ns, h := vethNS(t)
	ctx := context.Background()
	want := tc.TBF{Rate: 125000, Burst: 32 << 10, Latency: 50000}
	if err := h.Do(ctx, tc.QdiscAdd(tc.QdiscSpec{Ifindex: p1, Parent: tc.HandleRoot, Options: &want})); err != nil {
		t.Fatal(err)
	}
	for q, err := range tc.Qdiscs(ctx, h, &tc.QdiscFilter{Ifindex: p1}) {
		if err != nil {
			t.Fatal(err)
		}
		o, err := tc.QdiscOptionsOf(q)
		if err != nil {
			t.Fatal(err)
		}
		got := o.(*tc.TBF)
		if got.Rate != want.Rate || got.Burst != want.Burst || got.Limit != 125000*50000/1000000+32<<10 {
			t.Errorf("tbf %+v", got)
		}
	}
	js := tcJSON(t, ns, "-d", "qdisc", "show", "dev", "p1")
	if opts := js[0]["options"].(map[string]any); opts["rate"] != 125000.0 || opts["burst"] != "32Kb/1" || opts["lat"] != 50000.0 {
		t.Errorf("tc shows %v", opts)
	}
}

// Invalid specifications fail before anything is sent: the fake-less
// Do would reach the kernel otherwise.
func TestValidation(t *testing.T) {
	one := tc.MakeHandle(1, 0)
	for name, q := range map[string]tc.QdiscSpec{
		"no device":          {Parent: tc.HandleRoot, Options: &tc.HTB{}},
		"no parent":          {Ifindex: 1, Options: &tc.HTB{}},
		"minor in handle":    {Ifindex: 1, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 5), Options: &tc.HTB{}},
		"own class":          {Ifindex: 1, Parent: tc.MakeHandle(1, 5), Handle: one, Options: &tc.HTB{}},
		"no kind":            {Ifindex: 1, Parent: tc.HandleRoot},
		"ingress at root":    {Ifindex: 1, Parent: tc.HandleRoot, Options: &tc.Ingress{}},
		"htb at ingress":     {Ifindex: 1, Parent: tc.HandleIngress, Options: &tc.HTB{}},
		"egress block":       {Ifindex: 1, Parent: tc.HandleIngress, Options: &tc.Ingress{}, EgressBlock: 1},
		"tbf rate 0":         {Ifindex: 1, Parent: tc.HandleRoot, Options: &tc.TBF{Burst: 10000, Limit: 1000}},
		"tbf burst < mtu":    {Ifindex: 1, Parent: tc.HandleRoot, Options: &tc.TBF{Rate: 1000, Burst: 1000, Limit: 1000, PeakRate: 2000, MTU: 1500}},
		"tbf no limit":       {Ifindex: 1, Parent: tc.HandleRoot, Options: &tc.TBF{Rate: 1000, Burst: 10000}},
		"fifo of bad kind":   {Ifindex: 1, Parent: tc.HandleRoot, Options: &tc.FIFO{Name: "sfq"}},
		"kind name too long": {Ifindex: 1, Parent: tc.HandleRoot, Options: &tc.RawOptions{Name: "0123456789abcdef"}},
	} {
		if _, err := buildErr(tc.QdiscAdd(q)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for name, c := range map[string]tc.ClassSpec{
		"rate 0":      {Ifindex: 1, Parent: one, Handle: tc.MakeHandle(1, 1), Options: &tc.HTBClass{}},
		"ceil < rate": {Ifindex: 1, Parent: one, Handle: tc.MakeHandle(1, 1), Options: &tc.HTBClass{Rate: 10, Ceil: 5}},
		"minor 0":     {Ifindex: 1, Parent: one, Handle: tc.MakeHandle(1, 0), Options: &tc.HTBClass{Rate: 10}},
		"other qdisc": {Ifindex: 1, Parent: one, Handle: tc.MakeHandle(2, 1), Options: &tc.HTBClass{Rate: 10}},
		"own parent":  {Ifindex: 1, Parent: tc.MakeHandle(1, 1), Handle: tc.MakeHandle(1, 1), Options: &tc.HTBClass{Rate: 10}},
		"no kind":     {Ifindex: 1, Parent: one, Handle: tc.MakeHandle(1, 1)},
		"no device":   {Parent: one, Handle: tc.MakeHandle(1, 1), Options: &tc.HTBClass{Rate: 10}},
	} {
		if _, err := buildErr(tc.ClassAdd(c)); err == nil {
			t.Errorf("class %s: no error", name)
		}
	}
}

// Qdiscs and classes that tc creates decode to the options tc was given.
func TestDecodeWhatTCCreates(t *testing.T) {
	_, h := tcMade(t, []string{"qdisc:htb", "qdisc:tbf", "qdisc:pfifo", "qdisc:bfifo", "qdisc:ingress"},
		"qdisc add dev p0 root handle 1: htb default 20 r2q 7 direct_qlen 50",
		"class add dev p0 parent 1: classid 1:20 htb rate 2mbit ceil 3mbit burst 4000 cburst 5000 prio 3 quantum 2000",
		"qdisc add dev p0 parent 1:20 handle 20: bfifo limit 12345",
		"qdisc add dev p1 root handle 2: tbf rate 5mbit burst 20k limit 40000",
		"qdisc add dev p1 ingress",
	)
	ctx := context.Background()
	want := map[tc.Handle]tc.Options{
		tc.MakeHandle(1, 0):    &tc.HTB{Default: 0x20, R2Q: 7, DirectQlen: rtm.Some[uint32](50), Version: 0x30011},
		tc.MakeHandle(0x20, 0): &tc.FIFO{Name: "bfifo", Limit: 12345},
		tc.MakeHandle(2, 0):    &tc.TBF{Rate: 625000, Burst: 20480, Limit: 40000},
		tc.HandleIngressQdisc:  &tc.Ingress{},
	}
	n := 0
	for q, err := range tc.Qdiscs(ctx, h, nil) {
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[q.Handle()]
		if !ok {
			t.Logf("other qdisc %v %s", q.Handle(), q.Kind())
			continue
		}
		n++
		got, err := tc.QdiscOptionsOf(q)
		if h, ok := got.(*tc.HTB); ok {
			h.DirectPkts = 0 // a counter: IPv6's first packets may have gone through
		}
		if err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("qdisc %v: %#v %v, want %#v", q.Handle(), got, err, w)
		}
	}
	if n != len(want) {
		t.Errorf("%d of the %d qdiscs", n, len(want))
	}
	c, err := tc.ClassGet(ctx, h, p0, tc.MakeHandle(1, 0x20))
	if err != nil {
		t.Fatal(err)
	}
	got, err := tc.ClassOptionsOf(c)
	wantClass := &tc.HTBClass{Rate: 250000, Ceil: 375000, Burst: 4000, CBurst: 4999, Prio: 3, Quantum: 2000} // 5000 through the ticks, as tc shows it
	if err != nil || !reflect.DeepEqual(got, wantClass) {
		t.Errorf("class: %#v %v, want %#v", got, err, wantClass)
	}
}

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
