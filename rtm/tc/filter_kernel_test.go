package tc_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// Parents of clsact's hooks, as tc names them "ingress" and "egress".
const (
	minIngress = tc.Handle(0xfffffff2)
	minEgress  = tc.Handle(0xfffffff3)
)

// tcNS is a namespace with a veth pair p0/p1 and a clsact qdisc on p0,
// and a handle in it.
type tcNS struct {
	ns     *nstest.NS
	h      *rtm.Handle
	p0, p1 int32
}

func newTCNS(t *testing.T) *tcNS {
	t.Helper()
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.Run(t, ns, "tc", "qdisc", "add", "dev", "p0", "clsact")
	h, err := rtm.Dial(rtm.WithNetnsHandle(ns.Handle))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	n := &tcNS{ns: ns, h: h}
	for name, p := range map[string]*int32{"p0": &n.p0, "p1": &n.p1} {
		l, err := h.LinkByName(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		*p = l.Index()
	}
	return n
}

func (n *tcNS) tc(t *testing.T, args ...string) string {
	t.Helper()
	return nstest.Run(t, n.ns, "tc", args...)
}

// TestKernelFiltersMatchTC adds u32 filters with mirred actions, hash
// tables and links through this package in one namespace and through tc
// in another set up the same way, and checks that tc shows both the same.
func TestKernelFiltersMatchTC(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32", "act:mirred")
	ctx := context.Background()
	ours, theirs := newTCNS(t), newTCNS(t)
	if ours.p1 != theirs.p1 || ours.p0 != theirs.p0 {
		t.Fatalf("the namespaces' indices differ: %d/%d and %d/%d", ours.p0, ours.p1, theirs.p0, theirs.p1)
	}
	sel := func(fns ...func(s *tc.U32Sel) error) *tc.U32Sel {
		s := &tc.U32Sel{}
		for _, f := range fns {
			if err := f(s); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	ht2, _ := tc.ParseU32Handle("2:")
	ht800, _ := tc.ParseU32Handle("800:")
	reqs := []rtm.Request{
		tc.FilterAdd(tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 10, Protocol: unix.ETH_P_IP,
			Options: &tc.U32{ClassID: 0x10010, Sel: sel(
				func(s *tc.U32Sel) error { return s.MatchPrefix(netip.MustParsePrefix("10.0.0.0/8"), 12, false) },
				func(s *tc.U32Sel) error { return s.Match16(80, 0xffff, 22, false) })}}),
		tc.FilterAdd(tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 20, Protocol: unix.ETH_P_IP, Handle: ht2,
			Options: &tc.U32{Divisor: 256}}),
		tc.FilterAdd(tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 20, Protocol: unix.ETH_P_IP,
			Options: &tc.U32{Hash: ht800, Link: ht2, Sel: func() *tc.U32Sel {
				s := sel(func(s *tc.U32Sel) error { return s.MatchPrefix(netip.MustParsePrefix("10.0.0.0/8"), 12, false) })
				s.HashMask, s.HashOff = 0xff, 12
				return s
			}()}}),
		tc.FilterAdd(tc.FilterSpec{Ifindex: ours.p0, Parent: minEgress, Priority: 1, Protocol: unix.ETH_P_ALL,
			Options: &tc.U32{Sel: sel(func(s *tc.U32Sel) error { return s.Match(0, 0, 0, false) }),
				Actions: []tc.Action{{Kind: &tc.Mirred{Ifindex: ours.p1, Mirror: true}}}}}),
		tc.FilterAdd(tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 30, Protocol: unix.ETH_P_IPV6,
			Chain: rtm.Some[uint32](3),
			Options: &tc.U32{Sel: sel(func(s *tc.U32Sel) error {
				return s.MatchPrefix(netip.MustParsePrefix("2001:db8::/32"), 24, false)
			}), Actions: []tc.Action{{Kind: &tc.Mirred{Ifindex: ours.p1, Ingress: true}, Index: 7}}}}),
	}
	if err := ours.h.Do(ctx, reqs...); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{
		"filter add dev p0 ingress prio 10 protocol ip u32 match ip src 10.0.0.0/8 match ip dport 80 0xffff classid 1:10",
		"filter add dev p0 ingress prio 20 handle 2: protocol ip u32 divisor 256",
		"filter add dev p0 ingress prio 20 protocol ip u32 ht 800:: match ip src 10.0.0.0/8 hashkey mask 0x000000ff at 12 link 2:",
		"filter add dev p0 egress prio 1 protocol all u32 match u32 0 0 action mirred egress mirror dev p1",
		"filter add dev p0 ingress chain 3 prio 30 protocol ipv6 u32 match ip6 dst 2001:db8::/32 action mirred ingress redirect dev p1 index 7",
	} {
		theirs.tc(t, strings.Fields(cmd)...)
	}
	for _, dir := range []string{"ingress", "egress"} {
		got := ours.tc(t, "-j", "-d", "filter", "show", "dev", "p0", dir)
		want := theirs.tc(t, "-j", "-d", "filter", "show", "dev", "p0", dir)
		if got != want {
			t.Errorf("tc filter show dev p0 %s:\nipr's: %s\ntc's:  %s", dir, got, want)
		}
	}
	got := ours.tc(t, "-j", "actions", "ls", "action", "mirred")
	want := theirs.tc(t, "-j", "actions", "ls", "action", "mirred")
	if got != want {
		t.Errorf("tc actions ls action mirred:\nipr's: %s\ntc's:  %s", got, want)
	}

	// ipr reads back what tc made as what ipr made: the same filters,
	// whose specifications encode to the same requests.
	for _, parent := range []tc.Handle{minIngress, minEgress} {
		mine := dumpSpecs(t, ours, parent)
		tcs := dumpSpecs(t, theirs, parent)
		if len(mine) != len(tcs) || len(mine) == 0 {
			t.Fatalf("parent %v: ipr dumps %d filters of ipr's, %d of tc's", parent, len(mine), len(tcs))
		}
		for i := range mine {
			if !bytes.Equal(mine[i], tcs[i]) {
				t.Errorf("parent %v filter %d: ipr's decodes to\n%x\ntc's to\n%x", parent, i, mine[i], tcs[i])
			}
		}
	}
	got1, err := tc.FilterGet(ctx, ours.h, tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 10,
		Protocol: unix.ETH_P_IP, Handle: 0x80000800, Options: &tc.U32{}})
	if err != nil {
		t.Fatal(err)
	}
	if got1.Priority() != 10 || got1.Kind() != "u32" || got1.Handle() != 0x80000800 {
		t.Errorf("filter get: prio %d kind %s handle %v", got1.Priority(), got1.Kind(), got1.Handle())
	}
	_, err = tc.FilterGet(ctx, ours.h, tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 11,
		Protocol: unix.ETH_P_IP, Handle: 0x80000800, Options: &tc.U32{}})
	if !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("get of a missing filter: %v, want rtm.ErrNotFound", err)
	}
	n := 0
	for v, err := range tc.StandaloneActions(ctx, ours.h, "mirred") {
		if err != nil {
			t.Fatal(err)
		}
		if v.Kind() != "mirred" {
			t.Errorf("action dump: kind %q", v.Kind())
		}
		n++
	}
	if n != 2 {
		t.Errorf("action dump: %d mirred actions, want 2", n)
	}
	act, err := tc.StandaloneAction(ctx, ours.h, "mirred", 7)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := act.Kind.(*tc.Mirred); !ok || !m.Ingress || m.Mirror || m.Ifindex != ours.p1 || act.Index != 7 {
		t.Errorf("action get: %+v %+v", act, act.Kind)
	}

	// Deleting by priority removes them, as tc's del does.
	if err := ours.h.Do(ctx, tc.FilterDel(tc.FilterSpec{Ifindex: ours.p0, Parent: minIngress, Priority: 10})); err != nil {
		t.Fatal(err)
	}
	if out := ours.tc(t, "-j", "filter", "show", "dev", "p0", "ingress", "prio", "10"); strings.Contains(out, "u32") {
		t.Errorf("filter of prio 10 still there: %s", out)
	}
	// A filter that exists already: EEXIST, unwrapped, named.
	err = ours.h.Do(ctx, reqs[1])
	if err == nil || !strings.Contains(err.Error(), "filter add") {
		t.Errorf("adding the hash table again: %v", err)
	}
}

