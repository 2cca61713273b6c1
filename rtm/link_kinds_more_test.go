package rtm_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// TestMoreKindsAgainstIP creates each kind of link_kinds_more.go that the
// kernel has (a subtest named after the missing feature is skipped
// otherwise; their requests are checked against iproute2's by the golden
// tests) and compares what ip shows.
func TestMoreKindsAgainstIP(t *testing.T) {
	h, ns := handle(t)
	addVethPair(t, h)
	p0, p1 := index(t, h, "p0"), index(t, h, "p1")
	for _, c := range []struct {
		feature string
		spec    rtm.LinkSpec
		want    map[string]any
	}{
		{"link:nlmon", rtm.LinkSpec{Name: "nl0", Kind: &rtm.Nlmon{}}, map[string]any{"linkinfo.info_kind": "nlmon"}},
		{"link:vcan", rtm.LinkSpec{Name: "can0", Kind: &rtm.VCAN{}}, map[string]any{"linkinfo.info_kind": "vcan"}},
		{"link:vxcan", rtm.LinkSpec{Name: "vxc0", Kind: &rtm.VXCAN{Peer: &rtm.LinkSpec{Name: "vxc1"}}}, map[string]any{"linkinfo.info_kind": "vxcan"}},
		{"link:batadv", rtm.LinkSpec{Name: "bat0", Kind: &rtm.Batadv{}}, map[string]any{"linkinfo.info_kind": "batadv"}},
		{"link:netkit", rtm.LinkSpec{Name: "nk0", Kind: &rtm.Netkit{Mode: rtm.Some(rtm.NetkitL2), Peer: &rtm.LinkSpec{Name: "nk1"}}}, map[string]any{"linkinfo.info_kind": "netkit"}},
		{"link:vti", rtm.LinkSpec{Name: "vti1", Kind: &rtm.VTI{Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"), IKey: 5, OKey: 6}},
			map[string]any{"linkinfo.info_kind": "vti", "linkinfo.info_data.remote": "192.0.2.2", "linkinfo.info_data.ikey": "0.0.0.5"}},
		{"link:vti6", rtm.LinkSpec{Name: "vti6a", Kind: &rtm.VTI{IPv6: true, Remote: netip.MustParseAddr("2001:db8::2")}},
			map[string]any{"linkinfo.info_kind": "vti6", "linkinfo.info_data.remote": "2001:db8::2"}},
		{"link:xfrm", rtm.LinkSpec{Name: "xfrm1", Kind: &rtm.Xfrm{IfID: 42, Dev: p0}}, map[string]any{"linkinfo.info_data.if_id": "0x2a"}},
		{"link:bareudp", rtm.LinkSpec{Name: "bu0", Kind: &rtm.BareUDP{Port: 6635, EtherType: rtm.EtherTypeMPLSUnicast}},
			map[string]any{"linkinfo.info_data.dstport": 6635, "linkinfo.info_data.ethertype": "mpls_uc"}},
		{"link:gtp", rtm.LinkSpec{Name: "gtp0", Kind: &rtm.GTP{Role: rtm.GTPRoleSGSN}}, map[string]any{"linkinfo.info_data.role": "sgsn"}},
		{"link:ip6tnl", rtm.LinkSpec{Name: "t6", Kind: &rtm.IP6Tnl{Remote: netip.MustParseAddr("2001:db8::2"), HopLimit: rtm.Some[uint8](9)}},
			map[string]any{"linkinfo.info_kind": "ip6tnl", "linkinfo.info_data.remote": "2001:db8::2", "linkinfo.info_data.ttl": 9}},
		{"link:erspan", rtm.LinkSpec{Name: "ers1", Kind: &rtm.GRE{Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"),
			ISeq: true, OSeq: true, IKey: rtm.Some[uint32](3), OKey: rtm.Some[uint32](3), ERSPAN: &rtm.ERSPAN{Index: 12}}},
			map[string]any{"linkinfo.info_kind": "erspan", "linkinfo.info_data.erspan_index": 12}},
		{"link:hsr", rtm.LinkSpec{Name: "hsr0", Kind: &rtm.HSR{Port1: p0, Port2: p1}}, map[string]any{"linkinfo.info_kind": "hsr"}},
	} {
		name := strings.TrimPrefix(c.feature, "link:")
		t.Run(name, func(t *testing.T) {
			if !nstest.Have(t, c.feature) {
				return
			}
			if err := h.LinkAdd(ctx, c.spec); err != nil {
				t.Fatal(err)
			}
			expect(t, ipLink(t, ns, c.spec.Name), c.want)
		})
	}
}
