package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Neighbour attributes and flags x/sys/unix lacks (linux/neighbour.h).
const (
	ndaProtocol = 12 // NDA_PROTOCOL
	ndaNHID     = 13 // NDA_NH_ID
	ndaFlagsExt = 15 // NDA_FLAGS_EXT

	// NTFSticky (NTF_STICKY) keeps a bridge FDB entry on its port: the
	// bridge does not move it when the address shows up on another port.
	NTFSticky = 0x40
	// NTFExtManaged (NTF_EXT_MANAGED, an extended flag carried in
	// NDA_FLAGS_EXT) asks the kernel to keep the neighbour resolved by
	// probing it on its own, as iproute2's "managed" does.
	NTFExtManaged = 1 << 0
	// NTFExtLocked (NTF_EXT_LOCKED, extended) marks a bridge FDB entry
	// learned on a locked port, as the kernel reports it.
	NTFExtLocked = 1 << 1
)

// NeighState is a neighbour's NUD state: one of the unix.NUD_* values, or
// for FDB entries and filters a combination of them.
type NeighState uint16

var neighStateNames = [...]struct {
	bit  NeighState
	name string
}{
	{unix.NUD_INCOMPLETE, "INCOMPLETE"}, {unix.NUD_REACHABLE, "REACHABLE"}, {unix.NUD_STALE, "STALE"},
	{unix.NUD_DELAY, "DELAY"}, {unix.NUD_PROBE, "PROBE"}, {unix.NUD_FAILED, "FAILED"},
	{unix.NUD_NOARP, "NOARP"}, {unix.NUD_PERMANENT, "PERMANENT"},
}

// String returns the state as "ip neigh" prints it: the names of its bits
// joined by "|" ("NOARP|PERMANENT"), or "NONE" for zero.
func (s NeighState) String() string {
	if s == 0 {
		return "NONE"
	}
	var names []string
	for _, n := range neighStateNames {
		if s&n.bit != 0 {
			names = append(names, n.name)
			s &^= n.bit
		}
	}
	if s != 0 {
		names = append(names, fmt.Sprintf("%#x", uint16(s)))
	}
	return strings.Join(names, "|")
}

// Neigh is a view of one RTM_NEWNEIGH message: an entry of a neighbour
// table (ARP, NDP) or of a bridge forwarding database (family AF_BRIDGE).
// A Neigh yielded by a dump is valid until the next iteration; Clone
// detaches it.
type Neigh struct{ view[ndmsg] }

// NeighFromBytes returns the Neigh in a message payload (the bytes after
// nlmsghdr), for decoding captured messages.
func NeighFromBytes(b []byte) (Neigh, error) { return viewOf[Neigh](&neighMsgs, b, nil) }

// Clone returns a copy of n that owns its bytes.
func (n Neigh) Clone() Neigh { return Neigh{n.clone()} }

// Family returns ndm_family: AF_INET, AF_INET6 or AF_BRIDGE.
func (n Neigh) Family() uint8 { return n.hdr()[0] }

// Index returns the interface index: for an FDB entry, the port.
func (n Neigh) Index() int32 { return int32(native.Uint32(n.hdr()[4:])) }

// State returns the NUD state.
func (n Neigh) State() NeighState { return NeighState(native.Uint16(n.hdr()[8:])) }

// Flags returns ndm_flags (unix.NTF_ROUTER, unix.NTF_PROXY, NTFSticky, ...).
func (n Neigh) Flags() uint8 { return n.hdr()[10] }

// Type returns ndm_type, the type of the route to the neighbour's address
// (RTN_UNICAST, RTN_MULTICAST, ...).
func (n Neigh) Type() uint8 { return n.hdr()[11] }

// ExtFlags returns the extended flags of NDA_FLAGS_EXT (NTFExtManaged,
// NTFExtLocked).
func (n Neigh) ExtFlags() uint32 {
	v, _ := n.u32(ndaFlagsExt)
	return v
}

// Dst returns NDA_DST: the neighbour's IP address, or for a VXLAN FDB
// entry the remote tunnel endpoint.
func (n Neigh) Dst() netip.Addr {
	a, ok := n.get(unix.NDA_DST)
	if !ok {
		return netip.Addr{}
	}
	ip, _ := a.Addr()
	return ip
}

