package main

// The output of "ipr filter show" and "ipr action ls": tc 6.1's
// print_filter, the classifiers' print_fopt and the actions'
// print_aopt.

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// The attributes the printers read (linux/pkt_cls.h, tc_act/*.h).
const (
	u32AttrClassid = 1
	u32AttrHash    = 2
	u32AttrLink    = 3
	u32AttrDivisor = 4
	u32AttrSel     = 5
	u32AttrAct     = 7
	u32AttrIndev   = 8
	u32AttrPcnt    = 9
	u32AttrFlags   = 11
	u32AttrMax     = 12

	bpfAttrAct      = 1
	bpfAttrClassid  = 3
	bpfAttrOpsLen   = 4
	bpfAttrOps      = 5
	bpfAttrName     = 7
	bpfAttrFlags    = 8
	bpfAttrFlagsGen = 9
	bpfAttrTag      = 10

	matchallAttrClassid = 1
	matchallAttrAct     = 2
	matchallAttrFlags   = 3

	actAttrOptions     = 2
	actAttrStats       = 4
	actAttrFlags       = 7
	actAttrHWStats     = 8
	actAttrUsedHWStats = 9
	actAttrInHWCount   = 10

	mirredAttrTm    = 1
	mirredAttrParms = 2
	gactAttrTm      = 1
	gactAttrParms   = 2
	gactAttrProb    = 3
)

// filterShown is what a "filter show" asked for, which print_filter
// leaves out of each line.
type filterShown struct {
	ifindex  int32
	block    uint32
	parent   tc.Handle
	protocol uint16
	prio     uint16
	chain    uint32
	chainSet bool
	// chains prints chain messages (tc chain show), which have no kind
	// but a template's.
	chains bool
}

// printFilter is tc's print_filter.
func printFilter(p *printer, e *env, f tc.Filter, names *linkNames, shown *filterShown) {
	p.openObject("")
	if shown.chains {
		p.textString("chain ")
	} else {
		p.textString("filter ")
	}
	if b, ok := f.BlockIndex(); ok {
		if shown.block == 0 || shown.block != b {
			p.uint("block", "block %d ", uint64(b))
		}
	} else {
		if shown.ifindex == 0 || shown.ifindex != f.Ifindex() {
			tcDevName(p, names, f.Ifindex())
		}
		if parent := f.Parent(); shown.parent == 0 || shown.parent != parent {
			switch parent {
			case tcRoot:
				p.boolean("root", "root ", true)
			case tcMinIngress:
				p.boolean("ingress", "ingress ", true)
			case tcMinEgress:
				p.boolean("egress", "egress ", true)
			default:
				p.str("parent", "parent %s ", parent.String())
			}
		}
	}
	if f.Info() != 0 {
		if proto := f.Protocol(); proto != 0 && (shown.protocol == 0 || shown.protocol != proto) {
			p.str("protocol", "protocol %s ", llProtoName(proto))
		}
		if prio := f.Priority(); prio != 0 && (shown.prio == 0 || shown.prio != prio) {
			p.uint("pref", "pref %d ", uint64(prio))
		}
	}
	kind := f.Kind()
	if kind != "" || !shown.chains {
		p.str("kind", "%s ", kind)
	}
	if c, ok := f.ChainIndex(); ok && (!shown.chainSet || shown.chain != c) {
		p.uint("chain", "chain %d ", uint64(c))
	}
	if f.HasOptions() {
		p.openObject("options")
		printFilterOptions(p, e, names, kind, nla.Chain(f.Options()), uint32(f.Handle()), f.Protocol())
		p.closeObject()
	}
	p.nl()
	if e.Stats.level > 0 {
		if _, ok := f.Stats(); ok {
			printTCStats(p, f.Object)
			p.nl()
		}
	}
	p.closeObject()
}

