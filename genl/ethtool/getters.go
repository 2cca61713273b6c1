package ethtool

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/genl"
)

// get sends the get request r about dev and decodes its one reply with
// parse (a generated ParseXGetReply), then fill.
func get[V interface{ Err() error }](ctx context.Context, h *genl.Handle, dev Device, r genl.Request, parse func(genl.Message) (V, error), fill func(V) error) error {
	return query(ctx, h, dev, r, func(m genl.Message) error {
		v, err := parse(m)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		return fill(v)
	})
}

// LinkInfo is a device's port and transceiver (ETHTOOL_MSG_LINKINFO_GET;
// part of what `ethtool DEV` prints). Values are linux/ethtool.h's PORT_*,
// XCVR_*, ETH_TP_MDI_*.
type LinkInfo struct {
	Port, PHYAddress, TPMDIX, TPMDIXCtrl, Transceiver uint8
}

// GetLinkInfo returns dev's link info.
func GetLinkInfo(ctx context.Context, h *genl.Handle, dev Device) (LinkInfo, error) {
	var li LinkInfo
	err := get(ctx, h, dev, LinkinfoGetRequest(func(e LinkinfoEncoder) { e.Header(dev.Header(0)) }), ParseLinkinfoGetReply,
		func(v LinkinfoView) error {
			li.Port, _ = v.Port()
			li.PHYAddress, _ = v.Phyaddr()
			li.TPMDIX, _ = v.TpMdix()
			li.TPMDIXCtrl, _ = v.TpMdixCtrl()
			li.Transceiver, _ = v.Transceiver()
			return nil
		})
	return li, err
}

// SpeedUnknown is LinkModes.Speed when the kernel does not know it
// (SPEED_UNKNOWN).
const SpeedUnknown = ^uint32(0)

// LinkModes is a device's speed, duplex and link modes
// (ETHTOOL_MSG_LINKMODES_GET; part of what `ethtool DEV` prints).
type LinkModes struct {
	// Autoneg says autonegotiation is on.
	Autoneg bool
	// Speed is in Mb/s, SpeedUnknown when unknown.
	Speed uint32
	// Duplex is DUPLEX_HALF (0), DUPLEX_FULL (1) or DUPLEX_UNKNOWN (0xff).
	Duplex uint8
	// Lanes is the number of lanes, 0 when not reported.
	Lanes uint32
	// MasterSlaveCfg and MasterSlaveState are MASTER_SLAVE_* values.
	MasterSlaveCfg, MasterSlaveState uint8
	// RateMatching is a RATE_MATCH_* value.
	RateMatching uint8
	// Supported, Advertised and Peer are link-mode names
	// ("10000baseT/Full"): what the device supports, advertises, and
	// what its link partner advertises.
	Supported, Advertised, Peer []string
}

// GetLinkModes returns dev's link modes; bitsets come verbose, with
// their names.
func GetLinkModes(ctx context.Context, h *genl.Handle, dev Device) (LinkModes, error) {
	var lm LinkModes
	err := get(ctx, h, dev, LinkmodesGetRequest(func(e LinkmodesEncoder) { e.Header(dev.Header(0)) }), ParseLinkmodesGetReply,
		func(v LinkmodesView) error {
			an, _ := v.Autoneg()
			lm.Autoneg = an != 0
			lm.Speed, _ = v.Speed()
			lm.Duplex, _ = v.Duplex()
			lm.Lanes, _ = v.Lanes()
			lm.MasterSlaveCfg, _ = v.MasterSlaveCfg()
			lm.MasterSlaveState, _ = v.MasterSlaveState()
			lm.RateMatching, _ = v.RateMatching()
			var b Bitset
			if bv, ok := v.Ours(); ok {
				if err := b.Parse(bv, nil); err != nil {
					return err
				}
				lm.Advertised = b.names(b.Test)
				lm.Supported = b.names(b.Masked)
			}
			if bv, ok := v.Peer(); ok {
				if err := b.Parse(bv, nil); err != nil {
					return err
				}
				lm.Peer = b.names(b.Test)
			}
			return nil
		})
	return lm, err
}

// names returns the names of the bits for which in is true.
func (b *Bitset) names(in func(int) bool) []string {
	var out []string
	for i := range b.Size {
		if in(i) {
			out = append(out, b.Name(i, nil))
		}
	}
	return out
}

// LinkState is a device's link state (ETHTOOL_MSG_LINKSTATE_GET;
// `ethtool DEV`'s "Link detected").
type LinkState struct {
	// Link says the link is up.
	Link bool
	// HasSQI says SQI and SQIMax (signal quality) were reported.
	HasSQI      bool
	SQI, SQIMax uint32
	// ExtState and ExtSubstate say why a link is down (ETHTOOL_LINK_EXT_*),
	// when the driver tells.
	ExtState, ExtSubstate uint8
	// ExtDownCount counts the link's down events, when the driver tells.
	ExtDownCount uint32
}

