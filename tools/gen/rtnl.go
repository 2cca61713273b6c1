package main

// The rtnl generator: rtm/zschema_*.go, the by-name schemas of rtnetlink
// messages. It is the Go port of the former scripts/gen_schema.py and
// writes the same files. Sources, and which one wins:
//
//   - Names and types come from pyroute2's nla maps (ifinfmsg and its kind
//     plugins, ifaddrmsg, rtmsg, ndmsg, fibmsg, ndtmsg), extracted once into
//     rtnl/pyroute2.json by scripts/extract_pyroute2.py. A name is
//     pyroute2's: the C constant without the prefix its class declares,
//     lower-cased, so that Get("linkinfo", "data", "vxlan_id") finds what
//     pyroute2's get(('linkinfo', 'data', 'vxlan_id')) finds. Classes that
//     declare no prefix get one from prefixes.
//   - Numeric values come from the uapi headers committed in
//     rtnl/include/linux (linux-libc-dev, version in rtnl/include/VERSION).
//     Where pyroute2's position in its map disagrees, the header wins.
//   - Attributes the headers define and pyroute2 lacks are added, with the
//     types in kernelTypes, read off the kernel's nla_policy tables and fill
//     functions. A header attribute without a type there stops the
//     generator, so a header update cannot silently leave names out.
//   - Layouts of struct attributes come from the header's struct, with
//     pyroute2's field names where pyroute2 has the field.
//   - typeFixes lists the few places where pyroute2's type contradicts the
//     kernel; the kernel wins there too.
//   - Nexthop messages (RTM_NEWNEXTHOP) are missing from pyroute2 0.7.2:
//     their schema is nexthop.h with types from kernelTypes.
//
// The output is deterministic and gofmt-clean. It is static data: composite
// literals of strings, slices and pointers only (no maps, no function
// calls), which the compiler lays out without package init code and the
// linker drops from programs that never look attributes up by name.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// p2class is one pyroute2 class as scripts/extract_pyroute2.py records it.
type p2class struct {
	Qualname string      `json:"qualname"`
	Prefix   *string     `json:"prefix"`
	NLAMap   [][3]any    `json:"nla_map"`
	Fields   [][2]string `json:"fields"`
	Types    map[string]struct {
		Atom  bool   `json:"atom"`
		Class string `json:"class"`
		Other bool   `json:"other"`
	} `json:"types"`

	id string
}

// p2entry is one entry of an nla map.
type p2entry struct {
	pos      int
	cname, t string
}

func (c *p2class) entries() []p2entry {
	out := make([]p2entry, len(c.NLAMap))
	for i, e := range c.NLAMap {
		out[i] = p2entry{int(e[0].(float64)), e[1].(string), e[2].(string)}
	}
	return out
}

type pyroute2Data struct {
	Version string              `json:"version"`
	Roots   map[string]string   `json:"roots"`
	DataMap map[string]string   `json:"data_map"`
	Encaps  map[string]string   `json:"encaps"`
	AF      map[string]int64    `json:"af"`
	Classes map[string]*p2class `json:"classes"`
}

// rspec is one attribute: a scalar kind, a nested schema, a struct, or a
// choice of schemas by a sibling attribute (byKindVar names a shared
// []schema.Choice; byType maps sibling values to schema names and is written
// next to the schema). The rtnl and ynl generators both build these, and
// emit.go writes them.
type rspec struct {
	kind    string
	nested  *rschema
	strct   *rstruct
	sibling string // the sibling's constant, for comments
	// siblingValue is the sibling's attribute type.
	siblingValue int64
	byKindVar    string
	byType       map[string]string
	numeric      bool
	// byTypeNote follows the sibling's name in byType's comment.
	byTypeNote string
	// note follows the constant in the attribute's comment.
	note string
}

type rentry struct {
	value       int64
	cname, name string
	spec        *rspec
}

type rschema struct {
	goName, name string
	entries      []rentry
}

type rfield struct {
	name, kind string
	off        int64
}

type rstruct struct {
	goName string
	fields []rfield
}

