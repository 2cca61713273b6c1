package main

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// headers holds the enum and #define values and the simple structs of a set
// of uapi headers. The parse is deliberately small (regular expressions and
// an integer expression evaluator) and fails loudly on enum members it
// cannot evaluate; #defines it cannot evaluate (macros, strings, casts) are
// skipped because no schema needs them.
type headers struct {
	values  map[string]int64
	enumOf  map[string][]cmember // constant -> the members of its enum
	structs map[string][]cfield  // struct name -> members
}

type cmember struct {
	name  string
	value int64
}

// cfield is one member of a C struct; count is -1 for a scalar, else the
// array length (0 for a flexible array).
type cfield struct {
	ctype, member string
	count         int64
}

var (
	reSuffix   = regexp.MustCompile(`\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b`)
	reBlock    = regexp.MustCompile(`(?s)/\*.*?\*/`)
	reLine     = regexp.MustCompile(`//[^\n]*`)
	reDefine   = regexp.MustCompile(`(?m)^\s*#\s*define\s+(\w+)\s+([^\n]+)$`)
	rePreproc  = regexp.MustCompile(`(?m)^\s*#[^\n]*$`)
	reEnum     = regexp.MustCompile(`(?s)\benum\s*\w*\s*\{(.*?)\}`)
	reStruct   = regexp.MustCompile(`(?s)\bstruct\s+(\w+)\s*\{([^{}]*)\}\s*;`)
	reStructMb = regexp.MustCompile(`^(.+?)\s*\b(\w+)\s*(?:\[(\w*)\])?$`)
)

