package main

// -echo: iproute2 6.1's rtnl_echo_talk. The change requests of address,
// link, route, rule and nexthop go with NLM_F_ECHO, and the first message
// the kernel answers with (the object as it stored it, or only the ack)
// is printed by the object's printer inside a JSON object of its own, as
// ip does: so the JSON of a route, rule or nexthop, whose printers open
// an object themselves, is "[{{...}}]" as ip's is.

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// change sends one change request; with -echo, it prints what the kernel
// echoes.
func (e *env) change(h *rtm.Handle, req rtm.Request) error {
	if !e.Echo {
		return h.Do(e.ctx, req)
	}
	bt := h.NewBatch()
	if err := bt.Add(req); err != nil {
		return err
	}
	var (
		typ  uint16
		data []byte
	)
	results, err := bt.RunEcho(e.ctx, func(_ int, m wire.Message) error {
		if typ == 0 {
			typ, data = m.Header.Type, append([]byte(nil), m.Data...)
		}
		return nil
	})
	if len(results) > 0 && results[0] != nil {
		return results[0]
	}
	if err != nil {
		return err
	}
	return e.printEcho(h, typ, data)
}

// printEcho prints an echoed object as rtnl_echo_talk's print_info does;
// typ is 0 when the kernel answered with its ack only.
func (e *env) printEcho(h *rtm.Handle, typ uint16, data []byte) error {
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}, nsidName: e.nsidName}
	deleted := func(del uint16) {
		if typ == del {
			p.boolean("deleted", "Deleted ", true)
		}
	}
	p.openArray("")
	p.openObject("")
	switch typ {
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		if r, err := rtm.RouteFromBytes(data); err == nil {
			deleted(unix.RTM_DELROUTE)
			printRoute(p, r, &routeFilter{}, names, &nexthopCache{ctx: e.ctx, h: h}, e.Details)
		}
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		if l, err := rtm.LinkFromBytes(data); err == nil {
			deleted(unix.RTM_DELLINK)
			var idx nla.Index
			printLink(p, l, &idx, names, linkPrint{details: e.Details, linkLayer: true, noQueueLen: true})
		}
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		if ad, err := rtm.AddrFromBytes(data); err == nil {
			deleted(unix.RTM_DELADDR)
			// print_addrinfo's header for -o, flushes and -echo.
			p.jsonInt("index", int64(ad.Index()))
			name := names.name(ad.Index())
			p.jsonStr("dev", name)
			p.text("%d: %s", uint32(ad.Index()), name)
			printAddr(p, ad)
		}
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		if r, err := rtm.RuleFromBytes(data); err == nil {
			deleted(unix.RTM_DELRULE)
			printRule(p, r, e.Details)
		}
	case unix.RTM_NEWNEXTHOP, unix.RTM_DELNEXTHOP:
		if n, err := rtm.NexthopFromBytes(data); err == nil {
			deleted(unix.RTM_DELNEXTHOP)
			printNexthopEntry(p, n, "", names, e.Details)
			p.endl()
		}
	}
	p.closeObject()
	return e.endList(p)
}
