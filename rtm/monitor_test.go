package rtm_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

func TestMonitorSeesChanges(t *testing.T) {
	h, ns := handle(t)
	m := monitor(t, h, nil)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
	nstest.IP(t, ns, "link", "set", "br0", "up")
	nstest.IP(t, ns, "route", "add", "203.0.113.0/24", "via", "192.0.2.254", "table", "500")
	nstest.IP(t, ns, "route", "del", "203.0.113.0/24", "via", "192.0.2.254", "table", "500")
	nstest.IP(t, ns, "link", "del", "br0")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []string
	// Deleting a link removes its addresses first, each with its own
	// RTM_DELADDR; link-local IPv6 addresses come and go with the link and
	// are left out.
	want := []string{"+link br0", "+addr 192.0.2.1/24", "+route 203.0.113.0/24 table 500",
		"-route 203.0.113.0/24 table 500", "-addr 192.0.2.1/24", "-link br0"}
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		sign := "-"
		if ev.IsNew() {
			sign = "+"
		}
		var s string
		if l, ok := ev.Link(); ok {
			s = sign + "link " + l.Name()
		} else if a, ok := ev.Addr(); ok && !a.IP().IsLinkLocalUnicast() {
			s = sign + "addr " + a.Prefix().String()
		} else if r, ok := ev.Route(); ok && r.Table() == 500 {
			s = fmt.Sprintf("%sroute %v table %d", sign, r.Dst(), r.Table())
		}
		if s != "" && (len(got) == 0 || got[len(got)-1] != s) {
			got = append(got, s)
		}
		if s == "-link br0" {
			break
		}
	}
	// Links report several changes (up, carrier); keep the first of each.
	var firsts []string
	seen := map[string]bool{}
	for _, s := range got {
		if !seen[s] {
			seen[s] = true
			firsts = append(firsts, s)
		}
	}
	if fmt.Sprint(firsts) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v", firsts, want)
	}
}

func TestMonitorOverrunIsAnEvent(t *testing.T) {
	h, ns := handle(t)
	m := monitor(t, h, []rtm.Group{rtm.GroupIPv4Route}, rtm.WithMonitorBuffer(4096))
	nstest.IP(t, ns, "link", "add", "br0", "up", "type", "bridge")
	br, _ := h.LinkByName(ctx, "br0")
	bt := h.NewBatch()
	for i := 0; i < 2000; i++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)
		bt.RouteAdd(rtm.RouteSpec{Dst: p, OutIndex: br.Index(), Table: 100})
	}
	if _, err := bt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	overruns, after := 0, 0
	for ev, err := range m.Events(tctx) {
		if err != nil {
			t.Fatalf("stream ended: %v (overruns %d)", err, overruns)
		}
		if ev.Overrun {
			overruns++
			// The stream goes on: drain, then one more change arrives.
			go func() {
				time.Sleep(200 * time.Millisecond)
				h.RouteAdd(ctx, rtm.RouteSpec{Dst: netip.MustParsePrefix("172.16.0.0/12"), OutIndex: br.Index(), Table: 100})
			}()
			continue
		}
		if r, ok := ev.Route(); ok && r.Dst() == netip.MustParsePrefix("172.16.0.0/12") {
			after++
			break
		}
	}
	if overruns == 0 || after != 1 || m.Stats().Overruns == 0 {
		t.Fatalf("overruns %d, events after %d", overruns, after)
	}
}

func TestMonitorAllNamespaces(t *testing.T) {
	h, ns := handle(t)
	other := nstest.New(t)
	// Give the other namespace an id in ours, as "ip netns set" does.
	nstest.IP(t, ns, "netns", "set", other.Name, "7")
	m := monitor(t, h, []rtm.Group{rtm.GroupLink}, rtm.WithAllNamespaces())
	nstest.IP(t, other, "link", "add", "far0", "type", "bridge")
	nstest.IP(t, ns, "link", "add", "near0", "type", "bridge")
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	found := map[string]int32{}
	for ev, err := range m.Events(tctx) {
		if err != nil {
			t.Fatal(err)
		}
		if l, ok := ev.Link(); ok {
			if _, dup := found[l.Name()]; !dup {
				found[l.Name()] = ev.NSID
			}
		}
		if len(found) == 2 {
			break
		}
	}
	if found["far0"] != 7 || found["near0"] != -1 {
		t.Fatalf("nsids %v", found)
	}
}

