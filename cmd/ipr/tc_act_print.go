package main

// The printers of the actions tc prints with a kind of their own
// (m_KIND.c's print functions), for "ipr actions ls" and filters'
// action lists.

import (
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// actPrinter prints the options of an action kind.
type actPrinter func(p *printer, e *env, names *linkNames, opts nla.Chain)

// actPrinters are the kinds printed here, besides gact and mirred.
func actPrinterOf(kind string) actPrinter {
	switch kind {
	case "skbedit":
		return printSkbedit
	case "vlan":
		return printVlanAct
	case "csum":
		return printCsum
	case "nat":
		return printNat
	case "connmark":
		return printConnmark
	case "sample":
		return printSample
	case "mpls":
		return printMPLSAct
	case "simple":
		return printSimple
	case "tunnel_key":
		return printTunnelKeyAct
	case "police":
		return printPoliceAct
	case "ct":
		return printCT
	case "bpf":
		return printBPFAct
	}
	return nil
}

// actParms returns an action's parameters (a struct beginning with
// tc_gen) if at least n bytes long.
func actParms(opts nla.Chain, typ uint16, n int) ([]byte, bool) {
	a, ok := opts.Get(typ)
	if !ok || len(a.Data) < n {
		return nil, false
	}
	return a.Data, true
}

// actKindParms prints the kind, as most of tc's print functions begin,
// and returns the action's parameters (actParms).
func actKindParms(p *printer, kind string, opts nla.Chain, typ uint16, n int) ([]byte, bool) {
	p.str("kind", "%s ", kind)
	return actParms(opts, typ, n)
}

// tc's names of the operations of the vlan and mpls actions.
var (
	vlanActions = [...]string{"", "pop", "push", "modify", "pop_eth", "push_eth"}
	mplsActions = [...]string{"", "pop", "push", "modify", "dec_ttl", "mac_push"}
)

// printActOp prints the operation of an action that has one (vlan,
// mpls): the parameters' 32 bits after tc_gen, by its name in names, ""
// for one tc has no name for. It returns the operation.
func printActOp(p *printer, key string, names []string, parms []byte) uint32 {
	op := binary.NativeEndian.Uint32(parms[20:])
	p.str(key, " %s", nameAt(names, op, ""))
	return op
}

// actTail prints the verdict (print_action_control(f, " ", ...)) and the
// index line of the kinds that print "\t index".
func actTail(p *printer, e *env, opts nla.Chain, parms []byte, tmType uint16) {
	printControl(p, " ", tc.Verdict(binary.NativeEndian.Uint32(parms[8:])), "")
	tm, hasTM := opts.Get(tmType)
	printGenAs(p, e, "\t index %d", parms, tm, hasTM)
}

func attrBE16(a nla.Attr) uint16 {
	if len(a.Data) < 2 {
		return 0
	}
	return binary.BigEndian.Uint16(a.Data)
}

// printSkbedit is tc's print_skbedit.
func printSkbedit(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "skbedit", opts, 2, 20)
	if !ok {
		return
	}
	if a, ok := opts.Get(4); ok {
		p.uint("queue_mapping", "queue_mapping %d", uint64(attrU16(a)))
	}
	if a, ok := opts.Get(3); ok {
		p.str("priority", " priority %s", tc.Handle(attrU32(a)).String())
	}
	if a, ok := opts.Get(5); ok {
		p.uint("mark", " mark %d", uint64(attrU32(a)))
	}
	if a, ok := opts.Get(8); ok {
		tcPrintHex(p, "mask", "/%s", uint64(attrU32(a)))
	}
	if a, ok := opts.Get(7); ok {
		switch t := attrU16(a); t {
		case 0, 1, 2, 3:
			p.str("ptype", " ptype %s", [...]string{"host", "broadcast", "multicast", "otherhost"}[t])
		default:
			p.uint("ptype", " ptype %d", uint64(t))
		}
	}
	if a, ok := opts.Get(9); ok && attrU64(a)&0x20 != 0 { // SKBEDIT_F_INHERITDSFIELD
		if p.json {
			p.jsonNull("inheritdsfield")
		} else {
			p.textString(" inheritdsfield")
		}
	}
	actTail(p, e, opts, parms, 1)
}

