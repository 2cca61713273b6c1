package main

// Readers for the value that follows a keyword, shared by the objects'
// argument loops: each reads the next argument (ip's NEXT_ARG, with its
// "Command line is not complete" error when there is none) and parses it
// as one kind of value, failing with ip's message for that kind.

import (
	"net/netip"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
)

// parseValue reads the value after keyword and parses it with parse.
func parseValue[T any](a *args, keyword string, parse func(string) (T, error)) (T, error) {
	v, err := a.value(keyword)
	if err != nil {
		var zero T
		return zero, err
	}
	return parse(v)
}

// lookupValue reads the value after keyword and looks it up with id;
// what the lookup refuses fails as "invalid <what> VALUE".
func lookupValue[T any](a *args, keyword, what string, id func(string) (T, bool)) (T, error) {
	v, err := a.value(keyword)
	if err != nil {
		var zero T
		return zero, err
	}
	t, ok := id(v)
	if !ok {
		return t, usagef("invalid %s %q", what, v)
	}
	return t, nil
}

// tableValue reads a name of t or a number up to max.
func (a *args) tableValue(keyword, what string, t *nameTable, max uint64) (uint32, error) {
	return lookupValue(a, keyword, what, func(s string) (uint32, bool) { return t.id(s, max) })
}

// protocolValue reads a routing protocol (rt_protos name or number).
func (a *args) protocolValue(keyword string) (uint8, error) {
	id, err := a.tableValue(keyword, "protocol", &protoNames, 255)
	return uint8(id), err
}

// selectorValue reads the value of a listing's selector with read,
// where "all" selects every value (set is false).
func selectorValue[T any](a *args, keyword string, read func(string) (T, error)) (v T, set bool, err error) {
	if a.more() && a.peek() == "all" {
		a.advance()
		return v, false, nil
	}
	v, err = read(keyword)
	return v, err == nil, err
}

// protocolFilter reads the protocol of a listing's selector, or "all".
func (a *args) protocolFilter(keyword string) (proto uint8, set bool, err error) {
	return selectorValue(a, keyword, a.protocolValue)
}

// scopeFilter reads the scope of a listing's selector, or "all".
func (a *args) scopeFilter(keyword string) (scope uint8, set bool, err error) {
	return selectorValue(a, keyword, a.scopeValue)
}

// routeTableValue reads a routing table (rt_tables name or number).
func (a *args) routeTableValue(keyword string) (uint32, error) {
	return a.tableValue(keyword, "table", &tableNames, 1<<32-1)
}

// scopeValue reads a scope (rt_scopes name or number).
func (a *args) scopeValue(keyword string) (uint8, error) {
	id, err := a.tableValue(keyword, "scope", &scopeNames, 255)
	return uint8(id), err
}

// tosValue reads a TOS (rt_dsfield name or number).
func (a *args) tosValue(keyword string) (uint8, error) {
	return lookupValue(a, keyword, "tos", dsfieldID)
}

// ipProtoValue reads an IP protocol (name or number).
func (a *args) ipProtoValue(keyword string) (uint8, error) {
	return lookupValue(a, keyword, "ipproto", ipProtoID)
}

// uint64Value reads a number as strtoull does (any base), failing as
// "invalid <keyword> VALUE".
func (a *args) uint64Value(keyword string) (uint64, error) {
	return parseValue(a, keyword, func(v string) (uint64, error) {
		n, err := strconv.ParseUint(v, 0, 64)
		if err != nil {
			return 0, usagef("invalid %s %q", keyword, v)
		}
		return n, nil
	})
}

// fwmarkValue reads FWMARK[/MASK].
func (a *args) fwmarkValue(keyword string) (mark, mask uint32, err error) {
	v, err := a.value(keyword)
	if err != nil {
		return 0, 0, err
	}
	return parseMark(v)
}

// portRangeValue reads N[-M] for sport and dport.
func (a *args) portRangeValue(keyword string) (rtm.PortRange, error) {
	return parseValue(a, keyword, func(v string) (rtm.PortRange, error) { return parsePortRange(keyword, v) })
}

