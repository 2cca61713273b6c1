package main

// The parsers of tc's action kinds other than gact, mirred and police
// (tc_act.go): each reads its options and stops at the first word it
// does not know, which parseAction then reads as the control and index.

import (
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm/tc"
	"golang.org/x/sys/unix"
)

// actionParsers returns the parser of kind, nil for a kind ipr does not
// parse.
func actionParsers(kind string) func(a *tcArgs) (tc.ActionKind, error) {
	switch kind {
	case "skbedit":
		return parseSkbedit
	case "vlan":
		return parseVlanAction
	case "tunnel_key":
		return parseTunnelKey
	case "csum":
		return parseCsum
	case "nat":
		return parseNat
	case "connmark":
		return parseConnmark
	case "sample":
		return parseSample
	case "mpls":
		return parseMPLS
	case "simple":
		return parseSimple
	case "ct":
		return parseCT
	case "bpf":
		return parseBPFAction
	case "pedit":
		return parsePedit
	}
	return nil
}

// ethProtos are iproute2's ll_proto names that tc users write, in the
// order of its table (the first name of a number is the one printed).
var ethProtos = [...]struct {
	name string
	v    uint16
}{
	{"loop", 0x0060}, {"pup", 0x0200}, {"ip", unix.ETH_P_IP}, {"x25", 0x0805}, {"arp", unix.ETH_P_ARP},
	{"bpq", 0x08ff}, {"rarp", 0x8035}, {"ipx", 0x8137}, {"802.1Q", unix.ETH_P_8021Q}, {"ipv6", unix.ETH_P_IPV6},
	{"mpls_uc", unix.ETH_P_MPLS_UC}, {"mpls_mc", unix.ETH_P_MPLS_MC}, {"lldp", 0x88cc}, {"802.1ad", unix.ETH_P_8021AD},
	{"all", unix.ETH_P_ALL}, {"ipv4", unix.ETH_P_IP},
}

// parseEthProto parses an ethertype as iproute2's ll_proto_a2n: a name
// (case-insensitively) or a number.
func parseEthProto(s string) (uint16, error) {
	for _, p := range ethProtos {
		if strings.EqualFold(s, p.name) {
			return p.v, nil
		}
	}
	v, err := strconv.ParseUint(s, 0, 16)
	if err != nil {
		return 0, invarg("protocol is invalid", s)
	}
	return uint16(v), nil
}

// llProtoName is iproute2's ll_proto_n2a for a protocol in host byte
// order: the name, or the number in brackets.
func llProtoName(v uint16) string {
	for _, p := range ethProtos {
		if p.v == v {
			return p.name
		}
	}
	return "[" + strconv.Itoa(int(v)) + "]"
}

func parseSkbedit(a *tcArgs) (tc.ActionKind, error) {
	s := &tc.SkbEdit{}
	ok := false
	for a.more() {
		word := a.peek()
		switch {
		case matches(word, "queue_mapping"):
			a.advance()
			n, err := a.number("queue_mapping", 16)
			if err != nil {
				return nil, err
			}
			v := uint16(n)
			s.QueueMapping = &v
		case matches(word, "priority"):
			a.advance()
			v, err := a.value("priority")
			if err != nil {
				return nil, err
			}
			h, err := parseClassid(v)
			if err != nil {
				return nil, err
			}
			p := uint32(h)
			s.Priority = &p
		case matches(word, "mark"):
			a.advance()
			v, err := a.value("mark")
			if err != nil {
				return nil, err
			}
			mark, mask, slash := strings.Cut(v, "/")
			m, err := tcNumber("mark", mark, 32)
			if err != nil {
				return nil, err
			}
			mv := uint32(m)
			s.Mark = &mv
			if slash {
				k, err := tcNumber("mask", mask, 32)
				if err != nil {
					return nil, err
				}
				kv := uint32(k)
				s.Mask = &kv
			}
		case matches(word, "ptype"):
			a.advance()
			v, err := a.value("ptype")
			if err != nil {
				return nil, err
			}
			var t uint16
			switch {
			case matches(v, "host"):
				t = unix.PACKET_HOST
			case matches(v, "broadcast"):
				t = unix.PACKET_BROADCAST
			case matches(v, "multicast"):
				t = unix.PACKET_MULTICAST
			case matches(v, "otherhost"):
				t = unix.PACKET_OTHERHOST
			default:
				return nil, usagef("ptype is invalid: %s", v)
			}
			s.PacketType = &t
		case matches(word, "inheritdsfield"):
			a.advance()
			s.InheritDSField = true
		default:
			if !ok {
				return nil, usagef("skbedit: no operation")
			}
			return s, nil
		}
		ok = true
	}
	return s, nil
}

