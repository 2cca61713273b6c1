package tc_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// Qdiscs and classes that tc creates decode to the options tc was given.
func TestDecodeWhatTCCreates(t *testing.T) {
	nstest.Require(t, "qdisc:htb", "qdisc:tbf", "qdisc:pfifo", "qdisc:bfifo", "qdisc:ingress")
	ns, h := vethNS(t)
	for _, cmd := range []string{
		"qdisc add dev p0 root handle 1: htb default 20 r2q 7 direct_qlen 50",
		"class add dev p0 parent 1: classid 1:20 htb rate 2mbit ceil 3mbit burst 4000 cburst 5000 prio 3 quantum 2000",
		"qdisc add dev p0 parent 1:20 handle 20: bfifo limit 12345",
		"qdisc add dev p1 root handle 2: tbf rate 5mbit burst 20k limit 40000",
		"qdisc add dev p1 ingress",
	} {
		nstest.Run(t, ns, "tc", strings.Fields(cmd)...)
	}
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
