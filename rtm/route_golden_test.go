package rtm

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The RTM_NEWROUTE payload iproute2 6.1 sends for
//
//	ip route add 10.7.0.0/16 encap mpls 100/200 dev v0
//
// with v0 at index 3, as strace -xx showed it (this kernel lacks MPLS and
// refuses the route, so the request is the oracle). Little-endian.
var ipMPLSEncapRoute = []byte("\x02\x10\x00\x00\xfe\x03\xfd\x01\x00\x00\x00\x00\x08\x00\x01\x00\x0a\x07\x00\x00" +
	"\x10\x00\x16\x80\x0c\x00\x01\x00\x00\x06\x40\x00\x00\x0c\x81\x00\x06\x00\x15\x00\x01\x00\x01\x00" +
	"\x08\x00\x04\x00\x03\x00\x00\x00")

func TestMPLSEncapMatchesIproute2(t *testing.T) {
	golden.LittleEndianOnly(t, "the iproute2 capture is")
	var b wire.Builder
	s := RouteSpec{Dst: netip.MustParsePrefix("10.7.0.0/16"), OutIndex: 3, MPLSEncap: []uint32{100, 200}}
	if err := encodeRoute(&b, unix.RTM_NEWROUTE, routeAddFlags, &s); err != nil {
		t.Fatal(err)
	}
	m, _, _, err := wire.Next(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Flags != unix.NLM_F_REQUEST|routeAddFlags {
		t.Errorf("flags %#x", m.Header.Flags)
	}
	// Same fixed header; same attributes, in any order, except that we
	// always add RTA_TABLE.
	if !bytes.Equal(m.Data[:unix.SizeofRtMsg], ipMPLSEncapRoute[:unix.SizeofRtMsg]) {
		t.Errorf("rtmsg % x, iproute2 % x", m.Data[:unix.SizeofRtMsg], ipMPLSEncapRoute[:unix.SizeofRtMsg])
	}
	ours := attrsByType(nla.Chain(m.Data[unix.SizeofRtMsg:]))
	theirs := attrsByType(nla.Chain(ipMPLSEncapRoute[unix.SizeofRtMsg:]))
	if tb, ok := ours[unix.RTA_TABLE]; !ok || binary.NativeEndian.Uint32(tb.Data) != unix.RT_TABLE_MAIN {
		t.Errorf("RTA_TABLE missing or wrong")
	}
	delete(ours, unix.RTA_TABLE)
	if len(ours) != len(theirs) {
		t.Fatalf("attribute types %v, iproute2 %v", keys(ours), keys(theirs))
	}
	for typ, a := range theirs {
		o := ours[typ]
		if o.Type != a.Type || !bytes.Equal(o.Data, a.Data) {
			t.Errorf("attribute %d: % x, iproute2 % x", typ, o.Data, a.Data)
		}
	}
}

func attrsByType(c nla.Chain) map[uint16]nla.Attr {
	m := map[uint16]nla.Attr{}
	for a := range c.All() {
		m[a.Kind()] = a
	}
	return m
}

func keys(m map[uint16]nla.Attr) []uint16 {
	var k []uint16
	for t := range m {
		k = append(k, t)
	}
	return k
}