func parseVlanAction(a *tcArgs) (tc.ActionKind, error) {
	v := &tc.VlanAction{}
	op, err := a.value("vlan")
	if err != nil {
		return nil, err
	}
	switch {
	case matches(op, "pop"):
		v.Op = tc.VlanPop
	case matches(op, "push"):
		v.Op = tc.VlanPush
	case matches(op, "modify"):
		v.Op = tc.VlanModify
	case op == "pop_eth":
		v.Op = tc.VlanPopEth
	case op == "push_eth":
		v.Op = tc.VlanPushEth
	default:
		return nil, usagef("vlan: unknown operation %q", op)
	}
	for a.more() {
		word := a.peek()
		switch {
		case matches(word, "id"):
			a.advance()
			n, err := a.number("id", 16)
			if err != nil {
				return nil, err
			}
			v.ID = uint16(n)
		case matches(word, "protocol"):
			a.advance()
			s, err := a.value("protocol")
			if err != nil {
				return nil, err
			}
			if v.Protocol, err = parseEthProto(s); err != nil {
				return nil, err
			}
		case matches(word, "priority"):
			a.advance()
			n, err := a.number("priority", 8)
			if err != nil || n > 7 {
				return nil, invarg("prio is invalid", word)
			}
			v.Priority, v.HasPriority = uint8(n), true
		case matches(word, "dst_mac"), matches(word, "src_mac"):
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			m, err := net.ParseMAC(s)
			if err != nil {
				return nil, invarg(word+" is invalid", s)
			}
			if matches(word, "dst_mac") {
				v.Dst = m
			} else {
				v.Src = m
			}
		default:
			return v, nil
		}
	}
	return v, nil
}

func parseTunnelKey(a *tcArgs) (tc.ActionKind, error) {
	t := &tc.TunnelKey{}
	for a.more() {
		word := a.peek()
		switch {
		case matches(word, "unset"):
			t.Unset = true
		case matches(word, "set"):
		case matches(word, "src_ip"), matches(word, "dst_ip"):
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			ip, err := netip.ParseAddr(s)
			if err != nil {
				return nil, usagef("Illegal %q", word)
			}
			if matches(word, "src_ip") {
				t.Src = ip
			} else {
				t.Dst = ip
			}
			continue
		case matches(word, "id"):
			a.advance()
			n, err := a.number("id", 32)
			if err != nil {
				return nil, err
			}
			v := uint32(n)
			t.KeyID = &v
			continue
		case matches(word, "dst_port"):
			a.advance()
			n, err := a.number("dst_port", 16)
			if err != nil {
				return nil, err
			}
			t.DstPort = uint16(n)
			continue
		case matches(word, "tos"), matches(word, "ttl"):
			a.advance()
			n, err := a.number(word, 8)
			if err != nil {
				return nil, err
			}
			v := uint8(n)
			if matches(word, "tos") {
				t.TOS = &v
			} else {
				t.TTL = &v
			}
			continue
		case matches(word, "geneve_opts"):
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			for _, o := range strings.Split(s, ",") {
				f := strings.Split(o, ":")
				if len(f) != 3 {
					return nil, usagef("Illegal \"geneve_opts\"")
				}
				class, err1 := strconv.ParseUint(f[0], 16, 16)
				typ, err2 := strconv.ParseUint(f[1], 16, 8)
				data, err3 := hexBytes(f[2])
				if err1 != nil || err2 != nil || err3 != nil {
					return nil, usagef("Illegal \"geneve_opts\"")
				}
				t.Geneve = append(t.Geneve, tc.GeneveOpt{Class: uint16(class), Type: uint8(typ), Data: data})
			}
			continue
		case matches(word, "csum"):
			t.NoChecksum = false
		case matches(word, "nocsum"):
			t.NoChecksum = true
		case word == "nofrag":
			t.NoFrag = true
		default:
			return t, nil
		}
		a.advance()
	}
	return t, nil
}

