package rtm

import (
	"cmp"
	"fmt"
)

// Opt is an optional setting: the zero Opt is unset, and a request leaves
// the setting as it is (or, when creating, to the kernel's default);
// [Some] sets it, zero values included.
//
//	rtm.LinkSpec{Index: 3, Group: rtm.Some[uint32](0)} // move to group 0
type Opt[T any] struct {
	v   T
	set bool
}

// Some returns an Opt set to v.
func Some[T any](v T) Opt[T] { return Opt[T]{v: v, set: true} }

// Get returns the value and whether it is set.
func (o Opt[T]) Get() (T, bool) { return o.v, o.set }

// IsSet reports whether the setting is set.
func (o Opt[T]) IsSet() bool { return o.set }

// Or returns the value if set, else def.
func (o Opt[T]) Or(def T) T {
	if o.set {
		return o.v
	}
	return def
}

// checkMax returns the error format describes with the value when o is
// set above max: the check of a setting whose values are a few codes.
// Several checks go in one cmp.Or, which returns the first error.
func checkMax[T cmp.Ordered](o Opt[T], max T, format string) error {
	if v, ok := o.Get(); ok && v > max {
		return fmt.Errorf(format, v)
	}
	return nil
}

// String formats the value, or "unset".
func (o Opt[T]) String() string {
	if !o.set {
		return "unset"
	}
	return fmt.Sprint(o.v)
}
