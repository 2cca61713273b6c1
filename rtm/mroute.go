package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// rtaMFCStats is RTA_MFC_STATS: struct rta_mfc_stats.
const rtaMFCStats = 17

// MRoute is a view of one multicast forwarding cache entry: an
// RTM_NEWROUTE message of family [RTNLFamilyIPMR] or [RTNLFamilyIP6MR]
// ("ip mroute show"). Its Route methods read the message as a route: Src
// and Dst are the origin and the group as prefixes, InIndex the incoming
// interface. An MRoute yielded by a dump is valid until the next
// iteration; Clone detaches it.
type MRoute struct{ Route }

// MRouteFromBytes returns the MRoute in a message payload (the bytes after
// nlmsghdr), for decoding captured messages.
func MRouteFromBytes(b []byte) (MRoute, error) {
	r, err := RouteFromBytes(b)
	return MRoute{r}, err
}

// Clone returns a copy of r that owns its bytes.
func (r MRoute) Clone() MRoute { return MRoute{r.Route.Clone()} }

// Origin returns RTA_SRC, the source of the traffic the entry forwards;
// the unspecified address for a (*, G) entry.
func (r MRoute) Origin() netip.Addr { return r.ip(unix.RTA_SRC) }

// Group returns RTA_DST, the multicast group.
func (r MRoute) Group() netip.Addr { return r.ip(unix.RTA_DST) }

// Unresolved reports an entry the kernel queued packets for while it
// waits for the routing daemon to resolve it (RTNH_F_UNRESOLVED): it has
// no interfaces yet.
func (r MRoute) Unresolved() bool { return r.Flags()&unix.RTNH_F_UNRESOLVED != 0 }

// Offloaded reports an entry a device forwards in hardware
// (RTNH_F_OFFLOAD).
func (r MRoute) Offloaded() bool { return r.Flags()&unix.RTNH_F_OFFLOAD != 0 }

// MRouteOif is an outgoing interface of a multicast route.
type MRouteOif struct {
	Index int32
	// TTL is the interface's threshold: packets with a smaller TTL are
	// not forwarded on it.
	TTL uint8
}

// Oifs yields the outgoing interfaces (RTA_MULTIPATH, whose rtnh_hops
// carry the TTL thresholds).
func (r MRoute) Oifs() iter.Seq[MRouteOif] {
	return func(yield func(MRouteOif) bool) {
		a, ok := r.get(unix.RTA_MULTIPATH)
		if !ok {
			return
		}
		for b := range rtnexthops(a.Data) {
			if !yield(MRouteOif{Index: int32(native.Uint32(b[4:])), TTL: b[3]}) {
				return
			}
		}
	}
}

// MFCStats is struct rta_mfc_stats: what the entry forwarded.
type MFCStats struct {
	Packets, Bytes uint64
	// WrongIf counts the packets that came in on another interface than
	// the entry's.
	WrongIf uint64
}

// Stats returns RTA_MFC_STATS.
func (r MRoute) Stats() (MFCStats, bool) {
	a, ok := r.get(rtaMFCStats)
	if !ok || len(a.Data) < 24 {
		return MFCStats{}, false
	}
	d := a.Data
	return MFCStats{Packets: native.Uint64(d), Bytes: native.Uint64(d[8:]), WrongIf: native.Uint64(d[16:])}, true
}

// LastUse returns RTA_EXPIRES, which for a multicast route is how long
// ago it last forwarded a packet (in the kernel's USER_HZ ticks, 1/100 s).
func (r MRoute) LastUse() (time.Duration, bool) {
	a, ok := r.get(unix.RTA_EXPIRES)
	if !ok {
		return 0, false
	}
	v, err := a.Uint64()
	if err != nil {
		return 0, false
	}
	return time.Duration(v) * 10 * time.Millisecond, true
}

// ErrNoMRouting is the error of a multicast route dump that the kernel
// answered with unicast routes: it has no multicast routing for the family
// (CONFIG_IP_MROUTE, CONFIG_IPV6_MROUTE).
var ErrNoMRouting = errors.New("rtm: mroute dump: the kernel has no multicast routing for the family")

// MRouteFilter selects the multicast routes a dump returns.
type MRouteFilter struct {
	// Family is RTNLFamilyIPMR (the default) or RTNLFamilyIP6MR.
	// Kernel-side.
	Family uint8
	// Table keeps one multicast routing table; 0 means all. Kernel-side
	// (RTA_TABLE, as ip sends it) and checked again.
	Table uint32
	// InIndex keeps the routes of one incoming interface. User space.
	InIndex int32
}

// MRoutes streams the multicast forwarding cache that f selects ("ip
// mroute show"; IPv4 when f is nil). A kernel without the family's
// multicast routing has no entries, or answers with unicast routes, which
// end the dump with ErrNoMRouting. Each MRoute is valid until the next iteration;
// iterating allocates nothing per route.
func (h *Handle) MRoutes(ctx context.Context, f *MRouteFilter) iter.Seq2[MRoute, error] {
	return func(yield func(MRoute, error) bool) {
		family := uint8(RTNLFamilyIPMR)
		if f != nil && f.Family != 0 {
			family = f.Family
		}
		if family != RTNLFamilyIPMR && family != RTNLFamilyIP6MR {
			yield(MRoute{}, fmt.Errorf("rtm: mroute dump: family %d is neither RTNLFamilyIPMR nor RTNLFamilyIP6MR", family))
			return
		}
		b, _ := h.newRequest(unix.RTM_GETROUTE, unix.NLM_F_DUMP, unix.SizeofRtMsg, family)
		if f != nil && f.Table != 0 {
			b.Uint32(unix.RTA_TABLE, f.Table)
		}
		b.End()
		dumpOf(ctx, h, "mroute dump", &routeMsgs, b, dumpRun{}, func(v view[rtmsg], err error) bool {
			r := MRoute{Route{v}}
			switch {
			case err != nil:
				return yield(r, err)
			case r.Family() != family:
				// A kernel without this family's multicast routing
				// answers with the routes of every family.
				yield(MRoute{}, ErrNoMRouting)
				return false
			case f != nil && (f.Table != 0 && r.Table() != f.Table || f.InIndex != 0 && r.InIndex() != f.InIndex):
				return true
			}
			return yield(r, err)
		})
	}
}

// MRoute returns the event's multicast route, for RTM_NEWROUTE and
// RTM_DELROUTE of the multicast families ([GroupIPv4MRoute],
// [GroupIPv6MRoute]).
func (e Event) MRoute() (MRoute, bool) {
	r, ok := e.Route()
	if !ok || r.Family() != RTNLFamilyIPMR && r.Family() != RTNLFamilyIP6MR {
		return MRoute{}, false
	}
	return MRoute{r}, true
}
