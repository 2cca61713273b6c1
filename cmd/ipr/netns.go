package main

// ip netns: named network namespaces in /run/netns (package netns), their
// ids (RTM_GETNSID, RTM_NEWNSID), and running commands inside them, with
// iproute2 6.1's ipnetns.c's messages and exit statuses.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

const netnsUsage = `Usage:	ipr netns list
	ipr netns add NAME
	ipr netns attach NAME PID
	ipr netns set NAME NETNSID
	ipr [-all] netns delete [NAME]
	ipr netns identify [PID]
	ipr netns pids NAME
	ipr [-all] netns exec [NAME] cmd ...
	ipr netns monitor
	ipr netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
`

// netnsVerbs are do_netns's commands in its order.
var netnsVerbs = [...]verb{
	{name: "list", run: netnsList},
	{name: "show", run: netnsList},
	{name: "lst", run: netnsList},
	{name: "list-id", run: netnsListID},
	{name: "help"},
	{name: "add", run: func(e *env, a *args) error { return netnsAdd(e, a, false) }},
	{name: "set", run: netnsSet},
	{name: "delete", run: netnsDelete},
	{name: "identify", run: netnsIdentify},
	{name: "pids", run: netnsPids},
	{name: "exec", run: netnsExec},
	{name: "monitor", run: netnsMonitor},
	{name: "attach", run: func(e *env, a *args) error { return netnsAdd(e, a, true) }},
}

// netnsCheck is do_netns's test of the name before the command is looked
// up: the second word, when there is one, must be a valid name.
func netnsCheck(e *env, argv []string) error {
	if !e.All && len(argv) > 1 {
		if _, err := netns.Path(argv[1]); err != nil {
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Invalid netns name %q", argv[1])}
		}
	}
	return nil
}

// failf is a failure of a netns command: ip prints it and exits with 1.
func failf(format string, a ...any) error {
	return &cliError{code: exitFailure, msg: fmt.Sprintf(format, a...)}
}