// printFilterOptions prints the options of the classifiers ipr knows.
func printFilterOptions(p *printer, e *env, names *linkNames, kind string, opts nla.Chain, handle uint32, proto uint16) {
	if kind == "u32" {
		printU32(p, e, names, opts, handle, proto)
		return
	}
	for _, k := range filterKinds {
		if k.name == kind && k.print != nil {
			k.print(p, e, names, opts, handle)
			return
		}
	}
}

// printClsFlags prints the skip and in-hardware flags of a classifier.
func printClsFlags(p *printer, flags uint32) {
	if flags&tc.FilterSkipHW != 0 {
		p.boolean("skip_hw", "skip_hw ", true)
	}
	if flags&tc.FilterSkipSW != 0 {
		p.boolean("skip_sw", "skip_sw ", true)
	}
	if flags&tc.FilterInHW != 0 {
		p.boolean("in_hw", "in_hw ", true)
	} else if flags&tc.FilterNotInHW != 0 {
		p.boolean("not_in_hw", "not_in_hw ", true)
	}
}

// tcHex prints tc's print_hex: "%x" of the value, as a JSON string.
func tcHex(p *printer, key, format string, v uint64) {
	p.str(key, format, strconv.FormatUint(v, 16))
}

// printU32 is tc's u32_print_opt.
func printU32(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32, proto uint16) {
	var tb [u32AttrMax + 1]nla.Attr
	var have [u32AttrMax + 1]bool
	for a := range opts.All() {
		if k := a.Kind(); int(k) < len(tb) {
			tb[k], have[k] = a, true
		}
	}
	if handle != 0 {
		p.strBytes("fh", "fh %s ", tc.AppendU32Handle(nil, handle))
	}
	if node := handle & 0xfff; node != 0 {
		p.int("order", "order %d ", int64(node))
	}
	var sel []byte
	if have[u32AttrSel] && len(tb[u32AttrSel].Data) >= 16 {
		sel = tb[u32AttrSel].Data
	}
	switch {
	case have[u32AttrDivisor]:
		p.int("ht_divisor", "ht divisor %d ", int64(int32(attrU32(tb[u32AttrDivisor]))))
	case have[u32AttrHash]:
		h := attrU32(tb[u32AttrHash])
		tcHex(p, "key_ht", "key ht %s ", uint64(h>>20))
		tcHex(p, "bkt", "bkt %s ", uint64(h>>12&0xff))
	}
	terminal := sel != nil && sel[0]&tc.U32Terminal != 0
	if have[u32AttrClassid] {
		if terminal { // tc 6.1 marks a terminal match so (later tc, a non-terminal one)
			p.textString("*")
		}
		p.str("flowid", "flowid %s ", tc.Handle(attrU32(tb[u32AttrClassid])).String())
	} else if terminal {
		p.textString("terminal flowid ")
	}
	if have[u32AttrLink] {
		p.strBytes("link", "link %s ", tc.AppendU32Handle(nil, attrU32(tb[u32AttrLink])))
	}
	if have[u32AttrFlags] {
		printClsFlags(p, attrU32(tb[u32AttrFlags]))
	}
	var pcnt []byte
	if have[u32AttrPcnt] && len(tb[u32AttrPcnt].Data) >= 16 {
		pcnt = tb[u32AttrPcnt].Data
	}
	stats := e.Stats.level > 0
	if sel != nil && stats && pcnt != nil {
		p.uint("rule_hit", "(rule hit %d ", binary.NativeEndian.Uint64(pcnt))
		p.uint("success", "success %d)", binary.NativeEndian.Uint64(pcnt[8:]))
	}
	if sel != nil {
		n := int(sel[2])
		for i := 0; i < n && 16+16*(i+1) <= len(sel); i++ {
			k := sel[16+16*i:]
			if e.Pretty && printU32KeyPretty(p, proto, k) {
				if stats && pcnt != nil && 16+8*(i+1) <= len(pcnt) {
					p.uint("success", " (success %d ) ", binary.NativeEndian.Uint64(pcnt[16+8*i:]))
				}
				continue
			}
			p.openObject("match")
			p.nl()
			val, mask := binary.BigEndian.Uint32(k[4:]), binary.BigEndian.Uint32(k)
			if p.json {
				tcHex(p, "value", "", uint64(val))
				tcHex(p, "mask", "", uint64(mask))
			} else {
				p.text("  match %08x/%08x ", val, mask)
			}
			nh := ""
			if binary.NativeEndian.Uint32(k[12:]) != 0 {
				nh = "nexthdr+"
			}
			p.str("offmask", "at %s", nh)
			p.int("off", "%d", int64(int32(binary.NativeEndian.Uint32(k[8:]))))
			p.closeObject()
			if stats && pcnt != nil && 16+8*(i+1) <= len(pcnt) {
				p.uint("success", " (success %d ) ", binary.NativeEndian.Uint64(pcnt[16+8*i:]))
			}
		}
		flags := sel[0]
		if flags&(tc.U32VarOffset|tc.U32Offset) != 0 {
			p.nl()
			p.str("", "%s", "    offset ")
			if flags&tc.U32VarOffset != 0 {
				if p.json {
					tcHex(p, "offset_mask", "", uint64(binary.BigEndian.Uint16(sel[4:])))
				} else {
					p.text("%04x", binary.BigEndian.Uint16(sel[4:]))
				}
				p.int("offset_shift", ">>%d ", int64(sel[1]))
				p.int("offset_off", "at %d ", int64(int16(binary.NativeEndian.Uint16(sel[8:]))))
			}
			if off := binary.NativeEndian.Uint16(sel[6:]); off != 0 {
				p.int("plus", "plus %d ", int64(int16(off)))
			}
		}
		if flags&tc.U32Eat != 0 {
			p.str("", "%s", " eat ")
		}
		if hmask := binary.BigEndian.Uint32(sel[12:]); hmask != 0 {
			p.nl()
			if p.json {
				tcHex(p, "hash_mask", "", uint64(hmask))
			} else {
				p.text("    hash mask %08x ", hmask)
			}
			p.int("hash_off", "at %d ", int64(int16(binary.NativeEndian.Uint16(sel[10:]))))
		}
	}
	if a, ok := opts.Get(6); ok { // TCA_U32_POLICE
		p.nl()
		printPoliceAct(p, e, names, a.Nested())
	}
	if have[u32AttrIndev] {
		p.nl()
		p.strBytes("input_dev", "  input dev %s", attrText(tb[u32AttrIndev]))
		p.nl()
	}
	if have[u32AttrAct] {
		printActionList(p, e, names, tb[u32AttrAct].Nested(), true)
	}
}

