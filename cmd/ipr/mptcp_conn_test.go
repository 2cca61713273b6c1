package main

import (
	"context"
	"net"
)

// mptcpConnection opens an MPTCP connection over 127.0.0.1 in the
// calling thread's namespace, moves a byte each way and closes it.
func mptcpConnection(ctx context.Context) error {
	var lc net.ListenConfig
	lc.SetMultipathTCP(true)
	l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	var d net.Dialer
	d.SetMultipathTCP(true)
	c, err := d.DialContext(ctx, "tcp", l.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := l.Accept()
	if err != nil {
		return err
	}
	defer s.Close()
	buf := make([]byte, 1)
	if _, err := c.Write(buf); err != nil {
		return err
	}
	if _, err := s.Read(buf); err != nil {
		return err
	}
	if _, err := s.Write(buf); err != nil {
		return err
	}
	_, err = c.Read(buf)
	return err
}
