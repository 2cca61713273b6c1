package main

// "ipr vrf": the VRF devices and the processes bound to them through the
// cgroup v2 "vrf" hierarchy, as iproute2 6.1's ipvrf.c lists them.
// "vrf exec" is in vrf_exec.go.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// vrfUsage is ipvrf.c's usage text.
const vrfUsage = "Usage:\tipr vrf show [NAME] ...\n" +
	"\tipr vrf exec [NAME] cmd ...\n" +
	"\tipr vrf identify [PID]\n" +
	"\tipr vrf pids [NAME]\n"

// The exit statuses are ip's: do_cmd negates what do_ipvrf returns, so
// that its 1 is 255 and its -1 is 1.

// vrfVerbs are do_ipvrf's commands in its order of matches(); none
// does anything different with -s.
var vrfVerbs = [...]verb{
	{name: "identify", stats: true, run: vrfIdentify},
	{name: "pids", stats: true, run: vrfPids},
	{name: "exec", stats: true, run: vrfExec},
	{name: "show", stats: true, run: vrfShow},
	{name: "lst", stats: true, run: vrfShow},
	{name: "list", stats: true, run: vrfShow},
	{name: "help"},
}

// vrfCgroupMount is where ip mounts cgroup2 when nothing has
// (MNT_CGRP2_PATH).
const vrfCgroupMount = "/var/run/cgroup2"

// vrfNameLen is the size of ip's buffer for the VRF name of a process:
// longer names are cut to one byte less.
const vrfNameLen = 32

// vrfLink is what ipvrf.c reads of an RTM_NEWLINK: the name, whether the
// link is a VRF, and its table (0 when the kernel gave none, a bug ip
// reports).
type vrfLink struct {
	index int32
	name  string
	isVRF bool
	// hasData says IFLA_INFO_DATA is there: ipvrf_get_table treats a
	// VRF without it as no VRF, and one without a table in it as a bug.
	hasData bool
	table   uint32
}

// readVRFLink reads a link message's payload.
func readVRFLink(data []byte) vrfLink {
	attrs := nla.Chain(data[unix.SizeofIfInfomsg:])
	v := vrfLink{index: int32(binary.NativeEndian.Uint32(data[4:]))}
	if a, ok := attrs.Get(unix.IFLA_IFNAME); ok {
		v.name, _ = a.Text()
	}
	info, ok := attrs.Get(unix.IFLA_LINKINFO)
	if !ok {
		return v
	}
	kind, _ := info.Nested().Get(unix.IFLA_INFO_KIND)
	if s, _ := kind.Text(); s != "vrf" {
		return v
	}
	v.isVRF = true
	d, ok := info.Nested().Get(unix.IFLA_INFO_DATA)
	v.hasData = ok
	if t, ok := d.Nested().Get(unix.IFLA_VRF_TABLE); ok {
		v.table, _ = t.Uint32()
	}
	return v
}

// vrfGetLink is iproute2's RTM_GETLINK of one name for name_is_vrf and
// ipvrf_get_table: the request ip sends (the preferred family, the name
// with its NUL, no acknowledgement asked), and the link, or the errno of
// the kernel's refusal.
func vrfGetLink(e *env, name string) (vrfLink, error) {
	h, err := e.handle()
	if err != nil {
		return vrfLink{}, err
	}
	var v vrfLink
	err = h.RunGet(e.ctx, &rtnl.GetReq{
		Op:   "vrf get",
		Type: unix.RTM_NEWLINK,
		Request: func(b *wire.Builder) error {
			b.Begin(unix.RTM_GETLINK, 0)
			b.Fixed(unix.SizeofIfInfomsg)[0] = e.Family
			b.Binary(unix.IFLA_IFNAME, append([]byte(name), 0))
			b.End()
			return b.Err()
		},
		Reply: func(data []byte) error {
			if len(data) < unix.SizeofIfInfomsg {
				return errors.New("short link message")
			}
			v = readVRFLink(data)
			return nil
		},
	})
	return v, err
}

// isDialError says that err, from vrfGetLink, is ipr's failure to reach
// the kernel (worded already), not the kernel's answer: ip fails so
// before any command.
func isDialError(err error) bool {
	var ce *cliError
	return errors.As(err, &ce)
}

// vrfShow is ipvrf_show: one VRF's table, or the list of VRFs.
func vrfShow(e *env, a *args) error {
	rest := a.list[a.i:]
	switch len(rest) {
	case 0:
		return vrfList(e)
	case 1:
	default:
		return usageText(vrfUsage)
	}
	name := rest[0]
	v, err := vrfGetLink(e, name)
	if isDialError(err) {
		return err
	}
	var table uint32
	switch {
	case errors.Is(err, unix.ENODEV) && name == "default":
		table = unix.RT_TABLE_MAIN // the default VRF is the main table
	case err == nil && v.isVRF && v.hasData:
		if table = v.table; table == 0 {
			fmt.Fprintf(e.Stderr, "BUG: VRF %s is missing table id\n", name)
		}
	}
	if table == 0 {
		return &cliError{code: exitUsage, msg: "Invalid VRF"}
	}
	// A plain line, with -j too, as ip's printf.
	_, err = fmt.Fprintf(e.Stdout, "%s %d\n", name, table)
	return err
}

