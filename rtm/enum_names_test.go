package rtm

import (
	"fmt"
	"testing"
)

// TestEnumNames checks the names of the enumerations read from tables,
// and what a value without a name prints.
func TestEnumNames(t *testing.T) {
	for v, want := range map[fmt.Stringer]string{
		Seg6L2EncapRed: "l2encap.red", Seg6Mode(-1): "mode -1", Seg6Mode(5): "mode 5",
		Seg6LocalEndDT46: "End.DT46", Seg6LocalAction(0): "action 0", Seg6LocalAction(17): "action 17",
		AddrGenModeRandom: "random", AddrGenMode(4): "4",
		VFLinkStateAuto: "auto", VFLinkStateDisable: "disable", VFLinkState(3): "3",
		XDPModeAuto: "xdp", XDPModeOffload: "xdpoffload", XDPMode(4): "xdpmode(4)",
		OperState(6): "UP", OperState(7): "7",
		CANErrorActive: "ERROR-ACTIVE", CANSleeping: "SLEEPING", CANState(6): "<unknown 6>",
	} {
		if got := v.String(); got != want {
			t.Errorf("%T(%v) = %q, want %q", v, v, got, want)
		}
	}
	if a, ok := ParseSeg6LocalAction("End.X"); !ok || a != Seg6LocalEndX {
		t.Errorf("ParseSeg6LocalAction(End.X) = %d, %v", a, ok)
	}
	if _, ok := ParseSeg6LocalAction(""); ok {
		t.Error("ParseSeg6LocalAction accepts the empty name")
	}
	if m, err := ParseAddrGenMode("none"); err != nil || m != AddrGenModeNone {
		t.Errorf("ParseAddrGenMode(none) = %d, %v", m, err)
	}
	if _, err := ParseAddrGenMode("eui"); err == nil {
		t.Error("ParseAddrGenMode accepts eui")
	}
	if EncapName(5) != "seg6" || EncapName(0) != "0" || EncapName(99) != "99" {
		t.Errorf("EncapName: %q %q %q", EncapName(5), EncapName(0), EncapName(99))
	}
}