// rtnlGen holds the state of one run.
type rtnlGen struct {
	h        *headers
	p2       *pyroute2Data
	schemas  map[string]*rschema
	structs  map[string]*rstruct
	byClass  map[string]*rschema
	notes    []string
	missing  []string
	libcVers string
}

type genError struct{ msg string }

func failf(format string, args ...any) { panic(genError{fmt.Sprintf(format, args...)}) }

func strip(prefix, cname string) string {
	return strings.ToLower(strings.TrimPrefix(cname, prefix))
}

func kernelName(cname string) string {
	for _, a := range aliasPrefixes {
		if strings.HasPrefix(cname, a[0]) {
			return a[1] + cname[len(a[0]):]
		}
	}
	return cname
}

// pyroute2Name is the pyroute2 spelling of header constant kname in a
// class whose constants look like sample.
func pyroute2Name(kname, sample string) string {
	for _, a := range aliasPrefixes {
		if strings.HasPrefix(sample, a[0]) && strings.HasPrefix(kname, a[1]) {
			return a[0] + kname[len(a[1]):]
		}
	}
	return kname
}

var reNonAlnum = regexp.MustCompile(`[^A-Za-z0-9]+`)

func goIdent(parts ...string) string {
	var words []string
	for _, p := range parts {
		for _, w := range reNonAlnum.Split(p, -1) {
			if w != "" {
				words = append(words, w)
			}
		}
	}
	s := strings.ToLower(words[0][:1]) + words[0][1:]
	for _, w := range words[1:] {
		s += strings.ToUpper(w[:1]) + w[1:]
	}
	return s
}

func (g *rtnlGen) value(name string) int64 {
	v, ok := g.h.values[name]
	if !ok {
		failf("%s is not in the headers", name)
	}
	return v
}

func (g *rtnlGen) structFromHeader(goName, cstruct, memberPrefix string, kinds map[string]string, names []string) *rstruct {
	members, ok := g.h.structs[cstruct]
	if !ok {
		failf("struct %s is not in the headers", cstruct)
	}
	st := &rstruct{goName: goName}
	var off int64
	for i, m := range members {
		name := m.member
		switch {
		case i < len(names):
			name = names[i]
		case memberPrefix != "":
			name = strip(memberPrefix, m.member)
		}
		if m.count >= 0 {
			// A byte array: a big-endian number if said so, else bytes
			// running to the end of the payload, so it must come last.
			kind, ok := kinds[m.member]
			if !ok {
				kind = "binary"
			}
			if kind == "be16" && m.ctype == "__u8" && m.count == 2 {
				st.fields = append(st.fields, rfield{name, kind, off})
				off += 2
				continue
			}
			if (kind != "hw" && kind != "addr" && kind != "binary") || i != len(members)-1 {
				failf("struct %s: cannot lay out member %s", cstruct, m.member)
			}
			st.fields = append(st.fields, rfield{name, kind, off})
			continue
		}
		ct, ok := ctypes[m.ctype]
		if !ok {
			failf("struct %s: unknown C type %s", cstruct, m.ctype)
		}
		kind := ct.kind
		if k, ok := kinds[m.member]; ok {
			kind = k
		}
		size := int64(ct.size)
		off = (off + size - 1) / size * size // natural alignment
		st.fields = append(st.fields, rfield{name, kind, off})
		off += size
	}
	return st
}

var reByteArray = regexp.MustCompile(`^\d+B$`)

func structFromPyroute2(goName string, cls *p2class) *rstruct {
	st := &rstruct{goName: goName}
	var off int64
	for _, f := range cls.Fields {
		name, fmtc := f[0], f[1]
		if strings.HasSuffix(fmtc, "s") || reByteArray.MatchString(fmtc) {
			// A variable part ends the fixed layout; it runs to the end.
			st.fields = append(st.fields, rfield{name, "binary", off})
			break
		}
		k, ok := formats[fmtc]
		if !ok {
			failf("%s: unknown field format %q", cls.Qualname, fmtc)
		}
		st.fields = append(st.fields, rfield{name, k.kind, off})
		off += int64(k.size)
	}
	return st
}