// readHeaders parses files (names relative to dir) in order.
func readHeaders(dir string, files []string) (*headers, error) {
	h := &headers{values: map[string]int64{}, enumOf: map[string][]cmember{}, structs: map[string][]cfield{}}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		if err := h.parse(string(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return h, nil
}

func (h *headers) eval(expr string) (int64, error) {
	expr = reSuffix.ReplaceAllString(strings.TrimSpace(expr), "$1")
	p := &exprParser{s: expr, values: h.values}
	v, err := p.parse()
	if err != nil {
		return 0, fmt.Errorf("cannot evaluate %q: %w", expr, err)
	}
	return v, nil
}

func (h *headers) parse(text string) error {
	text = reBlock.ReplaceAllString(text, " ")
	text = reLine.ReplaceAllString(text, " ")
	for _, m := range reDefine.FindAllStringSubmatch(text, -1) {
		name, expr := m[1], strings.TrimSpace(m[2])
		if _, ok := h.values[name]; name == expr || ok {
			continue
		}
		if v, err := h.eval(expr); err == nil {
			h.values[name] = v
		}
	}
	text = rePreproc.ReplaceAllString(text, " ")
	for _, m := range reEnum.FindAllStringSubmatch(text, -1) {
		var members []cmember
		var next int64
		for _, item := range strings.Split(m[1], ",") {
			name, expr, _ := strings.Cut(strings.TrimSpace(item), "=")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			val := next
			if strings.TrimSpace(expr) != "" {
				v, err := h.eval(expr)
				if err != nil {
					return fmt.Errorf("enum member %s: %w", name, err)
				}
				val = v
			}
			h.values[name] = val
			members = append(members, cmember{name, val})
			next = val + 1
		}
		for _, mb := range members {
			h.enumOf[mb.name] = members
		}
	}
	for _, m := range reStruct.FindAllStringSubmatch(text, -1) {
		var fields []cfield
		ok := true
		for _, decl := range strings.Split(m[2], ";") {
			decl = strings.Join(strings.Fields(decl), " ")
			if decl == "" {
				continue
			}
			dm := reStructMb.FindStringSubmatchIndex(decl)
			if dm == nil {
				ok = false
				break
			}
			f := cfield{ctype: decl[dm[2]:dm[3]], member: decl[dm[4]:dm[5]], count: -1}
			if dm[6] >= 0 {
				f.count = 0
				if c := decl[dm[6]:dm[7]]; c != "" {
					v, err := h.eval(c)
					if err != nil {
						ok = false
						break
					}
					f.count = v
				}
			}
			fields = append(fields, f)
		}
		if ok {
			h.structs[m[1]] = fields
		}
	}
	return nil
}

// members returns the attribute constants of the enum holding first,
// without the UNSPEC entry and the __MAX sentinels.
func (h *headers) members(first string) []cmember {
	var out []cmember
	for _, m := range h.enumOf[first] {
		// An enum may end with its own maximum, FOO_MAX = __FOO_MAX - 1
		// (linux/can/netlink.h): an alias of its last member.
		alias := len(out) > 0 && m.value == out[len(out)-1].value
		if !strings.HasPrefix(m.name, "__") && !strings.HasSuffix(m.name, "_UNSPEC") && !alias {
			out = append(out, m)
		}
	}
	return out
}

// exprParser evaluates the integer constant expressions of uapi headers:
// decimal and hexadecimal numbers, names of earlier constants, parentheses,
// unary + - ~ and binary * / % + - << >> & ^ | with C's precedence. It
// rejects everything else (casts, sizeof, strings, function-like macros),
// which the parse then skips.
type exprParser struct {
	s      string
	i      int
	values map[string]int64
}

func (p *exprParser) parse() (int64, error) {
	v, err := p.or()
	if err != nil {
		return 0, err
	}
	p.space()
	if p.i != len(p.s) {
		return 0, fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	if !v.IsInt64() {
		return 0, fmt.Errorf("out of range")
	}
	return v.Int64(), nil
}

func (p *exprParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// op consumes the operator tok if it comes next (and is not the start of a
// longer operator such as << for <).
func (p *exprParser) op(tok string) bool {
	p.space()
	if !strings.HasPrefix(p.s[p.i:], tok) {
		return false
	}
	rest := p.s[p.i+len(tok):]
	if len(tok) == 1 && rest != "" && (rest[0] == tok[0] || rest[0] == '=') && strings.Contains("<>*/", tok) {
		return false
	}
	p.i += len(tok)
	return true
}

func (p *exprParser) binary(next func() (*big.Int, error), ops ...string) (*big.Int, error) {
	v, err := next()
	if err != nil {
		return nil, err
	}
	for {
		matched := ""
		for _, o := range ops {
			if p.op(o) {
				matched = o
				break
			}
		}
		if matched == "" {
			return v, nil
		}
		w, err := next()
		if err != nil {
			return nil, err
		}
		if v, err = exprOps[matched](new(big.Int), v, w); err != nil {
			return nil, err
		}
	}
}

// exprOps are the binary operators of #define expressions: each sets z to
// x op y, or refuses the operands.
var exprOps = map[string]func(z, x, y *big.Int) (*big.Int, error){
	"|":  always((*big.Int).Or),
	"^":  always((*big.Int).Xor),
	"&":  always((*big.Int).And),
	"+":  always((*big.Int).Add),
	"-":  always((*big.Int).Sub),
	"*":  always((*big.Int).Mul),
	"/":  nonZero((*big.Int).Quo),
	"%":  nonZero((*big.Int).Mod), // Python's floored modulo for a positive divisor
	"<<": shiftBy((*big.Int).Lsh, 128),
	">>": shiftBy((*big.Int).Rsh, math.MaxInt64),
}

// always is an operator defined for every pair of operands.
func always(op func(z, x, y *big.Int) *big.Int) func(z, x, y *big.Int) (*big.Int, error) {
	return func(z, x, y *big.Int) (*big.Int, error) { return op(z, x, y), nil }
}

// nonZero is a division, refused for a zero divisor.
func nonZero(op func(z, x, y *big.Int) *big.Int) func(z, x, y *big.Int) (*big.Int, error) {
	return func(z, x, y *big.Int) (*big.Int, error) {
		if y.Sign() == 0 {
			return nil, fmt.Errorf("division by zero")
		}
		return op(z, x, y), nil
	}
}

// shiftBy is a shift, refused for a count that is negative or above most.
func shiftBy(op func(z, x *big.Int, n uint) *big.Int, most int64) func(z, x, y *big.Int) (*big.Int, error) {
	return func(z, x, y *big.Int) (*big.Int, error) {
		if !y.IsInt64() || y.Sign() < 0 || y.Int64() > most {
			return nil, fmt.Errorf("bad shift")
		}
		return op(z, x, uint(y.Int64())), nil
	}
}

func (p *exprParser) or() (*big.Int, error)  { return p.binary(p.xor, "|") }
func (p *exprParser) xor() (*big.Int, error) { return p.binary(p.and, "^") }
func (p *exprParser) and() (*big.Int, error) { return p.binary(p.shift, "&") }
func (p *exprParser) shift() (*big.Int, error) {
	return p.binary(p.arith, "<<", ">>")
}
func (p *exprParser) arith() (*big.Int, error) { return p.binary(p.term, "+", "-") }
func (p *exprParser) term() (*big.Int, error)  { return p.binary(p.unary, "*", "/", "%") }

func (p *exprParser) unary() (*big.Int, error) {
	switch {
	case p.op("-"):
		v, err := p.unary()
		if err != nil {
			return nil, err
		}
		return new(big.Int).Neg(v), nil
	case p.op("+"):
		return p.unary()
	case p.op("~"):
		v, err := p.unary()
		if err != nil {
			return nil, err
		}
		return new(big.Int).Not(v), nil
	}
	return p.atom()
}

func isWord(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *exprParser) atom() (*big.Int, error) {
	p.space()
	if p.op("(") {
		v, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.op(")") {
			return nil, fmt.Errorf("missing )")
		}
		return v, nil
	}
	j := p.i
	for j < len(p.s) && isWord(p.s[j]) {
		j++
	}
	word := p.s[p.i:j]
	if word == "" {
		return nil, fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	p.i = j
	if c := word[0]; c >= '0' && c <= '9' {
		v := new(big.Int)
		switch {
		case len(word) > 2 && (word[:2] == "0x" || word[:2] == "0X"):
			if _, ok := v.SetString(word[2:], 16); !ok {
				return nil, fmt.Errorf("bad number %q", word)
			}
		case len(word) > 1 && word[0] == '0' && strings.Trim(word, "0") != "":
			// C octal, which Python (and so the original generator) rejects.
			return nil, fmt.Errorf("octal number %q", word)
		default:
			if _, ok := v.SetString(word, 10); !ok {
				return nil, fmt.Errorf("bad number %q", word)
			}
		}
		return v, nil
	}
	v, ok := p.values[word]
	if !ok {
		return nil, fmt.Errorf("unknown name %s", word)
	}
	return big.NewInt(v), nil
}
