package wireguard_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/wgfake"
	"github.com/ipr-go/ipr/nltest"
)

// Configuring a device and reading it back, here against a fake kernel
// (drop WithTransport to talk to the real one).
func Example() {
	ctx := context.Background()
	kernel := &wgfake.Kernel{}
	kernel.AddDevice("wg0", 4)
	fake := nltest.NewFake()
	kernel.Install(fake)
	h, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	priv, _ := wireguard.ParseKey("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=")
	peer, _ := wireguard.ParseKey("3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=")
	port := uint16(51820)
	keepalive := 25 * time.Second
	err = wireguard.Configure(ctx, h, &wireguard.DeviceConfig{
		Link:       wireguard.Link{Name: "wg0"},
		PrivateKey: &priv,
		ListenPort: &port,
		Peers: []wireguard.PeerConfig{{
			PublicKey:                   peer,
			Endpoint:                    netip.MustParseAddrPort("192.0.2.7:51820"),
			PersistentKeepaliveInterval: &keepalive,
			AllowedIPs:                  []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("fd00::/64")},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := wireguard.Get(ctx, h, wireguard.Link{Name: "wg0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name, d.ListenPort, d.PublicKey)
	for _, p := range d.Peers {
		fmt.Println(p.PublicKey, p.Endpoint, p.PersistentKeepaliveInterval, p.AllowedIPs)
	}
	// Output:
	// wg0 51820 hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=
	// 3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08= 192.0.2.7:51820 25s [10.0.0.0/24 fd00::/64]
}