// dumpSpecs dumps the filters of p0 under parent and returns each one's
// specification encoded as an add request.
func dumpSpecs(t *testing.T, n *tcNS, parent tc.Handle) [][]byte {
	t.Helper()
	var out [][]byte
	for f, err := range tc.Filters(context.Background(), n.h, tc.FilterFilter{Ifindex: n.p0, Parent: parent}) {
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.Spec()
		if err != nil {
			t.Fatalf("filter %v prio %d: %v", f.Handle(), f.Priority(), err)
		}
		if u, ok := s.Options.(*tc.U32); ok {
			u.PacketCounts = nil
		}
		b, err := tc.EncodeRequest(tc.FilterAdd(s))
		if err != nil {
			t.Fatalf("filter %v prio %d: %v", f.Handle(), f.Priority(), err)
		}
		out = append(out, b)
	}
	return out
}

// TestKernelStandaloneActions adds, replaces and deletes standalone mirred
// actions and compares them with tc's.
func TestKernelStandaloneActions(t *testing.T) {
	nstest.Require(t, "act:mirred")
	ctx := context.Background()
	ours, theirs := newTCNS(t), newTCNS(t)
	if err := ours.h.Do(ctx, tc.ActionAdd(tc.Action{Kind: &tc.Mirred{Ifindex: ours.p1}, Index: 3,
		Cookie: []byte{1, 2, 3, 4}})); err != nil {
		t.Fatal(err)
	}
	theirs.tc(t, "actions", "add", "action", "mirred", "egress", "redirect", "dev", "p1", "index", "3", "cookie", "01020304")
	if err := ours.h.Do(ctx, tc.ActionReplace(tc.Action{Kind: &tc.Mirred{Ifindex: ours.p0, Mirror: true}, Index: 3,
		Control: rtm.Some(tc.VerdictPass)})); err != nil {
		t.Fatal(err)
	}
	theirs.tc(t, "actions", "replace", "action", "mirred", "egress", "mirror", "dev", "p0", "pass", "index", "3")
	got := ours.tc(t, "-j", "actions", "ls", "action", "mirred")
	want := theirs.tc(t, "-j", "actions", "ls", "action", "mirred")
	if got != want {
		t.Errorf("tc actions ls action mirred:\nipr's: %s\ntc's:  %s", got, want)
	}
	if err := ours.h.Do(ctx, tc.ActionDel(tc.ActionRef{Kind: "mirred", Index: 3})); err != nil {
		t.Fatal(err)
	}
	if err := ours.h.Do(ctx, tc.ActionDel(tc.ActionRef{Kind: "mirred", Index: 3})); err == nil {
		t.Error("deleting a deleted action succeeded")
	}
	if err := ours.h.Do(ctx, tc.ActionAdd(tc.Action{Kind: &tc.Mirred{Ifindex: ours.p1}})); err != nil {
		t.Fatal(err)
	}
	if err := ours.h.Do(ctx, tc.ActionFlush("mirred")); err != nil {
		t.Fatal(err)
	}
	if out := ours.tc(t, "actions", "ls", "action", "mirred"); strings.Contains(out, "redirect") {
		t.Errorf("actions left after a flush: %s", out)
	}
}