// LLAddr returns NDA_LLADDR, the link-layer address. It aliases the
// message; nil when absent (an incomplete or proxy entry).
func (n Neigh) LLAddr() net.HardwareAddr {
	a, ok := n.get(unix.NDA_LLADDR)
	if !ok {
		return nil
	}
	hw, _ := a.HardwareAddr()
	return hw
}

// Probes returns NDA_PROBES, the number of probes sent.
func (n Neigh) Probes() uint32 {
	v, _ := n.u32(unix.NDA_PROBES)
	return v
}

// VLAN returns NDA_VLAN, the VLAN of a bridge FDB entry.
func (n Neigh) VLAN() (uint16, bool) { return n.u16(unix.NDA_VLAN) }

// Port returns NDA_PORT, the UDP port of a VXLAN FDB entry's remote.
func (n Neigh) Port() (uint16, bool) {
	a, ok := n.get(unix.NDA_PORT)
	if !ok {
		return 0, false
	}
	v, err := a.Uint16BE()
	return v, err == nil
}

// VNI returns NDA_VNI, the VXLAN network identifier of an FDB entry's
// remote.
func (n Neigh) VNI() (uint32, bool) { return n.u32(unix.NDA_VNI) }

// SrcVNI returns NDA_SRC_VNI, the VNI an FDB entry of a collect-metadata
// ("external") VXLAN device belongs to.
func (n Neigh) SrcVNI() (uint32, bool) { return n.u32(unix.NDA_SRC_VNI) }

// LinkIndex returns NDA_IFINDEX: the interface through which a VXLAN FDB
// entry's remote is reached (bridge's "via").
func (n Neigh) LinkIndex() int32 {
	v, _ := n.u32(unix.NDA_IFINDEX)
	return int32(v)
}

// MasterIndex returns NDA_MASTER: the bridge that holds an FDB entry (the
// entry is then the bridge's, not the port's own).
func (n Neigh) MasterIndex() int32 {
	v, _ := n.u32(unix.NDA_MASTER)
	return int32(v)
}

// LinkNetnsID returns NDA_LINK_NETNSID: the namespace of a VXLAN FDB
// entry's link, as a namespace id of this namespace.
func (n Neigh) LinkNetnsID() (int32, bool) { return n.i32(unix.NDA_LINK_NETNSID) }

// Protocol returns NDA_PROTOCOL, who installed the entry (RTPROT_*), or 0.
func (n Neigh) Protocol() uint8 { return n.u8or(ndaProtocol, 0) }

// NHID returns NDA_NH_ID, the FDB nexthop group an FDB entry uses, or 0.
func (n Neigh) NHID() uint32 {
	v, _ := n.u32(ndaNHID)
	return v
}

// NeighCacheInfo is struct nda_cacheinfo: how long ago the entry was
// confirmed, used and updated, and its reference count.
type NeighCacheInfo struct {
	Confirmed, Used, Updated time.Duration
	RefCount                 uint32
}

// CacheInfo returns NDA_CACHEINFO. The kernel counts in USER_HZ ticks;
// the durations have their resolution, 10 ms.
func (n Neigh) CacheInfo() (NeighCacheInfo, bool) {
	a, ok := n.get(unix.NDA_CACHEINFO)
	if !ok || len(a.Data) < 16 {
		return NeighCacheInfo{}, false
	}
	d := a.Data
	return NeighCacheInfo{
		Confirmed: clockTicks(uint64(native.Uint32(d))),
		Used:      clockTicks(uint64(native.Uint32(d[4:]))),
		Updated:   clockTicks(uint64(native.Uint32(d[8:]))),
		RefCount:  native.Uint32(d[12:]),
	}, true
}

// clockTicks converts a clock_t the kernel reports, in USER_HZ ticks. A
// 64-bit count beyond what a Duration holds (292 years) saturates rather
// than wrapping to a negative duration.
func clockTicks(t uint64) time.Duration {
	const tick = time.Second / userHZ
	if t > uint64(1<<63-1)/uint64(tick) {
		return 1<<63 - 1
	}
	return time.Duration(t) * tick
}

