package tc

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// readTCGolden reads every case in testdata/iproute2 (format documented
// in scripts/golden_tc.sh).
func readTCGolden(t testing.TB) []golden.Case { return golden.Read(t, "testdata/iproute2/*.txt") }

// Parents of the captured filters.
const (
	gIngress = Handle(0xfffffff2)
	gEgress  = Handle(0xfffffff3)
	gRoot1   = Handle(0x10000)
)

func u8p(v uint8) *uint8    { return &v }
func u16p(v uint16) *uint16 { return &v }
func u32p(v uint32) *uint32 { return &v }

func pfx(s string) netip.Prefix {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p
	}
	a := netip.MustParseAddr(s)
	return netip.PrefixFrom(a, a.BitLen())
}

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// sel builds a u32 selector with keys added by fns, failing the test on
// an error.
func sel(t *testing.T, fns ...func(s *U32Sel) error) *U32Sel {
	s := &U32Sel{}
	for _, f := range fns {
		if err := f(s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func drop() []Action { return []Action{{Kind: &Gact{Verdict: VerdictDrop}}} }
func pass() []Action { return []Action{{Kind: &Gact{Verdict: VerdictPass}}} }

// tcGoldenSpecs gives, for each captured case (FILE/NAME), the request
// that must send the same bytes.
func tcGoldenSpecs(t *testing.T, links map[string]int32) map[string]rtm.Request {
	p0, p1 := links["p0"], links["p1"]
	in := func(prio, proto uint16, o FilterOptions) FilterSpec {
		return FilterSpec{Ifindex: p0, Parent: gIngress, Priority: prio, Protocol: proto, Options: o}
	}
	root := func(prio, proto uint16, handle uint32, o FilterOptions) FilterSpec {
		return FilterSpec{Ifindex: p0, Parent: gRoot1, Priority: prio, Protocol: proto, Handle: handle, Options: o}
	}
	ip, ip6 := uint16(unix.ETH_P_IP), uint16(unix.ETH_P_IPV6)
	dst1234 := func(s *U32Sel) error { return s.MatchPrefix(pfx("1.2.3.4/32"), 16, false) }
	h800, _ := ParseU32Handle("800::800")
	act := func(k ActionKind) Action { return Action{Kind: k} }
	withIndex := func(a Action, i uint32) Action { a.Index = i; return a }
	withCtl := func(a Action, v Verdict) Action { a.Control = rtm.Some(v); return a }
	return map[string]rtm.Request{
		// u32
		"u32/ip-dst-drop": FilterAdd(in(10, ip, &U32{Sel: sel(t, dst1234), Actions: drop()})),
		"u32/handle-flowid": FilterAdd(root(1, ip, 0x80000010, &U32{ClassID: 0x10010, Sel: sel(t,
			func(s *U32Sel) error { return s.MatchPrefix(pfx("10.0.0.0/8"), 12, false) },
			func(s *U32Sel) error { return s.Match16(80, 0xffff, 22, false) })})),
		"u32/divisor": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 5, Protocol: ip, Handle: 0x200000,
			Options: &U32{Divisor: 256}}),
		"u32/link-hashkey": FilterAdd(in(5, ip, &U32{Link: 0x200000, Hash: 0x80000000, Sel: func() *U32Sel {
			s := sel(t, func(s *U32Sel) error { return s.MatchPrefix(pfx("10.0.0.0/8"), 12, false) })
			s.HashMask, s.HashOff = 0xff, 12
			return s
		}()})),
		"u32/raw-keys": FilterAdd(in(7, unix.ETH_P_ALL, &U32{Sel: func() *U32Sel {
			s := sel(t,
				func(s *U32Sel) error { return s.Match(0x0a000001, 0xffffffff, 16, false) },
				func(s *U32Sel) error { return s.Match16(0x0800, 0xffff, -2, false) },
				func(s *U32Sel) error { return s.Match8(6, 0xff, 9, false) })
			s.Flags, s.OffOff, s.OffMask, s.OffShift = U32VarOffset|U32Eat, 0, 0x0f00, 6
			return s
		}()})),
		"u32/ip6": FilterAdd(in(8, ip6, &U32{Actions: drop(), Sel: sel(t,
			func(s *U32Sel) error { return s.MatchPrefix(pfx("2001:db8::/32"), 24, false) },
			func(s *U32Sel) error { return s.Match8(6, 0xff, 6, false) })})),
		"u32/tcp-ports": FilterAdd(in(9, ip, &U32{ClassID: 0x10005, Sel: sel(t,
			func(s *U32Sel) error { return s.Match8(6, 0xff, 9, false) },
			func(s *U32Sel) error { return s.Match16(443, 0xffff, 2, true) },
			func(s *U32Sel) error { return s.Match8(0x10, 0xff, 1, false) })})),
		"u32/mirred": FilterAdd(in(1, unix.ETH_P_ALL, &U32{Sel: sel(t, func(s *U32Sel) error { return s.Match(0, 0, 0, false) }),
			Actions: []Action{act(&Mirred{Ifindex: p1})}})),
		"u32/skip-sw": FilterAdd(in(1, ip, &U32{Flags: FilterSkipSW, Actions: pass(),
			Sel: sel(t, func(s *U32Sel) error { return s.MatchPrefix(pfx("10.1.0.0/16"), 16, false) })})),
		"u32/chain": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 2, Protocol: ip, Chain: rtm.Some[uint32](3),
			Options: &U32{Actions: []Action{act(&Gact{Verdict: GotoChain(4)})},
				Sel: sel(t, func(s *U32Sel) error { return s.MatchPrefix(pfx("10.2.0.0/16"), 16, false) })}}),
		"u32/del":      FilterDel(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 10, Protocol: ip, Handle: h800, Options: &U32{}}),
		"u32/del-prio": FilterDel(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 10}),
		"u32/del-all":  FilterDel(FilterSpec{Ifindex: p0, Parent: gIngress}),
		"u32/replace": FilterReplace(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 10, Protocol: ip, Handle: h800,
			Options: &U32{Sel: sel(t, dst1234), Actions: pass()}}),
		"u32/change": FilterChange(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 10, Protocol: ip, Handle: h800,
			Options: &U32{Sel: sel(t, func(s *U32Sel) error { return s.MatchPrefix(pfx("1.2.3.5/32"), 16, false) }), Actions: pass()}}),
		"u32/get": filterGet(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 10, Protocol: ip, Handle: h800, Options: &U32{}}),
		"u32/egress-police": FilterAdd(FilterSpec{Ifindex: p0, Parent: gEgress, Priority: 3, Protocol: ip, Options: &U32{
			Police: NewPolice(125000, 10240), Sel: sel(t, func(s *U32Sel) error { return s.MatchPrefix(pfx("10.0.0.0/8"), 16, false) })}}),
		"u32/block": FilterAdd(FilterSpec{Block: 22, Priority: 1, Protocol: ip,
			Options: &U32{Sel: sel(t, dst1234), Actions: drop()}}),

		// matchall
		"matchall/mirror":  FilterAdd(in(0, 0, &Matchall{Actions: []Action{act(&Mirred{Ifindex: p1, Mirror: true})}})),
		"matchall/classid": FilterAdd(root(4, 0, 7, &Matchall{ClassID: 0x10003, Flags: FilterSkipHW})),
		"matchall/skip-sw": FilterAdd(in(2, unix.ETH_P_ALL, &Matchall{Flags: FilterSkipSW, Actions: drop()})),
		"matchall/ingress-redirect": FilterAdd(FilterSpec{Ifindex: p0, Parent: gEgress,
			Options: &Matchall{Actions: []Action{act(&Mirred{Ifindex: p1, Ingress: true})}}}),

		// bpf
		"bpf/bytecode": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 1, Handle: 1,
			Options: &BPF{ClassID: 0x10001, Ops: []BPFInstruction{{Code: 6, K: 0xffffffff}}}}),
		"bpf/bytecode-action": FilterAdd(in(0, 0, &BPF{Actions: drop(), Ops: []BPFInstruction{
			{Code: 40, K: 12}, {Code: 21, JF: 1, K: 2048}, {Code: 6, K: 262144}, {Code: 6}}})),

		// flower
		"flower/l2": FilterAdd(in(1, ip, &Flower{DstMAC: mac("02:00:00:00:00:01"), SrcMAC: mac("02:00:00:00:00:02"),
			SrcMACMask: mac("ff:ff:ff:00:00:00"), Actions: drop()})),
		"flower/l3l4": FilterAdd(in(1, ip, &Flower{IPProto: u8p(unix.IPPROTO_TCP), IPTOS: &Masked[uint8]{0x10, 0xff},
			IPTTL: Exact[uint8](64), Dst: pfx("192.0.2.1"), Src: pfx("10.0.0.0/8"), DstPort: 80, SrcPort: 1000, SrcPortMax: 2000,
			TCPFlags: &Masked[uint16]{2, 0x3f}, Actions: pass()})),
		"flower/ip6-udp": FilterAdd(in(2, ip6, &Flower{IPProto: u8p(unix.IPPROTO_UDP), Dst: pfx("2001:db8::1"),
			Src: pfx("2001:db8::/64"), DstPort: 53, Flags: FilterSkipHW, Actions: drop()})),
		"flower/icmp": FilterAdd(in(0, ip, &Flower{IPProto: u8p(unix.IPPROTO_ICMP), ICMPType: Exact[uint8](8),
			ICMPCode: Exact[uint8](0), Actions: drop()})),
		"flower/vlan": FilterAdd(in(0, unix.ETH_P_8021Q, &Flower{VlanID: u16p(100), VlanPrio: u8p(3), VlanEthType: unix.ETH_P_IP,
			Actions: []Action{act(&VlanAction{Op: VlanPop})}})),
		"flower/cvlan": FilterAdd(in(0, unix.ETH_P_8021AD, &Flower{VlanID: u16p(100), VlanEthType: unix.ETH_P_8021Q,
			CVlanID: u16p(200), CVlanPrio: u8p(1), CVlanEthType: unix.ETH_P_IP, Actions: drop()})),
		"flower/tunnel": FilterAdd(in(0, ip, &Flower{EncDst: pfx("192.0.2.2"), EncSrc: pfx("192.0.2.1"), EncKeyID: u32p(42),
			EncDstPort: 4789, EncTOS: &Masked[uint8]{0x10, 0xff}, EncTTL: Exact[uint8](64),
			Actions: []Action{act(&TunnelKey{Unset: true})}})),
		"flower/ct": FilterAdd(in(0, ip, &Flower{CTState: &Masked[uint16]{FlowerCTTracked | FlowerCTEstablished,
			FlowerCTTracked | FlowerCTEstablished | FlowerCTNew}, CTZone: Exact[uint16](5), CTMark: &Masked[uint32]{1, 0xff},
			Actions: []Action{act(&CT{Flags: CTCommit, Zone: 5})}})),
		"flower/flags": FilterAdd(in(0, ip, &Flower{IPFlags: &Masked[uint32]{FlowerFragment, FlowerFragment | FlowerFirstFragment},
			Indev: "p0", Actions: drop()})),
		"flower/arp": FilterAdd(in(0, unix.ETH_P_ARP, &Flower{ARPTargetIP: pfx("10.0.0.1"), ARPSenderIP: pfx("10.0.0.0/24"),
			ARPOp: Exact[uint8](1), ARPTargetMAC: mac("02:00:00:00:00:01"), Actions: drop()})),
		"flower/mpls": FilterAdd(in(0, unix.ETH_P_MPLS_UC, &Flower{MPLSLabel: u32p(100), MPLSTC: u8p(3), MPLSBOS: u8p(1),
			MPLSTTL: u8p(64), Actions: drop()})),
		"flower/classid": FilterAdd(root(3, ip, 9, &Flower{ClassID: 0x10009, Dst: pfx("10.9.0.0/16")})),
		"flower/chain": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Protocol: ip, Chain: rtm.Some[uint32](1),
			Options: &Flower{IPProto: u8p(unix.IPPROTO_SCTP), DstPort: 9, Actions: []Action{act(&Gact{Verdict: GotoChain(2)})}}}),

		// fw, route, cgroup, flow, basic
		"fw/handle":    FilterAdd(root(1, ip, 5, &Fw{ClassID: 0x10005})),
		"fw/mask":      FilterAdd(root(1, ip, 5, &Fw{Mask: u32p(0xff), ClassID: 0x10005, Indev: "p1"})),
		"route/to":     FilterAdd(root(1, ip, 0, &Route{To: u32p(10), ClassID: 0x10001})),
		"route/from":   FilterAdd(root(2, ip, 0, &Route{From: u32p(5), ClassID: 0x10002})),
		"route/fromif": FilterAdd(root(3, ip, 0, &Route{To: u32p(4), FromIf: p1, ClassID: 0x10003})),
		"cgroup/action": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 1, Handle: 1,
			Options: &Cgroup{Actions: drop()}}),
		"flow/hash": FilterAdd(root(1, ip, 1, &Flow{Hash: true, Keys: FlowKeySrc | FlowKeyDst | FlowKeyProto | FlowKeyProtoSrc | FlowKeyProtoDst,
			Divisor: 256, BaseClass: 0x10010})),
		"flow/map":    FilterAdd(root(2, ip, 2, &Flow{Keys: FlowKeyMark, Mask: u32p(0xff), Xor: 1, Addend: 5, Divisor: 16})),
		"basic/plain": FilterAdd(root(1, ip, 0, &Basic{ClassID: 0x10001})),
		"basic/ematch": FilterAdd(root(2, ip, 0, &Basic{ClassID: 0x10002,
			Ematches: unhex("08000100010000001c0002001800010000000100000000000a00000000ff000000000212")})),
		"basic/ematch-u32": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 3, Protocol: ip, Options: &Basic{
			Actions: drop(), Ematches: unhex("0800010002000000380002001c0001000000030001000000ff0000000a000000100000000000000018000200000001000400000006000000000000000900010" + "1")}}),

		// standalone actions
		"action/gact":                  ActionAdd(withIndex(act(&Gact{Verdict: VerdictDrop}), 5)),
		"action/gact-random":           ActionAdd(withIndex(act(&Gact{Verdict: VerdictPass, Random: &GactRandom{Deterministic: true, Value: 10, Verdict: VerdictDrop}}), 6)),
		"action/mirred":                ActionAdd(withIndex(act(&Mirred{Ifindex: p1}), 3)),
		"action/mirred-ingress-mirror": ActionAdd(act(&Mirred{Ifindex: p1, Ingress: true, Mirror: true})),
		"action/police":                ActionAdd(withIndex(act(NewPolice(125000, 10240)), 2)),
		"action/police-full": ActionAdd(act(&Police{Rate: 1000000, Burst: 102400, MTU: 2048, PeakRate: 1250000, Overhead: 4,
			Exceed: VerdictReclassify, Conform: VerdictPipe})),
		"action/police-pkt":   ActionAdd(act(&Police{PacketRate: 1000, PacketBurst: 100, Exceed: VerdictDrop})),
		"action/skbedit":      ActionAdd(act(&SkbEdit{Mark: u32p(5), Priority: u32p(0x10001), QueueMapping: u16p(3), PacketType: u16p(0)})),
		"action/skbedit-mask": ActionAdd(act(&SkbEdit{Mark: u32p(5), Mask: u32p(0xff), InheritDSField: true})),
		"action/pedit": ActionAdd(act(&Pedit{Extended: true, Keys: []PeditKey{
			{Mask: 0x00ffffff, Val: 0x0a000000, Off: 8, Header: PeditIPv4}}})),
		"action/pedit-raw": ActionAdd(withCtl(act(&Pedit{Keys: []PeditKey{
			mustPedit(t, 0, 4, 1), mustPedit(t, 4, 2, 7)}}), VerdictPipe)),
		"action/vlan-push":   ActionAdd(act(&VlanAction{Op: VlanPush, ID: 100, Protocol: unix.ETH_P_8021Q, Priority: 3, HasPriority: true})),
		"action/vlan-pop":    ActionAdd(withIndex(act(&VlanAction{Op: VlanPop}), 9)),
		"action/vlan-modify": ActionAdd(act(&VlanAction{Op: VlanModify, ID: 5, Protocol: unix.ETH_P_8021AD})),
		"action/tunnel-key-set": ActionAdd(act(&TunnelKey{Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("192.0.2.2"),
			KeyID: u32p(42), DstPort: 4789, TTL: u8p(64), TOS: u8p(0x10), NoChecksum: true})),
		"action/tunnel-key-set6": ActionAdd(act(&TunnelKey{Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2"),
			KeyID: u32p(7), Geneve: []GeneveOpt{{Class: 0x102, Type: 0x80, Data: []byte{0, 0x88, 0, 0x22}}}})),
		"action/tunnel-key-unset": ActionAdd(act(&TunnelKey{Unset: true})),
		"action/csum":             ActionAdd(act(&Csum{Update: CsumIPv4Header | CsumTCP | CsumUDP})),
		"action/nat":              ActionAdd(act(&Nat{Old: pfx("10.0.0.1/32"), New: netip.MustParseAddr("192.168.0.1")})),
		"action/nat-egress":       ActionAdd(act(&Nat{Egress: true, Old: pfx("10.0.0.0/8"), New: netip.MustParseAddr("192.168.0.0")})),
		"action/bpf":              ActionAdd(withIndex(act(&BPFAction{Ops: []BPFInstruction{{Code: 6, K: 0xffffffff}}}), 4)),
		"action/ct-commit":        ActionAdd(act(&CT{Flags: CTCommit, Zone: 5, Mark: u32p(1), MarkMask: u32p(0xff)})),
		"action/ct-nat": ActionAdd(act(&CT{Flags: CTCommit | CTNat | CTNatSrc, NatMin: netip.MustParseAddr("192.0.2.1"),
			NatMax: netip.MustParseAddr("192.0.2.9"), PortMin: 1000, PortMax: 2000})),
		"action/ct-clear":    ActionAdd(act(&CT{Flags: CTClear})),
		"action/connmark":    ActionAdd(withIndex(act(&Connmark{Zone: 3}), 1)),
		"action/sample":      ActionAdd(act(&Sample{Rate: 100, Group: 5, Trunc: 128})),
		"action/mpls-push":   ActionAdd(act(&MPLSAction{Op: MPLSPush, Label: u32p(100), TC: u8p(3), TTL: u8p(64)})),
		"action/mpls-pop":    ActionAdd(act(&MPLSAction{Op: MPLSPop, Protocol: unix.ETH_P_IP})),
		"action/mpls-modify": ActionAdd(act(&MPLSAction{Op: MPLSModify, Label: u32p(200), BOS: u8p(1)})),
		"action/simple":      ActionAdd(withIndex(act(&Simple{Data: "hello"}), 1)),
		"action/multi": ActionAdd(withIndex(act(&Gact{Verdict: VerdictPass}), 1),
			withIndex(act(&Mirred{Ifindex: p1, Mirror: true}), 2)),
		"action/replace": ActionReplace(withIndex(act(&Gact{Verdict: VerdictDrop}), 5)),
		"action/change":  ActionReplace(withIndex(act(&Gact{Verdict: VerdictPipe}), 5)),
		"action/del":     ActionDel(ActionRef{"gact", 5}),
		"action/get":     actionGet(ActionRef{"mirred", 3}),
		"action/flush":   ActionFlush("gact"),
		"action/cookie":  ActionAdd(Action{Kind: &Gact{Verdict: VerdictDrop}, Index: 8, Cookie: []byte{1, 2, 3, 4, 5}}),
	}
}

