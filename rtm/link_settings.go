package rtm

// Link settings beyond the basic ones: SR-IOV virtual functions, XDP
// programs, IPv6 address generation, protocol-down reasons and the
// segmentation limits. Each is a field of [LinkSpec]; this file holds
// their types, validation and encoding, in the layout iproute2 6.1 gives
// the same options.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// VF is the settings of one SR-IOV virtual function of a physical link
// (one IFLA_VF_INFO, iproute2's "vf N ..."). Only the settings given are
// sent.
type VF struct {
	// Index is the virtual function's number; required (VF 0 is
	// Some(0)).
	Index Opt[uint32]
	// MAC is the VF's MAC address (IFLA_VF_MAC).
	MAC net.HardwareAddr
	// VLAN puts the VF's traffic in a VLAN (IFLA_VF_VLAN, or
	// IFLA_VF_VLAN_LIST for 802.1ad); VLAN 0 with QoS 0 removes it.
	VLAN *VFVLAN
	// TxRate is the legacy maximum transmit rate in Mbit/s
	// (IFLA_VF_TX_RATE, iproute2's "rate"); 0 is unlimited.
	TxRate Opt[uint32]
	// MinTxRate and MaxTxRate are the guaranteed and maximum transmit
	// rates in Mbit/s (IFLA_VF_RATE): both are sent together, so both
	// must be set; 0 is no guarantee and no limit.
	MinTxRate, MaxTxRate Opt[uint32]
	// SpoofCheck turns MAC and VLAN anti-spoofing on (IFLA_VF_SPOOFCHK).
	SpoofCheck Opt[bool]
	// QueryRSS lets the VF query the PF's RSS configuration
	// (IFLA_VF_RSS_QUERY_EN).
	QueryRSS Opt[bool]
	// Trust lets the VF change its MAC address and enter promiscuous
	// mode (IFLA_VF_TRUST).
	Trust Opt[bool]
	// LinkState sets how the VF's link state follows the PF's
	// (IFLA_VF_LINK_STATE).
	LinkState Opt[VFLinkState]
	// NodeGUID and PortGUID are the InfiniBand GUIDs of an IPoIB VF
	// (IFLA_VF_IB_NODE_GUID, IFLA_VF_IB_PORT_GUID), written
	// 00:11:22:33:44:55:66:77 as 0x0011223344556677.
	NodeGUID, PortGUID Opt[uint64]
}

// VFVLAN is a virtual function's VLAN.
type VFVLAN struct {
	// ID is the VLAN id, 0 to 4095.
	ID uint16
	// QoS is the 802.1p priority, 0 to 7.
	QoS uint8
	// Protocol is unix.ETH_P_8021Q (the default when 0) or
	// unix.ETH_P_8021AD.
	Protocol uint16
}

// VFLinkState is how a virtual function's link state follows its
// physical function's (IFLA_VF_LINK_STATE_*).
type VFLinkState uint32

// The VF link states.
const (
	VFLinkStateAuto    VFLinkState = unix.IFLA_VF_LINK_STATE_AUTO    // follow the PF
	VFLinkStateEnable  VFLinkState = unix.IFLA_VF_LINK_STATE_ENABLE  // always up
	VFLinkStateDisable VFLinkState = unix.IFLA_VF_LINK_STATE_DISABLE // always down
)

var vfLinkStateNames = [...]string{
	VFLinkStateAuto: "auto", VFLinkStateEnable: "enable", VFLinkStateDisable: "disable",
}

// String returns the state as iproute2 names it.
func (s VFLinkState) String() string {
	return rtnl.Name(vfLinkStateNames[:], s, "%d")
}

