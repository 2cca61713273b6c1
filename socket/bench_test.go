package socket_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The dump benchmarks measure the socket alone: a dump request, the
// datagrams the kernel sends, and their framing into messages, read into
// the Conn's reused buffer. Bytes per second are the message bytes
// delivered; the per-object cost is reported as ns/link or ns/route.

// ipBatch runs the commands, one per line, with "ip -n NS -batch": the
// set-up of a benchmark, not what it measures.
func ipBatch(b testing.TB, ns *nstest.NS, lines []string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "batch")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	nstest.IP(b, ns, "-batch", path)
}

func benchConn(b *testing.B) (*socket.Conn, *nstest.NS) {
	b.Helper()
	ns := nstest.New(b)
	c, err := socket.Dial(unix.NETLINK_ROUTE, &socket.Config{Netns: ns.Handle, StrictCheck: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c, ns
}

// benchDump dumps with req b.N times and checks that each dump holds want
// messages of type typ.
func benchDump(b *testing.B, c *socket.Conn, req []byte, typ uint16, want int, unit string) {
	b.Helper()
	ctx := context.Background()
	var total int64
	count := func() int {
		n := 0
		total = 0
		for m, err := range c.Dump(ctx, req) {
			if err != nil {
				b.Fatal(err)
			}
			if m.Header.Type == typ {
				n++
			}
			total += int64(m.Header.Len)
		}
		return n
	}
	if n := count(); n != want {
		b.Fatalf("dump holds %d messages of type %d, want %d", n, typ, want)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		count()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(want), "ns/"+unit)
}

// BenchmarkDumpLinks dumps a namespace of 1000 links (500 veth pairs, and
// lo).
func BenchmarkDumpLinks(b *testing.B) {
	c, ns := benchConn(b)
	const pairs = 500
	lines := make([]string, 0, pairs)
	for i := 0; i < pairs; i++ {
		lines = append(lines, fmt.Sprintf("link add va%d type veth peer name vb%d", i, i))
	}
	ipBatch(b, ns, lines)
	benchDump(b, c, rawnl.LinkDump(), unix.RTM_NEWLINK, 2*pairs+1, "link")
}

// BenchmarkDumpRoutes dumps the main IPv4 table of a namespace holding
// 10000 routes through a gateway.
func BenchmarkDumpRoutes(b *testing.B) {
	c, ns := benchConn(b)
	const routes = 10000
	lines := []string{
		"link add veth0 type veth peer name veth1",
		"link set veth0 up",
		"link set veth1 up",
		"addr add 192.0.2.1/24 dev veth0",
	}
	for i := 0; i < routes; i++ {
		lines = append(lines, fmt.Sprintf("route add 10.%d.%d.0/24 via 192.0.2.2 dev veth0", i>>8, i&0xff))
	}
	ipBatch(b, ns, lines)
	var req wire.Builder
	req.Begin(unix.RTM_GETROUTE, unix.NLM_F_DUMP)
	rt := req.Fixed(unix.SizeofRtMsg)
	rt[0], rt[4] = unix.AF_INET, unix.RT_TABLE_MAIN
	req.Uint32(unix.RTA_TABLE, unix.RT_TABLE_MAIN)
	req.End()
	// The main table also holds the prefix route of 192.0.2.1/24.
	benchDump(b, c, req.Bytes(), unix.RTM_NEWROUTE, routes+1, "route")
}

// BenchmarkWatchCycle is what a dump that watches notifications adds
// when the kernel sent it in one datagram: joining a group before the
// request, leaving it after, and emptying the queue without waiting.
func BenchmarkWatchCycle(b *testing.B) {
	c, _ := benchConn(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.JoinGroup(unix.RTNLGRP_IPV4_IFADDR); err != nil {
			b.Fatal(err)
		}
		if err := c.LeaveGroup(unix.RTNLGRP_IPV4_IFADDR); err != nil {
			b.Fatal(err)
		}
		if _, ok, err := c.TryRecv(ctx); ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
