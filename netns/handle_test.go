package netns_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// statID returns the ID of the namespace file at path as the kernel reports
// it through stat(2), independently of the package's own fstat.
func statID(path string) (netns.ID, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return netns.ID{}, err
	}
	return netns.ID{Dev: uint64(st.Dev), Ino: st.Ino}, nil
}

func mustCurrent(t testing.TB) *netns.Handle {
	t.Helper()
	h, err := netns.Current()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func TestCurrentIsProcessNamespace(t *testing.T) {
	cur := mustCurrent(t)
	want, err := statID("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	if cur.ID() != want {
		t.Errorf("Current().ID() = %+v, stat(/proc/self/ns/net) = %+v", cur.ID(), want)
	}
	link, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	if got := cur.ID().String(); got != link {
		t.Errorf("ID().String() = %q, readlink = %q", got, link)
	}

	byPID, err := netns.OpenPID(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	defer byPID.Close()
	if !cur.Equal(byPID) || !byPID.Equal(cur) {
		t.Errorf("Current() and OpenPID(self) differ: %v, %v", cur.ID(), byPID.ID())
	}
	if fd := cur.Fd(); fd < 0 {
		t.Errorf("Fd() = %d on an open handle", fd)
	}
}

func TestOpenRejectsOtherFiles(t *testing.T) {
	regular := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(regular, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		regular,
		fifo,
		"/dev/null",
		"/proc/self/ns/uts", // a namespace, of another kind
		"/proc/self/ns",     // a directory
		filepath.Join(t.TempDir(), "missing"),
	} {
		h, err := netns.OpenPath(path)
		if err == nil {
			h.Close()
			t.Errorf("OpenPath(%q) succeeded", path)
			continue
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("OpenPath(%q) error %q does not name the path", path, err)
		}
	}
	for _, pid := range []int{0, -1} {
		if h, err := netns.OpenPID(pid); err == nil {
			h.Close()
			t.Errorf("OpenPID(%d) succeeded", pid)
		}
	}
}

func TestClose(t *testing.T) {
	h, err := netns.Current()
	if err != nil {
		t.Fatal(err)
	}
	id := h.ID()
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Close = %v, want os.ErrClosed", err)
	}
	if fd := h.Fd(); fd != -1 {
		t.Errorf("Fd() after Close = %d, want -1", fd)
	}
	if h.ID() != id {
		t.Errorf("ID changed by Close: %v, was %v", h.ID(), id)
	}
	called := false
	err = netns.Do(h, func() error { called = true; return nil })
	if !errors.Is(err, os.ErrClosed) || called {
		t.Errorf("Do on closed handle = %v, called %v; want os.ErrClosed, not called", err, called)
	}
}

func TestNilHandle(t *testing.T) {
	var h *netns.Handle
	if h.Fd() != -1 || h.ID() != (netns.ID{}) || h.Equal(h) || h.Close() == nil {
		t.Error("nil Handle: want Fd -1, zero ID, unequal to itself, Close error")
	}
	if err := netns.Do(nil, func() error { return nil }); err == nil {
		t.Error("Do(nil, fn) succeeded")
	}
	if err := netns.Do(mustCurrent(t), nil); err == nil {
		t.Error("Do(h, nil) succeeded")
	}
}

func TestOpenByNamePathAndPID(t *testing.T) {
	ns := nstest.New(t)

	if cur := mustCurrent(t); ns.Handle.Equal(cur) {
		t.Fatalf("new namespace %v equals the current one", ns.Handle.ID())
	}
	path, err := netns.Path(ns.Name)
	if err != nil {
		t.Fatal(err)
	}
	want, err := statID(path)
	if err != nil {
		t.Fatal(err)
	}
	if ns.Handle.ID() != want {
		t.Errorf("Open(%q).ID() = %v, stat = %v", ns.Name, ns.Handle.ID(), want)
	}
	byPath, err := netns.OpenPath(path)
	if err != nil {
		t.Fatal(err)
	}
	defer byPath.Close()
	if !byPath.Equal(ns.Handle) {
		t.Errorf("OpenPath(%q) = %v, Open(name) = %v", path, byPath.ID(), ns.Handle.ID())
	}

	// A process that iproute2 started in the namespace.
	cmd := nstest.Command(t, ns, "sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	// The pid is ip's until ip has entered the namespace and executed sleep.
	pid := cmd.Process.Pid
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
		if err != nil {
			t.Fatal(err)
		}
		if string(comm) == "sleep\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d is still %q after 5s", pid, comm)
		}
	}
	byPID, err := netns.OpenPID(pid)
	if err != nil {
		t.Fatal(err)
	}
	defer byPID.Close()
	if !byPID.Equal(ns.Handle) {
		t.Errorf("OpenPID(sleep in %s) = %v, want %v", ns.Name, byPID.ID(), ns.Handle.ID())
	}
}
