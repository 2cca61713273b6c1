package netns_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

var nameCounter atomic.Uint64

// freshName returns a name no namespace has, and deletes whatever the test
// leaves under it.
func freshName(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("ipr-netns-test-%d-%d", os.Getpid(), nameCounter.Add(1))
	t.Cleanup(func() { netns.Delete(name) })
	return name
}

// ipNetns runs "ip netns args..." (no -n) and returns its output.
func ipNetns(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ipList returns the names "ip netns list" shows; a line is "NAME" or
// "NAME (id: N)".
func ipList(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(ipNetns(t, "list"), "\n") {
		if name, _, _ := strings.Cut(line, " (id: "); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// mount is a line of /proc/self/mountinfo, as proc(5) describes it.
type mount struct {
	optional []string // such as "shared:1"
	fstype   string
}

func isShared(field string) bool { return strings.HasPrefix(field, "shared:") }

// mountOf returns the topmost mount on point, or nil if there is none.
// Mount points with spaces or other escaped characters are not handled.
func mountOf(t *testing.T, point string) *mount {
	t.Helper()
	info, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var found *mount
	for _, line := range strings.Split(string(info), "\n") {
		before, after, ok := strings.Cut(line, " - ")
		fields := strings.Fields(before)
		if !ok || len(fields) < 6 || fields[4] != point {
			continue
		}
		// Later lines are mounted over earlier ones.
		found = &mount{optional: fields[6:], fstype: strings.Fields(after)[0]}
	}
	return found
}

func mustList(t *testing.T) []string {
	t.Helper()
	names, err := netns.List()
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestAddListDelete(t *testing.T) {
	nstest.RequirePrivileged(t)
	name := freshName(t)
	if err := netns.Add(name); err != nil {
		t.Fatal(err)
	}
	if names := mustList(t); !slices.Contains(names, name) {
		t.Errorf("List() = %q, lacks %q", names, name)
	}
	if names := ipList(t); !slices.Contains(names, name) {
		t.Errorf("ip netns list = %q, lacks %q", names, name)
	}
	path, _ := netns.Path(name)
	if m := mountOf(t, netns.RunDir); m == nil || !slices.ContainsFunc(m.optional, isShared) {
		t.Errorf("%s is not a shared mount point: %+v", netns.RunDir, m)
	}
	if m := mountOf(t, path); m == nil || m.fstype != "nsfs" {
		t.Errorf("%s is not an nsfs mount: %+v", path, m)
	}
	h, err := netns.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.Equal(mustCurrent(t)) {
		t.Errorf("added namespace is the current one, %v", h.ID())
	}

	// ip acts on the namespace we added, and Do sees what ip did: ip sets
	// the loopback MTU, which is 65536 in a new namespace.
	ipNetns(t, "exec", name, "ip", "link", "set", "lo", "mtu", "1280")
	err = netns.Do(h, func() error {
		lo, err := net.InterfaceByName("lo")
		if err == nil && lo.MTU != 1280 {
			err = fmt.Errorf("lo MTU in %s = %d, ip set 1280", name, lo.MTU)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}

	if err := netns.Delete(name); err != nil {
		t.Fatal(err)
	}
	if names := mustList(t); slices.Contains(names, name) {
		t.Errorf("List() = %q after Delete", names)
	}
	if names := ipList(t); slices.Contains(names, name) {
		t.Errorf("ip netns list = %q after Delete", names)
	}
	if m := mountOf(t, path); m != nil {
		t.Errorf("%s still mounted after Delete: %+v", path, m)
	}
	// The handle keeps the namespace alive after its name is gone.
	if err := netns.Do(h, func() error { return nil }); err != nil {
		t.Errorf("Do after Delete: %v", err)
	}
}

func TestSeesIPNamespaces(t *testing.T) {
	nstest.RequirePrivileged(t)
	name := freshName(t)
	ipNetns(t, "add", name)
	if names := mustList(t); !slices.Contains(names, name) {
		t.Errorf("List() = %q, lacks %q added by ip", names, name)
	}
	h, err := netns.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	path, _ := netns.Path(name)
	if want, err := statID(path); err != nil || h.ID() != want {
		t.Errorf("Open(%q).ID() = %v, stat = %v, %v", name, h.ID(), want, err)
	}
	if err := netns.Add(name); !errors.Is(err, os.ErrExist) {
		t.Errorf("Add(%q) over ip's namespace = %v, want os.ErrExist", name, err)
	}
	if err := netns.Delete(name); err != nil {
		t.Fatal(err)
	}
	if names := ipList(t); slices.Contains(names, name) {
		t.Errorf("ip netns list = %q after Delete", names)
	}
}

func TestAddExisting(t *testing.T) {
	nstest.RequirePrivileged(t)
	name := freshName(t)
	if err := netns.Add(name); err != nil {
		t.Fatal(err)
	}
	before, err := netns.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	err = netns.Add(name)
	if !errors.Is(err, unix.EEXIST) || !errors.Is(err, os.ErrExist) {
		t.Fatalf("second Add = %v, want EEXIST", err)
	}
	after, err := netns.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	if !after.Equal(before) {
		t.Errorf("failed Add replaced the namespace: %v, was %v", after.ID(), before.ID())
	}
}

func TestInvalidNames(t *testing.T) {
	_, ipErr := exec.LookPath("ip")
	for _, name := range []string{"", ".", "..", "a/b", "/", "../x", strings.Repeat("n", 256), "nul\x00"} {
		if _, err := netns.Path(name); !errors.Is(err, netns.ErrInvalidName) {
			t.Errorf("Path(%q) = %v, want ErrInvalidName", name, err)
		}
		if err := netns.Add(name); !errors.Is(err, netns.ErrInvalidName) {
			t.Errorf("Add(%q) = %v, want ErrInvalidName", name, err)
		}
		if err := netns.Delete(name); !errors.Is(err, netns.ErrInvalidName) {
			t.Errorf("Delete(%q) = %v, want ErrInvalidName", name, err)
		}
		if _, err := netns.Open(name); !errors.Is(err, netns.ErrInvalidName) {
			t.Errorf("Open(%q) = %v, want ErrInvalidName", name, err)
		}
		// iproute2 is the oracle; it checks names before anything else, so
		// this needs no privilege. An argument cannot hold a NUL.
		if ipErr == nil && !strings.Contains(name, "\x00") {
			out, err := exec.Command("ip", "netns", "add", name).CombinedOutput()
			if err == nil || !strings.Contains(string(out), "Invalid netns name") {
				exec.Command("ip", "netns", "delete", name).Run()
				t.Errorf("ip netns add %q: %v, %s; iproute2 accepts a name we reject", name, err, out)
			}
		}
	}
}

// TestUnusualValidNames adds names that look odd but that iproute2 accepts,
// and checks that both sides agree on them.
func TestUnusualValidNames(t *testing.T) {
	nstest.RequirePrivileged(t)
	prefix := freshName(t)
	for _, name := range []string{
		prefix + "..x",
		"..." + prefix,
		prefix + " space",
		prefix + strings.Repeat("n", 255-len(prefix)),
	} {
		t.Cleanup(func() { netns.Delete(name) })
		path, err := netns.Path(name)
		if err != nil {
			t.Errorf("Path(%q): %v", name, err)
			continue
		}
		if want := netns.RunDir + "/" + name; path != want {
			t.Errorf("Path(%q) = %q, want %q", name, path, want)
		}
		if err := netns.Add(name); err != nil {
			t.Errorf("Add(%q): %v", name, err)
			continue
		}
		if names := ipList(t); !slices.Contains(names, name) {
			t.Errorf("ip netns list lacks %q", name)
		}
		ipNetns(t, "delete", name)
		if names := mustList(t); slices.Contains(names, name) {
			t.Errorf("List() still has %q after ip netns delete", name)
		}
	}
}

func TestDeleteMissing(t *testing.T) {
	nstest.RequirePrivileged(t)
	name := freshName(t)
	if err := netns.Delete(name); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Delete(missing) = %v, want os.ErrNotExist", err)
	}
	if _, err := netns.Open(name); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want os.ErrNotExist", err)
	}
}

// TestStaleFile checks a file in RunDir with no namespace mounted on it, as
// an interrupted add leaves: Open refuses it, Delete removes it.
func TestStaleFile(t *testing.T) {
	nstest.New(t) // makes sure RunDir exists
	name := freshName(t)
	path, _ := netns.Path(name)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if h, err := netns.Open(name); err == nil {
		h.Close()
		t.Errorf("Open(stale file) succeeded")
	}
	if err := netns.Delete(name); err != nil {
		t.Fatalf("Delete(stale file): %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale file survives Delete: %v", err)
	}
}

// TestListSorted compares List against the directory as ls shows it. Other
// processes may add and delete namespaces meanwhile, so only the names of
// this process's tests are compared.
func TestListSorted(t *testing.T) {
	nstest.RequirePrivileged(t)
	for range 3 {
		nstest.New(t)
	}
	names := mustList(t)
	if !slices.IsSorted(names) {
		t.Errorf("List() = %q, not sorted", names)
	}
	out, err := exec.Command("ls", "-A", netns.RunDir).Output()
	if err != nil {
		t.Fatal(err)
	}
	ours := func(names []string) []string {
		prefix := fmt.Sprintf("ipr-test-%d-", os.Getpid())
		names = slices.DeleteFunc(names, func(n string) bool { return !strings.HasPrefix(n, prefix) })
		slices.Sort(names)
		return names
	}
	got, want := ours(names), ours(strings.Fields(string(out)))
	if len(want) < 3 || !slices.Equal(got, want) {
		t.Errorf("List() = %q, ls = %q", got, want)
	}
}

// TestNoFDLeak runs every operation, including failing ones, many times and
// checks that the process has as many descriptors open as before.
func TestNoFDLeak(t *testing.T) {
	nstest.RequirePrivileged(t)
	cycle := func() {
		name := freshName(t)
		if err := netns.Add(name); err != nil {
			t.Fatal(err)
		}
		netns.Add(name) // EEXIST
		h, err := netns.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := netns.Do(h, func() error { return errors.New("fn failed") }); err == nil {
			t.Fatal("Do lost fn's error")
		}
		cur := mustCurrent(t)
		cur.Close()
		if p, err := netns.OpenPID(os.Getpid()); err == nil {
			p.Close()
		}
		netns.OpenPath("/proc/self/ns/uts") // not a network namespace
		h.Close()
		netns.Do(h, func() error { return nil }) // closed
		if err := netns.Delete(name); err != nil {
			t.Fatal(err)
		}
		netns.Delete(name) // ENOENT
	}
	cycle() // let the runtime open what it opens once, such as its epoll fd
	before := hostile.OpenFDs(t)
	for range 50 {
		cycle()
	}
	if after := hostile.OpenFDs(t); after != before {
		t.Errorf("open descriptors: %d before, %d after", before, after)
	}
}

// TestFreshRunDir runs TestFreshRunDirHelper in a private mount namespace
// with an empty /run, where RunDir does not exist yet.
func TestFreshRunDir(t *testing.T) {
	nstest.RequirePrivileged(t)
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("needs unshare from util-linux")
	}
	cmd := exec.Command("unshare", "--mount", "--propagation=private", "--",
		"sh", "-c", `mount -t tmpfs tmpfs /run && exec "$0" -test.run='^TestFreshRunDirHelper$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), "NETNS_FRESH_RUNDIR_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestFreshRunDirHelper") {
		t.Errorf("helper: %v\n%s", err, out)
	}
}

// TestFreshRunDirHelper adds namespaces concurrently where RunDir does not
// exist, and checks that RunDir became one shared mount point, not one per
// Add.
func TestFreshRunDirHelper(t *testing.T) {
	if os.Getenv("NETNS_FRESH_RUNDIR_HELPER") != "1" {
		t.Skip("runs only as the child of TestFreshRunDir")
	}
	if _, err := os.Stat(netns.RunDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s exists: %v", netns.RunDir, err)
	}
	const n = 4
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- netns.Add(fmt.Sprintf("fresh%d", i)) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	info, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	// The host's RunDir, if any, is mounted too, under the tmpfs on /run.
	var runDirMounts int
	for _, line := range strings.Split(string(info), "\n") {
		if fields := strings.Fields(line); len(fields) > 4 && fields[4] == netns.RunDir &&
			strings.Contains(line, " - tmpfs ") {
			runDirMounts++
		}
	}
	if runDirMounts != 1 {
		t.Errorf("%d mounts on %s, want 1:\n%s", runDirMounts, netns.RunDir, info)
	}
	if m := mountOf(t, netns.RunDir); m == nil || !slices.ContainsFunc(m.optional, isShared) {
		t.Errorf("%s is not a shared mount point: %+v", netns.RunDir, m)
	}
	if names := ipList(t); len(names) != n {
		t.Errorf("ip netns list = %q, want %d names", names, n)
	}
	for i := range n {
		if err := netns.Delete(fmt.Sprintf("fresh%d", i)); err != nil {
			t.Error(err)
		}
	}
}

// TestAttach names the namespace of a process running in another named
// namespace, and checks that the name refers to that namespace, that a
// taken name and a missing process fail as documented, and that a failed
// attach leaves no file behind.
func TestAttach(t *testing.T) {
	nstest.RequirePrivileged(t)
	owner := freshName(t)
	if err := netns.Add(owner); err != nil {
		t.Fatal(err)
	}
	defer netns.Delete(owner)
	sleeper := exec.Command("ip", "netns", "exec", owner, "sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer sleeper.Wait()
	defer sleeper.Process.Kill()
	want, err := netns.Open(owner)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	// ip execs sleep in the process it started, once it has switched.
	var got *netns.Handle
	for range 1000 {
		if h, err := netns.OpenPID(sleeper.Process.Pid); err == nil {
			if h.Equal(want) {
				got = h
				break
			}
			h.Close()
		}
		time.Sleep(time.Millisecond)
	}
	if got == nil {
		t.Fatal("the process never entered its namespace")
	}
	got.Close()

	name := freshName(t)
	if err := netns.Attach(name, sleeper.Process.Pid); err != nil {
		t.Fatal(err)
	}
	defer netns.Delete(name)
	h, err := netns.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if !h.Equal(want) {
		t.Errorf("attached %v, want the namespace of %s, %v", h.ID(), owner, want.ID())
	}
	if err := netns.Attach(name, sleeper.Process.Pid); !errors.Is(err, os.ErrExist) {
		t.Errorf("Attach to a taken name: %v, want os.ErrExist", err)
	}
	gone := freshName(t)
	if err := netns.Attach(gone, 1<<30); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Attach of a missing process: %v, want os.ErrNotExist", err)
	}
	if path, _ := netns.Path(gone); fileExists(path) {
		t.Errorf("%s left behind by a failed Attach", path)
	}
	if err := netns.Attach("a/b", 1); !errors.Is(err, netns.ErrInvalidName) {
		t.Errorf("Attach(\"a/b\"): %v, want ErrInvalidName", err)
	}
	if err := netns.Attach(freshName(t), 0); err == nil {
		t.Error("Attach with pid 0 succeeded")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
