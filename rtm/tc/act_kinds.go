package tc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
)

// Gact is the generic action: a verdict, optionally a random or
// deterministic other one ("action drop", "action pass random determ drop
// 10"). Its verdict is the action itself: [Action.Control], if set,
// overrides Verdict.
type Gact struct {
	Verdict Verdict
	// Random, if set, applies RandomVerdict to a share of the packets.
	Random *GactRandom
}

// GactRandom is gact's probabilistic part (struct tc_gact_p).
type GactRandom struct {
	// Deterministic picks every Value-th packet ("determ"); otherwise
	// each packet with probability 1/Value ("netrand").
	Deterministic bool
	// Value is the period or inverse probability, 0 to 10000.
	Value uint16
	// Verdict is what the chosen packets get.
	Verdict Verdict
}

// ActionKind returns "gact".
func (*Gact) ActionKind() string { return "gact" }

func (g *Gact) appendOptions(e *nla.Encoder, a *Action) error {
	if err := checkVerdict(g.Verdict); err != nil {
		return err
	}
	if p := structAttr(e, tcaGactParms, tcGenLen); p != nil {
		a.gen(p, g.Verdict)
	}
	if r := g.Random; r != nil {
		if r.Value > 10000 {
			return fmt.Errorf("random value %d over 10000", r.Value)
		}
		if err := checkVerdict(r.Verdict); err != nil {
			return err
		}
		if p := structAttr(e, tcaGactProb, 8); p != nil {
			typ := uint16(1) // PGACT_NETRAND
			if r.Deterministic {
				typ = 2 // PGACT_DETERM
			}
			native.PutUint16(p, typ)
			native.PutUint16(p[2:], r.Value)
			native.PutUint32(p[4:], uint32(r.Verdict))
		}
	}
	return nil
}

func (g *Gact) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaGactParms, tcGenLen)
	if err != nil {
		return err
	}
	g.Verdict = Verdict(native.Uint32(p[8:]))
	if a, ok := opts.Get(tcaGactProb); ok && len(a.Data) >= 8 {
		g.Random = &GactRandom{Deterministic: native.Uint16(a.Data) == 2,
			Value: native.Uint16(a.Data[2:]), Verdict: Verdict(native.Uint32(a.Data[4:]))}
	}
	return nil
}

// Mirred mirrors or redirects packets to a device, on its egress or its
// ingress ("action mirred egress redirect dev eth1").
type Mirred struct {
	// Ifindex is the target device.
	Ifindex int32
	// Ingress sends to the device's ingress instead of its egress.
	Ingress bool
	// Mirror copies the packet instead of redirecting it.
	Mirror bool
	// Block, if not 0, targets a shared block instead of a device
	// (TCA_MIRRED_BLOCKID, Linux 6.9).
	Block uint32
}

// ActionKind returns "mirred".
func (*Mirred) ActionKind() string { return "mirred" }

// eaction is the tc_mirred eaction: TCA_EGRESS_REDIR 1, TCA_EGRESS_MIRROR
// 2, TCA_INGRESS_REDIR 3, TCA_INGRESS_MIRROR 4.
func (m *Mirred) eaction() uint32 {
	n := uint32(1)
	if m.Mirror {
		n = 2
	}
	if m.Ingress {
		n += 2
	}
	return n
}

func (m *Mirred) appendOptions(e *nla.Encoder, a *Action) error {
	if m.Ifindex <= 0 && m.Block == 0 && a.Index == 0 {
		return errors.New("no target device")
	}
	def := VerdictStolen
	if m.Mirror {
		def = VerdictPipe
	}
	if p := structAttr(e, tcaMirredParms, tcGenLen+8); p != nil {
		a.gen(p, def)
		native.PutUint32(p[20:], m.eaction())
		native.PutUint32(p[24:], uint32(m.Ifindex))
	}
	putU32(e, tcaMirredBlockid, m.Block)
	return nil
}

