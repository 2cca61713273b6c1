package ipdb

import (
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// Routes are stored by destination: a group holds the messages of every
// route to one prefix in one table, each preceded by its length as a
// native uint32. Most groups hold one route, so a cached IPv4 route costs
// its message, four bytes and one map slot.

const groupLenSize = 4

// groupEach yields the messages of a group.
func groupEach(g []byte, yield func(msg []byte) bool) {
	for len(g) >= groupLenSize {
		n := int(native.Uint32(g))
		if n > len(g)-groupLenSize {
			return
		}
		m := g[groupLenSize : groupLenSize+n : groupLenSize+n]
		if !yield(m) {
			return
		}
		g = g[groupLenSize+n:]
	}
}

func groupMsgs(g []byte) [][]byte {
	var out [][]byte
	groupEach(g, func(m []byte) bool { out = append(out, m); return true })
	return out
}

func makeGroup(a allocator, msgs [][]byte) []byte {
	n := 0
	for _, m := range msgs {
		n += groupLenSize + len(m)
	}
	g := a.alloc(n)
	off := 0
	for _, m := range msgs {
		native.PutUint32(g[off:], uint32(len(m)))
		off += groupLenSize + copy(g[off+groupLenSize:], m)
	}
	return g
}

// mirroredRoute reports whether a route is of the kind the database
// mirrors: IPv4 and IPv6 FIB entries, not cache clones or other families.
func mirroredRoute(r rtm.Route) bool {
	f := r.Family()
	return (f == unix.AF_INET || f == unix.AF_INET6) && r.Flags()&unix.RTM_F_CLONED == 0
}

func prefixKeyOf(r rtm.Route) prefixKey {
	k, _ := scanRoute(r)
	return k
}

// scanRoute reads a route's key and preferred source in one pass over
// its attributes, without building an index: loading 100 000 routes
// does this for each.
func scanRoute(r rtm.Route) (k prefixKey, prefsrc netip.Addr) {
	hdr := r.Bytes()
	if len(hdr) < unix.SizeofRtMsg {
		return k, prefsrc
	}
	// rtm_table, which RTA_TABLE overrides: the view's Table, in the pass.
	k = prefixKey{table: uint32(hdr[4]), family: r.Family(), bits: uint8(r.DstLen())}
	var seen uint8 // the first attribute of a type counts, as for Get
	for a := range r.Chain().All() {
		switch a.Kind() {
		case unix.RTA_TABLE:
			if seen&1 == 0 && len(a.Data) == 4 {
				k.table = native.Uint32(a.Data)
			}
			seen |= 1
		case unix.RTA_DST:
			if seen&2 == 0 && k.family != unix.AF_MPLS {
				k.dst = keyAddrBytes(a.Data)
			}
			seen |= 2
		case unix.RTA_PREFSRC:
			if seen&4 == 0 {
				prefsrc, _ = a.Addr()
			}
			seen |= 4
		}
	}
	return k, prefsrc
}

// routeSlot is what the kernel replaces in place: a route's TOS,
// priority and source prefix within its destination and table.
type routeSlot struct {
	tos, srcLen uint8
	prio        uint32
	src         [16]byte
}

// routeID identifies a route among those of one destination: its slot,
// type and next hop. Routes appended to one slot differ by next hop.
type routeID struct {
	slot      routeSlot
	typ       uint8
	oif       int32
	gw        netip.Addr
	multipath bool
}

func slotOf(r rtm.Route) routeSlot {
	s := routeSlot{tos: r.TOS(), srcLen: uint8(r.SrcLen()), prio: r.Priority()}
	if s.srcLen > 0 {
		s.src = keyAddr(r.Src().Addr())
	}
	return s
}

func idOf(r rtm.Route) routeID {
	id := routeID{slot: slotOf(r), typ: r.Type(), oif: r.OutIndex(), gw: r.Gateway()}
	for range r.NextHops() {
		id.multipath = true
		break
	}
	return id
}

type hopID struct {
	oif int32
	gw  netip.Addr
}

func hopsOf(r rtm.Route) []hopID {
	var hops []hopID
	for nh := range r.NextHops() {
		hops = append(hops, hopID{nh.Index, nh.Gateway})
	}
	return hops
}

func (st *state) countRoute(msg []byte, d int) {
	if r, err := rtm.RouteFromBytes(msg); err == nil {
		st.count(r.PrefSrc(), d)
	}
}

// count counts a route with preferred source prefsrc (if valid) in or out
// of the route totals.
func (st *state) count(prefsrc netip.Addr, d int) {
	st.nroutes += d
	if p := prefsrc; p.IsValid() {
		if st.prefsrc[p] += d; st.prefsrc[p] <= 0 {
			delete(st.prefsrc, p)
		}
	}
}

// newGroup returns a group of the one message m.
func newGroup(a allocator, m []byte) []byte {
	g := a.alloc(groupLenSize + len(m))
	native.PutUint32(g, uint32(len(m)))
	copy(g[groupLenSize:], m)
	return g
}

// setRoute stores a route notified with the header flags nlflags, and
// returns the messages it replaced.
func (st *state) setRoute(a allocator, r rtm.Route, nlflags uint16) (replaced [][]byte) {
	key := prefixKeyOf(r)
	sh, g, ok := st.routes.slot(st.gen, key)
	if !ok {
		st.routes.put(sh, key, newGroup(a, r.Bytes()), false)
		st.count(r.PrefSrc(), 1)
		return nil
	}
	g, replaced = st.addToGroup(a, g, r, nlflags)
	st.routes.put(sh, key, g, true)
	return replaced
}

// addToGroup returns group g with the route r, notified with the header
// flags nlflags, added, and the messages r replaced, and counts the
// change. A notification with NLM_F_REPLACE replaces the route in the
// same slot whatever its next hop; a multipath route absorbs the
// single-hop routes of its slot that it lists (IPv6 merges equal-cost
// routes into one).
func (st *state) addToGroup(a allocator, g []byte, r rtm.Route, nlflags uint16) (merged []byte, replaced [][]byte) {
	id := idOf(r)
	hops := hopsOf(r)
	msgs := groupMsgs(g)
	keep := msgs[:0:0]
	for _, m := range msgs {
		o, _ := rtm.RouteFromBytes(m)
		oid := idOf(o)
		drop := oid == id
		if !drop && oid.slot == id.slot {
			switch {
			case nlflags&unix.NLM_F_REPLACE != 0:
				drop = true
			case id.multipath && (oid.multipath || containsHop(hops, hopID{oid.oif, oid.gw})):
				drop = true
			}
		}
		if drop {
			replaced = append(replaced, m)
			st.countRoute(m, -1)
		} else {
			keep = append(keep, m)
		}
	}
	st.count(r.PrefSrc(), 1)
	return makeGroup(a, append(keep, r.Bytes())), replaced
}

func containsHop(hops []hopID, h hopID) bool {
	for _, x := range hops {
		if x == h {
			return true
		}
	}
	return false
}

// delRoute removes a route and returns it. ambiguous reports a deletion
// the cache cannot apply exactly: one hop of an IPv6 multipath route,
// which the kernel notifies alone. The caller then re-reads the table.
func (st *state) delRoute(r rtm.Route) (removed []byte, ambiguous bool) {
	key := prefixKeyOf(r)
	g, ok := st.routes.get(key)
	if !ok {
		return nil, false
	}
	id := idOf(r)
	msgs := groupMsgs(g)
	for i, m := range msgs {
		o, _ := rtm.RouteFromBytes(m)
		if idOf(o) != id {
			continue
		}
		st.countRoute(m, -1)
		rest := append(msgs[:i:i], msgs[i+1:]...)
		if len(rest) == 0 {
			st.routes.del(st.gen, key)
		} else {
			st.routes.set(st.gen, key, makeGroup(heap{}, rest))
		}
		return m, false
	}
	for _, m := range msgs {
		o, _ := rtm.RouteFromBytes(m)
		if oid := idOf(o); oid.multipath && oid.slot == id.slot {
			return nil, true
		}
	}
	return nil, false
}

// removeRoutes removes the cached routes pred selects and returns them as
// synthetic deletions.
func (st *state) removeRoutes(pred func(rtm.Route) bool) []Event {
	type change struct {
		key prefixKey
		msg [][]byte
	}
	var changes []change
	var gone []Event
	st.routes.all(func(k prefixKey, g []byte) bool {
		var keep [][]byte
		hit := false
		groupEach(g, func(m []byte) bool {
			r, err := rtm.RouteFromBytes(m)
			if err == nil && pred(r) {
				hit = true
				gone = append(gone, Event{Type: unix.RTM_DELROUTE, Data: m, Synthetic: true})
			} else {
				keep = append(keep, m)
			}
			return true
		})
		if hit {
			changes = append(changes, change{k, keep})
		}
		return true
	})
	for _, c := range changes {
		if len(c.msg) == 0 {
			st.routes.del(st.gen, c.key)
		} else {
			st.routes.set(st.gen, c.key, makeGroup(heap{}, c.msg))
		}
	}
	for _, e := range gone {
		st.countRoute(e.Data, -1)
	}
	return gone
}
