package main

// Extended matches ("basic match 'cmp(u16 at 0 layer 2 gt 10)' and not
// 'meta(nf_mark eq 1)'"), read as tc 6.1's emp_ematch.l and .y lex and
// parse them and its em_*.c modules encode them, and printed as its
// print_ematch prints them.

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// The tokens of an ematch expression.
const (
	emTokEOF = iota
	emTokAttr
	emTokAnd
	emTokOr
	emTokNot
	emTokOpen
	emTokClose
)

// emArg is an argument of a match: a word or a quoted string.
type emArg struct {
	text   string
	quoted bool
}

type emToken struct {
	kind int
	arg  emArg
	word int // the index in the arguments of the word the token ends in
}

// emLexer reads tokens from the words of a command line, one word at a
// time as tc's YY_INPUT feeds flex (each word followed by a space), so
// that the word of the token after the expression is known.
type emLexer struct {
	words  []string
	w      int    // the next word to read
	buf    string // what is left of the word being read
	peeked *emToken
}

func (l *emLexer) fill() bool {
	for l.buf == "" {
		if l.w >= len(l.words) {
			return false
		}
		if l.words[l.w] != "" {
			l.buf = l.words[l.w] + " "
		}
		l.w++
	}
	return true
}

func (l *emLexer) peek() (emToken, error) {
	if l.peeked == nil {
		t, err := l.lex()
		if err != nil {
			return t, err
		}
		l.peeked = &t
	}
	return *l.peeked, nil
}

func (l *emLexer) next() (emToken, error) {
	t, err := l.peek()
	l.peeked = nil
	return t, err
}

func (l *emLexer) lex() (emToken, error) {
	for {
		if !l.fill() {
			return emToken{kind: emTokEOF, word: l.w - 1}, nil
		}
		l.buf = strings.TrimLeft(l.buf, " \t\r\n")
		if l.buf != "" {
			break
		}
	}
	word := l.w - 1
	switch c := l.buf[0]; c {
	case '(', ')':
		l.buf = l.buf[1:]
		if c == '(' {
			return emToken{kind: emTokOpen, word: word}, nil
		}
		return emToken{kind: emTokClose, word: word}, nil
	case '"':
		s, err := l.quoted()
		return emToken{kind: emTokAttr, arg: emArg{s, true}, word: l.w - 1}, err
	}
	n := strings.IndexAny(l.buf, " \t\r\n()")
	text := l.buf[:n]
	l.buf = l.buf[n:]
	switch strings.ToLower(text) {
	case "and":
		return emToken{kind: emTokAnd, word: word}, nil
	case "or":
		return emToken{kind: emTokOr, word: word}, nil
	case "not":
		return emToken{kind: emTokNot, word: word}, nil
	}
	return emToken{kind: emTokAttr, arg: emArg{text: text}, word: word}, nil
}

// quoted reads a quoted string with its C escapes, across words.
func (l *emLexer) quoted() (string, error) {
	l.buf = l.buf[1:]
	var sb strings.Builder
	for {
		if l.buf == "" && !l.fill() {
			return "", usagef("Parse error: unterminated string")
		}
		c := l.buf[0]
		l.buf = l.buf[1:]
		switch {
		case c == '"':
			return sb.String(), nil
		case c != '\\':
			sb.WriteByte(c)
			continue
		}
		if l.buf == "" {
			continue
		}
		e := l.buf[0]
		switch {
		case e >= '0' && e <= '7':
			n := 1
			for n < len(l.buf) && l.buf[n] >= '0' && l.buf[n] <= '9' {
				n++
			}
			if n > 3 || strings.ContainsAny(l.buf[:n], "89") {
				return "", usagef("error: invalid octale escape sequence")
			}
			v, _ := strconv.ParseUint(l.buf[:n], 8, 16)
			if v > 0xff {
				return "", usagef("error: octal escape sequence out of range")
			}
			sb.WriteByte(byte(v))
			l.buf = l.buf[n:]
			continue
		case e == '8' || e == '9':
			return "", usagef("error: invalid octale escape sequence")
		case e == 'x' && len(l.buf) > 1 && isHexDigit(l.buf[1]):
			n := 2
			if len(l.buf) > 2 && isHexDigit(l.buf[2]) {
				n = 3
			}
			v, _ := strconv.ParseUint(l.buf[1:n], 16, 8)
			sb.WriteByte(byte(v))
			l.buf = l.buf[n:]
			continue
		}
		sb.WriteByte(cEscape(e))
		l.buf = l.buf[1:]
	}
}

