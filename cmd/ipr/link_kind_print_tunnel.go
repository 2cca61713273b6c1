package main

// The -d printers of the vti, vti6, xfrm, hsr, geneve and bareudp kinds:
// iproute2 6.1's vti_print_opt, vti6_print_opt, xfrm_print_opt,
// hsr_print_opt, geneve_print_opt and bareudp_print_opt.

import (
	"encoding/binary"
	"net/netip"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// printTunnelEndpoint is tunnel.c's tnl_print_endpoint: an address of
// family's length, "any" when absent or all zeros, "unknown" when the
// attribute has another length.
func printTunnelEndpoint(p *printer, name string, a nla.Attr, ok bool, family int) {
	value := "any"
	if ok {
		size := 4
		if family == unix.AF_INET6 {
			size = 16
		}
		switch ip, good := netip.AddrFromSlice(a.Data); {
		case len(a.Data) != size || !good:
			value = "unknown"
		case !ip.IsUnspecified():
			value = ip.String()
		}
	}
	p.str(name, name+" %s", value)
	p.textString(" ")
}

// printTunnelEnds prints what every IP tunnel kind prints early: the
// remote and local endpoints (attributes remote and local, addresses of
// family) and the underlying device (attribute link).
func printTunnelEnds(p *printer, tb *nla.Index, names *linkNames, family int, remote, local, link uint16) {
	a, ok := tb.Get(remote)
	printTunnelEndpoint(p, "remote", a, ok, family)
	a, ok = tb.Get(local)
	printTunnelEndpoint(p, "local", a, ok, family)
	printTunnelLink(p, tb, link, names)
}

// printVTIFor returns vti_print_opt (AF_INET) or vti6_print_opt.
func printVTIFor(family int) kindPrinter {
	return func(p *printer, tb *nla.Index, names *linkNames) {
		printTunnelEnds(p, tb, names, family, uapi.IFLA_VTI_REMOTE, uapi.IFLA_VTI_LOCAL, uapi.IFLA_VTI_LINK)
		// Keys are printed as IPv4 addresses, by both.
		for _, k := range [...]struct {
			typ  uint16
			name string
		}{{uapi.IFLA_VTI_IKEY, "ikey"}, {uapi.IFLA_VTI_OKEY, "okey"}} {
			if a, ok := tb.Get(k.typ); ok && attrU32(a) != 0 && len(a.Data) >= 4 {
				p.str(k.name, k.name+" %s ", netip.AddrFrom4([4]byte(a.Data[:4])).String())
			}
		}
		printTunnelFwmark(p, tb, uapi.IFLA_VTI_FWMARK)
	}
}

// printXfrm is xfrm_print_opt.
func printXfrm(p *printer, tb *nla.Index, _ *linkNames) {
	if _, ok := tb.Get(unix.IFLA_XFRM_COLLECT_METADATA); ok {
		p.boolean("external", "external ", true)
		return
	}
	if a, ok := tb.Get(unix.IFLA_XFRM_IF_ID); ok {
		p.hex("if_id", "if_id %s ", uint64(attrU32(a)))
	}
}

// printHSR is hsr_print_opt.
func printHSR(p *printer, tb *nla.Index, names *linkNames) {
	for _, c := range [...]struct {
		typ uint16
		min int
	}{{unix.IFLA_HSR_SLAVE1, 4}, {unix.IFLA_HSR_SLAVE2, 4}, {unix.IFLA_HSR_SEQ_NR, 2}, {unix.IFLA_HSR_SUPERVISION_ADDR, 6}} {
		if a, ok := tb.Get(c.typ); ok && len(a.Data) < c.min {
			return
		}
	}
	for _, s := range [...]struct {
		typ  uint16
		name string
	}{{unix.IFLA_HSR_SLAVE1, "slave1"}, {unix.IFLA_HSR_SLAVE2, "slave2"}} {
		if a, ok := tb.Get(s.typ); ok {
			p.str(s.name, s.name+" %s ", names.name(int32(attrU32(a))))
		} else if p.json {
			p.jsonNull(s.name)
		} else {
			p.textString(s.name + " <none> ")
		}
	}
	if a, ok := tb.Get(unix.IFLA_HSR_SEQ_NR); ok {
		p.int("seq_nr", "sequence %d ", int64(attrU16(a)))
	}
	if a, ok := tb.Get(unix.IFLA_HSR_SUPERVISION_ADDR); ok {
		p.str("supervision_addr", "supervision %s ", hwString(a.Data, 0xFFFF)) // ARPHRD_VOID
	}
	if a, ok := tb.Get(unix.IFLA_HSR_PROTOCOL); ok {
		p.uint("proto", "proto %d ", uint64(attrU8(a)))
	}
}

// udpFlag prints one of geneve's and vxlan's UDP checksum switches: a
// JSON boolean, or the text with "no" before it when off.
func udpFlag(p *printer, tb *nla.Index, typ uint16, key, text string) {
	on, isText := jsonSwitch(p, tb, typ, key)
	if !isText {
		return
	}
	if !on {
		p.textString("no")
	}
	p.textString(text)
}

// jsonSwitch reads the u8 switch typ of tb: with -j it prints it as the
// JSON boolean key; text reports that it is there for the text output to
// print, and on its value.
func jsonSwitch(p *printer, tb *nla.Index, typ uint16, key string) (on, text bool) {
	a, ok := tb.Get(typ)
	if !ok {
		return false, false
	}
	on = attrU8(a) != 0
	if p.json {
		p.jsonBool(key, on)
		return on, false
	}
	return on, true
}

// printGeneve is geneve_print_opt.
func printGeneve(p *printer, tb *nla.Index, _ *linkNames) {
	if _, ok := tb.Get(unix.IFLA_GENEVE_COLLECT_METADATA); ok {
		p.boolean("external", "external ", true)
	}
	if a, ok := tb.Get(unix.IFLA_GENEVE_ID); ok && len(a.Data) >= 4 {
		p.uint("id", "id %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.IFLA_GENEVE_REMOTE); ok {
		if len(a.Data) >= 4 && attrU32(a) != 0 {
			p.str("remote", "remote %s ", netip.AddrFrom4([4]byte(a.Data[:4])).String())
		}
	} else if a, ok := tb.Get(unix.IFLA_GENEVE_REMOTE6); ok && len(a.Data) >= 16 {
		if ip := netip.AddrFrom16([16]byte(a.Data[:16])); !ip.IsUnspecified() && !ip.IsMulticast() {
			p.str("remote6", "remote %s ", ip.String())
		}
	}
	printUDPTunnelTTL(p, tb, unix.IFLA_GENEVE_TTL_INHERIT, unix.IFLA_GENEVE_TTL)
	printTunnelTOS(p, tb, unix.IFLA_GENEVE_TOS)
	printUDPTunnelDFLabel(p, tb, unix.IFLA_GENEVE_DF, unix.IFLA_GENEVE_LABEL)
	if a, ok := tb.Get(unix.IFLA_GENEVE_PORT); ok && len(a.Data) >= 2 {
		p.uint("port", "dstport %d ", uint64(binary.BigEndian.Uint16(a.Data)))
	}
	udpFlag(p, tb, unix.IFLA_GENEVE_UDP_CSUM, "udp_csum", "udpcsum ")
	udpFlag(p, tb, unix.IFLA_GENEVE_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx ")
	udpFlag(p, tb, unix.IFLA_GENEVE_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx ")
	if _, ok := tb.Get(unix.IFLA_GENEVE_INNER_PROTO_INHERIT); ok {
		p.boolean("inner_proto_inherit", "innerprotoinherit ", true)
	}
}

// printUDPTunnelDF prints the don't-fragment setting and flow label of a
// printUDPTunnelTTL prints vxlan's and geneve's ttl: "inherit" when the
// TTL_INHERIT attribute is set, "auto" for 0 in text.
func printUDPTunnelTTL(p *printer, tb *nla.Index, inheritType, ttlType uint16) {
	if a, ok := tb.Get(inheritType); ok && attrU8(a) != 0 {
		p.textString("ttl inherit ")
	} else if a, ok := tb.Get(ttlType); ok {
		if ttl := attrU8(a); p.json || ttl != 0 {
			p.uint("ttl", "ttl %d ", uint64(ttl))
		} else {
			p.textString("ttl auto ")
		}
	}
}

// geneve or vxlan link, which the two print alike.
func printUDPTunnelDFLabel(p *printer, tb *nla.Index, dfType, labelType uint16) {
	if a, ok := tb.Get(dfType); ok {
		switch attrU8(a) {
		case 0:
			p.jsonStr("df", "unset")
		case 1:
			p.str("df", "df %s ", "set")
		case 2:
			p.str("df", "df %s ", "inherit")
		}
	}
	if a, ok := tb.Get(labelType); ok && len(a.Data) >= 4 {
		if label := binary.BigEndian.Uint32(a.Data); label != 0 {
			p.hex("label", "flowlabel %s ", uint64(label))
		}
	}
}

// printBareUDP is bareudp_print_opt.
func printBareUDP(p *printer, tb *nla.Index, _ *linkNames) {
	if a, ok := tb.Get(unix.IFLA_BAREUDP_PORT); ok && len(a.Data) >= 2 {
		p.uint("dstport", "dstport %d ", uint64(binary.BigEndian.Uint16(a.Data)))
	}
	if a, ok := tb.Get(unix.IFLA_BAREUDP_ETHERTYPE); ok && len(a.Data) >= 2 {
		p.str("ethertype", "ethertype %s ", llProtoName(binary.BigEndian.Uint16(a.Data)))
	}
	if a, ok := tb.Get(unix.IFLA_BAREUDP_SRCPORT_MIN); ok {
		p.uint("srcportmin", "srcportmin %d ", uint64(attrU16(a)))
	}
	if _, ok := tb.Get(unix.IFLA_BAREUDP_MULTIPROTO_MODE); ok {
		p.boolean("multiproto", "multiproto ", true)
	} else {
		p.boolean("multiproto", "nomultiproto ", false)
	}
}
