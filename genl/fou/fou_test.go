package fou_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/fou"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

func u8(v uint8) *uint8 { return &v }

// TestIproute2Requests checks the package's requests, byte for byte,
// against those ip sends for the same ports (testdata/iproute2.txt).
func TestIproute2Requests(t *testing.T) {
	_, rec := genltest.Iproute2Requests(t, "testdata/iproute2.txt")
	a := netip.MustParseAddr
	v6 := uint8(unix.AF_INET6)
	for _, c := range []struct {
		args string
		req  func() (genl.Request, error)
	}{
		{"fou add port 5555 ipproto 4", func() (genl.Request, error) { return fou.Add(fou.Spec{Port: 5555, IPProto: u8(4)}) }},
		{"fou add port 5556 gue", func() (genl.Request, error) { return fou.Add(fou.Spec{Port: 5556, Encap: fou.EncapGUE}) }},
		{"fou add port 0x15b5 ipproto gre local 10.0.0.1 peer 10.0.0.2 peer_port 6000 dev lo", func() (genl.Request, error) {
			return fou.Add(fou.Spec{Port: 0x15b5, IPProto: u8(47), Local: a("10.0.0.1"), Peer: a("10.0.0.2"), PeerPort: 6000, Ifindex: 1})
		}},
		{"fou add port 5558 gue -6 local fd00::1 peer fd00::2 peer_port 7000", func() (genl.Request, error) {
			return fou.Add(fou.Spec{Port: 5558, Family: v6, Encap: fou.EncapGUE, Local: a("fd00::1"), Peer: a("fd00::2"), PeerPort: 7000})
		}},
		{"-6 fou add port 5559 ipproto ipv6", func() (genl.Request, error) {
			return fou.Add(fou.Spec{Port: 5559, Family: v6, IPProto: u8(41)})
		}},
		{"fou add port 5561 ipproto 255", func() (genl.Request, error) { return fou.Add(fou.Spec{Port: 5561, IPProto: u8(255)}) }},
		{"fou del port 5555", func() (genl.Request, error) { return fou.Delete(fou.Spec{Port: 5555}) }},
		{"fou del port 5556 gue", func() (genl.Request, error) { return fou.Delete(fou.Spec{Port: 5556, Encap: fou.EncapGUE}) }},
		{"fou delete port 5558 -6 local fd00::1 peer fd00::2 peer_port 7000 dev lo", func() (genl.Request, error) {
			return fou.Delete(fou.Spec{Port: 5558, Family: v6, Local: a("fd00::1"), Peer: a("fd00::2"), PeerPort: 7000, Ifindex: 1})
		}},
		{"fou del port 5557 ipproto 47", func() (genl.Request, error) { return fou.Delete(fou.Spec{Port: 5557, IPProto: u8(47)}) }},
	} {
		req, err := c.req()
		if err != nil {
			t.Errorf("%s: %v", c.args, err)
			continue
		}
		h, got := genltest.FakeFamily(t, fou.FamilyName)
		if err := fou.Do(context.Background(), h, req); err != nil {
			t.Errorf("%s: %v", c.args, err)
		}
		genltest.SameRequest(t, c.args, rec, *got)
	}
	h, got := genltest.FakeFamily(t, fou.FamilyName)
	for _, err := range fou.Mappings(context.Background(), h) {
		if err != nil {
			t.Fatal(err)
		}
	}
	genltest.SameRequest(t, "fou show", rec, *got)
}

