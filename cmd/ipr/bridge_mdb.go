package main

// bridge mdb: iproute2 6.1's bridge/mdb.c, for the bridge command's
// object table (bridgeObjects: {name: "mdb", help: "mdb", prog: "bridge",
// usage: bridgeMDBUsage, verbs: bridgeMDBVerbs[:]}).

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const bridgeMDBUsage = `Usage: bridge mdb { add | del } dev DEV port PORT grp GROUP [src SOURCE] [permanent | temp] [vid VID]
       bridge mdb {show} [ dev DEV ] [ vid VID ]
`

// bridgeMDBVerbs are do_mdb's commands, in its order.
var bridgeMDBVerbs = [...]verb{
	{name: "add", run: func(e *env, a *args) error { return mdbModify(e, a, true) }},
	{name: "delete", run: func(e *env, a *args) error { return mdbModify(e, a, false) }},
	{name: "show", stats: true, run: mdbShow},
	{name: "lst", stats: true, run: mdbShow},
	{name: "list", stats: true, run: mdbShow},
	{name: "help"},
}

// mdbFail is a failure of bridge mdb: bridge prints the message and exits
// with status 255.
func mdbFail(format string, args ...any) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// mdbShow is mdb.c's mdb_show: the entries, then (with -d) the router
// ports, of every bridge or of "dev".
func mdbShow(e *env, a *args) error {
	h, index, vid, err := bridgeShowFilter(e, a)
	if err != nil {
		return err
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	p.openObject("")
	p.openArray("mdb")
	for m, err := range h.MDB(e.ctx, index) {
		if err != nil {
			return err
		}
		for ent := range m.Entries() {
			if vid != 0 && int(ent.VID) != vid {
				continue
			}
			printMDBEntry(p, ent, links, e.Details, e.Stats.level > 0)
		}
		p.flush()
	}
	p.closeArray()
	p.openObject("router")
	for m, err := range h.MDB(e.ctx, index) {
		if err != nil {
			return err
		}
		if _, ok := m.Get("router"); ok && e.Details {
			printMDBRouters(p, m, links, e.Stats.level > 0)
		}
	}
	p.closeObject()
	p.closeObject()
	return e.endList(p)
}

// mdbTimer is mdb.c's format_timer of a time in USER_HZ ticks.
func mdbTimer(d time.Duration, align bool) string {
	ticks := uint64(d / (10 * time.Millisecond))
	if align {
		return fmt.Sprintf("%4d.%02d", ticks/100, ticks%100)
	}
	return fmt.Sprintf("%d.%02d", ticks/100, ticks%100)
}

// printMDBEntry is mdb.c's print_mdb_entry.
func printMDBEntry(p *printer, e rtm.MDBEntry, links *linkTypes, details, stats bool) {
	p.openObject("")
	p.jsonInt("index", int64(e.BridgeIndex))
	p.colorStr(colorIfname, "dev", "dev %s", links.name(e.BridgeIndex))
	p.str("port", " port %s", links.name(e.PortIndex))
	grp, af := e.Group.String(), colorPlain
	switch {
	case e.Proto == 0:
		grp = net.HardwareAddr(e.MAC[:]).String()
	case e.Group.Is4():
		af = colorInet
	default:
		af = colorInet6
	}
	p.colorStr(af, "grp", " grp %s", grp)
	if _, ok := e.Attrs.Get(4); ok { // MDBA_MDB_EATTR_SOURCE
		p.colorStr(af, "src", " src %s", mdbAddrString(e.Source()))
	}
	state := "temp"
	if e.State&rtm.MDBPermanent != 0 {
		state = "permanent"
	}
	p.str("state", " %s", state)
	if details {
		if m, ok := e.GroupMode(); ok {
			mode := "exclude"
			if m == rtm.MDBModeInclude {
				mode = "include"
			}
			p.str("filter_mode", " filter_mode %s", mode)
		}
		if _, ok := e.Attrs.Get(2); ok { // MDBA_MDB_EATTR_SRC_LIST
			if p.json {
				p.openArray("source_list")
			} else {
				p.textString(" source_list")
			}
			sep := " "
			for s := range e.Sources() {
				p.openObject("")
				p.textString(sep)
				p.colorStr(mdbSourceColor(s.Addr), "address", "%s", mdbAddrString(s.Addr))
				p.str("timer", "/%s", mdbTimer(s.Timer, false))
				p.closeObject()
				sep = ","
			}
			p.closeArray()
		}
		if v, ok := e.Protocol(); ok {
			p.str("protocol", " proto %s ", protoNames.name(uint32(v)))
		}
	}
	p.openArray("flags")
	for _, f := range [...]struct {
		bit  uint8
		name string
	}{{rtm.MDBFlagOffload, "offload"}, {rtm.MDBFlagFastLeave, "fast_leave"},
		{rtm.MDBFlagStarExcl, "added_by_star_ex"}, {rtm.MDBFlagBlocked, "blocked"}} {
		if e.Flags&f.bit != 0 {
			p.str("", " %s", f.name)
		}
	}
	p.closeArray()
	if e.VID != 0 {
		p.uint("vid", " vid %d", uint64(e.VID))
	}
	if t, ok := e.Timer(); ok && stats {
		p.str("timer", " %s", mdbTimer(t, true))
	}
	p.nl()
	p.closeObject()
}

// mdbAddrString formats an address as inet_ntop does.
func mdbAddrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// printMDBRouters is mdb.c's br_print_router_ports, for a dump's message.
func printMDBRouters(p *printer, m rtm.MDB, links *linkTypes, stats bool) {
	br := links.name(m.Index())
	if p.json {
		p.openArray(br)
	} else if !stats {
		p.text("router ports on %s: ", br)
	}
	for r := range m.RouterPorts() {
		name := links.name(r.Index)
		switch {
		case p.json:
			p.openObject("")
			p.jsonStr("port", name)
			if stats {
				printMDBRouterStats(p, r)
			}
			p.closeObject()
		case stats:
			p.text("router ports on %s: %s", br, name)
			printMDBRouterStats(p, r)
			p.textString("\n")
		default:
			p.text("%s ", name)
		}
	}
	if !stats {
		p.nl()
	}
	p.closeArray()
}

func printMDBRouterStats(p *printer, r rtm.MDBRouterPort) {
	p.str("timer", " %s", mdbTimer(r.Timer, true))
	kind := "permanent"
	if r.Type == 3 || r.Type == 0 { // MDB_RTR_TYPE_TEMP, MDB_RTR_TYPE_TEMP_QUERY
		kind = "temp"
	}
	p.str("type", " %s", kind)
}

// mdbModify is mdb.c's mdb_modify.
func mdbModify(e *env, a *args, add bool) error {
	var dev, port, grp, src string
	var s rtm.MDBSpec
	for a.more() {
		switch w := a.advance(); w {
		case "dev", "grp", "port", "vid", "src":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			switch w {
			case "dev":
				dev = v
			case "grp":
				grp = v
			case "port":
				port = v
			case "vid":
				s.VID = uint16(cAtoi(v))
			case "src":
				src = v
			}
		case "permanent":
			s.Permanent = add
		case "temp":
		default:
			if matches(w, "help") {
				return usageText(bridgeMDBUsage)
			}
		}
	}
	if dev == "" || grp == "" || port == "" {
		return mdbFail("Device, group address and port name are required arguments.")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if s.BridgeIndex, err = vlanDevIndex(e, dev, "Cannot find device %q"); err != nil {
		return err
	}
	if s.PortIndex, err = vlanDevIndex(e, port, "Cannot find device %q"); err != nil {
		return err
	}
	if ip, err := netip.ParseAddr(grp); err == nil && !ip.Is4In6() {
		s.Group = ip
	} else if mac, err := net.ParseMAC(grp); err == nil && len(mac) == 6 {
		s.MAC = mac
	} else {
		return mdbFail("Invalid address %q", grp)
	}
	if src != "" {
		ip, err := netip.ParseAddr(src)
		if err != nil {
			return mdbFail("Invalid source address %q", src)
		}
		s.Source = ip
	}
	req := rtm.MDBDel(s)
	if add {
		req = rtm.MDBAdd(s)
	}
	return h.Do(e.ctx, req)
}

// cAtoi is C's atoi: the leading decimal digits, with an optional sign,
// and 0 for anything else.
func cAtoi(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(s[i:j])
	return n
}

// mdbSourceColor is the color of a source address of an entry.
func mdbSourceColor(a netip.Addr) colorAttr {
	if a.Is4() {
		return colorInet
	}
	return colorInet6
}

// printMDBEvent is mdb.c's print_mdb_mon, for "bridge monitor": an
// RTM_NEWMDB or RTM_DELMDB notification.
func printMDBEvent(m *monitor, typ uint16, data []byte) bool {
	md, err := rtm.MDBFromBytes(data)
	if err != nil {
		return false
	}
	p := m.p
	m.header("[MDB]", -1, false)
	if typ == unix.RTM_DELMDB {
		p.boolean("deleted", "Deleted ", true)
	}
	for ent := range md.Entries() {
		printMDBEntry(p, ent, m.links, m.e.Details, m.e.Stats.level > 0)
	}
	// A notification names one router port (print_router_entries).
	for r := range md.RouterPorts() {
		p.text("router port dev %s master %s\n", m.links.name(r.Index), m.links.name(md.Index()))
		break
	}
	return true
}