// runDirNames are the names in /run/netns in the directory's order, as
// ip's readdir loops see them (netns.List sorts them).
func runDirNames() ([]string, error) {
	d, err := os.Open(netns.RunDir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

func netnsList(e *env, a *args) error {
	names, err := runDirNames()
	if err != nil {
		return nil // ip lists nothing when it cannot open the directory
	}
	ids := namespaceIDList(e.ctx, e.ns, names)
	p := e.newPrinter()
	p.openArray("")
	for i, name := range names {
		p.openObject("")
		p.str("name", "%s", name)
		if ids[i] >= 0 {
			p.int("id", " (id: %d)", int64(ids[i]))
		}
		p.endl()
		p.closeObject()
	}
	return e.endList(p)
}

// nsidRequest is an RTM_GETNSID or RTM_NEWNSID request: struct nlmsghdr,
// struct rtgenmsg padded to 4 bytes, and u32 attributes.
func nsidRequest(typ uint16, attrs ...[2]uint32) []byte {
	req := make([]byte, unix.NLMSG_HDRLEN+4, unix.NLMSG_HDRLEN+4+8*len(attrs))
	for _, at := range attrs {
		req = binary.NativeEndian.AppendUint16(req, 8)
		req = binary.NativeEndian.AppendUint16(req, uint16(at[0]))
		req = binary.NativeEndian.AppendUint32(req, at[1])
	}
	binary.NativeEndian.PutUint32(req[0:], uint32(len(req)))
	binary.NativeEndian.PutUint16(req[4:], typ)
	return req
}

func netnsListID(e *env, a *args) error {
	targetNSID, nsid := int64(-1), int64(-1)
	for a.more() {
		switch w := a.advance(); w {
		case "target-nsid", "nsid":
			v := &nsid
			if w == "target-nsid" {
				v = &targetNSID
			}
			if *v >= 0 {
				return duparg(w, w)
			}
			s, err := a.value(w)
			if err != nil {
				return err
			}
			n, err := strconv.ParseInt(s, 0, 32)
			if err != nil {
				return invarg(`"`+w+`" value is invalid`, s)
			}
			if n < 0 {
				// ip names the word after the value here.
				next := "(null)"
				if a.more() {
					next = a.peek()
				}
				return invarg(`"`+w+`" value should be >= 0`, next)
			}
			*v = n
		default:
			return usageText(netnsUsage)
		}
	}
	// ip's socket for ids checks dump requests strictly, which is what
	// makes the kernel apply target-nsid.
	c, err := dialRaw(&socket.Config{Netns: e.ns, ExtAck: true, StrictCheck: true})
	if err != nil {
		return dialError(e.Netns, err)
	}
	defer c.Close()
	var attrs [][2]uint32
	if nsid >= 0 {
		attrs = append(attrs, [2]uint32{unix.NETNSA_NSID, uint32(nsid)})
	}
	if targetNSID >= 0 {
		attrs = append(attrs, [2]uint32{unix.NETNSA_TARGET_NSID, uint32(targetNSID)})
	}
	req := nsidRequest(unix.RTM_GETNSID, attrs...)
	names := namespaceIDs(e.ctx, e.ns)
	p := e.newPrinter()
	p.openArray("")
	print := func(m wire.Message) error {
		printNSID(p, m, names)
		return nil
	}
	if nsid >= 0 {
		if err := c.Execute(e.ctx, req, print); err != nil {
			return err
		}
	} else {
		for m, err := range c.Dump(e.ctx, req) {
			if err != nil {
				return dumpTerminated(err)
			}
			print(m)
		}
	}
	return e.endList(p)
}

// printNSID is iproute2's print_nsid for RTM_NEWNSID and RTM_DELNSID.
func printNSID(p *printer, m wire.Message, names map[int32]string) {
	if (m.Header.Type != unix.RTM_NEWNSID && m.Header.Type != unix.RTM_DELNSID) || len(m.Data) < 4 {
		return
	}
	tb := nla.Chain(m.Data[4:])
	a, ok := tb.Get(unix.NETNSA_NSID)
	if !ok {
		return
	}
	p.openObject("")
	if m.Header.Type == unix.RTM_DELNSID {
		p.boolean("deleted", "Deleted ", true)
	}
	id := int32(attrU32(a))
	if id < 0 {
		p.textString("nsid unassigned ")
	} else {
		p.int("nsid", "nsid %d ", int64(id))
	}
	key := id
	if c, ok := tb.Get(unix.NETNSA_CURRENT_NSID); ok {
		key = int32(attrU32(c))
		if key < 0 {
			p.textString("current-nsid unassigned ")
		} else {
			p.int("current-nsid", "current-nsid %d ", int64(key))
		}
	}
	if name, ok := names[key]; ok && key >= 0 {
		p.str("name", "(iproute2 netns name: %s)", name)
	}
	p.endl()
	p.closeObject()
}

func netnsAdd(e *env, a *args, attach bool) error {
	rest := a.list[a.i:]
	var pid int
	if attach {
		if len(rest) < 2 {
			return failf("No netns name and PID specified")
		}
		n, err := strconv.ParseInt(rest[1], 0, 32)
		if err != nil || n == 0 {
			return failf("Invalid PID: %s", rest[1])
		}
		pid = int(n)
	} else if len(rest) < 1 {
		return failf("No netns name specified")
	}
	name := rest[0]
	var err error
	if attach {
		err = netns.Attach(name, pid)
	} else {
		err = netns.Add(name)
	}
	if err == nil {
		return nil
	}
	path := netns.RunDir + "/" + name
	var pe *os.PathError
	switch {
	case errors.Is(err, fs.ErrExist), errors.As(err, &pe) && pe.Path == path && pe.Op == "open":
		return failf("Cannot create namespace file %q: %s", path, strerror(err))
	case errors.As(err, &pe) && strings.HasPrefix(pe.Op, "mount --bind "):
		return failf("Bind %s -> %s failed: %s", strings.TrimPrefix(pe.Op, "mount --bind "), path, strerror(err))
	case errors.As(err, &pe) && pe.Path == netns.RunDir:
		return failf("mount --make-shared %s failed: %s", netns.RunDir, strerror(err))
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return failf("Failed to create a new network namespace %q: %s", name, strerror(err))
	}
	return failf("%s", strerror(err))
}

func netnsSet(e *env, a *args) error {
	rest := a.list[a.i:]
	if len(rest) < 1 {
		return failf("No netns name specified")
	}
	if len(rest) < 2 {
		return failf("No nsid specified")
	}
	name := rest[0]
	nsid := int64(-1)
	if rest[1] != "auto" {
		n, err := strconv.ParseInt(rest[1], 0, 32)
		if err != nil {
			return invarg(`Invalid "netnsid" value`, rest[1])
		}
		if n < 0 {
			return invarg(`"netnsid" value should be >= 0`, rest[1])
		}
		nsid = n
	}
	ns, err := openNamed(name)
	if err != nil {
		return failf("Cannot open network namespace %q: %s", name, strerror(err))
	}
	defer ns.Close()
	c, err := dialRaw(&socket.Config{Netns: e.ns, ExtAck: true})
	if err != nil {
		return dialError(e.Netns, err)
	}
	defer c.Close()
	req := nsidRequest(unix.RTM_NEWNSID,
		[2]uint32{unix.NETNSA_FD, uint32(ns.Fd())}, [2]uint32{unix.NETNSA_NSID, uint32(nsid)})
	return c.Execute(e.ctx, req, nil)
}

// openNamed opens a namespace by name, or by path when the name holds a
// '/' (iproute2's netns_get_fd).
func openNamed(name string) (*netns.Handle, error) {
	if strings.Contains(name, "/") {
		return netns.OpenPath(name)
	}
	return netns.Open(name)
}

func netnsDelete(e *env, a *args) error {
	rest := a.list[a.i:]
	if len(rest) < 1 && !e.All {
		return failf("No netns name specified")
	}
	if !e.All {
		return deleteNamed(rest[0])
	}
	names, err := allNamed()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := deleteNamed(name); err != nil {
			return err
		}
	}
	return nil
}

// allNamed are the names -all acts on (iproute2's netns_foreach): none
// when /run/netns does not exist.
func allNamed() ([]string, error) {
	names, err := runDirNames()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, failf("Failed to open directory %s: %s", netns.RunDir, strerror(err))
	}
	return names, nil
}

