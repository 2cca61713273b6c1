package fuzz

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/macsec"
)

// readMacsec returns everything the readers of d say, as text, and the
// SCIs they read.
func readMacsec(d macsec.Device) (string, []macsec.SCI, int) {
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
	scis := []macsec.SCI{s.SCI()}
	sas := 0
	sa := func(a macsec.SA) {
		ssci, ok := a.SSCI()
		fmt.Fprintf(&b, "|sa %d %v %d %x %d %v %v", a.AN(), a.Active(), a.PN(), a.KeyID(), ssci, ok, a.Stats())
		_ = a.Chain()
		sas++
	}
	for a := range d.TxSAs() {
		sa(a)
	}
	for rx := range d.RxSCs() {
		fmt.Fprintf(&b, "|rx %v %v %v", rx.SCI(), rx.Active(), rx.Stats())
		_ = rx.Chain()
		scis = append(scis, rx.SCI())
		for a := range rx.SAs() {
			sa(a)
		}
	}
	return b.String(), scis, sas
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
	for _, s := range hexFile(f, filepath.Join("..", "genl", "macsec", "testdata", "dump.hex")) {
		f.Add(s)
	}
	var full atomic.Bool
	wantSeeds(f, "parsed as a macsec.Device with receive channels and SAs", &full)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := genl.Decode(wireMsg(data), 0)
		if err != nil {
			return
		}
		d, err := macsec.ParseDevice(m)
		if err != nil {
			return
		}
		if d.Ifindex() == 0 {
			t.Fatal("ParseDevice accepted a device without an index")
		}
		r, scis, sas := readMacsec(d)
		if c, _, _ := readMacsec(d.Clone()); c != r {
			t.Fatalf("Clone reads\n%s\nthe view\n%s", c, r)
		}
		if again, _, _ := readMacsec(d); again != r {
			t.Fatalf("the view reads differently twice:\n%s\n%s", again, r)
		}
		for _, s := range scis {
			got, err := macsec.MakeSCI(s.Addr(), s.Port())
			if err == nil && got != s || len(s.Addr()) != 6 {
				t.Fatalf("SCI %v: MakeSCI(%v, %d) = %v, %v", s, s.Addr(), s.Port(), got, err)
			}
			_ = s.String()
		}
		if len(scis) > 1 && sas > 0 {
			full.Store(true)
		}
	})
}