func (g *rtnlGen) makeStruct(cls *p2class, ownerGo string) *rstruct {
	goName := goIdent(ownerGo, "fields")
	var st *rstruct
	if rule, ok := structsTable[cls.Qualname]; ok {
		goName = goIdent(rule.cstruct, "fields")
		var names []string
		for _, f := range cls.Fields {
			if f[0] != "value" {
				names = append(names, f[0])
			}
		}
		st = g.structFromHeader(goName, rule.cstruct, rule.memberPrefix, rule.kinds, names)
		if len(names) > len(st.fields) {
			g.notes = append(g.notes, fmt.Sprintf("%s: pyroute2 has %d fields, struct %s %d; the header wins",
				cls.Qualname, len(names), rule.cstruct, len(st.fields)))
		}
	} else {
		st = structFromPyroute2(goName, cls)
	}
	if prev, ok := g.structs[st.goName]; ok {
		return prev
	}
	g.structs[st.goName] = st
	return st
}

func (g *rtnlGen) class(id string) *p2class {
	c, ok := g.p2.Classes[id]
	if !ok {
		failf("pyroute2 class %s is not in the extract", id)
	}
	c.id = id
	return c
}

func (g *rtnlGen) prefixOf(cls *p2class) string {
	if p, ok := prefixes[cls.Qualname]; ok {
		return p
	}
	if cls.Prefix != nil && *cls.Prefix != "" {
		return *cls.Prefix
	}
	failf("no prefix for pyroute2 class %s: add it to prefixes", cls.Qualname)
	return ""
}

// resolve returns the spec for pyroute2 type name t in class cls.
func (g *rtnlGen) resolve(cls *p2class, t, ownerGo, cname string) *rspec {
	ty, ok := cls.Types[t]
	if !ok || ty.Other {
		failf("%s: type %s of %s is not a class", cls.Qualname, t, cname)
	}
	if k, ok := atoms[t]; ok && ty.Atom {
		return &rspec{kind: k}
	}
	obj := g.class(ty.Class)
	if k, ok := scalarClasses[obj.Qualname]; ok {
		return &rspec{kind: k}
	}
	if _, ok := structsTable[obj.Qualname]; ok {
		return &rspec{kind: "struct", strct: g.makeStruct(obj, ownerGo)}
	}
	if len(obj.NLAMap) > 0 {
		return &rspec{kind: "nested", nested: g.schemaFromClass(obj, goIdent(ownerGo, strip(g.prefixOf(cls), cname)), "", nil)}
	}
	var fields [][2]string
	for _, f := range obj.Fields {
		if !strings.HasPrefix(f[0], "__") {
			fields = append(fields, f)
		}
	}
	if len(fields) == 1 && fields[0][0] == "value" {
		if k, ok := formats[fields[0][1]]; ok {
			return &rspec{kind: k.kind}
		}
		return &rspec{kind: "binary"}
	}
	if len(fields) > 0 {
		return &rspec{kind: "struct", strct: g.makeStruct(obj, goIdent(ownerGo, strip(g.prefixOf(cls), cname)))}
	}
	// A class of its own decoding (iw_event): keep the bytes.
	return &rspec{kind: "binary"}
}

func (g *rtnlGen) kernelSpec(kname, ownerGo, prefix string) *rspec {
	t, ok := kernelTypes[kname]
	if !ok {
		g.missing = append(g.missing, kname)
		return &rspec{kind: "binary"}
	}
	if k, ok := strings.CutPrefix(t, "array:"); ok {
		return g.arraySpec(k, ownerGo, strip(prefix, kname))
	}
	if t == "br_boolopt" {
		st := g.structFromHeader("brBooloptMultiFields", "br_boolopt_multi", "", nil, nil)
		g.structs[st.goName] = st
		return &rspec{kind: "struct", strct: st}
	}
	return &rspec{kind: t}
}