func (m *Mirred) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaMirredParms, tcGenLen+8)
	if err != nil {
		return err
	}
	ea := native.Uint32(p[20:])
	m.Mirror = ea == 2 || ea == 4
	m.Ingress = ea == 3 || ea == 4
	m.Ifindex = int32(native.Uint32(p[24:]))
	if a, ok := opts.Get(tcaMirredBlockid); ok {
		m.Block, _ = a.Uint32()
	}
	return nil
}

// SkbEdit changes a packet's metadata ("action skbedit mark 5 priority
// 1:1 queue_mapping 3 ptype host").
type SkbEdit struct {
	QueueMapping *uint16
	Priority     *uint32 // a class handle, "1:1"
	Mark         *uint32
	Mask         *uint32 // of Mark
	PacketType   *uint16 // PACKET_HOST 0, PACKET_BROADCAST 1, PACKET_MULTICAST 2, PACKET_OTHERHOST 3
	// InheritDSField sets the priority from the DS field.
	InheritDSField bool
}

// ActionKind returns "skbedit".
func (*SkbEdit) ActionKind() string { return "skbedit" }

func (s *SkbEdit) appendOptions(e *nla.Encoder, a *Action) error {
	if s.Mask != nil && s.Mark == nil {
		return errors.New("a mark mask without a mark")
	}
	if p := structAttr(e, tcaSkbeditParms, tcGenLen); p != nil {
		a.gen(p, VerdictPipe)
	}
	putOpt(e, (*nla.Encoder).Uint16, tcaSkbeditQueueMapping, s.QueueMapping)
	putOpt(e, (*nla.Encoder).Uint32, tcaSkbeditPriority, s.Priority)
	putOpt(e, (*nla.Encoder).Uint32, tcaSkbeditMark, s.Mark)
	putOpt(e, (*nla.Encoder).Uint32, tcaSkbeditMask, s.Mask)
	putOpt(e, (*nla.Encoder).Uint16, tcaSkbeditPtype, s.PacketType)
	if s.InheritDSField {
		e.Uint64(tcaSkbeditFlags, skbeditInheritDSField)
	}
	return nil
}

func (s *SkbEdit) decode(opts nla.Chain) error {
	if _, err := parms(opts, tcaSkbeditParms, tcGenLen); err != nil {
		return err
	}
	for a := range opts.All() {
		switch a.Kind() {
		case tcaSkbeditQueueMapping:
			s.QueueMapping = ptrOf(a.Uint16())
		case tcaSkbeditPriority:
			s.Priority = ptrOf(a.Uint32())
		case tcaSkbeditMark:
			s.Mark = ptrOf(a.Uint32())
		case tcaSkbeditMask:
			s.Mask = ptrOf(a.Uint32())
		case tcaSkbeditPtype:
			s.PacketType = ptrOf(a.Uint16())
		case tcaSkbeditFlags:
			s.InheritDSField = attrU64(a)&skbeditInheritDSField != 0
		}
	}
	return nil
}

// skbeditInheritDSField is SKBEDIT_F_INHERITDSFIELD.
const skbeditInheritDSField = 0x20

// ptrOf returns a pointer to v, or nil when err is set: an attribute of
// the wrong length decodes as absent.
func ptrOf[T any](v T, err error) *T {
	if err != nil {
		return nil
	}
	return &v
}

// VlanAction pushes, pops or modifies a VLAN tag ("action vlan push id
// 100 protocol 802.1q priority 3").
type VlanAction struct {
	Op VlanOp
	// ID, Protocol (an ethertype, host order; 0 is 802.1Q) and Priority
	// (with HasPriority) are for push and modify.
	ID          uint16
	Protocol    uint16
	Priority    uint8
	HasPriority bool
	// Dst and Src are the Ethernet addresses push_eth pushes.
	Dst, Src net.HardwareAddr
}

// VlanOp is the vlan action's operation (TCA_VLAN_ACT_*).
type VlanOp uint32

// The vlan operations.
const (
	VlanPop     VlanOp = 1
	VlanPush    VlanOp = 2
	VlanModify  VlanOp = 3
	VlanPopEth  VlanOp = 4
	VlanPushEth VlanOp = 5
)

// ActionKind returns "vlan".
func (*VlanAction) ActionKind() string { return "vlan" }

