package rtm_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestReplayRtobj decodes recorded netconf, address label, MDB and
// statistics replies, without root.
func TestReplayRtobj(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "rtobj", func(ns *nstest.NS) {
		bridgedVethNS(t, ns, []string{"addrlabel", "add", "prefix", "2001:db8:7::/48", "label", "77"})
		nstest.Run(t, ns, "bridge", "mdb", "add", "dev", "br0", "port", "veth1", "grp", "239.1.1.1", "permanent")
		nstest.Run(t, ns, "sysctl", "-qw", "net.ipv4.conf.veth0.forwarding=1")
	})
	veth0, veth1, br := index(t, h, "veth0"), index(t, h, "veth1"), index(t, h, "br0")

	forwarding := false
	for c, err := range h.Netconfs(ctx, unix.AF_INET) {
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := c.Forwarding(); c.Index() == veth0 && f == 1 {
			forwarding = true
		}
	}
	if !forwarding {
		t.Error("veth0's forwarding not seen")
	}

	label := false
	for l, err := range h.AddrLabels(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := l.Label(); l.Prefix() == netip.MustParsePrefix("2001:db8:7::/48") && v == 77 {
			label = true
		}
	}
	if !label {
		t.Error("label 77 not seen")
	}

	entry := false
	for m, err := range h.MDB(ctx, br) {
		if err != nil {
			t.Fatal(err)
		}
		for e := range m.Entries() {
			if e.PortIndex == veth1 && e.Group == netip.MustParseAddr("239.1.1.1") && e.State == rtm.MDBPermanent {
				entry = true
			}
		}
	}
	if !entry {
		t.Error("MDB entry not seen")
	}

	s, err := h.LinkStatsGet(ctx, veth1, &rtm.StatsFilter{Mask: rtm.StatsLink64 | rtm.StatsXstatsSlave})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.BridgeSTP(true); !ok || s.Index() != veth1 {
		t.Errorf("veth1's STP counters missing (index %d)", s.Index())
	}
	for n, err := range h.NetnsIDs(ctx, nil) {
		t.Errorf("unexpected nsid %d, %v", n.ID(), err)
	}
}
