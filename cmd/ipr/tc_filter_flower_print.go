package main

// The flower classifier's printer (tc's flower_print_opt), without MPLS
// option lists, PPPoE, tunnel options and conntrack labels, which tc
// prints after the keys below.

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// maskBits is tc's __mask_bits: the length of a contiguous prefix mask,
// or -1.
func maskBits(b []byte) int {
	n, done := 0, false
	for _, c := range b {
		switch {
		case done && c != 0:
			return -1
		case c == 0xff:
			n += 8
		default:
			l := bits.LeadingZeros8(^c)
			if c<<l != 0 {
				return -1
			}
			n += l
			done = true
		}
	}
	return n
}

// flowerIndentValue is tc's print_indent_name_value.
func flowerIndentValue(p *printer, name, value string) {
	p.textString("\n  ")
	p.str(name, name+" %s", value)
}

// flowerMasked is tc's print_masked_u8/u16/be16/u32 with a newline.
func flowerMasked(p *printer, name string, v, mask, max uint32) {
	p.textString("\n  ")
	p.uint(name, name+" %d", uint64(v))
	if mask != max {
		tcPrintHex(p, name+"_mask", "/%s", uint64(mask))
	}
}

// printFlower is tc's flower_print_opt.
func printFlower(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	get := func(t uint16) (nla.Attr, bool) { return opts.Get(t) }
	u8 := func(t uint16) (uint32, bool) {
		a, ok := get(t)
		if !ok || len(a.Data) < 1 {
			return 0, false
		}
		return uint32(a.Data[0]), true
	}
	u16 := func(t uint16, be bool) (uint32, bool) {
		a, ok := get(t)
		if !ok || len(a.Data) < 2 {
			return 0, false
		}
		if be {
			return uint32(binary.BigEndian.Uint16(a.Data)), true
		}
		return uint32(binary.NativeEndian.Uint16(a.Data)), true
	}
	u32 := func(t uint16) (uint32, bool) {
		a, ok := get(t)
		if !ok || len(a.Data) < 4 {
			return 0, false
		}
		return binary.NativeEndian.Uint32(a.Data), true
	}
	masked := func(name string, vt, mt uint16, read func(uint16) (uint32, bool), max uint32) {
		v, ok := read(vt)
		if !ok {
			return
		}
		m, ok := read(mt)
		if !ok {
			m = max
		}
		flowerMasked(p, name, v, m, max)
	}
	be16 := func(t uint16) (uint32, bool) { return u16(t, true) }
	h16 := func(t uint16) (uint32, bool) { return u16(t, false) }
	maskedU8 := func(name string, vt, mt uint16, str func(uint32) string) {
		v, ok := u8(vt)
		if !ok {
			return
		}
		m, ok := u8(mt)
		if !ok {
			m = 0xff
		}
		s := ""
		if m == 0xff && str != nil {
			s = str(v)
		}
		if s == "" {
			s = strconv.Itoa(int(v))
		}
		if m != 0xff {
			s += "/" + strconv.Itoa(int(m))
		}
		flowerIndentValue(p, name, s)
	}
	ethAddr := func(name string, vt, mt uint16) {
		a, ok := get(vt)
		if !ok || len(a.Data) != 6 {
			return
		}
		s := macString(a.Data)
		if m, ok := get(mt); ok && len(m.Data) == 6 {
			if n := maskBits(m.Data); n < 0 {
				s += "/" + macString(m.Data)
			} else if n < 48 {
				s += "/" + strconv.Itoa(n)
			}
		}
		flowerIndentValue(p, name, s)
	}
	ipAddr := func(name string, v4 bool, a4, m4, a6, m6 uint16) {
		at, mt, n := a4, m4, 4
		if !v4 {
			at, mt, n = a6, m6, 16
		}
		a, ok := get(at)
		m, okm := get(mt)
		if !ok || len(a.Data) != n || !okm || len(m.Data) != n {
			return
		}
		addr, _ := netip.AddrFromSlice(a.Data)
		s := addr.String()
		if b := maskBits(m.Data); b < 0 {
			ma, _ := netip.AddrFromSlice(m.Data)
			s += "/" + ma.String()
		} else if b < 8*n {
			s += "/" + strconv.Itoa(b)
		}
		flowerIndentValue(p, name, s)
	}
	if handle != 0 {
		p.jsonUint("handle", uint64(handle))
		if !p.json {
			p.text("handle 0x%x ", handle)
		}
	}
	if h, ok := u32(1); ok {
		if m := h & 0xffff; m < 0xffe0 || m > 0xffe0+15 {
			p.str("classid", "classid %s ", tc.Handle(h).String())
		} else {
			p.uint("hw_tc", "hw_tc %d ", uint64(m-0xffe0))
		}
	}
	if a, ok := get(2); ok {
		p.nl()
		p.strBytes("indev", "  indev %s", attrText(a))
	}
	p.openObject("keys")
	for _, vl := range [...]struct {
		prefix            string
		id, prio, ethType uint16
	}{{"vlan", 23, 24, 25}, {"cvlan", 77, 78, 79}} {
		if v, ok := h16(vl.id); ok {
			p.nl()
			p.uint(vl.prefix+"_id", "  "+vl.prefix+"_id %d", uint64(v))
		}
		if v, ok := u8(vl.prio); ok {
			p.nl()
			p.uint(vl.prefix+"_prio", "  "+vl.prefix+"_prio %d", uint64(v))
		}
		if v, ok := be16(vl.ethType); ok {
			p.nl()
			p.str(vl.prefix+"_ethtype", "  "+vl.prefix+"_ethtype %s", llProtoName(uint16(v)))
		}
	}
	ethAddr("dst_mac", 4, 5)
	ethAddr("src_mac", 6, 7)
	ethType, ipProto := uint32(0), uint32(0xff)
	if v, ok := be16(8); ok {
		ethType = v
		s := map[uint32]string{0x0800: "ipv4", 0x86dd: "ipv6", 0x0806: "arp", 0x8035: "rarp"}[v]
		if s == "" {
			s = strconv.FormatUint(uint64(0x10000|v), 16)[1:]
		}
		p.nl()
		p.str("eth_type", "  eth_type %s", s)
	}
	if v, ok := u8(9); ok {
		ipProto = v
		s := nameOr(flowerIPProtos, uint8(v), "")
		if s == "" || v == unix.IPPROTO_L2TP {
			s = strconv.FormatUint(uint64(0x100|v), 16)[1:] // C's "%02x"
		}
		p.nl()
		p.str("ip_proto", "  ip_proto %s", s)
	}
	masked("ip_tos", 73, 74, u8, 0xff)
	masked("ip_ttl", 75, 76, u8, 0xff)
	if v, ok := u32(70); ok {
		p.nl()
		p.textString("  ")
		p.uint("mpls_label", "mpls_label %d", uint64(v))
	}
	maskedU8("mpls_tc", 69, 0, nil)
	maskedU8("mpls_bos", 68, 0, nil)
	maskedU8("mpls_ttl", 67, 0, nil)
	ipAddr("dst_ip", ethType == 0x0800, 12, 13, 16, 17)
	if ethType == 0x0800 || ethType == 0x86dd {
		ipAddr("src_ip", ethType == 0x0800, 10, 11, 14, 15)
	}
	ports := map[uint32][4]uint16{6: {19, 36, 18, 35}, 17: {21, 38, 20, 37}, 132: {42, 40, 41, 39}}
	if pt, ok := ports[ipProto]; ok {
		masked("dst_port", pt[0], pt[1], be16, 0xffff)
		masked("src_port", pt[2], pt[3], be16, 0xffff)
		for _, r := range [...]struct {
			name     string
			min, max uint16
		}{{"dst_port", 89, 90}, {"src_port", 87, 88}} {
			lo, ok1 := be16(r.min)
			hi, ok2 := be16(r.max)
			if !ok1 || !ok2 {
				continue
			}
			if p.json {
				p.openObject(r.name)
				p.jsonUint("start", uint64(lo))
				p.jsonUint("end", uint64(hi))
				p.closeObject()
			} else {
				flowerIndentValue(p, r.name, strconv.Itoa(int(lo))+"-"+strconv.Itoa(int(hi)))
			}
		}
	}
	if v, ok := be16(71); ok {
		s := "0x" + strconv.FormatUint(uint64(v), 16)
		if m, ok := be16(72); ok {
			s += "/" + strconv.FormatUint(uint64(m), 16)
		}
		flowerIndentValue(p, "tcp_flags", s)
	}
	switch {
	case ethType == 0x0800 && ipProto == 1:
		maskedU8("icmp_type", 51, 52, nil)
		maskedU8("icmp_code", 49, 50, nil)
	case ethType == 0x86dd && ipProto == 58:
		maskedU8("icmp_type", 55, 56, nil)
		maskedU8("icmp_code", 53, 54, nil)
	}
	ipAddr("arp_sip", true, 57, 58, 0, 0)
	ipAddr("arp_tip", true, 59, 60, 0, 0)
	maskedU8("arp_op", 61, 62, func(v uint32) string { return map[uint32]string{1: "request", 2: "reply"}[v] })
	ethAddr("arp_sha", 63, 64)
	ethAddr("arp_tha", 65, 66)
	_, enc4dst := get(30)
	ipAddr("enc_dst_ip", enc4dst, 29, 30, 33, 34)
	_, enc4src := get(28)
	ipAddr("enc_src_ip", enc4src, 27, 28, 31, 32)
	if a, ok := get(26); ok && len(a.Data) >= 4 {
		p.nl()
		p.textString("  ")
		p.uint("enc_key_id", "enc_key_id %d", uint64(binary.BigEndian.Uint32(a.Data)))
	}
	masked("enc_dst_port", 45, 46, be16, 0xffff)
	masked("enc_tos", 80, 81, u8, 0xff)
	masked("enc_ttl", 82, 83, u8, 0xff)
	if m, ok := get(48); ok && len(m.Data) == 4 {
		var v uint32
		if a, ok := get(47); ok && len(a.Data) >= 4 {
			v = binary.BigEndian.Uint32(a.Data)
		}
		mask := binary.BigEndian.Uint32(m.Data)
		count := 0
		for _, f := range [...]struct {
			bit  uint32
			name string
		}{{1, "frag"}, {2, "firstfrag"}} {
			if mask&f.bit == 0 {
				continue
			}
			if count++; count == 1 {
				p.nl()
				p.textString("  ip_flags ")
				p.openObject("ip_flags")
			} else {
				p.textString("/")
			}
			p.jsonBool(f.name, v&f.bit != 0)
			if v&f.bit != 0 {
				p.textString(f.name)
			} else {
				p.textString("no" + f.name)
			}
		}
		if count > 0 {
			p.closeObject()
		}
	}
	if v, ok := h16(91); ok {
		m, okm := h16(92)
		if !okm {
			m = 0xffff
		}
		s := ""
		for _, st := range flowerCTStates {
			bit := uint32(st.flag)
			if m&bit == 0 {
				continue
			}
			if v&bit != 0 {
				s += "+" + st.name
			} else {
				s += "-" + st.name
			}
		}
		p.nl()
		p.str("ct_state", "  ct_state %s", s)
	}
	masked("ct_zone", 93, 94, h16, 0xffff)
	masked("ct_mark", 95, 96, u32, 0xffffffff)
	p.closeObject()
	if flags, ok := u32(22); ok {
		if flags&tc.FilterSkipHW != 0 {
			p.nl()
			p.boolean("skip_hw", "  skip_hw", true)
		}
		if flags&tc.FilterSkipSW != 0 {
			p.nl()
			p.boolean("skip_sw", "  skip_sw", true)
		}
		if flags&tc.FilterInHW != 0 {
			p.nl()
			p.boolean("in_hw", "  in_hw", true)
			if n, ok := u32(86); ok {
				p.uint("in_hw_count", " in_hw_count %d", uint64(n))
			}
		} else if flags&tc.FilterNotInHW != 0 {
			p.nl()
			p.boolean("not_in_hw", "  not_in_hw", true)
		}
	}
	if a, ok := get(3); ok {
		printActionList(p, e, names, a.Nested(), true)
	}
}