func (v *VlanAction) appendOptions(e *nla.Encoder, a *Action) error {
	push := v.Op == VlanPush || v.Op == VlanModify
	switch {
	case v.Op < VlanPop || v.Op > VlanPushEth:
		return fmt.Errorf("unknown vlan operation %d", v.Op)
	case push && (v.ID == 0 || v.ID > 4095):
		return fmt.Errorf("vlan id %d not in 1-4095", v.ID)
	case v.Priority > 7:
		return fmt.Errorf("vlan priority %d over 7", v.Priority)
	case v.Op == VlanPushEth && (len(v.Dst) != 6 || len(v.Src) != 6):
		return errors.New("push_eth needs 6-byte dst_mac and src_mac")
	}
	if p := structAttr(e, tcaVlanParms, tcGenLen+4); p != nil {
		a.gen(p, VerdictPipe)
		native.PutUint32(p[20:], uint32(v.Op))
	}
	if push {
		e.Uint16(tcaVlanPushVlanId, v.ID)
		if v.Protocol != 0 {
			e.Uint16BE(tcaVlanPushVlanProtocol, v.Protocol)
		}
		if v.HasPriority {
			e.Uint8(tcaVlanPushVlanPriority, v.Priority)
		}
	}
	if v.Op == VlanPushEth {
		e.Binary(tcaVlanPushEthDst, v.Dst)
		e.Binary(tcaVlanPushEthSrc, v.Src)
	}
	return nil
}

func (v *VlanAction) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaVlanParms, tcGenLen+4)
	if err != nil {
		return err
	}
	v.Op = VlanOp(native.Uint32(p[20:]))
	for a := range opts.All() {
		switch a.Kind() {
		case tcaVlanPushVlanId:
			v.ID, _ = a.Uint16()
		case tcaVlanPushVlanProtocol:
			v.Protocol, _ = a.Uint16BE()
		case tcaVlanPushVlanPriority:
			v.Priority, _ = a.Uint8()
			v.HasPriority = true
		case tcaVlanPushEthDst:
			v.Dst = append(net.HardwareAddr(nil), a.Data...)
		case tcaVlanPushEthSrc:
			v.Src = append(net.HardwareAddr(nil), a.Data...)
		}
	}
	return nil
}

// TunnelKey sets or releases the tunnel metadata a collect_md tunnel
// device encapsulates with ("action tunnel_key set src_ip ... dst_ip ...
// id 42", "action tunnel_key unset").
type TunnelKey struct {
	// Unset releases the metadata; the other fields must then be zero.
	Unset    bool
	Src, Dst netip.Addr
	KeyID    *uint32
	DstPort  uint16
	TOS, TTL *uint8
	// NoChecksum clears the outer UDP checksum ("nocsum").
	NoChecksum bool
	// NoFrag forbids fragmenting the outer packet ("nofrag").
	NoFrag bool
	// Geneve are Geneve options to add.
	Geneve []GeneveOpt
}

// GeneveOpt is one Geneve option ("geneve_opts CLASS:TYPE:DATA").
type GeneveOpt struct {
	Class uint16
	Type  uint8
	Data  []byte // a multiple of 4 bytes, at most 124
}

// ActionKind returns "tunnel_key".
func (*TunnelKey) ActionKind() string { return "tunnel_key" }

