package main

// "ipr vrf exec": iproute2 6.1's ipvrf_exec and vrf_switch. The process
// joins the cgroup v2 group "MNT[/BASE][/NETNS-ns]/vrf/NAME", to which a
// BPF_PROG_TYPE_CGROUP_SOCK program is attached that binds every socket
// made in it to the VRF's device (sk_bound_dev_if, as ip's prog_load
// sets it), then becomes the command. The VRF "default" joins
// ".../vrf/", with no program. With -n, a real VRF is refused by name:
// the command would have to run in that namespace.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// vrfExec is ipvrf_exec: its exit statuses are ip's (1 for a missing
// argument, 255 when the switch fails, 1 when the command cannot be
// run, else the command's).
func vrfExec(e *env, a *args) error {
	rest := a.list[a.i:]
	switch {
	case len(rest) < 1:
		return &cliError{code: exitFailure, msg: "No VRF name specified"}
	case len(rest) < 2:
		return &cliError{code: exitFailure, msg: "No command specified"}
	}
	if e.inBatch {
		// ip forks and the child switches: ipr runs itself, and the
		// command fails when the child does, whatever its status (the
		// batch goes on with -force).
		code, err := execChild(e, append([]string{"vrf", "exec"}, rest...))
		if err == nil && code != 0 {
			err = errExit(exitFailure)
		}
		return err
	}
	name, ifindex := rest[0], 0
	if name != "default" {
		v, err := vrfGetLink(e, name)
		if isDialError(err) {
			return err
		}
		if err != nil || !v.isVRF || v.index <= 0 {
			return &cliError{code: exitUsage, msg: "Invalid VRF name"}
		}
		ifindex = int(v.index)
	}
	if e.ns != nil {
		return notImplemented(`option -netns with "ip vrf exec"`)
	}
	mnt, err := cgroup2Mount(e.Stderr)
	if err != nil {
		if ce, ok := err.(*cliError); ok {
			ce.code = exitUsage
		}
		return err
	}
	ns, msg, err := vrfNetnsName(e)
	if err != nil && err != errNoRunDir {
		return &cliError{code: exitUsage, msg: msg + "\nFailed to get name of network namespace: " + strerror(err)}
	}
	lines, err := readLines("/proc/" + strconv.Itoa(os.Getpid()) + "/cgroup")
	if err != nil {
		return &cliError{code: exitUsage, msg: "Failed to get base cgroup path: " + strerror(err)}
	}
	if err := vrfJoin(e.Stderr, vrfCgroupPath(mnt, vrfBasePath(lines), ns, name, ifindex), ifindex); err != nil {
		return err
	}
	return execCommand(rest[1:])
}

// vrfBasePath is vrf_path: the path of the controller-less cgroup of a
// /proc/PID/cgroup file's lines, cut before any "/vrf", "" for the root.
func vrfBasePath(lines []string) string {
	for _, line := range lines {
		i := strings.Index(line, "::/")
		if i < 0 {
			continue
		}
		p := line[i+2:]
		if i := strings.Index(p, "/vrf"); i >= 0 {
			p = p[:i]
		}
		if p == "/" {
			p = ""
		}
		return p
	}
	return ""
}

// vrfCgroupPath is the cgroup vrf_switch makes: under the mount mnt and
// the base path, the directory "NETNS-ns" of the named network namespace
// ns (unless the base path ends in it already), then "vrf/NAME", or
// "vrf/" for the default VRF (ifindex 0).
func vrfCgroupPath(mnt, base, ns, name string, ifindex int) string {
	if ns != "" {
		ns += "-ns"
		if base[strings.LastIndexByte(base, '/')+1:] == ns {
			base = base[:strings.LastIndexByte(base, '/')+1]
		}
		ns += "/"
	}
	if ifindex == 0 {
		name = ""
	}
	return mnt + base + "/" + ns + "vrf/" + name
}

// vrfJoin is the rest of vrf_switch: it makes the cgroup path, attaches
// to it, for a VRF (ifindex not 0), the program that binds sockets to
// that device, and moves the process into it. Its errors are ip's words,
// with status 255.
func vrfJoin(stderr io.Writer, path string, ifindex int) error {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return &cliError{code: exitUsage, msg: "Failed to setup vrf cgroup2 directory"}
	}
	if ifindex != 0 {
		if err := vrfConfigureCgroup(stderr, path, ifindex); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(strings.TrimSuffix(path, "/")+"/cgroup.procs", os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		return &cliError{code: exitUsage, msg: "Failed to open cgroups.procs file: " + strerror(err) + "."}
	}
	defer f.Close()
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		return &cliError{code: exitUsage, msg: "Failed to join cgroup"}
	}
	return nil
}

