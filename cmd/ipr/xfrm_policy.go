package main

// "ipr xfrm policy": iproute2 6.1's ip/xfrm_policy.c.

import (
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// runXfrmPolicy is do_xfrm_policy (see runXfrmState).
func runXfrmPolicy(e *env, a *xargs) error {
	set := xfrmVerb{[]string{"set"}, xfrmPolicySet}
	return xfrmDispatch(e, a, "policy", xfrmPolicyUsage, xfrmVerbs(xfrmPolicyList, xfrmPolicyModify, xfrmPolicyGetOrDelete, xfrmPolicyFlush,
		xfrmPolicyCount, set, xfrmVerb{[]string{"setdefault"}, xfrmPolicySetDefault}, xfrmVerb{[]string{"getdefault"}, xfrmPolicyGetDefault}))
}

// xfrmPolicySet is xfrm_spd_setinfo: hthresh4 and hthresh6, each once.
func xfrmPolicySet(e *env, a *xargs) error {
	var v4, v6 *xfrm.HashThresh
	for ; a.more(); a.i++ {
		w := a.cur()
		t, max := &v4, uint64(32)
		switch w {
		case "hthresh4":
		case "hthresh6":
			t, max = &v6, 128
		default:
			return invarg("unknown", w)
		}
		if *t != nil {
			return duparg(w, w)
		}
		*t = &xfrm.HashThresh{}
		for _, f := range []struct {
			dst  *uint8
			what string
		}{{&(*t).Local, "LBITS"}, {&(*t).Remote, "RBITS"}} {
			msg := w + " " + f.what + " value is invalid"
			n, err := a.num(8, msg)
			if err == nil && n > max {
				err = invarg(msg, a.cur())
			}
			if err != nil {
				return err
			}
			*f.dst = uint8(n)
		}
	}
	return xfrmDo(e, func(h *xfrm.Handle) error { return h.SetSPDHashThresholds(e.ctx, v4, v6) })
}

// xfrmPolicySetDefault is xfrm_spd_setdefault: DIR ACTION pairs, each
// direction once.
func xfrmPolicySetDefault(e *env, a *xargs) error {
	var d xfrm.Defaults
	for ; a.more(); a.i++ {
		w := a.cur()
		act := map[string]*xfrm.DefaultAction{"in": &d.In, "fwd": &d.Fwd, "out": &d.Out}[w]
		switch {
		case act == nil:
			return invarg("unknown direction", w)
		case *act != xfrm.DefaultUnspec:
			return duparg(w, w)
		}
		i, err := a.choice(w+" policy value is invalid", "block", "accept")
		if err != nil {
			return err
		}
		*act = xfrm.DefaultAction(i + 1)
	}
	return xfrmDo(e, func(h *xfrm.Handle) error { return h.SetPolicyDefaults(e.ctx, d) })
}

// xfrmPolicyGetDefault is xfrm_spd_getdefault; it ignores its words, as
// ip does.
func xfrmPolicyGetDefault(e *env, _ *xargs) error {
	return xfrmDo(e, func(h *xfrm.Handle) error {
		d, err := h.PolicyDefaults(e.ctx)
		if err == nil {
			fmt.Fprint(e.Stdout, xfrmDefaults(d))
		}
		return err
	})
}

// xfrmDefaults is xfrm_policy_default_print.
func xfrmDefaults(d xfrm.Defaults) string {
	return fmt.Sprintf("Default policies:\n in:  %s\n fwd: %s\n out: %s\n", d.In, d.Fwd, d.Out)
}

// dir is xfrm_policy_dir_parse of the next word.
func (a *xargs) dir() (xfrm.Dir, error) {
	i, err := a.choice("DIR value is invalid", "in", "out", "fwd")
	return xfrm.Dir(i), err
}

// ptype is xfrm_policy_ptype_parse of the next word.
func (a *xargs) ptype() (xfrm.PolicyType, error) {
	i, err := a.choice("PTYPE value is invalid", "main", "sub")
	return xfrm.PolicyType(i), err
}

// action reads allow or block.
func (a *xargs) action() (xfrm.Action, error) {
	i, err := a.choice("ACTION value is invalid\n", "allow", "block")
	return xfrm.Action(i), err
}

// tmpl is xfrm_tmpl_parse, at the word after "tmpl": an ID once, and
// mode, reqid and level.
func (a *xargs) tmpl() (xfrm.Template, error) {
	t := xfrm.Template{}
	idSeen := false
	err := a.words(func(w string) (bool, error) {
		var err error
		switch w {
		case "mode":
			t.Mode, err = a.mode()
		case "reqid":
			t.Reqid, err = a.u32("REQID value is invalid")
		case "level":
			var i int
			i, err = a.choice("LEVEL value is invalid\n", "required", "use")
			t.Optional = i == 1
		default:
			if idSeen {
				return false, nil
			}
			idSeen = true
			var id xfrmID
			id, err = a.id(0, false)
			t.Src, t.Dst, t.Proto, t.SPI = id.src.Addr(), id.dst.Addr(), id.proto, id.spi
		}
		return true, err
	})
	if !t.Dst.IsValid() {
		t.Dst = unspecifiedLike(t.Src)
	}
	return t, err
}

// xfrmPolicyWords reads the words of xfrm_policy_modify (get false) or
// of xfrm_policy_get_or_delete (get true), which takes fewer of them and
// checks some duplicates more, into p and its mark.
func xfrmPolicyWords(e *env, a *xargs, get bool) (p *xfrm.Policy, mark xfrm.Mark, sel, index bool, err error) {
	p = &xfrm.Policy{}
	dir := false
	once := func(seen *bool, w string) error {
		if *seen {
			return duparg(w, w)
		}
		*seen = true
		return nil
	}
	for ; a.more() && err == nil; a.i++ {
		w := a.cur()
		switch {
		case w == "dir":
			if err = once(&dir, w); err == nil {
				p.Dir, err = a.dir()
			}
		case w == "ctx":
			p.SecCtx, err = a.secCtx(p.SecCtx)
		case w == "mark":
			mark, err = a.mark()
		case w == "index":
			if !index || !get {
				index = true
				p.Index, err = a.u32("INDEX value is invalid")
			} else {
				err = duparg(w, w)
			}
		case w == "ptype":
			if err = once(&p.HasType, w); err == nil {
				p.Type, err = a.ptype()
			}
		case w == "if_id":
			p.IfID, err = a.u32("IF_ID value is invalid")
			p.HasIfID = true
		case get:
			err = xfrmPolicySelector(e, a, p, &sel, invarg)
		case w == "action":
			p.Action, err = a.action()
		case w == "priority":
			p.Priority, err = a.u32("PRIORITY value is invalid")
		case w == "flag":
			var v uint32
			v, err = a.flags(policyFlagNames)
			p.Flags = uint8(v)
		case w == "limit":
			err = a.limit(&p.Lifetime)
		case w == "tmpl":
			if _, err = a.next(); err == nil {
				var t xfrm.Template
				t, err = a.tmpl()
				p.Templates = append(p.Templates, t)
			}
		default:
			err = xfrmPolicySelector(e, a, p, &sel, duparg)
		}
	}
	if err == nil && !dir {
		err = &cliError{code: exitFailure, msg: "Not enough information: DIR is required."}
	}
	return p, mark, sel, index, err
}

// xfrmPolicySelector reads the selector, which may come once (a second
// one fails with dup).
func xfrmPolicySelector(e *env, a *xargs, p *xfrm.Policy, seen *bool, dup func(string, string) error) (err error) {
	if *seen {
		return dup("unknown", a.cur())
	}
	*seen = true
	p.Selector, err = a.selector(e, e.Family)
	return err
}

// xfrmPolicyModify is xfrm_policy_modify.
func xfrmPolicyModify(e *env, a *xargs, update bool) error {
	p, mark, _, _, err := xfrmPolicyWords(e, a, false)
	if err != nil {
		return err
	}
	if mark.Mask != 0 {
		p.Mark = &mark
	}
	if p.Selector.Family == 0 {
		p.Selector.Family = unix.AF_INET
		if e.Family == unix.AF_INET6 {
			p.Selector.Family = unix.AF_INET6
		}
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		if update {
			return h.PolicyUpdate(e.ctx, p)
		}
		return h.PolicyAdd(e.ctx, p)
	})
}

