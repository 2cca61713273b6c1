package nstest

import (
	"context"
	"io"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/ipr-go/ipr/netns"
)

// Joined makes two throwaway namespaces joined by a veth pair, tm0 in a
// and tm1 in b, both up, with 10.N.0.1/24 and fdN::1/64 on tm0 and
// 10.N.0.2/24 and fdN::2/64 on tm1, N being net in decimal (78: 10.78.0.1
// and fd78::1).
func Joined(t testing.TB, net int) (a, b *NS) {
	t.Helper()
	n := strconv.Itoa(net)
	a, b = New(t), New(t)
	IP(t, a, "link", "add", "tm0", "type", "veth", "peer", "name", "tm1", "netns", b.Name)
	for _, s := range []struct {
		ns       *NS
		dev, num string
	}{{a, "tm0", "1"}, {b, "tm1", "2"}} {
		IP(t, s.ns, "addr", "add", "10."+n+".0."+s.num+"/24", "dev", s.dev)
		IP(t, s.ns, "addr", "add", "fd"+n+"::"+s.num+"/64", "dev", s.dev, "nodad")
		IP(t, s.ns, "link", "set", s.dev, "up")
	}
	return a, b
}

// TCPExchange opens a TCP connection from namespace a to addr, which it
// listens on in namespace b, moves size bytes from b to a and one back,
// closes it, and waits (within ctx) until a's TCP metrics cache has an
// entry for addr's host: the kernel stores it when a's side of the
// connection reaches TIME_WAIT, after both ends have closed, so the entry
// comes some time after the closing calls return. It fails t if any step
// fails.
func TCPExchange(t testing.TB, ctx context.Context, a, b *NS, addr string, size int) {
	t.Helper()
	host, err := netip.ParseAddrPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var l net.Listener
	if err := netns.Do(b.Handle, func() (err error) { l, err = net.Listen("tcp", addr); return err }); err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- err
			return
		}
		if _, err = c.Write(make([]byte, size)); err == nil {
			_, err = c.Read(make([]byte, 1))
		}
		c.Close()
		done <- err
	}()
	err = netns.Do(a.Handle, func() error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close()
		if _, err := io.ReadFull(c, make([]byte, size)); err != nil {
			return err
		}
		_, err = c.Write([]byte{1})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for !hasTCPMetrics(t, a, host.Addr()) {
		select {
		case <-ctx.Done():
			t.Fatalf("no TCP metrics entry for %s in %s after the connection closed: %v", host.Addr(), a.Name, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// hasTCPMetrics reports whether ns's TCP metrics cache, as ip lists it,
// has an entry for dst.
func hasTCPMetrics(t testing.TB, ns *NS, dst netip.Addr) bool {
	t.Helper()
	var entries []struct {
		Dst string `json:"dst"`
	}
	IPJSON(t, ns, &entries, "tcp_metrics", "show")
	for _, e := range entries {
		if d, err := netip.ParseAddr(e.Dst); err == nil && d == dst {
			return true
		}
	}
	return false
}