// Get returns an attribute by pyroute2-style name ("dst", "lladdr",
// ("cacheinfo", "ndm_used")).
func (n Neigh) Get(path ...string) (Value, bool) {
	return n.lookup(neighSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (n Neigh) GetAll(path ...string) iter.Seq[Value] { return n.lookupAll(neighSchema, path) }

// Attrs yields every attribute with its pyroute2-style name.
func (n Neigh) Attrs() iter.Seq2[string, Value] { return schema.All(neighSchema, n.Chain()) }

// NeighFilter selects the neighbours a dump returns. The kernel applies
// Family, Index, MasterIndex and Proxy; State is applied in user space.
type NeighFilter struct {
	// Family is AF_INET (ARP), AF_INET6 (NDP) or 0 for both. Kernel-side.
	// Bridge FDB entries are dumped by [Handle.FDB].
	Family uint8
	// Index keeps the neighbours of one interface (NDA_IFINDEX).
	// Kernel-side.
	Index int32
	// MasterIndex keeps the neighbours of interfaces enslaved to one
	// master, such as a VRF (NDA_MASTER). Kernel-side.
	MasterIndex int32
	// Proxy dumps the proxy entries ("ip neigh show proxy") instead of
	// the neighbours (NTF_PROXY). Kernel-side.
	Proxy bool
	// State keeps the neighbours whose state has any of these bits
	// (unix.NUD_REACHABLE|unix.NUD_STALE); 0 keeps all. User space: the
	// kernel does not filter dumps by state.
	State NeighState
}

// Neighs streams the neighbours that f selects (every ARP and NDP entry
// when f is nil). Each Neigh is valid until the next iteration; iterating
// allocates nothing per neighbour.
//
// Under concurrent changes: the kernel resumes a neighbour dump at a
// position in a hash chain and never flags it, so Neighs yields a
// neighbour at most once and ends in an error matching
// wire.ErrDumpInterrupted when the kernel sent one twice, or when it had
// to resume the dump after a full datagram and a neighbour of the family
// was removed while it ran (Neighs subscribes to neighbour notifications
// for the length of the dump).
// Without that error, every neighbour present throughout the dump was
// yielded. A neighbour table that grows during the dump (the kernel
// doubles its hash) can still make it skip an entry unflagged.
func (h *Handle) Neighs(ctx context.Context, f *NeighFilter) iter.Seq2[Neigh, error] {
	return func(yield func(Neigh, error) bool) {
		if f != nil && f.Family == unix.AF_BRIDGE {
			yield(Neigh{}, errors.New("rtm: neighbour dump: family AF_BRIDGE is the FDB; use Handle.FDB"))
			return
		}
		b, nd := h.newRequest(unix.RTM_GETNEIGH, unix.NLM_F_DUMP, unix.SizeofNdMsg, 0)
		if f != nil {
			// Strict checking wants ndm_ifindex zero: the interface
			// goes in NDA_IFINDEX.
			if nd != nil {
				nd[0] = f.Family
				if f.Proxy {
					nd[10] = unix.NTF_PROXY
				}
			}
			putU32(b, unix.NDA_IFINDEX, f.Index)
			putU32(b, unix.NDA_MASTER, f.MasterIndex)
		}
		b.End()
		h.streamNeighs(ctx, "neighbour dump", b, func(n Neigh) bool {
			return f == nil || f.State == 0 || n.State()&f.State != 0
		}, (*dupSet).neighSeen, neighWatch(f), yield)
	}
}

// streamNeighs runs the dump in b and yields the neighbours keep accepts,
// each once: an entry whose identity (told by seen, a dupSet method) came
// before is left out and the dump ends in wire.ErrDumpInterrupted, as it
// does when spec's watch saw a removal that may have made it skip an entry
// (see watch).
func (h *Handle) streamNeighs(ctx context.Context, op string, b *wire.Builder, keep func(Neigh) bool, seen func(*dupSet, Neigh) bool, spec watchSpec, yield func(Neigh, error) bool) {
	watch, err := h.watchDump(ctx, op, spec, b)
	if err != nil {
		yield(Neigh{}, err)
		return
	}
	defer watch.close()
	set := getDupSet()
	defer putDupSet(set)
	if !dumpOf(ctx, h, op, &neighMsgs, b, dumpRun{stats: &watch.stats, idx: &watch.idx}, func(v view[ndmsg], err error) bool {
		if n := (Neigh{v}); err != nil || keep(n) && !seen(set, n) {
			return yield(n, err)
		}
		return true
	}) {
		return
	}
	if err := set.err(op); err != nil {
		yield(Neigh{}, err)
		return
	}
	if err := watch.err(ctx, op); err != nil {
		yield(Neigh{}, err)
	}
}

// neighWatch is what a neighbour dump with filter f watches: removals of
// neighbours of its family (of every family but the FDB's without one).
func neighWatch(f *NeighFilter) watchSpec {
	spec := watchSpec{groups: [2]Group{GroupNeigh}, ngroups: 1, types: [2]uint16{unix.RTM_DELNEIGH, unix.RTM_DELNEIGH}, notBridge: true}
	if f != nil && f.Family != 0 {
		spec.family, spec.notBridge = f.Family, false
	}
	return spec
}

// NeighSpec describes an ARP or NDP entry to add, replace, change or
// delete ("ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev eth0").
type NeighSpec struct {
	// Index is the interface's index. Required.
	Index int32
	// Dst is the neighbour's address; its family chooses ARP or NDP.
	// Required.
	Dst netip.Addr
	// LLAddr is the link-layer address. Without it the kernel creates
	// an entry in the given state with no address, where the interface
	// allows one ("nud noarp" on a device without addresses).
	LLAddr net.HardwareAddr
	// State is the NUD state; 0 means unix.NUD_PERMANENT, as with
	// "ip neigh add", except for a managed entry (NTFExtManaged), which
	// the kernel resolves itself and which starts without a state.
	State NeighState
	// Flags are ndm_flags: unix.NTF_ROUTER (an IPv6 router),
	// unix.NTF_PROXY (a proxy entry: Dst is answered for, LLAddr is
	// unused), unix.NTF_EXT_LEARNED (learned by a control plane),
	// unix.NTF_USE (use the entry as if a packet had gone out, to trigger
	// resolution).
	Flags uint8
	// ExtFlags are extended flags (NDA_FLAGS_EXT), such as NTFExtManaged.
	ExtFlags uint32
	// Protocol records who installed the entry (NDA_PROTOCOL).
	Protocol uint8
}

func (s *NeighSpec) validate() error {
	if s.Index <= 0 {
		return fmt.Errorf("invalid interface index %d", s.Index)
	}
	if !s.Dst.IsValid() {
		return errors.New("no neighbour address")
	}
	if s.Dst.Is4In6() {
		return fmt.Errorf("neighbour address %v is IPv4-mapped; use the IPv4 form", s.Dst)
	}
	if s.Dst.Zone() != "" {
		return fmt.Errorf("neighbour address %v has a zone; the interface is Index", s.Dst)
	}
	if len(s.LLAddr) > maxAddrLen {
		return fmt.Errorf("link-layer address of %d bytes (at most %d)", len(s.LLAddr), maxAddrLen)
	}
	if s.Flags&unix.NTF_PROXY != 0 && len(s.LLAddr) > 0 {
		return errors.New("a proxy entry has no link-layer address")
	}
	return nil
}

// maxAddrLen is the kernel's MAX_ADDR_LEN, the longest link-layer address.
const maxAddrLen = 32

func ipFamily(a netip.Addr) uint8 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// encode writes an RTM_NEWNEIGH or RTM_DELNEIGH request for s, laid out
// as "ip neigh" lays it out.
func (s *NeighSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.validate(); err != nil {
		return err
	}
	state := s.State
	if state == 0 && s.ExtFlags&NTFExtManaged == 0 {
		state = unix.NUD_PERMANENT
	}
	beginNeigh(b, typ, flags, ipFamily(s.Dst), s.Index, state, s.Flags)
	putU32(b, ndaFlagsExt, s.ExtFlags)
	b.Addr(unix.NDA_DST, s.Dst)
	if len(s.LLAddr) > 0 {
		b.Binary(unix.NDA_LLADDR, s.LLAddr)
	}
	putU8(b, ndaProtocol, s.Protocol)
	b.End()
	return nil
}

// beginNeigh starts a neighbour or FDB message of type typ with its
// ndmsg: family, interface, state (NUD_*) and flags (NTF_*).
func beginNeigh(b *wire.Builder, typ, flags uint16, family uint8, index int32, state NeighState, ntf uint8) {
	if nd := beginMsg(b, typ, flags, unix.SizeofNdMsg, family, index); nd != nil {
		native.PutUint16(nd[8:], uint16(state))
		nd[10] = ntf
	}
}

func (s *NeighSpec) opName(op string) string { return fmt.Sprintf("%s %v", op, s.Dst) }

// Flags of the neighbour- and FDB-changing requests, as iproute2 sends them.
const (
	neighAddFlags     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	neighReplaceFlags = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	neighChangeFlags  = unix.NLM_F_REPLACE
	neighAppendFlags  = unix.NLM_F_CREATE | unix.NLM_F_APPEND
)

// The neighbour changes.
var (
	neighAddOp     = change{"neighbour add", unix.RTM_NEWNEIGH, neighAddFlags}
	neighReplaceOp = change{"neighbour replace", unix.RTM_NEWNEIGH, neighReplaceFlags}
	neighChangeOp  = change{"neighbour change", unix.RTM_NEWNEIGH, neighChangeFlags}
	neighDelOp     = change{"neighbour del", unix.RTM_DELNEIGH, 0}
)

type neighRequest = specRequest[NeighSpec, *NeighSpec]

// NeighAdd is the request to add a neighbour; EEXIST if the table has one
// for the address ("ip neighbour add").
func NeighAdd(s NeighSpec) Request { return &neighRequest{neighAddOp, s} }

// NeighReplace is the request to add a neighbour or overwrite the existing
// one ("ip neighbour replace").
func NeighReplace(s NeighSpec) Request { return &neighRequest{neighReplaceOp, s} }

// NeighChange is the request to change an existing neighbour; ENOENT if
// there is none ("ip neighbour change").
func NeighChange(s NeighSpec) Request { return &neighRequest{neighChangeOp, s} }

// NeighDel is the request to delete a neighbour (Index, Dst, and
// unix.NTF_PROXY in Flags for a proxy entry); ENOENT if there is none.
func NeighDel(s NeighSpec) Request { return &neighRequest{neighDelOp, s} }

// NeighAdd adds a neighbour; EEXIST if the table has one for the address.
func (h *Handle) NeighAdd(ctx context.Context, s NeighSpec) error { return h.Do(ctx, NeighAdd(s)) }

// NeighReplace adds a neighbour or overwrites the existing one.
func (h *Handle) NeighReplace(ctx context.Context, s NeighSpec) error {
	return h.Do(ctx, NeighReplace(s))
}

// NeighChange changes an existing neighbour; ENOENT if there is none.
func (h *Handle) NeighChange(ctx context.Context, s NeighSpec) error {
	return h.Do(ctx, NeighChange(s))
}

// NeighDel deletes a neighbour (Index, Dst, and unix.NTF_PROXY in Flags
// for a proxy entry); ENOENT if there is none.
func (h *Handle) NeighDel(ctx context.Context, s NeighSpec) error { return h.Do(ctx, NeighDel(s)) }

// NeighAdd adds a neighbour-add request.
func (bt *Batch) NeighAdd(s NeighSpec) error { return bt.queue(neighAddOp, s.encode) }

// NeighReplace adds a neighbour-replace request.
func (bt *Batch) NeighReplace(s NeighSpec) error { return bt.queue(neighReplaceOp, s.encode) }

// NeighDel adds a neighbour-delete request.
func (bt *Batch) NeighDel(s NeighSpec) error { return bt.queue(neighDelOp, s.encode) }

// NeighQuery names one neighbour for [Handle.NeighGet].
type NeighQuery struct {
	// Index is the interface. Required.
	Index int32
	// Dst is the neighbour's address. Required.
	Dst netip.Addr
	// Proxy looks the address up among the proxy entries.
	Proxy bool
}

// NeighGet gets one neighbour with a single request (no dump). A missing
// entry is ErrNotFound (and unix.ENOENT). The result owns its bytes.
func (h *Handle) NeighGet(ctx context.Context, q NeighQuery) (Neigh, error) {
	op := fmt.Sprintf("neighbour get %v", q.Dst)
	switch {
	case q.Index <= 0:
		return Neigh{}, fmt.Errorf("rtm: %s: invalid interface index %d", op, q.Index)
	case !q.Dst.IsValid():
		return Neigh{}, errors.New("rtm: neighbour get: no address")
	}
	dst := q.Dst.Unmap()
	b, nd := h.newRequest(unix.RTM_GETNEIGH, 0, unix.SizeofNdMsg, ipFamily(dst))
	if nd != nil {
		native.PutUint32(nd[4:], uint32(q.Index))
		if q.Proxy {
			nd[10] = unix.NTF_PROXY
		}
	}
	b.Addr(unix.NDA_DST, dst)
	b.End()
	return h.getNeigh(ctx, op, b)
}

func (h *Handle) getNeigh(ctx context.Context, op string, b *wire.Builder) (Neigh, error) {
	return getOf[Neigh](ctx, h, op, false, b, &neighMsgs)
}
