package main

// "ipr nexthop": show, get, add, replace, delete and flush nexthop
// objects, with the syntax and output of iproute2's "ip nexthop" (6.1).

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// nexthopUsage is "ipr nexthop help".
const nexthopUsage = "{ show | flush } [ id ID ] [ dev DEV ] [ vrf NAME ] [ groups ] [ master DEV ] [ proto N ] [ fdb ]\n" +
	"         | get id ID\n" +
	"         | bucket { list [ id ID ] [ nhid ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]\n" +
	"                  | get id ID index INDEX }\n" +
	"         | { add | replace } id ID NH\n" +
	"         | del id ID }\n" +
	"NH := { group ID[,WEIGHT]/... [ type { mpath | resilient [ buckets N ] [ idle_timer S ]\n" +
	"                                       [ unbalanced_timer S ] } ] [ fdb ]\n" +
	"      | [ via ADDRESS ] [ dev DEV ] [ onlink ] [ fdb ] | blackhole } [ proto RTPROTO ]"

func parseNexthopID(a *args) (uint32, error) {
	w, err := a.value("id")
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseUint(w, 0, 32)
	switch {
	case err != nil:
		return 0, invarg("invalid id value", w) // ipnh_parse_id's
	case id == 0:
		return 0, usagef("invalid id 0")
	}
	return uint32(id), nil
}

// nexthopList is "nexthop show", "get" and "flush".
func nexthopList(e *env, a *args, flush bool) error {
	var (
		f     rtm.NexthopFilter
		id    uint32
		devs  nexthopDevs
		proto uint32
	)
	f.Family = e.Family
	h, err := devs.parseArgs(e, a, &f.OutIndex, &f.MasterIndex, func(w string) (err error) {
		switch {
		case matches(w, "groups"):
			f.Groups = true
		case w == "id":
			id, err = parseNexthopID(a)
		case matches(w, "protocol"):
			proto, err = a.uint32Value("protocol")
		case matches(w, "fdb"):
			f.FDB = true
		default:
			err = invarg("", w) // ip's, with no reason
		}
		return err
	})
	if err != nil {
		return err
	}
	ctx := e.ctx
	if flush {
		return nexthopFlush(ctx, h, &f, id, uint8(proto))
	}
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	p.openArray("")
	if id != 0 {
		n, err := h.NexthopGet(ctx, id)
		if err != nil {
			return err
		}
		printNexthopEntry(p, n, "", names, e.Details)
		p.endl()
	} else {
		for n, err := range h.Nexthops(ctx, &f) {
			if err != nil {
				return err
			}
			if proto != 0 && uint32(n.Protocol()) != proto {
				continue
			}
			printNexthopEntry(p, n, "", names, e.Details)
			p.endl()
		}
	}
	return e.endList(p)
}

// nexthopFlush deletes the selected nexthops, groups first so that their
// members are free to go.
func nexthopFlush(ctx context.Context, h *rtm.Handle, f *rtm.NexthopFilter, id uint32, proto uint8) error {
	if id != 0 {
		return h.NexthopDel(ctx, id)
	}
	var groups, singles []uint32
	for n, err := range h.Nexthops(ctx, f) {
		if err != nil {
			return err
		}
		if proto != 0 && n.Protocol() != proto {
			continue
		}
		if n.IsGroup() {
			groups = append(groups, n.ID())
		} else {
			singles = append(singles, n.ID())
		}
	}
	bt := h.NewBatch()
	for _, id := range append(groups, singles...) {
		if err := bt.NexthopDel(id); err != nil {
			return err
		}
	}
	// A nexthop deleted along with its group is gone already.
	return runFlush(ctx, bt, unix.ENOENT)
}

// printNexthopEntry is iproute2's __print_nexthop_entry.
func printNexthopEntry(p *printer, n rtm.Nexthop, key string, names *linkNames, details bool) {
	var tb nla.Index
	tb.Reset(n.Chain())
	p.openObject(key)
	p.uint("id", "id %d ", uint64(n.ID()))
	if a, ok := tb.Get(unix.NHA_GROUP); ok && len(a.Data) > 0 && len(a.Data)%8 == 0 {
		p.openArray("group")
		p.textString("group ")
		for i := 0; i+8 <= len(a.Data); i += 8 {
			p.openObject("")
			if i > 0 {
				p.textString("/")
			}
			p.uint("id", "%d", uint64(native32(a.Data[i:])))
			if w := a.Data[i+4]; w != 0 {
				p.uint("weight", ",%d", uint64(w)+1)
			}
			p.closeObject()
		}
		p.textString(" ")
		p.closeArray()
	}
	if t := n.GroupType(); t != rtm.NexthopGroupMultipath {
		name := "<unknown type>"
		if t == rtm.NexthopGroupResilient {
			name = "resilient"
		}
		p.str("type", "type %s ", name)
	}
	if a, ok := tb.Get(12); ok { // NHA_RES_GROUP
		printResilience(p, a.Nested())
	}
	if et, ok := tb.Get(unix.NHA_ENCAP_TYPE); ok {
		if a, ok := tb.Get(unix.NHA_ENCAP); ok {
			printEncap(p, attrU16(et), a.Nested(), names)
		}
	}
	if a, ok := tb.Get(unix.NHA_GATEWAY); ok {
		p.textString("via ")
		p.colorStr(familyColor(n.Family()), "gateway", "%s ", string(appendHost(nil, n.Family(), a.Data)))
	}
	if oif := n.OutIndex(); oif != 0 {
		p.textString("dev ")
		p.colorStr(colorIfname, "dev", "%s ", names.name(oif))
	}
	if n.Scope() != unix.RT_SCOPE_UNIVERSE || details {
		p.str("scope", "scope %s ", scopeNames.name(uint32(n.Scope())))
	}
	if n.Blackhole() {
		p.jsonNull("blackhole")
		p.textString("blackhole ")
	}
	if n.Protocol() != unix.RTPROT_UNSPEC || details {
		p.str("protocol", "proto %s ", protoNames.name(uint32(n.Protocol())))
	}
	printRouteFlags(p, n.Flags())
	if n.FDB() {
		p.jsonNull("fdb")
		p.textString("fdb")
	}
	p.closeObject()
}

