package main

// ip tuntap: persistent TUN and TAP devices, made and removed through
// /dev/net/tun (rtm.TunTap) and listed from a dump of the tun links and
// their sysfs flags, as iproute2 6.1's iptuntap.c does.

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const tuntapUsage = `Usage: ipr tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
`

// tuntapVerbs are do_iptuntap's commands in its order.
var tuntapVerbs = [...]verb{
	{name: "add", stats: true, run: func(e *env, a *args) error { return tuntapChange(e, a, true) }},
	{name: "delete", stats: true, run: func(e *env, a *args) error { return tuntapChange(e, a, false) }},
	{name: "show", stats: true, run: tuntapShow},
	{name: "lst", stats: true, run: tuntapShow},
	{name: "list", stats: true, run: tuntapShow},
	{name: "help"},
}

// parseTunTap is iptuntap.c's parse_args; add reads user and group,
// delete takes those words for a name, as ip does.
func parseTunTap(a *args, add bool) (rtm.TunTap, error) {
	var (
		s         rtm.TunTap
		tun, tap  bool
		usageFail = func() error { return usageText(tuntapUsage) }
	)
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "mode"):
			v, err := a.value(w)
			if err != nil {
				return s, err
			}
			switch {
			case matches(v, "tun"):
				if tap {
					return s, &cliError{code: exitUsage, msg: "You managed to ask for more than one tunnel mode."}
				}
				tun = true
			case matches(v, "tap"):
				if tun {
					return s, &cliError{code: exitUsage, msg: "You managed to ask for more than one tunnel mode."}
				}
				tap = true
			default:
				return s, &cliError{code: exitUsage, msg: fmt.Sprintf("Unknown tunnel mode %q", v)}
			}
		case add && matches(w, "user"):
			s.Owner, err = tuntapIDValue(a, "user", userID)
		case add && matches(w, "group"):
			s.Group, err = tuntapIDValue(a, "group", groupID)
		case matches(w, "pi"):
			s.PacketInfo = true
		case matches(w, "one_queue"):
			s.OneQueue = true
		case matches(w, "vnet_hdr"):
			s.VnetHdr = true
		case matches(w, "multi_queue"):
			s.MultiQueue = true
		case matches(w, "dev"):
			v, err := a.value(w)
			if err != nil {
				return s, err
			}
			if !validIfname(v) {
				return s, invarg(`"dev" not a valid ifname`, v)
			}
			s.Name = v
		default:
			if matches(w, "name") {
				v, err := a.value(w)
				if err != nil {
					return s, err
				}
				w = v
			} else if matches(w, "help") {
				return s, usageFail()
			}
			if s.Name != "" {
				return s, duparg2("name", w)
			}
			if !validIfname(w) {
				return s, invarg(`"name" not a valid ifname`, w)
			}
			s.Name = w
		}
		if err != nil {
			return s, err
		}
	}
	if !tun && !tap {
		return s, failf("You failed to specify a tunnel mode")
	}
	s.Tap = tap
	return s, nil
}

// tuntapIDValue reads the user or group (what) that owns a device, a
// number or a name that byName looks up.
func tuntapIDValue(a *args, what string, byName func(string) (string, error)) (rtm.Opt[uint32], error) {
	v, err := a.value(what)
	if err != nil {
		return rtm.Opt[uint32]{}, err
	}
	id, ok := lookupID(v, byName)
	if !ok {
		return rtm.Opt[uint32]{}, &cliError{code: exitUsage, msg: fmt.Sprintf("invalid %s %q", what, v)}
	}
	return rtm.Some(id), nil
}

// userID is the uid of the user name.
func userID(name string) (string, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return "", err
	}
	return u.Uid, nil
}

// groupID is the gid of the group name.
func groupID(name string) (string, error) {
	g, err := user.LookupGroup(name)
	if err != nil {
		return "", err
	}
	return g.Gid, nil
}

// lookupID is a user or group as a number (strtol's, the whole word) or
// else a name looked up.
func lookupID(s string, byName func(string) (string, error)) (uint32, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return uint32(n), true
	}
	id, err := byName(s)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(id, 10, 32)
	return uint32(n), err == nil
}

