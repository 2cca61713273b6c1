package main

// tc's action syntax: "action KIND OPTIONS [CONTROL] [index N] [cookie
// HEX] [no_percpu] [skip_hw|skip_sw]", repeated, as tc's parse_action
// reads it for filters and for "tc actions".

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// tcArgs walks a tc command line, with what its kinds need: device names
// resolved to indices.
type tcArgs struct {
	args
	resolve func(name string) (int32, error)
}

// tcNumber parses a number as tc's get_u32 with base 0 does: decimal,
// 0x hex or 0 octal.
func tcNumber(keyword, s string, bits int) (uint64, error) { return tcNumberBase(keyword, s, 0, bits) }

// tcNumberBase is tcNumber in base (10 for get_u32 with base 10).
func tcNumberBase(keyword, s string, base, bits int) (uint64, error) {
	v, err := strconv.ParseUint(s, base, bits)
	if err != nil {
		return 0, invarg("invalid "+keyword, s)
	}
	return v, nil
}

// number returns the value after keyword, parsed as a number of bits
// bits (numberArg).
func (a *tcArgs) number(keyword string, bits int) (uint64, error) {
	return numberArg(&a.args, keyword, bits)
}

// decimal returns the value after keyword as tc's get_u32 with base 10.
func (a *tcArgs) decimal(keyword string) (uint32, error) {
	v, err := parseValue(&a.args, keyword, func(s string) (uint64, error) { return tcNumberBase(keyword, s, 10, 32) })
	return uint32(v), err
}

// parseClassid parses a class handle as tc's get_tc_classid: "root",
// "none", "MAJ:MIN" or "MAJ:" in hex, or a bare hex number.
func parseClassid(s string) (tc.Handle, error) {
	switch s {
	case "root":
		return 0xffffffff, nil
	case "none":
		return 0, nil
	}
	maj, min, colon := strings.Cut(s, ":")
	var hi, lo uint64
	var err error
	if maj != "" {
		if hi, err = strconv.ParseUint(maj, 16, 32); err != nil {
			return 0, invarg("invalid class ID", s)
		}
	}
	if !colon {
		if maj == "" {
			return 0, invarg("invalid class ID", s)
		}
		return tc.Handle(hi), nil
	}
	if hi >= 1<<16 {
		return 0, invarg("invalid class ID", s)
	}
	if min != "" {
		if lo, err = strconv.ParseUint(min, 16, 16); err != nil {
			return 0, invarg("invalid class ID", s)
		}
	}
	return tc.Handle(hi<<16 | lo), nil
}

// verdictWords are tc's action_a2n names, in its order: a prefix matches
// the first.
var verdictWords = [...]struct {
	name string
	v    tc.Verdict
}{
	{"continue", tc.VerdictContinue}, {"drop", tc.VerdictDrop}, {"shot", tc.VerdictDrop},
	{"pass", tc.VerdictPass}, {"ok", tc.VerdictPass}, {"reclassify", tc.VerdictReclassify},
	{"pipe", tc.VerdictPipe}, {"goto", -2}, {"jump", -3}, {"trap", tc.VerdictTrap},
}

// isVerdict reports whether word names a verdict.
func isVerdict(word string) bool {
	for _, w := range verdictWords {
		if matches(word, w.name) {
			return true
		}
	}
	return false
}

// verdict parses a control at the current word ("drop", "goto chain 4",
// "jump 2"), as tc's parse_action_control.
func (a *tcArgs) verdict() (tc.Verdict, error) {
	word := a.advance()
	for _, w := range verdictWords {
		if !matches(word, w.name) {
			continue
		}
		switch w.v {
		case -2:
			s, err := a.value("goto")
			if err != nil {
				return 0, err
			}
			if !matches(s, "chain") {
				return 0, usagef("\"chain index\" expected")
			}
			n, err := a.decimal("chain index")
			if err != nil || n > tc.VerdictOperandMax {
				return 0, usagef("Illegal \"chain index\"")
			}
			return tc.GotoChain(n), nil
		case -3:
			n, err := a.decimal("jump count")
			if err != nil || n > tc.VerdictOperandMax {
				return 0, usagef("Invalid \"jump count\"")
			}
			return tc.Jump(n), nil
		}
		return w.v, nil
	}
	return 0, usagef("Bad action type %s", word)
}

