package rtm

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// RouteSpec describes a route to add, replace, change or delete. Zero
// fields are left out of the request, and defaults follow iproute2.
type RouteSpec struct {
	// Dst is the destination; 0.0.0.0/0 or ::/0 for a default route.
	// Required, except for MPLS routes (set Label instead).
	Dst netip.Prefix
	// Src is the source prefix of a source-specific (IPv6) route.
	Src netip.Prefix
	// Table is the routing table; 0 means main (254). It is always sent
	// as RTA_TABLE too, so ids above 255 work.
	Table uint32
	// Protocol records who installs the route; 0 means RTPROT_BOOT, as
	// with "ip route add".
	Protocol uint8
	// Type is the route type; 0 means RTN_UNICAST.
	Type uint8
	// Scope is the route's scope; unless ScopeSet it is derived as
	// iproute2 derives it (link for a unicast route without a gateway,
	// host for local routes, universe otherwise).
	Scope    uint8
	ScopeSet bool
	// TOS selects by type of service.
	TOS uint8
	// Priority is the metric.
	Priority uint32
	// Gateway is the next hop. An IPv4 route through an IPv6 gateway is
	// sent as RTA_VIA.
	Gateway netip.Addr
	// OutIndex is the output interface.
	OutIndex int32
	// PrefSrc is the preferred source address.
	PrefSrc netip.Addr
	// Flags are RTNH_F_* flags, such as unix.RTNH_F_ONLINK.
	Flags uint32
	// Metrics are the RTAX_* metrics.
	Metrics RouteMetrics
	// NextHops make a multipath route; Gateway and OutIndex must then be
	// zero.
	NextHops []RouteHopSpec
	// NHID uses a nexthop object instead of Gateway/OutIndex/NextHops.
	NHID uint32
	// MPLSEncap pushes these labels (lightweight tunnel encapsulation);
	// a shorthand for Tunnel: EncapMPLS{Labels: ...}.
	MPLSEncap []uint32
	// Tunnel is the route's lightweight-tunnel encapsulation ("encap
	// ..."): seg6, seg6local, bpf, ip, ip6, mpls, ... (see [Encap]).
	Tunnel Encap
	// Realms are the route's source and destination realms (RTA_FLOW,
	// iproute2's "realms FROM/TO"): FROM<<16 | TO, 0 for none.
	Realms uint32
	// Pref is the IPv6 router preference (RTA_PREF), when PrefSet.
	Pref    uint8
	PrefSet bool
	// Expires is an IPv6 route's lifetime in seconds (RTA_EXPIRES).
	Expires uint32
	// Label and NewLabels make an MPLS route (family AF_MPLS): incoming
	// label, and the labels to swap in.
	Label     uint32
	NewLabels []uint32
	mpls      bool
}

// NextHopSpec is the former name of [RouteHopSpec].
//
// Deprecated: use RouteHopSpec; the name differed from [NexthopSpec], the
// nexthop object's spec, by one capital letter.
type NextHopSpec = RouteHopSpec

// RouteHopSpec is one hop of a multipath route ([RouteSpec.NextHops]); a
// nexthop object is described by [NexthopSpec] instead.
type RouteHopSpec struct {
	Gateway  netip.Addr
	OutIndex int32
	// Weight is 1 to 256 (0 means 1), iproute2's "weight": the kernel
	// stores weight-1 in rtnh_hops.
	Weight int
	// Flags are RTNH_F_* flags.
	Flags     uint8
	MPLSEncap []uint32
	// Tunnel is the hop's lightweight-tunnel encapsulation.
	Tunnel Encap
	// Realms are the hop's realms, as RouteSpec.Realms.
	Realms uint32
}

// MPLSRoute returns a RouteSpec for an MPLS route of incoming label.
func MPLSRoute(label uint32) RouteSpec { return RouteSpec{Label: label, mpls: true} }

func (s *RouteSpec) family() uint8 {
	switch {
	case s.mpls:
		return unix.AF_MPLS
	case s.Dst.Addr().Is4():
		return unix.AF_INET
	default:
		return unix.AF_INET6
	}
}

