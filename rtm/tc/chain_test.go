package tc

import (
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// chainGoldenSpecs are the chain requests of testdata/iproute2/chain.txt,
// as this package builds them.
func chainGoldenSpecs(links map[string]int32) map[string]rtm.Request {
	p0 := links["p0"]
	in := func(chain uint32) ChainSpec { return ChainSpec{Ifindex: p0, Parent: gIngress, Chain: rtm.Some(chain)} }
	withTemplate := func(s ChainSpec, proto uint16, t FilterOptions) ChainSpec {
		s.Protocol, s.Template = proto, t
		return s
	}
	l4 := withTemplate(ChainSpec{Ifindex: p0, Parent: gEgress, Chain: rtm.Some[uint32](2)}, unix.ETH_P_IPV6, &Flower{
		IPProto: u8p(unix.IPPROTO_TCP), Src: netip.MustParsePrefix("::/64"), DstPort: 1,
		DstMAC: mac("00:00:00:00:00:00"), DstMACMask: mac("ff:ff:ff:00:00:00")})
	return map[string]rtm.Request{
		"chain/add":          ChainAdd(in(1)),
		"chain/add-chain0":   ChainAdd(ChainSpec{Ifindex: p0, Parent: gEgress}),
		"chain/add-root":     ChainAdd(ChainSpec{Ifindex: p0, Parent: gRoot1, Chain: rtm.Some[uint32](7)}),
		"chain/add-block":    ChainAdd(ChainSpec{Block: 22, Chain: rtm.Some[uint32](5)}),
		"chain/template":     ChainAdd(withTemplate(in(1), unix.ETH_P_IP, &Flower{Dst: netip.MustParsePrefix("0.0.0.0/16")})),
		"chain/template-l4":  ChainAdd(l4),
		"chain/template-u32": ChainAdd(withTemplate(in(3), unix.ETH_P_IP, &RawFilter{Name: "u32"})),
		"chain/del":          ChainDel(in(1)),
		"chain/del-block":    ChainDel(ChainSpec{Block: 22, Chain: rtm.Some[uint32](5)}),
		"chain/get":          &chainRequest{chainGetOp, in(1)},
	}
}

// decodeChainRequest decodes a chain request tc sent into the request
// that sends it again.
func decodeChainRequest(t *testing.T, op change, body []byte) rtm.Request {
	t.Helper()
	c, err := ChainFromBytes(body)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Spec()
	if err != nil {
		t.Fatal(err)
	}
	return &chainRequest{op, s}
}

// TestChainRequestsRefuseBadInput checks what is refused before sending.
func TestChainRequestsRefuseBadInput(t *testing.T) {
	for name, req := range map[string]rtm.Request{
		"no target":       ChainAdd(ChainSpec{Chain: rtm.Some[uint32](1)}),
		"both targets":    ChainAdd(ChainSpec{Ifindex: 2, Block: 3}),
		"negative index":  ChainAdd(ChainSpec{Ifindex: -2}),
		"chain too big":   ChainAdd(ChainSpec{Ifindex: 2, Chain: rtm.Some[uint32](VerdictOperandMax + 1)}),
		"template on del": ChainDel(ChainSpec{Ifindex: 2, Template: &Flower{}}),
		"long kind":       ChainAdd(ChainSpec{Ifindex: 2, Template: &RawFilter{Name: "0123456789abcdef"}}),
	} {
		if _, err := buildRequest(req); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestChainFromBytesHostile reads garbage without panicking.
func TestChainFromBytesHostile(t *testing.T) {
	for _, b := range [][]byte{nil, make([]byte, 19), append(make([]byte, 20), 0xff, 0xff, 0xff)} {
		c, err := ChainFromBytes(b)
		if err != nil {
			continue
		}
		_ = c.Index()
		_, _ = c.Spec()
	}
}
