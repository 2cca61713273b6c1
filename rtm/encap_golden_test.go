package rtm

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

var (
	fc1, fc2, fc3 = netip.MustParseAddr("fc00::1"), netip.MustParseAddr("fc00::2"), netip.MustParseAddr("fc00::3")
)

// encapCases are the encapsulations of the cases of
// testdata/golden_route/encap.txt (scripts/golden_route.sh), as a caller
// would write them; a multipath case has one per hop.
func encapCases(links map[string]int32) map[string][]Encap {
	ioam := EncapIOAM6{FreqK: 1, FreqN: 1, Mode: IOAM6Inline, TraceType: 0x800000, Namespace: 1, TraceSize: 12}
	return map[string][]Encap{
		"mpls":                  {EncapMPLS{Labels: []uint32{100, 200}, TTL: 10}},
		"ip":                    {EncapIP{ID: 42, Dst: netip.MustParseAddr("198.51.100.7"), Src: netip.MustParseAddr("192.0.2.1"), TOS: 0x16, TTL: 64, Flags: TunnelKey | TunnelCsum | TunnelSeq}},
		"ip-bare":               {EncapIP{Dst: netip.MustParseAddr("198.51.100.7")}},
		"ip6":                   {EncapIP6{ID: 7, Dst: netip.MustParseAddr("2001:db8:9::1"), Src: netip.MustParseAddr("2001:db8::1"), TC: 0x32, HopLimit: 9, Flags: TunnelKey}},
		"ila":                   {EncapILA{Locator: 0x2001000000000001, CsumMode: 1, CsumModeSet: true, IdentType: 1, IdentTypeSet: true, HookType: 0, HookTypeSet: true}},
		"ila-bare":              {EncapILA{Locator: 0x0001000200030004}},
		"seg6-encap":            {EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{fc1, fc2, fc3}}},
		"seg6-inline":           {EncapSeg6{Mode: Seg6Inline, Segments: []netip.Addr{fc1, fc2}}},
		"seg6-l2encap":          {EncapSeg6{Mode: Seg6L2Encap, Segments: []netip.Addr{fc1}}},
		"seg6-encap-red":        {EncapSeg6{Mode: Seg6EncapRed, Segments: []netip.Addr{fc1, fc2}}},
		"seg6-l2encap-red":      {EncapSeg6{Mode: Seg6L2EncapRed, Segments: []netip.Addr{fc1, fc2}}},
		"seg6-hmac":             {EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{fc1, fc2}, HMACKeyID: 7}},
		"seg6-v4":               {EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{fc1}}},
		"seg6local-end":         {EncapSeg6Local{Action: Seg6LocalEnd}},
		"seg6local-endx":        {EncapSeg6Local{Action: Seg6LocalEndX, NH6: netip.MustParseAddr("2001:db8::2")}},
		"seg6local-endx4":       {EncapSeg6Local{Action: Seg6LocalEndDX4, NH4: netip.MustParseAddr("192.0.2.2")}},
		"seg6local-endt":        {EncapSeg6Local{Action: Seg6LocalEndT, Table: 100}},
		"seg6local-enddt6":      {EncapSeg6Local{Action: Seg6LocalEndDT6, VRFTable: 100}},
		"seg6local-enddt46":     {EncapSeg6Local{Action: Seg6LocalEndDT46, VRFTable: 100}},
		"seg6local-enddx2":      {EncapSeg6Local{Action: Seg6LocalEndDX2, OIF: links["p0"]}},
		"seg6local-endb6":       {EncapSeg6Local{Action: Seg6LocalEndB6, Segments: []netip.Addr{fc1, fc2}}},
		"seg6local-endb6encaps": {EncapSeg6Local{Action: Seg6LocalEndB6Encap, Segments: []netip.Addr{fc1, fc2}, HMACKeyID: 9}},
		"seg6local-count":       {EncapSeg6Local{Action: Seg6LocalEnd, Counters: true}},
		"seg6local-flavors":     {EncapSeg6Local{Action: Seg6LocalEnd, Flavors: Seg6FlavorNextCSID, LocatorBlockBits: 32, NodeFuncBits: 16}},
		"seg6local-psp":         {EncapSeg6Local{Action: Seg6LocalEnd, Flavors: Seg6FlavorPSP}},
		"rpl":                   {EncapRPL{Segments: []netip.Addr{fc1, fc2, fc3}}},
		"ioam6-inline":          {ioam},
		"ioam6-encap":           {EncapIOAM6{FreqK: 2, FreqN: 5, Mode: IOAM6Encap, TunnelDst: netip.MustParseAddr("2001:db8::99"), TraceType: 0xc00000, Namespace: 3, TraceSize: 44}},
		"ioam6-auto":            {EncapIOAM6{FreqK: 1, FreqN: 1, Mode: IOAM6Auto, TunnelDst: netip.MustParseAddr("2001:db8::98"), TraceType: 0x800000, Namespace: 1, TraceSize: 4}},
		"xfrm":                  {EncapXFRM{IfID: 7, Link: links["p1"]}},
		"nexthop-mpls":          {EncapMPLS{Labels: []uint32{300}}},
		"nexthop-seg6":          {EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{fc1, fc2}}},
		"nexthop-seg6local":     {EncapSeg6Local{Action: Seg6LocalEndDT6, VRFTable: 100}},
		"nexthop-ip6":           {EncapIP6{ID: 3, Dst: netip.MustParseAddr("2001:db8:9::1")}},
		"multipath-seg6":        {EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{fc1}}, EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{fc2}}},
	}
}

