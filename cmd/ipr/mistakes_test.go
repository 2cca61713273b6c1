package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestMistakesMatchIP compares ipr with ip and tc on command-line
// mistakes and refusals of the kinds the hostile command-line test's
// lines showed ipr reporting in its own words: what is printed and the
// exit status must be theirs, byte for byte.
func TestMistakesMatchIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link add p0 type veth peer name p1", "link set p0 up")
	// iproute2's get_prefix and get_addr: status 1, the family's name.
	sameBytesAsIP(t, ns, nil,
		"route add zz via 192.0.2.1",
		"route add 10.0.0.0/33 dev p0",
		"-6 route add zz:: via 2001:db8::2",
		"route show src zz",
		"route get 4294967296",
		"route get 127.0.0.1 -1",
		"route get 127.0.0.1 127.0.0.2",
		"addr add 10.0.0.300/24 dev p0",
		"addr add 1.2.3.4/33 dev p0",
		"addr del -1 dev p0",
		"rule add from zz table 100",
		"neigh add zz lladdr 02:00:00:00:00:06 dev p0",
		// ipneigh_modify: ll_addr_a2n after the whole line, "dev ''"
		// looked up, a second address, a second lladdr.
		"neigh add 10.1.0.6 lladdr 1.2.3.4/33 dev p0",
		"neigh add 10.1.0.6 lladdr 4294967296 dev p0",
		"neigh add 10.1.0.6 lladdr 02:00:00:00:00:06 dev ''",
		"neigh add proxy 10.1.0.77 dev ''",
		"neigh add 10.1.0.6 10.1.0.7 dev p0",
		"neigh add 10.1.0.6 lladdr 02 lladdr 03 dev p0",
		"xfrm state update src -1 dst 10.0.0.2 proto esp spi 0x100 enc cbc(aes) 0x00",
		// Flushes without a selector, and words taken as devices or
		// destinations.
		"addr flush",
		"neigh flush",
		"rule show zz",
		"rule show d 10.0.0.0/8",
		"link show -1",
		"addr show p0 p1",
		"route add 2001:db8:8::/64 encap ila zz dev p0",
		"route add 10.0.0.0/8 encap zz dev p0",
		// Unknown words and duplicates as ip words them.
		"nexthop add id 2 via 10.1.0.3 1- p0",
		"nexthop show zz",
		"rule add 0/0 10.2.0.0/16 lookup 101",
		"addr add 2001:db8::1/64 1.2.3 dev p0",
		"link set dev p0 vf 1 vlan 10 qos via",
		"route add 2001:db8:11::/64 encap ioam6 trace prealloc type 0xc00000 size 44 dev p0",
		"addr add 10.9.9.9/24 dev 1.2.3.4/33",
		"link set dev 1: up",
		"route add 10.9.0.0/16 dev ..",
		"link set dev p0 mtu x",
		"link set dev p0 mtu 1400 mtu 1300",
		"nexthop add id - group 1,2/2",
		"route add 1.2.3 203.0.113.64/26",
		// An empty group, subgroup or suite names nothing.
		"stats show group ''",
		"stats show group offload subgroup ''",
		// A link kind ip has no module for: its name alone is sent.
		"link add x9 type nosuchkind",
		// parse_on_off and parse_one_of, and their statuses.
		"link add link p0 name p0.5 type vlan id 5 gvrp maybe",
		"link set dev p0 type can fd maybe",
		"link add link p0 name ms0 type macsec encrypt maybe",
		"link add link p0 name ms0 type macsec validate zz",
		"link add link p0 name ms0 type macsec offload zz",
		"link set dev p0 type can tdc-mode maybe",
		// iplink_parse's device words, names and master.
		"link set dev p1 master nosuch",
		"link set 1.2.3.4/33 master nosuch",
		"link add 1.2.3.4/33 type veth peer name k1",
		"link set dev p0 x y",
		"link add name foo bar type veth",
		"link add dev y0 name y1 type veth",
		"link add x0 type veth peer peer name x1",
		// The device of "set" is looked up before the kind's options.
		"link set dev nosuch type can tdc-mode maybe",
	)
	// ... and nothing may follow it (ipr names itself in the message).
	args := strings.Fields("link add x9 type nosuchkind local 1")
	out, errs, code := iprIn(ns, "", args...)
	ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
	if out != ipOut || asIP(errs) != ipErrs || code != ipCode {
		t.Errorf("%s:\nipr (exit %d): %s%s\nip (exit %d):  %s%s", args, code, out, errs, ipCode, ipOut, ipErrs)
	}
	// With clsact, the filter lines reach the classifiers; without it,
	// the kernel refuses them as it refuses tc, which still compares.
	if nstest.Have(t, "qdisc:clsact") {
		iprSetup(t, ns, "qdisc add dev p0 clsact")
	}
	asTC := func(ipr, tc tcResult) bool { return strings.ReplaceAll(ipr.errs, `"ipr `, `"tc `) != tc.errs }
	compareWithTC(t, ns, asTC,
		// A filter kind tc has no module for: parse_nofopt.
		"filter add dev p0 ingress zz",
		"filter add dev p0 ingress zz 1",
		"filter add dev p0 ingress handle 5g zz",
		// Refusals end with tc's "We have an error talking to the
		// kernel"; actions get and delete then fail on their own words.
		"filter add dev p1 ingress matchall action drop",
		"filter get dev p0 ingress protocol all pref 5 handle 1 matchall",
		"chain get dev p0 ingress chain 9",
		"actions add action gact drop index 7",
		"actions add action gact drop index 7",
		"actions get action gact index 99",
		"actions delete action gact index 99",
		"actions flush action gact",
		"actions flush action gact",
		// A u32 field tc does not know, and dsfield abbreviated.
		"filter add dev p0 ingress protocol ip u32 match ip zz 1 0xff",
		"filter add dev p0 ingress protocol ipv6 u32 match ip6 /8 2001:db8::/32",
		// tc's own "Illegal" messages, a duplicate dev, a name no
		// device can have.
		"filter add dev p0 ingress protocol ip flower ip_proto tcp ip_ttl 999 action pass",
		"filter add dev p0 ingress route to 5 from zz",
		"filter add dev p0 ingress dev type 8",
		"qdisc add dev 1.2.3.4/33 root pfifo",
		// get_addr in tunnel_key, invarg in mqprio.
		"actions add action tunnel_key set src_ip 1.1.1.1 dst_ip zz id 7 dst_port 4789",
		"qdisc add dev p0 root mqprio hw 0 mode dcb",
		// The device is looked up before the kind's options are read.
		"filter add dev nosuch ingress u32 match ip dst 10.0.0.0/8 police rate 1mbit burst",
		"filter add dev nosuch ingress handle 1",
		"filter del dev p0 ingress handle 1",
		// A repeated dev at the end of the line.
		"qdisc add dev p0 root handle 1: dev",
	)
}