// tuntapChange adds a persistent device (exclusively: an existing name
// fails), or attaches to one and clears its persistence, which removes it
// when the queue closes.
func tuntapChange(e *env, a *args, add bool) error {
	s, err := parseTunTap(a, add)
	if err != nil {
		return err
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if add {
		s.Exclusive = true
		_, err := h.TunTapAdd(e.ctx, s)
		return tunError(err)
	}
	f, err := h.TunTapOpen(e.ctx, s)
	if err != nil {
		return tunError(err)
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ioErr error
	if err := rc.Control(func(fd uintptr) { ioErr = unix.IoctlSetInt(int(fd), unix.TUNSETPERSIST, 0) }); err != nil {
		return err
	}
	if ioErr != nil {
		return failf("ioctl(TUNSETPERSIST): %s", strerror(ioErr))
	}
	return nil
}

// tunError words a failure of /dev/net/tun as ip's perror calls do.
func tunError(err error) error {
	if err == nil {
		return nil
	}
	var se *os.SyscallError
	if errors.As(err, &se) && strings.HasPrefix(se.Syscall, "ioctl ") {
		return failf("ioctl(%s): %s", strings.TrimPrefix(se.Syscall, "ioctl "), strerror(err))
	}
	var pe *os.PathError
	if errors.As(err, &pe) && pe.Op == "open" {
		return failf("open: %s", strerror(err))
	}
	return failf("%s", strerror(err))
}

// tunProps are a tun device's sysfs attributes that "ip tuntap show"
// prints: tun_flags, owner and group (-1 when not set).
type tunProps struct {
	name                string
	flags, owner, group int64
}

func tuntapShow(e *env, a *args) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var names []string
	for l, err := range h.Links(e.ctx, &rtm.LinkFilter{Kind: "tun"}) {
		if err != nil {
			return err
		}
		if t := l.Type(); t != unix.ARPHRD_NONE && t != unix.ARPHRD_ETHER {
			continue
		}
		if l.Kind() != "tun" || l.Name() == "" {
			continue
		}
		names = append(names, l.Name())
	}
	props, err := readTunProps(e.ns, names)
	if err != nil {
		return err
	}
	p := e.newPrinter()
	p.openArray("")
	for _, t := range props {
		p.openObject("")
		p.colorStr(colorIfname, "ifname", "%s:", t.name)
		printTunFlags(p, t.flags)
		if t.owner != -1 {
			p.uint("user", " user %d", uint64(t.owner))
		}
		if t.group != -1 {
			p.uint("group", " group %d", uint64(t.group))
		}
		if e.Details {
			p.nl()
			p.textString("\tAttached to processes:")
			printTunProcesses(p, t.name)
		}
		p.closeObject()
		p.endl()
	}
	return e.endList(p)
}

// printTunFlags is iptuntap.c's print_flags.
func printTunFlags(p *printer, flags int64) {
	p.openArray("flags")
	word := func(s string) {
		if p.json {
			p.str("", "", s)
		} else {
			p.textString(" " + s)
		}
	}
	for _, f := range [...]struct {
		bit  int64
		set  bool
		name string
	}{
		{unix.IFF_TUN, true, "tun"}, {unix.IFF_TAP, true, "tap"}, {unix.IFF_NO_PI, false, "pi"},
		{unix.IFF_ONE_QUEUE, true, "one_queue"}, {unix.IFF_MULTI_QUEUE, true, "multi_queue"},
		{unix.IFF_VNET_HDR, true, "vnet_hdr"}, {unix.IFF_PERSIST, true, "persist"},
		{unix.IFF_NOFILTER, false, "filter"},
	} {
		if (flags&f.bit != 0) == f.set {
			word(f.name)
		}
	}
	rest := flags &^ (unix.IFF_TUN | unix.IFF_TAP | unix.IFF_NO_PI | unix.IFF_ONE_QUEUE |
		unix.IFF_MULTI_QUEUE | unix.IFF_VNET_HDR | unix.IFF_PERSIST | unix.IFF_NOFILTER)
	if rest != 0 {
		word("0x" + strconv.FormatInt(rest, 16))
	}
	p.closeArray()
}

// printTunProcesses lists the processes that have name's queues open:
// their /dev/net/tun descriptors whose fdinfo says "iff: NAME".
func printTunProcesses(p *printer, name string) {
	p.openArray("processes")
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/[0-9]*")
	self := os.Getpid()
	for _, fd := range fds {
		parts := strings.Split(fd, "/")
		pid, err := strconv.Atoi(parts[2])
		if err != nil || pid == self {
			continue
		}
		if target, err := os.Readlink(fd); err != nil || target != "/dev/net/tun" {
			continue
		}
		info, err := os.ReadFile("/proc/" + parts[2] + "/fdinfo/" + parts[4])
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(info), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok || k != "iff" || strings.TrimSpace(v) != name {
				continue
			}
			comm, err := os.ReadFile("/proc/" + parts[2] + "/comm")
			task := strings.TrimSuffix(string(comm), "\n")
			if err != nil {
				task = "<NULL>"
			}
			p.str("name", "%s", task)
			p.uint("pid", "(%d)", uint64(pid))
		}
	}
	p.closeArray()
}

// readTunProps reads the devices' sysfs attributes. In another namespace
// than the process's, /sys describes the wrong one: like ip, which mounts
// a sysfs of the namespace it switched to, the attributes are read on a
// thread that enters the namespace and a mount namespace of its own with
// a fresh sysfs; that thread is never reused.
func readTunProps(ns *netns.Handle, names []string) ([]tunProps, error) {
	read := func() []tunProps {
		var out []tunProps
		for _, name := range names {
			t := tunProps{name: name}
			var ok bool
			if t.flags, ok = readProp(name, "tun_flags"); !ok {
				continue
			}
			if t.owner, ok = readProp(name, "owner"); !ok {
				continue
			}
			if t.group, ok = readProp(name, "group"); !ok {
				continue
			}
			out = append(out, t)
		}
		return out
	}
	if ns == nil || len(names) == 0 {
		return read(), nil
	}
	type result struct {
		props []tunProps
		err   error
	}
	done := make(chan result, 1)
	go func() {
		// Locked and never unlocked: the thread leaves the process's
		// namespaces and so dies with this goroutine.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
			done <- result{err: failf("unshare failed: %s", strerror(err))}
			return
		}
		if err := unix.Setns(ns.Fd(), unix.CLONE_NEWNET); err != nil {
			done <- result{err: failf("setns: %s", strerror(err))}
			return
		}
		if err := unix.Mount("", "/", "none", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
			done <- result{err: failf("\"mount --make-rslave /\" failed: %s", strerror(err))}
			return
		}
		if err := unix.Mount("sysfs", "/sys", "sysfs", 0, ""); err != nil {
			done <- result{err: failf("mount of /sys failed: %s", strerror(err))}
			return
		}
		done <- result{props: read()}
	}()
	r := <-done
	return r.props, r.err
}

// readProp is iproute2's read_prop: a number in
// /sys/class/net/NAME/PROP, decimal or 0x-prefixed hexadecimal.
func readProp(dev, prop string) (int64, bool) {
	b, err := os.ReadFile("/sys/class/net/" + dev + "/" + prop)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 0, 64)
	return v, err == nil
}
