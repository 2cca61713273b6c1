package main

// The commands of "ipr filter" and "ipr actions", as tc_filter.c's
// do_filter and m_action.c's do_action.

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

const filterUsage = `[ add | del | change | replace | show ] [ dev STRING ]
       ipr filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]
       ipr filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ root | ingress | egress | parent CLASSID ]
       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]
       ipr filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]
Where:
FILTER_TYPE := { u32 | bpf | flower | matchall | fw | route | cgroup | flow | basic }`

const actionUsage = `[ add | change | replace ] ACTION-SPEC [ ACTION-SPEC ... ]
       ipr actions [ delete | get ] action KIND index INDEX
       ipr actions [ list | show | flush ] action KIND
Where:
ACTION-SPEC := action KIND [ OPTIONS ] [ CONTROL ] [ index INDEX ] [ cookie HEX ]`

// runFilter runs tc filter's commands, in the order of its matches().
func runFilter(e *env, argv []string) error {
	return runTC(e, argv, "filter", filterUsage, filterShow,
		changeVerbs(filterModify, tc.FilterAdd, tc.FilterChange, tc.FilterReplace, tc.FilterDel,
			tcVerb{name: "get", run: filterGet}))
}

// runAction runs tc actions' commands; "change" replaces, as tc's does.
func runAction(e *env, argv []string) error {
	return runTC(e, argv, "actions", actionUsage, actionShow,
		changeVerbs(actionModify, "add", "replace", "replace", "del",
			tcVerb{name: "get", run: actionGet},
			tcVerb{name: "flush", run: func(e *env, a *args) error { return actionModify(e, a, "flush") }}))
}

// tcArgsOf wraps a command line for the tc parsers, resolving device
// names in e's namespace.
func tcArgsOf(e *env, a *args) (*tcArgs, *rtm.Handle, error) {
	h, err := e.handle()
	if err != nil {
		return nil, nil, err
	}
	return &tcArgs{args: *a, resolve: func(name string) (int32, error) { return tcDevIndex(e, h, name) }}, h, nil
}

// filterCmdOf parses a filter command line, its device resolved.
func filterCmdOf(e *env, a *args) (*filterCmd, *rtm.Handle, error) {
	ta, h, err := tcArgsOf(e, a)
	if err != nil {
		return nil, nil, err
	}
	c, err := parseFilterCmd(ta)
	if err != nil {
		return nil, nil, err
	}
	return c, h, nil
}

// filterModify is tc_filter_modify.
func filterModify(e *env, a *args, mk func(tc.FilterSpec) rtm.Request) error {
	c, h, err := filterCmdOf(e, a)
	if err != nil {
		return err
	}
	return talkRefused(h.Do(e.ctx, mk(c.spec)))
}