// vrfList lists the VRFs as ipvrf_show does: a dump of the links of
// kind "vrf" (for a family other than none or packet, the kernel dumps
// every link and the kind is checked here, as ip checks it), under a
// text heading.
func vrfList(e *env) error {
	// The heading is held with the rest: nothing is printed if the
	// dump fails, as ip prints only once it has every link.
	p := e.newPrinter()
	p.openArray("")
	p.text("%-16s  %5s\n", "Name", "Table")
	p.textString("-----------------------\n")
	h, err := e.handle()
	if err != nil {
		return err
	}
	n := 0
	h.RunDump(e.ctx, &rtnl.DumpReq{
		Op: "vrf show", What: "link", Type: unix.RTM_NEWLINK, HeaderLen: unix.SizeofIfInfomsg,
		Request: func(b *wire.Builder) error {
			b.Begin(unix.RTM_GETLINK, unix.NLM_F_DUMP)
			b.Fixed(unix.SizeofIfInfomsg)[0] = e.Family
			if e.Family == unix.AF_UNSPEC || e.Family == unix.AF_PACKET {
				// As ip's addattr_l builds it: the kind without its
				// NUL, the nest without NLA_F_NESTED.
				kind := binary.NativeEndian.AppendUint16(nil, 4+3)
				kind = binary.NativeEndian.AppendUint16(kind, unix.IFLA_INFO_KIND)
				b.Binary(unix.IFLA_LINKINFO, append(kind, 'v', 'r', 'f', 0))
			}
			b.End()
			return b.Err()
		},
		Each: func(data []byte, _ *nla.Index, dumpErr error) bool {
			if err = dumpErr; err != nil {
				return false
			}
			v := readVRFLink(data)
			switch {
			case v.name == "":
				index := int32(binary.NativeEndian.Uint32(data[4:]))
				fmt.Fprintf(e.Stderr, "BUG: device with ifindex %d has nil ifname\n", index)
			case !v.isVRF:
			case v.table == 0:
				fmt.Fprintf(e.Stderr, "BUG: VRF %s is missing table id\n", v.name)
			default:
				p.openObject("")
				p.str("name", "%-16s", v.name)
				p.uint("table", " %5d", uint64(v.table))
				p.endl()
				p.closeObject()
				n++
			}
			return true
		},
	})
	if err != nil {
		// ipvrf_show returns 1 after libnetlink's words.
		return refused(err, exitUsage, "Dump terminated")
	}
	if n == 0 {
		p.textString("No VRF has been configured\n")
	}
	return e.endList(p)
}

// vrfIdentify is ipvrf_identify: the VRF of a process (ipr's own without
// a pid), from its cgroup v2 path; nothing for a process in none.
func vrfIdentify(e *env, a *args) error {
	rest := a.list[a.i:]
	pid := uint32(os.Getpid())
	switch {
	case len(rest) > 1:
		return invarg("Extra arguments specified\n", rest[1])
	case len(rest) == 1:
		var ok bool
		if pid, ok = cUnsigned10(rest[0]); !ok {
			return invarg("Invalid pid\n", rest[0])
		}
	}
	vrf, err := vrfOfProcess(int32(pid))
	if err != nil {
		return &cliError{code: exitFailure, msg: "Failed to lookup vrf association: " + strerror(err)}
	}
	if vrf != "" {
		_, err = fmt.Fprintln(e.Stdout, vrf)
	}
	return err
}

// vrfOfProcess is ipvrf.c's vrf_identify: the VRF of a process, from
// /proc/PID/cgroup.
func vrfOfProcess(pid int32) (string, error) {
	lines, err := readLines("/proc/" + strconv.Itoa(int(pid)) + "/cgroup")
	return vrfOfCgroups(lines), err
}

// vrfOfCgroups reads the lines of a /proc/PID/cgroup file: the name after
// "/vrf/" on the first line of the controller-less hierarchy ("0::/...")
// that has one, cut as ip's buffer cuts it.
func vrfOfCgroups(lines []string) string {
	for _, line := range lines {
		if !strings.Contains(line, "::/") {
			continue
		}
		if _, vrf, ok := strings.Cut(line, "/vrf/"); ok {
			if len(vrf) >= vrfNameLen {
				vrf = vrf[:vrfNameLen-1]
			}
			return vrf
		}
	}
	return ""
}

// cUnsigned10 is iproute2's get_unsigned in base 10: strtoul's leading
// blanks and sign (a negative number wraps, so only -0 fits), nothing
// after the digits, and the value within 32 bits.
func cUnsigned10(s string) (uint32, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || neg && v != 0 {
		return 0, false
	}
	return uint32(v), true
}

