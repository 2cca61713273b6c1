package main

// The show half of the differential harness, widened: every show command
// line below under every global option set, compared byte for byte with
// ip (and with bridge for the bridge command). Combinations ipr refuses
// by name ("... is not implemented by ipr") are counted, not compared:
// they are the known gaps, and fail loudly rather than differ.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// bridgeTimer matches the bridge timers of "-d" output, text and JSON,
// which count down between the two runs of a comparison.
var bridgeTimer = regexp.MustCompile(`(_timer"?:?\s*)[0-9.]+`)

// routeExpires matches the lifetime left of an expiring route ("expires
// 296sec", "expires":296), which counts down between the two runs.
var routeExpires = regexp.MustCompile(`(expires"?:?\s*)[0-9]+`)

// statsText and statsJSON match the counters of -s, which traffic moves
// between the two runs: lines of numbers only, and "stats64" objects.
var (
	statsText = regexp.MustCompile(`(?m)^[ 0-9]+$`)
	statsJSON = regexp.MustCompile(`"stats64":\{.*?\}\}`)
	digits    = regexp.MustCompile(`[0-9]+`)
	// neighAges are the seconds of "-s neigh" and "-s route", which
	// tick between the runs.
	neighAges = regexp.MustCompile(`used [0-9]+/[0-9]+/[0-9]+|"used":[0-9]+,"confirmed":[0-9]+,"updated":[0-9]+|age [0-9]+sec|"age":[0-9]+`)
)

// maskTimers hides what moves between the two runs of a comparison:
// bridge timers, route lifetimes and -s counters.
func maskTimers(s string) string {
	s = bridgeTimer.ReplaceAllString(s, "${1}T")
	s = routeExpires.ReplaceAllString(s, "${1}T")
	mask := func(m string) string { return digits.ReplaceAllString(m, "N") }
	s = statsText.ReplaceAllStringFunc(s, mask)
	s = neighAges.ReplaceAllStringFunc(s, mask)
	return statsJSON.ReplaceAllStringFunc(s, mask)
}

// variantOptions are the global option sets every show command runs
// under.
var variantOptions = []string{"", "-d", "-4", "-6", "-o", "-j", "-j -d", "-s", "-j -p", "-s -d", "-s -s -j -d", "-c", "-c -d -o", "-c -j", "-N", "-N -j -d"}

// variantShows are show commands with their filters, over the objects of
// routeNamespace.
var variantShows = []string{
	"link", "link show up", "link show type veth", "link show master br0", "link show dev s0", "link show group 0",
	"addr", "addr show up", "addr show dev s1", "addr show scope link", "addr show to 10.1.0.0/16",
	"addr show primary", "addr show permanent", "addr show label s0",
	"route", "route show table all", "route show table 100", "route show proto static table all",
	"route show type unreachable table all", "route show scope link", "route show dev s0", "route show via 10.1.0.2",
	"route show root 10.0.0.0/8", "route show match 10.8.1.1", "route show exact 192.0.2.0/24", "route show metric 10",
	"rule", "rule show table 100", "rule show pref 101", "rule show iif s0",
	"neigh", "neigh show nud all", "neigh show dev s0", "neigh show proxy", "neigh show nud stale",
	"nexthop", "nexthop show id 10", "nexthop show groups", "nexthop show dev s1",
	"maddr", "maddr show dev s0", "ntable show dev s0", "tuntap",
}

func TestShowVariantsMatchIP(t *testing.T) {
	ns := routeNamespace(t)
	compared, refused := 0, 0
	for _, opts := range variantOptions {
		for _, show := range variantShows {
			args := append(strings.Fields(opts), strings.Fields(show)...)
			if _, errs, code := iprIn(ns, "", args...); code == exitUsage && strings.Contains(errs, "is not implemented by ipr") {
				refused++
				continue
			}
			compared++
			// The namespace's state can change between the two runs
			// (a neighbour entry made or probed by traffic, a
			// countdown): a difference counts when it shows three
			// times in a row, which a real one always does.
			var diff string
			for try := 0; try < 3; try++ {
				out, errs, code := iprIn(ns, "", args...)
				ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
				out, ipOut = maskTimers(out), maskTimers(ipOut)
				if out == ipOut && asIP(errs) == ipErrs && code == ipCode {
					diff = ""
					break
				}
				diff = fmt.Sprintf("exit %d/%d, stderr %q/%q, %s", code, ipCode, errs, ipErrs, firstDiff(out, ipOut))
			}
			if diff != "" {
				t.Errorf("%s: %s", strings.Join(args, " "), diff)
			}
		}
	}
	t.Logf("%d command lines compared with ip, %d refused by name", compared, refused)
}
