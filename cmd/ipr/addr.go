package main

// "ipr addr": show, add, replace, delete and flush interface addresses,
// with the syntax and output of iproute2's "ip address" (version 6.1).

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// addrUsage is "ipr addr help".
const addrUsage = "{ show [ [dev] NAME ] [ scope SCOPE ] [ to PREFIX ] [ FLAG... ] [ label LABEL ] [ up ]\n" +
	"                      [ master DEV ] [ type KIND ]\n" +
	"         | { add | change | replace } PREFIX [ peer PREFIX ] [ broadcast ADDR | + | - ] [ label LABEL ]\n" +
	"               [ scope SCOPE ] [ metric N ] [ valid_lft LFT ] [ preferred_lft LFT ] [ CONFFLAG... ] dev NAME\n" +
	"         | del PREFIX [ peer PREFIX ] [ label LABEL ] [ mngtmpaddr ] dev NAME\n" +
	"         | flush [ [dev] NAME ] [ scope SCOPE ] [ to PREFIX ] [ FLAG... ] [ label LABEL ]\n" +
	"         | save [ [dev] NAME ] | showdump | restore }\n" +
	"SCOPE := { host | link | global | NUMBER }   LFT := { forever | SECONDS }\n" +
	"FLAG := [-]{ permanent | dynamic | secondary | primary | tentative | deprecated | dadfailed | temporary | CONFFLAG }\n" +
	"CONFFLAG := { home | nodad | mngtmpaddr | noprefixroute | autojoin }"

// addrFlags are the IFA_F_* flags in iproute2's order (ifa_flag_data),
// which is the order it prints them in.
var addrFlags = [...]struct {
	name     string
	mask     uint32
	readonly bool
	v6only   bool
}{
	{"secondary", unix.IFA_F_SECONDARY, true, false},
	{"temporary", unix.IFA_F_SECONDARY, true, false},
	{"nodad", unix.IFA_F_NODAD, false, true},
	{"optimistic", unix.IFA_F_OPTIMISTIC, false, true},
	{"dadfailed", unix.IFA_F_DADFAILED, true, true},
	{"home", unix.IFA_F_HOMEADDRESS, false, true},
	{"deprecated", unix.IFA_F_DEPRECATED, true, true},
	{"tentative", unix.IFA_F_TENTATIVE, true, true},
	{"permanent", unix.IFA_F_PERMANENT, true, true},
	{"mngtmpaddr", unix.IFA_F_MANAGETEMPADDR, false, true},
	{"noprefixroute", unix.IFA_F_NOPREFIXROUTE, false, false},
	{"autojoin", unix.IFA_F_MCAUTOJOIN, false, false},
	{"stable-privacy", unix.IFA_F_STABLE_PRIVACY, true, true},
}

func addrFlagByName(name string) int {
	for i := range addrFlags {
		if addrFlags[i].name == name {
			return i
		}
	}
	return -1
}

// addrFlagFilter parses a flag filter of "addr show" or "addr flush", as
// iproute2's get_filter does: "-" negates; "dynamic" is "-permanent" and
// "primary" is "-secondary".
func addrFlagFilter(f *showFilter, w string) bool {
	name, inv := strings.CutPrefix(w, "-")
	switch name {
	case "dynamic":
		name, inv = "permanent", !inv
	case "primary":
		name, inv = "secondary", !inv
	}
	i := addrFlagByName(name)
	if i < 0 {
		return false
	}
	if inv {
		f.flags &^= addrFlags[i].mask
	} else {
		f.flags |= addrFlags[i].mask
	}
	f.flagMask |= addrFlags[i].mask
	return true
}

// keepAddr applies the address filters of iproute2's print_addrinfo.
func (f *showFilter) keepAddr(a rtm.Addr) bool {
	if f.index != 0 && a.Index() != f.index {
		return false
	}
	if (f.scope^a.Scope())&f.scopeMask != 0 {
		return false
	}
	if (f.flags^a.Flags())&f.flagMask != 0 {
		return false
	}
	if f.family != 0 && f.family != a.Family() {
		return false
	}
	if f.label != "" {
		// Addresses without a label match by their interface's name.
		var label string
		if at, ok := a.Chain().Get(unix.IFA_LABEL); ok {
			label = attrStr(at)
		} else {
			label = f.linkName(a.Index())
		}
		if ok, err := path.Match(f.label, label); !ok || err != nil {
			return false
		}
	}
	if f.prefix.IsValid() && f.prefix.Bits() > 0 {
		ip := a.IP()
		if !ip.IsValid() || !f.prefix.Contains(ip) {
			return false
		}
	}
	return true
}

