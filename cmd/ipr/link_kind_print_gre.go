package main

// The -d printers of the IPv4 tunnels: iproute2 6.1's gre_print_opt
// (gre, gretap, erspan) and iptunnel_print_opt (ipip, sit), with
// tunnel.c's tnl_print_encap.

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// IFLA_GRE_* (linux/if_tunnel.h), which x/sys/unix lacks.
const (
	iflaGRELink            = 1
	iflaGREIFlags          = 2
	iflaGREOFlags          = 3
	iflaGREIKey            = 4
	iflaGREOKey            = 5
	iflaGRELocal           = 6
	iflaGRERemote          = 7
	iflaGRETTL             = 8
	iflaGRETOS             = 9
	iflaGREPMTUDisc        = 10
	iflaGREEncapType       = 14
	iflaGRECollectMetadata = 18
	iflaGREIgnoreDF        = 19
	iflaGREFwmark          = 20
	iflaGREErspanIndex     = 21
	iflaGREErspanVer       = 22
	iflaGREErspanDir       = 23
	iflaGREErspanHWID      = 24

	// GRE_CSUM, GRE_KEY and GRE_SEQ, big-endian in the flags.
	greCSum = 0x8000
	greKey  = 0x2000
	greSeq  = 0x1000
)

// IFLA_IPTUN_* (linux/if_tunnel.h).
const (
	sitISATAP = 0x0001
)

// printTunnelTTLTOS prints a tunnel's ttl ("inherit" for 0 in text) and
// tos (printTunnelTOS).
func printTunnelTTLTOS(p *printer, tb *nla.Index, ttlType, tosType uint16) {
	printTunnelTTL(p, tb, ttlType, "ttl %d ", "ttl inherit ")
	printTunnelTOS(p, tb, tosType)
}

// printTunnelTTL prints a tunnel's ttl, or hop limit, with format, or
// the text inherit for 0 (and for no attribute).
func printTunnelTTL(p *printer, tb *nla.Index, typ uint16, format, inherit string) {
	var ttl uint8
	if a, ok := tb.Get(typ); ok {
		ttl = attrU8(a)
	}
	if p.json || ttl != 0 {
		p.uint("ttl", format, uint64(ttl))
	} else {
		p.textString(inherit)
	}
}

// printTunnelTOS prints a tunnel's tos: nothing for 0 (or no attribute),
// "inherit" for 1 in text, else the number in hex.
func printTunnelTOS(p *printer, tb *nla.Index, typ uint16) {
	var tos uint8
	if a, ok := tb.Get(typ); ok {
		tos = attrU8(a)
	}
	if tos != 0 {
		if p.json || tos != 1 {
			p.hex("tos", "tos %s ", uint64(tos))
		} else {
			p.textString("tos inherit ")
		}
	}
}

// printTunnelLink prints the underlying device of a tunnel, when set.
func printTunnelLink(p *printer, tb *nla.Index, typ uint16, names *linkNames) {
	if a, ok := tb.Get(typ); ok {
		if link := attrU32(a); link != 0 {
			p.str("link", "dev %s ", names.name(int32(link)))
		}
	}
}

// printTunnelFwmark prints a nonzero fwmark.
func printTunnelFwmark(p *printer, tb *nla.Index, typ uint16) {
	if a, ok := tb.Get(typ); ok {
		if m := attrU32(a); m != 0 {
			p.hex("fwmark", "fwmark %s ", uint64(m))
		}
	}
}

