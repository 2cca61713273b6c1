package rtm_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestVXLANVNIsAgainstBridge adds and deletes VNIs of two VXLAN devices
// in VNI filtering mode, and compares the dumps, with and without
// counters, with "bridge -j vni show"; the notifications come too.
func TestVXLANVNIsAgainstBridge(t *testing.T) {
	nstest.Require(t, "link:veth", "link:vxlan", "vnifilter")
	h, ns, v0, _ := routeNS(t)
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "dstport", "4789", "external", "vnifilter")
	nstest.IP(t, ns, "link", "add", "vx1", "type", "vxlan", "dstport", "4790", "external", "vnifilter", "dev", "veth0")
	vx0, vx1 := index(t, h, "vx0"), index(t, h, "vx1")
	m, err := h.Monitor([]rtm.Group{rtm.GroupTunnel})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	specs := []rtm.VXLANVNISpec{
		{Index: vx0, VNIs: []rtm.VNIRange{{Start: 100}}},
		{Index: vx0, VNIs: []rtm.VNIRange{{Start: 200, End: 202}, {Start: 500}}, Group: netip.MustParseAddr("2001:db8::9")},
		{Index: vx1, VNIs: []rtm.VNIRange{{Start: 300}}, Group: netip.MustParseAddr("239.1.1.1")},
		{Index: vx1, VNIs: []rtm.VNIRange{{Start: 301, End: 301}}, Group: netip.MustParseAddr("192.0.2.9")},
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.VXLANVNIAdd(s)); err != nil {
			t.Fatalf("add %+v: %v", s, err)
		}
	}
	// bridge's JSON, and the same from the dumps.
	bridgeVNIs := func(args ...string) string {
		var out []struct {
			Ifname string
			VNIs   []map[string]any
		}
		if err := json.Unmarshal([]byte(nstest.Run(t, ns, "bridge", append([]string{"-j"}, args...)...)), &out); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, d := range out {
			for _, v := range d.VNIs {
				lines = append(lines, fmt.Sprint(d.Ifname, " ", v["vni"], v["vniEnd"], v["group"], v["remote"], v["stats"] != nil))
			}
		}
		sort.Strings(lines)
		return fmt.Sprint(lines)
	}
	names := map[int32]string{vx0: "vx0", vx1: "vx1"}
	dump := func(f *rtm.VXLANVNIFilter) string {
		var lines []string
		for v, err := range h.VXLANVNIDump(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			if v.Family() != unix.AF_BRIDGE {
				t.Errorf("family %d", v.Family())
			}
			for e := range v.Entries() {
				var end, group, remote any
				if e.VNIEnd != 0 && e.VNIEnd != e.VNI {
					end = float64(e.VNIEnd)
				}
				if e.Group.IsValid() && !e.Group.IsUnspecified() {
					if e.Group.IsMulticast() {
						group = e.Group.String()
					} else {
						remote = e.Group.String()
					}
				}
				st, ok := e.Stats()
				if ok != (f != nil && f.Stats) || st.RxBytes != 0 || st.TxErrors != 0 {
					t.Errorf("%d: stats %+v %v", e.VNI, st, ok)
				}
				lines = append(lines, fmt.Sprint(names[v.Index()], " ", float64(e.VNI), end, group, remote, ok))
			}
		}
		sort.Strings(lines)
		return fmt.Sprint(lines)
	}
	for _, c := range []struct {
		f    *rtm.VXLANVNIFilter
		args []string
	}{
		{nil, []string{"vni", "show"}},
		{&rtm.VXLANVNIFilter{Index: vx1}, []string{"vni", "show", "dev", "vx1"}},
		{&rtm.VXLANVNIFilter{Stats: true}, []string{"-s", "vni", "show"}},
	} {
		if got, want := dump(c.f), bridgeVNIs(c.args...); got != want {
			t.Errorf("dump %+v:\n%s\nbridge %v:\n%s", c.f, got, c.args, want)
		}
	}
	// The kernel refuses a dump of a device that is not VXLAN.
	for _, err := range h.VXLANVNIDump(ctx, &rtm.VXLANVNIFilter{Index: v0}) {
		if !errors.Is(err, unix.EINVAL) {
			t.Errorf("dump of veth0: %v", err)
		}
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.VXLANVNIDel(s)); err != nil {
			t.Fatalf("del %+v: %v", s, err)
		}
	}
	if err := h.Do(ctx, rtm.VXLANVNIDel(specs[0])); !errors.Is(err, unix.ENOENT) {
		t.Errorf("second delete: %v", err)
	}
	if err := h.Do(ctx, rtm.VXLANVNIAdd(rtm.VXLANVNISpec{VNIs: []rtm.VNIRange{{Start: 1}}})); err == nil || errors.Is(err, unix.EINVAL) {
		t.Errorf("add without a device: %v, want an error before sending", err)
	}
	if got := dump(nil); got != "[]" {
		t.Errorf("left after the deletes: %s", got)
	}
	adds, dels := 0, 0
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		v, ok := ev.VXLANVNIs()
		if !ok {
			continue
		}
		for range v.Entries() {
			if ev.IsNew() {
				adds++
			} else {
				dels++
			}
		}
		if adds >= len(specs) && dels >= len(specs) {
			break
		}
	}
}

