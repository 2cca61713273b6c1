package main

// The change half of the differential harness: each case's commands are
// applied once with ip to one namespace and once with ipr to its twin,
// and the states that ip then shows of the two must be equal.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// twinCase is one sequence of changes. Commands are ip's command lines
// without "ip -n NS"; a command that needs an optional kernel feature is
// written "needs FEATURE: cmd" and the case is skipped, as a subtest named
// after the feature, when the kernel lacks it.
type twinCase struct {
	name string
	// setup runs with ip in both namespaces first.
	setup []string
	// change runs with ip in one and with ipr in the other; each command
	// must end with the same status and messages in both.
	change []string
	// state lists the "ip -j ..." views compared at the end; nil compares
	// twinState.
	state []string
}

// twinState is what a case compares by default: every object ip shows.
var twinState = []string{
	"-d link show", "-d addr show", "route show table all", "-6 route show table all",
	"rule", "-6 rule", "neigh show", "neigh show proxy", "tuntap",
}

// scrubbed are JSON members whose values are made up afresh by the kernel
// in each namespace (random MAC addresses, and what derives from them) or
// move with time.
var scrubbed = map[string]bool{
	"address": true, "perm_address": true, "stats64": true, "stats": true,
	"valid_life_time": true, "preferred_life_time": true, "used": true, "confirmed": true,
	"updated": true, "expires": true, "reachable": true,
}

func scrub(v any) any {
	switch v := v.(type) {
	case map[string]any:
		// IPv6 link-local addresses derive from the random MAC address.
		if info, ok := v["addr_info"].([]any); ok {
			kept := info[:0]
			for _, a := range info {
				if m, ok := a.(map[string]any); ok && m["family"] == "inet6" && m["scope"] == "link" {
					continue
				}
				kept = append(kept, a)
			}
			v["addr_info"] = kept
		}
		for k := range v {
			if scrubbed[k] {
				v[k] = "*"
			} else {
				v[k] = scrub(v[k])
			}
		}
	case []any:
		kept := v[:0]
		for _, e := range v {
			// The local routes of those link-local addresses, likewise.
			if m, ok := e.(map[string]any); ok && m["type"] == "local" && strings.HasPrefix(fmt.Sprint(m["dst"]), "fe80:") {
				continue
			}
			kept = append(kept, scrub(e))
		}
		return kept
	}
	return v
}

// twinJSON is "ip -j ARGS" in ns, scrubbed and re-encoded with sorted
// keys.
func twinJSON(t *testing.T, ns *nstest.NS, args string) string {
	t.Helper()
	out, errs, code := ipRun(t, ns, "", append([]string{"-j"}, strings.Fields(args)...)...)
	if code != 0 {
		t.Fatalf("ip -j %s: exit %d: %s", args, code, errs)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("ip -j %s: %v\n%s", args, err, out)
	}
	b, _ := json.Marshal(scrub(v))
	return string(b)
}

// runTwins applies the cases.
func runTwins(t *testing.T, cases []twinCase) {
	nstest.RequirePrivileged(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var feature string
			strip := func(cmd string) string {
				if rest, ok := strings.CutPrefix(cmd, "needs "); ok {
					f, cmd, _ := strings.Cut(rest, ": ")
					feature = f
					return cmd
				}
				return cmd
			}
			for _, cmd := range append(append([]string{}, c.setup...), c.change...) {
				strip(cmd)
			}
			if feature != "" && !nstest.Have(t, feature) {
				return
			}
			ipNS, iprNS := nstest.New(t), nstest.New(t)
			for _, cmd := range c.setup {
				nstest.IP(t, ipNS, strings.Fields(strip(cmd))...)
				nstest.IP(t, iprNS, strings.Fields(strip(cmd))...)
			}
			for _, cmd := range c.change {
				args := strings.Fields(strip(cmd))
				ipOut, ipErrs, ipCode := ipRun(t, ipNS, "", args...)
				out, errs, code := iprIn(iprNS, "", args...)
				if code != ipCode || asIP(errs) != ipErrs || out != ipOut {
					t.Errorf("%s:\nipr (exit %d): %q %q\nip  (exit %d): %q %q", cmd, code, out, errs, ipCode, ipOut, ipErrs)
				}
			}
			state := c.state
			if state == nil {
				state = twinState
			}
			for _, show := range state {
				if got, want := twinJSON(t, iprNS, show), twinJSON(t, ipNS, show); got != want {
					t.Errorf("ip -j %s after the changes:\nipr's: %s\nip's:  %s", show, got, want)
				}
			}
		})
	}
}

// TestTwinChanges is the harness's table of changes.
func TestTwinChanges(t *testing.T) {
	runTwins(t, twinCases)
}

