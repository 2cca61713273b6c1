package nstest_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
)

func TestNewAndCleanup(t *testing.T) {
	nstest.RequirePrivileged(t)
	var name, path string
	t.Run("sub", func(t *testing.T) {
		ns := nstest.New(t)
		name = ns.Name
		path, _ = netns.Path(name)
		if !strings.HasPrefix(name, "ipr-test-") {
			t.Errorf("name %q lacks the ipr-test- prefix", name)
		}
		out, err := exec.Command("ip", "netns", "list").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), name) {
			t.Errorf("ip netns list lacks %s:\n%s", name, out)
		}
		cur, err := netns.Current()
		if err != nil {
			t.Fatal(err)
		}
		defer cur.Close()
		if ns.Handle.Equal(cur) {
			t.Error("New returned the current namespace")
		}
		if other := nstest.New(t); other.Name == name || other.Handle.Equal(ns.Handle) {
			t.Errorf("two New calls gave %s %v and %s %v", name, ns.Handle.ID(), other.Name, other.Handle.ID())
		}
	})
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s survives its test: %v", path, err)
	}
}

func TestIPAndRun(t *testing.T) {
	ns := nstest.New(t)
	// A new namespace has lo alone, and down; ip is the oracle for both.
	links := nstest.IP(t, ns, "-o", "link", "show")
	if lines := strings.Split(strings.TrimSpace(links), "\n"); len(lines) != 1 || !strings.Contains(lines[0], " lo: ") {
		t.Errorf("ip link show in a new namespace:\n%s", links)
	}
	nstest.IP(t, ns, "link", "set", "lo", "up")
	if out := nstest.Run(t, ns, "cat", "/sys/class/net/lo/operstate"); out != "unknown\n" {
		t.Errorf("lo operstate after ip link set up = %q, want \"unknown\"", out)
	}
	// ip acted on the namespace, not on the host.
	host, err := os.ReadFile("/proc/self/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	inside := nstest.Run(t, ns, "cat", "/proc/self/net/dev")
	if string(host) == inside {
		t.Error("/proc/self/net/dev inside the namespace is the host's")
	}
}

// TestRequirePrivilegedPolicy runs TestPolicyHelper in a child process
// that lacks privilege, and checks that it skips, or fails when
// IPR_REQUIRE_PRIVILEGED=1.
func TestRequirePrivilegedPolicy(t *testing.T) {
	nstest.RequirePrivileged(t) // to take privilege away, we need it
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("needs setpriv from util-linux")
	}
	// The uid test needs a binary that nobody can execute.
	bin := nstest.ExecutableCopy(t, "nstest.test")

	for _, c := range []struct {
		name   string
		drop   []string
		reason string
	}{
		{"nobody", []string{"--reuid=65534", "--regid=65534", "--clear-groups"}, "needs root"},
		{"no CAP_SYS_ADMIN", []string{"--bounding-set=-sys_admin"}, "needs CAP_SYS_ADMIN"},
	} {
		// The helper calls New, or first asks for a kernel feature that
		// is missing: the policy still applies, before the feature's skip.
		for _, entry := range []string{"new", "feature"} {
			for _, require := range []string{"", "1"} {
				args := append(c.drop, "--", bin, "-test.run=^TestPolicyHelper$", "-test.v")
				cmd := exec.Command(setpriv, args...)
				cmd.Env = append(os.Environ(), "NSTEST_POLICY_HELPER="+entry, nstest.RequireEnv+"="+require,
					nstest.AssumeMissingEnv+"=seg6", nstest.SkipLogEnv+"=",
					"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
				out, err := cmd.CombinedOutput()
				report := string(out)
				name := c.name + ", " + entry
				switch {
				case strings.Contains(report, "reached"):
					t.Errorf("%s, %s=%q: the test ran:\n%s", name, nstest.RequireEnv, require, report)
				case !strings.Contains(report, c.reason) || strings.Contains(report, nstest.SkipMarker):
					t.Errorf("%s, %s=%q: output lacks %q, or skips for the feature:\n%s", name, nstest.RequireEnv, require, c.reason, report)
				case require == "" && (err != nil || !strings.Contains(report, "--- SKIP")):
					t.Errorf("%s: want a skip, got %v:\n%s", name, err, report)
				case require == "1" && (err == nil || !strings.Contains(report, "--- FAIL")):
					t.Errorf("%s, %s=1: want a failure, got %v:\n%s", name, nstest.RequireEnv, err, report)
				}
			}
		}
	}
}

// TestPolicyHelper is the child of TestRequirePrivilegedPolicy.
func TestPolicyHelper(t *testing.T) {
	switch os.Getenv("NSTEST_POLICY_HELPER") {
	case "new":
		nstest.New(t)
	case "feature":
		nstest.Require(t, "seg6")
	default:
		t.Skip("runs only as the child of TestRequirePrivilegedPolicy")
	}
	t.Log("reached")
}

// TestSweepOrphans leaves the namespace of a process that died without
// cleaning up, and checks that the sweep deletes it and spares a live one.
func TestSweepOrphans(t *testing.T) {
	nstest.RequirePrivileged(t)
	// A process that has surely exited: one we start and wait for.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := fmt.Sprintf("ipr-test-%d-1", cmd.Process.Pid)
	live := fmt.Sprintf("ipr-test-%d-999", os.Getppid())
	for _, n := range []string{dead, live} {
		if err := netns.Add(n); err != nil {
			t.Fatal(err)
		}
	}
	defer netns.Delete(live)
	defer netns.Delete(dead)
	nstest.SweepOrphans()
	names, err := netns.List()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names, dead) || !slices.Contains(names, live) {
		t.Fatalf("after the sweep: %v (want %s gone, %s kept)", names, dead, live)
	}
}
