package main

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// bridgeIn runs "ipr bridge -n NS ARGS" in-process.
func bridgeIn(ns *nstest.NS, stdin string, args ...string) (stdout, stderr string, code int) {
	return iprIn(nil, stdin, append([]string{"bridge", "-n", ns.Name}, args...)...)
}

// sameAsBridge compares one bridge command line of ipr with iproute2's
// bridge: standard output, standard error and exit status.
func sameAsBridge(t *testing.T, ns *nstest.NS, args ...string) {
	t.Helper()
	sameAsBridgeIn(t, ns, ns, args...)
}

// sameAsBridgeIn is sameAsBridge with ipr in ours and bridge in theirs:
// twin namespaces, for commands that change them.
func sameAsBridgeIn(t *testing.T, ours, theirs *nstest.NS, args ...string) {
	t.Helper()
	out, errs, code := bridgeIn(ours, "", args...)
	bOut, bErrs, bCode := runCmd(t, exec.Command("bridge", append([]string{"-n", theirs.Name}, args...)...), "")
	if out != bOut || errs != bErrs || code != bCode {
		t.Errorf("bridge %s:\nipr (exit %d): %q %q\nbridge (exit %d): %q %q",
			strings.Join(args, " "), code, out, errs, bCode, bOut, bErrs)
	}
}

// bridgeNamespace is a bridge with two veth ports, one up, and FDB
// entries of each kind but dynamic ones: the kernel refuses those (EPERM)
// until the port has reached the forwarding state, which comes later.
func bridgeNamespace(t *testing.T) *nstest.NS {
	nstest.Require(t, "link:bridge", "link:veth")
	ns := nstest.New(t)
	// No IPv6 and no multicast snooping: nothing learned from traffic or
	// joined behind the monitors' backs, and no MDB entries, which ipr
	// does not print yet.
	for _, knob := range []string{"net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"} {
		if out, err := exec.Command("ip", "netns", "exec", ns.Name, "sysctl", "-qw", knob).CombinedOutput(); err != nil {
			t.Fatalf("sysctl %s: %v %s", knob, err, out)
		}
	}
	ipCommands(t, ns,
		"link add br0 type bridge mcast_snooping 0", "link add p0 type veth peer name q0", "link add p1 type veth peer name q1",
		"link set p0 master br0", "link set p1 master br0", "link set br0 up", "link set p0 up", "link set q0 up",
		"link set p1 type bridge_slave cost 7 priority 9 hairpin on learning off",
	)
	for _, cmd := range []string{
		"fdb add 02:00:00:00:00:01 dev p0 master", "fdb add 02:00:00:00:00:02 dev p0 master static",
		"fdb add 02:00:00:00:00:04 dev p1 master sticky static",
		"fdb add 02:00:00:00:00:05 dev p0 self",
	} {
		if _, errs, code := runCmd(t, exec.Command("bridge", append([]string{"-n", ns.Name}, strings.Fields(cmd)...)...), ""); code != 0 {
			t.Fatalf("bridge %s: %s", cmd, errs)
		}
	}
	return ns
}