// deleteNamed is ip's on_netns_del: detach the mount, remove the file.
func deleteNamed(name string) error {
	path := netns.RunDir + "/" + name
	unix.Unmount(path, unix.MNT_DETACH)
	if err := unix.Unlink(path); err != nil {
		return failf("Cannot remove namespace file %q: %s", path, strerror(err))
	}
	return nil
}

// isPID is iproute2's is_pid: digits only (and so "" too).
func isPID(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func netnsIdentify(e *env, a *args) error {
	rest := a.list[a.i:]
	pid := "self"
	switch {
	case len(rest) > 1:
		return failf("extra arguments specified")
	case len(rest) == 1:
		pid = rest[0]
		if !isPID(pid) {
			return failf("Specified string '%s' is not a pid", pid)
		}
	}
	found, msg, err := netnsOfPid(pid)
	if err == errNoRunDir {
		return nil
	}
	if err != nil {
		return failf("%s", msg)
	}
	_, err = fmt.Fprintln(e.Stdout, found)
	return err
}

// errNoRunDir is netnsOfPid's answer when /run/netns does not exist:
// a sentinel its callers compare with, not a message (a literal, so that
// nothing is computed at init).
var errNoRunDir error = &cliError{code: exitFailure, msg: "no " + netns.RunDir}

// netnsOfPid is iproute2's netns_identify_pid: the name in /run/netns of
// the network namespace of process pid ("self" too), the last one in the
// directory's order when it has several, "" when none. On failure msg
// is ip's message and err its cause; without the directory err is
// errNoRunDir, which ip takes for an empty directory.
func netnsOfPid(pid string) (name, msg string, err error) {
	var target unix.Stat_t
	if err := unix.Stat("/proc/"+pid+"/ns/net", &target); err != nil {
		return "", "Cannot open network namespace: " + strerror(err), err
	}
	return netnsNameOf(&target)
}

// netnsNameOf is netnsOfPid's search of /run/netns for the namespace
// whose file stats as target.
func netnsNameOf(target *unix.Stat_t) (name, msg string, err error) {
	names, err := runDirNames()
	if errors.Is(err, fs.ErrNotExist) {
		return "", "", errNoRunDir
	}
	if err != nil {
		return "", fmt.Sprintf("Failed to open directory %s:%s", netns.RunDir, strerror(err)), err
	}
	for _, n := range names {
		var st unix.Stat_t
		if unix.Stat(netns.RunDir+"/"+n, &st) == nil && st.Dev == target.Dev && st.Ino == target.Ino {
			name = n
		}
	}
	return name, "", nil
}

func netnsPids(e *env, a *args) error {
	rest := a.list[a.i:]
	switch {
	case len(rest) < 1:
		return failf("No netns name specified")
	case len(rest) > 1:
		return failf("extra arguments specified")
	}
	var target unix.Stat_t
	if err := unix.Stat(netns.RunDir+"/"+rest[0], &target); err != nil {
		return failf("Cannot open network namespace: %s", strerror(err))
	}
	d, err := os.Open("/proc")
	if err != nil {
		return failf("Open of /proc failed: %s", strerror(err))
	}
	defer d.Close()
	entries, err := d.Readdirnames(-1)
	if err != nil {
		return failf("Open of /proc failed: %s", strerror(err))
	}
	var out []byte
	for _, pid := range entries {
		if !isPID(pid) {
			continue
		}
		var st unix.Stat_t
		if unix.Stat("/proc/"+pid+"/ns/net", &st) == nil && st.Dev == target.Dev && st.Ino == target.Ino {
			out = append(append(out, pid...), '\n')
		}
	}
	_, err = e.Stdout.Write(out)
	return err
}

// netnsExec runs a command inside a named namespace as ip does: in a
// mount namespace of its own where /sys describes the network namespace
// and the files of /etc/netns/NAME are bind-mounted over /etc's. Like
// ip, ipr becomes the command (execve), except with -all and in a batch,
// where each command runs in a child and ipr goes on.
func netnsExec(e *env, a *args) error {
	rest := a.list[a.i:]
	switch {
	case len(rest) < 1 && !e.All:
		return failf("No netns name specified")
	case len(rest) < 2 && !e.All || len(rest) < 1 && e.All:
		return failf("No command specified")
	}
	if e.All {
		names, err := allNamed()
		if err != nil {
			return err
		}
		for _, name := range names {
			fmt.Fprintf(e.Stdout, "\nnetns: %s\n", name)
			if _, err := execChild(e, append([]string{"netns", "exec", name}, rest...)); err != nil {
				return err
			}
		}
		return nil
	}
	if e.inBatch {
		code, err := execChild(e, append([]string{"netns", "exec"}, rest...))
		if err != nil {
			return err
		}
		if code != 0 {
			return errExit(code)
		}
		return nil
	}
	return execInNetns(rest[0], rest[1:])
}

// execChild runs ipr with args ("netns exec NAME ARGV...", "vrf exec
// ...") as a child process and returns its exit status.
func execChild(e *env, args []string) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, failf("fork: %s", strerror(err))
	}
	cmd := exec.Command(self, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.Stdin, e.Stdout, e.Stderr
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.Exited():
		return ee.ExitCode(), nil
	case err != nil:
		return 0, errExit(exitFailure)
	}
	return 0, nil
}

