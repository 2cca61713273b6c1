package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
)

// replayCommands are the show commands whose output TestReplayShow
// compares with iproute2's, both recorded once from the same namespace.
var replayCommands = []string{
	"link show",
	"-d link show",
	"link show dev v0",
	"-d link show type vxlan",
	"addr show",
	"-d addr show",
	"-6 addr show",
	"addr show dev v0",
	"route show",
	"-6 route show",
	"route show table all",
}

// replayIP is what iproute2 printed for each command when the
// conversation was recorded.
type replayIP struct {
	JSON map[string]string `json:"json"`
	Text map[string]string `json:"text"`
}

// TestReplayShow runs show commands over a recorded conversation with the
// kernel and compares what ipr prints with what "ip -j" (and, for
// routes, "ip") printed from the same namespace when it was recorded:
// the printing is checked without root. NLTEST_RECORD=1 (as root;
// scripts/capture.sh) records both anew.
func TestReplayShow(t *testing.T) {
	replayShow(t, "show", variedNamespace, replayCommands)
}

// TestReplayNeighRuleNexthopShow does the same for neighbours, rules and
// nexthop objects.
func TestReplayNeighRuleNexthopShow(t *testing.T) {
	replayShow(t, "neigh-rule-nexthop", vethNamespace(
		"neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent",
		"neigh add 2001:db8:1::9 lladdr 02:00:00:00:00:0a dev v0 nud noarp",
		"rule add priority 100 from 192.0.2.0/24 table 1000",
		"rule add priority 101 fwmark 0x7/0xff blackhole",
		"-6 rule add priority 102 to 2001:db8::/32 lookup 1001",
		"nexthop add id 1 via 192.0.2.254 dev v0",
		"nexthop add id 2 via 192.0.2.253 dev v0",
		"nexthop add id 10 group 1,3/2",
		"nexthop add id 20 blackhole",
	), []string{
		"neigh show",
		"-4 neigh show",
		"neigh show dev v0",
		"rule show",
		"-6 rule show",
		"nexthop show",
		"nexthop show id 10",
	})
}

// vethNamespace is a namespace with lo up and the veth pair v0-v1 up, v0
// with 192.0.2.1/24 and 2001:db8:1::1/64; then ip runs cmds in it.
func vethNamespace(cmds ...string) func(testing.TB) *nstest.NS {
	return func(t testing.TB) *nstest.NS {
		ns := nstest.New(t)
		ipCommands(t, ns, "link set lo up", "link add v0 type veth peer name v1", "link set v0 up", "link set v1 up",
			"addr add 192.0.2.1/24 dev v0", "addr add 2001:db8:1::1/64 dev v0 nodad")
		ipCommands(t, ns, cmds...)
		return ns
	}
}

// replayShow runs each command over the conversation NAME.nlconv.gz in
// testdata/conv and compares its output with what ip printed from the
// namespace that build made when the conversation was recorded
// (NAME-ip.json).
func replayShow(t *testing.T, name string, build func(testing.TB) *nstest.NS, commands []string) {
	dir := filepath.Join("testdata", "conv")
	conv, golden := filepath.Join(dir, name+".nlconv.gz"), filepath.Join(dir, name+"-ip.json")
	useTransport(t, nltest.Conversation(t, conv))

	var ip replayIP
	prefix := recordedIP(t, golden, &ip, build, func(ns *nstest.NS) {
		ip = replayIP{JSON: map[string]string{}, Text: map[string]string{}}
		for _, cmd := range commands {
			ip.JSON[cmd] = nstest.IP(t, ns, append([]string{"-j"}, strings.Fields(cmd)...)...)
			if !strings.Contains(cmd, "link") && !strings.Contains(cmd, "addr") {
				ip.Text[cmd] = nstest.IP(t, ns, strings.Fields(cmd)...)
			}
		}
	})
	for _, cmd := range commands {
		args := append(append([]string(nil), prefix...), strings.Fields(cmd)...)
		ours := iprOK(t, append([]string{"-j"}, args...)...)
		compareJSON(t, maskExpires(ours), maskExpires(ip.JSON[cmd]))
		if theirs, ok := ip.Text[cmd]; ok {
			if ours := iprOK(t, args...); maskExpires(ours) != maskExpires(theirs) {
				t.Errorf("%s: text differs\nipr:\n%s\nip:\n%s", cmd, ours, theirs)
			}
		}
	}
}

