package fuzz

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl/macsec"
)

// macsecRead is what a macsec.Device's readers say, as text, with the
// number of receive channels and SAs it has.
type macsecRead struct {
	text     string
	rxs, sas int
}

// readMacsec calls every reader of d.
func readMacsec(d macsec.Device) macsecRead {
	var b strings.Builder
	s := d.SecY()
	off, hasOff := d.Offload()
	w, hasW := s.Window()
	fmt.Fprintf(&b, "%d %v %v %d %v %v %d %v %d %v %s %v %v|", d.Ifindex(), off, hasOff, w, hasW, s.SCI(), s.EncodingSA(),
		s.CipherSuite(), s.ICVLen(), s.Validate(), off, d.TxSCStats(), d.SecYStats())
	_ = s.CipherSuite().IsXPN()
	for t := uint16(macsec.SecYAttrProtect); t <= macsec.SecYAttrSCB; t++ {
		on, ok := s.Flag(t)
		fmt.Fprintf(&b, "%v%v", on, ok)
	}
	_ = len(s.Chain()) + len(d.Chain())
	r := macsecRead{}
	sa := func(a macsec.SA) {
		ssci, ok := a.SSCI()
		fmt.Fprintf(&b, "|sa %d %v %d %x %d %v %v", a.AN(), a.Active(), a.PN(), a.KeyID(), ssci, ok, a.Stats())
		_ = a.Chain()
		r.sas++
	}
	for a := range d.TxSAs() {
		sa(a)
	}
	for rx := range d.RxSCs() {
		fmt.Fprintf(&b, "|rx %v %v %v", rx.SCI(), rx.Active(), rx.Stats())
		_ = rx.Chain()
		r.rxs++
		for a := range rx.SAs() {
			sa(a)
		}
	}
	r.text = b.String()
	return r
}

// FuzzMacsecDevice decodes arbitrary bytes as a generic netlink payload
// and as a MACsec device (MACSEC_CMD_GET_TXSC reply), through
// genl/macsec's public API (its own FuzzDevice reads the attributes
// alone). Nothing may panic, and
//
//   - a Clone reads as the view does, and so does the view after it;
//   - every SCI read that MakeSCI takes back (not one of port 0) makes
//     the round trip through its parts: MakeSCI(s.Addr(), s.Port()) == s.
//
// The package has no public way to turn a device into requests, so no
// request round trip is checked.
//
// Run without -fuzz, it fails unless its seeds (genl/macsec's dump
// replies) parsed as devices with receive channels and SAs.
func FuzzMacsecDevice(f *testing.F) {
	fuzzGenlView(f, hexFile(f, filepath.Join("..", "genl", "macsec", "testdata", "dump.hex")), genlView[macsec.Device, macsecRead]{
		name: "macsec.Device with receive channels and SAs", parse: macsec.ParseDevice, read: readMacsec, clone: macsec.Device.Clone,
		full: func(r macsecRead) bool { return r.rxs > 0 && r.sas > 0 },
		check: func(t *testing.T, d macsec.Device, r macsecRead) {
			if d.Ifindex() == 0 {
				t.Fatal("ParseDevice accepted a device without an index")
			}
			if again := readMacsec(d); again != r {
				t.Fatalf("the view reads differently twice:\n%+v\n%+v", again, r)
			}
			scis := []macsec.SCI{d.SecY().SCI()}
			for rx := range d.RxSCs() {
				scis = append(scis, rx.SCI())
			}
			for _, s := range scis {
				got, err := macsec.MakeSCI(s.Addr(), s.Port())
				if err == nil && got != s || len(s.Addr()) != 6 {
					t.Fatalf("SCI %v: MakeSCI(%v, %d) = %v, %v", s, s.Addr(), s.Port(), got, err)
				}
				_ = s.String()
			}
		},
	})
}
