package tc

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestFilterBadInput checks that wrong specifications are refused before
// anything is built, each with an error that says why.
func TestFilterBadInput(t *testing.T) {
	in := func(o FilterOptions) FilterSpec {
		return FilterSpec{Ifindex: 3, Parent: 0xfffffff2, Priority: 1, Protocol: unix.ETH_P_IP, Options: o}
	}
	big := make([]Action, MaxActions+1)
	for i := range big {
		big[i] = Action{Kind: &Gact{}}
	}
	for _, c := range []struct {
		name string
		req  rtm.Request
		want string
	}{
		{"no target", FilterAdd(FilterSpec{Options: &U32{}}), "device or a block"},
		{"device and block", FilterAdd(FilterSpec{Ifindex: 1, Block: 2, Options: &U32{}}), "device or a block"},
		{"no kind", FilterAdd(FilterSpec{Ifindex: 1}), "needs a kind"},
		{"chain out of range", FilterAdd(FilterSpec{Ifindex: 1, Chain: rtm.Some[uint32](1 << 30), Options: &U32{}}), "chain"},
		{"divisor", FilterAdd(in(&U32{Divisor: 3})), "power of two"},
		{"link to a node", FilterAdd(in(&U32{Link: 0x80000800})), "names a node"},
		{"skip both", FilterAdd(in(&Matchall{Flags: FilterSkipHW | FilterSkipSW})), "mutually exclusive"},
		{"bpf neither", FilterAdd(in(&BPF{})), "descriptor or bytecode"},
		{"bpf both", FilterAdd(in(&BPF{FD: 3, Ops: []BPFInstruction{{}}})), "descriptor or bytecode"},
		{"ports without proto", FilterAdd(in(&Flower{DstPort: 80})), "ip_proto"},
		{"arp v6", FilterAdd(in(&Flower{ARPTargetIP: netip.MustParsePrefix("::1/128")})), "IPv4"},
		{"vlan id", FilterAdd(in(&Flower{VlanID: func() *uint16 { v := uint16(5000); return &v }()})), "4095"},
		{"too many actions", FilterAdd(in(&Matchall{Actions: big})), "at most"},
		{"nil action kind", FilterAdd(in(&Matchall{Actions: []Action{{}}})), "no kind"},
		{"bad verdict", FilterAdd(in(&Matchall{Actions: []Action{{Kind: &Gact{Verdict: 99}}}})), "invalid verdict"},
		{"long cookie", ActionAdd(Action{Kind: &Gact{}, Cookie: make([]byte, 17)}), "cookie"},
		{"mirred no target", ActionAdd(Action{Kind: &Mirred{}}), "no target"},
		{"police no burst", ActionAdd(Action{Kind: &Police{Rate: 1000}}), "burst"},
		{"police nothing", ActionAdd(Action{Kind: &Police{}}), "needs"},
		{"vlan push no id", ActionAdd(Action{Kind: &VlanAction{Op: VlanPush}}), "vlan id"},
		{"tunnel_key set no addresses", ActionAdd(Action{Kind: &TunnelKey{}}), "src_ip"},
		{"nat v6", ActionAdd(Action{Kind: &Nat{Old: netip.MustParsePrefix("::/0"), New: netip.IPv6Unspecified()}}), "IPv4"},
		{"simple long", ActionAdd(Action{Kind: &Simple{Data: strings.Repeat("x", 40)}}), "sdata"},
		{"ct clear and commit", ActionAdd(Action{Kind: &CT{Flags: CTClear | CTCommit}}), "clear"},
		{"mpls pop no proto", ActionAdd(Action{Kind: &MPLSAction{Op: MPLSPop}}), "protocol"},
		{"pedit no keys", ActionAdd(Action{Kind: &Pedit{}}), "no keys"},
		{"no actions", ActionAdd(), "no actions"},
		{"del without index", ActionDel(ActionRef{Kind: "gact"}), "no index"},
		{"flush bad kind", ActionFlush(strings.Repeat("k", 20)), "invalid action kind"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := buildRequest(c.req)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

// TestParseU32HandleBad checks that malformed u32 handles are refused.
func TestParseU32HandleBad(t *testing.T) {
	for _, s := range []string{"1000::", "1:100:", "1:2:1000", "g::", "1:2:3:4", "::x"} {
		if _, err := ParseU32Handle(s); err == nil {
			t.Errorf("ParseU32Handle(%q) succeeded", s)
		}
	}
	// tc prints handles in its own way: the bucket without a colon
	// after it, a node without the empty bucket before it.
	for _, c := range []struct {
		in, out string
		v       uint32
	}{{"800::800", "800::800", 0x80000800}, {"2:", "2:", 0x200000}, {"1:5:", "1:5", 0x105000},
		{"", "none", 0}, {"::1", ":1", 1}} {
		got, err := ParseU32Handle(c.in)
		if err != nil || got != c.v {
			t.Errorf("ParseU32Handle(%q) = %#x, %v; want %#x", c.in, got, err, c.v)
		}
		if s := FormatU32Handle(got); s != c.out {
			t.Errorf("FormatU32Handle(%#x) = %q, want %q", got, s, c.out)
		}
	}
}

// TestFilterZeroAndGarbage reads the zero view, truncated and garbage
// messages: accessors return zero values, decoding fails cleanly.
func TestFilterZeroAndGarbage(t *testing.T) {
	var f Filter
	if f.Priority() != 0 || f.Protocol() != 0 || f.Kind() != "" {
		t.Error("the zero Filter reads something")
	}
	for range f.Actions() {
		t.Error("the zero Filter has actions")
	}
	if _, err := f.Spec(); err == nil {
		t.Error("the zero Filter decodes")
	}
	if _, err := FilterFromBytes([]byte{1, 2, 3}); err == nil {
		t.Error("a 3-byte filter message is accepted")
	}
	if _, err := DecodeActions(nla.Chain{0xff, 0xff, 1}); err == nil {
		t.Error("a malformed action list decodes")
	}
	for _, kind := range []string{"u32", "flower", "matchall", "bpf", "fw", "route", "cgroup", "flow", "basic", "other"} {
		if _, err := DecodeFilterOptions(kind, []byte{0x05, 0x00}); err == nil {
			t.Errorf("%s: malformed options decode", kind)
		}
	}
}

// TestFilterDumpNoTarget and a cancelled context: errors, not hangs.
func TestFilterDumpHostile(t *testing.T) {
	h, err := rtm.Dial(rtm.WithNetnsHandle(nstest.New(t).Handle))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, err := range Filters(context.Background(), h, FilterFilter{}) {
		if !errors.Is(err, errNoFilterTarget) {
			t.Errorf("a dump without a device: %v", err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	for _, err := range Filters(ctx, h, FilterFilter{Ifindex: 1}) {
		if err == nil {
			t.Error("a dump with a cancelled context yields filters")
		}
		n++
	}
	if n != 1 {
		t.Errorf("a cancelled dump yields %d results, want one error", n)
	}
	if _, err := StandaloneAction(ctx, h, "mirred", 1); err == nil {
		t.Error("a get with a cancelled context succeeds")
	}
}

// TestFilterConcurrentEncoding encodes one specification from many
// goroutines: requests do not modify what they are given.
func TestFilterConcurrentEncoding(t *testing.T) {
	var sel U32Sel
	sel.MatchPrefix(netip.MustParsePrefix("10.0.0.0/8"), 12, false)
	spec := FilterSpec{Ifindex: 3, Parent: 0xfffffff2, Priority: 1, Protocol: unix.ETH_P_IP,
		Options: &U32{Sel: &sel, Actions: []Action{{Kind: &Mirred{Ifindex: 2}}, {Kind: NewPolice(125000, 10240)}}}}
	want, err := buildRequest(FilterAdd(spec))
	if err != nil {
		t.Fatal(err)
	}
	flower := FilterSpec{Ifindex: 3, Parent: 0xfffffff2, Protocol: unix.ETH_P_IP, Options: &Flower{Dst: netip.MustParsePrefix("10.0.0.0/8")}}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				got, err := buildRequest(FilterAdd(spec))
				if err != nil || string(got) != string(want) {
					t.Error("concurrent encodings differ")
					return
				}
				if _, err := buildRequest(FilterReplace(flower)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
