package rtm

import (
	"bytes"
	"context"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// msgKind describes the messages of one view type for the generic dump,
// get and event accessors.
type msgKind struct {
	typ  uint16 // RTM_NEWROUTE, ...; RTM_DELROUTE is typ+1
	what string // "route", for errors
	// missing is the errno with which the kernel answers a get of an
	// object that does not exist (0 if none is one): it becomes
	// ErrNotFound.
	missing unix.Errno
}

// The kinds of messages rtm views.
var (
	linkMsgs          = msgKind{unix.RTM_NEWLINK, "link", unix.ENODEV}
	addrMsgs          = msgKind{unix.RTM_NEWADDR, "address", 0}
	routeMsgs         = msgKind{unix.RTM_NEWROUTE, "route", 0}
	neighMsgs         = msgKind{unix.RTM_NEWNEIGH, "neighbour", unix.ENOENT}
	ruleMsgs          = msgKind{unix.RTM_NEWRULE, "rule", 0}
	nexthopMsgs       = msgKind{unix.RTM_NEWNEXTHOP, "nexthop", unix.ENOENT}
	nexthopBucketMsgs = msgKind{unix.RTM_NEWNEXTHOPBUCKET, "nexthop bucket", unix.ENOENT}
	neighTableMsgs    = msgKind{unix.RTM_NEWNEIGHTBL, "neighbour table", 0}
)

// dumpOf runs the dump request built in b and passes each the view of
// every message of k's type, or the error that ends the dump (with a zero
// view). The caller's each converts the view to its type, applies the
// filters the kernel may have ignored and the consistency checks that drop
// repeated objects, and yields. Every view reads through one attribute
// index, rebuilt for each message, so that a dump allocates nothing per
// object; the index itself is allocated once per dump, since the views
// point at it and go to the caller's loop body, which the compiler cannot
// see into from here. peek makes the socket check each datagram's size
// first, for messages that can exceed the usual buffer.
//
// dumpOf is generic in the header, not in the view type: an instance per
// view type would put that type's descriptor, with the names of all its
// methods, in every program that dumps it.
//
// It reports whether the dump ran to its end: false after an error or
// when each returned false, so that the caller runs its end-of-dump checks
// only after a complete dump.
func dumpOf[H rtnl.Header](ctx context.Context, h *Handle, op string, k *msgKind, b *wire.Builder, run dumpRun, each func(v view[H], err error) bool) bool {
	idx := run.idx
	if idx == nil {
		idx = new(nla.Index)
	}
	st := &viewState{idx: idx} // the current message's index and header
	return h.dumpMsgs(ctx, op, b, run, k.typ, func(hdr unix.NlMsghdr, data []byte, err error) bool {
		var v view[H]
		if err == nil {
			v, err = wrap[H](k.what, data, st)
			st.nlh = hdr
		}
		return each(v, err) && err == nil
	})
}

// dumpRun says how dumpOf runs a dump; its zero value is the usual way.
type dumpRun struct {
	// peek has the socket check each datagram's size first, for dumps
	// whose messages may exceed its buffer.
	peek bool
	// stats, if set, receives how the kernel split the dump into
	// datagrams (see socket.DumpStats).
	stats *socket.DumpStats
	// idx, if set, is the attribute index the views share; otherwise the
	// dump allocates one.
	idx *nla.Index
}

// dumpMsgs runs the dump request built in b and passes each the payload
// of every message of type typ, or the error that ends the dump. It
// reports whether the dump ran to its end: no error came and each never
// returned false. It is the part of dumpOf that does not depend on the
// view type, compiled once.
func (h *Handle) dumpMsgs(ctx context.Context, op string, b *wire.Builder, run dumpRun, typ uint16, each func(hdr unix.NlMsghdr, data []byte, err error) bool) bool {
	for m, err := range h.dumpStats(ctx, op, b, run.peek, run.stats) {
		if err != nil {
			each(unix.NlMsghdr{}, nil, err)
			return false
		}
		if m.Header.Type == typ && !each(m.Header, m.Data, nil) {
			return false
		}
	}
	return true
}

// getOf sends the get request built in b and returns the reply of k's
// type as a view of type V that owns its bytes. The kernel's "no such
// object" errno for k becomes ErrNotFound. describe names the request in
// errors (see Handle.query).
func getOf[V ~struct{ view[H] }, H rtnl.Header](ctx context.Context, h *Handle, op string, describe bool, b *wire.Builder, k *msgKind) (V, error) {
	var v, zero V
	err := h.query(ctx, op, describe, b, func(m wire.Message) error {
		if m.Header.Type != k.typ {
			return nil
		}
		var err error
		v, err = viewOf[V](k, bytes.Clone(m.Data), nil)
		return err
	})
	if err != nil {
		if k.missing != 0 {
			err = notFound(err, k.missing)
		}
		return zero, err
	}
	return v, nil
}
