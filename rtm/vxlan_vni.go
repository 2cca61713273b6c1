package rtm

import (
	"context"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// vniFilterEntry is VXLAN_VNIFILTER_ENTRY (linux/if_link.h, Linux 5.18),
// the nest of one VNI or range of VNIs in a tunnel message.
const vniFilterEntry = 1

// VXLAN_VNIFILTER_ENTRY_*, the attributes of the nest.
const (
	vniEntryStart  = iota + 1 // u32
	vniEntryEnd               // u32
	vniEntryGroup             // IPv4 address
	vniEntryGroup6            // IPv6 address
	vniEntryStats             // nest of u64 (VNIFILTER_ENTRY_STATS_*)
)

// tunnelMsgFlagStats (TUNNEL_MSG_FLAG_STATS) asks a dump for counters.
const tunnelMsgFlagStats = 1

// VXLANVNIs is a view of one RTM_NEWTUNNEL message: VNIs of a VXLAN device
// in VNI filtering mode ("external vnifilter"), each with its own group
// or remote ("bridge vni show"). Consecutive VNIs with the same settings
// come as one range, unless the dump asked for counters. A view yielded
// by a dump is valid until the next iteration; Clone detaches it.
type VXLANVNIs struct{ view[tunnelMsg] }

// Family returns the message's family, AF_BRIDGE for the VNI filter.
func (v VXLANVNIs) Family() uint8 { return v.hdr()[0] }

// Index returns the VXLAN device's interface index.
func (v VXLANVNIs) Index() int32 { return int32(native.Uint32(v.hdr()[4:])) }

// VXLANVNIEntry is one VNI, or a range of VNIs with the same settings, of
// a VXLAN device's filter.
type VXLANVNIEntry struct {
	// VNI is the (first) VNI. VNIEnd is the last of a range as the
	// kernel sent it: 0 when it sent none, as it does for a single VNI.
	VNI, VNIEnd uint32
	// Group is the VNI's multicast group or unicast remote; invalid when
	// the entry has none, and unspecified (0.0.0.0, ::) when the kernel
	// sent one to say so.
	Group netip.Addr
	// Attrs are the entry's VXLAN_VNIFILTER_ENTRY_* attributes; see
	// Stats.
	Attrs nla.Chain
}

// VXLANVNIStats are a VNI's counters on its device.
type VXLANVNIStats struct {
	RxBytes, RxPackets, RxDrops, RxErrors uint64
	TxBytes, TxPackets, TxDrops, TxErrors uint64
}

// Stats returns VXLAN_VNIFILTER_ENTRY_STATS, which the kernel sends in
// dumps with [VXLANVNIFilter.Stats] set.
func (e VXLANVNIEntry) Stats() (s VXLANVNIStats, ok bool) {
	a, ok := e.Attrs.Get(vniEntryStats) // without it, a nests nothing
	// VNIFILTER_ENTRY_STATS_RX_BYTES (1) to _TX_ERRORS (8), in order.
	_ = rtnl.U64s(a.Nested(), 1, &s.RxBytes, &s.RxPackets, &s.RxDrops, &s.RxErrors, &s.TxBytes, &s.TxPackets, &s.TxDrops, &s.TxErrors)
	return s, ok
}

// Entries yields the message's VNIs (VXLAN_VNIFILTER_ENTRY).
func (v VXLANVNIs) Entries() iter.Seq[VXLANVNIEntry] {
	return func(yield func(VXLANVNIEntry) bool) {
		for a := range v.Chain().AllOf(vniFilterEntry) {
			c := a.Nested()
			e := VXLANVNIEntry{Group: rtnl.IP(c.Get(vniEntryGroup)), Attrs: c}
			e.VNI, _ = rtnl.U32(c.Get(vniEntryStart))
			e.VNIEnd, _ = rtnl.U32(c.Get(vniEntryEnd))
			if !e.Group.IsValid() { // bridge reads GROUP6 only without GROUP
				e.Group = rtnl.IP(c.Get(vniEntryGroup6))
			}
			if !yield(e) {
				return
			}
		}
	}
}

// VXLANVNIFilter selects what a VXLAN VNI dump returns.
type VXLANVNIFilter struct {
	// Index keeps one VXLAN device; the kernel refuses (EINVAL, with a
	// message) a device that is not a VXLAN device in VNI filtering mode.
	// Kernel-side.
	Index int32
	// Stats adds each VNI's counters (TUNNEL_MSG_FLAG_STATS); the kernel
	// then sends every VNI of a range on its own.
	Stats bool
}

// VXLANVNIDump streams the VNI filters of the VXLAN devices that f
// selects (RTM_GETTUNNEL, as "bridge vni show" sends it; nil f: every
// device, without counters). A kernel older than Linux 5.18 refuses the
// dump. Each VXLANVNIs is valid until the next iteration; iterating
// allocates nothing per message.
func (h *Handle) VXLANVNIDump(ctx context.Context, f *VXLANVNIFilter) iter.Seq2[VXLANVNIs, error] {
	return func(yield func(VXLANVNIs, error) bool) {
		b, hdr := h.newRequest(unix.RTM_GETTUNNEL, unix.NLM_F_DUMP, len(tunnelMsg{}), unix.AF_BRIDGE)
		if f != nil && hdr != nil {
			if f.Stats {
				hdr[1] = tunnelMsgFlagStats
			}
			native.PutUint32(hdr[4:], uint32(f.Index))
		}
		b.End()
		dumpOf(ctx, h, "vxlan vni dump", &tunnelMsgs, b, dumpRun{}, func(v view[tunnelMsg], err error) bool {
			return yield(VXLANVNIs{v}, err)
		})
	}
}

// VXLANVNIsFromBytes returns the VXLANVNIs in a message payload (the
// bytes after nlmsghdr), for decoding captured messages and requests.
func VXLANVNIsFromBytes(b []byte) (VXLANVNIs, error) { return viewOf[VXLANVNIs](&tunnelMsgs, b, nil) }

// Clone returns a copy of v that owns its bytes.
func (v VXLANVNIs) Clone() VXLANVNIs { return VXLANVNIs{v.clone()} }

// VXLANVNIs returns the event's VNI filter message, for RTM_NEWTUNNEL and
// RTM_DELTUNNEL ([GroupTunnel]).
func (e Event) VXLANVNIs() (VXLANVNIs, bool) { return eventOf[VXLANVNIs](e, &tunnelMsgs) }

// VNIRange is a VNI, or the range of VNIs Start-End.
type VNIRange struct {
	// Start is the (first) VNI; End, when not zero, the last of a range.
	Start, End uint32
}

// VXLANVNISpec adds VNIs to the filter of a VXLAN device in VNI
// filtering mode, or removes them ("bridge vni add dev DEV vni
// VNI[-VNIEND][,...] [group|remote ADDRESS]").
//
// The VNIs are sent as given, as bridge sends them: the kernel checks
// them (1 to 16777215, ranges in order) and refuses a wrong one with a
// message in the extended ACK.
type VXLANVNISpec struct {
	// Index is the VXLAN device. Required.
	Index int32
	// VNIs are the VNIs and ranges of VNIs, each sent as its own entry.
	VNIs []VNIRange
	// Group, when valid, is the multicast group or unicast remote of
	// every VNI of the request; an IPv4 one with an IPv4 device, an IPv6
	// one with an IPv6 device.
	Group netip.Addr
}

func (s *VXLANVNISpec) encode(b *wire.Builder, typ, flags uint16) error {
	if s.Index <= 0 {
		return fmt.Errorf("invalid interface index %d", s.Index)
	}
	beginMsg(b, typ, flags, len(tunnelMsg{}), unix.AF_BRIDGE, s.Index)
	groupType := uint16(vniEntryGroup6)
	if s.Group.Is4() {
		groupType = vniEntryGroup
	}
	for _, r := range s.VNIs {
		n := b.BeginNest(vniFilterEntry)
		b.Uint32(vniEntryStart, r.Start)
		putU32(b, vniEntryEnd, r.End)
		if s.Group.IsValid() {
			b.Binary(groupType, s.Group.AsSlice())
		}
		b.EndNest(n)
	}
	b.End()
	return nil
}

func (s *VXLANVNISpec) opName(verb string) string {
	switch {
	case len(s.VNIs) == 1 && s.VNIs[0].End != 0:
		return fmt.Sprintf("%s %d-%d index %d", verb, s.VNIs[0].Start, s.VNIs[0].End, s.Index)
	case len(s.VNIs) == 1:
		return fmt.Sprintf("%s %d index %d", verb, s.VNIs[0].Start, s.Index)
	}
	return fmt.Sprintf("%s index %d", verb, s.Index)
}

// The VNI filter changes, with the flags of "bridge vni".
var (
	vxlanVNIAddOp = change{"vxlan vni add", unix.RTM_NEWTUNNEL, 0}
	vxlanVNIDelOp = change{"vxlan vni del", unix.RTM_DELTUNNEL, 0}
)

type vxlanVNIRequest = specRequest[VXLANVNISpec, *VXLANVNISpec]

// VXLANVNIAdd is the request to add VNIs to a VXLAN device's filter, or
// to change the group or remote of VNIs it has ("bridge vni add").
func VXLANVNIAdd(s VXLANVNISpec) Request { return &vxlanVNIRequest{vxlanVNIAddOp, s} }

// VXLANVNIDel is the request to remove VNIs from a VXLAN device's filter;
// ENOENT if it has none of them ("bridge vni delete").
func VXLANVNIDel(s VXLANVNISpec) Request { return &vxlanVNIRequest{vxlanVNIDelOp, s} }
