package main

import (
	"go/format"
	"strings"
	"testing"
)

// TestEmitSharesTables: a schema with the attributes of an earlier one
// (names, kinds and values; the C names in comments aside) names the
// earlier one's table, which becomes variables of its own; a schema that
// differs in one kind keeps its own literal, and the output compiles
// against internal/schema.
func TestEmitSharesTables(t *testing.T) {
	entries := func(prefix, kind string) []rentry {
		return []rentry{
			{1, prefix + "_FD", "fd", &rspec{kind: "u32"}},
			{2, prefix + "_NAME", "name", &rspec{kind: kind}},
		}
	}
	out := &outBuf{}
	out.add("package golden\n\n" + schemaImport + "\n")
	owners := map[string]bool{}
	emitSchema(out, &rschema{goName: "bpfInSchema", name: "in", entries: entries("IN", "string")}, owners)
	emitSchema(out, &rschema{goName: "otherSchema", name: "other", entries: entries("OTHER", "u8")}, owners)
	emitSchema(out, &rschema{goName: "bpfOutSchema", name: "out", entries: entries("OUT", "string")}, owners)
	emitSchema(out, &rschema{goName: "bpfXmitSchema", name: "xmit", entries: entries("XMIT", "string")}, owners)
	src, err := format.Source([]byte(strings.Join(out.lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for _, want := range []string{
		"var bpfInAttrs = []schema.Attr{",
		"var bpfInByName = []uint16{",
		`var bpfInSchema = &schema.Schema{Name: "in", Attrs: bpfInAttrs, ByName: bpfInByName}`,
		`var bpfOutSchema = &schema.Schema{Name: "out", Attrs: bpfInAttrs, ByName: bpfInByName}`,
		`var bpfXmitSchema = &schema.Schema{Name: "xmit", Attrs: bpfInAttrs, ByName: bpfInByName}`,
		"var otherSchema = &schema.Schema{\n\tName: \"other\",\n\tAttrs: []schema.Attr{",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "IN_FD"); n != 1 || strings.Contains(s, "OUT_FD") {
		t.Errorf("the shared table is written %d times, or the later schema's own:\n%s", n, s)
	}
	typeCheck(t, "shared.go", src)
}
