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

// numberArg reads the number after keyword w as tc's get_u8, get_u16 or
// get_u32 (bits) with base 0.
func numberArg(a *args, w string, bits int) (uint64, error) {
	return parseValue(a, w, func(s string) (uint64, error) { return tcNumber(w, s, bits) })
}

// setNumber reads a number of bits bits into *dst.
func setNumber[T ~uint8 | ~uint16 | ~uint32](dst *T, bits int) func(a *args, w string) error {
	return func(a *args, w string) error {
		n, err := numberArg(a, w, bits)
		*dst = T(n)
		return err
	}
}

// setNumberPtr reads a number of bits bits into the optional *dst, nil
// until set.
func setNumberPtr[T ~uint8 | ~uint16 | ~uint32](dst **T, bits int) func(a *args, w string) error {
	return func(a *args, w string) error {
		n, err := numberArg(a, w, bits)
		v := T(n)
		*dst = &v
		return err
	}
}

// markArg reads skbedit's and ct's "MARK[/MASK]".
func markArg(a *args, w string) (mark, mask uint32, hasMask bool, err error) {
	v, err := a.value(w)
	if err != nil {
		return 0, 0, false, err
	}
	ms, ks, hasMask := strings.Cut(v, "/")
	m, err := tcNumber("mark", ms, 32)
	if err != nil || !hasMask {
		return uint32(m), 0, false, err
	}
	k, err := tcNumber("mask", ks, 32)
	return uint32(m), uint32(k), true, err
}

// skbeditPacketTypes are skbedit's ptype names, by value.
var skbeditPacketTypes = [...]string{unix.PACKET_HOST: "host", unix.PACKET_BROADCAST: "broadcast",
	unix.PACKET_MULTICAST: "multicast", unix.PACKET_OTHERHOST: "otherhost"}

func parseSkbedit(a *tcArgs) (tc.ActionKind, error) {
	s := &tc.SkbEdit{}
	start := a.i
	err := readActionOpts(a,
		abbrFull("queue_mapping", setNumberPtr(&s.QueueMapping, 16)),
		abbr("priority", func(a *args, w string) error {
			h, err := parseValue(a, w, parseClassid)
			p := uint32(h)
			s.Priority = &p
			return err
		}),
		abbr("mark", func(a *args, w string) error {
			mark, mask, hasMask, err := markArg(a, w)
			s.Mark = &mark
			if hasMask {
				s.Mask = &mask
			}
			return err
		}),
		abbr("ptype", func(a *args, w string) error {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			for t, name := range skbeditPacketTypes {
				if matches(v, name) {
					pt := uint16(t)
					s.PacketType = &pt
					return nil
				}
			}
			return usagef("ptype is invalid: %s", v)
		}),
		abbr("inheritdsfield", setTrue(&s.InheritDSField)))
	if err == nil && a.i == start && a.more() {
		return nil, usagef("skbedit: no operation")
	}
	return s, err
}

func parseVlanAction(a *tcArgs) (tc.ActionKind, error) {
	v := &tc.VlanAction{}
	op, err := a.value("vlan")
	if err != nil {
		return nil, err
	}
	o := findKindOpt([]kindOpt{abbr("pop", setValue(&v.Op, tc.VlanPop)), abbr("push", setValue(&v.Op, tc.VlanPush)),
		abbr("modify", setValue(&v.Op, tc.VlanModify)), opt("pop_eth", setValue(&v.Op, tc.VlanPopEth)),
		opt("push_eth", setValue(&v.Op, tc.VlanPushEth))}, op)
	if o == nil {
		return nil, usagef("vlan: unknown operation %q", op)
	}
	o.read(&a.args, op)
	return v, readActionOpts(a,
		abbrFull("id", setNumber(&v.ID, 16)),
		abbr("protocol", setTo(&v.Protocol, ethProtoArg)),
		abbr("priority", func(a *args, w string) error {
			n, err := numberArg(a, "priority", 8)
			if err != nil || n > 7 {
				return invarg("prio is invalid", w)
			}
			v.Priority, v.HasPriority = uint8(n), true
			return nil
		}),
		abbr("dst_mac", setTo(&v.Dst, macArg)), abbr("src_mac", setTo(&v.Src, macArg)))
}

// ethProtoArg reads an ethertype (parseEthProto).
func ethProtoArg(a *args, w string) (uint16, error) { return parseValue(a, w, parseEthProto) }

// macArg reads a MAC address.
func macArg(a *args, w string) (net.HardwareAddr, error) {
	return checkedArg(a, w, net.ParseMAC, func(v string) error { return invarg(w+" is invalid", v) })
}

