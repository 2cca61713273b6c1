package ipnet

import (
	"errors"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The error types below are the Go analogues of the exceptions Python's
// ipaddress raises. Error() returns exactly the message Python puts in the
// exception (str(exc)), quoting input with Python's repr rules, so messages
// can be compared with Python's verbatim. All of them match ErrValue,
// ErrVersion, ErrIndex or ErrFormat with errors.Is, mirroring Python's class hierarchy
// (AddressValueError and NetmaskValueError are subclasses of ValueError).

// pyError is embedded in every error type below: it holds Python's
// message and gives them their Error method.
type pyError struct{ msg string }

// Error returns Python's message.
func (e *pyError) Error() string { return e.msg }

// Sentinel errors for errors.Is, one for each Python exception family.
var (
	// ErrValue matches every *AddressError, *NetmaskError and *ValueError:
	// Python's ValueError and its subclasses.
	ErrValue = errors.New("ipnet: invalid value")
	// ErrVersion matches every *VersionError: Python's TypeError, raised
	// when IPv4 and IPv6 objects are mixed.
	ErrVersion = errors.New("ipnet: IP versions differ")
	// ErrIndex matches every *IndexError.
	ErrIndex = errors.New("ipnet: index out of range")
	// ErrFormat matches every *FormatError.
	ErrFormat = errors.New("ipnet: unsupported format spec")
)

// AddressError reports a string, integer or byte slice that is not a valid
// address: Python's AddressValueError.
type AddressError struct{ pyError }

// Is reports whether target is ErrValue.
func (e *AddressError) Is(target error) bool { return target == ErrValue }

// NetmaskError reports an invalid prefix length, netmask or hostmask:
// Python's NetmaskValueError.
type NetmaskError struct{ pyError }

// Is reports whether target is ErrValue.
func (e *NetmaskError) Is(target error) bool { return target == ErrValue }

// ValueError reports any other invalid argument: a network with host bits
// set, a string that is neither an IPv4 nor an IPv6 address, an impossible
// subnet or supernet request. It is Python's plain ValueError.
type ValueError struct{ pyError }

// Is reports whether target is ErrValue.
func (e *ValueError) Is(target error) bool { return target == ErrValue }

// VersionError reports an operation that mixes IPv4 and IPv6 objects:
// Python's TypeError.
type VersionError struct{ pyError }

// Is reports whether target is ErrVersion.
func (e *VersionError) Is(target error) bool { return target == ErrVersion }

// IndexError reports a network index outside the network: Python's
// IndexError.
type IndexError struct{ pyError }

// Is reports whether target is ErrIndex.
func (e *IndexError) Is(target error) bool { return target == ErrIndex }

// FormatError reports a format spec that Format does not support at all:
// Python's TypeError "unsupported format string passed to
// IPv4Address.__format__". (A malformed string spec, one ending in 's', is a
// *ValueError, as in Python.)
type FormatError struct{ pyError }

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// must returns v, or panics with err: the MustParse functions, for
// constants known to be valid.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// unmarshalText sets *dst to parse(text), or leaves it alone and returns
// parse's error: the UnmarshalText methods.
func unmarshalText[T any](dst *T, text []byte, parse func(string) (T, error)) error {
	v, err := parse(string(text))
	if err == nil {
		*dst = v
	}
	return err
}

func addrErr(parts ...string) error    { return &AddressError{pyError{concat(parts)}} }
func netmaskErr(parts ...string) error { return &NetmaskError{pyError{concat(parts)}} }
func valueErr(parts ...string) error   { return &ValueError{pyError{concat(parts)}} }
func versionErr(a, b, what string) error {
	return &VersionError{pyError{a + " and " + b + " are not of the same " + what}}
}

// orInvalid returns err, or if the step-by-step retrace of Python found
// nothing wrong with s (a disagreement with the fast parser, which the
// fuzz tests rule out) a generic *AddressError, so that a rejected input
// never goes without an error.
func orInvalid(err error, s string) error {
	if err != nil {
		return err
	}
	return addrErr("Invalid address ", pyRepr(s))
}

var errIndexRange = &IndexError{pyError{"address out of range"}}

func concat(parts []string) string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = append(b, p...)
	}
	return string(b)
}

// pyRepr returns s quoted as Python's repr() quotes a str. Bytes that are
// not valid UTF-8, which a Python str cannot hold, are shown as \xNN.
func pyRepr(s string) string {
	quote := byte('\'')
	if containsByte(s, '\'') && !containsByte(s, '"') {
		quote = '"'
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = appendHexEscape(b, 'x', uint32(s[i]), 2)
			i++
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r < ' ' || r == 0x7f:
			b = appendHexEscape(b, 'x', uint32(r), 2)
		case r < 0x7f || unicode.IsPrint(r):
			b = utf8.AppendRune(b, r)
		case r <= 0xff:
			b = appendHexEscape(b, 'x', uint32(r), 2)
		case r <= 0xffff:
			b = appendHexEscape(b, 'u', uint32(r), 4)
		default:
			b = appendHexEscape(b, 'U', uint32(r), 8)
		}
	}
	return string(append(b, quote))
}

// pyBytesRepr returns p quoted as Python's repr() quotes a bytes object.
func pyBytesRepr(p []byte) string {
	quote := byte('\'')
	if containsByte(string(p), '\'') && !containsByte(string(p), '"') {
		quote = '"'
	}
	b := append(make([]byte, 0, len(p)+3), 'b', quote)
	for _, c := range p {
		switch {
		case c == quote || c == '\\':
			b = append(b, '\\', c)
		case c == '\t':
			b = append(b, `\t`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c < ' ' || c >= 0x7f:
			b = appendHexEscape(b, 'x', uint32(c), 2)
		default:
			b = append(b, c)
		}
	}
	return string(append(b, quote))
}

func appendHexEscape(b []byte, kind byte, v uint32, width int) []byte {
	b = append(b, '\\', kind)
	for shift := 4 * (width - 1); shift >= 0; shift -= 4 {
		b = append(b, hexDigits[v>>uint(shift)&0xf])
	}
	return b
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// runeLen is Python's len() of a str: the number of code points, counting
// each invalid UTF-8 byte as one.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

func itoa(n int) string { return strconv.Itoa(n) }

const hexDigits = "0123456789abcdef"
