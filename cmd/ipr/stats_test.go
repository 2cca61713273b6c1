package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestStatsMatchIP runs "ip stats" command lines through ipr and ip in a
// namespace with a bridge, a port and a veth, all down so that no counter
// moves between the two runs, and compares standard output, standard
// error and exit status byte for byte: every group and subgroup, several
// at once, -j, -s, -d, -o, -h, "stats set" and the mistakes.
func TestStatsMatchIP(t *testing.T) {
	ns := nstest.New(t)
	for _, cmd := range []string{
		"link add br0 type bridge",
		"link add v0 type veth peer name v1",
		"link set v0 master br0",
	} {
		nstest.IP(t, ns, strings.Fields(cmd)...)
	}
	same := func(cmd string) {
		t.Helper()
		sameAsIP(t, ns, nil, strings.Fields(cmd)...)
	}
	shows := []string{
		"stats", "stats show", "-j stats show", "-d stats show", "-s stats show", "-o stats show", "-j -p stats show dev v0",
		"stats show dev v0", "-j stats show dev br0", "-h stats show dev v1 group link",
		"stats show group offload", "-j stats show group offload", "stats show group offload subgroup cpu_hit",
		"-j stats show group offload subgroup hw_stats_info", "stats show dev v0 group offload subgroup l3_stats",
		"stats show group xstats", "-j stats show group xstats", "stats show group xstats_slave subgroup bridge",
		"-j stats show group xstats_slave subgroup bridge suite stp", "stats show dev br0 group xstats subgroup bridge suite mcast",
		"stats show group xstats subgroup bond", "-j stats show group xstats_slave subgroup bond suite 802.3ad",
		"stats show group afstats", "-j stats show group afstats subgroup mpls",
		"stats show group link group offload subgroup l3_stats", "stats show group offload subgroup l3_stats group link",
		"stats show group xstats subgroup bond suite 802.3ad subgroup bridge", "stats show group link group link dev v0",
	}
	for _, cmd := range append(shows,
		"stats show group link subgroup x", "stats show group foo", "stats show subgroup x", "stats show foo",
		"stats show dev nope", "stats bogus", "stats help", "stats show help", "stats show dev", "stats show group",
		"stats show dev v0 dev v1", "stats show dev a/b", "stats show group xstats subgroup bridge suite foo",
		"stats show group foo group link", "stats show group xstats subgroup bridge suite stp suite x",
		"stats set dev v0", "stats set l3_stats on", "stats set dev v0 l3_stats maybe", "stats set dev v0 l3_stats",
		"stats set dev v0 l3_stats on l3_stats off", "stats set dev nope l3_stats on", "stats set dev v0 bogus",
		"stats set help",
	) {
		same(cmd)
	}
	// l3_stats on, set by ipr, shows in both; then off again, by ip.
	if _, errs, code := iprIn(ns, "", "stats", "set", "dev", "v0", "l3_stats", "on"); code != 0 {
		t.Fatalf("stats set: exit %d: %s", code, errs)
	}
	for _, cmd := range []string{"stats show dev v0 group offload", "-j stats show dev v0 group offload subgroup l3_stats",
		"stats show group offload subgroup hw_stats_info"} {
		same(cmd)
	}
	nstest.IP(t, ns, "stats", "set", "dev", "v0", "l3_stats", "off")
	same("stats show dev v0 group offload subgroup l3_stats")
}
