package main

// The command table: objects and their commands, looked up as iproute2
// looks them up.

import (
	"fmt"
	"strings"
)

// object is one top-level word of the command line, such as "link".
type object struct {
	name string
	// help names the object in "try \"ipr NAME help\"", as ip's message
	// for it does ("address", "neigh").
	help  string
	usage string
	// verbs are the object's commands in the order of iproute2's chain
	// of matches(); without a command an object lists, as its "show" or
	// "list" does. Nil for an object of ip that ipr does not implement.
	verbs []verb
	// run, when set, replaces verbs: the object reads its own command
	// line (calc, which is not ip's).
	run func(e *env, argv []string) error
	// check, when set, looks at the command line before the command is
	// looked up, as some of ip's do_* functions do ("ip netns" checks the
	// name).
	check func(e *env, argv []string) error
	// prog is the command the object belongs to, in messages: "ipr" when
	// empty, "bridge" for the bridge command's objects.
	prog string
}

// verb is one command of an object.
type verb struct {
	name string
	// exact makes the name an alias accepted only in full, as iproute2's
	// strcmp tests ("chg").
	exact bool
	// run is the command; nil for one of ip's commands that ipr does not
	// implement, and for "help".
	run func(e *env, a *args) error
	// stats says that the command does with -s what ip does: print
	// counters, or nothing different. Others refuse -s by name.
	stats bool
}

// objects is iproute2 6.1's cmds[] in ip.c, in its order, which decides
// abbreviations ("a" is address, "r" route, "n" neighbor, "l" link, "m"
// maddress), followed by ipr's own objects. The objects of ip that ipr
// does not implement are listed so that prefixes resolve as in ip and
// they fail by name.
var objects = [...]object{
	{name: "address", help: "address", usage: addrUsage, verbs: addrVerbs[:]},
	{name: "addrlabel", help: "addrlabel", usage: addrlabelUsage, verbs: addrlabelVerbs[:]},
	{name: "maddress", help: "maddr", usage: maddrUsage, verbs: maddrVerbs[:]},
	{name: "route", help: "route", usage: routeUsage, verbs: routeVerbs[:]},
	{name: "rule", help: "rule", usage: ruleUsage, verbs: ruleVerbs[:]},
	{name: "neighbor", help: "neigh", usage: neighUsage, verbs: neighVerbs[:]},
	{name: "neighbour", help: "neigh", usage: neighUsage, verbs: neighVerbs[:]},
	{name: "ntable", help: "ntable", usage: ntableUsage, verbs: ntableVerbs[:]},
	{name: "ntbl", help: "ntable", usage: ntableUsage, verbs: ntableVerbs[:]},
	{name: "link", help: "link", usage: linkUsage, verbs: linkVerbs[:]},
	{name: "l2tp", help: "l2tp", usage: l2tpUsage, run: runL2tp},
	{name: "fou", help: "fou", usage: fouUsage, run: runFou},
	{name: "ila", help: "ila", usage: ilaUsage, run: runILA},
	{name: "macsec", help: "macsec", usage: macsecUsage, run: runMACsec},
	{name: "tunnel"},
	{name: "tunl"},
	{name: "tuntap", help: "tuntap", usage: tuntapUsage, verbs: tuntapVerbs[:]},
	{name: "tap", help: "tuntap", usage: tuntapUsage, verbs: tuntapVerbs[:]},
	{name: "token", help: "token", usage: tokenUsage, verbs: tokenVerbs[:]},
	{name: "tcpmetrics", help: "tcp_metrics", run: runTCPMetrics},
	{name: "tcp_metrics", help: "tcp_metrics", run: runTCPMetrics},
	{name: "monitor", help: "monitor", usage: monitorUsage, run: func(e *env, argv []string) error {
		return monitorRun(e, &args{list: argv})
	}},
	{name: "xfrm", help: "xfrm", usage: xfrmUsage, run: runXfrm},
	{name: "mroute", help: "mroute", usage: mrouteUsage, verbs: mrouteVerbs[:]},
	{name: "mrule", help: "rule", usage: ruleUsage, verbs: ruleVerbs[:], check: mruleFamily},
	{name: "netns", help: "netns", usage: netnsUsage, verbs: netnsVerbs[:], check: netnsCheck},
	{name: "netconf", help: "netconf", usage: netconfUsage, verbs: netconfVerbs[:]},
	{name: "vrf", help: "vrf", usage: vrfUsage, verbs: vrfVerbs[:]},
	{name: "sr", help: "sr", usage: srUsage, run: runSR},
	{name: "nexthop", help: "nexthop", usage: nexthopUsage, verbs: nexthopVerbs[:]},
	{name: "mptcp", help: "mptcp", run: runMptcp},
	{name: "ioam", help: "ioam", usage: ioamUsage, run: runIOAM},
	{name: "help"},
	{name: "stats", help: "stats", run: statsObject},
	// ipr's own.
	{name: "calc", help: "calc", usage: calcUsage, run: runCalc},
	{name: "genl", help: "genl", usage: genlUsage, run: runGenl},
	// tc's objects, with tc's syntax and output.
	{name: "qdisc", help: "qdisc", usage: qdiscUsage, run: runQdisc},
	{name: "class", help: "class", usage: classUsage, run: runClass},
	{name: "filter", help: "filter", usage: filterUsage, run: runFilter},
	{name: "actions", help: "actions", usage: actionUsage, run: runAction},
	{name: "chain", help: "chain", usage: chainUsage, run: runChain},
	{name: "bridge", run: func(e *env, argv []string) error { return errExit(runBridge(e, argv)) }},
}

