package fuzz

import (
	"net"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// FuzzRtlinkMessage feeds arbitrary RTM_NEWLINK payloads to the views of
// the link settings (VFs, XDP, protodown, IPv6 token and address mode) and
// of pyroute2's message model (header fields by name, kernel-form names,
// GetAll, HeaderFields, LinkWhere): nothing may panic, and the header
// fields read by name must agree with the typed accessors. Seeds: real
// link dumps and iproute2's link requests (testdata/fuzz/FuzzRtlinkMessage).
func FuzzRtlinkMessage(f *testing.F) {
	f.Add(make([]byte, unix.SizeofIfInfomsg))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := rtm.LinkFromBytes(b)
		if err != nil {
			if len(b) >= unix.SizeofIfInfomsg {
				t.Fatalf("a payload of %d bytes refused: %v", len(b), err)
			}
			return
		}
		for name, want := range map[string]uint64{
			"family": uint64(l.Family()), "ifi_type": uint64(l.Type()), "flags": uint64(l.Flags()), "change": uint64(l.Change()),
		} {
			v, ok := l.Get(name)
			if !ok {
				t.Fatalf("header field %s unreadable", name)
			}
			if n, _ := v.Uint(); n != want {
				t.Fatalf("Get(%s) = %d, accessor says %d", name, n, want)
			}
		}
		if v, ok := l.Get("index"); !ok {
			t.Fatal("no index field")
		} else if n, _ := v.Int(); n != int64(l.Index()) {
			t.Fatalf("Get(index) = %d, Index() = %d", n, l.Index())
		}
		n := 0
		for range l.HeaderFields() {
			n++
		}
		if n != 5 {
			t.Fatalf("%d header fields", n)
		}
		// Names in both forms reach the same attribute.
		for _, pair := range [][2][]string{
			{{"ifname"}, {"IFLA_IFNAME"}},
			{{"linkinfo", "kind"}, {"IFLA_LINKINFO", "IFLA_INFO_KIND"}},
			{{"mtu"}, {"IFLA_MTU"}},
		} {
			a, okA := l.Get(pair[0]...)
			k, okK := l.Get(pair[1]...)
			if okA != okK || string(a.Bytes()) != string(k.Bytes()) {
				t.Fatalf("Get(%v) and Get(%v) differ", pair[0], pair[1])
			}
		}
		for _, path := range [][]string{
			{"ifname"}, {"af_spec"}, {"linkinfo", "data", "macvlan_macaddr_data", "macvlan_macaddr"},
			{"IFLA_VFINFO_LIST", "IFLA_VF_INFO"}, {"prop_list", "alt_ifname"}, {"attr_9999"}, {"flags", "x"},
		} {
			for v := range l.GetAll(path...) {
				_ = v.String()
				for range v.GetAll("x") {
				}
			}
		}
		for vf := range l.VFs() {
			_ = vf.Index()
			_ = vf.MAC()
			vf.VLAN()
			vf.Rates()
			_ = vf.TxRate()
			vf.SpoofCheck()
			vf.Trust()
			vf.QueryRSS()
			_ = vf.LinkState().String()
			_ = vf.Chain().Err()
		}
		l.NumVF()
		l.XDPProgram()
		_ = l.ProtoDown()
		_ = l.ProtoDownReason()
		l.AddrGenMode()
		_ = l.Token()
		_ = l.GSOIPv4MaxSize() + l.GROIPv4MaxSize()
		_ = l.Header()
		for _, w := range []struct {
			path string
			v    any
		}{
			{"ifname", "lo"}, {"index", 1}, {"flags", uint32(1)}, {"address", net.HardwareAddr{0, 0, 0, 0, 0, 0}},
			{"linkinfo.kind", "veth"}, {"af_spec", netip.Addr{}}, {"mtu", true}, {"IFLA_TXQLEN", int64(-1)},
		} {
			rtm.LinkWhere(w.path, w.v)(l)
		}
	})
}
