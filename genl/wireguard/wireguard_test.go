package wireguard_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/internal/wgfake"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// fakeHandle returns a handle over a fake kernel with WireGuard and a
// device wg0 (index 7).
func fakeHandle(t testing.TB, budget int) (*genl.Handle, *wgfake.Kernel, *nltest.Fake) {
	t.Helper()
	k := &wgfake.Kernel{DumpBudget: budget}
	k.AddDevice("wg0", 7)
	fake := nltest.NewFake()
	k.Install(fake)
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	return h, k, fake
}

// testKey returns a deterministic key of seed.
func testKey(seed int) wireguard.Key {
	return wireguard.Key(sha256.Sum256([]byte(fmt.Sprint("key ", seed))))
}

func ptr[T any](v T) *T { return &v }

// configuredFake is a handle on fakeHandle's kernel, whose wg0 it has
// configured with cfg, bigConfig(n).
func configuredFake(t testing.TB, budget, n int) (h *genl.Handle, cfg *wireguard.DeviceConfig) {
	t.Helper()
	h, _, _ = fakeHandle(t, budget)
	cfg, _ = bigConfig(n)
	if err := wireguard.Configure(context.Background(), h, cfg); err != nil {
		t.Fatal(err)
	}
	return h, cfg
}

// bigConfig is a device with n peers, the ones at multiples of 50 with
// many allowed IPs (so that they are split), others with two.
func bigConfig(n int) (*wireguard.DeviceConfig, []wireguard.Peer) {
	priv := testKey(100000).PublicKey() // any 32 bytes are a private key
	priv[0] &= 248
	priv[31] = priv[31]&127 | 64
	cfg := &wireguard.DeviceConfig{
		Link: wireguard.Link{Name: "wg0"}, PrivateKey: &priv, ListenPort: ptr[uint16](51820),
		FirewallMark: ptr[uint32](0x42), ReplacePeers: true,
	}
	want := make([]wireguard.Peer, 0, n)
	for i := 0; i < n; i++ {
		p := wireguard.PeerConfig{PublicKey: testKey(i), ReplaceAllowedIPs: true}
		w := wireguard.Peer{PublicKey: p.PublicKey, ProtocolVersion: 1}
		if i%3 == 0 {
			p.PresharedKey = ptr(testKey(i + 5000))
			w.PresharedKey = *p.PresharedKey
		}
		switch i % 4 {
		case 1:
			p.Endpoint = netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), uint16(1000+i))
		case 2:
			p.Endpoint = netip.MustParseAddrPort(fmt.Sprintf("[2001:db8::%x]:%d", i, 2000+i))
		case 3:
			p.Endpoint = netip.MustParseAddrPort(fmt.Sprintf("[fe80::%x%%3]:%d", i, 51820))
		}
		w.Endpoint = p.Endpoint
		if i%5 == 0 {
			p.PersistentKeepaliveInterval = ptr(25 * time.Second)
			w.PersistentKeepaliveInterval = 25 * time.Second
		}
		ips := 2
		if i%50 == 0 {
			ips = 700
		}
		for j := 0; j < ips; j++ {
			var pfx netip.Prefix
			if j%2 == 0 {
				pfx = netip.PrefixFrom(netip.AddrFrom4([4]byte{10 + byte(j>>8), byte(i >> 8), byte(i), byte(j)}), 32)
			} else {
				pfx = netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i >> 8), byte(i), 0, 0, byte(j >> 8), byte(j)}), 128)
			}
			p.AllowedIPs = append(p.AllowedIPs, pfx)
		}
		w.AllowedIPs = p.AllowedIPs
		cfg.Peers = append(cfg.Peers, p)
		want = append(want, w)
	}
	return cfg, want
}

