package fuzz

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/l2tp"
)

// l2tpTunnelRead is everything an l2tp.Tunnel's readers say.
type l2tpTunnelRead struct {
	id, peerID           uint32
	version              uint8
	encap                l2tp.Encap
	local, peer          netip.Addr
	localPort, peerPort  uint16
	csumOn, csumOK       bool
	noCsum6Tx, noCsum6Rx bool
	stats                l2tp.Stats
}

// readTunnel calls every reader of v.
func readTunnel(v l2tp.Tunnel) l2tpTunnelRead {
	r := l2tpTunnelRead{id: v.ID(), peerID: v.PeerID(), version: v.ProtoVersion(), encap: v.Encap(), local: v.Local(),
		peer: v.Peer(), localPort: v.LocalPort(), peerPort: v.PeerPort(), noCsum6Tx: v.NoUDP6ChecksumTx(),
		noCsum6Rx: v.NoUDP6ChecksumRx(), stats: v.Stats()}
	r.csumOn, r.csumOK = v.UDPChecksum()
	_, _ = r.encap.String(), v.Chain()
	return r
}

// l2tpSessionRead is everything an l2tp.Session's readers say.
type l2tpSessionRead struct {
	tunnelID, peerTunnelID, id, peerID uint32
	pw                                 l2tp.PseudowireType
	l2spec                             l2tp.L2Spec
	ifname, cookie, peerCookie         string
	recvSeq, sendSeq, lns              bool
	reorder                            uint64
	stats                              l2tp.Stats
}

// readSession calls every reader of v.
func readSession(v l2tp.Session) l2tpSessionRead {
	_ = v.Chain()
	return l2tpSessionRead{tunnelID: v.TunnelID(), peerTunnelID: v.PeerTunnelID(), id: v.ID(), peerID: v.PeerID(),
		cookie: string(v.Cookie()), peerCookie: string(v.PeerCookie()), pw: v.PseudowireType(), l2spec: v.L2Spec(), ifname: v.Ifname(), recvSeq: v.RecvSeq(), sendSeq: v.SendSeq(),
		lns: v.LNSMode(), reorder: v.ReorderTimeout(), stats: v.Stats()}
}

// l2tpSeeds returns genl/l2tp's dump replies of tunnels and sessions,
// and the requests of a tunnel and a session.
func l2tpSeeds(t testing.TB) [][]byte {
	dir := filepath.Join("..", "genl", "l2tp", "testdata")
	seeds := hexFile(t, filepath.Join(dir, "tunnels.replies"), filepath.Join(dir, "sessions.replies"))
	seeds = append(seeds, requestSeeds(t, l2tp.CreateTunnel,
		l2tp.TunnelSpec{ID: 3, PeerID: 4, Local: netip.MustParseAddr("192.0.2.1"), Peer: netip.MustParseAddr("192.0.2.2"),
			LocalPort: 5000, PeerPort: 6000, UDPChecksum: true},
		l2tp.TunnelSpec{ID: 5, PeerID: 6, Encap: l2tp.EncapIP, Local: netip.MustParseAddr("fd00::1"), Peer: netip.MustParseAddr("fd00::2")},
	)...)
	return append(seeds, requestSeeds(t, l2tp.CreateSession,
		l2tp.SessionSpec{TunnelID: 3, PeerTunnelID: 4, ID: 1, PeerID: 2, L2Spec: l2tp.L2SpecDefault, RecvSeq: true, SendSeq: true,
			ReorderTimeout: 300, Cookie: []byte{1, 2, 3, 4}, PeerCookie: []byte{1, 2, 3, 4, 5, 6, 7, 8}, Ifname: "l2tpeth0"},
	)...)
}

// FuzzL2tpTunnel decodes arbitrary bytes as a generic netlink payload
// and as an L2TP tunnel (L2TP_CMD_TUNNEL_GET reply). Nothing may panic,
// and
//
//   - a Clone reads as the view does;
//   - the spec a tunnel reads as (an L2TPv3 one), when l2tp.CreateTunnel
//     takes it, makes a request whose attributes read back the same
//     (less the statistics, and the ports and checksum flags of an IP
//     tunnel, which the request leaves out): decode(encode(decode(x))) ==
//     decode(x).
//
// Run without -fuzz, it fails unless its seeds (genl/l2tp's dump replies
// and requests) parsed as tunnels with addresses and made the round trip.
func FuzzL2tpTunnel(f *testing.F) {
	fuzzGenlView(f, l2tpSeeds(f), genlView[l2tp.Tunnel, l2tpTunnelRead]{
		name: "l2tp.Tunnel", parse: l2tp.ParseTunnel, read: readTunnel, clone: l2tp.Tunnel.Clone,
		full: func(r l2tpTunnelRead) bool { return r.local.IsValid() && r.peer.IsValid() },
		request: func(r l2tpTunnelRead) (genl.Request, error) {
			return l2tp.CreateTunnel(l2tp.TunnelSpec{ID: r.id, PeerID: r.peerID, Encap: r.encap, Local: r.local, Peer: r.peer,
				LocalPort: r.localPort, PeerPort: r.peerPort, UDPChecksum: r.csumOn, NoUDP6ChecksumTx: r.noCsum6Tx,
				NoUDP6ChecksumRx: r.noCsum6Rx})
		},
		want: func(r l2tpTunnelRead) l2tpTunnelRead {
			r.version, r.stats, r.csumOK = 3, l2tp.Stats{}, r.csumOn
			if r.encap == l2tp.EncapIP {
				r.localPort, r.peerPort, r.csumOn, r.csumOK, r.noCsum6Tx, r.noCsum6Rx = 0, 0, false, false, false, false
			}
			return r
		},
	})
}

// FuzzL2tpSession decodes arbitrary bytes as a generic netlink payload
// and as an L2TP session (L2TP_CMD_SESSION_GET reply). Nothing may panic,
// and
//
//   - a Clone reads as the view does;
//   - the spec a session reads as, when l2tp.CreateSession takes it,
//     makes a request whose attributes read back the same (less the
//     statistics and LNS mode, which a request has not; an unset
//     pseudowire type is Ethernet's): decode(encode(decode(x))) ==
//     decode(x).
//
// Run without -fuzz, it fails unless its seeds (genl/l2tp's dump replies
// and requests) parsed as sessions with cookies and made the round trip.
func FuzzL2tpSession(f *testing.F) {
	fuzzGenlView(f, l2tpSeeds(f), genlView[l2tp.Session, l2tpSessionRead]{
		name: "l2tp.Session", parse: l2tp.ParseSession, read: readSession, clone: l2tp.Session.Clone,
		full: func(r l2tpSessionRead) bool { return r.cookie != "" && r.peerCookie != "" },
		request: func(r l2tpSessionRead) (genl.Request, error) {
			return l2tp.CreateSession(l2tp.SessionSpec{TunnelID: r.tunnelID, PeerTunnelID: r.peerTunnelID, ID: r.id, PeerID: r.peerID,
				PseudowireType: r.pw, L2Spec: r.l2spec, RecvSeq: r.recvSeq, SendSeq: r.sendSeq, ReorderTimeout: r.reorder,
				Cookie: []byte(r.cookie), PeerCookie: []byte(r.peerCookie), Ifname: r.ifname})
		},
		want: func(r l2tpSessionRead) l2tpSessionRead {
			r.lns, r.stats = false, l2tp.Stats{}
			if r.pw == 0 {
				r.pw = l2tp.PwTypeEth
			}
			return r
		},
	})
}
