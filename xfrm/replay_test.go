package xfrm_test

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// TestReplay reads a recorded session (Linux 6.18, in a namespace where
// ip had added two policies and a larval SA) without root: the dumps,
// the counts, a policy added, got and deleted, the SA got and deleted,
// and a refusal. NLTEST_RECORD=1 records it anew, as root.
func TestReplay(t *testing.T) {
	opts := []xfrm.Option{xfrm.WithTransport(nltest.Conversation(t, filepath.Join("testdata", "conv", "xfrm.nlconv")))}
	if nltest.Recording() {
		ns := nstest.New(t)
		nstest.Require(t, "xfrm")
		nstest.IP(t, ns, "xfrm", "policy", "add", "src", "10.1.0.0/16", "dst", "10.2.0.0/16", "dir", "out", "priority", "3",
			"tmpl", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "mode", "tunnel", "reqid", "4")
		nstest.IP(t, ns, "xfrm", "policy", "add", "dst", "2001:db8::/32", "dir", "in", "action", "block", "mark", "1")
		nstest.IP(t, ns, "xfrm", "state", "allocspi", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp",
			"reqid", "4", "min", "0x777", "max", "0x777")
		opts = append(opts, xfrm.WithNetnsHandle(ns.Handle))
	}
	h, err := xfrm.Dial(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	var ps []xfrm.Policy
	for v, err := range h.Policies(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, v.Policy())
	}
	if len(ps) != 2 {
		t.Fatalf("%d policies", len(ps))
	}
	for _, p := range ps {
		switch p.Dir {
		case xfrm.DirOut:
			if p.Priority != 3 || len(p.Templates) != 1 || p.Templates[0].Reqid != 4 || p.Selector.Src != netip.MustParsePrefix("10.1.0.0/16") {
				t.Errorf("out policy %+v", p)
			}
		case xfrm.DirIn:
			if p.Action != xfrm.ActionBlock || p.Mark == nil || p.Mark.Value != 1 || p.Selector.Dst != netip.MustParsePrefix("2001:db8::/32") {
				t.Errorf("in policy %+v", p)
			}
		}
	}
	if info, err := h.SPDInfo(ctx); err != nil || info.In != 1 || info.Out != 1 {
		t.Errorf("SPD info %+v, %v", info, err)
	}
	n := 0
	for v, err := range h.States(ctx, xfrm.StateFilter{Proto: xfrm.ProtoESP}) {
		if err != nil {
			t.Fatal(err)
		}
		if v.SPI() != 0x777 || v.Reqid() != 4 || v.Dst() != netip.MustParseAddr("192.0.2.2") {
			t.Errorf("SA %+v", v.State())
		}
		n++
	}
	if info, err := h.SAInfo(ctx); err != nil || info.Count != 1 || n != 1 {
		t.Errorf("SA info %+v, %v; %d SAs dumped", info, err, n)
	}
	p := &xfrm.Policy{Dir: xfrm.DirFwd, Selector: xfrm.Selector{Src: netip.MustParsePrefix("10.9.0.0/24")}, Priority: 8}
	if err := h.PolicyAdd(ctx, p); err != nil {
		t.Fatal(err)
	}
	id := p.ID()
	if got, err := h.Policy(ctx, &id); err != nil || got.Priority != 8 {
		t.Errorf("policy get: %+v, %v", got, err)
	}
	if err := h.PolicyDel(ctx, &id); err != nil {
		t.Error(err)
	}
	if err := h.PolicyDel(ctx, &id); !errors.Is(err, unix.ENOENT) {
		t.Errorf("second delete: %v", err)
	}
	sid := &xfrm.StateID{Dst: netip.MustParseAddr("192.0.2.2"), SPI: 0x777, Proto: xfrm.ProtoESP}
	if s, err := h.State(ctx, sid); err != nil || s.Reqid != 4 {
		t.Errorf("state get: %+v, %v", s, err)
	}
	if err := h.StateDel(ctx, sid); err != nil {
		t.Error(err)
	}
	if _, err := h.State(ctx, sid); !errors.Is(err, unix.ESRCH) {
		t.Errorf("state get after delete: %v", err)
	}
}