func (t *TunnelKey) appendOptions(e *nla.Encoder, a *Action) error {
	if !t.Unset && (!t.Src.IsValid() || !t.Dst.IsValid()) {
		return errors.New("set needs src_ip and dst_ip")
	}
	if t.Unset && (t.Src.IsValid() || t.Dst.IsValid() || t.KeyID != nil || len(t.Geneve) > 0) {
		return errors.New("unset takes no tunnel parameters")
	}
	if t.Src.IsValid() && t.Dst.IsValid() && t.Src.Is4() != t.Dst.Is4() {
		return errors.New("src_ip and dst_ip of different families")
	}
	put := func(a netip.Addr, t4, t6 uint16) {
		if a.Is4() {
			e.Addr(t4, a)
		} else if a.IsValid() {
			e.Addr(t6, a)
		}
	}
	put(t.Src, tcaTunnelKeyEncIpv4Src, tcaTunnelKeyEncIpv6Src)
	put(t.Dst, tcaTunnelKeyEncIpv4Dst, tcaTunnelKeyEncIpv6Dst)
	putOpt(e, (*nla.Encoder).Uint32BE, tcaTunnelKeyEncKeyId, t.KeyID)
	if t.DstPort != 0 {
		e.Uint16BE(tcaTunnelKeyEncDstPort, t.DstPort)
	}
	if len(t.Geneve) > 0 {
		opts := rtnl.BeginPlain(e, tcaTunnelKeyEncOpts)
		for _, o := range t.Geneve {
			if len(o.Data)%4 != 0 || len(o.Data) > 124 {
				return fmt.Errorf("geneve option data of %d bytes: want a multiple of 4, at most 124", len(o.Data))
			}
			g := rtnl.BeginPlain(e, tcaTunnelKeyEncOptsGeneve)
			e.Uint16BE(tcaTunnelKeyEncOptGeneveClass, o.Class)
			e.Uint8(tcaTunnelKeyEncOptGeneveType, o.Type)
			e.Binary(tcaTunnelKeyEncOptGeneveData, o.Data)
			g.End(e)
		}
		opts.End(e)
	}
	putOpt(e, (*nla.Encoder).Uint8, tcaTunnelKeyEncTtl, t.TTL)
	putOpt(e, (*nla.Encoder).Uint8, tcaTunnelKeyEncTos, t.TOS)
	noCsum := uint8(0)
	if t.NoChecksum {
		noCsum = 1
	}
	e.Uint8(tcaTunnelKeyNoCsum, noCsum)
	if t.NoFrag {
		e.Flag(tcaTunnelKeyNoFrag)
	}
	if p := structAttr(e, tcaTunnelKeyParms, tcGenLen+4); p != nil {
		a.gen(p, VerdictPipe)
		op := uint32(1) // TCA_TUNNEL_KEY_ACT_SET
		if t.Unset {
			op = 2 // TCA_TUNNEL_KEY_ACT_RELEASE
		}
		native.PutUint32(p[20:], op)
	}
	return nil
}

func (t *TunnelKey) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaTunnelKeyParms, tcGenLen+4)
	if err != nil {
		return err
	}
	t.Unset = native.Uint32(p[20:]) == 2
	for a := range opts.All() {
		switch a.Kind() {
		case tcaTunnelKeyEncIpv4Src, tcaTunnelKeyEncIpv6Src:
			t.Src, _ = a.Addr()
		case tcaTunnelKeyEncIpv4Dst, tcaTunnelKeyEncIpv6Dst:
			t.Dst, _ = a.Addr()
		case tcaTunnelKeyEncKeyId:
			t.KeyID = ptrOf(a.Uint32BE())
		case tcaTunnelKeyEncDstPort:
			t.DstPort, _ = a.Uint16BE()
		case tcaTunnelKeyEncTtl:
			t.TTL = ptrOf(a.Uint8())
		case tcaTunnelKeyEncTos:
			t.TOS = ptrOf(a.Uint8())
		case tcaTunnelKeyNoCsum:
			t.NoChecksum = attrU8(a) != 0
		case tcaTunnelKeyNoFrag:
			t.NoFrag = true
		case tcaTunnelKeyEncOpts:
			for g := range a.Nested().AllOf(tcaTunnelKeyEncOptsGeneve) {
				var o GeneveOpt
				for f := range g.Nested().All() {
					switch f.Kind() {
					case tcaTunnelKeyEncOptGeneveClass:
						o.Class, _ = f.Uint16BE()
					case tcaTunnelKeyEncOptGeneveType:
						o.Type, _ = f.Uint8()
					case tcaTunnelKeyEncOptGeneveData:
						o.Data = append([]byte(nil), f.Data...)
					}
				}
				t.Geneve = append(t.Geneve, o)
			}
		}
	}
	return nil
}