// printBPFFilter is tc's bpf_print_opt, without the program information
// tc reads through the bpf system call.
func printBPFFilter(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	if handle != 0 {
		p.hex("handle", "handle %s ", uint64(handle))
	}
	var b tc.BPF
	for a := range opts.All() {
		switch a.Kind() {
		case bpfAttrClassid:
			p.str("flowid", "flowid %s ", tc.Handle(attrU32(a)).String())
		case bpfAttrName:
			p.strBytes("bpf_name", "%s ", attrText(a))
		case bpfAttrFlags:
			b.DirectAction = attrU32(a)&1 != 0
		case bpfAttrFlagsGen:
			b.Flags = attrU32(a)
		}
	}
	if b.DirectAction {
		p.boolean("direct-action", "direct-action ", true)
	}
	if _, ok := opts.Get(bpfAttrFlagsGen); ok {
		printClsFlags(p, b.Flags)
	}
	ops, okOps := opts.Get(bpfAttrOps)
	n, okLen := opts.Get(bpfAttrOpsLen)
	if okOps && okLen {
		printBPFOps(p, ops.Data, int(attrU16(n)))
	}
	if a, ok := opts.Get(bpfAttrTag); ok {
		p.str("tag", "tag %s ", hex.EncodeToString(a.Data))
	}
	if a, ok := opts.Get(bpfAttrAct); ok {
		printActionList(p, e, names, a.Nested(), true)
	}
}