// hexBytes parses an even number of hex digits.
func hexBytes(s string) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, strconv.ErrSyntax
	}
	b := make([]byte, len(s)/2)
	for i := range b {
		v, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, err
		}
		b[i] = byte(v)
	}
	return b, nil
}

func parseCsum(a *tcArgs) (tc.ActionKind, error) {
	c := &tc.Csum{}
	for a.more() {
		word := a.peek()
		switch {
		case matches(word, "iph"), matches(word, "ip4h"), matches(word, "ipv4h"):
			c.Update |= tc.CsumIPv4Header
		case matches(word, "icmp"):
			c.Update |= tc.CsumICMP
		case matches(word, "igmp"):
			c.Update |= tc.CsumIGMP
		case matches(word, "tcp"):
			c.Update |= tc.CsumTCP
		case matches(word, "udp"):
			c.Update |= tc.CsumUDP
		case matches(word, "udplite"):
			c.Update |= tc.CsumUDPLite
		case matches(word, "sctp"):
			c.Update |= tc.CsumSCTP
		case matches(word, "and"), matches(word, "or"), word == "+":
		default:
			return c, nil
		}
		a.advance()
	}
	return c, nil
}

func parseNat(a *tcArgs) (tc.ActionKind, error) {
	n := &tc.Nat{}
	dir, err := a.value("nat")
	if err != nil {
		return nil, err
	}
	switch {
	case matches(dir, "egress"):
		n.Egress = true
	case matches(dir, "ingress"):
	default:
		return nil, usagef("nat: bad value %q", dir)
	}
	old, err := a.value("nat")
	if err != nil {
		return nil, err
	}
	if n.Old, _, err = parsePrefix("address", old, unix.AF_INET); err != nil {
		return nil, err
	}
	nw, err := a.value("nat")
	if err != nil {
		return nil, err
	}
	p, _, err := parsePrefix("address", nw, unix.AF_INET)
	if err != nil {
		return nil, err
	}
	n.New = p.Addr()
	return n, nil
}

func parseConnmark(a *tcArgs) (tc.ActionKind, error) {
	c := &tc.Connmark{}
	if a.more() && matches(a.peek(), "zone") {
		a.advance()
		n, err := a.number("zone", 16)
		if err != nil {
			return nil, err
		}
		c.Zone = uint16(n)
	}
	return c, nil
}

func parseSample(a *tcArgs) (tc.ActionKind, error) {
	s := &tc.Sample{}
	for a.more() {
		word := a.peek()
		var dst *uint32
		switch {
		case matches(word, "rate"):
			dst = &s.Rate
		case matches(word, "group"):
			dst = &s.Group
		case matches(word, "trunc"):
			dst = &s.Trunc
		default:
			return s, nil
		}
		a.advance()
		n, err := a.number(word, 32)
		if err != nil {
			return nil, err
		}
		*dst = uint32(n)
	}
	return s, nil
}

func parseMPLS(a *tcArgs) (tc.ActionKind, error) {
	m := &tc.MPLSAction{}
	for a.more() {
		word := a.peek()
		u8 := func(max uint64) (*uint8, error) {
			a.advance()
			n, err := a.number(word, 8)
			if err != nil || n > max {
				return nil, invarg("invalid "+word, word)
			}
			v := uint8(n)
			return &v, nil
		}
		var err error
		switch {
		case matches(word, "pop"):
			m.Op = tc.MPLSPop
		case matches(word, "push"):
			m.Op = tc.MPLSPush
		case matches(word, "modify"):
			m.Op = tc.MPLSModify
		case matches(word, "mac_push"):
			m.Op = tc.MPLSMacPush
		case matches(word, "dec_ttl"):
			m.Op = tc.MPLSDecTTL
		case matches(word, "label"):
			a.advance()
			n, err := a.number("label", 32)
			if err != nil || n > 0xfffff {
				return nil, invarg("invalid MPLS label", word)
			}
			v := uint32(n)
			m.Label = &v
			continue
		case matches(word, "protocol"):
			a.advance()
			s, err := a.value("protocol")
			if err != nil {
				return nil, err
			}
			if m.Protocol, err = parseEthProto(s); err != nil {
				return nil, err
			}
			continue
		case matches(word, "tc"):
			m.TC, err = u8(7)
			if err != nil {
				return nil, err
			}
			continue
		case matches(word, "ttl"):
			m.TTL, err = u8(255)
			if err != nil {
				return nil, err
			}
			continue
		case matches(word, "bos"):
			m.BOS, err = u8(1)
			if err != nil {
				return nil, err
			}
			continue
		default:
			return m, nil
		}
		a.advance()
	}
	return m, nil
}