// xfrmPolicyID reads what xfrm_policy_get_or_delete reads.
func xfrmPolicyID(e *env, a *xargs) (xfrm.PolicyID, error) {
	p, mark, sel, index, err := xfrmPolicyWords(e, a, true)
	switch {
	case err != nil:
		return xfrm.PolicyID{}, err
	case !sel && !index:
		return xfrm.PolicyID{}, &cliError{code: exitFailure, msg: "Not enough information: either SELECTOR or INDEX is required."}
	case sel && index:
		return xfrm.PolicyID{}, duparg2("SELECTOR", "INDEX")
	}
	if mark.Value&mark.Mask != 0 {
		p.Mark = &mark
	}
	if p.Selector.Family == 0 && e.Family == unix.AF_INET6 {
		p.Selector.Family = unix.AF_INET6
	}
	return p.ID(), nil
}

// xfrmPolicyGetOrDelete is xfrm_policy_delete and xfrm_policy_get.
func xfrmPolicyGetOrDelete(e *env, a *xargs, del bool) error {
	id, err := xfrmPolicyID(e, a)
	if err != nil {
		return err
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		if del {
			return h.PolicyDel(e.ctx, &id)
		}
		p := newXfrmPrinter(e)
		return h.GetPolicyView(e.ctx, &id, func(v xfrm.PolicyView) {
			p.policy(v, uint16(e.Family))
			p.flush()
		})
	})
}