// showReplies are the dump replies of testdata/show.replies, as the
// kernel's fou_fill_info writes them, in its order: family, port, type,
// protocol, then the addresses of a connected port.
func showReplies() [][]byte {
	type port struct {
		fam            uint8
		port, peerPort uint16
		encap, proto   uint8
		remcsum        bool
		local, peer    string
		ifindex        int32
	}
	var out [][]byte
	for _, p := range []port{
		{fam: unix.AF_INET, port: 5555, encap: 1, proto: 4},
		{fam: unix.AF_INET, port: 5556, encap: 2},
		{fam: unix.AF_INET, port: 5557, encap: 1, proto: 47, local: "10.0.0.1", peer: "10.0.0.2", peerPort: 6000, ifindex: 77},
		{fam: unix.AF_INET6, port: 5558, encap: 2, local: "fd00::1", peer: "fd00::2", peerPort: 7000},
		{fam: unix.AF_INET6, port: 5559, encap: 1, proto: 41, local: "::", peer: "::"},
		{fam: unix.AF_INET, port: 65535, encap: 1, proto: 255, remcsum: true, local: "0.0.0.0", peer: "192.0.2.9", ifindex: 0},
	} {
		var e nla.Encoder
		copy(e.Reserve(unix.GENL_HDRLEN), []byte{fou.CmdGet, fou.FamilyVersion})
		e.Uint8(fou.AttrAF, p.fam)
		e.Uint16BE(fou.AttrPort, p.port)
		e.Uint8(fou.AttrType, p.encap)
		e.Uint8(fou.AttrIPProto, p.proto)
		if p.remcsum {
			e.Flag(fou.AttrRemcsumNoPartial)
		}
		if p.local != "" {
			l, r := uint16(fou.AttrLocalV4), uint16(fou.AttrPeerV4)
			if p.fam == unix.AF_INET6 {
				l, r = fou.AttrLocalV6, fou.AttrPeerV6
			}
			e.Addr(l, netip.MustParseAddr(p.local))
			e.Addr(r, netip.MustParseAddr(p.peer))
			e.Uint16BE(fou.AttrPeerPort, p.peerPort)
			e.Int32(fou.AttrIfindex, p.ifindex)
		}
		out = append(out, e.Bytes())
	}
	return out
}

// TestShowReplies checks testdata/show.replies, the replies whose
// listing by ip is recorded in testdata/show*.golden, against
// showReplies (IPR_WRITE_REPLIES=1 writes it, as
// scripts/fou_l2tp_golden.sh does), and reads them with the views.
func TestShowReplies(t *testing.T) {
	genltest.ReplyFile(t, "testdata/show.replies", "fou dump replies", showReplies())
	h, _ := genltest.FakeFamily(t, fou.FamilyName, showReplies()...)
	var got []string
	for m, err := range fou.Mappings(context.Background(), h) {
		if err != nil {
			t.Fatal(err)
		}
		proto, _ := m.IPProto()
		got = append(got, fmt.Sprintf("%d/%d %s %d %v %v %v %d %d", m.Port(), m.Family(), m.Encap(), proto, m.RemcsumNoPartial(),
			m.Local(), m.Peer(), m.PeerPort(), m.Ifindex()))
	}
	want := []string{
		"5555/2 direct 4 false invalid IP invalid IP 0 0",
		"5556/2 gue 0 false invalid IP invalid IP 0 0",
		"5557/2 direct 47 false 10.0.0.1 10.0.0.2 6000 77",
		"5558/10 gue 0 false fd00::1 fd00::2 7000 0",
		"5559/10 direct 41 false invalid IP invalid IP 0 0",
		"65535/2 direct 255 true invalid IP 192.0.2.9 0 0",
	}
	genltest.SameLines(t, "views", got, want)
}

// TestGet checks that Get sends the spec's request and returns the
// detached reply.
func TestGet(t *testing.T) {
	h, got := genltest.FakeFamily(t, fou.FamilyName, showReplies()[2])
	m, err := fou.Get(context.Background(), h, fou.Spec{Port: 5557})
	if err != nil || m.Port() != 5557 || m.Ifindex() != 77 {
		t.Fatalf("Get = %d %d, %v", m.Port(), m.Ifindex(), err)
	}
	// Port 5557 in network byte order, direct, AF_INET.
	if len(*got) != 1 || (*got)[0] != "flags 0x1 030100000600010015b5000005000400010000000500020002000000" {
		t.Errorf("request %v", *got)
	}
}

