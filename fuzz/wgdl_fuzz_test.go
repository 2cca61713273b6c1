package fuzz

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/devlink"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/wgfake"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// wgSeedConfig is a configuration with every field, one peer split over
// requests.
func wgSeedConfig() *wireguard.DeviceConfig {
	priv := wireguard.Key(sha256.Sum256([]byte("fuzz private")))
	port, mark := uint16(51820), uint32(3)
	ka := 25 * time.Second
	cfg := &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg0"}, PrivateKey: &priv, ListenPort: &port, FirewallMark: &mark}
	for i := 0; i < 4; i++ {
		psk := wireguard.Key(sha256.Sum256([]byte{byte(i), 1}))
		p := wireguard.PeerConfig{
			PublicKey: wireguard.Key(sha256.Sum256([]byte{byte(i)})), PresharedKey: &psk, PersistentKeepaliveInterval: &ka,
			Endpoint: netip.MustParseAddrPort("192.0.2.1:51820"),
		}
		if i%2 == 1 {
			p.Endpoint = netip.MustParseAddrPort("[fe80::1%2]:51820")
		}
		n := 2
		if i == 2 {
			n = 12 // split over dump messages
		}
		for j := 0; j < n; j++ {
			p.AllowedIPs = append(p.AllowedIPs, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), byte(j >> 8), byte(j)}), 32),
				netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, byte(i), 14: byte(j >> 8), 15: byte(j)}), 128))
		}
		cfg.Peers = append(cfg.Peers, p)
	}
	return cfg
}

// wgSeeds returns the payloads of a fake-kernel dump of the seed
// configuration, cut small so that a peer is continued, and the
// request that configured it. They are kept small: the fuzzer slows
// down on inputs of kilobytes.
func wgSeeds(t testing.TB) [][]byte {
	cfg := wgSeedConfig()
	reqs, err := wireguard.ConfigureRequests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	k := &wgfake.Kernel{DumpBudget: 512}
	k.AddDevice("wg0", 3)
	var seeds [][]byte
	for _, r := range reqs {
		var e nla.Encoder
		e.Reserve(4)[0] = wireguard.CmdSetDevice
		r.Attrs(&e)
		if err := k.Set(nla.Chain(e.Bytes()[4:])); err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, e.Bytes())
	}
	var e nla.Encoder
	e.String(wireguard.DeviceAIfname, "wg0")
	dump, err := k.Dump(nla.Chain(e.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return append(seeds, dump...)
}

// FuzzWireGuardDevice feeds arbitrary messages to the device views and
// to Collect (the message twice, so that peers are merged): no panic,
// and what Collect accepts is well formed.
func FuzzWireGuardDevice(f *testing.F) {
	for _, s := range wgSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		m := genl.Message{Command: data[0], Version: data[1], Attrs: nla.Chain(data[4:])}
		v := wireguard.ViewDevice(m)
		_, _, _, _, _, _ = v.Index(), v.Name(), v.PrivateKey(), v.PublicKey(), v.ListenPort(), v.FirewallMark()
		for _, a := range v.Attrs() {
			_ = a.String()
			for _, b := range a.Attrs() {
				_ = b.String()
			}
		}
		_, _ = v.Get("peers", "peer", "allowedips", "allowedip", "ipaddr")
		for p := range v.Peers() {
			_, _, _, _, _ = p.PublicKey(), p.PresharedKey(), p.Endpoint(), p.PersistentKeepaliveInterval(), p.LastHandshake()
			_, _, _, _ = p.ReceiveBytes(), p.TransmitBytes(), p.ProtocolVersion(), p.Continued()
			for ip := range p.AllowedIPs() {
				if !ip.IsValid() {
					t.Fatalf("view yielded invalid prefix %v", ip)
				}
			}
		}
		d, err := wireguard.Collect(func(yield func(genl.Message, error) bool) {
			_ = yield(m, nil) && yield(m, nil)
		})
		if err != nil {
			return
		}
		for i, p := range d.Peers {
			if i > 0 && p.PublicKey == d.Peers[i-1].PublicKey {
				t.Fatalf("peers %d and %d not merged", i-1, i)
			}
			for _, ip := range p.AllowedIPs {
				if !ip.IsValid() {
					t.Fatalf("peer %d: invalid prefix %v", i, ip)
				}
			}
		}
	})
}

