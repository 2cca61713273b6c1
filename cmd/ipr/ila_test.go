package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestILAMatchesIP compares ipr ila with ip ila, recorded under
// scripts/fakegenl's shim (this kernel has no ila family): the requests
// of each command line, byte for byte; the listing of a dump, as text,
// JSON and one line per mapping; the messages and exit statuses of
// command lines ip refuses.
func TestILAMatchesIP(t *testing.T) {
	t.Run("requests", func(t *testing.T) { testShimRequests(t, "ila") })
	t.Run("list", testILAList)
	t.Run("errors", func(t *testing.T) { testShimErrors(t, "ila") })
	t.Run("complaints", testILAComplaints)
}

// ipLocators are the locators as ip 6.1 prints them: ipila.c's
// print_addr64 reads its u64 argument through a u16 pointer, which the
// compiler's strict aliasing turns into zeros, so that ip lists every
// locator as 0:0:0:0. ipr prints the locators; ipLocators rewrites them
// as ip prints them before comparing (in a column of 20, or as a JSON
// string).
var ipLocators = regexp.MustCompile(`[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4} *`)

// asIPLocators is s with its locators as ip prints them.
func asIPLocators(s string) string {
	return ipLocators.ReplaceAllStringFunc(s, func(l string) string {
		if len(l) >= 20 {
			return "0:0:0:0" + strings.Repeat(" ", len(l)-len("0:0:0:0"))
		}
		return "0:0:0:0"
	})
}

// testILAList checks the listing of genl/ila/testdata/list.replies
// against ip's, but for the locators (ipLocators), which must be the
// replies' own.
func testILAList(t *testing.T) {
	for _, c := range []struct{ golden, opt string }{{"", ""}, {"-json", "-j"}, {"-oneline", "-o"}} {
		want, err := os.ReadFile(shimTestdata("ila", "list"+c.golden+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		shimFake(t, "ila", "list")
		argv := strings.Fields(c.opt + " ila list")
		out, errs, code := ipr(argv...)
		if code != 0 || asIPLocators(out) != string(want) {
			t.Errorf("ipr %s: exit %d, %s\n%s\nip:\n%s", strings.Join(argv, " "), code, errs, out, want)
		}
		if c.opt != "" {
			continue
		}
		// The columns keep their width: a locator is at most 19 wide.
		for _, l := range []string{"2001:db8:1:2        2001:db8:3:4        *", "0:0:0:1             ffff:ffff:ffff:ffff lo",
			"1:2:3:4             10:20:30:40         if77", "0:0:0:abcd          -                   -"} {
			if !strings.Contains(out, l+" ") {
				t.Errorf("ipr ila list has no line starting %q:\n%s", l, out)
			}
		}
	}
}

// testILAComplaints checks the command lines on which ip prints a
// complaint and sends its request all the same: ipr prints the same
// complaint and stops, with status 1, sending nothing.
func testILAComplaints(t *testing.T) {
	for cmd, want := range map[string]string{
		"ila add loc x:1:2:3 loc_match 1:2:3:4":          "Bad locator: x:1:2:3",
		"ila add loc_match 1:2:3 loc 1:2:3:4":            "Bad locator to match: 1:2:3",
		"ila add loc_match 1:2:3:4":                      "ila: missing locator",
		"ila add loc 1:2:3:4":                            "ila: missing locator0match",
		"ila del loc 1:2:3:4 dev nonesuch0":              "No such interface: nonesuch0",
		"ila add loc 1:2:3:4 csum-mode Neutral-map":      "Bad csum-mode: Neutral-map",
		"ila add loc 1:2:3:4 ident-type iid":             "Bad ident-type: iid",
		"ila delete loc_match 1:2:3:4 loc 10000:0:0:0":   "Bad locator: 10000:0:0:0",
		"ila add loc_match 1:2:3:4 loc 5:6:7:8 b":        "",
		"ila add loc_match 1:2:3:4 loc 5:6:7:8 dev if99": "",
	} {
		got := shimFake(t, "ila", "")
		out, errs, code := ipr(strings.Fields(cmd)...)
		switch {
		case want == "" && strings.HasSuffix(cmd, " b"):
			// A stray word: the usage, status 255, as ip.
			if code != 255 || !strings.HasPrefix(errs, "Usage: ipr ila add") || len(*got) != 0 {
				t.Errorf("ipr %s: exit %d, %q, %d requests", cmd, code, errs, len(*got))
			}
		case want == "":
			// "ifN" names device N, as ip's ll_name_to_index reads it.
			if code != 0 || len(*got) != 1 {
				t.Errorf("ipr %s: exit %d, %q, %d requests", cmd, code, errs, len(*got))
			}
		case code != 1 || out != "" || errs != want+"\n" || len(*got) != 0:
			t.Errorf("ipr %s: exit %d, stdout %q, stderr %q, %d requests; want 1 and %q", cmd, code, out, errs, len(*got), want)
		}
	}
}

// TestILAKernelMatchesIP compares ipr ila with ip ila on this kernel, in
// a fresh namespace: an empty listing where the kernel has the family,
// ip's failure to talk to it where it has not.
func TestILAKernelMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	for _, cmd := range []string{"ila list", "-j ila list", "ila", "ila help", "ila lst"} {
		sameAsIP(t, ns, nil, strings.Fields(cmd)...)
	}
}
