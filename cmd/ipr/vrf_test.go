package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// vrfTestLink is a link of the VRF listings: kind "" for none; a VRF
// with table 0 has an empty IFLA_INFO_DATA, a bug ip reports; noName
// leaves IFLA_IFNAME out, another.
type vrfTestLink struct {
	index  int32
	name   string
	kind   string
	table  uint32
	noName bool
}

// vrfTestLinks are what the fake kernel lists: the kernel filters a dump
// by kind, the fake does not, as a kernel older than the filter, so ip
// skips the others itself.
var vrfTestLinks = []vrfTestLink{
	{index: 10, name: "vrf0", kind: "vrf", table: 10},
	{index: 11, name: "vrf-blue", kind: "vrf", table: 4000000000},
	{index: 12, name: "p5", kind: "veth"},
	{index: 13, name: "vrfbug", kind: "vrf"},
	{index: 14, name: "plain"},
	{index: 15, kind: "vrf", table: 20, noName: true},
}

// message is the link's RTM_NEWLINK, as the kernel sends it: its nests
// without NLA_F_NESTED, which ipvrf.c's parse_rtattr does not mask.
func (l vrfTestLink) message() []byte {
	p := nltest.Link{Index: l.index, Name: l.name, MTU: 1500}.Payload()
	if l.noName {
		p = make([]byte, unix.SizeofIfInfomsg)
		binary.NativeEndian.PutUint32(p[4:], uint32(l.index))
	}
	if l.kind != "" {
		info := appendAttr(nil, unix.IFLA_INFO_KIND, append([]byte(l.kind), 0))
		if l.kind == "vrf" {
			var data []byte
			if l.table != 0 {
				data = appendAttr(nil, unix.IFLA_VRF_TABLE, binary.NativeEndian.AppendUint32(nil, l.table))
			}
			info = appendAttr(info, unix.IFLA_INFO_DATA, data)
		}
		p = appendAttr(p, unix.IFLA_LINKINFO, info)
	}
	return nltest.Message(unix.RTM_NEWLINK, p)
}

// vrfGoldenCommands are the command lines compared under the fake
// kernel.
var vrfGoldenCommands = []string{
	"vrf show", "vrf", "vrf lst", "-j vrf show", "-j -p vrf show", "-4 vrf show",
	"vrf show vrf0", "vrf show vrf-blue", "-j vrf show vrf0", "vrf show p5", "vrf show vrfbug",
	"vrf show plain", "vrf show lo", "vrf show default", "vrf show nosuch",
	"vrf pids p5", "vrf pids nosuch",
}

// TestVrfShowAsIP lists VRFs, which this kernel may not have, with ipr
// through nltest's fake kernel and compares with what ip 6.1 printed
// for the same messages under the fakertnl shim (testdata/vrfprint.txt;
// IPR_VRF_WRITE=1 rewrites it, with gcc and ip). The goldens hold the
// standard output and exit status; the bugs ip reports on standard error
// are checked here.
func TestVrfShowAsIP(t *testing.T) {
	if binaryNativeIsBig() {
		t.Skip("the golden is little-endian")
	}
	var msgs [][]byte
	for _, l := range vrfTestLinks {
		msgs = append(msgs, l.message())
	}
	serveLinks(t, msgs)
	compareShimGoldens(t, filepath.Join("testdata", "vrfprint.txt"), "IPR_VRF_WRITE", msgs, vrfGoldenCommands)
	for _, c := range []struct{ cmd, stderr string }{
		{"vrf show", "BUG: VRF vrfbug is missing table id\nBUG: device with ifindex 15 has nil ifname\n"},
		{"vrf show vrfbug", "BUG: VRF vrfbug is missing table id\nInvalid VRF\n"},
		{"vrf show nosuch", "Invalid VRF\n"},
		{"vrf pids p5", "Invalid VRF name\n"},
	} {
		if _, errs, _ := iprIn(nil, "", strings.Fields(c.cmd)...); errs != c.stderr {
			t.Errorf("ipr %s: stderr %q, want %q", c.cmd, errs, c.stderr)
		}
	}
}

