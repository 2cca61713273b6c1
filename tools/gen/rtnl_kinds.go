package main

import "strings"

// Link kinds whose IFLA_INFO_DATA pyroute2 0.7.2 does not describe, read
// from the uapi headers: their schemas name attributes as pyroute2 names
// the other kinds' ("bareudp_port", like "vxlan_id"), with the types
// given here (read off the kernel's nla_policy tables).

// extraLinkKind is one such kind: the first constant of its IFLA_INFO_DATA
// enum and the type of each attribute. A type "struct:NAME" lays the
// attribute out as C struct NAME; "nested:FIRST" makes it a nest of the
// enum starting at FIRST, whose types are in the same map.
type extraLinkKind struct {
	kind, first string
	types       map[string]string
}

var extraLinkKinds = []extraLinkKind{
	{"bareudp", "IFLA_BAREUDP_PORT", map[string]string{
		"IFLA_BAREUDP_PORT": "be16", "IFLA_BAREUDP_ETHERTYPE": "be16",
		"IFLA_BAREUDP_SRCPORT_MIN": "u16", "IFLA_BAREUDP_MULTIPROTO_MODE": "flag",
	}},
	{"hsr", "IFLA_HSR_SLAVE1", map[string]string{
		"IFLA_HSR_SLAVE1": "u32", "IFLA_HSR_SLAVE2": "u32", "IFLA_HSR_MULTICAST_SPEC": "u8",
		"IFLA_HSR_SUPERVISION_ADDR": "hw", "IFLA_HSR_SEQ_NR": "u16", "IFLA_HSR_VERSION": "u8",
		"IFLA_HSR_PROTOCOL": "u8",
	}},
	{"macsec", "IFLA_MACSEC_SCI", map[string]string{
		"IFLA_MACSEC_SCI": "be64", "IFLA_MACSEC_PORT": "be16", "IFLA_MACSEC_ICV_LEN": "u8",
		"IFLA_MACSEC_CIPHER_SUITE": "u64", "IFLA_MACSEC_WINDOW": "u32", "IFLA_MACSEC_ENCODING_SA": "u8",
		"IFLA_MACSEC_ENCRYPT": "u8", "IFLA_MACSEC_PROTECT": "u8", "IFLA_MACSEC_INC_SCI": "u8",
		"IFLA_MACSEC_ES": "u8", "IFLA_MACSEC_SCB": "u8", "IFLA_MACSEC_REPLAY_PROTECT": "u8",
		"IFLA_MACSEC_VALIDATION": "u8", "IFLA_MACSEC_PAD": "binary", "IFLA_MACSEC_OFFLOAD": "u8",
	}},
	// can_bittiming_const starts with a name, which the struct layouts
	// cannot hold before other fields: it stays binary.
	{"can", "IFLA_CAN_BITTIMING", map[string]string{
		"IFLA_CAN_BITTIMING": "struct:can_bittiming", "IFLA_CAN_BITTIMING_CONST": "binary",
		"IFLA_CAN_CLOCK": "struct:can_clock", "IFLA_CAN_STATE": "u32", "IFLA_CAN_CTRLMODE": "struct:can_ctrlmode",
		"IFLA_CAN_RESTART_MS": "u32", "IFLA_CAN_RESTART": "u32", "IFLA_CAN_BERR_COUNTER": "struct:can_berr_counter",
		"IFLA_CAN_DATA_BITTIMING": "struct:can_bittiming", "IFLA_CAN_DATA_BITTIMING_CONST": "binary",
		"IFLA_CAN_TERMINATION": "u16", "IFLA_CAN_TERMINATION_CONST": "binary", "IFLA_CAN_BITRATE_CONST": "binary",
		"IFLA_CAN_DATA_BITRATE_CONST": "binary", "IFLA_CAN_BITRATE_MAX": "u32",
		"IFLA_CAN_TDC": "nested:IFLA_CAN_TDC_TDCV_MIN", "IFLA_CAN_CTRLMODE_EXT": "binary",
		"IFLA_CAN_TDC_TDCV_MIN": "u32", "IFLA_CAN_TDC_TDCV_MAX": "u32", "IFLA_CAN_TDC_TDCO_MIN": "u32",
		"IFLA_CAN_TDC_TDCO_MAX": "u32", "IFLA_CAN_TDC_TDCF_MIN": "u32", "IFLA_CAN_TDC_TDCF_MAX": "u32",
		"IFLA_CAN_TDC_TDCV": "u32", "IFLA_CAN_TDC_TDCO": "u32", "IFLA_CAN_TDC_TDCF": "u32",
	}},
}

// addExtraLinkKinds adds the schemas of extraLinkKinds to data, unless
// pyroute2 describes the kind.
func (g *rtnlGen) addExtraLinkKinds(data map[string]*rschema) {
	for _, k := range extraLinkKinds {
		if _, ok := data[k.kind]; ok {
			continue
		}
		for name, t := range k.types {
			kernelTypes[name] = t
		}
		data[k.kind] = g.schemaFromHeader(goIdent(k.kind, "data", "schema"), k.kind, k.first, "IFLA_", g.extraSpecials(k))
	}
}

// extraSpecials makes the specs of a kind's "struct:" and "nested:"
// attributes.
func (g *rtnlGen) extraSpecials(k extraLinkKind) map[string]*rspec {
	specials := map[string]*rspec{}
	for _, name := range sortedKeys(k.types) {
		t := k.types[name]
		if c, ok := strings.CutPrefix(t, "struct:"); ok {
			st := g.structFromHeader(goIdent(c, "fields"), c, "", nil, nil)
			g.structs[st.goName] = st
			specials[name] = &rspec{kind: "struct", strct: st}
		} else if first, ok := strings.CutPrefix(t, "nested:"); ok {
			nested := g.schemaFromHeader(goIdent(strings.ToLower(strip("IFLA_", name)), "schema"), strings.ToLower(strip("IFLA_", name)), first, "IFLA_", nil)
			specials[name] = &rspec{kind: "nested", nested: nested}
		}
	}
	return specials
}
