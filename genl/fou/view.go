package fou

import (
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Mapping is a view of one receive port (a FOU_CMD_GET reply). It
// aliases the message it came from: in [Mappings], valid until the next
// iteration ([Mapping.Clone] detaches it).
type Mapping struct {
	attrs nla.Chain
}

// ParseMapping returns the view of m, a FOU_CMD_GET reply.
func ParseMapping(m genl.Message) (Mapping, error) {
	if err := m.Attrs.Err(); err != nil {
		return Mapping{}, fmt.Errorf("fou: %w", err)
	}
	if _, ok := m.Attrs.Get(AttrPort); !ok {
		return Mapping{}, fmt.Errorf("fou: port without a port number (%d bytes of attributes)", len(m.Attrs))
	}
	return Mapping{attrs: m.Attrs}, nil
}

// Clone returns a copy of p that does not alias the receive buffer.
func (p Mapping) Clone() Mapping { return Mapping{attrs: append(nla.Chain(nil), p.attrs...)} }

// Chain is the port's attributes (FOU_ATTR_*), raw.
func (p Mapping) Chain() nla.Chain { return p.attrs }

// Port is the UDP port, in host byte order.
func (p Mapping) Port() uint16 { return genlview.Attr(p.attrs, AttrPort, nla.Attr.Uint16BE) }

// Family is the port's address family (AF_INET when the kernel leaves
// it out, as ip reads it).
func (p Mapping) Family() uint8 {
	if a, ok := p.attrs.Get(AttrAF); ok {
		if f, err := a.Uint8(); err == nil {
			return f
		}
	}
	return unix.AF_INET
}

// Encap is the port's encapsulation.
func (p Mapping) Encap() Encap { return Encap(genlview.Attr(p.attrs, AttrType, nla.Attr.Uint8)) }

// IPProto is the IP protocol of a direct port, and whether the kernel
// reports one.
func (p Mapping) IPProto() (uint8, bool) {
	a, ok := p.attrs.Get(AttrIPProto)
	if !ok {
		return 0, false
	}
	v, err := a.Uint8()
	return v, err == nil
}

// RemcsumNoPartial says whether remote checksum offload without partial
// checksums is set on the port.
func (p Mapping) RemcsumNoPartial() bool {
	_, ok := p.attrs.Get(AttrRemcsumNoPartial)
	return ok
}

// addr reads the address attribute of p's family, v4 or v6; the kernel
// reports the unspecified address for none, which addr returns as the
// zero Addr.
func (p Mapping) addr(v4, v6 uint16) netip.Addr {
	t := v4
	if p.Family() == unix.AF_INET6 {
		t = v6
	}
	a := genlview.Attr(p.attrs, t, nla.Attr.Addr)
	if a.IsUnspecified() {
		return netip.Addr{}
	}
	return a
}

// Local is the local address the port is bound to, the zero Addr for
// none.
func (p Mapping) Local() netip.Addr { return p.addr(AttrLocalV4, AttrLocalV6) }

// Peer is the remote address the port is connected to, the zero Addr
// for none.
func (p Mapping) Peer() netip.Addr { return p.addr(AttrPeerV4, AttrPeerV6) }

// PeerPort is the remote port, in host byte order (0 for none).
func (p Mapping) PeerPort() uint16 { return genlview.Attr(p.attrs, AttrPeerPort, nla.Attr.Uint16BE) }

// Ifindex is the index of the device the port is bound to (0 for none).
func (p Mapping) Ifindex() int32 { return genlview.Attr(p.attrs, AttrIfindex, nla.Attr.Int32) }
