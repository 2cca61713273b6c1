package rtm

import (
	"bytes"
	"context"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// kind describes the messages of one view type V for the generic dump and
// get: their type, and how to view one (newRoute, newLink, ...). Its
// values are package-level constants in effect (no state), so that a dump
// costs no allocation for them.
type kind[V any] struct {
	typ  uint16                                       // RTM_NEWROUTE, ...
	view func(data []byte, idx *nla.Index) (V, error) // checks the header, points idx at the attributes
	// missing is the errno with which the kernel answers a get of an
	// object that does not exist (0 if none is one): it becomes
	// ErrNotFound.
	missing unix.Errno
}

// dumpOf runs the dump request built in b and yields, as views, the
// messages of k's type that keep (nil keeps all) accepts: the filters the
// kernel may have ignored, checked again in user space, and the
// consistency checks that drop repeated objects. Every view reads through
// one attribute index, rebuilt for each message, so that a dump allocates
// nothing per object. (The index is allocated once per dump: the views
// point at it and go to the caller's loop body, which the compiler cannot
// see into from here. Reusing indexes across dumps would save that
// allocation, but the cache pushed the links program of
// scripts/binsize.sh a page over its limit.) peek makes the socket check
// each datagram's size first, for messages that can exceed the usual
// buffer.
//
// It reports whether the dump ran to its end: false when it yielded an
// error or the consumer stopped, so that the caller runs its end-of-dump
// checks only after a complete dump.
func dumpOf[V any](ctx context.Context, h *Handle, op string, b *wire.Builder, peek bool, k *kind[V], keep func(V) bool, yield func(V, error) bool) bool {
	idx := new(nla.Index)
	return h.dumpMsgs(ctx, op, b, peek, k.typ, func(data []byte, err error) bool {
		var v V
		if err == nil {
			v, err = k.view(data, idx)
		}
		if err != nil {
			yield(v, err)
			return false
		}
		return (keep != nil && !keep(v)) || yield(v, nil)
	})
}

// dumpMsgs runs the dump request built in b and passes each the payload
// of every message of type typ, or the error that ends the dump. It
// reports whether the dump ran to its end: no error came and each never
// returned false. It is the part of dumpOf that does not depend on the
// view type, compiled once.
func (h *Handle) dumpMsgs(ctx context.Context, op string, b *wire.Builder, peek bool, typ uint16, each func(data []byte, err error) bool) bool {
	for m, err := range h.dumpPeek(ctx, op, b, peek) {
		if err != nil {
			each(nil, err)
			return false
		}
		if m.Header.Type == typ && !each(m.Data, nil) {
			return false
		}
	}
	return true
}

// getOf sends the get request built in b and returns the reply of k's
// type as a view that owns its bytes. The kernel's "no such object" errno
// for k becomes ErrNotFound. describe names the request in errors (see
// Handle.query).
func getOf[V any](ctx context.Context, h *Handle, op string, describe bool, b *wire.Builder, k *kind[V]) (V, error) {
	var v, zero V
	err := h.query(ctx, op, describe, b, func(m wire.Message) error {
		if m.Header.Type != k.typ {
			return nil
		}
		var err error
		v, err = k.view(bytes.Clone(m.Data), nil)
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

// The kinds of the views rtm dumps and gets.
var (
	linkKind          = kind[Link]{typ: unix.RTM_NEWLINK, view: newLink, missing: unix.ENODEV}
	addrKind          = kind[Addr]{typ: unix.RTM_NEWADDR, view: newAddr}
	routeKind         = kind[Route]{typ: unix.RTM_NEWROUTE, view: newRoute}
	neighKind         = kind[Neigh]{typ: unix.RTM_NEWNEIGH, view: newNeigh, missing: unix.ENOENT}
	ruleKind          = kind[Rule]{typ: unix.RTM_NEWRULE, view: newRule}
	nexthopKind       = kind[Nexthop]{typ: unix.RTM_NEWNEXTHOP, view: newNexthop, missing: unix.ENOENT}
	nexthopBucketKind = kind[NexthopBucket]{typ: unix.RTM_NEWNEXTHOPBUCKET, view: newNexthopBucket}
	neighTableKind    = kind[NeighTable]{typ: unix.RTM_NEWNEIGHTBL, view: newNeighTable}
)