// vrfConfigureCgroup is vrf_configure_cgroup: it loads the program and
// attaches it to the cgroup at path for socket creation
// (BPF_CGROUP_INET_SOCK_CREATE).
func vrfConfigureCgroup(stderr io.Writer, path string, ifindex int) error {
	cg, err := unix.Open(path, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &cliError{code: exitUsage, msg: "Failed to open cgroup path: '" + strerror(err) + "'"}
	}
	defer unix.Close(cg)
	prog, log, err := vrfProgLoad(ifindex)
	if err != nil {
		msg := "Failed to load BPF prog: '" + strerror(err) + "'\n" + log
		if !errors.Is(err, unix.EPERM) {
			msg += "Kernel compiled with CGROUP_BPF enabled?\n"
		}
		fmt.Fprint(stderr, msg)
		return errExit(exitUsage)
	}
	defer unix.Close(prog)
	var attr [16]byte // union bpf_attr, BPF_PROG_ATTACH's part
	binary.NativeEndian.PutUint32(attr[0:], uint32(cg))
	binary.NativeEndian.PutUint32(attr[4:], uint32(prog))
	binary.NativeEndian.PutUint32(attr[8:], unix.BPF_CGROUP_INET_SOCK_CREATE)
	if _, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_ATTACH, uintptr(unsafe.Pointer(&attr[0])), unsafe.Sizeof(attr)); errno != 0 {
		return &cliError{code: exitUsage, msg: "Failed to attach prog to cgroup: '" + strerror(errno) + "'"}
	}
	return nil
}

// vrfProgLoad is ipvrf.c's prog_load: a BPF_PROG_TYPE_CGROUP_SOCK program
// that sets the new socket's bound_dev_if to ifindex and lets it be
// made. It returns the program's descriptor, or the error and the
// verifier's log.
func vrfProgLoad(ifindex int) (int, string, error) {
	// struct bpf_insn: code, dst_reg and src_reg in one byte (in the
	// order of the machine's bit fields), off, imm.
	insn := func(code, dst, src uint8, off int16, imm int32) []byte {
		regs := dst | src<<4
		if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
			regs = dst<<4 | src
		}
		b := []byte{code, regs, 0, 0, 0, 0, 0, 0}
		binary.NativeEndian.PutUint16(b[2:], uint16(off))
		binary.NativeEndian.PutUint32(b[4:], uint32(imm))
		return b
	}
	const boundDevIf = 0 // offsetof(struct bpf_sock, bound_dev_if)
	var insns []byte
	for _, i := range [][]byte{
		insn(0xbf, 6, 1, 0, 0),              // r6 = r1 (BPF_MOV64_REG)
		insn(0xb7, 3, 0, 0, int32(ifindex)), // r3 = ifindex (BPF_MOV64_IMM)
		insn(0xb7, 2, 0, 0, boundDevIf),     // r2 = offset
		insn(0x63, 1, 3, boundDevIf, 0),     // *(u32 *)(r1 + offset) = r3 (BPF_STX_MEM, BPF_W)
		insn(0xb7, 0, 0, 0, 1),              // r0 = 1: the verdict
		insn(0x95, 0, 0, 0, 0),              // exit
	} {
		insns = append(insns, i...)
	}
	license := []byte("GPL\x00")
	logBuf := make([]byte, 256*1024)
	var attr [72]byte // union bpf_attr, BPF_PROG_LOAD's part
	binary.NativeEndian.PutUint32(attr[0:], unix.BPF_PROG_TYPE_CGROUP_SOCK)
	binary.NativeEndian.PutUint32(attr[4:], uint32(len(insns)/8))
	binary.NativeEndian.PutUint64(attr[8:], uint64(uintptr(unsafe.Pointer(&insns[0]))))
	binary.NativeEndian.PutUint64(attr[16:], uint64(uintptr(unsafe.Pointer(&license[0]))))
	binary.NativeEndian.PutUint32(attr[24:], 1) // log_level
	binary.NativeEndian.PutUint32(attr[28:], uint32(len(logBuf)))
	binary.NativeEndian.PutUint64(attr[32:], uint64(uintptr(unsafe.Pointer(&logBuf[0]))))
	fd, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_LOAD, uintptr(unsafe.Pointer(&attr[0])), unsafe.Sizeof(attr))
	runtime.KeepAlive(insns)
	runtime.KeepAlive(license)
	runtime.KeepAlive(logBuf)
	if errno != 0 {
		log, _, _ := strings.Cut(string(logBuf), "\x00")
		return -1, log, errno
	}
	unix.CloseOnExec(int(fd))
	return int(fd), "", nil
}
