package ipdb

// The matching of route and rule specifications that planning uses.

import (
	"net/netip"
	"slices"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// findRoute finds the route s designates: by destination and table (one
// lookup), and by every other key field s sets (in slot mode, TOS and
// priority as given, zero included). It returns the routes to s's
// destination and the route's position among them.
func (p *planner) findRoute(s *rtm.RouteSpec, slot bool) (k prefixKey, rs []wroute, i int, ok bool) {
	k = destOf(s)
	rs = p.w.routesAt(k)
	i = slices.IndexFunc(rs, func(r wroute) bool { return r.matches(s, slot) })
	return k, rs, i, i >= 0
}

func routeMatches(s, r *rtm.RouteSpec, slot bool) bool {
	switch {
	case r.Dst != s.Dst,
		slot && (r.TOS != s.TOS || r.Priority != s.Priority),
		!slot && s.Priority != 0 && r.Priority != s.Priority,
		!slot && s.TOS != 0 && r.TOS != s.TOS,
		!slot && s.Gateway.IsValid() && r.Gateway != s.Gateway,
		!slot && s.OutIndex != 0 && r.OutIndex != s.OutIndex:
		return false
	}
	return true
}

func hopsOfSpec(s *rtm.RouteSpec) []rtm.NextHopSpec {
	if len(s.NextHops) > 0 {
		return slices.Clone(s.NextHops)
	}
	if s.Gateway.IsValid() || s.OutIndex != 0 {
		return []rtm.NextHopSpec{{Gateway: s.Gateway, OutIndex: s.OutIndex, Weight: 1, Flags: uint8(s.Flags & unix.RTNH_F_ONLINK)}}
	}
	return nil
}

func setHops(s *rtm.RouteSpec, hops []rtm.NextHopSpec) {
	s.Gateway, s.OutIndex, s.NextHops = netip.Addr{}, 0, nil
	if len(hops) == 1 {
		s.Gateway, s.OutIndex = hops[0].Gateway, hops[0].OutIndex
		return
	}
	s.NextHops = hops
	s.Flags &^= unix.RTNH_F_ONLINK
}

// cloneRouteSpec returns a copy of s that shares no slice with it.
func cloneRouteSpec(s *rtm.RouteSpec) rtm.RouteSpec {
	c := *s
	c.MPLSEncap = slices.Clone(s.MPLSEncap)
	c.NextHops = slices.Clone(s.NextHops)
	for i := range c.NextHops {
		c.NextHops[i].MPLSEncap = slices.Clone(c.NextHops[i].MPLSEncap)
	}
	return c
}

// keyOfSpec returns the spec that deletes exactly the route s describes.
func keyOfSpec(s *rtm.RouteSpec) rtm.RouteSpec {
	return rtm.RouteSpec{Dst: s.Dst, Src: s.Src, Table: s.Table, TOS: s.TOS, Priority: s.Priority,
		Type: s.Type, Protocol: s.Protocol, Gateway: s.Gateway, OutIndex: s.OutIndex}
}

func ruleMatches(q, r *rtm.RuleSpec) bool {
	if p, ok := q.Priority.Get(); ok && r.Priority.Or(0) != p {
		return false
	}
	fam := q.Family
	if fam == 0 && q.Src.IsValid() {
		fam = family(q.Src.Addr())
	} else if fam == 0 && q.Dst.IsValid() {
		fam = family(q.Dst.Addr())
	}
	switch {
	case fam != 0 && r.Family != fam,
		q.Table != 0 && r.Table != q.Table,
		q.Src.IsValid() && r.Src != q.Src,
		q.Dst.IsValid() && r.Dst != q.Dst,
		q.IIFName != "" && r.IIFName != q.IIFName,
		q.OIFName != "" && r.OIFName != q.OIFName,
		q.Mark != 0 && r.Mark != q.Mark,
		q.Action != 0 && r.Action != q.Action,
		q.Protocol != 0 && r.Protocol != q.Protocol:
		return false
	}
	return true
}
