package netdev_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"golang.org/x/sys/unix"
)

func dialNS(t *testing.T) (*genl.Handle, *nstest.NS, context.Context) {
	t.Helper()
	h, ns := genltest.DialNS(t, "genl:netdev")
	ctx := testrun.Context(t, time.Minute) // a bound, not a measure
	return h, ns, ctx
}

// ipIndexes are the interface indexes `ip -j link show` lists.
func ipIndexes(t *testing.T, ns *nstest.NS) []uint32 {
	var links []struct {
		Index uint32 `json:"ifindex"`
		Name  string `json:"ifname"`
	}
	nstest.IPJSON(t, ns, &links, "link", "show")
	var idx []uint32
	for _, l := range links {
		idx = append(idx, l.Index)
	}
	slices.Sort(idx)
	return idx
}

// TestDevices dumps the devices of a namespace with a veth pair and
// compares their indexes with ip's; a veth has XDP features, loopback
// none.
func TestDevices(t *testing.T) {
	h, ns, ctx := dialNS(t)
	nstest.IP(t, ns, "link", "add", "nd0", "type", "veth", "peer", "name", "nd1")
	var got []uint32
	feats := map[uint32]netdev.XDPFeatures{}
	for d, err := range netdev.Devices(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d.Index())
		feats[d.Index()] = d.XDPFeatures()
	}
	slices.Sort(got)
	if want := ipIndexes(t, ns); !slices.Equal(got, want) {
		t.Errorf("Devices: indexes %v, ip link: %v", got, want)
	}
	if feats[1] != 0 {
		t.Errorf("lo's XDP features: %v", feats[1])
	}
	d, err := netdev.GetDevice(ctx, h, got[len(got)-1])
	if err != nil {
		t.Fatal(err)
	}
	if d.Index() != got[len(got)-1] || d.XDPFeatures() != feats[d.Index()] || d.XDPFeatures()&netdev.NetdevXDPActBasic == 0 {
		t.Errorf("GetDevice(%d): index %d, XDP features %v (dump: %v)", got[len(got)-1], d.Index(), d.XDPFeatures(), feats[d.Index()])
	}
	if !strings.Contains(d.XDPFeatures().String(), "basic") {
		t.Errorf("XDP features %q", d.XDPFeatures())
	}
	if _, err := netdev.GetDevice(ctx, h, 999); !errors.Is(err, unix.ENODEV) {
		t.Errorf("GetDevice(999): %v, want ENODEV", err)
	}
}

// TestQueues lists a veth's queues and compares them with sysfs's
// (queues/rx-N, tx-N).
func TestQueues(t *testing.T) {
	h, ns, ctx := dialNS(t)
	nstest.Require(t, "netdev:queue")
	nstest.IP(t, ns, "link", "add", "nq0", "numtxqueues", "3", "numrxqueues", "2", "type", "veth", "peer", "name", "nq1")
	nstest.IP(t, ns, "link", "set", "nq0", "up")
	nstest.IP(t, ns, "link", "set", "nq1", "up")
	var links []struct {
		Index uint32 `json:"ifindex"`
	}
	nstest.IPJSON(t, ns, &links, "link", "show", "nq0")
	if len(links) != 1 {
		t.Fatalf("ip -j link show nq0: %d links", len(links))
	}
	var got []string
	for q, err := range netdev.Queues(ctx, h, links[0].Index) {
		if err != nil {
			t.Fatal(err)
		}
		if q.Index() != links[0].Index {
			t.Errorf("queue of device %d in a dump of %d", q.Index(), links[0].Index)
		}
		got = append(got, [...]string{"rx-", "tx-"}[q.Type()&1]+string(rune('0'+q.ID())))
	}
	slices.Sort(got)
	want := strings.Fields(nstest.Run(t, ns, "ls", "/sys/class/net/nq0/queues"))
	if !slices.Equal(got, want) {
		t.Errorf("Queues: %v, sysfs: %v", got, want)
	}
	q, err := netdev.GetQueue(ctx, h, links[0].Index, netdev.NetdevQueueTypeTX, 2)
	if err != nil || q.ID() != 2 || q.Type() != netdev.NetdevQueueTypeTX {
		t.Errorf("GetQueue(tx 2) = id %d type %d, %v", q.ID(), q.Type(), err)
	}
	if _, err := netdev.GetQueue(ctx, h, links[0].Index, 7, 0); err == nil {
		t.Error("GetQueue of type 7 succeeded")
	}
	// A veth has no NAPI instance until XDP or GRO asks for one: the
	// dump is empty, but the kernel answers it.
	if nstest.Have(t, "netdev:napi") {
		for n, err := range netdev.NAPIs(ctx, h, links[0].Index) {
			if err != nil {
				t.Fatal(err)
			}
			if n.Index() != links[0].Index || n.ID() == 0 {
				t.Errorf("NAPI %d of device %d", n.ID(), n.Index())
			}
		}
	}
}

// TestMonitor watches devices appear, change and disappear; Sync is the
// barrier after each change.
func TestMonitor(t *testing.T) {
	h, ns, ctx := dialNS(t)
	m, err := netdev.Monitor(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	events := func() []string {
		id, err := m.Sync()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for ev, err := range m.Events(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Sync == id {
				break
			}
			if ev.Overrun || ev.Sync != 0 {
				continue
			}
			d, err := netdev.ParseDevice(ev.Message)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, [...]string{"", "", "add", "del", "change"}[min(ev.Command, 4)])
			_ = d.Index()
		}
		return got
	}
	nstest.IP(t, ns, "link", "add", "nm0", "type", "veth", "peer", "name", "nm1")
	// Both devices appear; registering the peer may change the first.
	if got := events(); len(got) < 2 || got[0] != "add" || countOf(got, "add") != 2 {
		t.Errorf("after link add: %v", got)
	}
	nstest.IP(t, ns, "link", "del", "nm0")
	if got := events(); !slices.Contains(got, "del") {
		t.Errorf("after link del: %v", got)
	}
}

// TestBadInput checks the arguments refused before sending, and a kernel
// without the family.
func TestBadInput(t *testing.T) {
	h, fake := genltest.NoFamilies(t)
	ctx := context.Background()
	if _, err := netdev.GetDevice(ctx, h, 0); err == nil {
		t.Error("GetDevice(0) succeeded")
	}
	if _, err := netdev.GetQueue(ctx, h, 1, 9, 0); err == nil {
		t.Error("GetQueue of type 9 succeeded")
	}
	if _, err := netdev.GetNAPI(ctx, h, 0); err == nil {
		t.Error("GetNAPI(0) succeeded")
	}
	if n := fake.Requests(unix.GENL_ID_CTRL); n != 0 {
		t.Errorf("invalid requests sent %d lookups", n)
	}
	genltest.WantNotFound(t, "Devices", "netdev", genltest.FirstErr(netdev.Devices(ctx, h)))
	_, err := netdev.Monitor(ctx, h)
	genltest.WantNotFound(t, "Monitor", "netdev", err)
}

func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
