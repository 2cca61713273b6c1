package main

// "ipr chain": tc's chain command (do_chain in tc_filter.c), which reads
// its command lines as filter commands and prints chains as filters.

import (
	"iter"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

const chainUsage = `[ add | del | get | show ] [ dev STRING ]
       ipr chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]`

// chainVerbs are tc chain's commands but its listing.
var chainVerbs = [...]tcVerb{
	{name: "add", run: func(e *env, a *args) error { return chainModify(e, a, tc.ChainAdd) }},
	{name: "delete", run: func(e *env, a *args) error { return chainModify(e, a, tc.ChainDel) }},
	{name: "get", run: chainGet},
}

func runChain(e *env, argv []string) error {
	return runTC(e, argv, "chain", chainUsage, chainShow, chainVerbs[:])
}

// chainSpecOf is the chain a filter command line names (tc_filter_modify
// reads both alike): its kind and options are the chain's template.
func chainSpecOf(c *filterCmd, words []string) tc.ChainSpec {
	s := c.spec
	cs := tc.ChainSpec{Ifindex: s.Ifindex, Block: s.Block, Parent: s.Parent, Chain: s.Chain,
		Protocol: s.Protocol, Priority: s.Priority, Template: s.Options}
	if c.kind != "" && len(words) > 0 && words[len(words)-1] == c.kind {
		// A kind without options: tc sends the kind alone.
		cs.Template = &tc.RawFilter{Name: c.kind}
	}
	return cs
}

// chainCmdOf parses a chain command line and resolves its device.
func chainCmdOf(e *env, a *args) (tc.ChainSpec, *rtm.Handle, error) {
	c, h, err := filterCmdOf(e, a)
	if err != nil {
		return tc.ChainSpec{}, nil, err
	}
	return chainSpecOf(c, a.list), h, nil
}

// chainModify is tc_filter_modify for RTM_NEWCHAIN and RTM_DELCHAIN.
func chainModify(e *env, a *args, mk func(tc.ChainSpec) rtm.Request) error {
	s, h, err := chainCmdOf(e, a)
	if err != nil {
		return err
	}
	return talkRefused(h.Do(e.ctx, mk(s)))
}

// chainGet is tc_filter_get for RTM_GETCHAIN.
func chainGet(e *env, a *args) error {
	s, h, err := chainCmdOf(e, a)
	if err != nil {
		return err
	}
	if s.Ifindex == 0 && s.Block == 0 {
		return usagef("Must specify netdevice \"dev\" or block index \"block\"")
	}
	c, err := tc.ChainGet(e.ctx, h, s)
	if err != nil {
		return talkRefused(err)
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	one := func(yield func(tc.Chain, error) bool) { yield(c, nil) }
	return printTCList(e, one, func(p *printer, c tc.Chain) {
		printChain(p, e, c, names, &filterShown{ifindex: s.Ifindex, block: s.Block})
	})
}

// chainShow is tc_filter_list for RTM_GETCHAIN.
func chainShow(e *env, a *args) error {
	ff, shown, h, err := parseFilterList(e, a)
	if err != nil {
		return err
	}
	f := tc.ChainFilter{Ifindex: ff.Ifindex, Block: ff.Block, Parent: ff.Parent}
	dump := tc.Chains(e.ctx, h, f)
	if f.Ifindex == 0 && f.Block == 0 {
		// The kernel dumps nothing for no device: tc prints an empty list.
		dump = func(func(tc.Chain, error) bool) {}
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	return printTCList(e, dump, func(p *printer, c tc.Chain) { printChain(p, e, c, names, &shown) })
}

// printTCList prints the objects of a dump as tc lists them: a JSON
// array (-j), a line or more each otherwise; it prints what came before
// an error, then returns the error.
func printTCList[T any](e *env, dump iter.Seq2[T, error], each func(p *printer, v T)) error {
	p := e.newPrinter()
	p.openArray("")
	var derr error
	for v, err := range dump {
		if err != nil {
			derr = err
			break
		}
		each(p, v)
		p.flush()
	}
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	if err := e.output(p); err != nil {
		return err
	}
	return derr
}

// printChain is print_filter for a chain message: "chain", its block
// and index, and its template as a filter's kind and options.
func printChain(p *printer, e *env, c tc.Chain, names *linkNames, shown *filterShown) {
	shown.chains = true
	printFilter(p, e, tc.Filter{Object: c.Object}, names, shown)
}
