package main

// tc's u32 syntax: selectors ("match ip dst 1.2.3.4/32", "match u32 VAL
// MASK at OFF"), offsets, hash keys, hash tables and links, as f_u32.c
// reads them.

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// parseU32 reads the u32 options after "u32"; handle is the filter's
// "handle" argument, which u32 reads as a u32 handle.
func parseU32(a *tcArgs, s *tc.FilterSpec, handle string) (tc.FilterOptions, error) {
	u := &tc.U32{}
	if handle != "" {
		h, err := tc.ParseU32Handle(handle)
		if err != nil {
			return nil, tcKindError("Illegal \"handle\"")
		}
		s.Handle = h
	}
	sel := &tc.U32Sel{}
	selOK := false
	var order uint32
	for a.more() {
		word := a.advance()
		var err error
		switch {
		case matches(word, "match"):
			err = a.u32Match(sel)
			selOK = true
		case matches(word, "offset"):
			err = a.u32Offset(sel)
		case matches(word, "hashkey"):
			err = a.u32Hashkey(sel)
		case matches(word, "classid"), word == "flowid":
			u.ClassID, err = parseValue(&a.args, word, parseClassid)
		case matches(word, "divisor"):
			n, err := a.number("divisor", 32)
			if err != nil || n == 0 || n > 0x100 || n&(n-1) != 0 {
				return nil, tcKindError("Illegal \"divisor\"")
			}
			u.Divisor = uint32(n)
		case matches(word, "order"):
			n, err := a.number("order", 32)
			if err != nil {
				return nil, tcKindError("Illegal \"order\"")
			}
			order = uint32(n)
		case word == "link":
			u.Link, err = u32HandleArg(&a.args, word, true)
		case word == "ht":
			// A hash table of a filter with a handle has no node.
			var h uint32
			h, err = u32HandleArg(&a.args, word, handle != "")
			u.Hash = h & 0xfffff000
		case word == "indev":
			u.Indev, err = a.value(word)
		case matches(word, "action"):
			var acts []tc.Action
			acts, err = a.parseActions()
			u.Actions = append(u.Actions, acts...)
		case matches(word, "police"):
			u.Police, err = a.parsePolice(new(uint32))
		case skipFlag(word) != 0:
			u.Flags |= skipFlag(word)
		default:
			return nil, usagef("u32: unknown argument %q", word)
		}
		if err != nil {
			return nil, err
		}
	}
	if order != 0 {
		if s.Handle&0xfff != 0 && order != s.Handle&0xfff {
			return nil, usagef("\"order\" contradicts \"handle\"")
		}
		s.Handle |= order
	}
	if selOK {
		u.Sel = sel
	}
	return u, nil
}

// u32At reads an optional "at [nexthdr+]OFF" after a key.
func (a *tcArgs) u32At(off int32, next bool) (int32, bool, error) {
	if !a.more() || a.peek() != "at" {
		return off, next, nil
	}
	a.advance()
	s, err := a.value("at")
	if err != nil {
		return 0, false, err
	}
	if rest, ok := strings.CutPrefix(s, "nexthdr+"); ok {
		s, next = rest, true
	}
	v, err := strconv.ParseInt(s, 0, 32)
	if err != nil {
		return 0, false, usagef("u32: invalid offset %q", s)
	}
	return int32(v), next, nil
}

// u32Value reads "VAL MASK" of bits bits.
func (a *tcArgs) u32Value(bits int) (uint32, uint32, error) {
	v, err := a.number("value", bits)
	if err != nil {
		return 0, 0, err
	}
	m, err := a.number("mask", bits)
	if err != nil {
		return 0, 0, err
	}
	return uint32(v), uint32(m), nil
}

// u32Key reads "VAL MASK [at OFF]" for a field of size bytes at off.
func (a *tcArgs) u32Key(sel *tc.U32Sel, size int, off int32, next bool) error {
	v, m, err := a.u32Value(size * 8)
	if err != nil {
		return err
	}
	if off, next, err = a.u32At(off, next); err != nil {
		return err
	}
	switch size {
	case 1:
		err = sel.Match8(uint8(v), uint8(m), off, next)
	case 2:
		err = sel.Match16(uint16(v), uint16(m), off, next)
	default:
		err = sel.Match(v, m, off, next)
	}
	if err != nil {
		return usagef("%v", err)
	}
	return nil
}

