package main

// "ipr xfrm state": iproute2 6.1's ip/xfrm_state.c.

import (
	"encoding/binary"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// xfrmVerb is a command of "xfrm state" or "xfrm policy": the names
// matches() accepts for it.
type xfrmVerb struct {
	names []string
	run   func(e *env, a *xargs) error
}

// xfrmDispatch is do_xfrm_state and do_xfrm_policy: no command lists.
func xfrmDispatch(e *env, a *xargs, object, usage string, verbs []xfrmVerb) error {
	if !a.more() {
		return verbs[0].run(e, a)
	}
	w := a.cur()
	a.w = a.w[1:]
	for _, v := range verbs {
		for _, n := range v.names {
			if matches(w, n) {
				return v.run(e, a)
			}
		}
	}
	if matches(w, "help") {
		return usageText(usage)
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr xfrm %s help\".", w, object)}
}

// runXfrmState is do_xfrm_state.
func runXfrmState(e *env, a *xargs) error {
	allocspi := xfrmVerb{[]string{"allocspi"}, xfrmStateAllocSPI}
	return xfrmDispatch(e, a, "state", xfrmStateUsage, xfrmVerbs(xfrmStateList, xfrmStateModify, xfrmStateGetOrDelete, xfrmStateFlush,
		xfrmStateCount, allocspi))
}

// xfrmVerbs is the command table of "xfrm state" and "xfrm policy", in
// ip's order of matches() (where "d" is delete and "g" get), list first
// for no command: list, deleteall and get or delete with their bool set
// or not, and an object's own commands after the common ones, which no
// prefix of theirs reaches first.
func xfrmVerbs(list, modify, getOrDelete func(*env, *xargs, bool) error, flush func(*env, *xargs) error, count func(*env) error,
	own ...xfrmVerb) []xfrmVerb {
	with := func(f func(*env, *xargs, bool) error, v bool) func(*env, *xargs) error {
		return func(e *env, a *xargs) error { return f(e, a, v) }
	}
	verbs := []xfrmVerb{
		{nil, with(list, false)},
		{[]string{"add"}, with(modify, false)},
		{[]string{"update"}, with(modify, true)},
		{[]string{"delete"}, with(getOrDelete, true)},
		{[]string{"deleteall", "delall"}, with(list, true)},
		{[]string{"list", "show", "lst"}, with(list, false)},
		{[]string{"get"}, with(getOrDelete, false)},
		{[]string{"flush"}, flush},
		{[]string{"count"}, func(e *env, _ *xargs) error { return count(e) }},
	}
	return append(verbs, own...)
}

// xfrmStateFilter is xfrm_state_filter_match's filter.
type xfrmStateFilter struct {
	use      bool
	id       xfrmID
	family   uint8
	mode     xfrm.Mode
	hasMode  bool
	reqid    uint32
	hasReqid bool
	flags    uint8
	hasFlags bool
}

func prefixMatch(p netip.Prefix, a netip.Addr) bool {
	if !p.IsValid() {
		return true
	}
	if a.Is4() != p.Addr().Is4() {
		return false
	}
	q, err := a.Prefix(p.Bits())
	return err == nil && q.Addr() == p.Masked().Addr()
}

func (f *xfrmStateFilter) match(v xfrm.StateView) bool {
	if !f.use {
		return true
	}
	if f.family != 0 && uint16(f.family) != v.Family() {
		return false
	}
	if f.id.src.IsValid() && f.id.src.Bits() > 0 && !prefixMatch(f.id.src, v.Src()) ||
		f.id.dst.IsValid() && f.id.dst.Bits() > 0 && !prefixMatch(f.id.dst, v.Dst()) {
		return false
	}
	return !(f.id.hasProto && v.Proto() != f.id.proto || f.id.hasSPI && v.SPI() != f.id.spi ||
		f.hasMode && v.Mode() != f.mode || f.hasReqid && v.Reqid() != f.reqid ||
		f.hasFlags && uint8(v.Flags())&f.flags == 0)
}

// flags is xfrm_state_flag_parse and its kin: the flag words from the
// next one on, or a number.
func (a *xargs) flags(names []string) (uint32, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	if n, ok := getUint(w, 8); ok {
		return uint32(n), nil
	}
	var v uint32
	for {
		bit := -1
		for i, n := range names {
			if n == w {
				bit = i
			}
		}
		if bit < 0 {
			return 0, invarg("FLAG value is invalid", w)
		}
		v |= 1 << bit
		if !a.nextOK() {
			return v, nil
		}
		a.i++
		w = a.cur()
		known := false
		for _, n := range names {
			known = known || n == w
		}
		if !known {
			a.i--
			return v, nil
		}
	}
}

