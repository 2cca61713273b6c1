package main

// bridge vlan: iproute2 6.1's bridge/vlan.c, for the bridge command's
// object table (bridgeObjects: {name: "vlan", help: "vlan", prog:
// "bridge", usage: bridgeVLANUsage, verbs: bridgeVLANVerbs[:]}). The
// detailed and statistics listings (-d, -s: RTM_GETVLAN and RTM_GETSTATS)
// and "global show" fail by name.

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ipr-go/ipr/rtm"
)

const bridgeVLANUsage = `Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]
                                                     [ pvid ] [ untagged ]
                                                     [ self ] [ master ]
       bridge vlan { set } vid VLAN_ID dev DEV [ state STP_STATE ]
                                               [ mcast_router MULTICAST_ROUTER ]
       bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan { tunnelshow } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan global { set } vid VLAN_ID dev DEV
                      [ mcast_snooping MULTICAST_SNOOPING ]
                      [ mcast_querier MULTICAST_QUERIER ]
                      [ mcast_igmp_version IGMP_VERSION ]
                      [ mcast_mld_version MLD_VERSION ]
                      [ mcast_last_member_count LAST_MEMBER_COUNT ]
                      [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
                      [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
                      [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
                      [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
                      [ mcast_querier_interval QUERIER_INTERVAL ]
                      [ mcast_query_interval QUERY_INTERVAL ]
                      [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
       bridge vlan global { show } [ dev DEV ] [ vid VLAN_ID ]
`

// bridgeVLANVerbs are do_vlan's commands, in its order.
var bridgeVLANVerbs = [...]verb{
	{name: "add", stats: true, run: func(e *env, a *args) error { return vlanModify(e, a, true) }},
	{name: "delete", stats: true, run: func(e *env, a *args) error { return vlanModify(e, a, false) }},
	{name: "show", stats: true, run: func(e *env, a *args) error { return vlanShow(e, a, false) }},
	{name: "lst", stats: true, run: func(e *env, a *args) error { return vlanShow(e, a, false) }},
	{name: "list", stats: true, run: func(e *env, a *args) error { return vlanShow(e, a, false) }},
	{name: "tunnelshow", stats: true, run: func(e *env, a *args) error { return vlanShow(e, a, true) }},
	{name: "set", stats: true, run: vlanSet},
	{name: "global", exact: true, stats: true, run: vlanGlobal},
	{name: "help"},
}

// vlanDevIndex resolves "dev" for the vlan commands, with vlan.c's
// message for a name that does not exist.
func vlanDevIndex(e *env, dev, format string) (int32, error) {
	h, err := e.handle()
	if err != nil {
		return 0, err
	}
	l, err := h.LinkByName(e.ctx, dev)
	// ll_name_to_index finds no name "" either.
	if errors.Is(err, rtm.ErrNotFound) || dev == "" {
		return 0, mdbFail(format, dev)
	}
	return l.Index(), err
}

// bridgeShowFilter reads the "dev DEV" and "vid VID" of bridge's vlan
// and mdb listings, each once (the VID as atoi reads it), and opens
// their handle; index is dev's, 0 (every device) without one.
func bridgeShowFilter(e *env, a *args) (h *rtm.Handle, index int32, vid int, err error) {
	var dev string
	for a.more() {
		switch w := a.advance(); w {
		case "dev":
			if err := a.onceValue(w, "dev", &dev); err != nil {
				return nil, 0, 0, err
			}
		case "vid":
			v, err := a.value(w)
			if err != nil {
				return nil, 0, 0, err
			}
			if vid != 0 {
				return nil, 0, 0, duparg("vid", v)
			}
			vid = cAtoi(v)
		}
	}
	if h, err = e.handle(); err != nil || dev == "" {
		return h, 0, vid, err
	}
	index, err = vlanDevIndex(e, dev, "Cannot find device %q")
	return h, index, vid, err
}