// TestFakeVXLANVNIDump checks the dump request against the one "bridge -s
// vni show dev vx0" sends (rtnl_tunneldump_req, strace -xx, vx0 at index
// 5), and decodes a reply laid out as the kernel's vxlan_vnifilter_dump:
// a range, an IPv6 group, an IPv4 remote, counters.
func TestFakeVXLANVNIDump(t *testing.T) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the bridge capture is little-endian")
	}
	bridgeReq := []byte("\x07\x01\x00\x00\x05\x00\x00\x00")
	fake := nltest.NewFake()
	var got []byte
	var flags uint16
	fake.Handle(unix.RTM_GETTUNNEL, func(req wire.Message) ([][]byte, error) {
		got, flags = bytes.Clone(req.Data), req.Header.Flags
		var b wire.Builder
		b.Begin(unix.RTM_NEWTUNNEL, 0)
		if h := b.Fixed(8); h != nil {
			h[0] = unix.AF_BRIDGE
			binary.NativeEndian.PutUint32(h[4:], 5)
		}
		entry := func(start, end uint32, typ uint16, addr string, stats bool) {
			n := b.BeginNest(1)
			b.Uint32(1, start)
			if end != 0 {
				b.Uint32(2, end)
			}
			if addr != "" {
				b.Binary(typ, netip.MustParseAddr(addr).AsSlice())
			}
			if stats {
				s := b.BeginNest(5)
				for i := uint16(1); i <= 8; i++ {
					b.Uint64(i, uint64(i)*10)
				}
				b.EndNest(s)
			}
			b.EndNest(n)
		}
		entry(100, 0, 0, "", true)
		entry(200, 210, 4, "ff0e::1", false)
		entry(300, 0, 3, "192.0.2.1", false)
		b.End()
		return [][]byte{b.Bytes()}, b.Err()
	})
	h, err := rtm.Dial(rtm.WithTransport(func(p int, cfg *socket.Config) (socket.Transport, error) {
		return fake.Dial(p, cfg)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var entries []string
	for v, err := range h.VXLANVNIDump(ctx, &rtm.VXLANVNIFilter{Index: 5, Stats: true}) {
		if err != nil {
			t.Fatal(err)
		}
		if v.Index() != 5 || v.Family() != unix.AF_BRIDGE {
			t.Errorf("index %d family %d", v.Index(), v.Family())
		}
		for e := range v.Entries() {
			st, ok := e.Stats()
			entries = append(entries, fmt.Sprint(e.VNI, e.VNIEnd, e.Group, ok, st))
		}
	}
	if !bytes.Equal(got, bridgeReq) || flags&unix.NLM_F_DUMP != unix.NLM_F_DUMP {
		t.Errorf("request % x flags %#x, bridge's % x", got, flags, bridgeReq)
	}
	want := "[100 0 invalid IP true {10 20 30 40 50 60 70 80} 200 210 ff0e::1 false {0 0 0 0 0 0 0 0} 300 0 192.0.2.1 false {0 0 0 0 0 0 0 0}]"
	if fmt.Sprint(entries) != want {
		t.Errorf("entries\n%v\nwant\n%s", entries, want)
	}
}