// printVlanAct is tc's print_vlan.
func printVlanAct(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "vlan", opts, 2, 24)
	if !ok {
		return
	}
	switch printActOp(p, "vlan_action", vlanActions[:], parms) {
	case 2, 3:
		if a, ok := opts.Get(3); ok {
			p.uint("id", " id %d", uint64(attrU16(a)))
		}
		if a, ok := opts.Get(4); ok {
			p.str("protocol", " protocol %s", llProtoName(attrBE16(a)))
		}
		if a, ok := opts.Get(6); ok {
			p.uint("priority", " priority %d", uint64(attrU8(a)))
		}
	case 5:
		for _, m := range [...]struct {
			typ       uint16
			key, text string
		}{{7, "dst_mac", " dst_mac %s"}, {8, "src_mac", " src_mac %s"}} {
			if a, ok := opts.Get(m.typ); ok && len(a.Data) == 6 {
				p.str(m.key, m.text, macString(a.Data))
			}
		}
	}
	actTail(p, e, opts, parms, 1)
}

func macString(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(':')
		}
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}

// printCsum is tc's print_csum.
func printCsum(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "csum", opts, 1, 24)
	if !ok {
		return
	}
	flags := binary.NativeEndian.Uint32(parms[20:])
	var names []string
	for i, n := range [...]string{"iph", "icmp", "igmp", "tcp", "udp", "udplite", "sctp"} {
		if flags&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	s := strings.Join(names, ", ")
	if s == "" {
		s = "?empty"
	}
	p.str("csum", "(%s) ", s)
	printControl(p, "action ", tc.Verdict(binary.NativeEndian.Uint32(parms[8:])), "\n")
	tm, hasTM := opts.Get(2)
	printGenTail(p, e, "\tindex %d", parms, tm, hasTM)
}

// printGenTail prints the index line without the newline before it.
func printGenTail(p *printer, e *env, indexFormat string, parms []byte, tm nla.Attr, hasTM bool) {
	printGenRefs(p, e, indexFormat, parms, tm, hasTM)
	p.nl()
}

// printGenRefs prints the index, the references and (with -s) the
// times of an action: its tc_gen and tcf_t.
func printGenRefs(p *printer, e *env, indexFormat string, parms []byte, tm nla.Attr, hasTM bool) {
	p.uint("index", indexFormat, uint64(binary.NativeEndian.Uint32(parms)))
	p.int("ref", " ref %d", int64(int32(binary.NativeEndian.Uint32(parms[12:]))))
	p.int("bind", " bind %d", int64(int32(binary.NativeEndian.Uint32(parms[16:]))))
	if e.Stats.level > 0 && hasTM {
		printTM(p, tm.Data)
	}
}

// printNat is tc's print_nat.
func printNat(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	p.str("type", " %s ", "nat")
	parms, ok := actParms(opts, 1, 36)
	if !ok {
		return
	}
	mask := binary.BigEndian.Uint32(parms[28:])
	plen := 0
	if mask != 0 {
		// ffs of the mask as stored (network order read as a
		// little-endian word), as tc computes it.
		m := binary.NativeEndian.Uint32(parms[28:])
		ffs := 1
		for m&1 == 0 {
			m >>= 1
			ffs++
		}
		plen = 33 - ffs
	}
	dir := "ingress"
	if binary.NativeEndian.Uint32(parms[32:])&1 != 0 {
		dir = "egress"
	}
	p.str("direction", "%s", dir)
	old := netip.AddrFrom4([4]byte(parms[20:24]))
	p.str("old_addr", " %s", old.String()+"/"+itoa(plen))
	p.str("new_addr", " %s", netip.AddrFrom4([4]byte(parms[24:28])).String())
	actTail(p, e, opts, parms, 2)
}

// printConnmark is tc's print_connmark.
func printConnmark(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "connmark", opts, 1, 22)
	if !ok {
		return
	}
	p.uint("zone", "zone %d", uint64(binary.NativeEndian.Uint16(parms[20:])))
	actTail(p, e, opts, parms, 2)
}

// printSample is tc's print_sample.
func printSample(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	p.str("kind", "%s ", "sample")
	parms, ok := actParms(opts, 2, 20)
	rate, okRate := opts.Get(3)
	group, okGroup := opts.Get(5)
	if !ok || !okRate || !okGroup {
		return
	}
	p.uint("rate", "rate 1/%d ", uint64(attrU32(rate)))
	p.uint("group", "group %d", uint64(attrU32(group)))
	if a, ok := opts.Get(4); ok {
		p.uint("trunc_size", " trunc_size %d", uint64(attrU32(a)))
	}
	actTail(p, e, opts, parms, 1)
}

