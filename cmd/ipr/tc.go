package main

// What the tc objects (qdisc, class; filter and action in their own
// files) share: their command dispatch with tc's matching, the device and
// handle arguments, and the printing of the header, statistics and
// options that every tc object has. Their output is tc 6.1's.

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// tcVerb is a command of a tc object, matched as tc matches it (a prefix
// for most).
type tcVerb struct {
	name  string
	exact bool
	run   func(e *env, a *args) error
}

// runTC dispatches a tc object's command line: show runs "list", "show",
// "lst" and no command at all, verbs the others, matched first.
func runTC(e *env, argv []string, help, usage string, show func(e *env, a *args) error, verbs []tcVerb) error {
	a := &args{list: argv}
	if !a.more() {
		return show(e, a)
	}
	w := a.advance()
	if matches(w, "help") {
		return usageText("Usage: ipr " + help + " " + usage + "\n")
	}
	for _, v := range verbs {
		if v.name == w || !v.exact && matches(w, v.name) {
			return v.run(e, a)
		}
	}
	for _, name := range [...]string{"list", "show", "lst"} {
		if matches(w, name) {
			return show(e, a)
		}
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr %s help\".", w, help)}
}

// changeVerbs are the add, change, replace and delete commands of a tc
// object, each running modify with its request (or verb), then more.
func changeVerbs[M any](modify func(e *env, a *args, mk M) error, add, change, replace, del M, more ...tcVerb) []tcVerb {
	verbs := make([]tcVerb, 0, 4+len(more))
	for i, mk := range [...]M{add, change, replace, del} {
		verbs = append(verbs, tcVerb{name: changeNames[i], run: func(e *env, a *args) error { return modify(e, a, mk) }})
	}
	return append(verbs, more...)
}

// changeNames are the commands changeVerbs makes, in its order.
var changeNames = [...]string{"add", "change", "replace", "delete"}

// tcDevIndex returns the index of device name, with tc's error for a
// missing one (ip's too: linkByName).
func tcDevIndex(e *env, h *rtm.Handle, name string) (int32, error) {
	l, err := linkByName(e.ctx, h, name)
	if err != nil {
		return 0, err
	}
	return l.Index(), nil
}

// tcDevHandle returns e's handle, with the device dev, if named, resolved
// into *ifindex (tcDevIndex).
func tcDevHandle(e *env, dev string, ifindex *int32) (*rtm.Handle, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	if dev != "" {
		if *ifindex, err = tcDevIndex(e, h, dev); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// tcHandleArg reads a class id argument (tc's get_tc_classid).
func tcHandleArg(a *args, what, keyword string) (tc.Handle, error) {
	return checkedArg(a, keyword, tc.ParseHandle, func(v string) error { return invarg("invalid "+what+" ID", v) })
}

// tcQdiscHandleArg reads a qdisc handle argument (tc's
// get_qdisc_handle).
func tcQdiscHandleArg(a *args, what, keyword string) (tc.Handle, error) {
	return checkedArg(a, keyword, tc.ParseQdiscHandle, func(v string) error { return invarg("invalid "+what+" ID", v) })
}

// tcKindError is the failure of a kind's option parser: tc prints its
// message and exits with status 1.
func tcKindError(format string, args ...any) error {
	return &cliError{code: exitFailure, msg: fmt.Sprintf(format, args...)}
}

// printTCStats prints the statistics of a tc object as tc -s does
// (print_tcstats_attr), prefix " ".
func printTCStats(p *printer, o tc.Object) {
	s, ok := o.Stats()
	if !ok {
		return
	}
	printStatsValue(p, s, " ")
}

// printStatsValue is tc's print_tcstats2_attr with its prefix (" " for
// qdiscs and classes, "\t" for actions).
func printStatsValue(p *printer, s tc.Stats, prefix string) {
	if s.HasBasic {
		p.textString(prefix)
		p.uint("bytes", "Sent %d bytes", s.Bytes)
		p.uint("packets", " %d pkt", s.Packets)
	}
	if s.HasQueue {
		p.uint("drops", " (dropped %d", uint64(s.Drops))
		p.uint("overlimits", ", overlimits %d", uint64(s.Overlimits))
		p.uint("requeues", " requeues %d) ", uint64(s.Requeues))
	}
	if s.HasHW {
		p.textString("\n" + prefix)
		p.uint("bytes_hw", "Sent Hardware %d bytes", s.HWBytes)
		p.uint("packets_hw", " %d pkt", s.HWPackets)
	}
	if s.HasRateEst {
		p.textString("\n" + prefix)
		p.jsonUint("rate", s.BPS)
		p.text("rate %s", tc.Rate(s.BPS))
		p.uint("pps", " %dpps", s.PPS)
	}
	if s.HasQueue {
		if !s.HasRateEst {
			p.nl()
		}
		p.textString(prefix)
		tcSize(p, "backlog", "backlog %s", s.Backlog)
		p.uint("qlen", " %dp", uint64(s.QueueLen))
		p.text(" requeues %d", s.Requeues)
	}
}

// tcSize prints tc's print_size: a number in JSON, "32Kb" in text.
func tcSize(p *printer, key, format string, v uint32) {
	if p.json {
		p.uint(key, "", uint64(v))
		return
	}
	p.str(key, format, tc.Size(v).String())
}

// tcRate prints tc's print_rate: bytes per second in JSON, "1Mbit" in
// text.
func tcRate(p *printer, key, format string, v tc.Rate) {
	if p.json {
		p.uint(key, "", uint64(v))
		return
	}
	p.str(key, format, v.String())
}

// tcTime prints tc's time: microseconds in JSON (PRINT_JSON) and "5ms"
// in text (PRINT_FP).
func tcTime(p *printer, key, format string, v tc.Time) {
	p.jsonUint(key, uint64(v))
	p.text(format, v.String())
}

// tcDevName prints tc's print_devname.
func tcDevName(p *printer, names *linkNames, index int32) {
	p.textString("dev ")
	p.str("dev", "%s ", names.name(index))
}

// nlaGet returns the payload of attribute typ of a chain.
func nlaGet(chain []byte, typ uint16) ([]byte, bool) {
	a, ok := nla.Chain(chain).Get(typ)
	return a.Data, ok
}

// le32 reads a 32-bit number in host byte order.
func le32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }

func itoa(v int) string { return strconv.Itoa(v) }

// optionsAs returns the decoded options of a kind as its type, false if
// they did not decode.
func optionsAs[T tc.Options](o tc.Options, err error) (T, bool) {
	t, ok := o.(T)
	return t, ok && err == nil
}

// timeArg reads a time argument ("5ms").
func timeArg(a *args, w string) (tc.Time, error) {
	v, err := a.value(w)
	if err != nil {
		return 0, err
	}
	t, err := tc.ParseTime(v)
	if err != nil {
		return 0, tcKindError("Illegal %q", w)
	}
	return t, nil
}

// u32Arg reads an unsigned 32-bit argument as C's strtoul with base 0
// (tc's get_unsigned).
func u32Arg(a *args, w string) (uint32, error) { return htbU32(a, w, 0) }

// optU32Arg reads an unsigned argument into an Opt.
func optU32Arg(a *args, w string) (rtm.Opt[uint32], error) {
	v, err := u32Arg(a, w)
	return rtm.Some(v), err
}

// optTimeArg reads a time argument into an Opt.
func optTimeArg(a *args, w string) (rtm.Opt[tc.Time], error) {
	v, err := timeArg(a, w)
	return rtm.Some(v), err
}
