package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Nexthop attributes and constants x/sys/unix lacks (linux/nexthop.h).
const (
	nhaFDB       = 11 // NHA_FDB: flag, a bridge FDB nexthop
	nhaResGroup  = 12 // NHA_RES_GROUP: nested NHA_RES_GROUP_*
	nhaResBucket = 13 // NHA_RES_BUCKET: nested NHA_RES_BUCKET_*

	nhaResGroupBuckets         = 1 // u16
	nhaResGroupIdleTimer       = 2 // clock_t as u32
	nhaResGroupUnbalancedTimer = 3 // clock_t as u32
	nhaResGroupUnbalancedTime  = 4 // clock_t as u64, read-only

	nhaResBucketIndex    = 1 // u16
	nhaResBucketIdleTime = 2 // clock_t as u64
	nhaResBucketNHID     = 3 // u32

	// NexthopGroupMultipath (NEXTHOP_GRP_TYPE_MPATH) spreads flows over
	// a group's members by hash-threshold.
	NexthopGroupMultipath = 0
	// NexthopGroupResilient (NEXTHOP_GRP_TYPE_RES) spreads flows over a
	// fixed table of buckets, so that a member's loss or return moves as
	// few flows as possible.
	NexthopGroupResilient = 1

	sizeofNexthopGrp = 8 // struct nexthop_grp
)

// Nexthop is a view of one RTM_NEWNEXTHOP message: a nexthop object, a
// single next hop or a group of them. A Nexthop yielded by a dump is valid
// until the next iteration; Clone detaches it.
type Nexthop struct{ view[nhmsg] }

// NexthopFromBytes returns the Nexthop in a message payload (the bytes
// after nlmsghdr), for decoding captured messages.
func NexthopFromBytes(b []byte) (Nexthop, error) { return viewOf[Nexthop](&nexthopMsgs, b, nil) }

// Clone returns a copy of n that owns its bytes.
func (n Nexthop) Clone() Nexthop { return Nexthop{n.clone()} }

// Family returns nh_family: AF_INET or AF_INET6, or AF_UNSPEC for a
// group.
func (n Nexthop) Family() uint8 { return n.hdr()[0] }

// Scope returns nh_scope (RT_SCOPE_*).
func (n Nexthop) Scope() uint8 { return n.hdr()[1] }

// Protocol returns who installed the nexthop (RTPROT_*).
func (n Nexthop) Protocol() uint8 { return n.hdr()[2] }

// Flags returns nh_flags (unix.RTNH_F_ONLINK, RTNH_F_DEAD, ...).
func (n Nexthop) Flags() uint32 { return native.Uint32(n.hdr()[4:]) }

// ID returns NHA_ID.
func (n Nexthop) ID() uint32 { return n.u32or(unix.NHA_ID, 0) }

// Blackhole reports NHA_BLACKHOLE: the nexthop drops packets.
func (n Nexthop) Blackhole() bool { return n.has(unix.NHA_BLACKHOLE) }

// FDB reports NHA_FDB: the nexthop serves bridge FDB entries (VXLAN
// remotes) rather than routes.
func (n Nexthop) FDB() bool { return n.has(nhaFDB) }

// OutIndex returns NHA_OIF, the output interface.
func (n Nexthop) OutIndex() int32 {
	a, ok := n.get(unix.NHA_OIF)
	if !ok {
		return 0
	}
	v, _ := a.Uint32()
	return int32(v)
}

// Gateway returns NHA_GATEWAY.
func (n Nexthop) Gateway() netip.Addr {
	a, ok := n.get(unix.NHA_GATEWAY)
	if !ok {
		return netip.Addr{}
	}
	ip, _ := a.Addr()
	return ip
}

// Encap returns the lightweight-tunnel encapsulation: its type
// (LWTUNNEL_ENCAP_*) and attributes, or 0 and nil.
func (n Nexthop) Encap() (uint16, nla.Chain) { return n.encap(unix.NHA_ENCAP_TYPE, unix.NHA_ENCAP) }

// IsGroup reports whether the nexthop is a group (NHA_GROUP).
func (n Nexthop) IsGroup() bool { return n.has(unix.NHA_GROUP) }