// cEscape is the character a C escape "\\c" stands for: c itself but
// for the letters of the control characters.
func cEscape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return '\v'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'a':
		return '\a'
	}
	return c
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// emSyntaxError is tc's message for an expression that does not parse.
func emSyntaxError() error { return usagef("Parse error: syntax error") }

// parseEmatch reads an ematch expression from the arguments after
// "match" and returns its tree, leaving the arguments at the word after
// it as tc does (the word the parser looked ahead into).
func (a *tcArgs) parseEmatch() ([]byte, error) {
	l := &emLexer{words: a.list[a.i:]}
	terms, err := parseEmExpr(l, 0)
	if err != nil {
		return nil, err
	}
	t, err := l.peek()
	if err != nil {
		return nil, err
	}
	a.i += max(t.word, 0)
	tree, err := tc.EncodeEmatches(terms)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return tree, nil
}

// parseEmExpr reads "TERM [ { and | or } EXPR ]".
func parseEmExpr(l *emLexer, depth int) ([]tc.EmatchTerm, error) {
	if depth > 16 {
		return nil, usagef("Parse error: groups nested too deep")
	}
	var terms []tc.EmatchTerm
	for {
		t, err := parseEmTerm(l, depth)
		if err != nil {
			return nil, err
		}
		next, err := l.peek()
		if err != nil {
			return nil, err
		}
		switch next.kind {
		case emTokAnd:
			t.Relation = tc.EmatchAnd
		case emTokOr:
			t.Relation = tc.EmatchOr
		default:
			return append(terms, t), nil
		}
		l.next()
		terms = append(terms, t)
	}
}

// parseEmTerm reads "[ not ] { MATCH | '(' EXPR ')' }".
func parseEmTerm(l *emLexer, depth int) (tc.EmatchTerm, error) {
	var t tc.EmatchTerm
	tok, err := l.next()
	if err != nil {
		return t, err
	}
	if tok.kind == emTokNot {
		t.Not = true
		if tok, err = l.next(); err != nil {
			return t, err
		}
	}
	switch tok.kind {
	case emTokOpen:
		if t.Group, err = parseEmExpr(l, depth+1); err != nil {
			return t, err
		}
		if c, err := l.next(); err != nil || c.kind != emTokClose {
			return t, emSyntaxError()
		}
		return t, nil
	case emTokAttr:
	default:
		return t, emSyntaxError()
	}
	kind := tok.arg.text
	if o, err := l.next(); err != nil || o.kind != emTokOpen {
		return t, emSyntaxError()
	}
	var args []emArg
	for {
		a, err := l.next()
		if err != nil {
			return t, err
		}
		if a.kind == emTokClose && len(args) > 0 {
			break
		}
		if a.kind != emTokAttr {
			return t, emSyntaxError()
		}
		args = append(args, a.arg)
	}
	t.Match, err = parseEmMatch(kind, args)
	return t, err
}

// parseEmMatch is the parse_eopt of the module kind.
func parseEmMatch(kind string, args []emArg) (tc.EmatchMatch, error) {
	switch kind {
	case "cmp":
		return parseEmCmp(args)
	case "u32":
		return parseEmU32(args)
	case "meta":
		return parseEmMeta(args)
	case "nbyte":
		return parseEmNbyte(args)
	case "canid":
		return parseEmCanID(args)
	case "ipset", "ipt":
		return nil, notImplemented("ematch " + kind)
	}
	return nil, usagef("Unknown ematch %q", kind)
}