// TestBadInput checks that specs the kernel would refuse fail before
// anything is sent, and that a kernel without the family is a typed
// error.
func TestBadInput(t *testing.T) {
	a := netip.MustParseAddr
	for i, s := range []fou.Spec{
		{IPProto: u8(4)},
		{Port: 1},
		{Port: 1, Family: 7, IPProto: u8(4)},
		{Port: 1, Encap: 3, IPProto: u8(4)},
		{Port: 1, Encap: fou.EncapGUE, IPProto: u8(4)},
		{Port: 1, IPProto: u8(4), Peer: a("10.0.0.1")},
		{Port: 1, IPProto: u8(4), PeerPort: 5},
		{Port: 1, IPProto: u8(4), Local: a("fd00::1")},
		{Port: 1, IPProto: u8(4), Family: unix.AF_INET6, Local: a("10.0.0.1")},
		{Port: 1, IPProto: u8(4), Family: unix.AF_INET6, Peer: a("fe80::1%lo"), PeerPort: 1},
		{Port: 1, IPProto: u8(4), Ifindex: -1},
	} {
		if _, err := fou.Add(s); !errors.Is(err, fou.ErrInvalid) {
			t.Errorf("case %d: Add(%+v): %v", i, s, err)
		}
	}
	if _, err := fou.Delete(fou.Spec{Port: 1}); err != nil {
		t.Errorf("Delete without a protocol: %v", err)
	}
	h, _ := genltest.NoFamilies(t)
	ctx := context.Background()
	genltest.WantNotFound(t, "Mappings", fou.FamilyName, genltest.FirstErr(fou.Mappings(ctx, h)))
	_, err := fou.Get(ctx, h, fou.Spec{Port: 1})
	genltest.WantNotFound(t, "Get", fou.FamilyName, err)
	del, _ := fou.Delete(fou.Spec{Port: 1})
	genltest.WantNotFound(t, "Do", fou.FamilyName, fou.Do(ctx, h, del))
}

// TestKernel opens, reads and closes ports in a throwaway namespace, on
// a kernel with the family.
func TestKernel(t *testing.T) {
	h := genltest.InNamespace(t, "genl:fou")
	ctx := context.Background()
	add, err := fou.Add(fou.Spec{Port: 5555, IPProto: u8(4)})
	if err != nil {
		t.Fatal(err)
	}
	gue, _ := fou.Add(fou.Spec{Port: 5556, Encap: fou.EncapGUE})
	if err := fou.Do(ctx, h, add, gue); err != nil {
		t.Fatal(err)
	}
	n := 0
	for m, err := range fou.Mappings(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := m.IPProto(); m.Port() == 5555 && p != 4 || m.Port() == 5556 && m.Encap() != fou.EncapGUE {
			t.Errorf("port %d %s %d", m.Port(), m.Encap(), p)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d ports", n)
	}
	del, _ := fou.Delete(fou.Spec{Port: 5555})
	if err := fou.Do(ctx, h, del); err != nil {
		t.Fatal(err)
	}
	if err := fou.Do(ctx, h, del); !errors.Is(err, unix.ENOENT) {
		t.Errorf("deleting a closed port: %v", err)
	}
}

// TestHostileReplies reads every reply cut short and with bytes
// flipped: the view refuses or reads it, and never panics.
func TestHostileReplies(t *testing.T) {
	for _, r := range showReplies() {
		for n := unix.GENL_HDRLEN; n <= len(r); n++ {
			for _, flip := range []int{-1, n / 2, n - 1} {
				b := append([]byte(nil), r[:n]...)
				if flip >= unix.GENL_HDRLEN && flip < n {
					b[flip] ^= 0xff
				}
				if m, err := fou.ParseMapping(genl.Message{Attrs: nla.Chain(b[unix.GENL_HDRLEN:])}); err == nil {
					_, _ = m.IPProto()
					_ = fmt.Sprint(m.Port(), m.Family(), m.Encap(), m.RemcsumNoPartial(), m.Local(), m.Peer(), m.PeerPort(),
						m.Ifindex(), m.Clone().Chain())
				}
			}
		}
	}
}
