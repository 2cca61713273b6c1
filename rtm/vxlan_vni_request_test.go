package rtm

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestFakeVXLANVNIDump checks the dump request against the one "bridge -s
// vni show dev vx0" sends (rtnl_tunneldump_req, strace -xx, vx0 at index
// 5), and decodes a reply laid out as the kernel's vxlan_vnifilter_dump:
// a range, an IPv6 group, an IPv4 remote, counters.
func TestFakeVXLANVNIDump(t *testing.T) {
	golden.LittleEndianOnly(t, "the iproute2 capture is")
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
			native.PutUint32(h[4:], 5)
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
	h, err := Dial(WithTransport(fake.Dial))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var entries []string
	for v, err := range h.VXLANVNIDump(context.Background(), &VXLANVNIFilter{Index: 5, Stats: true}) {
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
