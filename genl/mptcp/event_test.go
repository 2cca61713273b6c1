package mptcp_test

import (
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
)

// TestMonitor opens an MPTCP connection over the loopback device of a
// throwaway namespace and reads the path manager's events: the
// connection created, established and closed, with its token, addresses
// and ports; Sync marks where the events of the finished connection end.
func TestMonitor(t *testing.T) {
	h, ns := dialNS(t)
	ctx := ctxT(t)
	m, err := mptcp.Monitor(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	nstest.IP(t, ns, "link", "set", "lo", "up")
	var client, server netip.AddrPort
	err = netns.Do(ns.Handle, func() (err error) {
		client, server, err = nstest.MPTCPExchange(ctx)
		return err
	})
	if err != nil {
		// A kernel with the path manager has MPTCP sockets (and Go falls
		// back to TCP where there are none): a failure here is a fault.
		t.Fatalf("no MPTCP connection: %v", err)
	}
	if _, err := m.Sync(); err != nil {
		t.Fatal(err)
	}
	var seen []string
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Overrun {
			t.Fatal("overrun")
		}
		if ev.Sync != 0 {
			break
		}
		e := mptcp.ParseEvent(ev.Message)
		seen = append(seen, e.Name())
		if e.Type == mptcp.MPTCPEventCreated || e.Type == mptcp.MPTCPEventEstablished {
			src, dst := netip.AddrPortFrom(e.Source(), e.SourcePort()), netip.AddrPortFrom(e.Destination(), e.DestinationPort())
			if (src != client || dst != server) && (src != server || dst != client) {
				t.Errorf("%s: %v -> %v, want the connection %v -> %v", e.Name(), src, dst, client, server)
			}
		}
		if e.Type == mptcp.MPTCPEventListenerCreated || e.Type == mptcp.MPTCPEventListenerClosed {
			continue // a listener's events name no connection
		}
		if e.Token() == 0 {
			t.Errorf("%s without a token", e.Name())
		}
	}
	has := func(name string) bool {
		for _, s := range seen {
			if s == name {
				return true
			}
		}
		return false
	}
	if !has("CREATED") || !has("ESTABLISHED") || !has("CLOSED") {
		t.Errorf("events %v, want CREATED, ESTABLISHED and CLOSED", seen)
	}
}