// GroupType returns NHA_GROUP_TYPE: NexthopGroupMultipath or
// NexthopGroupResilient.
func (n Nexthop) GroupType() uint16 {
	a, ok := n.get(unix.NHA_GROUP_TYPE)
	if !ok {
		return NexthopGroupMultipath
	}
	v, _ := a.Uint16()
	return v
}

// NexthopGroupMember is one member of a nexthop group.
type NexthopGroupMember struct {
	// ID is the member nexthop's id.
	ID uint32
	// Weight is the member's relative weight (0 means 1): iproute2's
	// "id,weight". The kernel stores weight-1 and takes weights up to
	// 256, or since Linux 6.12 up to 65535.
	Weight int
}

// Group yields the members of a group (NHA_GROUP, an array of struct
// nexthop_grp); a single nexthop yields nothing.
func (n Nexthop) Group() iter.Seq[NexthopGroupMember] {
	return func(yield func(NexthopGroupMember) bool) {
		a, ok := n.get(unix.NHA_GROUP)
		if !ok {
			return
		}
		for b := a.Data; len(b) >= sizeofNexthopGrp; b = b[sizeofNexthopGrp:] {
			w := int(b[5])<<8 | int(b[4])
			if !yield(NexthopGroupMember{ID: native.Uint32(b), Weight: w + 1}) {
				return
			}
		}
	}
}

// NexthopResilience holds the parameters of a resilient group
// (NHA_RES_GROUP). The kernel keeps the timers in USER_HZ ticks, so they
// have a resolution of 10 ms.
type NexthopResilience struct {
	// Buckets is the number of buckets; 0 means the kernel's default
	// (128).
	Buckets uint16
	// IdleTimer is how long a bucket must be idle before the kernel may
	// move it to another member; 0 means the default (120 s).
	IdleTimer time.Duration
	// UnbalancedTimer is how long the group may stay unbalanced before
	// buckets move even if busy; 0 means never.
	UnbalancedTimer time.Duration
	// UnbalancedTime is how long the group has been unbalanced (read
	// only).
	UnbalancedTime time.Duration
}

// Resilience returns the parameters of a resilient group.
func (n Nexthop) Resilience() (NexthopResilience, bool) {
	a, ok := n.get(nhaResGroup)
	if !ok {
		return NexthopResilience{}, false
	}
	var r NexthopResilience
	for at := range a.Nested().All() {
		switch at.Kind() {
		case nhaResGroupBuckets:
			r.Buckets, _ = at.Uint16()
		case nhaResGroupIdleTimer:
			v, _ := at.Uint32()
			r.IdleTimer = clockTicks(uint64(v))
		case nhaResGroupUnbalancedTimer:
			v, _ := at.Uint32()
			r.UnbalancedTimer = clockTicks(uint64(v))
		case nhaResGroupUnbalancedTime:
			v, _ := at.Uint64()
			r.UnbalancedTime = clockTicks(v)
		}
	}
	return r, true
}

