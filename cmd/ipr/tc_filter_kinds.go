package main

// tc's syntax of the classifiers other than u32 and flower: matchall,
// bpf, fw, route, cgroup, flow and basic.

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// filterParser reads a kind's options; handle is the filter's "handle"
// argument, which each kind reads its own way.
type filterParser func(a *tcArgs, s *tc.FilterSpec, handle string) (tc.FilterOptions, error)

// filterKind is a classifier ipr parses and prints. tc reads the handle
// of most as a number, which parseFilterKind does for them
// (numericHandle) before their parser; u32 and fw read it their own way.
type filterKind struct {
	name          string
	numericHandle bool
	parse         filterParser
	// print prints the options; nil for u32, whose printer also needs
	// the filter's protocol (printFilterOptions).
	print func(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32)
}

// filterKinds are the classifiers ipr parses and prints.
var filterKinds = [...]filterKind{
	{"u32", false, parseU32, nil}, {"flower", true, parseFlower, printFlower},
	{"matchall", true, parseMatchall, printMatchall}, {"bpf", true, parseBPFFilter, printBPFFilter},
	{"fw", false, parseFw, printFWFilter}, {"route", true, parseRoute, printRouteFilter},
	{"cgroup", true, parseCgroup, printCgroupFilter}, {"flow", true, parseFlow, printFlowFilter},
	{"basic", true, parseBasic, printBasicFilter},
}

// parseFilterKind reads the options of classifier kind, false for a kind
// ipr does not parse.
func parseFilterKind(a *tcArgs, kind string, s *tc.FilterSpec, handle string) (tc.FilterOptions, bool, error) {
	for _, k := range filterKinds {
		if k.name != kind {
			continue
		}
		if k.numericHandle {
			if err := numericHandle(s, handle); err != nil {
				return nil, true, err
			}
		}
		opts, err := k.parse(a, s, handle)
		return opts, true, err
	}
	return nil, false, nil
}

// numericHandle reads a filter handle as tc's get_u32 with base 0.
func numericHandle(s *tc.FilterSpec, handle string) error {
	if handle == "" {
		return nil
	}
	v, err := strconv.ParseUint(handle, 0, 32)
	if err != nil {
		return tcKindError("Illegal \"handle\"")
	}
	s.Handle = uint32(v)
	return nil
}

// filterCommon parses what several kinds share: classid, actions and
// police. It reports false for a word it does not know.
func (a *tcArgs) filterCommon(classid *tc.Handle, acts *[]tc.Action, police **tc.Police) (bool, error) {
	word := a.peek()
	switch {
	case classid != nil && (matches(word, "classid") || word == "flowid"):
		a.advance()
		v, err := a.value(word)
		if err != nil {
			return true, err
		}
		*classid, err = parseClassid(v)
		return true, err
	case acts != nil && matches(word, "action"):
		a.advance()
		l, err := a.parseActions()
		*acts = append(*acts, l...)
		return true, err
	case police != nil && matches(word, "police"):
		a.advance()
		p, err := a.parsePolice(new(uint32))
		*police = p
		return true, err
	}
	return false, nil
}

// kindOptions runs a classifier's option loop: the options every kind
// shares through filterCommon, and fn for each other word, which fn has
// to consume the values of.
func (a *tcArgs) kindOptions(classid *tc.Handle, acts *[]tc.Action, police **tc.Police, fn func(word string) error) error {
	for a.more() {
		ok, err := a.filterCommon(classid, acts, police)
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		if err := fn(a.advance()); err != nil {
			return err
		}
	}
	return nil
}

func parseMatchall(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	m := &tc.Matchall{}
	return m, a.kindOptions(&m.ClassID, &m.Actions, nil, func(word string) error {
		flag := skipFlag(word)
		if flag == 0 {
			return usagef("matchall: unknown argument %q", word)
		}
		m.Flags |= flag
		return nil
	})
}

