package rtm_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

func TestLinkXDPAgainstKernel(t *testing.T) {
	h, ns := handle(t)
	addVethPair(t, h)
	p0 := index(t, h, "p0")
	fd := nstest.LoadXDPPass(t, "")
	xdpOf := func() (uint8, uint32) {
		t.Helper()
		l, err := h.LinkByIndex(ctx, p0)
		if err != nil {
			t.Fatal(err)
		}
		return l.XDPProgram()
	}

	// Generic mode; ip sees the program in the same mode.
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Fd: fd, Mode: rtm.XDPModeGeneric}}); err != nil {
		t.Fatal(err)
	}
	mode, id := xdpOf()
	if mode != 2 || id == 0 { // XDP_ATTACHED_SKB
		t.Fatalf("after generic attach: mode %d id %d", mode, id)
	}
	expect(t, ipLink(t, ns, "p0"), map[string]any{"xdp.mode": 2, "xdp.prog.id": id})
	// Without Force the kernel refuses to replace it.
	err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Fd: fd, Mode: rtm.XDPModeGeneric}})
	if !errors.Is(err, unix.EBUSY) && !errors.Is(err, unix.EEXIST) {
		t.Fatalf("attach over an attached program without Force: %v", err)
	}
	// With Force and the expected program, it does.
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Fd: fd, Mode: rtm.XDPModeGeneric, Force: true, ExpectedFd: rtm.Some(fd)}}); err != nil {
		t.Fatal(err)
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Detach: true, Mode: rtm.XDPModeGeneric}}); err != nil {
		t.Fatal(err)
	}
	if mode, id := xdpOf(); mode != 0 || id != 0 {
		t.Fatalf("after detach: mode %d id %d", mode, id)
	}

	// Driver mode: veth has native XDP.
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Fd: fd, Mode: rtm.XDPModeDriver}}); err != nil {
		t.Fatal(err)
	}
	if mode, id := xdpOf(); mode != 1 || id == 0 { // XDP_ATTACHED_DRV
		t.Fatalf("after driver attach: mode %d id %d", mode, id)
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Detach: true, Mode: rtm.XDPModeDriver}}); err != nil {
		t.Fatal(err)
	}
	// Offload needs a NIC that offloads: the kernel refuses, by errno.
	err = h.LinkSet(ctx, rtm.LinkSpec{Index: p0, XDP: &rtm.XDP{Fd: fd, Mode: rtm.XDPModeOffload}})
	var errno unix.Errno
	if !errors.As(err, &errno) {
		t.Fatalf("offload attach on veth: %v, want a kernel error", err)
	}
	if mode, _ := xdpOf(); mode != 0 {
		t.Fatalf("after refused offload: mode %d", mode)
	}
}

