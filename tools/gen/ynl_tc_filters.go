package main

import (
	"sort"
	"strconv"
)

// By-name access to the actions of tc's filters and to cake's tin
// statistics: tc.yaml declares them as indexed arrays of nests (the
// entry at type i is the i-th action, its attributes tc-act-attrs), a
// shape internal/schema has no kind for. An indexed array of a known
// bound becomes a nest whose attributes are named by their position
// ("1", "2", ...), each of the element's schema: a filter's first
// action's kind is Get("options", "act", "1", "kind").

// indexedArrayLen is the number of entries of the indexed arrays of
// nested set nested in spec that read by name, from the kernel's bound;
// 0 for the arrays that stay bytes.
func indexedArrayLen(spec, nested string) int {
	if spec != "tc" {
		return 0
	}
	switch nested {
	case "tc-act-attrs":
		return 32 // TCA_ACT_MAX_PRIO
	case "tc-cake-tin-stats-attrs":
		return 8 // TC_CAKE_MAX_TINS
	}
	return 0
}

// indexedArraySpec is the schema entry of an indexed array of nests that
// reads by position; false for other attributes.
func (g *ynlGen) indexedArraySpec(a ynlAttr) (*rspec, bool, error) {
	if a.Type != "indexed-array" || a.SubType != "nest" {
		return nil, false, nil
	}
	n := indexedArrayLen(g.spec.Name, a.NestedAttributes)
	if n == 0 {
		return nil, false, nil
	}
	goName := goIdent(a.NestedAttributes+"-array", "schema")
	s, ok := g.schemas[goName]
	if !ok {
		elem, err := g.schemaOf(a.NestedAttributes)
		if err != nil {
			return nil, true, err
		}
		s = &rschema{goName: goName, name: attrName(a.NestedAttributes + "-array")}
		g.schemas[goName] = s
		for i := 1; i <= n; i++ {
			s.entries = append(s.entries, rentry{int64(i), "", strconv.Itoa(i), &rspec{kind: "nested", nested: elem}})
		}
	}
	return &rspec{kind: "nested", nested: s, note: "indexed array of " + a.NestedAttributes + ", by position"}, true, nil
}

// indexedArraySchemas returns the schemas indexedArraySpec made, in the
// order of their names, to emit after the spec's own.
func (g *ynlGen) indexedArraySchemas() []*rschema {
	var out []*rschema
	for _, set := range g.spec.AttributeSets {
		for _, a := range set.Attributes {
			if a.Type != "indexed-array" || indexedArrayLen(g.spec.Name, a.NestedAttributes) == 0 {
				continue
			}
			if s, ok := g.schemas[goIdent(a.NestedAttributes+"-array", "schema")]; ok {
				out = append(out, s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].goName < out[j].goName })
	uniq := out[:0]
	for i, s := range out {
		if i == 0 || out[i-1] != s {
			uniq = append(uniq, s)
		}
	}
	return uniq
}
