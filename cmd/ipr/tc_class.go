package main

// ipr class: tc class's commands and output. tc 6.1 prints classes with
// printf even with -j; ipr's -j output is JSON, with the keys tc uses
// elsewhere.

import (
	"fmt"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

const classUsage = `[ add | del | change | replace | show ] dev STRING
       [ classid CLASSID ] [ root | parent CLASSID ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]
       ipr class show [ dev STRING ] [ root | parent CLASSID ] [ classid CLASSID ]
Where:
QDISC_KIND := { htb | ... }
OPTIONS := ... try ipr class add <desired QDISC_KIND> help`

func runClass(e *env, argv []string) error {
	return runTC(e, argv, "class", classUsage, classShow,
		changeVerbs(classModify, tc.ClassAdd, tc.ClassChange, tc.ClassReplace, tc.ClassDel))
}

// classKind is a class kind's command-line parser and printers.
type classKind struct {
	name string
	// parse reads the kind's options as qdiscKind.parse does.
	parse  func(e *env, a *args, kind string) (tc.ClassOptions, error)
	print  func(p *printer, e *env, c tc.Class)
	xstats func(p *printer, x []byte)
}

var classKinds = [...]classKind{
	{"htb", parseHTBClass, printHTBClass, printHTBXStats},
	{"drr", parseDRRClass, printDRRClass, printDRRXStats},
	{"qfq", parseQFQClass, printQFQClass, nil},
	{"hfsc", parseHFSCClass, printHFSCClass, printHFSCXStats},
	{"ets", parseETSClass, printETSClass, nil},
}

func lookupClassKind(name string) *classKind {
	return lookupKind(classKinds[:], name, func(k *classKind) string { return k.name })
}

// classModify is tc_class_modify.
func classModify(e *env, a *args, mk func(tc.ClassSpec) rtm.Request) error {
	s, dev, err := parseClassSpec(e, a)
	if err != nil {
		return err
	}
	return tcSend(e, dev, &s.Ifindex, func() rtm.Request { return mk(s) })
}

// parseClassSpec reads a class's command line: its specification but for
// the device's index, and the device's name.
func parseClassSpec(e *env, a *args) (tc.ClassSpec, string, error) {
	var (
		s   tc.ClassSpec
		dev string
		err error
	)
	for a.more() && s.Options == nil {
		switch w := a.advance(); {
		case w == "dev":
			dev, err = a.value(w)
		case w == "classid":
			s.Handle, err = tcHandleArg(a, "class", w)
		case w == "handle":
			// tc refuses it by name too.
			return s, "", &cliError{code: exitUsage, msg: `Error: try "classid" instead of "handle"`}
		case w == "root":
			err = setRootArg(&s.Parent)
		case w == "parent":
			err = setParentArg(a, w, &s.Parent)
		case matches(w, "estimator"):
			s.Estimator, err = parseEstimator(a)
		default:
			if k := lookupClassKind(w); k != nil {
				s.Options, err = k.parse(e, a, w)
			} else {
				s.Options, err = unknownKind(a, w)
			}
		}
		if err != nil {
			return s, "", err
		}
	}
	return s, dev, tcSpecEnd(a, dev, "class")
}

// classShow is tc_class_list.
func classShow(e *env, a *args) error {
	var (
		f     tc.ClassFilter
		dev   string
		qdisc tc.Handle
		err   error
	)
	for a.more() {
		switch w := a.advance(); {
		case w == "dev":
			dev, err = a.value(w)
		case w == "qdisc":
			qdisc, err = tcQdiscHandleArg(a, "qdisc", w)
		case w == "classid":
			f.Handle, err = tcHandleArg(a, "class", w)
		case w == "root":
			f.Parent = tc.HandleRoot
		case matches(w, "parent"):
			f.Parent, err = tcHandleArg(a, "parent", w)
		default:
			return &cliError{code: exitUsage, msg: fmt.Sprintf("What is %q? Try \"ipr class help\".", w)}
		}
		if err != nil {
			return err
		}
	}
	if dev == "" {
		return nil // tc lists nothing without a device, and succeeds
	}
	if e.JSON {
		// tc 6.1's class listing never opens its JSON writer: with -j
		// it prints the text listing, and so does ipr, as a drop-in.
		text := *e
		text.JSON = false
		e = &text
	}
	h, err := tcDevHandle(e, dev, &f.Ifindex)
	if err != nil {
		return err
	}
	return printTCList(e, tc.Classes(e.ctx, h, f), func(p *printer, c tc.Class) {
		if qdisc == 0 || c.Handle().Major() == qdisc.Major() {
			printClass(p, e, c, qdisc != 0)
		}
	})
}

// printClass is tc's print_class, for one device.
func printClass(p *printer, e *env, c tc.Class, minorOnly bool) {
	p.openObject("")
	kind := c.Kind()
	handle, parent := c.Handle(), c.Parent()
	if minorOnly {
		handle, parent = tc.Handle(handle.Minor()), tc.Handle(parent.Minor())
	}
	p.str("class", "class %s ", kind)
	hs := ""
	if handle != 0 {
		hs = handle.String()
	}
	p.str("handle", "%s ", hs)
	if c.Parent() == tc.HandleRoot {
		p.boolean("root", "root ", true)
	} else {
		p.str("parent", "parent %s ", parent.String())
	}
	if c.Info() != 0 {
		p.str("leaf", "leaf %s ", fmt.Sprintf("%x:", c.Info()>>16))
	}
	k := lookupClassKind(kind)
	if c.HasOptions() {
		p.openObject("options")
		if k != nil && k.print != nil {
			k.print(p, e, c)
		}
		p.closeObject()
	}
	p.textString("\n")
	if e.Stats.level > 0 {
		if _, ok := c.Stats(); ok {
			printTCStats(p, c.Object)
			p.textString("\n")
		}
		if x := c.XStats(); x != nil && k != nil && k.xstats != nil {
			k.xstats(p, x)
			p.textString("\n")
		}
	}
	p.closeObject()
}

// printHTBXStats prints struct tc_htb_xstats as tc does.
func printHTBXStats(p *printer, x []byte) {
	if len(x) < 20 {
		return
	}
	p.uint("lended", " lended: %d ", uint64(le32(x)))
	p.uint("borrowed", "borrowed: %d ", uint64(le32(x[4:])))
	p.uint("giants", "giants: %d", uint64(le32(x[8:])))
	p.nl()
	p.int("tokens", " tokens: %d ", int64(int32(le32(x[12:]))))
	p.int("ctokens", "ctokens: %d", int64(int32(le32(x[16:]))))
	p.nl()
}
