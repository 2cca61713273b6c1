package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// vrfChildEnv makes the test binary TestVrfExecBindsSockets's child:
// "NAMESPACE IFINDEX".
const vrfChildEnv = "IPR_TEST_VRF_CHILD"

// TestVrfExecBindsSockets checks vrf exec's mechanism without a VRF
// device (this kernel may have none): a child, in a private mount
// namespace where it mounts cgroup2 itself, joins through vrfJoin a
// cgroup it makes for a veth's index, then opens a socket in that veth's
// namespace, which must be bound to the veth. The child leaves the cgroup
// and removes it before it exits.
func TestVrfExecBindsSockets(t *testing.T) {
	if arg := os.Getenv(vrfChildEnv); arg != "" {
		vrfExecChildTest(arg)
		return
	}
	nstest.RequirePrivileged(t)
	ns := nstest.New(t)
	ipCommands(t, ns, "link add v0 type veth peer name v1")
	var ifindex int
	err := netns.Do(ns.Handle, func() error {
		ifi, err := net.InterfaceByName("v0")
		if err == nil {
			ifindex = ifi.Index
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestVrfExecBindsSockets$", "-test.count=1")
	cmd.Env = append(os.Environ(), vrfChildEnv+"="+ns.Name+" "+strconv.Itoa(ifindex))
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: unix.CLONE_NEWNS}
	out, err := cmd.CombinedOutput()
	got := string(out)
	if reason, ok := strings.CutPrefix(got, "SKIP: "); ok {
		t.Skipf("no cgroup2 for vrf exec: %s", reason)
	}
	t.Log(strings.TrimSpace(got))
	if err != nil || !strings.HasPrefix(got, "bound v0, vrf vrf0, removed\n") {
		t.Fatalf("child (%v):\n%s", err, got)
	}
}

// vrfExecChildTest is TestVrfExecBindsSockets's child: it prints the
// device its socket is bound to, the VRF its cgroup names and whether it
// removed the cgroup, or a line "SKIP: why" when it cannot mount
// cgroup2, then exits.
func vrfExecChildTest(arg string) {
	nsName, index, _ := strings.Cut(arg, " ")
	ifindex, _ := strconv.Atoi(index)
	dir, err := os.MkdirTemp("", "ipr-vrf-cgroup")
	if err != nil {
		fmt.Println("SKIP:", err)
		os.Exit(0)
	}
	if err := unix.Mount("none", dir, "cgroup2", 0, ""); err != nil {
		os.Remove(dir)
		fmt.Println("SKIP: mount cgroup2:", err)
		os.Exit(0)
	}
	lines, _ := readLines("/proc/self/cgroup")
	home := vrfBasePath(lines)
	group := dir + home + "/ipr-vrf-test-" + strconv.Itoa(os.Getpid())
	path := vrfCgroupPath(dir+home, "/ipr-vrf-test-"+strconv.Itoa(os.Getpid()), "", "vrf0", ifindex)
	err = vrfJoin(os.Stdout, path, ifindex)
	bound, vrf := "", ""
	if err == nil {
		vrf, _ = vrfOfProcess(int32(os.Getpid()))
		bound, err = vrfBoundDevice(nsName)
	}
	// Back home, then the cgroups made go.
	leave := os.WriteFile(dir+home+"/cgroup.procs", []byte(strconv.Itoa(os.Getpid())), 0)
	removed := "removed"
	for _, p := range []string{path, group + "/vrf", group} {
		if e := os.Remove(p); e != nil && leave == nil {
			removed = e.Error()
		}
	}
	if leave != nil {
		removed = "cannot leave: " + leave.Error()
	}
	unix.Unmount(dir, unix.MNT_DETACH)
	os.Remove(dir)
	if err != nil {
		fmt.Println("error:", err, removed)
		os.Exit(1)
	}
	fmt.Printf("bound %s, vrf %s, %s\n", bound, vrf, removed)
	os.Exit(0)
}

// vrfBoundDevice opens a UDP socket in the named namespace and returns
// the device it is bound to (SO_BINDTODEVICE).
func vrfBoundDevice(nsName string) (string, error) {
	runtime.LockOSThread() // the child ends in the namespace
	fd, err := unix.Open(netns.RunDir+"/"+nsName, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", err
	}
	err = unix.Setns(fd, unix.CLONE_NEWNET)
	unix.Close(fd)
	if err != nil {
		return "", err
	}
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return "", err
	}
	defer unix.Close(s)
	return unix.GetsockoptString(s, unix.SOL_SOCKET, unix.SO_BINDTODEVICE)
}

// TestVrfCgroupPath checks the cgroup vrf_switch makes from the process's
// cgroup, the namespace's name and the VRF.
func TestVrfCgroupPath(t *testing.T) {
	for _, c := range []struct {
		cgroups []string
		ns      string
		name    string
		ifindex int
		want    string
	}{
		{[]string{"0::/"}, "", "blue", 5, "/mnt/vrf/blue"},
		{[]string{"1:cpu:/x", "0::/user.slice/vrf/red"}, "", "blue", 5, "/mnt/user.slice/vrf/blue"},
		{[]string{"0::/a"}, "ns1", "blue", 5, "/mnt/a/ns1-ns/vrf/blue"},
		{[]string{"0::/a/ns1-ns/vrf/red"}, "ns1", "blue", 5, "/mnt/a//ns1-ns/vrf/blue"},
		{[]string{"0::/"}, "", "default", 0, "/mnt/vrf/"},
		{[]string{"4:memory:/m"}, "", "blue", 5, "/mnt/vrf/blue"},
	} {
		if got := vrfCgroupPath("/mnt", vrfBasePath(c.cgroups), c.ns, c.name, c.ifindex); got != c.want {
			t.Errorf("%q, ns %q, %s: %q, want %q", c.cgroups, c.ns, c.name, got, c.want)
		}
	}
}
