package netns

import (
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// threadNetNS names the network namespace of the thread that resolves it.
// /proc/self/ns/net would name the thread group leader's instead, which in
// a Go program is a different thread.
const threadNetNS = "/proc/thread-self/ns/net"

// savedNS is a descriptor of a namespace that a thread is to switch back to.
type savedNS struct {
	fd  int
	ino uint64
}

// common is the namespace of the first thread saveThreadNS was called on,
// which is almost always that of every thread the runtime hands out, for
// the life of the process. Opening a namespace file costs more than
// entering the namespace twice, so saveThreadNS keeps this one open for
// good.
var common atomic.Pointer[savedNS]

// saveThreadNS returns a descriptor of the calling thread's network
// namespace, to switch the thread back later, and whether the caller must
// close it. The caller must have locked its goroutine to the thread.
//
// Reading the namespace's inode number, which identifies it, is cheaper than
// opening it. When it is the common namespace's, the common descriptor is
// returned; it refers to the very same namespace.
func saveThreadNS() (fd int, owned bool, err error) {
	ino, err := threadNSIno()
	if err != nil {
		return -1, false, err
	}
	if c := common.Load(); c != nil && c.ino == ino {
		return c.fd, false, nil
	}
	fd, err = unix.Open(threadNetNS, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, false, &os.PathError{Op: "open", Path: threadNetNS, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, false, &os.PathError{Op: "fstat", Path: threadNetNS, Err: err}
	}
	if common.CompareAndSwap(nil, &savedNS{fd: fd, ino: st.Ino}) {
		return fd, false, nil
	}
	return fd, true, nil
}

// threadNSIno returns the inode number of the calling thread's network
// namespace, from its link text "net:[INODE]".
func threadNSIno() (uint64, error) {
	var buf [32]byte
	n, err := unix.Readlink(threadNetNS, buf[:])
	if err != nil {
		return 0, &os.PathError{Op: "readlink", Path: threadNetNS, Err: err}
	}
	const prefix = "net:["
	link := buf[:n]
	// Up to 19 digits, so that the number fits in a uint64.
	if n < len(prefix)+2 || n > len(prefix)+20 || string(link[:len(prefix)]) != prefix || link[n-1] != ']' {
		return 0, &os.PathError{Op: "readlink", Path: threadNetNS, Err: errNotNetNS}
	}
	var ino uint64
	for _, c := range link[len(prefix) : n-1] {
		if c < '0' || c > '9' {
			return 0, &os.PathError{Op: "readlink", Path: threadNetNS, Err: errNotNetNS}
		}
		ino = ino*10 + uint64(c-'0')
	}
	return ino, nil
}
