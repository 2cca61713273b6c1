package rtm_test

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// replayHandle returns a handle over the conversation recorded in
// testdata/conv/NAME.nlconv: without root, it replays it; with
// NLTEST_RECORD=1 (scripts/capture.sh), it records it anew in a namespace
// that setup fills.
func replayHandle(t *testing.T, name string, setup func(*nstest.NS)) *rtm.Handle {
	t.Helper()
	dial := nltest.Conversation(t, filepath.Join("testdata", "conv", name+".nlconv"))
	opts := []rtm.Option{rtm.WithTransport(dial)}
	if nltest.Recording() {
		ns := nstest.New(t)
		setup(ns)
		opts = append(opts, rtm.WithNetns(ns.Name))
	}
	h, err := rtm.Dial(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// buildVaried is scripts/lib.sh's build_varied_ns, minus what the kernel
// sets up asynchronously (IPv6 routes, neighbours), so that a recording
// holds the same objects whenever it is made.
func buildVaried(t *testing.T, ns *nstest.NS) {
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "veth0", "type", "veth", "peer", "name", "veth1"},
		{"link", "add", "br0", "type", "bridge"},
		{"link", "set", "veth1", "master", "br0"},
		{"link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "192.0.2.1", "dev", "veth0"},
		{"link", "add", "mv0", "link", "veth0", "type", "macvlan", "mode", "bridge"},
		{"link", "set", "veth0", "mtu", "1400"},
		{"link", "set", "veth0", "up"},
		{"link", "set", "br0", "up"},
		{"addr", "add", "192.0.2.1/24", "dev", "veth0"},
		{"addr", "add", "192.0.2.2/24", "dev", "veth0"},
		{"addr", "add", "203.0.113.1/24", "brd", "+", "dev", "br0", "label", "br0:a"},
		{"addr", "add", "2001:db8:1::1/64", "dev", "veth0", "nodad"},
		{"route", "add", "198.51.100.0/25", "via", "192.0.2.254", "dev", "veth0", "metric", "10"},
		{"route", "add", "blackhole", "192.0.2.128/25", "table", "1000"},
	} {
		nstest.IP(t, ns, args...)
	}
}

// TestReplayViews decodes links, addresses and routes from a recorded
// kernel conversation, and checks the errors the kernel sent, without
// root.
func TestReplayViews(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "views", func(ns *nstest.NS) { buildVaried(t, ns) })

	links := map[string]rtm.Link{}
	for l, err := range h.Links(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		links[l.Name()] = l.Clone()
	}
	for name, kind := range map[string]string{"veth0": "veth", "veth1": "veth", "br0": "bridge", "vx0": "vxlan", "mv0": "macvlan"} {
		if l, ok := links[name]; !ok || l.Kind() != kind {
			t.Errorf("link %s: present %v, kind %q; want kind %q", name, ok, l.Kind(), kind)
		}
	}
	if l := links["veth0"]; l.MTU() != 1400 || !l.IsUp() {
		t.Errorf("veth0: mtu %d, up %v; want 1400, up", l.MTU(), l.IsUp())
	}
	if m := links["veth1"].MasterIndex(); m == 0 || m != links["br0"].Index() {
		t.Errorf("veth1's master is index %d, want br0's %d", m, links["br0"].Index())
	}
	l, err := h.LinkByName(ctx, "veth0")
	if err != nil || l.Index() != links["veth0"].Index() {
		t.Errorf("LinkByName(veth0) = index %d, %v; want %d", l.Index(), err, links["veth0"].Index())
	}
	if _, err := h.LinkByName(ctx, "nosuch0"); !errors.Is(err, unix.ENODEV) {
		t.Errorf("LinkByName(nosuch0): %v, want ENODEV", err)
	}

	addrs := map[netip.Prefix]string{}
	for a, err := range h.Addrs(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		addrs[a.Prefix()] = a.Label()
	}
	for _, p := range []string{"192.0.2.1/24", "192.0.2.2/24", "203.0.113.1/24", "2001:db8:1::1/64"} {
		if _, ok := addrs[netip.MustParsePrefix(p)]; !ok {
			t.Errorf("address %s missing from %v", p, addrs)
		}
	}
	if lb := addrs[netip.MustParsePrefix("203.0.113.1/24")]; lb != "br0:a" {
		t.Errorf("203.0.113.1/24 label %q, want br0:a", lb)
	}

	var via, blackhole bool
	for r, err := range h.Routes(ctx, &rtm.RouteFilter{Family: unix.AF_INET}) {
		if err != nil {
			t.Fatal(err)
		}
		switch r.Dst() {
		case netip.MustParsePrefix("198.51.100.0/25"):
			via = r.Gateway() == netip.MustParseAddr("192.0.2.254") && r.Priority() == 10 && r.Table() == unix.RT_TABLE_MAIN
		case netip.MustParsePrefix("192.0.2.128/25"):
			blackhole = r.Type() == unix.RTN_BLACKHOLE && r.Table() == 1000
		}
	}
	if !via || !blackhole {
		t.Errorf("route via 192.0.2.254 metric 10 decoded: %v; blackhole in table 1000: %v", via, blackhole)
	}

	// The kernel's refusals come back as errors that wrap the errno and
	// name the operation, and a batch reports each request.
	dup := rtm.AddrSpec{Index: links["veth0"].Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")}
	if err := h.AddrAdd(ctx, dup); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding an existing address: %v, want EEXIST", err)
	}
	b := h.NewBatch()
	fresh := rtm.AddrSpec{Index: links["veth0"].Index(), Prefix: netip.MustParsePrefix("192.0.2.3/24")}
	if err := errors.Join(b.AddrAdd(fresh), b.AddrAdd(dup)); err != nil {
		t.Fatal(err)
	}
	results, err := b.Run(ctx)
	var be *socket.BatchError
	if !errors.As(err, &be) || be.First != 1 || len(results) != 2 || results[0] != nil || !errors.Is(results[1], unix.EEXIST) {
		t.Errorf("batch of a new and an existing address: %v, %v; want request 1 to fail with EEXIST", results, err)
	}
}
