package main

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
)

// TestXfrmMonitorParity runs ip's and ipr's monitors side by side while
// ip changes policies and SAs, and compares what they print.
func TestXfrmMonitorParity(t *testing.T) {
	ns := nstest.New(t)
	nstest.Require(t, "xfrm")
	// A packet out of v0 to 10.9.9.7 wants an SA: the kernel's acquire.
	ipCommands(t, ns, "link add v0 type veth peer name v1", "link set v0 up", "link set v1 up", "addr add 10.9.9.1/24 dev v0",
		"xfrm policy add src 10.9.9.1/32 dst 10.9.9.7/32 dir out tmpl src 10.9.9.1 dst 10.9.9.7 proto esp mode transport")
	port := 9
	for _, args := range []string{"xfrm monitor", "-o xfrm monitor policy", "xfrm monitor SA nokeys", "-s xfrm monitor all"} {
		ipOut, iprOut := startMonitors(t, append([]string{"ip", "-n", ns.Name}, strings.Fields(args)...),
			append([]string{"-n", ns.Name}, strings.Fields(args)...))
		ipCommands(t, ns,
			"xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 5 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel",
			"xfrm policy update src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 6",
			"xfrm policy delete src 10.1.0.0/16 dst 10.2.0.0/16 dir out",
			"xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 0x500 max 0x500",
			"xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x500",
			"xfrm state allocspi src 10.0.0.1 dst 10.0.0.3 proto ah",
			"xfrm state flush",
			"xfrm policy add dst 10.3.0.0/16 dir in ptype sub mark 7",
			"xfrm policy flush ptype sub",
			"xfrm policy setdefault out block",
			"xfrm policy setdefault out accept",
		)
		// Each run its own port: a new acquire, not the larval SA's.
		port++
		err := netns.Do(ns.Handle, func() error {
			c, err := net.Dial("udp", "10.9.9.7:"+strconv.Itoa(port))
			if err == nil {
				c.Write([]byte("x")) // refused: no SA yet
				c.Close()
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The last event each option set prints: the acquire, the
		// default policy set back to accept, or the SAs' flush.
		last := "Flushed state"
		switch {
		case args == "xfrm monitor" || strings.Contains(args, " all"):
			last = "acquire "
		case strings.Contains(args, "policy"):
			last = "out: accept"
		}
		got, want := awaitSame(iprOut.String, ipOut.String, func(s string) bool { return strings.Contains(s, last) })
		if !strings.Contains(want, "Flushed ") || !strings.Contains(want, last) {
			t.Errorf("%s: ip printed no flush, or not %q:\n%s", args, last, want)
		}
		if got != want {
			t.Errorf("%s: ipr:\n%s\nip:\n%s", args, got, want)
		}
	}
}

// TestXfrmMonitorAllNSID runs "ip xfrm monitor all-nsid" and ipr's side
// by side in one namespace while policies change there and in a peer
// namespace that has an id in it, and compares what they print.
func TestXfrmMonitorAllNSID(t *testing.T) {
	ns, peer := nstest.New(t), nstest.New(t)
	nstest.Require(t, "xfrm")
	ipCommands(t, ns, "netns set "+peer.Name+" 5")
	for _, args := range []string{"xfrm monitor all-nsid", "-o xfrm monitor all-nsid policy"} {
		ipOut, iprOut := startMonitors(t, append([]string{"ip", "-n", ns.Name}, strings.Fields(args)...),
			append([]string{"-n", ns.Name}, strings.Fields(args)...))
		ipCommands(t, peer, "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 5",
			"xfrm policy delete src 10.1.0.0/16 dst 10.2.0.0/16 dir out")
		ipCommands(t, ns, "xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir in", "xfrm policy flush")
		got, want := awaitSame(iprOut.String, ipOut.String, func(s string) bool {
			return strings.Contains(s, "[nsid 5]") && strings.Contains(s, "[nsid current]Flushed")
		})
		if got != want || !strings.Contains(want, "[nsid 5]") {
			t.Errorf("ipr %s differs from ip:\nipr:\n%s\nip:\n%s", args, got, want)
		}
	}
}
