package ipnet

import (
	"unicode"
	"unicode/utf8"
)

// MaxFormatWidth is the largest width Format pads to. Python pads to any
// width memory allows; ipnet refuses to build strings that large from a
// format spec, which may come from untrusted input.
const MaxFormatWidth = 1 << 16

// Format formats a as Python's format(a, spec) does (IPv4Address.__format__):
//
//   - "" or a spec ending in 's' formats String() with Python's string
//     format mini-language, [[fill]align][width][.precision]s, as in
//     format("192.0.2.1", ">20s");
//   - 'b' is the 32 bits of a in binary, 'x' and 'X' its 8 hex digits,
//     'n' the same as 'b'; all zero-padded. A leading '#' adds a 0b, 0x or
//     0X prefix, and '_' (after any '#') separates groups of four digits.
//
// Any other spec is a *FormatError, and a malformed 's' spec a *ValueError,
// with Python's messages.
func (a Addr4) Format(spec string) (string, error) {
	return formatAddr(a.String, Uint128{Lo: uint64(a.v)}, 4, spec)
}

// Format formats a as Python's format(a, spec) does (IPv6Address.__format__);
// see Addr4.Format. 'x' and 'X' give the 32 hex digits of a, 'b' its 128
// bits, and 'n' is the same as 'x'. Only String(), and so an 's' spec,
// shows the scope id.
func (a Addr6) Format(spec string) (string, error) {
	return formatAddr(a.String, a.u, 6, spec)
}

// Format is Addr4.Format or Addr6.Format.
func (a Addr) Format(spec string) (string, error) {
	if a.v == 6 {
		return a.a6.Format(spec)
	}
	return a.to4().Format(spec)
}

func formatAddr(str func() string, u Uint128, version int, spec string) (string, error) {
	if spec == "" || spec[len(spec)-1] == 's' {
		return formatString(str(), spec)
	}
	// Python matches the regular expression (#?)(_?)([xbnX]).
	rest := spec
	alternate := len(rest) > 0 && rest[0] == '#'
	if alternate {
		rest = rest[1:]
	}
	grouping := len(rest) > 0 && rest[0] == '_'
	if grouping {
		rest = rest[1:]
	}
	if len(rest) != 1 {
		return "", unsupportedFormat(version)
	}
	base := rest[0]
	switch base {
	case 'n':
		base = 'b'
		if version == 6 {
			base = 'x'
		}
	case 'b', 'x', 'X':
	default:
		return "", unsupportedFormat(version)
	}
	bitLen := 32
	if version == 6 {
		bitLen = 128
	}
	shift, digits := 1, bitLen
	if base != 'b' {
		shift, digits = 4, bitLen/4
	}
	b := make([]byte, 0, 2+digits+digits/4)
	if alternate {
		b = append(b, '0', base)
		if base == 'X' {
			b[1] = 'X'
		}
	}
	hex := hexDigits
	if base == 'X' {
		hex = "0123456789ABCDEF"
	}
	for i := digits - 1; i >= 0; i-- {
		d := u.Rsh(uint(i*shift)).Lo & (1<<shift - 1)
		b = append(b, hex[d])
		if grouping && i > 0 && i%4 == 0 {
			b = append(b, '_')
		}
	}
	return string(b), nil
}

func unsupportedFormat(version int) error {
	if version == 6 {
		return &FormatError{pyError{"unsupported format string passed to IPv6Address.__format__"}}
	}
	return &FormatError{pyError{"unsupported format string passed to IPv4Address.__format__"}}
}

