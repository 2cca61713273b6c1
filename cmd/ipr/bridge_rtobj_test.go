package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestBridgeMDBMatchesBridge compares bridge mdb show, add and del with
// iproute2's bridge, byte for byte, in a namespace with a snooping bridge.
func TestBridgeMDBMatchesBridge(t *testing.T) {
	ns := cliNamespace(t)
	ipCommands(t, ns, "link add br0 type bridge", "link set va master br0", "link set br0 up", "link set vb up")
	waitMDBSettled(t, ns)
	same := func(cmd string) {
		t.Helper()
		sameAsBridge(t, ns, strings.Fields(cmd)...)
	}
	for _, c := range []string{
		"mdb add dev br0 port va grp 239.1.1.1 permanent",
		"mdb add dev br0 port va grp 239.1.1.2 temp vid 0",
		"mdb add dev br0 port va grp ff0e::5 src 2001:db8::1 permanent",
		"mdb add dev br0 port va grp 01:00:5e:01:02:03 permanent",
	} {
		if out, errs, code := bridgeIn(ns, "", strings.Fields(c)...); code != 0 {
			t.Fatalf("%s: exit %d %s%s", c, code, out, errs)
		}
		same(c) // EEXIST from both
	}
	for _, c := range []string{
		"mdb", "mdb show", "-j mdb show", "-j -p mdb", "-d mdb show", "-j -d mdb show", "mdb show dev br0",
		"mdb show vid 0", "mdb show dev nope", "mdb show dev br0 dev br0", "-o mdb",
		"mdb add dev br0 port va", "mdb add dev nope port va grp 239.1.1.9", "mdb add dev br0 port va grp bogus",
		"mdb del dev br0 port va grp 239.9.9.9",
	} {
		same(c)
	}
	if _, errs, code := bridgeIn(ns, "", strings.Fields("mdb del dev br0 port va grp 239.1.1.1")...); code != 0 {
		t.Fatalf("del: %d %s", code, errs)
	}
	same("mdb show")
}

// TestBridgeVLANMatchesBridge compares bridge vlan with iproute2's bridge:
// listings, and changes, which a kernel without VLAN filtering refuses as
// it refuses bridge's (their bytes are compared in package rtm).
func TestBridgeVLANMatchesBridge(t *testing.T) {
	ns := cliNamespace(t)
	ipCommands(t, ns, "link add br0 type bridge", "link set va master br0", "link set br0 up", "link set vb up")
	filtering := nstest.Have(t, "vlan_filtering")
	if filtering {
		nstest.IP(t, ns, "link", "set", "br0", "type", "bridge", "vlan_filtering", "1")
	}
	same := func(cmd string) {
		t.Helper()
		sameAsBridge(t, ns, strings.Fields(cmd)...)
	}
	for _, c := range []string{
		"vlan add vid 10 dev va", "vlan add vid 20 dev va pvid untagged", "vlan add vid 100-200 dev va untagged",
		"vlan set dev va vid 10 state 3", "vlan global set dev br0 vid 10 mcast_snooping 1",
		"vlan", "vlan show", "-j vlan show", "vlan show dev va", "vlan show vid 10", "vlan tunnelshow",
		"-j vlan tunnelshow", "vlan show dev nope", "vlan add vid 10", "vlan add vid 10 dev nope",
		"vlan add vid 5000 dev va", "vlan add vid 20-10 dev va", "vlan add vid 10-20 dev va pvid",
		"vlan set dev va vid 10 state bogus", "vlan set dev va", "vlan global set dev br0",
		"vlan del vid 10 dev va",
	} {
		same(c)
	}
}

// waitMDBSettled waits until the kernel has added the multicast groups
// of its own (all-snoopers, and the solicited-node groups of the
// link-local addresses, joined once duplicate address detection ends):
// they come asynchronously, and one between the two commands of a
// comparison would make them differ. Settled is no tentative address
// and two equal listings 200 ms apart; after 10 s the test goes on.
func waitMDBSettled(t *testing.T, ns *nstest.NS) {
	t.Helper()
	prev := "\x00"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		tentative, _, _ := runCmd(t, exec.Command("ip", "-n", ns.Name, "-6", "addr", "show", "tentative"), "")
		out, _, _ := runCmd(t, exec.Command("bridge", "-n", ns.Name, "mdb", "show"), "")
		if tentative == "" && out == prev {
			return
		}
		prev = out
	}
}
