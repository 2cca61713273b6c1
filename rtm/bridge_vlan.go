package rtm

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Bridge VLAN attributes and flags (linux/if_bridge.h), which x/sys/unix
// lacks.
const (
	iflaBridgeTunnelID    = 1 // IFLA_BRIDGE_VLAN_TUNNEL_ID: u32
	iflaBridgeTunnelVID   = 2 // IFLA_BRIDGE_VLAN_TUNNEL_VID: u16
	iflaBridgeTunnelFlags = 3 // IFLA_BRIDGE_VLAN_TUNNEL_FLAGS: u16

	bridgeFlagsMaster = 1 // BRIDGE_FLAGS_MASTER
	bridgeFlagsSelf   = 2 // BRIDGE_FLAGS_SELF

	brvlanDumpFlags     = 1 // BRIDGE_VLANDB_DUMP_FLAGS: u32
	brvlanEntry         = 1 // BRIDGE_VLANDB_ENTRY: nest
	brvlanGlobalOptions = 2 // BRIDGE_VLANDB_GLOBAL_OPTIONS: nest

	brvlanEntryInfo        = 1 // struct bridge_vlan_info
	brvlanEntryRange       = 2 // u16: last VLAN of the range
	brvlanEntryState       = 3 // u8: BR_STATE_*
	brvlanEntryTunnelInfo  = 4 // nest of BRIDGE_VLANDB_TINFO_*
	brvlanEntryStats       = 5 // nest of BRIDGE_VLANDB_STATS_*
	brvlanEntryMcastRouter = 6 // u8
	brvlanEntryNGroups     = 7 // u32 (6.3)
	brvlanEntryMaxGroups   = 8 // u32 (6.3)
	brvlanEntryNeighSupp   = 9 // u8 (6.5)
	brvlanTinfoID          = 1 // u32
	brvlanStatsRxBytes     = 1
	brvlanStatsRxPackets   = 2
	brvlanStatsTxBytes     = 3
	brvlanStatsTxPackets   = 4

	brvlanGoptsID                    = 1
	brvlanGoptsRange                 = 2
	brvlanGoptsMcastSnooping         = 3
	brvlanGoptsMcastIGMPVersion      = 4
	brvlanGoptsMcastMLDVersion       = 5
	brvlanGoptsMcastLastMemberCnt    = 6
	brvlanGoptsMcastStartupQueryCnt  = 7
	brvlanGoptsMcastLastMemberIntvl  = 8
	brvlanGoptsMcastMembershipIntvl  = 10
	brvlanGoptsMcastQuerierIntvl     = 11
	brvlanGoptsMcastQueryIntvl       = 12
	brvlanGoptsMcastQueryRespIntvl   = 13
	brvlanGoptsMcastStartupQueryIntv = 14
	brvlanGoptsMcastQuerier          = 15
	brvlanGoptsMSTI                  = 18

	sizeofBridgeVLANInfo = 4
)

// The flags of a bridge VLAN (struct bridge_vlan_info's flags).
const (
	BridgeVLANMaster     = 1 << 0 // BRIDGE_VLAN_INFO_MASTER: operate on the bridge
	BridgeVLANPVID       = 1 << 1 // BRIDGE_VLAN_INFO_PVID: untagged ingress goes to this VLAN
	BridgeVLANUntagged   = 1 << 2 // BRIDGE_VLAN_INFO_UNTAGGED: egress untagged
	BridgeVLANRangeBegin = 1 << 3 // BRIDGE_VLAN_INFO_RANGE_BEGIN
	BridgeVLANRangeEnd   = 1 << 4 // BRIDGE_VLAN_INFO_RANGE_END
	BridgeVLANBrEntry    = 1 << 5 // BRIDGE_VLAN_INFO_BRENTRY: a VLAN of the bridge itself
	BridgeVLANOnlyOpts   = 1 << 6 // BRIDGE_VLAN_INFO_ONLY_OPTS: change options only
)

// The dump flags of [BridgeVLANFilter] (BRIDGE_VLANDB_DUMPF_*).
const (
	bridgeVLANDumpStats  = 1 << 0
	bridgeVLANDumpGlobal = 1 << 1
)

