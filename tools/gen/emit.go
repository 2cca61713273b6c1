package main

// Writing schemas as values of package internal/schema (schema.Schema,
// schema.Attr, schema.Choice, the kind constants): plain composite literals of pointers,
// slices and strings, which the compiler lays out as static data.

import (
	"fmt"
	"strconv"
	"strings"
)

func q(s string) string { return `"` + s + `"` }

func specExpr(name string, sp *rspec) string {
	switch {
	case sp.kind == "nested" && (sp.byKindVar != "" || sp.byType != nil):
		m := sp.byKindVar
		if m == "" {
			m = goIdent(name, "by_type")
		}
		num := ""
		if sp.numeric {
			num = ", NumericSibling: true"
		}
		return fmt.Sprintf("{Name: %s, Kind: schema.Nested, Sibling: %d, ByKind: %s%s}", q(name), sp.siblingValue, m, num)
	case sp.kind == "nested":
		return fmt.Sprintf("{Name: %s, Kind: schema.Nested, Nested: %s}", q(name), sp.nested.goName)
	case sp.kind == "struct":
		return fmt.Sprintf("{Name: %s, Kind: schema.Struct, Fields: %s}", q(name), sp.strct.goName)
	}
	k, ok := goKind[sp.kind]
	if !ok {
		failf("%s: unknown kind %s", name, sp.kind)
	}
	return fmt.Sprintf("{Name: %s, Kind: %s}", q(name), k)
}

type outBuf struct {
	lines []string
	// tables are the schemas emitted so far, by their attribute table
	// (what emitSchema writes between Name and the end, comments aside),
	// so that a schema with the same attributes as an earlier one shares
	// its table instead of repeating it.
	tables map[string]*emittedSchema
}

// emittedSchema is a schema emitSchema wrote, as a single element of
// outBuf.lines that a later schema with the same table rewrites.
type emittedSchema struct {
	goName, name string
	line         int      // its index in outBuf.lines
	attrs        []string // its Attrs and ByName lines
	shared       bool     // its table is a variable of its own
}

func (o *outBuf) add(format string, args ...any) {
	if len(args) == 0 {
		o.lines = append(o.lines, format)
		return
	}
	o.lines = append(o.lines, fmt.Sprintf(format, args...))
}

// emitKinds writes a []schema.Choice in the byte order of its keys, for
// schema.Choices.Find.
func emitKinds(out *outBuf, v string, pairs map[string]string) {
	out.add("var %s = []schema.Choice{", v)
	for _, k := range sortedKeys(pairs) {
		out.add("\t{Key: %s, Schema: %s},", q(k), pairs[k])
	}
	out.add("}")
	out.add("")
}

func emitSchema(out *outBuf, s *rschema, owners map[string]bool) {
	// Plain composite literals of pointers, slices and strings: the
	// compiler lays them out as static data, so nothing runs at package
	// init and a program that never names attributes links none of it.
	names := map[string]int64{}
	values := map[int64]bool{}
	for _, e := range s.entries {
		if _, dup := names[e.name]; dup || values[e.value] {
			failf("schema %s: duplicate attribute %s (%d)", s.goName, e.name, e.value)
		}
		names[e.name] = e.value
		values[e.value] = true
	}
	var table outBuf // the Attrs and ByName of the literal
	var key strings.Builder
	table.add("\tAttrs: []schema.Attr{")
	for _, e := range s.entries {
		comment := ""
		if e.cname != "" {
			comment = "  // " + e.cname
		}
		if e.spec.note != "" {
			comment += ": " + e.spec.note
		}
		expr := specExpr(e.name, e.spec)
		table.add("\t\t%d: %s,%s", e.value, expr, comment)
		fmt.Fprintf(&key, "%d: %s\n", e.value, expr)
	}
	table.add("\t},")
	var order []string
	for _, n := range sortedKeys(names) {
		order = append(order, strconv.FormatInt(names[n], 10))
	}
	table.add("\tByName: []uint16{")
	for i := 0; i < len(order); i += 16 {
		table.add("\t\t" + strings.Join(order[i:min(i+16, len(order))], ", ") + ",")
	}
	table.add("\t},")
	if first := out.tables[key.String()]; first != nil {
		out.shareTable(first)
		base := tableBase(first.goName)
		out.add("// %s has the attributes of %s.", s.goName, first.goName)
		out.add("var %s = &schema.Schema{Name: %s, Attrs: %sAttrs, ByName: %sByName}", s.goName, q(s.name), base, base)
		out.add("")
	} else {
		if out.tables == nil {
			out.tables = map[string]*emittedSchema{}
		}
		out.tables[key.String()] = &emittedSchema{goName: s.goName, name: s.name, line: len(out.lines), attrs: table.lines}
		out.add("var %s = &schema.Schema{\n\tName: %s,\n%s\n}\n", s.goName, q(s.name), strings.Join(table.lines, "\n"))
	}
	for _, e := range s.entries {
		if e.spec.byType != nil {
			m := goIdent(e.name, "by_type")
			if owners[m] {
				continue
			}
			owners[m] = true
			out.add("// %s picks the schema of %s by %s%s.", m, e.cname, e.spec.sibling, e.spec.byTypeNote)
			emitKinds(out, m, e.spec.byType)
		}
	}
}

// shareTable rewrites the schema first, whose attributes a later schema
// has too, so that its table is variables the later one can name: still
// composite literals, laid out as static data.
func (o *outBuf) shareTable(first *emittedSchema) {
	if first.shared {
		return
	}
	first.shared = true
	base := tableBase(first.goName)
	var b outBuf
	b.add("// The table of %s, shared by the schemas", first.goName)
	b.add("// with the same attributes.")
	for _, l := range first.attrs {
		switch l {
		case "\tAttrs: []schema.Attr{":
			b.add("var %sAttrs = []schema.Attr{", base)
		case "\tByName: []uint16{":
			b.add("var %sByName = []uint16{", base)
		case "\t},":
			b.add("}")
			b.add("")
		default:
			b.add(strings.TrimPrefix(l, "\t"))
		}
	}
	b.add("var %s = &schema.Schema{Name: %s, Attrs: %sAttrs, ByName: %sByName}", first.goName, q(first.name), base, base)
	o.lines[first.line] = strings.Join(b.lines, "\n") + "\n"
}

// tableBase names the variables of a shared table after the schema's
// variable: vtiDataSchema's are vtiDataAttrs and vtiDataByName.
func tableBase(goName string) string { return strings.TrimSuffix(goName, "Schema") }

func emitStruct(out *outBuf, st *rstruct) {
	out.add("var %s = []schema.Attr{", st.goName)
	for _, f := range st.fields {
		out.add("\t{Name: %s, Kind: %s, Off: %d},", q(f.name), goKind[f.kind], f.off)
	}
	out.add("}")
	out.add("")
}

// schemaImport is the import of the package the emitted schemas are values of.
const schemaImport = `import "github.com/ipr-go/ipr/internal/schema"`
