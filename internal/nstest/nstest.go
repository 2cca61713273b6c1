// Package nstest gives kernel-facing tests a throwaway network namespace of
// their own, so that they never touch the host's network.
//
// [New] creates a named namespace, as "ip netns add" would, and deletes it
// when the test ends. Because it is named, iproute2 can act on it as an
// oracle or to set things up: [IP] runs "ip -n NAME ...", and [Run] and
// [Command] run any program inside it. Code under test enters it with
// [netns.Do].
//
// Privilege policy: a test that needs root calls [RequirePrivileged] (New
// does so itself). Without root and CAP_SYS_ADMIN the test is skipped,
// unless the environment variable IPR_REQUIRE_PRIVILEGED is 1, as in CI,
// where it fails instead: a CI run that silently skipped every kernel test
// would prove nothing.
//
// Kernel features: kernels are configured differently from machine to
// machine (one lacks seg6 lightweight tunnels, another MPLS, bridge VLAN
// filtering, a link kind, a qdisc or a generic-netlink family). A test that
// needs such an optional feature asks for it by name: [Require] skips the
// whole test when the kernel lacks it, and [Have] reports whether it has
// it, so that the test leaves out only the part that needs it. Have
// reports each missing feature once per test as a skipped subtest named
// after the feature, so that the skip is counted while the rest of the test
// still runs and can still fail. Skip messages begin with [SkipMarker] and
// name the feature and the kernel option or version that provides it. A
// missing feature is a skip even under IPR_REQUIRE_PRIVILEGED=1: it is the
// kernel's configuration, not a lack of privilege that CI must not hide.
//
// Each feature is probed at most once per test binary, when first asked
// for, in a scratch namespace that is deleted right after (with iproute2,
// or over netlink where iproute2 cannot say it); the answers are cached.
// The names are those of the table in features.go ("seg6", "mpls",
// "vlan_filtering", "link:vlan", "qdisc:htb", "cls:u32", "act:mirred",
// "genl:ethtool", "nftables", ...); a name not in it fails the test, so
// that a typo cannot skip a test for good. New probes are added to that
// table.
//
// IPR_TEST_ASSUME_MISSING=seg6,mpls,... (or "all") makes the named
// features count as missing without probing, so that the skip paths can
// be exercised on any kernel. IPR_TEST_SKIPLOG=PATH appends a line
// "FEATURE<tab>TEST" to PATH for each such skip, which scripts/test.sh
// counts for its summary.
//
// A typical test:
//
//	func TestLoopbackUp(t *testing.T) {
//		ns := nstest.New(t)
//		nstest.IP(t, ns, "link", "set", "lo", "up")
//		err := netns.Do(ns.Handle, func() error {
//			ifi, err := net.InterfaceByName("lo")
//			if err == nil && ifi.Flags&net.FlagUp == 0 {
//				err = errors.New("lo is down")
//			}
//			return err
//		})
//		if err != nil {
//			t.Fatal(err)
//		}
//	}
package nstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// RequireEnv is the environment variable that, set to 1, turns a skip for
// want of privilege or tools into a failure.
const RequireEnv = "IPR_REQUIRE_PRIVILEGED"

// RequirePrivileged skips t unless the process runs as root with
// CAP_SYS_ADMIN, which creating, entering and mounting namespaces needs. If
// IPR_REQUIRE_PRIVILEGED=1 it fails t instead of skipping.
func RequirePrivileged(t testing.TB) {
	t.Helper()
	if reason := privilegeProblem(); reason != "" {
		skipOrFail(t, reason)
	}
}