func mustPedit(t *testing.T, off int32, size int, v uint32) PeditKey {
	k, err := PeditSet(off, size, v)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// buildRequest appends req to a fresh builder, as a Batch would.
func buildRequest(req rtm.Request) ([]byte, error) {
	r := rtnl.Req{B: &wire.Builder{}}
	if err := req.AppendTo(&r); err != nil {
		return nil, err
	}
	return r.B.Bytes(), r.B.Err()
}

// normalizeGolden removes what tc sends that depends on its process, not
// on the command: the bytes after sdata's NUL (tc copies 32 bytes from
// its argv, whatever follows the string).
func normalizeGolden(c golden.Case) []byte {
	b := bytes.Clone(c.Req)
	clearAck(b)
	if c.Key() == "action/simple" {
		if i := bytes.Index(b, []byte("hello\x00")); i >= 0 {
			clear(b[i+6 : i+32])
		}
	}
	return b
}

// clearAck clears NLM_F_ACK, which the socket sets when it sends.
func clearAck(b []byte) {
	if len(b) >= 8 {
		native.PutUint16(b[6:], native.Uint16(b[6:])&^unix.NLM_F_ACK)
	}
}

// TestFilterRequestsMatchTC builds each captured request with this
// package and compares it byte for byte with what tc sent.
func TestFilterRequestsMatchTC(t *testing.T) {
	golden.LittleEndianOnly(t, "the golden captures are")
	cases := readTCGolden(t)
	specs := tcGoldenSpecs(t, cases[0].Links)
	maps.Copy(specs, chainGoldenSpecs(cases[0].Links))
	maps.Copy(specs, tcmoreGoldenSpecs(t, cases[0].Links))
	golden.Match(t, cases, golden.Case.Key, specs, "scripts/golden_tc.sh", func(t *testing.T, c golden.Case, req rtm.Request) {
		got, err := buildRequest(req)
		if err != nil {
			t.Fatalf("tc %s: %v", c.Cmd, err)
		}
		clearAck(got)
		if want := normalizeGolden(c); !bytes.Equal(got, want) {
			t.Errorf("tc %s\nrtm/tc:\n%s\ntc:\n%s", c.Cmd, dumpTC(got), dumpTC(want))
		}
	})
}

// dumpTC formats a tc request attribute by attribute, nests included as
// far as they parse, for failure messages.
func dumpTC(b []byte) string {
	var sb strings.Builder
	if len(b) < 20 {
		return hex.EncodeToString(b)
	}
	fixed := SizeofTcmsg
	if t := native.Uint16(b[4:]); t >= unix.RTM_NEWACTION && t <= unix.RTM_GETACTION {
		fixed = tcamsgLen
	}
	fmt.Fprintf(&sb, "  header %x fixed %x\n", b[:16], b[16:16+fixed])
	var walk func(c nla.Chain, depth int)
	walk = func(c nla.Chain, depth int) {
		for a := range c.All() {
			fmt.Fprintf(&sb, "%s%d%s: %x\n", strings.Repeat("  ", depth), a.Kind(),
				map[bool]string{true: "N"}[a.IsNested()], a.Data)
			if sub := a.Nested(); len(sub) >= 4 && sub.Err() == nil && depth < 6 && int(native.Uint16(sub)) >= 4 {
				walk(sub, depth+1)
			}
		}
	}
	walk(nla.Chain(b[16+fixed:]), 1)
	return sb.String()
}

// TestFilterRequestsDecodeTC decodes each request tc sent back to a
// specification and checks that it encodes to the same bytes: what tc
// sets, this package reads back to the same settings.
func TestFilterRequestsDecodeTC(t *testing.T) {
	golden.LittleEndianOnly(t, "the golden captures are")
	for _, c := range readTCGolden(t) {
		t.Run(c.Key(), func(t *testing.T) {
			want := normalizeGolden(c)
			typ, flags := native.Uint16(want[4:]), native.Uint16(want[6:])&^unix.NLM_F_REQUEST
			op := change{"replay", typ, flags}
			body := want[16:]
			var req rtm.Request
			switch typ {
			case unix.RTM_NEWTFILTER, unix.RTM_DELTFILTER, unix.RTM_GETTFILTER:
				s, err := decodeFilterBody(body)
				if err != nil {
					t.Fatal(err)
				}
				req = &filterRequest{op, s}
			case unix.RTM_NEWCHAIN, unix.RTM_DELCHAIN, unix.RTM_GETCHAIN:
				req = decodeChainRequest(t, op, body)
			case unix.RTM_NEWACTION:
				acts, err := decodeActionsBody(body)
				if err != nil {
					t.Fatal(err)
				}
				req = &actionRequest{op, actionsSpec{acts: acts}}
			default:
				t.Skip("a reference to actions, not their settings")
			}
			got, err := buildRequest(req)
			if err != nil {
				t.Fatalf("tc %s: re-encoding: %v", c.Cmd, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("tc %s\nre-encoded:\n%s\ntc:\n%s", c.Cmd, dumpTC(got), dumpTC(want))
			}
		})
	}
}
