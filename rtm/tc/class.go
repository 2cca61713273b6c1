package tc

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// Class is the view of a class of a classful qdisc ("tc class show").
type Class struct{ Object }

// ClassFromBytes returns the view of a class message payload (the bytes
// after nlmsghdr), which it reads in place.
func ClassFromBytes(b []byte) (Class, error) { return viewFromBytes[Class](&classFamily, b) }

// Clone returns a copy of c that owns its bytes.
func (c Class) Clone() Class { return Class{c.clone()} }

// Leaf returns the handle of the qdisc attached to the class (tcm_info),
// which tc prints as "leaf"; HandleNone when it has none of its own.
func (c Class) Leaf() Handle { return Handle(c.Info()) }

// ClassFilter selects the classes of a dump. The kernel dumps the classes
// of one device: Ifindex is required.
type ClassFilter struct {
	// Ifindex is the device. Required.
	Ifindex int32
	// Parent keeps the classes of the qdisc whose major number is
	// Parent's (the kernel's filter, which tc's "parent" sets: every
	// class of qdisc 1: for parent 1:1); HandleNone keeps all.
	Parent Handle
	// Handle keeps the class with this handle.
	Handle Handle
}

// classIdentity is what makes a class unique in a dump: its device and
// handle (classes of one device have unique handles).
func classIdentity(data, key []byte) []byte { return append(key, data[4:12]...) }

// Classes dumps the classes of a device, as Qdiscs dumps qdiscs: streaming,
// nothing allocated per class, repeated classes dropped and reported.
func Classes(ctx context.Context, h *rtm.Handle, f ClassFilter) iter.Seq2[Class, error] {
	return func(yield func(Class, error) bool) {
		if f.Ifindex <= 0 {
			yield(Class{}, fmt.Errorf("tc: class show: interface index %d: the kernel dumps the classes of one device", f.Ifindex))
			return
		}
		dumpObjects(ctx, h, &classFamily, header{ifindex: f.Ifindex, parent: f.Parent}, nil, func(c Class) bool {
			return f.Handle == HandleNone || c.Handle() == f.Handle
		}, yield)
	}
}

// ClassGet returns the class of device ifindex with handle. A missing
// class is an error matching rtm.ErrNotFound.
func ClassGet(ctx context.Context, h *rtm.Handle, ifindex int32, handle Handle) (Class, error) {
	if ifindex <= 0 {
		return Class{}, fmt.Errorf("tc: class get: interface index %d", ifindex)
	}
	if handle.Major() == 0 {
		return Class{}, fmt.Errorf("tc: class get: handle %v has no major number", handle)
	}
	return getObject[Class](ctx, h, &classFamily, echoGet(&classFamily, header{ifindex: ifindex, handle: handle}))
}

// ClassSpec describes a class to add, replace, change or delete ("tc
// class add dev eth0 parent 1: classid 1:10 htb rate 1mbit").
type ClassSpec struct {
	// Ifindex is the device's index. Required.
	Ifindex int32
	// Parent is the qdisc ("1:") or class ("1:1") the class hangs from.
	// Required but for a delete.
	Parent Handle
	// Handle is the class id, "major:minor", whose major is its qdisc's.
	// Required but for an add, where the kernel may pick the minor.
	Handle Handle
	// Options are the kind and its options; nil only for a delete. The
	// kind must be the qdisc's, which only the kernel knows.
	Options ClassOptions
	// Estimator, if set, attaches a rate estimator.
	Estimator *Estimator
}

func (s *ClassSpec) validate(c change) error {
	if s.Ifindex <= 0 {
		return fmt.Errorf("interface index %d: a class needs a device", s.Ifindex)
	}
	if c.typ == unix.RTM_DELTCLASS {
		if s.Handle == HandleNone {
			return errors.New("no class id to delete")
		}
		return nil
	}
	changing := c == classChangeOp && s.Handle != HandleNone // the class id finds the class
	if !changing && (s.Parent == HandleNone || s.Parent == HandleRoot && s.Handle == HandleNone) {
		return errors.New("no parent: give the qdisc (1:) or a class (1:1)")
	}
	if s.Handle != HandleNone {
		if s.Handle.Minor() == 0 {
			return fmt.Errorf("class id %v: the minor number of a class is not zero", s.Handle)
		}
		if s.Parent != HandleRoot && s.Parent != HandleNone && s.Handle.Major() != s.Parent.Major() {
			return fmt.Errorf("class id %v: its major number is not its parent %v's", s.Handle, s.Parent)
		}
		if s.Handle == s.Parent {
			return fmt.Errorf("class id %v collides with its parent", s.Handle)
		}
	}
	if s.Options == nil {
		return errors.New("no kind: set Options (&tc.HTBClass{...}, ...)")
	}
	return nil
}

func (s *ClassSpec) encode(r *rtnl.Req, c change) error {
	if err := s.validate(c); err != nil {
		return err
	}
	begin(r.B, c, header{ifindex: s.Ifindex, handle: s.Handle, parent: s.Parent})
	return appendBody(r, c.typ == unix.RTM_DELTCLASS, s.Options, s.Estimator, nil, nil)
}

func (s *ClassSpec) opName(verb string) string {
	return objectName(verb, s.Options, "classid", s.Handle, s.Parent, s.Ifindex)
}

type classRequest = specRequest[ClassSpec, *ClassSpec]

// The class changes, with tc's message flags.
var (
	classAddOp     = change{"class add", unix.RTM_NEWTCLASS, addFlags}
	classReplaceOp = change{"class replace", unix.RTM_NEWTCLASS, unix.NLM_F_CREATE} // as tc sends it
	classChangeOp  = change{"class change", unix.RTM_NEWTCLASS, changeFlags}
	classDelOp     = change{"class del", unix.RTM_DELTCLASS, 0}
)

// ClassAdd is the request to add a class ("tc class add").
func ClassAdd(s ClassSpec) rtm.Request { return &classRequest{classAddOp, s} }

// ClassReplace is the request to add or replace a class ("tc class
// replace").
func ClassReplace(s ClassSpec) rtm.Request { return &classRequest{classReplaceOp, s} }

// ClassChange is the request to change an existing class ("tc class
// change").
func ClassChange(s ClassSpec) rtm.Request { return &classRequest{classChangeOp, s} }

// ClassDel is the request to delete a class ("tc class del"); Options
// may be nil.
func ClassDel(s ClassSpec) rtm.Request { return &classRequest{classDelOp, s} }
