package rtm

import (
	"context"
	"fmt"
	"os"

	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// TunTap describes a TUN (IP) or TAP (Ethernet) device. The kernel creates
// these through /dev/net/tun rather than RTNL; [Handle.TunTapAdd] and
// [Handle.TunTapOpen] do so in the handle's namespace.
type TunTap struct {
	// Name is the device name; "" lets the kernel pick tunN or tapN.
	Name string
	// Tap makes a TAP device, which carries Ethernet frames; else TUN.
	Tap bool
	// PacketInfo prefixes each packet read or written with struct tun_pi
	// (iproute2's "pi"); off sets IFF_NO_PI.
	PacketInfo bool
	// VnetHdr prefixes packets with struct virtio_net_hdr (IFF_VNET_HDR).
	VnetHdr bool
	// MultiQueue allows more than one queue (IFF_MULTI_QUEUE): each
	// [Handle.TunTapOpen] of the same name attaches another.
	MultiQueue bool
	// Owner and Group restrict who may open the device's queues.
	Owner, Group Opt[uint32]
	// Persist keeps the device when its last queue is closed. TunTapAdd
	// always makes devices persistent.
	Persist bool
	// Exclusive fails with EBUSY when a device of that name exists
	// (IFF_TUN_EXCL) instead of attaching to it, as "ip tuntap add" does.
	Exclusive bool
	// OneQueue sets IFF_ONE_QUEUE, which kernels since 3.8 ignore but
	// keep in the device's flags ("ip tuntap add ... one_queue").
	OneQueue bool
}

func (s *TunTap) flags() uint16 {
	f := uint16(unix.IFF_TUN)
	if s.Tap {
		f = unix.IFF_TAP
	}
	if !s.PacketInfo {
		f |= unix.IFF_NO_PI
	}
	if s.VnetHdr {
		f |= unix.IFF_VNET_HDR
	}
	if s.MultiQueue {
		f |= unix.IFF_MULTI_QUEUE
	}
	if s.Exclusive {
		f |= unix.IFF_TUN_EXCL
	}
	if s.OneQueue {
		f |= unix.IFF_ONE_QUEUE
	}
	return f
}

// TunTapAdd creates a persistent TUN or TAP device, as "ip tuntap add"
// does, and returns its name. Delete it with [Handle.LinkDel].
func (h *Handle) TunTapAdd(ctx context.Context, s TunTap) (string, error) {
	s.Persist = true
	f, err := h.TunTapOpen(ctx, s)
	if err != nil {
		return "", err
	}
	name := f.Name()
	return name, f.Close()
}

// TunTapOpen creates a TUN or TAP device, or attaches to an existing one
// of that name, and returns the file of the queue it opened, named after
// the device. The file is non-blocking and uses the runtime's poller, so
// its reads and writes can have deadlines. Unless the device persists, it
// goes away with its last queue.
func (h *Handle) TunTapOpen(ctx context.Context, s TunTap) (*os.File, error) {
	op := "tuntap add"
	if s.Name != "" {
		op += " " + s.Name
		if err := checkName(s.Name); err != nil {
			return nil, fmt.Errorf("rtm: %s: %w", op, err)
		}
	}
	if ctx == nil {
		return nil, errNilContext
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("rtm: %s: %w", op, err)
	}
	if h.pool.Closed() {
		return nil, ErrClosed
	}
	var f *os.File
	create := func() error {
		var err error
		f, err = openTun(&s)
		return err
	}
	var err error
	if h.pool.NS != nil {
		// The device is created in the namespace /dev/net/tun is opened in.
		err = netns.Do(h.pool.NS, create)
	} else {
		err = create()
	}
	if err != nil {
		return nil, fmt.Errorf("rtm: %s: %w", op, err)
	}
	return f, nil
}

// openTun opens /dev/net/tun and configures the queue with ioctls.
func openTun(s *TunTap) (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: "/dev/net/tun", Err: err}
	}
	fail := func(what string, err error) (*os.File, error) {
		unix.Close(fd)
		return nil, os.NewSyscallError("ioctl "+what, err)
	}
	ifr, err := unix.NewIfreq(s.Name)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	ifr.SetUint16(s.flags())
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		return fail("TUNSETIFF", err)
	}
	if v, ok := s.Owner.Get(); ok {
		if err := unix.IoctlSetInt(fd, unix.TUNSETOWNER, int(v)); err != nil {
			return fail("TUNSETOWNER", err)
		}
	}
	if v, ok := s.Group.Get(); ok {
		if err := unix.IoctlSetInt(fd, unix.TUNSETGROUP, int(v)); err != nil {
			return fail("TUNSETGROUP", err)
		}
	}
	if s.Persist {
		if err := unix.IoctlSetInt(fd, unix.TUNSETPERSIST, 1); err != nil {
			return fail("TUNSETPERSIST", err)
		}
	}
	return os.NewFile(uintptr(fd), ifr.Name()), nil
}
