package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// tcRun runs the real tc with args in ns.
func tcRun(t *testing.T, ns *nstest.NS, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCmd(t, exec.Command("ip", append([]string{"netns", "exec", ns.Name, "tc"}, args...)...), "")
}

// iprSetup runs each command line with ipr in ns, and fails the test at
// the first that fails; "~" in a word is a space.
func iprSetup(t *testing.T, ns *nstest.NS, cmds ...string) {
	t.Helper()
	for _, cmd := range cmds {
		args := strings.Fields(cmd)
		for i, a := range args {
			args[i] = strings.ReplaceAll(a, "~", " ")
		}
		if out, errs, code := iprIn(ns, "", args...); code != 0 {
			t.Fatalf("ipr %s: exit %d %s%s", cmd, code, out, errs)
		}
	}
}

// tcResult is what a command printed and its exit status.
type tcResult struct {
	out, errs string
	code      int
}

// compareWithTC runs each command line with ipr and with tc in ns, and
// reports those whose standard output or exit status differ, or for
// which differ says that the two results differ otherwise.
func compareWithTC(t *testing.T, ns *nstest.NS, differ func(ipr, tc tcResult) bool, cmds ...string) {
	t.Helper()
	for _, cmd := range cmds {
		args := strings.Fields(cmd)
		var ipr, tc tcResult
		ipr.out, ipr.errs, ipr.code = iprIn(ns, "", args...)
		tc.out, tc.errs, tc.code = tcRun(t, ns, args...)
		if ipr.out != tc.out || ipr.code != tc.code || differ != nil && differ(ipr, tc) {
			t.Errorf("%s:\nipr (exit %d):\n%s%s\ntc (exit %d):\n%s%s", cmd, ipr.code, ipr.out, ipr.errs, tc.code, tc.out, tc.errs)
		}
	}
}

// sameErrs is a differ for compareWithTC that compares the error
// output too.
func sameErrs(ipr, tc tcResult) bool { return ipr.errs != tc.errs }

// TestTCMatchesTC configures qdiscs and classes with ipr and compares
// ipr's listings with tc's, text and JSON, byte for byte (classes'
// JSON aside: tc 6.1 prints them as text even with -j).
func TestTCMatchesTC(t *testing.T) {
	nstest.Require(t, "qdisc:htb", "qdisc:tbf", "qdisc:pfifo", "qdisc:bfifo", "qdisc:clsact", "qdisc:ingress")
	ns := nstest.New(t)
	// No IPv6: its neighbour discovery would send packets, whose counts
	// could change between ipr's listing and tc's.
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.IP(t, ns, "link", "set", "p0", "up")
	nstest.IP(t, ns, "link", "set", "p1", "up")
	nstest.IP(t, ns, "link", "add", "p2", "type", "veth", "peer", "name", "p3")
	iprSetup(t, ns,
		"qdisc add dev p0 root handle 1: htb default 10 r2q 5",
		"class add dev p0 parent 1: classid 1:1 htb rate 10mbit",
		"class add dev p0 parent 1:1 classid 1:10 htb rate 1mbit ceil 2mbit burst 15k prio 1",
		"class add dev p0 parent 1:1 classid 1:20 htb rate 1500kbit overhead 4 linklayer atm",
		"qdisc add dev p0 parent 1:10 handle 10: pfifo limit 50",
		"qdisc add dev p0 parent 1:20 handle 20: bfifo limit 30k",
		"qdisc add dev p0 clsact",
		"qdisc add dev p1 root tbf rate 1mbit burst 32k latency 50ms",
		"qdisc add dev p1 ingress",
		"qdisc add dev p2 root tbf rate 10gbit burst 1m limit 100000 peakrate 20gbit mtu 9000")
	compareWithTC(t, ns, sameErrs,
		"qdisc show", "-s qdisc show", "-d qdisc show", "-s -d qdisc show", "qdisc",
		"-j qdisc show", "-j -s -d qdisc show", "-j -p -s qdisc show",
		"qdisc show dev p0", "qdisc show dev p0 root", "qdisc show dev p0 ingress",
		"qdisc show dev p0 handle 10:", "qdisc show dev p0 parent 1:10", "qdisc show dev p2",
		"class show dev p0", "-s class show dev p0", "-d class show dev p0", "-s -d class show dev p0",
		"class show dev p0 classid 1:10", "class show dev p0 parent 1:1", "class show dev p0 qdisc 1:",
		"qdisc show dev nosuch", "class show", "qdisc add dev nosuch root pfifo",
		"qdisc add dev p0 root handle 1: htb", "qdisc del dev p3 root")
	// Deleting through ipr leaves what tc then shows.
	iprSetup(t, ns, "class del dev p0 classid 1:20", "qdisc del dev p1 ingress", "qdisc del dev p0 root")
	out, _, _ := iprIn(ns, "", "-j", "qdisc")
	tcOut, _, _ := tcRun(t, ns, "-j", "qdisc")
	if out != tcOut {
		t.Errorf("after deletes:\nipr %s\ntc  %s", out, tcOut)
	}
}