// xfrmPolicyFilter is xfrm_policy_filter_match's filter.
type xfrmPolicyFilter struct {
	use      bool
	family   uint16
	dir      *xfrm.Dir
	nosock   bool
	ptype    *xfrm.PolicyType
	sel      *xfrm.Selector
	index    *uint32
	action   *xfrm.Action
	priority *uint32
	flags    *uint8
}

func (f *xfrmPolicyFilter) match(v xfrm.PolicyView) bool {
	if !f.use {
		return true
	}
	sel := v.Selector()
	pt, _ := v.Type()
	switch {
	case f.family != 0 && f.family != sel.Family,
		f.dir != nil && v.Dir() != *f.dir,
		f.nosock && v.Dir() >= 3,
		f.ptype != nil && pt != *f.ptype,
		f.index != nil && v.Index() != *f.index,
		f.action != nil && v.Action() != *f.action,
		f.priority != nil && v.Priority() != *f.priority,
		f.flags != nil && v.Flags()&*f.flags == 0:
		return false
	}
	if s := f.sel; s != nil {
		if s.Src.IsValid() && s.Src.Bits() > 0 && (!sel.Src.IsValid() || !prefixMatch(s.Src, sel.Src.Addr())) ||
			s.Dst.IsValid() && s.Dst.Bits() > 0 && (!sel.Dst.IsValid() || !prefixMatch(s.Dst, sel.Dst.Addr())) ||
			s.Ifindex != 0 && s.Ifindex != sel.Ifindex || s.Proto != 0 && s.Proto != sel.Proto ||
			s.SrcPortMask != 0 && s.SrcPort != sel.SrcPort || s.DstPortMask != 0 && s.DstPort != sel.DstPort {
			return false
		}
	}
	return true
}