// TestBridgeMatchesIproute2 compares "ipr bridge" with iproute2's
// bridge: listings with every filter and option, and failures.
//
// (-s is left out: its used/updated ages, in seconds, may tick between
// the two runs.)
func TestBridgeMatchesIproute2(t *testing.T) {
	ns := bridgeNamespace(t)
	for _, cmd := range []string{
		"fdb", "-j fdb", "fdb show", "fdb list", "fdb lst", "-j -p fdb", "fdb show br br0",
		"fdb show dev p0", "fdb show brport p1", "fdb show br br0 dev p1", "fdb show state permanent",
		"fdb show state static", "fdb show state stale", "fdb show state reachable", "fdb show state all",
		"fdb show state 0x80", "fdb show dynamic", "fdb show vlan 1", "fdb show vlan 5", "-o fdb",
		"fdb show br nope", "fdb show dev nope", "fdb show state foo", "fdb show vlan 1 vlan 2", "fdb show dev",
		"link", "-j link", "-d link", "-d -j link", "-o -d link", "link show", "link list", "link show dev p1",
		"link show dev nope", "link show dev p0 dev p1", "-d -j -p link",
		"help", "frob", "fdb help", "link help", "fdb frob", "link frob", "-x", "", "-family", "-family foo fdb",
		"-f inet6 fdb", "-4 fdb", "-help", "monitor help", "monitor frob",
		"fdb add 02:00:00:00:00:09", "fdb add zz dev p0", "fdb add 02:00:00:00:00:09 dev nope",
		"fdb add 02:00:00:00:00:09 dev p0 nhid 5 dst 10.1.1.1", "fdb add 02:00:00:00:00:01 dev p0 master",
		"fdb del 02:00:00:00:00:77 dev p0 master", "fdb add 02:00:00:00:00:09 dev p0 port 99999",
		"fdb add 02:00:00:00:00:09 dev p0 vni 0x1000000", "fdb add 02:00:00:00:00:09 dev p0 dst foo",
		"fdb add 02:00:00:00:00:09 02:00:00:00:00:0a dev p0", "fdb add to", "fdb add 02:00:00:00:00:09 dev p0 via nope",
		"fdb get 02:00:00:00:00:01 br br0", "fdb get 02:00:00:00:00:02 dev p0 master", "-j fdb get 02:00:00:00:00:02 br br0",
		"fdb get to 02:00:00:00:00:04 br br0 dynamic", "fdb get 02:00:00:00:00:05 dev p0 self",
		"fdb get 02:00:00:00:00:77 br br0", "fdb get 02:00:00:00:00:01", "fdb get zz br br0", "fdb get 02:00:00:00:00:01 br nope",
		"fdb get 02:00:00:00:00:01 dev nope", "fdb get 02:00:00:00:00:01 br br0 vlan 1 vlan 2", "fdb get 02:00:00:00:00:01 br br0 vni x",
	} {
		sameAsBridge(t, ns, strings.Fields(cmd)...)
	}
}

// TestBridgeChanges applies FDB changes with bridge and with ipr bridge
// to twin namespaces and compares the entries bridge then lists.
func TestBridgeChanges(t *testing.T) {
	ours, theirs := bridgeNamespace(t), bridgeNamespace(t)
	for _, cmd := range []string{
		"fdb add 02:00:00:00:01:01 dev p0 master", "fdb append 02:00:00:00:01:02 dev p1 master static",
		"fdb replace 02:00:00:00:00:03 dev p0 master static", "fdb replace 02:00:00:00:01:03 dev p0 master static",
		"fdb del 02:00:00:00:00:01 dev p0 master", "fdb add 02:00:00:00:01:04 dev p0 self permanent",
		"fdb add 02:00:00:00:01:05 dev p1 master extern_learn", "fdb del 02:00:00:00:00:05 dev p0 self",
		"fdb add to 02:00:00:00:01:06 dev p1 master sticky static",
		"link set dev p1 cost 9 priority 7 state 3 learning on flood off",
		"link set dev p0 hairpin on guard on root_block on fastleave on mcast_flood off bcast_flood off neigh_suppress on isolated on",
		"link set dev p1 state blocking", "link change dev p0 state -1 cost 5", "link set dev p0 state 300",
		"link set dev p1 state foo", "link set dev p1 learning maybe", "link set cost 3", "link set dev nope cost 3",
		"link set dev q0 cost 3", "link set dev p1 frob",
		"link set dev p0 hwmode vepa", "link set dev p1 hwmode foo", "link set dev p1 hwmode",
		"link set dev br0 hwmode vepa self", "link set dev p1 master learning_sync on", "link set dev q0 self",
		"link set dev p1 self cost 4", "link set dev p1 cost 6 master", "link set dev p0 priority 70000 mcast_router 300",
	} {
		sameAsBridgeIn(t, ours, theirs, strings.Fields(cmd)...)
	}
	entries := func(ns *nstest.NS) string {
		out, _, _ := runCmd(t, exec.Command("bridge", "-n", ns.Name, "fdb", "show", "br", "br0"), "")
		var kept []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "02:00:00:00:") {
				kept = append(kept, line)
			}
		}
		return strings.Join(kept, "\n")
	}
	if got, want := entries(ours), entries(theirs); got != want {
		t.Errorf("entries after ipr's changes:\n%s\nafter bridge's:\n%s", got, want)
	}
	ports := func(ns *nstest.NS) string {
		out, _, _ := runCmd(t, exec.Command("bridge", "-n", ns.Name, "-d", "-j", "link", "show"), "")
		return out
	}
	if got, want := ports(ours), ports(theirs); got != want {
		t.Errorf("ports after ipr's changes:\n%s\nafter bridge's:\n%s", got, want)
	}
}