// vlanRange parses vlan.c's "vid VID[-VIDEND]" as atoi does, and checks
// it as vlan_option_set does.
func vlanRange(s string) (vid, end int, err error) {
	end = -1
	if a, b, ok := strings.Cut(s, "-"); ok {
		vid, end = int(int16(cAtoi(a))), int(int16(cAtoi(b)))
		if vid >= end || end >= 4096 {
			return 0, 0, mdbFail("Invalid VLAN range \"%d-%d\"", uint16(vid), uint16(end))
		}
	} else {
		vid = int(int16(cAtoi(s)))
	}
	if vid >= 4096 {
		return 0, 0, mdbFail("Invalid VLAN ID \"%d\"", uint16(vid))
	}
	return vid, end, nil
}

// vlanModify is vlan.c's vlan_modify.
func vlanModify(e *env, a *args, add bool) error {
	var s rtm.BridgeVLANSpec
	var dev string
	vid, end := -1, -1
	for a.more() {
		switch w := a.advance(); w {
		case "dev", "vid":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if w == "dev" {
				dev = v
				continue
			}
			if x, y, ok := strings.Cut(v, "-"); ok {
				vid, end = int(int16(cAtoi(x))), int(int16(cAtoi(y)))
			} else {
				vid, end = int(int16(cAtoi(v))), -1
			}
		case "self":
			s.Self = true
		case "master":
			s.Master = true
		case "pvid":
			s.PVID = true
		case "untagged":
			s.Untagged = true
		case "tunnel_info":
			if _, err := a.value(w); err != nil { // "id"
				return err
			}
			if a.list[a.i-1] != "id" && !matches(a.list[a.i-1], "id") {
				return invarg("tunnel id expected", a.list[a.i-1])
			}
			v, err := a.value("id")
			if err != nil {
				return err
			}
			first, _, _ := strings.Cut(v, "-")
			id, err := strconv.ParseUint(first, 0, 32)
			if err != nil || id >= 1<<24 {
				return invarg("invalid tun id", v)
			}
			s.TunnelID = rtm.Some(uint32(id))
		default:
			if matches(w, "help") {
				if _, err := a.value(w); err != nil {
					return err
				}
			}
		}
	}
	if dev == "" || vid == -1 {
		return mdbFail("Device and VLAN ID are required arguments.")
	}
	index, err := vlanDevIndex(e, dev, "Cannot find bridge device %q")
	if err != nil {
		return err
	}
	switch {
	case vid >= 4096:
		return mdbFail("Invalid VLAN ID \"%d\"", uint16(vid))
	case end != -1 && (end >= 4096 || vid >= end):
		return mdbFail("Invalid VLAN range \"%d-%d\"", uint16(vid), uint16(end))
	case end != -1 && s.PVID:
		return mdbFail("pvid cannot be configured for a vlan range")
	}
	s.Index, s.VID = index, uint16(vid)
	if end != -1 {
		s.VIDEnd = uint16(end)
	}
	h, _ := e.handle()
	req := rtm.BridgeVLANDel(s)
	if add {
		req = rtm.BridgeVLANAdd(s)
	}
	return h.Do(e.ctx, req)
}

// vlanSet is vlan.c's vlan_option_set.
func vlanSet(e *env, a *args) error {
	var o rtm.BridgeVLANOptions
	t := vlanTarget{vid: -1}
	for a.more() {
		switch w := a.advance(); w {
		case "dev", "vid", "state", "mcast_router":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			switch w {
			case "dev", "vid":
				if err := t.set(e, w, v, &o.Index, &o.VID, &o.VIDEnd); err != nil {
					return err
				}
			case "state":
				st, ok := stpState(v)
				if !ok {
					return mdbFail("Error: invalid STP state")
				}
				o.State = rtm.Some(st)
			case "mcast_router":
				n, err := strconv.ParseUint(v, 0, 8)
				if err != nil {
					return invarg("invalid mcast_router", v)
				}
				o.MulticastRouter = rtm.Some(uint8(n))
			}
		}
	}
	return t.do(e, rtm.BridgeVLANSet(o))
}