// skipFlag is the classifier flag that word names ("skip_hw",
// "skip_sw"), zero for another word.
func skipFlag(word string) uint32 {
	switch word {
	case "skip_hw":
		return tc.FilterSkipHW
	case "skip_sw":
		return tc.FilterSkipSW
	}
	return 0
}

func parseBPFFilter(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	b := &tc.BPF{}
	return b, a.kindOptions(&b.ClassID, &b.Actions, &b.Police, func(word string) error {
		switch {
		case word == "run":
		case matches(word, "bytecode"):
			v, err := a.value(word)
			if err != nil {
				return err
			}
			b.Ops, err = parseBPFOps(v)
			return err
		case matches(word, "bytecode-file"):
			v, err := a.value(word)
			if err != nil {
				return err
			}
			text, err := os.ReadFile(v)
			if err != nil {
				return usagef("bpf: %v", err)
			}
			b.Ops, err = parseBPFOps(strings.TrimSpace(string(text)))
			return err
		case matches(word, "direct-action"), word == "da":
			b.DirectAction = true
		case skipFlag(word) != 0:
			b.Flags |= skipFlag(word)
		default:
			return usagef("bpf: %q is not implemented by ipr (bytecode only)", word)
		}
		return nil
	})
}

func parseFw(a *tcArgs, s *tc.FilterSpec, handle string) (tc.FilterOptions, error) {
	f := &tc.Fw{}
	if handle != "" {
		mark, mask, slash := strings.Cut(handle, "/")
		v, err := strconv.ParseUint(mark, 0, 32)
		if err != nil {
			return nil, tcKindError("Illegal \"handle\"")
		}
		s.Handle = uint32(v)
		if slash {
			m, err := strconv.ParseUint(mask, 0, 32)
			if err != nil {
				return nil, tcKindError("Illegal \"handle\" mask")
			}
			mv := uint32(m)
			f.Mask = &mv
		}
	}
	return f, a.kindOptions(&f.ClassID, &f.Actions, &f.Police, func(word string) error {
		if word != "indev" {
			return usagef("fw: unknown argument %q", word)
		}
		v, err := a.value(word)
		f.Indev = v
		return err
	})
}

// parseRealm reads the realm number after keyword (iproute2's realm
// names are not read).
func parseRealm(keyword, s string) (*uint32, error) {
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil || v > 255 {
		return nil, tcKindError("Illegal %q", keyword)
	}
	r := uint32(v)
	return &r, nil
}

func parseRoute(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	r := &tc.Route{}
	return r, a.kindOptions(&r.ClassID, &r.Actions, &r.Police, func(word string) error {
		v, err := a.value(word)
		if err != nil {
			return err
		}
		switch {
		case matches(word, "to"):
			r.To, err = parseRealm("to", v)
		case matches(word, "from"):
			r.From, err = parseRealm("from", v)
		case matches(word, "fromif"):
			r.FromIf, err = a.resolve(v)
		default:
			return usagef("route: unknown argument %q", word)
		}
		return err
	})
}

func parseCgroup(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	c := &tc.Cgroup{}
	return c, a.kindOptions(nil, &c.Actions, &c.Police, func(word string) error {
		if !matches(word, "match") || c.Ematches != nil {
			return usagef("cgroup: unknown argument %q", word)
		}
		var err error
		c.Ematches, err = a.parseEmatch()
		return err
	})
}

func parseBasic(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	b := &tc.Basic{}
	return b, a.kindOptions(&b.ClassID, &b.Actions, &b.Police, func(word string) error {
		if !matches(word, "match") || b.Ematches != nil {
			return usagef("basic: unknown argument %q", word)
		}
		var err error
		b.Ematches, err = a.parseEmatch()
		return err
	})
}

