package tc

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Masked is a value matched under a mask: the bits set in Mask must equal
// Value's.
type Masked[T uint8 | uint16 | uint32] struct {
	Value, Mask T
}

// Exact returns v matched in full.
func Exact[T uint8 | uint16 | uint32](v T) *Masked[T] { return &Masked[T]{Value: v, Mask: ^T(0)} }

// Flower is the flower classifier: matches on the fields the kernel's flow
// dissector extracts, from Ethernet to tunnel metadata and connection
// tracking ("flower ip_proto tcp dst_ip 192.0.2.1 dst_port 80 action
// drop"). Nil and zero fields do not match; the filter's protocol is the
// ethertype it matches (tc sends it as TCA_FLOWER_KEY_ETH_TYPE too).
type Flower struct {
	ClassID Handle
	// Indev restricts the filter to packets received on a device.
	Indev string
	// Flags are FilterSkipHW, FilterSkipSW or FilterVerbose; dumps add
	// FilterInHW or FilterNotInHW.
	Flags   uint32
	Actions []Action

	// Ethernet addresses; a nil mask matches the whole address.
	DstMAC, DstMACMask net.HardwareAddr
	SrcMAC, SrcMACMask net.HardwareAddr
	// VLAN and inner (customer) VLAN of a QinQ packet; the ethertypes
	// are of what follows the tag (host order).
	VlanID       *uint16
	VlanPrio     *uint8
	VlanEthType  uint16
	CVlanID      *uint16
	CVlanPrio    *uint8
	CVlanEthType uint16
	// MPLS label stack entry fields.
	MPLSLabel *uint32
	MPLSTC    *uint8
	MPLSBOS   *uint8
	MPLSTTL   *uint8

	// IPProto is the IP protocol (unix.IPPROTO_TCP, ...), needed by the
	// port, TCP flag and ICMP matches.
	IPProto *uint8
	IPTOS   *Masked[uint8]
	IPTTL   *Masked[uint8]
	// Dst and Src are address prefixes, IPv4 or IPv6.
	Dst, Src netip.Prefix
	// IPFlags match fragmentation: FlowerFragment, FlowerFirstFragment
	// (tc's "ip_flags frag/nofirstfrag").
	IPFlags *Masked[uint32]

	// Ports of TCP, UDP or SCTP; a range when the Max is set ("dst_port
	// 1000-2000").
	DstPort, DstPortMax uint16
	SrcPort, SrcPortMax uint16
	TCPFlags            *Masked[uint16]
	// ICMP type and code, of ICMP or ICMPv6 by IPProto.
	ICMPType *Masked[uint8]
	ICMPCode *Masked[uint8]

	// ARP fields, for protocol arp or rarp.
	ARPTargetIP, ARPSenderIP netip.Prefix
	ARPOp                    *Masked[uint8]
	ARPTargetMAC, ARPTHAMask net.HardwareAddr
	ARPSenderMAC, ARPSHAMask net.HardwareAddr

	// Tunnel metadata of a packet received on a collect_md device.
	EncDst, EncSrc netip.Prefix
	EncKeyID       *uint32
	EncDstPort     uint16
	EncTOS         *Masked[uint8]
	EncTTL         *Masked[uint8]

	// Connection tracking: state (FlowerCT* bits), zone, mark.
	CTState *Masked[uint16]
	CTZone  *Masked[uint16]
	CTMark  *Masked[uint32]
}

// Flags of [Flower.IPFlags] (TCA_FLOWER_KEY_FLAGS_*).
const (
	FlowerFragment      = 1 << 0 // "frag"
	FlowerFirstFragment = 1 << 1 // "firstfrag"
)

// Connection tracking states of [Flower.CTState]
// (TCA_FLOWER_KEY_CT_FLAGS_*), with tc's names.
const (
	FlowerCTNew         = 1 << 0 // "new"
	FlowerCTEstablished = 1 << 1 // "est"
	FlowerCTRelated     = 1 << 2 // "rel"
	FlowerCTTracked     = 1 << 3 // "trk"
	FlowerCTInvalid     = 1 << 4 // "inv"
	FlowerCTReply       = 1 << 5 // "rpl"
)

