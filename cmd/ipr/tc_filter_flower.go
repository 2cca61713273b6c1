package main

// tc's flower syntax, as f_flower.c reads it: one keyword per key, values
// with optional "/MASK" or "/LEN".

import (
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// flowerCTStates are tc's names of the conntrack states.
var flowerCTStates = [...]struct {
	name string
	flag uint16
}{
	{"trk", tc.FlowerCTTracked}, {"new", tc.FlowerCTNew}, {"est", tc.FlowerCTEstablished},
	{"rel", tc.FlowerCTRelated}, {"inv", tc.FlowerCTInvalid}, {"rpl", tc.FlowerCTReply},
}

// parseCTState parses "+trk+est-new".
func parseCTState(s string) (*tc.Masked[uint16], error) {
	m := &tc.Masked[uint16]{}
	for s != "" {
		plus := s[0] == '+'
		if !plus && s[0] != '-' {
			return nil, tcKindError("Illegal \"ct_state\"")
		}
		found := false
		for _, st := range flowerCTStates {
			if strings.HasPrefix(s[1:], st.name) {
				if plus {
					m.Value |= st.flag
				}
				m.Mask |= st.flag
				s = s[1+len(st.name):]
				found = true
				break
			}
		}
		if !found {
			return nil, tcKindError("Illegal \"ct_state\"")
		}
	}
	return m, nil
}

// maskedNumber parses "VALUE[/MASK]" of bits bits; the mask defaults to
// all ones.
func maskedNumber(keyword, s string, bits int) (uint64, uint64, error) {
	v, m, slash := strings.Cut(s, "/")
	val, err := strconv.ParseUint(v, 0, bits)
	if err != nil {
		return 0, 0, tcKindError("Illegal %q", keyword)
	}
	mask := uint64(1)<<bits - 1
	if slash {
		if mask, err = strconv.ParseUint(m, 0, bits); err != nil {
			return 0, 0, tcKindError("Illegal %q mask", keyword)
		}
	}
	return val, mask, nil
}

// masked parses "VALUE[/MASK]" of bits bits (maskedNumber).
func masked[T uint8 | uint16 | uint32](keyword, s string, bits int) (*tc.Masked[T], error) {
	v, m, err := maskedNumber(keyword, s, bits)
	return &tc.Masked[T]{Value: T(v), Mask: T(m)}, err
}

// flowerMAC parses "ADDR[/MASK|/LEN]".
func flowerMAC(keyword, s string) (net.HardwareAddr, net.HardwareAddr, error) {
	addr, mask, slash := strings.Cut(s, "/")
	a, err := net.ParseMAC(addr)
	if err != nil || len(a) != 6 {
		return nil, nil, tcKindError("Illegal %q", keyword)
	}
	if !slash {
		return a, nil, nil
	}
	if n, err := strconv.Atoi(mask); err == nil && n >= 0 && n <= 48 {
		m := make(net.HardwareAddr, 6)
		for i := 0; i < n; i++ {
			m[i/8] |= 0x80 >> (i % 8)
		}
		return a, m, nil
	}
	m, err := net.ParseMAC(mask)
	if err != nil || len(m) != 6 {
		return nil, nil, tcKindError("Illegal %q mask", keyword)
	}
	return a, m, nil
}

// flowerIPProtos are the names tc's flower_parse_ip_proto knows;
// flower_print_ip_proto prints all but l2tp by name.
var flowerIPProtos = []named[uint8]{{"tcp", unix.IPPROTO_TCP}, {"udp", unix.IPPROTO_UDP}, {"sctp", unix.IPPROTO_SCTP},
	{"icmp", unix.IPPROTO_ICMP}, {"icmpv6", unix.IPPROTO_ICMPV6}, {"l2tp", unix.IPPROTO_L2TP}}

// flowerARPOps are tc's names of the ARP operations.
var flowerARPOps = [...]string{1: "request", 2: "reply"}

func parseFlower(a *tcArgs, _ *tc.FilterSpec, _ string) (tc.FilterOptions, error) {
	f := &tc.Flower{}
	return f, a.kindOptions(&f.ClassID, &f.Actions, nil, func(word string) error {
		if word == "verbose" {
			f.Flags |= tc.FilterVerbose
			return nil
		}
		if flag := skipFlag(word); flag != 0 {
			f.Flags |= flag
			return nil
		}
		v, err := a.value(word)
		if err != nil {
			return err
		}
		return setFlowerKey(f, a, word, v)
	})
}

// flowerNumber parses a number up to max.
func flowerNumber[T ~uint8 | ~uint16](v string, max uint64) (*T, error) {
	n, err := strconv.ParseUint(v, 0, 64)
	if err != nil || n > max {
		return nil, strconv.ErrRange
	}
	t := T(n)
	return &t, nil
}

// setFlowerKey parses the flower key word with value v; its errors are
// all tc's "Illegal KEY".
func setFlowerKey(f *tc.Flower, a *tcArgs, word, v string) error {
	// The keys whose value is an address prefix, or a byte with an
	// optional mask.
	prefixes := map[string]*netip.Prefix{"dst_ip": &f.Dst, "src_ip": &f.Src, "arp_tip": &f.ARPTargetIP,
		"arp_sip": &f.ARPSenderIP, "enc_dst_ip": &f.EncDst, "enc_src_ip": &f.EncSrc}
	maskedBytes := map[string]**tc.Masked[uint8]{"ip_tos": &f.IPTOS, "ip_ttl": &f.IPTTL, "type": &f.ICMPType,
		"code": &f.ICMPCode, "enc_tos": &f.EncTOS, "enc_ttl": &f.EncTTL}
	var err error
	port := func() (uint16, uint16, error) {
		lo, hi, rng := strings.Cut(v, "-")
		p0, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			return 0, 0, tcKindError("Illegal %q", word)
		}
		if !rng {
			return uint16(p0), 0, nil
		}
		p1, err := strconv.ParseUint(hi, 10, 16)
		if err != nil || p1 <= p0 {
			return 0, 0, usagef("max value should be greater than min value")
		}
		return uint16(p0), uint16(p1), nil
	}
	switch word {
	case "indev":
		f.Indev = v
	case "ct_state":
		f.CTState, err = parseCTState(v)
	case "ct_zone":
		f.CTZone, err = masked[uint16](word, v, 16)
	case "ct_mark":
		f.CTMark, err = masked[uint32](word, v, 32)
	case "vlan_id":
		f.VlanID, err = flowerNumber[uint16](v, 4095)
	case "vlan_prio":
		f.VlanPrio, err = flowerNumber[uint8](v, 7)
	case "vlan_ethtype":
		f.VlanEthType, err = parseEthProto(v)
	case "cvlan_id":
		f.CVlanID, err = flowerNumber[uint16](v, 4095)
	case "cvlan_prio":
		f.CVlanPrio, err = flowerNumber[uint8](v, 7)
	case "cvlan_ethtype":
		f.CVlanEthType, err = parseEthProto(v)
	case "mpls_label":
		var n uint64
		n, err = strconv.ParseUint(v, 0, 32)
		if err != nil || n > 0xfffff {
			return tcKindError("Illegal \"mpls_label\"")
		}
		l := uint32(n)
		f.MPLSLabel = &l
	case "mpls_tc":
		f.MPLSTC, err = flowerNumber[uint8](v, 7)
	case "mpls_bos":
		f.MPLSBOS, err = flowerNumber[uint8](v, 1)
	case "mpls_ttl":
		f.MPLSTTL, err = flowerNumber[uint8](v, 255)
	case "dst_mac":
		f.DstMAC, f.DstMACMask, err = flowerMAC(word, v)
	case "src_mac":
		f.SrcMAC, f.SrcMACMask, err = flowerMAC(word, v)
	case "ip_proto":
		p, found := lookupName(flowerIPProtos, v)
		if !found {
			n, err := strconv.ParseUint(v, 0, 8)
			if err != nil {
				return tcKindError("Illegal \"ip_proto\"")
			}
			p = uint8(n)
		}
		f.IPProto = &p
	case "dst_port":
		f.DstPort, f.DstPortMax, err = port()
	case "src_port":
		f.SrcPort, f.SrcPortMax, err = port()
	case "tcp_flags":
		f.TCPFlags, err = masked[uint16](word, v, 16)
	case "arp_op":
		op := v
		for i, name := range flowerARPOps {
			if name != "" && name == v {
				op = strconv.Itoa(i)
			}
		}
		f.ARPOp, err = masked[uint8](word, op, 8)
	case "arp_tha":
		f.ARPTargetMAC, f.ARPTHAMask, err = flowerMAC(word, v)
	case "arp_sha":
		f.ARPSenderMAC, f.ARPSHAMask, err = flowerMAC(word, v)
	case "enc_key_id":
		var n uint64
		if n, err = strconv.ParseUint(v, 0, 32); err == nil {
			k := uint32(n)
			f.EncKeyID = &k
		}
	case "enc_dst_port":
		var n uint64
		n, err = strconv.ParseUint(v, 0, 16)
		f.EncDstPort = uint16(n)
	case "ip_flags":
		m := &tc.Masked[uint32]{}
		for _, tok := range strings.Split(v, "/") {
			no := strings.HasPrefix(tok, "no")
			name := strings.TrimPrefix(tok, "no")
			var flag uint32
			switch name {
			case "frag":
				flag = tc.FlowerFragment
			case "firstfrag":
				flag = tc.FlowerFirstFragment
			default:
				return tcKindError("Illegal \"ip_flags\"")
			}
			if no {
				m.Value &^= flag
			} else {
				m.Value |= flag
			}
			m.Mask |= flag
		}
		f.IPFlags = m
	default:
		if dst := prefixes[word]; dst != nil {
			*dst, _, err = parsePrefix(word, v, 0)
		} else if dst := maskedBytes[word]; dst != nil {
			*dst, err = masked[uint8](word, v, 8)
		} else {
			return usagef("flower: %q is not implemented by ipr", word)
		}
	}
	if err != nil {
		return tcKindError("Illegal %q", word)
	}
	return nil
}
