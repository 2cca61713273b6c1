package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestTuntapMatchesIP compares "tuntap" listings and failures with ip's,
// in the namespace (sysfs read from inside it) and byte for byte.
func TestTuntapMatchesIP(t *testing.T) {
	nstest.Require(t, "link:tun")
	ns := nstest.New(t)
	for _, cmd := range []string{
		"tuntap add mode tap name tp0 user 0 group 5 vnet_hdr multi_queue", "tuntap add mode tun tn0 pi",
		"tuntap add mode tun tn1 one_queue", "link add d0 type veth peer name d1",
	} {
		nstest.IP(t, ns, strings.Fields(cmd)...)
	}
	for _, cmd := range []string{
		"tuntap", "-j tuntap", "tuntap show", "tuntap list", "tuntap lst", "tap", "-j -p tuntap", "-o tuntap",
		"tuntap help", "tuntap frob", "tuntap add", "tuntap add mode", "tuntap add mode foo",
		"tuntap add mode tun mode tap", "tuntap add mode tun tn0", "tuntap add mode tun a/b",
		"tuntap add mode tun dev a/b", "tuntap add mode tun x y", "tuntap add mode tun name",
		"tuntap add mode tun user ipr-no-such-user", "tuntap add mode tun group ipr-no-such-group",
		"tuntap del mode tap tn0", "tuntap add mode tap tp0 help",
	} {
		sameAsIP(t, ns, nil, strings.Fields(cmd)...)
	}
}
