package tc

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// objectFamily describes the messages of one kind of tc object (qdisc,
// class, filter) for the shell their views, dumps, gets and events
// share.
type objectFamily struct {
	what          string // "qdisc", for errors
	showOp, getOp string // "qdisc show", "qdisc get"
	// newType is RTM_NEW*: the type of the objects' messages, and
	// newType+1 (RTM_DEL*) that of their removals; getType is RTM_GET*.
	newType, getType uint16
	// identity is what makes an object unique in a dump.
	identity func(data, key []byte) []byte
}

// The families of tc objects.
var (
	qdiscFamily  = objectFamily{"qdisc", "qdisc show", "qdisc get", unix.RTM_NEWQDISC, unix.RTM_GETQDISC, qdiscIdentity}
	classFamily  = objectFamily{"class", "class show", "class get", unix.RTM_NEWTCLASS, unix.RTM_GETTCLASS, classIdentity}
	filterFamily = objectFamily{"filter", "filter show", "filter get", unix.RTM_NEWTFILTER, unix.RTM_GETTFILTER, filterIdentity}
)

// objectView is the type of the view of a tc object: Qdisc, Class or
// Filter.
type objectView interface{ ~struct{ Object } }

// viewFromBytes returns the view of a message payload of fam, which it
// reads in place.
func viewFromBytes[V objectView](fam *objectFamily, b []byte) (V, error) {
	o, err := wrapObject(fam.what, b, nil)
	return V{o}, err
}

// viewOf returns the view of a notification of fam (its RTM_NEW* or
// RTM_DEL*); false for other events.
func viewOf[V objectView](ev rtm.Event, fam *objectFamily) (V, bool) {
	if ev.Type != fam.newType && ev.Type != fam.newType+1 {
		return V{}, false
	}
	v, err := viewFromBytes[V](fam, ev.Data)
	return v, err == nil
}

// dumpObjects runs the dump of fam's objects whose request has the tcmsg
// hd and the attributes extra appends (if set), and yields those keep
// keeps (all when keep is nil): streaming, nothing allocated per object,
// an object that comes twice dropped and reported.
func dumpObjects[V objectView](ctx context.Context, h *rtm.Handle, fam *objectFamily, hd header, extra func(b *wire.Builder), keep func(V) bool, yield func(V, error) bool) {
	d := rtnl.DumpReq{Op: fam.showOp, What: fam.what, Type: fam.newType,
		HeaderLen: SizeofTcmsg, Identity: fam.identity,
		Removed: fam.newType + 1, Group: unix.RTNLGRP_TC}
	d.Request = func(b *wire.Builder) error {
		begin(b, change{typ: fam.getType, flags: unix.NLM_F_DUMP}, hd)
		if extra != nil {
			extra(b)
		}
		b.End()
		return nil
	}
	d.Each = func(data []byte, idx *nla.Index, err error) bool {
		if err != nil {
			return yield(V{}, err)
		}
		v := V{Object{b: data, idx: idx}}
		if keep != nil && !keep(v) {
			return true
		}
		return yield(v, nil)
	}
	h.RunDump(ctx, &d)
}

// getObject sends the get request of fam that request appends and
// returns the object of the reply. A missing object is an error matching
// rtm.ErrNotFound.
func getObject[V objectView](ctx context.Context, h *rtm.Handle, fam *objectFamily, request func(b *wire.Builder) error) (V, error) {
	var v V
	g := rtnl.GetReq{Op: fam.getOp, Type: fam.newType, Missing: unix.ENOENT, Request: request}
	g.Reply = func(data []byte) error {
		var err error
		v, err = viewFromBytes[V](fam, data)
		return err
	}
	err := h.RunGet(ctx, &g)
	return v, err
}

// echoGet is the get request of a qdisc or class with tcmsg hd. The
// kernel answers a get of a qdisc or class only with NLM_F_ECHO: without
// it, the object goes to RTNLGRP_TC alone.
func echoGet(fam *objectFamily, hd header) func(b *wire.Builder) error {
	return func(b *wire.Builder) error {
		begin(b, change{typ: fam.getType, flags: unix.NLM_F_ECHO}, hd)
		b.End()
		return nil
	}
}

// appendBody appends what follows the tcmsg in the message of a qdisc or
// class, and ends it: for a delete (or no options), the kind alone, if
// given, to match; otherwise the kind, the estimator, what extra appends
// (if set) and the options, in tc's order.
func appendBody(r *rtnl.Req, del bool, opts Options, est *Estimator, extra func(b *wire.Builder), after func(b *wire.Builder) error) error {
	b := r.B
	if del || opts == nil {
		if opts != nil {
			b.String(attrKind, opts.Kind())
		}
		b.End()
		return nil
	}
	kind := opts.Kind()
	if err := appendKind(b, kind); err != nil {
		return err
	}
	appendEstimator(b, est)
	if extra != nil {
		extra(b)
	}
	if err := opts.AppendOptions(r); err != nil {
		return fmt.Errorf("%s: %w", kind, err)
	}
	if after != nil {
		if err := after(b); err != nil {
			return err
		}
	}
	b.End()
	return nil
}

// objectName names a qdisc or class in errors: "qdisc add htb handle 1:
// parent root ifindex 2".
func objectName(verb string, opts Options, handleWord string, handle, parent Handle, ifindex int32) string {
	kind := ""
	if opts != nil {
		kind = " " + opts.Kind()
	}
	return fmt.Sprintf("%s%s %s %v parent %v ifindex %d", verb, kind, handleWord, handle, parent, ifindex)
}