// Get returns an attribute by pyroute2-style name ("id", "gateway",
// ("res_group", "buckets")).
func (n Nexthop) Get(path ...string) (Value, bool) {
	return n.lookup(nexthopSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (n Nexthop) GetAll(path ...string) iter.Seq[Value] { return n.lookupAll(nexthopSchema, path) }

// Attrs yields every attribute with its pyroute2-style name.
func (n Nexthop) Attrs() iter.Seq2[string, Value] { return schema.All(nexthopSchema, n.Chain()) }

// NexthopFilter selects the nexthops a dump returns. The kernel applies
// every field but FDB.
type NexthopFilter struct {
	// Family keeps single nexthops of one family (nh_family); groups,
	// which have none, are then left out. Kernel-side.
	Family uint8
	// OutIndex keeps the nexthops through one interface (NHA_OIF).
	// Kernel-side.
	OutIndex int32
	// MasterIndex keeps the nexthops through ports of one master device,
	// such as a VRF (NHA_MASTER). Kernel-side.
	MasterIndex int32
	// Groups keeps only groups (NHA_GROUPS). Kernel-side.
	Groups bool
	// FDB keeps only FDB nexthops and groups. User space: the kernel
	// takes NHA_FDB in a dump request but (as of Linux 6.18) does not
	// filter by it.
	FDB bool
}

// Nexthops streams the nexthops that f selects (all when f is nil). Each
// Nexthop is valid until the next iteration; iterating allocates nothing
// per nexthop.
//
// Under concurrent changes: the kernel resumes a nexthop dump after the
// last id it sent, so every nexthop present throughout the dump is yielded
// exactly once; the dump ends in an error matching wire.ErrDumpInterrupted
// when the kernel saw nexthops change meanwhile.
func (h *Handle) Nexthops(ctx context.Context, f *NexthopFilter) iter.Seq2[Nexthop, error] {
	return func(yield func(Nexthop, error) bool) {
		var b *wire.Builder
		if f == nil {
			b = h.newNexthopDump(unix.RTM_GETNEXTHOP, 0, 0, 0)
		} else {
			b = h.newNexthopDump(unix.RTM_GETNEXTHOP, f.Family, f.OutIndex, f.MasterIndex)
			if f.Groups {
				b.Flag(unix.NHA_GROUPS)
			}
		}
		b.End()
		dumpOf(ctx, h, "nexthop dump", &nexthopMsgs, b, dumpRun{}, func(v view[nhmsg], err error) bool {
			if n := (Nexthop{v}); err != nil || f == nil || !f.FDB || n.FDB() {
				return yield(n, err)
			}
			return true
		})
	}
}

// newNexthopDump starts a dump of nexthops or buckets (typ) with the
// filters both take, as iproute2's nh_dump_filter writes them for both:
// the family in the header, the output interface and the master.
func (h *Handle) newNexthopDump(typ uint16, family uint8, oif, master int32) *wire.Builder {
	b, nh := h.newRequest(typ, unix.NLM_F_DUMP, sizeofNhMsg, 0)
	if nh != nil {
		nh[0] = family
	}
	putU32(b, unix.NHA_OIF, oif)
	putU32(b, unix.NHA_MASTER, master)
	return b
}

// NexthopGet gets one nexthop by id with a single request (no dump). A
// missing nexthop is ErrNotFound (and unix.ENOENT). The result owns its
// bytes.
func (h *Handle) NexthopGet(ctx context.Context, id uint32) (Nexthop, error) {
	op := fmt.Sprintf("nexthop get id %d", id)
	if id == 0 {
		return Nexthop{}, fmt.Errorf("rtm: %s: no id", op)
	}
	b, _ := h.newRequest(unix.RTM_GETNEXTHOP, 0, sizeofNhMsg, 0)
	b.Uint32(unix.NHA_ID, id)
	b.End()
	return getOf[Nexthop](ctx, h, op, false, b, &nexthopMsgs)
}

// NexthopSpec describes a nexthop object to add or replace: a single
// next hop (Gateway and/or OutIndex, or Blackhole) or a group (Group).
// Fields left zero are left out of the request.
type NexthopSpec struct {
	// ID is the nexthop's id; 0 lets the kernel choose one when adding.
	ID uint32
	// Family is AF_INET or AF_INET6; 0 takes Gateway's family, else
	// AF_INET. Groups have none.
	Family uint8
	// Gateway is the next hop's address.
	Gateway netip.Addr
	// OutIndex is the output interface; required for a single nexthop
	// that is neither Blackhole nor FDB.
	OutIndex int32
	// Blackhole makes a nexthop that drops packets; it takes no Gateway,
	// OutIndex or encapsulation.
	Blackhole bool
	// FDB makes a nexthop (or group) for bridge FDB entries, a VXLAN
	// remote: Gateway only, no OutIndex.
	FDB bool
	// Flags are RTNH_F_* flags, such as unix.RTNH_F_ONLINK.
	Flags uint32
	// Protocol records who installs the nexthop.
	Protocol uint8
	// EncapType and Encap are a lightweight-tunnel encapsulation
	// (LWTUNNEL_ENCAP_* and the attributes of NHA_ENCAP), as raw
	// attributes; Tunnel is the same, typed. Set one or the other.
	EncapType uint16
	Encap     nla.Chain
	Tunnel    Encap
	// Group makes a group of existing nexthops; no other field but ID,
	// FDB, Protocol, GroupType and Resilience may then be set.
	Group []NexthopGroupMember
	// GroupType is NexthopGroupMultipath (0) or NexthopGroupResilient.
	GroupType uint16
	// Resilience sets a resilient group's buckets and timers
	// (UnbalancedTime is ignored); zero fields take the kernel's
	// defaults.
	Resilience NexthopResilience
}

func (s *NexthopSpec) family() uint8 {
	switch {
	case len(s.Group) > 0:
		return unix.AF_UNSPEC
	case s.Family != 0:
		return s.Family
	case s.Gateway.IsValid():
		return ipFamily(s.Gateway)
	}
	return unix.AF_INET
}

func (s *NexthopSpec) validate() error {
	if s.Tunnel != nil {
		if s.EncapType != 0 || len(s.Encap) > 0 {
			return errors.New("both Tunnel and EncapType/Encap set")
		}
		if err := checkEncap(s.Tunnel); err != nil {
			return err
		}
	}
	encap := s.EncapType != 0 || s.Tunnel != nil
	if len(s.Group) > 0 {
		switch {
		case s.Gateway.IsValid() || s.OutIndex != 0 || s.Blackhole || encap || s.Flags != 0:
			return errors.New("a group takes no gateway, device, blackhole, flags or encapsulation")
		case s.Family != 0:
			return errors.New("a group has no family")
		case s.GroupType > NexthopGroupResilient:
			return fmt.Errorf("unknown group type %d", s.GroupType)
		case s.GroupType != NexthopGroupResilient && s.Resilience != (NexthopResilience{}):
			return errors.New("resilience parameters for a group that is not resilient")
		}
		seen := make(map[uint32]bool, len(s.Group))
		for i, m := range s.Group {
			switch {
			case m.ID == 0:
				return fmt.Errorf("group member %d has no id", i)
			case seen[m.ID]:
				return fmt.Errorf("nexthop %d is in the group twice", m.ID)
			case m.Weight < 0 || m.Weight > 1<<16-1:
				return fmt.Errorf("group member %d: weight %d outside 1..65535", m.ID, m.Weight)
			}
			seen[m.ID] = true
		}
		return checkResilience(&s.Resilience)
	}
	if s.GroupType != 0 || s.Resilience != (NexthopResilience{}) {
		return errors.New("group type or resilience without a group")
	}
	fam := s.family()
	switch {
	case fam != unix.AF_INET && fam != unix.AF_INET6:
		return fmt.Errorf("family %d is neither AF_INET nor AF_INET6", fam)
	case s.Gateway.IsValid() && s.Gateway.Is4In6():
		return fmt.Errorf("gateway %v is IPv4-mapped; use the IPv4 form", s.Gateway)
	case s.Gateway.IsValid() && s.Gateway.Is4() && fam == unix.AF_INET6:
		return fmt.Errorf("IPv4 gateway %v for an IPv6 nexthop", s.Gateway)
	case s.Blackhole && (s.Gateway.IsValid() || s.OutIndex != 0 || encap || s.FDB):
		return errors.New("a blackhole nexthop takes no gateway, device, encapsulation or FDB")
	case s.FDB && (s.OutIndex != 0 || encap):
		return errors.New("an FDB nexthop takes no device or encapsulation")
	case s.FDB && !s.Gateway.IsValid():
		return errors.New("an FDB nexthop needs a gateway")
	case !s.Blackhole && !s.FDB && s.OutIndex <= 0:
		return errors.New("a nexthop needs a device (OutIndex) unless it is a blackhole or FDB nexthop")
	case len(s.Encap) > 0 && s.EncapType == 0:
		return errors.New("encapsulation attributes without EncapType")
	}
	return nil
}

func checkResilience(r *NexthopResilience) error {
	for _, d := range []time.Duration{r.IdleTimer, r.UnbalancedTimer} {
		if d < 0 || d/(time.Second/userHZ) > 1<<32-1 {
			return fmt.Errorf("timer %v outside what the kernel holds", d)
		}
	}
	return nil
}

// encodeNexthop writes an RTM_NEWNEXTHOP request for s, laid out as
// "ip nexthop" lays it out.
func encodeNexthop(b *wire.Builder, flags uint16, s *NexthopSpec) error {
	if err := s.validate(); err != nil {
		return err
	}
	b.Begin(unix.RTM_NEWNEXTHOP, flags)
	if nh := b.Fixed(sizeofNhMsg); nh != nil {
		nh[0] = s.family()
		nh[2] = s.Protocol
		native.PutUint32(nh[4:], s.Flags)
	}
	putU32(b, unix.NHA_ID, s.ID)
	putU32(b, unix.NHA_OIF, s.OutIndex)
	if s.Gateway.IsValid() {
		b.Addr(unix.NHA_GATEWAY, s.Gateway)
	}
	if s.Blackhole {
		b.Flag(unix.NHA_BLACKHOLE)
	}
	if s.FDB {
		b.Flag(nhaFDB)
	}
	if s.EncapType != 0 {
		b.Uint16(unix.NHA_ENCAP_TYPE, s.EncapType)
		n := b.BeginNest(unix.NHA_ENCAP)
		if p := b.Reserve(len(s.Encap)); p != nil {
			copy(p, s.Encap)
		}
		b.EndNest(n)
	}
	if s.Tunnel != nil {
		encodeEncap(b, unix.NHA_ENCAP_TYPE, unix.NHA_ENCAP, s.Tunnel)
	}
	if len(s.Group) > 0 {
		encodeGroup(b, s.Group)
		if s.GroupType != NexthopGroupMultipath {
			b.Uint16(unix.NHA_GROUP_TYPE, s.GroupType)
		}
		if s.GroupType == NexthopGroupResilient {
			encodeResilience(b, &s.Resilience)
		}
	}
	b.End()
	return nil
}

// encodeGroup writes NHA_GROUP, an array of struct nexthop_grp (not a
// nest: the kernel's policy is NLA_BINARY).
func encodeGroup(b *wire.Builder, group []NexthopGroupMember) {
	start := b.Len()
	b.Flag(unix.NHA_GROUP)
	for _, m := range group {
		g := b.Reserve(sizeofNexthopGrp)
		if g == nil {
			return
		}
		w := max(m.Weight, 1) - 1
		native.PutUint32(g, m.ID)
		g[4], g[5] = uint8(w), uint8(w>>8) // weight, weight_high
	}
	n := b.Len() - start
	if n > 0xffff {
		b.Fail(fmt.Errorf("rtm: a group of %d nexthops exceeds an attribute's size", len(group)))
		return
	}
	native.PutUint16(b.Bytes()[start:], uint16(n))
}

func encodeResilience(b *wire.Builder, r *NexthopResilience) {
	n := b.BeginNest(nhaResGroup)
	if r.Buckets != 0 {
		b.Uint16(nhaResGroupBuckets, r.Buckets)
	}
	if r.IdleTimer != 0 {
		b.Uint32(nhaResGroupIdleTimer, uint32(r.IdleTimer/(time.Second/userHZ)))
	}
	if r.UnbalancedTimer != 0 {
		b.Uint32(nhaResGroupUnbalancedTimer, uint32(r.UnbalancedTimer/(time.Second/userHZ)))
	}
	b.EndNest(n)
}

func nexthopName(op string, id uint32) string {
	if id == 0 {
		return op
	}
	return fmt.Sprintf("%s id %d", op, id)
}

// encode writes a nexthop request; a delete carries only the id.
func (s *NexthopSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if typ == unix.RTM_DELNEXTHOP {
		return encodeNexthopDel(b, s.ID)
	}
	return encodeNexthop(b, flags, s)
}
func (s *NexthopSpec) opName(verb string) string { return nexthopName(verb, s.ID) }

// The nexthop changes.
var (
	nexthopAddOp     = change{"nexthop add", unix.RTM_NEWNEXTHOP, nexthopAddFlags}
	nexthopReplaceOp = change{"nexthop replace", unix.RTM_NEWNEXTHOP, nexthopReplaceFlags}
	nexthopDelOp     = change{"nexthop del", unix.RTM_DELNEXTHOP, 0}
)

type nexthopRequest = specRequest[NexthopSpec, *NexthopSpec]

// NexthopAdd is the request to add a nexthop; EEXIST if one has the id
// ("ip nexthop add").
func NexthopAdd(s NexthopSpec) Request { return &nexthopRequest{nexthopAddOp, s} }

// NexthopReplace is the request to add a nexthop or replace the one with
// the id; routes and groups using it follow ("ip nexthop replace").
func NexthopReplace(s NexthopSpec) Request { return &nexthopRequest{nexthopReplaceOp, s} }

// NexthopDel is the request to delete the nexthop with the id, and the
// routes using it; ENOENT if there is none ("ip nexthop del").
func NexthopDel(id uint32) Request { return &nexthopRequest{nexthopDelOp, NexthopSpec{ID: id}} }

// Flags of the nexthop-changing requests, as iproute2 sends them.
const (
	nexthopAddFlags     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	nexthopReplaceFlags = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
)

// NexthopAdd adds a nexthop; EEXIST if one has the id.
func (h *Handle) NexthopAdd(ctx context.Context, s NexthopSpec) error {
	return h.Do(ctx, NexthopAdd(s))
}

// NexthopReplace adds a nexthop or replaces the one with the id; routes
// and groups using it follow.
func (h *Handle) NexthopReplace(ctx context.Context, s NexthopSpec) error {
	return h.Do(ctx, NexthopReplace(s))
}

func encodeNexthopDel(b *wire.Builder, id uint32) error {
	if id == 0 {
		return errors.New("no id")
	}
	b.Begin(unix.RTM_DELNEXTHOP, 0)
	b.Fixed(sizeofNhMsg)
	b.Uint32(unix.NHA_ID, id)
	b.End()
	return nil
}

// NexthopDel deletes the nexthop with the id, and the routes using it;
// ENOENT if there is none.
func (h *Handle) NexthopDel(ctx context.Context, id uint32) error { return h.Do(ctx, NexthopDel(id)) }

// NexthopAdd adds a nexthop-add request.
func (bt *Batch) NexthopAdd(s NexthopSpec) error { return bt.queue(nexthopAddOp, s.encode) }

// NexthopReplace adds a nexthop-replace request.
func (bt *Batch) NexthopReplace(s NexthopSpec) error { return bt.queue(nexthopReplaceOp, s.encode) }

// NexthopDel adds a nexthop-delete request.
func (bt *Batch) NexthopDel(id uint32) error {
	s := NexthopSpec{ID: id}
	return bt.queue(nexthopDelOp, s.encode)
}

// NexthopBucket is a view of one RTM_NEWNEXTHOPBUCKET message: a bucket
// of a resilient group. A NexthopBucket yielded by a dump is valid until
// the next iteration.
type NexthopBucket struct{ view[nhmsg] }

// NexthopBucketFromBytes returns the NexthopBucket in a message payload
// (the bytes after nlmsghdr), for decoding captured messages.
func NexthopBucketFromBytes(b []byte) (NexthopBucket, error) {
	return viewOf[NexthopBucket](&nexthopBucketMsgs, b, nil)
}

// Clone returns a copy of nb that owns its bytes.
func (nb NexthopBucket) Clone() NexthopBucket { return NexthopBucket{nb.clone()} }

// Flags returns nh_flags of the bucket's nexthop (RTNH_F_*).
func (nb NexthopBucket) Flags() uint32 { return native.Uint32(nb.hdr()[4:]) }

// GroupID returns NHA_ID, the resilient group's id.
func (nb NexthopBucket) GroupID() uint32 { return nb.u32or(unix.NHA_ID, 0) }

func (nb NexthopBucket) bucketAttr(t uint16) (nla.Attr, bool) {
	a, ok := nb.get(nhaResBucket)
	if !ok {
		return nla.Attr{}, false
	}
	return a.Nested().Get(t)
}

// Index returns the bucket's index in its group.
func (nb NexthopBucket) Index() uint16 {
	a, ok := nb.bucketAttr(nhaResBucketIndex)
	if !ok {
		return 0
	}
	v, _ := a.Uint16()
	return v
}

// NexthopID returns the id of the member nexthop the bucket holds.
func (nb NexthopBucket) NexthopID() uint32 {
	a, ok := nb.bucketAttr(nhaResBucketNHID)
	if !ok {
		return 0
	}
	v, _ := a.Uint32()
	return v
}

// IdleTime returns how long the bucket has been idle, with a resolution
// of 10 ms.
func (nb NexthopBucket) IdleTime() time.Duration {
	a, ok := nb.bucketAttr(nhaResBucketIdleTime)
	if !ok {
		return 0
	}
	v, _ := a.Uint64()
	return clockTicks(v)
}

// Get returns an attribute by pyroute2-style name ("id", ("res_bucket",
// "nh_id")).
func (nb NexthopBucket) Get(path ...string) (Value, bool) {
	return nb.lookup(nexthopSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (nb NexthopBucket) GetAll(path ...string) iter.Seq[Value] {
	return nb.lookupAll(nexthopSchema, path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (nb NexthopBucket) Attrs() iter.Seq2[string, Value] {
	return schema.All(nexthopSchema, nb.Chain())
}

// NexthopBucketFilter selects the buckets a dump returns. The kernel
// applies every field.
type NexthopBucketFilter struct {
	// Family keeps the buckets whose member nexthop is of one family
	// (nh_family). Kernel-side.
	Family uint8
	// GroupID keeps the buckets of one resilient group (NHA_ID).
	// Kernel-side.
	GroupID uint32
	// NexthopID keeps the buckets holding one member nexthop
	// (NHA_RES_BUCKET_NH_ID). Kernel-side.
	NexthopID uint32
	// OutIndex and MasterIndex keep the buckets whose nexthop goes
	// through one interface, or through ports of one master (NHA_OIF,
	// NHA_MASTER). Kernel-side.
	OutIndex    int32
	MasterIndex int32
}

// NexthopBuckets streams the buckets of resilient groups that f selects
// (every bucket of every group when f is nil). Each NexthopBucket is
// valid until the next iteration; iterating allocates nothing per bucket.
func (h *Handle) NexthopBuckets(ctx context.Context, f *NexthopBucketFilter) iter.Seq2[NexthopBucket, error] {
	return func(yield func(NexthopBucket, error) bool) {
		var b *wire.Builder
		if f == nil {
			b = h.newNexthopDump(unix.RTM_GETNEXTHOPBUCKET, 0, 0, 0)
		} else {
			b = h.newNexthopDump(unix.RTM_GETNEXTHOPBUCKET, f.Family, f.OutIndex, f.MasterIndex)
			putU32(b, unix.NHA_ID, f.GroupID)
			if f.NexthopID != 0 {
				n := b.BeginNest(nhaResBucket)
				b.Uint32(nhaResBucketNHID, f.NexthopID)
				b.EndNest(n)
			}
		}
		b.End()
		dumpOf(ctx, h, "nexthop bucket dump", &nexthopBucketMsgs, b, dumpRun{}, func(v view[nhmsg], err error) bool {
			return yield(NexthopBucket{v}, err)
		})
	}
}

// NexthopBucketGet gets one bucket of a resilient group by the group's id
// and the bucket's index, with a single request (no dump), as "ip nexthop
// bucket get" does. A missing group, or an index past its last bucket, is
// ErrNotFound (and unix.ENOENT); the kernel answers EINVAL for a nexthop
// that is not a resilient group. The result owns its bytes.
func (h *Handle) NexthopBucketGet(ctx context.Context, groupID uint32, index uint16) (NexthopBucket, error) {
	op := fmt.Sprintf("nexthop bucket get id %d index %d", groupID, index)
	if groupID == 0 {
		return NexthopBucket{}, fmt.Errorf("rtm: %s: no id", op)
	}
	b, _ := h.newRequest(unix.RTM_GETNEXTHOPBUCKET, 0, sizeofNhMsg, 0)
	b.Uint32(unix.NHA_ID, groupID)
	n := b.BeginNest(nhaResBucket)
	b.Uint16(nhaResBucketIndex, index)
	b.EndNest(n)
	b.End()
	return getOf[NexthopBucket](ctx, h, op, false, b, &nexthopBucketMsgs)
}
