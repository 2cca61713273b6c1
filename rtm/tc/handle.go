package tc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Handle is a traffic control handle: a qdisc's "major:" (minor zero), a
// class's "major:minor", a qdisc's or filter's parent. Its String is as tc
// prints it (print_tc_classid): "root", "none", "1:", "1:10", ":5".
type Handle uint32

// Well-known handles (TC_H_* of linux/pkt_sched.h).
const (
	// HandleNone is TC_H_UNSPEC: no handle, the kernel picks one.
	HandleNone Handle = 0
	// HandleRoot is TC_H_ROOT, the parent of a device's root qdisc.
	HandleRoot Handle = 0xFFFFFFFF
	// HandleIngress is TC_H_INGRESS, the parent of the ingress and
	// clsact qdiscs, whose own handle is "ffff:".
	HandleIngress Handle = 0xFFFFFFF1
	// HandleClsact is TC_H_CLSACT, the same value as HandleIngress.
	HandleClsact Handle = HandleIngress
	// HandleIngressQdisc is the handle of the ingress and clsact qdiscs,
	// "ffff:".
	HandleIngressQdisc Handle = 0xFFFF0000
	// HandleMinIngress is the parent of the filters of the ingress hook
	// of clsact ("ffff:fff2", tc's "ingress").
	HandleMinIngress Handle = 0xFFFFFFF2
	// HandleMinEgress is the parent of the filters of the egress hook of
	// clsact ("ffff:fff3", tc's "egress").
	HandleMinEgress Handle = 0xFFFFFFF3
)

// MakeHandle returns the handle "major:minor".
func MakeHandle(major, minor uint16) Handle { return Handle(uint32(major)<<16 | uint32(minor)) }

// Major returns the major number ("1" of "1:10").
func (h Handle) Major() uint16 { return uint16(h >> 16) }

// Minor returns the minor number ("10" of "1:10").
func (h Handle) Minor() uint16 { return uint16(h) }

// String returns h as tc prints it.
func (h Handle) String() string {
	var buf [16]byte
	return string(h.AppendText(buf[:0]))
}

// AppendText appends h as tc prints it to b.
func (h Handle) AppendText(b []byte) []byte {
	switch {
	case h == HandleRoot:
		return append(b, "root"...)
	case h == HandleNone:
		return append(b, "none"...)
	case h.Major() == 0:
		b = append(b, ':')
		return strconv.AppendUint(b, uint64(h.Minor()), 16)
	case h.Minor() == 0:
		b = strconv.AppendUint(b, uint64(h.Major()), 16)
		return append(b, ':')
	}
	b = strconv.AppendUint(b, uint64(h.Major()), 16)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(h.Minor()), 16)
}

// MarshalText implements encoding.TextMarshaler, as String.
func (h Handle) MarshalText() ([]byte, error) { return h.AppendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler, as ParseHandle.
func (h *Handle) UnmarshalText(b []byte) error {
	v, err := ParseHandle(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// errBadHandle is what every handle parsing error wraps.
var errBadHandle = errors.New("invalid handle")

// ParseHandle parses a class id as tc does (get_tc_classid): "root",
// "none", "major:minor", "major:", ":minor" or a bare 32-bit hex number,
// every number hexadecimal.
func ParseHandle(s string) (Handle, error) {
	switch s {
	case "root":
		return HandleRoot, nil
	case "none":
		return HandleNone, nil
	case "":
		return 0, fmt.Errorf("tc: empty handle: %w", errBadHandle)
	}
	major, minor, colon := strings.Cut(s, ":")
	if !colon {
		v, err := strconv.ParseUint(s, 16, 32)
		if err != nil {
			return 0, fmt.Errorf("tc: handle %q: %w", s, errBadHandle)
		}
		return Handle(v), nil
	}
	var maj, min uint64
	var err error
	if major != "" {
		if maj, err = strconv.ParseUint(major, 16, 16); err != nil {
			return 0, fmt.Errorf("tc: handle %q: major %q is not a 16-bit hex number: %w", s, major, errBadHandle)
		}
	}
	if minor != "" {
		if min, err = strconv.ParseUint(minor, 16, 16); err != nil {
			return 0, fmt.Errorf("tc: handle %q: minor %q is not a 16-bit hex number: %w", s, minor, errBadHandle)
		}
	}
	return MakeHandle(uint16(maj), uint16(min)), nil
}

// ParseQdiscHandle parses a qdisc handle as tc does (get_qdisc_handle):
// "major:" or "major" (hex), or "none"; its minor is zero.
func ParseQdiscHandle(s string) (Handle, error) {
	if s == "none" {
		return HandleNone, nil
	}
	major := strings.TrimSuffix(s, ":")
	maj, err := strconv.ParseUint(major, 16, 16)
	if err != nil {
		return 0, fmt.Errorf("tc: qdisc handle %q: want a 16-bit hex major number, as \"1:\": %w", s, errBadHandle)
	}
	return MakeHandle(uint16(maj), 0), nil
}
