package socket_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

func TestDumpStatsResumed(t *testing.T) {
	for _, tc := range []struct {
		s      socket.DumpStats
		maxMsg int
		want   bool
	}{
		{socket.DumpStats{Datagrams: 1}, 1024, false},
		{socket.DumpStats{Datagrams: 1}, 1 << 20, false}, // its end came with it
		{socket.DumpStats{Datagrams: 2, Fullest: 200}, 1024, false},
		{socket.DumpStats{Datagrams: 2, Fullest: 2304}, 1024, false},
		{socket.DumpStats{Datagrams: 2, Fullest: 2305}, 1024, true},
		{socket.DumpStats{Datagrams: 3, Fullest: 32000}, 1024, true},
		{socket.DumpStats{Datagrams: 2, Fullest: 200}, 8192, true}, // a message may not have fit
	} {
		if got := tc.s.Resumed(tc.maxMsg); got != tc.want {
			t.Errorf("%+v.Resumed(%d) = %v, want %v", tc.s, tc.maxMsg, got, tc.want)
		}
	}
}

// TestLastDump checks what the kernel does, which DumpStats relies on: a
// small dump comes in one datagram, or in two whose first is far from
// full (the end of an IPv4 address dump comes apart); a large one in
// several full ones.
func TestLastDump(t *testing.T) {
	c, ns := dial(t, socket.Config{StrictCheck: true})
	nstest.IP(t, ns, "link", "set", "lo", "up")
	dump := func() socket.DumpStats {
		t.Helper()
		var b wire.Builder
		b.Begin(unix.RTM_GETADDR, unix.NLM_F_DUMP)
		b.Fixed(unix.SizeofIfAddrmsg)[0] = unix.AF_INET
		b.End()
		n := 0
		for _, err := range c.Dump(context.Background(), b.Bytes()) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		st := c.LastDump()
		t.Logf("%d addresses: %+v", n, st)
		return st
	}
	if st := dump(); st.Datagrams < 1 || st.Datagrams > 2 || st.Resumed(1024) {
		t.Errorf("dump of lo's address: %+v, resumed %v", st, st.Resumed(1024))
	}
	lines := make([]string, 0, 600)
	for i := range 600 {
		lines = append(lines, fmt.Sprintf("addr add 10.7.%d.%d/32 dev lo", i>>8, i&255))
	}
	ipBatch(t, ns, lines)
	if st := dump(); st.Datagrams < 2 || !st.Resumed(1024) {
		t.Errorf("dump of 601 addresses: %+v, resumed %v", st, st.Resumed(1024))
	}
	// A dump left early has no stats.
	var b wire.Builder
	b.Begin(unix.RTM_GETADDR, unix.NLM_F_DUMP)
	b.Fixed(unix.SizeofIfAddrmsg)[0] = unix.AF_INET
	b.End()
	for range c.Dump(context.Background(), b.Bytes()) {
		break
	}
	if st := c.LastDump(); st != (socket.DumpStats{}) {
		t.Errorf("stats of a dump left early: %+v", st)
	}
}
