package main

// The lightweight tunnel encapsulations of routes: iproute2's iproute_lwtunnel.c, printing.

import (
	"encoding/binary"
	"fmt"

	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// printEncap is iproute2's lwt_print_encap.
func printEncap(p *printer, t uint16, c nla.Chain, names *linkNames) {
	// format_encap_type's names are read_encap_type's.
	p.str("encap", " encap %s ", nameOf(encapTypes, t))
	switch t {
	case unix.LWTUNNEL_ENCAP_MPLS:
		if a, ok := c.Get(unix.MPLS_IPTUNNEL_DST); ok {
			p.str("dst", " %s ", formatAddr(unix.AF_MPLS, a.Data))
		}
		if a, ok := c.Get(unix.MPLS_IPTUNNEL_TTL); ok {
			p.uint("ttl", "ttl %d ", uint64(attrU8(a)))
		}
	case unix.LWTUNNEL_ENCAP_SEG6:
		a, ok := c.Get(uapi.SEG6_IPTUNNEL_SRH)
		if !ok || len(a.Data) < 4 {
			return
		}
		mode := rtm.Seg6Mode(binary.NativeEndian.Uint32(a.Data))
		p.str("mode", "mode %s ", nameOr(seg6Modes, mode, "<unknown>"))
		printSRH(p, a.Data[4:])
	case unix.LWTUNNEL_ENCAP_SEG6_LOCAL:
		printSeg6Local(p, c, names)
	case unix.LWTUNNEL_ENCAP_IP:
		printTunnelKey(p, c, unix.AF_INET, "ttl", "tos")
	case unix.LWTUNNEL_ENCAP_IP6:
		printTunnelKey(p, c, unix.AF_INET6, "hoplimit", "tc")
	default:
		e, err := rtm.ParseEncap(t, c)
		if err == nil {
			printTypedEncap(p, e, names)
		}
	}
}

// printTypedEncap is iproute2's print_encap_ip, _ip6, _ila, _bpf, _rpl,
// _ioam6 and _xfrm.
func printTypedEncap(p *printer, e rtm.Encap, names *linkNames) {
	switch e := e.(type) {
	case rtm.EncapILA:
		p.str("locator", " %s ", fmt.Sprintf("%x:%x:%x:%x", e.Locator>>48, e.Locator>>32&0xffff, e.Locator>>16&0xffff, e.Locator&0xffff))
		if e.CsumModeSet {
			p.str("csum_mode", " csum-mode %s ", nameOf(ilaCsumModes, e.CsumMode))
		}
		if e.IdentTypeSet {
			p.str("ident_type", " ident-type %s ", nameOf(ilaIdentTypes, e.IdentType))
		}
		if e.HookTypeSet {
			p.str("hook_type", " hook-type %s ", nameOf(ilaHookTypes, e.HookType))
		}
	case rtm.EncapBPF:
		for _, prog := range []struct {
			hook string
			p    rtm.BPFProg
		}{{"in", e.In}, {"out", e.Out}, {"xmit", e.Xmit}} {
			if prog.p == (rtm.BPFProg{}) {
				continue
			}
			name := prog.p.Name
			if p.json {
				if name == "" {
					name = "<unknown>"
				}
				p.jsonStr(prog.hook, name)
			} else {
				p.text("%s ", prog.hook)
				if name != "" {
					p.text("%s ", name)
				}
			}
		}
		if e.Headroom != 0 {
			p.uint("headroom", " %d ", uint64(e.Headroom))
		}
	case rtm.EncapRPL:
		if p.json {
			p.openArray("segs")
		} else {
			p.text("segs %d [ ", len(e.Segments))
		}
		for _, s := range e.Segments {
			p.str("", "%s ", s.String())
		}
		if p.json {
			p.closeArray()
		} else {
			p.textString("] ")
		}
	case rtm.EncapIOAM6:
		p.uint("freqk", "freq %d", uint64(e.FreqK))
		p.uint("freqn", "/%d ", uint64(e.FreqN))
		if !e.TunnelDst.IsValid() && e.Mode != rtm.IOAM6Inline {
			return
		}
		p.str("mode", "mode %s ", nameOf(ioam6Modes, e.Mode))
		if e.Mode != rtm.IOAM6Inline {
			p.str("tundst", "tundst %s ", e.TunnelDst.String())
		}
		p.jsonNull("trace")
		p.textString("trace ")
		p.jsonNull("prealloc")
		p.textString("prealloc ")
		p.str("type", "type %s ", fmt.Sprintf("%#08x", e.TraceType))
		p.uint("ns", "ns %d ", uint64(e.Namespace))
		p.uint("size", "size %d ", uint64(e.TraceSize))
	case rtm.EncapXFRM:
		p.uint("if_id", "if_id %d ", uint64(e.IfID))
		if e.Link != 0 {
			p.str("link_dev", "link_dev %s ", names.name(e.Link))
		}
	}
}

// printTunnelKey is what print_encap_ip and print_encap_ip6 share: each
// attribute the kernel reports (it reports them all, zeros included).
func printTunnelKey(p *printer, c nla.Chain, fam uint8, ttlName, tosName string) {
	var tb nla.Index
	tb.Reset(c)
	if a, ok := tb.Get(1); ok { // LWTUNNEL_IP_ID, big-endian
		v, _ := a.Uint64BE()
		p.uint("id", "id %d ", v)
	}
	for _, k := range []struct {
		t    uint16
		name string
	}{{3, "src"}, {2, "dst"}} {
		if a, ok := tb.Get(k.t); ok {
			p.colorStr(familyColor(fam), k.name, k.name+" %s ", formatAddr(fam, a.Data))
		}
	}
	if a, ok := tb.Get(4); ok {
		p.uint(ttlName, ttlName+" %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(5); ok {
		p.uint(tosName, tosName+" %d ", uint64(attrU8(a)))
	}
	if a, ok := tb.Get(6); ok {
		// iproute2 reads the big-endian flags in host order and tests
		// them against its big-endian TUNNEL_* constants: the same bits.
		f, _ := a.Uint16BE()
		for _, n := range tunnelFlagNames {
			if rtm.TunnelFlags(f)&n.v != 0 {
				p.boolean(n.name, n.name+" ", true)
			}
		}
	}
}

// nameOf finds the name of v in a table of keywords, or "unknown".
func nameOf[T comparable](table []named[T], v T) string { return nameOr(table, v, "unknown") }

// nameOr is nameOf with the name of a value the table lacks.
func nameOr[T comparable](table []named[T], v T, unknown string) string {
	for _, n := range table {
		if n.v == v {
			return n.name
		}
	}
	return unknown
}

// printSRH is iproute2's print_srh: the segments, last first as the
// header holds them, and the HMAC key id if any.
func printSRH(p *printer, srh []byte) {
	if len(srh) < 8 {
		return
	}
	first := int(srh[4])
	if p.json {
		p.openArray("segs")
	} else {
		p.text("segs %d [ ", first+1)
	}
	for i := first; i >= 0; i-- {
		if off := 8 + 16*i; off+16 <= len(srh) {
			p.str("", "%s ", ipString(srh[off:off+16]))
		}
	}
	if p.json {
		p.closeArray()
	} else {
		p.textString("] ")
	}
	// The HMAC TLV follows the segments when the H flag (0x08) is set.
	if srh[5]&0x08 != 0 {
		off := (int(srh[1])+1)<<3 - 40
		if off >= 0 && off+8 <= len(srh) {
			id := binary.BigEndian.Uint32(srh[off+4:])
			if p.json {
				p.hex("hmac", "", uint64(id))
			} else {
				p.text("hmac %X ", id)
			}
		}
	}
}

var seg6LocalActions = [...]string{"", "End", "End.X", "End.T", "End.DX2", "End.DX6", "End.DX4",
	"End.DT6", "End.DT4", "End.B6", "End.B6.Encaps", "End.BM", "End.S", "End.AS", "End.AM", "End.BPF", "End.DT46"}

// printSeg6Local is iproute2's print_encap_seg6local (without -s).
func printSeg6Local(p *printer, c nla.Chain, names *linkNames) {
	var tb nla.Index
	tb.Reset(c)
	a, ok := tb.Get(uapi.SEG6_LOCAL_ACTION)
	if !ok {
		return
	}
	action := "<invalid>"
	if v := attrU32(a); int(v) < len(seg6LocalActions) {
		action = seg6LocalActions[v]
		if action == "" {
			action = "<unknown>"
		}
	}
	p.str("action", "action %s ", action)
	if a, ok := tb.Get(uapi.SEG6_LOCAL_SRH); ok {
		p.openObject("srh")
		printSRH(p, a.Data)
		p.closeObject()
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_TABLE); ok {
		p.str("table", "table %s ", tableNames.name(attrU32(a)))
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_VRFTABLE); ok {
		p.str("vrftable", "vrftable %s ", tableNames.name(attrU32(a)))
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_NH4); ok {
		p.str("nh4", "nh4 %s ", formatAddr(unix.AF_INET, a.Data))
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_NH6); ok {
		p.str("nh6", "nh6 %s ", formatAddr(unix.AF_INET6, a.Data))
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_IIF); ok {
		p.str("iif", "iif %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_OIF); ok {
		p.str("oif", "oif %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_BPF); ok {
		name := "<unknown>"
		if n, ok := a.Nested().Get(2); ok { // LWT_BPF_PROG_NAME
			name = attrStr(n)
		}
		if p.json {
			p.jsonStr("endpoint", name)
		} else {
			p.textString("endpoint ")
			if name != "<unknown>" {
				p.text("%s ", name)
			}
		}
	}
	if a, ok := tb.Get(uapi.SEG6_LOCAL_FLAVORS); ok {
		var fb nla.Index
		fb.Reset(a.Nested())
		if f, ok := fb.Get(uapi.SEG6_LOCAL_FLV_OPERATION); ok {
			flv := attrU32(f)
			p.openArray("flavors")
			p.textString("flavors ")
			n := 0
			for i, name := range [...]string{1: "psp", 2: "usp", 3: "usd", 4: "next-csid"} {
				if name == "" || flv&(1<<i) == 0 {
					continue
				}
				if p.json {
					p.str("", "", name)
				} else if n == 0 {
					p.textString(name)
				} else {
					p.text(",%s", name)
				}
				n++
			}
			p.closeArray()
			p.textString(" ")
		}
		for _, k := range []struct {
			t    uint16
			name string
		}{{uapi.SEG6_LOCAL_FLV_LCBLOCK_BITS, "lblen"}, {uapi.SEG6_LOCAL_FLV_LCNODE_FUNC_BITS, "nflen"}} {
			if v, ok := fb.Get(k.t); ok {
				p.uint(k.name, k.name+" %d ", uint64(attrU8(v)))
			}
		}
	}
}