// Kind returns "flower".
func (*Flower) Kind() string { return "flower" }

func putMAC(e *nla.Encoder, typ, maskTyp uint16, addr, mask net.HardwareAddr) error {
	if addr == nil {
		return nil
	}
	if len(addr) != 6 || mask != nil && len(mask) != 6 {
		return fmt.Errorf("Ethernet address %v: want 6 bytes", addr)
	}
	e.Binary(typ, addr)
	if mask == nil {
		mask = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	}
	e.Binary(maskTyp, mask)
	return nil
}

// putPrefix appends an address and its mask, as one of the IPv4 or IPv6
// type pairs.
func putPrefix(e *nla.Encoder, p netip.Prefix, t4, m4, t6, m6 uint16) {
	if !p.IsValid() {
		return
	}
	a := p.Masked().Addr()
	t, m := t4, m4
	if a.Is6() {
		t, m = t6, m6
	}
	e.Addr(t, a)
	mask := make([]byte, a.BitLen()/8)
	for i := 0; i < p.Bits(); i++ {
		mask[i/8] |= 0x80 >> (i % 8)
	}
	e.Binary(m, mask)
}

// only4 drops a prefix that is not IPv4, where only IPv4 is meaningful.
func only4(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4() {
		return p
	}
	return netip.Prefix{}
}

// putOpt appends attribute t, with put, when v is set.
func putOpt[T any](e *nla.Encoder, put func(*nla.Encoder, uint16, T), t uint16, v *T) {
	if v != nil {
		put(e, t, *v)
	}
}

// putMasked writes a key and its mask when v is set; put is the
// encoder's method for the key's width and byte order, such as
// (*nla.Encoder).Uint16BE.
func putMasked[T uint8 | uint16 | uint32](e *nla.Encoder, put func(*nla.Encoder, uint16, T), t, m uint16, v *Masked[T]) {
	if v != nil {
		put(e, t, v.Value)
		put(e, m, v.Mask)
	}
}

// flowerPortTypes returns the attribute types of a port match for the
// protocol: the single port of the source and destination, then their
// masks.
func flowerPortTypes(proto uint8) (src, dst uint16, ok bool) {
	switch proto {
	case unix.IPPROTO_TCP:
		return tcaFlowerKeyTcpSrc, tcaFlowerKeyTcpDst, true
	case unix.IPPROTO_UDP:
		return tcaFlowerKeyUdpSrc, tcaFlowerKeyUdpDst, true
	case unix.IPPROTO_SCTP:
		return tcaFlowerKeySctpSrc, tcaFlowerKeySctpDst, true
	}
	return 0, 0, false
}

func (f *Flower) appendOpts(e *nla.Encoder) error { return f.appendFlower(e, 0) }