func (s *RouteSpec) validate() error {
	if s.mpls {
		if s.Label >= 1<<20 {
			return fmt.Errorf("MPLS label %d exceeds 20 bits", s.Label)
		}
	} else {
		if err := checkPrefix("destination", s.Dst); err != nil {
			return err
		}
		if !s.Dst.IsValid() {
			return errors.New("no destination prefix (use 0.0.0.0/0 or ::/0 for a default route)")
		}
		if s.Dst.Addr().Is4In6() {
			return fmt.Errorf("destination %v is IPv4-mapped; use the IPv4 form", s.Dst)
		}
		if s.Dst != s.Dst.Masked() {
			return fmt.Errorf("destination %v has host bits set (did you mean %v?)", s.Dst, s.Dst.Masked())
		}
	}
	fam4 := s.family() == unix.AF_INET
	if err := checkPrefix("source", s.Src); err != nil {
		return err
	}
	if s.Src.IsValid() && s.Src.Addr().Is4() != fam4 {
		return fmt.Errorf("source %v and destination %v differ in family", s.Src, s.Dst)
	}
	if s.PrefSrc.IsValid() && s.PrefSrc.Is4() != fam4 && !s.mpls {
		return fmt.Errorf("preferred source %v and destination %v differ in family", s.PrefSrc, s.Dst)
	}
	if s.Gateway.IsValid() && s.Gateway.Is4() && !fam4 && !s.mpls {
		return fmt.Errorf("IPv4 gateway %v for IPv6 destination %v", s.Gateway, s.Dst)
	}
	if len(s.NextHops) > 0 && (s.Gateway.IsValid() || s.OutIndex != 0) {
		return errors.New("a multipath route has its gateways in NextHops, not Gateway/OutIndex")
	}
	if s.NHID != 0 && (s.Gateway.IsValid() || s.OutIndex != 0 || len(s.NextHops) > 0) {
		return errors.New("a route using a nexthop object (NHID) cannot also name gateways or devices")
	}
	for i, nh := range s.NextHops {
		if nh.Weight < 0 || nh.Weight > 256 {
			return fmt.Errorf("next hop %d: weight %d outside 1..256", i, nh.Weight)
		}
		if !nh.Gateway.IsValid() && nh.OutIndex == 0 {
			return fmt.Errorf("next hop %d has neither gateway nor device", i)
		}
		if nh.Gateway.IsValid() && nh.Gateway.Is4() && !fam4 {
			return fmt.Errorf("next hop %d: IPv4 gateway %v for an IPv6 route", i, nh.Gateway)
		}
		if err := checkLabels(nh.MPLSEncap); err != nil {
			return fmt.Errorf("next hop %d: %w", i, err)
		}
		if err := checkTunnel(nh.MPLSEncap, nh.Tunnel); err != nil {
			return fmt.Errorf("next hop %d: %w", i, err)
		}
	}
	if err := checkLabels(s.MPLSEncap); err != nil {
		return err
	}
	if err := checkTunnel(s.MPLSEncap, s.Tunnel); err != nil {
		return err
	}
	return checkLabels(s.NewLabels)
}

// checkTunnel validates a Tunnel, which MPLSEncap may not accompany.
func checkTunnel(mpls []uint32, t Encap) error {
	if len(mpls) > 0 && t != nil {
		return errors.New("both MPLSEncap and Tunnel set")
	}
	return checkEncap(t)
}

func checkLabels(l []uint32) error {
	for _, v := range l {
		if v >= 1<<20 {
			return fmt.Errorf("MPLS label %d exceeds 20 bits", v)
		}
	}
	return nil
}

// appendLabels appends an MPLS label stack entry list.
func appendLabels(dst []byte, labels []uint32) []byte {
	for i, l := range labels {
		e := l << 12
		if i == len(labels)-1 {
			e |= 0x100 // bottom of stack
		}
		dst = append(dst, byte(e>>24), byte(e>>16), byte(e>>8), byte(e))
	}
	return dst
}

