package main

// ipr qdisc: tc qdisc's commands and output.

import (
	"fmt"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

const qdiscUsage = `[ add | del | replace | change | show ] dev STRING
       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]
       ipr qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]
Where:
QDISC_KIND := { pfifo | bfifo | pfifo_head_drop | htb | tbf | prio | sfq | fq_codel |
                netem | ingress | clsact | mq | ... }
OPTIONS := ... try ipr qdisc add <desired QDISC_KIND> help`

// runQdisc runs tc qdisc's commands; "link" goes before "list", as in
// its matches().
func runQdisc(e *env, argv []string) error {
	return runTC(e, argv, "qdisc", qdiscUsage, qdiscShow,
		changeVerbs(qdiscModify, tc.QdiscAdd, tc.QdiscChange, tc.QdiscReplace, tc.QdiscDel,
			tcVerb{name: "link", run: func(e *env, a *args) error { return qdiscModify(e, a, tc.QdiscLink) }}))
}

// qdiscKind is a kind's command-line parser and options printer.
type qdiscKind struct {
	name string
	// parse reads the kind's options to the end of the command line;
	// with an error, the options it returns are not to be used (most
	// return them as far as they got, with readKindOpts).
	parse func(e *env, a *args, kind string) (tc.QdiscOptions, error)
	// print prints the options (tc's print_qopt); nil prints none.
	print func(p *printer, e *env, q tc.Qdisc)
}

// qdiscKinds are the kinds ipr parses and prints, each in its file
// (tc_qdisc_KIND.go).
var qdiscKinds = [...]qdiscKind{
	{"pfifo", parseFIFO, printFIFO},
	{"bfifo", parseFIFO, printFIFO},
	{"pfifo_head_drop", parseFIFO, printFIFO},
	{"ingress", parseIngress, printIngress},
	{"clsact", parseIngress, nil},
	{"htb", parseHTB, printHTB},
	{"tbf", parseTBF, printTBF},
	{"fq_codel", parseFQCodel, printFQCodel},
	{"prio", parsePrio, printPrio},
	{"pfifo_fast", parseBare, printPrio},
	{"sfq", parseSFQ, printSFQ},
	{"netem", parseNetem, printNetem},
	{"codel", parseCodel, printCodel},
	{"pie", parsePIE, printPIE},
	{"fq_pie", parsePIE, printPIE},
	{"fq", parseFQ, printFQ},
	{"drr", parseBare, nil},
	{"qfq", parseBare, nil},
	{"hfsc", parseHFSC, printHFSC},
	{"ets", parseETS, printETS},
	{"multiq", parseMultiQ, printMultiQ},
	{"plug", parsePlug, nil},
	{"mqprio", parseMQPrio, printMQPrio},
	{"red", parseRED, printRED},
	{"choke", parseRED, printRED},
	{"cake", parseCake, printCake},
	{"mq", parseBare, nil},
	{"noqueue", parseBare, nil},
}

func lookupQdiscKind(name string) *qdiscKind {
	return lookupKind(qdiscKinds[:], name, func(k *qdiscKind) string { return k.name })
}

// parseBare parses a kind without options.
func parseBare(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	if a.more() {
		return nil, tcKindError("qdisc '%s' does not support option parsing", kind)
	}
	return &tc.Bare{Name: kind}, nil
}

// qdiscModify is tc_qdisc_modify: add, change, replace, link, delete.
func qdiscModify(e *env, a *args, mk func(tc.QdiscSpec) rtm.Request) error {
	s, dev, err := parseQdiscSpec(e, a)
	if err != nil {
		return err
	}
	return tcSend(e, dev, &s.Ifindex, func() rtm.Request { return mk(s) })
}

// tcSend ends tc_qdisc_modify and tc_class_modify: it sets *ifindex to
// dev's index, then sends the request req makes.
func tcSend(e *env, dev string, ifindex *int32, req func() rtm.Request) error {
	h, err := tcDevHandle(e, dev, ifindex)
	if err != nil {
		return err
	}
	return h.Do(e.ctx, req())
}

// lookupKind returns the kind of kinds named name (nameOf), nil if none.
func lookupKind[K any](kinds []K, name string, nameOf func(*K) string) *K {
	for i := range kinds {
		if nameOf(&kinds[i]) == name {
			return &kinds[i]
		}
	}
	return nil
}

// unknownKind is the options of a kind ipr does not know: its name
// alone, which the kernel may know; tc fails for options after it, which
// it could not parse.
func unknownKind(a *args, name string) (*tc.RawOptions, error) {
	if a.more() {
		return nil, tcKindError("Unknown qdisc %q, hence option %q is unparsable", name, a.peek())
	}
	return &tc.RawOptions{Name: name}, nil
}

// setRootArg reads "root" into *parent, which must not be set yet.
func setRootArg(parent *tc.Handle) error {
	if *parent != 0 {
		return usagef("\"root\" is duplicate parent ID")
	}
	*parent = tc.HandleRoot
	return nil
}

// setParentArg reads "parent CLASSID" into *parent, which must not be set
// yet.
func setParentArg(a *args, w string, parent *tc.Handle) error {
	if *parent != 0 {
		return usagef("duplicate \"parent\"")
	}
	var err error
	*parent, err = tcHandleArg(a, "parent", w)
	return err
}

// tcSpecEnd checks the end of the command line of a qdisc or class
// (object): every word read, and a device.
func tcSpecEnd(a *args, dev, object string) error {
	if a.more() {
		return usagef("Garbage instead of arguments %q. Try \"ipr %s help\".", a.peek(), object)
	}
	if dev == "" {
		return usagef("Must specify \"dev\"")
	}
	return nil
}

// parseQdiscSpec reads a qdisc's command line: its specification but for
// the device's index, and the device's name.
func parseQdiscSpec(e *env, a *args) (tc.QdiscSpec, string, error) {
	var (
		s   tc.QdiscSpec
		dev string
		err error
	)
	for a.more() && s.Options == nil {
		switch w := a.advance(); {
		case w == "dev":
			// tc's NEXT_ARG comes before its duparg check.
			var v string
			if v, err = a.value(w); err == nil && dev != "" {
				return s, "", usagef("duplicate \"dev\": %q is the second value.", v)
			}
			dev = v
		case w == "handle":
			if s.Handle != 0 {
				return s, "", usagef("duplicate \"handle\"")
			}
			s.Handle, err = tcQdiscHandleArg(a, "qdisc", w)
		case w == "root":
			err = setRootArg(&s.Parent)
		case w == "ingress" || w == "clsact":
			if s.Parent != 0 {
				return s, "", usagef("%q is a duplicate parent ID", w)
			}
			s.Parent, s.Handle = tc.HandleIngress, tc.HandleIngressQdisc
			s.Options, err = lookupQdiscKind(w).parse(e, a, w)
		case w == "parent":
			err = setParentArg(a, w, &s.Parent)
		case matches(w, "estimator"):
			s.Estimator, err = parseEstimator(a)
		case matches(w, "ingress_block"), matches(w, "egress_block"):
			v, verr := a.uint32Value(w)
			if verr != nil || v == 0 {
				return s, "", invarg("invalid "+strings.Split(w, "_")[0]+" block index value", a.list[a.i-1])
			}
			if matches(w, "ingress_block") {
				s.IngressBlock = v
			} else {
				s.EgressBlock = v
			}
		case matches(w, "stab"):
			s.Stab, err = parseStab(a)
		default:
			if k := lookupQdiscKind(w); k != nil {
				s.Options, err = k.parse(e, a, w)
			} else {
				s.Options, err = unknownKind(a, w)
			}
		}
		if err != nil {
			return s, "", err
		}
	}
	return s, dev, tcSpecEnd(a, dev, "qdisc")
}

// parseEstimator reads "estimator INTERVAL TIME_CONSTANT".
func parseEstimator(a *args) (*tc.Estimator, error) {
	iv, err := a.value("estimator")
	if err != nil {
		return nil, err
	}
	tcv, err := a.value("estimator")
	if err != nil {
		return nil, err
	}
	i, err1 := tc.ParseTime(iv)
	t, err2 := tc.ParseTime(tcv)
	if err1 != nil || err2 != nil {
		return nil, usagef("estimator: bad time %q %q", iv, tcv)
	}
	est, err := tc.NewEstimator(i, t)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return &est, nil
}

// qdiscShow is tc_qdisc_list.
func qdiscShow(e *env, a *args) error {
	var (
		f   tc.QdiscFilter
		dev string
		err error
	)
	for a.more() {
		switch w := a.advance(); {
		case w == "dev":
			dev, err = a.value(w)
		case w == "root":
			f.Parent = tc.HandleRoot
		case w == "ingress" || w == "clsact":
			f.Parent = tc.HandleIngress
		case matches(w, "parent"):
			f.Parent, err = tcHandleArg(a, "parent", w)
		case matches(w, "handle"):
			f.Handle, err = tcQdiscHandleArg(a, "handle", w)
		case w == "invisible":
			f.Invisible = true
		default:
			return &cliError{code: exitUsage, msg: fmt.Sprintf("What is %q? Try \"ipr qdisc help\".", w)}
		}
		if err != nil {
			return err
		}
	}
	h, err := tcDevHandle(e, dev, &f.Ifindex)
	if err != nil {
		return err
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	return printTCList(e, tc.Qdiscs(e.ctx, h, &f), func(p *printer, q tc.Qdisc) {
		printQdisc(p, e, q, names, f.Ifindex == 0)
	})
}

// printQdisc is tc's print_qdisc.
func printQdisc(p *printer, e *env, q tc.Qdisc, names *linkNames, withDev bool) {
	p.openObject("")
	kind := q.Kind()
	p.str("kind", "qdisc %s", kind)
	p.str("handle", " %s", fmt.Sprintf("%x:", q.Handle().Major()))
	p.textString(" ")
	if withDev {
		tcDevName(p, names, q.Ifindex())
	}
	switch parent := q.Parent(); {
	case parent == tc.HandleRoot:
		p.boolean("root", "root ", true)
	case parent != 0:
		p.str("parent", "parent %s ", parent.String())
	}
	if q.Info() != 1 {
		p.uint("refcnt", "refcnt %d ", uint64(q.Info()))
	}
	if q.HWOffload() {
		p.boolean("offloaded", "offloaded ", true)
	}
	if b, ok := q.IngressBlock(); ok && b != 0 {
		p.uint("ingress_block", "ingress_block %d ", uint64(b))
	}
	if b, ok := q.EgressBlock(); ok && b != 0 {
		p.uint("egress_block", "egress_block %d ", uint64(b))
	}
	p.openObject("options")
	if q.HasOptions() || kind == "ingress" {
		if k := lookupQdiscKind(kind); k != nil && k.print != nil {
			k.print(p, e, q)
		}
	}
	p.closeObject()
	p.nl()
	if e.Details {
		printStab(p, q.Object)
	}
	if e.Stats.level > 0 {
		if _, ok := q.Stats(); ok {
			printTCStats(p, q.Object)
			p.nl()
		}
		printQdiscXStats(p, kind, q.XStats())
	}
	p.closeObject()
}