// appendFlower appends the options of a filter of protocol ethType, which
// flower repeats as TCA_FLOWER_KEY_ETH_TYPE, as tc does.
func (f *Flower) appendFlower(e *nla.Encoder, ethType uint16) error {
	if err := checkSkipFlags(f.Flags); err != nil {
		return err
	}
	if err := checkIndev(f.Indev); err != nil {
		return err
	}
	var proto uint8
	if f.IPProto != nil {
		proto = *f.IPProto
	}
	ports := f.DstPort != 0 || f.SrcPort != 0
	srcT, dstT, portOK := flowerPortTypes(proto)
	if ports && !portOK {
		return errors.New("ports need ip_proto tcp, udp or sctp")
	}
	if f.TCPFlags != nil && proto != unix.IPPROTO_TCP {
		return errors.New("tcp_flags need ip_proto tcp")
	}
	icmp := f.ICMPType != nil || f.ICMPCode != nil
	if icmp && proto != unix.IPPROTO_ICMP && proto != unix.IPPROTO_ICMPV6 {
		return errors.New("icmp type and code need ip_proto icmp or ipv6-icmp")
	}
	if f.VlanID != nil && *f.VlanID > 4095 || f.CVlanID != nil && *f.CVlanID > 4095 {
		return errors.New("vlan id over 4095")
	}
	if f.VlanPrio != nil && *f.VlanPrio > 7 || f.CVlanPrio != nil && *f.CVlanPrio > 7 {
		return errors.New("vlan priority over 7")
	}
	if f.MPLSLabel != nil && *f.MPLSLabel > 0xfffff {
		return errors.New("mpls label over 20 bits")
	}
	if f.ARPTargetIP.IsValid() && !f.ARPTargetIP.Addr().Is4() || f.ARPSenderIP.IsValid() && !f.ARPSenderIP.Addr().Is4() {
		return errors.New("arp addresses are IPv4")
	}
	if f.DstPortMax != 0 && f.DstPortMax <= f.DstPort || f.SrcPortMax != 0 && f.SrcPortMax <= f.SrcPort {
		return errors.New("a port range's max must be over its min")
	}

	putU32(e, tcaFlowerClassid, f.ClassID)
	putMasked(e, (*nla.Encoder).Uint16, tcaFlowerKeyCtState, tcaFlowerKeyCtStateMask, f.CTState)
	putMasked(e, (*nla.Encoder).Uint16, tcaFlowerKeyCtZone, tcaFlowerKeyCtZoneMask, f.CTZone)
	putMasked(e, (*nla.Encoder).Uint32, tcaFlowerKeyCtMark, tcaFlowerKeyCtMarkMask, f.CTMark)
	if f.Indev != "" {
		e.String(tcaFlowerIndev, f.Indev)
	}
	putOpt(e, (*nla.Encoder).Uint16, tcaFlowerKeyVlanId, f.VlanID)
	putOpt(e, (*nla.Encoder).Uint8, tcaFlowerKeyVlanPrio, f.VlanPrio)
	if f.VlanEthType != 0 {
		e.Uint16BE(tcaFlowerKeyVlanEthType, f.VlanEthType)
	}
	putOpt(e, (*nla.Encoder).Uint16, tcaFlowerKeyCvlanId, f.CVlanID)
	putOpt(e, (*nla.Encoder).Uint8, tcaFlowerKeyCvlanPrio, f.CVlanPrio)
	if f.CVlanEthType != 0 {
		e.Uint16BE(tcaFlowerKeyCvlanEthType, f.CVlanEthType)
	}
	putOpt(e, (*nla.Encoder).Uint32, tcaFlowerKeyMplsLabel, f.MPLSLabel)
	putOpt(e, (*nla.Encoder).Uint8, tcaFlowerKeyMplsTc, f.MPLSTC)
	putOpt(e, (*nla.Encoder).Uint8, tcaFlowerKeyMplsBos, f.MPLSBOS)
	putOpt(e, (*nla.Encoder).Uint8, tcaFlowerKeyMplsTtl, f.MPLSTTL)
	if err := putMAC(e, tcaFlowerKeyEthDst, tcaFlowerKeyEthDstMask, f.DstMAC, f.DstMACMask); err != nil {
		return err
	}
	if err := putMAC(e, tcaFlowerKeyEthSrc, tcaFlowerKeyEthSrcMask, f.SrcMAC, f.SrcMACMask); err != nil {
		return err
	}
	if f.IPProto != nil {
		e.Uint8(tcaFlowerKeyIpProto, proto)
	}
	putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyIpTos, tcaFlowerKeyIpTosMask, f.IPTOS)
	putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyIpTtl, tcaFlowerKeyIpTtlMask, f.IPTTL)
	putPrefix(e, f.Dst, tcaFlowerKeyIpv4Dst, tcaFlowerKeyIpv4DstMask, tcaFlowerKeyIpv6Dst, tcaFlowerKeyIpv6DstMask)
	putPrefix(e, f.Src, tcaFlowerKeyIpv4Src, tcaFlowerKeyIpv4SrcMask, tcaFlowerKeyIpv6Src, tcaFlowerKeyIpv6SrcMask)
	putPort := func(port, max uint16, single, min, maxT uint16) {
		switch {
		case max != 0:
			e.Uint16BE(min, port)
			e.Uint16BE(maxT, max)
		case port != 0:
			e.Uint16BE(single, port)
		}
	}
	putPort(f.DstPort, f.DstPortMax, dstT, tcaFlowerKeyPortDstMin, tcaFlowerKeyPortDstMax)
	putPort(f.SrcPort, f.SrcPortMax, srcT, tcaFlowerKeyPortSrcMin, tcaFlowerKeyPortSrcMax)
	putMasked(e, (*nla.Encoder).Uint16BE, tcaFlowerKeyTcpFlags, tcaFlowerKeyTcpFlagsMask, f.TCPFlags)
	if proto == unix.IPPROTO_ICMPV6 {
		putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyIcmpv6Type, tcaFlowerKeyIcmpv6TypeMask, f.ICMPType)
		putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyIcmpv6Code, tcaFlowerKeyIcmpv6CodeMask, f.ICMPCode)
	} else {
		putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyIcmpv4Type, tcaFlowerKeyIcmpv4TypeMask, f.ICMPType)
		putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyIcmpv4Code, tcaFlowerKeyIcmpv4CodeMask, f.ICMPCode)
	}
	putPrefix(e, f.ARPTargetIP, tcaFlowerKeyArpTip, tcaFlowerKeyArpTipMask, 0, 0)
	putPrefix(e, f.ARPSenderIP, tcaFlowerKeyArpSip, tcaFlowerKeyArpSipMask, 0, 0)
	putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyArpOp, tcaFlowerKeyArpOpMask, f.ARPOp)
	if err := putMAC(e, tcaFlowerKeyArpTha, tcaFlowerKeyArpThaMask, f.ARPTargetMAC, f.ARPTHAMask); err != nil {
		return err
	}
	if err := putMAC(e, tcaFlowerKeyArpSha, tcaFlowerKeyArpShaMask, f.ARPSenderMAC, f.ARPSHAMask); err != nil {
		return err
	}
	putPrefix(e, f.EncDst, tcaFlowerKeyEncIpv4Dst, tcaFlowerKeyEncIpv4DstMask, tcaFlowerKeyEncIpv6Dst, tcaFlowerKeyEncIpv6DstMask)
	putPrefix(e, f.EncSrc, tcaFlowerKeyEncIpv4Src, tcaFlowerKeyEncIpv4SrcMask, tcaFlowerKeyEncIpv6Src, tcaFlowerKeyEncIpv6SrcMask)
	putOpt(e, (*nla.Encoder).Uint32BE, tcaFlowerKeyEncKeyId, f.EncKeyID)
	if f.EncDstPort != 0 {
		e.Uint16BE(tcaFlowerKeyEncUdpDstPort, f.EncDstPort)
	}
	putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyEncIpTos, tcaFlowerKeyEncIpTosMask, f.EncTOS)
	putMasked(e, (*nla.Encoder).Uint8, tcaFlowerKeyEncIpTtl, tcaFlowerKeyEncIpTtlMask, f.EncTTL)
	if len(f.Actions) > 0 {
		if err := appendActions(e, tcaFlowerAct, f.Actions); err != nil {
			return err
		}
	}
	e.Uint32(tcaFlowerFlags, f.Flags)
	putMasked(e, (*nla.Encoder).Uint32BE, tcaFlowerKeyFlags, tcaFlowerKeyFlagsMask, f.IPFlags)
	if ethType != 0 && ethType != unix.ETH_P_ALL {
		e.Uint16BE(tcaFlowerKeyEthType, ethType)
	}
	return nil
}

