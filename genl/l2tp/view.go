package l2tp

import (
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
)

// Tunnel is a view of one tunnel (an L2TP_CMD_TUNNEL_GET reply). It
// aliases the message it came from: in [Tunnels], valid until the next
// iteration ([Tunnel.Clone] detaches it).
type Tunnel struct {
	attrs nla.Chain
}

// Session is a view of one session (an L2TP_CMD_SESSION_GET reply). It
// aliases the message it came from: in [Sessions], valid until the next
// iteration ([Session.Clone] detaches it).
type Session struct {
	attrs nla.Chain
}

// ParseTunnel returns the view of m, an L2TP_CMD_TUNNEL_GET reply.
func ParseTunnel(m genl.Message) (Tunnel, error) {
	if err := parse(m, "tunnel"); err != nil {
		return Tunnel{}, err
	}
	return Tunnel{attrs: m.Attrs}, nil
}

// ParseSession returns the view of m, an L2TP_CMD_SESSION_GET reply.
func ParseSession(m genl.Message) (Session, error) {
	if err := parse(m, "session"); err != nil {
		return Session{}, err
	}
	return Session{attrs: m.Attrs}, nil
}

// parse checks m's attributes, and that it has the tunnel id the kernel
// always sends.
func parse(m genl.Message, what string) error {
	if err := m.Attrs.Err(); err != nil {
		return fmt.Errorf("l2tp: %w", err)
	}
	if _, ok := m.Attrs.Get(AttrConnID); !ok {
		return fmt.Errorf("l2tp: %s without a tunnel id (%d bytes of attributes)", what, len(m.Attrs))
	}
	return nil
}

// Clone returns a copy of t that does not alias the receive buffer.
func (t Tunnel) Clone() Tunnel { return Tunnel{attrs: append(nla.Chain(nil), t.attrs...)} }

// Chain is the tunnel's attributes (L2TP_ATTR_*), raw.
func (t Tunnel) Chain() nla.Chain { return t.attrs }

// ID is the tunnel id.
func (t Tunnel) ID() uint32 { return genlview.Attr(t.attrs, AttrConnID, nla.Attr.Uint32) }

// PeerID is the peer's tunnel id.
func (t Tunnel) PeerID() uint32 { return genlview.Attr(t.attrs, AttrPeerConnID, nla.Attr.Uint32) }

// ProtoVersion is the L2TP version, 2 or 3.
func (t Tunnel) ProtoVersion() uint8 {
	return genlview.Attr(t.attrs, AttrProtoVersion, nla.Attr.Uint8)
}

// Encap is the encapsulation.
func (t Tunnel) Encap() Encap { return Encap(genlview.Attr(t.attrs, AttrEncapType, nla.Attr.Uint16)) }

// Local is the local address (IPv4 or IPv6), the zero Addr when the
// kernel reports none.
func (t Tunnel) Local() netip.Addr { return addr(t.attrs, AttrIPSaddr, AttrIP6Saddr) }

// Peer is the peer's address, the zero Addr when the kernel reports
// none.
func (t Tunnel) Peer() netip.Addr { return addr(t.attrs, AttrIPDaddr, AttrIP6Daddr) }

func addr(c nla.Chain, v4, v6 uint16) netip.Addr {
	if _, ok := c.Get(v4); ok {
		return genlview.Attr(c, v4, nla.Attr.Addr)
	}
	return genlview.Attr(c, v6, nla.Attr.Addr)
}

// LocalPort is the local UDP port of a UDP tunnel.
func (t Tunnel) LocalPort() uint16 { return genlview.Attr(t.attrs, AttrUDPSport, nla.Attr.Uint16) }

// PeerPort is the peer's UDP port of a UDP tunnel.
func (t Tunnel) PeerPort() uint16 { return genlview.Attr(t.attrs, AttrUDPDport, nla.Attr.Uint16) }

// UDPChecksum is whether an IPv4 UDP tunnel sends UDP checksums, and
// whether the kernel says (it does for UDP tunnels).
func (t Tunnel) UDPChecksum() (on, ok bool) {
	a, ok := t.attrs.Get(AttrUDPCsum)
	if !ok {
		return false, false
	}
	v, err := a.Uint8()
	return v != 0, err == nil
}

// NoUDP6ChecksumTx is whether an IPv6 UDP tunnel sends zero UDP
// checksums; NoUDP6ChecksumRx whether it accepts them.
func (t Tunnel) NoUDP6ChecksumTx() bool { return has(t.attrs, AttrUDPZeroCsum6TX) }

