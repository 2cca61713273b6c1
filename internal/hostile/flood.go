// Package hostile helps the socket, rtm and genl packages' hostile tests: it
// floods a socket with unsolicited datagrams, as another process in the
// same network namespace could, and runs calls under a watchdog, so that
// a call that wedges fails its test instead of hanging the test binary.
package hostile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// sender is a NETLINK_ROUTE socket in a test's namespace that sends to
// another socket's port id, which takes CAP_NET_ADMIN.
type sender struct {
	fd   int
	port uint32
	seq  uint32
}

func dialSender(ns *netns.Handle, port, seq uint32) (*sender, error) {
	var fd int
	open := func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
		return err
	}
	if err := netns.Do(ns, open); err != nil {
		return nil, fmt.Errorf("hostile: socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("hostile: bind: %w", err)
	}
	// A large send buffer, so that the sender never runs short first.
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, 4<<20)
	return &sender{fd: fd, port: port, seq: seq}, nil
}

// message returns a datagram of size bytes holding one message that
// imitates a reply to the port: RTM_NEWLINK, the port's pid, the seq.
func (s *sender) message(size int) []byte {
	size = max(size, unix.SizeofNlMsghdr)
	msg := make([]byte, size)
	ne := binary.NativeEndian
	ne.PutUint32(msg[0:], uint32(size))
	ne.PutUint16(msg[4:], unix.RTM_NEWLINK)
	ne.PutUint16(msg[6:], unix.NLM_F_MULTI)
	ne.PutUint32(msg[8:], s.seq)
	ne.PutUint32(msg[12:], s.port)
	return msg
}

// send sends msg without waiting; full reports EAGAIN, a full queue.
func (s *sender) send(msg []byte) (full bool, err error) {
	err = unix.Sendto(s.fd, msg, unix.MSG_DONTWAIT, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: s.port})
	if errors.Is(err, unix.EAGAIN) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("hostile: sendto port %d: %w", s.port, err)
	}
	return false, nil
}

// Flood sends datagrams of size bytes from a NETLINK_ROUTE socket opened
// in ns to port id port until the port's receive queue is full (the send
// fails with EAGAIN), then tops the queue up with header-only datagrams,
// so that not even a small reply fits, and returns how many it sent. It is
// an error if the queue did not fill within limit datagrams.
func Flood(ns *netns.Handle, port, seq uint32, size, limit int) (int, error) {
	s, err := dialSender(ns, port, seq)
	if err != nil {
		return 0, err
	}
	defer unix.Close(s.fd)
	sent := 0
	for _, sz := range []int{size, unix.SizeofNlMsghdr} {
		msg := s.message(sz)
		for {
			if sent >= limit {
				return sent, fmt.Errorf("hostile: port %d still took datagrams after %d", port, limit)
			}
			full, err := s.send(msg)
			if err != nil {
				return sent, err
			}
			if full {
				break
			}
			sent++
		}
	}
	return sent, nil
}

// Send sends n datagrams of size bytes to port id port, as Flood does, and
// fails if the port's queue cannot take them all.
func Send(ns *netns.Handle, port, seq uint32, size, n int) error {
	s, err := dialSender(ns, port, seq)
	if err != nil {
		return err
	}
	defer unix.Close(s.fd)
	msg := s.message(size)
	for i := range n {
		full, err := s.send(msg)
		if err != nil {
			return err
		}
		if full {
			return fmt.Errorf("hostile: port %d full after %d datagrams", port, i)
		}
	}
	return nil
}

// CallsAfterFlood makes 5 calls, each under Within and with no deadline
// of its own, on a handle whose socket a flood overran: the first may
// fail with socket.ErrOverrun, the overrun its reply was lost to; the
// others must succeed. After an overrun the kernel drops replies silently
// until the queue is emptied: a call that waited for one would hang.
func CallsAfterFlood(t testing.TB, after string, call func() error) {
	t.Helper()
	for i := range 5 {
		Within(t, fmt.Sprintf("call %d %s", i, after), func() {
			if err := call(); err != nil && (i > 0 || !errors.Is(err, socket.ErrOverrun)) {
				t.Errorf("call %d %s: %v", i, after, err)
			}
		})
	}
}

// FloodRounds is the flood test of a handle, in three rounds: it floods
// the handle's one idle socket (idle lists the port ids of its idle
// sockets) from another port of namespace ns until the sender gets
// EAGAIN, then makes the calls of call as CallsAfterFlood does; dump,
// run under Within, floods it again when it calls flood from a dump's loop
// body, and the calls follow once more. A handle that lost track of a
// socket's replies wedges, or fails a call after the first.
func FloodRounds(t testing.TB, ns *netns.Handle, idle func() []uint32, call func() error, dump func(flood func())) {
	t.Helper()
	for round := range 3 {
		ports := idle()
		if len(ports) != 1 {
			t.Fatalf("%d idle sockets, want 1", len(ports))
		}
		n, err := Flood(ns, ports[0], 1, 4096, 100000)
		if err != nil {
			t.Fatal(err)
		}
		CallsAfterFlood(t, fmt.Sprintf("after a flood of %d datagrams (round %d)", n, round), call)
		Within(t, "a dump flooded midway", func() {
			dump(func() {
				if _, err := Flood(ns, ports[0], 1, 4096, 100000); err != nil {
					t.Error(err)
				}
			})
		})
		CallsAfterFlood(t, fmt.Sprintf("after a flood during a dump (round %d)", round), call)
	}
}