func (vf *VF) validate() error {
	idx, ok := vf.Index.Get()
	if !ok {
		return errors.New("VF settings without a VF index")
	}
	if idx > 0x7fffffff {
		return fmt.Errorf("invalid VF index %d", idx)
	}
	if vf.MAC != nil && (len(vf.MAC) == 0 || len(vf.MAC) > 32) {
		return fmt.Errorf("vf %d: invalid MAC address of %d bytes", idx, len(vf.MAC))
	}
	if v := vf.VLAN; v != nil {
		if v.ID > 4095 {
			return fmt.Errorf("vf %d: invalid VLAN id %d", idx, v.ID)
		}
		if v.QoS > 7 {
			return fmt.Errorf("vf %d: invalid VLAN QoS %d", idx, v.QoS)
		}
		if v.Protocol != 0 && v.Protocol != unix.ETH_P_8021Q && v.Protocol != unix.ETH_P_8021AD {
			return fmt.Errorf("vf %d: invalid VLAN protocol %#04x: 802.1Q or 802.1ad", idx, v.Protocol)
		}
	}
	lo, okLo := vf.MinTxRate.Get()
	hi, okHi := vf.MaxTxRate.Get()
	if okLo != okHi {
		return fmt.Errorf("vf %d: MinTxRate and MaxTxRate are sent together: set both", idx)
	}
	if okLo && hi != 0 && lo > hi {
		return fmt.Errorf("vf %d: min_tx_rate %d is above max_tx_rate %d", idx, lo, hi)
	}
	if okLo && vf.TxRate.IsSet() {
		return fmt.Errorf("vf %d: TxRate (legacy) and MinTxRate/MaxTxRate are exclusive", idx)
	}
	if s, ok := vf.LinkState.Get(); ok && s > VFLinkStateDisable {
		return fmt.Errorf("vf %d: invalid link state %d", idx, s)
	}
	if vf.MAC == nil && vf.VLAN == nil && !vf.TxRate.IsSet() && !okLo && !vf.SpoofCheck.IsSet() &&
		!vf.QueryRSS.IsSet() && !vf.Trust.IsSet() && !vf.LinkState.IsSet() && !vf.NodeGUID.IsSet() && !vf.PortGUID.IsSet() {
		return fmt.Errorf("vf %d: no settings given", idx)
	}
	return nil
}

// vfStruct appends a struct ifla_vf_* of the VF's index followed by
// 32-bit words.
func vfStruct(b *wire.Builder, typ uint16, idx uint32, words ...uint32) {
	var buf [12]byte
	native.PutUint32(buf[:], idx)
	for i, w := range words {
		native.PutUint32(buf[4+4*i:], w)
	}
	b.Binary(typ, buf[:4+4*len(words)])
}

func boolWord(v bool) uint32 {
	if v {
		return 1
	}
	return 0
}

// encode appends the IFLA_VF_INFO nest, in the order iplink_parse_vf
// writes the options (the rates last).
func (vf *VF) encode(b *wire.Builder) {
	idx := vf.Index.Or(0)
	n := beginNest(b, unix.IFLA_VF_INFO)
	if vf.MAC != nil {
		var m [36]byte // struct ifla_vf_mac
		native.PutUint32(m[:], idx)
		copy(m[4:], vf.MAC)
		b.Binary(unix.IFLA_VF_MAC, m[:])
	}
	if v := vf.VLAN; v != nil {
		if v.Protocol == 0 || v.Protocol == unix.ETH_P_8021Q {
			vfStruct(b, unix.IFLA_VF_VLAN, idx, uint32(v.ID), uint32(v.QoS))
		} else {
			list := beginNest(b, unix.IFLA_VF_VLAN_LIST)
			var info [16]byte // struct ifla_vf_vlan_info
			native.PutUint32(info[0:], idx)
			native.PutUint32(info[4:], uint32(v.ID))
			native.PutUint32(info[8:], uint32(v.QoS))
			info[12], info[13] = byte(v.Protocol>>8), byte(v.Protocol)
			b.Binary(unix.IFLA_VF_VLAN_INFO, info[:])
			endNest(b, list)
		}
	}
	if r, ok := vf.TxRate.Get(); ok {
		vfStruct(b, unix.IFLA_VF_TX_RATE, idx, r)
	}
	if v, ok := vf.SpoofCheck.Get(); ok {
		vfStruct(b, unix.IFLA_VF_SPOOFCHK, idx, boolWord(v))
	}
	if v, ok := vf.QueryRSS.Get(); ok {
		vfStruct(b, unix.IFLA_VF_RSS_QUERY_EN, idx, boolWord(v))
	}
	if v, ok := vf.Trust.Get(); ok {
		vfStruct(b, unix.IFLA_VF_TRUST, idx, boolWord(v))
	}
	if v, ok := vf.LinkState.Get(); ok {
		vfStruct(b, unix.IFLA_VF_LINK_STATE, idx, uint32(v))
	}
	for _, g := range [...]struct {
		typ uint16
		v   Opt[uint64]
	}{{unix.IFLA_VF_IB_NODE_GUID, vf.NodeGUID}, {unix.IFLA_VF_IB_PORT_GUID, vf.PortGUID}} {
		if v, ok := g.v.Get(); ok {
			var s [16]byte // struct ifla_vf_guid: the u64 is 8-aligned
			native.PutUint32(s[:], idx)
			native.PutUint64(s[8:], v)
			b.Binary(g.typ, s[:])
		}
	}
	if lo, ok := vf.MinTxRate.Get(); ok {
		vfStruct(b, unix.IFLA_VF_RATE, idx, lo, vf.MaxTxRate.Or(0))
	}
	endNest(b, n)
}

