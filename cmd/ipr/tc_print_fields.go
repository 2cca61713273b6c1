package main

// Table-driven printing of the kinds whose options are a list of u32
// attributes, each printed one way (tc's q_pie.c, q_fq_pie.c, ...).

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// fieldHow is how tc prints one attribute.
type fieldHow uint8

const (
	fieldUint fieldHow = iota // print_uint(PRINT_ANY)
	fieldTime                 // a number in JSON, sprint_time in text
	fieldSize                 // print_size
	fieldFlag                 // print_bool if not zero
)

// tcField is one attribute of a kind's options, in tc's order.
type tcField struct {
	typ       uint16
	key, text string
	how       fieldHow
}

// printFields prints the u32 attributes of opts listed in fields, as
// tc does: absent or short ones are skipped.
func printFields(p *printer, opts nla.Chain, fields []tcField) {
	for _, f := range fields {
		a, ok := opts.Get(f.typ)
		if !ok || len(a.Data) < 4 {
			continue
		}
		v := attrU32(a)
		switch f.how {
		case fieldUint:
			p.uint(f.key, f.text, uint64(v))
		case fieldTime:
			tcTime(p, f.key, f.text, tc.Time(v))
		case fieldSize:
			tcSize(p, f.key, f.text, v)
		case fieldFlag:
			if v != 0 {
				p.boolean(f.key, f.text, true)
			}
		}
	}
}
