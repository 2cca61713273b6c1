package nstest

import (
	"context"
	"net"
	"net/netip"
)

// MPTCPExchange opens an MPTCP connection over 127.0.0.1 in the calling
// thread's namespace (run it inside netns.Do), moves a byte each way, so
// that the connection is fully established, and closes it, the client's
// end first. It returns the client's and the server's addresses; the
// error says why there was no connection (a kernel without MPTCP, or lo
// down).
func MPTCPExchange(ctx context.Context) (client, server netip.AddrPort, err error) {
	var lc net.ListenConfig
	lc.SetMultipathTCP(true)
	l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return client, server, err
	}
	defer l.Close()
	var d net.Dialer
	d.SetMultipathTCP(true)
	c, err := d.DialContext(ctx, "tcp", l.Addr().String())
	if err != nil {
		return client, server, err
	}
	defer c.Close()
	s, err := l.Accept()
	if err != nil {
		return client, server, err
	}
	defer s.Close()
	buf := make([]byte, 1)
	for _, step := range [...]func([]byte) (int, error){c.Write, s.Read, s.Write, c.Read} {
		if _, err := step(buf); err != nil {
			return client, server, err
		}
	}
	client = c.LocalAddr().(*net.TCPAddr).AddrPort()
	server = c.RemoteAddr().(*net.TCPAddr).AddrPort()
	c.Close()
	s.Close()
	return client, server, nil
}