// TestVrfRequests checks the requests of "vrf show" against ip 6.1's
// (strace -xx ip vrf show; ip -4 vrf show; ip vrf show vrf0), sequence
// number and port left out: the kind filter as ip builds it (no NUL, no
// NLA_F_NESTED), none for a family ip does not filter for, and the name
// with its NUL and no acknowledgement asked.
func TestVrfRequests(t *testing.T) {
	if binaryNativeIsBig() {
		t.Skip("the requests are written little-endian")
	}
	var got []string
	fake := nltest.NewRTNL()
	fake.Handle(unix.RTM_GETLINK, func(req wire.Message) ([][]byte, error) {
		got = append(got, fmt.Sprintf("%d %#x %x", req.Header.Type, req.Header.Flags, req.Data))
		return nil, unix.ENODEV
	})
	useTransport(t, fake.Dial)
	ifinfomsg := strings.Repeat("00", unix.SizeofIfInfomsg)
	for _, c := range []struct{ cmd, want string }{
		// IFLA_LINKINFO (12 bytes) of IFLA_INFO_KIND (7) "vrf", padded.
		{"vrf show", "18 0x301 " + ifinfomsg + "0c001200" + "07000100" + "76726600"},
		{"-4 vrf show", "18 0x301 02" + ifinfomsg[2:]},
		// IFLA_IFNAME (9 bytes) "vrf0\0", padded.
		{"vrf show vrf0", "18 0x1 " + ifinfomsg + "09000300" + "7672663000000000"},
	} {
		got = nil
		iprIn(nil, "", strings.Fields(c.cmd)...)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("ipr %s: requests %q, want %q", c.cmd, got, c.want)
		}
	}
}

// TestVrfAsIP compares ipr vrf with ip vrf in a namespace: without VRF
// devices (the listing, the default VRF, wrong names and arguments, the
// VRF of processes) and, on a kernel with them, with two.
func TestVrfAsIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link add va type veth peer name vb")
	cmds := []string{
		"vrf", "vrf show", "vrf list", "-j vrf show", "-j -p vrf show", "-6 vrf show", "-s vrf show",
		"vrf show default", "-j vrf show default", "vrf show va", "vrf show nosuch", "vrf show a b",
		"vrf show 0123456789abcdefghij", "vrf help", "vrf nosuchverb",
		"vrf identify 1", "vrf identify " + strconv.Itoa(os.Getpid()), "vrf identify 0", "vrf identify -0",
		"vrf identify +1", "vrf identify abc", "vrf identify 1 2", "vrf identify 4294967296",
		"vrf pids", "vrf pids a b", "vrf pids va", "vrf pids nosuch", "vrf p va", "vrf i 1",
		"vrf exec", "vrf exec va", "vrf exec va true", "vrf exec nosuch true", "vrf e va true",
	}
	for _, c := range cmds {
		sameAsIP(t, ns, nil, strings.Fields(c)...)
	}
	t.Run("link:vrf", func(t *testing.T) {
		nstest.Require(t, "link:vrf")
		ipCommands(t, ns, "link add vrf0 type vrf table 10", "link add vrf-blue type vrf table 4000000000",
			"link set va master vrf0")
		cmds := []string{"vrf show", "-j vrf show", "-j -p vrf show", "vrf show vrf0", "vrf show vrf-blue", "vrf show va"}
		// "vrf pids" of a VRF mounts a cgroup2 hierarchy on the host
		// (ip and ipr alike) when none is mounted: compared only where
		// one is, so that the test changes nothing outside its namespace.
		if mounts, err := os.ReadFile("/proc/mounts"); err == nil && strings.Contains(string(mounts), " cgroup2 ") {
			cmds = append(cmds, "vrf pids vrf0")
		} else {
			t.Log("no cgroup2 mounted: vrf pids of a VRF left out")
		}
		for _, c := range cmds {
			sameAsIP(t, ns, nil, strings.Fields(c)...)
		}
	})
}

// TestVrfCgroupPids walks a made-up cgroup hierarchy: the processes of
// the VRF's cgroups under every "vrf" directory, or only under the one
// of the namespace, with their names.
func TestVrfCgroupPids(t *testing.T) {
	root := t.TempDir()
	self := strconv.Itoa(os.Getpid())
	// A pid above the kernel's limit belongs to no process.
	gone := "4194305"
	write := func(dir, procs string) {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, dir, "cgroup.procs"), []byte(procs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/vrf/vrf0", self+"\n")
	write("a/blue-ns/vrf/vrf0", gone+"\n")
	write("a/blue-ns/vrf/vrf1", self+"\n")
	write("b/vrf/vrf1", "")
	name := commandName(self)
	if name == "" || name == "<terminated?>" {
		t.Fatalf("commandName(%s) = %q", self, name)
	}
	for _, c := range []struct {
		vrf, ns string
		want    []string
	}{
		{"vrf0", "", []string{padPid(self) + "  " + name, padPid(gone) + "  <terminated?>"}},
		{"vrf0", "blue-ns", []string{padPid(gone) + "  <terminated?>"}},
		{"vrf1", "blue-ns", []string{padPid(self) + "  " + name}},
		{"vrf2", "", nil},
	} {
		var b strings.Builder
		if !vrfCgroupPids(&b, root, c.vrf, c.ns) {
			t.Errorf("%s %q: walk failed", c.vrf, c.ns)
		}
		// The walk follows the directories' order, which is the file
		// system's: compare as sets.
		got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if b.Len() == 0 {
			got = nil
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(c.want))) {
			t.Errorf("%s %q: got %q, want %q", c.vrf, c.ns, got, c.want)
		}
	}
	if vrfCgroupPids(&strings.Builder{}, filepath.Join(root, "nosuch"), "vrf0", "") {
		t.Error("a missing hierarchy was walked")
	}
}

