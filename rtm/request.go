package rtm

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Request is one change to the kernel's state, as a value: [RouteAdd],
// [AddrAdd], [LinkSet], [NeighDel], [RuleAdd], [NexthopDel], ... return
// one, a constructor for each Handle method that sends one message.
// [Handle.Do] sends requests, [Batch.Add] queues them in a batch; the
// methods Handle.RouteAdd, Batch.RouteAdd and so on are shorthands for
// the same requests. A request is validated when
// it is sent or added, before anything goes to the kernel.
//
// Requests let one piece of code build changes of any kind and leave to
// its caller whether they are sent one by one or pipelined. New kinds of
// change come as new request constructors, in this package or in others
// of this module, rather than as new methods on Handle and Batch.
//
// Only this module implements Request: the parameter of AppendTo has an
// internal type.
type Request interface {
	// AppendTo validates the request and appends its message to r.
	AppendTo(r *rtnl.Req) error
}

// Do sends reqs and waits for the kernel to acknowledge them. A single
// request is sent alone, and its error names the object ("rtm: route add
// 10.0.0.0/24 table 100: file exists"). Several are sent pipelined, as a
// [Batch]: the error is then the batch's (a *socket.BatchError naming the
// first failure), and an invalid request stops Do before anything is
// sent.
func (h *Handle) Do(ctx context.Context, reqs ...Request) error {
	switch len(reqs) {
	case 0:
		return nil
	case 1:
		if reqs[0] == nil {
			return errNilRequest
		}
		b := h.newBuilder()
		r := rtnl.Req{B: b, Named: true}
		defer func() { closeAll(r.Opened) }()
		if err := reqs[0].AppendTo(&r); err != nil {
			h.builder.Put(b)
			return fmt.Errorf("rtm: %s: %w", r.Op, err)
		}
		err := h.execute(ctx, r.Op, b, nil)
		if r.Missing != 0 {
			err = notFound(err, r.Missing)
		}
		return err
	}
	bt := h.NewBatch()
	if err := bt.Add(reqs...); err != nil {
		return err
	}
	_, err := bt.Run(ctx)
	return err
}

// Add validates reqs and queues them, in order. At the first invalid
// request it stops and returns its error: that request is not queued,
// those before it are.
func (bt *Batch) Add(reqs ...Request) error {
	for _, q := range reqs {
		if q == nil {
			return errNilRequest
		}
		mark := bt.b.Len()
		r := rtnl.Req{B: &bt.b}
		err := q.AppendTo(&r)
		if err := bt.settle(mark, r.Op, true, err); err != nil {
			return err
		}
	}
	return nil
}

// closeAll closes what a request opened, once it has been sent.
func closeAll(opened []io.Closer) {
	for _, c := range opened {
		c.Close()
	}
}

// errNilRequest refuses a nil Request, before anything is sent.
var errNilRequest = errors.New("rtm: nil request")

// change is what every request of a family has: the bare verb that
// names it in a batch ("address add"), and its message's type and flags.
type change struct {
	verb       string
	typ, flags uint16
}

func (s *RouteSpec) encode(b *wire.Builder, typ, flags uint16) error {
	return encodeRoute(b, typ, flags, s)
}

type routeRequest = specRequest[RouteSpec, *RouteSpec]

// Flags of the route-changing requests, as iproute2 sends them.
const (
	routeAddFlags     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	routeReplaceFlags = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	routeChangeFlags  = unix.NLM_F_REPLACE
	routeAppendFlags  = unix.NLM_F_CREATE | unix.NLM_F_APPEND
	routePrependFlags = unix.NLM_F_CREATE
)

// The route changes.
var (
	routeAddOp     = change{"route add", unix.RTM_NEWROUTE, routeAddFlags}
	routeReplaceOp = change{"route replace", unix.RTM_NEWROUTE, routeReplaceFlags}
	routeChangeOp  = change{"route change", unix.RTM_NEWROUTE, routeChangeFlags}
	routeAppendOp  = change{"route append", unix.RTM_NEWROUTE, routeAppendFlags}
	routePrependOp = change{"route prepend", unix.RTM_NEWROUTE, routePrependFlags}
	routeDelOp     = change{"route del", unix.RTM_DELROUTE, 0}
)