func TestLinkSettingsAgainstIP(t *testing.T) {
	h, ns := handle(t)
	addVethPair(t, h)
	p0 := index(t, h, "p0")
	set := func(s rtm.LinkSpec) {
		t.Helper()
		if err := h.LinkSet(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	set(rtm.LinkSpec{Index: p0, GSOMaxSize: rtm.Some[uint32](32768), GSOMaxSegs: rtm.Some[uint32](100),
		GROMaxSize: rtm.Some[uint32](16384), AddrGenMode: rtm.Some(rtm.AddrGenModeNone), LinkMode: rtm.Some[uint8](1)})
	expect(t, ipLink(t, ns, "p0"), map[string]any{"gso_max_size": 32768, "gso_max_segs": 100,
		"gro_max_size": 16384, "inet6_addr_gen_mode": "none", "linkmode": "DORMANT"})
	l, err := h.LinkByIndex(ctx, p0)
	if err != nil {
		t.Fatal(err)
	}
	if l.GSOMaxSize() != 32768 || l.GSOMaxSegs() != 100 || l.GROMaxSize() != 16384 || l.LinkMode() != 1 {
		t.Errorf("view: gso %d/%d gro %d mode %d", l.GSOMaxSize(), l.GSOMaxSegs(), l.GROMaxSize(), l.LinkMode())
	}
	if m, ok := l.AddrGenMode(); !ok || m != rtm.AddrGenModeNone {
		t.Errorf("view: addrgenmode %v %v", m, ok)
	}
	if nstest.Have(t, "gso_ipv4_max_size") {
		set(rtm.LinkSpec{Index: p0, GSOIPv4MaxSize: rtm.Some[uint32](32000), GROIPv4MaxSize: rtm.Some[uint32](32000)})
		l, _ := h.LinkByIndex(ctx, p0)
		if l.GSOIPv4MaxSize() != 32000 || l.GROIPv4MaxSize() != 32000 {
			t.Errorf("ipv4 limits: %d %d", l.GSOIPv4MaxSize(), l.GROIPv4MaxSize())
		}
	}

	// The IPv6 token, as "ip token" shows it.
	if err := h.Do(ctx, rtm.LinkTokenSet(p0, netip.MustParseAddr("::1:2:3:4"))); err != nil {
		t.Fatal(err)
	}
	if out := nstest.Run(t, ns, "ip", "token", "get", "dev", "p0"); !strings.Contains(out, "token ::1:2:3:4 dev p0") {
		t.Errorf("ip token get: %q", out)
	}
	l, _ = h.LinkByIndex(ctx, p0)
	if tok := l.Token(); tok != netip.MustParseAddr("::1:2:3:4") {
		t.Errorf("view: token %v", tok)
	}

	// VF settings on a link without VFs: CheckVFs says so before sending,
	// and the kernel refuses them.
	withVFs, err := h.LinkWithVFs(ctx, p0)
	if err != nil {
		t.Fatal(err)
	}
	if err := withVFs.CheckVFs([]rtm.VF{{Index: rtm.Some[uint32](0), Trust: rtm.Some(true)}}); err == nil || !strings.Contains(err.Error(), "no SR-IOV") {
		t.Errorf("CheckVFs on veth: %v", err)
	}
	if err := withVFs.CheckVFs(nil); err != nil {
		t.Errorf("CheckVFs(nil): %v", err)
	}
	err = h.LinkSet(ctx, rtm.LinkSpec{Index: p0, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), Trust: rtm.Some(true)}}})
	if !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EINVAL) {
		t.Errorf("vf on veth: %v", err)
	}

	// Protodown, on a kind that supports it (vxlan; veth does not).
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "vx0", Kind: &rtm.Vxlan{VNI: 5, Port: 4789}}); err != nil {
		t.Fatal(err)
	}
	vx := index(t, h, "vx0")
	set(rtm.LinkSpec{Index: vx, ProtoDown: rtm.Some(true), ProtoDownReasonMask: 1 << 3, ProtoDownReasonValue: 1 << 3})
	m := ipLink(t, ns, "vx0")
	expect(t, m, map[string]any{"proto_down": true})
	l, _ = h.LinkByIndex(ctx, vx)
	if !l.ProtoDown() || l.ProtoDownReason() != 1<<3 {
		t.Errorf("view: protodown %v reason %#x", l.ProtoDown(), l.ProtoDownReason())
	}
}