// optionalControl parses a control if the current word is one.
func (a *tcArgs) optionalControl(act *tc.Action) error {
	if !a.more() || !isVerdict(a.peek()) {
		return nil
	}
	v, err := a.verdict()
	if err != nil {
		return err
	}
	act.Control = rtm.Some(v)
	return nil
}

// optionalIndex parses "index N" if it comes next.
func (a *tcArgs) optionalIndex(act *tc.Action) error {
	if !a.more() || !matches(a.peek(), "index") {
		return nil
	}
	a.advance()
	n, err := a.decimal("index")
	if err != nil {
		return err
	}
	act.Index = n
	return nil
}

// parseActions reads tc's action list: it starts after the first
// "action" keyword and stops at a word that is neither an action nor
// "action" (such as "classid"), left for the caller.
func (a *tcArgs) parseActions() ([]tc.Action, error) {
	var acts []tc.Action
	for a.more() {
		word := a.peek()
		switch {
		case word == "action":
			a.advance()
			continue
		case matches(word, "classid") || word == "flowid":
			return acts, nil
		}
		kind := word
		if isVerdict(word) {
			kind = "gact"
		} else {
			a.advance()
		}
		act, err := a.parseAction(kind)
		if err != nil {
			return nil, err
		}
		if err := a.actionTrailer(&act); err != nil {
			return nil, err
		}
		acts = append(acts, act)
		if len(acts) > tc.MaxActions {
			return nil, usagef("too many actions, at most %d", tc.MaxActions)
		}
		if a.more() && a.peek() != "action" {
			break
		}
	}
	if len(acts) == 0 {
		return nil, usagef("bad action empty")
	}
	return acts, nil
}

// actionTrailer parses what follows every action: cookie, no_percpu,
// skip_hw and skip_sw.
func (a *tcArgs) actionTrailer(act *tc.Action) error {
	if a.more() && a.peek() == "cookie" {
		a.advance()
		s, err := a.value("cookie")
		if err != nil {
			return err
		}
		b, err := hex.DecodeString(s)
		if err != nil || len(b) > 16 {
			return invarg("cookie must be a hex string of at most 16 bytes", s)
		}
		act.Cookie = b
	}
	if a.more() && a.peek() == "no_percpu" {
		a.advance()
		act.Flags |= tc.ActionNoPercpuStats
	}
	for i := 0; i < 2 && a.more(); i++ {
		switch a.peek() {
		case "skip_sw":
			act.Flags |= tc.ActionSkipSW
		case "skip_hw":
			act.Flags |= tc.ActionSkipHW
		default:
			continue
		}
		a.advance()
	}
	return nil
}

// parseAction reads one action of kind, its control and index.
func (a *tcArgs) parseAction(kind string) (tc.Action, error) {
	var act tc.Action
	var err error
	switch kind {
	case "gact":
		err = a.parseGact(&act)
	case "mirred":
		err = a.parseMirred(&act)
	case "police":
		var p *tc.Police
		p, err = a.parsePolice(&act.Index)
		act.Kind = p
		return act, err
	default:
		parse := actionParsers(kind)
		if parse == nil {
			return act, usagef("action %q is not implemented by ipr", kind)
		}
		act.Kind, err = parse(a)
		if err != nil {
			return act, err
		}
		if err := a.optionalControl(&act); err != nil {
			return act, err
		}
		err = a.optionalIndex(&act)
	}
	return act, err
}

// parseGact reads "[gact] CONTROL [random netrand|determ CONTROL VAL]
// [index N]", or "index N" alone to bind an existing action.
func (a *tcArgs) parseGact(act *tc.Action) error {
	if a.more() && matches(a.peek(), "gact") {
		a.advance()
	}
	g := &tc.Gact{}
	act.Kind = g
	if a.more() && matches(a.peek(), "index") {
		return a.optionalIndex(act)
	}
	if !a.more() {
		return errIncomplete
	}
	v, err := a.verdict()
	if err != nil {
		return err
	}
	g.Verdict = v
	if a.more() && matches(a.peek(), "random") {
		a.advance()
		s, err := a.value("random")
		if err != nil {
			return err
		}
		r := &tc.GactRandom{}
		switch {
		case matches(s, "netrand"):
		case matches(s, "determ"):
			r.Deterministic = true
		default:
			return usagef("Illegal \"random type\"")
		}
		if !a.more() {
			return errIncomplete
		}
		if r.Verdict, err = a.verdict(); err != nil {
			return err
		}
		n, err := a.number("probability", 16)
		if err != nil || n > 10000 {
			return usagef("Illegal probability val")
		}
		r.Value = uint16(n)
		g.Random = r
	}
	return a.optionalIndex(act)
}