// NoUDP6ChecksumRx is whether an IPv6 UDP tunnel accepts zero UDP
// checksums.
func (t Tunnel) NoUDP6ChecksumRx() bool { return has(t.attrs, AttrUDPZeroCsum6RX) }

func has(c nla.Chain, t uint16) bool {
	_, ok := c.Get(t)
	return ok
}

// Stats is the tunnel's counters.
func (t Tunnel) Stats() Stats { return readStats(t.attrs) }

// Clone returns a copy of s that does not alias the receive buffer.
func (s Session) Clone() Session { return Session{attrs: append(nla.Chain(nil), s.attrs...)} }

// Chain is the session's attributes (L2TP_ATTR_*), raw.
func (s Session) Chain() nla.Chain { return s.attrs }

// TunnelID is the id of the session's tunnel.
func (s Session) TunnelID() uint32 { return genlview.Attr(s.attrs, AttrConnID, nla.Attr.Uint32) }

// PeerTunnelID is the peer's id of the session's tunnel.
func (s Session) PeerTunnelID() uint32 {
	return genlview.Attr(s.attrs, AttrPeerConnID, nla.Attr.Uint32)
}

// ID is the session id.
func (s Session) ID() uint32 { return genlview.Attr(s.attrs, AttrSessionID, nla.Attr.Uint32) }

// PeerID is the peer's session id.
func (s Session) PeerID() uint32 { return genlview.Attr(s.attrs, AttrPeerSessionID, nla.Attr.Uint32) }

// PseudowireType is the session's pseudowire.
func (s Session) PseudowireType() PseudowireType {
	return PseudowireType(genlview.Attr(s.attrs, AttrPwType, nla.Attr.Uint16))
}

// L2Spec is the session's layer-2-specific sublayer.
func (s Session) L2Spec() L2Spec {
	return L2Spec(genlview.Attr(s.attrs, AttrL2SpecType, nla.Attr.Uint8))
}

// Ifname is the name of the session's device, "" for none.
func (s Session) Ifname() string { return genlview.Attr(s.attrs, AttrIfname, nla.Attr.Text) }

// Cookie is the session's cookie (none, 4 or 8 bytes), aliasing the
// message.
func (s Session) Cookie() []byte { return data(s.attrs, AttrCookie) }

// PeerCookie is the peer's cookie, aliasing the message.
func (s Session) PeerCookie() []byte { return data(s.attrs, AttrPeerCookie) }

func data(c nla.Chain, t uint16) []byte {
	a, _ := c.Get(t)
	return a.Data
}

// RecvSeq is whether the session wants sequence numbers.
func (s Session) RecvSeq() bool { return genlview.Attr(s.attrs, AttrRecvSeq, nla.Attr.Uint8) != 0 }

// SendSeq is whether the session sends sequence numbers.
func (s Session) SendSeq() bool { return genlview.Attr(s.attrs, AttrSendSeq, nla.Attr.Uint8) != 0 }

// LNSMode is whether the session is in LNS mode.
func (s Session) LNSMode() bool { return genlview.Attr(s.attrs, AttrLNSMode, nla.Attr.Uint8) != 0 }

// ReorderTimeout is how long, in milliseconds, the session holds packets
// out of sequence (0 for not at all).
func (s Session) ReorderTimeout() uint64 {
	return genlview.Attr(s.attrs, AttrRecvTimeout, nla.Attr.Uint64)
}

// Stats is the session's counters.
func (s Session) Stats() Stats { return readStats(s.attrs) }

// Stats is the counters of a tunnel or a session (L2TP_ATTR_STATS).
type Stats struct {
	TxPackets, TxBytes, TxErrors uint64
	RxPackets, RxBytes, RxErrors uint64
	RxSeqDiscards, RxOOSPackets  uint64
	RxCookieDiscards, RxInvalid  uint64
}

func readStats(c nla.Chain) Stats {
	a, ok := c.Get(AttrStats)
	if !ok {
		return Stats{}
	}
	n := a.Nested()
	u := func(t uint16) uint64 { return genlview.Attr(n, t, nla.Attr.Uint64) }
	return Stats{
		TxPackets: u(StatsTxPackets), TxBytes: u(StatsTxBytes), TxErrors: u(StatsTxErrors),
		RxPackets: u(StatsRxPackets), RxBytes: u(StatsRxBytes), RxErrors: u(StatsRxErrors),
		RxSeqDiscards: u(StatsRxSeqDiscards), RxOOSPackets: u(StatsRxOOSPackets),
		RxCookieDiscards: u(StatsRxCookieDiscards), RxInvalid: u(StatsRxInvalid),
	}
}
