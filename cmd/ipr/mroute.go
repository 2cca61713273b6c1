package main

// ipr mroute: iproute2's ipmroute.c.

import (
	"errors"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const mrouteUsage = `show [ [ to ] PREFIX ] [ from PREFIX ] [ iif DEVICE ]
                      [ table TABLE_ID ]
TABLE_ID := [ local | main | default | all | NUMBER ]`

// mrouteVerbs are do_multiroute's commands.
var mrouteVerbs = [...]verb{
	{name: "list", stats: true, run: mrouteList},
	{name: "show", stats: true, run: mrouteList},
	{name: "lst", stats: true, run: mrouteList},
	{name: "help"},
}

// mrouteList is ipmroute.c's mroute_list.
func mrouteList(e *env, a *args) error {
	f := rtm.MRouteFilter{Family: rtm.RTNLFamilyIPMR, Table: unix.RT_TABLE_DEFAULT}
	switch e.Family {
	case unix.AF_INET, unix.AF_UNSPEC:
	case unix.AF_INET6:
		f = rtm.MRouteFilter{Family: rtm.RTNLFamilyIP6MR}
	default:
		return nil // the family has no multicast routing
	}
	var iif string
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "table"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if v == "all" {
				f.Table = 0
				continue
			}
			id, ok := tableNames.id(v, 1<<32-1)
			if !ok {
				return invarg("table id value is invalid\n", v)
			}
			f.Table = id
		case w == "iif":
			iif, err = a.value(w)
		case matches(w, "from"):
			v, err := a.value(w)
			if err != nil {
				return err
			}
			return errMRoutePrefix(v)
		default:
			if w, err = a.toValue(w); err != nil {
				return err
			}
			if matches(w, "help") {
				return usageText("Usage: ipr mroute " + mrouteUsage + "\n")
			}
			return errMRoutePrefix(w)
		}
		if err != nil {
			return err
		}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if iif != "" {
		l, err := h.LinkByName(e.ctx, iif)
		if err != nil {
			if errors.Is(err, rtm.ErrNotFound) {
				return &cliError{code: exitFailure, msg: "Cannot find device \"" + iif + "\""}
			}
			return err
		}
		f.InIndex = l.Index()
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	for r, err := range h.MRoutes(e.ctx, &f) {
		if errors.Is(err, rtm.ErrNoMRouting) {
			// ip ends its JSON array before it reports the error.
			if err := e.endList(p); err != nil {
				return err
			}
			return &cliError{code: exitFailure, msg: "Non multicast route received, kernel does support IP multicast?\nDump terminated"}
		}
		if err != nil {
			return err
		}
		printMRoute(p, r, links, e.Stats.level > 0, e.Details, f.Table == 0)
		p.flush()
	}
	return e.endList(p)
}

// errMRoutePrefix is get_prefix's failure for a multicast route family:
// iproute2 6.1 parses the prefix selectors of "ip mroute show" in the
// family RTNL_FAMILY_IPMR (IP6MR), for which get_addr accepts no address,
// so that every selector fails, with family_name's "???".
func errMRoutePrefix(s string) error {
	return &cliError{code: exitFailure, msg: `Error: ??? prefix is expected rather than "` + s + `".`}
}

// printMRoute is ipmroute.c's print_mroute.
// With allTables (no table selected), the route's table is shown unless
// it is main, as with details.
func printMRoute(p *printer, r rtm.MRoute, links *linkTypes, stats, details, allTables bool) {
	p.openObject("")
	src, dst := "unknown", "unknown"
	if _, ok := r.Get("src"); ok {
		src = r.Origin().String()
	}
	if _, ok := r.Get("dst"); ok {
		dst = r.Group().String()
	}
	if p.json {
		p.jsonStr("src", src)
		p.jsonStr("dst", dst)
	} else {
		p.text("%-32s Iif: ", "("+src+","+dst+")")
	}
	if iif := r.InIndex(); iif != 0 {
		p.colorStr(colorIfname, "iif", "%-10s ", links.name(iif))
	} else {
		p.str("iif", "%s ", "unresolved")
	}
	if _, ok := r.Get("multipath"); ok {
		p.openArray("multipath")
		first := true
		for o := range r.Oifs() {
			p.openObject("")
			if first {
				p.textString("Oifs: ")
				first = false
			}
			p.colorStr(colorIfname, "oif", "%s", links.name(o.Index))
			if o.TTL > 1 {
				p.uint("ttl", "(ttl %d) ", uint64(o.TTL))
			} else {
				p.textString(" ")
			}
			p.closeObject()
		}
		p.closeArray()
	}
	state := "resolved"
	if r.Unresolved() {
		state = "unresolved"
	}
	p.str("state", " State: %s", state)
	if r.Offloaded() {
		p.jsonNull("offload")
		p.textString(" offload")
	}
	if s, ok := r.Stats(); ok && stats {
		p.nl()
		p.uint("packets", "  %d packets,", s.Packets)
		p.uint("bytes", " %d bytes", s.Bytes)
		if s.WrongIf != 0 {
			p.uint("wrong_if", ", %d arrived on wrong iif.", s.WrongIf)
		}
	}
	if age, ok := r.LastUse(); ok && stats {
		p.number("expires", ", Age %s", strconv.FormatFloat(age.Seconds(), 'f', 2, 64))
	}
	if t := r.Table(); t != 0 && (t != unix.RT_TABLE_MAIN || details) && allTables {
		p.str("table", " Table: %s", tableNames.name(t))
	}
	p.textString("\n")
	p.closeObject()
}
