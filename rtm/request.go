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
	return q.encode(r.B)
}

func (q *routeRequest) encode(b *wire.Builder) error { return encodeRoute(b, q.typ, q.flags, &q.s) }

// queue adds q to bt as Batch.Add would, but without making it a
// Request, which would move it to the heap: the Batch methods cost no
// allocation.
func (q *routeRequest) queue(bt *Batch) error { return bt.addLazy(q.verb, q.encode) }

// Flags of the route-changing requests, as iproute2 sends them.
const (
	routeAddFlags     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	routeReplaceFlags = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	routeChangeFlags  = unix.NLM_F_REPLACE
	routeAppendFlags  = unix.NLM_F_CREATE | unix.NLM_F_APPEND
	routePrependFlags = unix.NLM_F_CREATE
)

// The route changes, one per verb.
func routeAdd(s RouteSpec) routeRequest {
	return routeRequest{"route add", unix.RTM_NEWROUTE, routeAddFlags, s}
}

func routeReplace(s RouteSpec) routeRequest {
	return routeRequest{"route replace", unix.RTM_NEWROUTE, routeReplaceFlags, s}
}

func routeChange(s RouteSpec) routeRequest {
	return routeRequest{"route change", unix.RTM_NEWROUTE, routeChangeFlags, s}
}

func routeAppend(s RouteSpec) routeRequest {
	return routeRequest{"route append", unix.RTM_NEWROUTE, routeAppendFlags, s}
}

func routePrepend(s RouteSpec) routeRequest {
	return routeRequest{"route prepend", unix.RTM_NEWROUTE, routePrependFlags, s}
}

func routeDel(s RouteSpec) routeRequest {
	return routeRequest{"route del", unix.RTM_DELROUTE, 0, s}
}

// RouteAdd is the request to add a route; it fails with EEXIST if one
// with the same key exists ("ip route add").
func RouteAdd(s RouteSpec) Request { q := routeAdd(s); return &q }

// RouteReplace is the request to add a route or replace the one with the
// same key ("ip route replace").
func RouteReplace(s RouteSpec) Request { q := routeReplace(s); return &q }

// RouteChange is the request to change an existing route; it fails with
// ENOENT if there is none ("ip route change").
func RouteChange(s RouteSpec) Request { q := routeChange(s); return &q }

// RouteAppend is the request to add a route after the existing ones with
// the same key; for IPv6, it adds the route's next hops to the existing
// multipath route ("ip route append").
func RouteAppend(s RouteSpec) Request { q := routeAppend(s); return &q }

// RoutePrepend is the request to add a route before the existing ones
// with the same key ("ip route prepend").
func RoutePrepend(s RouteSpec) Request { q := routePrepend(s); return &q }

// RouteDel is the request to delete a route; fields left zero match any
// value ("ip route del").
func RouteDel(s RouteSpec) Request { q := routeDel(s); return &q }