func parseSimple(a *tcArgs) (tc.ActionKind, error) {
	s := &tc.Simple{}
	if a.more() && matches(a.peek(), "sdata") {
		a.advance()
		v, err := a.value("sdata")
		if err != nil {
			return nil, err
		}
		s.Data = v
	}
	return s, nil
}

func parseCT(a *tcArgs) (tc.ActionKind, error) {
	c := &tc.CT{}
	for a.more() {
		word := a.peek()
		switch {
		case matches(word, "zone"):
			a.advance()
			n, err := a.number("zone", 16)
			if err != nil {
				return nil, err
			}
			c.Zone = uint16(n)
			continue
		case matches(word, "nat"):
			a.advance()
			c.Flags |= tc.CTNat
			if !a.more() {
				continue
			}
			switch {
			case matches(a.peek(), "src"):
				c.Flags |= tc.CTNatSrc
			case matches(a.peek(), "dst"):
				c.Flags |= tc.CTNatDst
			default:
				continue
			}
			a.advance()
			if !a.more() || !matches(a.peek(), "addr") {
				return nil, usagef("ct: nat needs addr")
			}
			a.advance()
			r, err := a.value("addr")
			if err != nil {
				return nil, err
			}
			lo, hi, rng := strings.Cut(r, "-")
			if c.NatMin, err = netip.ParseAddr(lo); err != nil {
				return nil, invarg("invalid nat address", r)
			}
			c.NatMax = c.NatMin
			if rng {
				if c.NatMax, err = netip.ParseAddr(hi); err != nil {
					return nil, invarg("invalid nat address", r)
				}
			}
			if a.more() && matches(a.peek(), "port") {
				a.advance()
				r, err := a.value("port")
				if err != nil {
					return nil, err
				}
				lo, hi, rng := strings.Cut(r, "-")
				p0, err0 := strconv.ParseUint(lo, 10, 16)
				p1 := p0
				var err1 error
				if rng {
					p1, err1 = strconv.ParseUint(hi, 10, 16)
				}
				if err0 != nil || err1 != nil {
					return nil, invarg("invalid nat port", r)
				}
				c.PortMin, c.PortMax = uint16(p0), uint16(p1)
			}
			continue
		case matches(word, "clear"):
			c.Flags |= tc.CTClear
		case matches(word, "commit"):
			c.Flags |= tc.CTCommit
		case matches(word, "force"):
			c.Flags |= tc.CTForce
		case matches(word, "mark"):
			a.advance()
			v, err := a.value("mark")
			if err != nil {
				return nil, err
			}
			mark, mask, slash := strings.Cut(v, "/")
			m, err := tcNumber("mark", mark, 32)
			if err != nil {
				return nil, err
			}
			k := uint64(0xffffffff)
			if slash {
				if k, err = tcNumber("mask", mask, 32); err != nil {
					return nil, err
				}
			}
			mv, kv := uint32(m), uint32(k)
			c.Mark, c.MarkMask = &mv, &kv
			continue
		default:
			return c, nil
		}
		a.advance()
	}
	return c, nil
}