// linkName is the name label filters match addresses without a label
// against; set by the commands that filter by label.
func (f *showFilter) linkName(index int32) string {
	if f.names == nil {
		return ""
	}
	return f.names.name(index)
}

// addrShow is "addr show".
func addrShow(e *env, a *args) error {
	f, h, err := parseShow(e, a, e.Family, true)
	if err != nil {
		return err
	}
	ctx := e.ctx
	links, names, err := selectLinks(ctx, h, &f, e.Details || e.Stats.level > 0)
	if err != nil {
		return err
	}
	f.names = names
	names.nsidName = e.nsidName
	// With the link family (-0, -f link) iproute2 lists the links alone:
	// no addresses, and no filtering by them.
	linkOnly := f.family == unix.AF_PACKET
	// The addresses grouped by interface in place, in the kernel's order
	// within each, and the span of each interface's: no copies.
	type span struct{ start, end int }
	var (
		addrs   []rtm.Addr
		byIndex = map[int32]span{}
	)
	if !linkOnly {
		addrs, err = rtm.Collect(h.Addrs(ctx, &rtm.AddrFilter{Family: f.family, Index: f.index}))
		if err != nil {
			return err
		}
		slices.SortStableFunc(addrs, func(a, b rtm.Addr) int { return cmp.Compare(a.Index(), b.Index()) })
		for i := 0; i < len(addrs); {
			j := i + 1
			for j < len(addrs) && addrs[j].Index() == addrs[i].Index() {
				j++
			}
			byIndex[addrs[i].Index()] = span{i, j}
			i = j
		}
	}

	p := e.newPrinter()
	// keepLink indexes each link printLink prints.
	o := linkPrint{details: e.Details, linkLayer: f.family == 0 || linkOnly || e.Details, stats: e.Stats, indexed: true}
	p.openArray("")
	var idx nla.Index
	for _, l := range links {
		p.flush()
		// iproute2's ipaddr_filter: a link is listed if one of its
		// addresses is, or, without a family filter, if it has none.
		sp := byIndex[l.Index()]
		own := addrs[sp.start:sp.end]
		keep := len(own) == 0 && (f.family == 0 || linkOnly)
		for _, ad := range own {
			if f.keepAddr(ad) {
				keep = true
				break
			}
		}
		if !keep {
			continue
		}
		// With -o, iproute2 prints no link (and so applies none of
		// print_linkinfo's filters): each address is a line of its own
		// that names its link.
		noLink := e.Oneline && !linkOnly && !e.Brief
		if !noLink && !f.keepLink(l, &idx) {
			// print_linkinfo's filters come after ip has opened the
			// link's JSON object: "ip -j" lists an empty one.
			if f.label == "" {
				p.openObject("")
				p.closeObject()
			}
			continue
		}
		p.openObject("")
		switch {
		case e.Brief && f.label == "":
			printLinkBrief(p, l, &idx, names, linkOnly)
		case f.label == "" && !noLink:
			// As in iproute2, a label filter lists addresses alone.
			printLink(p, l, &idx, names, o)
		}
		if linkOnly {
			p.closeObject()
			continue
		}
		p.openArray("addr_info")
		for _, ad := range own {
			if f.family != 0 && ad.Family() != f.family || f.up && !l.IsUp() {
				continue
			}
			// As for links, iproute2 opens the address's JSON object
			// before print_addrinfo's filters (scope, flags, label,
			// prefix) reject it, and lists it empty.
			p.openObject("")
			if f.keepAddr(ad) && e.Brief {
				printAddrBrief(p, ad)
			} else if f.keepAddr(ad) {
				if noLink {
					p.jsonInt("index", int64(ad.Index()))
					p.jsonStr("dev", names.name(ad.Index()))
					p.text("%d: %s", uint32(ad.Index()), names.name(ad.Index()))
				}
				printAddr(p, ad)
			}
			p.closeObject()
		}
		p.closeArray()
		if e.Brief {
			p.endl()
		}
		if e.Stats.level > 0 && !e.Brief && !noLink && f.label == "" {
			// iproute2's print_link_stats, for a link print_linkinfo
			// printed.
			idx.Reset(l.Chain())
			printLinkStats(p, &idx, e.Stats)
			p.nl()
		}
		p.closeObject()
	}
	return e.endList(p)
}