// neighStateValue reads a NUD state as ip neigh names it.
func (a *args) neighStateValue(keyword string) (uint16, error) {
	return lookupValue(a, keyword, "nud state", neighStateID)
}

// vniValue reads a 24-bit VXLAN network identifier, failing with the
// invalid-argument message msg.
func (a *args) vniValue(keyword, msg string) (uint32, error) {
	v, err := a.value(keyword)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(v, 0, 64)
	if err != nil || n>>24 != 0 {
		return 0, invarg(msg, v)
	}
	return uint32(n), nil
}

// toValue is the operand of a loop's default case: the word itself, or
// the value after it when it is the optional keyword "to".
func (a *args) toValue(w string) (string, error) {
	if w != "to" {
		return w, nil
	}
	return a.value(w)
}

// someValue wraps a value read for an optional field of a spec.
func someValue[T any](v T, err error) (rtm.Opt[T], error) {
	if err != nil {
		return rtm.Opt[T]{}, err
	}
	return rtm.Some(v), nil
}

// portValue reads a port number, failing as "invalid <keyword> VALUE".
func (a *args) portValue(keyword string) (uint16, error) {
	return parseValue(a, keyword, func(v string) (uint16, error) {
		n, err := strconv.ParseUint(v, 0, 16)
		if err != nil {
			return 0, usagef("invalid %s %q", keyword, v)
		}
		return uint16(n), nil
	})
}

// addrValue reads an IP address of family (0 for either), as parseAddr
// parses it.
func (a *args) addrValue(keyword string, family uint8) (netip.Addr, error) {
	return parseValue(a, keyword, func(v string) (netip.Addr, error) { return parseAddr(keyword, v, family) })
}

// prefixValue reads the prefix after keyword as parsePrefix reads it,
// its errors naming keyword.
func (a *args) prefixValue(keyword string, family uint8) (netip.Prefix, error) {
	v, err := a.value(keyword)
	if err != nil {
		return netip.Prefix{}, err
	}
	p, _, err := parsePrefix(keyword, v, family)
	return p, err
}

// viaValue reads the gateway of "via [ inet | inet6 ] ADDRESS" in family
// (0 for either); the family word itself is passed over, as
// iproute2's nexthop parser does.
func (a *args) viaValue(family uint8) (netip.Addr, error) {
	v, err := a.value("via")
	if err != nil {
		return netip.Addr{}, err
	}
	if v == "inet" || v == "inet6" {
		if v, err = a.value("via"); err != nil {
			return netip.Addr{}, err
		}
	}
	return parseAddr("via", v, family)
}

// onceValue reads the value after keyword into *dst, which a first value
// must have left empty: a second fails as iproute2's duparg(key, value).
func (a *args) onceValue(keyword, key string, dst *string) error {
	v, err := a.value(keyword)
	if err != nil {
		return err
	}
	if *dst != "" {
		return duparg(key, v)
	}
	*dst = v
	return nil
}

// numberValue reads a number of at most bits bits as iproute2's get_u32
// and get_u64 read it, failing with their callers' "\"KEYWORD\" value is
// invalid".
func (a *args) numberValue(keyword string, bits int) (uint64, error) {
	return a.uintValue(keyword, bits, `"`+keyword+`" value is invalid`)
}

// uintValue reads a number of at most bits bits as strconv reads it in
// base 0 (decimal, 0x hexadecimal, 0 octal), failing as iproute2's
// invarg(msg, VALUE).
func (a *args) uintValue(keyword string, bits int, msg string) (uint64, error) {
	return a.uintWith(keyword, parseUint0, bits, msg)
}

// parseUint0 is strconv.ParseUint in base 0 for uintWith.
func parseUint0(s string, bits int) (uint64, bool) {
	v, err := strconv.ParseUint(s, 0, bits)
	return v, err == nil
}

// lifetimeOnce reads valid_lft or preferred_lft (keyword) into *v, once:
// *given says it was read before.
func (a *args) lifetimeOnce(keyword string, v *uint32, given *bool) error {
	if *given {
		return usagef("%s given twice", keyword)
	}
	n, err := a.lifetime(keyword)
	*v, *given = n, err == nil
	return err
}
