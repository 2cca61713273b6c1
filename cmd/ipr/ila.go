package main

// "ipr ila": the Identifier-Locator Addressing mappings (the ila
// generic-netlink family), as iproute2 6.1's ipila.c reads its command
// line and prints them.

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ila"
)

// ilaUsage is ipila.c's usage text.
const ilaUsage = `Usage: ipr ila add loc_match LOCATOR_MATCH loc LOCATOR [ dev DEV ] OPTIONS
       ipr ila del loc_match LOCATOR_MATCH [ loc LOCATOR ] [ dev DEV ]
       ipr ila list
OPTIONS := [ csum-mode { adj-transport | neutral-map |
                         neutral-map-auto | no-action } ]
           [ ident-type { luid | use-format } ]
`

// runILA is do_ipila: ip resolves the family before it looks at the
// command, so a kernel without it fails every command alike.
func runILA(e *env, argv []string) error {
	h, err := e.genlFamily(ila.FamilyName, argv, ilaUsage)
	if err != nil {
		return err
	}
	a := &args{list: argv[1:]}
	switch w := argv[0]; {
	case matches(w, "add"), matches(w, "delete"):
		return ilaChange(e, h, a, matches(w, "add"))
	case !matches(w, "list"):
		return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr ila help\".", w)}
	case a.more():
		return &cliError{code: exitFailure, msg: `"ipr ila show" does not take any arguments.`}
	default:
		return ilaList(e)
	}
}

// ilaChange is do_add and do_del: ila_parse_opt's reading, then the
// request. Where ila_parse_opt prints a complaint and ip goes on to send
// what it has (for "add", a mapping of locator 0), ipr prints the
// complaint and stops, with status 1.
func ilaChange(e *env, h *genl.Handle, a *args, adding bool) error {
	var s ila.Spec
	complain := func(format, v string) error {
		return &cliError{code: exitFailure, msg: fmt.Sprintf(format, v)}
	}
	for a.more() {
		w := a.advance()
		var v string
		var err error
		switch {
		case matches(w, "loc"), matches(w, "loc_match"):
			if v, err = a.value(w); err != nil {
				return err
			}
			dst, what := &s.Locator, "Bad locator: %s"
			if !matches(w, "loc") {
				dst, what = &s.LocatorMatch, "Bad locator to match: %s"
			}
			loc, err := ila.ParseLocator(v)
			if err != nil {
				return complain(what, v)
			}
			*dst = &loc
		case matches(w, "csum-mode"):
			if v, err = a.value(w); err != nil {
				return err
			}
			m, ok := ila.ParseCsumMode(v)
			if !ok {
				return complain("Bad csum-mode: %s", v)
			}
			s.CsumMode = &m
		case matches(w, "ident-type"):
			if v, err = a.value(w); err != nil {
				return err
			}
			t := ila.IdentLUID
			switch v {
			case "luid":
			case "use-format":
				t = ila.IdentUseFormat
			default:
				return complain("Bad ident-type: %s", v)
			}
			s.IdentType = &t
		case matches(w, "dev"):
			if v, err = a.value(w); err != nil {
				return err
			}
			if s.Ifindex, err = e.linkIndex(v); err != nil {
				return err
			} else if s.Ifindex == 0 {
				return complain("No such interface: %s", v)
			}
		default:
			return usageText(ilaUsage)
		}
	}
	switch {
	case adding && s.Locator == nil:
		return complain("ila: missing %s", "locator")
	case adding && s.LocatorMatch == nil:
		return complain("ila: missing %s", "locator0match") // sic
	}
	req, err := ila.Delete(s)
	if adding {
		req, err = ila.Add(s)
	}
	if err != nil {
		return err
	}
	return ila.Do(e.ctx, h, req)
}

// ilaList is do_list: the mappings as print_ila_mapping prints each, in
// columns. A refused dump ends with "Dump terminated" and status 255
// (do_list's 1, negated by ip's do_cmd).
func ilaList(e *env) error {
	var buf []byte
	err := genlShow(e, ila.Mappings, func(p *printer, m ila.Mapping) {
		p.openObject("")
		for _, l := range [...]struct {
			key  string
			read func() (uint64, bool)
		}{{"locator_match", m.LocatorMatch}, {"locator", m.Locator}} {
			buf = append(buf[:0], '-')
			if v, ok := l.read(); ok {
				buf = ila.AppendLocator(buf[:0], v)
			}
			p.str(l.key, "%-20s", string(buf))
		}
		if i, ok := m.Ifindex(); ok {
			name := "*"
			if i != 0 {
				name = e.linkName(i)
			}
			p.colorStr(colorIfname, "interface", "%-16s", name)
		} else {
			p.textString("-          ")
		}
		if c, ok := m.CsumMode(); ok {
			p.str("csum_mode", "%s", c.String())
		} else {
			p.textString("-          ")
		}
		if t, ok := m.IdentType(); ok {
			p.str("ident_type", "%s", t.String())
		} else {
			p.textString("-")
		}
		p.nl()
		p.closeObject()
	})
	var ce *cliError
	if errors.As(err, &ce) && ce.code == exitFailure {
		ce.code = exitUsage
	}
	return err
}