// emStrtoul is tc's bstrtoul: C's strtoul in base 0, which reads the
// longest number at the start of s and ignores what follows.
func emStrtoul(s string) (uint64, bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") && isHexDigit(s[2]):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base = 8
	}
	n := 0
	for n < len(s) && isHexDigit(s[n]) {
		if d := digitValue(s[n]); d >= base {
			break
		}
		n++
	}
	if n == 0 {
		return 0, false
	}
	v, err := strconv.ParseUint(s[:n], base, 64)
	if err != nil || neg && v != 0 {
		return 0, false // ULONG_MAX, or a negative number's wrap-around
	}
	return v, true
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// emLayer is parse_layer, then a number up to TCF_LAYER_MAX.
func emLayer(kind, s string) (uint8, error) {
	switch s[0] {
	case 'l':
		return tc.EmatchLayerLink, nil
	case 'n':
		return tc.EmatchLayerNetwork, nil
	case 't':
		return tc.EmatchLayerTransport, nil
	}
	v, ok := emStrtoul(s)
	if !ok {
		return 0, usagef("%s: invalid layer", kind)
	}
	if v > tc.EmatchLayerTransport {
		return 0, usagef("%s: illegal layer, must be in 0..2", kind)
	}
	return uint8(v), nil
}

// emNumber reads the argument after args[i] as a number.
func emNumber(args []emArg, i int, kind, what string) (uint64, error) {
	if i+1 >= len(args) {
		return 0, usagef("%s: missing argument", kind)
	}
	v, ok := emStrtoul(args[i+1].text)
	if !ok {
		return 0, usagef("%s: invalid %s", kind, what)
	}
	return v, nil
}

func emAlign(kind, s string) (uint8, error) {
	if n, ok := sizeWord(s); ok {
		return uint8(n), nil
	}
	return 0, usagef("%s: invalid alignment", kind)
}

// emOperands are the words of the ematch operands, by value.
var emOperands = [...]string{tc.EmatchEq: "eq", tc.EmatchGt: "gt", tc.EmatchLt: "lt"}

// emOperand reads eq, gt or lt.
func emOperand(s string) (tc.EmatchOperand, bool) {
	if i := slices.Index(emOperands[:], s); i >= 0 {
		return tc.EmatchOperand(i), true
	}
	return 0, false
}

// parseEmCmp is em_cmp.c's cmp_parse_eopt.
func parseEmCmp(args []emArg) (tc.EmatchMatch, error) {
	align, err := emAlign("cmp", args[0].text)
	if err != nil {
		return nil, err
	}
	c := &tc.EmatchCmp{Align: align, Layer: tc.EmatchLayerNetwork}
	offset, value := false, false
	for i := 1; i < len(args); i++ {
		w := args[i].text
		var v uint64
		switch op, isOp := emOperand(w); {
		case w == "at":
			if v, err = emNumber(args, i, "cmp", "offset, must be numeric"); err == nil {
				c.Offset, offset = uint16(v), true
			}
			i++
		case w == "layer":
			if i+1 >= len(args) {
				return nil, usagef("cmp: missing argument")
			}
			i++
			c.Layer, err = emLayer("cmp", args[i].text)
		case w == "mask":
			if v, err = emNumber(args, i, "cmp", "mask"); err == nil {
				c.Mask = uint32(v)
			}
			i++
		case w == "trans":
			c.Trans = true
		case isOp:
			if v, err = emNumber(args, i, "cmp", "value"); err == nil {
				c.Op, c.Value, value = op, uint32(v), true
			}
			i++
		default:
			return nil, usagef("nbyte: unknown parameter")
		}
		if err != nil {
			return nil, err
		}
	}
	if !offset || !value {
		return nil, usagef("cmp: offset and value required")
	}
	return c, nil
}

