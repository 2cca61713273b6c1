package ethtool

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
)

// StatsGroup is one group of standard statistics
// (ETHTOOL_MSG_STATS_GET): IEEE 802.3 PHY, MAC and MAC control counters
// and RMON. The driver-defined counters of `ethtool -S` are not in
// netlink: GetDriverStats reads them with ioctls, as ethtool 6.1 does.
type StatsGroup struct {
	// ID is the group's bit in the ETH_SS_STATS_STD string set.
	ID uint32
	// Name is its name there ("eth-mac", "rmon").
	Name string
	// Stats are the counters the driver reported, in the kernel's order.
	Stats []Stat
}

// Stat is one counter of a StatsGroup.
type Stat struct {
	// ID is the counter's index in the group's string set.
	ID uint32
	// Name is its name there ("FramesTransmittedOK").
	Name string
	// Value is the counter.
	Value uint64
}

// GetStats returns dev's standard statistics of the groups named (all
// four when none are: eth-phy, eth-mac, eth-ctrl, rmon). Group names are
// checked against the kernel's string set before the request is sent.
// RMON histograms are left out.
func GetStats(ctx context.Context, h *genl.Handle, dev Device, groups ...string) ([]StatsGroup, error) {
	if err := dev.check(); err != nil {
		return nil, err
	}
	std, err := StringSet(ctx, h, Device{}, StringSetStatsStd)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		groups = std
	}
	bits := make([]NamedBit, len(groups))
	for i, g := range groups {
		if !slices.Contains(std, g) || g == "" {
			return nil, fmt.Errorf("ethtool: %s: unknown statistics group %q (the kernel has %s)", dev, g, strings.Join(std, ", "))
		}
		bits[i] = NamedBit{g, true}
	}
	var out []StatsGroup
	names := map[uint32][]string{} // string sets of the groups' counters
	var grps []nla.Chain
	err = get(ctx, h, dev, StatsGetRequest(func(e StatsEncoder) {
		e.Header(dev.Header(0))
		e.Groups(func(b BitsetEncoder) { EncodeNamed(b, bits) })
	}), ParseStatsGetReply, func(v StatsView) error {
		// The spec declares one grp; the kernel sends one per group.
		// Copies: the reply's buffer is reused once the call returns, and
		// the groups' string sets are asked for after.
		for a := range v.Attrs.AllOf(EthtoolAStatsGrp) {
			grps = append(grps, slices.Clone(a.Nested()))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range grps {
		g := StatsGrpView{c}
		if err := g.Err(); err != nil {
			return nil, fmt.Errorf("ethtool: %s: statistics: %w", dev, err)
		}
		id, _ := g.ID()
		ssid, _ := g.SsID()
		grp := StatsGroup{ID: id}
		if int(id) < len(std) {
			grp.Name = std[id]
		}
		set, ok := names[ssid]
		if !ok {
			if set, err = StringSet(ctx, h, Device{}, ssid); err != nil {
				return nil, err
			}
			names[ssid] = set
		}
		for stat := range g.Stat() {
			for a := range stat.All() {
				v, err := a.Uint64()
				if err != nil {
					return nil, fmt.Errorf("ethtool: %s: statistic %d: %w", dev, a.Kind(), err)
				}
				s := Stat{ID: uint32(a.Kind()), Value: v}
				if int(s.ID) < len(set) {
					s.Name = set[s.ID]
				}
				grp.Stats = append(grp.Stats, s)
			}
		}
		out = append(out, grp)
	}
	return out, nil
}
