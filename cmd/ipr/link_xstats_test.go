package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
)

// linkXstatsGoldenCommands are the command lines compared with ip's
// output for statsFakeMessage, bond left out: ip 6.1 crashes on it (its
// bond_print_stats_attr writes past its table), and TestLinkXstatsBond
// checks it.
var linkXstatsGoldenCommands = []string{
	"link xstats type bridge", "-j link xstats type bridge_slave", "link xstats type bridge_slave dev p0 stp",
	"-j link xstats type bridge igmp", "link xstats type bridge dev p1",
	"link afstats", "-j link afstats", "-s -h link afstats", "link afstats dev p0", "link afstats dev p1",
	"-f inet link afstats", "-M link afstats", "-o link afstats",
}

// TestLinkXstatsPrintAsIP prints the message of TestStatsPrintAsIP (every
// group filled, the bond and MPLS ones included) with "link xstats" and
// "link afstats", and compares with what ip 6.1 printed for it under the
// fakertnl shim (testdata/linkxstatsprint.txt; IPR_LINKXSTATS_WRITE=1
// rewrites it, with gcc and ip).
func TestLinkXstatsPrintAsIP(t *testing.T) {
	if binaryNativeIsBig() {
		t.Skip("the golden is little-endian")
	}
	useStatsFake(t, statsFakeMessage())
	compareShimGoldens(t, filepath.Join("testdata", "linkxstatsprint.txt"), "IPR_LINKXSTATS_WRITE",
		[][]byte{statsFakeMessage()}, linkXstatsGoldenCommands)
}

// TestLinkXstatsBond checks "link xstats type bond" on the built message,
// which ip cannot print: the lines of bond_print_3ad_stats, as "ip stats
// show group xstats subgroup bond" prints them (its golden), under the
// name line of bond_print_stats_attr, for the device and then the port
// group.
func TestLinkXstatsBond(t *testing.T) {
	if binaryNativeIsBig() {
		t.Skip("the message is little-endian")
	}
	useStatsFake(t, statsFakeMessage())
	var lines strings.Builder
	for i, c := range bond3ADCounters {
		lines.WriteString(statsIndent + "    " + strings.Replace(c.format, "%d", fmt.Sprint((i+1)*11), 1))
	}
	name := "p0" + strings.Repeat(" ", 14) + "\n"
	want := name + lines.String() + name + lines.String()
	for _, cmd := range []string{"link xstats type bond", "link xstats type bond_slave 802.3ad dev p0"} {
		out, errs, code := iprIn(nil, "", strings.Fields(cmd)...)
		if code != 0 || out != want {
			t.Errorf("ipr %s: exit %d, stderr %q\n%s\nwant:\n%s", cmd, code, errs, out, want)
		}
	}
	out, _, code := iprIn(nil, "", "-j", "link", "xstats", "type", "bond", "dev", "p1")
	if code != 0 || out != "[]\n" {
		t.Errorf("ipr -j link xstats type bond dev p1: exit %d, %q", code, out)
	}
	out, _, _ = iprIn(nil, "", "-j", "link", "xstats", "type", "bond", "lacp")
	if want := `[{"ifname":"p0","802.3ad":{"lacpdu_rx":11,`; !strings.HasPrefix(out, want) {
		t.Errorf("ipr -j link xstats type bond: %q, want it to start with %q", out, want)
	}
}

// TestLinkXstatsMatchIP runs "link xstats" and "link afstats" through ipr
// and ip in a namespace with a bridge that counts multicast (and is the
// querier, so that it sends IGMP and MLD queries) with two veth ports,
// whose counters move while the links are up and are still once they are
// down again; standard output, standard error and exit status must be
// the same byte for byte. (ip 6.1 crashes on "xstats type bond" whenever
// a device has extended statistics, and this kernel has no MPLS
// routing: TestLinkXstatsPrintAsIP covers those from a built message.)
func TestLinkXstatsMatchIP(t *testing.T) {
	nstest.Require(t, "link:bridge")
	ns := nstest.New(t)
	for _, cmd := range []string{
		"link add br0 type bridge mcast_stats_enabled 1 mcast_querier 1",
		"link add v0 type veth peer name v1",
		"link add v2 type veth peer name v3",
		"link set v0 master br0",
		"link set v2 master br0",
		"link set v1 up", "link set v3 up", "link set v0 up", "link set v2 up", "link set br0 up",
		"addr add 224.1.1.1/32 dev v1 autojoin",
	} {
		nstest.IP(t, ns, strings.Fields(cmd)...)
	}
	time.Sleep(300 * time.Millisecond) // queries, reports and joins cross the bridge
	for _, d := range []string{"br0", "v0", "v1", "v2", "v3"} {
		nstest.IP(t, ns, "link", "set", d, "down")
	}
	if out, _, _ := iprIn(ns, "", "-j", "link", "xstats", "type", "bridge_slave"); !strings.Contains(out, `"ifname":"v0"`) ||
		!slices.ContainsFunc(strings.Split(out, `":`)[1:], func(v string) bool { return v[0] >= '1' && v[0] <= '9' }) {
		t.Errorf("no port statistics, or none counted: %q", out)
	}
	for _, cmd := range []string{
		"link xstats type bridge", "-j link xstats type bridge", "link xstats type bridge_slave",
		"-j -p link xstats type bridge_slave", "link xstats type bridge_slave dev v0 stp", "-j link xstats ty bridge_slave igmp",
		"link xstats type bridge mcast stp", "link xstats type bridge dev v0", "-s link xstats type bridge_slave dev v2",
		"-o link xstats type bridge_slave mcast",
		"link afstats", "-j link afstats", "link afstats dev v0", "-j link afstats dev nope", "link afstats dev nope",
		"link afstats dev if1", "link xstats type bridge_slave dev if99", "link xstats type bridge dev if0",
		// Mistakes.
		"link xstats", "link xstats help", "link xstats type", "link xstats type veth", "link xstats type foo",
		"link xstats type bridge help", "link xstats type bond help", "link xstats type bridge_slave help",
		"link xstats type bridge dev nope", "link xstats type bridge bogus", "link xstats type bridge dev",
		"link xstats foo", "link xstats type vxlan", "link xstats type bond lacp bogus",
		"link afstats dev v0 dev v1", "link afstats foo", "link afstats dev", "link afstats d v0",
	} {
		sameAsIP(t, ns, nil, strings.Fields(cmd)...)
	}
}