// parseEmU32 is em_u32.c's u32_parse_eopt: u8 and u16 keys are shifted
// into the word their offset falls in.
func parseEmU32(args []emArg) (tc.EmatchMatch, error) {
	align, err := emAlign("u32", args[0].text)
	if err != nil {
		return nil, err
	}
	if len(args) < 3 {
		return nil, usagef("u32: missing key or mask")
	}
	key, ok1 := emStrtoul(args[1].text)
	mask, ok2 := emStrtoul(args[2].text)
	if !ok1 || !ok2 {
		return nil, usagef("u32: invalid key or mask, must be numeric")
	}
	if len(args) < 4 || args[3].text != "at" {
		return nil, usagef("u32: missing \"at\"")
	}
	if len(args) < 5 {
		return nil, usagef("u32: missing offset")
	}
	u := &tc.EmatchU32{}
	off, rest := args[4].text, args[5:]
	var offset uint64
	ok := true
	switch {
	case len(off) > len("nexthdr+") && strings.HasPrefix(off, "nexthdr+"):
		u.NextHdr = true
		offset, _ = emStrtoul(off[len("nexthdr+"):])
	case off == "nexthdr+":
		// tc reads the offset from the next word, and forgets nexthdr.
		if len(rest) == 0 {
			return nil, usagef("u32: missing offset")
		}
		offset, ok = emStrtoul(rest[0].text)
		rest = rest[1:]
	default:
		offset, ok = emStrtoul(off)
	}
	if !ok {
		return nil, usagef("u32: invalid offset")
	}
	if len(rest) > 0 {
		return nil, usagef("u32: unexpected trailer")
	}
	switch align {
	case 1:
		if key > 0xff || mask > 0xff {
			return nil, usagef("Illegal key or mask (>0xFF)")
		}
		shift := 24 - (offset&3)*8
		key, mask, offset = key<<shift, mask<<shift, offset&^3
	case 2:
		if key > 0xffff || mask > 0xffff {
			return nil, usagef("Illegal key or mask (>0xFFFF)")
		}
		if offset&3 == 0 {
			key, mask = key<<16, mask<<16
		}
		offset &^= 3
	}
	if offset%4 != 0 {
		return nil, usagef("u32: invalid offset alignment, must be aligned to 4.")
	}
	u.Value, u.Mask, u.Offset = uint32(key&mask), uint32(mask), int32(offset)
	return u, nil
}

// parseEmNbyte is em_nbyte.c's nbyte_parse_eopt.
func parseEmNbyte(args []emArg) (tc.EmatchMatch, error) {
	n := &tc.EmatchNbyte{Needle: []byte(args[0].text), Layer: tc.EmatchLayerNetwork}
	if len(n.Needle) == 0 {
		return nil, usagef("nbyte: needle length is 0")
	}
	offset := false
	for i := 1; i < len(args); i++ {
		var err error
		switch args[i].text {
		case "at":
			var v uint64
			if v, err = emNumber(args, i, "nbyte", "offset, must be numeric"); err == nil {
				n.Offset, offset = uint16(v), true
			}
		case "layer":
			if i+1 >= len(args) {
				return nil, usagef("nbyte: missing argument")
			}
			n.Layer, err = emLayer("nbyte", args[i+1].text)
		default:
			return nil, usagef("nbyte: unknown parameter")
		}
		if err != nil {
			return nil, err
		}
		i++
	}
	if !offset {
		return nil, usagef("nbyte: offset required")
	}
	return n, nil
}

// The CAN identifier flags and masks (linux/can.h).
const (
	canEFFFlag = 0x80000000
	canSFFMask = 0x000007ff
	canEFFMask = 0x1fffffff
)

// scanHex reads a hexadecimal number at the start of s as sscanf's %x:
// an optional 0x, then digits; it returns the rest.
func scanHex(s string) (uint32, string, bool) {
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") && isHexDigit(s[2]) {
		s = s[2:]
	}
	n := 0
	for n < len(s) && isHexDigit(s[n]) {
		n++
	}
	if n == 0 {
		return 0, s, false
	}
	v, err := strconv.ParseUint(s[:n], 16, 64)
	if err != nil {
		v = 0xffffffff
	}
	return uint32(v), s[n:], true
}

// parseEmCanID is em_canid.c's canid_parse_eopt.
func parseEmCanID(args []emArg) (tc.EmatchMatch, error) {
	c := &tc.EmatchCanID{}
	for i := 0; i < len(args); i++ {
		eff := false
		switch args[i].text {
		case "sff":
		case "eff":
			eff = true
		default:
			return nil, usagef("canid: invalid key")
		}
		i++
		if i >= len(args) {
			return nil, usagef("canid: missing argument")
		}
		id, rest, ok := scanHex(args[i].text)
		if !ok {
			return nil, usagef("canid: Improperly formed CAN ID & mask")
		}
		mask := uint32(canSFFMask)
		if eff {
			mask = canEFFMask
		}
		if strings.HasPrefix(rest, ":") {
			if m, _, ok := scanHex(rest[1:]); ok {
				mask = m
			}
		}
		if len(c.Rules) == 400 {
			return nil, usagef("canid: Too many arguments on input")
		}
		if eff {
			id |= canEFFFlag
		}
		c.Rules = append(c.Rules, tc.CanFilter{ID: id, Mask: mask | canEFFFlag})
	}
	return c, nil
}

