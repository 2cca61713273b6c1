package main

// "ipr xfrm state", "ipr xfrm policy" and "ipr xfrm monitor": IPsec SAs
// and policies (package xfrm), as iproute2 6.1's ip/xfrm_state.c,
// xfrm_policy.c, xfrm_monitor.c and ipxfrm.c read their command lines
// and print them. Not yet, and refused by name: the monitor's "file".

import (
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"strings"

	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// xfrmDo runs f with the XFRM handle, which it opens on first use.
func xfrmDo(e *env, f func(h *xfrm.Handle) error) error {
	h, err := dialOnce(e, &e.xh, xfrm.WithNetnsHandle, xfrm.WithTransport, xfrm.Dial)
	if err != nil {
		return err
	}
	return f(h)
}

// xfrmList prints (print) the objects of dump that keep accepts; a
// failed dump is libnetlink's "Dump terminated".
func xfrmList[V any](dump iter.Seq2[V, error], keep func(V) bool, print func(V)) error {
	for v, err := range dump {
		if err != nil {
			return dumpTerminated(err)
		}
		if keep(v) {
			print(v)
		}
	}
	return nil
}

// xfrmDeleteAll is the deleteall of xfrm_state.c and xfrm_policy.c:
// rounds of a dump and the deletes of what keep accepts, until a dump
// finds nothing; an object gone meanwhile (gone) is no failure.
func xfrmDeleteAll[V, ID any](dump func() iter.Seq2[V, error], keep func(V) bool, id func(V) ID, del func(*ID) error, gone unix.Errno) error {
	for {
		var ids []ID
		for v, err := range dump() {
			if err != nil {
				return refused(err, exitFailure, "Delete-all terminated")
			}
			if keep(v) {
				ids = append(ids, id(v))
			}
		}
		if len(ids) == 0 {
			return nil
		}
		for i := range ids {
			if err := del(&ids[i]); err != nil && !errors.Is(err, gone) {
				return err
			}
		}
	}
}

// runXfrm is do_xfrm.
func runXfrm(e *env, argv []string) error {
	if len(argv) == 0 {
		return usageText(xfrmUsage)
	}
	switch w := argv[0]; {
	case matches(w, "state"), matches(w, "sa"):
		return runXfrmState(e, &xargs{w: argv[1:]})
	case matches(w, "policy"):
		return runXfrmPolicy(e, &xargs{w: argv[1:]})
	case matches(w, "monitor"):
		return runXfrmMonitor(e, argv[1:])
	}
	return usageText(xfrmUsage)
}

const xfrmUsage = "Usage: ipr xfrm XFRM-OBJECT { COMMAND | help }\n" +
	"where  XFRM-OBJECT := state | policy | monitor\n"

// xargs walks a command line as iproute2's NEXT_ARG and PREV_ARG do.
type xargs struct {
	w []string
	i int
}

func (a *xargs) more() bool   { return a.i < len(a.w) }
func (a *xargs) cur() string  { return a.w[a.i] }
func (a *xargs) nextOK() bool { return a.i+1 < len(a.w) }

// next is NEXT_ARG: the following word, or the incomplete-command error.
func (a *xargs) next() (string, error) {
	if !a.nextOK() {
		return "", errIncomplete
	}
	a.i++
	return a.w[a.i], nil
}

// u32 reads the next word as get_u32, failing with msg.
func (a *xargs) u32(msg string) (uint32, error) {
	n, err := a.num(32, msg)
	return uint32(n), err
}

// xfrmID is what xfrm_id_parse reads, with the filter masks it sets.
type xfrmID struct {
	src, dst         netip.Prefix
	proto            xfrm.Proto
	spi              uint32
	hasProto, hasSPI bool
	family           uint8
}

// words is the loop of xfrm_id_parse and its kin: fn reads the current
// word and the values it takes; the first word it does not know (false)
// is left for the caller, as PREV_ARG leaves it.
func (a *xargs) words(fn func(w string) (bool, error)) error {
	for {
		known, err := fn(a.cur())
		switch {
		case err != nil:
			return err
		case !known:
			a.i--
			return nil
		case !a.nextOK():
			return nil
		}
		a.i++
	}
}

// num reads the next word as get_u8, get_u16 or get_u32 (of bits),
// failing with msg.
func (a *xargs) num(bits int, msg string) (uint64, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	v, ok := getUint(w, bits)
	if !ok {
		return 0, invarg(msg, w)
	}
	return v, nil
}

// sameFamily is the check of xfrm_id_parse and xfrm_selector_parse.
func (a *xargs) sameFamily(src, dst netip.Prefix) error {
	if src.IsValid() && dst.IsValid() && src.Addr().Is4() != dst.Addr().Is4() {
		return invarg("the same address family is required between values after \"src\" and \"dst\"", a.cur())
	}
	return nil
}

// id is xfrm_id_parse, at the current word; loose allows no proto.
func (a *xargs) id(family uint8, loose bool) (xfrmID, error) {
	var id xfrmID
	err := a.words(func(w string) (bool, error) {
		switch w {
		case "src", "dst":
			p, err := a.prefix(w, family)
			if w == "src" {
				id.src = p
			} else {
				id.dst = p
			}
			id.family = addrFamily(p.Addr())
			return true, err
		case "proto":
			v, err := a.next()
			if err != nil {
				return true, err
			}
			pr, ok := xfrmProtoByName(v)
			if !ok {
				return true, invarg("XFRM-PROTO value is invalid", v)
			}
			id.proto, id.hasProto = pr, true
		case "spi":
			n, err := a.num(32, "SPI value is invalid")
			id.spi, id.hasSPI = uint32(n), true
			return true, err
		default:
			return false, nil
		}
		return true, nil
	})
	if err == nil {
		err = a.sameFamily(id.src, id.dst)
	}
	if err != nil {
		return id, err
	}
	pr := id.proto.String()
	switch {
	case id.spi != 0 && (id.proto == xfrm.ProtoRoute2 || id.proto == xfrm.ProtoHAO):
		return id, &cliError{code: exitFailure, msg: fmt.Sprintf("\"spi\" is invalid with XFRM-PROTO value \"%s\"", pr)}
	case id.proto == xfrm.ProtoComp && id.spi >= 0x10000:
		return id, &cliError{code: exitFailure, msg: fmt.Sprintf("SPI value is too large with XFRM-PROTO value \"%s\"", pr)}
	case !loose && id.proto == 0:
		return id, missarg("XFRM-PROTO")
	}
	return id, nil
}

func xfrmProtoByName(s string) (xfrm.Proto, bool) {
	for _, p := range []xfrm.Proto{xfrm.ProtoESP, xfrm.ProtoAH, xfrm.ProtoComp, xfrm.ProtoRoute2, xfrm.ProtoHAO, xfrm.ProtoIPsecAny} {
		if p.String() == s {
			return p, true
		}
	}
	return 0, false
}

// prefix reads the next word as get_prefix does, for keyword.
func (a *xargs) prefix(keyword string, family uint8) (netip.Prefix, error) {
	v, err := a.next()
	if err != nil {
		return netip.Prefix{}, err
	}
	p, _, err := parsePrefix(keyword, v, family)
	return p, err
}

// choice reads the next word, which must be one of words (compared in
// full, as strcmp does), and returns its position; msg is invarg's.
func (a *xargs) choice(msg string, words ...string) (int, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	for i, c := range words {
		if w == c {
			return i, nil
		}
	}
	return 0, invarg(msg, w)
}

// mode is xfrm_mode_parse of the next word.
func (a *xargs) mode() (xfrm.Mode, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	for _, m := range []xfrm.Mode{xfrm.ModeTransport, xfrm.ModeTunnel, xfrm.ModeRO, xfrm.ModeInTrigger, xfrm.ModeBEET} {
		if matches(w, m.String()) {
			return m, nil
		}
	}
	return 0, invarg("MODE value is invalid", w)
}

// mark is xfrm_parse_mark, at "mark".
func (a *xargs) mark() (xfrm.Mark, error) {
	var m xfrm.Mark
	w, err := a.next()
	if err != nil {
		return m, err
	}
	v, ok := getUint(w, 32)
	if !ok {
		return m, invarg("MARK value is invalid\n", w)
	}
	m.Value, m.Mask = uint32(v), 0xffffffff
	if a.nextOK() && a.w[a.i+1] == "mask" {
		a.i++
		if m.Mask, err = a.u32("MASK value is invalid\n"); err != nil {
			return m, err
		}
	}
	return m, nil
}

// selector is xfrm_selector_parse, at the current word.
func (a *xargs) selector(e *env, family uint8) (xfrm.Selector, error) {
	var sel xfrm.Selector
	upspec := false
	err := a.words(func(w string) (bool, error) {
		switch {
		case w == "src" || w == "dst":
			p, err := a.prefix(w, family)
			p = p.Masked()
			if w == "src" {
				sel.Src = p
			} else {
				sel.Dst = p
			}
			sel.Family = uint16(addrFamily(p.Addr()))
			return true, err
		case w == "dev":
			v, err := a.next()
			if err != nil || v == "none" {
				return true, err
			}
			i, err := e.linkIndex(v)
			if err == nil && i <= 0 {
				err = invarg("DEV value is invalid", v)
			}
			sel.Ifindex = i
			return true, err
		case upspec:
			return false, nil
		}
		upspec = true
		return true, a.upspec(&sel)
	})
	if err == nil {
		err = a.sameFamily(sel.Src, sel.Dst)
	}
	return sel, err
}

// upspec is xfrm_selector_upspec_parse.
func (a *xargs) upspec(sel *xfrm.Selector) error {
	var ports, icmp, key bool
	port := func(port, mask *uint16, n uint64, exact bool) {
		*port, *mask = uint16(n), 0
		if n != 0 || exact {
			*mask = 0xffff
		}
	}
	err := a.words(func(w string) (bool, error) {
		switch w {
		case "proto":
			v, err := a.next()
			if err != nil || v == "any" {
				sel.Proto = 0
				return true, err
			}
			if pr, ok := xfrmUpspecID(v); ok {
				sel.Proto = pr
				return true, nil
			}
			n, ok := getUint(v, 8)
			if !ok {
				return true, invarg("PROTO value is invalid", v)
			}
			sel.Proto = uint8(n)
		case "sport", "dport":
			ports = true
			n, err := a.num(16, fmt.Sprintf("value after \"%s\" is invalid", w))
			if w == "sport" {
				port(&sel.SrcPort, &sel.SrcPortMask, n, false)
			} else {
				port(&sel.DstPort, &sel.DstPortMask, n, false)
			}
			return true, err
		case "type", "code":
			icmp = true
			n, err := a.num(16, fmt.Sprintf("value after \"%s\" is invalid", w))
			if err == nil && n > 0xff {
				err = invarg(fmt.Sprintf("value after \"%s\" is invalid", w), a.cur())
			}
			if w == "type" {
				port(&sel.SrcPort, &sel.SrcPortMask, n, true)
			} else {
				port(&sel.DstPort, &sel.DstPortMask, n, true)
			}
			return true, err
		case "key":
			key = true
			v, err := a.next()
			if err != nil {
				return true, err
			}
			n, ok := getUint(v, 32)
			if ad, err := netip.ParseAddr(v); err == nil && ad.Is4() {
				b := ad.As4()
				n, ok = uint64(b[0])<<24|uint64(b[1])<<16|uint64(b[2])<<8|uint64(b[3]), true
			}
			if !ok {
				return true, &cliError{code: exitUsage, msg: "value after \"key\" is invalid"}
			}
			port(&sel.SrcPort, &sel.SrcPortMask, n>>16, true)
			port(&sel.DstPort, &sel.DstPortMask, n&0xffff, true)
		default:
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	bad := func(what string) error {
		return &cliError{code: exitFailure, msg: fmt.Sprintf("%s invalid with PROTO value \"%s\"", what, xfrmUpspecName(sel.Proto))}
	}
	switch pr := sel.Proto; {
	case ports && !(pr == unix.IPPROTO_TCP || pr == unix.IPPROTO_UDP || pr == unix.IPPROTO_SCTP || pr == unix.IPPROTO_DCCP || pr == 0):
		return bad(`"sport" and "dport" are`)
	case icmp && !(pr == unix.IPPROTO_ICMP || pr == unix.IPPROTO_ICMPV6 || pr == unix.IPPROTO_MH):
		return bad(`"type" and "code" are`)
	case key && pr != unix.IPPROTO_GRE:
		return bad(`"key" is`)
	}
	return nil
}

// limit is xfrm_lifetime_cfg_parse, at the word after "limit"; limits ip
// leaves at XFRM_INF are zero in xfrm.Lifetime.
func (a *xargs) limit(l *xfrm.Lifetime) error {
	w, err := a.next()
	if err != nil {
		return err
	}
	dst := map[string]*uint64{
		"time-soft": &l.SoftAddSeconds, "time-hard": &l.HardAddSeconds, "time-use-soft": &l.SoftUseSeconds,
		"time-use-hard": &l.HardUseSeconds, "byte-soft": &l.SoftBytes, "byte-hard": &l.HardBytes,
		"packet-soft": &l.SoftPackets, "packet-hard": &l.HardPackets,
	}[w]
	if dst == nil {
		return invarg("LIMIT value is invalid", w)
	}
	v, err := a.next()
	if err != nil {
		return err
	}
	n, ok := getUint(v, 64)
	if !ok {
		return invarg(fmt.Sprintf("value after \"%s\" is invalid", w), v)
	}
	*dst = n
	return nil
}

// algoKey is xfrm_algo_parse's key: after 0x, hexadecimal digits (an
// odd count gets a leading zero), else the word's bytes; 512 bytes at
// most (XFRM_ALGO_KEY_BUF_SIZE).
func algoKey(key string) ([]byte, error) {
	h, isHex := strings.CutPrefix(key, "0x")
	n := len(key)
	if isHex && h != "" {
		if len(h)%2 == 1 {
			h = "0" + h
		}
		n = len(h) / 2
	}
	if n > 512 {
		return nil, invarg("ALGO-KEYMAT value makes buffer overflow\n", key)
	}
	if !isHex || h == "" {
		return []byte(key), nil
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, invarg("ALGO-KEYMAT value is invalid", key)
	}
	return b, nil
}

// xfrmUpspecName is strxf_proto.
func xfrmUpspecName(v uint8) string {
	if n := nameOr(ipProtos, v, ""); n != "" {
		return n
	}
	return fmt.Sprint(v)
}

// xfrmUpspecID is getprotobyname for the names of ipProtos.
func xfrmUpspecID(s string) (uint8, bool) { return lookupName(ipProtos, s) }