var twinCases = []twinCase{
	{name: "tuntap", change: []string{
		"needs link:tun: tuntap add mode tap name tp0 user 0 group 5 vnet_hdr multi_queue",
		"tuntap add mode tun tn0 pi", "tuntap add mode tun dev tn1 one_queue", "tuntap add mode tun tn0",
		"tuntap add mode tap", "tuntap add mode tun mode tap x", "tuntap add mode tun user nosuchuser-ipr x",
		"tuntap del mode tap tn0", "tuntap del mode tun tn1", "tuntap del mode tun gone",
		"tap add mode tap tp1", "tuntap del mode tap name tp1",
	}},
	{name: "maddr", setup: []string{"link add d0 type veth peer name d1", "link set d0 up"}, change: []string{
		"maddr add 01:00:5e:01:02:03 dev d0", "maddr add 33:33:00:00:00:09 dev d0", "maddr add 01:00:5e:01:02:03 dev d0",
		"maddr del 01:00:5e:01:02:03 dev d0", "maddr add 01:00:5e:01:02:04 dev d1", "maddr del 01:00:5e:09:09:09 dev d0",
		"maddr add 01:00:5e:01:02 dev d0", "maddr add 01:00:5e:01:02:zz dev d0", "maddr add 01:00:5e:01:02:03",
		"maddr del 01:00:5e:01:02:04 dev nosuchdev",
	}, state: []string{"maddr", "-0 maddr", "-4 maddr"}},
	{name: "ntable", setup: []string{"link add d0 type veth peer name d1"}, change: []string{
		"ntable change name arp_cache dev d0 queue 7 app_probes 2 base_reachable 20000",
		"ntable change name ndisc_cache dev d0 locktime 100 proxy_delay 5 retrans 1500 gc_stale 1000 delay_probe 3000",
		"ntable chg name arp_cache dev d1 mcast_probes 4 ucast_probes 2 anycast_delay 900 proxy_queue 12 locktime 5",
		"ntable change name arp_cache thresh1 5", "ntable change name nope dev d0 queue 3",
		"-6 ntable change name arp_cache dev d0 queue 3",
	}, state: []string{"ntable show dev d0", "ntable show dev d1"}},
	{name: "link", setup: []string{"link add d0 type veth peer name d1"}, change: []string{
		"link set d0 up", "link set d1 mtu 1400", "link set dev d1 alias hello", "link set d1 group 3",
		"link set d1 txqueuelen 77", "link set d0 name d9", "link set d9 down",
		"link add br0 type bridge", "link set d1 master br0", "link set d1 nomaster", "link del br0",
		"link set d1 address 02:11:22:33:44:55", "link set lo mtu 1280", "link del d9",
	}},
	{name: "addr", setup: []string{"link add d0 type veth peer name d1"}, change: []string{
		"addr add 10.5.0.1/24 dev d0", "addr add 10.5.0.2/24 dev d0 label d0:x", "addr add 10.6.0.1 peer 10.6.0.2 dev d1",
		"addr add 10.7.0.1/16 brd + dev d1", "addr add 10.8.0.1/8 broadcast 10.255.255.254 dev d1 scope link",
		"addr add 2001:db8::1/64 dev d0 nodad", "addr add 2001:db8:1::1/64 dev d0 nodad noprefixroute",
		"addr add 10.9.0.1/24 dev d0 valid_lft 100 preferred_lft 50", "addr replace 10.5.0.1/24 dev d0 preferred_lft 0",
		"addr replace 10.5.0.2/24 dev d0 label d0:y", "addr del 10.6.0.1 peer 10.6.0.2 dev d1",
		"addr add 10.5.0.1/24 dev d0", "addr del 10.99.0.1/24 dev d0", "addr flush dev d1 scope link",
	}},
	{name: "route", setup: []string{"link add d0 type veth peer name d1", "link set d0 up", "link set d1 up",
		"addr add 10.5.0.1/24 dev d0", "addr add 2001:db8::1/64 dev d0 nodad"}, change: []string{
		"route add 10.10.0.0/16 via 10.5.0.2", "route add 10.11.0.0/16 dev d0 metric 7 table 100",
		"route add blackhole 10.12.0.0/16", "route add unreachable 10.13.0.0/16 table 200", "route add prohibit 10.14.0.0/16",
		"route add 10.15.0.0/16 via 10.5.0.2 mtu 1300 advmss 1200 window 1000 initcwnd 5",
		"route replace 10.10.0.0/16 via 10.5.0.3 proto static", "route add 10.10.0.0/16 via 10.5.0.2",
		"route append 10.16.0.0/16 via 10.5.0.2", "route prepend 10.17.0.0/16 via 10.5.0.4",
		"-6 route add 2001:db8:5::/64 via 2001:db8::2", "route add 2001:db8:6::/64 dev d0 metric 5",
		"route add 10.18.0.0/16 nexthop via 10.5.0.2 weight 2 nexthop via 10.5.0.3", "route del 10.12.0.0/16",
		"route add 10.19.0.0/16 via 10.5.0.2 src 10.5.0.1 scope global", "route change 10.19.0.0/16 via 10.5.0.3",
		"route del 10.99.0.0/16", "route flush table 200",
	}},
	{name: "rule", change: []string{
		"needs policy_routing: rule add from 10.1.0.0/16 table 100 pref 100", "rule add to 10.2.0.0/16 lookup 101 pref 101",
		"rule add fwmark 0x10/0xff table 102", "rule add iif lo table 103", "rule add tos 0x10 table 107",
		"rule add not from all table 104 pref 50", "rule add from all to all table 105", "rule add from 0/0 table 106",
		"rule add uidrange 100-200 table 108", "rule add ipproto tcp dport 80 table 109", "rule add prohibit from 10.3.0.0/16",
		"-6 rule add from 2001:db8::/32 table 110", "rule del pref 101", "rule del pref 4242", "rule flush",
	}},
	{name: "neigh", setup: []string{"link add d0 type veth peer name d1", "link set d0 up", "addr add 10.5.0.1/24 dev d0"}, change: []string{
		"neigh add 10.5.0.2 lladdr 02:00:00:00:00:02 dev d0", "neigh add 10.5.0.3 lladdr 02:00:00:00:00:03 dev d0 nud stale",
		"neigh replace 10.5.0.2 lladdr 02:00:00:00:00:12 dev d0 nud noarp", "neigh add proxy 10.5.0.9 dev d0",
		"neigh change 10.5.0.3 lladdr 02:00:00:00:00:13 dev d0", "neigh del 10.5.0.3 dev d0", "neigh add 10.5.0.2 lladdr 02:00:00:00:00:02 dev d0",
		"neigh flush dev d0",
	}},
}
