package seg6

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
)

// TunnelSource is the source address the kernel gives the outer IPv6
// header of the packets its seg6 routes encapsulate (SEG6_CMD_GET_TUNSRC):
// the unspecified address (::) until one is set.
func TunnelSource(ctx context.Context, h *genl.Handle) (netip.Addr, error) {
	return genl.QueryFamily(ctx, h, FamilyName, genl.Request{Command: CmdGetTunSrc}, parseTunSrc)
}

func parseTunSrc(m genl.Message) (netip.Addr, error) {
	a, ok := m.Attrs.Get(AttrDst)
	if !ok {
		return netip.Addr{}, errors.New("seg6: tunnel source reply without an address")
	}
	addr, err := a.Addr()
	if err != nil || !addr.Is6() {
		return netip.Addr{}, fmt.Errorf("seg6: tunnel source of %d bytes", len(a.Data))
	}
	return addr, nil
}

// SetTunnelSource is the request that makes addr, an IPv6 address (the
// unspecified address lets the kernel choose again), the tunnel source.
func SetTunnelSource(addr netip.Addr) (genl.Request, error) {
	if !addr.Is6() || addr.Zone() != "" {
		return genl.Request{}, fmt.Errorf("seg6: %w: tunnel source %q is not an IPv6 address", ErrInvalid, addr)
	}
	return genl.Request{Command: CmdSetTunSrc, Attrs: func(e *nla.Encoder) { e.Addr(AttrDst, addr) }}, nil
}

// Family resolves the SEG6 family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, FamilyName)
}

// Do resolves the SEG6 family and sends reqs, one by one when there is
// one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}
