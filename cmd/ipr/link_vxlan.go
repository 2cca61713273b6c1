package main

// The vxlan link kind: parser and printer.

import (
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

func printVXLAN(p *printer, tb *nla.Index, names *linkNames) {
	nonzeroFlag := func(t uint16, key, text string) {
		if a, ok := tb.Get(t); ok && attrU8(a) != 0 {
			p.boolean(key, text, true)
		}
	}
	nonzeroFlag(unix.IFLA_VXLAN_COLLECT_METADATA, "external", "external ")
	nonzeroFlag(unix.IFLA_VXLAN_VNIFILTER, "vnifilter", "vnifilter")
	if a, ok := tb.Get(unix.IFLA_VXLAN_ID); ok && len(a.Data) >= 4 {
		p.uint("id", "id %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_GROUP); ok {
		if len(a.Data) == 4 && native32(a.Data) != 0 {
			if a.Data[0]&0xf0 == 0xe0 {
				p.str("group", "group %s ", ipString(a.Data))
			} else {
				p.str("remote", "remote %s ", ipString(a.Data))
			}
		}
	} else if a, ok := tb.Get(unix.IFLA_VXLAN_GROUP6); ok && len(a.Data) == 16 {
		if ip := netip.AddrFrom16([16]byte(a.Data)); !ip.IsUnspecified() {
			if ip.IsMulticast() {
				p.str("group6", "group %s ", ipString(a.Data))
			} else {
				p.str("remote6", "remote %s ", ipString(a.Data))
			}
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LOCAL); ok {
		if len(a.Data) == 4 && native32(a.Data) != 0 {
			p.str("local", "local %s ", ipString(a.Data))
		}
	} else if a, ok := tb.Get(unix.IFLA_VXLAN_LOCAL6); ok && len(a.Data) == 16 {
		if !netip.AddrFrom16([16]byte(a.Data)).IsUnspecified() {
			p.str("local6", "local %s ", ipString(a.Data))
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LINK); ok && attrU32(a) != 0 {
		p.str("link", "dev %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_PORT_RANGE); ok && len(a.Data) >= 4 {
		low, high := be16(a.Data), be16(a.Data[2:])
		if !p.jsonUintPair("port_range", "low", uint64(low), "high", uint64(high)) {
			p.text("srcport %d %d ", low, high)
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_PORT); ok && len(a.Data) >= 2 {
		p.uint("port", "dstport %d ", uint64(be16(a.Data)))
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LEARNING); ok {
		learning := attrU8(a) != 0
		p.jsonBool("learning", learning)
		if !learning {
			p.textString("nolearning ")
		}
	}
	nonzeroFlag(unix.IFLA_VXLAN_PROXY, "proxy", "proxy ")
	nonzeroFlag(unix.IFLA_VXLAN_RSC, "rsc", "rsc ")
	nonzeroFlag(unix.IFLA_VXLAN_L2MISS, "l2miss", "l2miss ")
	nonzeroFlag(unix.IFLA_VXLAN_L3MISS, "l3miss", "l3miss ")
	printTunnelTOS(p, tb, unix.IFLA_VXLAN_TOS)
	printUDPTunnelTTL(p, tb, unix.IFLA_VXLAN_TTL_INHERIT, unix.IFLA_VXLAN_TTL)
	printUDPTunnelDFLabel(p, tb, unix.IFLA_VXLAN_DF, unix.IFLA_VXLAN_LABEL)
	if a, ok := tb.Get(unix.IFLA_VXLAN_AGEING); ok {
		if age := attrU32(a); age == 0 {
			p.uint("ageing", "ageing none ", 0)
		} else {
			p.uint("ageing", "ageing %d ", uint64(age))
		}
	}
	if a, ok := tb.Get(unix.IFLA_VXLAN_LIMIT); ok && attrU32(a) != 0 {
		p.uint("limit", "maxaddr %d ", uint64(attrU32(a)))
	}
	udpFlag(p, tb, unix.IFLA_VXLAN_UDP_CSUM, "udp_csum", "udpcsum ")
	udpFlag(p, tb, unix.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx ")
	udpFlag(p, tb, unix.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx ")
	nonzeroFlag(unix.IFLA_VXLAN_REMCSUM_TX, "remcsum_tx", "remcsumtx ")
	nonzeroFlag(unix.IFLA_VXLAN_REMCSUM_RX, "remcsum_rx", "remcsumrx ")
	if _, ok := tb.Get(unix.IFLA_VXLAN_GBP); ok {
		p.boolean("gbp", "gbp ", true)
	}
	if _, ok := tb.Get(unix.IFLA_VXLAN_GPE); ok {
		p.boolean("gpe", "gpe ", true)
	}
}

// parseVXLAN parses the arguments of "type vxlan".
func parseVXLAN(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	vx := &rtm.Vxlan{}
	s.Kind = vx
	var hasID bool
	h := map[string]func() error{
		"id":         func() error { hasID = true; return kp.plainU32(&vx.VNI)() },
		"vni":        func() error { hasID = true; return kp.plainU32(&vx.VNI)() },
		"remote":     kp.addr(&vx.Remote),
		"group":      kp.addr(&vx.Group),
		"local":      kp.addr(&vx.Local),
		"dev":        kp.dev(lp, &vx.Dev),
		"ttl":        kp.ttl(&vx.TTL),
		"hoplimit":   kp.ttl(&vx.TTL),
		"tos":        kp.tos(&vx.TOS),
		"dsfield":    kp.tos(&vx.TOS),
		"srcport":    kp.portRange(&vx.SrcPortMin, &vx.SrcPortMax),
		"port":       kp.plainU16(&vx.Port),
		"dstport":    kp.plainU16(&vx.Port),
		"ageing":     kp.seconds(&vx.Ageing),
		"maxaddress": kp.u32(&vx.MaxAddresses),
		"flowlabel":  kp.u32(&vx.FlowLabel),
		"label":      kp.u32(&vx.FlowLabel),
		"gbp":        func() error { vx.GBP = true; return nil },
	}
	// Each switch is set by its word and cleared by "no" and the word.
	for _, sw := range [...]struct {
		word string
		o    *rtm.Opt[bool]
	}{{"learning", &vx.Learning}, {"proxy", &vx.Proxy}, {"rsc", &vx.RSC}, {"l2miss", &vx.L2Miss}, {"l3miss", &vx.L3Miss},
		{"udpcsum", &vx.UDPChecksum}, {"udp6zerocsumtx", &vx.UDP6ZeroCsumTx}, {"udp6zerocsumrx", &vx.UDP6ZeroCsumRx},
		{"external", &vx.External}, {"vnifilter", &vx.VNIFilter}} {
		h[sw.word] = kp.flag(sw.o, true)
		h["no"+sw.word] = kp.flag(sw.o, false)
	}
	err := kp.parse(h)
	if err != nil {
		return err
	}
	if l, ok := vx.FlowLabel.Get(); ok && l > 1<<20-1 {
		return invarg("invalid flowlabel", fmt.Sprint(l))
	}
	external := vx.External.Or(false)
	switch {
	case vx.VNIFilter.Or(false) && !external:
		return &cliError{code: exitFailure, msg: "vxlan: vnifilter is valid only when 'external' is set"}
	case external && hasID:
		return &cliError{code: exitFailure, msg: "vxlan: both 'external' and vni cannot be specified"}
	case !hasID && !external:
		return usagef("type vxlan: \"id\" is required")
	}
	return nil
}
