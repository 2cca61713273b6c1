package main

// "ipr xfrm state": iproute2 6.1's ip/xfrm_state.c.

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// runXfrmState is do_xfrm_state.
func runXfrmState(e *env, a *xargs) error {
	if !a.more() {
		return xfrmStateList(e, a, false)
	}
	w := a.cur()
	a.w = a.w[1:]
	switch {
	case matches(w, "add"):
		return xfrmStateModify(e, a, false)
	case matches(w, "update"):
		return xfrmStateModify(e, a, true)
	case matches(w, "allocspi"):
		return notImplemented(`"ip xfrm state allocspi"`)
	case matches(w, "delete"):
		return xfrmStateGetOrDelete(e, a, true)
	case matches(w, "deleteall"), matches(w, "delall"):
		return xfrmStateList(e, a, true)
	case matches(w, "list"), matches(w, "show"), matches(w, "lst"):
		return xfrmStateList(e, a, false)
	case matches(w, "get"):
		return xfrmStateGetOrDelete(e, a, false)
	case matches(w, "flush"):
		return xfrmStateFlush(e, a)
	case matches(w, "count"):
		return xfrmStateCount(e)
	case matches(w, "help"):
		return usageText(xfrmUsage)
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr xfrm state help\".", w)}
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

// stateFlag is xfrm_state_flag_parse: the flag words from the current
// one on, or a number.
func (a *xargs) stateFlags(names []string) (uint32, error) {
	w := a.cur()
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
	stateFlagNames = []string{"noecn", "decap-dscp", "nopmtudisc", "wildrecv", "icmp", "af-unspec", "align4", "esn"}
	extraFlagNames = []string{"dont-encap-dscp", "oseq-may-wrap"}
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
			if _, err := a.next(); err != nil {
				return err
			}
			v, err := a.stateFlags(stateFlagNames)
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
		if deleteAll {
			// Rounds of a dump and deletes, until a dump finds nothing.
			for {
				var ids []xfrm.StateID
				for v, err := range h.States(e.ctx, xfrm.StateFilter{}) {
					if err != nil {
						return refused(err, exitFailure, "Delete-all terminated")
					}
					if f.match(v) {
						s := v.State()
						ids = append(ids, s.ID())
					}
				}
				if len(ids) == 0 {
					return nil
				}
				for i := range ids {
					if err := h.StateDel(e.ctx, &ids[i]); err != nil && !errors.Is(err, unix.ESRCH) {
						return err
					}
				}
			}
		}
		p := newXfrmPrinter(e)
		for v, err := range h.States(e.ctx, xfrm.StateFilter{}) {
			if err != nil {
				return dumpTerminated(err)
			}
			if f.match(v) {
				p.state(v, nokeys)
				p.flush()
			}
		}
		return nil
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
	seen := false
	for ; a.more(); a.i++ {
		if a.cur() != "proto" {
			return invarg("unknown", a.cur())
		}
		if seen {
			return duparg("proto", a.cur())
		}
		seen = true
		w, err := a.next()
		if err != nil {
			return err
		}
		p, ok := xfrmProtoByName(w)
		if !ok {
			return invarg("XFRM-PROTO value is invalid", w)
		}
		proto = p
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		return h.StateFlush(e.ctx, proto)
	})
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
