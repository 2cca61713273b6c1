package netns

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

var (
	errNotNetNS  = errors.New("not a network namespace")
	errNilHandle = errors.New("netns: nil Handle")
)

// ID identifies a namespace: the device and inode numbers of its nsfs file.
// Two handles refer to the same namespace exactly when their IDs are equal.
// An ID is comparable and usable as a map key.
type ID struct {
	Dev uint64
	Ino uint64
}

// String returns the ID in the form readlink(2) gives a namespace file,
// such as "net:[4026531840]". The device, the same for every namespace on a
// running kernel, is not shown.
func (id ID) String() string {
	return "net:[" + strconv.FormatUint(id.Ino, 10) + "]"
}

// A Handle is an open reference to a network namespace. The namespace
// exists at least as long as the handle is open.
//
// A Handle is safe for concurrent use. Close must be called to release it.
type Handle struct {
	file *os.File
	conn syscall.RawConn // of file; Control keeps the descriptor open while in use
	id   ID
	// run is Do's locked goroutine, set by OpenPath: through it, a
	// program links the thread switching only if it opens a namespace
	// (socket.Dial calls Do whenever a Config names one).
	run func(ns *Handle, fn func() error, done chan<- outcome)
}

// Open opens the named namespace in [RunDir], as "ip netns add" or [Add]
// created it.
func Open(name string) (*Handle, error) {
	path, err := Path(name)
	if err != nil {
		return nil, err
	}
	return OpenPath(path)
}

// OpenPath opens the network namespace file at path, such as
// /run/netns/NAME or /proc/PID/task/TID/ns/net. It fails if path is not a
// network namespace.
func OpenPath(path string) (*Handle, error) {
	// O_NONBLOCK, for a path that is a FIFO by mistake: opening it must
	// fail, not wait for a writer.
	file, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("netns: %w", err)
	}
	h := &Handle{file: file, run: runIn}
	h.conn, err = file.SyscallConn()
	if err == nil {
		// Control fails only if file is closed, which it cannot be yet.
		h.conn.Control(func(fd uintptr) { h.id, err = identify(int(fd)) })
	}
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("netns: %w", &os.PathError{Op: "open", Path: path, Err: err})
	}
	return h, nil
}

// OpenPID opens the network namespace of process pid. Given a thread ID
// instead, it opens that thread's namespace.
func OpenPID(pid int) (*Handle, error) {
	if pid <= 0 {
		return nil, fmt.Errorf("netns: invalid pid %d", pid)
	}
	return OpenPath("/proc/" + strconv.Itoa(pid) + "/ns/net")
}

// Current opens the network namespace of the calling thread. Unless the
// caller runs inside [Do] or has locked its goroutine to a thread that it
// moved itself, that is the namespace the process started in.
func Current() (*Handle, error) {
	return OpenPath(threadNetNS)
}

// identify returns the ID of the namespace open as fd, or an error if fd is
// not a network namespace.
func identify(fd int) (ID, error) {
	var fs unix.Statfs_t
	if err := unix.Fstatfs(fd, &fs); err != nil {
		return ID{}, err
	}
	if int64(fs.Type) != unix.NSFS_MAGIC {
		return ID{}, errNotNetNS
	}
	// NS_GET_NSTYPE tells a network namespace from the other kinds. Kernels
	// before 4.11 lack it and answer ENOTTY; there the nsfs check has to do.
	switch kind, err := unix.IoctlRetInt(fd, unix.NS_GET_NSTYPE); {
	case err == unix.ENOTTY:
	case err != nil:
		return ID{}, err
	case kind != unix.CLONE_NEWNET:
		return ID{}, errNotNetNS
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return ID{}, err
	}
	return ID{Dev: uint64(st.Dev), Ino: st.Ino}, nil
}

// ID returns the identity of the namespace h refers to. It stays valid
// after h is closed. A nil Handle has the zero ID, which no namespace has.
func (h *Handle) ID() ID {
	if h == nil {
		return ID{}
	}
	return h.id
}

// Equal reports whether h and other refer to the same namespace. A nil
// Handle is equal to nothing.
func (h *Handle) Equal(other *Handle) bool {
	return h != nil && other != nil && h.id == other.id
}

// Fd returns the handle's file descriptor, for setns(2) and the netlink
// attributes that take a namespace descriptor, or -1 if h is nil or closed.
// The descriptor is valid only until h is closed or garbage collected: keep
// h alive (with [runtime.KeepAlive] if need be) while using it.
func (h *Handle) Fd() int {
	if h == nil {
		return -1
	}
	return int(h.file.Fd())
}

// Close releases the handle. Closing a handle twice returns an error that
// matches [os.ErrClosed].
func (h *Handle) Close() error {
	if h == nil {
		return errNilHandle
	}
	if err := h.file.Close(); err != nil {
		return fmt.Errorf("netns: %w", err)
	}
	return nil
}

// enter switches the calling thread into the namespace of h.
func (h *Handle) enter() error {
	var err error
	if h.conn.Control(func(fd uintptr) { err = unix.Setns(int(fd), unix.CLONE_NEWNET) }) != nil {
		// Control fails only when the file is closed, with an error of
		// package poll's that does not match os.ErrClosed.
		return fmt.Errorf("netns: enter %s: %w", h.id, os.ErrClosed)
	}
	if err != nil {
		return fmt.Errorf("netns: enter %s: %w", h.id, os.NewSyscallError("setns", err))
	}
	return nil
}