// BridgeVLANs is a view of one RTM_NEWVLAN message: VLAN entries of one
// bridge port (or of the bridge itself), or a bridge's global VLAN options
// ("bridge -d vlan show", "bridge vlan global show"). Consecutive VLANs
// with the same settings come as one range. A view yielded by a dump is
// valid until the next iteration; Clone detaches it.
type BridgeVLANs struct{ view[brVlanMsg] }

// BridgeVLANsFromBytes returns the BridgeVLANs in a message payload (the
// bytes after nlmsghdr), for decoding captured messages and requests.
func BridgeVLANsFromBytes(b []byte) (BridgeVLANs, error) {
	return viewOf[BridgeVLANs](&vlanMsgs, b, nil)
}

// Clone returns a copy of v that owns its bytes.
func (v BridgeVLANs) Clone() BridgeVLANs { return BridgeVLANs{v.clone()} }

// Family returns the message's family, AF_BRIDGE.
func (v BridgeVLANs) Family() uint8 { return v.hdr()[0] }

// Index returns the port's (or bridge's) interface index.
func (v BridgeVLANs) Index() int32 { return int32(native.Uint32(v.hdr()[4:])) }

// BridgeVLANEntry is a VLAN, or a range of VLANs with the same settings,
// of a bridge port.
type BridgeVLANEntry struct {
	// VID is the (first) VLAN, VIDEnd the last of a range (VID for one
	// VLAN).
	VID, VIDEnd uint16
	// Flags are BridgeVLAN* (PVID, untagged, ...).
	Flags uint16
	// Attrs are the entry's BRIDGE_VLANDB_ENTRY_* attributes; see the
	// methods.
	Attrs nla.Chain
}

// State returns BRIDGE_VLANDB_ENTRY_STATE, the VLAN's STP state on the
// port (BR_STATE_*: 0 disabled ... 3 forwarding, 4 blocking).
func (e BridgeVLANEntry) State() (uint8, bool) { return rtnl.U8(e.Attrs.Get(brvlanEntryState)) }

// MulticastRouter returns BRIDGE_VLANDB_ENTRY_MCAST_ROUTER.
func (e BridgeVLANEntry) MulticastRouter() (uint8, bool) {
	return rtnl.U8(e.Attrs.Get(brvlanEntryMcastRouter))
}

// NeighSuppress returns BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS (Linux 6.5).
func (e BridgeVLANEntry) NeighSuppress() (bool, bool) {
	v, ok := rtnl.U8(e.Attrs.Get(brvlanEntryNeighSupp))
	return v != 0, ok
}

// MulticastGroups returns BRIDGE_VLANDB_ENTRY_MCAST_N_GROUPS and
// _MAX_GROUPS (Linux 6.3): the groups joined on the port and VLAN, and the
// limit (0: none).
func (e BridgeVLANEntry) MulticastGroups() (n, limit uint32, ok bool) {
	a, ok := e.Attrs.Get(brvlanEntryNGroups)
	if !ok {
		return 0, 0, false
	}
	n, _ = a.Uint32()
	limit, _ = rtnl.U32(e.Attrs.Get(brvlanEntryMaxGroups))
	return n, limit, true
}

// TunnelID returns the tunnel id (VNI) the VLAN maps to
// (BRIDGE_VLANDB_ENTRY_TUNNEL_INFO).
func (e BridgeVLANEntry) TunnelID() (uint32, bool) {
	a, ok := e.Attrs.Get(brvlanEntryTunnelInfo)
	if !ok {
		return 0, false
	}
	return rtnl.U32(a.Nested().Get(brvlanTinfoID))
}

// BridgeVLANStats are a VLAN's counters on a port.
type BridgeVLANStats struct {
	RxBytes, RxPackets, TxBytes, TxPackets uint64
}