func (g *rtnlGen) arraySpec(kind, ownerGo, name string) *rspec {
	s := &rschema{goName: goIdent(ownerGo, name, "schema"), name: name}
	for i := 0; i < arrayLen; i++ {
		s.entries = append(s.entries, rentry{int64(i), "", strconv.Itoa(i), &rspec{kind: kind}})
	}
	g.schemas[s.goName] = s
	return &rspec{kind: "nested", nested: s}
}

// schemaFromClass builds the schema of pyroute2 class cls, completed from
// the header. special maps a C name to a spec for pyroute2's dispatch
// functions; a class without specials is built once.
func (g *rtnlGen) schemaFromClass(cls *p2class, goName, name string, special map[string]*rspec) *rschema {
	if !strings.HasSuffix(goName, "Schema") {
		goName += "Schema"
	}
	if special == nil {
		if s, ok := g.byClass[cls.id]; ok {
			return s
		}
	}
	if _, ok := g.schemas[goName]; ok {
		failf("two schemas named %s", goName)
	}
	prefix := g.prefixOf(cls)
	owner := strings.TrimSuffix(goName, "Schema")
	if name == "" {
		name = owner
	}
	s := &rschema{goName: goName, name: name}
	g.schemas[goName] = s
	if special == nil {
		g.byClass[cls.id] = s
	}
	seen := map[int64]bool{}
	sample := ""
	entries := cls.entries()
	for _, e := range entries {
		if e.t == "none" || strings.HasSuffix(e.cname, "_UNSPEC") {
			continue
		}
		kname := kernelName(e.cname)
		if sample == "" {
			sample = e.cname
		}
		hv, inHeader := g.h.values[kname]
		if !inHeader && seen[int64(e.pos)] {
			continue // pyroute2's second name for one type (IFLA_BRIDGE_VLAN_FLAGS)
		}
		var value int64
		switch {
		case inHeader:
			value = hv
			if value != int64(e.pos) {
				g.notes = append(g.notes, fmt.Sprintf("%s: pyroute2 %d, header %d", e.cname, e.pos, value))
			}
		case strings.HasPrefix(kname, "AF_"):
			v, ok := g.p2.AF[kname]
			if !ok {
				failf("%s is not in the extract's address families", kname)
			}
			value = v
		default:
			failf("%s (%s) is not in the headers", e.cname, kname)
		}
		if seen[value] {
			continue // pyroute2's second name for one type (IFLA_BRIDGE_VLAN_FLAGS)
		}
		seen[value] = true
		arr := strings.HasPrefix(e.t, "*")
		t := strings.TrimLeft(e.t, "*")
		var spec *rspec
		if sp, ok := special[e.cname]; ok {
			spec = sp
		} else if fix, ok := typeFixes[kname]; ok {
			spec = &rspec{kind: fix.kind, note: fix.why}
			if fix.why != "" {
				g.notes = append(g.notes, kname+": "+fix.why)
			}
		} else if arr {
			spec = g.arraySpec(g.resolve(cls, t, owner, e.cname).kind, owner, strip(prefix, e.cname))
		} else {
			spec = g.resolve(cls, t, owner, e.cname)
		}
		s.entries = append(s.entries, rentry{value, kname, strip(prefix, e.cname), spec})
	}
	// Complete from the header's enum.
	first := ""
	for _, e := range entries {
		if k := kernelName(e.cname); g.h.enumOf[k] != nil && !strings.HasSuffix(e.cname, "_UNSPEC") {
			first = k
			break
		}
	}
	if first != "" && !noComplete[cls.Qualname] {
		for _, m := range g.h.members(first) {
			if seen[m.value] {
				continue
			}
			seen[m.value] = true
			cname := pyroute2Name(m.name, sample)
			s.entries = append(s.entries, rentry{m.value, m.name, strip(prefix, cname), g.kernelSpec(m.name, owner, prefix)})
		}
	}
	sort.SliceStable(s.entries, func(i, j int) bool { return s.entries[i].value < s.entries[j].value })
	return s
}

