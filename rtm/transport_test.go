package rtm_test

import (
	"errors"
	"testing"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

func TestWithTransport(t *testing.T) {
	if _, err := rtm.Dial(rtm.WithTransport(nil)); err == nil {
		t.Error("WithTransport(nil) accepted")
	}
	// Dial's first socket comes from the dialer, and its error surfaces.
	refuse := errors.New("no transport today")
	if _, err := rtm.Dial(rtm.WithTransport(func(int, *socket.Config) (socket.Transport, error) { return nil, refuse })); !errors.Is(err, refuse) {
		t.Errorf("a failing dialer: %v, want its error", err)
	}
	// The dialer gets the handle's options, and monitors' groups.
	var cfgs []socket.Config
	fake := nltest.NewRTNL()
	h, err := rtm.Dial(rtm.WithoutStrictCheck(), rtm.WithTransport(func(p int, cfg *socket.Config) (socket.Transport, error) {
		if p != unix.NETLINK_ROUTE {
			t.Errorf("dialed protocol %d", p)
		}
		cfgs = append(cfgs, *cfg)
		return fake.Dial(p, cfg)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	m, err := h.Monitor([]rtm.Group{rtm.GroupLink})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if len(cfgs) != 2 || cfgs[0].StrictCheck || !cfgs[0].ExtAck || cfgs[0].FixedLen == nil ||
		len(cfgs[1].Groups) != 1 || cfgs[1].Groups[0] != unix.RTNLGRP_LINK {
		t.Errorf("dialer configurations %+v; want the handle's, then the monitor's with RTNLGRP_LINK", cfgs)
	}
}