// Csum recomputes checksums of the headers named by its flags ("action
// csum iph and tcp").
type Csum struct {
	// Update is a set of CsumIPv4Header, CsumICMP, CsumIGMP, CsumTCP,
	// CsumUDP, CsumUDPLite, CsumSCTP.
	Update uint32
}

// The headers [Csum] updates (TCA_CSUM_UPDATE_FLAG_*).
const (
	CsumIPv4Header = 1 << 0
	CsumICMP       = 1 << 1
	CsumIGMP       = 1 << 2
	CsumTCP        = 1 << 3
	CsumUDP        = 1 << 4
	CsumUDPLite    = 1 << 5
	CsumSCTP       = 1 << 6
)

// ActionKind returns "csum".
func (*Csum) ActionKind() string { return "csum" }

func (c *Csum) appendOptions(e *nla.Encoder, a *Action) error {
	if c.Update == 0 && a.Index == 0 {
		return errors.New("no header to update")
	}
	if p := structAttr(e, tcaCsumParms, tcGenLen+4); p != nil {
		a.gen(p, VerdictPass)
		native.PutUint32(p[20:], c.Update)
	}
	return nil
}

func (c *Csum) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaCsumParms, tcGenLen+4)
	if err == nil {
		c.Update = native.Uint32(p[20:])
	}
	return err
}

// Nat is stateless NAT of one address or prefix ("action nat ingress
// 10.0.0.1 192.168.0.1/32").
type Nat struct {
	// Egress rewrites source addresses; otherwise destination ones.
	Egress bool
	// Old is the address or prefix to rewrite, New its replacement.
	Old netip.Prefix
	New netip.Addr
}

// ActionKind returns "nat".
func (*Nat) ActionKind() string { return "nat" }

func (n *Nat) appendOptions(e *nla.Encoder, a *Action) error {
	if !n.Old.Addr().Is4() || !n.New.Is4() {
		return errors.New("nat rewrites IPv4 addresses only")
	}
	if p := structAttr(e, tcaNatParms, tcGenLen+16); p != nil {
		a.gen(p, VerdictPass)
		o, w := n.Old.Masked().Addr().As4(), n.New.As4()
		copy(p[20:], o[:])
		copy(p[24:], w[:])
		binary.BigEndian.PutUint32(p[28:], ^uint32(0)<<(32-n.Old.Bits())) // 0 for a /0: Go shifts past the width to 0
		if n.Egress {
			native.PutUint32(p[32:], 1) // TCA_NAT_FLAG_EGRESS
		}
	}
	return nil
}

func (n *Nat) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaNatParms, tcGenLen+16)
	if err != nil {
		return err
	}
	old := netip.AddrFrom4([4]byte(p[20:24]))
	n.New = netip.AddrFrom4([4]byte(p[24:28]))
	bits := 0
	for m := binary.BigEndian.Uint32(p[28:]); m&(1<<31) != 0; m <<= 1 {
		bits++
	}
	n.Old = netip.PrefixFrom(old, bits)
	n.Egress = native.Uint32(p[32:])&1 != 0
	return nil
}

// Connmark restores the connection's mark to the packet ("action
// connmark zone 3").
type Connmark struct {
	Zone uint16
}

// ActionKind returns "connmark".
func (*Connmark) ActionKind() string { return "connmark" }

func (c *Connmark) appendOptions(e *nla.Encoder, a *Action) error {
	if p := structAttr(e, tcaConnmarkParms, tcGenLen+4); p != nil {
		a.gen(p, VerdictPipe)
		native.PutUint16(p[20:], c.Zone)
	}
	return nil
}

func (c *Connmark) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaConnmarkParms, tcGenLen+2)
	if err == nil {
		c.Zone = native.Uint16(p[20:])
	}
	return err
}

// Sample samples packets to a psample group ("action sample rate 100
// group 5 trunc 128").
type Sample struct {
	Rate  uint32 // one packet in Rate
	Group uint32
	// Trunc, if not 0, truncates the samples to that many bytes.
	Trunc uint32
}

// ActionKind returns "sample".
func (*Sample) ActionKind() string { return "sample" }