// ExecutableCopy copies the running test binary, as name, into a fresh
// directory that every user may enter, and returns the copy's path; the
// directory is removed when t ends. A test that runs its binary as
// another user (nobody) needs it: the build directory admits only its
// owner.
func ExecutableCopy(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ipr-test-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, name)
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// privilegeProblem says why the process lacks the privilege the tests
// need, or returns "" if it has it.
func privilegeProblem() string {
	if euid := os.Geteuid(); euid != 0 {
		return fmt.Sprintf("test needs root, running as uid %d", euid)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return fmt.Sprintf("test needs CAP_SYS_ADMIN, capget: %v", err)
	}
	if data[unix.CAP_SYS_ADMIN/32].Effective&(1<<(unix.CAP_SYS_ADMIN%32)) == 0 {
		return "test needs CAP_SYS_ADMIN, which root lacks here"
	}
	return ""
}

// skipOrFail applies the privilege policy to a test that cannot run.
func skipOrFail(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (and %s=1 forbids skipping)", reason, RequireEnv)
	}
	t.Skipf("%s (set %s=1 to fail instead)", reason, RequireEnv)
}

// NS is a named network namespace that lives as long as the test that
// created it.
type NS struct {
	// Name is the namespace's name in netns.RunDir, for "ip -n Name".
	Name string
	// Handle refers to the namespace, for netns.Do. It is closed when the
	// test ends.
	Handle *netns.Handle
}

// counter makes names unique within the process; the pid in the name makes
// them unique across processes, such as go test running packages in
// parallel.
var counter atomic.Uint64

var sweepOnce sync.Once

// sweepOrphans deletes the namespaces of test processes that died without
// running their cleanups (killed by a timeout, say): those named
// "ipr-test-PID-N" whose PID no longer exists. A live process's
// namespaces, whoever it is, are left alone.
func sweepOrphans() {
	names, err := netns.List()
	if err != nil {
		return
	}
	for _, name := range names {
		var pid, n int
		if _, err := fmt.Sscanf(name, "ipr-test-%d-%d", &pid, &n); err != nil || pid == os.Getpid() {
			continue
		}
		if fmt.Sprintf("ipr-test-%d-%d", pid, n) != name {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); errors.Is(err, fs.ErrNotExist) {
			netns.Delete(name)
		}
	}
}

// New creates a fresh named network namespace for t and registers its
// deletion with t.Cleanup; the cleanup also checks that the name is gone.
// The namespace has only a loopback device, which is down. New applies the
// privilege policy of [RequirePrivileged].
func New(t testing.TB) *NS {
	t.Helper()
	RequirePrivileged(t)
	sweepOnce.Do(sweepOrphans)
	var name string
	for {
		name = fmt.Sprintf("ipr-test-%d-%d", os.Getpid(), counter.Add(1))
		err := netns.Add(name)
		if err == nil {
			break
		}
		// A leftover of an earlier process that had the same pid.
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("nstest: %v", err)
		}
	}
	h, err := netns.Open(name)
	if err != nil {
		netns.Delete(name)
		t.Fatalf("nstest: %v", err)
	}
	ns := &NS{Name: name, Handle: h}
	t.Cleanup(func() { ns.remove(t) })
	return ns
}

// remove closes and deletes ns and checks that its name is gone, both from
// the file system and from netns.List.
func (ns *NS) remove(t testing.TB) {
	t.Helper()
	if err := ns.Handle.Close(); err != nil {
		t.Errorf("nstest: close %s: %v", ns.Name, err)
	}
	if err := netns.Delete(ns.Name); err != nil {
		t.Errorf("nstest: %v", err)
		return
	}
	path, _ := netns.Path(ns.Name)
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("nstest: %s still exists after delete (lstat: %v)", path, err)
	}
	names, err := netns.List()
	if err != nil {
		t.Errorf("nstest: %v", err)
	} else if slices.Contains(names, ns.Name) {
		t.Errorf("nstest: %s still listed after delete", ns.Name)
	}
}

// IP runs "ip -n NAME args..." and returns its standard output. If ip
// fails, IP fails t with the command and its standard error. If ip is not
// installed, the privilege policy applies.
func IP(t testing.TB, ns *NS, args ...string) string {
	t.Helper()
	return run(t, exec.Command(ipPath(t), append([]string{"-n", ns.Name}, args...)...))
}

