package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// twinNamespaces returns two namespaces set up alike by ip, for applying a
// command once with ip and once with ipr.
func twinNamespaces(t *testing.T, setup ...string) (ipNS, iprNS *nstest.NS) {
	t.Helper()
	ipNS, iprNS = nstest.New(t), nstest.New(t)
	for _, ns := range []*nstest.NS{ipNS, iprNS} {
		for _, s := range setup {
			nstest.IP(t, ns, strings.Fields(s)...)
		}
	}
	return ipNS, iprNS
}

// TestLinkSettingsMatchIproute2 applies each command to twin namespaces,
// with ip and with ipr, and compares exit status, messages and the final
// "ip -j -d link show" and "ip token list" of both.
func TestLinkSettingsMatchIproute2(t *testing.T) {
	setup := []string{
		"link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02",
		"link add vx0 address 02:00:00:00:00:03 type vxlan id 5 dstport 4789",
	}
	for _, cmd := range []string{
		"link set dev p0 gso_max_size 32000 gso_max_segs 100 gro_max_size 30000",
		"link set dev p0 addrgenmode none",
		"link set dev p0 addrgenmode random",
		"link set dev p0 addrgenmode bogus",
		"link set dev p0 mode dormant state dormant",
		"link set dev p0 state up mode default",
		"link set dev p0 carrier on",
		"link set dev vx0 protodown on",
		"link set dev vx0 protodown_reason 3 on",
		"link set dev vx0 protodown on protodown_reason 1 on",
		"link set dev p0 protodown on",
		"link set dev p0 protodown maybe",
		"link set dev p0 carrier maybe",
		"link set dev p0 protodown_reason 3 maybe",
		"link set dev p0 vf 0 trust maybe",
		"link set dev p0 multicast maybe",
		"token set ::1 dev nosuch",
		"link set dev p0 xdp off",
		"link set dev p0 xdpgeneric none",
		"link set dev p0 xdpdrv off",
		"link set dev p0 vf 0 trust on",
		"link set dev p0 vf 0",
		"link set dev p0 vf 1 mac 02:00:00:00:00:10 vlan 10 qos 3 spoofchk on state enable",
		"link set dev p0 link-netnsid 3",
		"link set dev p0 gso_max_segs 70000",
		"link property add dev p0 altname uplink0 altname uplink1",
		"link property add dev p0",
		"link property add altname x",
		"link property frob dev p0",
		"token set ::1:2:3:4 dev p0",
		"token set 192.0.2.1 dev p0",
		"token set ::5",
		"link set dev p0 name \"\"",
		"link add vxe address 02:00:00:00:01:01 type vxlan external dstport 4789",
		"link add vxf address 02:00:00:00:01:02 type vxlan id 9 flowlabel 0x12345 udp6zerocsumtx udp6zerocsumrx gbp remote 2001:db8::2 dstport 4789",
		"link add vxg address 02:00:00:00:01:03 type vxlan external vnifilter dstport 4789",
		"link add vxh type vxlan id 4 vnifilter dstport 4789",
		"link add vxi type vxlan id 4 external",
	} {
		t.Run(cmd, func(t *testing.T) {
			ipNS, iprNS := twinNamespaces(t, setup...)
			args := strings.Fields(strings.ReplaceAll(cmd, `""`, "\x00"))
			for i, a := range args {
				if a == "\x00" {
					args[i] = ""
				}
			}
			ipOut, ipErr, ipCode := ipRun(t, ipNS, "", args...)
			out, errs, code := iprIn(iprNS, "", args...)
			if code != ipCode || asIP(errs) != ipErr || out != ipOut {
				t.Errorf("ipr: exit %d, stdout %q, stderr %q\nip:  exit %d, stdout %q, stderr %q", code, out, errs, ipCode, ipOut, ipErr)
			}
			compareJSON(t, nstest.IP(t, iprNS, "-j", "-d", "link", "show"), nstest.IP(t, ipNS, "-j", "-d", "link", "show"))
			if a, b := nstest.IP(t, iprNS, "token", "list"), nstest.IP(t, ipNS, "token", "list"); a != b {
				t.Errorf("tokens: after ipr %q, after ip %q", a, b)
			}
		})
	}
}

// TestTokenShowMatchesIproute2 compares "token list|get" output.
func TestTokenShowMatchesIproute2(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.IP(t, ns, "token", "set", "::7", "dev", "p1")
	for _, cmd := range []string{"token", "token list", "-j token list", "token get dev p1", "-j token get dev p0", "token get dev nosuch"} {
		args := strings.Fields(cmd)
		ipOut, ipErr, ipCode := ipRun(t, ns, "", args...)
		out, errs, code := iprIn(ns, "", args...)
		if code != ipCode || asIP(errs) != ipErr || out != ipOut {
			t.Errorf("%s\nipr: exit %d, stdout %q, stderr %q\nip:  exit %d, stdout %q, stderr %q", cmd, code, out, errs, ipCode, ipOut, ipErr)
		}
	}
}

// TestProtoDownShowMatchesIproute2 compares link show output of a link
// with protodown reasons, in every form.
func TestProtoDownShowMatchesIproute2(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "id", "5", "dstport", "4789")
	nstest.IP(t, ns, "link", "set", "vx0", "protodown", "on", "protodown_reason", "3", "on")
	nstest.IP(t, ns, "link", "set", "vx0", "protodown_reason", "5", "on")
	for _, cmd := range []string{"link show", "-d link show", "-j link show", "-d -j link show", "-o link show"} {
		args := strings.Fields(cmd)
		ipOut, _, _ := ipRun(t, ns, "", args...)
		out, errs, code := iprIn(ns, "", args...)
		if code != 0 || out != ipOut {
			t.Errorf("%s: ipr exit %d %s\nipr: %q\nip:  %q", cmd, code, errs, out, ipOut)
		}
	}
}
