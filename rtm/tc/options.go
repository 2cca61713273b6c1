package tc

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// Options are the typed options of one kind of qdisc, class, filter or
// action: the extension point of this package. Each kind is a type in a
// file of its own (qdisc_htb.go, filter_u32.go, ...) that implements
// Options, and the marker interface of what it configures
// ([QdiscOptions], [ClassOptions], ...); the same type decodes the
// options of the kernel's messages, so that a value read back compares
// equal to the one sent.
//
// Only this module implements Options: AppendOptions takes an internal
// type.
type Options interface {
	// Kind returns the kind's name, sent as TCA_KIND ("htb").
	Kind() string
	// AppendOptions validates the options and appends them to r.B: the
	// TCA_OPTIONS attribute, or nothing for a kind that sends none. An
	// error names what it rejects; nothing is sent then.
	AppendOptions(r *rtnl.Req) error
	// DecodeOptions sets the options from the payload of a TCA_OPTIONS
	// attribute (nil when absent). It never panics; malformed input is
	// an error.
	DecodeOptions(b []byte) error
}

// QdiscOptions are the options of a kind of qdisc (*HTB, *TBF, ...).
type QdiscOptions interface {
	Options
	qdiscOptions()
}

// ClassOptions are the options of a kind of class (*HTBClass, ...).
type ClassOptions interface {
	Options
	classOptions()
}

// RawOptions are options of a kind this package does not know, sent and
// read as bytes: the payload of TCA_OPTIONS (Data, absent when nil). It
// configures qdiscs and classes.
type RawOptions struct {
	Name string
	Data []byte
}

// Kind returns r.Name.
func (r *RawOptions) Kind() string { return r.Name }

// AppendOptions appends Data as TCA_OPTIONS, unless it is nil.
func (r *RawOptions) AppendOptions(q *rtnl.Req) error {
	if r.Data != nil {
		q.B.Binary(attrOptions, r.Data)
	}
	return nil
}

// DecodeOptions keeps a copy of b.
func (r *RawOptions) DecodeOptions(b []byte) error {
	if b != nil {
		r.Data = append([]byte{}, b...)
	}
	return nil
}

func (*RawOptions) qdiscOptions() {}
func (*RawOptions) classOptions() {}

// fixedOptions reports whether d, the payload of TCA_OPTIONS, holds a
// structure of at least n bytes to decode: false with no error when the
// attribute is absent (d nil), an error when it is shorter.
func fixedOptions(d []byte, n int) (bool, error) {
	if d == nil {
		return false, nil
	}
	if len(d) < n {
		return false, fmt.Errorf("%d bytes, want %d or more", len(d), n)
	}
	return true, nil
}

// beginOptions opens TCA_OPTIONS as tc does (no NLA_F_NESTED); close it
// with endNest.
func beginOptions(r *rtnl.Req) nestMark { return beginNest(r.B, attrOptions) }

// decodeKind decodes the options of o into opts, naming the kind in the
// error.
func decodeKind[T Options](o Object, opts T) (T, error) {
	if err := opts.DecodeOptions(o.Options()); err != nil {
		var zero T
		return zero, fmt.Errorf("tc: %s options: %w", opts.Kind(), err)
	}
	return opts, nil
}