// printMPLSAct is tc's print_mpls.
func printMPLSAct(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "mpls", opts, 2, 24)
	if !ok {
		return
	}
	act := printActOp(p, "mpls_action", mplsActions[:], parms)
	proto := func() {
		if a, ok := opts.Get(4); ok {
			p.str("protocol", " protocol %s", llProtoName(attrBE16(a)))
		}
	}
	switch act {
	case 1:
		proto()
	case 2, 5, 3:
		if act != 3 {
			proto()
		}
		if a, ok := opts.Get(5); ok {
			p.uint("label", " label %d", uint64(attrU32(a)))
		}
		for _, f := range [...]struct {
			typ       uint16
			key, text string
		}{{6, "tc", " tc %d"}, {8, "bos", " bos %d"}, {7, "ttl", " ttl %d"}} {
			if a, ok := opts.Get(f.typ); ok {
				p.uint(f.key, f.text, uint64(attrU8(a)))
			}
		}
	}
	actTail(p, e, opts, parms, 1)
}

// printSimple is tc's print_simple, which prints its text even in JSON.
func printSimple(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actParms(opts, 2, 20)
	data, okData := opts.Get(3)
	if !ok || !okData {
		return
	}
	s := string(attrText(data))
	p.raw("Simple <" + s + ">\n")
	p.raw("\t index " + itoa(int(binary.NativeEndian.Uint32(parms))) + " ref " +
		itoa(int(int32(binary.NativeEndian.Uint32(parms[12:])))) + " bind " +
		itoa(int(int32(binary.NativeEndian.Uint32(parms[16:])))))
	if tm, ok := opts.Get(1); ok && e.Stats.level > 0 {
		printTM(p, tm.Data)
	}
	p.nl()
}

// tcPrintHex is tc's print_hex: "%x" as a string in JSON, the format
// (with "%#x") in text.
func tcPrintHex(p *printer, key, format string, v uint64) {
	if p.json {
		p.jsonStr(key, strconv.FormatUint(v, 16))
		return
	}
	p.text(format, cHex(v))
}

// raw appends text as tc's fprintf does, even in JSON. JSON held whole
// for -pretty (p.w nil) gets the text between two rawMarks, so that
// prettyJSON copies it where tc's stream has it; e.output removes them
// otherwise.
func (p *printer) raw(s string) {
	if !p.json || p.w != nil {
		p.buf = append(p.buf, s...)
		return
	}
	p.buf = append(p.buf, rawMark)
	for i := 0; i < len(s); i++ {
		if s[i] != rawMark { // fprintf's %s ends at a NUL
			p.buf = append(p.buf, s[i])
		}
	}
	p.buf = append(p.buf, rawMark)
}

// printTunnelKeyAct is tc's print_tunnel_key.
func printTunnelKeyAct(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "tunnel_key", opts, 2, 24)
	if !ok {
		return
	}
	switch binary.NativeEndian.Uint32(parms[20:]) {
	case 2: // TCA_TUNNEL_KEY_ACT_RELEASE
		p.str("mode", " %s", "unset")
	case 1: // TCA_TUNNEL_KEY_ACT_SET
		p.str("mode", " %s", "set")
		for _, f := range [...]struct {
			typ       uint16
			key, text string
		}{{3, "src_ip", "\tsrc_ip %s"}, {4, "dst_ip", "\tdst_ip %s"}, {5, "src_ip", "\tsrc_ip %s"}, {6, "dst_ip", "\tdst_ip %s"}} {
			if a, ok := opts.Get(f.typ); ok {
				if addr, ok := netip.AddrFromSlice(a.Data); ok {
					p.nl()
					p.str(f.key, f.text, addr.String())
				}
			}
		}
		if a, ok := opts.Get(7); ok && len(a.Data) >= 4 {
			p.nl()
			p.uint("key_id", "\tkey_id %d", uint64(binary.BigEndian.Uint32(a.Data)))
		}
		if a, ok := opts.Get(9); ok {
			p.nl()
			p.uint("dst_port", "\tdst_port %d", uint64(attrBE16(a)))
		}
		if a, ok := opts.Get(11); ok {
			printTunnelKeyOpts(p, a.Nested())
		}
		if a, ok := opts.Get(10); ok {
			p.nl()
			flag := "csum"
			if attrU8(a) != 0 {
				flag = "nocsum"
			}
			p.str("flag", "\t%s", flag)
		}
		if a, ok := opts.Get(12); ok && attrU8(a) != 0 {
			p.nl()
			p.jsonUint("tos", uint64(attrU8(a)))
			p.text("\ttos %s", cHex(uint64(attrU8(a))))
		}
		if a, ok := opts.Get(13); ok && attrU8(a) != 0 {
			p.nl()
			p.uint("ttl", "\tttl %d", uint64(attrU8(a)))
		}
	}
	actTail(p, e, opts, parms, 1)
}