// execInNetns switches a locked thread into the namespace and a new mount
// namespace (iproute2's netns_switch) and replaces the process with argv
// from it: execve keeps the calling thread's namespaces. It returns only
// on failure, which ip reports and exits 1 for.
func execInNetns(name string, argv []string) error {
	done := make(chan error, 1)
	go func() {
		// The thread never returns to the runtime: it either becomes the
		// command or leaves with its goroutine.
		runtime.LockOSThread()
		done <- switchNetns(name, argv)
	}()
	return <-done
}

func switchNetns(name string, argv []string) error {
	path := netns.RunDir + "/" + name
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return failExec("Cannot open network namespace %q: %s", name, strerror(err))
	}
	err = unix.Setns(fd, unix.CLONE_NEWNET)
	unix.Close(fd)
	if err != nil {
		return failExec("setting the network namespace %q failed: %s", name, strerror(err))
	}
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return failExec("unshare failed: %s", strerror(err))
	}
	// Mounts made here must not propagate back to the parent.
	if err := unix.Mount("", "/", "none", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return failExec("\"mount --make-rslave /\" failed: %s", strerror(err))
	}
	// A /sys that describes the network namespace.
	var flags uintptr
	if unix.Unmount("/sys", unix.MNT_DETACH) != nil {
		var st unix.Statfs_t
		if unix.Statfs("/sys", &st) == nil && st.Flags&unix.ST_RDONLY != 0 {
			flags = unix.MS_RDONLY
		}
	}
	if err := unix.Mount(name, "/sys", "sysfs", flags, ""); err != nil {
		return failExec("mount of /sys failed: %s", strerror(err))
	}
	bindEtc(name)
	return execCommand(argv)
}