// Stats returns BRIDGE_VLANDB_ENTRY_STATS (in dumps with Stats set).
func (e BridgeVLANEntry) Stats() (BridgeVLANStats, bool) {
	a, ok := e.Attrs.Get(brvlanEntryStats)
	if !ok {
		return BridgeVLANStats{}, false
	}
	var s BridgeVLANStats
	// BRIDGE_VLANDB_STATS_RX_BYTES (1) to _TX_PACKETS (4), in order.
	_ = rtnl.U64s(a.Nested(), brvlanStatsRxBytes, &s.RxBytes, &s.RxPackets, &s.TxBytes, &s.TxPackets)
	return s, true
}

// Entries yields the message's VLAN entries (BRIDGE_VLANDB_ENTRY).
func (v BridgeVLANs) Entries() iter.Seq[BridgeVLANEntry] {
	return func(yield func(BridgeVLANEntry) bool) {
		for a := range v.Chain().AllOf(brvlanEntry) {
			c := a.Nested()
			info, ok := c.Get(brvlanEntryInfo)
			if !ok || len(info.Data) < sizeofBridgeVLANInfo {
				continue
			}
			e := BridgeVLANEntry{Flags: native.Uint16(info.Data), VID: native.Uint16(info.Data[2:]), Attrs: c}
			e.VIDEnd = vidEnd(c, brvlanEntryRange, e.VID)
			if !yield(e) {
				return
			}
		}
	}
}

// vidEnd returns the last VLAN of a range that starts at vid: attribute t
// of c (BRIDGE_VLANDB_ENTRY_RANGE, ...) when it is above vid, else vid.
func vidEnd(c nla.Chain, t uint16, vid uint16) uint16 {
	if end, ok := rtnl.U16(c.Get(t)); ok && end > vid {
		return end
	}
	return vid
}

// BridgeVLANGlobal are the global options of a bridge's VLAN, or of a
// range of its VLANs with the same options.
type BridgeVLANGlobal struct {
	VID, VIDEnd uint16
	// Attrs are the BRIDGE_VLANDB_GOPTS_* attributes; see the methods.
	Attrs nla.Chain
}

// MulticastSnooping returns BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING.
func (g BridgeVLANGlobal) MulticastSnooping() (bool, bool) {
	v, ok := rtnl.U8(g.Attrs.Get(brvlanGoptsMcastSnooping))
	return v != 0, ok
}

// MulticastQuerier returns BRIDGE_VLANDB_GOPTS_MCAST_QUERIER.
func (g BridgeVLANGlobal) MulticastQuerier() (bool, bool) {
	v, ok := rtnl.U8(g.Attrs.Get(brvlanGoptsMcastQuerier))
	return v != 0, ok
}

// IGMPVersion returns BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION.
func (g BridgeVLANGlobal) IGMPVersion() (uint8, bool) {
	return rtnl.U8(g.Attrs.Get(brvlanGoptsMcastIGMPVersion))
}

// MLDVersion returns BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION.
func (g BridgeVLANGlobal) MLDVersion() (uint8, bool) {
	return rtnl.U8(g.Attrs.Get(brvlanGoptsMcastMLDVersion))
}

// MSTI returns BRIDGE_VLANDB_GOPTS_MSTI, the VLAN's multiple spanning
// tree instance.
func (g BridgeVLANGlobal) MSTI() (uint16, bool) {
	return rtnl.U16(g.Attrs.Get(brvlanGoptsMSTI))
}

// Interval returns one of the BRIDGE_VLANDB_GOPTS_*_INTVL attributes
// (typ), which the kernel reports in USER_HZ ticks.
func (g BridgeVLANGlobal) Interval(typ uint16) (time.Duration, bool) {
	a, ok := g.Attrs.Get(typ)
	if !ok {
		return 0, false
	}
	v, err := a.Uint64()
	return time.Duration(v) * 10 * time.Millisecond, err == nil
}

