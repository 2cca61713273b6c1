package xfrm

import (
	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
)

// Option configures [Dial]. The options are rtm's and genl's, under the
// same names, with "xfrm" in their errors.
type Option func(*pool.Options) error

// WithTransport makes the handle talk through the transports d opens
// instead of netlink sockets: d is called with unix.NETLINK_XFRM. It is
// how tests replace the kernel (package nltest).
func WithTransport(d socket.Dialer) Option { return pool.Transport("xfrm", d) }

// WithNetnsHandle opens the handle in the namespace h refers to (the
// handle keeps a reference of its own; h may be closed after Dial): the
// SAs and policies it reads and writes are that namespace's. So do
// [WithNetns], which names a namespace as iproute2 does (/run/netns), and
// [WithNetnsPath], which gives a path such as /proc/PID/ns/net.
func WithNetnsHandle(h *netns.Handle) Option { return pool.NetnsHandle("xfrm", h) }

// WithNetns: see [WithNetnsHandle].
func WithNetns(name string) Option { return pool.Netns(name) }

// WithNetnsPath: see [WithNetnsHandle].
func WithNetnsPath(path string) Option { return pool.NetnsPath(path) }

// WithPoolSize sets how many idle sockets the handle keeps (4 unless
// set); WithReceiveBufferSize the kernel receive queue of each (1 MiB
// unless set); WithoutExtAck turns extended acknowledgements off, so that
// errors carry the errno alone.
func WithPoolSize(n int) Option { return pool.Size("xfrm", n) }

// WithReceiveBufferSize: see [WithPoolSize].
func WithReceiveBufferSize(n int) Option { return pool.ReceiveBufferSize("xfrm", n) }

// WithoutExtAck: see [WithPoolSize].
func WithoutExtAck() Option { return pool.NoExtAck }