// printTunnelEncap is tnl_print_encap; typ is the ENCAP_TYPE attribute,
// followed by ENCAP_FLAGS, ENCAP_SPORT and ENCAP_DPORT.
func printTunnelEncap(p *printer, tb *nla.Index, typ uint16) {
	a, ok := tb.Get(typ)
	if !ok || attrU16(a) == 0 { // TUNNEL_ENCAP_NONE
		return
	}
	u16 := func(t uint16) uint16 {
		a, _ := tb.Get(t)
		return attrU16(a)
	}
	flags := u16(typ + 1)
	sport, dport := u16(typ+2)>>8|u16(typ+2)<<8, u16(typ+3)>>8|u16(typ+3)<<8
	p.openObject("encap")
	p.textString("encap ")
	switch attrU16(a) {
	case 1:
		p.str("type", "%s ", "fou")
	case 2:
		p.str("type", "%s ", "gue")
	default:
		if p.json {
			p.jsonNull("type")
		} else {
			p.textString("unknown ")
		}
	}
	if p.json {
		p.jsonUint("sport", uint64(sport))
		p.jsonUint("dport", uint64(dport))
		p.jsonBool("csum", flags&1 != 0)
		p.jsonBool("csum6", flags&2 != 0)
		p.jsonBool("remcsum", flags&4 != 0)
		p.closeObject()
		return
	}
	encap := func(name string, enabled bool, port int) {
		if !enabled {
			p.textString("no")
		}
		p.textString("encap-" + name + " ")
		switch {
		case port == 0:
			p.textString("auto ")
		case port > 0:
			p.textString(strconv.Itoa(port-1) + " ")
		}
	}
	port := 0
	if sport != 0 {
		port = int(sport) + 1
	}
	encap("sport", true, port)
	encap("dport", true, int(dport)+1)
	encap("csum", flags&1 != 0, -1)
	encap("csum6", flags&2 != 0, -1)
	encap("remcsum", flags&4 != 0, -1)
}

// printGRE is gre_print_opt.
func printGRE(p *printer, tb *nla.Index, names *linkNames) {
	printGREHead(p, tb, names, unix.AF_INET)
	printTunnelTTLTOS(p, tb, iflaGRETTL, iflaGRETOS)
	if a, ok := tb.Get(iflaGREPMTUDisc); ok {
		if attrU8(a) == 0 {
			p.boolean("pmtudisc", "nopmtudisc ", false)
		} else {
			p.jsonBool("pmtudisc", true)
		}
	}
	if a, ok := tb.Get(iflaGREIgnoreDF); ok && attrU8(a) != 0 {
		p.boolean("ignore_df", "ignore-df ", true)
	}
	printGREKeys(p, tb)
	printTunnelFwmark(p, tb, iflaGREFwmark)
	printGREErspan(p, tb)
	printTunnelEncap(p, tb, iflaGREEncapType)
}

// printGREHead prints what gre and ip6gre start with: external, the
// endpoints of family and the underlying device.
func printGREHead(p *printer, tb *nla.Index, names *linkNames, family int) {
	if _, ok := tb.Get(iflaGRECollectMetadata); ok {
		p.boolean("external", "external ", true)
	}
	printTunnelEnds(p, tb, names, family, iflaGRERemote, iflaGRELocal, iflaGRELink)
}

// printGREKeys prints a GRE tunnel's keys and its sequence and checksum
// flags.
func printGREKeys(p *printer, tb *nla.Index) {
	var iflags, oflags uint16
	if a, ok := tb.Get(iflaGREIFlags); ok && len(a.Data) >= 2 {
		iflags = binary.BigEndian.Uint16(a.Data)
	}
	if a, ok := tb.Get(iflaGREOFlags); ok && len(a.Data) >= 2 {
		oflags = binary.BigEndian.Uint16(a.Data)
	}
	for _, k := range [...]struct {
		flags uint16
		typ   uint16
		name  string
	}{{iflags, iflaGREIKey, "ikey"}, {oflags, iflaGREOKey, "okey"}} {
		if a, ok := tb.Get(k.typ); ok && k.flags&greKey != 0 && len(a.Data) >= 4 {
			p.str(k.name, k.name+" %s ", netip.AddrFrom4([4]byte(a.Data[:4])).String())
		}
	}
	for _, f := range [...]struct {
		on   bool
		name string
	}{{iflags&greSeq != 0, "iseq"}, {oflags&greSeq != 0, "oseq"}, {iflags&greCSum != 0, "icsum"}, {oflags&greCSum != 0, "ocsum"}} {
		if f.on {
			p.boolean(f.name, f.name+" ", true)
		}
	}
}

