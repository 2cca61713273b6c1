package bench

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"net"
	"net/netip"
	"reflect"
	"runtime"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/wgfake"
	"github.com/ipr-go/ipr/nla"
	"github.com/mdlayher/genetlink"
	_ "golang.zx2c4.com/wireguard/wgctrl" // links internal/wglinux
	"golang.zx2c4.com/wireguard/wgctrl/wgtypes"
)

// wgctrl's encoder and decoder are unexported (they sit behind a real
// netlink socket, and this kernel has no WireGuard): the comparison
// links to them by name. wgctrl_linkname.s, empty, lets these
// declarations have no body.

//go:linkname wgctrlConfigAttrs golang.zx2c4.com/wireguard/wgctrl/internal/wglinux.configAttrs
func wgctrlConfigAttrs(name string, cfg wgtypes.Config) ([]byte, error)

//go:linkname wgctrlBuildBatches golang.zx2c4.com/wireguard/wgctrl/internal/wglinux.buildBatches
func wgctrlBuildBatches(cfg wgtypes.Config) []wgtypes.Config

//go:linkname wgctrlParseDevice golang.zx2c4.com/wireguard/wgctrl/internal/wglinux.parseDevice
func wgctrlParseDevice(msgs []genetlink.Message) (*wgtypes.Device, error)

// wgPeers is the size of the WireGuard benchmark's device.
const wgPeers = 10000

// wgDumpBudget is the room of each message of the fake kernel's dumps:
// the kernel fills dump skbs of up to 32 KiB for a reader with a large
// buffer, 8 KiB otherwise.
const wgDumpBudget = 16384

func wgKey(seed int) wireguard.Key {
	return wireguard.Key(sha256.Sum256([]byte(fmt.Sprint("wg bench ", seed))))
}

// wgConfigs returns the same configuration for ipr and for wgctrl: n
// peers, each with a preshared key, an endpoint (IPv4 or IPv6), a
// keepalive and an IPv4 /32 and an IPv6 /128 (the shape of a hub's
// peers); every peer at a multiple of every has 300 allowed IPs more,
// so that it is split.
func wgConfigs(n, every int) (*wireguard.DeviceConfig, wgtypes.Config) {
	priv := wgKey(-1)
	priv[0] &= 248
	priv[31] = priv[31]&127 | 64
	port, mark := uint16(51820), uint32(7)
	ka := 25 * time.Second
	ic := &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg0"}, PrivateKey: &priv, ListenPort: &port, FirewallMark: &mark, ReplacePeers: true}
	wk := wgtypes.Key(priv)
	wport, wmark := int(port), int(mark)
	wc := wgtypes.Config{PrivateKey: &wk, ListenPort: &wport, FirewallMark: &wmark, ReplacePeers: true}
	for i := 0; i < n; i++ {
		psk := wgKey(i + n)
		wpsk := wgtypes.Key(psk)
		ip := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 32)
		ip6 := netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(i >> 16), byte(i >> 8), byte(i)}), 128)
		ep := netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, byte(i >> 8), byte(i)}), uint16(1024+i))
		if i%2 == 1 {
			ep = netip.AddrPortFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i)}), uint16(1024+i))
		}
		ips := []netip.Prefix{ip, ip6}
		if every > 0 && i%every == 0 {
			for j := 0; j < 300; j++ {
				ips = append(ips, netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16 + byte(i>>8), byte(i), byte(j)}), 32))
			}
		}
		ic.Peers = append(ic.Peers, wireguard.PeerConfig{
			PublicKey: wgKey(i), PresharedKey: &psk, Endpoint: ep, PersistentKeepaliveInterval: &ka,
			ReplaceAllowedIPs: true, AllowedIPs: ips,
		})
		wp := wgtypes.PeerConfig{
			PublicKey: wgtypes.Key(wgKey(i)), PresharedKey: &wpsk, Endpoint: net.UDPAddrFromAddrPort(ep),
			PersistentKeepaliveInterval: &ka, ReplaceAllowedIPs: true,
		}
		for _, p := range ips {
			wp.AllowedIPs = append(wp.AllowedIPs, net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())})
		}
		wc.Peers = append(wc.Peers, wp)
	}
	return ic, wc
}

// iprAttrs encodes the attributes of each of cfg's requests.
func iprAttrs(t testing.TB, cfg *wireguard.DeviceConfig) [][]byte {
	reqs, err := wireguard.ConfigureRequests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, r := range reqs {
		var e nla.Encoder
		r.Attrs(&e)
		if err := e.Err(); err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Bytes())
	}
	return out
}