// IPJSON runs "ip -n NAME -j args..." and decodes its output into v, as
// the tests that take iproute2 for their oracle read it. If the output
// does not decode, IPJSON fails t with the command and the output.
func IPJSON(t testing.TB, ns *NS, v any, args ...string) {
	t.Helper()
	decodeJSON(t, v, IP(t, ns, append([]string{"-j"}, args...)...), "ip", args)
}

// RunJSON runs "name -j args..." inside ns, as Run does, and decodes its
// output into v, as IPJSON does ip's: for the oracles that are not ip,
// such as bridge and tc.
func RunJSON(t testing.TB, ns *NS, v any, name string, args ...string) {
	t.Helper()
	decodeJSON(t, v, Run(t, ns, name, append([]string{"-j"}, args...)...), name, args)
}

// decodeJSON decodes out, the output of "name -j args...", into v, or
// fails t with the command and the output.
func decodeJSON(t testing.TB, v any, out, name string, args []string) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%s -j %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// WaitIP runs "ip -n NAME args..." until its output contains every one of
// want, and fails t if it does not within ten seconds. It is for what the
// kernel sets up asynchronously, such as the routes it adds once it has
// seen a link's carrier come up (the local route of an IPv6 address, each
// link's ff00::/8), which a test comparing two namespaces must wait for.
func WaitIP(t testing.TB, ns *NS, want []string, args ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := IP(t, ns, args...)
		missing := lacking(out, want)
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nstest: after 10 s, ip %s still lacks %q:\n%s", strings.Join(args, " "), missing, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WantIP runs "ip -n NAME args..." once and fails t, with the output,
// unless it contains every one of want: the check of what a change did
// that ip reads back at once (WaitIP is for what the kernel sets up
// later).
func WantIP(t testing.TB, ns *NS, want []string, args ...string) {
	t.Helper()
	if out := IP(t, ns, args...); len(lacking(out, want)) != 0 {
		t.Fatalf("ip %s lacks %q:\n%s", strings.Join(args, " "), lacking(out, want), out)
	}
}

// lacking returns the strings of want that out does not contain.
func lacking(out string, want []string) []string {
	return slices.DeleteFunc(slices.Clone(want), func(w string) bool { return strings.Contains(out, w) })
}

// Run runs the program name with args inside ns and returns its standard
// output. If the program fails, Run fails t with the command and its
// standard error.
func Run(t testing.TB, ns *NS, name string, args ...string) string {
	t.Helper()
	return run(t, command(ipPath(t), ns, name, args...))
}

// RunFileInput runs the program name with args inside ns with in as its
// standard input, read from a file (as "ip route restore" needs: it seeks
// in its input), and returns the program's combined output and the error
// of its run, for the tests that expect a failure as well as success.
func RunFileInput(t testing.TB, ns *NS, in []byte, name string, args ...string) ([]byte, error) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(in); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	cmd := Command(t, ns, name, args...)
	cmd.Stdin = f
	return cmd.CombinedOutput()
}

// Command returns a command, not yet started, that runs the program name
// with args inside ns, for programs that must run in the background. The
// process it starts is the program itself, once it is in ns: "ip netns
// exec" enters ns and then executes it.
func Command(t testing.TB, ns *NS, name string, args ...string) *exec.Cmd {
	t.Helper()
	return command(ipPath(t), ns, name, args...)
}

func command(ip string, ns *NS, name string, args ...string) *exec.Cmd {
	return exec.Command(ip, append([]string{"netns", "exec", ns.Name, name}, args...)...)
}

// ipPath returns the path of iproute2's ip, or applies the privilege policy
// if it is not installed.
func ipPath(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("ip")
	if err != nil {
		skipOrFail(t, fmt.Sprintf("test needs iproute2: %v", err))
	}
	return path
}

func run(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nstest: %s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.Bytes())
	}
	return stdout.String()
}
