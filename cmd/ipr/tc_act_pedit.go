package main

// The pedit action's printer (tc's print_pedit, m_pedit.c).

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// The attributes of linux/tc_act/tc_pedit.h.
const (
	peditAttrTm      = 1
	peditAttrParms   = 2
	peditAttrParmsEx = 4
	peditAttrKeysEx  = 5
	peditAttrKeyEx   = 6
)

// peditHeaders are tc's names of the extended keys' header types.
var peditHeaders = [...]string{"", "eth", "ipv4", "ipv6", "tcp", "udp"}

// printPedit is tc's print_pedit; false where tc gives up on the action
// (and so prints none of its statistics).
func printPedit(p *printer, e *env, opts nla.Chain, hasOpts bool) bool {
	p.str("kind", " %s ", "pedit")
	if !hasOpts {
		return true
	}
	sel, ok := opts.Get(peditAttrParms)
	extended := false
	if !ok {
		if sel, ok = opts.Get(peditAttrParmsEx); !ok {
			return false // "Missing pedit parameters" on stderr
		}
		extended = true
	}
	d := sel.Data
	if len(d) < 24 {
		return false
	}
	nkeys := int(d[20])
	type keyEx struct{ htype, cmd uint16 }
	var keysEx []keyEx
	if extended {
		list, ok := opts.Get(peditAttrKeysEx)
		if !ok {
			p.raw("Netlink error\n")
			return false
		}
		// pedit_keys_ex_getattr: one TCA_PEDIT_KEY_EX (its type as
		// received, flags included) per key.
		for a := range list.Nested().All() {
			if len(keysEx) == nkeys || a.Type != peditAttrKeyEx {
				p.raw("Netlink error\n")
				return false
			}
			var k keyEx
			in := a.Nested()
			if h, ok := in.Get(1); ok && len(h.Data) >= 2 {
				k.htype = binary.NativeEndian.Uint16(h.Data)
			}
			if c, ok := in.Get(2); ok && len(c.Data) >= 2 {
				k.cmd = binary.NativeEndian.Uint16(c.Data)
			}
			keysEx = append(keysEx, k)
		}
		if len(keysEx) != nkeys {
			p.raw("Netlink error\n")
			return false
		}
	}
	printControl(p, "action ", tc.Verdict(binary.NativeEndian.Uint32(d[8:])), " ")
	p.uint("nkeys", "keys %d\n", uint64(nkeys))
	p.uint("index", " \t index %d", uint64(binary.NativeEndian.Uint32(d)))
	p.int("ref", " ref %d", int64(int32(binary.NativeEndian.Uint32(d[12:]))))
	p.int("bind", " bind %d", int64(int32(binary.NativeEndian.Uint32(d[16:]))))
	if e.Stats.level > 0 {
		if tm, ok := opts.Get(peditAttrTm); ok {
			printTM(p, tm.Data)
		}
	}
	p.openArray("keys")
	if nkeys == 0 {
		p.raw(fmt.Sprintf("\npedit %x keys %d is not LEGIT", binary.NativeEndian.Uint32(d), nkeys))
	}
	// struct tc_pedit_key: mask, val, off, at, offmask, shift.
	for i, k := 0, d[24:]; i < nkeys && len(k) >= 24; i, k = i+1, k[24:] {
		var ex keyEx
		if keysEx != nil {
			ex = keysEx[i]
		}
		p.openObject("")
		p.text("\n\t key #%d  at ", i)
		off := int32(binary.NativeEndian.Uint32(k[8:]))
		if ex.htype != tc.PeditNetwork {
			unknown := "unknown(" + strconv.Itoa(int(ex.htype)) + ")"
			p.str("htype", "%s", nameAt(peditHeaders[:], ex.htype, unknown))
			p.int("offset", "%+d", int64(off))
		} else {
			p.jsonStr("htype", "network")
			p.int("offset", "%d", int64(off))
		}
		cmd := [2]string{"val", "set"}
		if ex.cmd != 0 {
			cmd = [2]string{"add", "add"}
		}
		p.text(": %s", cmd[0])
		p.jsonStr("cmd", cmd[1])
		for _, f := range [...]struct {
			key, text string
			at        int
		}{{"val", " %08x", 4}, {"mask", " mask %08x", 0}} {
			v := binary.BigEndian.Uint32(k[f.at:])
			if p.json {
				p.jsonStr(f.key, strconv.FormatUint(uint64(v), 16))
			} else {
				p.text(f.text, v)
			}
		}
		p.closeObject()
	}
	p.closeArray()
	p.nl()
	return true
}