// GetLinkState returns dev's link state.
func GetLinkState(ctx context.Context, h *genl.Handle, dev Device) (LinkState, error) {
	var ls LinkState
	err := get(ctx, h, dev, LinkstateGetRequest(func(e LinkstateEncoder) { e.Header(dev.Header(0)) }), ParseLinkstateGetReply,
		func(v LinkstateView) error {
			l, _ := v.Link()
			ls.Link = l != 0
			var ok bool
			ls.SQI, ok = v.Sqi()
			ls.SQIMax, _ = v.SqiMax()
			ls.HasSQI = ok
			ls.ExtState, _ = v.ExtState()
			ls.ExtSubstate, _ = v.ExtSubstate()
			ls.ExtDownCount, _ = v.ExtDownCnt()
			return nil
		})
	return ls, err
}

// Rings are a device's ring sizes (ETHTOOL_MSG_RINGS_GET, `ethtool -g`):
// maximums and current values; 0 where the driver reports none.
type Rings struct {
	RXMax, RXMiniMax, RXJumboMax, TXMax uint32
	RX, RXMini, RXJumbo, TX             uint32
	RXBufLen, CQESize                   uint32
	TXPushBufLen, TXPushBufLenMax       uint32
	// TCPDataSplit is ETHTOOL_TCP_DATA_SPLIT_*; TXPush and RXPush are
	// booleans as the kernel sends them.
	TCPDataSplit, TXPush, RXPush uint8
}

// GetRings returns dev's rings. A driver without rings (veth) is
// EOPNOTSUPP, as `ethtool -g` says.
func GetRings(ctx context.Context, h *genl.Handle, dev Device) (Rings, error) {
	var r Rings
	err := get(ctx, h, dev, RingsGetRequest(func(e RingsEncoder) { e.Header(dev.Header(0)) }), ParseRingsGetReply,
		func(v RingsView) error {
			r.RXMax, _ = v.RXMax()
			r.RXMiniMax, _ = v.RXMiniMax()
			r.RXJumboMax, _ = v.RXJumboMax()
			r.TXMax, _ = v.TXMax()
			r.RX, _ = v.RX()
			r.RXMini, _ = v.RXMini()
			r.RXJumbo, _ = v.RXJumbo()
			r.TX, _ = v.TX()
			r.RXBufLen, _ = v.RXBufLen()
			r.CQESize, _ = v.CqeSize()
			r.TXPushBufLen, _ = v.TXPushBufLen()
			r.TXPushBufLenMax, _ = v.TXPushBufLenMax()
			r.TCPDataSplit, _ = v.TCPDataSplit()
			r.TXPush, _ = v.TXPush()
			r.RXPush, _ = v.RXPush()
			return nil
		})
	return r, err
}

// Channels are a device's queue counts (ETHTOOL_MSG_CHANNELS_GET,
// `ethtool -l`): maximums and current counts; a kind whose maximum is 0
// is not reported (`ethtool -l`'s "n/a").
type Channels struct {
	RXMax, TXMax, OtherMax, CombinedMax uint32
	RX, TX, Other, Combined             uint32
}

// GetChannels returns dev's channels.
func GetChannels(ctx context.Context, h *genl.Handle, dev Device) (Channels, error) {
	var c Channels
	err := get(ctx, h, dev, ChannelsGetRequest(func(e ChannelsEncoder) { e.Header(dev.Header(0)) }), ParseChannelsGetReply,
		func(v ChannelsView) error {
			c.RXMax, _ = v.RXMax()
			c.TXMax, _ = v.TXMax()
			c.OtherMax, _ = v.OtherMax()
			c.CombinedMax, _ = v.CombinedMax()
			c.RX, _ = v.RXCount()
			c.TX, _ = v.TXCount()
			c.Other, _ = v.OtherCount()
			c.Combined, _ = v.CombinedCount()
			return nil
		})
	return c, err
}

// SetChannels sets dev's RX and TX queue counts (`ethtool -L dev rx N tx
// M`); a count of 0 leaves that kind as it is. Counts above the device's
// maximums are the kernel's EINVAL.
func SetChannels(ctx context.Context, h *genl.Handle, dev Device, rx, tx uint32) error {
	if err := dev.check(); err != nil {
		return err
	}
	f, err := Family(ctx, h)
	if err != nil {
		return err
	}
	err = h.Do(ctx, f, ChannelsSetRequest(func(e ChannelsEncoder) {
		e.Header(dev.Header(0))
		if rx != 0 {
			e.RXCount(rx)
		}
		if tx != 0 {
			e.TXCount(tx)
		}
	}), nil)
	if err != nil {
		return fmt.Errorf("ethtool: %s: %w", dev, err)
	}
	return nil
}

// PrivFlag is a driver's private flag (`ethtool --show-priv-flags`).
type PrivFlag struct {
	Name string
	On   bool
}

// GetPrivFlags returns dev's private flags (a verbose bitset, names
// included). A driver without (veth) is EOPNOTSUPP, as ethtool says.
func GetPrivFlags(ctx context.Context, h *genl.Handle, dev Device) ([]PrivFlag, error) {
	var flags []PrivFlag
	err := get(ctx, h, dev, PrivflagsGetRequest(func(e PrivflagsEncoder) { e.Header(dev.Header(0)) }), ParsePrivflagsGetReply,
		func(v PrivflagsView) error {
			bv, ok := v.Flags()
			if !ok {
				return nil
			}
			var b Bitset
			if err := b.Parse(bv, nil); err != nil {
				return err
			}
			for i := range b.Size {
				flags = append(flags, PrivFlag{b.Name(i, nil), b.Test(i)})
			}
			return nil
		})
	return flags, err
}