// flowKeyNames are tc's names of the flow keys, bit i named by entry i.
var flowKeyNames = [...]string{"src", "dst", "proto", "proto-src", "proto-dst", "iif", "priority", "mark", "nfct",
	"nfct-src", "nfct-dst", "nfct-proto-src", "nfct-proto-dst", "rt-classid", "sk-uid", "sk-gid", "vlan-tag", "rxhash"}

func parseFlow(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	f := &tc.Flow{}
	mask, xor := ^uint32(0), uint32(0)
	for a.more() {
		if ok, err := a.filterCommon(nil, &f.Actions, &f.Police); ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		word := a.advance()
		switch {
		case matches(word, "map"):
			f.Hash = false
		case matches(word, "hash"):
			f.Hash = true
		case matches(word, "keys"), matches(word, "key"):
			v, err := a.value(word)
			if err != nil {
				return nil, err
			}
			for _, k := range strings.Split(v, ",") {
				found := false
				for i, n := range flowKeyNames {
					if n == k {
						f.Keys |= 1 << i
						found = true
					}
				}
				if !found {
					return nil, usagef("flow: unknown key %q", k)
				}
			}
		case matches(word, "and"), matches(word, "or"), matches(word, "xor"),
			matches(word, "rshift"), matches(word, "addend"), matches(word, "divisor"),
			matches(word, "baseclass"), matches(word, "perturb"):
			v, err := a.value(word)
			if err != nil {
				return nil, err
			}
			if matches(word, "baseclass") {
				h, err := parseClassid(v)
				if err != nil || h&0xffff == 0 {
					return nil, usagef("flow: invalid baseclass %q", v)
				}
				f.BaseClass = h
				continue
			}
			n, err := strconv.ParseUint(v, 0, 32)
			if err != nil {
				return nil, usagef("flow: invalid %s %q", word, v)
			}
			t := uint32(n)
			switch {
			case matches(word, "and"):
				mask, xor = mask&t, xor&t
			case matches(word, "or"):
				mask, xor = mask&^t, xor|t
			case matches(word, "xor"):
				xor ^= t
			case matches(word, "rshift"):
				f.Rshift = t
			case matches(word, "addend"):
				f.Addend = t
			case matches(word, "divisor"):
				f.Divisor = t
			case matches(word, "perturb"):
				f.Perturb = t
			}
		default:
			return nil, usagef("flow: unknown argument %q", word)
		}
	}
	if mask != ^uint32(0) || xor != 0 {
		f.Mask, f.Xor = &mask, xor
	}
	return f, nil
}

// printFWFilter is tc's fw_print_opt, which prints text even in JSON.
func printFWFilter(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	mask, hasMask := opts.Get(5)
	if handle != 0 || hasMask {
		if m := attrU32(mask); hasMask && m != 0xffffffff {
			p.raw(fmt.Sprintf("handle 0x%x/0x%x ", handle, m))
		} else {
			p.raw(fmt.Sprintf("handle 0x%x ", handle))
		}
	}
	if a, ok := opts.Get(1); ok {
		p.raw("classid " + tc.Handle(attrU32(a)).String() + " ")
	}
	if a, ok := opts.Get(3); ok {
		p.raw("input dev " + string(attrText(a)) + " ")
	}
	if a, ok := opts.Get(4); ok {
		p.raw("\n")
		printActionList(p, e, names, a.Nested(), true)
	}
}

// printRouteFilter is tc's route_print_opt, which prints text even in
// JSON.
func printRouteFilter(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	if handle != 0 {
		p.raw(fmt.Sprintf("fh 0x%08x ", handle))
	}
	if handle&0x7f00 != 0 {
		p.raw(fmt.Sprintf("order %d ", handle>>8&0x7f))
	}
	if a, ok := opts.Get(1); ok {
		p.raw("flowid " + tc.Handle(attrU32(a)).String() + " ")
	}
	if a, ok := opts.Get(2); ok {
		p.raw("to " + realmName(attrU32(a)) + " ")
	}
	if a, ok := opts.Get(3); ok {
		p.raw("from " + realmName(attrU32(a)) + " ")
	}
	if a, ok := opts.Get(4); ok {
		p.raw("fromif " + names.name(int32(attrU32(a))))
	}
	if a, ok := opts.Get(6); ok {
		printActionList(p, e, names, a.Nested(), true)
	}
}

