package main

// "ipr filter" and "ipr action": tc's filter and action commands, their
// command lines read as tc_filter.c and m_action.c read them.

import (
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// Parents tc names by keyword.
const (
	tcRoot       = tc.Handle(0xffffffff)
	tcMinIngress = tc.Handle(0xfffffff2)
	tcMinEgress  = tc.Handle(0xfffffff3)
)

// filterCmd is a parsed filter command line: the specification, and what
// the command needs besides (the device's name for messages).
type filterCmd struct {
	spec tc.FilterSpec
	dev  string
	kind string
}

// parseFilterCmd reads "[dev DEV | block N] [root | ingress | egress |
// parent H] [handle H] [prio N] [protocol P] [chain N] [KIND [OPTIONS]]"
// as tc_filter_modify does.
func parseFilterCmd(a *tcArgs) (*filterCmd, error) {
	c := &filterCmd{}
	s := &c.spec
	var handle string
	parentSet := false
	setParent := func(h tc.Handle, word string) error {
		if parentSet {
			return usagef("%q is duplicate parent ID", word)
		}
		s.Parent, parentSet = h, true
		return nil
	}
	for a.more() {
		word := a.advance()
		var err error
		switch {
		case word == "dev":
			var v string
			if v, err = a.value(word); err != nil {
				return nil, err
			}
			if c.dev != "" {
				return nil, duparg("dev", v)
			}
			c.dev = v
			if s.Block != 0 {
				return nil, usagef("dev and block are mutually exclusive")
			}
		case matches(word, "block"):
			n, err := a.number(word, 32)
			if err != nil || n == 0 {
				return nil, invarg("invalid block index value", word)
			}
			if c.dev != "" {
				return nil, usagef("dev and block are mutually exclusive")
			}
			s.Block = uint32(n)
		case word == "root":
			err = setParent(tcRoot, word)
		case word == "ingress":
			err = setParent(tcMinIngress, word)
		case word == "egress":
			err = setParent(tcMinEgress, word)
		case word == "parent":
			var h tc.Handle
			if h, err = checkedArg(&a.args, word, parseClassid, func(v string) error { return invarg("Invalid parent ID", v) }); err == nil {
				err = setParent(h, word)
			}
		case word == "handle":
			if handle, err = a.value(word); err != nil {
				return nil, err
			}
		case matches(word, "preference"), matches(word, "priority"):
			s.Priority, err = checkedArg(&a.args, word, func(v string) (uint16, error) {
				n, err := strconv.ParseUint(v, 0, 16)
				return uint16(n), err
			}, func(v string) error { return invarg("invalid priority value", v) })
		case matches(word, "protocol"):
			s.Protocol, err = checkedArg(&a.args, word, parseEthProto, func(v string) error { return invarg("invalid protocol", v) })
		case matches(word, "chain"):
			n, err := a.number(word, 32)
			if err != nil {
				return nil, invarg("invalid chain index value", word)
			}
			s.Chain = rtm.Some(uint32(n))
		case matches(word, "estimator"):
			if s.Estimator, err = parseEstimator(&a.args); err != nil {
				return nil, err
			}
		default:
			c.kind = word
			// tc_filter_modify looks the device up before it parses
			// the kind's options.
			if c.dev != "" {
				if s.Ifindex, err = a.resolve(c.dev); err != nil {
					return nil, err
				}
			}
			opts, known, err := parseFilterKind(a, word, s, handle)
			if !known && (word == "rsvp" || word == "tcindex") {
				return nil, usagef("filter kind %q is not implemented by ipr", word)
			}
			if !known {
				// A kind tc 6.1 has no module for: its parse_nofopt.
				return c, unknownFilterKind(a, s, word, handle)
			}
			if err != nil {
				return nil, kindParseError(err)
			}
			s.Options = opts
			return c, nil
		}
		if err != nil {
			return nil, err
		}
	}
	if c.dev != "" {
		var err error
		if s.Ifindex, err = a.resolve(c.dev); err != nil {
			return nil, err
		}
	}
	if handle != "" {
		return nil, &cliError{code: exitUsage, msg: `Must specify filter type when using "handle"`}
	}
	return c, nil
}

// actionsCmd is a parsed "actions add|replace|del|get|flush" line.
type actionsCmd struct {
	acts  []tc.Action
	refs  []tc.ActionRef
	flush string
}

// parseActionsCmd reads the actions of verb ("add", "replace", "change",
// "delete", "get", "flush"): settings to create, or kinds and indices to
// name.
func parseActionsCmd(a *tcArgs, verb string) (*actionsCmd, error) {
	c := &actionsCmd{}
	switch verb {
	case "add", "replace", "change":
		acts, err := a.parseActions()
		if err != nil {
			return nil, err
		}
		if a.more() {
			return nil, usagef("actions: unknown argument %q", a.peek())
		}
		c.acts = acts
		return c, nil
	}
	for a.more() {
		if word := a.advance(); word != "action" {
			return nil, usagef("actions: unknown argument %q", word)
		}
		kind, err := a.value("action")
		if err != nil {
			return nil, err
		}
		if verb == "flush" {
			c.flush = kind
			continue
		}
		ref := tc.ActionRef{Kind: kind}
		if a.more() && matches(a.peek(), "index") {
			a.advance()
			if ref.Index, err = a.decimal("index"); err != nil {
				return nil, err
			}
		}
		c.refs = append(c.refs, ref)
	}
	if c.flush == "" && len(c.refs) == 0 {
		return nil, usagef("actions %s: no action named", verb)
	}
	return c, nil
}

// kindParseError gives a classifier's command-line mistake tc's exit
// status: tc_filter_modify returns 1 when the kind's parser fails.
func kindParseError(err error) error {
	if ue, ok := err.(*usageError); ok {
		return &cliError{code: exitFailure, msg: "Error: " + ue.msg}
	}
	return err
}

// unknownFilterKind is tc's parse_nofopt, for a kind tc has no module
// for: nothing may follow it, the handle is hexadecimal, and the kind
// alone is sent, for the kernel to refuse or take.
func unknownFilterKind(a *tcArgs, s *tc.FilterSpec, kind, handle string) error {
	if a.more() {
		return tcKindError("Unknown filter %q, hence option %q is unparsable", kind, a.peek())
	}
	if handle != "" {
		v, err := strconv.ParseUint(handle, 16, 32)
		if err != nil {
			return tcKindError("Unparsable filter ID %q", handle)
		}
		s.Handle = uint32(v)
	}
	s.Options = &tc.RawFilter{Name: kind}
	return nil
}