// printBPFOps is tc's bpf_print_ops.
func printBPFOps(p *printer, ops []byte, n int) {
	if n == 0 || len(ops) < 8*n {
		return
	}
	p.openObject("bytecode")
	p.uint("length", "bytecode '%d,", uint64(n))
	p.openArray("insns")
	for i := 0; i < n; i++ {
		op := ops[8*i:]
		p.openObject("")
		p.uint("code", "%d ", uint64(binary.NativeEndian.Uint16(op)))
		p.uint("jt", "%d ", uint64(op[2]))
		p.uint("jf", "%d ", uint64(op[3]))
		end := ","
		if i == n-1 {
			end = "'"
		}
		p.uint("k", "%d"+end, uint64(binary.NativeEndian.Uint32(op[4:])))
		p.closeObject()
	}
	p.closeArray()
	p.closeObject()
}

// printMatchall is tc's matchall_print_opt.
func printMatchall(p *printer, e *env, names *linkNames, opts nla.Chain, handle uint32) {
	if handle != 0 {
		// print_uint with "0x%x": a number in JSON
		p.jsonUint("handle", uint64(handle))
		p.text("handle %s ", cHex(uint64(handle)))
	}
	if a, ok := opts.Get(matchallAttrClassid); ok {
		p.str("flowid", "flowid %s ", tc.Handle(attrU32(a)).String())
	}
	if a, ok := opts.Get(matchallAttrFlags); ok {
		flags := attrU32(a)
		for _, f := range [...]struct {
			bit  uint32
			name string
		}{{tc.FilterSkipHW, "skip_hw"}, {tc.FilterSkipSW, "skip_sw"}} {
			if flags&f.bit != 0 {
				p.boolean(f.name, "\n  "+f.name, true)
			}
		}
		if flags&tc.FilterInHW != 0 {
			p.boolean("in_hw", "\n  in_hw", true)
		} else if flags&tc.FilterNotInHW != 0 {
			p.boolean("not_in_hw", "\n  not_in_hw", true)
		}
	}
	if a, ok := opts.Get(matchallAttrAct); ok {
		printActionList(p, e, names, a.Nested(), true)
	}
}

// printActionList is tc's tc_dump_action: the actions of a list, bound
// to a filter (bind) or standalone.
func printActionList(p *printer, e *env, names *linkNames, list nla.Chain, bind bool) {
	printActions(p, e, names, tc.Actions(list), bind)
}

// printActions prints the actions of a list as the array "actions".
func printActions(p *printer, e *env, names *linkNames, list func(yield func(tc.ActionView) bool), bind bool) {
	p.openArray("actions")
	for v := range list {
		p.openObject("")
		p.nl()
		p.uint("order", "\taction order %d: ", uint64(v.Order))
		printOneAction(p, e, names, v, bind)
		p.closeObject()
	}
	p.closeArray()
}

