package ipdb

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"slices"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ErrNotFound is matched by errors.Is when a lookup finds nothing.
var ErrNotFound = errors.New("ipdb: not found")

// Snapshot is the database's state at one moment. It never changes, and
// any number of goroutines may read it. The views it returns share its
// storage: they stay valid, and must not be modified.
//
// A database opened with [WithKinds], [WithRouteTables] or
// [WithoutRouteTables] holds nothing of the objects it does not mirror:
// their lookups find nothing, which [Snapshot.Mirrors] and
// [Snapshot.MirrorsTable] tell apart from none in the kernel, and
// [Snapshot.Route] fails with [ErrNotMirrored].
type Snapshot struct {
	st state
	// sc is what the database mirrors (a copy: a snapshot must not keep
	// the database alive).
	sc scope
}

// LinkByName returns the link of that name.
func (s *Snapshot) LinkByName(name string) (rtm.Link, bool) {
	i, ok := s.st.names.get(nameKey(name))
	if !ok {
		return rtm.Link{}, false
	}
	return s.LinkByIndex(i)
}

// LinkByIndex returns the link of that index.
func (s *Snapshot) LinkByIndex(index int32) (rtm.Link, bool) {
	b, ok := s.st.links.get(indexKey(index))
	if !ok {
		return rtm.Link{}, false
	}
	l, err := rtm.LinkFromBytes(b)
	return l, err == nil
}

// Links returns every link, by index.
func (s *Snapshot) Links() []rtm.Link {
	out := make([]rtm.Link, 0, s.st.links.n)
	s.st.links.all(func(_ indexKey, b []byte) bool {
		if l, err := rtm.LinkFromBytes(b); err == nil {
			out = append(out, l)
		}
		return true
	})
	slices.SortFunc(out, func(a, b rtm.Link) int { return cmp.Compare(a.Index(), b.Index()) })
	return out
}

// Ports returns the ports of the bridge, bond or VRF of that index: the
// links whose master it is, by index (pyroute2's ports). It reads every
// link: the database keeps no index by master.
func (s *Snapshot) Ports(master int32) []rtm.Link {
	var out []rtm.Link
	s.st.links.all(func(_ indexKey, b []byte) bool {
		if l, err := rtm.LinkFromBytes(b); err == nil && l.MasterIndex() == master && master != 0 {
			out = append(out, l)
		}
		return true
	})
	slices.SortFunc(out, func(a, b rtm.Link) int { return cmp.Compare(a.Index(), b.Index()) })
	return out
}

// NumLinks returns the number of links.
func (s *Snapshot) NumLinks() int { return s.st.links.n }

// Addrs returns the addresses of the interface of that index (of every
// interface if index is 0) and family (AF_INET, AF_INET6, or 0 for both),
// by interface and then prefix.
func (s *Snapshot) Addrs(index int32, family uint8) []rtm.Addr {
	var out []rtm.Addr
	keep := func(k addrKey, b []byte) bool {
		if (index == 0 || k.index == index) && (family == 0 || k.family == family) {
			if a, err := rtm.AddrFromBytes(b); err == nil {
				out = append(out, a)
			}
		}
		return true
	}
	if index != 0 {
		s.st.addrs.inShard(addrKey{index: index}.hash(), keep)
	} else {
		s.st.addrs.all(keep)
	}
	slices.SortFunc(out, func(a, b rtm.Addr) int {
		if c := cmp.Compare(a.Index(), b.Index()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Family(), b.Family()); c != 0 {
			return c
		}
		return addrPrefix(a).Addr().Compare(addrPrefix(b).Addr())
	})
	return out
}

// IPv4 returns the IPv4 addresses of an interface, as prefixes
// (192.0.2.1/24).
func (s *Snapshot) IPv4(index int32) []netip.Prefix { return s.prefixes(index, unix.AF_INET) }

// IPv6 returns the IPv6 addresses of an interface.
func (s *Snapshot) IPv6(index int32) []netip.Prefix { return s.prefixes(index, unix.AF_INET6) }

func (s *Snapshot) prefixes(index int32, family uint8) []netip.Prefix {
	var out []netip.Prefix
	for _, a := range s.Addrs(index, family) {
		out = append(out, addrPrefix(a))
	}
	return out
}

// NumAddrs returns the number of addresses.
func (s *Snapshot) NumAddrs() int { return s.st.addrs.n }

// NumRoutes returns the number of routes, over every table.
func (s *Snapshot) NumRoutes() int { return s.st.nroutes }

// RouteQuery selects routes by their fields; zero fields match anything.
type RouteQuery struct {
	// Family is AF_INET or AF_INET6.
	Family uint8
	// Table is the routing table.
	Table uint32
	// Dst is the destination prefix; a lookup naming Dst and Table
	// reads one map entry.
	Dst netip.Prefix
	// Priority is the metric.
	Priority rtm.Opt[uint32]
	// TOS is the type-of-service selector.
	TOS rtm.Opt[uint8]
	// Type is the route type (RTN_*).
	Type uint8
	// Protocol is who installed the route (RTPROT_*).
	Protocol uint8
	// OutIndex matches the output interface or that of any next hop.
	OutIndex int32
	// Gateway matches the gateway or that of any next hop.
	Gateway netip.Addr
	// PrefSrc is the preferred source address.
	PrefSrc netip.Addr
}

