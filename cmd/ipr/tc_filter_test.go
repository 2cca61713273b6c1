package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestFilterMatchesTC adds u32 and bpf filters and mirred actions with
// ipr's command line, and checks that ipr shows them as tc does, text and
// JSON, and that tc shows what ipr made as what tc makes.
func TestFilterMatchesTC(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32", "cls:bpf", "act:mirred")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	iprSetup(t, ns,
		"qdisc add dev p0 clsact",
		"filter add dev p0 ingress prio 10 protocol ip u32 match ip src 10.0.0.0/8 match ip dport 80 0xffff classid 1:10",
		"filter add dev p0 ingress prio 20 handle 2: protocol ip u32 divisor 256",
		"filter add dev p0 ingress prio 20 protocol ip u32 ht 800:: match ip src 10.0.0.0/8 hashkey mask 0x000000ff at 12 link 2:",
		"filter add dev p0 egress prio 1 protocol all u32 match u32 0 0 action mirred egress mirror dev p1",
		"filter add dev p0 ingress prio 3 protocol ip u32 match ip dst 1.2.3.4/32 match tcp dst 443 0xffff offset at 0 mask 0x0f00 shift 6 eat action mirred ingress redirect dev p1 index 7 cookie 0102",
		"filter add dev p0 ingress chain 3 prio 30 protocol ipv6 u32 match ip6 dst 2001:db8::/32 action mirred ingress redirect dev p1 index 7",
		"filter add dev p0 egress prio 5 handle 1 bpf bytecode 1,6~0~0~4294967295, classid 1:1",
		"actions add action mirred egress redirect dev p1 index 40")
	compareWithTC(t, ns, nil,
		"filter show dev p0 ingress", "filter show dev p0 egress", "-d filter show dev p0 ingress",
		"-j filter show dev p0 ingress", "-j filter show dev p0 egress", "-j -p filter show dev p0 egress",
		"filter show dev p0 ingress prio 10", "-j filter show dev p0 ingress protocol ip",
		"filter show dev p0 ingress chain 3", "filter get dev p0 ingress prio 10 protocol ip handle 800::800 u32",
		"actions ls action mirred", "-j actions ls action mirred", "actions get action mirred index 40",
		"filter show dev nosuch ingress", "filter show", "-j filter show", "filter add dev p0 ingress prio 10 protocol ip handle 800::800 u32 match ip src 10.0.0.0/8")
	// Mistakes fail with tc's exit status.
	for _, cmd := range []string{
		"filter add dev p0 ingress u32 match ip dst 1.2.3.4/33",
		"filter del dev p0 ingress prio 99",
		"filter add dev p0 ingress prio 1 protocol ip u32 match ip dst 1.2.3.4/32 action mirred egress redirect dev nosuch",
	} {
		_, errs, code := iprIn(ns, "", strings.Fields(cmd)...)
		_, tcErrs, tcCode := tcRun(t, ns, strings.Fields(cmd)...)
		if code != tcCode {
			t.Errorf("%s: ipr exits %d (%s), tc %d (%s)", cmd, code, errs, tcCode, tcErrs)
		}
	}
	// Deleting through ipr leaves what tc shows.
	iprSetup(t, ns, "filter del dev p0 ingress prio 10", "actions del action mirred index 40", "filter del dev p0 egress")
	for _, cmd := range []string{"-j filter show dev p0 ingress", "-j filter show dev p0 egress", "-j actions ls action mirred"} {
		// The kernel releases a deleted filter's actions in a work
		// queue: the two listings may see it at different times.
		var out, tcOut string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) { // a bound, not a measure
			out, _, _ = iprIn(ns, "", strings.Fields(cmd)...)
			tcOut, _, _ = tcRun(t, ns, strings.Fields(cmd)...)
			if out == tcOut {
				break
			}
		}
		if out != tcOut {
			t.Errorf("after deletes, %s:\nipr %s\ntc  %s", cmd, out, tcOut)
		}
	}
}
