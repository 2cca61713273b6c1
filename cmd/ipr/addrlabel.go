package main

// ipr addrlabel: iproute2's ipaddrlabel.c.

import (
	"context"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const addrlabelUsage = `{ add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]
       ipr addrlabel [ list | flush | help ]`

// addrlabelVerbs are do_ipaddrlabel's commands, in its order.
var addrlabelVerbs = [...]verb{
	{name: "list", stats: true, run: addrlabelList},
	{name: "lst", stats: true, run: addrlabelList},
	{name: "show", stats: true, run: addrlabelList},
	{name: "add", stats: true, run: func(e *env, a *args) error { return addrlabelModify(e, a, true) }},
	{name: "delete", stats: true, run: func(e *env, a *args) error { return addrlabelModify(e, a, false) }},
	{name: "flush", stats: true, run: addrlabelFlush},
	{name: "help"},
}

// addrlabelFamilyOK reports whether -f selects a family with address
// labels: ip dumps the family it is given, which only IPv6 has.
func addrlabelFamilyOK(e *env) bool { return e.Family == unix.AF_UNSPEC || e.Family == unix.AF_INET6 }

func addrlabelList(e *env, a *args) error {
	if a.more() {
		return &cliError{code: exitFailure, msg: `"ip addrlabel show" does not take any arguments.`}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	if addrlabelFamilyOK(e) {
		for l, err := range h.AddrLabels(e.ctx) {
			if err != nil {
				return err
			}
			printAddrLabel(p, l, links)
			p.flush()
		}
	}
	return e.endList(p)
}

// printAddrLabel is ipaddrlabel.c's print_addrlabel.
func printAddrLabel(p *printer, l rtm.AddrLabel, links *linkTypes) {
	p.openObject("")
	if a := l.Address(); a.IsValid() {
		p.textString("prefix ")
		p.colorStr(familyColor(l.Family()), "address", "%s", hostString(a.AsSlice()))
		p.uint("prefixlen", "/%d ", uint64(l.PrefixLen()))
	}
	if i := l.Index(); i != 0 {
		p.textString("dev ")
		p.colorStr(colorIfname, "ifname", "%s ", links.name(i))
	}
	if v, ok := l.Label(); ok {
		p.uint("label", "label %d ", uint64(v))
	}
	p.textString("\n")
	p.closeObject()
}

func addrlabelModify(e *env, a *args, add bool) error {
	var s rtm.AddrLabelSpec
	var havePrefix, haveLabel bool
	for a.more() {
		switch w := a.advance(); w {
		case "prefix":
			p, err := a.prefixValue("prefix", e.Family)
			if err != nil {
				return err
			}
			s.Prefix, havePrefix = p, true
		case "dev":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			h, err := e.handle()
			if err != nil {
				return err
			}
			l, err := h.LinkByName(e.ctx, v)
			if err != nil {
				return invarg("dev is invalid\n", v)
			}
			s.Index = l.Index()
		case "label":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			n, err := strconv.ParseUint(v, 0, 32)
			if err != nil || n == rtm.AddrLabelDefault {
				return invarg("label is invalid\n", v)
			}
			s.Label, haveLabel = uint32(n), true
		}
	}
	switch {
	case !havePrefix:
		return &cliError{code: exitFailure, msg: `Not enough information: "prefix" argument is required.`}
	case !haveLabel:
		return &cliError{code: exitFailure, msg: `Not enough information: "label" argument is required.`}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	req := rtm.AddrLabelDel(s)
	if add {
		req = rtm.AddrLabelAdd(s)
	}
	return h.Do(e.ctx, req)
}

// addrlabelFlush deletes every label, the kernel's defaults included, as
// ip's flush_addrlabel does.
func addrlabelFlush(e *env, a *args) error {
	if a.more() {
		return &cliError{code: exitFailure, msg: `"ip addrlabel flush" does not allow extra arguments`}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if !addrlabelFamilyOK(e) {
		return nil
	}
	return flushAddrLabels(e.ctx, h)
}

func flushAddrLabels(ctx context.Context, h *rtm.Handle) error {
	var specs []rtm.AddrLabelSpec
	for l, err := range h.AddrLabels(ctx) {
		if err != nil {
			return err
		}
		label, _ := l.Label()
		if p := l.Prefix(); p.IsValid() {
			specs = append(specs, rtm.AddrLabelSpec{Prefix: p, Index: l.Index(), Label: label})
		}
	}
	for _, s := range specs {
		if err := h.Do(ctx, rtm.AddrLabelDel(s)); err != nil {
			return err
		}
	}
	return nil
}
