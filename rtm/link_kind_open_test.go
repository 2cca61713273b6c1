package rtm_test

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestOpenKindAgainstIP creates links of kinds given by name with raw
// data, as a kind rtm has no type for would be, and reads the data back.
func TestOpenKindAgainstIP(t *testing.T) {
	h, ns := handle(t)
	var e nla.Encoder
	e.Uint32(unix.IFLA_VXLAN_ID, 4242)
	e.Uint16BE(unix.IFLA_VXLAN_PORT, 4790)
	e.Uint8(unix.IFLA_VXLAN_TTL, 9)
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "ox0", Kind: &rtm.OpenKind{Name: "vxlan", Data: nla.Chain(e.Bytes())}}); err != nil {
		t.Fatal(err)
	}
	expect(t, ipLink(t, ns, "ox0"), map[string]any{"linkinfo.info_kind": "vxlan",
		"linkinfo.info_data.id": 4242, "linkinfo.info_data.port": 4790, "linkinfo.info_data.ttl": 9})
	l, err := h.LinkByName(ctx, "ox0")
	if err != nil {
		t.Fatal(err)
	}
	a, ok := l.KindData().Get(unix.IFLA_VXLAN_ID)
	if id, _ := a.Uint32(); !ok || id != 4242 {
		t.Errorf("KindData: vxlan id %d (%v)", id, ok)
	}
	// A kind with no data at all.
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "ob0", Kind: &rtm.OpenKind{Name: "bridge"}}); err != nil {
		t.Fatal(err)
	}
	expect(t, ipLink(t, ns, "ob0"), map[string]any{"linkinfo.info_kind": "bridge"})
	// Port data: a bridge port's cost, as raw IFLA_BRPORT_* attributes.
	addVethPair(t, h)
	p0 := index(t, h, "p0")
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, Master: rtm.Some(index(t, h, "ob0"))}); err != nil {
		t.Fatal(err)
	}
	e.Reset(nil)
	e.Uint32(unix.IFLA_BRPORT_COST, 77)
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: p0, Port: &rtm.OpenPort{Kind: "bridge", Data: nla.Chain(e.Bytes())}}); err != nil {
		t.Fatal(err)
	}
	expect(t, ipLink(t, ns, "p0"), map[string]any{"linkinfo.info_slave_data.cost": 77})
	l, _ = h.LinkByIndex(ctx, p0)
	if a, ok := l.PortData().Get(unix.IFLA_BRPORT_COST); !ok {
		t.Error("PortData: no cost")
	} else if n, _ := a.Uint32(); n != 77 {
		t.Errorf("PortData: cost %d", n)
	}
	// A kind the kernel does not know: its error, by errno.
	err = h.LinkAdd(ctx, rtm.LinkSpec{Name: "oz0", Kind: &rtm.OpenKind{Name: "no-such-kind"}})
	if err == nil || !strings.Contains(err.Error(), "oz0") {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestOpenKindRejected(t *testing.T) {
	for _, c := range []struct {
		name string
		k    rtm.LinkKind
		want string
	}{
		{"empty", &rtm.OpenKind{}, "empty kind name"},
		{"long", &rtm.OpenKind{Name: strings.Repeat("k", 49)}, "longer"},
		{"space", &rtm.OpenKind{Name: "a b"}, "contains"},
		{"malformed", &rtm.OpenKind{Name: "x", Data: nla.Chain{1, 0, 0}}, "malformed"},
		{"short-len", &rtm.OpenKind{Name: "x", Data: nla.Chain{2, 0, 1, 0}}, "malformed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := rtm.EncodeRequest(rtm.LinkAdd(rtm.LinkSpec{Name: "x0", Kind: c.k}))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	err := rtm.EncodeRequest(rtm.LinkSet(rtm.LinkSpec{Index: 1, Port: &rtm.OpenPort{Kind: ""}}))
	if err == nil {
		t.Fatal("empty port kind accepted")
	}
}
