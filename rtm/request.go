package rtm

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"golang.org/x/sys/unix"
)

// Request is one change to the kernel's state, as a value: [RouteAdd],
// [RouteDel], ... return one. [Handle.Do] sends requests, [Batch.Add]
// queues them in a batch; the methods Handle.RouteAdd, Batch.RouteAdd and
// so on are shorthands for the same requests. A request is validated when
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
		b := h.newBuilder()
		r := rtnl.Req{B: b, Named: true}
		if err := reqs[0].AppendTo(&r); err != nil {
			h.builder.Put(b)
			return fmt.Errorf("rtm: %s: %w", r.Op, err)
		}
		return h.execute(ctx, r.Op, b, nil)
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
		mark := bt.b.Len()
		r := rtnl.Req{B: &bt.b}
		if err := q.AppendTo(&r); err != nil {
			bt.b.Truncate(mark)
			return fmt.Errorf("rtm: %s: %w", r.Op, err)
		}
		if err := bt.b.Err(); err != nil {
			return fmt.Errorf("rtm: %s: %w", r.Op, err)
		}
		bt.ops = append(bt.ops, r.Op)
		bt.lazy = append(bt.lazy, !r.Named)
	}
	return nil
}

// routeRequest is a route change: what RouteAdd, RouteDel, ... return.
type routeRequest struct {
	verb       string // "route add"
	typ, flags uint16
	s          RouteSpec
}

func (q *routeRequest) AppendTo(r *rtnl.Req) error {
	r.Op = q.verb
	if r.Named {
		r.Op = routeName(q.verb, &q.s)
	}
	return encodeRoute(r.B, q.typ, q.flags, &q.s)
}

// RouteAdd is the request to add a route; it fails with EEXIST if one
// with the same key exists ("ip route add").
func RouteAdd(s RouteSpec) Request {
	return &routeRequest{"route add", unix.RTM_NEWROUTE, routeAddFlags, s}
}

// RouteReplace is the request to add a route or replace the one with the
// same key ("ip route replace").
func RouteReplace(s RouteSpec) Request {
	return &routeRequest{"route replace", unix.RTM_NEWROUTE, routeReplaceFlags, s}
}

// RouteChange is the request to change an existing route; it fails with
// ENOENT if there is none ("ip route change").
func RouteChange(s RouteSpec) Request {
	return &routeRequest{"route change", unix.RTM_NEWROUTE, routeChangeFlags, s}
}

// RouteAppend is the request to add a route after the existing ones with
// the same key; for IPv6, it adds the route's next hops to the existing
// multipath route ("ip route append").
func RouteAppend(s RouteSpec) Request {
	return &routeRequest{"route append", unix.RTM_NEWROUTE, routeAppendFlags, s}
}

// RoutePrepend is the request to add a route before the existing ones
// with the same key ("ip route prepend").
func RoutePrepend(s RouteSpec) Request {
	return &routeRequest{"route prepend", unix.RTM_NEWROUTE, routePrependFlags, s}
}

// RouteDel is the request to delete a route; fields left zero match any
// value ("ip route del").
func RouteDel(s RouteSpec) Request {
	return &routeRequest{"route del", unix.RTM_DELROUTE, 0, s}
}
