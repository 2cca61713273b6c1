package tc_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

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