// FuzzWireGuardConfigure builds configurations from arbitrary bytes
// (each 6 bytes a peer: allowed IPs, flags, keepalive, endpoint) and
// checks that each request fits in MaxMessageSize and that the fake
// kernel, applying them, ends with every peer and allowed IP.
func FuzzWireGuardConfigure(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0})
	f.Add([]byte{255, 3, 25, 0, 80, 1, 2, 0, 0, 0, 0, 0, 200, 2, 0, 1, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 6*64 {
			return
		}
		cfg := &wireguard.DeviceConfig{Link: wireguard.Link{Index: 3}, ReplacePeers: len(data)%2 == 0}
		ips := map[int]int{}
		for i := 0; i+6 <= len(data); i += 6 {
			b := data[i : i+6]
			p := wireguard.PeerConfig{PublicKey: wireguard.Key(sha256.Sum256([]byte{byte(i), byte(i >> 8)}))}
			n := int(b[0]) * 4
			for j := 0; j < n; j++ {
				if b[1]&1 != 0 {
					p.AllowedIPs = append(p.AllowedIPs, netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, 1: byte(i), 2: byte(i >> 8), 14: byte(j >> 8), 15: byte(j)}), 128))
				} else {
					p.AllowedIPs = append(p.AllowedIPs, netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(i >> 8), byte(i), byte(j >> 8), byte(j)}), 32))
				}
			}
			p.ReplaceAllowedIPs = b[1]&2 != 0
			if b[1]&4 != 0 {
				psk := p.PublicKey
				p.PresharedKey = &psk
			}
			if b[2] != 0 {
				ka := time.Duration(b[2]) * time.Second
				p.PersistentKeepaliveInterval = &ka
			}
			if port := binary.BigEndian.Uint16(b[3:]); port != 0 {
				p.Endpoint = netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, b[5]}), port)
				if b[5]&1 != 0 {
					p.Endpoint = netip.AddrPortFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: b[5]}), port)
				}
			}
			ips[len(cfg.Peers)] = n
			cfg.Peers = append(cfg.Peers, p)
		}
		reqs, err := wireguard.ConfigureRequests(cfg)
		if err != nil {
			t.Fatal(err)
		}
		k := &wgfake.Kernel{}
		d := k.AddDevice("wg0", 3)
		for i, r := range reqs {
			var e nla.Encoder
			r.Attrs(&e)
			if err := e.Err(); err != nil {
				t.Fatal(err)
			}
			if n := e.Len() + 20; n > wireguard.MaxMessageSize {
				t.Fatalf("request %d: %d bytes", i, n)
			}
			if err := k.Set(nla.Chain(e.Bytes())); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		if len(d.Peers) != len(cfg.Peers) {
			t.Fatalf("%d peers, want %d", len(d.Peers), len(cfg.Peers))
		}
		for i, p := range d.Peers {
			if p.Public != cfg.Peers[i].PublicKey || len(p.AllowedIPs) != ips[i] {
				t.Fatalf("peer %d: %d allowed IPs, want %d", i, len(p.AllowedIPs), ips[i])
			}
		}
	})
}

// devlinkSeeds returns payloads of devlink messages: iproute2's recorded
// requests and a parameter, port and info reply.
func devlinkSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for line := range fixtureLines(t, filepath.Join("..", "genl", "devlink", "testdata", "iproute2.txt")) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil || len(b) < unix.NLMSG_HDRLEN {
			t.Fatalf("bad fixture line %q", line)
		}
		seeds = append(seeds, b[unix.NLMSG_HDRLEN:])
	}
	var e nla.Encoder
	e.Reserve(unix.GENL_HDRLEN)[0] = devlink.DevlinkCmdParamGet
	e.String(devlink.DevlinkAttrBusName, "pci")
	e.String(devlink.DevlinkAttrDevName, "0000:01:00.0")
	e.Uint32(devlink.DevlinkAttrPortIndex, 1)
	e.String(devlink.DevlinkAttrPortNetdevName, "eth1")
	e.String(devlink.DevlinkAttrInfoDriverName, "drv")
	v := e.BeginNest(devlink.DevlinkAttrInfoVersionRunning)
	e.String(devlink.DevlinkAttrInfoVersionName, "fw")
	e.String(devlink.DevlinkAttrInfoVersionValue, "1.0")
	e.EndNest(v)
	p := e.BeginNest(devlink.DevlinkAttrParam)
	e.String(devlink.DevlinkAttrParamName, "max_macs")
	e.Uint8(devlink.DevlinkAttrParamType, devlink.ParamTypeU32)
	l := e.BeginNest(devlink.DevlinkAttrParamValuesList)
	pv := e.BeginNest(devlink.DevlinkAttrParamValue)
	e.Uint8(devlink.DevlinkAttrParamValueCmode, 1)
	e.Uint32(devlink.DevlinkAttrParamValueData, 32)
	e.EndNest(pv)
	e.EndNest(l)
	e.EndNest(p)
	return append(seeds, e.Bytes())
}

// FuzzDevlinkMessage reads arbitrary messages through every devlink
// view, typed and by name: no panic.
func FuzzDevlinkMessage(f *testing.F) {
	for _, s := range devlinkSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < unix.GENL_HDRLEN {
			return
		}
		d := devlink.ViewDevice(genl.Message{Command: data[0], Attrs: nla.Chain(data[unix.GENL_HDRLEN:])})
		_, _ = d.Handle(), d.ReloadFailed()
		for name, v := range d.Attrs() {
			_, _ = name, v.String()
			for range v.Attrs() {
			}
		}
		_, _ = d.Get("param", "param_name")
		_, _ = d.Get("dev_stats", "reload_stats")
		p := devlink.Port{Device: d}
		_, _, _, _, _, _, _ = p.Handle(), p.Type(), p.Flavour(), p.NetdevName(), p.NetdevIndex(), p.Number(), p.Splittable()
		i := devlink.Info{Device: d}
		_, _, _ = i.Driver(), i.SerialNumber(), i.BoardSerialNumber()
		for range i.Versions() {
		}
		pa := devlink.Param{Device: d}
		_, _, _ = pa.Name(), pa.Generic(), pa.Type()
		for v := range pa.Values() {
			if v.Value.Type != 0 && v.Value.Type != pa.Type() {
				t.Fatalf("value of type %d in a parameter of type %d", v.Value.Type, pa.Type())
			}
		}
		_ = d.Clone()
	})
}
