package main

// The ynl generator: constants and attribute-set schemas of one netlink
// family from its YNL spec (the kernel's Documentation/netlink/specs, the
// ones used committed under specs/). It reads the genetlink,
// genetlink-c, genetlink-legacy and netlink-raw protocols: definitions
// (const, enum, flags, struct), attribute sets (with subsets, nested
// attributes, enums, sub-messages), operations (unified and directional
// numbering) and multicast groups, numbered the way the kernel's
// tools/net/ynl/lib/nlspec.py numbers them. Constant names are the C
// names ynl-gen-c would give, in Go case (TCP_METRICS_ATTR_AGE becomes
// TCPMetricsAttrAge); schemas are values of package internal/schema
// (emit.go), static data that any package of this module can hold.
//
// The kinds internal/schema lacks (s8, s16, s64, uint, sint, bitfield32,
// indexed arrays) come out as schema.Binary with a comment saying so.

import (
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ynlSpec is the part of a YNL spec the generator uses.
type ynlSpec struct {
	Name          string         `yaml:"name"`
	Protocol      string         `yaml:"protocol"`
	Protonum      *int64         `yaml:"protonum"`
	Doc           string         `yaml:"doc"`
	Definitions   []ynlDef       `yaml:"definitions"`
	AttributeSets []ynlAttrSet   `yaml:"attribute-sets"`
	SubMessages   []ynlSubMsg    `yaml:"sub-messages"`
	Operations    ynlOperations  `yaml:"operations"`
	McastGroups   ynlMcastGroups `yaml:"mcast-groups"`
}

type ynlDef struct {
	Name       string        `yaml:"name"`
	Type       string        `yaml:"type"`
	Doc        string        `yaml:"doc"`
	Value      *int64        `yaml:"value"`
	ValueStart *int64        `yaml:"value-start"`
	NamePrefix *string       `yaml:"name-prefix"`
	Entries    []ynlEnumItem `yaml:"entries"`
	Members    []ynlMember   `yaml:"members"`
}

// ynlEnumItem is an enum entry, written either as a bare name or as a
// mapping with name, value and doc.
type ynlEnumItem struct {
	Name  string
	Value *int64
	Doc   string
}

func (e *ynlEnumItem) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		e.Name = n.Value
		return nil
	}
	var m struct {
		Name  string `yaml:"name"`
		Value *int64 `yaml:"value"`
		Doc   string `yaml:"doc"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	e.Name, e.Value, e.Doc = m.Name, m.Value, m.Doc
	return nil
}

type ynlMember struct {
	Name        string `yaml:"name"`
	Type        string `yaml:"type"`
	Len         any    `yaml:"len"`
	ByteOrder   string `yaml:"byte-order"`
	DisplayHint string `yaml:"display-hint"`
	Struct      string `yaml:"struct"`
}

type ynlAttrSet struct {
	Name       string    `yaml:"name"`
	NamePrefix *string   `yaml:"name-prefix"`
	SubsetOf   string    `yaml:"subset-of"`
	Doc        string    `yaml:"doc"`
	Attributes []ynlAttr `yaml:"attributes"`
}

type ynlAttr struct {
	Name             string `yaml:"name"`
	Type             string `yaml:"type"`
	Value            *int64 `yaml:"value"`
	Doc              string `yaml:"doc"`
	ByteOrder        string `yaml:"byte-order"`
	DisplayHint      string `yaml:"display-hint"`
	NestedAttributes string `yaml:"nested-attributes"`
	SubType          string `yaml:"sub-type"`
	Struct           string `yaml:"struct"`
	Enum             string `yaml:"enum"`
	MultiAttr        bool   `yaml:"multi-attr"`
	SubMessage       string `yaml:"sub-message"`
	Selector         string `yaml:"selector"`
}

type ynlSubMsg struct {
	Name    string `yaml:"name"`
	Formats []struct {
		Value        string `yaml:"value"`
		AttributeSet string `yaml:"attribute-set"`
		FixedHeader  string `yaml:"fixed-header"`
	} `yaml:"formats"`
}

type ynlOperations struct {
	NamePrefix  *string `yaml:"name-prefix"`
	EnumModel   string  `yaml:"enum-model"`
	FixedHeader string  `yaml:"fixed-header"`
	List        []ynlOp `yaml:"list"`
}

type ynlOp struct {
	Name   string         `yaml:"name"`
	Doc    string         `yaml:"doc"`
	Value  *int64         `yaml:"value"`
	Do     *ynlOpMode     `yaml:"do"`
	Dump   *ynlOpMode     `yaml:"dump"`
	Notify string         `yaml:"notify"`
	Event  map[string]any `yaml:"event"`
}

type ynlOpMode struct {
	Request *struct {
		Value *int64 `yaml:"value"`
	} `yaml:"request"`
	Reply *struct {
		Value *int64 `yaml:"value"`
	} `yaml:"reply"`
}

type ynlMcastGroups struct {
	List []struct {
		Name        string `yaml:"name"`
		Value       *int64 `yaml:"value"`
		CDefineName string `yaml:"c-define-name"`
		Doc         string `yaml:"doc"`
	} `yaml:"list"`
}

// ynlOpValue is an operation with its message type(s): req and rsp are
// the request and reply types, -1 where the operation has none.
type ynlOpValue struct {
	op       ynlOp
	req, rsp int64
}

// numberOps numbers operations as nlspec.py does: unified models give an
// operation one type, counting from 1 or from an explicit value;
// directional ones count requests and replies separately.
func numberOps(ops ynlOperations) ([]ynlOpValue, error) {
	var out []ynlOpValue
	if ops.EnumModel != "directional" {
		val := int64(1)
		for _, op := range ops.List {
			if op.Value != nil {
				val = *op.Value
			}
			out = append(out, ynlOpValue{op, val, val})
			val++
		}
		return out, nil
	}
	req, rsp := int64(1), int64(1)
	for _, op := range ops.List {
		var reqNext, rspNext int64
		switch {
		case op.Notify != "" || op.Event != nil:
			if op.Value != nil {
				rsp = *op.Value
			}
			reqNext, rspNext = req, rsp+1
			req = -1
		case op.Do != nil || op.Dump != nil:
			mode := op.Do
			if mode == nil {
				mode = op.Dump
			}
			if mode.Request != nil && mode.Request.Value != nil && *mode.Request.Value != 0 {
				req = *mode.Request.Value
			}
			if mode.Reply != nil && mode.Reply.Value != nil && *mode.Reply.Value != 0 {
				rsp = *mode.Reply.Value
			}
			inc := int64(0)
			if mode.Reply != nil {
				inc = 1
			}
			reqNext, rspNext = req+1, rsp+inc
		default:
			return nil, fmt.Errorf("operation %s: neither do, dump, notify nor event", op.Name)
		}
		v := ynlOpValue{op, req, rsp}
		if req == reqNext {
			v.req = -1
		}
		if rsp == rspNext {
			v.rsp = -1
		}
		out = append(out, v)
		req, rsp = reqNext, rspNext
	}
	return out, nil
}

// initialisms are written in upper case in Go names.
var initialisms = map[string]string{
	"id": "ID", "ip": "IP", "ipv4": "IPv4", "ipv6": "IPv6", "tcp": "TCP", "udp": "UDP",
	"mac": "MAC", "mtu": "MTU", "rtt": "RTT", "xdp": "XDP", "xsk": "XSK", "rx": "RX",
	"tx": "TX", "napi": "NAPI", "dma": "DMA", "rt": "RT", "mptcp": "MPTCP", "pm": "PM",
	"ifa": "IFA", "hw": "HW", "sg": "SG", "ndo": "NDO", "cmd": "Cmd", "mcgrp": "Mcgrp",
	"rtm": "RTM", "rtnlgrp": "RTNLGrp",
}

// goName turns a C constant name (or a spec name) into an exported Go name.
func goName(cname string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(cname), func(r rune) bool { return r == '_' || r == '-' }) {
		if s, ok := initialisms[w]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "N" + s
	}
	return s
}

// cName is a spec name in C case: upper case, dashes as underscores.
func cName(parts ...string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.Join(parts, ""), "-", "_"))
}

// attrName is the name an attribute is looked up by: the spec's name in
// pyroute2's style, lower case with underscores.
func attrName(n string) string { return strings.ReplaceAll(n, "-", "_") }

// ynlGen holds one run.
type ynlGen struct {
	spec    *ynlSpec
	sets    map[string]*ynlAttrSet
	values  map[string]map[string]int64 // set -> attr -> value
	defs    map[string]*ynlDef
	schemas map[string]*rschema
	structs map[string]*rstruct
	consts  map[string]int64 // C name -> value, for tests against headers
}

// setPrefix is the C prefix of a set's attribute constants (ynl-gen-c's
// default: family-a- for the set named as the family, else
// family-a-set-); subsets use their parent's.
func (g *ynlGen) setPrefix(s *ynlAttrSet) string {
	if s.SubsetOf != "" {
		return g.setPrefix(g.sets[s.SubsetOf])
	}
	if s.NamePrefix != nil {
		return *s.NamePrefix
	}
	if g.raw() {
		if p, ok := rawSetPrefix(g.spec.Name, s.Name); ok {
			return p
		}
		return "" // rtnetlink specs name attributes by their C names (ifa-address)
	}
	if s.Name == g.spec.Name {
		return g.spec.Name + "-a-"
	}
	return g.spec.Name + "-a-" + s.Name + "-"
}

// raw tells netlink-raw families, whose C names are the kernel's hand-written
// ones rather than ynl-gen-c's.
func (g *ynlGen) raw() bool { return g.spec.Protocol == "netlink-raw" }

func (g *ynlGen) number() error {
	for i := range g.spec.Definitions {
		d := &g.spec.Definitions[i]
		g.defs[d.Name] = d
	}
	for i := range g.spec.AttributeSets {
		s := &g.spec.AttributeSets[i]
		dedupSubset(s)
		g.sets[s.Name] = s
	}
	for _, s := range g.spec.AttributeSets {
		vals := map[string]int64{}
		g.values[s.Name] = vals
		if s.SubsetOf != "" {
			continue
		}
		val := int64(1)
		for _, a := range s.Attributes {
			if a.Value != nil {
				val = *a.Value
			}
			vals[a.Name] = val
			val++
		}
	}
	for _, s := range g.spec.AttributeSets {
		if s.SubsetOf == "" {
			continue
		}
		parent, ok := g.values[s.SubsetOf]
		if !ok || g.sets[s.SubsetOf].SubsetOf != "" {
			return fmt.Errorf("attribute set %s: subset of %q, which is not a full set", s.Name, s.SubsetOf)
		}
		for _, a := range s.Attributes {
			v, ok := parent[a.Name]
			if !ok {
				return fmt.Errorf("attribute set %s: %s is not in %s", s.Name, a.Name, s.SubsetOf)
			}
			g.values[s.Name][a.Name] = v
		}
	}
	return nil
}

// fullAttr returns the attribute as its full set declares it (a subset
// lists only names).
func (g *ynlGen) fullAttr(set *ynlAttrSet, a ynlAttr) ynlAttr {
	if set.SubsetOf == "" {
		return a
	}
	for _, pa := range g.sets[set.SubsetOf].Attributes {
		if pa.Name == a.Name {
			return pa
		}
	}
	return a
}

func (g *ynlGen) structFields(name string) (*rstruct, error) {
	goName := goIdent(name, "fields")
	if st, ok := g.structs[goName]; ok {
		return st, nil
	}
	d, ok := g.defs[name]
	if !ok || d.Type != "struct" {
		return nil, fmt.Errorf("struct %s is not defined", name)
	}
	st := &rstruct{goName: goName}
	var off int64
	for i, m := range d.Members {
		size := map[string]int64{"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "u64": 8, "s64": 8}[m.Type]
		kind := ynlScalarKind(m.Type, m.ByteOrder, m.DisplayHint)
		switch m.Type {
		case "pad", "binary", "string":
			n, err := g.length(m.Len)
			if err != nil && m.Len == nil {
				n, err = g.unsizedMember(m, i == len(d.Members)-1)
			}
			if err != nil {
				return nil, fmt.Errorf("struct %s member %s: %w", name, m.Name, err)
			}
			size, kind = n, "binary"
			if m.Type == "binary" && i == len(d.Members)-1 {
				switch m.DisplayHint {
				case "ipv4", "ipv6":
					kind = "addr"
				case "mac":
					kind = "hw"
				}
			}
		}
		if size == 0 {
			return nil, fmt.Errorf("struct %s member %s: no size for type %s", name, m.Name, m.Type)
		}
		if kind == "" {
			kind = "binary" // s8, s16, s64: no kind in internal/schema yet
		}
		if m.Type != "pad" {
			st.fields = append(st.fields, rfield{attrName(m.Name), kind, off})
		}
		off += size
	}
	g.structs[goName] = st
	return st, nil
}

// length evaluates a member's len: a number or the name of a const.
func (g *ynlGen) length(v any) (int64, error) {
	switch l := v.(type) {
	case int:
		return int64(l), nil
	case string:
		if n, err := strconv.ParseInt(l, 0, 64); err == nil {
			return n, nil
		}
		if d, ok := g.defs[l]; ok && d.Type == "const" && d.Value != nil {
			return *d.Value, nil
		}
		return 0, fmt.Errorf("len %q is not a number or a const", l)
	}
	return 0, fmt.Errorf("no len")
}

// ynlScalarKind maps a YNL scalar type to a kind of rtm's schema; the empty
// string for types it has none for.
func ynlScalarKind(typ, byteOrder, hint string) string {
	be := byteOrder == "big-endian"
	switch typ {
	case "flag":
		return "flag"
	case "u8":
		return "u8"
	case "u16":
		if be {
			return "be16"
		}
		return "u16"
	case "u32":
		if be && hint == "ipv4" {
			return "addr"
		}
		if be {
			return "be32"
		}
		return "u32"
	case "u64":
		if be {
			return "be64"
		}
		return "u64"
	case "s32":
		if be {
			return ""
		}
		return "s32"
	case "string":
		return "string"
	case "binary":
		switch hint {
		case "ipv4", "ipv6":
			return "addr"
		case "mac":
			return "hw"
		}
		return "binary"
	case "pad":
		return "binary"
	}
	return ""
}

func (g *ynlGen) schemaOf(setName string) (*rschema, error) {
	goName := goIdent(setName, "schema")
	if s, ok := g.schemas[goName]; ok {
		return s, nil
	}
	set, ok := g.sets[setName]
	if !ok {
		return nil, fmt.Errorf("attribute set %s is not defined", setName)
	}
	s := &rschema{goName: goName, name: attrName(setName)}
	g.schemas[goName] = s // before the nests, which may refer back
	prefix := g.setPrefix(set)
	for _, a := range set.Attributes {
		a = g.fullAttr(set, a)
		if a.Type == "unused" {
			continue
		}
		sp, err := g.attrSpec(set, a)
		if err != nil {
			return nil, fmt.Errorf("attribute set %s, %s: %w", setName, a.Name, err)
		}
		s.entries = append(s.entries, rentry{g.values[setName][a.Name], cName(prefix, a.Name), attrName(a.Name), sp})
	}
	sort.SliceStable(s.entries, func(i, j int) bool { return s.entries[i].value < s.entries[j].value })
	return s, nil
}

func (g *ynlGen) attrSpec(set *ynlAttrSet, a ynlAttr) (*rspec, error) {
	var note []string
	if a.MultiAttr {
		note = append(note, "multi-attr")
	}
	if a.Enum != "" {
		note = append(note, "enum "+a.Enum)
	}
	sp := &rspec{}
	switch a.Type {
	case "nest":
		if a.NestedAttributes == set.Name {
			return selfNestSpec(a), nil
		}
		nested, err := g.schemaOf(a.NestedAttributes)
		if err != nil {
			return nil, err
		}
		sp.kind, sp.nested = "nested", nested
	case "binary":
		if a.Struct != "" {
			st, err := g.structFields(a.Struct)
			if err != nil {
				return nil, err
			}
			sp.kind, sp.strct = "struct", st
			break
		}
		sp.kind = ynlScalarKind(a.Type, a.ByteOrder, a.DisplayHint)
	case "sub-message":
		sel, ok := g.values[set.Name][a.Selector]
		if !ok && g.outerSelector(a.Selector) {
			return outerSelectorSpec(a), nil
		}
		if !ok {
			return nil, fmt.Errorf("selector %q is not in the set", a.Selector)
		}
		sp.kind, sp.sibling, sp.siblingValue = "nested", cName(g.setPrefix(set), a.Selector), sel
		sp.byKindVar = goIdent(a.SubMessage, "schemas")
	default:
		if isp, ok, err := g.indexedArraySpec(a); ok {
			return isp, err
		}
		sp.kind = ynlScalarKind(a.Type, a.ByteOrder, a.DisplayHint)
		if sp.kind == "" {
			sp.kind = "binary"
			what := a.Type
			if a.SubType != "" {
				what += " of " + a.SubType
			}
			if a.NestedAttributes != "" {
				what += " " + a.NestedAttributes
			}
			note = append(note, what+": no kind in the schema yet, bytes")
		}
	}
	sp.note = strings.Join(note, "; ")
	return sp, nil
}

// genYNL generates the file for spec (a path) into package pkg: file name
// and gofmt'ed contents, and the C-named constants it defines.
func genYNL(specPath, pkg string, constsOnly bool) (name string, src []byte, consts map[string]int64, err error) {
	defer catchGenError(specPath, &err)
	g, err := loadYNL(specPath)
	if err != nil {
		return "", nil, nil, err
	}
	spec := *g.spec
	out := &outBuf{}
	out.add("// Code generated by tools/gen (gen ynl %s); DO NOT EDIT.", filepath.Base(specPath))
	out.add("")
	out.add("// Family %s (%s), from its YNL spec in the Linux source tree", spec.Name, spec.Protocol)
	out.add("// (Documentation/netlink/specs), pinned in tools/gen/specs.")
	out.add("")
	out.add("package %s", pkg)
	out.add("")
	if !constsOnly {
		out.add(schemaImport)
		out.add("")
	}
	if err := g.emitConsts(out); err != nil {
		return "", nil, nil, fmt.Errorf("%s: %w", specPath, err)
	}
	if constsOnly {
		// The constants alone, for a package that names no attributes.
		src, err = format.Source([]byte(strings.Join(out.lines, "\n")))
		if err != nil {
			return "", nil, nil, fmt.Errorf("%s: generated code does not parse: %w", specPath, err)
		}
		return "zynl_" + strings.ReplaceAll(spec.Name, "-", "_") + ".go", src, g.consts, nil
	}
	var roots []*rschema
	for _, s := range spec.AttributeSets {
		r, err := g.schemaOf(s.Name)
		if err != nil {
			return "", nil, nil, fmt.Errorf("%s: %w", specPath, err)
		}
		roots = append(roots, r)
	}
	for _, sm := range spec.SubMessages {
		pairs := map[string]string{}
		for _, f := range sm.Formats {
			if subMessageSkipped(f.AttributeSet, f.FixedHeader) {
				continue // a fixed header: no attributes at the payload's start
			}
			s, err := g.schemaOf(f.AttributeSet)
			if err != nil {
				return "", nil, nil, fmt.Errorf("%s: sub-message %s: %w", specPath, sm.Name, err)
			}
			pairs[f.Value] = s.goName
		}
		out.add("// %s picks the schema of a %s sub-message by its selector.", goIdent(sm.Name, "schemas"), sm.Name)
		emitKinds(out, goIdent(sm.Name, "schemas"), pairs)
	}
	roots = append(roots, g.indexedArraySchemas()...)
	owners := map[string]bool{}
	for _, s := range roots {
		emitSchema(out, s, owners)
	}
	if fh := spec.Operations.FixedHeader; fh != "" {
		if _, err := g.structFields(fh); err != nil {
			return "", nil, nil, fmt.Errorf("%s: fixed header: %w", specPath, err)
		}
	}
	for _, k := range sortedKeys(g.structs) {
		emitStruct(out, g.structs[k])
	}
	src, err = format.Source([]byte(strings.Join(out.lines, "\n")))
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s: generated code does not parse: %w", specPath, err)
	}
	return "zynl_" + strings.ReplaceAll(spec.Name, "-", "_") + ".go", src, g.consts, nil
}

// loadYNL reads and numbers the spec at specPath.
func loadYNL(specPath string) (*ynlGen, error) {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	var spec ynlSpec
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", specPath, err)
	}
	if spec.Name == "" {
		return nil, fmt.Errorf("%s: no family name", specPath)
	}
	switch spec.Protocol {
	case "", "genetlink", "genetlink-c", "genetlink-legacy", "netlink-raw":
	default:
		return nil, fmt.Errorf("%s: protocol %q is not supported", specPath, spec.Protocol)
	}
	if spec.Protocol == "" {
		spec.Protocol = "genetlink"
	}
	g := &ynlGen{spec: &spec, sets: map[string]*ynlAttrSet{}, values: map[string]map[string]int64{},
		defs: map[string]*ynlDef{}, schemas: map[string]*rschema{}, structs: map[string]*rstruct{}, consts: map[string]int64{}}
	if err := g.number(); err != nil {
		return nil, fmt.Errorf("%s: %w", specPath, err)
	}
	return g, nil
}

// opPrefix is the C prefix of the operations' message types.
func (g *ynlGen) opPrefix() string {
	spec := g.spec
	prefix := spec.Name + "-cmd-"
	if g.raw() && spec.Protonum != nil && *spec.Protonum == 0 {
		prefix = "rtm-" // NETLINK_ROUTE's message types: RTM_NEWADDR
	}
	if spec.Operations.NamePrefix != nil {
		prefix = *spec.Operations.NamePrefix
	}
	return prefix
}

// comment returns doc as a Go comment's first sentence, on one line.
func comment(doc string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(doc, ". "); i >= 0 {
		doc = doc[:i+1]
	}
	return doc
}

func (g *ynlGen) constLine(out *outBuf, cname string, value int64, doc string) {
	g.consts[cname] = value
	c := cname
	if d := comment(doc); d != "" {
		c += ": " + d
	}
	out.add("\t%s = %d // %s", goName(cname), value, c)
}

func (g *ynlGen) emitConsts(out *outBuf) error {
	spec := g.spec
	fam := spec.Name
	if spec.Protocol == "netlink-raw" {
		p := int64(0)
		if spec.Protonum != nil {
			p = *spec.Protonum
		}
		out.add("// %s is the netlink protocol of the family.", goName(fam+"-protonum"))
		out.add("const %s = %d", goName(fam+"-protonum"), p)
	} else {
		out.add("// %s is the generic netlink family name to resolve.", goName(fam+"-family-name"))
		out.add("const %s = %q", goName(fam+"-family-name"), fam)
	}
	out.add("")
	for _, d := range spec.Definitions {
		switch d.Type {
		case "const":
			if d.Value == nil {
				return fmt.Errorf("const %s has no value", d.Name)
			}
			prefix := ""
			if d.NamePrefix != nil {
				prefix = *d.NamePrefix
			}
			out.add("// Definition %s (const).", d.Name)
			out.add("const (")
			g.constLine(out, cName(prefix, d.Name), *d.Value, d.Doc)
			out.add(")")
			out.add("")
		case "enum", "flags":
			prefix := fam + "-" + d.Name + "-"
			if g.raw() {
				prefix = d.Name + "-"
			}
			if d.NamePrefix != nil {
				prefix = *d.NamePrefix
			}
			out.add("// Definition %s (%s).", d.Name, d.Type)
			out.add("const (")
			var v int64
			if d.ValueStart != nil {
				v = *d.ValueStart
			}
			for _, e := range d.Entries {
				if e.Value != nil {
					v = *e.Value
				}
				val := v
				if d.Type == "flags" {
					val = 1 << v
				}
				g.constLine(out, cName(prefix, e.Name), val, e.Doc)
				v++
			}
			out.add(")")
			out.add("")
		case "struct":
			// Laid out by structFields where used.
		default:
			return fmt.Errorf("definition %s: type %q is not supported", d.Name, d.Type)
		}
	}
	for _, s := range spec.AttributeSets {
		if s.SubsetOf != "" {
			continue // the parent's constants
		}
		out.add("// Attributes of set %s.", s.Name)
		out.add("const (")
		prefix := g.setPrefix(&s)
		for _, a := range s.Attributes {
			g.constLine(out, cName(prefix, a.Name), g.values[s.Name][a.Name], a.Doc)
		}
		out.add(")")
		out.add("")
	}
	ops, err := numberOps(spec.Operations)
	if err != nil {
		return err
	}
	if len(ops) > 0 {
		prefix := g.opPrefix()
		out.add("// Operations: message types (a directional operation's reply type has _REPLY).")
		out.add("const (")
		for _, o := range ops {
			// The request type has the operation's name, and so has the
			// reply type when there is no request (or it is the same).
			if o.req >= 0 {
				g.constLine(out, cName(prefix, o.op.Name), o.req, o.op.Doc)
			}
			switch {
			case o.rsp < 0 || o.rsp == o.req:
			case o.req < 0:
				g.constLine(out, cName(prefix, o.op.Name), o.rsp, o.op.Doc)
			default:
				g.constLine(out, cName(prefix, o.op.Name, "-reply"), o.rsp, o.op.Doc)
			}
		}
		out.add(")")
		out.add("")
	}
	if groups := spec.McastGroups.List; len(groups) > 0 {
		out.add("// Multicast groups.")
		out.add("const (")
		for _, m := range groups {
			cname := m.CDefineName
			if cname == "" {
				cname = cName(fam, "-mcgrp-", m.Name)
				if g.raw() {
					cname = cName(m.Name) // rtnetlink's RTNLGRP_*
				}
			}
			if m.Value != nil {
				g.constLine(out, cname, *m.Value, m.Doc)
			} else {
				out.add("\t%s = %q // %s", goName(cname), m.Name, cname)
			}
		}
		out.add(")")
		out.add("")
	}
	return nil
}

func runYNL(args []string) error {
	fs := flag.NewFlagSet("ynl", flag.ExitOnError)
	spec := fs.String("spec", "", "the YNL spec (YAML) of the family")
	outdir := fs.String("out", "", "directory of the package to write zynl_<family>.go into")
	pkg := fs.String("pkg", "", "package name (default: the base name of -out)")
	check := fs.Bool("check", false, "compare with the file in -out instead of writing")
	constsOnly := fs.Bool("consts", false, "write the constants only, no schemas (for a package that names no attributes)")
	ops := fs.Bool("ops", false, "also write zynl_<family>_ops.go: typed views, encoders and request builders per operation")
	fs.Parse(args)
	if *spec == "" || *outdir == "" {
		return fmt.Errorf("ynl needs -spec and -out")
	}
	if *pkg == "" {
		abs, err := filepath.Abs(*outdir)
		if err != nil {
			return err
		}
		*pkg = strings.ReplaceAll(filepath.Base(abs), "-", "_")
	}
	name, src, _, err := genYNL(*spec, *pkg, *constsOnly)
	if err != nil {
		return err
	}
	files := map[string][]byte{fileName(name, *pkg): src}
	if *ops { // typed operations: ynl_ops.go
		name, src, err := genYNLOps(*spec, *pkg, !*constsOnly)
		if err != nil {
			return err
		}
		files[name] = src
	}
	return writeOrCheck(*outdir, files, *check, "")
}

// fileName is where the file name generated for package pkg is written:
// the output of package golden (tools/gen's own test outputs, under
// testdata) is data for the test, not Go source of the module, and bears
// the ".golden" suffix as testdata/ynl/ops does.
func fileName(name, pkg string) string {
	if pkg == "golden" {
		return name + ".golden"
	}
	return name
}
