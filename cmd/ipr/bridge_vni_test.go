package main

import (
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// vniTestEntry is one VXLAN_VNIFILTER_ENTRY of a built tunnel message.
type vniTestEntry struct {
	start, end uint32
	group      string // an IPv4 or IPv6 address, "" for none
	stats      bool
}

// vniEvents builds tunnel notifications as the kernel sends them and some
// it does not (ranges, counters, other families, no entries), in the
// format of "bridge monitor file".
func vniEvents(t *testing.T) []byte {
	var b wire.Builder
	msg := func(typ uint16, family uint8, index uint32, entries ...vniTestEntry) {
		b.Begin(typ, 0)
		if h := b.Fixed(sizeofTunnelMsg); h != nil {
			h[0] = family
			binary.NativeEndian.PutUint32(h[4:], index)
		}
		for _, e := range entries {
			n := b.BeginNest(vniFilterEntry)
			b.Uint32(vniEntryStart, e.start)
			if e.end != 0 {
				b.Uint32(vniEntryEnd, e.end)
			}
			if e.group != "" {
				a := netip.MustParseAddr(e.group)
				typ := uint16(vniEntryGroup6)
				if a.Is4() {
					typ = vniEntryGroup
				}
				b.Binary(typ, a.AsSlice())
			}
			if e.stats {
				s := b.BeginNest(vniEntryStats)
				for i := uint16(1); i <= 8; i++ {
					b.Uint64(i, uint64(i)*1111111111)
				}
				b.EndNest(s)
			}
			b.EndNest(n)
		}
		b.End()
	}
	msg(rtmNewTunnel, unix.AF_BRIDGE, 1, vniTestEntry{start: 100})
	msg(rtmNewTunnel, unix.AF_BRIDGE, 1, vniTestEntry{start: 200, end: 210, group: "239.1.1.1"},
		vniTestEntry{start: 300, end: 300, group: "2001:db8::1"}, vniTestEntry{start: 400, group: "0.0.0.0"},
		vniTestEntry{start: 500, group: "ff0e::5", stats: true}, vniTestEntry{start: 16777215, group: "::"})
	msg(rtmDelTunnel, unix.AF_BRIDGE, 1, vniTestEntry{start: 600, group: "198.51.100.7"})
	msg(rtmNewTunnel, unix.AF_INET, 1, vniTestEntry{start: 700})
	msg(rtmDelTunnel, unix.AF_BRIDGE, 1)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBridgeMonitorVNIFileMatchesBridge prints built tunnel notifications
// from a file with bridge and ipr bridge: VNIs alone and in ranges, IPv4
// and IPv6 groups and remotes, unspecified addresses, counters, deletions
// and the messages bridge leaves out.
func TestBridgeMonitorVNIFileMatchesBridge(t *testing.T) {
	ns := nstest.New(t)
	file := filepath.Join(t.TempDir(), "events")
	if err := os.WriteFile(file, vniEvents(t), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"monitor", "file", file}, {"monitor", "file", file, "vni"}, {"monitor", "file", file, "all"},
	} {
		sameAsBridge(t, ns, args...)
	}
	// The events reach every part of the printer.
	out, _, _ := bridgeIn(ns, "", "monitor", "file", file)
	for _, want := range []string{"lo                 100           \n\n", " 200-210             239.1.1.1\n", " 300 2001:db8::1\n",
		"RX: bytes 1111111111 pkts 2222222222 drops 3333333333 errors 4444444444", "Deleted lo                 600            198.51.100.7"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// TestBridgeMonitorVNIMatchesBridge runs both monitors of VNI filter
// changes on one namespace and compares what they print.
func TestBridgeMonitorVNIMatchesBridge(t *testing.T) {
	nstest.Require(t, "link:veth", "link:vxlan", "vnifilter")
	ns := nstest.New(t)
	ipCommands(t, ns, "link add p0 type veth peer name q0", "link add vx0 type vxlan dstport 4789 external vnifilter",
		"link add vx1 type vxlan dstport 4790 external vnifilter dev p0")
	// startMonitors sees a subscription in /proc/net/netlink, which shows
	// only the first 32 groups: with "vni" alone (group 35) it would see
	// none, hence "link" too.
	for _, opts := range [][]string{{"monitor", "vni", "link"}, {"monitor", "all"}, {"monitor"}} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			bOut, iOut := startMonitors(t, append([]string{"bridge", "-n", ns.Name}, opts...),
				append([]string{"bridge", "-n", ns.Name}, opts...))
			for _, cmd := range []string{
				"vni add dev vx0 vni 100", "vni add dev vx0 vni 200-202", "vni add dev vx1 vni 300 group 239.1.1.1",
				"vni add dev vx1 vni 301 group ff0e::1", "vni add dev vx0 vni 400 remote 2001:db8::1",
				"vni delete dev vx0 vni 100", "vni delete dev vx1 vni 300", "vni delete dev vx0 vni 200-202",
				"vni delete dev vx1 vni 301", "vni delete dev vx0 vni 400",
			} {
				if out, err := exec.Command("bridge", append([]string{"-n", ns.Name}, strings.Fields(cmd)...)...).CombinedOutput(); err != nil {
					t.Fatalf("bridge %s: %v %s", cmd, err, out)
				}
			}
			// The last change's line, of its tunnel or FDB event, ends
			// the comparison.
			done := func(s string) bool {
				lines := strings.Split(strings.TrimSpace(s), "\n")
				last := lines[len(lines)-1]
				return strings.Contains(last, "Deleted") && strings.Contains(last, "2001:db8::1")
			}
			var got, want string
			for range 2000 {
				got, want = iOut.String(), bOut.String()
				if got == want && done(got) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			if got != want {
				t.Errorf("ipr bridge %s differs from bridge: %s", strings.Join(opts, " "), firstDiff(got, want))
			}
		})
	}
}