// TestBridgeMonitorMatchesIproute2 runs both monitors on one namespace
// and compares what they print of link and FDB changes.
func TestBridgeMonitorMatchesIproute2(t *testing.T) {
	ns := bridgeNamespace(t)
	for _, opts := range [][]string{{"monitor"}, {"monitor", "all"}, {"monitor", "fdb"}, {"monitor", "link"}, {"-d", "monitor", "all"}, {"-j", "monitor"}} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			bOut, iOut := startMonitors(t, append([]string{"bridge", "-n", ns.Name}, opts...),
				append([]string{"bridge", "-n", ns.Name}, opts...))
			for _, cmd := range []string{
				"bridge fdb add 02:00:00:00:02:01 dev p0 master", "bridge fdb del 02:00:00:00:02:01 dev p0 master",
				"ip link set p1 nomaster", "ip link set p1 master br0", "ip link set p0 down", "ip link set p0 up",
				"ip link set p1 type bridge_slave cost 3", "bridge fdb add 02:00:00:00:02:02 dev p1 master static",
				"ip link set br0 down", "ip link set br0 up",
			} {
				f := strings.Fields(cmd)
				exec.Command(f[0], append([]string{"-n", ns.Name}, f[1:]...)...).Run()
			}
			// Events from before the first change (a carrier coming up
			// late, p1's port settling after the previous subtest) may
			// reach one monitor and not the other: compare from the
			// first change's line on: the first FDB entry's, or, for
			// links alone, p1's first line without its master.
			// The FDB line is looked for first: a leftover p1 line may
			// come before it in one monitor only.
			fromFirst := func(s string) string {
				for _, first := range []func(string) bool{
					func(line string) bool { return strings.Contains(line, "02:00:00:00:02:01") },
					func(line string) bool {
						return strings.Contains(line, "p1@q1") && !strings.Contains(line, "master br0")
					},
				} {
					at := 0
					for _, line := range strings.SplitAfter(s, "\n") {
						if first(line) {
							return s[at:]
						}
						at += len(line)
					}
				}
				return s
			}
			got, want := awaitSame(func() string { return fromFirst(iOut.String()) }, func() string { return fromFirst(bOut.String()) },
				func(s string) bool { return strings.Contains(s, "br0") || strings.Contains(s, "02:00:00:00:02:02") })
			if got != want {
				t.Errorf("ipr bridge %s differs from bridge: %s", strings.Join(opts, " "), firstDiff(got, want))
			}
			// The next subtest starts from the same entries.
			exec.Command("bridge", "-n", ns.Name, "fdb", "del", "02:00:00:00:02:02", "dev", "p1", "master").Run()
		})
	}
}

// TestBridgeArgv0 runs ipr through a link named "bridge".
func TestBridgeArgv0(t *testing.T) {
	ns := bridgeNamespace(t)
	dir := t.TempDir()
	link := filepath.Join(dir, "bridge")
	if err := os.Symlink(os.Args[0], link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-n", ns.Name, "-j", "fdb"}, {"-n", ns.Name, "link"}, {"frob"}} {
		cmd := exec.Command(link, args...)
		cmd.Env = append(os.Environ(), cliMainEnv+"=1")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		bOut, bErrs, bCode := runCmd(t, exec.Command("bridge", args...), "")
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if out.String() != bOut || errb.String() != bErrs || code != bCode {
			t.Errorf("%v: ipr as bridge (exit %d): %q %q; bridge (exit %d): %q %q", args, code, out.String(), errb.String(), bCode, bOut, bErrs)
		}
	}
}

