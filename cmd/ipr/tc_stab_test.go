package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestStabMatchesTC adds qdiscs with size tables with ipr and checks
// that tc and ipr show them the same, text and JSON, with details.
func TestStabMatchesTC(t *testing.T) {
	nstest.Require(t, "qdisc:pfifo", "qdisc:bfifo", "qdisc:htb")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.IP(t, ns, "link", "add", "p2", "type", "veth", "peer", "name", "p3")
	for _, cmd := range []string{
		"qdisc add dev p0 root handle 1: stab overhead 8 linklayer atm mpu 64 pfifo limit 10",
		"qdisc add dev p1 root stab linklayer adsl mtu 1500 tsize 128 bfifo limit 10000",
		"qdisc add dev p2 root handle 2: stab overhead -4 htb default 1",
		"qdisc add dev p3 root stab mpu 100 linklayer ethernet pfifo",
	} {
		if out, errs, code := iprIn(ns, "", strings.Fields(cmd)...); code != 0 {
			t.Fatalf("ipr %s: exit %d %s%s", cmd, code, out, errs)
		}
	}
	for _, cmd := range []string{"-d qdisc show", "-j -d qdisc show", "qdisc show", "-d -s qdisc show dev p0",
		"qdisc add dev p0 root stab pfifo", "qdisc add dev p0 root stab", "qdisc add dev p0 root stab mtu x pfifo"} {
		args := strings.Fields(cmd)
		out, errs, code := iprIn(ns, "", args...)
		tcOut, tcErrs, tcCode := tcRun(t, ns, args...)
		if out != tcOut || code != tcCode {
			t.Errorf("%s:\nipr (exit %d):\n%s%s\ntc (exit %d):\n%s%s", cmd, code, out, errs, tcCode, tcOut, tcErrs)
		}
	}
}
