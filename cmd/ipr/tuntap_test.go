package main

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestTuntapMatchesIP compares "tuntap" listings and failures with ip's,
// in the namespace (sysfs read from inside it) and byte for byte.
func TestTuntapMatchesIP(t *testing.T) {
	nstest.Require(t, "link:tun")
	ns := nstest.New(t)
	ipCommands(t, ns,
		"tuntap add mode tap name tp0 user 0 group 5 vnet_hdr multi_queue", "tuntap add mode tun tn0 pi",
		"tuntap add mode tun tn1 one_queue", "link add d0 type veth peer name d1",
	)
	eachSameAsIP(t, ns, nil,
		"tuntap", "-j tuntap", "tuntap show", "tuntap list", "tuntap lst", "tap", "-j -p tuntap", "-o tuntap",
		"tuntap help", "tuntap frob", "tuntap add", "tuntap add mode", "tuntap add mode foo",
		"tuntap add mode tun mode tap", "tuntap add mode tun tn0", "tuntap add mode tun a/b",
		"tuntap add mode tun dev a/b", "tuntap add mode tun x y", "tuntap add mode tun name",
		"tuntap add mode tun user ipr-no-such-user", "tuntap add mode tun group ipr-no-such-group",
		"tuntap del mode tap tn0", "tuntap add mode tap tp0 help",
	)
}

// TestMaddrMatchesIP compares "maddr" listings (read from the namespace's
// /proc/net) and failures with ip's, byte for byte.
func TestMaddrMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns,
		"link set lo up", "link add d0 type veth peer name d1", "link set d0 up", "link set d1 up",
		"maddr add 01:00:5e:01:02:03 dev d0", "maddr add 01:00:5e:01:02:03 dev d1", "maddr add 01:00:5e:01:02:03 dev d1",
	)
	settleDAD(t, ns)
	eachSameAsIP(t, ns, nil,
		"maddr", "-j maddr", "maddr show dev d0", "maddr show d1", "-4 maddr", "-6 maddr", "-0 maddr", "-o maddr",
		"-j -p maddr", "maddress list", "m lst", "maddr show dev", "maddr help", "maddr frob", "maddr show d0 d1",
		"maddr add 01:00:5e:01:02:03", "maddr add 01:00:5e:01:02:zz dev d0", "maddr add 01:00:5e dev d0",
		"maddr add 1:2:3:4:5:6:7 dev d0", "maddr del 33:33:00:00:00:01 dev nosuchdev", "maddr add address",
		"maddr add 01:00:5e:01:02:03 dev a/b", "maddr add 01:00:5e:01:02:03 01:00:5e:01:02:04 dev d0",
	)
}

// TestNtableMatchesIP compares "ntable" listings and failures with ip's,
// byte for byte.
func TestNtableMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	eachSameAsIP(t, ns, nil,
		"ntable", "-j ntable", "ntable show dev va", "ntable show dev none", "ntable show name arp_cache",
		"ntable show name ndisc_cache dev lo", "-4 ntable", "-6 ntable", "-o ntable", "-j -p ntable show dev lo",
		"-s ntable show dev va", "-s -j ntable show dev vb", "ntbl list", "ntable lst",
		"ntable show dev nope", "ntable show foo", "ntable show dev", "ntable help", "ntable frob", "ntable change",
		"ntable change name arp_cache", "ntable change name arp_cache dev nope queue 3",
		"ntable change name arp_cache thresh1 x", "ntable change name nope dev va queue 3",
		"ntable change name arp_cache name ndisc_cache queue 3", "ntable change name arp_cache dev va frob 3",
	)
}
