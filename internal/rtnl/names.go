package rtnl

import "fmt"

// Integer is the integer types of the enumerations Name and Value read.
type Integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~int | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uint
}

// Name returns the name of v in names, a table of the names of a small
// enumeration indexed by value (iproute2's names of the kernel's
// constants, "" for a value without one), or for a value without a name v
// formatted by format ("%d", "mode %d"), which prints its number even when
// T has a String method.
func Name[T Integer](names []string, v T, format string) string {
	if uint64(v) >= uint64(len(names)) || names[v] == "" {
		return fmt.Sprintf(format, v)
	}
	return names[v]
}

// Value returns the value that names (as for Name) names s, and whether
// one does.
func Value[T Integer](names []string, s string) (T, bool) {
	for i, n := range names {
		if n != "" && n == s {
			return T(i), true
		}
	}
	return 0, false
}
