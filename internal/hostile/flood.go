// Package hostile helps the socket and rtm packages' hostile tests: it
// floods a socket with unsolicited datagrams, as another process in the
// same network namespace could, and runs calls under a watchdog, so that
// a call that wedges fails its test instead of hanging the test binary.
package hostile

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// Flood sends datagrams of size bytes from a NETLINK_ROUTE socket opened
// in ns to port id port until the port's receive queue is full (the send
// fails with EAGAIN), then tops the queue up with header-only datagrams,
// so that not even a small reply fits, and returns how many it sent.
// Sending to another socket's port takes CAP_NET_ADMIN. Each datagram
// holds one message that imitates a reply to port: RTM_NEWLINK, the
// port's pid and the given seq. It is an error if the queue did not fill
// within limit datagrams.
func Flood(ns *netns.Handle, port, seq uint32, size, limit int) (int, error) {
	var fd int
	open := func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
		return err
	}
	if err := netns.Do(ns, open); err != nil {
		return 0, fmt.Errorf("hostile: socket: %w", err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return 0, fmt.Errorf("hostile: bind: %w", err)
	}
	// A large send buffer, so that the sender never runs short first.
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, 4<<20)
	to := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: port}
	sent := 0
	for _, sz := range []int{max(size, unix.SizeofNlMsghdr), unix.SizeofNlMsghdr} {
		msg := make([]byte, sz)
		ne := binary.NativeEndian
		ne.PutUint32(msg[0:], uint32(sz))
		ne.PutUint16(msg[4:], unix.RTM_NEWLINK)
		ne.PutUint16(msg[6:], unix.NLM_F_MULTI)
		ne.PutUint32(msg[8:], seq)
		ne.PutUint32(msg[12:], port)
		for full := false; !full; {
			if sent >= limit {
				return sent, fmt.Errorf("hostile: port %d still took datagrams after %d", port, limit)
			}
			err := unix.Sendto(fd, msg, unix.MSG_DONTWAIT, to)
			switch {
			case errors.Is(err, unix.EAGAIN):
				full = true
			case err != nil:
				return sent, fmt.Errorf("hostile: sendto port %d: %w", port, err)
			default:
				sent++
			}
		}
	}
	return sent, nil
}
