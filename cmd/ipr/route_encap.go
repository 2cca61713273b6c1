package main

// The lightweight tunnel encapsulations of routes: iproute2's iproute_lwtunnel.c, printing.

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// encapNames is iproute2's format_encap_type, by LWTUNNEL_ENCAP_*.
var encapNames = [...]string{"unknown", "mpls", "ip", "ila", "ip6", "seg6", "bpf", "seg6local", "rpl", "ioam6", "xfrm"}

// printEncap is iproute2's lwt_print_encap for the encapsulations
// this kernel offers without modules: MPLS, seg6 and seg6local.
func printEncap(p *printer, t uint16, c nla.Chain, names *linkNames) {
	name := "unknown"
	if int(t) < len(encapNames) {
		name = encapNames[t]
	}
	p.str("encap", " encap %s ", name)
	switch t {
	case unix.LWTUNNEL_ENCAP_MPLS:
		if a, ok := c.Get(unix.MPLS_IPTUNNEL_DST); ok {
			p.str("dst", " %s ", formatAddr(unix.AF_MPLS, a.Data))
		}
		if a, ok := c.Get(unix.MPLS_IPTUNNEL_TTL); ok {
			p.uint("ttl", "ttl %d ", uint64(attrU8(a)))
		}
	case unix.LWTUNNEL_ENCAP_SEG6:
		a, ok := c.Get(seg6IPTunnelSRH)
		if !ok || len(a.Data) < 4 {
			return
		}
		modes := [...]string{"inline", "encap", "l2encap", "encap.red", "l2encap.red"}
		mode := "<unknown>"
		if m := int32(binary.NativeEndian.Uint32(a.Data)); m >= 0 && int(m) < len(modes) {
			mode = modes[m]
		}
		p.str("mode", "mode %s ", mode)
		printSRH(p, a.Data[4:])
	case unix.LWTUNNEL_ENCAP_SEG6_LOCAL:
		printSeg6Local(p, c, names)
	}
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
	a, ok := tb.Get(seg6LocalAction)
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
	if a, ok := tb.Get(seg6LocalSRH); ok {
		p.openObject("srh")
		printSRH(p, a.Data)
		p.closeObject()
	}
	if a, ok := tb.Get(seg6LocalTable); ok {
		p.str("table", "table %s ", tableNames.name(attrU32(a)))
	}
	if a, ok := tb.Get(seg6LocalVRFTable); ok {
		p.str("vrftable", "vrftable %s ", tableNames.name(attrU32(a)))
	}
	if a, ok := tb.Get(seg6LocalNH4); ok {
		p.str("nh4", "nh4 %s ", formatAddr(unix.AF_INET, a.Data))
	}
	if a, ok := tb.Get(seg6LocalNH6); ok {
		p.str("nh6", "nh6 %s ", formatAddr(unix.AF_INET6, a.Data))
	}
	if a, ok := tb.Get(seg6LocalIIF); ok {
		p.str("iif", "iif %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(seg6LocalOIF); ok {
		p.str("oif", "oif %s ", names.name(int32(attrU32(a))))
	}
	if a, ok := tb.Get(seg6LocalBPF); ok {
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
	if a, ok := tb.Get(seg6LocalFlavors); ok {
		var fb nla.Index
		fb.Reset(a.Nested())
		if f, ok := fb.Get(seg6LocalFlvOperation); ok {
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
		}{{seg6LocalFlvLCBlockBits, "lblen"}, {seg6LocalFlvLCNodeBits, "nflen"}} {
			if v, ok := fb.Get(k.t); ok {
				p.uint(k.name, k.name+" %d ", uint64(attrU8(v)))
			}
		}
	}
}