// xfrmPolicyList is xfrm_policy_list_or_deleteall.
func xfrmPolicyList(e *env, a *xargs, deleteAll bool) error {
	f := xfrmPolicyFilter{use: a.more() || e.Family != 0, family: uint16(e.Family)}
	for ; a.more(); a.i++ {
		var err error
		switch w := a.cur(); w {
		case "dir":
			f.dir = new(xfrm.Dir)
			*f.dir, err = a.dir()
		case "index":
			f.index = new(uint32)
			*f.index, err = a.u32("INDEX value is invalid")
		case "ptype":
			f.ptype = new(xfrm.PolicyType)
			*f.ptype, err = a.ptype()
		case "action":
			f.action = new(xfrm.Action)
			*f.action, err = a.action()
		case "priority":
			f.priority = new(uint32)
			*f.priority, err = a.u32("PRIORITY value is invalid")
		case "flag":
			var v uint32
			v, err = a.flags(policyFlagNames)
			f.flags = ptr(uint8(v), true)
		case "nosock":
			f.nosock = true
		default:
			if f.sel != nil {
				return invarg("unknown", w)
			}
			var sel xfrm.Selector
			sel, err = a.selector(e, e.Family)
			f.sel = &sel
			if f.family == 0 {
				f.family = sel.Family
			}
		}
		if err != nil {
			return err
		}
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		if !deleteAll {
			p := newXfrmPrinter(e)
			return xfrmList(h.Policies(e.ctx), f.match, func(v xfrm.PolicyView) { p.policy(v, uint16(e.Family)); p.flush() })
		}
		// Socket policies are not the SPD's to delete.
		keep := func(v xfrm.PolicyView) bool { return f.match(v) && v.Dir() < 3 }
		id := func(v xfrm.PolicyView) xfrm.PolicyID { p := v.Policy(); return p.ID() }
		return xfrmDeleteAll(func() iter.Seq2[xfrm.PolicyView, error] { return h.Policies(e.ctx) }, keep, id,
			func(id *xfrm.PolicyID) error { return h.PolicyDel(e.ctx, id) }, unix.ENOENT)
	})
}

// xfrmPolicyFlush is xfrm_policy_flush.
func xfrmPolicyFlush(e *env, a *xargs) error {
	var t xfrm.PolicyType
	has, err := a.optionOnce("ptype", func() (err error) {
		t, err = a.ptype()
		return err
	})
	if err != nil {
		return err
	}
	return xfrmDo(e, func(h *xfrm.Handle) error { return h.PolicyFlush(e.ctx, t, has) })
}

// xfrmPolicyCount is xfrm_spd_getinfo and print_spdinfo.
func xfrmPolicyCount(e *env) error {
	return xfrmDo(e, func(h *xfrm.Handle) error {
		info, err := h.SPDInfo(e.ctx)
		if err != nil {
			return err
		}
		sl := "\n"
		if e.Oneline {
			sl = "\\"
		}
		out := fmt.Sprintf("\t SPD IN  %d OUT %d FWD %d", int32(info.In), int32(info.Out), int32(info.Fwd))
		if e.Stats.level > 0 {
			out += fmt.Sprintf(" (Sock: IN %d OUT %d FWD %d)", int32(info.InSocket), int32(info.OutSocket), int32(info.FwdSocket))
		}
		out += sl
		if e.Stats.level > 1 {
			out += fmt.Sprintf("\t SPD buckets: count %d Max %d%s", int32(info.HashCount), int32(info.HashMax), sl)
			if info.HasThresh {
				out += fmt.Sprintf("\t SPD IPv4 thresholds: local %d remote %d%s", info.IPv4LBits, info.IPv4RBits, sl)
				out += fmt.Sprintf("\t SPD IPv6 thresholds: local %d remote %d%s", info.IPv6LBits, info.IPv6RBits, sl)
			}
		}
		if e.Oneline {
			out += "\n"
		}
		fmt.Fprint(e.Stdout, out)
		return nil
	})
}