// emMetaIDs are em_meta.c's meta_table: each identifier's name, number
// and types ('i' integer, 'v' variable), the first the default.
var emMetaIDs = [...]struct {
	name  string
	id    uint16
	types string
}{
	{"random", 1, "i"}, {"loadavg_1", 2, "i"}, {"loadavg_5", 3, "i"}, {"loadavg_15", 4, "i"},
	{"dev", 5, "iv"}, {"priority", 6, "i"}, {"protocol", 7, "i"}, {"pkt_type", 8, "i"},
	{"pkt_len", 9, "i"}, {"data_len", 10, "i"}, {"mac_len", 11, "i"}, {"nf_mark", 12, "i"},
	{"fwmark", 12, "i"}, {"tc_index", 13, "i"}, {"rt_classid", 14, "i"}, {"rt_iif", 15, "i"},
	{"vlan", 46, "i"}, {"sk_family", 16, "i"}, {"sk_state", 17, "i"}, {"sk_reuse", 18, "i"},
	{"sk_bind_if", 19, "iv"}, {"sk_refcnt", 20, "i"}, {"sk_shutdown", 21, "i"}, {"sk_proto", 22, "i"},
	{"sk_type", 23, "i"}, {"sk_rcvbuf", 24, "i"}, {"sk_rmem", 25, "i"}, {"sk_wmem", 26, "i"},
	{"sk_omem", 27, "i"}, {"sk_wmem_queue", 28, "i"}, {"sk_snd_queue", 30, "i"}, {"sk_rcv_queue", 29, "i"},
	{"sk_err_queue", 31, "i"}, {"sk_fwd_alloc", 32, "i"}, {"sk_sndbuf", 33, "i"},
}

// emMetaTypes returns the types of meta identifier id; "" if unknown.
func emMetaTypes(id uint16) (string, string) {
	for _, m := range emMetaIDs {
		if m.id == id {
			return m.name, m.types
		}
	}
	return "", ""
}

// emMetaCompatible is em_meta.c's is_compatible: whether identifier
// what can be compared as the type of needed.
func emMetaCompatible(what, needed *tc.EmatchMetaValue) bool {
	_, types := emMetaTypes(what.ID)
	want := byte('i')
	if needed.Var {
		want = 'v'
	}
	return strings.IndexByte(types, want) >= 0
}

// parseEmMetaObject is em_meta.c's parse_object: a quoted string, a
// number, or an identifier with its shift and mask; right operands
// adopt a type their left operand or they can take.
func parseEmMetaObject(args []emArg, v *tc.EmatchMetaValue, left *tc.EmatchMetaValue) ([]emArg, error) {
	a := args[0]
	if a.quoted {
		v.Var, v.Bytes = true, []byte(a.text)
		return args[1:], nil
	}
	if n, ok := emStrtoul(a.text); ok {
		v.Int = uint32(n)
		return args[1:], nil
	}
	var m *struct {
		name  string
		id    uint16
		types string
	}
	for i := range emMetaIDs {
		if emMetaIDs[i].name == a.text {
			m = &emMetaIDs[i]
			break
		}
	}
	if m == nil {
		return nil, usagef("meta: unknown meta id")
	}
	v.ID, v.Var = m.id, m.types[0] == 'v'
	if left != nil && left.Var != v.Var {
		switch {
		case left.ID == 0:
			if !emMetaCompatible(v, left) {
				return nil, usagef("lvalue and rvalue are not compatible.")
			}
			v.Var = left.Var
		case emMetaCompatible(left, v):
			left.Var = v.Var
		case emMetaCompatible(v, left):
			v.Var = left.Var
		default:
			return nil, usagef("lvalue and rvalue are not compatible.")
		}
	}
	rest := args[1:]
	for len(rest) > 0 {
		switch rest[0].text {
		case "shift", "mask":
			if len(rest) < 2 {
				return nil, usagef("meta: missing argument")
			}
			n, ok := emStrtoul(rest[1].text)
			if !ok {
				return nil, usagef("meta: invalid %s, must be numeric", rest[0].text)
			}
			if rest[0].text == "shift" {
				v.Shift = uint8(n)
			} else {
				v.Int = uint32(n)
			}
			rest = rest[2:]
			continue
		}
		break
	}
	return rest, nil
}

