package macsec

import (
	"context"
	"fmt"
	"iter"
	"math"
	"net"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
)

// SCI is a secure channel identifier: a MAC address and a port, the
// address's 6 bytes then the port's 2, read as a big-endian number (ip
// prints it in hex, "0011223344550001").
type SCI uint64

// MakeSCI returns the SCI of addr, a 6-byte MAC address, and port (not 0),
// as ip makes it from "port PORT address ADDR".
func MakeSCI(addr net.HardwareAddr, port uint16) (SCI, error) {
	if len(addr) != 6 {
		return 0, fmt.Errorf("macsec: %w: SCI of a %d-byte address, want 6", ErrInvalid, len(addr))
	}
	if port == 0 {
		return 0, fmt.Errorf("macsec: %w: SCI of port 0", ErrInvalid)
	}
	var s uint64
	for _, b := range addr {
		s = s<<8 | uint64(b)
	}
	return SCI(s<<16 | uint64(port)), nil
}

// Addr is the SCI's MAC address.
func (s SCI) Addr() net.HardwareAddr {
	a := make(net.HardwareAddr, 6)
	for i := range a {
		a[i] = byte(s >> (56 - 8*i))
	}
	return a
}

// Port is the SCI's port.
func (s SCI) Port() uint16 { return uint16(s) }

// String is the SCI in 16 hex digits, as ip prints it.
func (s SCI) String() string { return fmt.Sprintf("%016x", uint64(s)) }

// SASpec describes a secure association to add or change: its
// association number and the fields to set (a nil or zero field is left
// out of the request, as ip leaves out what it was not given).
type SASpec struct {
	// AN is the association number, 0 to 3.
	AN uint8
	// PN is the next packet number; 0 leaves it (an SA to add needs one).
	// It must fit 32 bits unless XPN is set.
	PN uint64
	// XPN sends PN as an extended (64-bit) packet number, for the XPN
	// cipher suites, with Salt and SSCI, which need it.
	XPN bool
	// Salt, if not nil, is the SA's salt: SaltLen bytes (XPN only).
	Salt []byte
	// SSCI, if not nil, is the short secure channel identifier (XPN only).
	SSCI *uint32
	// KeyID is the key's identifier, sent with Key.
	KeyID [KeyIDLen]byte
	// Key is the key, 16 or 32 bytes (as the device's cipher suite
	// wants): needed to add an SA, refused to change one.
	Key []byte
	// Active, if not nil, turns the SA on or off.
	Active *bool
}

// validate checks s for a request of op ("add", "set").
func (s SASpec) validate(op string) error {
	switch {
	case s.AN > 3:
		return fmt.Errorf("macsec: %w: association number %d, want 0..3", ErrInvalid, s.AN)
	case !s.XPN && s.PN > math.MaxUint32:
		return fmt.Errorf("macsec: %w: packet number %d over 32 bits without XPN", ErrInvalid, s.PN)
	case !s.XPN && (s.Salt != nil || s.SSCI != nil):
		return fmt.Errorf("macsec: %w: salt or SSCI without XPN", ErrInvalid)
	case s.Salt != nil && len(s.Salt) != SaltLen:
		return fmt.Errorf("macsec: %w: salt of %d bytes, want %d", ErrInvalid, len(s.Salt), SaltLen)
	case op == "add" && s.PN == 0:
		return fmt.Errorf("macsec: %w: an SA to add needs a packet number other than 0", ErrInvalid)
	case op == "add" && len(s.Key) != 16 && len(s.Key) != 32:
		return fmt.Errorf("macsec: %w: key of %d bytes, want 16 or 32", ErrInvalid, len(s.Key))
	case op == "set" && s.Key != nil:
		return fmt.Errorf("macsec: %w: the key of an SA cannot change", ErrInvalid)
	}
	return nil
}

// encode appends s's SA_CONFIG nest, in ip's order: AN, the packet
// number (with salt and SSCI if XPN), key id and key, active.
func (s SASpec) encode(e *nla.Encoder) {
	n := e.BeginNest(AttrSAConfig)
	e.Uint8(SAAttrAN, s.AN)
	switch {
	case s.XPN:
		if s.PN != 0 {
			e.Uint64(SAAttrPN, s.PN)
		}
		if s.Salt != nil {
			e.Binary(SAAttrSalt, s.Salt)
		}
		if s.SSCI != nil {
			e.Uint32BE(SAAttrSSCI, *s.SSCI)
		}
	case s.PN != 0:
		e.Uint32(SAAttrPN, uint32(s.PN))
	}
	if s.Key != nil {
		e.Binary(SAAttrKeyID, s.KeyID[:])
		e.Binary(SAAttrKey, s.Key)
	}
	if s.Active != nil {
		e.Uint8(SAAttrActive, b2u(*s.Active))
	}
	e.EndNest(n)
}