func (s *Sample) appendOptions(e *nla.Encoder, a *Action) error {
	if a.Index == 0 && (s.Rate == 0 || s.Group == 0) {
		return errors.New("sample needs a rate and a group")
	}
	if p := structAttr(e, tcaSampleParms, tcGenLen); p != nil {
		a.gen(p, VerdictPipe)
	}
	putU32(e, tcaSampleRate, s.Rate)
	putU32(e, tcaSamplePsampleGroup, s.Group)
	putU32(e, tcaSampleTruncSize, s.Trunc)
	return nil
}

func (s *Sample) decode(opts nla.Chain) error {
	if _, err := parms(opts, tcaSampleParms, tcGenLen); err != nil {
		return err
	}
	for a := range opts.All() {
		switch a.Kind() {
		case tcaSampleRate:
			s.Rate, _ = a.Uint32()
		case tcaSamplePsampleGroup:
			s.Group, _ = a.Uint32()
		case tcaSampleTruncSize:
			s.Trunc, _ = a.Uint32()
		}
	}
	return nil
}

// MPLSAction pushes, pops or modifies an MPLS label stack entry ("action
// mpls push label 100 tc 3 ttl 64").
type MPLSAction struct {
	Op MPLSOp
	// Protocol is the ethertype (host order) of the pushed header, or of
	// the header after a pop.
	Protocol uint16
	Label    *uint32
	TC, TTL  *uint8
	BOS      *uint8
}

// MPLSOp is the mpls action's operation (TCA_MPLS_ACT_*).
type MPLSOp uint32

// The mpls operations.
const (
	MPLSPop     MPLSOp = 1
	MPLSPush    MPLSOp = 2
	MPLSModify  MPLSOp = 3
	MPLSDecTTL  MPLSOp = 4
	MPLSMacPush MPLSOp = 5
)

// ActionKind returns "mpls".
func (*MPLSAction) ActionKind() string { return "mpls" }

func (m *MPLSAction) appendOptions(e *nla.Encoder, a *Action) error {
	switch {
	case m.Op < MPLSPop || m.Op > MPLSMacPush:
		return fmt.Errorf("unknown mpls operation %d", m.Op)
	case m.Op == MPLSPop && m.Protocol == 0:
		return errors.New("pop needs a protocol")
	case (m.Op == MPLSPush || m.Op == MPLSMacPush) && m.Label == nil:
		return errors.New("push needs a label")
	case m.Label != nil && *m.Label > 0xfffff:
		return fmt.Errorf("label %d over 20 bits", *m.Label)
	case m.TC != nil && *m.TC > 7:
		return fmt.Errorf("tc %d over 7", *m.TC)
	case m.BOS != nil && *m.BOS > 1:
		return fmt.Errorf("bos %d not 0 or 1", *m.BOS)
	}
	if p := structAttr(e, tcaMplsParms, tcGenLen+4); p != nil {
		a.gen(p, VerdictPipe)
		native.PutUint32(p[20:], uint32(m.Op))
	}
	putOpt(e, (*nla.Encoder).Uint32, tcaMplsLabel, m.Label)
	if m.Protocol != 0 {
		e.Uint16BE(tcaMplsProto, m.Protocol)
	}
	putOpt(e, (*nla.Encoder).Uint8, tcaMplsTc, m.TC)
	putOpt(e, (*nla.Encoder).Uint8, tcaMplsTtl, m.TTL)
	putOpt(e, (*nla.Encoder).Uint8, tcaMplsBos, m.BOS)
	return nil
}

func (m *MPLSAction) decode(opts nla.Chain) error {
	p, err := parms(opts, tcaMplsParms, tcGenLen+4)
	if err != nil {
		return err
	}
	m.Op = MPLSOp(native.Uint32(p[20:]))
	for a := range opts.All() {
		switch a.Kind() {
		case tcaMplsLabel:
			m.Label = ptrOf(a.Uint32())
		case tcaMplsProto:
			m.Protocol, _ = a.Uint16BE()
		case tcaMplsTc:
			m.TC = ptrOf(a.Uint8())
		case tcaMplsTtl:
			m.TTL = ptrOf(a.Uint8())
		case tcaMplsBos:
			m.BOS = ptrOf(a.Uint8())
		}
	}
	return nil
}