// TestLinkSettingsRejected checks the errors returned before anything is
// sent, through a handle whose socket would fail any send.
func TestLinkSettingsRejected(t *testing.T) {
	for _, c := range []struct {
		name string
		s    rtm.LinkSpec
		want string
	}{
		{"vf-no-index", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Trust: rtm.Some(true)}}}, "without a VF index"},
		{"vf-empty", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0)}}}, "no settings"},
		{"vf-twice", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](1), Trust: rtm.Some(true)}, {Index: rtm.Some[uint32](1), Trust: rtm.Some(false)}}}, "twice"},
		{"vf-vlan", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), VLAN: &rtm.VFVLAN{ID: 4096}}}}, "VLAN id"},
		{"vf-qos", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), VLAN: &rtm.VFVLAN{ID: 1, QoS: 8}}}}, "QoS"},
		{"vf-proto", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), VLAN: &rtm.VFVLAN{ID: 1, Protocol: 0x0800}}}}, "protocol"},
		{"vf-rate-half", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), MinTxRate: rtm.Some[uint32](1)}}}, "set both"},
		{"vf-rate-order", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), MinTxRate: rtm.Some[uint32](10), MaxTxRate: rtm.Some[uint32](5)}}}, "above"},
		{"vf-rate-both-apis", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), TxRate: rtm.Some[uint32](1), MinTxRate: rtm.Some[uint32](0), MaxTxRate: rtm.Some[uint32](5)}}}, "exclusive"},
		{"vf-state", rtm.LinkSpec{Index: 1, VFs: []rtm.VF{{Index: rtm.Some[uint32](0), LinkState: rtm.Some[rtm.VFLinkState](7)}}}, "link state"},
		{"xdp-none", rtm.LinkSpec{Index: 1, XDP: &rtm.XDP{}}, "invalid program descriptor"},
		{"xdp-detach-fd", rtm.LinkSpec{Index: 1, XDP: &rtm.XDP{Detach: true, Fd: 3}}, "choose one"},
		{"xdp-detach-expected", rtm.LinkSpec{Index: 1, XDP: &rtm.XDP{Detach: true, ExpectedFd: rtm.Some(3)}}, "ExpectedFd"},
		{"xdp-expected-noforce", rtm.LinkSpec{Index: 1, XDP: &rtm.XDP{Fd: 3, ExpectedFd: rtm.Some(4)}}, "needs Force"},
		{"xdp-mode", rtm.LinkSpec{Index: 1, XDP: &rtm.XDP{Fd: 3, Mode: 9}}, "mode"},
		{"addrgenmode", rtm.LinkSpec{Index: 1, AddrGenMode: rtm.Some[rtm.AddrGenMode](9)}, "generation mode"},
		{"protodown-reason", rtm.LinkSpec{Index: 1, ProtoDownReasonMask: 1, ProtoDownReasonValue: 2}, "outside the mask"},
		{"link-netnsid", rtm.LinkSpec{Index: 1, LinkNetnsID: rtm.Some[int32](-2)}, "link-netnsid"},
		{"gso-segs", rtm.LinkSpec{Index: 1, GSOMaxSegs: rtm.Some[uint32](70000)}, "gso_max_segs"},
		{"operstate", rtm.LinkSpec{Index: 1, OperState: rtm.Some[rtm.OperState](2)}, "cannot be set"},
		{"linkmode", rtm.LinkSpec{Index: 1, LinkMode: rtm.Some[uint8](2)}, "link mode"},
		{"peer-xdp", rtm.LinkSpec{Name: "a", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "b", XDP: &rtm.XDP{Detach: true}}}}, "peer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := rtm.LinkSet(c.s)
			if c.s.Kind != nil {
				req = rtm.LinkAdd(c.s)
			}
			err := rtm.EncodeRequest(req)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	for _, tok := range []string{"192.0.2.1", "2001:db8::1", "::ffff:1.2.3.4"} {
		if err := rtm.EncodeRequest(rtm.LinkTokenSet(1, netip.MustParseAddr(tok))); err == nil {
			t.Errorf("token %s accepted", tok)
		}
	}
	if err := rtm.EncodeRequest(rtm.LinkTokenSet(0, netip.MustParseAddr("::1"))); err == nil {
		t.Error("token on index 0 accepted")
	}
}

// TestCheckVFsCount checks CheckVFs against a link reporting 2 VFs, and
// reads the VF list back, from bytes.
func TestCheckVFsCount(t *testing.T) {
	e := nla.NewEncoder(make([]byte, unix.SizeofIfInfomsg))
	e.String(unix.IFLA_IFNAME, "pf0")
	e.Uint32(unix.IFLA_NUM_VF, 2)
	list := e.BeginNest(unix.IFLA_VFINFO_LIST)
	info := e.BeginNest(unix.IFLA_VF_INFO)
	mac := make([]byte, 36)
	mac[0] = 1
	copy(mac[4:], []byte{2, 0, 0, 0, 0, 9})
	e.Binary(unix.IFLA_VF_MAC, mac)
	e.Binary(unix.IFLA_VF_TRUST, []byte{1, 0, 0, 0, 1, 0, 0, 0})
	e.Binary(unix.IFLA_VF_SPOOFCHK, []byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	e.EndNest(info)
	e.EndNest(list)
	l, err := rtm.LinkFromBytes(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.CheckVFs([]rtm.VF{{Index: rtm.Some[uint32](1), Trust: rtm.Some(true)}}); err != nil {
		t.Errorf("vf 1 of 2: %v", err)
	}
	if err := l.CheckVFs([]rtm.VF{{Index: rtm.Some[uint32](2), Trust: rtm.Some(true)}}); err == nil || !strings.Contains(err.Error(), "no vf 2") {
		t.Errorf("vf 2 of 2: %v", err)
	}
	n := 0
	for vf := range l.VFs() {
		n++
		trust, ok := vf.Trust()
		_, spoofOK := vf.SpoofCheck()
		if vf.Index() != 1 || vf.MAC().String() != "02:00:00:00:00:09" || !trust || !ok || spoofOK {
			t.Errorf("vf %d mac %v trust %v/%v spoofchk reported %v", vf.Index(), vf.MAC(), trust, ok, spoofOK)
		}
	}
	if n != 1 {
		t.Errorf("%d VFs", n)
	}
}
