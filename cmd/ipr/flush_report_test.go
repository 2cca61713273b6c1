package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestFlushStatsMatchIP compares "ip -s ... flush" and "-s -s" (each
// object printed as the round deletes it) for routes, neighbours and
// addresses: the same objects are set up before each of the two runs.
// (A table that does not exist, and a flush without arguments, differ
// with or without -s: ipr flushes nothing from the one and words the
// other as a usage error.)
func TestFlushStatsMatchIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link set lo up",
		"link add s0 type veth peer name s1", "link set s1 addrgenmode none", "link set s0 up", "link set s1 up",
		"addr add 10.1.0.1/24 dev s0", "-6 addr add 2001:db8:1::1/64 dev s0 nodad")
	routes := []string{
		"route add 10.50.0.0/16 dev s0 table 42", "route add 10.51.0.0/16 via 10.1.0.9 table 42 proto static",
		"route add 10.52.0.0/16 via 10.1.0.9 table 42 metric 5", "-6 route add 2001:db8:9::/48 via 2001:db8:1::9 table 42",
	}
	neighs := []string{
		"neigh add 10.1.0.101 lladdr 02:00:00:00:00:01 dev s0 nud stale",
		"neigh add 10.1.0.102 lladdr 02:00:00:00:00:02 dev s0 nud reachable",
		"neigh add 10.1.0.103 lladdr 02:00:00:00:00:03 dev s0 nud permanent",
		"-6 neigh add 2001:db8:1::7 lladdr 02:00:00:00:00:07 dev s0 nud stale",
	}
	addrs := []string{
		"addr add 10.9.0.1/24 dev s1", "addr add 10.9.0.2/24 dev s1", "addr add 10.8.0.1/24 brd + dev s1 label s1:x",
		"-6 addr add 2001:db8:5::5/64 dev s1 nodad",
	}
	for _, c := range []struct {
		setup []string
		cmd   string
	}{
		{nil, "-s route flush table main proto 199"},
		{nil, "-s -s route flush table main proto 199"},
		{nil, "-s neigh flush dev nosuch0"},
		{nil, "-s neigh flush dev s1"},
		{nil, "-s addr flush dev s1"},
		{routes, "-s route flush table 42"},
		{routes, "-s -s route flush table 42"},
		{routes, "-s -s -d route flush table 42"},
		{routes, "-s -s -j route flush table 42"},
		{routes, "-s -6 route flush table 42"},
		{routes, "-s route flush table 42 proto static"},
		{neighs, "-s neigh flush dev s0"},
		{neighs, "-s -s neigh flush dev s0"},
		{neighs, "-s -s -j neigh flush dev s0 nud all"},
		{neighs, "-s -4 neigh flush to 10.1.0.0/24"},
		{addrs, "-s addr flush dev s1"},
		{addrs, "-s -s addr flush dev s1"},
		{addrs, "-s -s -o addr flush dev s1"},
		{addrs, "-s -s -j addr flush dev s1"},
		{addrs, "-s addr flush dev s1 primary"},
		{addrs, "-s addr flush dev s1 secondary"},
		{addrs, "-s -6 addr flush dev s1"},
		{addrs, "-s addr flush label s1:x"},
	} {
		args := strings.Fields(c.cmd)
		setUp := func() {
			for _, s := range c.setup {
				ipRun(t, ns, "", strings.Fields(s)...) // what a flush left in place stays
			}
		}
		setUp()
		ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
		setUp()
		out, errs, code := iprIn(ns, "", args...)
		out, ipOut = maskTimers(out), maskTimers(ipOut)
		if out != ipOut || asIP(errs) != ipErrs || code != ipCode {
			t.Errorf("%s:\nipr: exit %d, stdout %q, stderr %q\nip:  exit %d, stdout %q, stderr %q",
				c.cmd, code, out, errs, ipCode, ipOut, ipErrs)
		}
		if c.setup != nil && !strings.Contains(out, "*** Round 1, deleting ") {
			t.Errorf("%s: nothing flushed: %q", c.cmd, out)
		}
	}
}
