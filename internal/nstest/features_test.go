package nstest_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
)

// runFeatureHelper runs TestFeatureHelper in a child process in the given
// mode, with IPR_TEST_ASSUME_MISSING set to assume, and returns its
// verbose output, whether it passed, and what it wrote to the skip log.
func runFeatureHelper(t *testing.T, mode, assume, require string) (string, bool, string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "skips")
	cmd := exec.Command(os.Args[0], "-test.run=^TestFeatureHelper$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "NSTEST_FEATURE_HELPER="+mode, nstest.AssumeMissingEnv+"="+assume,
		nstest.SkipLogEnv+"="+log, nstest.RequireEnv+"="+require,
		// The race detector's second of grace at exit is of no use here.
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, err := cmd.CombinedOutput()
	skips, rerr := os.ReadFile(log)
	if rerr != nil && !os.IsNotExist(rerr) {
		t.Fatal(rerr)
	}
	return string(out), err == nil, string(skips)
}

// TestFeatureSkips checks the skip paths with features assumed missing:
// Have reports each missing feature once per test as a skipped subtest
// that names it and lets the test go on; Require skips the whole test; the
// skips are logged for the summary; and neither is a failure under
// IPR_REQUIRE_PRIVILEGED=1.
func TestFeatureSkips(t *testing.T) {
	nstest.RequirePrivileged(t)
	out, ok, skips := runFeatureHelper(t, "skip", "seg6, mpls", "1")
	if !ok || !strings.Contains(out, "--- PASS: TestFeatureHelper") {
		t.Fatalf("the helper failed:\n%s", out)
	}
	for _, want := range []string{
		"--- SKIP: TestFeatureHelper/seg6",
		"nstest: kernel lacks feature seg6: seg6 lightweight tunnels (CONFIG_IPV6_SEG6_LWTUNNEL) (assumed missing by IPR_TEST_ASSUME_MISSING)",
		"--- SKIP: TestFeatureHelper/mpls",
		"nstest: kernel lacks feature mpls: MPLS routing (CONFIG_MPLS_ROUTING)",
		"--- SKIP: TestFeatureHelper/inner",
		"reached after the missing features",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "not reached") || strings.Count(out, "=== RUN   TestFeatureHelper/seg6") != 1 {
		t.Errorf("a skipped part ran, or a feature was reported twice:\n%s", out)
	}
	want := "seg6\tTestFeatureHelper/seg6\nmpls\tTestFeatureHelper/mpls\nmpls\tTestFeatureHelper/inner\n"
	if skips != want {
		t.Errorf("skip log:\n%q\nwant\n%q", skips, want)
	}

	// "all" assumes every feature missing, even one every kernel here has.
	out, ok, skips = runFeatureHelper(t, "all", "all", "1")
	if !ok || !strings.Contains(out, "--- SKIP: TestFeatureHelper/link:veth") || skips != "link:veth\tTestFeatureHelper/link:veth\n" {
		t.Errorf("with all assumed missing: passed %v, skip log %q:\n%s", ok, skips, out)
	}
}

// TestFeatureUnknownName checks that a misspelt feature fails the test,
// whether a test asks for it or IPR_TEST_ASSUME_MISSING names it.
func TestFeatureUnknownName(t *testing.T) {
	nstest.RequirePrivileged(t)
	for _, c := range []struct{ mode, assume, want string }{
		{"unknown", "", `nstest: unknown kernel feature "sge6"`},
		{"all", "seg6,sge6", `IPR_TEST_ASSUME_MISSING names an unknown kernel feature "sge6"`},
	} {
		out, ok, _ := runFeatureHelper(t, c.mode, c.assume, "")
		if ok || !strings.Contains(out, "--- FAIL: TestFeatureHelper") || !strings.Contains(out, c.want) {
			t.Errorf("%s, %s=%q: passed %v; want a failure with %q:\n%s", c.mode, nstest.AssumeMissingEnv, c.assume, ok, c.want, out)
		}
	}
}

// TestFeatureHelper is the child of the tests above.
func TestFeatureHelper(t *testing.T) {
	switch os.Getenv("NSTEST_FEATURE_HELPER") {
	case "skip":
		if nstest.Have(t, "seg6", "mpls") {
			t.Error("Have reports features assumed missing as present")
		}
		if nstest.Have(t, "seg6") || !nstest.Have(t, "link:veth") {
			t.Error("Have(seg6) true or Have(link:veth) false")
		}
		t.Log("reached after the missing features")
		t.Run("inner", func(t *testing.T) {
			nstest.Require(t, "link:veth", "mpls")
			t.Log("not reached")
		})
	case "all":
		if nstest.Have(t, "link:veth") {
			t.Error("Have(link:veth) with all features assumed missing")
		}
	case "unknown":
		nstest.Require(t, "sge6")
		t.Log("not reached")
	default:
		t.Skip("runs only as the child of the feature tests")
	}
}

// TestFeatureCache checks that each feature is probed once per test
// binary however many tests ask, at once or one after the other, and that
// a feature assumed missing is not probed at all.
func TestFeatureCache(t *testing.T) {
	nstest.RequirePrivileged(t)
	t.Setenv(nstest.AssumeMissingEnv, "nftables")
	// The deliberate skip below is not one for scripts/test.sh to count.
	t.Setenv(nstest.SkipLogEnv, filepath.Join(t.TempDir(), "skips"))
	before, err := netns.List()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run("", func(t *testing.T) {
				t.Parallel()
				if !nstest.Have(t, "link:veth", "link:bridge") {
					t.Errorf("asker %d: no veth or bridge", i)
				}
				nstest.Require(t, "link:veth")
			})
		}
	})
	if !nstest.Have(t, "link:veth") || nstest.Have(t, "nftables") {
		t.Error("Have(link:veth) false or Have(nftables) true with nftables assumed missing")
	}
	for name, want := range map[string]int{"link:veth": 1, "link:bridge": 1, "nftables": 0} {
		if n := nstest.ProbeRuns(name); n != want {
			t.Errorf("%s probed %d times, want %d", name, n, want)
		}
	}
	after, err := netns.List()
	if err != nil {
		t.Fatal(err)
	}
	// Only this process's namespaces: the test binaries of other packages
	// make theirs at the same time under go test ./...
	own := fmt.Sprintf("ipr-test-%d-", os.Getpid())
	for _, n := range after {
		if !slices.Contains(before, n) && strings.HasPrefix(n, own) {
			t.Errorf("a probe left the namespace %s", n)
		}
	}
}

// TestFeatureProbes runs every probe, which must answer without an error;
// the kernels the suite runs on have veth and bridges.
func TestFeatureProbes(t *testing.T) {
	nstest.RequirePrivileged(t)
	names := nstest.FeatureNames()
	present, errs := nstest.ProbeAll(names)
	var have, lack []string
	for _, n := range names {
		if err := errs[n]; err != nil {
			t.Errorf("%s: %v", n, err)
		} else if present[n] {
			have = append(have, n)
		} else {
			lack = append(lack, n)
		}
	}
	t.Logf("this kernel has %s", strings.Join(have, " "))
	t.Logf("this kernel lacks %s", strings.Join(lack, " "))
	for _, n := range []string{"link:veth", "link:bridge"} {
		if !present[n] {
			t.Errorf("the probe finds no %s", n)
		}
	}
	// Probing again answers from the cache, at once.
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nstest.ProbeAll([]string{n})
		}()
	}
	wg.Wait()
	for _, n := range names {
		if r := nstest.ProbeRuns(n); r != 1 {
			t.Errorf("%s probed %d times", n, r)
		}
	}
}
