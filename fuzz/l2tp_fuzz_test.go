package fuzz

import (
	"bytes"
	"net/netip"
	"path/filepath"
	"sync/atomic"
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

func readTunnel(v l2tp.Tunnel) l2tpTunnelRead {
	r := l2tpTunnelRead{id: v.ID(), peerID: v.PeerID(), version: v.ProtoVersion(), encap: v.Encap(), local: v.Local(),
		peer: v.Peer(), localPort: v.LocalPort(), peerPort: v.PeerPort(), noCsum6Tx: v.NoUDP6ChecksumTx(),
		noCsum6Rx: v.NoUDP6ChecksumRx(), stats: v.Stats()}
	r.csumOn, r.csumOK = v.UDPChecksum()
	_ = r.encap.String()
	return r
}

// l2tpSessionRead is everything an l2tp.Session's readers say but the
// cookies.
type l2tpSessionRead struct {
	tunnelID, peerTunnelID, id, peerID uint32
	pw                                 l2tp.PseudowireType
	l2spec                             l2tp.L2Spec
	ifname                             string
	recvSeq, sendSeq, lns              bool
	reorder                            uint64
	stats                              l2tp.Stats
}

func readSession(v l2tp.Session) (l2tpSessionRead, []byte, []byte) {
	return l2tpSessionRead{tunnelID: v.TunnelID(), peerTunnelID: v.PeerTunnelID(), id: v.ID(), peerID: v.PeerID(),
		pw: v.PseudowireType(), l2spec: v.L2Spec(), ifname: v.Ifname(), recvSeq: v.RecvSeq(), sendSeq: v.SendSeq(),
		lns: v.LNSMode(), reorder: v.ReorderTimeout(), stats: v.Stats()}, v.Cookie(), v.PeerCookie()
}

// l2tpSeeds returns genl/l2tp's dump replies of tunnels and sessions,
// and the requests of a tunnel and a session.
func l2tpSeeds(t testing.TB) [][]byte {
	dir := filepath.Join("..", "genl", "l2tp", "testdata")
	seeds := hexFile(t, filepath.Join(dir, "tunnels.replies"), filepath.Join(dir, "sessions.replies"))
	for _, mk := range []func() (genl.Request, error){
		func() (genl.Request, error) {
			return l2tp.CreateTunnel(l2tp.TunnelSpec{ID: 3, PeerID: 4, Local: netip.MustParseAddr("192.0.2.1"),
				Peer: netip.MustParseAddr("192.0.2.2"), LocalPort: 5000, PeerPort: 6000, UDPChecksum: true})
		},
		func() (genl.Request, error) {
			return l2tp.CreateTunnel(l2tp.TunnelSpec{ID: 5, PeerID: 6, Encap: l2tp.EncapIP, Local: netip.MustParseAddr("fd00::1"),
				Peer: netip.MustParseAddr("fd00::2")})
		},
		func() (genl.Request, error) {
			return l2tp.CreateSession(l2tp.SessionSpec{TunnelID: 3, PeerTunnelID: 4, ID: 1, PeerID: 2, L2Spec: l2tp.L2SpecDefault,
				RecvSeq: true, SendSeq: true, ReorderTimeout: 300, Cookie: []byte{1, 2, 3, 4}, PeerCookie: []byte{1, 2, 3, 4, 5, 6, 7, 8},
				Ifname: "l2tpeth0"})
		},
	} {
		r, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, genlPayload(r))
	}
	return seeds
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
	for _, s := range l2tpSeeds(f) {
		f.Add(s)
	}
	var addrs, round atomic.Bool
	wantSeeds(f, "parsed as an l2tp.Tunnel with addresses", &addrs)
	wantSeeds(f, "made the l2tp tunnel round trip", &round)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := genl.Decode(wireMsg(data), 0)
		if err != nil {
			return
		}
		v, err := l2tp.ParseTunnel(m)
		if err != nil {
			return
		}
		r := readTunnel(v)
		if c := readTunnel(v.Clone()); c != r {
			t.Fatalf("Clone reads %+v, the view %+v", c, r)
		}
		_ = v.Chain()
		if r.local.IsValid() && r.peer.IsValid() {
			addrs.Store(true)
		}
		s := l2tp.TunnelSpec{ID: r.id, PeerID: r.peerID, Encap: r.encap, Local: r.local, Peer: r.peer, LocalPort: r.localPort,
			PeerPort: r.peerPort, UDPChecksum: r.csumOn, NoUDP6ChecksumTx: r.noCsum6Tx, NoUDP6ChecksumRx: r.noCsum6Rx}
		req, err := l2tp.CreateTunnel(s)
		if err != nil {
			return
		}
		v2, err := l2tp.ParseTunnel(genl.Message{Command: l2tp.CmdTunnelGet, Attrs: reqAttrs(req)})
		if err != nil {
			t.Fatalf("the request of %+v does not parse: %v", s, err)
		}
		want := r
		want.version, want.stats = 3, l2tp.Stats{}
		want.csumOn, want.csumOK = r.csumOn, r.csumOn
		if want.encap == l2tp.EncapIP {
			want.localPort, want.peerPort, want.csumOn, want.csumOK, want.noCsum6Tx, want.noCsum6Rx = 0, 0, false, false, false, false
		}
		if got := readTunnel(v2); got != want {
			t.Fatalf("round trip: %+v reads back as %+v", want, got)
		}
		round.Store(true)
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
	for _, s := range l2tpSeeds(f) {
		f.Add(s)
	}
	var cookies, round atomic.Bool
	wantSeeds(f, "parsed as an l2tp.Session with cookies", &cookies)
	wantSeeds(f, "made the l2tp session round trip", &round)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := genl.Decode(wireMsg(data), 0)
		if err != nil {
			return
		}
		v, err := l2tp.ParseSession(m)
		if err != nil {
			return
		}
		r, ck, pck := readSession(v)
		if c, cck, cpck := readSession(v.Clone()); c != r || !bytes.Equal(cck, ck) || !bytes.Equal(cpck, pck) {
			t.Fatalf("Clone reads %+v, the view %+v", c, r)
		}
		_ = v.Chain()
		if len(ck) > 0 && len(pck) > 0 {
			cookies.Store(true)
		}
		s := l2tp.SessionSpec{TunnelID: r.tunnelID, PeerTunnelID: r.peerTunnelID, ID: r.id, PeerID: r.peerID,
			PseudowireType: r.pw, L2Spec: r.l2spec, RecvSeq: r.recvSeq, SendSeq: r.sendSeq, ReorderTimeout: r.reorder,
			Cookie: ck, PeerCookie: pck, Ifname: r.ifname}
		req, err := l2tp.CreateSession(s)
		if err != nil {
			return
		}
		v2, err := l2tp.ParseSession(genl.Message{Command: l2tp.CmdSessionGet, Attrs: reqAttrs(req)})
		if err != nil {
			t.Fatalf("the request of %+v does not parse: %v", s, err)
		}
		want := r
		want.lns, want.stats = false, l2tp.Stats{}
		if want.pw == 0 {
			want.pw = l2tp.PwTypeEth
		}
		if got, gck, gpck := readSession(v2); got != want || !bytes.Equal(gck, ck) || !bytes.Equal(gpck, pck) {
			t.Fatalf("round trip: %+v (cookies %x, %x) reads back as %+v (%x, %x)", want, ck, pck, got, gck, gpck)
		}
		round.Store(true)
	})
}