// Simple logs a string for each packet ("action simple sdata hello").
type Simple struct {
	Data string // at most 31 bytes
}

// simpleMaxData is SIMP_MAX_DATA, the size tc sends TCA_DEF_DATA in.
const simpleMaxData = 32

// ActionKind returns "simple".
func (*Simple) ActionKind() string { return "simple" }

func (s *Simple) appendOptions(e *nla.Encoder, a *Action) error {
	if len(s.Data) >= simpleMaxData {
		return fmt.Errorf("sdata of %d bytes, at most %d", len(s.Data), simpleMaxData-1)
	}
	for i := 0; i < len(s.Data); i++ {
		if s.Data[i] == 0 {
			return errors.New("sdata holds a NUL byte")
		}
	}
	if p := structAttr(e, tcaDefParms, tcGenLen); p != nil {
		a.gen(p, VerdictPipe)
	}
	if s.Data != "" {
		if p := structAttr(e, tcaDefData, simpleMaxData); p != nil {
			copy(p, s.Data)
		}
	}
	return nil
}

func (s *Simple) decode(opts nla.Chain) error {
	if _, err := parms(opts, tcaDefParms, tcGenLen); err != nil {
		return err
	}
	if a, ok := opts.Get(tcaDefData); ok {
		b, _ := a.TextBytes()
		s.Data = string(b)
	}
	return nil
}

// CT sends packets through connection tracking ("action ct commit zone
// 5", "action ct nat src addr 192.0.2.1-192.0.2.9", "action ct clear").
type CT struct {
	// Flags are CTCommit, CTForce, CTClear, CTNat, CTNatSrc, CTNatDst.
	Flags uint16
	Zone  uint16
	// Mark and MarkMask set the connection's mark.
	Mark, MarkMask *uint32
	// Labels and LabelsMask set the connection's 128-bit labels.
	Labels, LabelsMask []byte
	// NatMin, NatMax and PortMin, PortMax are the NAT address and port
	// ranges.
	NatMin, NatMax   netip.Addr
	PortMin, PortMax uint16
	// Helper names a conntrack helper, for Family and Proto.
	Helper       string
	HelperFamily uint8
	HelperProto  uint8
}

// Flags of [CT] (TCA_CT_ACT_*).
const (
	CTCommit = 1 << 0
	CTForce  = 1 << 1
	CTClear  = 1 << 2
	CTNat    = 1 << 3
	CTNatSrc = 1 << 4
	CTNatDst = 1 << 5
)

// ActionKind returns "ct".
func (*CT) ActionKind() string { return "ct" }

func (c *CT) appendOptions(e *nla.Encoder, a *Action) error {
	switch {
	case c.Flags&CTClear != 0 && c.Flags&^CTClear != 0:
		return errors.New("clear takes no other flag")
	case c.Flags&CTNatSrc != 0 && c.Flags&CTNatDst != 0:
		return errors.New("nat src and dst at once")
	case c.Flags&(CTNatSrc|CTNatDst) != 0 && c.Flags&CTCommit == 0:
		return errors.New("nat src or dst needs commit")
	case c.Labels != nil && len(c.Labels) != 16, c.LabelsMask != nil && len(c.LabelsMask) != 16:
		return errors.New("labels are 16 bytes")
	case c.NatMin.IsValid() && c.NatMax.IsValid() && c.NatMin.Is4() != c.NatMax.Is4():
		return errors.New("nat range of two families")
	}
	if c.Zone != 0 {
		e.Uint16(tcaCtZone, c.Zone)
	}
	putOpt(e, (*nla.Encoder).Uint32, tcaCtMark, c.Mark)
	putOpt(e, (*nla.Encoder).Uint32, tcaCtMarkMask, c.MarkMask)
	if c.Labels != nil {
		e.Binary(tcaCtLabels, c.Labels)
	}
	if c.LabelsMask != nil {
		e.Binary(tcaCtLabelsMask, c.LabelsMask)
	}
	if c.NatMin.IsValid() {
		t0, t1 := uint16(tcaCtNatIpv4Min), uint16(tcaCtNatIpv4Max)
		if c.NatMin.Is6() {
			t0, t1 = tcaCtNatIpv6Min, tcaCtNatIpv6Max
		}
		e.Addr(t0, c.NatMin)
		e.Addr(t1, c.NatMax)
	}
	if c.PortMin != 0 {
		e.Uint16BE(tcaCtNatPortMin, c.PortMin)
		e.Uint16BE(tcaCtNatPortMax, c.PortMax)
	}
	if c.Helper != "" {
		e.String(tcaCtHelperName, c.Helper)
		e.Uint8(tcaCtHelperFamily, c.HelperFamily)
		e.Uint8(tcaCtHelperProto, c.HelperProto)
	}
	e.Uint16(tcaCtAction, c.Flags)
	if p := structAttr(e, tcaCtParms, tcGenLen); p != nil {
		a.gen(p, VerdictPipe)
	}
	return nil
}

