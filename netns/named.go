package netns

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// RunDir is the directory that holds named network namespaces, one file per
// name, as iproute2 keeps them.
const RunDir = "/run/netns"

// maxNameLen is NAME_MAX, the longest file name and so the longest
// namespace name.
const maxNameLen = 255

// ErrInvalidName is the error, wrapped with the name, for a namespace name
// that iproute2 also rejects: empty, "." or "..", longer than 255 bytes, or
// containing '/'. A NUL byte, which no file name can hold, is invalid too.
var ErrInvalidName = errors.New("netns: invalid namespace name")

// Path returns the file of the named namespace, RunDir/name, or an error
// wrapping [ErrInvalidName].
func Path(name string) (string, error) {
	if name == "" || name == "." || name == ".." || len(name) > maxNameLen ||
		strings.ContainsAny(name, "/\x00") {
		return "", fmt.Errorf("%w %q", ErrInvalidName, name)
	}
	return RunDir + "/" + name, nil
}

// Add creates a network namespace and names it, exactly as "ip netns add"
// does: it makes RunDir a shared mount point, so that deleting the name in
// one mount namespace deletes it in all; creates the file RunDir/name; and
// bind-mounts a new network namespace on it. The new namespace has only a
// loopback device, which is down.
//
// If the name is taken, the error matches [os.ErrExist] (and
// [unix.EEXIST]). If the namespace cannot be created or mounted, the file is
// removed again.
func Add(name string) error { return addNamed("add", name, mountNew) }

// Attach names the network namespace of process pid, as "ip netns attach
// NAME PID" does: RunDir is prepared as [Add] prepares it, and the
// namespace of /proc/PID/ns/net is bind-mounted on RunDir/name. The
// process may exit afterwards; the name keeps its namespace alive.
//
// If the name is taken, the error matches [os.ErrExist]; if the process
// does not exist, the file is removed again and the error matches
// [os.ErrNotExist].
func Attach(name string, pid int) error {
	if pid <= 0 {
		return fmt.Errorf("netns: attach %q: invalid pid %d", name, pid)
	}
	proc := "/proc/" + strconv.Itoa(pid) + "/ns/net"
	return addNamed("attach", name, func(path string) error {
		if err := unix.Mount(proc, path, "none", unix.MS_BIND, ""); err != nil {
			return &os.PathError{Op: "mount --bind " + proc, Path: path, Err: err}
		}
		return nil
	})
}

// addNamed creates the file RunDir/name and mounts a namespace on it
// with mount, removing the file again if mount fails.
func addNamed(op, name string, mount func(path string) error) error {
	path, err := Path(name)
	if err != nil {
		return err
	}
	if err := shareRunDir(); err != nil {
		return fmt.Errorf("netns: %s %q: %w", op, name, err)
	}
	// O_EXCL makes a taken name an error rather than a namespace replaced.
	file, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0)
	if err != nil {
		return fmt.Errorf("netns: %s %q: %w", op, name, err)
	}
	file.Close()
	if err := mount(path); err != nil {
		if rmErr := unix.Unlink(path); rmErr != nil {
			err = errors.Join(err, &os.PathError{Op: "unlink", Path: path, Err: rmErr})
		}
		return fmt.Errorf("netns: %s %q: %w", op, name, err)
	}
	return nil
}

// shareRunDir creates RunDir if need be and makes it a shared mount point,
// bind-mounting it on itself first if it is not a mount point yet.
func shareRunDir() error {
	if err := os.Mkdir(RunDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	// iproute2 takes this lock so that two concurrent adds cannot both find
	// RunDir unmounted and stack two bind mounts on it. The lock is released
	// when the descriptor is closed.
	dir, err := unix.Open(RunDir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: RunDir, Err: err}
	}
	defer unix.Close(dir)
	if err := ignoringEINTR(func() error { return unix.Flock(dir, unix.LOCK_EX) }); err != nil {
		return &os.PathError{Op: "flock", Path: RunDir, Err: err}
	}
	for bound := false; ; bound = true {
		err := unix.Mount("", RunDir, "none", unix.MS_SHARED|unix.MS_REC, "")
		if err == nil {
			return nil
		}
		// EINVAL: RunDir is not a mount point, so make it one, once.
		if err != unix.EINVAL || bound {
			return &os.PathError{Op: "mount --make-rshared", Path: RunDir, Err: err}
		}
		if err := unix.Mount(RunDir, RunDir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return &os.PathError{Op: "mount --rbind", Path: RunDir, Err: err}
		}
	}
}

// mountNew creates a network namespace and bind-mounts it on path. The
// namespace is created by unsharing a thread that is locked for the purpose
// and switched back afterwards; if switching back fails, the thread stays
// locked and so dies with its goroutine.
func mountNew(path string) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, owned, err := saveThreadNS()
		if err != nil {
			runtime.UnlockOSThread()
			done <- err
			return
		}
		if owned {
			defer unix.Close(orig)
		}
		// A failed unshare leaves the thread where it was.
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			done <- os.NewSyscallError("unshare CLONE_NEWNET", err)
			return
		}
		err = unix.Mount(threadNetNS, path, "none", unix.MS_BIND, "")
		if err != nil {
			err = &os.PathError{Op: "mount --bind " + threadNetNS, Path: path, Err: err}
		}
		if restore(orig) == nil {
			runtime.UnlockOSThread()
		}
		done <- err
	}()
	return <-done
}

// Delete deletes the named namespace, as "ip netns delete" does: it
// detaches the mount from the name and removes the file. The namespace
// itself lives on while handles, processes or sockets still refer to it.
//
// Delete also removes a file that is not a mount point, such as one left by
// an interrupted add. If the name does not exist, the error matches
// [os.ErrNotExist].
func Delete(name string) error {
	path, err := Path(name)
	if err != nil {
		return err
	}
	// EINVAL means path is not a mount point; unlink removes it regardless.
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && err != unix.EINVAL {
		return fmt.Errorf("netns: delete %q: %w", name, &os.PathError{Op: "umount", Path: path, Err: err})
	}
	if err := unix.Unlink(path); err != nil {
		return fmt.Errorf("netns: delete %q: %w", name, &os.PathError{Op: "unlink", Path: path, Err: err})
	}
	return nil
}

// List returns the names of the named namespaces in RunDir, sorted, as "ip
// netns list" shows them. If RunDir does not exist, there are none.
func List() ([]string, error) {
	entries, err := os.ReadDir(RunDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("netns: list: %w", err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}

func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}