// parseMirred reads "egress|ingress mirror|redirect dev DEV [CONTROL]
// [index N]" or "index N".
func (a *tcArgs) parseMirred(act *tc.Action) error {
	m := &tc.Mirred{}
	act.Kind = m
	if a.more() && matches(a.peek(), "index") {
		return a.optionalIndex(act)
	}
	dir, err := a.value("mirred")
	if err != nil {
		return err
	}
	switch {
	case matches(dir, "egress"):
	case matches(dir, "ingress"):
		m.Ingress = true
	default:
		return usagef("mirred: was expecting egress or ingress (%s)", dir)
	}
	how, err := a.value("mirred")
	if err != nil {
		return err
	}
	switch {
	case matches(how, "mirror"):
		m.Mirror = true
	case matches(how, "redirect"):
	default:
		return usagef("mirred: was expecting mirror or redirect (%s)", how)
	}
	switch {
	case a.more() && a.peek() == "blockid":
		a.advance()
		n, err := a.number("blockid", 32)
		if err != nil || n == 0 {
			return usagef("invalid block ID")
		}
		m.Block = uint32(n)
	case a.more() && matches(a.peek(), "dev"):
		a.advance()
		name, err := a.value("dev")
		if err != nil {
			return err
		}
		if m.Ifindex, err = a.resolve(name); err != nil {
			return err
		}
	}
	if m.Mirror {
		if err := a.optionalControl(act); err != nil {
			return err
		}
	}
	return a.optionalIndex(act)
}

// parsePolice reads tc's police options (after "police"); index
// receives "index N".
func (a *tcArgs) parsePolice(index *uint32) (*tc.Police, error) {
	p := &tc.Police{Exceed: tc.VerdictReclassify}
	ok := false
	for a.more() {
		word := a.peek()
		switch {
		case matches(word, "index"):
			a.advance()
			n, err := a.decimal("index")
			if err != nil {
				return nil, err
			}
			*index = n
		case matches(word, "burst"), word == "buffer", word == "maxburst",
			word == "mtu", word == "minburst", word == "mpu":
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			sz, err := tc.ParseSize(s)
			switch {
			case word == "mtu" || word == "minburst":
				p.MTU = uint32(sz)
			case word == "mpu":
				p.MPU = uint16(sz)
			default:
				p.Burst = uint32(sz)
			}
			if err != nil {
				return nil, invarg(word, s)
			}
		case word == "rate", matches(word, "peakrate"), word == "avrate":
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			r, err := tc.ParseRate(s)
			if err != nil {
				return nil, invarg(word, s)
			}
			switch word {
			case "rate":
				p.Rate = r
			case "avrate":
				p.AvgRate = uint32(r)
			default:
				p.PeakRate = r
			}
		case word == "conform-exceed":
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			exceed, conform, slash := strings.Cut(s, "/")
			sub := tcArgs{args: args{list: []string{exceed}}}
			if p.Exceed, err = sub.verdict(); err != nil {
				return nil, err
			}
			if slash {
				sub = tcArgs{args: args{list: []string{conform}}}
				if p.Conform, err = sub.verdict(); err != nil {
					return nil, err
				}
			}
		case isVerdict(word):
			v, err := a.verdict()
			if err != nil {
				return nil, err
			}
			p.Exceed = v
		case matches(word, "overhead"):
			a.advance()
			n, err := a.decimal("overhead")
			if err != nil || n > 0xffff {
				return nil, invarg("overhead", word)
			}
			p.Overhead = uint16(n)
		case matches(word, "linklayer"):
			a.advance()
			ll, err := checkedArg(&a.args, word, tc.ParseLinklayer, func(s string) error { return invarg("linklayer", s) })
			if err != nil {
				return nil, err
			}
			p.Linklayer = ll
		case matches(word, "pkts_rate"), matches(word, "pkts_burst"):
			a.advance()
			s, err := a.value(word)
			if err != nil {
				return nil, err
			}
			n, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return nil, invarg(word, s)
			}
			if matches(word, "pkts_rate") {
				p.PacketRate = n
			} else {
				p.PacketBurst = n
			}
		default:
			if !ok {
				return nil, usagef("police: unknown argument %q", word)
			}
			return p, nil
		}
		ok = true
	}
	return p, nil
}