// XDPMode is where an XDP program runs.
type XDPMode uint8

// The XDP modes. XDPModeAuto lets the kernel choose: the driver's native
// XDP if it has it, else generic.
const (
	XDPModeAuto    XDPMode = iota
	XDPModeGeneric         // in the stack, on any device (XDP_FLAGS_SKB_MODE, "xdpgeneric")
	XDPModeDriver          // in the driver (XDP_FLAGS_DRV_MODE, "xdpdrv")
	XDPModeOffload         // on the NIC (XDP_FLAGS_HW_MODE, "xdpoffload")
)

// String returns the mode as iproute2's option names it.
func (m XDPMode) String() string {
	return rtnl.Name(xdpModeNames[:], m, "xdpmode(%d)")
}

var xdpModeNames = [...]string{
	XDPModeAuto: "xdp", XDPModeGeneric: "xdpgeneric", XDPModeDriver: "xdpdrv", XDPModeOffload: "xdpoffload",
}

// XDP attaches an XDP program to a link, or detaches it (IFLA_XDP).
type XDP struct {
	// Fd is the file descriptor of a loaded BPF_PROG_TYPE_XDP program.
	// It must stay open until the request is sent.
	Fd int
	// Detach removes the attached program instead (iproute2's "xdp off");
	// Fd is then ignored and must be 0.
	Detach bool
	// Mode selects where the program runs.
	Mode XDPMode
	// Force replaces a program already attached; without it the kernel
	// refuses to (XDP_FLAGS_UPDATE_IF_NOEXIST, as iproute2 sends without
	// -force).
	Force bool
	// ExpectedFd replaces only if the attached program is this one
	// (IFLA_XDP_EXPECTED_FD with XDP_FLAGS_REPLACE); it needs Force.
	ExpectedFd Opt[int]
}

func (x *XDP) validate() error {
	if x.Mode > XDPModeOffload {
		return fmt.Errorf("xdp: invalid mode %d", x.Mode)
	}
	if x.Detach {
		if x.Fd != 0 {
			return fmt.Errorf("xdp: Detach with a program (fd %d): choose one", x.Fd)
		}
		if x.ExpectedFd.IsSet() {
			return errors.New("xdp: Detach with ExpectedFd: the kernel replaces, it does not detach, with an expected program")
		}
		return nil
	}
	if x.Fd <= 0 {
		return fmt.Errorf("xdp: invalid program descriptor %d (set Detach to remove a program)", x.Fd)
	}
	if fd, ok := x.ExpectedFd.Get(); ok {
		if !x.Force {
			return errors.New("xdp: ExpectedFd replaces a program, and needs Force (XDP_FLAGS_REPLACE conflicts with XDP_FLAGS_UPDATE_IF_NOEXIST)")
		}
		if fd < 0 {
			return fmt.Errorf("xdp: invalid expected program descriptor %d", fd)
		}
	}
	return nil
}

// flags returns the XDP_FLAGS_* of x.
func (x *XDP) flags() uint32 {
	var f uint32
	if !x.Force {
		f |= unix.XDP_FLAGS_UPDATE_IF_NOEXIST
	}
	switch x.Mode {
	case XDPModeGeneric:
		f |= unix.XDP_FLAGS_SKB_MODE
	case XDPModeDriver:
		f |= unix.XDP_FLAGS_DRV_MODE
	case XDPModeOffload:
		f |= unix.XDP_FLAGS_HW_MODE
	}
	if x.ExpectedFd.IsSet() {
		f |= unix.XDP_FLAGS_REPLACE
	}
	return f
}