// parseBPFOps parses tc's classic BPF bytecode: "N,code jt jf k,...".
func parseBPFOps(s string) ([]tc.BPFInstruction, error) {
	parts := strings.Split(strings.TrimSuffix(s, ","), ",")
	n, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || n != len(parts)-1 || n == 0 {
		return nil, usagef("bpf: invalid bytecode %q", s)
	}
	ops := make([]tc.BPFInstruction, n)
	for i, p := range parts[1:] {
		f := strings.Fields(p)
		if len(f) != 4 {
			return nil, usagef("bpf: invalid instruction %q", p)
		}
		var v [4]uint64
		for j, x := range f {
			if v[j], err = strconv.ParseUint(x, 10, 32); err != nil {
				return nil, usagef("bpf: invalid instruction %q", p)
			}
		}
		if v[0] > 0xffff || v[1] > 0xff || v[2] > 0xff {
			return nil, usagef("bpf: invalid instruction %q", p)
		}
		ops[i] = tc.BPFInstruction{Code: uint16(v[0]), JT: uint8(v[1]), JF: uint8(v[2]), K: uint32(v[3])}
	}
	return ops, nil
}

func parseBPFAction(a *tcArgs) (tc.ActionKind, error) {
	b := &tc.BPFAction{}
	if a.more() && a.peek() == "run" {
		a.advance()
	}
	if !a.more() {
		return nil, errIncomplete
	}
	switch word := a.advance(); {
	case matches(word, "bytecode"):
		s, err := a.value(word)
		if err != nil {
			return nil, err
		}
		if b.Ops, err = parseBPFOps(s); err != nil {
			return nil, err
		}
	default:
		return nil, usagef("bpf: %q is not implemented by ipr (bytecode only)", word)
	}
	return b, nil
}

// peditIPFields are the IPv4 header fields of tc's "munge ip": offset
// and size.
var peditIPFields = [...]struct {
	name      string
	off, size int32
}{
	{"tos", 1, 1}, {"dsfield", 1, 1}, {"ttl", 8, 1}, {"protocol", 9, 1}, {"src", 12, 4}, {"dst", 16, 4},
}

func parsePedit(a *tcArgs) (tc.ActionKind, error) {
	p := &tc.Pedit{}
	if a.more() && a.peek() == "ex" {
		a.advance()
		p.Extended = true
	}
	for a.more() && matches(a.peek(), "munge") {
		a.advance()
		what, err := a.value("munge")
		if err != nil {
			return nil, err
		}
		var off, size int32
		var header uint16
		switch {
		case matches(what, "offset"):
			n, err := a.value("offset")
			if err != nil {
				return nil, err
			}
			o, err := strconv.ParseInt(n, 0, 32)
			if err != nil {
				return nil, invarg("invalid offset", n)
			}
			typ, err := a.value("offset")
			if err != nil {
				return nil, err
			}
			switch typ {
			case "u32":
				size = 4
			case "u16":
				size = 2
			case "u8":
				size = 1
			default:
				return nil, invarg("invalid munge type", typ)
			}
			off = int32(o)
		case what == "ip":
			field, err := a.value("ip")
			if err != nil {
				return nil, err
			}
			found := false
			for _, f := range peditIPFields {
				if f.name == field {
					off, size, found = f.off, f.size, true
				}
			}
			if !found {
				return nil, usagef("pedit: munge ip %s is not implemented by ipr", field)
			}
			header = tc.PeditIPv4
		default:
			return nil, usagef("pedit: munge %s is not implemented by ipr", what)
		}
		cmd, err := a.value("munge")
		if err != nil {
			return nil, err
		}
		if cmd != "set" {
			return nil, usagef("pedit: %s is not implemented by ipr (set only)", cmd)
		}
		s, err := a.value("set")
		if err != nil {
			return nil, err
		}
		var v uint64
		if size == 4 && strings.Contains(s, ".") {
			ip, err := netip.ParseAddr(s)
			if err != nil || !ip.Is4() {
				return nil, invarg("invalid address", s)
			}
			b := ip.As4()
			v = uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
		} else if v, err = strconv.ParseUint(s, 0, int(size)*8); err != nil {
			return nil, invarg("invalid value", s)
		}
		k, err := tc.PeditSet(off, int(size), uint32(v))
		if err != nil {
			return nil, err
		}
		if p.Extended {
			k.Header = header
		}
		p.Keys = append(p.Keys, k)
	}
	if len(p.Keys) == 0 {
		return nil, usagef("pedit: no munge")
	}
	return p, nil
}
