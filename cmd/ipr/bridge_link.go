package main

// bridge link and bridge monitor: bridge ports with their STP state and
// port settings (a link dump of family AF_BRIDGE), and the link and FDB
// notifications, as iproute2 6.1's bridge/link.c and monitor.c print them.

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const bridgeLinkUsage = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
`

// bridgeLinkVerbs are bridge's do_link commands in its order.
var bridgeLinkVerbs = [...]verb{
	{name: "set", run: bridgeLinkSet},
	{name: "change", run: bridgeLinkSet},
	{name: "show", run: bridgeLinkShow},
	{name: "lst", run: bridgeLinkShow},
	{name: "list", run: bridgeLinkShow},
	{name: "help"},
}

func bridgeLinkShow(e *env, a *args) error {
	var dev string
	for a.more() {
		if w := a.advance(); w == "dev" {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if dev != "" {
				return duparg("dev", v)
			}
			dev = v
		}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	var index int32
	if dev != "" {
		l, err := linkByName(e.ctx, h, dev)
		if err != nil {
			return failf("Cannot find device %q", dev)
		}
		index = l.Index()
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	p := e.newPrinter()
	p.openArray("")
	var idx nla.Index
	for l, err := range h.Links(e.ctx, &rtm.LinkFilter{Family: unix.AF_BRIDGE}) {
		if err != nil {
			return err
		}
		if index != 0 && l.Index() != index {
			continue
		}
		printBridgeLink(p, l, &idx, names, false, e.Details)
		p.flush()
	}
	return e.endList(p)
}

// stpStates are the names of the STP port states (BR_STATE_*), which
// bridge prints and reads.
var stpStates = [...]string{"disabled", "listening", "learning", "forwarding", "blocking"}

// stpStateByName is the state named s.
func stpStateByName(s string) (uint8, bool) {
	for i, name := range stpStates {
		if s == name {
			return uint8(i), true
		}
	}
	return 0, false
}

// printBridgeLink is bridge's print_linkinfo.
func printBridgeLink(p *printer, l rtm.Link, idx *nla.Index, names *linkNames, deleted, details bool) bool {
	if f := l.Family(); f != unix.AF_BRIDGE && f != unix.AF_UNSPEC {
		return false
	}
	idx.Reset(l.Chain())
	p.openObject("")
	if deleted {
		p.boolean("deleted", "Deleted ", true)
	}
	p.int("ifindex", "%d: ", int64(l.Index()))
	name := l.Name()
	if name == "" {
		name = ifIndexName(l.Index())
	}
	mdown := printNameAndLink(p, "%s: ", name, idx, names)
	printLinkFlags(p, l.Flags(), mdown)
	if a, ok := idx.Get(unix.IFLA_MTU); ok {
		p.int("mtu", "mtu %d ", int64(attrU32(a)))
	}
	if a, ok := idx.Get(unix.IFLA_MASTER); ok {
		p.str("master", "master %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := idx.Get(unix.IFLA_PROTINFO); ok {
		printBridgeProtinfo(p, a, names, details)
	}
	if a, ok := idx.Get(unix.IFLA_AF_SPEC); ok {
		if m, ok := a.Nested().Get(uapi.IFLA_BRIDGE_MODE); ok {
			if mode := attrU16(m); mode < 2 {
				p.str("hwmode", "hwmode %s ", [...]string{"VEB", "VEPA"}[mode])
			} else {
				p.str("hwmode", "hwmode %s ", cHex(uint64(mode)))
			}
		}
	}
	p.textString("\n")
	p.closeObject()
	return true
}

func printSTPState(p *printer, s uint8) {
	if int(s) < len(stpStates) {
		p.str("state", "state %s ", stpStates[s])
	} else {
		p.uint("state", "state (%d) ", uint64(s))
	}
}

// printBridgeProtinfo is bridge's print_protinfo.
func printBridgeProtinfo(p *printer, a nla.Attr, names *linkNames, details bool) {
	if a.Type&unix.NLA_F_NESTED == 0 {
		printSTPState(p, attrU8(a))
		return
	}
	var tb nla.Index
	tb.Reset(a.Nested())
	if v, ok := tb.Get(unix.IFLA_BRPORT_STATE); ok {
		printSTPState(p, attrU8(v))
	}
	if v, ok := tb.Get(unix.IFLA_BRPORT_PRIORITY); ok {
		p.uint("priority", "priority %d ", uint64(attrU16(v)))
	}
	if v, ok := tb.Get(unix.IFLA_BRPORT_COST); ok {
		p.uint("cost", "cost %d ", uint64(attrU32(v)))
	}
	if !details {
		return
	}
	p.nl()
	p.textString("    ")
	onOff := func(t uint16, key string) {
		if v, ok := tb.Get(t); ok {
			p.onOff(key, key+" %s ", attrU8(v) != 0)
		}
	}
	onOff(unix.IFLA_BRPORT_MODE, "hairpin")
	onOff(unix.IFLA_BRPORT_GUARD, "guard")
	onOff(unix.IFLA_BRPORT_PROTECT, "root_block")
	onOff(unix.IFLA_BRPORT_FAST_LEAVE, "fastleave")
	onOff(unix.IFLA_BRPORT_LEARNING, "learning")
	onOff(unix.IFLA_BRPORT_LEARNING_SYNC, "learning_sync")
	onOff(unix.IFLA_BRPORT_UNICAST_FLOOD, "flood")
	onOff(unix.IFLA_BRPORT_MCAST_FLOOD, "mcast_flood")
	onOff(unix.IFLA_BRPORT_BCAST_FLOOD, "bcast_flood")
	if v, ok := tb.Get(unix.IFLA_BRPORT_MULTICAST_ROUTER); ok {
		p.uint("mcast_router", "mcast_router %d ", uint64(attrU8(v)))
	}
	onOff(unix.IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast")
	onOff(unix.IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress")
	onOff(unix.IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel")
	if v, ok := tb.Get(unix.IFLA_BRPORT_BACKUP_PORT); ok {
		p.str("backup_port", "backup_port %s ", names.name(int32(attrU32(v))))
	}
	onOff(unix.IFLA_BRPORT_ISOLATED, "isolated")
	onOff(unix.IFLA_BRPORT_LOCKED, "locked")
}

// bridgeMonitor is bridge's do_monitor: link and FDB notifications.
func bridgeMonitor(e *env, argv []string) error {
	var (
		file                      string
		label                     bool
		link, fdb, mdb, vlan, vni bool
		all                       = true
	)
	for i := 0; i < len(argv); i++ {
		w := argv[i]
		switch {
		case matches(w, "file"):
			if i+1 >= len(argv) {
				return errIncomplete
			}
			i++
			file = argv[i]
		case matches(w, "link"):
			link, all = true, false
		case matches(w, "fdb"):
			fdb, all = true, false
		case matches(w, "mdb"):
			mdb, all = true, false
		case matches(w, "vlan"):
			vlan, all = true, false
		case w == "vni":
			vni, all = true, false
		case w == "all":
			all, label = true, true
		case matches(w, "help"):
			return usageText("Usage: bridge monitor [file | link | fdb | mdb | vlan | vni | all]\n")
		default:
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Argument %q is unknown, try \"bridge monitor help\".", w)}
		}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	m := &monitor{e: e, label: label, bridge: true}
	m.names = &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	m.links = &linkTypes{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	m.p = &printer{palette: e.palette}
	if file != "" {
		return m.replay(file)
	}
	var groups []rtm.Group
	if link || all {
		groups = append(groups, rtm.GroupLink)
	}
	if fdb || all {
		groups = append(groups, rtm.GroupNeigh)
	}
	if mdb || all {
		groups = append(groups, rtm.GroupMDB)
	}
	// bridge subscribes to the groups past the 32 of the legacy bit mask,
	// VLANs' and VNIs', only when named or with "all" (label).
	if vlan || label {
		groups = append(groups, rtm.GroupBridgeVLAN)
	}
	if vni || label {
		groups = append(groups, rtm.GroupTunnel)
	}
	return m.listen(groups)
}