// u32Prefix reads "PREFIX [at OFF]" of family at off.
func (a *tcArgs) u32Prefix(sel *tc.U32Sel, family uint8, off int32) error {
	s, err := a.value("match")
	if err != nil {
		return err
	}
	p, _, err := parsePrefix("address", s, family)
	if err != nil {
		return err
	}
	next := false
	if off, next, err = a.u32At(off, next); err != nil {
		return err
	}
	if err := sel.MatchPrefix(p, off, next); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// u32Fields are the named fields of tc's u32 selectors: protocol and
// field, size in bytes (0 for a prefix), offset, and whether the offset
// is past the network header (nexthdr+).
var u32Fields = [...]struct {
	proto, field string
	size         int
	off          int32
	next         bool
}{
	{"ip", "src", 0, 12, false}, {"ip", "dst", 0, 16, false}, {"ip", "tos", 1, 1, false},
	{"ip", "dsfield", 1, 1, false}, {"ip", "protocol", 1, 9, false}, {"ip", "dport", 2, 22, false},
	{"ip", "sport", 2, 20, false}, {"ip", "icmp_type", 1, 20, false}, {"ip", "icmp_code", 1, 21, false},
	{"ip6", "src", 0, 8, false}, {"ip6", "dst", 0, 24, false}, {"ip6", "protocol", 1, 6, false},
	{"ip6", "dport", 2, 42, false}, {"ip6", "sport", 2, 40, false}, {"ip6", "icmp_type", 1, 40, false},
	{"ip6", "icmp_code", 1, 41, false},
	{"tcp", "src", 2, 0, true}, {"tcp", "dst", 2, 2, true}, {"udp", "src", 2, 0, true}, {"udp", "dst", 2, 2, true},
	{"icmp", "type", 1, 0, true}, {"icmp", "code", 1, 1, true},
}

// u32HandleArg reads the u32 handle after keyword w ("1:2:3"), which
// must not name a node if nodeless.
func u32HandleArg(a *args, w string, nodeless bool) (uint32, error) {
	v, err := a.value(w)
	if err != nil {
		return 0, err
	}
	h, err := tc.ParseU32Handle(v)
	if err != nil || nodeless && h&0xfff != 0 {
		return 0, tcKindError("Illegal %q", w)
	}
	return h, nil
}

// u32Match reads a selector after "match".
func (a *tcArgs) u32Match(sel *tc.U32Sel) error {
	proto, err := a.value("match")
	if err != nil {
		return err
	}
	if size, ok := sizeWord(proto); ok {
		return a.u32Key(sel, size, 0, false)
	}
	field, err := a.value("match")
	if err != nil {
		return err
	}
	// parse_ip's two abbreviated fields, checked after the exact ones.
	if proto == "ip" && !slices.Contains(tcU32IPFields[:], field) {
		switch {
		case matches(field, "dsfield"):
			field = "dsfield"
		case matches(field, "precedence"):
			field = "precedence"
		}
	}
	if proto == "ip" {
		// Flags of the fragment offset field, keys without values.
		flags := map[string][2]uint16{"nofrag": {0, 0x3fff}, "firstfrag": {0, 0x1fff}, "df": {0x4000, 0x4000}, "mf": {0x2000, 0x2000}}
		if f, ok := flags[field]; ok {
			return sel.Match16(f[0], f[1], 6, false)
		}
		if field == "ihl" {
			return a.u32Key(sel, 1, 0, false)
		}
	}
	for _, f := range u32Fields {
		if f.proto != proto || f.field != field {
			continue
		}
		if f.size == 0 {
			family := uint8(unix.AF_INET)
			if proto == "ip6" {
				family = unix.AF_INET6
			}
			return a.u32Prefix(sel, family, f.off)
		}
		return a.u32Key(sel, f.size, f.off, f.next)
	}
	if slices.Contains(tcU32Fields(proto), field) {
		return usagef("u32: match %s %s is not implemented by ipr", proto, field)
	}
	// A field tc does not know either: its parse_selector fails.
	return tcKindError(`Illegal "match"`)
}

// tcU32Fields are the fields tc 6.1's u32 knows after the protocol
// keyword proto (parse_ip, parse_ip6, parse_tcp, parse_icmp, parse_ether).
func tcU32Fields(proto string) []string {
	switch proto {
	case "ip":
		return tcU32IPFields[:]
	case "ip6":
		return tcU32IP6Fields[:]
	case "tcp", "udp", "ether":
		return tcU32AddrFields[:]
	case "icmp":
		return tcU32ICMPFields[:]
	}
	return nil
}

var (
	tcU32IPFields = [...]string{"src", "dst", "tos", "dsfield", "precedence", "ihl", "protocol", "nofrag", "firstfrag",
		"df", "mf", "dport", "sport", "icmp_type", "icmp_code"}
	tcU32IP6Fields  = [...]string{"src", "dst", "priority", "protocol", "flowlabel", "dport", "sport", "icmp_type", "icmp_code"}
	tcU32AddrFields = [...]string{"src", "dst"}
	tcU32ICMPFields = [...]string{"type", "code"}
)

// u32Offset reads "offset plus N | at N | mask M | shift S | eat".
func (a *tcArgs) u32Offset(sel *tc.U32Sel) error {
	for a.more() {
		word := a.peek()
		switch word {
		case "plus", "at", "mask", "shift":
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return err
			}
			v, err := strconv.ParseInt(s, 0, 32)
			if err != nil {
				return usagef("u32: invalid offset %s %q", word, s)
			}
			switch word {
			case "plus":
				sel.Off, sel.Flags = uint16(v), sel.Flags|tc.U32Offset
			case "at":
				sel.OffOff, sel.Flags = int16(v), sel.Flags|tc.U32VarOffset
			case "mask":
				sel.OffMask, sel.Flags = uint16(v), sel.Flags|tc.U32VarOffset
			case "shift":
				sel.OffShift, sel.Flags = uint8(v), sel.Flags|tc.U32VarOffset
			}
		case "eat":
			a.advance()
			sel.Flags |= tc.U32Eat
		default:
			return nil
		}
	}
	return nil
}