// capturedEncaps returns the encapsulations of a captured RTM_NEWROUTE or
// RTM_NEWNEXTHOP: (type, attribute) pairs, one per hop of a multipath
// route.
func capturedEncaps(t *testing.T, req []byte) (msgType uint16, encaps []nla.Attr, types []uint16) {
	t.Helper()
	m, _, ok, err := wire.Next(req)
	if err != nil || !ok {
		t.Fatalf("capture does not parse: %v", err)
	}
	collect := func(c nla.Chain, typeAttr, nestAttr uint16) {
		if a, ok := c.Get(nestAttr); ok {
			typ, _ := c.Get(typeAttr)
			v, _ := typ.Uint16()
			encaps, types = append(encaps, a), append(types, v)
		}
	}
	switch m.Header.Type {
	case unix.RTM_NEWROUTE:
		c := nla.Chain(m.Data[unix.SizeofRtMsg:])
		collect(c, unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP)
		if mp, ok := c.Get(unix.RTA_MULTIPATH); ok {
			for p := mp.Data; len(p) >= unix.SizeofRtNexthop; {
				n := int(binary.NativeEndian.Uint16(p))
				if n < unix.SizeofRtNexthop || n > len(p) {
					t.Fatalf("bad rtnexthop length %d", n)
				}
				collect(nla.Chain(p[unix.SizeofRtNexthop:n]), unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP)
				p = p[nla.Align(n):]
			}
		}
	case unix.RTM_NEWNEXTHOP:
		collect(nla.Chain(m.Data[sizeofNhMsg:]), unix.NHA_ENCAP_TYPE, unix.NHA_ENCAP)
	default:
		t.Fatalf("captured message type %d", m.Header.Type)
	}
	return m.Header.Type, encaps, types
}

