package ila_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ila"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Adding a mapping and listing the mappings, here on a fake kernel
// (nltest.Fake) that keeps what it is sent: drop WithTransport to ask the
// running kernel.
func Example() {
	const id = 0x22
	var added [][]byte
	k := nltest.NewFake()
	k.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{ila.FamilyName: id}))
	k.Handle(id, func(req wire.Message) ([][]byte, error) {
		if req.Data[0] == ila.CmdAdd {
			// The dump answers with what was added, as a CmdGet reply.
			reply := append([]byte{ila.CmdGet, ila.FamilyVersion, 0, 0}, req.Data[unix.GENL_HDRLEN:]...)
			added = append(added, nltest.Message(id, reply))
			return nil, nil // an acknowledgement
		}
		return added, nil
	})
	h, err := genl.Dial(genl.WithTransport(k.Dial))
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()

	match, _ := ila.ParseLocator("2001:db8:1:2")
	loc, _ := ila.ParseLocator("2001:db8:3:4")
	mode := ila.CsumNeutralMap
	// Specs are checked as the request is built.
	req, err := ila.Add(ila.Spec{LocatorMatch: &match, Locator: &loc, CsumMode: &mode})
	if err != nil {
		log.Fatal(err)
	}
	if err := ila.Do(ctx, h, req); err != nil {
		log.Fatal(err)
	}
	var buf []byte
	for m, err := range ila.Mappings(ctx, h) {
		if err != nil {
			log.Fatal(err)
		}
		lm, _ := m.LocatorMatch()
		l, _ := m.Locator()
		c, _ := m.CsumMode()
		buf = ila.AppendLocator(append(ila.AppendLocator(buf[:0], lm), " -> "...), l)
		fmt.Println(string(buf), c)
	}
	// Output:
	// 2001:db8:1:2 -> 2001:db8:3:4 neutral-map
}