// schemaFromHeader builds a schema pyroute2 lacks from the header enum
// holding first.
func (g *rtnlGen) schemaFromHeader(goName, name, first, prefix string, specials map[string]*rspec) *rschema {
	s := &rschema{goName: goName, name: name}
	g.schemas[goName] = s
	for _, m := range g.h.members(first) {
		spec, ok := specials[m.name]
		if !ok {
			spec = g.kernelSpec(m.name, strings.TrimSuffix(goName, "Schema"), prefix)
		}
		s.entries = append(s.entries, rentry{m.value, m.name, strip(prefix, m.name), spec})
	}
	return s
}

// devconfStruct lays out an array of u32 indexed by an enum (IPV4_DEVCONF_*,
// DEVCONF_*) or of u64 (IPSTATS_MIB_*, ICMP6_MIB_*): a struct whose fields
// are named by the enum, lower-cased without prefix; the value at index
// v-base.
func (g *rtnlGen) devconfStruct(goName, first, prefix string, base int64) *rstruct {
	size, kind := int64(4), "u32"
	if strings.Contains(first, "MIB") {
		size, kind = 8, "u64"
	}
	st := &rstruct{goName: goName}
	for _, m := range g.h.enumOf[first] {
		if strings.HasPrefix(m.name, "__") || strings.HasSuffix(m.name, "_MAX") {
			continue
		}
		st.fields = append(st.fields, rfield{strip(prefix, m.name), kind, (m.value - base) * size})
	}
	g.structs[goName] = st
	return st
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (g *rtnlGen) root(name string) *p2class {
	id, ok := g.p2.Roots[name]
	if !ok {
		failf("pyroute2 root %s is not in the extract", name)
	}
	return g.class(id)
}

func (g *rtnlGen) linkFamily() (data, slave map[string]*rschema) {
	// IFLA_INFO_DATA and _SLAVE_DATA by kind.
	data = map[string]*rschema{}
	for _, kind := range sortedKeys(g.p2.DataMap) {
		if kind == "tuntap" || kind == "team" || kind == "bridge_slave" {
			// tuntap and team are pyroute2 constructs, not kernel kinds.
			continue
		}
		var special map[string]*rspec
		if kind == "veth" {
			// VETH_INFO_PEER is a whole ifinfomsg, sent only in requests.
			special = map[string]*rspec{"VETH_INFO_PEER": {kind: "binary"}}
		}
		data[kind] = g.schemaFromClass(g.class(g.p2.DataMap[kind]), goIdent(kind, "data"), kind, special)
	}
	for _, a := range kindAliases {
		data[a[0]] = data[a[1]]
	}
	slave = map[string]*rschema{
		"bridge": g.schemaFromClass(g.root("ifinfmsg.ifinfo.bridge_slave_data"), "bridgePortDataSchema", "bridge_slave", nil),
		"bond":   g.schemaFromClass(g.root("ifinfmsg.ifinfo.bond_slave_data"), "bondPortDataSchema", "bond_slave", nil),
	}
	slave["vrf"] = g.schemaFromHeader("vrfPortDataSchema", "vrf_slave", "IFLA_VRF_PORT_TABLE", "IFLA_", nil)

	info := g.schemaFromClass(g.root("ifinfmsg.ifinfo"), "linkInfoSchema", "linkinfo", map[string]*rspec{
		"IFLA_INFO_DATA":       {kind: "nested", sibling: "IFLA_INFO_KIND", siblingValue: g.value("IFLA_INFO_KIND"), byKindVar: "linkDataSchemas"},
		"IFLA_INFO_SLAVE_DATA": {kind: "nested", sibling: "IFLA_INFO_SLAVE_KIND", siblingValue: g.value("IFLA_INFO_SLAVE_KIND"), byKindVar: "linkSlaveDataSchemas"},
	})

	// IFLA_AF_SPEC of AF_UNSPEC messages: per address family. AF_INET
	// holds IFLA_INET_CONF (pyroute2 reads the nest as a flat struct,
	// header and all).
	inet := &rschema{goName: "linkAFInetSchema", name: "inet"}
	g.schemas[inet.goName] = inet
	inet.entries = append(inet.entries, rentry{g.value("IFLA_INET_CONF"), "IFLA_INET_CONF", "conf", &rspec{
		kind: "struct", strct: g.devconfStruct("ipv4DevconfFields", "IPV4_DEVCONF_FORWARDING", "IPV4_DEVCONF_", 1)}})
	inet6 := g.schemaFromClass(g.root("ifinfmsg.af_spec_inet.inet6"), "linkAFInet6Schema", "inet6", map[string]*rspec{
		"IFLA_INET6_CONF":       {kind: "struct", strct: g.devconfStruct("ipv6DevconfFields", "DEVCONF_FORWARDING", "DEVCONF_", 0)},
		"IFLA_INET6_STATS":      {kind: "struct", strct: g.devconfStruct("ipv6StatsFields", "IPSTATS_MIB_NUM", "IPSTATS_MIB_", 0)},
		"IFLA_INET6_ICMP6STATS": {kind: "struct", strct: g.devconfStruct("icmp6StatsFields", "ICMP6_MIB_NUM", "ICMP6_MIB_", 0)},
	})
	afspec := g.schemaFromClass(g.root("ifinfmsg.af_spec_inet"), "linkAFSpecSchema", "af_spec", map[string]*rspec{
		"AF_INET": {kind: "nested", nested: inet}, "AF_INET6": {kind: "nested", nested: inet6}})
	afbridge := g.schemaFromClass(g.root("ifinfmsg.af_spec_bridge"), "linkAFBridgeSchema", "af_spec", nil)
	brport := g.schemaFromClass(g.root("protinfo_bridge"), "bridgePortSchema", "protinfo", nil)

	link := func(goName string, protinfo, af *rschema) {
		g.schemaFromClass(g.root("ifinfmsg"), goName, "link", map[string]*rspec{
			"IFLA_LINKINFO": {kind: "nested", nested: info},
			"IFLA_PROTINFO": {kind: "nested", nested: protinfo},
			"IFLA_AF_SPEC":  {kind: "nested", nested: af},
			"IFLA_WIRELESS": {kind: "binary"},
		})
	}
	// AF_UNSPEC and AF_INET6 messages (AF_INET6 ones carry IFLA_PROTINFO
	// with IFLA_INET6_*), and AF_BRIDGE ones (bridge link, bridge vlan).
	link("linkSchema", inet6, afspec)
	link("linkBridgeSchema", brport, afbridge)
	return data, slave
}

func (g *rtnlGen) routeFamily() map[string]string {
	encaps := map[int64]*rschema{}
	names := map[int64]string{1: "mpls", 5: "seg6", 6: "bpf", 7: "seg6_local"}
	var types []int64
	for k := range g.p2.Encaps {
		n, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			failf("encap type %q", k)
		}
		types = append(types, n)
	}
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
	for _, typ := range types {
		nm, ok := names[typ]
		if !ok {
			failf("unexpected encap %d", typ)
		}
		cls := g.class(g.p2.Encaps[strconv.FormatInt(typ, 10)])
		encaps[typ] = g.schemaFromClass(cls, goIdent("encap", nm), "encap_"+nm, nil)
	}
	encaps[g.value("LWTUNNEL_ENCAP_IP")] = g.schemaFromHeader("encapIPSchema", "encap_ip", "LWTUNNEL_IP_ID", "LWTUNNEL_IP_", nil)
	encaps[g.value("LWTUNNEL_ENCAP_IP6")] = g.schemaFromHeader("encapIP6Schema", "encap_ip6", "LWTUNNEL_IP6_ID", "LWTUNNEL_IP6_", nil)
	byType := map[string]string{}
	for k, v := range encaps {
		switch k {
		case 1, 2, 4, 5, 6, 7:
		default:
			failf("unexpected encap %d", k)
		}
		byType[strconv.FormatInt(k, 10)] = v.goName
	}
	encap := &rspec{kind: "nested", sibling: "RTA_ENCAP_TYPE", siblingValue: g.value("RTA_ENCAP_TYPE"), byType: byType, numeric: true, byTypeNote: " (LWTUNNEL_ENCAP_*)"}
	g.schemaFromClass(g.root("rtmsg"), "routeSchema", "route", map[string]*rspec{
		"RTA_ENCAP": encap,
		// rtnexthop records, not attributes: the route view decodes them.
		"RTA_MULTIPATH": {kind: "binary"},
	})
	return byType
}