// lookupObject is ip.c's do_cmd: the first object, in table order, that
// word abbreviates.
func lookupObject(word string) (*object, bool) {
	for i := range objects {
		if matches(word, objects[i].name) {
			return &objects[i], true
		}
	}
	return nil, false
}

// doCmd runs one command: OBJECT [COMMAND [ARGS...]].
func doCmd(e *env, argv []string) error {
	o, ok := lookupObject(argv[0])
	if !ok {
		return &cliError{code: exitFailure, msg: fmt.Sprintf("Object %q is unknown, try \"ipr help\".", argv[0])}
	}
	return o.dispatch(e, argv)
}

// dispatch runs the object's command of argv[1:].
func (o *object) dispatch(e *env, argv []string) error {
	switch {
	case o.name == "help":
		return errMainUsage
	case o.run != nil:
		return o.run(e, argv[1:])
	case o.verbs == nil:
		return notImplemented(`"ip ` + o.name + `"`)
	}
	if o.check != nil {
		if err := o.check(e, argv[1:]); err != nil {
			return err
		}
	}
	a := &args{list: argv[1:]}
	if !a.more() {
		for _, v := range o.verbs {
			if v.name == "show" || v.name == "list" {
				return o.runVerb(e, v, a)
			}
		}
	}
	w := a.advance()
	for _, v := range o.verbs {
		if v.name == w || !v.exact && matches(w, v.name) {
			return o.runVerb(e, v, a)
		}
	}
	prog := o.prog
	if prog == "" {
		prog = "ipr"
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"%s %s help\".", w, prog, o.help)}
}

// runVerb runs one of the object's commands, or says why it does not.
func (o *object) runVerb(e *env, v verb, a *args) error {
	switch {
	case v.name == "help":
		return o.usageError()
	case v.run == nil:
		return notImplemented(`"ip ` + o.help + " " + v.name + `"`)
	case e.Stats.level > 0 && !v.stats:
		return notImplemented(`option -stats with "ip ` + o.help + " " + v.name + `"`)
	}
	return v.run(e, a)
}

// usageError is the object's usage text, as "ip OBJECT help" prints it.
func (o *object) usageError() error {
	if strings.HasPrefix(o.usage, "Usage:") {
		return usageText(o.usage)
	}
	return usageText("Usage: ipr " + o.help + " " + o.usage + "\n")
}