func (x *XDP) encode(b *wire.Builder) {
	n := beginNest(b, unix.IFLA_XDP)
	fd := int32(x.Fd)
	if x.Detach {
		fd = -1
	}
	b.Int32(unix.IFLA_XDP_FD, fd)
	if f := x.flags(); f != 0 {
		b.Uint32(unix.IFLA_XDP_FLAGS, f)
	}
	if e, ok := x.ExpectedFd.Get(); ok {
		b.Int32(unix.IFLA_XDP_EXPECTED_FD, int32(e))
	}
	endNest(b, n)
}

// AddrGenMode is how IPv6 link-local addresses are generated on a link
// (IN6_ADDR_GEN_MODE_*, iproute2's addrgenmode).
type AddrGenMode uint8

// The address generation modes.
const (
	AddrGenModeEUI64        AddrGenMode = 0 // from the MAC address
	AddrGenModeNone         AddrGenMode = 1 // none
	AddrGenModeStableSecret AddrGenMode = 2 // RFC 7217, from the stable_secret sysctl
	AddrGenModeRandom       AddrGenMode = 3 // RFC 7217, from a random secret
)

var addrGenModeNames = [...]string{"eui64", "none", "stable_secret", "random"}

// String returns the mode as iproute2 names it.
func (m AddrGenMode) String() string {
	return rtnl.Name(addrGenModeNames[:], m, "%d")
}

// ParseAddrGenMode parses iproute2's name of a mode.
func ParseAddrGenMode(s string) (AddrGenMode, error) {
	if m, ok := rtnl.Value[AddrGenMode](addrGenModeNames[:], s); ok {
		return m, nil
	}
	return 0, fmt.Errorf("invalid address generation mode %q", s)
}

// validateSettings checks the fields of this file; peer is set for a veth
// peer, which can carry none of them but the segmentation limits.
func (s *LinkSpec) validateSettings(peer bool) error {
	if peer && (s.XDP != nil || len(s.VFs) > 0 || s.TargetNetnsID.IsSet()) {
		return errors.New("a veth peer has no XDP, VFs or TargetNetnsID of its own")
	}
	if s.XDP != nil {
		if err := s.XDP.validate(); err != nil {
			return err
		}
	}
	for i := range s.VFs {
		if err := s.VFs[i].validate(); err != nil {
			return err
		}
		idx := s.VFs[i].Index.Or(0)
		for j := range i {
			if s.VFs[j].Index.Or(0) == idx {
				return fmt.Errorf("vf %d given twice", idx)
			}
		}
	}
	if m, ok := s.AddrGenMode.Get(); ok && m > AddrGenModeRandom {
		return fmt.Errorf("invalid address generation mode %d", m)
	}
	if s.ProtoDownReasonValue&^s.ProtoDownReasonMask != 0 {
		return fmt.Errorf("protodown reason value %#x has bits outside the mask %#x", s.ProtoDownReasonValue, s.ProtoDownReasonMask)
	}
	if id, ok := s.LinkNetnsID.Get(); ok && id < 0 {
		return fmt.Errorf("invalid link-netnsid %d", id)
	}
	if id, ok := s.TargetNetnsID.Get(); ok && id < 0 {
		return fmt.Errorf("invalid target netnsid %d", id)
	}
	if v, ok := s.GSOMaxSegs.Get(); ok && v > gsoMaxSegs {
		return fmt.Errorf("gso_max_segs %d is above %d", v, gsoMaxSegs)
	}
	if v, ok := s.OperState.Get(); ok && v != OperStateUp && v != OperStateDormant {
		return fmt.Errorf("operational state %v cannot be set: UP or DORMANT", v)
	}
	if v, ok := s.LinkMode.Get(); ok && v > 1 {
		return fmt.Errorf("invalid link mode %d: 0 (default) or 1 (dormant)", v)
	}
	return nil
}

// gsoMaxSegs is GSO_MAX_SEGS (linux/netdevice.h).
const gsoMaxSegs = 65535

// The operational states a link can be set to.
const (
	OperStateDormant OperState = 5 // IF_OPER_DORMANT
	OperStateUp      OperState = 6 // IF_OPER_UP
)

// encodeXDP appends the XDP setting, which iplink_parse reads after mtu.
func (s *LinkSpec) encodeXDP(b *wire.Builder) {
	if s.XDP != nil {
		s.XDP.encode(b)
	}
}