func (g *rtnlGen) nexthopFamily(encapByType map[string]string) {
	resGroup := g.schemaFromHeader("nexthopResGroupSchema", "res_group", "NHA_RES_GROUP_BUCKETS", "NHA_RES_GROUP_", nil)
	resBucket := g.schemaFromHeader("nexthopResBucketSchema", "res_bucket", "NHA_RES_BUCKET_INDEX", "NHA_RES_BUCKET_", nil)
	g.schemaFromHeader("nexthopSchema", "nexthop", "NHA_ID", "NHA_", map[string]*rspec{
		"NHA_ENCAP":      {kind: "nested", sibling: "NHA_ENCAP_TYPE", siblingValue: g.value("NHA_ENCAP_TYPE"), byType: encapByType, numeric: true, byTypeNote: " (LWTUNNEL_ENCAP_*)"},
		"NHA_RES_GROUP":  {kind: "nested", nested: resGroup},
		"NHA_RES_BUCKET": {kind: "nested", nested: resBucket},
	})
}

func (g *rtnlGen) build() (data, slave map[string]*rschema) {
	data, slave = g.linkFamily()
	g.schemaFromClass(g.root("ifaddrmsg"), "addrSchema", "addr", nil)
	byType := g.routeFamily()
	g.nexthopFamily(byType)
	g.schemaFromClass(g.root("ndmsg"), "neighSchema", "neigh", nil)
	g.schemaFromClass(g.root("ndtmsg"), "neighTableSchema", "neigh_table", nil)
	g.schemaFromClass(g.root("fibmsg"), "ruleSchema", "rule", nil)
	return data, slave
}