// printPoliceAct is tc's print_police.
func printPoliceAct(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	p.jsonStr("kind", "police")
	parms, ok := actParms(opts, 1, 56)
	if !ok {
		return
	}
	u32 := func(off int) uint32 { return binary.NativeEndian.Uint32(parms[off:]) }
	rate := tc.Rate(u32(20 + 8))
	if a, ok := opts.Get(8); ok && len(a.Data) >= 8 {
		rate = tc.Rate(attrU64(a))
	}
	if !p.json {
		p.text(" police 0x%x ", u32(0))
	}
	p.jsonUint("index", uint64(u32(0)))
	p.text("rate %s ", rate.String())
	p.text("burst %s ", tc.Size(tc.XmitSize(rate, u32(12))).String())
	p.text("mtu %s ", tc.Size(u32(16)).String())
	prate := tc.Rate(u32(32 + 8))
	if a, ok := opts.Get(9); ok && len(a.Data) >= 8 {
		prate = tc.Rate(attrU64(a))
	}
	if prate != 0 {
		p.text("peakrate %s ", prate.String())
	}
	if a, ok := opts.Get(4); ok {
		p.text("avrate %s ", tc.Rate(attrU32(a)).String())
	}
	pps, okPPS := opts.Get(10)
	burst, okBurst := opts.Get(11)
	if okPPS && okBurst && len(pps.Data) >= 8 && len(burst.Data) >= 8 {
		r := attrU64(pps)
		p.uint("pkts_rate", "pkts_rate %d ", r)
		p.uint("pkts_burst", "pkts_burst %d ", uint64(tc.XmitSize(tc.Rate(r), uint32(attrU64(burst)))))
	}
	printControl(p, "action ", tc.Verdict(u32(4)), "")
	if a, ok := opts.Get(5); ok {
		printControl(p, "/", tc.Verdict(attrU32(a)), " ")
	} else {
		p.textString(" ")
	}
	tcSize(p, "overhead", "overhead %s ", uint32(binary.NativeEndian.Uint16(parms[20+2:])))
	if ll := parms[20+1] & 0x0f; ll > 1 || e.Details {
		p.str("linklayer", "linklayer %s ", tc.Linklayer(ll).String())
	}
	p.nl()
	p.int("ref", "\tref %d ", int64(int32(u32(44))))
	p.int("bind", "bind %d ", int64(int32(u32(48))))
	if tm, ok := opts.Get(6); ok && e.Stats.level > 0 {
		printTM(p, tm.Data)
	}
	p.nl()
}

// printCT is tc's print_ct (without labels).
func printCT(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	p.str("kind", "%s", "ct")
	parms, ok := actParms(opts, 1, 20)
	if !ok {
		return
	}
	var act uint16
	if a, ok := opts.Get(3); ok {
		act = attrU16(a)
	}
	switch {
	case act&1 != 0:
		commit := "commit"
		if act&2 != 0 {
			commit = "commit force"
		}
		p.str("action", " %s", commit)
	case act&4 != 0:
		p.str("action", " %s", "clear")
	}
	masked := func(name string, v uint32, vok bool, mask uint32, max uint32) {
		if !vok {
			return
		}
		p.textString(" ")
		p.uint(name, name+" %d", uint64(v))
		if mask != max {
			tcPrintHex(p, name+"_mask", "/%s", uint64(mask))
		}
	}
	mark, okMark := opts.Get(5)
	mask := uint32(0xffffffff)
	if m, ok := opts.Get(6); ok {
		mask = attrU32(m)
	}
	masked("mark", attrU32(mark), okMark, mask, 0xffffffff)
	zone, okZone := opts.Get(4)
	masked("zone", uint32(attrU16(zone)), okZone, 0xffff, 0xffff)
	if act&8 != 0 {
		out := ""
		switch {
		case act&16 != 0:
			out = "src"
		case act&32 != 0:
			out = "dst"
		}
		if out != "" {
			addr := func(prefix string, typ uint16) string {
				if a, ok := opts.Get(typ); ok {
					if ip, ok := netip.AddrFromSlice(a.Data); ok {
						return prefix + ip.String()
					}
				}
				return ""
			}
			out += addr(" addr ", 9) + addr(" addr ", 11)
			min4, _ := opts.Get(9)
			min6, _ := opts.Get(11)
			if a, ok := opts.Get(10); ok && string(a.Data) != string(min4.Data) {
				out += addr("-", 10)
			} else if a, ok := opts.Get(12); ok && string(a.Data) != string(min6.Data) {
				out += addr("-", 12)
			}
			pmin, okMin := opts.Get(13)
			if okMin {
				out += " port " + itoa(int(attrBE16(pmin)))
			}
			if a, ok := opts.Get(14); ok && string(a.Data) != string(pmin.Data) {
				out += "-" + itoa(int(attrBE16(a)))
			}
			p.str("nat", " nat %s", out)
		} else {
			p.str("nat", " nat%s", "")
		}
	}
	actTail(p, e, opts, parms, 2)
}