// printGREErspan prints a GRE tunnel's ERSPAN settings and its encap.
func printGREErspan(p *printer, tb *nla.Index) {
	if a, ok := tb.Get(iflaGREErspanIndex); ok {
		p.uint("erspan_index", "erspan_index %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(iflaGREErspanVer); ok {
		p.uint("erspan_ver", "erspan_ver %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(iflaGREErspanDir); ok {
		dir := "egress"
		if attrU8(a) == 0 {
			dir = "ingress"
		}
		p.str("erspan_dir", "erspan_dir %s ", dir)
	}
	if a, ok := tb.Get(iflaGREErspanHWID); ok {
		p.hex("erspan_hwid", "erspan_hwid %s ", uint64(attrU16(a)))
	}
	printTunnelEncap(p, tb, iflaGREEncapType)
}

// IP6_TNL_F_* (linux/ip6_tunnel.h).
const (
	ip6TnlIgnEncapLimit    = 0x1
	ip6TnlUseOrigTclass    = 0x2
	ip6TnlUseOrigFlowlabel = 0x4
	ip6TnlMIP6Dev          = 0x8
	ip6TnlRcvDSCPCopy      = 0x10
	ip6TnlUseOrigFwmark    = 0x20
	ip6TnlAllowLocalRemote = 0x40

	iflaGREEncapLimit = 11
	iflaGREFlowinfo   = 12
	iflaGREFlags      = 13
)

// printIP6TunnelParams prints what ip6tnl and ip6gre share after the
// endpoints and device: hop limit, encapsulation limit, traffic class,
// flow label and DSCP copying; it returns the tunnel's flags.
func printIP6TunnelParams(p *printer, tb *nla.Index, ttlType, encapLimitType, flowinfoType, flagsType uint16) uint32 {
	var flags, flowinfo uint32
	a, ok := tb.Get(flagsType)
	if ok {
		flags = attrU32(a)
	}
	fi, hasFlowinfo := tb.Get(flowinfoType)
	if hasFlowinfo && len(fi.Data) >= 4 {
		flowinfo = binary.BigEndian.Uint32(fi.Data)
	}
	printTunnelTTL(p, tb, ttlType, "hoplimit %d ", "hoplimit inherit ")
	if flags&ip6TnlIgnEncapLimit != 0 {
		p.boolean("ip6_tnl_f_ign_encap_limit", "encaplimit none ", true)
	} else if a, ok := tb.Get(encapLimitType); ok {
		p.uint("encap_limit", "encaplimit %d ", uint64(attrU8(a)))
	}
	if flags&ip6TnlUseOrigTclass != 0 {
		p.boolean("ip6_tnl_f_use_orig_tclass", "tclass inherit ", true)
	} else if hasFlowinfo {
		p.str("tclass", "tclass %s ", fmt02x(uint64(flowinfo&0x0ff00000>>20), 2))
	}
	if flags&ip6TnlUseOrigFlowlabel != 0 {
		p.boolean("ip6_tnl_f_use_orig_flowlabel", "flowlabel inherit ", true)
	} else if hasFlowinfo {
		p.str("flowlabel", "flowlabel %s ", fmt02x(uint64(flowinfo&0xfffff), 5))
	}
	if flags&ip6TnlRcvDSCPCopy != 0 {
		p.boolean("ip6_tnl_f_rcv_dscp_copy", "dscp inherit ", true)
	}
	return flags
}

// fmt02x is C's "0x%0Nx".
func fmt02x(v uint64, width int) string {
	s := strconv.FormatUint(v, 16)
	for len(s) < width {
		s = "0" + s
	}
	return "0x" + s
}

// printIP6TunnelFwmark prints "fwmark inherit" or a nonzero fwmark.
func printIP6TunnelFwmark(p *printer, tb *nla.Index, flags uint32, typ uint16) {
	if flags&ip6TnlUseOrigFwmark != 0 {
		p.boolean("ip6_tnl_f_use_orig_fwmark", "fwmark inherit ", true)
	} else {
		printTunnelFwmark(p, tb, typ)
	}
}

// printGRE6 is link_gre6.c's gre_print_opt (ip6gre, ip6gretap,
// ip6erspan).
func printGRE6(p *printer, tb *nla.Index, names *linkNames) {
	printGREHead(p, tb, names, unix.AF_INET6)
	flags := printIP6TunnelParams(p, tb, iflaGRETTL, iflaGREEncapLimit, iflaGREFlowinfo, iflaGREFlags)
	printGREKeys(p, tb)
	if flags&ip6TnlAllowLocalRemote != 0 {
		p.boolean("ip6_tnl_f_allow_local_remote", "allow-localremote ", true)
	}
	printIP6TunnelFwmark(p, tb, flags, iflaGREFwmark)
	printGREErspan(p, tb)
}

// printIPTunnelHead prints what ipip, sit and ip6tnl start with: external,
// the inner protocol (protos names IPIP, IPv6 and MPLS; "" is not
// printed), the endpoints of family and the underlying device.
func printIPTunnelHead(p *printer, tb *nla.Index, names *linkNames, family int, protos [3]string) {
	if _, ok := tb.Get(uapi.IFLA_IPTUN_COLLECT_METADATA); ok {
		p.boolean("external", "external ", true)
	}
	if a, ok := tb.Get(uapi.IFLA_IPTUN_PROTO); ok {
		proto := ""
		switch attrU8(a) {
		case unix.IPPROTO_IPIP:
			proto = protos[0]
		case unix.IPPROTO_IPV6:
			proto = protos[1]
		case unix.IPPROTO_MPLS:
			proto = protos[2]
		case 0:
			proto = "any"
		}
		if proto != "" {
			p.str("proto", "%s ", proto)
		}
	}
	printTunnelEnds(p, tb, names, family, uapi.IFLA_IPTUN_REMOTE, uapi.IFLA_IPTUN_LOCAL, uapi.IFLA_IPTUN_LINK)
}

// printIP6Tunnel is ip6tunnel_print_opt (ip6tnl).
func printIP6Tunnel(p *printer, tb *nla.Index, names *linkNames) {
	printIPTunnelHead(p, tb, names, unix.AF_INET6, [...]string{"ipip6", "ip6ip6", ""})
	flags := printIP6TunnelParams(p, tb, uapi.IFLA_IPTUN_TTL, uapi.IFLA_IPTUN_ENCAP_LIMIT, uapi.IFLA_IPTUN_FLOWINFO, uapi.IFLA_IPTUN_FLAGS)
	if flags&ip6TnlMIP6Dev != 0 {
		p.boolean("ip6_tnl_f_mip6_dev", "mip6 ", true)
	}
	if flags&ip6TnlAllowLocalRemote != 0 {
		p.boolean("ip6_tnl_f_allow_local_remote", "allow-localremote ", true)
	}
	printIP6TunnelFwmark(p, tb, flags, uapi.IFLA_IPTUN_FWMARK)
	printTunnelEncap(p, tb, uapi.IFLA_IPTUN_ENCAP_TYPE)
}

// printIPTunnel is iptunnel_print_opt (ipip, sit).
func printIPTunnel(p *printer, tb *nla.Index, names *linkNames) {
	printIPTunnelHead(p, tb, names, unix.AF_INET, [...]string{"ipip", "ip6ip", "mplsip"})
	printTunnelTTLTOS(p, tb, uapi.IFLA_IPTUN_TTL, uapi.IFLA_IPTUN_TOS)
	if a, ok := tb.Get(uapi.IFLA_IPTUN_PMTUDISC); ok && attrU8(a) != 0 {
		p.boolean("pmtudisc", "pmtudisc ", true)
	} else {
		p.boolean("pmtudisc", "nopmtudisc ", false)
	}
	if a, ok := tb.Get(uapi.IFLA_IPTUN_FLAGS); ok && attrU16(a)&sitISATAP != 0 {
		p.boolean("isatap", "isatap ", true)
	}
	if a, ok := tb.Get(uapi.IFLA_IPTUN_6RD_PREFIXLEN); ok && attrU16(a) != 0 {
		plen := attrU16(a)
		rl, _ := tb.Get(uapi.IFLA_IPTUN_6RD_RELAY_PREFIXLEN)
		rp, _ := tb.Get(uapi.IFLA_IPTUN_6RD_RELAY_PREFIX)
		pfx, _ := tb.Get(uapi.IFLA_IPTUN_6RD_PREFIX)
		prefix := "::"
		if len(pfx.Data) >= 16 {
			prefix = netip.AddrFrom16([16]byte(pfx.Data[:16])).String()
		}
		relay := ""
		if len(rp.Data) >= 4 && attrU32(rp) != 0 {
			relay = netip.AddrFrom4([4]byte(rp.Data[:4])).String()
		}
		if p.json {
			p.jsonStr("prefix", prefix)
			p.jsonInt("prefixlen", int64(plen))
			if relay != "" {
				p.jsonStr("relay_prefix", relay)
				p.jsonInt("relay_prefixlen", int64(attrU16(rl)))
			}
		} else {
			p.textString("6rd-prefix " + prefix + "/" + strconv.Itoa(int(plen)) + " ")
			if relay != "" {
				p.textString("6rd-relay_prefix " + relay + "/" + strconv.Itoa(int(attrU16(rl))) + " ")
			}
		}
	}
	printTunnelFwmark(p, tb, uapi.IFLA_IPTUN_FWMARK)
	printTunnelEncap(p, tb, uapi.IFLA_IPTUN_ENCAP_TYPE)
}
