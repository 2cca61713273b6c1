package main

// ipr netconf: iproute2's ipnetconf.c.

import (
	"errors"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const netconfUsage = "show [ dev STRING ]"

// netconfVerbs are do_ipnetconf's commands.
var netconfVerbs = [...]verb{
	{name: "show", stats: true, run: netconfShow},
	{name: "lst", stats: true, run: netconfShow},
	{name: "list", stats: true, run: netconfShow},
	{name: "help"},
}

// netconfRPFilters are ipnetconf.c's rp_filter_names.
var netconfRPFilters = [...]string{"off", "strict", "loose"}

// netconfShow is ip's do_show: a dump of every family (or -f's), or, for
// one device with a family, a get whose answer ip prints as text even
// with -j (it prints it outside a JSON document).
func netconfShow(e *env, a *args) error {
	var dev string
	for a.more() {
		if w := a.advance(); w == "dev" {
			v, err := a.value("dev")
			if err != nil {
				return err
			}
			dev = v
		}
		// ip ignores other words.
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	var index int32
	if dev != "" {
		l, err := h.LinkByName(e.ctx, dev)
		if err != nil {
			if errors.Is(err, rtm.ErrNotFound) {
				return errNoShowDevice(dev)
			}
			return err
		}
		index = l.Index()
	}
	if index != 0 && e.Family != unix.AF_UNSPEC {
		c, err := h.NetconfGet(e.ctx, e.Family, index)
		if err != nil {
			return err
		}
		p := &printer{palette: e.palette}
		printNetconf(p, c, false, links.name)
		return e.output(p)
	}
	p := e.newPrinter()
	return listDump(e, p, h.Netconfs(e.ctx, e.Family), func(c rtm.Netconf) {
		if (e.Family == unix.AF_UNSPEC || c.Family() == e.Family) && (index == 0 || c.Index() == index) {
			printNetconf(p, c, false, links.name)
		}
	})
}

// printNetconf is ipnetconf.c's print_netconf; deleted marks an
// RTM_DELNETCONF notification, and name names links by index.
func printNetconf(p *printer, c rtm.Netconf, deleted bool, name func(int32) string) {
	p.openObject("")
	if deleted {
		p.boolean("deleted", "Deleted ", true)
	}
	p.str("family", "%s ", familyName(c.Family()))
	if _, ok := c.Get("ifindex"); ok {
		var dev string
		switch i := c.Index(); i {
		case rtm.NetconfIndexAll:
			dev = "all"
		case rtm.NetconfIndexDefault:
			dev = "default"
		default:
			dev = name(i)
		}
		p.colorStr(colorIfname, "interface", "%s ", dev)
	}
	if v, ok := c.Forwarding(); ok {
		p.onOff("forwarding", "forwarding %s ", v != 0)
	}
	if v, ok := c.RPFilter(); ok {
		if uint32(v) < uint32(len(netconfRPFilters)) {
			p.str("rp_filter", "rp_filter %s ", netconfRPFilters[v])
		} else {
			p.uint("rp_filter", "rp_filter %d ", uint64(uint32(v)))
		}
	}
	for _, s := range [...]struct {
		key string
		get func() (int32, bool)
	}{
		{"mc_forwarding", c.MCForwarding}, {"proxy_neigh", c.ProxyNeigh},
		{"ignore_routes_with_linkdown", c.IgnoreRoutesWithLinkdown}, {"input", c.Input},
	} {
		if v, ok := s.get(); ok {
			p.onOff(s.key, s.key+" %s ", v != 0)
		}
	}
	p.closeObject()
	p.textString("\n")
}
