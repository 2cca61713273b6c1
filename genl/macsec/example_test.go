package macsec_test

import (
	"bytes"
	"context"
	"fmt"
	"net"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/macsec"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Adding a transmit SA and a receive channel with its SA to the MACsec
// device of index 5, here on a fake kernel that acknowledges every
// request (drop WithTransport to ask the running kernel, which needs
// CONFIG_MACSEC and a device made with `ip link add ... type macsec`).
func Example() {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{macsec.FamilyName: 0x21}))
	fake.Handle(0x21, func(wire.Message) ([][]byte, error) { return nil, nil })
	h, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	const ifindex = 5
	key := bytes.Repeat([]byte{0x81}, 16) // GCM-AES-128's key
	on := true
	tx, err := macsec.AddTxSA(ifindex, macsec.SASpec{AN: 0, PN: 1, KeyID: [16]byte{1}, Key: key, Active: &on})
	if err != nil {
		fmt.Println(err)
		return
	}
	sci, err := macsec.MakeSCI(net.HardwareAddr{0xc6, 0x19, 0x52, 0x8f, 0xe6, 0xa0}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	sc, _ := macsec.AddRxSC(ifindex, sci, &on)
	rx, err := macsec.AddRxSA(ifindex, sci, macsec.SASpec{AN: 0, PN: 1, KeyID: [16]byte{2}, Key: key, Active: &on})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The three at once, pipelined.
	fmt.Println("SCI", sci, macsec.Do(context.Background(), h, tx, sc, rx))
	// A key of the wrong length is refused before anything is sent.
	_, err = macsec.AddTxSA(ifindex, macsec.SASpec{AN: 1, PN: 1, Key: key[:10]})
	fmt.Println(err)
	// Output:
	// SCI c619528fe6a00001 <nil>
	// macsec: invalid argument: key of 10 bytes, want 16 or 32
}