// realmName is rtnl_rtrealm_n2a without /etc/iproute2/rt_realms: the
// number.
func realmName(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// printCgroupFilter is tc's cgroup_print_opt, which prints text even in
// JSON.
func printCgroupFilter(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	if handle != 0 {
		p.raw(fmt.Sprintf("handle 0x%x ", handle))
	}
	if a, ok := opts.Get(3); ok {
		printEmatches(p, a.Data)
	}
	if a, ok := opts.Get(2); ok {
		p.raw("\n")
		printPoliceAct(p, e, names, a.Nested())
	}
	if a, ok := opts.Get(1); ok {
		printActionList(p, e, names, a.Nested(), true)
	}
}

// printBasicFilter is tc's basic_print_opt.
func printBasicFilter(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	if handle != 0 {
		tcPrintHex(p, "handle", "handle %s ", uint64(handle))
	}
	if a, ok := opts.Get(1); ok {
		p.str("flowid", "flowid %s ", tc.Handle(attrU32(a)).String())
	}
	if a, ok := opts.Get(2); ok {
		printEmatches(p, a.Data)
	}
	if a, ok := opts.Get(4); ok {
		p.nl()
		printPoliceAct(p, e, names, a.Nested())
	}
	if a, ok := opts.Get(3); ok {
		printActionList(p, e, names, a.Nested(), true)
	}
}

// printFlowFilter is tc's flow_print_opt (without ematches), which
// prints text even in JSON.
func printFlowFilter(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	p.raw(fmt.Sprintf("handle 0x%x ", handle))
	if a, ok := opts.Get(2); ok {
		switch attrU32(a) {
		case 0:
			p.raw("map ")
		case 1:
			p.raw("hash ")
		}
	}
	if a, ok := opts.Get(1); ok {
		var keys []string
		for i, k := range flowKeyNames {
			if attrU32(a)&(1<<i) != 0 {
				keys = append(keys, k)
			}
		}
		p.raw("keys " + strings.Join(keys, ",") + " ")
	}
	mask, val := uint32(0xffffffff), uint32(0)
	if a, ok := opts.Get(6); ok {
		mask = attrU32(a)
	}
	if a, ok := opts.Get(7); ok {
		val = attrU32(a)
	}
	if mask != 0xffffffff || val != 0 {
		or, xor := (mask&val)^val, mask&val
		if mask != 0xffffffff {
			p.raw(fmt.Sprintf("and 0x%.8x ", mask))
		}
		if xor != 0 {
			p.raw(fmt.Sprintf("xor 0x%.8x ", xor))
		}
		if or != 0 {
			p.raw(fmt.Sprintf("or 0x%.8x ", or))
		}
	}
	for _, f := range [...]struct {
		typ    uint16
		format string
	}{{4, "rshift %d "}, {5, "addend 0x%x "}, {8, "divisor %d "}} {
		if a, ok := opts.Get(f.typ); ok {
			p.raw(fmt.Sprintf(f.format, attrU32(a)))
		}
	}
	if a, ok := opts.Get(3); ok {
		p.raw("baseclass " + tc.Handle(attrU32(a)).String() + " ")
	}
	if a, ok := opts.Get(12); ok {
		p.raw(fmt.Sprintf("perturb %dsec ", attrU32(a)))
	}
	if a, ok := opts.Get(10); ok {
		printPoliceAct(p, e, names, a.Nested())
	}
	if a, ok := opts.Get(9); ok {
		p.raw("\n")
		printActionList(p, e, names, a.Nested(), true)
	}
}
