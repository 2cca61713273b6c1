package main

import (
	"bytes"
	"context"
	"net"
	"os/exec"
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
		ip := exec.Command("ip", append([]string{"-n", ns.Name}, strings.Fields(args)...)...)
		var ipOut bytes.Buffer
		ip.Stdout = &ipOut
		if err := ip.Start(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var out, errs bytes.Buffer
		done := make(chan int)
		go func() {
			done <- runContext(ctx, append([]string{"-n", ns.Name}, strings.Fields(args)...), strings.NewReader(""), &out, &errs)
		}()
		settle() // both subscribed
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
		settle() // both have read everything
		cancel()
		code := <-done
		ip.Process.Kill()
		ip.Wait()
		if !strings.Contains(ipOut.String(), "Flushed ") || strings.Contains(args, "all") && !strings.Contains(ipOut.String(), "acquire ") {
			t.Errorf("%s: ip printed no flush:\n%s", args, ipOut.String())
		}
		if out.String() != ipOut.String() || code != 0 || errs.Len() != 0 {
			t.Errorf("%s: ipr (exit %d):\n%s%s\nip:\n%s", args, code, out.String(), errs.String(), ipOut.String())
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
