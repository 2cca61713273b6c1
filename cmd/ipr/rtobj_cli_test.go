package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestRtobjCommandsMatchIP runs netconf, addrlabel, mroute and stats command
// lines through ipr and ip in one namespace and compares standard output,
// standard error (ipr's name aside) and exit status byte for byte; the
// changes run twice, the second time failing as ip fails.
func TestRtobjCommandsMatchIP(t *testing.T) {
	ns := cliNamespace(t)
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv4.conf.va.forwarding=1", "net.ipv4.conf.vb.rp_filter=2",
		"net.ipv6.conf.va.proxy_ndp=1")
	same := func(cmd string) {
		t.Helper()
		sameAsIP(t, ns, nil, strings.Fields(cmd)...)
	}
	for _, cmd := range []string{
		"netconf", "netconf show", "-j netconf show", "-j -p netconf", "-4 netconf", "-6 netconf list",
		"netconf show dev va", "-j netconf show dev vb", "-4 netconf show dev va", "-j -6 netconf show dev va",
		"-0 netconf", "netconf show dev nope", "netconf show dev", "netconf frob", "netconf show foo",
		"addrlabel", "-j addrlabel list", "-j -p addrlabel", "addrlabel list x", "addrlabel flush x",
		"addrlabel add prefix 2001:db8::/32", "addrlabel add label 7", "addrlabel add prefix 2001:db8::/32 label 0xffffffff",
		"addrlabel add prefix 2001:db8::/32 dev nope label 1", "addrlabel frob",
		"mroute", "mroute show", "-j mroute show", "-6 mroute show", "-j -6 mroute", "mroute show table all",
		"mroute show table nope", "mroute show iif nope", "mroute show from 1.2.3", "mroute show from 10.0.0.0/8", "mroute show to 239.1.1.1", "-6 mroute show ff00::/8", "mroute frob", "-0 mroute",
		// vb is down: its counters do not move between the two runs.
		"stats show dev vb group link", "-j stats show dev vb group link", "-d stats show dev vb group link",
		"stats show dev nope group link", "stats frob", "stats show dev vb dev va group link",
	} {
		same(cmd)
	}
	// Changes: ipr first, then ip repeats them and fails as ipr then
	// does (and the other way round for deletes).
	for _, cmd := range []string{
		"addrlabel add prefix 2001:db8:1::/48 label 100",
		"addrlabel add prefix 2001:db8:2::/48 dev va label 0",
	} {
		args := strings.Fields(cmd)
		if _, errs, code := iprIn(ns, "", args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", cmd, code, errs)
		}
		same(cmd) // EEXIST from both
	}
	same("addrlabel list")
	same("-j addrlabel list")
	if _, errs, code := iprIn(ns, "", "addrlabel", "del", "prefix", "2001:db8:1::/48", "label", "100"); code != 0 {
		t.Fatalf("addrlabel del: exit %d: %s", code, errs)
	}
	same("addrlabel del prefix 2001:db8:1::/48 label 100") // ESRCH from both
	if _, errs, code := iprIn(ns, "", "addrlabel", "flush"); code != 0 {
		t.Fatalf("addrlabel flush: exit %d: %s", code, errs)
	}
	same("addrlabel list")
}

// TestReplayRtobjShow compares netconf, addrlabel, mroute and stats
// listings with ip's over a recorded conversation, without root.
func TestReplayRtobjShow(t *testing.T) {
	replayShow(t, "rtobj-show", func(t testing.TB) *nstest.NS {
		ns := nstest.New(t)
		for _, args := range [][]string{
			{"link", "set", "lo", "up"},
			{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
			{"addrlabel", "add", "prefix", "2001:db8:1::/48", "dev", "v0", "label", "100"},
		} {
			nstest.IP(t, ns, args...)
		}
		nstest.Run(t, ns, "sysctl", "-qw", "net.ipv4.conf.v0.forwarding=1", "net.ipv4.conf.v1.rp_filter=2")
		return ns
	}, []string{
		"netconf show",
		"-4 netconf show",
		"netconf show dev v0",
		"addrlabel list",
		"mroute show",
		"stats show dev v1 group link",
	})
}