// printAddrLocal prints an address's local part, with its peer, prefix
// length and metric, as the start of iproute2's print_addrinfo.
func printAddrLocal(p *printer, ad rtm.Addr, tb *nla.Index) {
	local, hasLocal := tb.Get(unix.IFA_LOCAL)
	address, hasAddress := tb.Get(unix.IFA_ADDRESS)
	if !hasLocal {
		local, hasLocal = address, hasAddress
	}
	if !hasAddress {
		address, hasAddress = local, hasLocal
	}
	if hasLocal {
		p.colorStr(familyColor(ad.Family()), "local", "%s", hostString(local.Data))
		if hasAddress && string(address.Data) != string(local.Data) {
			p.textString(" peer ")
			p.colorStr(familyColor(ad.Family()), "address", "%s", hostString(address.Data))
		}
		p.int("prefixlen", "/%d ", int64(ad.PrefixLen()))
		if a, ok := tb.Get(unix.IFA_RT_PRIORITY); ok {
			p.uint("metric", "metric %d ", uint64(attrU32(a)))
		}
	}
}

// printAddrBrief prints one address as -brief does: the first part of
// iproute2's print_addrinfo.
func printAddrBrief(p *printer, ad rtm.Addr) {
	var tb nla.Index
	tb.Reset(ad.Chain())
	printAddrLocal(p, ad, &tb)
}

// printAddr prints one address as iproute2's print_addrinfo does.
func printAddr(p *printer, ad rtm.Addr) {
	c := ad.Chain()
	var tb nla.Index
	tb.Reset(c)
	family := ad.Family()
	if name := familyName(family); name != "" {
		p.str("family", "    %s ", name)
	} else {
		p.int("family_index", "    family %d ", int64(family))
	}
	printAddrLocal(p, ad, &tb)
	if a, ok := tb.Get(unix.IFA_BROADCAST); ok {
		p.textString("brd ")
		p.colorStr(familyColor(family), "broadcast", "%s ", hostString(a.Data))
	}
	if a, ok := tb.Get(unix.IFA_ANYCAST); ok {
		p.textString("any ")
		p.colorStr(familyColor(family), "anycast", "%s ", hostString(a.Data))
	}
	p.str("scope", "scope %s ", scopeNames.name(uint32(ad.Scope())))

	flags := ad.Flags()
	for _, f := range addrFlags {
		switch {
		case f.mask == unix.IFA_F_PERMANENT:
			if flags&f.mask == 0 {
				p.boolean("dynamic", "dynamic ", true)
			}
		case flags&f.mask != 0:
			if f.mask == unix.IFA_F_SECONDARY && family == unix.AF_INET6 {
				p.boolean("temporary", "temporary ", true)
			} else {
				p.textString(f.name + " ")
				p.jsonBool(f.name, true)
			}
		}
		flags &^= f.mask
	}
	if flags != 0 {
		s := fmt.Sprintf("%02x", flags)
		p.jsonStr("ifa_flags", s)
		p.text("flags %s ", s)
	}
	if a, ok := tb.Get(unix.IFA_LABEL); ok {
		p.str("label", "%s", attrStr(a))
	}
	if ci, ok := ad.CacheInfo(); ok {
		p.nl()
		p.textString("       valid_lft ")
		if ci.Valid == rtm.Forever {
			p.jsonUint("valid_life_time", rtm.Forever)
			p.textString("forever")
		} else {
			p.uint("valid_life_time", "%dsec", uint64(ci.Valid))
		}
		p.textString(" preferred_lft ")
		switch {
		case ci.Preferred == rtm.Forever:
			p.jsonUint("preferred_life_time", rtm.Forever)
			p.textString("forever")
		case ad.Flags()&unix.IFA_F_DEPRECATED != 0:
			p.int("preferred_life_time", "%dsec", int64(int32(ci.Preferred)))
		default:
			p.uint("preferred_life_time", "%dsec", uint64(ci.Preferred))
		}
	}
	p.endl()
}

// addrOp is the address-changing command being parsed, and the request
// it sends (ipaddr_modify's command and flags).
type addrOp int

const (
	addrAdd     addrOp = iota // RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL
	addrReplace               // RTM_NEWADDR, NLM_F_CREATE|NLM_F_REPLACE
	addrChange                // RTM_NEWADDR, NLM_F_REPLACE
	addrDelete                // RTM_DELADDR
)

