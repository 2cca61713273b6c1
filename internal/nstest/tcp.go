package nstest

import (
	"context"
	"io"
	"net"
	"strconv"
	"testing"

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
// and closes it: a's TCP metrics cache then has an entry for addr's host.
// It fails t if any step fails.
func TCPExchange(t testing.TB, ctx context.Context, a, b *NS, addr string, size int) {
	t.Helper()
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
		defer c.Close()
		if _, err := c.Write(make([]byte, size)); err != nil {
			done <- err
			return
		}
		_, err = c.Read(make([]byte, 1))
		done <- err
	}()
	err := netns.Do(a.Handle, func() error {
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
}
