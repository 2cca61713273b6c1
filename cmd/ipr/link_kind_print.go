package main

// The -d printers of the vlan, vrf and ipvlan kinds: iproute2 6.1's
// vlan_print_opt, vrf_print_opt and ipvlan_print_opt.

import (
	"encoding/binary"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// vlanFlagNames are VLAN_FLAG_*, in vlan_print_flags's order.
var vlanFlagNames = [...]struct {
	flag uint32
	name string
}{{1, "REORDER_HDR"}, {2, "GVRP"}, {8, "MVRP"}, {4, "LOOSE_BINDING"}, {16, "BRIDGE_BINDING"}}

// printVlan is vlan_print_opt.
func printVlan(p *printer, tb *nla.Index, _ *linkNames) {
	proto, hasProto := tb.Get(unix.IFLA_VLAN_PROTOCOL)
	if hasProto && len(proto.Data) < 2 {
		return
	}
	id, ok := tb.Get(unix.IFLA_VLAN_ID)
	if !ok || len(id.Data) < 2 {
		return
	}
	if hasProto {
		p.str("protocol", "protocol %s ", llProtoName(binary.BigEndian.Uint16(proto.Data)))
	} else {
		p.str("protocol", "protocol %s ", "802.1q")
	}
	p.uint("id", "id %d ", uint64(binary.NativeEndian.Uint16(id.Data)))
	if a, ok := tb.Get(unix.IFLA_VLAN_FLAGS); ok {
		if len(a.Data) < 8 { // struct ifla_vlan_flags
			return
		}
		flags := binary.NativeEndian.Uint32(a.Data)
		if p.json {
			p.openArray("flags")
		} else {
			p.textString("<")
		}
		for _, f := range vlanFlagNames {
			if flags&f.flag != 0 {
				flags &^= f.flag
				if flags != 0 {
					p.str("", "%s,", f.name)
				} else {
					p.str("", "%s", f.name)
				}
			}
		}
		if flags != 0 {
			p.str("", "%s", strconv.FormatUint(uint64(flags), 16))
		}
		if p.json {
			p.closeArray()
		} else {
			p.textString("> ")
		}
	}
	for _, m := range [...]struct {
		typ          uint16
		json, anchor string
	}{{unix.IFLA_VLAN_INGRESS_QOS, "ingress_qos", "ingress-qos-map"}, {unix.IFLA_VLAN_EGRESS_QOS, "egress_qos", "egress-qos-map"}} {
		a, ok := tb.Get(m.typ)
		if !ok {
			continue
		}
		p.openArray(m.json)
		p.nl()
		p.textString("      " + m.anchor + " { ")
		for e := range a.Nested().All() {
			if len(e.Data) < 8 { // struct ifla_vlan_qos_mapping
				continue
			}
			from, to := binary.NativeEndian.Uint32(e.Data), binary.NativeEndian.Uint32(e.Data[4:])
			if !p.jsonUintPair("", "from", uint64(from), "to", uint64(to)) {
				p.textString(strconv.FormatUint(uint64(from), 10) + ":" + strconv.FormatUint(uint64(to), 10) + " ")
			}
		}
		p.closeArray()
		p.textString("} ")
	}
}

// printVRF is vrf_print_opt.
func printVRF(p *printer, tb *nla.Index, _ *linkNames) {
	if a, ok := tb.Get(1); ok { // IFLA_VRF_TABLE
		p.uint("table", "table %d ", uint64(attrU32(a)))
	}
}

// printIPVlan is ipvlan_print_opt.
func printIPVlan(p *printer, tb *nla.Index, _ *linkNames) {
	if a, ok := tb.Get(unix.IFLA_IPVLAN_MODE); ok && len(a.Data) == 2 {
		mode := rtm.IPVlanMode(binary.NativeEndian.Uint16(a.Data))
		p.str("mode", " mode %s ", nameOf(ipvlanModes, mode))
	}
	if a, ok := tb.Get(unix.IFLA_IPVLAN_FLAGS); ok && len(a.Data) == 2 {
		switch f := binary.NativeEndian.Uint16(a.Data); {
		case f&1 != 0: // IPVLAN_F_PRIVATE
			p.boolean("private", "private ", true)
		case f&2 != 0: // IPVLAN_F_VEPA
			p.boolean("vepa", "vepa ", true)
		default:
			p.boolean("bridge", "bridge ", true)
		}
	}
}