// parseEmMeta is em_meta.c's meta_parse_eopt.
func parseEmMeta(args []emArg) (tc.EmatchMatch, error) {
	if args[0].text == "list" && !args[0].quoted {
		return nil, usagef("meta: list is not implemented by ipr")
	}
	m := &tc.EmatchMeta{}
	rest, err := parseEmMetaObject(args, &m.Left, nil)
	if err != nil {
		return nil, err
	}
	if len(rest) == 0 {
		return nil, usagef("meta: missing operand")
	}
	op, ok := emOperand(rest[0].text)
	if !ok {
		return nil, usagef("meta: invalid operand")
	}
	m.Op = op
	if len(rest) < 2 {
		return nil, usagef("meta: missing rvalue")
	}
	if rest, err = parseEmMetaObject(rest[1:], &m.Right, &m.Left); err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, usagef("meta: unexpected trailer")
	}
	return m, nil
}

// emKindNames are the names of /etc/iproute2/ematch_map, by number.
var emKindNames = [...]string{1: "cmp", 2: "nbyte", 3: "u32", 4: "meta", 7: "canid", 8: "ipset", 9: "ipt"}

// printEmatches prints an ematch tree as tc's print_ematch does: with
// fprintf, so as text even in JSON, and as far as it could go when the
// tree is malformed.
func printEmatches(p *printer, tree []byte) {
	s, _ := formatEmatches(tree)
	p.raw(s)
}

// formatEmatches returns what tc's print_ematch prints for a tree: a
// line per match, groups indented; false if the tree is malformed (with
// what tc prints before it stops).
func formatEmatches(tree []byte) (string, bool) {
	c := nla.Chain(tree)
	h, ok := c.Get(1)
	l, ok2 := c.Get(2)
	if !ok || !ok2 || len(h.Data) < 4 {
		return "", false
	}
	n := int(binary.NativeEndian.Uint16(h.Data))
	if n == 0 {
		return "", true
	}
	// tb is parse_rtattr_nested's table: the first match of each number
	// up to n, by number (tc walks it from 1 and follows references).
	tb := make([][]byte, n+1)
	for a := range l.Nested().All() {
		if k := int(a.Kind()); k <= n && tb[k] == nil {
			tb[k] = a.Data
		}
	}
	var sb strings.Builder
	sb.WriteString("\n  ")
	ok = formatEmatchSeq(&sb, tb, 1, 1, 0)
	return sb.String(), ok
}

// formatEmatchSeq is print_ematch_seq.
func formatEmatchSeq(sb *strings.Builder, tb [][]byte, i, prefix, depth int) bool {
	if depth > 32 {
		return false
	}
	for ; i > 0 && i < len(tb); i++ {
		d := tb[i]
		if d == nil || len(d) < 8 {
			return false
		}
		kind, flags, data := binary.NativeEndian.Uint16(d[2:]), binary.NativeEndian.Uint16(d[4:]), d[8:]
		if flags&4 != 0 {
			sb.WriteString("NOT ")
		}
		if kind == 0 {
			if len(data) < 4 {
				return false
			}
			sb.WriteString("(\n" + strings.Repeat("  ", prefix+1))
			if !formatEmatchSeq(sb, tb, int(binary.NativeEndian.Uint32(data))+1, prefix+1, depth+1) {
				return false
			}
			sb.WriteString(strings.Repeat("  ", prefix) + ") ")
		} else {
			if name := nameAt(emKindNames[:], kind, ""); name == "" {
				fmt.Fprintf(sb, "[unknown ematch %d]\n", kind)
			} else {
				// tc prints the name, then stops where the module's
				// print_eopt refuses the data.
				body, ok := formatEmatchData(kind, data)
				if sb.WriteString(name + "("); !ok {
					return false
				}
				sb.WriteString(body + ")\n")
			}
			if flags&3 != 0 {
				sb.WriteString(strings.Repeat("  ", prefix))
			}
		}
		switch flags & 3 {
		case 1:
			sb.WriteString("AND ")
		case 2:
			sb.WriteString("OR ")
		default:
			return true
		}
	}
	return false
}

