package main

// The cake qdisc (tc's q_cake.c): its command line and its options' printer.

import (
	"encoding/binary"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// cakeKeywords are cake's keywords that set one option to a value; the
// enumerations are the kernel's CAKE_* values.
var cakeKeywords = [...]struct {
	word  string
	field uint8 // 0 diffserv, 1 flow mode, 2 ack filter, 3 atm
	value uint32
}{
	{"besteffort", 0, 3}, {"precedence", 0, 4}, {"diffserv8", 0, 2}, {"diffserv4", 0, 1}, {"diffserv", 0, 1},
	{"diffserv3", 0, 0}, {"flowblind", 1, 0}, {"srchost", 1, 1}, {"dsthost", 1, 2}, {"hosts", 1, 3},
	{"flows", 1, 4}, {"dual-srchost", 1, 5}, {"dual-dsthost", 1, 6}, {"triple-isolate", 1, 7},
	{"no-ack-filter", 2, 0}, {"ack-filter", 2, 1}, {"ack-filter-aggressive", 2, 2},
	{"noatm", 3, 0}, {"atm", 3, 1}, {"ptm", 3, 2},
}

// cakeFramings are cake's framing keywords: the ATM mode they set (-1:
// none) and the overhead they add.
var cakeFramings = [...]struct {
	word     string
	atm      int
	overhead int32
	mpu      uint32
}{
	{"ipoa-vcmux", 1, 8, 0}, {"ipoa-llcsnap", 1, 16, 0}, {"bridged-vcmux", 1, 24, 0}, {"bridged-llcsnap", 1, 32, 0},
	{"pppoa-vcmux", 1, 10, 0}, {"pppoa-llc", 1, 14, 0}, {"pppoe-vcmux", 1, 32, 0}, {"pppoe-llcsnap", 1, 40, 0},
	{"pppoe-ptm", 2, 30, 0}, {"bridged-ptm", 2, 22, 0}, {"ethernet", -1, 38, 84}, {"ether-vlan", -1, 4, 0},
	{"docsis", 0, 18, 64},
}

// cakePresets are cake's round-trip-time presets: target and interval in
// microseconds.
var cakePresets = [...]struct {
	word             string
	target, interval tc.Time
}{
	{"datacentre", 5, 100}, {"lan", 50, 1000}, {"metro", 500, 10000}, {"regional", 1500, 30000},
	{"internet", 5000, 100000}, {"oceanic", 15000, 300000}, {"satellite", 50000, 1000000},
	{"interplanetary", 50000000, 1000000000},
}

func parseCake(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Cake{}
	var overhead int32
	overheadSet := false
	setATM := func(v uint32) { o.ATM = rtm.Some(v) }
next:
	for a.more() {
		w := a.advance()
		for _, k := range cakeKeywords {
			if k.word == w {
				switch k.field {
				case 0:
					o.DiffServ = rtm.Some(k.value)
				case 1:
					o.FlowMode = rtm.Some(k.value)
				case 2:
					o.AckFilter = rtm.Some(k.value)
				default:
					setATM(k.value)
				}
				continue next
			}
		}
		for _, f := range cakeFramings {
			if f.word == w {
				if f.atm >= 0 {
					setATM(uint32(f.atm))
				}
				overhead += f.overhead
				overheadSet = true
				if f.mpu != 0 {
					o.MPU = f.mpu
				}
				continue next
			}
		}
		for _, p := range cakePresets {
			if p.word == w {
				o.Target, o.RTT = p.target, p.interval
				continue next
			}
		}
		var err error
		switch w {
		case "bandwidth":
			var r tc.Rate
			r, err = rateArg(a, w)
			o.BaseRate, o.Autorate = rtm.Some(r), rtm.Some(false)
		case "unlimited":
			o.BaseRate, o.Autorate = rtm.Some[tc.Rate](0), rtm.Some(false)
		case "autorate-ingress":
			o.Autorate = rtm.Some(true)
		case "rtt":
			if o.RTT, err = timeArg(a, w); err == nil {
				o.Target = max(o.RTT/20, 1)
			}
		case "wash", "nowash":
			o.Wash = rtm.Some(w == "wash")
		case "split-gso", "no-split-gso":
			o.SplitGSO = rtm.Some(w == "split-gso")
		case "nat", "nonat":
			o.NAT = rtm.Some(w == "nat")
		case "ingress", "egress":
			o.Ingress = rtm.Some(w == "ingress")
		case "raw":
			setATM(0)
			overhead, overheadSet, o.Raw = 0, true, true
		case "conservative":
			setATM(1)
			overhead, overheadSet = 48, true
		case "via-ethernet":
		case "overhead", "mpu":
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			n, perr := strconv.ParseInt(v, 10, 32)
			if w == "overhead" {
				if perr != nil || n < -64 || n > 256 {
					return nil, tcKindError("Illegal \"overhead\", valid range is -64 to 256")
				}
				overhead, overheadSet = int32(n), true
			} else {
				if perr != nil || n < 0 || n > 256 {
					return nil, tcKindError("Illegal \"mpu\", valid range is 0 to 256")
				}
				o.MPU = uint32(n)
			}
		case "memlimit":
			o.Memory, err = sizeArg(a, w)
		case "fwmark":
			o.FWMark, err = u32Arg(a, w)
		default:
			return nil, tcKindError("What is %q?", w)
		}
		if err != nil {
			return nil, err
		}
	}
	if overheadSet {
		o.Overhead = rtm.Some(overhead)
	}
	return o, nil
}

// cakeName is tc's name of value of a cakeKeywords field: the first
// keyword that sets it ("diffserv4", not its alias "diffserv").
func cakeName(field uint8, value uint32) (string, bool) {
	for _, k := range cakeKeywords {
		if k.field == field && k.value == value {
			return k.word, true
		}
	}
	return "", false
}

// The attributes of cake's options (TCA_CAKE_*).
const (
	cakeAttrBaseRate = 2 + iota
	cakeAttrDiffserv
	cakeAttrATM
	cakeAttrFlowMode
	cakeAttrOverhead
	cakeAttrRTT
	cakeAttrTarget
	cakeAttrAutorate
	cakeAttrMemory
	cakeAttrNAT
	cakeAttrRaw
	cakeAttrWash
	cakeAttrMPU
	cakeAttrIngress
	cakeAttrAckFilter
	cakeAttrSplitGSO
	cakeAttrFwmark
)

// printCake is tc's cake_print_opt.
func printCake(p *printer, _ *env, q tc.Qdisc) {
	opts := nla.Chain(q.Options())
	// u32 is the value of a cake attribute tc reads when at least 4
	// bytes long, 0 otherwise.
	u32 := func(typ uint16) (uint32, bool) {
		a, ok := opts.Get(typ)
		if !ok || len(a.Data) < 4 {
			return 0, false
		}
		return binary.NativeEndian.Uint32(a.Data), true
	}
	if a, ok := opts.Get(cakeAttrBaseRate); ok && len(a.Data) >= 8 {
		if bw := binary.NativeEndian.Uint64(a.Data); bw != 0 {
			tcRate(p, "bandwidth", "bandwidth %s ", tc.Rate(bw))
		} else {
			p.str("bandwidth", "bandwidth %s ", "unlimited")
		}
	}
	if v, ok := u32(cakeAttrAutorate); ok && v == 1 {
		p.str("autorate", "%s ", "autorate-ingress")
	} else if ok && v != 0 {
		p.jsonStr("autorate", "unknown")
		p.textString("(?autorate?) ")
	}
	for _, m := range [...]struct {
		typ   uint16
		key   string
		field uint8
	}{{cakeAttrDiffserv, "diffserv", 0}, {cakeAttrFlowMode, "flowmode", 1}} {
		if v, ok := u32(m.typ); ok {
			if name, ok := cakeName(m.field, v); ok {
				p.str(m.key, "%s ", name)
			} else {
				p.jsonStr(m.key, "unknown")
				p.text("(?%s?)", m.key)
			}
		}
	}
	nat, _ := u32(cakeAttrNAT)
	cakeFlag(p, "nat", "nat ", "nonat ", nat != 0)
	wash, _ := u32(cakeAttrWash)
	atm, _ := u32(cakeAttrATM)
	overhead, _ := u32(cakeAttrOverhead)
	mpu, _ := u32(cakeAttrMPU)
	ingress, _ := u32(cakeAttrIngress)
	ack, _ := u32(cakeAttrAckFilter)
	gso, _ := u32(cakeAttrSplitGSO)
	_, raw := opts.Get(cakeAttrRaw)
	rtt, _ := u32(cakeAttrRTT)
	memlimit, _ := u32(cakeAttrMemory)
	fwmark, _ := u32(cakeAttrFwmark)
	cakeFlag(p, "wash", "wash ", "nowash ", wash != 0)
	cakeFlag(p, "ingress", "ingress ", "", ingress != 0)
	switch ack {
	case 2:
		p.str("ack-filter", "ack-filter-%s ", "aggressive")
	case 1:
		p.jsonStr("ack-filter", "enabled")
		p.textString("ack-filter ")
	default:
		p.jsonStr("ack-filter", "disabled")
		p.textString("no-ack-filter ")
	}
	cakeFlag(p, "split_gso", "split-gso ", "no-split-gso ", gso != 0)
	if rtt != 0 {
		p.text("rtt %s ", tc.Time(rtt).String())
	}
	p.jsonUint("rtt", uint64(rtt))
	cakeFlag(p, "raw", "raw ", "", raw)
	switch {
	case atm == 1:
		p.str("atm", "%s ", "atm")
	case atm == 2:
		p.str("atm", "%s ", "ptm")
	case !raw:
		p.str("atm", "%s ", "noatm")
	}
	p.int("overhead", "overhead %d ", int64(int32(overhead)))
	if mpu != 0 {
		p.uint("mpu", "mpu %d ", uint64(mpu))
	}
	if memlimit != 0 {
		tcSize(p, "memlimit", "memlimit %s ", memlimit)
	}
	if fwmark != 0 {
		p.text("fwmark 0x%x ", fwmark)
	}
	p.jsonStr("fwmark", cHex(uint64(fwmark))) // print_0xhex: "%#x"
}

// cakeFlag prints one of cake's flags: a word for each state in text
// (none if empty), a boolean in JSON.
func cakeFlag(p *printer, key, on, off string, v bool) {
	if v {
		p.textString(on)
	} else {
		p.textString(off)
	}
	p.jsonBool(key, v)
}
