package xfrm

import (
	"errors"

	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// Handle is an XFRM (NETLINK_XFRM) handle. It is safe for concurrent use:
// each exchange borrows a socket from a small pool, as rtm.Handle does.
type Handle struct {
	pool    pool.Pool
	builder pool.Builders
}

// ErrClosed is returned by calls on a closed Handle.
var ErrClosed = errors.New("xfrm: handle closed")

// errNilContext is returned by every call given a nil context.
var errNilContext = errors.New("xfrm: nil context")

// errNilHandle is returned by every call on a nil *Handle.
var errNilHandle = errors.New("xfrm: nil handle")

// Dial opens an XFRM handle with extended ACKs on (unless
// [WithoutExtAck]). It opens one socket at once, so that errors (such as
// a missing namespace, or a kernel without CONFIG_XFRM_USER) surface here.
func Dial(opts ...Option) (*Handle, error) {
	h := &Handle{pool: pool.Pool{Pkg: "xfrm", Proto: unix.NETLINK_XFRM, ErrClosed: ErrClosed, ErrNilContext: errNilContext}}
	err := pool.OpenWith(&h.pool, opts, socket.Config{FixedLen: FixedLen})
	if err != nil {
		h = nil // the pool is closed
	}
	return h, err
}

// FixedLen is the fixed header length of an XFRM request of type t (the
// kernel's xfrm_msg_min), so that errors can name the attribute the
// kernel rejected; -1 for a type it does not know.
func FixedLen(t uint16) int {
	switch t {
	case msgNewSA, msgUpdSA:
		return sizeofUsersaInfo
	case msgDelSA, msgGetSA:
		return sizeofUsersaID
	case msgNewPolicy, msgUpdPolicy:
		return sizeofUserpolicyInfo
	case msgDelPolicy, msgGetPolicy:
		return sizeofUserpolicyID
	case msgAllocSPI:
		return sizeofUserspiInfo
	case msgFlushSA:
		return 1
	case msgFlushPolicy:
		return 0
	case msgGetSADInfo, msgGetSPDInfo, msgNewSPDInfo:
		return 4
	case msgSetDefault, msgGetDefault:
		return sizeofDefault
	}
	return -1
}

// Close closes every socket of the handle, interrupting calls in
// progress. It is safe to call more than once, and on nil.
func (h *Handle) Close() error {
	if h != nil {
		h.pool.Close()
	}
	return nil
}
