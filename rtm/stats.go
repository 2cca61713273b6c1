package rtm

import (
	"context"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// RTM_GETSTATS attributes (linux/if_link.h, linux/if_bridge.h,
// linux/if_bond.h), which x/sys/unix lacks.
const (
	iflaStatsLink64        = 1 // IFLA_STATS_LINK_64: struct rtnl_link_stats64
	iflaStatsLinkXstats    = 2 // IFLA_STATS_LINK_XSTATS: nest of LINK_XSTATS_TYPE_*
	iflaStatsXstatsSlave   = 3 // IFLA_STATS_LINK_XSTATS_SLAVE
	iflaStatsOffloadXstats = 4 // IFLA_STATS_LINK_OFFLOAD_XSTATS: nest of IFLA_OFFLOAD_XSTATS_*
	iflaStatsAFSpec        = 5 // IFLA_STATS_AF_SPEC: nest by family

	linkXstatsBridge = 1 // LINK_XSTATS_TYPE_BRIDGE
	linkXstatsBond   = 2 // LINK_XSTATS_TYPE_BOND

	offloadCPUHit     = 1 // IFLA_OFFLOAD_XSTATS_CPU_HIT: struct rtnl_link_stats64
	offloadHWSInfo    = 2 // IFLA_OFFLOAD_XSTATS_HW_S_INFO: nest
	offloadL3Stats    = 3 // IFLA_OFFLOAD_XSTATS_L3_STATS: struct rtnl_hw_stats64
	hwsInfoRequest    = 1 // IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST: u8
	hwsInfoUsed       = 2 // IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED: u8
	bridgeXstatsVLAN  = 1 // BRIDGE_XSTATS_VLAN: struct bridge_vlan_xstats
	bridgeXstatsMcast = 2 // BRIDGE_XSTATS_MCAST: struct br_mcast_stats
	bridgeXstatsSTP   = 4 // BRIDGE_XSTATS_STP: struct bridge_stp_xstats
	bondXstats3AD     = 1 // BOND_XSTATS_3AD: nest of BOND_3AD_STAT_*

	sizeofBridgeVLANXstats = 40

	iflaStatsGetFilters   = 1  // IFLA_STATS_GET_FILTERS: nest of per-group masks
	iflaStatsSetOffloadL3 = 2  // IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS: u8
	mplsStatsLink         = 1  // MPLS_STATS_LINK: struct mpls_link_stats
	rtmSetStats           = 95 // RTM_SETSTATS
)

// The groups of RTM_GETSTATS, as bits of a [StatsFilter]'s Mask
// (IFLA_STATS_FILTER_BIT).
const (
	StatsLink64        uint32 = 1 << (iflaStatsLink64 - 1)
	StatsLinkXstats    uint32 = 1 << (iflaStatsLinkXstats - 1)
	StatsXstatsSlave   uint32 = 1 << (iflaStatsXstatsSlave - 1)
	StatsOffloadXstats uint32 = 1 << (iflaStatsOffloadXstats - 1)
	StatsAFSpec        uint32 = 1 << (iflaStatsAFSpec - 1)
	// StatsAll asks for every group.
	StatsAll = StatsLink64 | StatsLinkXstats | StatsXstatsSlave | StatsOffloadXstats | StatsAFSpec
)

// GroupStats is RTNLGRP_STATS, the multicast group of RTM_NEWSTATS
// notifications ("ip monitor stats"): the kernel sends one when a
// device's hardware statistics are turned on or off, with the
// StatsOffloadHWStatsInfo member of the offload group.
const GroupStats Group = 36

// The members of the StatsOffloadXstats group, as bits of a
// [StatsFilter]'s Offload.
const (
	StatsOffloadCPUHit      uint32 = 1 << (offloadCPUHit - 1)
	StatsOffloadHWStatsInfo uint32 = 1 << (offloadHWSInfo - 1)
	StatsOffloadL3Stats     uint32 = 1 << (offloadL3Stats - 1)
	// StatsOffloadAll is every member of the group.
	StatsOffloadAll = StatsOffloadCPUHit | StatsOffloadHWStatsInfo | StatsOffloadL3Stats
)

// LinkStats is a view of one RTM_NEWSTATS message: the statistics groups
// of one interface that the request's filter mask asked for ("ip stats
// show"). A LinkStats yielded by a dump is valid until the next
// iteration; Clone detaches it.
type LinkStats struct{ view[ifStatsMsg] }

// LinkStatsFromBytes returns the LinkStats in a message payload (the
// bytes after nlmsghdr), for decoding captured messages.
func LinkStatsFromBytes(b []byte) (LinkStats, error) { return viewOf[LinkStats](&statsMsgs, b, nil) }

// Clone returns a copy of s that owns its bytes.
func (s LinkStats) Clone() LinkStats { return LinkStats{s.clone()} }

// Family returns if_stats_msg's family.
func (s LinkStats) Family() uint8 { return s.hdr()[0] }

// Index returns the interface index.
func (s LinkStats) Index() int32 { return int32(native.Uint32(s.hdr()[4:])) }

// FilterMask returns the groups the message holds (Stats* bits).
func (s LinkStats) FilterMask() uint32 { return native.Uint32(s.hdr()[8:]) }

// Link64 returns IFLA_STATS_LINK_64, the interface's counters.
func (s LinkStats) Link64() (LinkStats64, bool) {
	a, ok := s.get(iflaStatsLink64)
	if !ok {
		return LinkStats64{}, false
	}
	return decodeLinkStats64(a.Data), true
}

// offload returns a member of IFLA_STATS_LINK_OFFLOAD_XSTATS.
func (s LinkStats) offload(t uint16) (nla.Attr, bool) {
	return s.Chain().Path(iflaStatsOffloadXstats, t)
}

// CPUHit returns the counters of the traffic a switch device handed to
// the CPU (IFLA_OFFLOAD_XSTATS_CPU_HIT).
func (s LinkStats) CPUHit() (LinkStats64, bool) {
	a, ok := s.offload(offloadCPUHit)
	if !ok {
		return LinkStats64{}, false
	}
	return decodeLinkStats64(a.Data), true
}

// HWStats64 is struct rtnl_hw_stats64: counters of traffic a device
// forwarded in hardware.
type HWStats64 struct {
	RxPackets, TxPackets, RxBytes, TxBytes, RxErrors, TxErrors, RxDropped, TxDropped, Multicast uint64
}

// L3Stats returns IFLA_OFFLOAD_XSTATS_L3_STATS, the hardware counters of
// routed traffic, when a user turned them on and the device has them.
func (s LinkStats) L3Stats() (HWStats64, bool) {
	a, ok := s.offload(offloadL3Stats)
	if !ok {
		return HWStats64{}, false
	}
	var h HWStats64
	readU64s(a.Data, &h.RxPackets, &h.TxPackets, &h.RxBytes, &h.TxBytes, &h.RxErrors,
		&h.TxErrors, &h.RxDropped, &h.TxDropped, &h.Multicast)
	return h, true
}

// L3StatsInfo returns IFLA_OFFLOAD_XSTATS_HW_S_INFO's L3 entry: whether
// hardware L3 statistics were requested on the device, and whether a
// driver collects them.
func (s LinkStats) L3StatsInfo() (request, used, ok bool) {
	a, ok := s.offload(offloadHWSInfo)
	if !ok {
		return false, false, false
	}
	l3, ok := a.Nested().Get(offloadL3Stats)
	if !ok {
		return false, false, false
	}
	r, rok := rtnl.U8(l3.Nested().Get(hwsInfoRequest))
	u, uok := rtnl.U8(l3.Nested().Get(hwsInfoUsed))
	return r != 0, u != 0, rok || uok
}

// xstats returns a member of IFLA_STATS_LINK_XSTATS, or of
// IFLA_STATS_LINK_XSTATS_SLAVE (port statistics) with slave.
func (s LinkStats) xstats(slave bool, t uint16) (nla.Attr, bool) {
	g := uint16(iflaStatsLinkXstats)
	if slave {
		g = iflaStatsXstatsSlave
	}
	return s.Chain().Path(g, t)
}

// xstat returns attribute typ of the extended statistics of kind (a
// LINK_XSTATS_TYPE_*).
func (s LinkStats) xstat(slave bool, kind, typ uint16) (nla.Attr, bool) {
	x, ok := s.xstats(slave, kind)
	if !ok {
		return nla.Attr{}, false
	}
	return x.Nested().Get(typ)
}

// BridgeSTPStats is struct bridge_stp_xstats: a bridge port's STP
// counters.
type BridgeSTPStats struct {
	TransitionBlk, TransitionFwd, RxBPDU, TxBPDU, RxTCN, TxTCN uint64
}

// BridgeSTP returns the STP counters of a bridge port (slave true: the
// port's own message in a dump with StatsXstatsSlave) or of the bridge.
func (s LinkStats) BridgeSTP(slave bool) (BridgeSTPStats, bool) {
	a, ok := s.xstat(slave, linkXstatsBridge, bridgeXstatsSTP)
	if !ok || len(a.Data) < 48 {
		return BridgeSTPStats{}, false
	}
	d := a.Data
	return BridgeSTPStats{native.Uint64(d), native.Uint64(d[8:]), native.Uint64(d[16:]),
		native.Uint64(d[24:]), native.Uint64(d[32:]), native.Uint64(d[40:])}, true
}

// BridgeMcastStats is struct br_mcast_stats: IGMP and MLD counters, each
// a pair received ([0]) and sent ([1]).
type BridgeMcastStats struct {
	IGMPv1Queries, IGMPv2Queries, IGMPv3Queries, IGMPLeaves           [2]uint64
	IGMPv1Reports, IGMPv2Reports, IGMPv3Reports                       [2]uint64
	IGMPParseErrors                                                   uint64
	MLDv1Queries, MLDv2Queries, MLDLeaves, MLDv1Reports, MLDv2Reports [2]uint64
	MLDParseErrors                                                    uint64
	McastBytes, McastPackets                                          [2]uint64
}

// BridgeMcast returns the multicast snooping counters of a bridge or (with
// slave) of a port.
func (s LinkStats) BridgeMcast(slave bool) (BridgeMcastStats, bool) {
	a, ok := s.xstat(slave, linkXstatsBridge, bridgeXstatsMcast)
	if !ok {
		return BridgeMcastStats{}, false
	}
	var m BridgeMcastStats
	d := a.Data
	next := func() uint64 {
		if len(d) < 8 {
			return 0
		}
		v := native.Uint64(d)
		d = d[8:]
		return v
	}
	pair := func(p *[2]uint64) { p[0], p[1] = next(), next() }
	for _, p := range []*[2]uint64{&m.IGMPv1Queries, &m.IGMPv2Queries, &m.IGMPv3Queries, &m.IGMPLeaves,
		&m.IGMPv1Reports, &m.IGMPv2Reports, &m.IGMPv3Reports} {
		pair(p)
	}
	m.IGMPParseErrors = next()
	for _, p := range []*[2]uint64{&m.MLDv1Queries, &m.MLDv2Queries, &m.MLDLeaves, &m.MLDv1Reports, &m.MLDv2Reports} {
		pair(p)
	}
	m.MLDParseErrors = next()
	pair(&m.McastBytes)
	pair(&m.McastPackets)
	return m, true
}

// BridgeVLANXstats is struct bridge_vlan_xstats: one VLAN's counters on a
// bridge or port.
type BridgeVLANXstats struct {
	RxBytes, RxPackets, TxBytes, TxPackets uint64
	VID, Flags                             uint16
}

// BridgeVLANs yields the per-VLAN counters of a bridge or (with slave) a
// port (BRIDGE_XSTATS_VLAN, one per VLAN).
func (s LinkStats) BridgeVLANs(slave bool) iter.Seq[BridgeVLANXstats] {
	return func(yield func(BridgeVLANXstats) bool) {
		x, ok := s.xstats(slave, linkXstatsBridge)
		if !ok {
			return
		}
		for a := range x.Nested().AllOf(bridgeXstatsVLAN) {
			d := a.Data
			if len(d) < sizeofBridgeVLANXstats-4 {
				continue
			}
			if !yield(BridgeVLANXstats{native.Uint64(d), native.Uint64(d[8:]), native.Uint64(d[16:]),
				native.Uint64(d[24:]), native.Uint16(d[32:]), native.Uint16(d[34:])}) {
				return
			}
		}
	}
}

// Bond3ADStats are a bond's or bond port's 802.3ad counters
// (BOND_3AD_STAT_*, attribute types 0 to 8).
type Bond3ADStats struct {
	LACPDURx, LACPDUTx, LACPDUUnknownRx, LACPDUIllegalRx uint64
	MarkerRx, MarkerTx, MarkerRespRx, MarkerRespTx       uint64
	MarkerUnknownRx                                      uint64
}

// Bond3AD returns the 802.3ad counters of a bond or (with slave) a port.
func (s LinkStats) Bond3AD(slave bool) (Bond3ADStats, bool) {
	a, ok := s.xstat(slave, linkXstatsBond, bondXstats3AD)
	if !ok {
		return Bond3ADStats{}, false
	}
	var b Bond3ADStats
	// BOND_3AD_STAT_LACPDU_RX is 0: the counters are types 0 to 8.
	_ = rtnl.U64s(a.Nested(), 0, &b.LACPDURx, &b.LACPDUTx, &b.LACPDUUnknownRx, &b.LACPDUIllegalRx,
		&b.MarkerRx, &b.MarkerTx, &b.MarkerRespRx, &b.MarkerRespTx, &b.MarkerUnknownRx)
	return b, true
}

// MPLSLinkStats is struct mpls_link_stats: an interface's MPLS counters.
type MPLSLinkStats struct {
	RxPackets, TxPackets, RxBytes, TxBytes, RxErrors, TxErrors, RxDropped, TxDropped, RxNoRoute uint64
}

// MPLS returns the interface's MPLS counters (IFLA_STATS_AF_SPEC's
// AF_MPLS MPLS_STATS_LINK), which a kernel with MPLS routing sends on
// interfaces where MPLS input is enabled. A short attribute reads as
// zeros past its end, as iproute2 reads it.
func (s LinkStats) MPLS() (MPLSLinkStats, bool) {
	a, ok := s.Chain().Path(iflaStatsAFSpec, unix.AF_MPLS, mplsStatsLink)
	if !ok {
		return MPLSLinkStats{}, false
	}
	var m MPLSLinkStats
	readU64s(a.Data, &m.RxPackets, &m.TxPackets, &m.RxBytes, &m.TxBytes, &m.RxErrors,
		&m.TxErrors, &m.RxDropped, &m.TxDropped, &m.RxNoRoute)
	return m, true
}

// AFSpec returns IFLA_STATS_AF_SPEC's nest for family af (AF_MPLS:
// MPLS_STATS_LINK).
func (s LinkStats) AFSpec(af uint8) (nla.Chain, bool) {
	a, ok := s.Chain().Path(iflaStatsAFSpec, uint16(af))
	return a.Nested(), ok
}

// Get returns an attribute by pyroute2-style name ("link_64",
// ("link_xstats", "bridge", "stp"), ...).
func (s LinkStats) Get(path ...string) (Value, bool) {
	return schema.Lookup(statsSchema, s.index(), s.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (s LinkStats) Attrs() iter.Seq2[string, Value] { return schema.All(statsSchema, s.Chain()) }

// StatsFilter selects the statistics a dump or get returns.
type StatsFilter struct {
	// Mask is the groups (Stats* bits); 0 means StatsLink64.
	Mask uint32
	// Family is if_stats_msg's family; 0 (AF_UNSPEC) for every group.
	Family uint8
	// Offload narrows the StatsOffloadXstats group to some of its
	// members (StatsOffload* bits, sent as IFLA_STATS_GET_FILTERS, Linux
	// 5.19 and later); 0 asks for all of them.
	Offload uint32
}

func (f *StatsFilter) mask() uint32 {
	if f == nil || f.Mask == 0 {
		return StatsLink64
	}
	return f.Mask
}

// statsRequest begins an RTM_GETSTATS request.
func (h *Handle) statsRequest(flags uint16, index int32, f *StatsFilter) (*wire.Builder, error) {
	if m := f.mask(); m&^StatsAll != 0 {
		return nil, fmt.Errorf("unknown statistics groups %#x", m&^StatsAll)
	}
	if f != nil && f.Offload&^StatsOffloadAll != 0 {
		return nil, fmt.Errorf("unknown offload statistics %#x", f.Offload&^StatsOffloadAll)
	}
	b := h.newBuilder()
	var family uint8
	if f != nil {
		family = f.Family
	}
	if hdr := beginMsg(b, unix.RTM_GETSTATS, flags, sizeofIfStatsMsg, family, index); hdr != nil {
		native.PutUint32(hdr[8:], f.mask())
	}
	if f != nil && f.Offload != 0 {
		n := b.BeginNest(iflaStatsGetFilters)
		b.Uint32(iflaStatsOffloadXstats, f.Offload)
		b.EndNest(n)
	}
	b.End()
	return b, nil
}

// LinkStatsDump streams the statistics f selects of every interface ("ip
// stats show"). Each LinkStats is valid until the next iteration;
// iterating allocates nothing per interface.
func (h *Handle) LinkStatsDump(ctx context.Context, f *StatsFilter) iter.Seq2[LinkStats, error] {
	return func(yield func(LinkStats, error) bool) {
		b, err := h.statsRequest(unix.NLM_F_DUMP, 0, f)
		if err != nil {
			yield(LinkStats{}, fmt.Errorf("rtm: stats dump: %w", err))
			return
		}
		dumpOf(ctx, h, "stats dump", &statsMsgs, b, dumpRun{}, func(v view[ifStatsMsg], err error) bool {
			return yield(LinkStats{v}, err)
		})
	}
}

// LinkStatsGet returns the statistics f selects of one interface ("ip
// stats show dev DEV"); a missing interface is ErrNotFound. The result
// owns its bytes.
func (h *Handle) LinkStatsGet(ctx context.Context, index int32, f *StatsFilter) (LinkStats, error) {
	op := fmt.Sprintf("stats get index %d", index)
	if index <= 0 {
		return LinkStats{}, fmt.Errorf("rtm: %s: invalid interface index", op)
	}
	b, err := h.statsRequest(0, index, f)
	if err != nil {
		return LinkStats{}, fmt.Errorf("rtm: %s: %w", op, err)
	}
	return getOf[LinkStats](ctx, h, op, false, b, &statsMsgs)
}

// statsL3Request turns hardware L3 statistics on or off: what
// LinkStatsL3Set returns.
type statsL3Request struct {
	index int32
	on    bool
}

// LinkStatsL3Set is the request to turn on or off a device's hardware
// counters of routed traffic ("ip stats set dev X l3_stats on|off",
// RTM_SETSTATS with IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS). The kernel
// records the request for any device; [LinkStats.L3StatsInfo] says
// whether a driver uses it.
func LinkStatsL3Set(index int32, on bool) Request { return &statsL3Request{index, on} }

func (q *statsL3Request) AppendTo(r *rtnl.Req) error {
	r.Op = fmt.Sprintf("stats set index %d", q.index)
	if r.Named {
		r.Missing = unix.ENODEV
	}
	if q.index <= 0 {
		return fmt.Errorf("invalid interface index %d", q.index)
	}
	b := r.B
	beginMsg(b, unix.RTM_SETSTATS, unix.NLM_F_ACK, sizeofIfStatsMsg, unix.AF_UNSPEC, q.index)
	var v uint8
	if q.on {
		v = 1
	}
	b.Uint8(iflaStatsSetOffloadL3, v)
	b.End()
	return nil
}