func TestMonitorCloseEndsIteration(t *testing.T) {
	h, _ := handle(t)
	m, err := h.Monitor(nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for _, err := range m.Events(context.Background()) {
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	time.Sleep(20 * time.Millisecond)
	m.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the iteration")
	}
}

func TestMonitorAllocsPerEvent(t *testing.T) {
	h, ns := handle(t)
	m := monitor(t, h, []rtm.Group{rtm.GroupIPv4Route})
	nstest.IP(t, ns, "link", "add", "br0", "up", "type", "bridge")
	br, _ := h.LinkByName(ctx, "br0")
	run := func(n, base int) uint64 {
		bt := h.NewBatch()
		for i := 0; i < n; i++ {
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(base), byte(i), 0}), 24)
			bt.RouteAdd(rtm.RouteSpec{Dst: p, OutIndex: br.Index(), Table: 100})
		}
		if _, err := bt.Run(ctx); err != nil {
			t.Fatal(err)
		}
		tctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		seen := 0
		for ev, err := range m.Events(tctx) {
			if err != nil {
				t.Fatalf("after %d of %d events: %v", seen, n, err)
			}
			if r, ok := ev.Route(); ok && r.Table() == 100 && r.DstAddr().IsValid() {
				seen++
			}
			if seen == n {
				break
			}
		}
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs
	}
	small, large := run(1, 1), run(200, 2)
	// Slack for sync.Pool, which drops items at random under the race detector.
	if large > small+10 {
		t.Fatalf("1 event: %d allocations, 200 events: %d", small, large)
	}
}

func TestMonitorSyncIsABarrier(t *testing.T) {
	h, _ := handle(t)
	m := monitor(t, h, []rtm.Group{rtm.GroupLink, rtm.GroupIPv4Route})
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for round := 0; round < 3; round++ {
		name := fmt.Sprintf("sync%d", round)
		if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: name, Kind: &rtm.Bridge{}}); err != nil {
			t.Fatal(err)
		}
		id, err := m.Sync()
		if err != nil || id == 0 {
			t.Fatalf("sync: %d %v", id, err)
		}
		sawLink := false
		for ev, err := range m.Events(tctx) {
			if err != nil {
				t.Fatal(err)
			}
			if l, ok := ev.Link(); ok && l.NameIs(name) {
				sawLink = true
			}
			if ev.Sync != 0 {
				if ev.Sync != id || !sawLink {
					t.Fatalf("barrier %d (want %d) arrived, link event seen before it: %v", ev.Sync, id, sawLink)
				}
				break
			}
		}
	}
}

func TestBatchEcho(t *testing.T) {
	h, ns := handle(t)
	bt := h.NewBatch()
	for i := 0; i < 20; i++ {
		if err := bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("e%d", i), Kind: &rtm.Bridge{}}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int32{}
	results, err := bt.RunEcho(ctx, func(i int, m wire.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK {
			return nil
		}
		l, err := rtm.LinkFromBytes(m.Data)
		if err != nil {
			return err
		}
		if want := fmt.Sprintf("e%d", i); !l.NameIs(want) {
			return fmt.Errorf("echo for request %d names %s", i, l.Name())
		}
		got[l.Name()] = l.Index()
		return nil
	})
	if err != nil {
		t.Fatal(err, results)
	}
	var links []struct {
		Index int32  `json:"ifindex"`
		Name  string `json:"ifname"`
	}
	nstest.IPJSON(t, ns, &links, "link", "show", "type", "bridge")
	if len(links) != 20 || len(got) != 20 {
		t.Fatalf("ip shows %d bridges, echoes %d", len(links), len(got))
	}
	for _, l := range links {
		if got[l.Name] != l.Index {
			t.Errorf("%s: echo says index %d, ip %d", l.Name, got[l.Name], l.Index)
		}
	}
}