// ------------------------------------------------------------------ output

// rtnlFiles are the files written, each with its root schemas, in order.
var rtnlFiles = []struct {
	name  string
	roots []string
}{
	{"link", []string{"linkSchema", "linkBridgeSchema"}},
	{"addr", []string{"addrSchema"}},
	{"route", []string{"routeSchema", "nexthopSchema"}},
	{"neigh", []string{"neighSchema", "neighTableSchema"}},
	{"rule", []string{"ruleSchema"}},
}

// reachable returns the schemas and structs reachable from root, breadth
// first, in a stable order.
func (g *rtnlGen) reachable(root string) ([]*rschema, []*rstruct) {
	var schemas []*rschema
	var structs []*rstruct
	seenS := map[*rschema]bool{}
	seenT := map[*rstruct]bool{}
	queue := []*rschema{g.schemas[root]}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seenS[s] {
			continue
		}
		seenS[s] = true
		schemas = append(schemas, s)
		for _, e := range s.entries {
			sp := e.spec
			if sp.nested != nil {
				queue = append(queue, sp.nested)
			}
			if sp.strct != nil && !seenT[sp.strct] {
				seenT[sp.strct] = true
				structs = append(structs, sp.strct)
			}
			for _, k := range sortedKeys(sp.byType) {
				queue = append(queue, g.schemas[sp.byType[k]])
			}
		}
	}
	return schemas, structs
}

// rtnlHeader names the pinned inputs, so that a diff of the generated
// files shows an input bump.
const rtnlHeader = `// Code generated by tools/gen (gen rtnl); DO NOT EDIT.

// Names and types from the nla maps of pyroute2 (python3-pyroute2 %s,
// tools/gen/rtnl/pyroute2.json), values and struct layouts from the Linux
// uapi headers of linux-libc-dev %s (tools/gen/rtnl/include).

package rtm

` + schemaImport + "\n"