// TestFakeConfigureGet configures a device with many peers through the
// fake kernel (which decodes the requests independently), then gets it
// back from a dump cut into many messages.
func TestFakeConfigureGet(t *testing.T) {
	ctx := context.Background()
	for _, budget := range []int{1024, 4096, 32768} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			h, k, _ := fakeHandle(t, budget)
			cfg, want := bigConfig(300)
			reqs, err := wireguard.ConfigureRequests(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := wireguard.Configure(ctx, h, cfg); err != nil {
				t.Fatal(err)
			}
			if k.Sets != len(reqs) || len(reqs) < 10 {
				t.Errorf("%d requests applied, %d built; want them equal, and many", k.Sets, len(reqs))
			}
			d, err := wireguard.Get(ctx, h, wireguard.Link{Name: "wg0"})
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != "wg0" || d.Index != 7 || d.ListenPort != 51820 || d.FirewallMark != 0x42 ||
				d.PrivateKey != *cfg.PrivateKey || d.PublicKey != cfg.PrivateKey.PublicKey() {
				t.Errorf("device = %+v", d)
			}
			if len(d.Peers) != len(want) {
				t.Fatalf("%d peers, want %d", len(d.Peers), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(d.Peers[i], want[i]) {
					g, w := d.Peers[i], want[i]
					g.AllowedIPs, w.AllowedIPs = nil, nil
					t.Fatalf("peer %d (%d allowed IPs, want %d):\n got %+v\nwant %+v", i, len(d.Peers[i].AllowedIPs), len(want[i].AllowedIPs), g, w)
				}
			}

			// The dump was cut: more than one message, and with a small
			// budget a peer continued.
			msgs, continued := 0, 0
			for v, err := range wireguard.Messages(ctx, h, wireguard.Link{Index: 7}) {
				if err != nil {
					t.Fatal(err)
				}
				msgs++
				for p := range v.Peers() {
					if p.Continued() {
						continued++
					}
				}
			}
			if msgs < 2 || (budget < 32768 && continued == 0) {
				t.Errorf("budget %d: %d messages, %d continued peers", budget, msgs, continued)
			}
		})
	}
}

// TestFakeRequestsSplit checks the requests' sizes and the semantics of
// the split: device fields and ReplacePeers in the first request only,
// continuations update-only and without replace-allowed-IPs.
func TestFakeRequestsSplit(t *testing.T) {
	cfg, _ := bigConfig(120)
	reqs, err := wireguard.ConfigureRequests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[wireguard.Key]int{}
	for i, r := range reqs {
		var e nla.Encoder
		r.Attrs(&e)
		if err := e.Err(); err != nil {
			t.Fatal(err)
		}
		if n := e.Len() + unix.NLMSG_HDRLEN + unix.GENL_HDRLEN; n > wireguard.MaxMessageSize {
			t.Errorf("request %d: %d bytes, over %d", i, n, wireguard.MaxMessageSize)
		}
		c := nla.Chain(e.Bytes())
		_, hasFlags := c.Get(wireguard.DeviceAFlags)
		_, hasKey := c.Get(wireguard.DeviceAPrivateKey)
		if (i == 0) != hasFlags || (i == 0) != hasKey {
			t.Errorf("request %d: device flags %v, private key %v", i, hasFlags, hasKey)
		}
		peers, _ := c.Get(wireguard.DeviceAPeers)
		for a := range peers.Nested().All() {
			pc := a.Nested()
			pk, _ := pc.Get(wireguard.PeerAPublicKey)
			key, _ := wireguard.NewKey(pk.Data)
			fa, _ := pc.Get(wireguard.PeerAFlags)
			flags, _ := fa.Uint32()
			if seen[key] > 0 && flags != wireguard.PeerFUpdateOnly {
				t.Errorf("request %d: continued peer %v has flags %#x, want update-only", i, key, flags)
			}
			if seen[key] == 0 && flags != wireguard.PeerFReplaceAllowedIPs {
				t.Errorf("request %d: peer %v has flags %#x, want replace-allowed-ips", i, key, flags)
			}
			seen[key]++
		}
	}
	if len(seen) != 120 || seen[testKey(0)] < 2 {
		t.Errorf("%d peers, peer 0 in %d requests", len(seen), seen[testKey(0)])
	}
}