// loadDropProgram loads a BPF_PROG_TYPE_SCHED_CLS program that returns
// TC_ACT_SHOT and returns its descriptor.
func loadDropProgram(t *testing.T) int {
	return nstest.LoadBPF(t, unix.BPF_PROG_TYPE_SCHED_CLS, 2, "ipr_drop")
}

// udpIn opens a UDP socket in ns, bound to addr if it is valid.
func udpIn(t *testing.T, ns *nstest.NS, laddr string) *net.UDPConn {
	t.Helper()
	var c *net.UDPConn
	err := netns.Do(ns.Handle, func() error {
		a, err := net.ResolveUDPAddr("udp4", laddr)
		if err != nil {
			return err
		}
		c, err = net.ListenUDP("udp4", a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// delivered sends datagrams from src to dst's address until one arrives
// or tries run out, and reports whether one did.
func delivered(src, dst *net.UDPConn, tries int) bool {
	buf := make([]byte, 16)
	for i := 0; i < tries; i++ {
		src.WriteTo([]byte("ipr"), dst.LocalAddr())
		dst.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		if _, _, err := dst.ReadFrom(buf); err == nil {
			return true
		}
	}
	return false
}

// TestKernelBPFDirectAction attaches a program loaded by descriptor in
// direct-action mode, checks tc shows it so, and that it drops packets:
// datagrams across the veth pair stop with it and pass without it.
func TestKernelBPFDirectAction(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:bpf")
	ctx := context.Background()
	a := newTCNS(t)
	peer := nstest.New(t)
	nstest.IP(t, a.ns, "link", "set", "p1", "netns", peer.Name)
	nstest.IP(t, a.ns, "addr", "add", "192.0.2.1/24", "dev", "p0")
	nstest.IP(t, a.ns, "link", "set", "p0", "up")
	nstest.IP(t, peer, "addr", "add", "192.0.2.2/24", "dev", "p1")
	nstest.IP(t, peer, "link", "set", "p1", "up")
	dst := udpIn(t, a.ns, "192.0.2.1:9999")
	src := udpIn(t, peer, "192.0.2.2:0")
	if !delivered(src, dst, 25) {
		t.Fatal("no datagram crossed the veth pair before the filter")
	}
	fd := loadDropProgram(t)
	spec := tc.FilterSpec{Ifindex: a.p0, Parent: minIngress, Priority: 1, Protocol: unix.ETH_P_ALL, Handle: 1,
		Options: &tc.BPF{FD: fd, Name: "ipr_drop", DirectAction: true}}
	if err := a.h.Do(ctx, tc.FilterAdd(spec)); err != nil {
		t.Fatal(err)
	}
	out := a.tc(t, "-j", "filter", "show", "dev", "p0", "ingress")
	for _, want := range []string{`"kind":"bpf"`, `"bpf_name":"ipr_drop"`, `"direct-action":true`, `"prog":{"id":`} {
		if !strings.Contains(out, want) {
			t.Errorf("tc filter show lacks %s: %s", want, out)
		}
	}
	// A datagram of the first check's retries may still be queued.
	for dst.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); ; {
		if _, _, err := dst.ReadFrom(make([]byte, 16)); err != nil {
			break
		}
	}
	if delivered(src, dst, 3) {
		t.Error("a datagram passed a direct-action program that drops everything")
	}
	if qd := a.tc(t, "-s", "-j", "qdisc", "show", "dev", "p0", "ingress"); strings.Contains(qd, `"drops":0,`) {
		t.Errorf("the clsact qdisc counted no drops: %s", qd)
	}
	if err := a.h.Do(ctx, tc.FilterDel(spec)); err != nil {
		t.Fatal(err)
	}
	if !delivered(src, dst, 25) {
		t.Error("no datagram after the filter's deletion")
	}
}

// TestKernelFilterDumpAllocs checks that a dump allocates nothing per
// filter: a dump of 500 filters allocates as little as a dump of a few.
func TestKernelFilterDumpAllocs(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32")
	ctx := context.Background()
	n := newTCNS(t)
	add := func(from, to int) {
		bt := n.h.NewBatch()
		for i := from; i < to; i++ {
			sel := &tc.U32Sel{}
			sel.MatchPrefix(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), 32), 16, false)
			if err := bt.Add(tc.FilterAdd(tc.FilterSpec{Ifindex: n.p0, Parent: minIngress, Priority: uint16(1 + i/400),
				Protocol: unix.ETH_P_IP, Options: &tc.U32{ClassID: 0x10001, Sel: sel}})); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := bt.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	dumpAllocs := func() (float64, int) {
		count := 0
		allocs := testing.AllocsPerRun(3, func() {
			count = 0
			for f, err := range tc.Filters(ctx, n.h, tc.FilterFilter{Ifindex: n.p0, Parent: minIngress}) {
				if err != nil {
					t.Fatal(err)
				}
				_ = f.Priority()
				count++
			}
		})
		return allocs, count
	}
	add(0, 5)
	few, c1 := dumpAllocs()
	add(5, 500)
	many, c2 := dumpAllocs()
	if c2 < 500 || c1 >= c2 {
		t.Fatalf("dumped %d then %d filters", c1, c2)
	}
	if many > few+10 {
		t.Errorf("a dump of %d filters allocates %.0f times, one of %d %.0f times", c2, many, c1, few)
	}
}

// TestKernelFilterEvents checks that adding and deleting a filter come as
// events that FilterOf reads.
func TestKernelFilterEvents(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32")
	n := newTCNS(t)
	m, err := n.h.Monitor([]rtm.Group{rtm.GroupTC})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	spec := tc.FilterSpec{Ifindex: n.p0, Parent: minIngress, Priority: 7, Protocol: unix.ETH_P_IP, Handle: 0x80000800,
		Options: &tc.U32{ClassID: 0x10001, Sel: &tc.U32Sel{Keys: []tc.U32Key{{Mask: 0xff000000, Val: 0x0a000000, Off: 12}}}}}
	if err := n.h.Do(ctx, tc.FilterAdd(spec)); err != nil {
		t.Fatal(err)
	}
	if err := n.h.Do(ctx, tc.FilterDel(spec)); err != nil {
		t.Fatal(err)
	}
	var added, deleted bool
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		f, ok := tc.FilterOf(ev)
		if !ok || f.Priority() != 7 || f.Kind() != "u32" {
			continue
		}
		switch ev.Type {
		case unix.RTM_NEWTFILTER:
			if uint32(f.Handle()) == 0x80000800 {
				s, err := f.Spec()
				if err != nil || s.Options.(*tc.U32).ClassID != 0x10001 {
					t.Errorf("the added filter's event decodes to %+v, %v", s, err)
				}
				added = true
			}
		case unix.RTM_DELTFILTER:
			deleted = true
		}
		if added && deleted {
			break
		}
	}
	if !added || !deleted {
		t.Errorf("events: added %v, deleted %v", added, deleted)
	}
}

// TestKernelMirredRedirects checks behaviour, not only configuration: a
// u32 filter on p0's ingress whose mirred action redirects to q0's
// egress moves the datagrams a peer namespace sends to p0 out through
// q0 (q1, q0's peer, receives them), and the action counts them.
func TestKernelMirredRedirects(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32", "act:mirred")
	ctx := context.Background()
	a := newTCNS(t)
	peer := nstest.New(t)
	nstest.IP(t, a.ns, "link", "set", "p1", "netns", peer.Name)
	nstest.IP(t, a.ns, "link", "add", "q0", "type", "veth", "peer", "name", "q1")
	for _, dev := range []string{"p0", "q0", "q1"} {
		nstest.IP(t, a.ns, "link", "set", dev, "up")
	}
	nstest.IP(t, a.ns, "addr", "add", "192.0.2.1/24", "dev", "p0")
	nstest.IP(t, peer, "addr", "add", "192.0.2.2/24", "dev", "p1")
	nstest.IP(t, peer, "link", "set", "p1", "up")
	nstest.IP(t, peer, "neigh", "add", "192.0.2.1", "lladdr", "02:00:00:00:00:01", "dev", "p1", "nud", "permanent")
	q0, err := a.h.LinkByName(ctx, "q0")
	if err != nil {
		t.Fatal(err)
	}
	rx := func() uint64 {
		l, err := a.h.LinkByName(ctx, "q1")
		if err != nil {
			t.Fatal(err)
		}
		s, _ := l.Stats64()
		return s.RxPackets
	}
	var sel tc.U32Sel
	sel.MatchPrefix(netip.MustParsePrefix("192.0.2.1/32"), 16, false)
	spec := tc.FilterSpec{Ifindex: a.p0, Parent: minIngress, Priority: 1, Protocol: unix.ETH_P_IP,
		Options: &tc.U32{Sel: &sel, Actions: []tc.Action{{Kind: &tc.Mirred{Ifindex: q0.Index()}, Index: 11}}}}
	if err := a.h.Do(ctx, tc.FilterAdd(spec)); err != nil {
		t.Fatal(err)
	}
	before := rx()
	src := udpIn(t, peer, "192.0.2.2:0")
	dst, _ := net.ResolveUDPAddr("udp4", "192.0.2.1:9")
	const sent = 20
	for i := 0; i < sent; i++ {
		if _, err := src.WriteTo([]byte("ipr"), dst); err != nil {
			t.Fatal(err)
		}
	}
	// The packets cross two veth pairs before they are counted.
	deadline := time.Now().Add(5 * time.Second)
	for rx()-before < sent && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := rx() - before; got < sent {
		t.Errorf("q1 received %d packets, want the %d redirected", got, sent)
	}
	act, err := tc.StandaloneActionBatch(ctx, a.h, "mirred", 11)
	if err != nil {
		t.Fatal(err)
	}
	for v := range act.Actions() {
		if s := tc.DecodeStats(v.Stats()); s.Packets < sent {
			t.Errorf("the mirred action counted %d packets, want %d", s.Packets, sent)
		}
	}
}