// TestBridgeBatchMatchesIproute2 runs a batch file, with and without
// -force, through bridge and ipr bridge on twin namespaces.
func TestBridgeBatchMatchesIproute2(t *testing.T) {
	batch := filepath.Join(t.TempDir(), "batch")
	os.WriteFile(batch, []byte("fdb add 02:00:00:00:00:31 dev p0 master\nfdb show dev p0 state static\n"+
		"fdb add 02:00:00:00:00:31 dev p0 master\nlink show dev nope\nfdb del 02:00:00:00:00:31 dev p0 master\nlink show dev p1\n"), 0o644)
	for _, force := range [][]string{nil, {"-force"}} {
		ours, theirs := bridgeNamespace(t), bridgeNamespace(t)
		args := append(force, "-batch", batch)
		out, errs, code := bridgeIn(ours, "", args...)
		bOut, bErrs, bCode := runCmd(t, exec.Command("bridge", append([]string{"-n", theirs.Name}, args...)...), "")
		if out != bOut || errs != bErrs || code != bCode {
			t.Errorf("bridge %v:\nipr (exit %d): %q %q\nbridge (exit %d): %q %q", args, code, out, errs, bCode, bOut, bErrs)
		}
	}
}

// The layout of tunnel messages (linux/if_link.h), for building them.
const (
	sizeofTunnelMsg = 8 // struct tunnel_msg: family, flags, reserved, ifindex
	vniFilterEntry  = 1 // VXLAN_VNIFILTER_ENTRY: nest
	vniEntryStart   = 1 // VXLAN_VNIFILTER_ENTRY_START: u32
	vniEntryEnd     = 2 // VXLAN_VNIFILTER_ENTRY_END: u32
	vniEntryGroup   = 3 // VXLAN_VNIFILTER_ENTRY_GROUP: IPv4 address
	vniEntryGroup6  = 4 // VXLAN_VNIFILTER_ENTRY_GROUP6: IPv6 address
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
func vniEvents() ([]byte, error) {
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
	for _, m := range []struct {
		typ     uint16
		family  uint8
		entries []vniTestEntry
	}{
		{unix.RTM_NEWTUNNEL, unix.AF_BRIDGE, []vniTestEntry{{start: 100}}},
		{unix.RTM_NEWTUNNEL, unix.AF_BRIDGE, []vniTestEntry{{start: 200, end: 210, group: "239.1.1.1"},
			{start: 300, end: 300, group: "2001:db8::1"}, {start: 400, group: "0.0.0.0"},
			{start: 500, group: "ff0e::5", stats: true}, {start: 16777215, group: "::"}}},
		{unix.RTM_DELTUNNEL, unix.AF_BRIDGE, []vniTestEntry{{start: 600, group: "198.51.100.7"}}},
		{unix.RTM_NEWTUNNEL, unix.AF_INET, []vniTestEntry{{start: 700}}}, // not printed
		{unix.RTM_DELTUNNEL, unix.AF_BRIDGE, nil},
	} {
		msg(m.typ, m.family, 1, m.entries...)
	}
	return b.Bytes(), b.Err()
}

// TestBridgeMonitorVNIFileMatchesBridge prints built tunnel notifications
// from a file with bridge and ipr bridge: VNIs alone and in ranges, IPv4
// and IPv6 groups and remotes, unspecified addresses, counters, deletions
// and the messages bridge leaves out.
func TestBridgeMonitorVNIFileMatchesBridge(t *testing.T) {
	events, err := vniEvents()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "events")
	if err := os.WriteFile(file, events, 0o644); err != nil {
		t.Fatal(err)
	}
	ns := nstest.New(t)
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
			got, want := awaitSame(iOut.String, bOut.String, done)
			if got != want {
				t.Errorf("ipr bridge %s differs from bridge: %s", strings.Join(opts, " "), firstDiff(got, want))
			}
		})
	}
}
