package l2tp_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/l2tp"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Creating a tunnel over IP and an Ethernet session in it, then listing
// the sessions, here on a fake kernel (nltest.Fake) that answers the
// dump with one session: drop WithTransport to ask the running kernel.
func Example() {
	k := nltest.NewFake()
	k.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{l2tp.FamilyName: 0x21}))
	k.Handle(0x21, func(req wire.Message) ([][]byte, error) {
		if req.Data[0] != l2tp.CmdSessionGet {
			return nil, nil // an acknowledgement
		}
		var e nla.Encoder
		copy(e.Reserve(unix.GENL_HDRLEN), []byte{l2tp.CmdSessionGet, l2tp.FamilyVersion})
		e.Uint32(l2tp.AttrConnID, 1)
		e.Uint32(l2tp.AttrSessionID, 10)
		e.Uint32(l2tp.AttrPeerSessionID, 20)
		e.String(l2tp.AttrIfname, "l2tpeth0")
		return [][]byte{nltest.Message(0x21, e.Bytes())}, nil
	})
	h, err := genl.Dial(genl.WithTransport(k.Dial))
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()

	// Specs are checked as the requests are built, sent at once.
	tunnel, err := l2tp.CreateTunnel(l2tp.TunnelSpec{ID: 1, PeerID: 2, Encap: l2tp.EncapIP,
		Local: netip.MustParseAddr("192.0.2.1"), Peer: netip.MustParseAddr("192.0.2.2")})
	if err != nil {
		log.Fatal(err)
	}
	session, err := l2tp.CreateSession(l2tp.SessionSpec{TunnelID: 1, ID: 10, PeerID: 20, L2Spec: l2tp.L2SpecDefault})
	if err != nil {
		log.Fatal(err)
	}
	if err := l2tp.Do(ctx, h, tunnel, session); err != nil {
		log.Fatal(err)
	}
	for s, err := range l2tp.Sessions(ctx, h) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("session %d/%d in tunnel %d: %s\n", s.ID(), s.PeerID(), s.TunnelID(), s.Ifname())
	}
	// Output:
	// session 10/20 in tunnel 1: l2tpeth0
}