// TestEncapMatchesIproute2 builds every captured encapsulation with ipr,
// in a route (or hop, or nexthop) as the command line made it, checks
// that the encapsulation's attributes equal iproute2's byte for byte, and
// decodes iproute2's back to the value that built them.
func TestEncapMatchesIproute2(t *testing.T) {
	golden.LittleEndianOnly(t, "the iproute2 captures are")
	cases := golden.Read(t, "testdata/golden_route/*.txt")
	if len(cases) < 30 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want, ok := encapCases(c.Links)[c.Name]
			if !ok {
				t.Fatalf("no expectation for %q (%s)", c.Name, c.Cmd)
			}
			msgType, theirs, types := capturedEncaps(t, c.Req)
			if len(theirs) != len(want) {
				t.Fatalf("%d encapsulations captured, %d expected", len(theirs), len(want))
			}
			var b wire.Builder
			var err error
			p0 := c.Links["p0"]
			if msgType == unix.RTM_NEWNEXTHOP {
				err = encodeNexthop(&b, unix.NLM_F_CREATE|unix.NLM_F_EXCL, &NexthopSpec{ID: 1, OutIndex: p0, Tunnel: want[0]})
			} else {
				dst := netip.MustParsePrefix("2001:db8::/64")
				if strings.Contains(c.Cmd, "add 10.") {
					dst = netip.MustParsePrefix("10.0.0.0/8")
				}
				s := RouteSpec{Dst: dst, OutIndex: p0}
				if len(want) == 1 {
					s.Tunnel = want[0]
				} else {
					s.OutIndex = 0
					for _, e := range want {
						s.NextHops = append(s.NextHops, RouteHopSpec{OutIndex: p0, Tunnel: e})
					}
				}
				err = encodeRoute(&b, unix.RTM_NEWROUTE, routeAddFlags, &s)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, ours, ourTypes := capturedEncaps(t, b.Bytes())
			if len(ours) != len(theirs) {
				t.Fatalf("ipr sent %d encapsulations, iproute2 %d", len(ours), len(theirs))
			}
			for i := range ours {
				// iproute2 leaves its buffer's garbage in attribute
				// padding; compare with padding zeroed.
				o, th := zeroPadding(ours[i].Data), zeroPadding(theirs[i].Data)
				if ourTypes[i] != types[i] || ours[i].Type != theirs[i].Type || !bytes.Equal(o, th) {
					t.Errorf("hop %d: ipr type %d\n% x\niproute2 type %d\n% x", i, ourTypes[i], ours[i].Data, types[i], theirs[i].Data)
				}
				got, err := ParseEncap(types[i], theirs[i].Nested())
				if err != nil {
					t.Fatalf("decoding iproute2's: %v", err)
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("iproute2's decodes to\n%#v\nwant\n%#v", got, want[i])
				}
			}
		})
	}
}