// formatString is Python's format(s, spec) for a str s: the parser of
// CPython's Python/formatter_unicode.c (parse_internal_render_format_spec
// with default type 's' and default alignment '<') and format_string_internal.
func formatString(s, spec string) (string, error) {
	if spec == "" {
		return s, nil
	}
	// Python indexes the spec by code point.
	runes := make([]rune, 0, len(spec))
	for i := 0; i < len(spec); {
		r, size := utf8.DecodeRuneInString(spec[i:])
		runes = append(runes, r)
		i += size
	}
	fill, align := ' ', '<'
	fillSet := false
	pos, end := 0, len(runes)
	isAlign := func(r rune) bool { return r == '<' || r == '>' || r == '=' || r == '^' }
	switch {
	case end-pos >= 2 && isAlign(runes[pos+1]):
		fill, align, fillSet = runes[pos], runes[pos+1], true
		pos += 2
	case end-pos >= 1 && isAlign(runes[pos]):
		align = runes[pos]
		pos++
	}
	var sign rune
	if end-pos >= 1 && (runes[pos] == '+' || runes[pos] == '-' || runes[pos] == ' ') {
		sign = runes[pos]
		pos++
	}
	noNegZero := end-pos >= 1 && runes[pos] == 'z'
	if noNegZero {
		pos++
	}
	alternate := end-pos >= 1 && runes[pos] == '#'
	if alternate {
		pos++
	}
	if !fillSet && end-pos >= 1 && runes[pos] == '0' {
		// Zero padding; it would also select '=' alignment, but only
		// where the default alignment is '>', which for str it is not.
		fill = '0'
		pos++
	}
	width, n, err := formatInteger(runes, &pos)
	if err != nil {
		return "", err
	}
	if n == 0 {
		width = -1
	}
	var separator rune
	if pos < end && runes[pos] == ',' {
		separator = ','
		pos++
	}
	if pos < end && runes[pos] == '_' {
		if separator != 0 {
			return "", valueErr("Cannot specify both ',' and '_'.")
		}
		separator = '_'
		pos++
	}
	if pos < end && runes[pos] == ',' && separator == '_' {
		return "", valueErr("Cannot specify both ',' and '_'.")
	}
	precision := int64(-1)
	if pos < end && runes[pos] == '.' {
		pos++
		p, n, err := formatInteger(runes, &pos)
		if err != nil {
			return "", err
		}
		if n == 0 {
			return "", valueErr("Format specifier missing precision")
		}
		precision = p
	}
	if end-pos > 1 {
		return "", valueErr("Invalid format specifier ", pyQuoteFormatSpec(spec), " for object of type 'str'")
	}
	// The caller guarantees the spec ends in 's', so the type is 's'.
	if separator != 0 {
		return "", valueErr("Cannot specify '", string(separator), "' with 's'.")
	}
	switch {
	case sign == ' ':
		return "", valueErr("Space not allowed in string format specifier")
	case sign != 0:
		return "", valueErr("Sign not allowed in string format specifier")
	case noNegZero:
		return "", valueErr("Negative zero coercion (z) not allowed in string format specifier")
	case alternate:
		return "", valueErr("Alternate form (#) not allowed in string format specifier")
	case align == '=':
		return "", valueErr("'=' alignment not allowed in string format specifier")
	}
	length := int64(runeLen(s))
	if precision >= 0 && precision < length {
		s = truncateRunes(s, int(precision))
		length = precision
	}
	if width <= length {
		return s, nil
	}
	if width > MaxFormatWidth {
		return "", valueErr("format width ", string(appendUint(nil, uint64(width))), " exceeds ", itoa(MaxFormatWidth))
	}
	pad := int(width - length)
	left := 0
	switch align {
	case '>':
		left = pad
	case '^':
		left = pad / 2
	}
	b := make([]byte, 0, len(s)+pad*utf8.RuneLen(fill))
	for i := 0; i < left; i++ {
		b = utf8.AppendRune(b, fill)
	}
	b = append(b, s...)
	for i := left; i < pad; i++ {
		b = utf8.AppendRune(b, fill)
	}
	return string(b), nil
}

// formatInteger is CPython's get_integer: it reads the decimal digits
// (any Unicode decimal digits, as Python's int() would) at runes[*pos:],
// advancing *pos, and returns their value and how many there were.
func formatInteger(runes []rune, pos *int) (value int64, n int, err error) {
	const maxSsize = 1<<63 - 1 // PY_SSIZE_T_MAX on 64-bit platforms
	var acc uint64
	for ; *pos < len(runes); *pos++ {
		d := decimalValue(runes[*pos])
		if d < 0 {
			break
		}
		if acc > (maxSsize-uint64(d))/10 {
			return 0, 0, valueErr("Too many decimal digits in format string")
		}
		acc = acc*10 + uint64(d)
		n++
	}
	return int64(acc), n, nil
}

// decimalValue is Python's unicodedata.decimal(r, -1). Unicode assigns
// the decimal digits (category Nd) in contiguous runs of ten, 0 to 9.
func decimalValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !unicode.IsDigit(r) {
		return -1
	}
	start := r
	for unicode.IsDigit(start - 1) {
		start--
	}
	return int(r-start) % 10
}

func truncateRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// pyQuoteFormatSpec quotes spec as CPython's "%U" between single quotes
// does: verbatim.
func pyQuoteFormatSpec(spec string) string { return "'" + spec + "'" }
