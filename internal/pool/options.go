package pool

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
)

// Options are what the Dial options of rtm and genl set.
type Options struct {
	// OpenNS opens the namespace an option named; NSKinds has a bit for
	// each kind of namespace option given. The options hold the opening
	// code, so that a program that never names a namespace links none of
	// it (about 28 kB, scripts/binsize.sh).
	OpenNS   func() (*netns.Handle, error)
	NSKinds  uint8
	NoStrict bool
	NoExtAck bool
	RcvBuf   int
	Size     int
	Dialer   socket.Dialer
}

// Option sets Options; rtm.Option and genl.Option are defined as it.
type Option = func(*Options) error

// Apply returns the Options opts set over the defaults: a pool of 4 idle
// sockets with 1 MiB receive buffers.
func Apply[O ~func(*Options) error](opts []O) (Options, error) {
	o := Options{Size: 4, RcvBuf: 1 << 20}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Netns names a namespace of iproute2's /run/netns; "" names none.
func Netns(name string) Option { return namedNS(name, 1, netns.Open) }

// NetnsPath names a namespace by a path such as /proc/PID/ns/net; ""
// names none.
func NetnsPath(path string) Option { return namedNS(path, 2, netns.OpenPath) }

// namedNS is a namespace option whose argument, which open opens, names
// the namespace; "" names none. kind is the option's bit in NSKinds.
func namedNS(arg string, kind uint8, open func(string) (*netns.Handle, error)) Option {
	return func(o *Options) error {
		if arg == "" {
			return nil
		}
		o.NSKinds |= kind
		o.OpenNS = func() (*netns.Handle, error) { return open(arg) }
		return nil
	}
}

// NetnsHandle names the namespace h refers to; the pool opens a reference
// of its own.
func NetnsHandle(pkg string, h *netns.Handle) Option {
	return func(o *Options) error {
		if h == nil {
			return errors.New(pkg + ": WithNetnsHandle(nil)")
		}
		o.NSKinds |= 4
		o.OpenNS = func() (*netns.Handle, error) {
			return netns.OpenPath(fmt.Sprintf("/proc/self/fd/%d", h.Fd()))
		}
		return nil
	}
}

// NoStrictCheck turns NETLINK_GET_STRICT_CHK off.
func NoStrictCheck(o *Options) error { o.NoStrict = true; return nil }

// NoExtAck turns extended acknowledgements off.
func NoExtAck(o *Options) error { o.NoExtAck = true; return nil }

// ReceiveBufferSize sets each socket's receive queue size.
func ReceiveBufferSize(pkg string, n int) Option {
	return func(o *Options) error {
		if n <= 0 {
			return fmt.Errorf("%s: receive buffer size %d", pkg, n)
		}
		o.RcvBuf = n
		return nil
	}
}

// Size sets how many idle sockets the pool keeps.
func Size(pkg string, n int) Option {
	return func(o *Options) error {
		if n < 1 {
			return fmt.Errorf("%s: pool size %d", pkg, n)
		}
		o.Size = n
		return nil
	}
}

// Transport makes the pool open what d dials instead of sockets.
func Transport(pkg string, d socket.Dialer) Option {
	return func(o *Options) error {
		if d == nil {
			return errors.New(pkg + ": WithTransport(nil)")
		}
		o.Dialer = d
		return nil
	}
}