// formatEmatchData is the print_eopt of the modules ipr knows.
func formatEmatchData(kind uint16, data []byte) (string, bool) {
	opnd := [...]string{" eq ", " gt ", " lt "}
	var m tc.EmatchMatch
	terms, err := tc.DecodeEmatches(singleEmatchTree(kind, data))
	if err != nil || len(terms) != 1 || terms[0].Match == nil {
		return "", false
	}
	m = terms[0].Match
	var sb strings.Builder
	switch m := m.(type) {
	case *tc.EmatchCmp:
		switch m.Align {
		case 1:
			sb.WriteString("u8 ")
		case 2:
			sb.WriteString("u16 ")
		case 4:
			sb.WriteString("u32 ")
		}
		fmt.Fprintf(&sb, "at %d layer %d ", m.Offset, m.Layer)
		if m.Mask != 0 {
			fmt.Fprintf(&sb, "mask 0x%x ", m.Mask)
		}
		if m.Trans {
			sb.WriteString("trans ")
		}
		if int(m.Op) < len(opnd) {
			sb.WriteString(opnd[m.Op][1:])
		}
		fmt.Fprintf(&sb, "%d", int32(m.Value))
	case *tc.EmatchU32:
		nh := ""
		if m.NextHdr {
			nh = "nexthdr+"
		}
		fmt.Fprintf(&sb, "%08x/%08x at %s%d", m.Value, m.Mask, nh, m.Offset)
	case *tc.EmatchNbyte:
		for _, b := range m.Needle {
			fmt.Fprintf(&sb, "%02x ", b)
		}
		fmt.Fprintf(&sb, "\"%s\" at %d layer %d", printable(m.Needle), m.Offset, m.Layer)
	case *tc.EmatchCanID:
		for i, r := range m.Rules {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if r.ID&canEFFFlag != 0 {
				if r.Mask == canEFFFlag|canEFFMask {
					fmt.Fprintf(&sb, "eff 0x%X", r.ID&canEFFMask)
				} else {
					fmt.Fprintf(&sb, "eff 0x%X:0x%X", r.ID&canEFFMask, r.Mask&canEFFMask)
				}
			} else if r.Mask == canEFFFlag|canSFFMask {
				fmt.Fprintf(&sb, "sff 0x%X", r.ID&canSFFMask)
			} else {
				fmt.Fprintf(&sb, "sff 0x%X:0x%X", r.ID&canSFFMask, r.Mask&canSFFMask)
			}
		}
	case *tc.EmatchMeta:
		formatEmMetaObject(&sb, &m.Left)
		if int(m.Op) < len(opnd) {
			sb.WriteString(opnd[m.Op])
		}
		formatEmMetaObject(&sb, &m.Right)
	default:
		return "", false
	}
	return sb.String(), true
}

// singleEmatchTree wraps one match's data in a tree of one match, to
// decode it with the library.
func singleEmatchTree(kind uint16, data []byte) []byte {
	e := nla.NewEncoder(nil)
	hdr := binary.NativeEndian.AppendUint16(nil, 1)
	e.Binary(1, append(hdr, 0, 0))
	item := make([]byte, 8+len(data))
	binary.NativeEndian.PutUint16(item[2:], kind)
	copy(item[8:], data)
	n := e.BeginNest(2)
	e.Binary(1, item)
	e.EndNest(n)
	return e.Bytes()
}

// formatEmMetaObject is em_meta.c's print_object.
func formatEmMetaObject(sb *strings.Builder, v *tc.EmatchMetaValue) {
	if v.ID == 0 {
		if v.Var {
			if printable(v.Bytes) == string(v.Bytes) {
				sb.Write(v.Bytes)
				return
			}
			for _, b := range v.Bytes {
				fmt.Fprintf(sb, "%02x ", b)
			}
			fmt.Fprintf(sb, "\"%s\"", printable(v.Bytes))
			return
		}
		fmt.Fprintf(sb, "%d", int32(v.Int))
		return
	}
	if name, _ := emMetaTypes(v.ID); name != "" {
		sb.WriteString(name)
	} else {
		fmt.Fprintf(sb, "[unknown meta id %d]", v.ID)
	}
	if v.Shift != 0 {
		fmt.Fprintf(sb, " shift %d", v.Shift)
	}
	if !v.Var && v.Int != 0 {
		fmt.Fprintf(sb, " mask 0x%08x", v.Int)
	}
}

// printable is the bytes with the unprintable ones as dots.
func printable(b []byte) string {
	s := []byte(string(b))
	for i, c := range s {
		if c < 0x20 || c > 0x7e {
			s[i] = '.'
		}
	}
	return string(s)
}