// GlobalOptions yields the message's global options
// (BRIDGE_VLANDB_GLOBAL_OPTIONS).
func (v BridgeVLANs) GlobalOptions() iter.Seq[BridgeVLANGlobal] {
	return func(yield func(BridgeVLANGlobal) bool) {
		for a := range v.Chain().AllOf(brvlanGlobalOptions) {
			c := a.Nested()
			id, ok := c.Get(brvlanGoptsID)
			if !ok {
				continue
			}
			g := BridgeVLANGlobal{Attrs: c}
			g.VID, _ = id.Uint16()
			g.VIDEnd = vidEnd(c, brvlanGoptsRange, g.VID)
			if !yield(g) {
				return
			}
		}
	}
}

// Get returns an attribute by pyroute2-style name ("entry",
// ("entry", "info", "vid"), "global_options").
func (v BridgeVLANs) Get(path ...string) (Value, bool) {
	return schema.Lookup(bridgeVLANSchema, v.index(), v.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (v BridgeVLANs) Attrs() iter.Seq2[string, Value] { return schema.All(bridgeVLANSchema, v.Chain()) }

// BridgeVLANFilter selects what a bridge VLAN dump returns.
type BridgeVLANFilter struct {
	// Index keeps one port or bridge. Kernel-side.
	Index int32
	// Stats adds each VLAN's counters (BRIDGE_VLANDB_DUMPF_STATS).
	Stats bool
	// Global dumps the bridges' global VLAN options instead of the
	// ports' VLANs (BRIDGE_VLANDB_DUMPF_GLOBAL; "bridge vlan global
	// show").
	Global bool
}

// BridgeVLANDump streams the VLANs of bridge ports, or the bridges'
// global VLAN options, that f selects (RTM_GETVLAN). A kernel without
// bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING) refuses the dump
// (EOPNOTSUPP or EINVAL). Each BridgeVLANs is valid until the next
// iteration; iterating allocates nothing per message.
func (h *Handle) BridgeVLANDump(ctx context.Context, f *BridgeVLANFilter) iter.Seq2[BridgeVLANs, error] {
	return func(yield func(BridgeVLANs, error) bool) {
		b, hdr := h.newRequest(unix.RTM_GETVLAN, unix.NLM_F_DUMP, len(brVlanMsg{}), unix.AF_BRIDGE)
		var flags uint32
		if f != nil {
			if hdr != nil {
				native.PutUint32(hdr[4:], uint32(f.Index))
			}
			if f.Stats {
				flags |= bridgeVLANDumpStats
			}
			if f.Global {
				flags |= bridgeVLANDumpGlobal
			}
		}
		// Sent even when zero, as iproute2's rtnl_brvlandump_req sends it.
		b.Uint32(brvlanDumpFlags, flags)
		b.End()
		dumpOf(ctx, h, "bridge vlan dump", &vlanMsgs, b, dumpRun{}, func(v view[brVlanMsg], err error) bool {
			return yield(BridgeVLANs{v}, err)
		})
	}
}

// BridgeVLAN returns the event's bridge VLAN message, for RTM_NEWVLAN and
// RTM_DELVLAN ([GroupBridgeVLAN]).
func (e Event) BridgeVLAN() (BridgeVLANs, bool) { return eventOf[BridgeVLANs](e, &vlanMsgs) }

// BridgeVLANSpec adds VLANs to a bridge port, or removes them ("bridge
// vlan add dev DEV vid VID[-VIDEND] [tunnel_info id TUNID] [pvid]
// [untagged] [self] [master]"). It is sent as iproute2 sends it: an
// RTM_SETLINK (RTM_DELLINK to delete) of family AF_BRIDGE whose
// IFLA_AF_SPEC holds the VLANs.
type BridgeVLANSpec struct {
	// Index is the port, or the bridge with Self. Required.
	Index int32
	// VID is the VLAN, 1..4094; VIDEnd, if not zero, the last of a range
	// VID..VIDEnd.
	VID, VIDEnd uint16
	// PVID makes the VLAN the port's PVID (not with a range); Untagged
	// sends its frames untagged.
	PVID, Untagged bool
	// Self applies the change to the device itself (the bridge's own
	// VLANs when Index is the bridge), Master to the bridge Index is a
	// port of (the default).
	Self, Master bool
	// TunnelID maps the VLAN (the first VLAN of a range, each next one
	// to the next id) to this tunnel id on a VXLAN port in collect-metadata
	// mode, instead of adding the VLAN ("tunnel_info id TUNID").
	TunnelID Opt[uint32]
}

func (s *BridgeVLANSpec) validate() error {
	switch {
	case s.Index <= 0:
		return fmt.Errorf("invalid interface index %d", s.Index)
	case s.VID == 0 || s.VID >= 4095:
		return fmt.Errorf("VLAN %d outside 1..4094", s.VID)
	case s.VIDEnd != 0 && (s.VIDEnd <= s.VID || s.VIDEnd >= 4095):
		return fmt.Errorf("invalid VLAN range %d-%d", s.VID, s.VIDEnd)
	case s.VIDEnd != 0 && s.PVID:
		return errors.New("a VLAN range cannot be the PVID")
	}
	if id, ok := s.TunnelID.Get(); ok {
		switch {
		case s.PVID || s.Untagged:
			return errors.New("tunnel info has no pvid or untagged flag")
		case id == 0 || id >= 1<<24 || s.VIDEnd != 0 && id+uint32(s.VIDEnd-s.VID) >= 1<<24:
			return fmt.Errorf("tunnel id %d outside 1..16777215", id)
		}
	}
	return nil
}

func (s *BridgeVLANSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.validate(); err != nil {
		return err
	}
	linkRequest(b, typ, flags, unix.AF_BRIDGE, s.Index)
	spec := beginNest(b, unix.IFLA_AF_SPEC)
	var bf uint16
	if s.Self {
		bf |= bridgeFlagsSelf
	}
	if s.Master {
		bf |= bridgeFlagsMaster
	}
	if bf != 0 {
		b.Uint16(uapi.IFLA_BRIDGE_FLAGS, bf)
	}
	tunnel := func(vid uint16, id uint32, fl uint16) {
		n := beginNest(b, uapi.IFLA_BRIDGE_VLAN_TUNNEL_INFO)
		b.Uint32(iflaBridgeTunnelID, id)
		b.Uint16(iflaBridgeTunnelVID, vid)
		b.Uint16(iflaBridgeTunnelFlags, fl)
		endNest(b, n)
	}
	info := func(vid, fl uint16) {
		var v [sizeofBridgeVLANInfo]byte
		native.PutUint16(v[:], fl)
		native.PutUint16(v[2:], vid)
		b.Binary(uapi.IFLA_BRIDGE_VLAN_INFO, v[:])
	}
	var vf uint16
	if s.PVID {
		vf |= BridgeVLANPVID
	}
	if s.Untagged {
		vf |= BridgeVLANUntagged
	}
	id, tun := s.TunnelID.Get()
	switch {
	case tun && s.VIDEnd != 0:
		tunnel(s.VID, id, BridgeVLANRangeBegin)
		tunnel(s.VIDEnd, id+uint32(s.VIDEnd-s.VID), BridgeVLANRangeEnd)
	case tun:
		tunnel(s.VID, id, 0)
	case s.VIDEnd != 0:
		info(s.VID, vf|BridgeVLANRangeBegin)
		info(s.VIDEnd, vf|BridgeVLANRangeEnd)
	default:
		info(s.VID, vf)
	}
	endNest(b, spec)
	b.End()
	return nil
}

func (s *BridgeVLANSpec) opName(verb string) string {
	if s.VIDEnd != 0 {
		return fmt.Sprintf("%s %d-%d index %d", verb, s.VID, s.VIDEnd, s.Index)
	}
	return fmt.Sprintf("%s %d index %d", verb, s.VID, s.Index)
}

// The bridge VLAN changes, with the types and flags of "bridge vlan".
var (
	bridgeVLANAddOp       = change{"bridge vlan add", unix.RTM_SETLINK, 0}
	bridgeVLANDelOp       = change{"bridge vlan del", unix.RTM_DELLINK, 0}
	bridgeVLANSetOp       = change{"bridge vlan set", unix.RTM_NEWVLAN, 0}
	bridgeVLANGlobalSetOp = change{"bridge vlan global set", unix.RTM_NEWVLAN, 0}
)

// BridgeVLANAdd is the request to add VLANs to a port, or to change the
// flags of VLANs it has ("bridge vlan add").
func BridgeVLANAdd(s BridgeVLANSpec) Request {
	return &specRequest[BridgeVLANSpec, *BridgeVLANSpec]{bridgeVLANAddOp, s}
}

// BridgeVLANDel is the request to remove VLANs from a port ("bridge vlan
// del").
func BridgeVLANDel(s BridgeVLANSpec) Request {
	return &specRequest[BridgeVLANSpec, *BridgeVLANSpec]{bridgeVLANDelOp, s}
}

// BridgeVLANOptions changes per-VLAN options of a port's existing VLANs
// ("bridge vlan set dev DEV vid VID[-VIDEND] [state STATE] [mcast_router
// MODE]"), an RTM_NEWVLAN request. Unset fields are left as they are.
type BridgeVLANOptions struct {
	// Index is the port (or the bridge). Required.
	Index int32
	// VID, and VIDEnd for a range, are the VLANs, 1..4094.
	VID, VIDEnd uint16
	// State is the VLAN's STP state on the port (BR_STATE_*, 0..4).
	State Opt[uint8]
	// MulticastRouter is the port's multicast router mode in the VLAN
	// (0 disabled, 1 learn, 2 permanent).
	MulticastRouter Opt[uint8]
	// MaxGroups limits the groups joined in the VLAN (Linux 6.3).
	MaxGroups Opt[uint32]
	// NeighSuppress suppresses ARP and ND in the VLAN (Linux 6.5).
	NeighSuppress Opt[bool]
}

// vlanTarget checks the port and VLANs of an options request.
func vlanTarget(index int32, vid, end uint16) error {
	if index <= 0 {
		return fmt.Errorf("invalid interface index %d", index)
	}
	return vlanRange(vid, end)
}

func vlanRange(vid, end uint16) error {
	switch {
	case vid == 0 || vid >= 4095:
		return fmt.Errorf("VLAN %d outside 1..4094", vid)
	case end != 0 && (end <= vid || end >= 4095):
		return fmt.Errorf("invalid VLAN range %d-%d", vid, end)
	}
	return nil
}

func (s *BridgeVLANOptions) encode(b *wire.Builder, typ, flags uint16) error {
	if err := vlanTarget(s.Index, s.VID, s.VIDEnd); err != nil {
		return err
	}
	if err := cmp.Or(
		checkMax(s.State, 4, "invalid STP state %d"),
		checkMax(s.MulticastRouter, 2, "invalid multicast router mode %d"),
	); err != nil {
		return err
	}
	beginMsg(b, typ, flags, len(brVlanMsg{}), unix.AF_BRIDGE, s.Index)
	n := b.BeginNest(brvlanEntry)
	var v [sizeofBridgeVLANInfo]byte
	native.PutUint16(v[:], BridgeVLANOnlyOpts)
	native.PutUint16(v[2:], s.VID)
	b.Binary(brvlanEntryInfo, v[:])
	if s.VIDEnd != 0 {
		b.Uint16(brvlanEntryRange, s.VIDEnd)
	}
	putOpt(b.Uint8, brvlanEntryState, s.State)
	putOpt(b.Uint8, brvlanEntryMcastRouter, s.MulticastRouter)
	putOpt(b.Uint32, brvlanEntryMaxGroups, s.MaxGroups)
	putBool8(b, brvlanEntryNeighSupp, s.NeighSuppress)
	b.EndNest(n)
	b.End()
	return nil
}

func (s *BridgeVLANOptions) opName(verb string) string {
	return fmt.Sprintf("%s %d index %d", verb, s.VID, s.Index)
}

// BridgeVLANSet is the request to change per-VLAN options of a port
// ("bridge vlan set").
func BridgeVLANSet(s BridgeVLANOptions) Request {
	return &specRequest[BridgeVLANOptions, *BridgeVLANOptions]{bridgeVLANSetOp, s}
}

// BridgeVLANGlobalOptions changes a bridge's options for some of its
// VLANs ("bridge vlan global set dev BRIDGE vid VID[-VIDEND] ..."). The
// intervals are sent in USER_HZ ticks (1/100 s). Unset fields are left as
// they are.
type BridgeVLANGlobalOptions struct {
	// Index is the bridge. Required.
	Index int32
	// VID, and VIDEnd for a range, are the VLANs, 1..4094.
	VID, VIDEnd uint16

	MulticastSnooping     Opt[bool]
	MulticastQuerier      Opt[bool]
	IGMPVersion           Opt[uint8] // 2 or 3
	MLDVersion            Opt[uint8] // 1 or 2
	LastMemberCount       Opt[uint32]
	StartupQueryCount     Opt[uint32]
	LastMemberInterval    Opt[time.Duration]
	MembershipInterval    Opt[time.Duration]
	QuerierInterval       Opt[time.Duration]
	QueryInterval         Opt[time.Duration]
	QueryResponseInterval Opt[time.Duration]
	StartupQueryInterval  Opt[time.Duration]
	MSTI                  Opt[uint16]
}

func (s *BridgeVLANGlobalOptions) encode(b *wire.Builder, typ, flags uint16) error {
	if err := vlanTarget(s.Index, s.VID, s.VIDEnd); err != nil {
		return err
	}
	intervals := [...]struct {
		t uint16
		v Opt[time.Duration]
	}{
		{brvlanGoptsMcastLastMemberIntvl, s.LastMemberInterval},
		{brvlanGoptsMcastMembershipIntvl, s.MembershipInterval},
		{brvlanGoptsMcastQuerierIntvl, s.QuerierInterval},
		{brvlanGoptsMcastQueryIntvl, s.QueryInterval},
		{brvlanGoptsMcastQueryRespIntvl, s.QueryResponseInterval},
		{brvlanGoptsMcastStartupQueryIntv, s.StartupQueryInterval},
	}
	for _, i := range intervals {
		if v, ok := i.v.Get(); ok && v < 0 {
			return fmt.Errorf("negative interval %v", v)
		}
	}
	beginMsg(b, typ, flags, len(brVlanMsg{}), unix.AF_BRIDGE, s.Index)
	n := b.BeginNest(brvlanGlobalOptions)
	b.Uint16(brvlanGoptsID, s.VID)
	if s.VIDEnd != 0 {
		b.Uint16(brvlanGoptsRange, s.VIDEnd)
	}
	putBool8(b, brvlanGoptsMcastSnooping, s.MulticastSnooping)
	putBool8(b, brvlanGoptsMcastQuerier, s.MulticastQuerier)
	putOpt(b.Uint8, brvlanGoptsMcastIGMPVersion, s.IGMPVersion)
	putOpt(b.Uint8, brvlanGoptsMcastMLDVersion, s.MLDVersion)
	putOpt(b.Uint32, brvlanGoptsMcastLastMemberCnt, s.LastMemberCount)
	putOpt(b.Uint32, brvlanGoptsMcastStartupQueryCnt, s.StartupQueryCount)
	for _, i := range intervals {
		if v, ok := i.v.Get(); ok {
			b.Uint64(i.t, uint64(v/(10*time.Millisecond)))
		}
	}
	putOpt(b.Uint16, brvlanGoptsMSTI, s.MSTI)
	b.EndNest(n)
	b.End()
	return nil
}

func (s *BridgeVLANGlobalOptions) opName(verb string) string {
	return fmt.Sprintf("%s %d index %d", verb, s.VID, s.Index)
}

// BridgeVLANGlobalSet is the request to change a bridge's global options
// of some VLANs ("bridge vlan global set").
func BridgeVLANGlobalSet(s BridgeVLANGlobalOptions) Request {
	return &specRequest[BridgeVLANGlobalOptions, *BridgeVLANGlobalOptions]{bridgeVLANGlobalSetOp, s}
}

// The RTEXT_FILTER_* bits that ask a link dump for bridge VLANs.
const (
	rtextFilterBRVLAN           = 1 << 1 // RTEXT_FILTER_BRVLAN
	rtextFilterBRVLANCompressed = 1 << 2 // RTEXT_FILTER_BRVLAN_COMPRESSED
)

// BridgeVLANInfo is one IFLA_BRIDGE_VLAN_INFO of an AF_BRIDGE link
// message: a VLAN, or the first or last of a range (BridgeVLANRangeBegin,
// BridgeVLANRangeEnd in Flags).
type BridgeVLANInfo struct {
	Flags, VID uint16
}

// BridgeVLANInfos yields the VLANs of a link message of family AF_BRIDGE
// from [Handle.BridgePortVLANs] (IFLA_AF_SPEC's IFLA_BRIDGE_VLAN_INFO).
func (l Link) BridgeVLANInfos() iter.Seq[BridgeVLANInfo] {
	return func(yield func(BridgeVLANInfo) bool) {
		spec, ok := l.get(unix.IFLA_AF_SPEC)
		if !ok || l.Family() != unix.AF_BRIDGE {
			return
		}
		for a := range spec.Nested().AllOf(uapi.IFLA_BRIDGE_VLAN_INFO) {
			if len(a.Data) < sizeofBridgeVLANInfo {
				continue
			}
			if !yield(BridgeVLANInfo{Flags: native.Uint16(a.Data), VID: native.Uint16(a.Data[2:])}) {
				return
			}
		}
	}
}

// BridgeVLANTunnel is one IFLA_BRIDGE_VLAN_TUNNEL_INFO: a VLAN mapped to a
// tunnel id, or the first or last of a range.
type BridgeVLANTunnel struct {
	ID         uint32
	VID, Flags uint16
}

// BridgeVLANTunnels yields the VLAN-to-tunnel mappings of a link message
// of family AF_BRIDGE ("bridge vlan tunnelshow").
func (l Link) BridgeVLANTunnels() iter.Seq[BridgeVLANTunnel] {
	return func(yield func(BridgeVLANTunnel) bool) {
		spec, ok := l.get(unix.IFLA_AF_SPEC)
		if !ok || l.Family() != unix.AF_BRIDGE {
			return
		}
		for a := range spec.Nested().AllOf(uapi.IFLA_BRIDGE_VLAN_TUNNEL_INFO) {
			c := a.Nested()
			vid, ok := c.Get(iflaBridgeTunnelVID)
			if !ok {
				continue
			}
			var t BridgeVLANTunnel
			t.VID, _ = vid.Uint16()
			t.ID, _ = rtnl.U32(c.Get(iflaBridgeTunnelID))
			t.Flags, _ = rtnl.U16(c.Get(iflaBridgeTunnelFlags))
			if !yield(t) {
				return
			}
		}
	}
}

// BridgePortVLANs streams the bridges and bridge ports as AF_BRIDGE link
// messages with their VLANs (RTM_GETLINK with RTEXT_FILTER_BRVLAN, or
// RTEXT_FILTER_BRVLAN_COMPRESSED for ranges), as "bridge vlan show"
// without -d asks for them; read them with Link.BridgeVLANInfos and
// Link.BridgeVLANTunnels. A kernel without VLAN filtering sends the ports
// without VLANs. Each Link is valid until the next iteration.
func (h *Handle) BridgePortVLANs(ctx context.Context, compressed bool) iter.Seq2[Link, error] {
	return func(yield func(Link, error) bool) {
		b, ifi := h.newRequest(unix.RTM_GETLINK, unix.NLM_F_DUMP, unix.SizeofIfInfomsg, unix.AF_BRIDGE)
		if ifi != nil {
		}
		mask := uint32(rtextFilterBRVLAN)
		if compressed {
			mask = rtextFilterBRVLANCompressed
		}
		b.Uint32(unix.IFLA_EXT_MASK, mask)
		b.End()
		dumpOf(ctx, h, "bridge vlan link dump", &linkMsgs, b, dumpRun{}, func(v view[ifinfomsg], err error) bool {
			return yield(Link{v}, err)
		})
	}
}
