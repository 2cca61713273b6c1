package wireguard_test

import (
	"context"
	"net/netip"
	"reflect"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
)

// TestKernelConfigureGet configures a real WireGuard device in a
// throwaway namespace and reads it back; skipped on kernels without
// WireGuard (the fake-kernel tests cover the encoding there).
func TestKernelConfigureGet(t *testing.T) {
	nstest.Require(t, "link:wireguard", "genl:wireguard")
	ctx := context.Background()
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "wg0", "type", "wireguard")
	h := genltest.Dial(t, genl.WithNetns(ns.Name))
	cfg, want := bigConfig(200)
	if err := wireguard.Configure(ctx, h, cfg); err != nil {
		t.Fatal(err)
	}
	d, err := wireguard.Get(ctx, h, wireguard.Link{Name: "wg0"})
	if err != nil {
		t.Fatal(err)
	}
	if d.ListenPort != *cfg.ListenPort || d.FirewallMark != *cfg.FirewallMark || d.PrivateKey != *cfg.PrivateKey {
		t.Errorf("device = %+v", d)
	}
	if len(d.Peers) != len(want) {
		t.Fatalf("%d peers, want %d", len(d.Peers), len(want))
	}
	// The kernel orders a peer's allowed IPs as its trie walks them:
	// compare as sets.
	for i, p := range d.Peers {
		w := want[i]
		if p.PublicKey != w.PublicKey || p.PresharedKey != w.PresharedKey || p.Endpoint != w.Endpoint ||
			p.PersistentKeepaliveInterval != w.PersistentKeepaliveInterval {
			t.Errorf("peer %d = %+v", i, p)
		}
		if !reflect.DeepEqual(set(p.AllowedIPs), set(w.AllowedIPs)) {
			t.Errorf("peer %d: %d allowed IPs, want %d", i, len(p.AllowedIPs), len(w.AllowedIPs))
		}
	}
}

func set(ps []netip.Prefix) map[netip.Prefix]bool {
	m := map[netip.Prefix]bool{}
	for _, p := range ps {
		m[p] = true
	}
	return m
}
