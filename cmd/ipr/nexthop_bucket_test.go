package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// idleTime matches a bucket's idle time, text and JSON, which grows
// between the two runs of a comparison.
var idleTime = regexp.MustCompile(`(idle_time"?:?\s*)[0-9.e+-]+`)

func maskIdleTime(s string) string { return idleTime.ReplaceAllString(s, "${1}T") }

// TestNexthopBucketMatchesIP compares "ipr nexthop bucket" with ip's:
// listings with every filter under the options that could change them,
// gets, and every command-line mistake and kernel refusal, with ip's
// messages and exit statuses.
func TestNexthopBucketMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link set lo up",
		"link add s0 type veth peer name s1", "link set s0 up", "link set s1 up",
		"link add d0 type veth peer name d1", "link set d0 up", "link set d1 up",
		"addr add 10.1.0.1/24 dev s0", "addr add 10.2.0.1/24 dev s1")
	// Without resilient groups: what needs none.
	eachSameAsIP(t, ns, nil,
		"nexthop bucket", "-j nexthop bucket", "nexthop bucket list id 10", "nexthop bucket show dev nosuch",
		"nexthop bucket list master nosuch", "nexthop bucket list vrf s0", "nexthop bucket list vrf nosuch",
		"nexthop bucket list frob", "nexthop bucket list id", "nexthop bucket list id x", "nexthop bucket list nhid -1",
		"nexthop bucket get id 10 index", "-j nexthop bucket list id 10", "nexthop bucket list id 0",
		"nexthop bucket get id 10 index 70000", "nexthop bucket get id 10 index 0", "-s nexthop bucket",
		// The selector "nexthop show" shares.
		"nexthop show dev nosuch", "nexthop show vrf s0", "nexthop show master nosuch", "nexthop flush dev nosuch",
		"nexthop show vrf nosuch", "nexthop show dev s0")
	// ip's usage, which names the command after its own fashion: status
	// and standard output only.
	for _, cmd := range []string{
		"nexthop bucket get", "nexthop bucket get id 10", "nexthop bucket get index 1", "nexthop bucket get id 0 index 1",
		"nexthop bucket get id 10 index 1 frob", "nexthop bucket help", "nexthop bucket list help", "nexthop bucket frob",
	} {
		out, errs, code := iprIn(ns, "", strings.Fields(cmd)...)
		ipOut, ipErrs, ipCode := ipRun(t, ns, "", strings.Fields(cmd)...)
		if out != ipOut || code != ipCode || (errs == "") != (ipErrs == "") {
			t.Errorf("%s: ipr exit %d, stdout %q, stderr %q; ip exit %d, stdout %q, stderr %q",
				cmd, code, out, errs, ipCode, ipOut, ipErrs)
		}
	}
	nstest.Require(t, "nexthop:resilient")
	ipCommands(t, ns,
		"nexthop add id 1 via 10.1.0.2 dev s0", "nexthop add id 2 via 10.1.0.3 dev s0",
		"nexthop add id 3 via 10.2.0.2 dev s1", "nexthop add id 4 dev d0", "nexthop add id 5 blackhole",
		"nexthop add id 10 group 1/2 type resilient buckets 8",
		"nexthop add id 11 group 2,3/3 type resilient buckets 6 idle_timer 5 unbalanced_timer 10",
		"nexthop add id 12 group 1/4 type resilient buckets 3",
		"nexthop add id 13 group 1/3",
		"nexthop add id 14 group 5 type resilient buckets 2")
	var cmds []string
	for _, opts := range []string{"", "-j", "-d", "-s", "-o", "-j -p", "-s -s -j -d", "-4", "-6", "-c", "-N"} {
		for _, c := range []string{
			"nexthop bucket", "nexthop bucket list id 11", "nexthop bucket show nhid 2", "nexthop bucket lst dev s1",
			"nexthop bucket list id 10 nhid 1", "nexthop bucket list dev s0 id 12", "nexthop bucket list master s0",
			"nexthop bucket l id 13", "nexthop bucket show id 99", "nexthop bucket list id 1", "nexthop bucket get id 11 index 5",
		} {
			cmds = append(cmds, opts+" "+c)
		}
	}
	eachSameAsIP(t, ns, maskIdleTime, cmds...)
	eachSameAsIP(t, ns, maskIdleTime,
		"nexthop bucket get id 10 index 8", "nexthop bucket get id 13 index 0", "nexthop bucket get id 1 index 0",
		"nexthop bucket get id 99 index 0", "nexthop bucket get id 0x0a index 0x7", "nexthop bucket g id 14 index 1")
}

// TestMonitorNexthopBucketMatchesIP prints bucket notifications from a
// file with ip and ipr: the kernel sends none to the nexthop group, but
// a file can hold them, with flags and with attributes missing.
func TestMonitorNexthopBucketMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	var b wire.Builder
	bucket := func(typ uint16, flags uint32, id uint32, attrs ...uint16) {
		b.Begin(typ, 0)
		nh := b.Fixed(8)
		nh[4], nh[5] = byte(flags), byte(flags>>8)
		if id != 0 {
			b.Uint32(unix.NHA_ID, id)
		}
		if len(attrs) > 0 {
			n := b.BeginNest(13)
			for _, a := range attrs {
				switch a {
				case 1:
					b.Uint16(1, 7)
				case 2:
					b.Uint64(2, 1234)
				case 3:
					b.Uint32(3, 42)
				}
			}
			b.EndNest(n)
		}
		b.End()
	}
	bucket(unix.RTM_NEWNEXTHOPBUCKET, 0, 10, 1, 2, 3)
	bucket(unix.RTM_DELNEXTHOPBUCKET, unix.RTNH_F_TRAP|unix.RTNH_F_OFFLOAD, 10, 1, 3)
	bucket(unix.RTM_NEWNEXTHOPBUCKET, unix.RTNH_F_DEAD, 0)
	bucket(unix.RTM_NEWNEXTHOPBUCKET, 0, 11, 2)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "events")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range []string{"monitor file F", "monitor file F label", "-j monitor file F", "monitor nexthop file F label",
		"-d monitor file F", "monitor route file F"} {
		sameAsIP(t, ns, nil, strings.Fields(strings.ReplaceAll(args, "F", file))...)
	}
	if out, _, _ := iprIn(ns, "", "monitor", "file", file, "label"); !strings.Contains(out,
		"[NEXTHOPBUCKET]id 10 index 7 idle_time 12.34 nhid 42 \n") {
		t.Errorf("ipr monitor file printed %q", out)
	}
}