// wgctrlAttrs encodes the attributes of each of wgctrl's requests.
func wgctrlAttrs(t testing.TB, cfg wgtypes.Config) [][]byte {
	var out [][]byte
	for _, b := range wgctrlBuildBatches(cfg) {
		a, err := wgctrlConfigAttrs("wg0", b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestWireGuardBytesVsWgctrl checks that a configuration small enough
// for one request is encoded byte for byte as wgctrl encodes it.
func TestWireGuardBytesVsWgctrl(t *testing.T) {
	ic, wc := wgConfigs(20, 0)
	cases := map[string]func(){
		"full": func() {},
		"empty": func() {
			*ic = wireguard.DeviceConfig{Link: ic.Link}
			wc = wgtypes.Config{}
		},
		"device only": func() { ic.Peers, wc.Peers = nil, nil },
		"flags": func() {
			ic.Peers[0].Remove, wc.Peers[0].Remove = true, true
			ic.Peers[1].UpdateOnly, wc.Peers[1].UpdateOnly = true, true
			ic.Peers[2].ReplaceAllowedIPs, wc.Peers[2].ReplaceAllowedIPs = false, false
			ic.Peers[3].AllowedIPs, wc.Peers[3].AllowedIPs = nil, nil
			ic.Peers[4].PresharedKey, wc.Peers[4].PresharedKey = new(wireguard.Key), new(wgtypes.Key)
			ic.Peers[5].Endpoint, wc.Peers[5].Endpoint = netip.MustParseAddrPort("[::ffff:192.0.2.9]:9"), &net.UDPAddr{IP: net.ParseIP("::ffff:192.0.2.9"), Port: 9}
			ic.Peers[6].PersistentKeepaliveInterval = new(time.Duration)
			wc.Peers[6].PersistentKeepaliveInterval = new(time.Duration)
			ic.Peers[7].Endpoint, wc.Peers[7].Endpoint = netip.AddrPort{}, nil
			ic.Peers[8].AllowedIPs = []netip.Prefix{netip.MustParsePrefix("10.9.9.1/24")} // host bits, sent as given
			wc.Peers[8].AllowedIPs = []net.IPNet{{IP: net.IP{10, 9, 9, 1}, Mask: net.CIDRMask(24, 32)}}
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			ic, wc = wgConfigs(20, 0)
			change()
			got, want := iprAttrs(t, ic), wgctrlAttrs(t, wc)
			if len(got) != 1 || len(want) != 1 {
				t.Fatalf("%d requests, wgctrl %d; want one each", len(got), len(want))
			}
			if !bytes.Equal(got[0], want[0]) {
				t.Errorf("attributes differ from wgctrl's:\n ipr    %x\n wgctrl %x", got[0], want[0])
			}
		})
	}
}

// applied returns the device a fresh fake kernel has after applying the
// requests' attributes.
func applied(t testing.TB, reqs [][]byte) *wgfake.Device {
	k := &wgfake.Kernel{DumpBudget: wgDumpBudget}
	d := k.AddDevice("wg0", 5)
	for i, a := range reqs {
		if err := k.Set(nla.Chain(a)); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	return d
}

// wgDump returns the fake kernel's dump of d, as genl messages for ipr
// and genetlink messages for wgctrl.
func wgDump(t testing.TB, d *wgfake.Device) ([]genl.Message, []genetlink.Message) {
	k := &wgfake.Kernel{DumpBudget: wgDumpBudget}
	nd := k.AddDevice(d.Name, d.Index)
	*nd = *d
	var e nla.Encoder
	e.String(wireguard.DeviceAIfname, d.Name)
	payloads, err := k.Dump(nla.Chain(e.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var im []genl.Message
	var wm []genetlink.Message
	for _, p := range payloads {
		im = append(im, genl.Message{Command: p[0], Version: p[1], Attrs: nla.Chain(p[4:])})
		wm = append(wm, genetlink.Message{Header: genetlink.Header{Command: p[0], Version: p[1]}, Data: p[4:]})
	}
	return im, wm
}

// TestWireGuardLargeVsWgctrl checks large configurations, which ipr and
// wgctrl split differently: applied by the fake kernel, ipr's requests
// and wgctrl's leave the same device; dumped in kernel-sized messages,
// it decodes to the same peers through both.
func TestWireGuardLargeVsWgctrl(t *testing.T) {
	ic, wc := wgConfigs(1000, 97)
	ir, wr := iprAttrs(t, ic), wgctrlAttrs(t, wc)
	t.Logf("1000 peers: ipr %d requests, wgctrl %d", len(ir), len(wr))
	for i, r := range ir {
		if n := len(r) + 20; n > wireguard.MaxMessageSize {
			t.Errorf("ipr request %d: %d bytes", i, n)
		}
	}
	id, wd := applied(t, ir), applied(t, wr)
	if !reflect.DeepEqual(id, wd) {
		t.Fatalf("devices differ: ipr's requests left %d peers, wgctrl's %d", len(id.Peers), len(wd.Peers))
	}
	im, wm := wgDump(t, id)
	if len(im) < 2 {
		t.Fatalf("the dump is %d message(s); want it cut", len(im))
	}
	got, err := wireguard.Collect(func(yield func(genl.Message, error) bool) {
		for _, m := range im {
			if !yield(m, nil) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := wgctrlParseDevice(wm)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != want.Name || got.PrivateKey != wireguard.Key(want.PrivateKey) || got.PublicKey != wireguard.Key(want.PublicKey) ||
		int(got.ListenPort) != want.ListenPort || int(got.FirewallMark) != want.FirewallMark || len(got.Peers) != len(want.Peers) {
		t.Fatalf("device: ipr %s %v %d %d %d peers; wgctrl %s %v %d %d %d peers", got.Name, got.PublicKey, got.ListenPort, got.FirewallMark, len(got.Peers),
			want.Name, want.PublicKey, want.ListenPort, want.FirewallMark, len(want.Peers))
	}
	for i, p := range got.Peers {
		w := want.Peers[i]
		var wips []netip.Prefix
		for _, n := range w.AllowedIPs {
			ones, _ := n.Mask.Size()
			a, _ := netip.AddrFromSlice(n.IP)
			wips = append(wips, netip.PrefixFrom(a, ones))
		}
		if p.PublicKey != wireguard.Key(w.PublicKey) || p.PresharedKey != wireguard.Key(w.PresharedKey) ||
			p.Endpoint != w.Endpoint.AddrPort() || p.PersistentKeepaliveInterval != w.PersistentKeepaliveInterval ||
			int(p.ProtocolVersion) != w.ProtocolVersion || !reflect.DeepEqual(p.AllowedIPs, wips) ||
			p.PublicKey.String() != w.PublicKey.String() {
			t.Fatalf("peer %d: ipr %v %v %d allowed IPs; wgctrl %v %v %d", i, p.PublicKey, p.Endpoint, len(p.AllowedIPs), w.PublicKey, w.Endpoint, len(w.AllowedIPs))
		}
	}
}

// TestWireGuardKeysVsWgctrl checks Key's text form, parsing and public
// keys against wgtypes.Key.
func TestWireGuardKeysVsWgctrl(t *testing.T) {
	for i := 0; i < 200; i++ {
		wk, err := wgtypes.GeneratePrivateKey()
		if err != nil {
			t.Fatal(err)
		}
		k := wireguard.Key(wk)
		if k.String() != wk.String() || k.PublicKey() != wireguard.Key(wk.PublicKey()) {
			t.Fatalf("key %v: public %v, wgctrl %v", wk, k.PublicKey(), wk.PublicKey())
		}
		p, err := wireguard.ParseKey(wk.String())
		wp, werr := wgtypes.ParseKey(wk.String())
		if err != nil || werr != nil || p != wireguard.Key(wp) {
			t.Fatalf("ParseKey(%s) = %v, %v; wgctrl %v, %v", wk, p, err, wp, werr)
		}
	}
	for _, bad := range []string{"", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="} {
		_, err := wireguard.ParseKey(bad)
		_, werr := wgtypes.ParseKey(bad)
		if err == nil || werr == nil {
			t.Errorf("ParseKey(%q): ipr %v, wgctrl %v; want both to fail", bad, err, werr)
		}
	}
}

// BenchmarkWireGuardEncode encodes the configuration of a device with
// 10,000 peers: ipr's requests (8 KiB each), wgctrl's (one per peer
// beyond 32 peers).
func BenchmarkWireGuardEncode(b *testing.B) {
	ic, wc := wgConfigs(wgPeers, 0)
	b.Run("ipr", func(b *testing.B) {
		var e nla.Encoder
		perPeer(b, func() {
			reqs, err := wireguard.ConfigureRequests(ic)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range reqs {
				e.Reset(e.Bytes()[:0])
				r.Attrs(&e)
			}
		})
	})
	b.Run("wgctrl", func(b *testing.B) {
		perPeer(b, func() {
			for _, c := range wgctrlBuildBatches(wc) {
				if _, err := wgctrlConfigAttrs("wg0", c); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkWireGuardDecode decodes the dump of a device with 10,000
// peers, cut into 16 KiB messages, into a device with its peers.
func BenchmarkWireGuardDecode(b *testing.B) {
	ic, _ := wgConfigs(wgPeers, 0)
	im, wm := wgDump(b, applied(b, iprAttrs(b, ic)))
	b.Run("ipr", func(b *testing.B) {
		seq := func(yield func(genl.Message, error) bool) {
			for _, m := range im {
				if !yield(m, nil) {
					return
				}
			}
		}
		perPeer(b, func() {
			if d, err := wireguard.Collect(seq); err != nil || len(d.Peers) != wgPeers {
				b.Fatal(err)
			}
		})
	})
	b.Run("wgctrl", func(b *testing.B) {
		perPeer(b, func() {
			if d, err := wgctrlParseDevice(wm); err != nil || len(d.Peers) != wgPeers {
				b.Fatal(err)
			}
		})
	})
}

// perPeer runs op b.N times and reports, besides ns/op and allocs/op,
// the time and allocations per peer of the device.
func perPeer(b *testing.B, op func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	n := float64(b.N) * wgPeers
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/peer")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/peer")
}

// TestWireGuardRequestsDecodeBothWays decodes the requests each library
// builds with the other's decoder (a WG_CMD_SET_DEVICE request carries
// the attributes of a device message): wgctrl's parseDevice reads ipr's
// requests back into the configuration, and ipr's Collect reads
// wgctrl's, a peer split over several requests merged again.
func TestWireGuardRequestsDecodeBothWays(t *testing.T) {
	ic, wc := wgConfigs(300, 97)
	var gm []genetlink.Message
	for _, a := range iprAttrs(t, ic) {
		gm = append(gm, genetlink.Message{Header: genetlink.Header{Command: wireguard.CmdSetDevice, Version: 1}, Data: a})
	}
	wd, err := wgctrlParseDevice(gm)
	if err != nil {
		t.Fatal(err)
	}
	wr := wgctrlAttrs(t, wc)
	id, err := wireguard.Collect(func(yield func(genl.Message, error) bool) {
		for _, a := range wr {
			// Collect takes a dump's command; the attributes are the same.
			if !yield(genl.Message{Command: wireguard.CmdGetDevice, Attrs: nla.Chain(a)}, nil) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(wd.Peers) != len(ic.Peers) || len(id.Peers) != len(ic.Peers) {
		t.Fatalf("peers: wgctrl read %d from ipr's requests, ipr %d from wgctrl's; want %d", len(wd.Peers), len(id.Peers), len(ic.Peers))
	}
	if wd.Name != "wg0" || wgtypes.Key(*ic.PrivateKey) != wd.PrivateKey || wd.ListenPort != 51820 || wd.FirewallMark != 7 ||
		id.Name != "wg0" || id.PrivateKey != *ic.PrivateKey || id.ListenPort != 51820 || id.FirewallMark != 7 {
		t.Errorf("device: wgctrl %s %d %d, ipr %s %d %d", wd.Name, wd.ListenPort, wd.FirewallMark, id.Name, id.ListenPort, id.FirewallMark)
	}
	for i, c := range ic.Peers {
		w, p := wd.Peers[i], id.Peers[i]
		var wips []netip.Prefix
		for _, n := range w.AllowedIPs {
			ones, _ := n.Mask.Size()
			a, _ := netip.AddrFromSlice(n.IP)
			wips = append(wips, netip.PrefixFrom(a.Unmap(), ones))
		}
		if wireguard.Key(w.PublicKey) != c.PublicKey || wireguard.Key(w.PresharedKey) != *c.PresharedKey ||
			w.Endpoint.AddrPort() != c.Endpoint || w.PersistentKeepaliveInterval != *c.PersistentKeepaliveInterval ||
			!reflect.DeepEqual(wips, c.AllowedIPs) {
			t.Fatalf("peer %d: wgctrl read %v %v %d allowed IPs from ipr's requests", i, w.PublicKey, w.Endpoint, len(w.AllowedIPs))
		}
		if p.PublicKey != c.PublicKey || p.PresharedKey != *c.PresharedKey || p.Endpoint != c.Endpoint ||
			p.PersistentKeepaliveInterval != *c.PersistentKeepaliveInterval || !reflect.DeepEqual(p.AllowedIPs, c.AllowedIPs) {
			t.Fatalf("peer %d: ipr read %v %v %d allowed IPs from wgctrl's requests", i, p.PublicKey, p.Endpoint, len(p.AllowedIPs))
		}
	}
}