// encodeCarrierVFs appends carrier and the VFs, which iplink_parse reads
// after netns and before master.
func (s *LinkSpec) encodeCarrierVFs(b *wire.Builder) {
	if v, ok := s.Carrier.Get(); ok {
		b.Uint8(unix.IFLA_CARRIER, uint8(boolWord(v)))
	}
	// One IFLA_VFINFO_LIST per VF, as iproute2 sends "vf 0 ... vf 3 ...";
	// the kernel reads every list.
	for i := range s.VFs {
		list := beginNest(b, unix.IFLA_VFINFO_LIST)
		s.VFs[i].encode(b)
		endNest(b, list)
	}
}

// encodeLate appends the settings iplink_parse reads after group, in its
// order.
func (s *LinkSpec) encodeLate(b *wire.Builder) {
	putOpt(b.Uint8, unix.IFLA_LINKMODE, s.LinkMode)
	if v, ok := s.OperState.Get(); ok {
		b.Uint8(unix.IFLA_OPERSTATE, uint8(v))
	}
	if v, ok := s.AddrGenMode.Get(); ok {
		af := beginNest(b, unix.IFLA_AF_SPEC)
		af6 := beginNest(b, unix.AF_INET6)
		b.Uint8(unix.IFLA_INET6_ADDR_GEN_MODE, uint8(v))
		endNest(b, af6)
		endNest(b, af)
	}
	if v, ok := s.LinkNetnsID.Get(); ok {
		b.Int32(unix.IFLA_LINK_NETNSID, v)
	}
	if v, ok := s.ProtoDown.Get(); ok {
		b.Uint8(unix.IFLA_PROTO_DOWN, uint8(boolWord(v)))
	}
	if s.ProtoDownReasonMask != 0 {
		n := b.BeginNest(unix.IFLA_PROTO_DOWN_REASON) // NLA_F_NESTED, as iproute2 sends it
		b.Uint32(unix.IFLA_PROTO_DOWN_REASON_MASK, s.ProtoDownReasonMask)
		b.Uint32(unix.IFLA_PROTO_DOWN_REASON_VALUE, s.ProtoDownReasonValue)
		b.EndNest(n)
	}
	for _, o := range [...]struct {
		typ uint16
		v   Opt[uint32]
	}{
		{unix.IFLA_GSO_MAX_SIZE, s.GSOMaxSize}, {unix.IFLA_GSO_MAX_SEGS, s.GSOMaxSegs},
		{unix.IFLA_GRO_MAX_SIZE, s.GROMaxSize}, {unix.IFLA_GSO_IPV4_MAX_SIZE, s.GSOIPv4MaxSize},
		{unix.IFLA_GRO_IPV4_MAX_SIZE, s.GROIPv4MaxSize},
	} {
		putOpt(b.Uint32, o.typ, o.v)
	}
	if v, ok := s.TargetNetnsID.Get(); ok {
		b.Int32(unix.IFLA_TARGET_NETNSID, v)
	}
}

// linkTokenRequest sets a link's IPv6 token: what LinkTokenSet returns.
type linkTokenRequest struct {
	index int32
	token netip.Addr
}

// LinkTokenSet is the request to set the IPv6 interface identifier that
// stateless autoconfiguration uses on a link (IFLA_INET6_TOKEN, "ip token
// set TOKEN dev X"). token is an IPv6 address whose upper 64 bits are
// zero, such as ::1:2:3:4; :: removes the token. The kernel refuses it on
// a link that is up with router advertisements being accepted.
func LinkTokenSet(index int32, token netip.Addr) Request {
	return &linkTokenRequest{index, token}
}

func (q *linkTokenRequest) AppendTo(r *rtnl.Req) error {
	r.Op = fmt.Sprintf("link token set index %d", q.index)
	if r.Named {
		r.Missing = unix.ENODEV
	}
	return encodeToken(r.B, q.index, q.token)
}

// encodeToken writes ip token's request: RTM_SETLINK of family AF_INET6.
func encodeToken(b *wire.Builder, index int32, token netip.Addr) error {
	if index <= 0 {
		return fmt.Errorf("invalid interface index %d", index)
	}
	if !token.Is6() || token.Is4In6() {
		return fmt.Errorf("token %v: not an IPv6 address", token)
	}
	if a := token.As16(); [8]byte(a[:8]) != [8]byte{} {
		return fmt.Errorf("token %v: the upper 64 bits must be zero", token)
	}
	linkRequest(b, unix.RTM_SETLINK, unix.NLM_F_ACK, unix.AF_INET6, index)
	af := beginNest(b, unix.IFLA_AF_SPEC)
	af6 := beginNest(b, unix.AF_INET6)
	b.Addr(unix.IFLA_INET6_TOKEN, token)
	endNest(b, af6)
	endNest(b, af)
	b.End()
	return nil
}