// execCommand replaces ipr with the command argv (execvp); it returns
// only on failure, which ip reports and exits 1 for.
func execCommand(argv []string) error {
	file, err := exec.LookPath(argv[0])
	if err == nil {
		err = syscall.Exec(file, argv, os.Environ())
	}
	fmt.Fprintf(os.Stderr, "exec of %q failed: %s\n", argv[0], strerror(err))
	return errExit(exitFailure)
}

// failExec is a failure to enter the namespace before the command
// starts: ip exits with 255 for it.
func failExec(format string, a ...any) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf(format, a...)}
}

// bindEtc bind-mounts each file of /etc/netns/NAME over /etc's file of
// the same name (iproute2's bind_etc).
func bindEtc(name string) {
	dir := "/etc/netns/" + name
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	entries, _ := d.Readdirnames(-1)
	d.Close()
	for _, ent := range entries {
		from, to := dir+"/"+ent, "/etc/"+ent
		if err := unix.Mount(from, to, "none", unix.MS_BIND, ""); err != nil {
			fmt.Fprintf(os.Stderr, "Bind %s -> %s failed: %s\n", from, to, strerror(err))
		}
	}
}

// netnsMonitor prints the names added to and deleted from /run/netns as
// they come and go, until the context ends.
func netnsMonitor(e *env, a *args) error {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		return failf("inotify_init failed: %s", strerror(err))
	}
	f := os.NewFile(uintptr(fd), "inotify")
	defer f.Close()
	if err := os.Mkdir(netns.RunDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return failf("mkdir %s failed: %s", netns.RunDir, strerror(err))
	}
	if _, err := unix.InotifyAddWatch(fd, netns.RunDir, unix.IN_CREATE|unix.IN_DELETE); err != nil {
		return failf("inotify_add_watch failed: %s", strerror(err))
	}
	lines := make(chan error, 1)
	go func() { lines <- readInotify(e.ctx, f, e) }()
	select {
	case err := <-lines:
		return err
	case <-e.ctx.Done():
		return nil
	}
}

func readInotify(ctx context.Context, f *os.File, e *env) error {
	buf := make([]byte, 4096)
	for ctx.Err() == nil {
		n, err := f.Read(buf)
		if err != nil {
			return failf("read failed: %s", strerror(err))
		}
		var out []byte
		for b := buf[:n]; len(b) >= unix.SizeofInotifyEvent; {
			mask := binary.NativeEndian.Uint32(b[4:])
			nameLen := int(binary.NativeEndian.Uint32(b[12:]))
			end := min(unix.SizeofInotifyEvent+nameLen, len(b))
			name := strings.TrimRight(string(b[unix.SizeofInotifyEvent:end]), "\x00")
			if mask&unix.IN_CREATE != 0 {
				out = append(out, "add "+name+"\n"...)
			}
			if mask&unix.IN_DELETE != 0 {
				out = append(out, "delete "+name+"\n"...)
			}
			b = b[end:]
		}
		if _, err := e.Stdout.Write(out); err != nil {
			return err
		}
	}
	return nil
}
