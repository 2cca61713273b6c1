package fou_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/fou"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Opening a GUE receive port and listing the ports, here on a fake
// kernel (nltest.Fake) that answers the dump with one port: drop
// WithTransport to ask the running kernel.
func Example() {
	k := nltest.NewFake()
	k.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{fou.FamilyName: 0x21}))
	k.Handle(0x21, func(req wire.Message) ([][]byte, error) {
		if req.Data[0] != fou.CmdGet {
			return nil, nil // an acknowledgement
		}
		// genlmsghdr, then family, port (network byte order) and type.
		return [][]byte{nltest.Message(0x21, []byte{fou.CmdGet, 1, 0, 0,
			5, 0, fou.AttrAF, 0, unix.AF_INET, 0, 0, 0,
			6, 0, fou.AttrPort, 0, 0x17, 0xc1, 0, 0,
			5, 0, fou.AttrType, 0, byte(fou.EncapGUE), 0, 0, 0})}, nil
	})
	h, err := genl.Dial(genl.WithTransport(k.Dial))
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()

	// Specs are checked as the request is built.
	req, err := fou.Add(fou.Spec{Port: 6081, Encap: fou.EncapGUE})
	if err != nil {
		log.Fatal(err)
	}
	if err := fou.Do(ctx, h, req); err != nil {
		log.Fatal(err)
	}
	for m, err := range fou.Mappings(ctx, h) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("port", m.Port(), m.Encap())
	}
	// Output:
	// port 6081 gue
}