// NumVF returns IFLA_NUM_VF, the number of SR-IOV virtual functions, and
// whether the link reported it: the kernel sends it only in replies to
// requests with RTEXT_FILTER_VF ([LinkFilter.VF]) and only for
// devices with a parent bus device.
func (l Link) NumVF() (uint32, bool) { return l.u32(unix.IFLA_NUM_VF) }

// VFs yields the virtual functions of IFLA_VFINFO_LIST (present in
// replies to requests with RTEXT_FILTER_VF).
func (l Link) VFs() iter.Seq[VFInfo] {
	return func(yield func(VFInfo) bool) {
		list, ok := l.get(unix.IFLA_VFINFO_LIST)
		if !ok {
			return
		}
		for a := range list.Nested().AllOf(unix.IFLA_VF_INFO) {
			if !yield(VFInfo{a.Nested()}) {
				return
			}
		}
	}
}

// VFInfo is a view of one IFLA_VF_INFO: a virtual function's settings as
// the kernel reports them.
type VFInfo struct{ c nla.Chain }

// Chain returns the attributes (IFLA_VF_*).
func (v VFInfo) Chain() nla.Chain { return v.c }

// word returns the 32-bit word i of struct attribute t (word 0 is the
// VF's index), and whether it is there.
func (v VFInfo) word(t uint16, i int) (uint32, bool) {
	a, ok := v.c.Get(t)
	if !ok || len(a.Data) < 4*(i+1) {
		return 0, false
	}
	return native.Uint32(a.Data[4*i:]), true
}

// Index returns the VF's number (from IFLA_VF_MAC, which the kernel
// always sends).
func (v VFInfo) Index() uint32 {
	for _, t := range [...]uint16{unix.IFLA_VF_MAC, unix.IFLA_VF_VLAN, unix.IFLA_VF_TX_RATE, unix.IFLA_VF_LINK_STATE} {
		if n, ok := v.word(t, 0); ok {
			return n
		}
	}
	return 0
}

// MAC returns the VF's MAC address (the first 6 bytes of struct
// ifla_vf_mac's 32: the kernel does not say how long the address is).
func (v VFInfo) MAC() net.HardwareAddr {
	a, ok := v.c.Get(unix.IFLA_VF_MAC)
	if !ok || len(a.Data) < 4+6 {
		return nil
	}
	return net.HardwareAddr(a.Data[4:10])
}

// VLAN returns the VF's VLAN id and QoS (IFLA_VF_VLAN).
func (v VFInfo) VLAN() (id uint16, qos uint8) {
	i, _ := v.word(unix.IFLA_VF_VLAN, 1)
	q, _ := v.word(unix.IFLA_VF_VLAN, 2)
	return uint16(i), uint8(q)
}

// TxRate returns the legacy maximum rate in Mbit/s (IFLA_VF_TX_RATE).
func (v VFInfo) TxRate() uint32 { n, _ := v.word(unix.IFLA_VF_TX_RATE, 1); return n }

// Rates returns the guaranteed and maximum rates in Mbit/s
// (IFLA_VF_RATE).
func (v VFInfo) Rates() (min, max uint32) {
	min, _ = v.word(unix.IFLA_VF_RATE, 1)
	max, _ = v.word(unix.IFLA_VF_RATE, 2)
	return min, max
}

// setting returns a struct ifla_vf_{spoofchk,trust,...} setting; the
// kernel reports -1 (as uint32) for one the driver does not support.
func (v VFInfo) setting(t uint16) (bool, bool) {
	n, ok := v.word(t, 1)
	if !ok || n == ^uint32(0) {
		return false, false
	}
	return n != 0, true
}

// SpoofCheck returns IFLA_VF_SPOOFCHK, and whether the driver reports it.
func (v VFInfo) SpoofCheck() (bool, bool) { return v.setting(unix.IFLA_VF_SPOOFCHK) }

// Trust returns IFLA_VF_TRUST, and whether the driver reports it.
func (v VFInfo) Trust() (bool, bool) { return v.setting(unix.IFLA_VF_TRUST) }

// QueryRSS returns IFLA_VF_RSS_QUERY_EN, and whether the driver reports
// it.
func (v VFInfo) QueryRSS() (bool, bool) { return v.setting(unix.IFLA_VF_RSS_QUERY_EN) }