// padPid is read_cgroup_pids's "%5s".
func padPid(pid string) string { return strings.Repeat(" ", max(0, 5-len(pid))) + pid }

// TestVrfIdentifyParts reads made-up /proc/PID/cgroup files as ip's
// vrf_identify, and pids as iproute2's get_unsigned.
func TestVrfIdentifyParts(t *testing.T) {
	for _, c := range []struct {
		lines []string
		want  string
	}{
		{[]string{"0::/user.slice/session-1.scope"}, ""},
		{[]string{"0::/vrf/blue"}, "blue"},
		{[]string{"0::/system.slice/red-ns/vrf/red"}, "red"},
		// A controller's hierarchy (cgroup v1) does not count.
		{[]string{"4:cpu:/vrf/green", "0::/"}, ""},
		{[]string{"0::/a", "0::/vrf/second"}, "second"},
		{[]string{"0::/vrf/" + strings.Repeat("x", 40)}, strings.Repeat("x", vrfNameLen-1)},
		{nil, ""},
	} {
		if got := vrfOfCgroups(c.lines); got != c.want {
			t.Errorf("vrfOfCgroups(%q) = %q, want %q", c.lines, got, c.want)
		}
	}
	for in, want := range map[string]uint32{"1": 1, " 7": 7, "+7": 7, "-0": 0, "4294967295": 4294967295} {
		if got, ok := cUnsigned10(in); !ok || got != want {
			t.Errorf("cUnsigned10(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-1", "4294967296", "1x", "0x10", " ", "+"} {
		if got, ok := cUnsigned10(in); ok {
			t.Errorf("cUnsigned10(%q) = %d, want invalid", in, got)
		}
	}
}

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
	cmd.SysProcAttr = &unix.SysProcAttr{Unshareflags: unix.CLONE_NEWNS}
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
	h, err := netns.Open(nsName)
	if err != nil {
		return "", err
	}
	defer h.Close()
	var dev string
	err = netns.Do(h, func() error {
		s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(s)
		dev, err = unix.GetsockoptString(s, unix.SOL_SOCKET, unix.SO_BINDTODEVICE)
		return err
	})
	return dev, err
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

// TestVrfExecDefault runs "ipr vrf exec default cat /proc/self/cgroup",
// then ip's, each in a private mount namespace with no cgroup2 mounted
// and a /run of its own, so that each mounts cgroup2 at vrfCgroupMount:
// cat must run in the "vrf" cgroup under the test's own, which the test
// removes after each, and both must print the same. It is skipped when
// that cgroup exists already, or when the host has no cgroup2 mounted to
// remove it through.
func TestVrfExecDefault(t *testing.T) {
	nstest.RequirePrivileged(t)
	mounts, _ := readLines("/proc/mounts")
	var cgroup2 []string
	for _, line := range mounts {
		if f := strings.Fields(line); len(f) >= 3 && f[2] == "cgroup2" {
			cgroup2 = append(cgroup2, f[1])
		}
	}
	if len(cgroup2) == 0 {
		t.Skip("no cgroup2 mounted: the cgroup vrf exec makes could not be removed")
	}
	lines, _ := readLines("/proc/self/cgroup")
	base := vrfBasePath(lines)
	group := cgroup2[0] + base + "/vrf"
	if _, err := os.Stat(group); err == nil {
		t.Skipf("%s exists already", group)
	}
	defer os.Remove(group)
	script := ""
	for _, m := range cgroup2 {
		script += "umount -l " + m + " && "
	}
	script += "mount -t tmpfs none /run && exec \"$0\" vrf exec default cat /proc/self/cgroup"
	var outs []string
	for _, prog := range []string{os.Args[0], "ip"} {
		cmd := exec.Command("sh", "-c", script, prog)
		cmd.Env = append(os.Environ(), cliMainEnv+"=1")
		cmd.SysProcAttr = &unix.SysProcAttr{Unshareflags: unix.CLONE_NEWNS}
		out, err := cmd.CombinedOutput()
		if want := "0::" + base + "/vrf\n"; err != nil || !strings.HasSuffix(string(out), want) {
			t.Errorf("%s vrf exec default (%v):\n%s\nwant a last line %q", prog, err, out, want)
		}
		if err := os.Remove(group); err != nil {
			t.Errorf("removing the cgroup: %v", err)
		}
		outs = append(outs, string(out))
	}
	if outs[0] != outs[1] {
		t.Errorf("ipr printed %q, ip %q", outs[0], outs[1])
	}
}