// TestFakeRemoveUpdateOnly checks the peer flags against the fake's
// kernel semantics.
func TestFakeRemoveUpdateOnly(t *testing.T) {
	ctx := context.Background()
	h, _, _ := fakeHandle(t, 0)
	link := wireguard.Link{Name: "wg0"}
	a, b := testKey(1), testKey(2)
	must := func(cfg wireguard.DeviceConfig) {
		t.Helper()
		if err := wireguard.Configure(ctx, h, &cfg); err != nil {
			t.Fatal(err)
		}
	}
	must(wireguard.DeviceConfig{Link: link, Peers: []wireguard.PeerConfig{
		{PublicKey: a, AllowedIPs: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}},
		{PublicKey: b, UpdateOnly: true}, // absent: not added
	}})
	must(wireguard.DeviceConfig{Link: link, Peers: []wireguard.PeerConfig{
		{PublicKey: a, AllowedIPs: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
	}})
	d, err := wireguard.Get(ctx, h, link)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("10.1.0.0/16")}
	if len(d.Peers) != 1 || d.Peers[0].PublicKey != a || !reflect.DeepEqual(d.Peers[0].AllowedIPs, want) {
		t.Fatalf("peers = %+v; want %v with %v (host bits cleared by the kernel)", d.Peers, a, want)
	}
	must(wireguard.DeviceConfig{Link: link, Peers: []wireguard.PeerConfig{
		{PublicKey: a, ReplaceAllowedIPs: true, AllowedIPs: []netip.Prefix{netip.MustParsePrefix("::/0")}},
		{PublicKey: b},
	}})
	d, _ = wireguard.Get(ctx, h, link)
	if len(d.Peers) != 2 || !reflect.DeepEqual(d.Peers[0].AllowedIPs, []netip.Prefix{netip.MustParsePrefix("::/0")}) {
		t.Fatalf("after replace: %+v", d.Peers)
	}
	must(wireguard.DeviceConfig{Link: link, Peers: []wireguard.PeerConfig{{PublicKey: a, Remove: true}}})
	d, _ = wireguard.Get(ctx, h, link)
	if len(d.Peers) != 1 || d.Peers[0].PublicKey != b || d.Peers[0].AllowedIPs != nil {
		t.Fatalf("after remove: %+v", d.Peers)
	}
	must(wireguard.DeviceConfig{Link: link, ReplacePeers: true})
	if d, _ = wireguard.Get(ctx, h, link); len(d.Peers) != 0 {
		t.Fatalf("after replace-peers: %+v", d.Peers)
	}
}

