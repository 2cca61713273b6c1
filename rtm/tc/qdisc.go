package tc

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Qdisc is the view of a queueing discipline ("tc qdisc show").
type Qdisc struct{ Object }

// QdiscFromBytes returns the view of a qdisc message payload (the bytes
// after nlmsghdr), which it reads in place.
func QdiscFromBytes(b []byte) (Qdisc, error) { return viewFromBytes[Qdisc](&qdiscFamily, b) }

// Clone returns a copy of q that owns its bytes, to keep after the
// iteration of a dump.
func (q Qdisc) Clone() Qdisc { return Qdisc{q.clone()} }

// Refcnt returns the qdisc's reference count (tcm_info), which tc -d
// prints as "refcnt".
func (q Qdisc) Refcnt() uint32 { return q.Info() }

// QdiscFilter selects the qdiscs of a dump; the zero value selects all.
type QdiscFilter struct {
	// Ifindex keeps the qdiscs of one device.
	Ifindex int32
	// Handle keeps the qdisc with this handle.
	Handle Handle
	// Parent keeps the qdiscs with this parent.
	Parent Handle
	// Invisible asks for the qdiscs the kernel hides by default
	// (TCA_DUMP_INVISIBLE, tc's "invisible"): the default qdiscs of mq's
	// queues.
	Invisible bool
}

func (f *QdiscFilter) keep(q Qdisc) bool {
	return f == nil || (f.Ifindex == 0 || q.Ifindex() == f.Ifindex) &&
		(f.Handle == 0 || q.Handle() == f.Handle) && (f.Parent == 0 || q.Parent() == f.Parent)
}

// qdiscIdentity is what makes a qdisc unique in a dump: its device,
// handle and parent.
func qdiscIdentity(data, key []byte) []byte { return append(key, data[4:16]...) }

// Qdiscs dumps the qdiscs f selects (all when f is nil), streaming: each
// Qdisc reads the message in place and is valid during its iteration
// only, and the dump allocates nothing per qdisc. The kernel resumes the
// dump by position: a qdisc that comes twice is dropped and the dump ends
// in an error matching wire.ErrDumpInterrupted, as it does when a qdisc
// was removed while a dump of several datagrams ran.
func Qdiscs(ctx context.Context, h *rtm.Handle, f *QdiscFilter) iter.Seq2[Qdisc, error] {
	return func(yield func(Qdisc, error) bool) {
		var hd header
		var extra func(b *wire.Builder)
		if f != nil {
			hd.ifindex = f.Ifindex
			if f.Invisible {
				extra = func(b *wire.Builder) { b.Flag(attrDumpInvis) }
			}
		}
		dumpObjects(ctx, h, &qdiscFamily, hd, extra, f.keep, yield)
	}
}

// QdiscGet returns the qdisc of device ifindex with handle (when parent
// is HandleNone), or the one attached to parent (HandleRoot, HandleIngress
// or a class), whose handle must then be handle unless that is
// HandleNone. A missing qdisc is an error matching rtm.ErrNotFound.
// The reply's parent is the parent asked for (HandleNone for a get by
// handle): the kernel writes it back as it was given.
func QdiscGet(ctx context.Context, h *rtm.Handle, ifindex int32, handle, parent Handle) (Qdisc, error) {
	if ifindex <= 0 {
		return Qdisc{}, fmt.Errorf("tc: qdisc get: interface index %d", ifindex)
	}
	if handle == HandleNone && parent == HandleNone {
		return Qdisc{}, errors.New("tc: qdisc get: neither handle nor parent given")
	}
	return getObject[Qdisc](ctx, h, &qdiscFamily, echoGet(&qdiscFamily, header{ifindex: ifindex, handle: handle, parent: parent}))
}

// QdiscSpec describes a qdisc to add, replace, change, link or delete
// ("tc qdisc add dev eth0 root handle 1: htb default 10").
type QdiscSpec struct {
	// Ifindex is the device's index. Required.
	Ifindex int32
	// Parent is where the qdisc attaches: HandleRoot, HandleIngress
	// (for ingress and clsact) or a class. Required.
	Parent Handle
	// Handle is the qdisc's handle, "major:" (minor zero); HandleNone
	// lets the kernel pick one.
	Handle Handle
	// Options are the kind and its options; nil is allowed only for a
	// delete, which then matches any kind.
	Options QdiscOptions
	// IngressBlock and EgressBlock bind the ingress (ingress, clsact)
	// and egress (clsact) hooks to shared filter blocks; zero for none.
	IngressBlock, EgressBlock uint32
	// Estimator, if set, attaches a rate estimator (tc's "estimator").
	Estimator *Estimator
	// Stab, if set, is the qdisc's size table (tc's "stab").
	Stab *SizeTable
}