// vlanTarget is the "dev" and "vid" of vlan_option_set and
// vlan_global_option_set: both required, vid -1 until given.
type vlanTarget struct {
	dev string
	vid int
}

// set takes "dev" (into index) or "vid VID[-VIDEND]" (into first and last).
func (t *vlanTarget) set(e *env, w, v string, index *int32, first, last *uint16) error {
	if w == "dev" {
		t.dev = v
		var err error
		*index, err = vlanDevIndex(e, v, "Cannot find network device %q")
		return err
	}
	x, end, err := vlanRange(v)
	if err != nil {
		return err
	}
	t.vid, *first = x, uint16(x)
	if end != -1 {
		*last = uint16(end)
	}
	return nil
}

// do sends req once both dev and vid are given.
func (t *vlanTarget) do(e *env, req rtm.Request) error {
	if t.dev == "" || t.vid == -1 {
		return mdbFail("Device and VLAN ID are required arguments.")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	return h.Do(e.ctx, req)
}

// stpState is vlan.c's state parsing: a number, or a state's name.
func stpState(s string) (uint8, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return uint8(n), n >= 0
	}
	return stpStateByName(s)
}

// vlanGlobal is vlan.c's vlan_global: "set", and "show", which ipr does
// not implement.
func vlanGlobal(e *env, a *args) error {
	if !a.more() {
		return vlanShowSubject(e, a, false, true)
	}
	switch w := a.advance(); w {
	case "show", "lst", "list":
		return vlanShowSubject(e, a, false, true)
	case "set":
	default:
		return usageText(bridgeVLANUsage)
	}
	var o rtm.BridgeVLANGlobalOptions
	t := vlanTarget{vid: -1}
	u8s := map[string]*rtm.Opt[uint8]{"mcast_igmp_version": &o.IGMPVersion, "mcast_mld_version": &o.MLDVersion}
	bools := map[string]*rtm.Opt[bool]{"mcast_snooping": &o.MulticastSnooping, "mcast_querier": &o.MulticastQuerier}
	u32s := map[string]*rtm.Opt[uint32]{"mcast_last_member_count": &o.LastMemberCount, "mcast_startup_query_count": &o.StartupQueryCount}
	intervals := map[string]*rtm.Opt[time.Duration]{
		"mcast_last_member_interval": &o.LastMemberInterval, "mcast_membership_interval": &o.MembershipInterval,
		"mcast_querier_interval": &o.QuerierInterval, "mcast_query_interval": &o.QueryInterval,
		"mcast_query_response_interval": &o.QueryResponseInterval, "mcast_startup_query_interval": &o.StartupQueryInterval,
	}
	for a.more() {
		w := a.advance()
		known := w == "dev" || w == "vid" || u8s[w] != nil || bools[w] != nil || u32s[w] != nil || intervals[w] != nil
		if !known {
			if w == "help" {
				if _, err := a.value(w); err != nil {
					return err
				}
			}
			continue
		}
		v, err := a.value(w)
		if err != nil {
			return err
		}
		switch {
		case w == "dev" || w == "vid":
			if err := t.set(e, w, v, &o.Index, &o.VID, &o.VIDEnd); err != nil {
				return err
			}
		case u8s[w] != nil || bools[w] != nil:
			n, err := strconv.ParseUint(v, 0, 8)
			if err != nil {
				return invarg("invalid "+w, v)
			}
			if p := u8s[w]; p != nil {
				*p = rtm.Some(uint8(n))
			} else {
				*bools[w] = rtm.Some(n != 0)
			}
		case u32s[w] != nil:
			n, err := strconv.ParseUint(v, 0, 32)
			if err != nil {
				return invarg("invalid "+w, v)
			}
			*u32s[w] = rtm.Some(uint32(n))
		default:
			n, err := strconv.ParseUint(v, 0, 64)
			if err != nil {
				return invarg("invalid "+w, v)
			}
			*intervals[w] = rtm.Some(time.Duration(n) * 10 * time.Millisecond)
		}
	}
	return t.do(e, rtm.BridgeVLANGlobalSet(o))
}

