package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestLinkKindsShowAsIP creates links of the kinds this kernel has, one
// namespace each, and compares ipr's -d listings of them (text, -o and
// -j) with ip's byte for byte. Kinds the kernel lacks are skipped by
// name; TestLinkPrintAsIP covers every kind from messages.
func TestLinkKindsShowAsIP(t *testing.T) {
	for _, c := range []struct {
		feature string
		setup   []string
	}{
		{"link:veth", []string{"link add k0 type veth peer name k1"}},
		{"link:ifb", []string{"link add k0 type ifb"}},
		{"link:macvlan", []string{"link add p0 type veth peer name p1", "link add k0 link p0 type macvlan mode private",
			"link add k1 link p0 type macvlan mode source macaddr add 02:00:00:00:00:01", "link add k2 link p1 type macvlan mode passthru nopromisc"}},
		{"link:macvtap", []string{"link add p0 type veth peer name p1", "link add k0 link p0 type macvtap mode vepa"}},
		{"link:tun", []string{"tuntap add dev k0 mode tap multi_queue", "tuntap add dev k1 mode tun user 0 group 0 vnet_hdr pi"}},
		{"link:vxlan", []string{"link add k0 type vxlan id 7 dstport 4789 local 192.0.2.1 ttl 9 tos 0x10 noudpcsum ageing 30",
			"link add k1 type vxlan external dstport 4790"}},
	} {
		t.Run(c.feature, func(t *testing.T) {
			nstest.Have(t, c.feature)
			ns := nstest.New(t)
			for _, cmd := range c.setup {
				nstest.IP(t, ns, strings.Fields(cmd)...)
			}
			for _, cmd := range []string{"-d link show", "-d -o link show", "-j -d link show", "-j -p -d link show dev k0", "link show"} {
				sameAsIP(t, ns, nil, strings.Fields(cmd)...)
			}
		})
	}
}