// printOneAction is tc's tc_print_one_action.
func printOneAction(p *printer, e *env, names *linkNames, v tc.ActionView, bind bool) {
	opts := v.Options()
	switch kind := v.Kind(); kind {
	case "mirred":
		printMirred(p, e, names, opts)
	case "gact":
		printGact(p, e, opts)
	case "pedit":
		_, hasOpts := v.Attrs().Get(actAttrOptions)
		if !printPedit(p, e, opts, hasOpts) {
			return // tc_print_one_action stops at print_aopt's error
		}
	default:
		if pr := actPrinterOf(kind); pr != nil {
			pr(p, e, names, opts)
		} else {
			p.str("kind", "%s ", kind)
		}
	}
	attrs := v.Attrs()
	if e.Stats.level > 0 {
		if a, ok := attrs.Get(actAttrStats); ok {
			p.textString("\tAction statistics:")
			p.nl()
			p.openObject("stats")
			printStatsValue(p, tc.DecodeStats(a.Data), "\t")
			p.closeObject()
			p.nl()
		}
	}
	if c := v.Cookie(); c != nil {
		p.str("cookie", "\tcookie %s", hex.EncodeToString(c))
		p.nl()
	}
	flagsAttr, hasFlags := attrs.Get(actAttrFlags)
	count, hasCount := attrs.Get(actAttrInHWCount)
	if hasFlags || hasCount {
		newline, skipHW := false, false
		if hasFlags && len(flagsAttr.Data) >= 8 {
			value, selector := binary.NativeEndian.Uint32(flagsAttr.Data), binary.NativeEndian.Uint32(flagsAttr.Data[4:])
			if selector&tc.ActionNoPercpuStats != 0 {
				newline = true
				p.boolean("no_percpu", "\tno_percpu", value&tc.ActionNoPercpuStats != 0)
			}
			if !bind {
				if selector&tc.ActionSkipHW != 0 {
					newline = true
					p.boolean("skip_hw", "\tskip_hw", value&tc.ActionSkipHW != 0)
					skipHW = value&tc.ActionSkipHW != 0
				}
				if selector&tc.ActionSkipSW != 0 {
					newline = true
					p.boolean("skip_sw", "\tskip_sw", value&tc.ActionSkipSW != 0)
				}
			}
		}
		if hasCount && !bind && !skipHW {
			newline = true
			if n := attrU32(count); n != 0 {
				p.boolean("in_hw", "\tin_hw", true)
				p.uint("in_hw_count", " in_hw_count %d", uint64(n))
			} else {
				p.boolean("not_in_hw", "\tnot_in_hw", true)
			}
		}
		if newline {
			p.nl()
		}
	}
	for _, hw := range [...]struct {
		typ  uint16
		used bool
	}{{actAttrHWStats, false}, {actAttrUsedHWStats, true}} {
		if a, ok := attrs.Get(hw.typ); ok {
			printHWStats(p, a.Data, hw.used)
		}
	}
}

// hwStatsNames are tc's hw_stats_items.
var hwStatsNames = [...]struct {
	name string
	bit  uint32
}{{"immediate", 1}, {"delayed", 2}}

// printHWStats is tc's print_hw_stats.
func printHWStats(p *printer, b []byte, used bool) {
	var v uint32
	if len(b) >= 8 {
		v = binary.NativeEndian.Uint32(b) & binary.NativeEndian.Uint32(b[4:])
	}
	p.textString("\t")
	key := "hw_stats"
	if used {
		key = "used_hw_stats"
	}
	p.openArray(key)
	p.textString(key) // open_json_array(PRINT_ANY) names the array in text too
	if v == 0 {
		p.str("", " %s", "disabled")
	}
	for _, it := range hwStatsNames {
		if v&it.bit != 0 {
			p.str("", " %s", it.name)
		}
	}
	p.closeArray()
	p.nl()
}

// printControl is tc's print_action_control.
func printControl(p *printer, prefix string, v tc.Verdict, suffix string) {
	p.textString(prefix)
	p.openObject("control_action")
	p.str("type", "%s", verdictWord(v))
	if n, ok := v.Chain(); ok {
		p.uint("chain", " chain %d", uint64(n))
	}
	if n, ok := v.JumpCount(); ok {
		p.uint("jump", " %d", uint64(n))
	}
	p.closeObject()
	p.textString(suffix)
}

// verdictWord is tc's action_n2a: "goto" and "jump" without operand.
func verdictWord(v tc.Verdict) string {
	if _, ok := v.Chain(); ok {
		return "goto"
	}
	if _, ok := v.JumpCount(); ok {
		return "jump"
	}
	return v.String()
}