// printBPFAct is tc's bpf_print_opt for the bpf action, without the
// program information tc reads through the bpf system call.
func printBPFAct(p *printer, e *env, _ *linkNames, opts nla.Chain) {
	parms, ok := actKindParms(p, "bpf", opts, 2, 20)
	if !ok {
		return
	}
	if a, ok := opts.Get(6); ok {
		p.strBytes("bpf_name", "%s ", attrText(a))
	}
	ops, okOps := opts.Get(4)
	n, okLen := opts.Get(3)
	if okOps && okLen {
		printBPFOps(p, ops.Data, int(attrU16(n)))
		p.textString(" ")
	}
	if a, ok := opts.Get(8); ok {
		p.str("tag", "tag %s ", hex.EncodeToString(a.Data))
	}
	printControl(p, "default-action ", tc.Verdict(binary.NativeEndian.Uint32(parms[8:])), "\n")
	tm, hasTM := opts.Get(1)
	printGenRefs(p, e, "\t index %d", parms, tm, hasTM)
	p.raw("\n ")
}

// printTunnelKeyOpts is tc's tunnel_key_print_key_opt: the geneve,
// else vxlan, else erspan options of TCA_TUNNEL_KEY_ENC_OPTS.
func printTunnelKeyOpts(p *printer, opts nla.Chain) {
	if a, ok := opts.Get(1); ok {
		printGeneveOpts(p, a.Data)
	} else if a, ok := opts.Get(2); ok {
		var gbp uint32
		if g, ok := a.Nested().Get(1); ok {
			gbp = attrU32(g)
		}
		p.nl()
		p.textString("\tvxlan_opts ")
		p.openArray("vxlan_opts")
		p.openObject("")
		p.uint("gbp", "%d", uint64(gbp))
		p.closeObject()
		p.closeArray()
	} else if a, ok := opts.Get(3); ok {
		printErspanOpts(p, a.Nested())
	}
}

// printGeneveOpts is tunnel_key_print_geneve_options: class, type and
// data of each option, which tc finds at 20 bytes plus the data's length
// after the previous one.
func printGeneveOpts(p *printer, b []byte) {
	p.openArray("geneve_opts")
	p.nl()
	p.textString("\tgeneve_opts ")
	for len(b) > 0 {
		o := nla.Chain(b)
		class, okC := o.Get(1)
		typ, okT := o.Get(2)
		data, okD := o.Get(3)
		if !okC || !okT || !okD || 20+len(data.Data) > len(b) {
			break // tc reads past its attributes
		}
		b = b[20+len(data.Data):]
		p.openObject("")
		p.jsonUint("class", uint64(attrBE16(class)))
		p.jsonUint("type", uint64(attrU8(typ)))
		p.openArray("data")
		for _, c := range data.Data {
			p.jsonUint("", uint64(c))
		}
		p.closeArray()
		p.closeObject()
		sep := ""
		if len(b) > 0 {
			sep = ","
		}
		p.text("%04x:%02x:%x%s", attrBE16(class), attrU8(typ), data.Data, sep)
	}
	p.closeArray()
}

// printErspanOpts is tunnel_key_print_erspan_options: version 1 has an
// index, version 2 a direction and a hardware id.
func printErspanOpts(p *printer, o nla.Chain) {
	u8 := func(typ uint16) uint8 {
		a, _ := o.Get(typ)
		return attrU8(a)
	}
	ver := u8(1)
	var idx uint32
	var dir, hwid uint8
	if ver == 1 {
		if a, ok := o.Get(2); ok && len(a.Data) >= 4 {
			idx = binary.BigEndian.Uint32(a.Data)
		}
	} else {
		dir, hwid = u8(3), u8(4)
	}
	p.nl()
	p.textString("\terspan_opts ")
	p.openArray("erspan_opts")
	p.openObject("")
	p.uint("ver", "%d", uint64(ver))
	p.uint("index", ":%d", uint64(idx))
	p.uint("dir", ":%d", uint64(dir))
	p.uint("hwid", ":%d", uint64(hwid))
	p.closeObject()
	p.closeArray()
}
