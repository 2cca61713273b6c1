package main

// The global options -color, -Numeric, -resolve and -echo against ip's.

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

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
	// An MPTCP endpoint, where the kernel has MPTCP: both then list it
	// by name, or both fail alike.
	ipRun(t, ns, "", "mptcp", "endpoint", "add", "127.0.0.1", "id", "3")
	for _, show := range []string{
		"-r addr", "-r route show table all", "-r neigh", "-r -j route show table all",
		"-r -j addr", "-r -o addr", "-resolve route show table 7", "-r -br addr", "-r rule",
		"-r mptcp endpoint show", "-r -j mptcp endpoint show",
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

// TestEchoMatchesIP applies change commands with -echo to twin
// namespaces, ip in one and ipr in the other: what each prints (the
// object the kernel echoes, text and JSON) and the final states must be
// equal. The links get fixed addresses so that their echoes compare.
func TestEchoMatchesIP(t *testing.T) {
	setup := []string{
		"link set lo up",
		"link add s0 address 02:00:00:00:00:aa type veth peer name s1 address 02:00:00:00:00:bb",
		"link set s0 up",
		"addr add 10.1.0.1/24 dev s0",
	}
	runTwins(t, []twinCase{
		{name: "addr", setup: setup, change: []string{
			"-echo addr add 10.3.0.1/24 dev s0",
			"-echo -j addr add 10.3.0.2/24 dev s0",
			"-echo -o addr add 10.3.0.3/24 dev s0",
			"-echo addr del 10.3.0.2/24 dev s0",
			"-echo -j addr del 10.3.0.3/24 dev s0",
			"-echo -c addr replace 10.3.0.1/24 dev s0",
			"-echo addr add 10.3.0.1/24 dev s0", // exists
		}},
		{name: "route", setup: setup, change: []string{
			"-echo route add 10.4.0.0/16 via 10.1.0.2",
			"-echo -j route add 10.4.1.0/24 via 10.1.0.2 table 5",
			"-echo -j -p route replace 10.4.1.0/24 via 10.1.0.3 table 5",
			"-echo route del 10.4.0.0/16",
			"-echo -c route add 10.5.0.0/16 via 10.1.0.2 proto static",
			"-echo route del 10.9.0.0/16", // no such route
		}},
		{name: "link", setup: setup, change: []string{
			"-echo link add d0 address 02:00:00:00:00:01 type veth peer name d1 address 02:00:00:00:00:02",
			"-echo -j link add d2 address 02:00:00:00:00:03 type veth peer name d3 address 02:00:00:00:00:04",
			"-echo link set d0 mtu 1400",
			"-echo -j link set d0 mtu 1300",
			"-echo link del d0",
			"-echo -j link del d2",
			"-echo link del nosuch",
		}},
		{name: "rule and nexthop", setup: setup, change: []string{
			"-echo rule add pref 600 table 9",
			"-echo -j rule add pref 601 from 10.2.0.0/16 table 9",
			"-echo rule del pref 600",
			"-echo nexthop add id 50 via 10.1.0.2 dev s0",
			"-echo -j nexthop add id 51 via 10.1.0.2 dev s0",
			"-echo nexthop del id 50",
		}},
	})
}

// TestBridgeVLANShowsMatchIproute2 compares the VLAN listings of -d and
// -s, and "vlan global show", with bridge's: on a kernel without VLAN
// filtering, the RTM_GETVLAN dump's refusal (message, "Dump terminated",
// exit 1 after the header) and the empty counters of -s; with it, the
// VLANs.
func TestBridgeVLANShowsMatchIproute2(t *testing.T) {
	ns := bridgeNamespace(t)
	for _, cmd := range []string{
		"-d vlan show", "-d -j vlan show", "-s vlan show", "-s -j vlan show", "-s -d vlan show",
		"-s -d -j vlan show", "-d vlan show dev p0", "-s vlan show dev p0 vid 1", "-s vlan tunnelshow",
		"-d vlan tunnelshow", "vlan global show", "vlan global", "-j vlan global show", "vlan global show dev br0",
		"vlan global show dev nosuch", "-c -d vlan show", "-c -s vlan show",
	} {
		sameAsBridge(t, ns, strings.Fields(cmd)...)
	}
}

// TestColorMatchesIproute2 compares -color output under both palettes
// (COLORFGBG naming a dark background or not) with ip's and bridge's.
func TestColorMatchesIproute2(t *testing.T) {
	ns := bridgeNamespace(t)
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
	nstest.IP(t, ns, "route", "add", "198.51.100.0/24", "via", "192.0.2.2")
	for _, bg := range []string{"", "15;0", "0;15", "default;default;8"} {
		t.Setenv("COLORFGBG", bg)
		for _, cmd := range []string{"-c link", "-c addr", "-c -br link", "-c -br addr", "-c route", "-c=always -o addr", "-c=never link", "-c=auto link"} {
			args := strings.Fields(cmd)
			out, errs, code := iprIn(ns, "", args...)
			ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
			if out != ipOut || asIP(errs) != ipErrs || code != ipCode {
				t.Errorf("COLORFGBG=%q ip %s: exit %d/%d, stderr %q/%q, %s", bg, cmd, code, ipCode, errs, ipErrs, firstDiff(out, ipOut))
			}
		}
		for _, cmd := range []string{"-c fdb", "-c link", "-c=always mdb"} {
			sameAsBridge(t, ns, strings.Fields(cmd)...)
		}
	}
	if out, _, _ := iprIn(ns, "", "-c", "link"); !strings.Contains(out, "\x1b[") {
		t.Errorf("ipr -c link printed no escape:\n%s", out)
	}
}

// TestBridgeLinkSetMoreMatchesIproute2 applies the port settings "bridge
// link set" took last (mcast_router, mcast_to_unicast, vlan_tunnel,
// locked, backup_port, nobackup_port) with bridge to one namespace and
// with ipr to its twin: same messages and statuses, and the same ports
// after, as "ip -d -j link show" shows them.
func TestBridgeLinkSetMoreMatchesIproute2(t *testing.T) {
	nstest.Require(t, "link:bridge", "link:veth")
	setup := func() *nstest.NS {
		ns := nstest.New(t)
		for _, cmd := range []string{
			// A fixed address: the bridge id derives from it.
			"link add br0 address 02:00:00:00:01:00 type bridge",
			"link add p0 type veth peer name q0", "link add p1 type veth peer name q1",
			"link set p0 master br0", "link set p1 master br0",
		} {
			nstest.IP(t, ns, strings.Fields(cmd)...)
		}
		return ns
	}
	bridgeNS, iprNS := setup(), setup()
	for _, cmd := range []string{
		"link set dev p0 mcast_router 2", "link set dev p0 mcast_router 5", "link set dev p0 mcast_router -1",
		"link set dev p0 mcast_to_unicast on", "link set dev p0 vlan_tunnel on", "link set dev p0 locked on",
		"link set dev p0 locked maybe", "link set dev p0 backup_port p1", "link set dev p0 backup_port nosuch",
		"link set dev p1 backup_port p0", "link set dev p1 nobackup_port", "link set dev p0 mcast_to_unicast off",
	} {
		sameAsBridgeIn(t, iprNS, bridgeNS, strings.Fields(cmd)...)
	}
	for _, show := range []string{"-d link show p0", "-d link show p1"} {
		if got, want := twinJSON(t, iprNS, show), twinJSON(t, bridgeNS, show); got != want {
			t.Errorf("ip -j %s:\nipr's: %s\nbridge's: %s", show, got, want)
		}
	}
}

// TestBridgeMonitorMDBMatchesIproute2 runs "bridge monitor" of the MDB
// (alone, with all, and by default) beside bridge's while entries come
// and go. bridge does not flush its output after MDB events: it runs
// unbuffered under stdbuf.
func TestBridgeMonitorMDBMatchesIproute2(t *testing.T) {
	nstest.Require(t, "link:bridge", "link:veth")
	if _, err := exec.LookPath("stdbuf"); err != nil {
		t.Skip("no stdbuf")
	}
	ns := nstest.New(t)
	for _, cmd := range []string{
		"link add br0 type bridge", "link add p0 type veth peer name q0", "link set p0 master br0",
		"link set br0 up", "link set p0 up",
	} {
		nstest.IP(t, ns, strings.Fields(cmd)...)
	}
	for _, opts := range [][]string{{"monitor", "mdb"}, {"monitor", "all"}, {"-s", "monitor", "mdb"}} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			bOut, iOut := startMonitors(t, append([]string{"stdbuf", "-o0", "bridge", "-n", ns.Name}, opts...),
				append([]string{"bridge", "-n", ns.Name}, opts...))
			// bridge drops the notifications that come while it lists
			// the links at start: a sentinel entry comes and goes until
			// both have seen it, and what follows its last removal is
			// compared.
			mdb := func(cmd string) {
				exec.Command("bridge", append([]string{"-n", ns.Name}, strings.Fields(cmd)...)...).Run()
			}
			const sentinel = "Deleted dev br0 port p0 grp 239.9.9.9 permanent"
			for range 400 {
				mdb("mdb add dev br0 port p0 grp 239.9.9.9 permanent")
				mdb("mdb del dev br0 port p0 grp 239.9.9.9")
				time.Sleep(5 * time.Millisecond)
				if strings.Contains(bOut.String(), sentinel) && strings.Contains(iOut.String(), sentinel) {
					break
				}
			}
			after := func(s string) string {
				if i := strings.LastIndex(s, sentinel); i >= 0 {
					return s[i+len(sentinel):]
				}
				return s
			}
			for _, cmd := range []string{
				"mdb add dev br0 port p0 grp 239.1.1.9 permanent", "mdb add dev br0 port p0 grp ff0e::9 permanent",
				"mdb del dev br0 port p0 grp 239.1.1.9", "mdb del dev br0 port p0 grp ff0e::9",
			} {
				exec.Command("bridge", append([]string{"-n", ns.Name}, strings.Fields(cmd)...)...).Run()
			}
			got, want := awaitSame(func() string { return after(iOut.String()) }, func() string { return after(bOut.String()) },
				func(s string) bool { return strings.Contains(s, "ff0e::9") && strings.Count(s, "\n") >= 5 })
			if got != want || !strings.Contains(got, "Deleted dev br0 port p0 grp ff0e::9") {
				t.Errorf("ipr bridge %s differs from bridge: %s", strings.Join(opts, " "), firstDiff(got, want))
			}
		})
	}
}