// mainUsage is "ipr help", in the form of ip's.
const mainUsage = `Usage: ipr [ OPTIONS ] OBJECT { COMMAND | help }
       ipr [ -force ] -batch filename
where  OBJECT := { address | addrlabel | help | link | maddress | monitor | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable | ntbl |
                   route | rule | stats | tap | tcp_metrics | tcpmetrics | token | tuntap |
                   mptcp | sr | vrf | calc | genl | qdisc | class | filter | chain | actions | bridge }
       OPTIONS := { -V[ersion] | -d[etails] | -j[son] | -o[neline] | -br[ief] |
                    -s[tatistics] (link and address) | -h[uman-readable] | -iec |
                    -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 | -b[atch] [filename] | -force |
                    -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor] | -r[esolve] | -echo | -t[imestamp] | -ts[hort] }
Also accepted, as ip accepts them, but not implemented yet (they fail by name):
       -s[tatistics] elsewhere and with -d
Accepted and without effect on what ipr does:
       -l[oops] N | -rc[vbuf] SIZE
"ipr bridge [ OPTIONS ] OBJECT ..." (or ipr run as "bridge") is bridge(8).
`

// The objects' commands, in the order of iproute2 6.1's do_* functions.
var (
	addrVerbs = [...]verb{
		{name: "add", stats: true, run: func(e *env, a *args) error { return addrModify(e, a, addrAdd) }},
		{name: "change", stats: true, run: func(e *env, a *args) error { return addrModify(e, a, addrChange) }},
		{name: "chg", stats: true, exact: true, run: func(e *env, a *args) error { return addrModify(e, a, addrChange) }},
		{name: "replace", stats: true, run: func(e *env, a *args) error { return addrModify(e, a, addrReplace) }},
		{name: "delete", stats: true, run: func(e *env, a *args) error { return addrModify(e, a, addrDelete) }},
		{name: "list", stats: true, run: addrShow},
		{name: "show", stats: true, run: addrShow},
		{name: "lst", stats: true, run: addrShow},
		{name: "flush", stats: true, run: addrFlush},
		{name: "save", stats: true, run: addrSave},
		{name: "showdump", stats: true, run: addrShowDump},
		{name: "restore", stats: true, run: func(e *env, _ *args) error { return addrDump.restoreAll(e) }},
		{name: "help"},
	}
	linkVerbs = [...]verb{
		{name: "add", stats: true, run: func(e *env, a *args) error { return linkChange(e, a, linkAdd) }},
		{name: "set", stats: true, run: func(e *env, a *args) error { return linkChange(e, a, linkSet) }},
		{name: "change", stats: true, run: func(e *env, a *args) error { return linkChange(e, a, linkSet) }},
		{name: "replace", stats: true, run: func(e *env, a *args) error { return linkChange(e, a, linkReplace) }},
		{name: "delete", stats: true, run: func(e *env, a *args) error { return linkChange(e, a, linkDelete) }},
		{name: "show", stats: true, run: linkShow},
		{name: "lst", stats: true, run: linkShow},
		{name: "list", stats: true, run: linkShow},
		{name: "xstats", stats: true, run: linkXstats},
		{name: "afstats", stats: true, run: linkAfstats},
		{name: "property", run: linkProperty},
		{name: "help"},
	}
	tokenVerbs = [...]verb{
		{name: "list", stats: true, run: func(e *env, a *args) error { return tokenCommand(e, a, "list") }},
		{name: "set", stats: true, run: func(e *env, a *args) error { return tokenCommand(e, a, "set") }},
		{name: "add", stats: true, run: func(e *env, a *args) error { return tokenCommand(e, a, "set") }},
		{name: "del", stats: true, run: func(e *env, a *args) error { return tokenCommand(e, a, "del") }},
		{name: "get", stats: true, run: func(e *env, a *args) error { return tokenCommand(e, a, "get") }},
		{name: "help"},
	}
	routeVerbs = [...]verb{
		{name: "add", stats: true, run: func(e *env, a *args) error { return routeModify(e, a, "add") }},
		{name: "change", stats: true, run: func(e *env, a *args) error { return routeModify(e, a, "change") }},
		{name: "chg", stats: true, exact: true, run: func(e *env, a *args) error { return routeModify(e, a, "change") }},
		{name: "replace", stats: true, run: func(e *env, a *args) error { return routeModify(e, a, "replace") }},
		{name: "prepend", stats: true, run: func(e *env, a *args) error { return routeModify(e, a, "prepend") }},
		{name: "append", stats: true, run: func(e *env, a *args) error { return routeModify(e, a, "append") }},
		{name: "test"},
		{name: "delete", stats: true, run: func(e *env, a *args) error { return routeModify(e, a, "delete") }},
		{name: "list", stats: true, run: func(e *env, a *args) error { return routeList(e, a, routeShow) }},
		{name: "show", stats: true, run: func(e *env, a *args) error { return routeList(e, a, routeShow) }},
		{name: "lst", stats: true, run: func(e *env, a *args) error { return routeList(e, a, routeShow) }},
		{name: "get", stats: true, run: routeGet},
		{name: "flush", stats: true, run: func(e *env, a *args) error { return routeList(e, a, routeFlush) }},
		{name: "save", run: func(e *env, a *args) error { return routeList(e, a, routeSave) }},
		{name: "restore", run: func(e *env, a *args) error {
			if a.more() {
				return usagef("restore takes no arguments")
			}
			return routeRestore(e)
		}},
		{name: "showdump", run: func(e *env, _ *args) error { return routeShowDump(e) }},
		{name: "help"},
	}
	ruleVerbs = [...]verb{
		{name: "list", stats: true, run: func(e *env, a *args) error { return ruleList(e, a, false) }},
		{name: "lst", stats: true, run: func(e *env, a *args) error { return ruleList(e, a, false) }},
		{name: "show", stats: true, run: func(e *env, a *args) error { return ruleList(e, a, false) }},
		{name: "save", run: ruleSave},
		{name: "restore", run: func(e *env, _ *args) error { return ruleDump.restoreAll(e) }},
		{name: "add", stats: true, run: func(e *env, a *args) error { return ruleModify(e, a, true) }},
		{name: "delete", stats: true, run: func(e *env, a *args) error { return ruleModify(e, a, false) }},
		{name: "flush", run: func(e *env, a *args) error { return ruleList(e, a, true) }},
		{name: "help"},
	}
	neighVerbs = [...]verb{
		{name: "add", stats: true, run: func(e *env, a *args) error { return neighModify(e, a, "add") }},
		{name: "change", stats: true, run: func(e *env, a *args) error { return neighModify(e, a, "change") }},
		{name: "chg", stats: true, exact: true, run: func(e *env, a *args) error { return neighModify(e, a, "change") }},
		{name: "replace", stats: true, run: func(e *env, a *args) error { return neighModify(e, a, "replace") }},
		{name: "delete", stats: true, run: func(e *env, a *args) error { return neighModify(e, a, "delete") }},
		{name: "get"},
		{name: "show", stats: true, run: func(e *env, a *args) error { return neighList(e, a, false) }},
		{name: "lst", stats: true, run: func(e *env, a *args) error { return neighList(e, a, false) }},
		{name: "list", stats: true, run: func(e *env, a *args) error { return neighList(e, a, false) }},
		{name: "flush", stats: true, run: func(e *env, a *args) error { return neighList(e, a, true) }},
		{name: "help"},
	}
	nexthopVerbs = [...]verb{
		{name: "add", stats: true, run: func(e *env, a *args) error { return nexthopModify(e, a, "add") }},
		{name: "replace", stats: true, run: func(e *env, a *args) error { return nexthopModify(e, a, "replace") }},
		{name: "delete", stats: true, run: func(e *env, a *args) error { return nexthopModify(e, a, "delete") }},
		{name: "list", stats: true, run: func(e *env, a *args) error { return nexthopList(e, a, false) }},
		{name: "show", stats: true, run: func(e *env, a *args) error { return nexthopList(e, a, false) }},
		{name: "lst", stats: true, run: func(e *env, a *args) error { return nexthopList(e, a, false) }},
		{name: "get", stats: true, run: func(e *env, a *args) error {
			if !a.more() || a.peek() != "id" {
				return usagef("get needs \"id ID\"")
			}
			return nexthopList(e, a, false)
		}},
		{name: "flush", run: func(e *env, a *args) error { return nexthopList(e, a, true) }},
		{name: "bucket", stats: true, run: nexthopBucket},
		{name: "help"},
	}
)
