package ipdb

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

var native = binary.NativeEndian

// state is the cached kernel state. Every object is kept as the payload
// of the kernel's own message (the bytes after nlmsghdr): no decoding on
// the way in, and the rtm views read it on the way out.
//
// A state is written by one goroutine at a time, under DB.mu; a frozen
// copy (see cow.go) is a Snapshot's, and is never written.
type state struct {
	gen   uint64
	links cowMap[indexKey, []byte]
	names cowMap[nameKey, int32]
	addrs cowMap[addrKey, []byte]
	// routes maps a destination in a table to a group: the messages of
	// every route to it, each preceded by its length (see group.go).
	routes  cowMap[prefixKey, []byte]
	nroutes int
	neighs  cowMap[neighKey, []byte]
	rules   cowMap[ruleKey, struct{}]

	// prefsrc counts the cached routes by preferred source, which the
	// kernel flushes without notice when the address goes. The writer's
	// alone: snapshots share the map but never read it.
	prefsrc map[netip.Addr]int
}

func newState(gen uint64) *state { return &state{gen: gen, prefsrc: map[netip.Addr]int{}} }

// freeze returns a copy of st for a snapshot and moves st to a new
// generation, so that the copy's shards are never written again.
func (st *state) freeze() state {
	c := *st
	c.prefsrc = nil
	st.gen++
	return c
}

// allocator copies messages into storage: the heap for single updates, a
// slab for bulk loads (see slab).
type allocator interface {
	alloc(n int) []byte
}

type heap struct{}

func (heap) alloc(n int) []byte { return make([]byte, n) }

// slab hands out pieces of large chunks, so that loading 100 000 routes
// makes a few hundred allocations rather than 100 000, and no piece is
// rounded up to a size class.
type slab struct {
	buf    []byte
	chunks int
}

// chunkSize returns the size of a slab's next chunk when it has n: they
// double from 4 KiB to 256 KiB, so that the few links or addresses of a
// namespace do not take a large chunk.
func chunkSize(n int) int { return 4 << (10 + min(n, 6)) }

func (s *slab) alloc(n int) []byte {
	if cap(s.buf)-len(s.buf) < n {
		s.buf = make([]byte, 0, max(chunkSize(s.chunks), n))
		s.chunks++
	}
	off := len(s.buf)
	s.buf = s.buf[:off+n]
	return s.buf[off : off+n : off+n]
}

func clone(a allocator, b []byte) []byte {
	c := a.alloc(len(b))
	copy(c, b)
	return c
}

// Links.

// setLink stores a link and returns the message it replaces.
func (st *state) setLink(a allocator, l rtm.Link) (old []byte) {
	idx := indexKey(l.Index())
	old, _ = st.links.get(idx)
	name := l.Name()
	if old != nil {
		if ol, _ := rtm.LinkFromBytes(old); !ol.NameIs(name) {
			st.names.del(st.gen, nameKey(ol.Name()))
		}
	}
	stored := clone(a, l.Bytes())
	// ifi_change says what a notification changed, not what the link is:
	// dumps have it zero, and so does the cache.
	clear(stored[12:16])
	st.links.set(st.gen, idx, stored)
	st.names.set(st.gen, nameKey(name), int32(idx))
	return old
}

// delLink removes a link with its addresses, neighbours and routes, which
// the kernel removes with it (the IPv4 routes without a notification). It
// returns the removed link and what went with it.
func (st *state) delLink(index int32) (old []byte, gone []Event) {
	old, ok := st.links.get(indexKey(index))
	if !ok {
		return nil, nil
	}
	st.links.del(st.gen, indexKey(index))
	if ol, err := rtm.LinkFromBytes(old); err == nil {
		if i, ok := st.names.get(nameKey(ol.Name())); ok && i == index {
			st.names.del(st.gen, nameKey(ol.Name()))
		}
	}
	var akeys []addrKey
	st.addrs.inShard(addrKey{index: index}.hash(), func(k addrKey, v []byte) bool {
		if k.index == index {
			akeys = append(akeys, k)
			gone = append(gone, Event{Type: unix.RTM_DELADDR, Data: v, Synthetic: true})
		}
		return true
	})
	for _, k := range akeys {
		st.delAddrKey(k)
	}
	var nkeys []neighKey
	st.neighs.all(func(k neighKey, v []byte) bool {
		if k.index == index {
			nkeys = append(nkeys, k)
			gone = append(gone, Event{Type: unix.RTM_DELNEIGH, Data: v, Synthetic: true})
		}
		return true
	})
	for _, k := range nkeys {
		st.neighs.del(st.gen, k)
	}
	gone = append(gone, st.removeRoutes(func(r rtm.Route) bool { return usesDevice(r, index) })...)
	return old, gone
}

func usesDevice(r rtm.Route, index int32) bool {
	if r.OutIndex() == index {
		return true
	}
	for nh := range r.NextHops() {
		if nh.Index == index {
			return true
		}
	}
	return false
}

// Addresses.

func addrKeyOf(a rtm.Addr) addrKey {
	k := addrKey{index: a.Index(), family: a.Family(), plen: uint8(a.PrefixLen())}
	local, address := a.Local(), a.Address()
	if !local.IsValid() {
		local = address
	}
	k.local = keyAddr(local)
	if address.IsValid() && address != local {
		k.peer = keyAddr(address)
	}
	return k
}

