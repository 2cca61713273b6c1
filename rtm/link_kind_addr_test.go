package rtm

import (
	"net"
	"testing"
)

// TestLinkSpecEthernetAddress checks that the kinds whose links are
// Ethernet devices insist on a unicast, non-zero 6-byte address, and that
// the others (an IP tunnel here) take any hardware address length.
func TestLinkSpecEthernetAddress(t *testing.T) {
	four := net.HardwareAddr{1, 2, 3, 4}
	for _, tc := range []struct {
		kind LinkKind
		addr net.HardwareAddr
		ok   bool
	}{
		{&Veth{}, four, false},
		{&Bridge{}, four, false},
		{&Vxlan{}, net.HardwareAddr{1, 0, 0, 0, 0, 1}, false},
		{&Dummy{}, net.HardwareAddr{0, 0, 0, 0, 0, 0}, false},
		{&Bond{}, net.HardwareAddr{2, 0, 0, 0, 0, 1}, true},
		{&IPIP{}, four, true},
	} {
		s := LinkSpec{Name: "x", Address: tc.addr, Kind: tc.kind}
		err := s.validate(&linkCtx{create: true}, false)
		if (err == nil) != tc.ok {
			t.Errorf("%s with address %v: error %v, want ok=%v", tc.kind.Kind(), tc.addr, err, tc.ok)
		}
	}
}