// addrModify is "addr add", "addr replace", "addr change" and "addr
// del", parsed as iproute2's ipaddr_modify parses them.
func addrModify(e *env, a *args, op addrOp) error {
	var (
		spec                      rtm.AddrSpec
		family                    = e.Family
		dev                       string
		local, peer               netip.Prefix
		localExplicit             bool
		brd                       int // 0 none, 1 "+", -1 "-", 2 an address
		scoped, hasValid, hasPref bool
		valid, preferred          uint32 = rtm.Forever, rtm.Forever
	)
	setFamily := func(ad netip.Addr) {
		if family == 0 {
			family = addrFamily(ad)
		}
	}
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case w == "peer" || w == "remote":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			if peer.IsValid() {
				return usagef("peer given twice")
			}
			if peer, _, err = parsePrefix("peer", s, family); err != nil {
				return err
			}
			setFamily(peer.Addr())
		case matches(w, "broadcast") || w == "brd":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			if brd != 0 {
				return usagef("broadcast given twice")
			}
			switch s {
			case "+":
				brd = 1
			case "-":
				brd = -1
			default:
				ad, err := parseAddr("broadcast", s, family)
				if err != nil {
					return err
				}
				setFamily(ad)
				spec.Broadcast, brd = ad, 2
			}
		case w == "anycast":
			return usagef("anycast addresses are not supported")
		case w == "scope":
			spec.Scope, err = a.scopeValue(w)
			scoped = true
		case w == "dev":
			dev, err = a.value(w)
		case w == "label":
			spec.Label, err = a.value(w)
		case matches(w, "metric") || matches(w, "priority") || matches(w, "preference"):
			spec.RoutePriority, err = a.uint32Value("metric")
		case matches(w, "valid_lft"):
			err = a.lifetimeOnce("valid_lft", &valid, &hasValid)
		case matches(w, "preferred_lft"):
			err = a.lifetimeOnce("preferred_lft", &preferred, &hasPref)
		case addrFlagByName(w) >= 0:
			fl := addrFlags[addrFlagByName(w)]
			switch {
			case fl.readonly:
				fmt.Fprintf(e.Stderr, "Warning: %s option is not mutable from userspace\n", fl.name)
			case fl.v6only && family != unix.AF_INET6:
				// As in iproute2, the family is the one known so far:
				// put the address before its flags.
				fmt.Fprintf(e.Stderr, "Warning: %s option can be set only for IPv6 addresses\n", fl.name)
			default:
				spec.Flags |= fl.mask
			}
		default:
			if w == "local" {
				if w, err = a.value(w); err != nil {
					return err
				}
			}
			if local.IsValid() {
				return duparg2("local", w)
			}
			if local, localExplicit, err = parsePrefix("address", w, family); err != nil {
				return err
			}
			setFamily(local.Addr())
		}
		if err != nil {
			return err
		}
	}
	if dev == "" {
		return &cliError{code: exitFailure, msg: `Not enough information: "dev" argument is required.`}
	}
	if !local.IsValid() {
		return usagef("not enough information: no address given")
	}
	if spec.Flags&unix.IFA_F_MCAUTOJOIN != 0 && !local.Addr().IsMulticast() {
		return usagef("autojoin needs a multicast address")
	}
	spec.Prefix, spec.Peer = local, peer
	if peer.IsValid() {
		// The peer's length is the address's; a length given with the
		// local address is ignored, as iproute2 ignores it.
		spec.Prefix = netip.PrefixFrom(local.Addr(), peer.Bits())
	}
	if brd == 1 || brd == -1 {
		if op == addrDelete {
			brd = 0
		} else if family != unix.AF_INET {
			return usagef("broadcast can be set only for IPv4 addresses")
		} else if b, ok := broadcastFor(spec.Prefix, peer, brd > 0); ok {
			spec.Broadcast = b
		}
	}
	if !scoped && op != addrDelete && local.Addr().Is4() && local.Addr().As4()[0] == 127 {
		spec.Scope = unix.RT_SCOPE_HOST
	}
	if hasValid || hasPref {
		if valid == 0 {
			return usagef("valid_lft is zero")
		}
		if valid < preferred {
			return usagef("preferred_lft is greater than valid_lft")
		}
		spec.ValidLifetime, spec.PreferredLifetime = valid, preferred
	}

	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	l, err := linkByName(ctx, h, dev)
	if err != nil {
		return err
	}
	spec.Index = l.Index()
	switch op {
	case addrAdd:
		return e.change(h, rtm.AddrAdd(spec))
	case addrReplace:
		return e.change(h, rtm.AddrReplace(spec))
	case addrChange:
		return e.change(h, rtm.AddrChange(spec))
	}
	if local.Addr().Is4() && !localExplicit && !peer.IsValid() {
		// iproute2 deletes "10.0.0.1" (no length) whatever its prefix
		// length, for old scripts' sake; do the same by finding it.
		if spec, err = findAddr(ctx, h, spec); err != nil {
			return err
		}
	}
	return e.change(h, rtm.AddrDel(spec))
}

