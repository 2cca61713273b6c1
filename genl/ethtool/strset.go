package ethtool

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/genl"
)

// String sets (enum ethtool_stringset in linux/ethtool.h; the YNL spec
// leaves the enum empty): the names of the bits of ethtool's bitsets and
// of statistics.
const (
	StringSetTest          = 0  // ETH_SS_TEST: self-test results
	StringSetStats         = 1  // ETH_SS_STATS: driver statistics (ethtool -S)
	StringSetPrivFlags     = 2  // ETH_SS_PRIV_FLAGS: driver private flags
	StringSetFeatures      = 4  // ETH_SS_FEATURES: netdev features (ethtool -k)
	StringSetRSSHashFuncs  = 5  // ETH_SS_RSS_HASH_FUNCS
	StringSetTunables      = 6  // ETH_SS_TUNABLES
	StringSetPHYStats      = 7  // ETH_SS_PHY_STATS
	StringSetPHYTunables   = 8  // ETH_SS_PHY_TUNABLES
	StringSetLinkModes     = 9  // ETH_SS_LINK_MODES
	StringSetMsgClasses    = 10 // ETH_SS_MSG_CLASSES: debug message classes
	StringSetWoLModes      = 11 // ETH_SS_WOL_MODES
	StringSetSOFTimestamp  = 12 // ETH_SS_SOF_TIMESTAMPING
	StringSetTSTxTypes     = 13 // ETH_SS_TS_TX_TYPES
	StringSetTSRxFilters   = 14 // ETH_SS_TS_RX_FILTERS
	StringSetUDPTunnelType = 15 // ETH_SS_UDP_TUNNEL_TYPES
	StringSetStatsStd      = 16 // ETH_SS_STATS_STD: the standard statistics groups
	StringSetStatsEthPHY   = 17 // ETH_SS_STATS_ETH_PHY
	StringSetStatsEthMAC   = 18 // ETH_SS_STATS_ETH_MAC
	StringSetStatsEthCtrl  = 19 // ETH_SS_STATS_ETH_CTRL
	StringSetStatsRMON     = 20 // ETH_SS_STATS_RMON
)

// StringSet returns the string set id (StringSet*): the names of its
// entries by index. Sets of the kernel's (features, link modes) need no
// device: dev may be the zero Device; a driver's (statistics, private
// flags) are asked of dev.
func StringSet(ctx context.Context, h *genl.Handle, dev Device, id uint32) ([]string, error) {
	var names []string
	r := StrsetGetRequest(func(e StrsetEncoder) {
		if dev != (Device{}) {
			e.Header(dev.Header(0))
		} else {
			e.Header(nil) // the kernel wants a header, empty for its own sets
		}
		e.Stringsets(func(s StringsetsEncoder) {
			s.Stringset(func(s StringsetEncoder) { s.ID(id) })
		})
	})
	f, err := Family(ctx, h)
	if err != nil {
		return nil, err
	}
	err = h.Query(ctx, f, r, func(m genl.Message) error {
		v, err := ParseStrsetGetReply(m)
		if err != nil {
			return err
		}
		names, err = parseStringSet(v, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ethtool: string set %d: %w", id, err)
	}
	return names, nil
}

// maxStrings bounds a received string set's count, which sizes the
// slice of names; the largest the kernel has is a driver's statistics,
// some thousands.
const maxStrings = 1 << 16

// parseStringSet returns the strings of set id in a STRSET_GET reply.
func parseStringSet(v StrsetView, id uint32) ([]string, error) {
	sets, _ := v.Stringsets()
	for set := range sets.Stringset() {
		if got, ok := set.ID(); !ok || got != id {
			continue
		}
		count, _ := set.Count()
		if count > maxStrings {
			return nil, fmt.Errorf("a string set of %d strings", count)
		}
		names := make([]string, count)
		for strs := range set.Strings() {
			for s := range strs.StringAttr() {
				i, ok := s.Index()
				if !ok || i >= count {
					return nil, fmt.Errorf("string index %d of %d", i, count)
				}
				names[i], _ = s.Value()
			}
		}
		return names, nil
	}
	return nil, fmt.Errorf("no string set %d in the reply", id)
}
