package main

// "ipr ioam": IPv6 IOAM namespaces and schemas (the IOAM6
// generic-netlink family), as iproute2 6.1's ipioam6.c reads its command
// line and prints them. ip 6.1 has no "ioam monitor".

import (
	"math/bits"
	"strconv"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ioam6"
)

// ioamUsage is ipioam6.c's usage text, whose lines start with a tab.
const ioamUsage = "Usage:\tipr ioam { COMMAND | help }\n" +
	"\tipr ioam namespace show\n" +
	"\tipr ioam namespace add ID [ data DATA32 ] [ wide DATA64 ]\n" +
	"\tipr ioam namespace del ID\n" +
	"\tipr ioam schema show\n" +
	"\tipr ioam schema add ID DATA\n" +
	"\tipr ioam schema del ID\n" +
	"\tipr ioam namespace set ID schema { ID | none }\n"

// ioamCommands are do_ioam6's objects and their commands, each word
// accepted only in full (ip compares them with strcmp); a command's run
// reads the words after it.
var ioamCommands = [...]struct {
	object, command string
	run             func(e *env, a *args) error
}{
	{"namespace", "show", func(e *env, _ *args) error {
		return genlShow(e, ioam6.Namespaces, ioamPrintNamespace)
	}},
	{"namespace", "add", ioamNamespaceAdd},
	{"namespace", "del", func(e *env, a *args) error {
		return ioamDelete(e, a, 16, "Invalid namespace ID", func(id uint64) genl.Request { return ioam6.DeleteNamespace(uint16(id)) })
	}},
	{"namespace", "set", ioamNamespaceSet},
	{"schema", "show", func(e *env, _ *args) error { return genlShow(e, ioam6.Schemas, ioamPrintSchema) }},
	{"schema", "add", ioamSchemaAdd},
	{"schema", "del", func(e *env, a *args) error {
		return ioamDelete(e, a, 32, "Invalid schema ID", func(id uint64) genl.Request { return ioam6.DeleteSchema(uint32(id)) })
	}},
}

// ioamDelete is "namespace del ID" and "schema del ID": the request del
// makes of the id of bits bits that a starts with (msg is ip's word for
// an id it refuses).
func ioamDelete(e *env, a *args, bits int, msg string, del func(id uint64) genl.Request) error {
	id, err := a.uintWith("", getUint, bits, msg)
	if err != nil {
		return err
	}
	return ioamDo(e, del(id))
}

// runIOAM is ipioam6.c's do_ioam6: the words are read in full before the
// family is resolved, and words after a command's last are ignored, as
// ip ignores them.
func runIOAM(e *env, argv []string) error {
	if len(argv) == 0 || argv[0] == "help" {
		return usageText(ioamUsage)
	}
	if argv[0] != "namespace" && argv[0] != "schema" {
		return invarg("Unknown", argv[0])
	}
	if len(argv) < 2 {
		return errIncomplete
	}
	for _, c := range ioamCommands {
		if argv[0] == c.object && argv[1] == c.command {
			return c.run(e, &args{list: argv[2:]})
		}
	}
	return invarg("Unknown", argv[1])
}

// ioamNamespaceAdd is "namespace add ID [ data DATA32 ] [ wide DATA64 ]":
// as ip reads it, wide may follow data but not precede it, words after
// wide are ignored, and the wide data is hexadecimal, with or without
// its 0x.
func ioamNamespaceAdd(e *env, a *args) error {
	id, err := a.uintWith("", getUint, 16, "Invalid namespace ID")
	if err != nil {
		return err
	}
	s := ioam6.NamespaceSpec{ID: uint16(id)}
	wide := func() (err error) {
		s.DataWide = new(uint64)
		*s.DataWide, err = a.uintWith("wide", cHexUint, 64, "Invalid wide data")
		return err
	}
	if a.more() {
		switch w := a.advance(); w {
		case "data":
			d, err := a.uintWith(w, getUint, 32, "Invalid data")
			if err != nil {
				return err
			}
			s.Data = new(uint32)
			*s.Data = uint32(d)
		case "wide":
			err = wide()
		default:
			err = invarg("Invalid argument", w)
		}
	}
	if err == nil && a.more() {
		if w := a.advance(); s.Data == nil || w != "wide" {
			return invarg("Unexpected argument", w)
		}
		err = wide()
	}
	if err != nil {
		return err
	}
	return ioamDo(e, ioam6.AddNamespace(s))
}