// TestFakeBadInput checks that invalid configurations fail before
// anything is sent, with errors that say what is wrong.
func TestFakeBadInput(t *testing.T) {
	ctx := context.Background()
	h, k, fake := fakeHandle(t, 0)
	good := testKey(1)
	for _, c := range []struct {
		name string
		cfg  *wireguard.DeviceConfig
		peer int
		is   error
	}{
		{"nil", nil, -1, nil},
		{"no device", &wireguard.DeviceConfig{}, -1, nil},
		{"name and index", &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg0", Index: 3}}, -1, nil},
		{"long name", &wireguard.DeviceConfig{Link: wireguard.Link{Name: "a-very-long-name"}}, -1, nil},
		{"NUL in name", &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg\x000"}}, -1, nil},
		{"zero public key", &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg0"}, Peers: []wireguard.PeerConfig{{PublicKey: good}, {}}}, 1, nil},
		{"endpoint without port", peerCfg(wireguard.PeerConfig{PublicKey: good, Endpoint: netip.AddrPortFrom(netip.MustParseAddr("192.0.2.1"), 0)}), 0, wireguard.ErrEndpointPort},
		{"endpoint without address", peerCfg(wireguard.PeerConfig{PublicKey: good, Endpoint: netip.AddrPortFrom(netip.Addr{}, 51820)}), 0, nil},
		{"named zone", peerCfg(wireguard.PeerConfig{PublicKey: good, Endpoint: netip.MustParseAddrPort("[fe80::1%eth0]:51820")}), 0, nil},
		{"keepalive too long", peerCfg(wireguard.PeerConfig{PublicKey: good, PersistentKeepaliveInterval: ptr(65536 * time.Second)}), 0, nil},
		{"keepalive fraction", peerCfg(wireguard.PeerConfig{PublicKey: good, PersistentKeepaliveInterval: ptr(1500 * time.Millisecond)}), 0, nil},
		{"keepalive negative", peerCfg(wireguard.PeerConfig{PublicKey: good, PersistentKeepaliveInterval: ptr(-time.Second)}), 0, nil},
		{"invalid prefix", peerCfg(wireguard.PeerConfig{PublicKey: good, AllowedIPs: []netip.Prefix{{}}}), 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := wireguard.Configure(ctx, h, c.cfg)
			var ce *wireguard.ConfigError
			if !errors.As(err, &ce) || ce.Peer != c.peer {
				t.Fatalf("Configure: %v; want a ConfigError of peer %d", err, c.peer)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("%v does not match %v", err, c.is)
			}
			t.Log(err)
		})
	}
	if k.Sets != 0 || fake.Requests(wgfake.FamilyID) != 0 {
		t.Errorf("%d requests sent", fake.Requests(wgfake.FamilyID))
	}
	for _, l := range []wireguard.Link{{}, {Name: "wg0", Index: 1}} {
		if _, err := wireguard.Get(ctx, h, l); err == nil {
			t.Errorf("Get(%+v) succeeded", l)
		}
	}
	if _, err := wireguard.Get(ctx, h, wireguard.Link{Name: "wg9"}); !errors.Is(err, unix.ENODEV) {
		t.Errorf("Get(wg9): %v; want ENODEV", err)
	}
}

func peerCfg(p wireguard.PeerConfig) *wireguard.DeviceConfig {
	return &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg0"}, Peers: []wireguard.PeerConfig{p}}
}

// TestFamilyAbsent checks that a kernel without WireGuard is a typed
// error that names the family.
func TestFamilyAbsent(t *testing.T) {
	h, _ := genltest.NoFamilies(t)
	_, err := wireguard.Get(context.Background(), h, wireguard.Link{Name: "wg0"})
	genltest.WantNotFound(t, "Get", "wireguard", err)
	err = wireguard.Configure(context.Background(), h, &wireguard.DeviceConfig{Link: wireguard.Link{Name: "wg0"}})
	genltest.WantNotFound(t, "Configure", "wireguard", err)
}

// TestCollectMalformed feeds Collect malformed messages: errors, never
// panics.
func TestCollectMalformed(t *testing.T) {
	msg := func(attrs func(e *nla.Encoder)) genl.Message {
		var e nla.Encoder
		attrs(&e)
		return genl.Message{Command: wireguard.CmdGetDevice, Attrs: nla.Chain(e.Bytes())}
	}
	peer := func(e *nla.Encoder, f func(e *nla.Encoder)) {
		ps := e.BeginNest(wireguard.DeviceAPeers)
		p := e.BeginNest(0)
		f(e)
		e.EndNest(p)
		e.EndNest(ps)
	}
	for name, m := range map[string]genl.Message{
		"wrong command": {Command: 1},
		"truncated":     {Command: 0, Attrs: nla.Chain{8, 0, 1, 0, 1}},
		"short key": msg(func(e *nla.Encoder) {
			peer(e, func(e *nla.Encoder) { e.Binary(wireguard.PeerAPublicKey, make([]byte, 31)) })
		}),
		"bad cidr": msg(func(e *nla.Encoder) {
			peer(e, func(e *nla.Encoder) {
				e.Binary(wireguard.PeerAPublicKey, make([]byte, 32))
				l := e.BeginNest(wireguard.PeerAAllowedIPs)
				n := e.BeginNest(0)
				e.Uint16(wireguard.AllowedIPAFamily, unix.AF_INET)
				e.Binary(wireguard.AllowedIPAIPAddr, []byte{10, 0, 0, 0})
				e.Uint8(wireguard.AllowedIPACidrMask, 33)
				e.EndNest(n)
				e.EndNest(l)
			})
		}),
	} {
		seq := func(yield func(genl.Message, error) bool) { yield(m, nil) }
		if _, err := wireguard.Collect(seq); !errors.Is(err, wireguard.ErrMalformed) {
			t.Errorf("%s: %v; want ErrMalformed", name, err)
		}
	}
	if _, err := wireguard.Collect(func(func(genl.Message, error) bool) {}); err == nil {
		t.Error("an empty dump collected")
	}
}

// TestFakeCollectAllocs measures Collect's allocations per peer over a
// dump of the fake kernel: they must not grow with the peers (shared
// arrays).
func TestFakeCollectAllocs(t *testing.T) {
	ctx := context.Background()
	link := wireguard.Link{Name: "wg0"}
	allocs := func(n int) float64 {
		h, _, _ := fakeHandle(t, 16384)
		cfg := &wireguard.DeviceConfig{Link: link}
		for i := 0; i < n; i++ {
			cfg.Peers = append(cfg.Peers, wireguard.PeerConfig{PublicKey: testKey(i),
				AllowedIPs: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), 32)}})
		}
		if err := wireguard.Configure(ctx, h, cfg); err != nil {
			t.Fatal(err)
		}
		var msgs []genl.Message
		f, _ := h.Family(ctx, wireguard.FamilyName)
		req, _ := wireguard.GetRequest(link)
		for m, err := range h.Dump(ctx, f, req) {
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, m.Clone())
		}
		h.Close() // its goroutines would count
		seq := func(yield func(genl.Message, error) bool) {
			for _, m := range msgs {
				if !yield(m, nil) {
					return
				}
			}
		}
		return testing.AllocsPerRun(5, func() {
			if d, err := wireguard.Collect(seq); err != nil || len(d.Peers) != n {
				t.Fatal(err)
			}
		})
	}
	small, big := allocs(100), allocs(5000)
	perPeer := (big - small) / 4900
	t.Logf("Collect: %.0f allocations for 100 peers, %.0f for 5000: %.4f per peer", small, big, perPeer)
	if perPeer > 0.01 {
		t.Errorf("%.4f allocations per peer; want the shared arrays' amortized growth only", perPeer)
	}
}

