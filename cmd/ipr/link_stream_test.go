package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestLinkShowStreamOrder checks the streamed link listing (link show
// without -d and -s) where the names a line prints come later in the
// dump than the line, or never: a port whose bridge was made after it, a
// veth whose peer comes next, a vxlan over an earlier link, a veth whose
// peer lives in another namespace, and listings the kernel filters (by
// master, by kind), whose lines name links the dump leaves out. Each
// listing must equal ip's, in the kernel's order. (That a held line waits
// for its names instead of asking the kernel for each is checked by the
// replays, TestReplayShow: a request the recording lacks fails them.)
func TestLinkShowStreamOrder(t *testing.T) {
	ns := nstest.New(t)
	other := nstest.New(t)
	ipCommands(t, ns,
		"link set lo up",
		"link add p0 type veth peer name p1",
		"link add q0 type veth peer name q1",
		"needs link:bridge: link add br0 type bridge",
		"needs link:bridge: link set p0 master br0",
		"needs link:bridge: link set q1 master br0",
		"needs link:bridge: link set br0 up",
		"link set p0 up",
		"needs link:vxlan: link add vx0 type vxlan id 42 dev p1 dstport 4789",
		"link add x0 type veth peer name x1 netns "+other.Name,
	)
	sameBytesAsIP(t, ns, nil,
		"link show",
		"-j link show",
		"-br link show",
		"-o link show",
		"link show master br0",
		"-j link show master br0",
		"link show type veth",
		"link show up",
		"-j link show up",
	)
}

// TestStreamLinksHostile runs the streamed listing, on two goroutines and
// on one, where it can go wrong: a panic in the printing must reach the
// caller's goroutine (as it would in a plain loop), a dump cancelled midway must
// end with the context's error, and neither may leave a goroutine behind
// or hang.
func TestStreamLinksHostile(t *testing.T) {
	ns := nstest.New(t)
	// Enough links for several chunks, so that the dump is still running
	// when the printing panics.
	var batch strings.Builder
	for i := range 300 {
		fmt.Fprintf(&batch, "link add sa%d type veth peer name sb%d\n", i, i)
	}
	nstest.Run(t, ns, "sh", "-c", "ip -n "+ns.Name+" -batch - <<'EOF'\n"+batch.String()+"EOF")
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	before := runtime.NumGoroutine()
	for _, overlap := range []bool{true, false} {
		t.Run(map[bool]string{true: "two goroutines", false: "one"}[overlap], func(t *testing.T) {
			defer func(old func() bool) { overlapPrinting = old }(overlapPrinting)
			overlapPrinting = func() bool { return overlap }
			streamLinksHostile(t, h)
		})
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the listings, %d before", n, before)
	}
}

// streamLinksHostile is TestStreamLinksHostile's cases, with h on a
// namespace of 601 links.
func streamLinksHostile(t *testing.T, h *rtm.Handle) {
	t.Run("panic in printing", func(t *testing.T) {
		var idx nla.Index
		got := func() (r any) {
			defer func() { r = recover() }()
			n := 0
			streamLinks(context.Background(), h, &showFilter{family: unix.AF_PACKET}, &idx, nil, func(rtm.Link, *linkNames) {
				if n++; n == 10 {
					panic("printer bug")
				}
			})
			return nil
		}()
		if got != "printer bug" {
			t.Fatalf("recovered %v, want the printing goroutine's panic", got)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		var idx nla.Index
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := streamLinks(ctx, h, &showFilter{family: unix.AF_PACKET}, &idx, nil, func(rtm.Link, *linkNames) {
			if n++; n == 1 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
	})
	t.Run("all printed in order", func(t *testing.T) {
		var idx nla.Index
		var last int32
		n := 0
		err := streamLinks(context.Background(), h, &showFilter{family: unix.AF_PACKET}, &idx, nil, func(l rtm.Link, _ *linkNames) {
			n++
			if l.Index() <= last {
				t.Errorf("link %d after %d", l.Index(), last)
			}
			last = l.Index()
		})
		if err != nil || n != 1+600 {
			t.Fatalf("printed %d links (err %v), want 601", n, err)
		}
	})
}