// genRTNL generates the zschema files from the inputs in dir (pyroute2.json
// and include/): file name -> gofmt'ed contents.
func genRTNL(dir string) (files map[string][]byte, notes []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			ge, ok := r.(genError)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("rtnl: %s", ge.msg)
		}
	}()
	raw, err := os.ReadFile(filepath.Join(dir, "pyroute2.json"))
	if err != nil {
		return nil, nil, err
	}
	g := &rtnlGen{schemas: map[string]*rschema{}, structs: map[string]*rstruct{}, byClass: map[string]*rschema{}}
	if err := json.Unmarshal(raw, &g.p2); err != nil {
		return nil, nil, fmt.Errorf("pyroute2.json: %w", err)
	}
	vers, err := os.ReadFile(filepath.Join(dir, "include", "VERSION"))
	if err != nil {
		return nil, nil, err
	}
	g.libcVers = strings.TrimSpace(string(vers))
	if g.h, err = readHeaders(filepath.Join(dir, "include", "linux"), rtnlHeaders); err != nil {
		return nil, nil, err
	}
	var stale []string
	for _, k := range sortedKeys(kernelTypes) {
		if _, ok := g.h.values[k]; !ok {
			stale = append(stale, k)
		}
	}
	if len(stale) > 0 {
		failf("kernelTypes names constants the headers lack: %s", strings.Join(stale, " "))
	}
	data, slave := g.build()
	if len(g.missing) > 0 {
		sort.Strings(g.missing)
		failf("header attributes without a type in kernelTypes: %s", strings.Join(dedup(g.missing), " "))
	}
	files = map[string][]byte{}
	doneSchemas, doneStructs, owners := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range rtnlFiles {
		out := &outBuf{}
		out.add(rtnlHeader, g.p2.Version, g.libcVers)
		roots := f.roots
		if f.name == "link" {
			roots = append([]string(nil), roots...)
			for _, k := range sortedKeys(data) {
				roots = append(roots, data[k].goName)
			}
			for _, k := range sortedKeys(slave) {
				roots = append(roots, slave[k].goName)
			}
			out.add("// linkDataSchemas and linkSlaveDataSchemas pick the schema of")
			out.add("// IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA by link kind.")
			emitKinds(out, "linkDataSchemas", goNames(data))
			emitKinds(out, "linkSlaveDataSchemas", goNames(slave))
		}
		for _, root := range roots {
			schemas, structs := g.reachable(root)
			for _, s := range schemas {
				if !doneSchemas[s.goName] {
					doneSchemas[s.goName] = true
					emitSchema(out, s, owners)
				}
			}
			for _, st := range structs {
				if !doneStructs[st.goName] {
					doneStructs[st.goName] = true
					emitStruct(out, st)
				}
			}
		}
		src := []byte(strings.Join(out.lines, "\n"))
		formatted, err := format.Source(src)
		if err != nil {
			return nil, nil, fmt.Errorf("zschema_%s.go: %w", f.name, err)
		}
		files["zschema_"+f.name+".go"] = formatted
	}
	var missing []string
	for _, k := range sortedKeys(g.schemas) {
		if !doneSchemas[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		failf("schemas not written: %v", missing)
	}
	sort.Strings(g.notes)
	return files, dedup(g.notes), nil
}

func goNames(m map[string]*rschema) map[string]string {
	out := map[string]string{}
	for k, s := range m {
		out[k] = s.goName
	}
	return out
}

// dedup removes adjacent duplicates from a sorted slice.
func dedup(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// writeOrCheck writes files into outdir, or with check compares them with
// what is there and returns an error naming the files that differ.
func writeOrCheck(outdir string, files map[string][]byte, check bool, glob string) error {
	var stale []string
	for _, name := range sortedKeys(files) {
		path := filepath.Join(outdir, name)
		if check {
			have, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(have, files[name]) {
				stale = append(stale, path)
			}
			continue
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	if check && glob != "" {
		// Generated files the generator no longer writes are stale too.
		have, _ := filepath.Glob(filepath.Join(outdir, glob))
		for _, p := range have {
			if _, ok := files[filepath.Base(p)]; !ok {
				stale = append(stale, p+" (no longer generated)")
			}
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("not what the generator writes (regenerate with scripts/gen.sh): %s", strings.Join(stale, ", "))
	}
	return nil
}