// printResilience is iproute2's print_nh_res_group.
func printResilience(p *printer, c nla.Chain) {
	var buckets uint16
	var idle, unbalanced uint32
	var since uint64
	for a := range c.All() {
		switch a.Kind() {
		case 1:
			buckets = attrU16(a)
		case 2:
			idle = attrU32(a)
		case 3:
			unbalanced = attrU32(a)
		case 4:
			since = attrU64(a)
		}
	}
	p.openObject("resilient_args")
	p.uint("buckets", "buckets %d ", uint64(buckets))
	for _, t := range []struct {
		name  string
		ticks uint64
	}{{"idle_timer", uint64(idle)}, {"unbalanced_timer", uint64(unbalanced)}, {"unbalanced_time", since}} {
		// Ticks of 10 ms, printed as seconds with C's "%g".
		s := strconv.FormatFloat(float64(t.ticks)/100, 'g', 6, 64)
		p.number(t.name, t.name+" %s ", s)
	}
	p.closeObject()
}

// nexthopModify is "nexthop add", "replace" and "delete", parsed as
// iproute2's ipnh_modify parses them.
func nexthopModify(e *env, a *args, op string) error {
	var (
		s      rtm.NexthopSpec
		dev    string
		family = e.Family
		encap  *encapArg
	)
	for a.more() {
		var err error
		switch w := a.advance(); {
		case w == "id":
			s.ID, err = parseNexthopID(a)
		case w == "dev":
			dev, err = a.value(w)
		case w == "via":
			if s.Gateway, err = a.viaValue(family); err != nil {
				return err
			}
			family = addrFamily(s.Gateway)
		case w == "blackhole":
			s.Blackhole = true
		case w == "fdb":
			s.FDB = true
		case w == "onlink":
			s.Flags |= unix.RTNH_F_ONLINK
		case w == "group":
			s.Group, err = parseValue(a, w, parseNexthopGroup)
		case w == "type":
			err = parseGroupType(a, &s)
		case matches(w, "protocol"):
			s.Protocol, err = a.protocolValue(w)
		case w == "encap":
			encap, err = parseEncap(a)
		default:
			return invarg("", w) // ip's, with no reason
		}
		if err != nil {
			return err
		}
	}
	s.Family = family
	if len(s.Group) > 0 {
		s.Family = 0
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if err := resolveHop(e.ctx, h, dev, &s.OutIndex, encap, &s.Tunnel); err != nil {
		return err
	}
	switch op {
	case "add":
		return e.change(h, rtm.NexthopAdd(s))
	case "replace":
		return e.change(h, rtm.NexthopReplace(s))
	}
	if s.ID == 0 {
		return usagef("delete needs \"id ID\"")
	}
	return e.change(h, rtm.NexthopDel(s.ID))
}

// parseNexthopGroup parses "ID[,WEIGHT]/ID[,WEIGHT]...".
func parseNexthopGroup(v string) ([]rtm.NexthopGroupMember, error) {
	var g []rtm.NexthopGroupMember
	for _, m := range strings.Split(v, "/") {
		ids, ws, hasW := strings.Cut(m, ",")
		id, err := strconv.ParseUint(ids, 0, 32)
		if err != nil || id == 0 {
			return nil, usagef("invalid group member %q", m)
		}
		w := uint64(1)
		if hasW {
			if w, err = strconv.ParseUint(ws, 0, 16); err != nil || w == 0 || w > 256 {
				return nil, usagef("invalid weight in group member %q: want 1 to 256", m)
			}
		}
		g = append(g, rtm.NexthopGroupMember{ID: uint32(id), Weight: int(w)})
	}
	return g, nil
}

// parseGroupType parses "type mpath" or "type resilient [ buckets N ]
// [ idle_timer S ] [ unbalanced_timer S ]".
func parseGroupType(a *args, s *rtm.NexthopSpec) error {
	v, err := a.value("type")
	if err != nil {
		return err
	}
	switch v {
	case "mpath":
		s.GroupType = rtm.NexthopGroupMultipath
		return nil
	case "resilient":
		s.GroupType = rtm.NexthopGroupResilient
	default:
		return usagef("invalid group type %q", v)
	}
	for a.more() {
		w := a.peek()
		var d *time.Duration
		switch w {
		case "buckets":
			a.advance()
			n, err := a.uint32Value(w)
			if err != nil || n == 0 || n > 1<<16-1 {
				return usagef("invalid buckets: want 1 to 65535")
			}
			s.Resilience.Buckets = uint16(n)
			continue
		case "idle_timer":
			d = &s.Resilience.IdleTimer
		case "unbalanced_timer":
			d = &s.Resilience.UnbalancedTimer
		default:
			return nil
		}
		a.advance()
		n, err := a.uint32Value(w)
		if err != nil {
			return err
		}
		*d = time.Duration(n) * time.Second
	}
	return nil
}
