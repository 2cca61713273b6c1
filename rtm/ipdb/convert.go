package ipdb

import (
	"encoding/binary"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// The inverse of a removal or a change re-creates what the kernel held,
// so each view converts back to the spec that makes it.

// RouteSpecOf returns the spec that re-creates r, a route of a snapshot
// or an event: to edit a route, change the fields wanted and pass it to
// [Routes.Change] (pyroute2's r.gateway = ...; r.commit()), or use
// [Routes.Edit], which reads the route at commit. The spec shares no
// memory with r.
func RouteSpecOf(r rtm.Route) rtm.RouteSpec { return routeSpecOf(r) }

// routeSpecOf returns the spec that re-creates r.
func routeSpecOf(r rtm.Route) rtm.RouteSpec {
	s := rtm.RouteSpec{
		Dst: r.Dst(), Table: r.Table(), Protocol: r.Protocol(), Type: r.Type(),
		Scope: r.Scope(), ScopeSet: true, TOS: r.TOS(), Priority: r.Priority(),
		Gateway: r.Gateway(), OutIndex: r.OutIndex(), PrefSrc: r.PrefSrc(),
		// Only ONLINK is a request flag; DEAD, LINKDOWN and the offload
		// flags are the kernel's reports.
		Flags:   r.Flags() & unix.RTNH_F_ONLINK,
		Metrics: r.Metrics(), NHID: r.NHID(),
	}
	if r.SrcLen() > 0 {
		s.Src = r.Src()
	}
	if p, ok := r.Pref(); ok && r.Family() == unix.AF_INET6 {
		s.Pref, s.PrefSet = p, true
	}
	if t, c := r.Encap(); t == unix.LWTUNNEL_ENCAP_MPLS {
		s.MPLSEncap = mplsLabels(c)
	}
	for nh := range r.NextHops() {
		h := rtm.NextHopSpec{Gateway: nh.Gateway, OutIndex: nh.Index, Weight: nh.Weight, Flags: nh.Flags & unix.RTNH_F_ONLINK}
		if nh.EncapType == unix.LWTUNNEL_ENCAP_MPLS {
			h.MPLSEncap = mplsLabels(nh.Encap)
		}
		s.NextHops = append(s.NextHops, h)
	}
	if s.NHID != 0 {
		s.Gateway, s.OutIndex, s.NextHops = netip.Addr{}, 0, nil
	}
	return s
}

// mplsLabels decodes the label stack of an MPLS encapsulation
// (MPLS_IPTUNNEL_DST): big-endian entries, label in the top 20 bits.
func mplsLabels(c nla.Chain) []uint32 {
	a, ok := c.Get(unix.MPLS_IPTUNNEL_DST)
	if !ok {
		return nil
	}
	var out []uint32
	for b := a.Data; len(b) >= 4; b = b[4:] {
		e := binary.BigEndian.Uint32(b)
		out = append(out, e>>12)
		if e&0x100 != 0 {
			break
		}
	}
	return out
}

// routeKeySpec returns the spec that deletes exactly r: its destination,
// slot, type and next hop.
func routeKeySpec(r rtm.Route) rtm.RouteSpec {
	s := rtm.RouteSpec{Dst: r.Dst(), Table: r.Table(), TOS: r.TOS(), Priority: r.Priority(),
		Type: r.Type(), Protocol: r.Protocol(), Gateway: r.Gateway(), OutIndex: r.OutIndex()}
	if r.SrcLen() > 0 {
		s.Src = r.Src()
	}
	return s
}

// Address flags a request may carry; the others are the kernel's.
const addrRequestFlags = unix.IFA_F_NODAD | unix.IFA_F_OPTIMISTIC | unix.IFA_F_HOMEADDRESS |
	unix.IFA_F_MANAGETEMPADDR | unix.IFA_F_NOPREFIXROUTE | unix.IFA_F_MCAUTOJOIN

// addrSpecOf returns the spec that re-creates a.
func addrSpecOf(a rtm.Addr) rtm.AddrSpec {
	s := rtm.AddrSpec{Index: a.Index(), Prefix: addrPrefix(a), Scope: a.Scope(),
		Flags: a.Flags() & addrRequestFlags, Protocol: a.Protocol(), RoutePriority: a.RoutePriority()}
	if a.Family() == unix.AF_INET {
		if p := a.Address(); p.IsValid() && p != a.Local() && a.Local().IsValid() {
			s.Peer = netip.PrefixFrom(p, a.PrefixLen())
			s.Prefix = netip.PrefixFrom(a.Local(), 32)
		}
		s.Broadcast = a.Broadcast()
		s.Label = a.Label()
	}
	if ci, ok := a.CacheInfo(); ok && ci.Valid != infinite {
		s.ValidLifetime, s.PreferredLifetime = ci.Valid, ci.Preferred
	}
	return s
}

const infinite = ^uint32(0)

// addrDelSpec returns the spec that deletes a.
func addrDelSpec(a rtm.Addr) rtm.AddrSpec {
	s := addrSpecOf(a)
	return rtm.AddrSpec{Index: s.Index, Prefix: s.Prefix, Peer: s.Peer}
}

// ruleSpecOf returns the spec that re-creates r (and, sent in a
// deletion, deletes exactly it).
func ruleSpecOf(r rtm.Rule) rtm.RuleSpec {
	s := rtm.RuleSpec{Family: r.Family(), Priority: rtm.Some(r.Priority()), Action: r.Action(),
		Table: r.Table(), Goto: r.Goto(), TOS: r.TOS(), Flags: r.Flags() & unix.FIB_RULE_INVERT,
		IIFName: r.IIFName(), OIFName: r.OIFName(), L3MDev: r.L3MDev(), IPProto: r.IPProto(),
		Flow: r.Flow(), TunID: r.TunID(), Protocol: r.Protocol(), Mark: r.Mark()}
	if r.SrcLen() > 0 {
		s.Src = r.Src()
	}
	if r.DstLen() > 0 {
		s.Dst = r.Dst()
	}
	if m, ok := r.Mask(); ok && m != infinite {
		s.Mask = m
	}
	if s.L3MDev {
		s.Table = 0
	}
	if u, ok := r.UIDRange(); ok {
		s.UIDRange = rtm.Some(u)
	}
	if p, ok := r.SrcPorts(); ok {
		s.SrcPorts = p
	}
	if p, ok := r.DstPorts(); ok {
		s.DstPorts = p
	}
	if v, ok := r.SuppressPrefixLen(); ok {
		s.SuppressPrefixLen = rtm.Some(v)
	}
	if v, ok := r.SuppressIfGroup(); ok {
		s.SuppressIfGroup = rtm.Some(v)
	}
	if d, ok := r.DSCP(); ok {
		s.DSCP = rtm.Some(d)
		s.TOS = 0
	}
	return s
}

// neighSpecOf returns the spec that re-creates n.
func neighSpecOf(n rtm.Neigh) rtm.NeighSpec {
	return rtm.NeighSpec{Index: n.Index(), Dst: n.Dst(), LLAddr: append([]byte(nil), n.LLAddr()...),
		State: n.State(), Flags: n.Flags() &^ unix.NTF_PROXY, ExtFlags: n.ExtFlags(), Protocol: n.Protocol()}
}