func (st *state) setAddr(a allocator, v rtm.Addr) {
	st.addrs.set(st.gen, addrKeyOf(v), clone(a, v.Bytes()))
}

func (st *state) delAddr(v rtm.Addr) { st.delAddrKey(addrKeyOf(v)) }

func (st *state) delAddrKey(k addrKey) { st.addrs.del(st.gen, k) }

// Neighbours.

func neighKeyOf(n rtm.Neigh) neighKey {
	k := neighKey{index: n.Index(), family: n.Family()}
	// The chain rather than n.Dst: without an index, one look suffices.
	if a, ok := n.Chain().Get(unix.NDA_DST); ok {
		k.dst = keyAddrBytes(a.Data)
	}
	return k
}

// mirroredNeigh reports whether a neighbour message is of the kind the
// database mirrors: ARP and NDP entries, not bridge FDB or proxy entries,
// which a neighbour dump does not return either.
//
// Nor the NOARP entries the kernel makes for multicast addresses, such as
// ff02::2, which it creates without a notification.
func mirroredNeigh(n rtm.Neigh) bool {
	f := n.Family()
	if f != unix.AF_INET && f != unix.AF_INET6 || n.Flags()&unix.NTF_PROXY != 0 {
		return false
	}
	return n.State() != unix.NUD_NOARP || !n.Dst().IsMulticast()
}

func (st *state) setNeigh(a allocator, n rtm.Neigh) {
	st.neighs.set(st.gen, neighKeyOf(n), clone(a, n.Bytes()))
}

func (st *state) delNeigh(n rtm.Neigh) { st.neighs.del(st.gen, neighKeyOf(n)) }

// Rules.

func (st *state) setRule(data []byte) { st.rules.set(st.gen, ruleKey(data), struct{}{}) }

func (st *state) delRule(data []byte) { st.rules.del(st.gen, ruleKey(data)) }

// sameContent reports whether two messages with fixed headers of length
// fixed say the same thing, ignoring the attributes in volatile (counters,
// timers): what a resynchronisation compares.
func sameContent(a, b []byte, fixed int, volatile ...uint16) bool {
	if len(a) < fixed || len(b) < fixed || string(a[:fixed]) != string(b[:fixed]) {
		return false
	}
	x, y := stable(a[fixed:], volatile), stable(b[fixed:], volatile)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].Type != y[i].Type || string(x[i].Data) != string(y[i].Data) {
			return false
		}
	}
	return true
}

// stable returns the attributes of c that are not volatile.
func stable(c nla.Chain, volatile []uint16) []nla.Attr {
	var out []nla.Attr
	for at := range c.All() {
		if !slices.Contains(volatile, at.Kind()) {
			out = append(out, at)
		}
	}
	return out
}

// sameLink compares link messages as sameContent does, and their kind's
// settings too, without the bridge's and bridge ports' running timers.
func sameLink(a, b []byte) bool {
	if !sameContent(a, b, unix.SizeofIfInfomsg, append(linkVolatile, unix.IFLA_LINKINFO)...) {
		return false
	}
	la, _ := rtm.LinkFromBytes(a)
	lb, _ := rtm.LinkFromBytes(b)
	ia, _ := la.Chain().Get(unix.IFLA_LINKINFO)
	ib, _ := lb.Chain().Get(unix.IFLA_LINKINFO)
	x, y := stable(ia.Nested(), nil), stable(ib.Nested(), nil)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].Kind() != y[i].Kind() {
			return false
		}
		var volatile []uint16
		switch x[i].Kind() {
		case unix.IFLA_INFO_DATA:
			if la.Kind() == "bridge" {
				volatile = bridgeTimers
			}
		case unix.IFLA_INFO_SLAVE_DATA:
			if la.PortKind() == "bridge" {
				volatile = bridgePortTimers
			}
		}
		if !sameContent(x[i].Data, y[i].Data, 0, volatile...) {
			return false
		}
	}
	return true
}

// The running timers of bridges and their ports (IFLA_BR_*_TIMER,
// IFLA_BRPORT_*_TIMER), which x/sys/unix names.
var (
	bridgeTimers     = []uint16{unix.IFLA_BR_HELLO_TIMER, unix.IFLA_BR_TCN_TIMER, unix.IFLA_BR_TOPOLOGY_CHANGE_TIMER, unix.IFLA_BR_GC_TIMER}
	bridgePortTimers = []uint16{unix.IFLA_BRPORT_MESSAGE_AGE_TIMER, unix.IFLA_BRPORT_FORWARD_DELAY_TIMER, unix.IFLA_BRPORT_HOLD_TIMER}
)

// Volatile attributes per kind: what changes without the object changing.
var (
	// IFLA_AF_SPEC holds per-family counters and settings (IPv6
	// statistics, devconf) that change without a link notification.
	linkVolatile  = []uint16{unix.IFLA_AF_SPEC, unix.IFLA_STATS, unix.IFLA_STATS64, unix.IFLA_CARRIER_CHANGES, unix.IFLA_CARRIER_UP_COUNT, unix.IFLA_CARRIER_DOWN_COUNT}
	addrVolatile  = []uint16{unix.IFA_CACHEINFO}
	routeVolatile = []uint16{unix.RTA_CACHEINFO, unix.RTA_EXPIRES}
	neighVolatile = []uint16{unix.NDA_CACHEINFO, unix.NDA_PROBES}
)