// vlanShow is vlan.c's vlan_show: the VLANs (or, for tunnelshow, the
// VLAN-to-tunnel mappings) of each port, from a link dump; with -d from
// the VLAN dump, with -s their counters (bridge_vlan_show.go).
func vlanShow(e *env, a *args, tunnels bool) error {
	return vlanShowSubject(e, a, tunnels, false)
}

// vlanShowSubject is vlan_show, or with global vlan_global_show.
func vlanShowSubject(e *env, a *args, tunnels, global bool) error {
	h, index, vid, err := bridgeShowFilter(e, a)
	if err != nil {
		return err
	}
	filterVID := uint16(vid)
	switch {
	case global || e.Details && !tunnels:
		return vlanShowDetails(e, h, index, filterVID, global)
	case e.Stats.level > 0:
		return vlanShowStats(e, h, index, filterVID)
	}
	links := &linkTypes{ctx: e.ctx, h: h}
	p := e.newPrinter()
	p.openArray("")
	p.text("%-16s  %-9s", "port", "vlan-id")
	if tunnels {
		p.textString("  tunnel-id")
	}
	p.textString("\n")
	// filterVLAN is vlan.c's filter_vlan_check: -1 stop, 0 skip, 1 print.
	filterVLAN := func(vid, flags uint16) int {
		switch {
		case filterVID != 0 && vid > filterVID && flags&rtm.BridgeVLANRangeEnd == 0:
			return -1
		case flags&rtm.BridgeVLANRangeBegin != 0 || vid < filterVID:
			return 0
		}
		return 1
	}
	for l, err := range h.BridgePortVLANs(e.ctx, true) {
		if err != nil {
			return err
		}
		if l.Family() != 0x07 || index != 0 && l.Index() != index {
			continue
		}
		opened := false
		key := "vlans"
		if tunnels {
			key = "tunnels"
		}
		// row prints one entry, VLAN vid (and for tunnelshow its
		// tunnel id), as vlan.c's print loops do; it reports false once
		// filter_vlan_check stops the port.
		var start uint16
		var startID uint32
		row := func(vid, flags uint16, id uint32) bool {
			if flags&rtm.BridgeVLANRangeEnd == 0 {
				start, startID = vid, id
			}
			c := filterVLAN(vid, flags)
			if c != 1 {
				return c == 0
			}
			p.portRow(!opened, links, l.Index(), key)
			opened = true
			p.openObject("")
			if tunnels {
				width := vlanPrintRange(p, "vlan", uint32(start), uint32(vid))
				p.text("%-*s  ", 9-width, "")
				vlanPrintRange(p, "tunid", startID, id)
			} else {
				vlanPrintRange(p, "vlan", uint32(start), uint32(vid))
				printVLANFlags(p, flags)
			}
			p.closeObject()
			p.nl()
			return true
		}
		if tunnels {
			for t := range l.BridgeVLANTunnels() {
				if !row(t.VID, t.Flags, t.ID) {
					break
				}
			}
		} else {
			for v := range l.BridgeVLANInfos() {
				if !row(v.VID, v.Flags, 0) {
					break
				}
			}
		}
		if opened {
			p.closePort()
		}
		p.flush()
	}
	return e.endList(p)
}

// vlanPrintRange is vlan.c's print_range; it returns the width printed.
func vlanPrintRange(p *printer, name string, start, id uint32) int {
	s := strconv.FormatUint(uint64(start), 10)
	p.uint(name, "%d", uint64(start))
	width := len(s)
	if start != id {
		e := strconv.FormatUint(uint64(id), 10)
		p.uint(name+"End", "-%d", uint64(id))
		width += 1 + len(e)
	}
	return width
}
