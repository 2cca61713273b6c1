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
	return prefixKey{table: r.Table(), family: r.Family(), bits: uint8(r.DstLen()), dst: addr16(r.DstAddr())}
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
		s.src = addr16(r.Src().Addr())
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
		st.count(r, d)
	}
}

// count counts r in or out of the route totals.
func (st *state) count(r rtm.Route, d int) {
	st.nroutes += d
	if p := r.PrefSrc(); p.IsValid() {
		if st.prefsrc[p] += d; st.prefsrc[p] <= 0 {
			delete(st.prefsrc, p)
		}
	}
}

// setRoute stores a route notified with the header flags nlflags, and
// returns the messages it replaced. A notification with NLM_F_REPLACE
// replaces the route in the same slot whatever its next hop; a multipath
// route absorbs the single-hop routes of its slot that it lists (IPv6
// merges equal-cost routes into one).
func (st *state) setRoute(a allocator, data []byte, nlflags uint16) (replaced [][]byte, err error) {
	r, err := rtm.RouteFromBytes(data)
	if err != nil {
		return nil, err
	}
	key := prefixKeyOf(r)
	sh, g, ok := st.routes.slot(st.gen, key)
	if !ok {
		one := a.alloc(groupLenSize + len(data))
		native.PutUint32(one, uint32(len(data)))
		copy(one[groupLenSize:], data)
		st.routes.put(sh, key, one, false)
		st.count(r, 1)
		return nil, nil
	}
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
	keep = append(keep, data)
	st.routes.put(sh, key, makeGroup(a, keep), true)
	st.count(r, 1)
	return replaced, nil
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
func (st *state) delRoute(data []byte) (removed []byte, ambiguous bool, err error) {
	r, err := rtm.RouteFromBytes(data)
	if err != nil {
		return nil, false, err
	}
	key := prefixKeyOf(r)
	g, ok := st.routes.get(key)
	if !ok {
		return nil, false, nil
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
		return m, false, nil
	}
	for _, m := range msgs {
		o, _ := rtm.RouteFromBytes(m)
		if oid := idOf(o); oid.multipath && oid.slot == id.slot {
			return nil, true, nil
		}
	}
	return nil, false, nil
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