func encodeGateway(b *wire.Builder, fam uint8, gw netip.Addr) {
	if fam == unix.AF_MPLS || (fam == unix.AF_INET && gw.Is6()) {
		var via [18]byte
		n := 2
		if gw.Is4() {
			native.PutUint16(via[:], unix.AF_INET)
			a := gw.As4()
			n += copy(via[2:], a[:])
		} else {
			native.PutUint16(via[:], unix.AF_INET6)
			a := gw.As16()
			n += copy(via[2:], a[:])
		}
		b.Binary(unix.RTA_VIA, via[:n])
		return
	}
	b.Addr(unix.RTA_GATEWAY, gw)
}

func encodeMPLSEncap(b *wire.Builder, labels []uint32) {
	b.Uint16(unix.RTA_ENCAP_TYPE, unix.LWTUNNEL_ENCAP_MPLS)
	n := b.BeginNest(unix.RTA_ENCAP)
	b.Binary(unix.MPLS_IPTUNNEL_DST, appendLabels(nil, labels))
	b.EndNest(n)
}

// encodeRoute writes an RTM_NEWROUTE or RTM_DELROUTE request for s.
func encodeRoute(b *wire.Builder, typ, flags uint16, s *RouteSpec) error {
	if err := s.validate(); err != nil {
		return err
	}
	fam := s.family()
	table := s.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	rtype := s.Type
	if rtype == 0 {
		rtype = unix.RTN_UNICAST
	}
	proto := s.Protocol
	if proto == 0 && typ != unix.RTM_DELROUTE {
		proto = unix.RTPROT_BOOT
	}
	scope := s.Scope
	if !s.ScopeSet {
		scope = defaultScope(typ, fam, rtype, s)
	}
	b.Begin(typ, flags)
	if rt := b.Fixed(unix.SizeofRtMsg); rt != nil {
		dstLen := uint8(20) // an MPLS label
		if fam != unix.AF_MPLS {
			dstLen = uint8(s.Dst.Bits())
		}
		putRouteHeader(rt, fam, dstLen, s.Src, s.TOS, table, s.Flags)
		rt[5], rt[6], rt[7] = proto, scope, rtype
	}
	b.Uint32(unix.RTA_TABLE, table)
	switch {
	case fam == unix.AF_MPLS:
		b.Binary(unix.RTA_DST, appendLabels(nil, []uint32{s.Label}))
		if len(s.NewLabels) > 0 {
			b.Binary(unix.RTA_NEWDST, appendLabels(nil, s.NewLabels))
		}
	case s.Dst.Bits() > 0 || typ == unix.RTM_DELROUTE:
		b.Addr(unix.RTA_DST, s.Dst.Addr())
	}
	if s.Src.IsValid() {
		b.Addr(unix.RTA_SRC, s.Src.Addr())
	}
	putU32(b, unix.RTA_PRIORITY, s.Priority)
	if s.PrefSrc.IsValid() {
		b.Addr(unix.RTA_PREFSRC, s.PrefSrc)
	}
	if s.Gateway.IsValid() {
		encodeGateway(b, fam, s.Gateway)
	}
	putU32(b, unix.RTA_OIF, s.OutIndex)
	putU32(b, rtaNHID, s.NHID)
	putU32(b, unix.RTA_FLOW, s.Realms)
	if len(s.MPLSEncap) > 0 {
		encodeMPLSEncap(b, s.MPLSEncap)
	}
	if s.Tunnel != nil {
		encodeEncap(b, unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, s.Tunnel)
	}
	if !s.Metrics.isZero() {
		s.Metrics.encode(b)
	}
	if len(s.NextHops) > 0 {
		encodeMultipath(b, fam, s.NextHops)
	}
	if s.PrefSet {
		b.Uint8(unix.RTA_PREF, s.Pref)
	}
	putU32(b, unix.RTA_EXPIRES, s.Expires)
	b.End()
	return nil
}