// maskedAttr reads attribute t of a flower dump's attributes (tab, with
// have saying which came) and its mask m, all ones when absent, with get;
// nil when t is absent.
func maskedAttr[T uint16 | uint32](tab []nla.Attr, have []bool, t, m uint16, get func(nla.Attr) (T, error)) *Masked[T] {
	if !have[t] {
		return nil
	}
	v, _ := get(tab[t])
	r := &Masked[T]{Value: v, Mask: ^T(0)}
	if have[m] {
		r.Mask, _ = get(tab[m])
	}
	return r
}

func (f *Flower) decode(opts nla.Chain) (err error) {
	var tab [tcaFlowerKeyEncFlagsMask + 1]nla.Attr
	var have [len(tab)]bool
	for a := range opts.All() {
		if k := a.Kind(); int(k) < len(tab) {
			tab[k], have[k] = a, true
		}
	}
	if err := opts.Err(); err != nil {
		return err
	}
	u8 := func(t uint16) *uint8 {
		if !have[t] {
			return nil
		}
		return ptrOf(tab[t].Uint8())
	}
	u16 := func(t uint16) *uint16 {
		if !have[t] {
			return nil
		}
		return ptrOf(tab[t].Uint16())
	}
	m8 := func(t, m uint16) *Masked[uint8] {
		v := u8(t)
		if v == nil {
			return nil
		}
		r := &Masked[uint8]{Value: *v, Mask: 0xff}
		if mv := u8(m); mv != nil {
			r.Mask = *mv
		}
		return r
	}
	mac := func(t, m uint16) (net.HardwareAddr, net.HardwareAddr) {
		if !have[t] {
			return nil, nil
		}
		a := net.HardwareAddr(bytes.Clone(tab[t].Data))
		if !have[m] || bytes.Equal(tab[m].Data, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) {
			return a, nil
		}
		return a, net.HardwareAddr(bytes.Clone(tab[m].Data))
	}
	prefix := func(t, m uint16) netip.Prefix {
		if !have[t] {
			return netip.Prefix{}
		}
		a, err := tab[t].Addr()
		if err != nil {
			return netip.Prefix{}
		}
		bits := a.BitLen()
		if have[m] {
			bits = 0
			for _, b := range tab[m].Data {
				for ; b&0x80 != 0; b <<= 1 {
					bits++
				}
				if b != 0 || bits%8 != 0 {
					break
				}
			}
		}
		return netip.PrefixFrom(a, bits)
	}
	or := func(a, b netip.Prefix) netip.Prefix {
		if a.IsValid() {
			return a
		}
		return b
	}
	if have[tcaFlowerClassid] {
		v, _ := tab[tcaFlowerClassid].Uint32()
		f.ClassID = Handle(v)
	}
	if have[tcaFlowerIndev] {
		f.Indev, _ = tab[tcaFlowerIndev].Text()
	}
	if have[tcaFlowerFlags] {
		f.Flags, _ = tab[tcaFlowerFlags].Uint32()
	}
	if have[tcaFlowerAct] {
		if f.Actions, err = decodeFilterActions(tab[tcaFlowerAct]); err != nil {
			return err
		}
	}
	f.DstMAC, f.DstMACMask = mac(tcaFlowerKeyEthDst, tcaFlowerKeyEthDstMask)
	f.SrcMAC, f.SrcMACMask = mac(tcaFlowerKeyEthSrc, tcaFlowerKeyEthSrcMask)
	f.VlanID = u16(tcaFlowerKeyVlanId)
	f.VlanPrio = u8(tcaFlowerKeyVlanPrio)
	if have[tcaFlowerKeyVlanEthType] {
		f.VlanEthType, _ = tab[tcaFlowerKeyVlanEthType].Uint16BE()
	}
	f.CVlanID = u16(tcaFlowerKeyCvlanId)
	f.CVlanPrio = u8(tcaFlowerKeyCvlanPrio)
	if have[tcaFlowerKeyCvlanEthType] {
		f.CVlanEthType, _ = tab[tcaFlowerKeyCvlanEthType].Uint16BE()
	}
	if have[tcaFlowerKeyMplsLabel] {
		f.MPLSLabel = ptrOf(tab[tcaFlowerKeyMplsLabel].Uint32())
	}
	f.MPLSTC = u8(tcaFlowerKeyMplsTc)
	f.MPLSBOS = u8(tcaFlowerKeyMplsBos)
	f.MPLSTTL = u8(tcaFlowerKeyMplsTtl)
	f.IPProto = u8(tcaFlowerKeyIpProto)
	f.IPTOS = m8(tcaFlowerKeyIpTos, tcaFlowerKeyIpTosMask)
	f.IPTTL = m8(tcaFlowerKeyIpTtl, tcaFlowerKeyIpTtlMask)
	f.Dst = or(prefix(tcaFlowerKeyIpv4Dst, tcaFlowerKeyIpv4DstMask), prefix(tcaFlowerKeyIpv6Dst, tcaFlowerKeyIpv6DstMask))
	f.Src = or(prefix(tcaFlowerKeyIpv4Src, tcaFlowerKeyIpv4SrcMask), prefix(tcaFlowerKeyIpv6Src, tcaFlowerKeyIpv6SrcMask))
	f.IPFlags = maskedAttr(tab[:], have[:], tcaFlowerKeyFlags, tcaFlowerKeyFlagsMask, nla.Attr.Uint32BE)
	port := func(ts ...uint16) uint16 {
		for _, t := range ts {
			if have[t] {
				v, _ := tab[t].Uint16BE()
				return v
			}
		}
		return 0
	}
	f.DstPort = port(tcaFlowerKeyTcpDst, tcaFlowerKeyUdpDst, tcaFlowerKeySctpDst, tcaFlowerKeyPortDstMin)
	f.DstPortMax = port(tcaFlowerKeyPortDstMax)
	f.SrcPort = port(tcaFlowerKeyTcpSrc, tcaFlowerKeyUdpSrc, tcaFlowerKeySctpSrc, tcaFlowerKeyPortSrcMin)
	f.SrcPortMax = port(tcaFlowerKeyPortSrcMax)
	f.TCPFlags = maskedAttr(tab[:], have[:], tcaFlowerKeyTcpFlags, tcaFlowerKeyTcpFlagsMask, nla.Attr.Uint16BE)
	f.ICMPType = m8(tcaFlowerKeyIcmpv4Type, tcaFlowerKeyIcmpv4TypeMask)
	f.ICMPCode = m8(tcaFlowerKeyIcmpv4Code, tcaFlowerKeyIcmpv4CodeMask)
	if f.ICMPType == nil && f.ICMPCode == nil {
		f.ICMPType = m8(tcaFlowerKeyIcmpv6Type, tcaFlowerKeyIcmpv6TypeMask)
		f.ICMPCode = m8(tcaFlowerKeyIcmpv6Code, tcaFlowerKeyIcmpv6CodeMask)
	}
	f.ARPTargetIP = only4(prefix(tcaFlowerKeyArpTip, tcaFlowerKeyArpTipMask))
	f.ARPSenderIP = only4(prefix(tcaFlowerKeyArpSip, tcaFlowerKeyArpSipMask))
	f.ARPOp = m8(tcaFlowerKeyArpOp, tcaFlowerKeyArpOpMask)
	f.ARPTargetMAC, f.ARPTHAMask = mac(tcaFlowerKeyArpTha, tcaFlowerKeyArpThaMask)
	f.ARPSenderMAC, f.ARPSHAMask = mac(tcaFlowerKeyArpSha, tcaFlowerKeyArpShaMask)
	f.EncDst = or(prefix(tcaFlowerKeyEncIpv4Dst, tcaFlowerKeyEncIpv4DstMask), prefix(tcaFlowerKeyEncIpv6Dst, tcaFlowerKeyEncIpv6DstMask))
	f.EncSrc = or(prefix(tcaFlowerKeyEncIpv4Src, tcaFlowerKeyEncIpv4SrcMask), prefix(tcaFlowerKeyEncIpv6Src, tcaFlowerKeyEncIpv6SrcMask))
	if have[tcaFlowerKeyEncKeyId] {
		f.EncKeyID = ptrOf(tab[tcaFlowerKeyEncKeyId].Uint32BE())
	}
	f.EncDstPort = port(tcaFlowerKeyEncUdpDstPort)
	f.EncTOS = m8(tcaFlowerKeyEncIpTos, tcaFlowerKeyEncIpTosMask)
	f.EncTTL = m8(tcaFlowerKeyEncIpTtl, tcaFlowerKeyEncIpTtlMask)
	f.CTState = maskedAttr(tab[:], have[:], tcaFlowerKeyCtState, tcaFlowerKeyCtStateMask, nla.Attr.Uint16)
	f.CTZone = maskedAttr(tab[:], have[:], tcaFlowerKeyCtZone, tcaFlowerKeyCtZoneMask, nla.Attr.Uint16)
	f.CTMark = maskedAttr(tab[:], have[:], tcaFlowerKeyCtMark, tcaFlowerKeyCtMarkMask, nla.Attr.Uint32)
	return nil
}
