package rtm_test

import (
	"context"
	"fmt"
	"log"
	"net"

	"github.com/ipr-go/ipr/rtm"
)

// Creating links needs root (and a kernel with MACsec), so this example
// has no output to check. It does what
//
//	ip link add link eth0 name macsec0 type macsec port 11 encrypt on cipher gcm-aes-256 replay on window 32
//
// does, then reads the settings back.
func ExampleMACsec() {
	ctx := context.Background()
	h, err := rtm.Dial()
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	eth0, err := h.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	err = h.LinkAdd(ctx, rtm.LinkSpec{Name: "macsec0", Parent: eth0.Index(), Kind: &rtm.MACsec{
		Port: 11, Encrypt: rtm.Some(true), Cipher: rtm.MACsecGCMAES256,
		ReplayProtect: rtm.Some(true), Window: rtm.Some[uint32](32),
	}})
	if err != nil {
		log.Fatal(err)
	}
	l, err := h.LinkByName(ctx, "macsec0")
	if err != nil {
		log.Fatal(err)
	}
	m, err := rtm.LinkMACsec(l.KindData())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("sci %016x cipher %v window %d\n", m.SCI.Or(0), m.Cipher, m.Window.Or(0))
}

// A MACsec secure channel identifier is the sender's MAC address and a
// port.
func ExampleMACsecSCI() {
	sci, err := rtm.MACsecSCI(net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}, 5)
	if err != nil {
		log.Fatal(err)
	}
	cipher, err := rtm.ParseMACsecCipher("gcm-aes-xpn-256")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%016x %v\n", sci, cipher)
	// Output: 0200000000010005 GCM-AES-XPN-256
}

// Setting a CAN controller's bit timing needs root and CAN hardware, so
// this example has no output to check. It does what
//
//	ip link set can0 type can bitrate 500000 sample-point 0.875 restart-ms 100 berr-reporting on
//
// does, then reads the controller's state.
func ExampleCAN() {
	ctx := context.Background()
	h, err := rtm.Dial()
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	can0, err := h.LinkByName(ctx, "can0")
	if err != nil {
		log.Fatal(err)
	}
	err = h.LinkSet(ctx, rtm.LinkSpec{Index: can0.Index(), Kind: &rtm.CAN{
		BitTiming: rtm.CANBitTiming{Bitrate: 500000, SamplePoint: 875},
		RestartMS: rtm.Some[uint32](100),
		CtrlMode:  rtm.CANBerrReporting, CtrlModeMask: rtm.CANBerrReporting,
	}})
	if err != nil {
		log.Fatal(err)
	}
	if can0, err = h.LinkByName(ctx, "can0"); err != nil {
		log.Fatal(err)
	}
	info, err := rtm.LinkCAN(can0.KindData())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.State.Or(rtm.CANStopped), info.Settings.BitTiming.Bitrate, info.TxErrors.Or(0), info.RxErrors.Or(0))
}
