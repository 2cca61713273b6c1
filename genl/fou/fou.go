package fou

import (
	"context"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Spec describes a receive port: what [Add] opens, and what [Delete] and
// [Get] look for. Ports are in host byte order (the package sends them
// in network byte order, as the kernel wants them).
type Spec struct {
	// Port is the UDP port (not 0).
	Port uint16
	// Family is the port's address family, unix.AF_INET (the default,
	// for 0) or unix.AF_INET6.
	Family uint8
	// Encap is the encapsulation: EncapDirect (the default, for 0) or
	// EncapGUE.
	Encap Encap
	// IPProto, if not nil, is the IP protocol of direct encapsulation
	// (4 for IPIP, 41 for IPv6, 47 for GRE...): [Add] needs it for a
	// direct port, and a GUE port has none.
	IPProto *uint8
	// Local, if valid, is the local address the port is bound to, of
	// Family.
	Local netip.Addr
	// Peer, if valid, is the remote address the port is connected to,
	// of Family, with PeerPort: neither goes without the other.
	Peer netip.Addr
	// PeerPort is the remote port (not 0 when Peer is set).
	PeerPort uint16
	// Ifindex, if not 0, is the device the port is bound to.
	Ifindex int32
}

// family is s's address family, AF_INET for 0.
func (s *Spec) family() uint8 {
	if s.Family == 0 {
		return unix.AF_INET
	}
	return s.Family
}

// check validates s; adding also checks that a direct port has a
// protocol, as ip and the kernel want for FOU_CMD_ADD.
func (s *Spec) check(adding bool) error {
	fam := s.family()
	switch {
	case s.Port == 0:
		return fmt.Errorf("fou: %w: port 0", ErrInvalid)
	case fam != unix.AF_INET && fam != unix.AF_INET6:
		return fmt.Errorf("fou: %w: address family %d", ErrInvalid, fam)
	case s.Encap != 0 && s.Encap != EncapDirect && s.Encap != EncapGUE:
		return fmt.Errorf("fou: %w: encapsulation %d", ErrInvalid, s.Encap)
	case s.Encap == EncapGUE && s.IPProto != nil:
		return fmt.Errorf("fou: %w: a GUE port with an IP protocol", ErrInvalid)
	case adding && s.Encap != EncapGUE && s.IPProto == nil:
		return fmt.Errorf("fou: %w: a direct port without an IP protocol", ErrInvalid)
	case s.Peer.IsValid() != (s.PeerPort != 0):
		return fmt.Errorf("fou: %w: a peer address goes with a peer port", ErrInvalid)
	case s.Ifindex < 0:
		return fmt.Errorf("fou: %w: device index %d", ErrInvalid, s.Ifindex)
	}
	for _, a := range []netip.Addr{s.Local, s.Peer} {
		if a.IsValid() && (a.Zone() != "" || a.Is4() != (fam == unix.AF_INET)) {
			return fmt.Errorf("fou: %w: address %s is not of family %d", ErrInvalid, a, fam)
		}
	}
	return nil
}

// request is the request of command cmd for s, with ip's attribute
// order: port, type, family, protocol, local, peer, peer port, device.
func (s Spec) request(cmd uint8, adding bool) (genl.Request, error) {
	if err := s.check(adding); err != nil {
		return genl.Request{}, err
	}
	var proto uint8
	if s.IPProto != nil {
		proto = *s.IPProto
	}
	hasProto, fam, encap := s.IPProto != nil, s.family(), s.Encap
	if encap == 0 {
		encap = EncapDirect
	}
	local, peer := AttrLocalV4, AttrPeerV4
	if fam == unix.AF_INET6 {
		local, peer = AttrLocalV6, AttrPeerV6
	}
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		e.Uint16BE(AttrPort, s.Port)
		e.Uint8(AttrType, uint8(encap))
		e.Uint8(AttrAF, fam)
		if hasProto {
			e.Uint8(AttrIPProto, proto)
		}
		if s.Local.IsValid() {
			e.Addr(uint16(local), s.Local)
		}
		if s.Peer.IsValid() {
			e.Addr(uint16(peer), s.Peer)
			e.Uint16BE(AttrPeerPort, s.PeerPort)
		}
		if s.Ifindex != 0 {
			e.Int32(AttrIfindex, s.Ifindex)
		}
	}}, nil
}

// Add is the request that opens the receive port s (EEXIST when it is
// open).
func Add(s Spec) (genl.Request, error) { return s.request(CmdAdd, true) }

// Delete is the request that closes the receive port s (ENOENT when no
// open port matches it): its port, family and addresses pick it.
func Delete(s Spec) (genl.Request, error) { return s.request(CmdDel, false) }

// Get reads the receive port s (FOU_CMD_GET), ENOENT when none matches.
// The view is detached: it may be kept.
func Get(ctx context.Context, h *genl.Handle, s Spec) (Mapping, error) {
	req, err := s.request(CmdGet, false)
	if err != nil {
		return Mapping{}, err
	}
	return genl.QueryFamily(ctx, h, FamilyName, req, ParseMapping)
}

// Mappings lists the receive ports (a dump of FOU_CMD_GET). Each view is
// valid until the next iteration; iterating allocates nothing per port.
func Mappings(ctx context.Context, h *genl.Handle) iter.Seq2[Mapping, error] {
	return genl.DumpFamily(ctx, h, FamilyName, genl.Request{Command: CmdGet}, ParseMapping)
}

// Family resolves the fou family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, FamilyName)
}

// Do resolves the fou family and sends reqs, one by one when there is
// one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}