// printTM is tc's print_tm (times in seconds; USER_HZ is 100).
func printTM(p *printer, tm []byte) {
	if len(tm) < 32 {
		return
	}
	const hz = 100
	// struct tcf_t: install, lastuse, expires, firstuse; printed in
	// tc's order.
	for _, f := range [...]struct {
		off         int
		key, format string
	}{{0, "installed", " installed %d sec"}, {8, "last_used", " used %d sec"},
		{24, "first_used", " firstused %d sec"}, {16, "expires", " expires %d sec"}} {
		if v := binary.NativeEndian.Uint64(tm[f.off:]); v != 0 {
			p.uint(f.key, f.format, v/hz)
		}
	}
}

// printGen prints tc_gen's index, ref and bind counts, and the times
// with -s.
func printGen(p *printer, e *env, parms []byte, tm nla.Attr, hasTM bool) {
	printGenAs(p, e, "\tindex %d", parms, tm, hasTM)
}

// printGenAs is printGen with the index's format: most kinds print
// "\t index %u", mirred and a few "\tindex %u".
func printGenAs(p *printer, e *env, indexFormat string, parms []byte, tm nla.Attr, hasTM bool) {
	p.nl()
	printGenTail(p, e, indexFormat, parms, tm, hasTM)
}

// mirredNames are tc's names of the mirred actions, by eaction.
var mirredNames = [...][3]string{
	{"unknown", "unknown", "unknown"},
	{"Egress Redirect", "redirect", "egress"}, {"Egress Mirror", "mirror", "egress"},
	{"Ingress Redirect", "redirect", "ingress"}, {"Ingress Mirror", "mirror", "ingress"},
}

// printMirred is tc's print_mirred.
func printMirred(p *printer, e *env, names *linkNames, opts nla.Chain) {
	p.str("kind", "%s ", "mirred")
	a, ok := opts.Get(mirredAttrParms)
	if !ok || len(a.Data) < 28 {
		return
	}
	parms := a.Data
	ea := binary.NativeEndian.Uint32(parms[20:])
	n := mirredNames[0]
	if ea < uint32(len(mirredNames)) {
		n = mirredNames[ea]
	}
	p.text("(%s", n[0])
	p.jsonStr("mirred_action", n[1])
	p.jsonStr("direction", n[2])
	p.str("to_dev", " to device %s)", names.name(int32(binary.NativeEndian.Uint32(parms[24:]))))
	printControl(p, " ", tc.Verdict(binary.NativeEndian.Uint32(parms[8:])), "")
	tm, hasTM := opts.Get(mirredAttrTm)
	printGen(p, e, parms, tm, hasTM)
}

// printGact is tc's print_gact.
func printGact(p *printer, e *env, opts nla.Chain) {
	p.str("kind", "%s ", "gact")
	a, ok := opts.Get(gactAttrParms)
	if !ok || len(a.Data) < 20 {
		return
	}
	parms := a.Data
	printControl(p, "action ", tc.Verdict(binary.NativeEndian.Uint32(parms[8:])), "")
	var ptype, pval uint16
	var pact tc.Verdict
	if pr, ok := opts.Get(gactAttrProb); ok && len(pr.Data) >= 8 {
		ptype, pval = binary.NativeEndian.Uint16(pr.Data), binary.NativeEndian.Uint16(pr.Data[2:])
		pact = tc.Verdict(binary.NativeEndian.Uint32(pr.Data[4:]))
	}
	p.openObject("prob")
	p.nl()
	p.str("random_type", "\t random type %s", [...]string{"none", "netrand", "determ"}[min(int(ptype), 2)])
	printControl(p, " ", pact, " ")
	p.int("val", "val %d", int64(pval))
	p.closeObject()
	tm, hasTM := opts.Get(gactAttrTm)
	printGenAs(p, e, "\t index %d", parms, tm, hasTM)
}

// printStandaloneActions prints an action dump's message as tc's
// print_action: the count, then the actions.
func printStandaloneActions(p *printer, e *env, names *linkNames, total int, list func(yield func(tc.ActionView) bool)) {
	p.openObject("")
	p.uint("total acts", "total acts %d", uint64(total))
	p.nl()
	p.closeObject()
	p.openObject("")
	printActions(p, e, names, list, false)
	p.closeObject()
}