// clone returns s with its slices and pointers copied.
func (s SASpec) clone() SASpec {
	if s.Salt != nil {
		s.Salt = append([]byte{}, s.Salt...)
	}
	if s.Key != nil {
		s.Key = append([]byte{}, s.Key...)
	}
	if s.SSCI != nil {
		v := *s.SSCI
		s.SSCI = &v
	}
	if s.Active != nil {
		v := *s.Active
		s.Active = &v
	}
	return s
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// checkIfindex refuses an index no device can have.
func checkIfindex(ifindex int) error {
	if ifindex <= 0 || ifindex > math.MaxInt32 {
		return fmt.Errorf("macsec: %w: interface index %d", ErrInvalid, ifindex)
	}
	return nil
}

// request builds the request cmd to device ifindex: its receive secure
// channel sci (if rx), with active (if not nil), then the SA.
func request(cmd uint8, ifindex int, rx bool, sci SCI, active *bool, sa func(*nla.Encoder)) (genl.Request, error) {
	if err := checkIfindex(ifindex); err != nil {
		return genl.Request{}, err
	}
	if active != nil {
		v := *active
		active = &v
	}
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		e.Uint32(AttrIfindex, uint32(ifindex))
		if rx {
			n := e.BeginNest(AttrRxSCConfig)
			e.Uint64BE(RxSCAttrSCI, uint64(sci))
			if active != nil {
				e.Uint8(RxSCAttrActive, b2u(*active))
			}
			e.EndNest(n)
		}
		if sa != nil {
			sa(e)
		}
	}}, nil
}

// saRequest validates sa for op and builds the request cmd with it.
func saRequest(cmd uint8, op string, ifindex int, rx bool, sci SCI, sa SASpec) (genl.Request, error) {
	if err := sa.validate(op); err != nil {
		return genl.Request{}, err
	}
	sa = sa.clone()
	return request(cmd, ifindex, rx, sci, nil, sa.encode)
}

// delSA builds the request cmd that deletes SA an.
func delSA(cmd uint8, ifindex int, rx bool, sci SCI, an uint8) (genl.Request, error) {
	if an > 3 {
		return genl.Request{}, fmt.Errorf("macsec: %w: association number %d, want 0..3", ErrInvalid, an)
	}
	return request(cmd, ifindex, rx, sci, nil, func(e *nla.Encoder) {
		n := e.BeginNest(AttrSAConfig)
		e.Uint8(SAAttrAN, an)
		e.EndNest(n)
	})
}

// AddTxSA is the request that adds the transmit SA sa to the device
// ifindex (`ip macsec add DEV tx sa AN pn PN key ID KEY`). It needs a
// packet number and a key.
func AddTxSA(ifindex int, sa SASpec) (genl.Request, error) {
	return saRequest(CmdAddTxSA, "add", ifindex, false, 0, sa)
}

// UpdateTxSA is the request that changes the transmit SA sa.AN of the
// device ifindex: its packet number and whether it is active (not its
// key).
func UpdateTxSA(ifindex int, sa SASpec) (genl.Request, error) {
	return saRequest(CmdUpdTxSA, "set", ifindex, false, 0, sa)
}

// DeleteTxSA is the request that deletes the transmit SA an of the
// device ifindex.
func DeleteTxSA(ifindex int, an uint8) (genl.Request, error) {
	return delSA(CmdDelTxSA, ifindex, false, 0, an)
}

// AddRxSC is the request that adds the receive secure channel sci to the
// device ifindex, active or not as active says (nil: the kernel's
// default, active).
func AddRxSC(ifindex int, sci SCI, active *bool) (genl.Request, error) {
	return request(CmdAddRxSC, ifindex, true, sci, active, nil)
}

// UpdateRxSC is the request that turns the receive secure channel sci of
// the device ifindex on or off (nil sends neither).
func UpdateRxSC(ifindex int, sci SCI, active *bool) (genl.Request, error) {
	return request(CmdUpdRxSC, ifindex, true, sci, active, nil)
}

// DeleteRxSC is the request that deletes the receive secure channel sci
// of the device ifindex, with its SAs.
func DeleteRxSC(ifindex int, sci SCI) (genl.Request, error) {
	return request(CmdDelRxSC, ifindex, true, sci, nil, nil)
}

// AddRxSA is the request that adds the receive SA sa to the secure
// channel sci of the device ifindex. It needs a packet number and a key.
func AddRxSA(ifindex int, sci SCI, sa SASpec) (genl.Request, error) {
	return saRequest(CmdAddRxSA, "add", ifindex, true, sci, sa)
}

// UpdateRxSA is the request that changes the receive SA sa.AN of the
// secure channel sci of the device ifindex (not its key).
func UpdateRxSA(ifindex int, sci SCI, sa SASpec) (genl.Request, error) {
	return saRequest(CmdUpdRxSA, "set", ifindex, true, sci, sa)
}

// DeleteRxSA is the request that deletes the receive SA an of the secure
// channel sci of the device ifindex.
func DeleteRxSA(ifindex int, sci SCI, an uint8) (genl.Request, error) {
	return delSA(CmdDelRxSA, ifindex, true, sci, an)
}

// SetOffload is the request that moves the MACsec work of the device
// ifindex to o (`ip macsec offload DEV off|phy|mac`).
func SetOffload(ifindex int, o Offload) (genl.Request, error) {
	if o > OffloadMAC {
		return genl.Request{}, fmt.Errorf("macsec: %w: offload %d", ErrInvalid, o)
	}
	return request(CmdUpdOffload, ifindex, false, 0, nil, func(e *nla.Encoder) {
		n := e.BeginNest(AttrOffload)
		e.Uint8(OffloadAttrType, uint8(o))
		e.EndNest(n)
	})
}

// Devices lists the MACsec devices (MACSEC_CMD_GET_TXSC, a dump): each
// with its SecY, transmit SAs, receive secure channels and counters. Each
// view is valid until the next iteration; iterating allocates nothing
// per device.
func Devices(ctx context.Context, h *genl.Handle) iter.Seq2[Device, error] {
	return genl.DumpFamily(ctx, h, FamilyName, genl.Request{Command: CmdGetTxSC}, ParseDevice)
}

// Family resolves the macsec family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, FamilyName)
}

// Do resolves the macsec family and sends reqs, one by one when there is
// one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}