// validate checks what the kernel would refuse, or accept and
// misunderstand, before anything is sent.
func (s *QdiscSpec) validate(c change) error {
	if s.Ifindex <= 0 {
		return fmt.Errorf("interface index %d: a qdisc needs a device", s.Ifindex)
	}
	if s.Parent == HandleNone {
		return errors.New("no parent: give HandleRoot, HandleIngress or a class")
	}
	if s.Handle.Minor() != 0 {
		return fmt.Errorf("handle %v: a qdisc handle has a zero minor number (%x:)", s.Handle, s.Handle.Major())
	}
	if s.Handle == HandleRoot {
		return errors.New("handle root: not a qdisc handle")
	}
	ingress := s.Parent == HandleIngress
	if !ingress && s.Parent != HandleRoot && s.Handle != HandleNone && s.Parent.Major() == s.Handle.Major() {
		return fmt.Errorf("handle %v collides with its parent %v: a qdisc cannot hang from its own class", s.Handle, s.Parent)
	}
	if c.typ == unix.RTM_DELQDISC || c == qdiscLinkOp && s.Options == nil {
		return nil
	}
	if s.Options == nil {
		return errors.New("no kind: set Options (&tc.HTB{...}, &tc.Ingress{}, ...)")
	}
	kind := s.Options.Kind()
	ingressKind := kind == "ingress" || kind == "clsact"
	switch {
	case ingressKind && !ingress:
		return fmt.Errorf("%s: its parent must be HandleIngress (ffff:fff1), not %v", kind, s.Parent)
	case ingress && !ingressKind:
		if _, raw := s.Options.(*RawOptions); !raw {
			return fmt.Errorf("%s: only ingress and clsact attach to HandleIngress", kind)
		}
	case ingressKind && s.Handle != HandleNone && s.Handle != HandleIngressQdisc:
		return fmt.Errorf("%s: handle %v: the %s qdisc's handle is ffff:", kind, s.Handle, kind)
	}
	if s.EgressBlock != 0 && kind != "clsact" {
		return fmt.Errorf("%s: an egress block needs clsact", kind)
	}
	if s.IngressBlock != 0 && !ingressKind {
		return fmt.Errorf("%s: an ingress block needs ingress or clsact", kind)
	}
	return nil
}

func (s *QdiscSpec) encode(r *rtnl.Req, c change) error {
	if err := s.validate(c); err != nil {
		return err
	}
	handle := s.Handle
	if s.Parent == HandleIngress && handle == HandleNone {
		handle = HandleIngressQdisc // as tc's "ingress" and "clsact" send it
	}
	begin(r.B, c, header{ifindex: s.Ifindex, handle: handle, parent: s.Parent})
	// tc's order: kind, estimator, blocks, options.
	return appendBody(r, c.typ == unix.RTM_DELQDISC, s.Options, s.Estimator, s.appendBlocks, s.appendStab)
}

// appendBlocks appends the shared blocks the qdisc binds.
func (s *QdiscSpec) appendBlocks(b *wire.Builder) {
	if s.IngressBlock != 0 {
		b.Uint32(attrIngressBlock, s.IngressBlock)
	}
	if s.EgressBlock != 0 {
		b.Uint32(attrEgressBlock, s.EgressBlock)
	}
}

// appendStab appends the size table (tc's "stab"), after the options as
// tc sends it.
func (s *QdiscSpec) appendStab(b *wire.Builder) error { return appendStab(&b.Encoder, s.Stab) }

func (s *QdiscSpec) opName(verb string) string {
	return objectName(verb, s.Options, "handle", s.Handle, s.Parent, s.Ifindex)
}

type qdiscRequest = specRequest[QdiscSpec, *QdiscSpec]

// The qdisc changes, with tc's message flags.
var (
	qdiscAddOp     = change{"qdisc add", unix.RTM_NEWQDISC, addFlags}
	qdiscReplaceOp = change{"qdisc replace", unix.RTM_NEWQDISC, replaceFlags}
	qdiscChangeOp  = change{"qdisc change", unix.RTM_NEWQDISC, changeFlags}
	qdiscLinkOp    = change{"qdisc link", unix.RTM_NEWQDISC, linkFlags}
	qdiscDelOp     = change{"qdisc del", unix.RTM_DELQDISC, 0}
)

// QdiscAdd is the request to add a qdisc ("tc qdisc add"); it fails with
// EEXIST when one is attached to the parent.
func QdiscAdd(s QdiscSpec) rtm.Request { return &qdiscRequest{qdiscAddOp, s} }

// QdiscReplace is the request to add a qdisc or replace the one attached
// to its parent ("tc qdisc replace").
func QdiscReplace(s QdiscSpec) rtm.Request { return &qdiscRequest{qdiscReplaceOp, s} }

// QdiscChange is the request to change the options of an existing qdisc
// ("tc qdisc change").
func QdiscChange(s QdiscSpec) rtm.Request { return &qdiscRequest{qdiscChangeOp, s} }

// QdiscLink is the request to graft an existing qdisc on a parent
// ("tc qdisc link").
func QdiscLink(s QdiscSpec) rtm.Request { return &qdiscRequest{qdiscLinkOp, s} }

// QdiscDel is the request to delete a qdisc ("tc qdisc del"); Options
// may be nil.
func QdiscDel(s QdiscSpec) rtm.Request { return &qdiscRequest{qdiscDelOp, s} }
