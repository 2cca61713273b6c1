package main

// The ets qdisc and its classes (tc's q_ets.c).

import (
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

func parseETS(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.ETS{}
	list := ""
	for a.more() {
		w := a.advance()
		switch w {
		case "bands", "strict":
			v, err := a.value(w)
			if err != nil {
				return nil, err
			}
			n, err := strconv.ParseUint(v, 10, 8)
			if err != nil || n > 16 {
				return nil, tcKindError("Illegal %q", w)
			}
			if w == "bands" {
				o.Bands = uint8(n)
			} else {
				o.Strict = uint8(n)
			}
			list = ""
		case "quanta", "priomap":
			list = w
		default:
			n, err := strconv.ParseUint(w, 10, 32)
			switch {
			case err != nil || list == "":
				return nil, tcKindError("What is %q?", w)
			case list == "quanta":
				o.Quanta = append(o.Quanta, uint32(n))
			default:
				o.Priomap = append(o.Priomap, uint8(n))
			}
		}
	}
	return o, nil
}

// parseETSClass is tc's ets_parse_copt.
func parseETSClass(_ *env, a *args, _ string) (tc.ClassOptions, error) {
	o := &tc.ETSClass{}
	return o, readKindOpts(a, "What is %q?", opt("quantum", setSome(&o.Quantum, u32Arg)))
}

// printETS is tc's ets_print_opt: nothing without the band count and
// priority map (tc then complains on stderr).
func printETS(p *printer, _ *env, q tc.Qdisc) {
	opts := nla.Chain(q.Options())
	nb, ok1 := opts.Get(1)
	pm, ok2 := opts.Get(5)
	if !ok1 || !ok2 {
		return
	}
	p.uint("bands", "bands %d ", uint64(attrU8(nb)))
	if a, ok := opts.Get(2); ok {
		p.uint("strict", "strict %d ", uint64(attrU8(a)))
	}
	list := func(key string, a nla.Attr, band uint16, u8 bool) {
		p.openArray(key)
		p.textString(key)
		for b := range nla.Chain(a.Data).All() {
			if b.Kind() != band {
				continue
			}
			if u8 {
				p.uint("", " %d", uint64(attrU8(b)))
			} else {
				p.uint("", " %d", uint64(attrU32(b)))
			}
		}
		p.closeArray()
		p.textString(" ")
	}
	if a, ok := opts.Get(3); ok {
		list("quanta", a, 4, false)
	}
	list("priomap", pm, 6, true)
}

// printETSClass is tc's ets_print_copt.
func printETSClass(p *printer, _ *env, c tc.Class) {
	if a, ok := nla.Chain(c.Options()).Get(4); ok {
		p.uint("quantum", "quantum %d ", uint64(attrU32(a)))
	}
}
