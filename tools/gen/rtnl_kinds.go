package main

// Link kinds whose IFLA_INFO_DATA pyroute2 0.7.2 does not describe, read
// from the uapi headers: their schemas name attributes as pyroute2 names
// the other kinds' ("bareudp_port", like "vxlan_id"), with the types
// given here (read off the kernel's nla_policy tables).

// extraLinkKind is one such kind: the first constant of its IFLA_INFO_DATA
// enum and the type of each attribute.
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
		data[k.kind] = g.schemaFromHeader(goIdent(k.kind, "data", "schema"), k.kind, k.first, "IFLA_", nil)
	}
}