// ioamNamespaceSet is "namespace set ID schema { ID | none }".
func ioamNamespaceSet(e *env, a *args) error {
	id, err := a.uintWith("", getUint, 16, "Invalid namespace ID")
	if err != nil {
		return err
	}
	w, err := a.value("")
	switch {
	case err != nil:
		return err
	case w != "schema":
		return invarg("Unknown", w)
	case a.more() && a.peek() == "none":
		return ioamDo(e, ioam6.DetachNamespaceSchema(uint16(id)))
	}
	sc, err := a.uintWith(w, getUint, 32, "Invalid schema ID")
	if err != nil {
		return err
	}
	return ioamDo(e, ioam6.SetNamespaceSchema(uint16(id), uint32(sc)))
}

// ioamSchemaAdd is "schema add ID DATA": the data is the word's bytes.
func ioamSchemaAdd(e *env, a *args) error {
	id, err := a.uintWith("", getUint, 32, "Invalid schema ID")
	if err != nil {
		return err
	}
	data, err := a.value("")
	if err != nil {
		return err
	}
	req, err := ioam6.AddSchema(uint32(id), []byte(data))
	if err != nil {
		return invarg("Schema DATA too big", data)
	}
	return ioamDo(e, req)
}

// ioamDo sends a change (genlDo).
func ioamDo(e *env, req genl.Request) error { return genlDo(e, ioam6.FamilyName, req) }

// ioamPrintNamespace is print_namespace.
func ioamPrintNamespace(p *printer, ns ioam6.Namespace) {
	p.openObject("")
	p.uintAround("namespace", "namespace ", uint64(ns.ID()), "")
	if sc, ok := ns.Schema(); ok {
		p.uintAround("schema", " [schema ", uint64(sc), "]")
	}
	if d, ok := ns.Data(); ok {
		ioamHex(p, "data", ", data ", uint64(d), 10, false)
	}
	if w, ok := ns.DataWide(); ok {
		ioamHex(p, "wide", ", wide ", w, 18, true)
	}
	p.nl()
	p.closeObject()
}

// ioamHex prints a namespace's data v under key as ip's print_hex
// ("%x") and print_0xhex ("%#x", when with0x) print it in JSON, and
// after pre in text as C's "%#0*x" of width width does: 0x and the
// digits, zero-padded, or zeros alone for 0 (C's # gives 0 no 0x).
func ioamHex(p *printer, key, pre string, v uint64, width int, with0x bool) {
	var buf [24]byte
	b, pad := buf[:0], 0
	switch {
	case p.json:
		if with0x && v != 0 {
			b = append(b, "0x"...)
		}
	case v == 0:
		pad = width - 1
	default:
		b = append(b, "0x"...)
		pad = width - 2 - (bits.Len64(v)+3)/4
	}
	for range pad {
		b = append(b, '0')
	}
	p.bytesAround(key, pre, strconv.AppendUint(b, v, 16), "")
}

// ioamPrintSchema is print_schema: in JSON, "data" is null and each byte
// follows it as a member named "", as ip's print_hhu writes it.
func ioamPrintSchema(p *printer, sc ioam6.Schema) {
	p.openObject("")
	p.uintAround("schema", "schema ", uint64(sc.ID()), "")
	if ns, ok := sc.Namespace(); ok {
		p.uintAround("namespace", " [namespace ", uint64(ns), "]")
	}
	p.jsonNull("data")
	p.textString(", data:")
	const hexDigits = "0123456789abcdef"
	for _, b := range sc.Data() {
		if p.json {
			p.separate()
			p.buf = strconv.AppendUint(append(p.buf, `"":`...), uint64(b), 10)
		} else {
			p.buf = append(p.buf, ' ', hexDigits[b>>4], hexDigits[b&15])
		}
	}
	p.nl()
	p.closeObject()
}