// broadcastFor computes "broadcast +" (all host bits set) or "broadcast
// -" (all clear) for an IPv4 prefix, from the peer's prefix if given.
// Like iproute2 it sets none for prefixes longer than 30 bits.
func broadcastFor(local, peer netip.Prefix, ones bool) (netip.Addr, bool) {
	p := local
	if peer.IsValid() {
		p = peer
	}
	if p.Bits() > 30 {
		return netip.Addr{}, false
	}
	b := p.Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	host := uint32(1)<<(32-p.Bits()) - 1
	if ones {
		v |= host
	} else {
		v &^= host
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// findAddr completes spec, an IPv4 address without a prefix length, with
// the length and peer of the matching address on its interface.
func findAddr(ctx context.Context, h *rtm.Handle, spec rtm.AddrSpec) (rtm.AddrSpec, error) {
	want := spec.Prefix.Addr()
	for ad, err := range h.Addrs(ctx, &rtm.AddrFilter{Family: unix.AF_INET, Index: spec.Index}) {
		if err != nil {
			return spec, err
		}
		if ad.IP() != want || (spec.Label != "" && ad.Label() != spec.Label) {
			continue
		}
		spec.Prefix = netip.PrefixFrom(want, ad.PrefixLen())
		if p := ad.Peer(); p.IsValid() {
			spec.Peer = netip.PrefixFrom(p, ad.PrefixLen())
		}
		return spec, nil
	}
	return spec, fmt.Errorf("address %v not found on interface %d: %w", want, spec.Index, unix.EADDRNOTAVAIL)
}

// maxFlushRounds bounds "addr flush" as iproute2's max_flush_loops does.
const maxFlushRounds = 10

// addrFlush is "addr flush": it deletes the addresses that match, in
// rounds, since deleting a primary IPv4 address can promote a secondary
// that then matches too.
func addrFlush(e *env, a *args) error {
	if !a.more() {
		return failf("Flush requires arguments.")
	}
	f := showFilter{family: e.Family}
	if err := parseShowFilter(a, &f, true); err != nil {
		return err
	}
	if f.up || f.groupSet || f.master != 0 || f.masterName != "" || f.kind != "" || f.slaveKind != "" {
		return usagef("flush selects addresses: up, group, master and type do not apply")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	f.names = &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	if f.dev != "" {
		l, err := linkByName(ctx, h, f.dev)
		if err != nil {
			return err
		}
		f.index = l.Index()
	}
	r := newFlushReport(e, "addresses")
	return r.finish(addrFlushRounds(ctx, h, &f, r))
}

// addrFlushRounds is ipaddr_flush's loop: the rounds of "addr flush",
// reported to rep.
func addrFlushRounds(ctx context.Context, h *rtm.Handle, f *showFilter, rep *flushReport) error {
	for round := 0; round < maxFlushRounds; round++ {
		bt := h.NewBatch()
		for ad, err := range h.Addrs(ctx, &rtm.AddrFilter{Family: f.family, Index: f.index}) {
			if err != nil {
				return err
			}
			if !f.keepAddr(ad) {
				continue
			}
			spec := rtm.AddrSpec{Index: ad.Index(), Prefix: ad.Prefix(), Flags: ad.Flags() & unix.IFA_F_MANAGETEMPADDR}
			if p := ad.Peer(); p.IsValid() {
				spec.Peer = netip.PrefixFrom(p, ad.PrefixLen())
			}
			if ad.Family() == unix.AF_INET {
				spec.Label = ad.Label()
			}
			if err := bt.AddrDel(spec); err != nil {
				return err
			}
			if rep.each() {
				rep.p.text("%d: %s", uint32(ad.Index()), f.names.name(ad.Index()))
				printAddr(rep.p, ad)
			}
		}
		// A secondary deleted along with its primary is gone already.
		if done, err := rep.endRound(ctx, bt, unix.EADDRNOTAVAIL); done || err != nil {
			return err
		}
		// Flushing primaries only takes one round: later rounds would
		// flush the secondaries promoted in their place.
		if f.flags&unix.IFA_F_SECONDARY == 0 && f.flagMask&unix.IFA_F_SECONDARY != 0 {
			rep.done()
			return nil
		}
	}
	return fmt.Errorf("flush remains incomplete after %d rounds", maxFlushRounds)
}