// vrfPids is ipvrf_pids: the processes in the VRF's cgroups of this
// network namespace, under every "vrf" directory of the cgroup v2
// hierarchy.
func vrfPids(e *env, a *args) error {
	rest := a.list[a.i:]
	if len(rest) != 1 {
		return &cliError{code: exitFailure, msg: "Invalid arguments"}
	}
	name := rest[0]
	v, err := vrfGetLink(e, name)
	if isDialError(err) {
		return err
	}
	if err != nil || !v.isVRF {
		return &cliError{code: exitFailure, msg: "Invalid VRF name"}
	}
	mnt, err := cgroup2Mount(e.Stderr)
	if err != nil {
		return err
	}
	ns, msg, err := vrfNetnsName(e)
	if err != nil && err != errNoRunDir {
		return &cliError{code: exitFailure, msg: msg + "\nFailed to get name of network namespace: " + strerror(err)}
	}
	if ns != "" {
		ns += "-ns"
	}
	w := bufio.NewWriter(e.Stdout)
	if !vrfCgroupPids(w, mnt, name, ns) {
		w.Flush()
		return errExit(exitFailure)
	}
	return w.Flush()
}

// vrfNetnsName is the name of the network namespace ip's
// netns_identify_pid("self") finds: ip enters the namespace of -n, ipr
// works in it through its handle.
func vrfNetnsName(e *env) (name, msg string, err error) {
	if e.ns == nil {
		return netnsOfPid("self")
	}
	var target unix.Stat_t
	if err := unix.Fstat(e.ns.Fd(), &target); err != nil {
		return "", "Cannot open network namespace: " + strerror(err), err
	}
	return netnsNameOf(&target)
}

// cgroup2Mount is iproute2's find_cgroup2_mount(true): the first cgroup2
// mount of /proc/mounts (its path as the file spells it), else cgroup2
// mounted at vrfCgroupMount.
func cgroup2Mount(stderr io.Writer) (string, error) {
	lines, err := readLines("/proc/mounts")
	if err != nil {
		// ip says so, then mounts its own.
		fmt.Fprintln(stderr, "Failed to open mounts file: "+strerror(err))
	}
	for _, line := range lines {
		if f := strings.Fields(line); len(f) >= 3 && f[2] == "cgroup2" {
			return f[1], nil
		}
	}
	if os.MkdirAll(vrfCgroupMount, 0o755) != nil {
		return "", &cliError{code: exitFailure, msg: "Failed to setup cgroup2 directory"}
	}
	switch err := unix.Mount("none", vrfCgroupMount, "cgroup2", 0, ""); {
	case err == nil, errors.Is(err, unix.EBUSY): // EBUSY: mounted already
		return vrfCgroupMount, nil
	case errors.Is(err, unix.ENODEV):
		return "", &cliError{code: exitFailure, msg: "Failed to mount cgroup2. Are CGROUPS enabled in your kernel?"}
	default:
		return "", &cliError{code: exitFailure, msg: "Failed to mount cgroup2: " + strerror(err)}
	}
}

// vrfCgroupPids is ipvrf.c's recurse_dir: it walks dir in the
// directory's order and, at each "vrf" entry of a directory named ns
// (any directory when ns is empty), prints the processes of
// vrf/NAME/cgroup.procs. It reports false when a directory cannot be
// read, where ip stops.
func vrfCgroupPids(w io.Writer, dir, name, ns string) bool {
	d, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	for _, n := range names {
		if n == "vrf" {
			if ns == "" || dir[strings.LastIndexByte(dir, '/')+1:] == ns {
				printCgroupProcs(w, dir+"/vrf/"+name+"/cgroup.procs")
			}
			continue
		}
		sub := dir + "/" + n
		var st unix.Stat_t
		if unix.Lstat(sub, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR {
			continue
		}
		if !vrfCgroupPids(w, sub, name, ns) {
			return false
		}
	}
	return true
}

// printCgroupProcs is read_cgroup_pids: each pid of a cgroup.procs file
// with its command name, nothing when the file cannot be read.
func printCgroupProcs(w io.Writer, path string) {
	pids, _ := readLines(path)
	for _, pid := range pids {
		fmt.Fprintf(w, "%5s  %s\n", pid, commandName(pid))
	}
}

// commandName is iproute2's get_command_name: the Name of
// /proc/PID/status, cut to 31 bytes, or "<terminated?>" when the process
// is gone.
func commandName(pid string) string {
	lines, err := readLines("/proc/" + pid + "/status")
	if err != nil {
		return "<terminated?>"
	}
	for _, line := range lines {
		_, name, ok := strings.Cut(line, "Name:")
		if !ok {
			continue
		}
		name = strings.TrimLeft(name, " \t\n\v\f\r")
		if len(name) >= vrfNameLen {
			name = name[:vrfNameLen-1]
		}
		return name
	}
	return ""
}

// readLines returns the lines of a text file as ip's fgets loops see
// them, without their newlines.
func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"), nil
}
