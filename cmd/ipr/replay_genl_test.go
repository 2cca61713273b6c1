package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
)

// replayExact runs each command over the conversation NAME.nlconv.gz in
// testdata/conv and compares its standard output, byte for byte after
// mask, with what ip printed from the namespace build made when the
// conversation was recorded (NAME-ip.json): for the objects whose "-j"
// output is not always JSON (mptcp limits, a single tcp_metrics entry).
func replayExact(t *testing.T, name string, build func(testing.TB) *nstest.NS, mask func(string) string, commands []string) {
	dir := filepath.Join("testdata", "conv")
	conv, golden := filepath.Join(dir, name+".nlconv.gz"), filepath.Join(dir, name+"-ip.json")
	useTransport(t, nltest.Conversation(t, conv))
	ip := map[string]string{}
	prefix := recordedIP(t, golden, &ip, build, func(ns *nstest.NS) {
		for _, cmd := range commands {
			ip[cmd] = nstest.IP(t, ns, strings.Fields(cmd)...)
		}
	})
	for _, cmd := range commands {
		ours := iprOK(t, append(append([]string(nil), prefix...), strings.Fields(cmd)...)...)
		if mask(ours) != mask(ip[cmd]) {
			t.Errorf("%s:\nipr:\n%s\nip:\n%s", cmd, ours, ip[cmd])
		}
	}
}

func unmasked(s string) string { return s }

// TestReplayMptcpShow compares the MPTCP endpoints and limits ipr prints
// with ip's, over a recorded conversation, without root.
func TestReplayMptcpShow(t *testing.T) {
	replayExact(t, "mptcp", func(t testing.TB) *nstest.NS {
		nstest.Require(t, "genl:mptcp_pm")
		ns := nstest.New(t)
		ipCommands(t, ns,
			"link set lo up",
			"mptcp endpoint add 10.0.0.1 id 3 signal dev lo",
			"mptcp endpoint add dead::1 subflow backup fullmesh dev lo",
			"mptcp endpoint add 10.0.0.5",
			"mptcp limits set subflows 3 add_addr_accepted 4",
		)
		return ns
	}, unmasked, []string{
		"mptcp endpoint show",
		"-j mptcp endpoint show",
		"mptcp endpoint show id 4",
		"-j mptcp endpoint show id 3",
		"mptcp limits show",
		"-j mptcp limits",
	})
}

// TestReplayTCPMetricsShow compares the TCP metrics ipr prints with
// ip's (ages masked), over a conversation recorded after TCP
// connections between two namespaces, without root.
func TestReplayTCPMetricsShow(t *testing.T) {
	replayExact(t, "tcp-metrics", func(t testing.TB) *nstest.NS {
		a, b := tcpMetricsPair(t)
		tcpConnection(t, a, b, "10.79.0.2:5002")
		tcpConnection(t, a, b, "[fd79::2]:5002")
		return a
	}, maskAges, []string{
		"tcp_metrics show",
		"-j tcp_metrics show",
		"-6 tcp_metrics",
		"tcp_metrics show 10.79.0.2",
		"tcp_metrics show 10.0.0.0/8",
	})
}