// zeroPadding returns a copy of the attributes in c with the padding
// after each payload zeroed, descending into attributes flagged
// NLA_F_NESTED.
func zeroPadding(c []byte) []byte {
	out := make([]byte, 0, len(c))
	for a := range nla.Chain(c).All() {
		data := a.Data
		if a.IsNested() {
			data = zeroPadding(data)
		}
		var hdr [4]byte
		binary.NativeEndian.PutUint16(hdr[:], uint16(4+len(data)))
		binary.NativeEndian.PutUint16(hdr[2:], a.Type)
		out = append(out, hdr[:]...)
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// TestEncapDefaults: the zero values iproute2 fills in (ioam6's
// frequency and mode) give the same request as spelling them out.
func TestEncapDefaults(t *testing.T) {
	var a, b wire.Builder
	short := EncapIOAM6{TraceType: 0x800000, Namespace: 1, TraceSize: 12}
	long := EncapIOAM6{FreqK: 1, FreqN: 1, Mode: IOAM6Inline, TraceType: 0x800000, Namespace: 1, TraceSize: 12}
	s := RouteSpec{Dst: netip.MustParsePrefix("2001:db8::/64"), OutIndex: 2, Tunnel: short}
	if err := encodeRoute(&a, unix.RTM_NEWROUTE, routeAddFlags, &s); err != nil {
		t.Fatal(err)
	}
	s.Tunnel = long
	if err := encodeRoute(&b, unix.RTM_NEWROUTE, routeAddFlags, &s); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("defaults differ:\n% x\n% x", a.Bytes(), b.Bytes())
	}
}

// TestEncapInvalid: what the kernel would refuse, or what would be sent
// wrong, is refused before anything is built, naming the encapsulation.
func TestEncapInvalid(t *testing.T) {
	v4 := netip.MustParseAddr("192.0.2.1")
	for _, c := range []struct {
		e    Encap
		want string
	}{
		{EncapMPLS{}, "encap mpls: no labels"},
		{EncapMPLS{Labels: []uint32{1 << 20}}, "exceeds 20 bits"},
		{EncapMPLS{Labels: make([]uint32, 31)}, "at most 30"},
		{EncapIP{Dst: fc1}, "not IPv4"},
		{EncapIP6{Src: v4}, "not IPv6"},
		{EncapSeg6{Mode: Seg6Encap}, "encap seg6: no segments"},
		{EncapSeg6{Mode: 9, Segments: []netip.Addr{fc1}}, "unknown mode 9"},
		{EncapSeg6{Mode: Seg6Encap, Segments: []netip.Addr{v4}}, "not an IPv6 address"},
		{EncapSeg6{Mode: Seg6Inline, Segments: make([]netip.Addr, 127)}, "at most 127"},
		{EncapSeg6Local{}, "encap seg6local: unknown action 0"},
		{EncapSeg6Local{Action: Seg6LocalEndX, NH6: v4}, "not IPv6"},
		{EncapSeg6Local{Action: Seg6LocalEnd, LocatorBlockBits: 8}, "next-csid"},
		{EncapSeg6Local{Action: Seg6LocalEndBPF, BPF: BPFProg{Name: "x"}}, "no file descriptor"},
		{EncapRPL{}, "encap rpl: no segments"},
		{EncapIOAM6{TraceSize: 4}, "trace type"},
		{EncapIOAM6{TraceType: 1, TraceSize: 6}, "multiple of 4"},
		{EncapIOAM6{TraceType: 1, TraceSize: 4, FreqK: 3, FreqN: 2}, "k > n"},
		{EncapIOAM6{TraceType: 1, TraceSize: 4, Mode: IOAM6Encap}, "need a tunnel destination"},
		{EncapIOAM6{TraceType: 1, TraceSize: 4, TunnelDst: fc1}, "inline mode takes no"},
		{EncapBPF{}, "encap bpf: no program"},
		{EncapBPF{In: BPFProg{FD: 3}, Headroom: 300}, "headroom 300"},
		{EncapXFRM{}, "if_id 0"},
		{EncapRaw{}, "no encapsulation type"},
		{EncapRaw{Type: 99, Attrs: nla.Chain{1, 2}}, "malformed"},
	} {
		var b wire.Builder
		s := RouteSpec{Dst: netip.MustParsePrefix("2001:db8::/64"), OutIndex: 2, Tunnel: c.e}
		err := encodeRoute(&b, unix.RTM_NEWROUTE, routeAddFlags, &s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%#v: got %v, want %q", c.e, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%#v: %d bytes built", c.e, b.Len())
		}
	}
	var b wire.Builder
	s := RouteSpec{Dst: netip.MustParsePrefix("10.0.0.0/8"), OutIndex: 2, MPLSEncap: []uint32{5}, Tunnel: EncapMPLS{Labels: []uint32{5}}}
	if err := encodeRoute(&b, unix.RTM_NEWROUTE, routeAddFlags, &s); err == nil {
		t.Error("MPLSEncap and Tunnel together accepted")
	}
	n := NexthopSpec{ID: 1, OutIndex: 2, EncapType: 1, Tunnel: EncapMPLS{Labels: []uint32{5}}}
	if err := encodeNexthop(&b, 0, &n); err == nil {
		t.Error("EncapType and Tunnel together accepted")
	}
	n = NexthopSpec{ID: 1, Blackhole: true, Tunnel: EncapMPLS{Labels: []uint32{5}}}
	if err := encodeNexthop(&b, 0, &n); err == nil {
		t.Error("a blackhole nexthop with a Tunnel accepted")
	}
}

// TestParseEncapHostile: truncated and lying payloads are errors, never
// panics, and unknown types come back raw.
func TestParseEncapHostile(t *testing.T) {
	for typ := uint16(0); typ <= 12; typ++ {
		for _, c := range []nla.Chain{nil, {4, 0}, {5, 0, 1, 0, 0}, {12, 0, 1, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff},
			{8, 0, 1, 0, 0xff, 0xff, 0xff, 0x7f}, {12, 0, 2, 0, 0, 0, 0, 0, 0, 0x7f, 0, 0}} {
			_, _ = ParseEncap(typ, c)
		}
	}
	e, err := ParseEncap(77, nla.Chain{8, 0, 1, 0, 1, 2, 3, 4})
	if r, ok := e.(EncapRaw); err != nil || !ok || r.Type != 77 || len(r.Attrs) != 8 {
		t.Errorf("unknown type: %#v, %v", e, err)
	}
	// An SRH whose first_segment claims more segments than it holds.
	srh := make([]byte, 4+8+16)
	srh[4+4] = 5
	var b wire.Builder
	b.Begin(1, 0)
	b.Binary(uapi.SEG6_IPTUNNEL_SRH, srh)
	b.End()
	m, _, _, _ := wire.Next(b.Bytes())
	if _, err := ParseEncap(unix.LWTUNNEL_ENCAP_SEG6, nla.Chain(m.Data)); err == nil {
		t.Error("lying routing header accepted")
	}
}