func parseTunnelKey(a *tcArgs) (tc.ActionKind, error) {
	t := &tc.TunnelKey{}
	// tunnel_key_parse_ip_addr: get_addr's address and message.
	ip := func(a *args, w string) (netip.Addr, error) {
		return parseValue(a, w, func(v string) (netip.Addr, error) { return parseAddr(w, v, 0) })
	}
	return t, readActionOpts(a,
		abbr("unset", setTrue(&t.Unset)), abbr("set", skipWord),
		abbr("src_ip", setTo(&t.Src, ip)), abbr("dst_ip", setTo(&t.Dst, ip)),
		abbrFull("id", setNumberPtr(&t.KeyID, 32)), abbrFull("dst_port", setNumber(&t.DstPort, 16)),
		abbr("tos", setNumberPtr(&t.TOS, 8)), abbr("ttl", setNumberPtr(&t.TTL, 8)),
		abbr("geneve_opts", func(a *args, w string) error {
			s, err := a.value(w)
			if err != nil {
				return err
			}
			for _, o := range strings.Split(s, ",") {
				f := strings.Split(o, ":")
				if len(f) != 3 {
					return usagef("Illegal \"geneve_opts\"")
				}
				class, err1 := strconv.ParseUint(f[0], 16, 16)
				typ, err2 := strconv.ParseUint(f[1], 16, 8)
				data, err3 := hexBytes(f[2])
				if err1 != nil || err2 != nil || err3 != nil {
					return usagef("Illegal \"geneve_opts\"")
				}
				t.Geneve = append(t.Geneve, tc.GeneveOpt{Class: uint16(class), Type: uint8(typ), Data: data})
			}
			return nil
		}),
		abbr("csum", setValue(&t.NoChecksum, false)), abbr("nocsum", setValue(&t.NoChecksum, true)),
		opt("nofrag", setTrue(&t.NoFrag)))
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
	return c, readActionOpts(a,
		abbr("iph", setBits(&c.Update, tc.CsumIPv4Header)), abbr("ip4h", setBits(&c.Update, tc.CsumIPv4Header)),
		abbr("ipv4h", setBits(&c.Update, tc.CsumIPv4Header)), abbr("icmp", setBits(&c.Update, tc.CsumICMP)),
		abbr("igmp", setBits(&c.Update, tc.CsumIGMP)), abbr("tcp", setBits(&c.Update, tc.CsumTCP)),
		abbr("udp", setBits(&c.Update, tc.CsumUDP)), abbr("udplite", setBits(&c.Update, tc.CsumUDPLite)),
		abbr("sctp", setBits(&c.Update, tc.CsumSCTP)),
		abbr("and", skipWord), abbr("or", skipWord), opt("+", skipWord))
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
	return s, readActionOpts(a,
		abbr("rate", setNumber(&s.Rate, 32)), abbr("group", setNumber(&s.Group, 32)), abbr("trunc", setNumber(&s.Trunc, 32)))
}

func parseMPLS(a *tcArgs) (tc.ActionKind, error) {
	m := &tc.MPLSAction{}
	// u8 reads a field of a label stack entry, at most max.
	u8 := func(dst **uint8, max uint64) func(a *args, w string) error {
		return func(a *args, w string) error {
			n, err := numberArg(a, w, 8)
			if err != nil || n > max {
				return invarg("invalid "+w, w)
			}
			v := uint8(n)
			*dst = &v
			return nil
		}
	}
	return m, readActionOpts(a,
		abbr("pop", setValue(&m.Op, tc.MPLSPop)), abbr("push", setValue(&m.Op, tc.MPLSPush)),
		abbr("modify", setValue(&m.Op, tc.MPLSModify)), abbr("mac_push", setValue(&m.Op, tc.MPLSMacPush)),
		abbr("dec_ttl", setValue(&m.Op, tc.MPLSDecTTL)),
		abbr("label", func(a *args, w string) error {
			n, err := numberArg(a, "label", 32)
			if err != nil || n > 0xfffff {
				return invarg("invalid MPLS label", w)
			}
			v := uint32(n)
			m.Label = &v
			return nil
		}),
		abbr("protocol", setTo(&m.Protocol, ethProtoArg)),
		abbr("tc", u8(&m.TC, 7)), abbr("ttl", u8(&m.TTL, 255)), abbr("bos", u8(&m.BOS, 1)))
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
	return c, readActionOpts(a,
		abbrFull("zone", setNumber(&c.Zone, 16)),
		abbr("nat", func(a *args, _ string) error { return parseCTNat(a, c) }),
		abbr("clear", setBits(&c.Flags, tc.CTClear)), abbr("commit", setBits(&c.Flags, tc.CTCommit)),
		abbr("force", setBits(&c.Flags, tc.CTForce)),
		abbr("mark", func(a *args, w string) error {
			mark, mask, hasMask, err := markArg(a, w)
			if !hasMask {
				mask = 0xffffffff
			}
			c.Mark, c.MarkMask = &mark, &mask
			return err
		}))
}

// parseCTNat reads what follows ct's "nat": "[src|dst addr
// ADDR[-ADDR] [port PORT[-PORT]]]".
func parseCTNat(a *args, c *tc.CT) error {
	c.Flags |= tc.CTNat
	if !a.more() {
		return nil
	}
	switch {
	case matches(a.peek(), "src"):
		c.Flags |= tc.CTNatSrc
	case matches(a.peek(), "dst"):
		c.Flags |= tc.CTNatDst
	default:
		return nil
	}
	a.advance()
	if !a.more() || !matches(a.peek(), "addr") {
		return usagef("ct: nat needs addr")
	}
	a.advance()
	r, err := a.value("addr")
	if err != nil {
		return err
	}
	lo, hi, rng := strings.Cut(r, "-")
	if c.NatMin, err = netip.ParseAddr(lo); err != nil {
		return invarg("invalid nat address", r)
	}
	c.NatMax = c.NatMin
	if rng {
		if c.NatMax, err = netip.ParseAddr(hi); err != nil {
			return invarg("invalid nat address", r)
		}
	}
	if !a.more() || !matches(a.peek(), "port") {
		return nil
	}
	a.advance()
	if r, err = a.value("port"); err != nil {
		return err
	}
	lo, hi, rng = strings.Cut(r, "-")
	p0, err0 := strconv.ParseUint(lo, 10, 16)
	p1 := p0
	var err1 error
	if rng {
		p1, err1 = strconv.ParseUint(hi, 10, 16)
	}
	if err0 != nil || err1 != nil {
		return invarg("invalid nat port", r)
	}
	c.PortMin, c.PortMax = uint16(p0), uint16(p1)
	return nil
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
			bytes, ok := sizeWord(typ)
			if !ok {
				return nil, invarg("invalid munge type", typ)
			}
			size = int32(bytes)
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
