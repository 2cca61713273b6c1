package fuzz

import (
	"encoding/hex"
	"net/netip"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/fou"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// hexFile returns the lines of the files at paths that are not comments
// (#) or empty, decoded from hex: the replies files of the genl family
// packages' testdata.
func hexFile(t testing.TB, paths ...string) [][]byte {
	var out [][]byte
	for line := range fixtureLines(t, paths...) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// genlPayload returns the payload r would send (a genlmsghdr with r's
// command and version, and r's attributes), as a seed.
func genlPayload(r genl.Request) []byte {
	var e nla.Encoder
	copy(e.Reserve(unix.GENL_HDRLEN), []byte{r.Command, r.Version})
	if r.Attrs != nil {
		r.Attrs(&e)
	}
	return e.Bytes()
}

// wireMsg is data as the payload of a message of no particular type.
func wireMsg(data []byte) wire.Message { return wire.Message{Data: data} }

// reqAttrs returns the attributes of r, as the kernel would read them.
func reqAttrs(r genl.Request) nla.Chain {
	var e nla.Encoder
	if r.Attrs != nil {
		r.Attrs(&e)
	}
	return nla.Chain(e.Bytes())
}

// fouRead is everything a fou.Mapping's readers say.
type fouRead struct {
	port, peerPort uint16
	family, proto  uint8
	hasProto       bool
	encap          fou.Encap
	remcsum        bool
	local, peer    netip.Addr
	ifindex        int32
}

func readFou(p fou.Mapping) fouRead {
	proto, has := p.IPProto()
	_ = p.Encap().String()
	return fouRead{port: p.Port(), peerPort: p.PeerPort(), family: p.Family(), proto: proto, hasProto: has,
		encap: p.Encap(), remcsum: p.RemcsumNoPartial(), local: p.Local(), peer: p.Peer(), ifindex: p.Ifindex()}
}

// fouSpec is the spec that adds the port r reads.
func fouSpec(r fouRead) fou.Spec {
	s := fou.Spec{Port: r.port, Family: r.family, Encap: r.encap, Local: r.local, Peer: r.peer, PeerPort: r.peerPort, Ifindex: r.ifindex}
	if r.hasProto {
		s.IPProto = &r.proto
	}
	return s
}

// FuzzFouMapping decodes arbitrary bytes as a generic netlink payload
// and as a fou port (FOU_CMD_GET reply). Nothing may panic, and
//
//   - a Clone reads as the view does;
//   - the spec a mapping reads as, when fou.Add takes it, makes a
//     request whose attributes read back as the same spec (with the
//     default encapsulation and family filled in): decode(encode(decode(x))) ==
//     decode(x).
//
// Run without -fuzz, it fails unless its seeds (genl/fou's dump replies
// and requests of fou.Add) parsed as mappings with addresses and made the
// round trip.
func FuzzFouMapping(f *testing.F) {
	for _, s := range hexFile(f, filepath.Join("..", "genl", "fou", "testdata", "show.replies")) {
		f.Add(s)
	}
	gre, ipip := uint8(47), uint8(4)
	for _, s := range []fou.Spec{
		{Port: 5555, IPProto: &ipip},
		{Port: 5556, Encap: fou.EncapGUE, Family: unix.AF_INET6, Local: netip.MustParseAddr("fd00::1"), Peer: netip.MustParseAddr("fd00::2"), PeerPort: 7000},
		{Port: 5557, IPProto: &gre, Local: netip.MustParseAddr("10.0.0.1"), Peer: netip.MustParseAddr("10.0.0.2"), PeerPort: 6000, Ifindex: 7},
	} {
		r, err := fou.Add(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(genlPayload(r))
	}
	var addrs, round atomic.Bool
	wantSeeds(f, "parsed as a fou.Mapping with addresses", &addrs)
	wantSeeds(f, "made the fou spec round trip", &round)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := genl.Decode(wireMsg(data), 0)
		if err != nil {
			return
		}
		p, err := fou.ParseMapping(m)
		if err != nil {
			return
		}
		r := readFou(p)
		if c := readFou(p.Clone()); c != r {
			t.Fatalf("Clone reads %+v, the view %+v", c, r)
		}
		_ = p.Chain()
		if r.local.IsValid() && r.peer.IsValid() {
			addrs.Store(true)
		}
		s := fouSpec(r)
		req, err := fou.Add(s)
		if err != nil {
			return
		}
		p2, err := fou.ParseMapping(genl.Message{Command: fou.CmdGet, Attrs: reqAttrs(req)})
		if err != nil {
			t.Fatalf("the request of %+v does not parse: %v", s, err)
		}
		want := r
		want.remcsum = false
		if want.encap == 0 {
			want.encap = fou.EncapDirect
		}
		if want.family == 0 { // a family attribute of 0: the spec's default
			want.family = unix.AF_INET
		}
		if got := readFou(p2); got != want {
			t.Fatalf("round trip: %+v reads back as %+v", want, got)
		}
		round.Store(true)
	})
}