// encodeMultipath writes RTA_MULTIPATH: an array of struct rtnexthop, each
// followed by its own attributes.
func encodeMultipath(b *wire.Builder, fam uint8, hops []RouteHopSpec) {
	n := b.BeginNest(unix.RTA_MULTIPATH)
	for _, nh := range hops {
		start := b.Len()
		hdr := b.Reserve(unix.SizeofRtNexthop)
		if hdr == nil {
			return
		}
		w := nh.Weight
		if w == 0 {
			w = 1
		}
		hdr[2], hdr[3] = nh.Flags, uint8(w-1)
		native.PutUint32(hdr[4:], uint32(nh.OutIndex))
		if nh.Gateway.IsValid() {
			encodeGateway(b, fam, nh.Gateway)
		}
		putU32(b, unix.RTA_FLOW, nh.Realms)
		if len(nh.MPLSEncap) > 0 {
			encodeMPLSEncap(b, nh.MPLSEncap)
		}
		if nh.Tunnel != nil {
			encodeEncap(b, unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, nh.Tunnel)
		}
		// rtnh_len covers the header and the hop's attributes.
		native.PutUint16(b.Bytes()[start:], uint16(b.Len()-start))
	}
	b.EndNest(n)
}

// defaultScope reproduces iproute2's choice of scope.
func defaultScope(typ uint16, fam, rtype uint8, s *RouteSpec) uint8 {
	switch {
	case fam == unix.AF_INET6 || fam == unix.AF_MPLS:
		return unix.RT_SCOPE_UNIVERSE
	case rtype == unix.RTN_LOCAL || rtype == unix.RTN_NAT:
		return unix.RT_SCOPE_HOST
	case rtype == unix.RTN_BROADCAST || rtype == unix.RTN_MULTICAST || rtype == unix.RTN_ANYCAST:
		return unix.RT_SCOPE_LINK
	case rtype == unix.RTN_UNICAST && typ == unix.RTM_DELROUTE:
		return unix.RT_SCOPE_NOWHERE
	case rtype == unix.RTN_UNICAST && !s.Gateway.IsValid() && len(s.NextHops) == 0 && s.NHID == 0:
		return unix.RT_SCOPE_LINK
	}
	return unix.RT_SCOPE_UNIVERSE
}

func (s *RouteSpec) opName(op string) string {
	if s.mpls {
		return fmt.Sprintf("%s mpls %d", op, s.Label)
	}
	if s.Table != 0 && s.Table != unix.RT_TABLE_MAIN {
		return fmt.Sprintf("%s table %d", withPrefix(op, s.Dst), s.Table)
	}
	return withPrefix(op, s.Dst)
}

// RouteAdd adds a route; EEXIST if one with the same key exists.
func (h *Handle) RouteAdd(ctx context.Context, s RouteSpec) error {
	return h.Do(ctx, RouteAdd(s))
}

// RouteReplace adds a route or replaces the one with the same key.
func (h *Handle) RouteReplace(ctx context.Context, s RouteSpec) error {
	return h.Do(ctx, RouteReplace(s))
}

// RouteChange changes an existing route; ENOENT if there is none.
func (h *Handle) RouteChange(ctx context.Context, s RouteSpec) error {
	return h.Do(ctx, RouteChange(s))
}

// RouteAppend adds a route after existing ones with the same key (for
// IPv6, it adds the route's next hops to the existing multipath route).
func (h *Handle) RouteAppend(ctx context.Context, s RouteSpec) error {
	return h.Do(ctx, RouteAppend(s))
}

// RoutePrepend adds a route before existing ones with the same key.
func (h *Handle) RoutePrepend(ctx context.Context, s RouteSpec) error {
	return h.Do(ctx, RoutePrepend(s))
}

// RouteDel deletes a route; fields left zero match any value.
func (h *Handle) RouteDel(ctx context.Context, s RouteSpec) error {
	return h.Do(ctx, RouteDel(s))
}

// RouteAdd adds a route-add request.
func (bt *Batch) RouteAdd(s RouteSpec) error { return bt.queue(routeAddOp, s.encode) }

