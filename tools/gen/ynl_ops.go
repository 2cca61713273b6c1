package main

// Typed operations from a YNL spec (gen ynl -ops): for every attribute
// set, a lazy view (XView, over an nla.Chain: typed accessors that read
// the attribute on each call, copy nothing and never panic) and an
// encoder (XEncoder, over an *nla.Encoder: one method per attribute,
// nests through a callback, values checked against the spec's enums and
// checks, a bad one recorded as the encoder's error so that nothing is
// sent); for every operation, a request builder (a genl.Request with the
// operation's command) and parsers of its replies and notifications that
// check the command and return the view. The constants come from the
// -consts/schema output of ynl.go, which the same package holds.
//
// Nothing here depends on one family: the ethtool package is its first
// user (bitsets and string sets are written by hand on top of the views).

import (
	"fmt"
	"go/format"
	"iter"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// opsSpec is what the typed generator reads beyond ynlSpec: the
// operations' attribute lists and the attributes' checks.
type opsSpec struct {
	AttributeSets []struct {
		Name       string    `yaml:"name"`
		Attributes []opsAttr `yaml:"attributes"`
	} `yaml:"attribute-sets"`
	Operations struct {
		List []struct {
			Name         string      `yaml:"name"`
			AttributeSet string      `yaml:"attribute-set"`
			Do           *opsMode    `yaml:"do"`
			Dump         *opsMode    `yaml:"dump"`
			Notify       string      `yaml:"notify"`
			Event        *opsAttrSel `yaml:"event"`
		} `yaml:"list"`
	} `yaml:"operations"`
}

type opsAttr struct {
	Name      string         `yaml:"name"`
	TypeValue []string       `yaml:"type-value"`
	Checks    map[string]any `yaml:"checks"`
}

type opsAttrSel struct {
	Attributes []string `yaml:"attributes"`
}

type opsMode struct {
	Request *opsAttrSel `yaml:"request"`
	Reply   *opsAttrSel `yaml:"reply"`
}

// opsReserved are method names a view or an encoder has of its own, or
// that would mislead (fmt's Stringer): an attribute so named gets "Attr"
// appended.
var opsReserved = map[string]bool{"Attrs": true, "Err": true, "String": true, "E": true, "Error": true, "Get": true, "All": true}

// opsScalar describes a fixed-width scalar type: its Go type, the
// nla.Attr accessor and the nla.Encoder method (with the conversion the
// encoder needs), and its width for arrays (binary with a sub-type).
type opsScalar struct {
	goType, get, put, conv string
	width                  int
}

// opsScalars are the scalar types by YNL name; big-endian variants are
// keyed with a "be" suffix.
var opsScalars = map[string]opsScalar{
	"u8":    {"uint8", "Uint8", "Uint8", "", 1},
	"s8":    {"int8", "Int8", "Uint8", "uint8", 1},
	"u16":   {"uint16", "Uint16", "Uint16", "", 2},
	"u16be": {"uint16", "Uint16BE", "Uint16BE", "", 2},
	"s16":   {"int16", "Int16", "Uint16", "uint16", 2},
	"u32":   {"uint32", "Uint32", "Uint32", "", 4},
	"u32be": {"uint32", "Uint32BE", "Uint32BE", "", 4},
	"s32":   {"int32", "Int32", "Int32", "", 4},
	"u64":   {"uint64", "Uint64", "Uint64", "", 8},
	"u64be": {"uint64", "Uint64BE", "Uint64BE", "", 8},
	"s64":   {"int64", "Int64", "Int64", "", 8},
}

func opsScalarOf(typ, byteOrder string) (opsScalar, bool) {
	if byteOrder == "big-endian" {
		if sc, ok := opsScalars[typ+"be"]; ok {
			return sc, true
		}
	}
	sc, ok := opsScalars[typ]
	return sc, ok
}

// opsGen is one run of the typed generator.
type opsGen struct {
	*ynlGen
	extra map[string]map[string]opsAttr // set -> attr -> what ynlAttr lacks
	out   *outBuf
	uses  map[string]bool // imports needed
	// schemas says the package has the sets' by-name schemas (ynl.go's
	// output without -consts): views get Get and All.
	schemas bool
}

// genYNLOps generates zynl_<family>_ops.go for the spec at specPath into
// package pkg; with schemas, the package also has the sets' schemas.
func genYNLOps(specPath, pkg string, schemas bool) (name string, src []byte, err error) {
	defer catchGenError(specPath, &err)
	g, err := loadYNL(specPath)
	if err != nil {
		return "", nil, err
	}
	if g.raw() {
		return "", nil, fmt.Errorf("%s: typed operations are generated for generic netlink families only", specPath)
	}
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return "", nil, err
	}
	var ospec opsSpec
	if err := yaml.Unmarshal(raw, &ospec); err != nil {
		return "", nil, fmt.Errorf("%s: %w", specPath, err)
	}
	o := &opsGen{ynlGen: g, extra: map[string]map[string]opsAttr{}, out: &outBuf{}, uses: map[string]bool{}, schemas: schemas}
	for _, s := range ospec.AttributeSets {
		m := map[string]opsAttr{}
		for _, a := range s.Attributes {
			m[a.Name] = a
		}
		o.extra[s.Name] = m
	}
	body := &outBuf{}
	o.out = body
	if schemas {
		o.uses["github.com/ipr-go/ipr/internal/schema"] = true
		body.add("// Value is an attribute reached by name through a view's Get or All")
		body.add("// (the names of the spec, dashes as underscores: \"dev_name\"); it")
		body.add("// aliases the message, as rtm.Value does.")
		body.add("type Value = schema.Value")
		body.add("")
	}
	for i := range g.spec.AttributeSets {
		o.emitView(&g.spec.AttributeSets[i])
		o.emitEncoder(&g.spec.AttributeSets[i])
	}
	if err := o.emitOps(&ospec); err != nil {
		return "", nil, fmt.Errorf("%s: %w", specPath, err)
	}
	head := &outBuf{}
	head.add("// Code generated by tools/gen (gen ynl -ops %s); DO NOT EDIT.", baseName(specPath))
	head.add("")
	head.add("// Typed views, encoders and requests of family %s, from its YNL spec.", g.spec.Name)
	head.add("")
	head.add("package %s", pkg)
	head.add("")
	head.add("import (")
	// The standard library's packages, then, after a blank line, the
	// module's, as goimports groups them (format.Source sorts within a
	// group only).
	var groups []string
	for _, group := range [][]string{
		{"encoding/binary", "fmt", "iter"},
		{"github.com/ipr-go/ipr/genl", "github.com/ipr-go/ipr/internal/schema", "github.com/ipr-go/ipr/nla"},
	} {
		var used []string
		for _, imp := range group {
			if o.uses[imp] {
				used = append(used, strconv.Quote(imp))
			}
		}
		if len(used) > 0 {
			groups = append(groups, "\t"+strings.Join(used, "\n\t"))
		}
	}
	head.add("%s", strings.Join(groups, "\n\n"))
	head.add(")")
	head.add("")
	all := append(head.lines, body.lines...)
	src, err = format.Source([]byte(strings.Join(all, "\n")))
	if err != nil {
		return "", nil, fmt.Errorf("%s: generated code does not parse: %w\n%s", specPath, err, strings.Join(all, "\n"))
	}
	return "zynl_" + strings.ReplaceAll(g.spec.Name, "-", "_") + "_ops.go", src, nil
}

