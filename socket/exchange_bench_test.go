package socket_test

import (
	"context"
	"testing"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// BenchmarkQueryLink gets the loopback link with one Query: the cost of a
// small exchange (taking the socket, arming the context, one send, one
// receive), which the per-request guards must not make dearer.
func BenchmarkQueryLink(b *testing.B) {
	c, _ := benchConn(b)
	var req wire.Builder
	req.Begin(unix.RTM_GETLINK, 0)
	req.Fixed(unix.SizeofIfInfomsg)[4] = 1 // ifi_index = 1 (lo)
	req.Uint32(unix.IFLA_EXT_MASK, 0)
	req.End()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.Query(ctx, req.Bytes(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecuteNoop sends an acknowledged NLMSG_NOOP with a deadline
// context: the smallest Execute, with the context armed on the socket.
func BenchmarkExecuteNoop(b *testing.B) {
	c, _ := benchConn(b)
	var req wire.Builder
	req.Begin(unix.NLMSG_NOOP, 0)
	req.End()
	ctx, cancel := context.WithTimeout(context.Background(), 1<<40)
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.Execute(ctx, req.Bytes(), nil); err != nil {
			b.Fatal(err)
		}
	}
}