func (q *RouteQuery) match(r rtm.Route) bool {
	switch {
	case q.Family != 0 && r.Family() != q.Family,
		q.Table != 0 && r.Table() != q.Table,
		q.Dst.IsValid() && r.Dst() != q.Dst,
		q.Type != 0 && r.Type() != q.Type,
		q.Protocol != 0 && r.Protocol() != q.Protocol,
		q.PrefSrc.IsValid() && r.PrefSrc() != q.PrefSrc:
		return false
	}
	if p, ok := q.Priority.Get(); ok && r.Priority() != p {
		return false
	}
	if t, ok := q.TOS.Get(); ok && r.TOS() != t {
		return false
	}
	if q.OutIndex != 0 && !usesDevice(r, q.OutIndex) {
		return false
	}
	if q.Gateway.IsValid() && r.Gateway() != q.Gateway {
		found := false
		for nh := range r.NextHops() {
			if nh.Gateway == q.Gateway {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Routes yields the routes q selects (every route if q is nil), in no
// particular order.
func (s *Snapshot) Routes(q *RouteQuery) iter.Seq[rtm.Route] {
	return func(yield func(rtm.Route) bool) {
		if q == nil {
			q = &RouteQuery{}
		}
		each := func(g []byte) bool {
			ok := true
			groupEach(g, func(m []byte) bool {
				r, err := rtm.RouteFromBytes(m)
				if err == nil && q.match(r) && !yield(r) {
					ok = false
				}
				return ok
			})
			return ok
		}
		if q.Dst.IsValid() && q.Table != 0 {
			k := prefixKey{table: q.Table, family: family(q.Dst.Addr()), bits: uint8(q.Dst.Bits()), dst: keyAddr(q.Dst.Addr())}
			if g, ok := s.st.routes.get(k); ok {
				each(g)
			}
			return
		}
		s.st.routes.all(func(_ prefixKey, g []byte) bool { return each(g) })
	}
}

// FindRoute returns the first route q selects; with several matches,
// the one of lowest priority.
func (s *Snapshot) FindRoute(q RouteQuery) (rtm.Route, bool) {
	var best rtm.Route
	found := false
	for r := range s.Routes(&q) {
		if !found || r.Priority() < best.Priority() {
			best, found = r, true
		}
	}
	return best, found
}

// Route looks a route up by destination in a table (0 means main):
// "default" (IPv4, else IPv6), a prefix ("10.0.0.0/8", "2001:db8::/32")
// or an address (a host route). With several routes to the destination
// it returns the one of lowest priority. A string that is none of these
// is an error; a destination without a route is ErrNotFound, and a table
// the database does not mirror is ErrNotMirrored.
func (s *Snapshot) Route(table uint32, dst string) (rtm.Route, error) {
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	if !s.sc.table(table) {
		return rtm.Route{}, fmt.Errorf("ipdb: route %s in table %d: %w", dst, table, ErrNotMirrored)
	}
	var cands []netip.Prefix
	switch {
	case dst == "default":
		cands = []netip.Prefix{netip.PrefixFrom(netip.IPv4Unspecified(), 0), netip.PrefixFrom(netip.IPv6Unspecified(), 0)}
	case strings.Contains(dst, "/"):
		p, err := netip.ParsePrefix(dst)
		if err != nil {
			return rtm.Route{}, fmt.Errorf("ipdb: route %q: %w", dst, err)
		}
		if p != p.Masked() {
			return rtm.Route{}, fmt.Errorf("ipdb: route %q has host bits set (did you mean %v?)", dst, p.Masked())
		}
		cands = []netip.Prefix{p}
	default:
		a, err := netip.ParseAddr(dst)
		if err != nil {
			return rtm.Route{}, fmt.Errorf("ipdb: route %q is neither \"default\", a prefix nor an address", dst)
		}
		cands = []netip.Prefix{netip.PrefixFrom(a, a.BitLen())}
	}
	for _, p := range cands {
		if r, ok := s.FindRoute(RouteQuery{Table: table, Dst: p}); ok {
			return r, nil
		}
	}
	return rtm.Route{}, fmt.Errorf("ipdb: route %s in table %d: %w", dst, table, ErrNotFound)
}

func family(a netip.Addr) uint8 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// Rules returns the rules by priority.
func (s *Snapshot) Rules() []rtm.Rule {
	var out []rtm.Rule
	s.st.rules.all(func(k ruleKey, _ struct{}) bool {
		if r, err := rtm.RuleFromBytes([]byte(k)); err == nil {
			out = append(out, r)
		}
		return true
	})
	slices.SortStableFunc(out, func(a, b rtm.Rule) int {
		if c := cmp.Compare(a.Family(), b.Family()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Priority(), b.Priority()); c != 0 {
			return c
		}
		return strings.Compare(string(a.Bytes()), string(b.Bytes()))
	})
	return out
}

// Neighs yields the neighbours of the interface of that index (of every
// interface if index is 0), in no particular order.
func (s *Snapshot) Neighs(index int32) iter.Seq[rtm.Neigh] {
	return func(yield func(rtm.Neigh) bool) {
		s.st.neighs.all(func(k neighKey, b []byte) bool {
			if index != 0 && k.index != index {
				return true
			}
			n, err := rtm.NeighFromBytes(b)
			return err != nil || yield(n)
		})
	}
}

// Neigh returns the neighbour of an interface with that address.
func (s *Snapshot) Neigh(index int32, addr netip.Addr) (rtm.Neigh, bool) {
	b, ok := s.st.neighs.get(neighKey{index: index, family: family(addr), dst: keyAddr(addr)})
	if !ok {
		return rtm.Neigh{}, false
	}
	n, err := rtm.NeighFromBytes(b)
	return n, err == nil
}

// NumNeighs returns the number of neighbours.
func (s *Snapshot) NumNeighs() int { return s.st.neighs.n }