// u32Hashkey reads "hashkey mask M at N".
func (a *tcArgs) u32Hashkey(sel *tc.U32Sel) error {
	for a.more() {
		word := a.peek()
		switch word {
		case "mask":
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return err
			}
			v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), 16, 32)
			if err != nil {
				return usagef("u32: invalid hashkey mask %q", s)
			}
			sel.HashMask = uint32(v)
		case "at":
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return err
			}
			v, err := strconv.ParseInt(s, 0, 16)
			if err != nil || v%4 != 0 {
				return usagef("u32: invalid hashkey offset %q", s)
			}
			sel.HashOff = int16(v)
		default:
			return nil
		}
	}
	return nil
}

// u32MaskBits is tc's mask2bits: the prefix length of a contiguous
// mask, or -1.
func u32MaskBits(mask uint32) int {
	n := bits.LeadingZeros32(^mask)
	if n < 32 && mask<<n != 0 {
		return -1
	}
	return n
}

// printU32KeyPretty is tc's print_ipv4 and print_ipv6 (-p, for filters
// of protocol ip and ipv6): a few keys by name, the others not at all
// (tc's "XXX: Default print_raw"). It reports false if tc prints the key
// raw. In JSON, tc leaves the "match" object of a named key open (and
// its JSON writer then aborts): ipr closes it.
func printU32KeyPretty(p *printer, proto uint16, k []byte) bool {
	var ipv6 bool
	switch proto {
	case 0x0800:
	case 0x86dd:
		ipv6 = true
	default:
		return false
	}
	mask, val := binary.BigEndian.Uint32(k), binary.BigEndian.Uint32(k[4:])
	off := int32(binary.NativeEndian.Uint32(k[8:]))
	p.openObject("match")
	defer p.closeObject()
	switch off {
	case 0:
		switch mask {
		case 0x0f000000:
			p.nl()
			p.uint("ip_ihl", "  match IP ihl %d", uint64(val>>24))
		case 0x00ff0000:
			p.nl()
			p.jsonStr("ip_dsfield", cHex(uint64(val>>16&0xff)))
			p.text("  match IP dsfield %s", cHex(uint64(val>>16&0xff)))
		}
	case 8:
		if mask == 0x00ff0000 {
			p.nl()
			p.int("ip_protocol", "  match IP protocol %d", int64(val>>16))
		}
	case 12, 16:
		if n := u32MaskBits(mask); n >= 0 {
			p.nl()
			key := "dst"
			if off == 12 {
				key = "src"
			}
			p.textString("  match IP " + key + " ")
			p.openObject(key)
			p.str("address", "%s", netip.AddrFrom4([4]byte(k[4:8])).String())
			p.int("prefixlen", "/%d", int64(n))
			p.closeObject()
		}
	case 20:
		first, second := "dport", "sport"
		if ipv6 {
			first, second = "sport", "dport"
		}
		switch mask {
		case 0x0000ffff:
			if ipv6 {
				p.nl()
				p.uint(first, "  match "+first+" %d", uint64(val&0xffff))
			} else {
				p.uint(first, "match "+first+" %d", uint64(val&0xffff))
			}
		case 0xffff0000:
			if ipv6 {
				p.uint(second, "match "+second+" %d", uint64(val>>16))
			} else {
				p.nl()
				p.uint(second, "  match "+second+" %d", uint64(val>>16))
			}
		case 0xffffffff:
			p.nl()
			p.uint(first, "  match "+first+" %d, ", uint64(val&0xffff))
			p.uint(second, "match "+second+" %d", uint64(val>>16))
		}
	}
	return true
}