// LinkState returns IFLA_VF_LINK_STATE.
func (v VFInfo) LinkState() VFLinkState {
	n, _ := v.word(unix.IFLA_VF_LINK_STATE, 1)
	return VFLinkState(n)
}

// ProtoDown returns IFLA_PROTO_DOWN.
func (l Link) ProtoDown() bool { return l.u8or(unix.IFLA_PROTO_DOWN, 0) != 0 }

// ProtoDownReason returns IFLA_PROTO_DOWN_REASON_VALUE, the bits of the
// reasons the link is protocol-down for.
func (l Link) ProtoDownReason() uint32 {
	a, _ := l.get(unix.IFLA_PROTO_DOWN_REASON)
	v, _ := a.Nested().Get(unix.IFLA_PROTO_DOWN_REASON_VALUE)
	n, _ := v.Uint32()
	return n
}

// GSOIPv4MaxSize returns IFLA_GSO_IPV4_MAX_SIZE.
func (l Link) GSOIPv4MaxSize() uint32 { return l.u32or(unix.IFLA_GSO_IPV4_MAX_SIZE, 0) }

// GROIPv4MaxSize returns IFLA_GRO_IPV4_MAX_SIZE.
func (l Link) GROIPv4MaxSize() uint32 { return l.u32or(unix.IFLA_GRO_IPV4_MAX_SIZE, 0) }

// XDPProgram returns the attached XDP program: its attach mode
// (XDP_ATTACHED_*: 0 none, 1 driver, 2 generic, 3 offload, 4 several)
// and its id (0 when several are attached; see XDP for each mode's).
func (l Link) XDPProgram() (mode uint8, id uint32) {
	c := l.XDP()
	mode, _ = rtnl.U8(c.Get(unix.IFLA_XDP_ATTACHED))
	id, _ = rtnl.U32(c.Get(unix.IFLA_XDP_PROG_ID))
	return mode, id
}

// AddrGenMode returns the IPv6 address generation mode, and whether the
// link reports one (links without IPv6 do not).
func (l Link) AddrGenMode() (AddrGenMode, bool) {
	a, ok := l.AFSpec(unix.AF_INET6).Get(unix.IFLA_INET6_ADDR_GEN_MODE)
	if !ok {
		return 0, false
	}
	m, err := a.Uint8()
	return AddrGenMode(m), err == nil
}

// Token returns the IPv6 token (IFLA_INET6_TOKEN), :: when none is set,
// and the zero Addr when the link reports none.
func (l Link) Token() netip.Addr {
	a, ok := l.AFSpec(unix.AF_INET6).Get(unix.IFLA_INET6_TOKEN)
	if !ok {
		return netip.Addr{}
	}
	ad, _ := a.Addr()
	return ad
}

// LinkWithVFs gets one link with its SR-IOV virtual functions
// (RTEXT_FILTER_VF: IFLA_NUM_VF and IFLA_VFINFO_LIST), for Link.VFs and
// Link.CheckVFs.
func (h *Handle) LinkWithVFs(ctx context.Context, index int32) (Link, error) {
	if index <= 0 {
		return Link{}, fmt.Errorf("rtm: link get: invalid index %d", index)
	}
	b := h.newBuilder()
	linkRequest(b, unix.RTM_GETLINK, 0, unix.AF_UNSPEC, index)
	b.Uint32(unix.IFLA_EXT_MASK, rtextFilterVF|rtextFilterSkipStats)
	b.End()
	return h.getLink(ctx, b)
}

// CheckVFs reports, before anything is sent, whether the link l (got
// with LinkWithVFs, or dumped with LinkFilter.VF) has the virtual
// functions vfs name: a link that reports none, or fewer than an index
// needs, gets a clear error rather than the driver's EOPNOTSUPP or
// EINVAL.
func (l Link) CheckVFs(vfs []VF) error {
	n, ok := l.NumVF()
	if !ok || n == 0 {
		if len(vfs) > 0 {
			return fmt.Errorf("rtm: link %s reports no SR-IOV virtual functions", l.Name())
		}
		return nil
	}
	for i := range vfs {
		if idx, set := vfs[i].Index.Get(); set && idx >= n {
			return fmt.Errorf("rtm: link %s has %d virtual functions: no vf %d", l.Name(), n, idx)
		}
	}
	return nil
}
