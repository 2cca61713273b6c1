package main

// Table-driven reading of the options of tc's kinds. tc's kinds read
// their options in the same loop, "KEYWORD [VALUE]" until the end of the
// command line (for qdiscs and classes) or the first word they do not
// know (for actions), and differ only in their keywords and what each
// one sets: a kind's parser here is its table of kindOpt, readKindOpts
// and readActionOpts the loops. Then the readers of the values the
// kinds share, and the printers of their optional values.

import (
	"slices"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// kindOpt is one keyword of a kind's options.
type kindOpt struct {
	name string
	// abbrev accepts any abbreviation of name, where tc's parser uses
	// matches() for the keyword rather than strcmp().
	abbrev bool
	// read reads what follows keyword w (the word as written, for the
	// errors) into the kind's options.
	read func(a *args, w string) error
}

// opt is the keyword name, written in full.
func opt(name string, read func(a *args, w string) error) kindOpt {
	return kindOpt{name: name, read: read}
}

// abbr is the keyword name or an abbreviation of it.
func abbr(name string, read func(a *args, w string) error) kindOpt {
	return kindOpt{name: name, abbrev: true, read: read}
}

// abbrFull is abbr for the keywords whose errors tc words with the
// keyword in full, whatever abbreviation was written.
func abbrFull(name string, read func(a *args, w string) error) kindOpt {
	return abbr(name, func(a *args, _ string) error { return read(a, name) })
}

// readKindOpts reads a kind's options to the end of the command line,
// trying opts in order (tc's order, which decides what an abbreviation
// means); a word that is none of them fails with unknown, a format of
// one %q for the word.
func readKindOpts(a *args, unknown string, opts ...kindOpt) error {
	for a.more() {
		w := a.advance()
		o := findKindOpt(opts, w)
		if o == nil {
			return tcKindError(unknown, w)
		}
		if err := o.read(a, w); err != nil {
			return err
		}
	}
	return nil
}

// readActionOpts reads an action kind's options while the next word is
// one of opts: the first word that is not ends them (it is the action's
// control, or what follows the action) and is left for the caller.
func readActionOpts(a *tcArgs, opts ...kindOpt) error {
	for a.more() {
		o := findKindOpt(opts, a.peek())
		if o == nil {
			return nil
		}
		if err := o.read(&a.args, a.advance()); err != nil {
			return err
		}
	}
	return nil
}

// findKindOpt returns the first of opts that word w names, nil if none.
func findKindOpt(opts []kindOpt, w string) *kindOpt {
	for i := range opts {
		if o := &opts[i]; w == o.name || o.abbrev && matches(w, o.name) {
			return o
		}
	}
	return nil
}

// setTo reads the value with read into *dst.
func setTo[T any](dst *T, read func(a *args, w string) (T, error)) func(a *args, w string) error {
	return func(a *args, w string) (err error) {
		*dst, err = read(a, w)
		return err
	}
}

// setSome reads the value with read into the optional *dst.
func setSome[T any](dst *rtm.Opt[T], read func(a *args, w string) (T, error)) func(a *args, w string) error {
	return func(a *args, w string) error {
		v, err := read(a, w)
		*dst = rtm.Some(v)
		return err
	}
}

// setU16 reads a decimal number into the 16-bit *dst, keeping its low
// bits: tc reads these with get_u32 into a 16-bit field.
func setU16(dst *uint16) func(a *args, w string) error {
	return func(a *args, w string) error {
		v, err := htbU32(a, w, 10)
		*dst = uint16(v)
		return err
	}
}

// setFlag sets the optional *dst: true for keyword yes, false for its
// negation (the other keyword of the pair, "ecn" and "noecn").
func setFlag(dst *rtm.Opt[bool], yes string) func(a *args, w string) error {
	return func(_ *args, w string) error {
		*dst = rtm.Some(w == yes)
		return nil
	}
}

// setBits sets bits in *dst, for keywords that are flags without a
// value.
func setBits[T ~uint8 | ~uint16 | ~uint32](dst *T, bits T) func(a *args, w string) error {
	return func(*args, string) error {
		*dst |= bits
		return nil
	}
}

// setValue is for the keywords without a value that set *dst to v.
func setValue[T any](dst *T, v T) func(a *args, w string) error {
	return func(*args, string) error {
		*dst = v
		return nil
	}
}

// skipWord is for the keywords tc reads and ignores.
func skipWord(*args, string) error { return nil }

// setTrue sets *dst, for a keyword that is a flag without a value.
func setTrue(dst *bool) func(a *args, w string) error {
	return func(*args, string) error {
		*dst = true
		return nil
	}
}

// legalArg reads the value after keyword w with parse, failing as tc's
// kinds do for a value they cannot parse ("Illegal \"rate\"").
func legalArg[T any](a *args, w string, parse func(string) (T, error)) (T, error) {
	return checkedArg(a, w, parse, func(string) error { return tcKindError("Illegal %q", w) })
}

// checkedArg reads the value after keyword w with parse; a value that
// parse refuses fails with fail's error, which tc words differently for
// each keyword.
func checkedArg[T any](a *args, w string, parse func(string) (T, error), fail func(v string) error) (T, error) {
	var zero T
	v, err := a.value(w)
	if err != nil {
		return zero, err
	}
	t, err := parse(v)
	if err != nil {
		return zero, fail(v)
	}
	return t, nil
}

// sizeWords are tc's words for the size of a field (u8, u16, u32), by
// the size in bytes.
var sizeWords = [...]string{1: "u8", 2: "u16", 4: "u32"}

// sizeWord returns the size in bytes that word names, false for a word
// that names none.
func sizeWord(word string) (int, bool) {
	if i := slices.Index(sizeWords[:], word); i > 0 {
		return i, true
	}
	return 0, false
}

// decimalU32Arg reads an unsigned decimal argument (tc's get_u32 with
// base 10).
func decimalU32Arg(a *args, w string) (uint32, error) { return htbU32(a, w, 10) }

// linklayerArg reads a link layer name ("ethernet", "atm", "adsl").
func linklayerArg(a *args, w string) (tc.Linklayer, error) {
	v, err := a.value(w)
	if err != nil {
		return 0, err
	}
	return tc.ParseLinklayer(v)
}

// The printers of optional values: each prints its value as its tc
// counterpart does, and nothing for a value the kernel did not report.

// optUint prints v with print_uint.
func optUint[T ~uint8 | ~uint16 | ~uint32](p *printer, key, format string, v rtm.Opt[T]) {
	if v, ok := v.Get(); ok {
		p.uint(key, format, uint64(v))
	}
}

// optTime prints v as tc's time (tcTime).
func optTime(p *printer, key, format string, v rtm.Opt[tc.Time]) {
	if v, ok := v.Get(); ok {
		tcTime(p, key, format, v)
	}
}

// optSize prints v with print_size (tcSize).
func optSize(p *printer, key, format string, v rtm.Opt[uint32]) {
	if v, ok := v.Get(); ok {
		tcSize(p, key, format, v)
	}
}