// RouteAdd is the request to add a route; it fails with EEXIST if one
// with the same key exists ("ip route add").
func RouteAdd(s RouteSpec) Request { return &routeRequest{routeAddOp, s} }

// RouteReplace is the request to add a route or replace the one with the
// same key ("ip route replace").
func RouteReplace(s RouteSpec) Request { return &routeRequest{routeReplaceOp, s} }

// RouteChange is the request to change an existing route; it fails with
// ENOENT if there is none ("ip route change").
func RouteChange(s RouteSpec) Request { return &routeRequest{routeChangeOp, s} }

// RouteAppend is the request to add a route after the existing ones with
// the same key; for IPv6, it adds the route's next hops to the existing
// multipath route ("ip route append").
func RouteAppend(s RouteSpec) Request { return &routeRequest{routeAppendOp, s} }

// RoutePrepend is the request to add a route before the existing ones
// with the same key ("ip route prepend").
func RoutePrepend(s RouteSpec) Request { return &routeRequest{routePrependOp, s} }

// RouteDel is the request to delete a route; fields left zero match any
// value ("ip route del").
func RouteDel(s RouteSpec) Request { return &routeRequest{routeDelOp, s} }

// changeSpec is what a specification gives a [specRequest]: its message
// and the name of the object it changes, for errors.
type changeSpec interface {
	encode(b *wire.Builder, typ, flags uint16) error
	opName(verb string) string
}

// queue adds the change c of a specification to bt, as Batch.Add would
// add its request, but without making it a Request, which would move it
// to the heap: the Batch methods cost no allocation. encode is the
// specification's encode method.
func (bt *Batch) queue(c change, encode func(b *wire.Builder, typ, flags uint16) error) error {
	return bt.addLazy(c.verb, func(b *wire.Builder) error { return encode(b, c.typ, c.flags) })
}

// specRequest is a change made by one message from a specification S:
// the request of every family but links, whose encoding needs more.
type specRequest[S any, P interface {
	*S
	changeSpec
}] struct {
	change
	s S
}

func (q *specRequest[S, P]) AppendTo(r *rtnl.Req) error {
	r.Op = q.verb
	if r.Named {
		r.Op = P(&q.s).opName(q.verb)
	}
	return q.encode(r.B)
}

func (q *specRequest[S, P]) encode(b *wire.Builder) error { return P(&q.s).encode(b, q.typ, q.flags) }

// beginMsg starts a message of type typ with a fixed header of hdrLen
// bytes that begins as most rtnetlink headers do: the family in its
// first byte, an interface index in bytes 4 to 7. It returns the header,
// for the caller's other fields; nil once b has failed.
func beginMsg(b *wire.Builder, typ, flags uint16, hdrLen int, family uint8, index int32) []byte {
	b.Begin(typ, flags)
	hdr := b.Fixed(hdrLen)
	if hdr != nil {
		hdr[0] = family
		native.PutUint32(hdr[4:], uint32(index))
	}
	return hdr
}

// putU32 writes a 32-bit attribute unless v is zero, which the
// specifications use for "not given".
func putU32[T ~uint32 | ~int32](b *wire.Builder, typ uint16, v T) {
	if v != 0 {
		b.Uint32(typ, uint32(v))
	}
}

// putU16BE writes a 16-bit big-endian attribute (a port) unless v is
// zero.
func putU16BE(b *wire.Builder, typ uint16, v uint16) {
	if v != 0 {
		b.Uint16BE(typ, v)
	}
}

// putU8 writes an 8-bit attribute unless v is zero.
func putU8(b *wire.Builder, typ uint16, v uint8) {
	if v != 0 {
		b.Uint8(typ, v)
	}
}