// TestFakeHostile: an interrupted dump is retried, and reported when it
// keeps being interrupted; a cancelled context and a nil handle are
// errors; concurrent Gets and Configures are safe.
func TestFakeHostile(t *testing.T) {
	ctx := context.Background()
	h, k, _ := fakeHandle(t, 1024)
	link := wireguard.Link{Name: "wg0"}
	cfg, want := bigConfig(60)
	if err := wireguard.Configure(ctx, h, cfg); err != nil {
		t.Fatal(err)
	}
	k.Interrupt = 2
	d, err := wireguard.Get(ctx, h, link)
	if err != nil || len(d.Peers) != len(want) {
		t.Fatalf("Get after 2 interrupted dumps: %v", err)
	}
	k.Interrupt = 100
	if _, err := wireguard.Get(ctx, h, link); !errors.Is(err, wire.ErrDumpInterrupted) {
		t.Errorf("Get, always interrupted: %v; want ErrDumpInterrupted", err)
	}
	k.Interrupt = 0

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := wireguard.Get(cancelled, h, link); err == nil {
		t.Error("Get with a cancelled context succeeded")
	}
	if err := wireguard.Configure(cancelled, h, cfg); err == nil {
		t.Error("Configure with a cancelled context succeeded")
	}
	if _, err := wireguard.Get(ctx, nil, link); err == nil {
		t.Error("Get on a nil handle succeeded")
	}
	if err := wireguard.Configure(ctx, nil, cfg); err == nil {
		t.Error("Configure on a nil handle succeeded")
	}
	for _, err := range wireguard.Messages(ctx, nil, link) {
		if err == nil {
			t.Error("Messages on a nil handle succeeded")
		}
	}

	// Four gets and four configurations at once.
	errs := testrun.Parallel(8, 1, func(k, _ int) error {
		if k%2 == 1 {
			return wireguard.Configure(ctx, h, &wireguard.DeviceConfig{Link: link, Peers: []wireguard.PeerConfig{{PublicKey: testKey(1), UpdateOnly: true}}})
		}
		d, err := wireguard.Get(ctx, h, link)
		if err == nil && len(d.Peers) != len(want) {
			err = fmt.Errorf("%d peers", len(d.Peers))
		}
		return err
	})
	for _, err := range errs {
		t.Error(err)
	}
}