func (c *CT) decode(opts nla.Chain) error {
	if _, err := parms(opts, tcaCtParms, tcGenLen); err != nil {
		return err
	}
	for a := range opts.All() {
		switch a.Kind() {
		case tcaCtAction:
			c.Flags, _ = a.Uint16()
		case tcaCtZone:
			c.Zone, _ = a.Uint16()
		case tcaCtMark:
			c.Mark = ptrOf(a.Uint32())
		case tcaCtMarkMask:
			c.MarkMask = ptrOf(a.Uint32())
		case tcaCtLabels:
			c.Labels = append([]byte{}, a.Data...)
		case tcaCtLabelsMask:
			c.LabelsMask = append([]byte{}, a.Data...)
		case tcaCtNatIpv4Min, tcaCtNatIpv6Min:
			c.NatMin, _ = a.Addr()
		case tcaCtNatIpv4Max, tcaCtNatIpv6Max:
			c.NatMax, _ = a.Addr()
		case tcaCtNatPortMin:
			c.PortMin, _ = a.Uint16BE()
		case tcaCtNatPortMax:
			c.PortMax, _ = a.Uint16BE()
		case tcaCtHelperName:
			c.Helper, _ = a.Text()
		case tcaCtHelperFamily:
			c.HelperFamily, _ = a.Uint8()
		case tcaCtHelperProto:
			c.HelperProto, _ = a.Uint8()
		}
	}
	return nil
}

// BPFAction runs a BPF program as an action: an eBPF program by file
// descriptor, or classic BPF bytecode ("action bpf bytecode ...",
// "action bpf object-pinned PATH").
type BPFAction struct {
	// FD is a loaded program's descriptor (the caller keeps it open
	// until the request is sent); Name names it in dumps.
	FD   int
	Name string
	// Ops is classic BPF bytecode, instead of FD.
	Ops []BPFInstruction
	// ID and Tag are reported by the kernel for an eBPF program.
	ID  uint32
	Tag []byte
}

// ActionKind returns "bpf".
func (*BPFAction) ActionKind() string { return "bpf" }

func (b *BPFAction) appendOptions(e *nla.Encoder, a *Action) error {
	prog := bpfProg{&b.FD, &b.Name, &b.Ops, &b.ID, &b.Tag}
	if a.Index == 0 {
		if err := prog.check(); err != nil {
			return err
		}
	}
	if err := prog.append(e, &actBPFAttrs); err != nil {
		return err
	}
	if p := structAttr(e, tcaActBpfParms, tcGenLen); p != nil {
		a.gen(p, VerdictPipe)
	}
	return nil
}

func (b *BPFAction) decode(opts nla.Chain) error {
	if _, err := parms(opts, tcaActBpfParms, tcGenLen); err != nil {
		return err
	}
	prog := bpfProg{&b.FD, &b.Name, &b.Ops, &b.ID, &b.Tag}
	for a := range opts.All() {
		prog.decode(a, &actBPFAttrs)
	}
	return nil
}
