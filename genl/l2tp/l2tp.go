package l2tp

import (
	"context"
	"fmt"
	"iter"
	"net/netip"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// TunnelSpec describes an L2TPv3 tunnel to create.
type TunnelSpec struct {
	// ID is the tunnel id (not 0), and PeerID the peer's (not 0).
	ID, PeerID uint32
	// Encap is the encapsulation: UDP (the zero value) or IP.
	Encap Encap
	// Local and Peer are the tunnel's addresses, both IPv4 or both
	// IPv6 (the unspecified address for any).
	Local, Peer netip.Addr
	// LocalPort and PeerPort are the UDP ports of a UDP tunnel.
	LocalPort, PeerPort uint16
	// UDPChecksum turns on the UDP checksums of an IPv4 UDP tunnel.
	UDPChecksum bool
	// NoUDP6ChecksumTx and NoUDP6ChecksumRx turn off the UDP checksums an
	// IPv6 UDP tunnel sends and wants (zero checksums).
	NoUDP6ChecksumTx, NoUDP6ChecksumRx bool
}

// CreateTunnel is the request that creates the tunnel s (EEXIST when
// there is one of its id), with ip's attributes in ip's order.
func CreateTunnel(s TunnelSpec) (genl.Request, error) {
	switch {
	case s.ID == 0 || s.PeerID == 0:
		return genl.Request{}, fmt.Errorf("l2tp: %w: tunnel id %d, peer tunnel id %d", ErrInvalid, s.ID, s.PeerID)
	case s.Encap != EncapUDP && s.Encap != EncapIP:
		return genl.Request{}, fmt.Errorf("l2tp: %w: encapsulation %d", ErrInvalid, s.Encap)
	case !s.Local.IsValid() || !s.Peer.IsValid() || s.Local.Is4() != s.Peer.Is4() || s.Local.Zone() != "" || s.Peer.Zone() != "":
		return genl.Request{}, fmt.Errorf("l2tp: %w: tunnel addresses %v and %v are not two addresses of one family", ErrInvalid, s.Local, s.Peer)
	}
	local, peer := uint16(AttrIPSaddr), uint16(AttrIPDaddr)
	if s.Local.Is6() {
		local, peer = AttrIP6Saddr, AttrIP6Daddr
	}
	return genl.Request{Command: CmdTunnelCreate, Attrs: func(e *nla.Encoder) {
		e.Uint32(AttrConnID, s.ID)
		e.Uint32(AttrPeerConnID, s.PeerID)
		e.Uint8(AttrProtoVersion, 3)
		e.Uint16(AttrEncapType, uint16(s.Encap))
		e.Addr(local, s.Local)
		e.Addr(peer, s.Peer)
		if s.Encap == EncapUDP {
			e.Uint16(AttrUDPSport, s.LocalPort)
			e.Uint16(AttrUDPDport, s.PeerPort)
			if s.UDPChecksum {
				e.Uint8(AttrUDPCsum, 1)
			}
			if s.NoUDP6ChecksumTx {
				e.Flag(AttrUDPZeroCsum6TX)
			}
			if s.NoUDP6ChecksumRx {
				e.Flag(AttrUDPZeroCsum6RX)
			}
		}
	}}, nil
}

// DeleteTunnel is the request that deletes the tunnel id, with its
// sessions (the kernel refuses a missing one with ENODEV).
func DeleteTunnel(id uint32) (genl.Request, error) {
	if id == 0 {
		return genl.Request{}, fmt.Errorf("l2tp: %w: tunnel id 0", ErrInvalid)
	}
	return genl.Request{Command: CmdTunnelDelete, Attrs: func(e *nla.Encoder) { e.Uint32(AttrConnID, id) }}, nil
}

// SessionSpec describes a session to create in a tunnel.
type SessionSpec struct {
	// TunnelID is the tunnel's id (not 0), PeerTunnelID the peer's (ip
	// sends it; the kernel takes the tunnel's).
	TunnelID, PeerTunnelID uint32
	// ID is the session id (not 0), and PeerID the peer's (not 0).
	ID, PeerID uint32
	// PseudowireType is the pseudowire; 0 is Ethernet (PwTypeEth), the
	// one ip creates.
	PseudowireType PseudowireType
	// L2Spec is the layer-2-specific sublayer: none (the zero value) or
	// the default one, ip's default.
	L2Spec L2Spec
	// RecvSeq makes the session want sequence numbers, SendSeq send
	// them.
	RecvSeq, SendSeq bool
	// ReorderTimeout, if not 0, is how long (in milliseconds) the session
	// holds packets out of sequence.
	ReorderTimeout uint64
	// Cookie and PeerCookie are the cookies of the session and of its
	// peer: none, 4 or 8 bytes.
	Cookie, PeerCookie []byte
	// Ifname, if not empty, is the name of the session's device.
	Ifname string
}

// CreateSession is the request that creates the session s, with ip's
// attributes in ip's order. The cookies are copied.
func CreateSession(s SessionSpec) (genl.Request, error) {
	switch {
	case s.TunnelID == 0 || s.ID == 0 || s.PeerID == 0:
		return genl.Request{}, fmt.Errorf("l2tp: %w: tunnel id %d, session id %d, peer session id %d", ErrInvalid, s.TunnelID, s.ID, s.PeerID)
	case s.L2Spec != L2SpecNone && s.L2Spec != L2SpecDefault:
		return genl.Request{}, fmt.Errorf("l2tp: %w: layer-2-specific sublayer %d", ErrInvalid, s.L2Spec)
	case !cookieLen(len(s.Cookie)) || !cookieLen(len(s.PeerCookie)):
		return genl.Request{}, fmt.Errorf("l2tp: %w: cookies of %d and %d bytes (0, 4 or 8)", ErrInvalid, len(s.Cookie), len(s.PeerCookie))
	case len(s.Ifname) >= unix.IFNAMSIZ || strings.ContainsAny(s.Ifname, "\x00/ \t\n\v\f\r"):
		return genl.Request{}, fmt.Errorf("l2tp: %w: device name %q", ErrInvalid, s.Ifname)
	}
	pw := s.PseudowireType
	if pw == 0 {
		pw = PwTypeEth
	}
	var l2len uint8
	if s.L2Spec == L2SpecDefault {
		l2len = 4
	}
	cookie := append([]byte(nil), s.Cookie...)
	peerCookie := append([]byte(nil), s.PeerCookie...)
	return genl.Request{Command: CmdSessionCreate, Attrs: func(e *nla.Encoder) {
		e.Uint32(AttrConnID, s.TunnelID)
		e.Uint32(AttrPeerConnID, s.PeerTunnelID)
		e.Uint32(AttrSessionID, s.ID)
		e.Uint32(AttrPeerSessionID, s.PeerID)
		e.Uint16(AttrPwType, uint16(pw))
		e.Uint8(AttrL2SpecType, uint8(s.L2Spec))
		e.Uint8(AttrL2SpecLen, l2len)
		if s.RecvSeq {
			e.Uint8(AttrRecvSeq, 1)
		}
		if s.SendSeq {
			e.Uint8(AttrSendSeq, 1)
		}
		if s.ReorderTimeout != 0 {
			e.Uint64(AttrRecvTimeout, s.ReorderTimeout)
		}
		if len(cookie) > 0 {
			e.Binary(AttrCookie, cookie)
		}
		if len(peerCookie) > 0 {
			e.Binary(AttrPeerCookie, peerCookie)
		}
		if s.Ifname != "" {
			e.String(AttrIfname, s.Ifname)
		}
	}}, nil
}

func cookieLen(n int) bool { return n == 0 || n == 4 || n == 8 }

// DeleteSession is the request that deletes the session sessionID of
// the tunnel tunnelID.
func DeleteSession(tunnelID, sessionID uint32) (genl.Request, error) {
	if sessionID == 0 {
		return genl.Request{}, fmt.Errorf("l2tp: %w: session id 0", ErrInvalid)
	}
	return genl.Request{Command: CmdSessionDelete, Attrs: func(e *nla.Encoder) {
		e.Uint32(AttrConnID, tunnelID)
		e.Uint32(AttrSessionID, sessionID)
	}}, nil
}

// TunnelDump is the request of a dump of the tunnels. An id that is not
// 0 goes in it as ip's "show tunnel tunnel_id ID" sends it, but the
// kernel's dump ignores it: every tunnel is listed.
func TunnelDump(id uint32) genl.Request {
	r := genl.Request{Command: CmdTunnelGet}
	if id != 0 {
		r.Attrs = func(e *nla.Encoder) { e.Uint32(AttrConnID, id) }
	}
	return r
}

// SessionDump is the request of a dump of the sessions. Ids that are
// both not 0 go in it as ip's "show session tunnel_id ID session_id ID"
// sends them, but the kernel's dump ignores them: every session is
// listed.
func SessionDump(tunnelID, sessionID uint32) genl.Request {
	r := genl.Request{Command: CmdSessionGet}
	if tunnelID != 0 && sessionID != 0 {
		r.Attrs = func(e *nla.Encoder) {
			e.Uint32(AttrConnID, tunnelID)
			e.Uint32(AttrSessionID, sessionID)
		}
	}
	return r
}

// Tunnels lists the tunnels. Each view is valid until the next
// iteration; iterating allocates nothing per tunnel.
func Tunnels(ctx context.Context, h *genl.Handle) iter.Seq2[Tunnel, error] {
	return genl.DumpFamily(ctx, h, FamilyName, TunnelDump(0), ParseTunnel)
}

// Sessions lists the sessions of every tunnel. Each view is valid until
// the next iteration; iterating allocates nothing per session.
func Sessions(ctx context.Context, h *genl.Handle) iter.Seq2[Session, error] {
	return genl.DumpFamily(ctx, h, FamilyName, SessionDump(0, 0), ParseSession)
}

// GetTunnel reads the tunnel id. The view is detached: it may be kept.
func GetTunnel(ctx context.Context, h *genl.Handle, id uint32) (Tunnel, error) {
	if id == 0 {
		return Tunnel{}, fmt.Errorf("l2tp: %w: tunnel id 0", ErrInvalid)
	}
	return genl.QueryFamily(ctx, h, FamilyName, TunnelDump(id), ParseTunnel)
}

// GetSession reads the session sessionID of the tunnel tunnelID. The
// view is detached: it may be kept.
func GetSession(ctx context.Context, h *genl.Handle, tunnelID, sessionID uint32) (Session, error) {
	if tunnelID == 0 || sessionID == 0 {
		return Session{}, fmt.Errorf("l2tp: %w: tunnel id %d, session id %d", ErrInvalid, tunnelID, sessionID)
	}
	return genl.QueryFamily(ctx, h, FamilyName, SessionDump(tunnelID, sessionID), ParseSession)
}

// Family resolves the l2tp family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, FamilyName)
}

// Do resolves the l2tp family and sends reqs, one by one when there is
// one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}