// TestViewsAllocs checks that reading every peer and allowed IP of a
// dump through the views allocates nothing.
func TestViewsAllocs(t *testing.T) {
	ctx := context.Background()
	h, _ := configuredFake(t, 4096, 100)
	var msgs []genl.Message
	f, _ := h.Family(ctx, wireguard.FamilyName)
	req, _ := wireguard.GetRequest(wireguard.Link{Name: "wg0"})
	for m, err := range h.Dump(ctx, f, req) {
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m.Clone())
	}
	// The handle's goroutines (nlctrl's watch) would count: AllocsPerRun
	// reads the process's allocations.
	h.Close()
	var sum uint64
	allocs := testing.AllocsPerRun(10, func() { sum += readViews(msgs) })
	if allocs != 0 {
		t.Errorf("views: %.1f allocations per dump of %d messages; want 0", allocs, len(msgs))
	}
}

// readViews reads every field of every message, peer and allowed IP
// through the views.
func readViews(msgs []genl.Message) uint64 {
	var sum uint64
	for _, m := range msgs {
		v := wireguard.ViewDevice(m)
		pub := v.PublicKey()
		sum += uint64(v.ListenPort()) + uint64(v.Index()) + uint64(v.FirewallMark()) + uint64(pub[0])
		for p := range v.Peers() {
			k, psk := p.PublicKey(), p.PresharedKey()
			sum += uint64(k[0]) + uint64(psk[0]) + uint64(p.PersistentKeepaliveInterval()) + uint64(p.Endpoint().Port()) +
				p.ReceiveBytes() + p.TransmitBytes() + uint64(p.ProtocolVersion()) + uint64(p.LastHandshake().Unix())
			for ip := range p.AllowedIPs() {
				sum += uint64(ip.Bits())
			}
		}
	}
	return sum
}

// TestByName reads a dump by name, through the hand-written schemas.
func TestByName(t *testing.T) {
	ctx := context.Background()
	h, cfg := configuredFake(t, 0, 3)
	for v, err := range wireguard.Messages(ctx, h, wireguard.Link{Name: "wg0"}) {
		if err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]string{
			"ifname": "wg0", "ifindex": "7", "listen_port": "51820", "fwmark": "66",
			"peers/peer/protocol_version":               "1",
			"peers/peer/persistent_keepalive_interval":  "25",
			"peers/peer/allowedips/allowedip/ipaddr":    "10.0.0.0",
			"peers/peer/allowedips/allowedip/cidr_mask": "32",
			"peers/peer/allowedips/allowedip/family":    "2",
		} {
			got, ok := v.Get(strings.Split(path, "/")...)
			if !ok || got.String() != want {
				t.Errorf("Get(%s) = %v, %v; want %s", path, got, ok, want)
			}
		}
		names := map[string]bool{}
		for name := range v.Attrs() {
			names[name] = true
		}
		if !names["private_key"] || !names["peers"] || names[""] {
			t.Errorf("Attrs named %v", names)
		}
		for p := range v.Peers() {
			if got, ok := p.Get("public_key"); !ok || !bytes.Equal(got.Bytes(), cfg.Peers[0].PublicKey[:]) {
				t.Errorf("peer public_key = %v, %v", got, ok)
			}
			n := 0
			for name, a := range p.Attrs() {
				if name == "allowedips" {
					for range a.Attrs() {
						n++
					}
				}
			}
			want := 0
			for range p.AllowedIPs() {
				want++
			}
			if n != want || n == 0 {
				t.Errorf("%d allowed IPs by name, %d by the view", n, want)
			}
			break
		}
		break // the first message
	}
}

// TestSchemas checks the hand-written schemas: ByName lists every named
// type, in the byte order of the names, as schema.Schema.Type needs.
func TestSchemas(t *testing.T) {
	for _, s := range wireguard.Schemas {
		genltest.CheckSchema(t, s)
	}
}