// catchGenError, deferred, turns a failf panic into *err, naming the
// spec; other panics go on.
func catchGenError(specPath string, err *error) {
	if r := recover(); r != nil {
		ge, ok := r.(genError)
		if !ok {
			panic(r)
		}
		*err = fmt.Errorf("%s: %s", specPath, ge.msg)
	}
}

func baseName(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// typeName is the Go name of a set's view or encoder.
func typeName(set, suffix string) string { return goName(set) + suffix }

// methodName is the Go name of an attribute's accessor.
func methodName(attr string) string {
	n := goName(attr)
	if opsReserved[n] {
		n += "Attr"
	}
	return n
}

// constOf is the Go name of an attribute's type constant.
func (o *opsGen) constOf(set *ynlAttrSet, a string) string {
	return goName(cName(o.setPrefix(set), a))
}

// fullName is the set a subset's attributes are declared in.
func (o *opsGen) extraOf(set *ynlAttrSet, a string) opsAttr {
	name := set.Name
	if set.SubsetOf != "" {
		name = set.SubsetOf
	}
	return o.extra[name][a]
}

// methodAttrs yields the attributes of set that views and encoders have
// a method for (not the unused or pad ones), as their full set declares
// them.
func (o *opsGen) methodAttrs(set *ynlAttrSet) iter.Seq[ynlAttr] {
	return func(yield func(ynlAttr) bool) {
		for _, a := range set.Attributes {
			a = o.fullAttr(set, a)
			if a.Type == "unused" || a.Type == "pad" {
				continue
			}
			if !yield(a) {
				return
			}
		}
	}
}

// attrNames returns what the methods of attribute a of set are written
// from: the generator's extras, the method's name, the type constant,
// and how doc comments name the attribute ("dev-index (ETHTOOL_A_HEADER_DEV_INDEX)").
func (o *opsGen) attrNames(set *ynlAttrSet, a ynlAttr) (x opsAttr, m, c, what string) {
	return o.extraOf(set, a.Name), methodName(a.Name), o.constOf(set, a.Name),
		fmt.Sprintf("%s (%s)", a.Name, cName(o.setPrefix(set), a.Name))
}

func docLine(out *outBuf, prefix, doc string) {
	if d := comment(doc); d != "" {
		out.add("// %s %s", prefix, d)
	}
}

func (o *opsGen) emitView(set *ynlAttrSet) {
	out := o.out
	view := typeName(set.Name, "View")
	o.emitNlaType(view, []string{
		fmt.Sprintf("%s is a lazy view of attribute set %s: each accessor finds its", view, set.Name),
		"attribute in Attrs when called, copies nothing (strings excepted) and",
		"reports false for an attribute absent or of the wrong size.",
	}, "Attrs are the set's attributes, as received.", "Attrs nla.Chain")
	out.add("// Err reports whether the attributes are well formed (nla.Chain.Err).")
	out.add("func (v %s) Err() error { return v.Attrs.Err() }", view)
	out.add("")
	if o.schemas {
		sch := goIdent(set.Name, "schema")
		o.uses["iter"] = true
		out.add("// Get returns the attribute at path, by name (\"header\", \"dev_name\").")
		out.add("func (v %s) Get(path ...string) (Value, bool) {", view)
		out.add("\treturn schema.Lookup(%s, nil, v.Attrs, path)", sch)
		out.add("}")
		out.add("")
		out.add("// All yields every attribute, by name.")
		out.add("func (v %s) All() iter.Seq2[string, Value] { return schema.All(%s, v.Attrs) }", view, sch)
		out.add("")
	}
	for a := range o.methodAttrs(set) {
		x, m, c, what := o.attrNames(set, a)
		docLine(out, "//", a.Doc)
		switch {
		case len(x.TypeValue) > 0:
			// The kernel nests attributes whose types are the values of
			// x.TypeValue (ethtool's stats: the type is the statistic id),
			// one nest per value.
			out.add("// %s yields the contents of every %s: attributes typed by", m, what)
			out.add("// %s.", strings.Join(x.TypeValue, ", "))
			o.emitSeq(view, m, "nla.Chain", allOf(c), nil, "!yield(a.Nested())")
		case a.Type == "nest" && a.MultiAttr:
			nv := typeName(a.NestedAttributes, "View")
			out.add("// %s yields every %s, in order.", m, what)
			o.emitSeq(view, m, nv, allOf(c), nil, "!yield("+nv+"{a.Nested()})")
		case a.Type == "nest":
			nv := typeName(a.NestedAttributes, "View")
			out.add("// %s returns the nested %s.", m, what)
			out.add("func (v %s) %s() (%s, bool) {", view, m, nv)
			out.add("\ta, ok := v.Attrs.Get(%s)", c)
			out.add("\treturn %s{a.Nested()}, ok", nv)
			out.add("}")
		case a.Type == "indexed-array" && a.SubType == "nest":
			nv := typeName(a.NestedAttributes, "View")
			out.add("// %s yields the entries of the indexed array %s, in order.", m, what)
			o.emitSeq(view, m, nv, indexedEntries(c), nil, "!yield("+nv+"{e.Nested()})")
		case a.Type == "flag":
			out.add("// %s reports whether the flag %s is present.", m, what)
			out.add("func (v %s) %s() bool {", view, m)
			out.add("\t_, ok := v.Attrs.Get(%s)", c)
			out.add("\treturn ok")
			out.add("}")
		case a.Type == "string":
			out.add("// %s returns the string %s (a copy; %sBytes does not copy).", m, what, m)
			out.add("func (v %s) %s() (string, bool) {", view, m)
			out.add("\ta, ok := v.Attrs.Get(%s)", c)
			out.add("\tif !ok {")
			out.add("\t\treturn \"\", false")
			out.add("\t}")
			out.add("\ts, err := a.Text()")
			out.add("\treturn s, err == nil")
			out.add("}")
			out.add("")
			out.add("// %sBytes returns the string %s without its NUL, aliasing the message.", m, what)
			out.add("func (v %s) %sBytes() ([]byte, bool) {", view, m)
			out.add("\ta, ok := v.Attrs.Get(%s)", c)
			out.add("\tif !ok {")
			out.add("\t\treturn nil, false")
			out.add("\t}")
			out.add("\tb, err := a.TextBytes()")
			out.add("\treturn b, err == nil")
			out.add("}")
		case a.Type == "uint" || a.Type == "sint":
			t := "uint64"
			conv := ""
			if a.Type == "sint" {
				t, conv = "int64", "int64"
			}
			out.add("// %s returns %s (a variable-width %s: 4 or 8 bytes).", m, what, a.Type)
			out.add("func (v %s) %s() (%s, bool) {", view, m, t)
			out.add("\ta, ok := v.Attrs.Get(%s)", c)
			out.add("\tif !ok || len(a.Data) != 4 && len(a.Data) != 8 {")
			out.add("\t\treturn 0, false")
			out.add("\t}")
			out.add("\tu, err := a.Uint()")
			if conv != "" {
				out.add("\tif len(a.Data) == 4 {")
				out.add("\t\treturn int64(int32(uint32(u))), err == nil")
				out.add("\t}")
			}
			out.add("\treturn %s(u), err == nil", t)
			out.add("}")
		case (a.Type == "binary" && a.SubType != "") || (a.Type == "indexed-array" && a.SubType != ""):
			sc, ok := opsScalarOf(a.SubType, a.ByteOrder)
			if !ok {
				failf("attribute set %s, %s: sub-type %s", set.Name, a.Name, a.SubType)
			}
			if a.Type == "indexed-array" {
				out.add("// %s yields the entries of the indexed array %s (%s each), in order.", m, what, a.SubType)
				o.emitSeq(view, m, sc.goType, indexedEntries(c), []string{"x, err := e." + sc.get + "()"}, "err != nil || !yield(x)")
				break
			}
			o.uses["encoding/binary"] = true
			out.add("// %s yields the %s array %s, in order (a trailing partial", m, a.SubType, what)
			out.add("// element is ignored).")
			o.emitSeq(view, m, sc.goType, []string{
				fmt.Sprintf("a, _ := v.Attrs.Get(%s)", c),
				fmt.Sprintf("for b := a.Data; len(b) >= %d; b = b[%d:] {", sc.width, sc.width),
			}, nil, "!yield("+arrayElem(sc)+")")
		case a.Type == "binary" || a.Type == "bitfield32" || a.Type == "sub-message" || a.Type == "indexed-array":
			out.add("// %s returns the payload of %s, aliasing the message.", m, what)
			out.add("func (v %s) %s() ([]byte, bool) {", view, m)
			out.add("\ta, ok := v.Attrs.Get(%s)", c)
			out.add("\treturn a.Data, ok")
			out.add("}")
		default:
			sc, ok := opsScalarOf(a.Type, a.ByteOrder)
			if !ok {
				failf("attribute set %s, %s: type %s", set.Name, a.Name, a.Type)
			}
			if a.MultiAttr {
				out.add("// %s yields every %s, in order.", m, what)
				o.emitSeq(view, m, sc.goType, allOf(c), []string{"x, err := a." + sc.get + "()"}, "err != nil || !yield(x)")
				break
			}
			enum := ""
			if a.Enum != "" {
				enum = ", of " + a.Enum
			}
			out.add("// %s returns %s (%s%s).", m, what, a.Type, enum)
			out.add("func (v %s) %s() (%s, bool) {", view, m, sc.goType)
			out.add("\ta, ok := v.Attrs.Get(%s)", c)
			out.add("\tif !ok {")
			out.add("\t\treturn 0, false")
			out.add("\t}")
			out.add("\tx, err := a.%s()", sc.get)
			out.add("\treturn x, err == nil")
			out.add("}")
		}
		out.add("")
	}
}

// emitSeq writes method m of view, which returns an iter.Seq[elem]: loop
// opens the loop over what it yields (a for statement's header, after
// what it needs), body starts the loop's body, and the iteration ends
// when stop holds.
func (o *opsGen) emitSeq(view, m, elem string, loop, body []string, stop string) {
	o.uses["iter"] = true
	out := o.out
	out.add("func (v %s) %s() iter.Seq[%s] {", view, m, elem)
	out.add("\treturn func(yield func(%s) bool) {", elem)
	for _, l := range loop {
		out.add("\t\t%s", l)
	}
	for _, l := range body {
		out.add("\t\t\t%s", l)
	}
	out.add("\t\t\tif %s {", stop)
	out.add("\t\t\t\treturn")
	out.add("\t\t\t}")
	out.add("\t\t}")
	out.add("\t}")
	out.add("}")
}

// allOf is the loop of emitSeq over every attribute of type c, as a.
func allOf(c string) []string { return []string{"for a := range v.Attrs.AllOf(" + c + ") {"} }

// indexedEntries is the loop of emitSeq over the entries of the indexed
// array of type c, as e.
func indexedEntries(c string) []string {
	return []string{"a, _ := v.Attrs.Get(" + c + ")", "for e := range a.Nested().All() {"}
}

// arrayElem reads one element of a scalar array at the start of b.
func arrayElem(sc opsScalar) string {
	order := "binary.NativeEndian"
	if strings.HasSuffix(sc.get, "BE") {
		order = "binary.BigEndian"
	}
	switch sc.width {
	case 1:
		if sc.goType == "int8" {
			return "int8(b[0])"
		}
		return "b[0]"
	}
	read := fmt.Sprintf("%s.Uint%d(b)", order, 8*sc.width)
	if sc.goType[0] == 'u' {
		return read
	}
	return sc.goType + "(" + read + ")"
}

// enumCheck returns a Go condition true for a value outside the enum or
// flags definition name, and the values it allows, for the error.
func (o *opsGen) enumCheck(name, v string) (cond, allowed string) {
	d, ok := o.defs[name]
	if !ok {
		failf("enum %s is not defined", name)
	}
	var val int64
	if d.ValueStart != nil {
		val = *d.ValueStart
	}
	var vals []int64
	for _, e := range d.Entries {
		if e.Value != nil {
			val = *e.Value
		}
		vals = append(vals, val)
		val++
	}
	if d.Type == "flags" {
		var mask int64
		for _, b := range vals {
			mask |= 1 << b
		}
		return fmt.Sprintf("%s&^%#x != 0", v, mask), fmt.Sprintf("flags %#x", mask)
	}
	if len(vals) == 0 {
		return "", "" // an enum the spec leaves open (ethtool's stringset)
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	// Contiguous runs as ranges.
	var conds, shown []string
	for i := 0; i < len(vals); {
		j := i
		for j+1 < len(vals) && vals[j+1] == vals[j]+1 {
			j++
		}
		if i == j {
			conds = append(conds, fmt.Sprintf("%s != %d", v, vals[i]))
			shown = append(shown, strconv.FormatInt(vals[i], 10))
		} else {
			lo := fmt.Sprintf("%s < %d || ", v, vals[i])
			if vals[i] == 0 {
				lo = "" // unsigned
			}
			conds = append(conds, fmt.Sprintf("(%s%s > %d)", lo, v, vals[j]))
			shown = append(shown, fmt.Sprintf("%d-%d", vals[i], vals[j]))
		}
		i = j + 1
	}
	return strings.Join(conds, " && "), "one of " + strings.Join(shown, ", ")
}

// limit is a check's bound: a number, or one of YNL's named limits.
func limit(v any) (string, bool) {
	switch l := v.(type) {
	case int:
		return strconv.Itoa(l), true
	case string:
		switch l {
		case "u8-max", "u16-max", "u32-max", "u64-max", "s8-max", "s16-max", "s32-max", "s64-max",
			"s8-min", "s16-min", "s32-min", "s64-min":
			return "", false // the type's own bounds: nothing to check
		}
	}
	return "", false
}

// emitNlaType writes the declaration of name, under the comment lines
// doc: a struct of one field, decl (of an nla type), documented by
// fieldDoc.
func (o *opsGen) emitNlaType(name string, doc []string, fieldDoc, decl string) {
	o.uses["github.com/ipr-go/ipr/nla"] = true
	for _, l := range doc {
		o.out.add("// " + l)
	}
	o.out.add("type %s struct {", name)
	o.out.add("\t// " + fieldDoc)
	o.out.add("\t" + decl)
	o.out.add("}")
	o.out.add("")
}

// emitNestMethod writes method m of encoder enc, which appends the nest
// c, its contents written by f, a func(param) called with arg.
func (o *opsGen) emitNestMethod(enc, m, c, param, arg string) {
	o.out.add("func (e %s) %s(f func(%s)) {", enc, m, param)
	o.out.add("\tn := e.E.BeginNest(%s)", c)
	o.out.add("\tif f != nil {")
	o.out.add("\t\tf(%s)", arg)
	o.out.add("\t}")
	o.out.add("\te.E.EndNest(n)")
	o.out.add("}")
}

func (o *opsGen) emitEncoder(set *ynlAttrSet) {
	out := o.out
	enc := typeName(set.Name, "Encoder")
	o.emitNlaType(enc, []string{
		fmt.Sprintf("%s appends attributes of set %s to E. Values the spec rules", enc, set.Name),
		"out are recorded as E's error (nla.Encoder.Fail), so that the",
		"request is refused before it is sent.",
	}, "E is the encoder appended to.", "E *nla.Encoder")
	for a := range o.methodAttrs(set) {
		x, m, c, what := o.attrNames(set, a)
		switch {
		case len(x.TypeValue) > 0 || a.Type == "indexed-array" || a.Type == "sub-message":
			out.add("// %s appends %s, its nested attributes written by f.", m, what)
			o.emitNestMethod(enc, m, c, "*nla.Encoder", "e.E")
		case a.Type == "nest":
			ne := typeName(a.NestedAttributes, "Encoder")
			multi := ""
			if a.MultiAttr {
				multi = " (once per call: the attribute repeats)"
			}
			out.add("// %s appends the nest %s%s, its attributes written by f.", m, what, multi)
			o.emitNestMethod(enc, m, c, ne, ne+"{e.E}")
		case a.Type == "flag":
			out.add("// %s appends the flag %s.", m, what)
			out.add("func (e %s) %s() { e.E.Flag(%s) }", enc, m, c)
		case a.Type == "string":
			out.add("// %s appends the string %s.", m, what)
			out.add("func (e %s) %s(s string) {", enc, m)
			o.emitMaxLen(a.Name, x, "s")
			out.add("\te.E.String(%s, s)", c)
			out.add("}")
		case a.Type == "binary" && a.SubType != "":
			sc, _ := opsScalarOf(a.SubType, a.ByteOrder)
			o.uses["encoding/binary"] = true
			order := "binary.NativeEndian"
			if strings.HasSuffix(sc.get, "BE") {
				order = "binary.BigEndian"
			}
			out.add("// %s appends the %s array %s.", m, a.SubType, what)
			out.add("func (e %s) %s(v []%s) {", enc, m, sc.goType)
			out.add("\tb := make([]byte, 0, %d*len(v))", sc.width)
			out.add("\tfor _, x := range v {")
			switch sc.width {
			case 1:
				out.add("\t\tb = append(b, byte(x))")
			case 2:
				out.add("\t\tb = %s.AppendUint16(b, uint16(x))", order)
			case 4:
				out.add("\t\tb = %s.AppendUint32(b, uint32(x))", order)
			default:
				out.add("\t\tb = %s.AppendUint64(b, uint64(x))", order)
			}
			out.add("\t}")
			out.add("\te.E.Binary(%s, b)", c)
			out.add("}")
		case a.Type == "binary" || a.Type == "bitfield32":
			out.add("// %s appends the payload of %s.", m, what)
			out.add("func (e %s) %s(b []byte) {", enc, m)
			o.emitMaxLen(a.Name, x, "b")
			out.add("\te.E.Binary(%s, b)", c)
			out.add("}")
		case a.Type == "uint" || a.Type == "sint":
			t, put8, put4, conv4 := "uint64", "Uint64", "Uint32", "uint32(v)"
			fits := "v <= 0xffffffff"
			if a.Type == "sint" {
				t, put8, put4, conv4 = "int64", "Int64", "Int32", "int32(v)"
				fits = "v >= -1<<31 && v < 1<<31"
			}
			out.add("// %s appends %s in 4 bytes when it fits, else 8 (%s).", m, what, a.Type)
			out.add("func (e %s) %s(v %s) {", enc, m, t)
			o.emitChecks(a, x, "v")
			out.add("\tif %s {", fits)
			out.add("\t\te.E.%s(%s, %s)", put4, c, conv4)
			out.add("\t\treturn")
			out.add("\t}")
			out.add("\te.E.%s(%s, v)", put8, c)
			out.add("}")
		default:
			sc, ok := opsScalarOf(a.Type, a.ByteOrder)
			if !ok {
				failf("attribute set %s, %s: type %s", set.Name, a.Name, a.Type)
			}
			out.add("// %s appends %s.", m, what)
			out.add("func (e %s) %s(v %s) {", enc, m, sc.goType)
			o.emitChecks(a, x, "v")
			if sc.conv != "" {
				out.add("\te.E.%s(%s, %s(v))", sc.put, c, sc.conv)
			} else {
				out.add("\te.E.%s(%s, v)", sc.put, c)
			}
			out.add("}")
		}
		out.add("")
	}
}

// emitMaxLen writes the max-len check, if the spec has one, of the
// string or bytes v.
func (o *opsGen) emitMaxLen(name string, x opsAttr, v string) {
	ml, ok := limit(x.Checks["max-len"])
	if !ok {
		return
	}
	o.uses["fmt"] = true
	o.out.add("\tif len(%s) > %s {", v, ml)
	o.out.add("\t\te.E.Fail(fmt.Errorf(\"%s: %%d bytes, at most %s\", len(%s)))", name, ml, v)
	o.out.add("\t\treturn")
	o.out.add("\t}")
}

// emitChecks writes the enum and range checks of an integer attribute.
func (o *opsGen) emitChecks(a ynlAttr, x opsAttr, v string) {
	out := o.out
	if a.Enum != "" {
		if cond, allowed := o.enumCheck(a.Enum, v); cond != "" {
			o.uses["fmt"] = true
			out.add("\tif %s {", cond)
			out.add("\t\te.E.Fail(fmt.Errorf(\"%s: %%d is not in %s (%s)\", %s))", a.Name, a.Enum, allowed, v)
			out.add("\t\treturn")
			out.add("\t}")
		}
	}
	if lo, ok := limit(x.Checks["min"]); ok && lo != "0" {
		o.uses["fmt"] = true
		out.add("\tif %s < %s {", v, lo)
		out.add("\t\te.E.Fail(fmt.Errorf(\"%s: %%d is below the minimum %s\", %s))", a.Name, lo, v)
		out.add("\t\treturn")
		out.add("\t}")
	}
	if hi, ok := limit(x.Checks["max"]); ok {
		o.uses["fmt"] = true
		out.add("\tif %s > %s {", v, hi)
		out.add("\t\te.E.Fail(fmt.Errorf(\"%s: %%d is above the maximum %s\", %s))", a.Name, hi, v)
		out.add("\t\treturn")
		out.add("\t}")
	}
}

func (o *opsGen) emitOps(spec *opsSpec) error {
	ops, err := numberOps(o.spec.Operations)
	if err != nil {
		return err
	}
	if len(ops) != len(spec.Operations.List) {
		return fmt.Errorf("operations: %d numbered, %d read", len(ops), len(spec.Operations.List))
	}
	prefix := o.opPrefix()
	setOf := map[string]string{} // op -> its attribute set
	for _, op := range spec.Operations.List {
		setOf[op.Name] = op.AttributeSet
	}
	out := o.out
	for i, nv := range ops {
		op := spec.Operations.List[i]
		reqConst := goName(cName(prefix, nv.op.Name))
		rspConst := reqConst
		if nv.rsp >= 0 && nv.req >= 0 && nv.rsp != nv.req {
			rspConst = goName(cName(prefix, nv.op.Name, "-reply"))
		}
		base := goName(nv.op.Name)
		set := op.AttributeSet
		if op.Notify != "" {
			set = setOf[op.Notify]
		}
		if set == "" {
			continue // an operation without attributes of its own
		}
		if _, ok := o.sets[set]; !ok {
			return fmt.Errorf("operation %s: attribute set %q is not defined", op.Name, set)
		}
		view, enc := typeName(set, "View"), typeName(set, "Encoder")
		mode := op.Do
		if mode == nil {
			mode = op.Dump
		}
		if mode != nil && nv.req >= 0 {
			o.uses["github.com/ipr-go/ipr/genl"] = true
			var attrs []string
			if mode.Request != nil {
				attrs = mode.Request.Attributes
			}
			var how []string
			if op.Do != nil {
				how = append(how, "Do or Query")
			}
			if op.Dump != nil {
				how = append(how, "Dump")
			}
			out.add("// %sRequest returns the request of %s (%s) for genl.Handle's", base, nv.op.Name, cName(prefix, nv.op.Name))
			out.add("// %s; attrs, if not nil, writes its attributes (the spec's:", strings.Join(how, " and "))
			out.add("// %s).", orNone(attrs))
			docLine(out, "//", nv.op.Doc)
			out.add("func %sRequest(attrs func(%s)) genl.Request {", base, enc)
			out.add("\tr := genl.Request{Command: %s}", reqConst)
			out.add("\tif attrs != nil {")
			out.add("\t\tr.Attrs = func(e *nla.Encoder) { attrs(%s{e}) }", enc)
			out.add("\t}")
			out.add("\treturn r")
			out.add("}")
			out.add("")
		}
		var parse, msgConst, what string
		switch {
		case mode != nil && mode.Reply != nil:
			parse, msgConst, what = "Parse"+base+"Reply", rspConst, "a reply of "+nv.op.Name
		case op.Notify != "" || op.Event != nil:
			parse, msgConst, what = "Parse"+base, rspConst, "a "+nv.op.Name+" notification"
		default:
			continue
		}
		cmsg := cName(prefix, nv.op.Name)
		if rspConst != reqConst {
			cmsg = cName(prefix, nv.op.Name, "-reply")
		}
		o.uses["github.com/ipr-go/ipr/genl"] = true
		o.uses["fmt"] = true
		out.add("// %s returns the view of m, %s (%s).", parse, what, cmsg)
		out.add("func %s(m genl.Message) (%s, error) {", parse, view)
		out.add("\tif m.Command != %s {", msgConst)
		out.add("\t\treturn %s{}, fmt.Errorf(\"%s: %s: command %%d, want %%d\", m.Command, %s)", view, o.spec.Name, what, msgConst)
		out.add("\t}")
		out.add("\treturn %s{m.Attrs}, nil", view)
		out.add("}")
		out.add("")
	}
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