var (
	policyFlagNames = []string{"localok", "icmp"}
	stateFlagNames  = []string{"noecn", "decap-dscp", "nopmtudisc", "wildrecv", "icmp", "af-unspec", "align4", "esn"}
	extraFlagNames  = []string{"dont-encap-dscp", "oseq-may-wrap"}
)

// xfrmStateList is xfrm_state_list_or_deleteall.
func xfrmStateList(e *env, a *xargs, deleteAll bool) error {
	f := xfrmStateFilter{use: a.more() || e.Family != 0, family: e.Family}
	nokeys, idSeen := false, false
	family := e.Family
	for ; a.more(); a.i++ {
		switch w := a.cur(); w {
		case "nokeys":
			nokeys = true
		case "mode":
			m, err := a.mode()
			if err != nil {
				return err
			}
			f.mode, f.hasMode = m, true
		case "reqid":
			r, err := a.u32("REQID value is invalid")
			if err != nil {
				return err
			}
			f.reqid, f.hasReqid = r, true
		case "flag":
			v, err := a.flags(stateFlagNames)
			if err != nil {
				return err
			}
			f.flags, f.hasFlags = uint8(v), true
		default:
			if idSeen {
				return invarg("unknown", w)
			}
			idSeen = true
			id, err := a.id(family, true)
			if err != nil {
				return err
			}
			f.id = id
			if id.family != 0 {
				f.family = id.family
			}
			if family == 0 {
				family = id.family
			}
		}
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		if !deleteAll {
			p := newXfrmPrinter(e)
			return xfrmList(h.States(e.ctx, xfrm.StateFilter{}), f.match, func(v xfrm.StateView) { p.state(v, nokeys); p.flush() })
		}
		id := func(v xfrm.StateView) xfrm.StateID { s := v.State(); return s.ID() }
		return xfrmDeleteAll(func() iter.Seq2[xfrm.StateView, error] { return h.States(e.ctx, xfrm.StateFilter{}) }, f.match, id,
			func(id *xfrm.StateID) error { return h.StateDel(e.ctx, id) }, unix.ESRCH)
	})
}

// xfrmStateGetOrDelete is xfrm_state_get_or_delete.
func xfrmStateGetOrDelete(e *env, a *xargs, del bool) error {
	var id xfrm.StateID
	var mark xfrm.Mark
	idSeen := false
	for ; a.more(); a.i++ {
		if a.cur() == "mark" {
			m, err := a.mark()
			if err != nil {
				return err
			}
			mark = m
			continue
		}
		if idSeen {
			return invarg("unknown", a.cur())
		}
		idSeen = true
		x, err := a.id(e.Family, false)
		if err != nil {
			return err
		}
		id.Dst, id.SPI, id.Proto = x.dst.Addr(), x.spi, x.proto
		if x.src.IsValid() {
			id.Src = x.src.Addr()
		} else if id.Dst.Is4() {
			id.Src = netip.IPv4Unspecified()
		} else if id.Dst.IsValid() {
			id.Src = netip.IPv6Unspecified()
		}
	}
	if !id.Dst.IsValid() {
		if e.Family == unix.AF_INET6 {
			id.Dst = netip.IPv6Unspecified()
		} else {
			id.Dst = netip.IPv4Unspecified()
		}
	}
	if mark.Value&mark.Mask != 0 {
		id.Mark = &mark
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		if del {
			return h.StateDel(e.ctx, &id)
		}
		p := newXfrmPrinter(e)
		return h.GetStateView(e.ctx, &id, func(v xfrm.StateView) {
			p.state(v, false)
			p.flush()
		})
	})
}

// xfrmStateFlush is xfrm_state_flush.
func xfrmStateFlush(e *env, a *xargs) error {
	var proto xfrm.Proto
	_, err := a.optionOnce("proto", func() error {
		w, err := a.next()
		if err != nil {
			return err
		}
		p, ok := xfrmProtoByName(w)
		if !ok {
			return invarg("XFRM-PROTO value is invalid", w)
		}
		proto = p
		return nil
	})
	if err != nil {
		return err
	}
	return xfrmDo(e, func(h *xfrm.Handle) error { return h.StateFlush(e.ctx, proto) })
}

