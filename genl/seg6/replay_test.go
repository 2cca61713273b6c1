package seg6_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/genl/seg6"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
)

// TestReplaySeg6 replays a recorded session (Linux 6.18, built without
// CONFIG_IPV6_SEG6_HMAC) without root: the tunnel source read, set and
// read again, and an HMAC key set and listed, which that kernel refuses.
// NLTEST_RECORD=1 records it anew.
func TestReplaySeg6(t *testing.T) {
	h := genltest.Replay(t, "seg6.nlconv", func(ns *nstest.NS) { nstest.Require(t, "genl:SEG6") })
	ctx := context.Background()
	if a, err := seg6.TunnelSource(ctx, h); err != nil || a != netip.IPv6Unspecified() {
		t.Errorf("TunnelSource = %v, %v; want ::", a, err)
	}
	want := netip.MustParseAddr("fd00:5e6::1")
	req, _ := seg6.SetTunnelSource(want)
	if err := seg6.Do(ctx, h, req); err != nil {
		t.Fatal(err)
	}
	if a, err := seg6.TunnelSource(ctx, h); err != nil || a != want {
		t.Errorf("TunnelSource after setting it = %v, %v; want %s", a, err, want)
	}
	set, _ := seg6.SetHMAC(7, seg6.SHA256, []byte("s3cret"))
	err := seg6.Do(ctx, h, set)
	if errors.Is(err, seg6.ErrHMACNotSupported) {
		// Recorded on a kernel without HMAC support: the dump fails alike.
		if err := genltest.FirstErr(seg6.HMACKeys(ctx, h)); !errors.Is(err, seg6.ErrHMACNotSupported) {
			t.Errorf("HMACKeys: %v, want ErrHMACNotSupported", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for k, err := range seg6.HMACKeys(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if k.ID() != 7 || k.Algorithm() != seg6.SHA256 || string(k.Secret()) != "s3cret" {
			t.Errorf("key %d %v %q", k.ID(), k.Algorithm(), k.Secret())
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d keys, want 1", n)
	}
}
