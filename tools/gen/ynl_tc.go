package main

import (
	"fmt"
	"strings"
)

// What the generator needs for the kernel's tc.yaml (netlink-raw, with
// sub-messages selected by TCA_KIND).

// outerSelectorSpec is the schema entry of a sub-message attribute whose
// selector is not in its own attribute set but in an enclosing one:
// tca-stats-attrs' app (the kind's extended statistics) is picked by
// tc-attrs' kind, two levels up. internal/schema picks a choice by a
// sibling only, so such an attribute reads as bytes, which the kind's
// own decoder interprets (rtm/tc: Object.XStats).
func outerSelectorSpec(a ynlAttr) *rspec {
	return &rspec{kind: "binary", note: "sub-message " + a.SubMessage + " selected by the enclosing set's " + a.Selector + ": bytes"}
}

// subMessageSkipped reports whether a format of a sub-message has no
// schema of attributes: one with a fixed header, alone (the fifo's
// struct) or before attributes (netem's), whose attributes do not start
// at the payload's start, where internal/schema reads them. Such
// payloads read as bytes; rtm/tc's kind types decode them.
func subMessageSkipped(attributeSet, fixedHeader string) bool {
	return attributeSet == "" || strings.TrimSpace(fixedHeader) != ""
}

// outerSelector reports whether some attribute set has an attribute
// named sel: a selector that an enclosing set holds.
func (g *ynlGen) outerSelector(sel string) bool {
	for _, vals := range g.values {
		if _, ok := vals[sel]; ok {
			return true
		}
	}
	return false
}

// unsizedMember sizes a binary struct member without a len that names a
// struct: tc's tc_pedit_sel keys, a flexible array typed by the struct of
// one element, reads as its first element.
func (g *ynlGen) unsizedMember(m ynlMember, last bool) (int64, error) {
	if m.Struct == "" {
		return 0, fmt.Errorf("no len")
	}
	d, ok := g.defs[m.Struct]
	if !ok || d.Type != "struct" {
		return 0, fmt.Errorf("struct %s is not defined", m.Struct)
	}
	var size int64
	for i, f := range d.Members {
		n := map[string]int64{"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "u64": 8, "s64": 8}[f.Type]
		if n == 0 {
			var err error
			if n, err = g.length(f.Len); err != nil && f.Len == nil {
				n, err = g.unsizedMember(f, i == len(d.Members)-1)
			}
			if err != nil {
				return 0, err
			}
		}
		size += n
	}
	return size, nil
}

// rawSetPrefix is the C prefix of the attributes of a set of a
// netlink-raw spec that names them plainly ("kind"), as tc.yaml does:
// tc-attrs' are TCA_, tc-htb-attrs' TCA_HTB_, tca-stats-attrs'
// TCA_STATS_. Other raw specs (rt-addr) name them in full.
func rawSetPrefix(spec, set string) (string, bool) {
	if spec != "tc" {
		return "", false
	}
	name := strings.TrimSuffix(set, "-attrs")
	if !strings.HasPrefix(name, "tca") {
		name = "tca" + strings.TrimPrefix(name, "tc")
	}
	return name + "-", true
}

// selfNestSpec is the schema entry of a nest of the set's own attributes
// (tc-ets-attrs' quanta and priomap hold quanta-band and priomap-band):
// a schema cannot point at itself in static data (Go reports an
// initialization cycle), so it reads as bytes.
func selfNestSpec(a ynlAttr) *rspec {
	return &rspec{kind: "binary", note: "nest of its own set " + a.NestedAttributes + ": bytes"}
}
