package main

// The global options -color, -Numeric, -resolve and -echo against ip's.

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestResolveMatchesIP compares "-resolve" listings with ip's in a
// namespace from which DNS is unreachable, so that names come from
// /etc/hosts only (127.0.0.1 is "localhost" in any of them); ipr's
// lookups, made from the test's namespace, are given the same
// unreachable DNS.
func TestResolveMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	saved := hostResolver
	hostResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("network is unreachable")
	}}
	hostNames = nil
	t.Cleanup(func() { hostResolver, hostNames = saved, nil })
	for _, cmd := range []string{
		"link set lo up",
		"link add s0 type veth peer name s1",
		"link set s0 up",
		"link set s1 up",
		"addr add 192.0.2.1/24 dev s0",
		"addr add 127.0.0.1/32 dev s1",
		"route add 198.51.100.0/24 via 192.0.2.2",
		"route add 127.0.0.1 via 192.0.2.2 table 7",
		"route add 203.0.113.7 via 192.0.2.3 table 7",
		"neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev s0",
	} {
		nstest.IP(t, ns, strings.Fields(cmd)...)
	}
	for _, show := range []string{
		"-r addr", "-r route show table all", "-r neigh", "-r -j route show table all",
		"-r -j addr", "-r -o addr", "-resolve route show table 7", "-r -br addr", "-r rule",
	} {
		args := strings.Fields(show)
		out, errs, code := iprIn(ns, "", args...)
		ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
		if out != ipOut || asIP(errs) != ipErrs || code != ipCode {
			t.Errorf("%s: exit %d/%d, stderr %q/%q, %s", show, code, ipCode, errs, ipErrs, firstDiff(out, ipOut))
		}
		if show == "-resolve route show table 7" && !strings.Contains(out, "localhost") {
			t.Errorf("%s: no localhost in\n%s", show, out)
		}
	}
}
