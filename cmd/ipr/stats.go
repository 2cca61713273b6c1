package main

// ipr stats: iproute2 6.1's ipstats.c, with its groups (link, xstats and
// xstats_slave of bridges and bonds, offload, afstats) and "stats set".

import (
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// exitEINVAL is the status ip stats ends with when ipstats.c returns
// -EINVAL to main: a selection that names nothing, a stray word.
const exitEINVAL = int(unix.EINVAL)

// statsUsage is ipstats.c's do_help, which prints to standard error.
const statsUsage = `Usage: ip stats help
       ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ] ... ] ... ] ...
       ip stats set dev DEV l3_stats { on | off }
GROUP := { link | xstats | xstats_slave | offload | afstats }
xstats SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
xstats_slave SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
offload SUBGROUP := { cpu_hit | hw_stats_info | l3_stats }
afstats SUBGROUP := { mpls }
`

// statsLevels are the three levels of a selection.
var statsLevels = [3]string{"group", "subgroup", "suite"}

// How a statistics leaf is shown.
const (
	statsShowLink = iota
	statsShowCPUHit
	statsShowHWInfo
	statsShowL3
	statsShowXstats
	statsShowMPLS
)

// statsLeaf is one of ipstats.c's leaf descriptors: its path in the tree
// of groups, the way it is shown and what it asks the kernel for.
type statsLeaf struct {
	path  [3]string // group, subgroup, suite; "" below the leaf
	show  uint8     // statsShow*
	group uint16    // the xstats group (IFLA_STATS_LINK_XSTATS[_SLAVE])
	xtype uint16    // LINK_XSTATS_TYPE_BRIDGE or _BOND
	inner uint16    // the attribute of the suite in its nest
}

// statsLeaves are ipstats.c's leaves, in the order ip prints them: ip
// sorts the selected descriptors by their address in its binary, which
// for iproute2 6.1's ip is this order (afstats first, then link,
// offload from the last member, the bond and bridge suites).
var statsLeaves = [...]statsLeaf{
	{path: [3]string{"afstats", "mpls"}, show: statsShowMPLS},
	{path: [3]string{"link"}, show: statsShowLink},
	{path: [3]string{"offload", "l3_stats"}, show: statsShowL3},
	{path: [3]string{"offload", "hw_stats_info"}, show: statsShowHWInfo},
	{path: [3]string{"offload", "cpu_hit"}, show: statsShowCPUHit},
	{path: [3]string{"xstats_slave", "bond", "802.3ad"}, show: statsShowXstats, group: 3, xtype: 2, inner: 1},
	{path: [3]string{"xstats", "bond", "802.3ad"}, show: statsShowXstats, group: 2, xtype: 2, inner: 1},
	{path: [3]string{"xstats_slave", "bridge", "mcast"}, show: statsShowXstats, group: 3, xtype: 1, inner: 2},
	{path: [3]string{"xstats_slave", "bridge", "stp"}, show: statsShowXstats, group: 3, xtype: 1, inner: 4},
	{path: [3]string{"xstats", "bridge", "mcast"}, show: statsShowXstats, group: 2, xtype: 1, inner: 2},
	{path: [3]string{"xstats", "bridge", "stp"}, show: statsShowXstats, group: 2, xtype: 1, inner: 4},
}

// statsHWInfoLeaf is the offload hw_stats_info leaf, the one "ip
// monitor stats" prints.
const statsHWInfoLeaf = 3

// statsObject runs "ipr stats ...", ipstats.c's do_ipstats: "show"
// implies one -s (and -d one more).
func statsObject(e *env, argv []string) error {
	if len(argv) == 0 {
		return statsShow(e, &args{})
	}
	switch argv[0] {
	case "help":
		fmt.Fprint(e.Stderr, statsUsage)
		return nil
	case "show":
		e.Stats.level++
		if e.Details {
			e.Stats.level++
		}
		return statsShow(e, &args{list: argv[1:]})
	case "set":
		return statsSet(e, &args{list: argv[1:]})
	}
	return &cliError{code: exitFailure, msg: fmt.Sprintf("Command %q is unknown, try \"ip stats help\".", argv[0])}
}

// statsWhat is ipstats.c's answer to a word it does not know: the word,
// then the usage, and -EINVAL.
func statsWhat(e *env, w string) error {
	fmt.Fprintf(e.Stderr, "What is %q?\n", w)
	fmt.Fprint(e.Stderr, statsUsage)
	return errExit(exitEINVAL)
}

// statsDev parses "dev NAME" as ipstats.c does.
func statsDev(a *args, dev string) (string, error) {
	v, err := a.value("dev")
	if err != nil {
		return "", err
	}
	if dev != "" {
		return "", duparg2("dev", v)
	}
	if !validIfname(v) {
		return "", invarg(`"dev" not a valid ifname`, v)
	}
	return v, nil
}

// statsEnable adds to enabled (a bit per statsLeaves entry) the leaves
// under the selection sel, as ipstats_enable_check does, failing as it
// does on a selection that names nothing.
func statsEnable(sel statsSelection, enabled *uint32) error {
	for i := range sel.n {
		name := sel.names[i]
		found, leaf := false, false
		for _, l := range statsLeaves {
			if i > 0 && l.path[i] == "" && prefixEqual(l.path, sel.names, i) {
				leaf = true
			}
			if prefixEqual(l.path, sel.names, i+1) {
				found = true
			}
		}
		if leaf {
			return &cliError{code: exitEINVAL, msg: fmt.Sprintf("Error: %s %s requested inside leaf %s %s",
				statsLevels[i], name, statsLevels[i-1], sel.names[i-1])}
		}
		if !found {
			parent := "top-level"
			if i > 0 {
				parent = sel.names[i-1]
			}
			return &cliError{code: exitEINVAL, msg: fmt.Sprintf("Error: no %s named %s found inside %s",
				statsLevels[i], name, parent)}
		}
	}
	for i, l := range statsLeaves {
		if prefixEqual(l.path, sel.names, sel.n) {
			*enabled |= 1 << i
		}
	}
	return nil
}

// prefixEqual reports whether the first n names of a and b are equal.
// statsSelection is a group, subgroup and suite, the first n of them
// given (any of them may be given as "", which names nothing).
type statsSelection struct {
	names [3]string
	n     int
}

func prefixEqual(a, b [3]string, n int) bool {
	for i := range n {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// statsShow is ipstats_show.
func statsShow(e *env, a *args) error {
	var dev string
	var sel statsSelection
	var enabled uint32
	for a.more() {
		w := a.advance()
		switch w {
		case "dev":
			v, err := statsDev(a, dev)
			if err != nil {
				return err
			}
			dev = v
			continue
		case "help":
			fmt.Fprint(e.Stderr, statsUsage)
			return nil
		}
		level := -1
		for i, l := range statsLevels {
			if w == l {
				level = i
			}
		}
		if level < 0 {
			return statsWhat(e, w)
		}
		v, err := a.value(w)
		if err != nil {
			return err
		}
		for i := range level {
			if i >= sel.n {
				return &cliError{code: exitEINVAL, msg: fmt.Sprintf("Error: %s %s requested without selecting a %s first",
					statsLevels[level], v, statsLevels[i])}
			}
		}
		if sel.n > level {
			if err := statsEnable(sel, &enabled); err != nil {
				return err
			}
		}
		sel.names[level] = v
		for i := level + 1; i < len(sel.names); i++ {
			sel.names[i] = ""
		}
		sel.n = level + 1
	}
	if err := statsEnable(sel, &enabled); err != nil {
		return err
	}

	h, err := e.handle()
	if err != nil {
		return err
	}
	var index int32
	if err := resolveLinks(e.ctx, h, devRef{dev, &index}); err != nil {
		return err
	}
	filter := statsFilter(enabled)
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	var idx nla.Index
	if index != 0 {
		s, err := h.LinkStatsGet(e.ctx, index, &filter)
		if err != nil {
			return err
		}
		printStatsMessage(p, s, enabled, links, &idx, e.Stats)
	} else {
		for s, err := range h.LinkStatsDump(e.ctx, &filter) {
			if err != nil {
				return err
			}
			printStatsMessage(p, s, enabled, links, &idx, e.Stats)
			p.nl()
			p.flush()
		}
	}
	return e.endList(p)
}

// statsFilter is ipstats_req_add_filters: the groups the enabled leaves
// need, and the offload members when they are not all of them.
func statsFilter(enabled uint32) rtm.StatsFilter {
	var f rtm.StatsFilter
	for i, l := range statsLeaves {
		if enabled&(1<<i) == 0 {
			continue
		}
		switch l.show {
		case statsShowLink:
			f.Mask |= rtm.StatsLink64
		case statsShowCPUHit:
			f.Mask |= rtm.StatsOffloadXstats
			f.Offload |= rtm.StatsOffloadCPUHit
		case statsShowHWInfo:
			f.Mask |= rtm.StatsOffloadXstats
			f.Offload |= rtm.StatsOffloadHWStatsInfo
		case statsShowL3:
			f.Mask |= rtm.StatsOffloadXstats
			f.Offload |= rtm.StatsOffloadL3Stats | rtm.StatsOffloadHWStatsInfo
		case statsShowXstats:
			f.Mask |= 1 << (l.group - 1)
		case statsShowMPLS:
			f.Mask |= rtm.StatsAFSpec
		}
	}
	if f.Offload == rtm.StatsOffloadAll {
		f.Offload = 0
	}
	return f
}

// printStatsMessage is ipstats_process_ifsm: for each enabled leaf, the
// interface, the selection and the leaf's statistics.
func printStatsMessage(p *printer, s rtm.LinkStats, enabled uint32, links *linkTypes, idx *nla.Index, o statsOptions) {
	name := links.name(s.Index())
	for i := range statsLeaves {
		if enabled&(1<<i) == 0 {
			continue
		}
		l := &statsLeaves[i]
		p.openObject("")
		p.int("ifindex", "%d:", int64(s.Index()))
		p.colorStr(colorIfname, "ifname", " %s:", name)
		for j, n := range l.path {
			if n == "" {
				break
			}
			p.jsonStr(statsLevels[j], n)
			p.textString(" " + statsLevels[j] + " " + n)
		}
		printStatsLeaf(p, s, l, idx, o)
		p.closeObject()
		p.nl()
	}
}

// printStatsLeaf is a leaf descriptor's show callback.
func printStatsLeaf(p *printer, s rtm.LinkStats, l *statsLeaf, idx *nla.Index, o statsOptions) {
	c := s.Chain()
	switch l.show {
	case statsShowLink:
		p.nl()
		if a, ok := c.Get(1); ok {
			printStats64Attr(p, a, idx, o)
		}
	case statsShowCPUHit:
		p.nl()
		if a, ok := c.Path(4, 1); ok {
			printStats64Attr(p, a, idx, o)
		}
	case statsShowHWInfo:
		a, ok := c.Path(4, 2)
		if !ok {
			return
		}
		p.nl()
		p.openObject("info")
		if l3, ok := a.Nested().Get(3); ok {
			p.textString("    l3_stats")
			p.openObject("l3_stats")
			printHWStatsInfo(p, l3)
			p.closeObject()
		}
		p.closeObject()
	case statsShowL3:
		info, ok := c.Path(4, 2)
		if !ok {
			return
		}
		p.openObject("info")
		if l3, ok := info.Nested().Get(3); ok {
			printHWStatsInfo(p, l3)
		}
		p.closeObject()
		if h, ok := s.L3Stats(); ok {
			p.nl()
			p.openObject("stats64")
			printRxTxColumns(p, o, "    ", "mcast", "multicast", [9]uint64{h.RxPackets, h.TxPackets,
				h.RxBytes, h.TxBytes, h.RxErrors, h.TxErrors, h.RxDropped, h.TxDropped, h.Multicast})
			p.closeObject()
		}
	case statsShowXstats:
		x, ok := c.Path(l.group, l.xtype)
		if !ok {
			return
		}
		in, ok := x.Nested().Get(l.inner)
		if !ok {
			return
		}
		p.nl()
		slave := l.group == 3
		switch {
		case l.xtype == 2:
			printBond3AD(p, in)
		case l.inner == 2:
			m, _ := s.BridgeMcast(slave)
			printBridgeMcastStats(p, m)
		default:
			st, _ := s.BridgeSTP(slave)
			printBridgeSTPStats(p, st)
		}
	case statsShowMPLS:
		m, ok := s.MPLS()
		if !ok {
			return
		}
		p.nl()
		p.openObject("mpls_stats")
		printRxTxColumns(p, o, "    ", "noroute", "noroute", [9]uint64{m.RxPackets, m.TxPackets,
			m.RxBytes, m.TxBytes, m.RxErrors, m.TxErrors, m.RxDropped, m.TxDropped, m.RxNoRoute})
		p.closeObject()
	}
}

// printStats64Attr is ipstats_show_64: a struct rtnl_link_stats64 as the
// link listing prints IFLA_STATS64.
func printStats64Attr(p *printer, a nla.Attr, idx *nla.Index, o statsOptions) {
	enc := nla.NewEncoder(nil)
	enc.Binary(unix.IFLA_STATS64, a.Data)
	idx.Reset(nla.Chain(enc.Bytes()))
	printLinkStats(p, idx, o)
}

// printHWStatsInfo is __ipstats_show_hw_s_info_one: whether the counters
// were requested and are used; a value other than 0 or 1 is left out.
func printHWStatsInfo(p *printer, info nla.Attr) {
	for _, m := range [...]struct {
		typ         uint16
		key, format string
	}{{1, "request", " %s"}, {2, "used", " used %s"}} {
		if a, ok := info.Nested().Get(m.typ); ok {
			if v, err := a.Uint8(); err == nil && v <= 1 {
				p.onOff(m.key, m.format, v == 1)
			}
		}
	}
}

// printRxTxColumns is print_hw_stats64 and print_mpls_link_stats: RX and
// TX columns of bytes, packets, errors and drops, and one more RX column
// (title in the text, key in JSON).
func printRxTxColumns(p *printer, o statsOptions, indent, title, key string, w [9]uint64) {
	rxPackets, txPackets, rxBytes, txBytes, rxErrors, txErrors, rxDropped, txDropped, last := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]
	if p.json {
		p.openObject("rx")
		p.jsonUint("bytes", rxBytes)
		p.jsonUint("packets", rxPackets)
		p.jsonUint("errors", rxErrors)
		p.jsonUint("dropped", rxDropped)
		p.jsonUint(key, last)
		p.closeObject()
		p.openObject("tx")
		p.jsonUint("bytes", txBytes)
		p.jsonUint("packets", txPackets)
		p.jsonUint("errors", txErrors)
		p.jsonUint("dropped", txDropped)
		p.closeObject()
		return
	}
	cols := [5]int{len("*X: bytes"), len("packets"), len("errors"), len("dropped"), len("overrun")}
	if title == "noroute" {
		cols[4] = len("noroute")
	}
	// header prints a row of column titles, the first narrower by the
	// "RX: " before it.
	header := func(dir string, titles ...string) {
		p.buf = append(append(p.buf, indent...), dir...)
		for i, h := range titles {
			width := cols[i]
			if i == 0 {
				width -= len(dir)
			} else {
				p.buf = append(p.buf, ' ')
			}
			p.buf = appendPadded(p.buf, width, h)
		}
		p.nl()
	}
	for _, row := range [2][5]uint64{{rxBytes, rxPackets, rxErrors, rxDropped, last}, {txBytes, txPackets, txErrors, txDropped, 0}} {
		if o.human {
			break
		}
		for i, v := range row {
			if n := decimalWidth(v); n > cols[i] {
				cols[i] = n
			}
		}
	}
	header("RX: ", "bytes", "packets", "errors", "dropped", title)
	p.buf = append(p.buf, indent...)
	for i, v := range [...]uint64{rxBytes, rxPackets, rxErrors, rxDropped, last} {
		p.buf = appendStatNum(p.buf, cols[i], v, o)
	}
	p.nl()
	header("TX: ", "bytes", "packets", "errors", "dropped")
	p.buf = append(p.buf, indent...)
	for i, v := range [...]uint64{txBytes, txPackets, txErrors, txDropped} {
		p.buf = appendStatNum(p.buf, cols[i], v, o)
	}
}

// decimalWidth is the number of decimal digits of v.
func decimalWidth(v uint64) int {
	n := 1
	for ; v > 9; v /= 10 {
		n++
	}
	return n
}

// statsSet is ipstats_set: "ip stats set dev DEV l3_stats on|off".
func statsSet(e *env, a *args) error {
	var dev string
	var on, have bool
	for a.more() {
		switch w := a.advance(); w {
		case "dev":
			v, err := statsDev(a, dev)
			if err != nil {
				return err
			}
			dev = v
		case "l3_stats":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if have {
				return &cliError{code: exitEINVAL, msg: "A statistics suite to toggle was already given."}
			}
			o, err := parseOnOff(w, v, exitEINVAL)
			if err != nil {
				return err
			}
			on, have = o.Or(false), true
		case "help":
			fmt.Fprint(e.Stderr, statsUsage)
			return nil
		default:
			return statsWhat(e, w)
		}
	}
	if dev == "" {
		return errNoDevArgument
	}
	if !have {
		return &cliError{code: exitUsage, msg: "Not enough information: stat type to toggle is required."}
	}
	h, l, err := e.handleAndLink(dev)
	if err != nil {
		return err
	}
	return h.Do(e.ctx, rtm.LinkStatsL3Set(l.Index(), on))
}
