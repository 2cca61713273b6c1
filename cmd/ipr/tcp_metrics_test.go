package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
)

// tcpConnection connects from namespace a to addr, a listener in
// namespace b, moves data both ways and closes: a's TCP metrics cache
// then has an entry for addr's host.
func tcpConnection(t testing.TB, a, b *nstest.NS, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound, not a measure
	defer cancel()
	nstest.TCPExchange(t, ctx, a, b, addr, 100<<10)
}

// tcpMetricsPair makes two throwaway namespaces joined by a veth pair,
// with 10.79.0.1 and fd79::1 in the first, 10.79.0.2 and fd79::2 in the
// second.
func tcpMetricsPair(t testing.TB) (a, b *nstest.NS) {
	nstest.Require(t, "genl:tcp_metrics")
	return nstest.Joined(t, 79)
}

// ages masks what moves between two reads of the cache: the entries'
// ages, in text and in JSON.
var ages = regexp.MustCompile(`age [0-9.]+sec|"age": ?[0-9.e+-]+`)

func maskAges(s string) string { return ages.ReplaceAllString(s, "age") }

// TestTCPMetricsMatchesIP makes TCP connections over IPv4 and IPv6
// between two namespaces and compares ipr tcp_metrics with ip
// tcp_metrics: listings with every selector, text and JSON, mistakes,
// and the cache after ipr deletes and flushes.
func TestTCPMetricsMatchesIP(t *testing.T) {
	a, b := tcpMetricsPair(t)
	connect := func() {
		tcpConnection(t, a, b, "10.79.0.2:5002")
		tcpConnection(t, a, b, "[fd79::2]:5002")
	}
	connect()
	list := func() {
		t.Helper()
		eachSameAsIP(t, a, maskAges,
			"tcp_metrics", "tcpm", "tcp_metrics show", "-j tcp_metrics", "-j -p tcp_metrics list", "-4 tcp_metrics", "-6 -j tcp_metrics",
			"tcp_metrics show 10.79.0.2", "-j tcp_metrics show 10.79.0.2", "tcp_metrics show address fd79::2",
			"tcp_metrics show 10.0.0.0/8", "tcp_metrics show 10.80.0.0/16", "tcp_metrics show src 10.79.0.1",
			"tcp_metrics show fd79::2 src fd79::1", "tcp_metrics show 10.0.0.0/8 10.1.0.0/16", "tcp_metrics show 10.79.0.2 help",
		)
	}
	list()
	eachSameAsIP(t, a, nil,
		"tcp_metrics foo", "tcp_metrics help", "tcp_metrics show foo", "tcp_metrics delete", "tcp_metrics delete 10.0.0.0/8",
		"tcp_metrics delete 10.9.9.9", "tcp_metrics show 10.9.9.9", "tcp_metrics show src 10.0.0.0/8", "tcp_metrics show address",
		"-f link tcp_metrics", "-4 tcp_metrics show fd79::2", "tcp_metrics show src 10.79.0.1 src 10.79.0.1 src 1.1.1.1",
		"tcp_metrics flush 192.168.0.0/16",
	)
	run := func(cmd, want string) {
		t.Helper()
		if out, errs, code := iprIn(a, "", strings.Fields(cmd)...); code != 0 || out != "" || errs != "" {
			t.Fatalf("ipr %s: exit %d, %q, %q", cmd, code, out, errs)
		}
		if got := maskAges(nstest.IP(t, a, "tcp_metrics", "show")); !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("after ipr %s, ip tcp_metrics show: %q, want %s", cmd, got, want)
		}
	}
	run("tcp_metrics delete 10.79.0.2", `^fd79::2 age [^\n]*\n$`)
	run("tcp_metrics flush fd79::/16", `^$`)
	connect()
	run("-4 tcp_metrics flush", `^fd79::2 age [^\n]*\n$`)
	connect()
	run("tcp_metrics flush", `^$`)
}
