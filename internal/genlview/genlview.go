// Package genlview holds the small readers that the views of the
// generic-netlink family packages (devlink, macsec, netdev, wireguard and
// the others) share, so that each family reads an attribute, iterates a
// list of nests and names its flag bits the same way.
package genlview

import (
	"fmt"
	"iter"
	"strings"

	"github.com/ipr-go/ipr/nla"
)

// Attr reads attribute t of c with read, the zero value when it is
// absent or malformed: a view's accessor answers "absent" rather than
// fail. An absent one is not read: the reader's error would allocate.
func Attr[T any](c nla.Chain, t uint16, read func(nla.Attr) (T, error)) T {
	var v T
	if a, ok := c.Get(t); ok {
		v, _ = read(a)
	}
	return v
}

// Optional reads attribute t of c with read, and whether c has it (and
// read could read it), for the attributes a kernel leaves out.
func Optional[T any](c nla.Chain, t uint16, read func(nla.Attr) (T, error)) (T, bool) {
	a, ok := c.Get(t)
	if !ok {
		var zero T
		return zero, false
	}
	v, err := read(a)
	return v, err == nil
}

// Nests yields view of each nest in c's attribute t, a list of nests
// (numbered by the kernel, or all of one type): nothing when c has no t.
func Nests[T any](c nla.Chain, t uint16, view func(nla.Chain) T) iter.Seq[T] {
	return func(yield func(T) bool) {
		a, _ := c.Get(t)
		for n := range a.Nested().All() {
			if !yield(view(n.Nested())) {
				return
			}
		}
	}
}

// BitNames lists the names of the bits set in v, names[i] naming bit i,
// separated by spaces, and the bits it has no name for in hexadecimal
// ("basic redirect 0x100"), as the kernel's specs and iproute2 name
// flags.
func BitNames(v uint64, names []string) string {
	var b strings.Builder
	for i, n := range names {
		if v&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(n)
			v &^= 1 << i
		}
	}
	if v != 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%#x", v)
	}
	return b.String()
}
