package main

// ipr stats: iproute2 6.1's ipstats.c, for the "link" group; the other
// groups (offload, xstats, xstats_slave, afstats), which "ip stats show"
// without a group also prints, fail by name.

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// statsObject runs "ipr stats ...", ipstats.c's do_ipstats: "show"
// implies one -s (and -d one more).
func statsObject(e *env, argv []string) error {
	if len(argv) == 0 {
		return statsShow(e, &args{})
	}
	switch argv[0] {
	case "help":
		return notImplemented(`"ip stats help"`)
	case "show":
		e.Stats.level++
		if e.Details {
			e.Stats.level++
		}
		return statsShow(e, &args{list: argv[1:]})
	case "set":
		return notImplemented(`"ip stats set"`)
	}
	return &cliError{code: exitFailure, msg: fmt.Sprintf("Command %q is unknown, try \"ip stats help\".", argv[0])}
}

// statsShow is ipstats_show for "group link".
func statsShow(e *env, a *args) error {
	var dev, group string
	for a.more() {
		switch w := a.advance(); w {
		case "dev":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if dev != "" {
				return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: either \"dev\" is duplicate, or %q is a garbage.", v)}
			}
			dev = v
		case "group":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if group != "" && group != v {
				return notImplemented(`"ip stats show" of several groups`)
			}
			group = v
		case "subgroup", "suite":
			return notImplemented(`"ip stats show ` + w + `"`)
		default:
			return notImplemented(`"ip stats show ` + w + `"`)
		}
	}
	if group != "link" {
		return notImplemented(`"ip stats show" of groups other than "link"`)
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	filter := &rtm.StatsFilter{Mask: rtm.StatsLink64}
	p := e.newPrinter()
	p.openArray("")
	var idx nla.Index
	if dev != "" {
		l, err := h.LinkByName(e.ctx, dev)
		if err != nil {
			if errors.Is(err, rtm.ErrNotFound) {
				return &cliError{code: exitFailure, msg: fmt.Sprintf("Cannot find device %q", dev)}
			}
			return err
		}
		s, err := h.LinkStatsGet(e.ctx, l.Index(), filter)
		if err != nil {
			return err
		}
		printStatsLink(p, s, links, &idx, e.Stats)
	} else {
		for s, err := range h.LinkStatsDump(e.ctx, filter) {
			if err != nil {
				return err
			}
			printStatsLink(p, s, links, &idx, e.Stats)
			p.nl()
			p.flush()
		}
	}
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	return e.output(p)
}

// printStatsLink is ipstats_process_ifsm for the link group: the header,
// then print_stats64 of IFLA_STATS_LINK_64, which the link listing's
// printer prints when it finds it as a link's IFLA_STATS64.
func printStatsLink(p *printer, s rtm.LinkStats, links *linkTypes, idx *nla.Index, o statsOptions) {
	p.openObject("")
	p.int("ifindex", "%d:", int64(s.Index()))
	p.colorStr(colorIfname, "ifname", " %s:", links.name(s.Index()))
	p.jsonStr("group", "link")
	p.textString(" group link")
	p.nl()
	if a, ok := s.Get("link_64"); ok {
		enc := nla.NewEncoder(nil)
		enc.Binary(unix.IFLA_STATS64, a.Bytes())
		idx.Reset(nla.Chain(enc.Bytes()))
		printLinkStats(p, idx, o)
	}
	p.closeObject()
	p.nl()
}