// RouteReplace adds a route-replace request.
func (bt *Batch) RouteReplace(s RouteSpec) error { return bt.queue(routeReplaceOp, s.encode) }

// RouteChange adds a route-change request: it replaces an existing
// route and fails with ENOENT if there is none.
func (bt *Batch) RouteChange(s RouteSpec) error { return bt.queue(routeChangeOp, s.encode) }

// RouteDel adds a route-delete request.
func (bt *Batch) RouteDel(s RouteSpec) error { return bt.queue(routeDelOp, s.encode) }

// specOf rebuilds the key fields of a dumped route, enough to delete it.
func specOf(r Route) RouteSpec {
	s := RouteSpec{Table: r.Table(), Protocol: r.Protocol(), Type: r.Type(), TOS: r.TOS(),
		Scope: r.Scope(), ScopeSet: true, Priority: r.Priority(), OutIndex: r.OutIndex()}
	if r.Family() == unix.AF_MPLS {
		s.mpls = true
		s.Label, _ = r.Label()
		return s
	}
	s.Dst = r.Dst()
	if r.SrcLen() > 0 {
		s.Src = r.Src()
	}
	return s
}

// RouteFlush deletes every route f selects, in one pipelined batch, and
// returns how many it deleted. With a nil filter it would delete every
// route of every table, local ones included, so f is required.
func (h *Handle) RouteFlush(ctx context.Context, f *RouteFilter) (int, error) {
	if f == nil {
		return 0, errors.New("rtm: route flush needs a filter")
	}
	bt := h.NewBatch()
	for r, err := range h.Routes(ctx, f) {
		if err != nil {
			return 0, err
		}
		if r.Flags()&unix.RTM_F_CLONED != 0 {
			continue
		}
		if err := bt.RouteDel(specOf(r)); err != nil {
			return 0, err
		}
	}
	results, err := bt.Run(ctx)
	n := 0
	for _, r := range results {
		if r == nil || errors.Is(r, unix.ESRCH) || errors.Is(r, unix.ENOENT) {
			n++
		} else if err == nil {
			err = r
		}
	}
	if err != nil {
		for _, r := range results {
			if r != nil && !errors.Is(r, unix.ESRCH) && !errors.Is(r, unix.ENOENT) {
				return n, r
			}
		}
	}
	return n, nil
}

// RouteAddNextHop adds one hop to the multipath route with s's key (or
// turns a single-hop route into a multipath one), by replacing the route
// with its hops plus nh: pyroute2 IPDB's add_nh.
func (h *Handle) RouteAddNextHop(ctx context.Context, s RouteSpec, nh RouteHopSpec) error {
	cur, err := h.routeHops(ctx, &s)
	if err != nil {
		return err
	}
	s.NextHops = append(cur, nh)
	return h.RouteReplace(ctx, s)
}

// RouteDelNextHop removes the hop through gw (and, if not zero, index)
// from the multipath route with s's key: pyroute2 IPDB's del_nh.
func (h *Handle) RouteDelNextHop(ctx context.Context, s RouteSpec, gw netip.Addr, index int32) error {
	cur, err := h.routeHops(ctx, &s)
	if err != nil {
		return err
	}
	keep := cur[:0]
	found := false
	for _, nh := range cur {
		if !found && nh.Gateway == gw && (index == 0 || nh.OutIndex == index) {
			found = true
			continue
		}
		keep = append(keep, nh)
	}
	if !found {
		return fmt.Errorf("rtm: route %v has no next hop via %v: %w", s.Dst, gw, ErrNotFound)
	}
	if len(keep) == 0 {
		return fmt.Errorf("rtm: removing the last next hop of %v; delete the route instead", s.Dst)
	}
	s.NextHops = keep
	return h.RouteReplace(ctx, s)
}

