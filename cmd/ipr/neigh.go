package main

// "ipr neigh": show, add, replace, change, delete and flush ARP and NDP
// entries, with the syntax and output of iproute2's "ip neigh" (6.1).

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// neighUsage is "ipr neigh help".
const neighUsage = "{ show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ] [ proto RTPROTO ]\n" +
	"         | { add | del | change | replace } { ADDR [ lladdr LLADDR ] [ nud STATE ] | proxy ADDR }\n" +
	"               [ dev DEV ] [ router ] [ extern_learn ] [ protocol RTPROTO ] }\n" +
	"STATE := { permanent | noarp | stale | reachable | none | incomplete | delay | probe | failed | all }"

// neighStates are the NUD_* states in iproute2's printing order.
var neighStates = [...]struct {
	name string
	bit  uint16
}{
	{"INCOMPLETE", unix.NUD_INCOMPLETE}, {"REACHABLE", unix.NUD_REACHABLE}, {"STALE", unix.NUD_STALE},
	{"DELAY", unix.NUD_DELAY}, {"PROBE", unix.NUD_PROBE}, {"FAILED", unix.NUD_FAILED},
	{"NOARP", unix.NUD_NOARP}, {"PERMANENT", unix.NUD_PERMANENT},
}

// neighStateID is iproute2's nud_state_a2n.
func neighStateID(s string) (uint16, bool) {
	switch {
	case matches(s, "permanent"):
		return unix.NUD_PERMANENT, true
	case matches(s, "reachable"):
		return unix.NUD_REACHABLE, true
	case s == "noarp":
		return unix.NUD_NOARP, true
	case s == "none":
		return unix.NUD_NONE, true
	case s == "stale":
		return unix.NUD_STALE, true
	case s == "incomplete":
		return unix.NUD_INCOMPLETE, true
	case s == "delay":
		return unix.NUD_DELAY, true
	case s == "probe":
		return unix.NUD_PROBE, true
	case matches(s, "failed"):
		return unix.NUD_FAILED, true
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return uint16(v), err == nil && v&(v-1) == 0
}

// neighList is "neigh show" and "neigh flush", filtered as iproute2's
// do_show_or_flush and print_neigh filter.
func neighList(e *env, a *args, flush bool) error {
	if flush && !a.more() {
		return failf("Flush requires arguments.")
	}
	var (
		f          rtm.NeighFilter
		dev        string
		state      uint32 = 0xff &^ unix.NUD_NOARP
		stateGiven bool
		proto      uint8
		to         prefixSelector
	)
	if flush {
		state = ^uint32(unix.NUD_PERMANENT | unix.NUD_NOARP)
	}
	f.Family = e.Family
	for a.more() {
		switch w := a.advance(); {
		case w == "dev":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if dev != "" {
				return usagef("dev given twice")
			}
			dev = v
		case w == "nud":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if !stateGiven {
				stateGiven, state = true, 0
			}
			s, ok := neighStateID(v)
			switch {
			case ok:
			case v == "all":
				s = 0xffff
				if flush {
					s &^= unix.NUD_NOARP
				}
			default:
				return usagef("invalid nud state %q", v)
			}
			if s == 0 {
				state |= 0x100
			} else {
				state |= uint32(s)
				if v == "all" {
					state = ^uint32(0)
					if flush {
						state &^= unix.NUD_NOARP
					}
				}
			}
		case w == "proxy":
			f.Proxy = true
		case matches(w, "protocol"):
			var err error
			if proto, _, err = a.protocolFilter(w); err != nil {
				return err
			}
		case w == "master" || w == "nomaster" || w == "vrf" || w == "unused":
			return usagef("%q is not supported", w)
		default:
			w, err := a.toValue(w)
			if err != nil {
				return err
			}
			sel, err := parsePrefixSelector("to", w, f.Family)
			if err != nil {
				return err
			}
			to = sel
			if f.Family == 0 {
				f.Family = sel.family
			}
		}
	}
	h, err := e.handleFor(devRef{dev, &f.Index})
	if err != nil {
		return err
	}
	ctx := e.ctx
	keep := func(n rtm.Neigh) bool {
		st := uint32(n.State())
		if st&state == 0 && n.Flags()&unix.NTF_PROXY == 0 && n.Flags()&unix.NTF_EXT_LEARNED == 0 &&
			(st != 0 || state&0x100 == 0) {
			return false
		}
		if to.set {
			var dst [16]byte
			if a, ok := n.Chain().Get(unix.NDA_DST); ok {
				copy(dst[:], a.Data)
			} else if to.bits > 0 {
				return false
			}
			if (to.family != 0 && to.family != n.Family()) || !addrMatch(dst[:], to.addr[:], to.bits) {
				return false
			}
		}
		return proto == 0 || n.Protocol() == proto
	}
	links := &linkTypes{ctx: ctx, h: h}
	if flush {
		r := newFlushReport(e, "entries")
		print := func(n rtm.Neigh) { printNeighStats(r.p, n, f.Index != 0, links, true) }
		// After a round ip stops flushing failed entries.
		next := func() { state &^= unix.NUD_FAILED }
		return r.finish(neighFlush(ctx, h, &f, keep, r, print, next))
	}
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	return listDump(e, p, h.Neighs(ctx, &f), func(n rtm.Neigh) {
		if keep(n) {
			printNeighStats(p, n, f.Index != 0, links, e.Stats.level > 0)
		}
	})
}

// neighFlush deletes the selected entries, in rounds until none is
// left (at most 10, as ip's MAX_ROUNDS), calling next after each, and
// reports them to rep, printing each with print under -s -s.
func neighFlush(ctx context.Context, h *rtm.Handle, f *rtm.NeighFilter, keep func(rtm.Neigh) bool,
	rep *flushReport, print func(rtm.Neigh), next func()) error {
	for range maxFlushRounds {
		bt := h.NewBatch()
		for n, err := range h.Neighs(ctx, f) {
			if err != nil {
				return err
			}
			if !keep(n) || !n.Dst().IsValid() {
				continue
			}
			if err := bt.NeighDel(rtm.NeighSpec{Index: n.Index(), Dst: n.Dst(), Flags: n.Flags() & unix.NTF_PROXY}); err != nil {
				return err
			}
			if rep.each() {
				print(n)
			}
		}
		if done, err := rep.endRound(ctx, bt, unix.ENOENT); done || err != nil {
			return err
		}
		next()
	}
	rep.p.buf = fmt.Appendf(rep.p.buf, "*** Flush not complete bailing out after %d rounds\n", maxFlushRounds)
	return errExit(exitFailure)
}

// linkTypes resolves interface names and ARPHRD types, for printing
// link-layer addresses as iproute2's ll_addr_n2a does.
type linkTypes struct {
	ctx     context.Context
	h       *rtm.Handle
	byIndex map[int32]linkRef
}

func (c *linkTypes) get(index int32) linkRef {
	if c.byIndex == nil {
		c.byIndex = map[int32]linkRef{}
	}
	return lookupLinkRef(c.ctx, c.h, c.byIndex, index)
}

func (c *linkTypes) name(index int32) string {
	if t := c.get(index); t.found {
		return t.name
	}
	return ifIndexName(index)
}

// printNeigh prints one entry as iproute2's print_neigh does (without -s).
func printNeigh(p *printer, n rtm.Neigh, devFiltered bool, links *linkTypes) {
	printNeighStats(p, n, devFiltered, links, false)
}

// printNeighStats is printNeigh; stats is -s, which adds the cache
// information and the probes.
func printNeighStats(p *printer, n rtm.Neigh, devFiltered bool, links *linkTypes, stats bool) {
	var tb nla.Index
	tb.Reset(n.Chain())
	p.openObject("")
	if a, ok := tb.Get(unix.NDA_DST); ok {
		p.colorStr(addrColor(a.Data), "dst", "%s ", hostString(a.Data))
	}
	if !devFiltered && n.Index() != 0 {
		p.textString("dev ")
		p.colorStr(colorIfname, "dev", "%s ", links.name(n.Index()))
	}
	if a, ok := tb.Get(unix.NDA_LLADDR); ok {
		p.textString("lladdr ")
		p.colorStr(colorMAC, "lladdr", "%s ", hwString(a.Data, links.get(n.Index()).arphrd))
	}
	var ext uint32
	if a, ok := tb.Get(33); ok { // NDA_FLAGS_EXT
		ext = attrU32(a)
	}
	for _, fl := range [...]struct {
		on   bool
		name string
	}{
		{n.Flags()&unix.NTF_ROUTER != 0, "router"}, {n.Flags()&unix.NTF_PROXY != 0, "proxy"},
		{ext&1 != 0, "managed"}, {n.Flags()&unix.NTF_EXT_LEARNED != 0, "extern_learn"},
		{n.Flags()&unix.NTF_OFFLOADED != 0, "offload"},
	} {
		if fl.on {
			p.jsonNull(fl.name)
			p.text("%s ", fl.name)
		}
	}
	if stats {
		if a, ok := tb.Get(unix.NDA_CACHEINFO); ok && len(a.Data) >= 16 {
			// struct nda_cacheinfo: confirmed, used, updated, refcnt,
			// in clock ticks (USER_HZ).
			ci := func(i int) uint64 { return uint64(binary.NativeEndian.Uint32(a.Data[4*i:])) }
			if r := ci(3); r != 0 {
				p.uint("refcnt", " ref %d", r)
			}
			p.uint("used", " used %d", ci(1)/100)
			p.uint("confirmed", "/%d", ci(0)/100)
			p.uint("updated", "/%d", ci(2)/100)
		}
		if a, ok := tb.Get(unix.NDA_PROBES); ok {
			p.uint("probes", "probes %d ", uint64(attrU32(a)))
		}
	}
	if st := uint16(n.State()); st != 0 {
		p.openArray("state")
		for _, s := range neighStates {
			if st&s.bit != 0 {
				p.str("", "%s ", s.name)
			}
		}
		p.closeArray()
	}
	if pr := n.Protocol(); pr != 0 {
		p.str("protocol", "proto %s ", protoNames.name(uint32(pr)))
	}
	p.endl()
	p.closeObject()
}

// neighModify is "neigh add", "change", "replace" and "delete", parsed as
// iproute2's ipneigh_modify parses them.
func neighModify(e *env, a *args, op string) error {
	var (
		s                rtm.NeighSpec
		dev, lladdr      string
		haveDev, haveDst bool
		haveLLAddr       bool
		devGiven         bool // "dev", which proxy makes optional
		stateSet         bool
	)
	for a.more() {
		var err error
		switch w := a.advance(); {
		case matches(w, "lladdr"):
			if lladdr, err = a.value("lladdr"); err == nil && haveLLAddr {
				return duparg("lladdr", lladdr)
			}
			haveLLAddr = true
		case w == "nud":
			var st uint16
			st, err = a.neighStateValue(w)
			s.State, stateSet = rtm.NeighState(st), true
		case w == "proxy":
			s.Dst, err = a.addrValue("proxy", e.Family)
			s.Flags |= unix.NTF_PROXY
			haveDst, haveDev = true, true
		case w == "router":
			s.Flags |= unix.NTF_ROUTER
		case w == "extern_learn":
			s.Flags |= unix.NTF_EXT_LEARNED
		case w == "dev":
			dev, err = a.value(w)
			haveDev, devGiven = true, true
		case matches(w, "protocol"):
			s.Protocol, err = a.protocolValue(w)
		default:
			if w, err = a.toValue(w); err != nil {
				return err
			}
			if haveDst {
				return duparg2("to", w)
			}
			s.Dst, err = parseAddr("address", w, e.Family)
			haveDst = true
		}
		if err != nil {
			return err
		}
	}
	if !haveDev || !haveDst {
		return &cliError{code: exitUsage, msg: "Device and destination are required arguments."}
	}
	// ipneigh_modify reads the address after the whole line; "null"
	// sends none.
	if haveLLAddr && lladdr != "null" {
		hw, bad := parseLLAddr(lladdr, 20)
		if hw == nil {
			return failf("%q is invalid lladdr.", bad)
		}
		s.LLAddr = hw
	}
	if devGiven && dev == "" {
		// ip looks the empty name up, and fails.
		return errNoDevice(dev)
	}
	if !stateSet && op != "delete" {
		s.State = unix.NUD_PERMANENT
	}
	h, err := e.handleFor(devRef{dev, &s.Index})
	if err != nil {
		return err
	}
	ctx := e.ctx
	switch op {
	case "add":
		return h.NeighAdd(ctx, s)
	case "change":
		return h.NeighChange(ctx, s)
	case "replace":
		return h.NeighReplace(ctx, s)
	}
	return h.NeighDel(ctx, s)
}