// recordedIP is what ip printed when a conversation was recorded: when
// recording, it builds the namespace, lets print fill *v from it and
// writes *v to the file golden, and returns the "-n NAME" options that
// run ipr in that namespace; otherwise it reads *v from golden.
func recordedIP(t *testing.T, golden string, v any, build func(testing.TB) *nstest.NS, print func(*nstest.NS)) (prefix []string) {
	if nltest.Recording() {
		ns := build(t)
		print(ns)
		b, err := json.MarshalIndent(v, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return []string{"-n", ns.Name}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
	return nil
}

// TestReplayRouteGet compares "route get" with ip's, over a recorded
// conversation.
func TestReplayRouteGet(t *testing.T) {
	replayShow(t, "route-get", vethNamespace(
		"route add 198.51.100.0/24 via 192.0.2.254 dev v0 metric 7",
		"route add 2001:db8:9::/48 via 2001:db8:1::fe dev v0",
	), []string{
		"route get 198.51.100.7",
		"route get 192.0.2.9",
		"route get 2001:db8:9::5",
		"route get 198.51.100.7 from 192.0.2.1",
	})
}

// TestReplayErrors checks how ipr reports what the kernel refused (the
// kernel-dependent cases of TestErrors), over a recorded conversation.
func TestReplayErrors(t *testing.T) {
	useTransport(t, nltest.Conversation(t, filepath.Join("testdata", "conv", "errors.nlconv.gz")))
	var prefix []string
	if nltest.Recording() {
		ns := nstest.New(t)
		nstest.IP(t, ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1")
		prefix = []string{"-n", ns.Name}
	}
	for _, c := range []errorCase{
		// The statuses and messages are ip's (TestErrors compares them
		// with ip itself, as root).
		{"addr add 10.0.0.1/24 dev nosuch", 1, "Cannot find device \"nosuch\"\n"},
		{"addr del 10.0.0.7/24 dev d0", 2, "Error: ipv4: Address not found.\n"},
		{"addr show dev nosuch", 1, "Device \"nosuch\" does not exist.\n"},
		{"link show nosuch", 1, "Device \"nosuch\" does not exist.\n"},
		{"link add d0 type veth peer name d2", 2, "RTNETLINK answers: File exists\n"},
		{"link del nosuch", 1, "Cannot find device \"nosuch\"\n"},
		{"route del 198.51.100.0/24", 2, "Error: FIB table does not exist.\n"},
	} {
		_, errs, code := ipr(append(append([]string(nil), prefix...), strings.Fields(c.args)...)...)
		if code != c.code || errs != c.msg {
			t.Errorf("ipr %s: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
}

// TestReplayShowFilters compares the filtered show commands with ip's,
// over a recorded conversation.
func TestReplayShowFilters(t *testing.T) {
	replayShow(t, "show-filters", variedNamespace, showFilterCommands)
}

// showFilterCommands are the filtered show commands of variedNamespace
// that TestReplayShowFilters replays and TestShowMatchesIproute2 runs.
var showFilterCommands = []string{
	"-d link show type bridge_slave",
	"link show master br0",
	"link show up",
	"link show nomaster",
	"link show group 5",
	"addr show scope global",
	"addr show scope link",
	"addr show label v0:*",
	"addr show to 10.0.0.0/16",
	"addr show permanent",
	"addr show secondary",
	"addr show primary",
}

// TestReplayChanges runs changing commands over a recorded conversation,
// which checks the requests they send against the recorded ones, then
// compares the resulting state, as ipr shows it, with what ip showed
// after the same commands when the conversation was recorded.
func TestReplayChanges(t *testing.T) {
	dir := filepath.Join("testdata", "conv")
	conv, golden := filepath.Join(dir, "changes.nlconv.gz"), filepath.Join(dir, "changes-ip.json")
	useTransport(t, nltest.Conversation(t, conv))
	changes := []string{
		"link set v0 mtu 1400",
		"link set v0 up",
		"link add br9 type bridge",
		"link set v1 master br9",
		"addr add 192.0.2.5/24 dev v0",
		"addr add 2001:db8:5::1/64 dev v0 nodad",
		"route add 198.51.100.0/24 via 192.0.2.254 metric 20",
		"route replace 198.51.100.0/24 via 192.0.2.253 metric 20",
		"neigh add 192.0.2.77 lladdr 02:00:00:00:00:77 dev v0",
		"rule add priority 300 from 192.0.2.0/24 table 300",
	}
	shows := []string{"link show v0", "link show master br9", "addr show dev v0", "route show", "neigh show dev v0", "rule show"}
	var ip replayIP
	var prefix []string
	var ns *nstest.NS
	if nltest.Recording() {
		ns = nstest.New(t)
		nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
		prefix = []string{"-n", ns.Name}
	} else {
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &ip); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range changes {
		iprOK(t, append(append([]string(nil), prefix...), strings.Fields(cmd)...)...)
	}
	if nltest.Recording() {
		ip = replayIP{JSON: map[string]string{}}
		for _, cmd := range shows {
			ip.JSON[cmd] = nstest.IP(t, ns, append([]string{"-j"}, strings.Fields(cmd)...)...)
		}
		b, err := json.MarshalIndent(ip, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range shows {
		ours := iprOK(t, append(append([]string{"-j"}, prefix...), strings.Fields(cmd)...)...)
		compareJSON(t, maskExpires(ours), maskExpires(ip.JSON[cmd]))
	}
}

// TestReplayNtableShow compares "ntable" listings with ip's over a
// recorded conversation.
func TestReplayNtableShow(t *testing.T) {
	replayShow(t, "ntable", func(t testing.TB) *nstest.NS {
		ns := nstest.New(t)
		nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
		nstest.IP(t, ns, "ntable", "change", "name", "arp_cache", "dev", "v0", "queue", "7", "app_probes", "2")
		return ns
	}, []string{
		"ntable show dev v0",
		"ntable show dev none",
		"-4 ntable show dev lo",
		"-6 ntable show name ndisc_cache dev v1",
	})
}