// filterGet is tc_filter_get: the filter, printed.
func filterGet(e *env, a *args) error {
	c, h, err := filterCmdOf(e, a)
	if err != nil {
		return err
	}
	f, err := tc.FilterGet(e.ctx, h, c.spec)
	if err != nil {
		return talkRefused(err)
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	p := e.newPrinter()
	// tc's get leaves out the device it was given, not the parent.
	printFilter(p, e, f, names, &filterShown{ifindex: c.spec.Ifindex})
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	return e.output(p)
}

// filterShow is tc_filter_list.
func filterShow(e *env, a *args) error {
	f, shown, h, err := parseFilterList(e, a)
	if err != nil {
		return err
	}
	dump := tc.Filters(e.ctx, h, f)
	if f.Ifindex == 0 && f.Block == 0 {
		// The kernel dumps nothing for no device: tc prints an empty list.
		dump = func(func(tc.Filter, error) bool) {}
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	return printTCList(e, dump, func(p *printer, flt tc.Filter) { printFilter(p, e, flt, names, &shown) })
}

// parseFilterList reads the selectors of tc_filter_list ("dev DEV",
// "ingress", "prio N", ...), for filters and chains alike, and resolves
// the device: what to dump, and what the listing then leaves out.
func parseFilterList(e *env, a *args) (tc.FilterFilter, filterShown, *rtm.Handle, error) {
	var (
		f     tc.FilterFilter
		shown filterShown
		dev   string
		err   error
	)
	for a.more() {
		switch w := a.advance(); {
		case w == "dev":
			dev, err = a.value(w)
		case matches(w, "block"):
			var v uint32
			if v, err = a.uint32Value(w); err == nil {
				f.Block, shown.block = v, v
			}
		case w == "root":
			f.Parent = tcRoot
		case w == "ingress":
			f.Parent = tcMinIngress
		case w == "egress":
			f.Parent = tcMinEgress
		case w == "parent":
			f.Parent, err = tcHandleArg(a, "parent", w)
		case w == "handle":
			_, err = a.value(w)
		case matches(w, "preference"), matches(w, "priority"):
			var v uint32
			v, err = a.uint32Value(w)
			if err == nil && v > 0xffff {
				return f, shown, nil, invarg("invalid preference", strconv.Itoa(int(v)))
			}
			f.Priority = uint16(v)
		case matches(w, "protocol"):
			var v string
			if v, err = a.value(w); err == nil {
				f.Protocol, err = parseEthProto(v)
			}
		case matches(w, "chain"):
			var v uint32
			if v, err = a.uint32Value(w); err == nil {
				f.Chain = rtm.Some(v)
				shown.chain, shown.chainSet = v, true
			}
		default:
			return f, shown, nil, &cliError{code: exitUsage, msg: fmt.Sprintf("What is %q? Try \"ipr filter help\"", w)}
		}
		if err != nil {
			return f, shown, nil, err
		}
	}
	shown.parent, shown.protocol, shown.prio = f.Parent, f.Protocol, f.Priority
	h, err := tcDevHandle(e, dev, &f.Ifindex)
	if err != nil {
		return f, shown, nil, err
	}
	shown.ifindex = f.Ifindex
	return f, shown, h, nil
}

// actionModify is tc_action_modify and tc_action_gd for changes.
func actionModify(e *env, a *args, verb string) error {
	ta, h, err := tcArgsOf(e, a)
	if err != nil {
		return err
	}
	first := nextWord(a)
	c, err := parseActionsCmd(ta, verb)
	if err != nil {
		return err
	}
	switch verb {
	case "add":
		err = h.Do(e.ctx, tc.ActionAdd(c.acts...))
	case "replace":
		err = h.Do(e.ctx, tc.ActionReplace(c.acts...))
	case "del":
		return actionRefused(h.Do(e.ctx, tc.ActionDel(c.refs...)), first)
	case "flush":
		return refused(h.Do(e.ctx, tc.ActionFlush(c.flush)), exitFailure, "We have an error flushing")
	}
	// tc_action_modify's refusal ends do_action with -1.
	return refused(err, exitUsage, talkError)
}

// talkError is what tc prints after the kernel refuses a filter, chain
// or action request.
const talkError = "We have an error talking to the kernel"

// talkRefused is a refused filter or chain request as tc reports it:
// the kernel's message, talkError, and exit status 2.
func talkRefused(err error) error { return refused(err, exitKernel, talkError) }

// nextWord is the word a is at, or "" at the end.
func nextWord(a *args) string {
	if a.more() {
		return a.peek()
	}
	return ""
}

// actionRefused is a refused "actions get" or "delete" as tc 6.1
// reports it: tc_action_gd returns without taking its words, so do_action
// reads the first of them (first) as a command, and fails on it.
func actionRefused(err error, first string) error {
	return refused(err, exitUsage, fmt.Sprintf("%s\nCommand %q is unknown, try \"ipr actions help\".", talkError, first))
}

// actionGet is tc_action_gd for "get": the action, printed.
func actionGet(e *env, a *args) error {
	ta, h, err := tcArgsOf(e, a)
	if err != nil {
		return err
	}
	first := nextWord(a)
	c, err := parseActionsCmd(ta, "get")
	if err != nil {
		return err
	}
	if len(c.refs) != 1 {
		return usagef("actions get: name one action")
	}
	b, err := tc.StandaloneActionBatch(e.ctx, h, c.refs[0].Kind, c.refs[0].Index)
	if err != nil {
		return actionRefused(err, first)
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	p := e.newPrinter()
	printStandaloneActions(p, e, names, int(b.Count), b.Actions())
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	return e.output(p)
}

// actionShow is tc_act_list_or_flush for "list".
func actionShow(e *env, a *args) error {
	if !a.more() || a.advance() != "action" || !a.more() {
		return usageText("Usage: ipr actions " + actionUsage + "\n")
	}
	kind := a.advance()
	h, err := e.handle()
	if err != nil {
		return err
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	return printTCList(e, tc.StandaloneActionBatches(e.ctx, h, kind), func(p *printer, b tc.ActionBatch) {
		printStandaloneActions(p, e, names, int(b.Count), b.Actions())
	})
}
