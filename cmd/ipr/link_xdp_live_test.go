package main

import (
	"context"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// TestXDPShowAsIP attaches a real XDP program to veth links, generic
// and native, and compares ipr's listings with ip's: the mode in the
// first line, the prog/xdp lines with the program's name, tag and load
// time, the JSON xdp object, and addr show's /id:N.
func TestXDPShowAsIP(t *testing.T) {
	nstest.Require(t, "link:veth")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "x0", "type", "veth", "peer", "name", "x1")
	nstest.IP(t, ns, "link", "add", "x2", "type", "veth", "peer", "name", "x3")
	fd := nstest.LoadXDPPass(t, "ipr_pass")
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	for _, c := range []struct {
		dev  string
		mode rtm.XDPMode
	}{{"x0", rtm.XDPModeGeneric}, {"x2", rtm.XDPModeDriver}} {
		l, err := h.LinkByName(ctx, c.dev)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.LinkSet(ctx, rtm.LinkSpec{Index: l.Index(), XDP: &rtm.XDP{Fd: fd, Mode: c.mode}}); err != nil {
			t.Fatalf("attach %v to %s: %v", c.mode, c.dev, err)
		}
	}
	nstest.WantIP(t, ns, []string{"xdpgeneric", "prog/xdp id", "name ipr_pass tag"}, "-d", "link", "show") // ip shows the programs
	for _, cmd := range []string{"link show", "-d link show", "-j link show", "-j -d link show dev x0", "-d -o link show dev x2",
		"addr show", "-d addr show dev x0", "-j addr show dev x2"} {
		sameAsIP(t, ns, nil, strings.Fields(cmd)...)
	}
}