// routeHops returns the hops of the route matching s's destination, table,
// priority and TOS, and fills s's other key fields from it.
func (h *Handle) routeHops(ctx context.Context, s *RouteSpec) ([]RouteHopSpec, error) {
	table := s.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	f := &RouteFilter{Family: s.family(), Table: table}
	var hops []RouteHopSpec
	found := false
	for r, err := range h.Routes(ctx, f) {
		if err != nil {
			return nil, err
		}
		if r.Dst() != s.Dst || r.Priority() != s.Priority || r.TOS() != s.TOS {
			continue
		}
		found = true
		if s.Protocol == 0 {
			s.Protocol = r.Protocol()
		}
		for nh := range r.NextHops() {
			hops = append(hops, RouteHopSpec{Gateway: nh.Gateway, OutIndex: nh.Index, Weight: nh.Weight, Flags: nh.Flags})
		}
		if len(hops) == 0 && (r.Gateway().IsValid() || r.OutIndex() != 0) {
			hops = append(hops, RouteHopSpec{Gateway: r.Gateway(), OutIndex: r.OutIndex(), Weight: 1})
		}
		break
	}
	if !found {
		return nil, fmt.Errorf("rtm: route %v in table %d: %w", s.Dst, table, ErrNotFound)
	}
	return hops, nil
}

// RouteQuery is what "ip route get" asks: the route the kernel would use
// for a packet.
type RouteQuery struct {
	// Dst is the destination address. Required.
	Dst netip.Addr
	// Src is the packet's source address.
	Src netip.Addr
	// InIndex simulates a packet arriving on this interface (iif); Src is
	// then required.
	InIndex int32
	// OutIndex forces the output interface (oif); a VRF device's index
	// here performs the lookup in that VRF.
	OutIndex int32
	Mark     uint32
	UID      uint32
	UIDSet   bool
	// IPProto, SrcPort and DstPort select by transport (for policy
	// routing on them).
	IPProto          uint8
	SrcPort, DstPort uint16
	// FIBMatch returns the FIB entry that matched rather than the
	// resolved route (RTM_F_FIB_MATCH).
	FIBMatch bool
}

// RouteGet asks the kernel which route a packet would take. The result
// owns its bytes.
func (h *Handle) RouteGet(ctx context.Context, q RouteQuery) (Route, error) {
	if !q.Dst.IsValid() {
		return Route{}, errors.New("rtm: route get: no destination")
	}
	if q.Src.IsValid() && q.Src.Is4() != q.Dst.Is4() {
		return Route{}, fmt.Errorf("rtm: route get: source %v and destination %v differ in family", q.Src, q.Dst)
	}
	b, rt := h.newRequest(unix.RTM_GETROUTE, 0, unix.SizeofRtMsg, 0)
	if rt != nil {
		rt[0] = unix.AF_INET6
		if q.Dst.Is4() {
			rt[0] = unix.AF_INET
		}
		rt[1] = uint8(q.Dst.BitLen())
		if q.Src.IsValid() {
			rt[2] = uint8(q.Src.BitLen())
		}
		// As iproute2 asks for IPv4: the reply's table is the one the
		// lookup used (RTM_F_LOOKUP_TABLE, Linux 4.8), not always main.
		// IPv6 refuses the flag and reports the table anyway.
		var flags uint32
		if rt[0] == unix.AF_INET {
			flags = unix.RTM_F_LOOKUP_TABLE
		}
		if q.FIBMatch {
			flags |= unix.RTM_F_FIB_MATCH
		}
		native.PutUint32(rt[8:], flags)
	}
	b.Addr(unix.RTA_DST, q.Dst)
	if q.Src.IsValid() {
		b.Addr(unix.RTA_SRC, q.Src)
	}
	putU32(b, unix.RTA_IIF, q.InIndex)
	putU32(b, unix.RTA_OIF, q.OutIndex)
	putU32(b, unix.RTA_MARK, q.Mark)
	if q.UIDSet {
		b.Uint32(unix.RTA_UID, q.UID)
	}
	putU8(b, unix.RTA_IP_PROTO, q.IPProto)
	putU16BE(b, unix.RTA_SPORT, q.SrcPort)
	putU16BE(b, unix.RTA_DPORT, q.DstPort)
	b.End()
	return getOf[Route](ctx, h, "route get", true, b, &routeMsgs)
}
