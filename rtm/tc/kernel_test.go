package tc_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

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
