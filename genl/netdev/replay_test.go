package netdev_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
)

// TestReplayDevices decodes a recorded session (Linux 6.18, a namespace
// with a veth pair nd0/nd1, up, of two rx and three tx queues) without root:
// the device dump, a get, the queue dump. NLTEST_RECORD=1 records it
// anew.
func TestReplayDevices(t *testing.T) {
	if nltest.Recording() {
		nstest.Require(t, "genl:netdev", "netdev:queue")
	}
	h := genltest.Replay(t, "devices.nlconv", func(ns *nstest.NS) {
		nstest.IP(t, ns, "link", "add", "nd0", "numtxqueues", "3", "numrxqueues", "2", "type", "veth", "peer", "name", "nd1")
		nstest.IP(t, ns, "link", "set", "nd0", "up")
		nstest.IP(t, ns, "link", "set", "nd1", "up")
	})
	ctx := context.Background()
	const nd0 = 3 // its peer, created first, is 2
	n := 0
	for d, err := range netdev.Devices(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if v, ok := d.Get("xdp_features"); !ok || v.String() != strconv.FormatUint(uint64(d.XDPFeatures()), 10) {
			t.Errorf("device %d: by name xdp_features = %v, %v", d.Index(), v, ok)
		}
		if want := netdev.XDPFeatures(0); d.Index() == 1 && d.XDPFeatures() != want {
			t.Errorf("lo: XDP features %v", d.XDPFeatures())
		}
		if d.Index() == nd0 && d.XDPFeatures()&netdev.NetdevXDPActBasic == 0 {
			t.Errorf("nd0: XDP features %v", d.XDPFeatures())
		}
	}
	if n != 3 {
		t.Errorf("%d devices, want lo, nd0, nd1", n)
	}
	d, err := netdev.GetDevice(ctx, h, nd0)
	if err != nil || d.Index() != nd0 {
		t.Fatalf("GetDevice(nd0): %d, %v", d.Index(), err)
	}
	rx, tx := 0, 0
	for q, err := range netdev.Queues(ctx, h, nd0) {
		if err != nil {
			t.Fatal(err)
		}
		if q.Type() == netdev.NetdevQueueTypeRX {
			rx++
		} else {
			tx++
		}
	}
	if rx != 2 || tx != 3 {
		t.Errorf("nd0: %d rx and %d tx queues, want 2 and 3", rx, tx)
	}
}