// optionOnce reads a command line of "keyword VALUE" at most once, as
// the flushes do: read reads VALUE. It reports whether it was there.
func (a *xargs) optionOnce(keyword string, read func() error) (seen bool, err error) {
	for ; a.more() && err == nil; a.i++ {
		switch {
		case a.cur() != keyword:
			return seen, invarg("unknown", a.cur())
		case seen:
			return seen, duparg(keyword, a.cur())
		}
		seen = true
		err = read()
	}
	return seen, err
}

// xfrmStateCount is xfrm_sad_getinfo and print_sadinfo.
func xfrmStateCount(e *env) error {
	return xfrmDo(e, func(h *xfrm.Handle) error {
		info, err := h.SAInfo(e.ctx)
		if err != nil {
			return err
		}
		out := fmt.Sprintf("\t SAD count %d", info.Count)
		if e.Stats.level > 0 {
			out += fmt.Sprintf(" (buckets count %d Max %d)", int32(info.HashCount), int32(info.HashMax))
		}
		fmt.Fprintln(e.Stdout, out)
		return nil
	})
}

// xfrmStateAllocSPI is xfrm_state_allocspi.
func xfrmStateAllocSPI(e *env, a *xargs) error {
	r := &xfrm.AllocSPI{}
	var mark xfrm.Mark
	var minSeen, maxSeen, idSeen bool
	for ; a.more(); a.i++ {
		var err error
		w := a.cur()
		if known, err := a.saWord(w, &r.Mode, &mark, &r.Reqid, &r.Seq); known || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		switch w {
		case "min", "max":
			seen, v := &minSeen, &r.Min
			if w == "max" {
				seen, v = &maxSeen, &r.Max
			}
			if *seen {
				return duparg(w, w)
			}
			*seen = true
			*v, err = a.u32(fmt.Sprintf("value after \"%s\" is invalid", w))
		default:
			if idSeen {
				return invarg("unknown", w)
			}
			idSeen = true
			var id xfrmID
			if id, err = a.id(e.Family, false); err == nil && id.spi != 0 {
				err = &cliError{code: exitFailure, msg: `"spi" is invalid`}
			}
			r.Src, r.Dst, r.Proto = id.src.Addr(), id.dst.Addr(), id.proto
		}
		if err != nil {
			return err
		}
	}
	fail := func(msg string) error { return &cliError{code: exitFailure, msg: msg} }
	switch {
	case !idSeen:
		return fail("Not enough information: ID is required")
	case minSeen && !maxSeen:
		return fail(`"max" is missing`)
	case maxSeen && !minSeen:
		return fail(`"min" is missing`)
	case minSeen && r.Min > r.Max:
		return fail(`value after "min" is larger than value after "max"`)
	case !minSeen:
		// PF_KEY's defaults; IPComp's SPI has 16 bits.
		r.Min, r.Max = 0x100, 0x0fffffff
		if r.Proto == xfrm.ProtoComp {
			r.Max = 0xffff
		}
	}
	if mark.Value&mark.Mask != 0 {
		r.Mark = &mark
	}
	if !r.Src.IsValid() {
		r.Src = unspecifiedLike(r.Dst)
	}
	if !r.Dst.IsValid() {
		r.Dst = unspecifiedLike(r.Src)
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		p := newXfrmPrinter(e)
		return h.AllocSPIView(e.ctx, r, func(v xfrm.StateView) {
			p.state(v, false)
			p.flush()
		})
	})
}

// saWord reads the words xfrm_state_modify and xfrm_state_allocspi both
// take (mode, mark, reqid, seq), and reports whether w was one.
func (a *xargs) saWord(w string, mode *xfrm.Mode, mark *xfrm.Mark, reqid, seq *uint32) (known bool, err error) {
	known = true
	switch w {
	case "mode":
		*mode, err = a.mode()
	case "mark":
		*mark, err = a.mark()
	case "reqid":
		*reqid, err = a.u32("REQID value is invalid")
	case "seq":
		// ip reads it with get_be32, into a field the kernel reads in host
		// order: the bytes ip sends, whatever they mean.
		var v uint32
		v, err = a.u32("SEQ value is invalid")
		var be [4]byte
		binary.BigEndian.PutUint32(be[:], v)
		*seq = binary.NativeEndian.Uint32(be[:])
	default:
		known = false
	}
	return known, err
}
