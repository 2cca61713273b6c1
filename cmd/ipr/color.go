package main

// -color: iproute2 6.1's lib/color.c. A few fields (interface names, MAC
// addresses, IPv4 and IPv6 addresses, the UP and DOWN operational states)
// are wrapped in ANSI escapes, the whole of their text format included,
// as color_fprintf wraps the printf of print_color_string.

import (
	"os"
	"strings"
)

// colorAttr is iproute2's enum color_attr: what a colored field is.
type colorAttr uint8

const (
	colorIfname colorAttr = iota
	colorMAC
	colorInet
	colorInet6
	colorOperUp
	colorOperDown
	colorPlain // COLOR_NONE: printed without escapes
)

// palette holds the escape of each colorAttr but colorPlain.
type palette [colorPlain]string

// colorClear is color.c's C_CLEAR, written after each colored field.
const colorClear = "\x1b[0m"

// The two palettes of color.c: attr_colors_light (the default) and
// attr_colors_dark, chosen by COLORFGBG.
var (
	lightPalette = palette{"\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[34m", "\x1b[32m", "\x1b[31m"}
	darkPalette  = palette{"\x1b[1;36m", "\x1b[1;33m", "\x1b[1;35m", "\x1b[1;34m", "\x1b[1;32m", "\x1b[1;31m"}
)

// enableColor is check_enable_color: the palette the output uses, or nil
// for none. JSON is never colored; "auto" colors a terminal only.
func enableColor(opt colorOption, json bool, stdout any) *palette {
	if json || opt == colorNone || opt == colorNever {
		return nil
	}
	if opt == colorAuto && !isTerminal(stdout) {
		return nil
	}
	if darkBackground(os.Getenv("COLORFGBG")) {
		return &darkPalette
	}
	return &lightPalette
}

// darkBackground is set_color_palette's reading of COLORFGBG ("15;0",
// "default;default;0"): the background, its last field, is dark when it
// is a single digit from 0 to 6 or 8.
func darkBackground(v string) bool {
	i := strings.LastIndexByte(v, ';')
	if i < 0 || len(v) != i+2 {
		return false
	}
	c := v[i+1]
	return c >= '0' && c <= '6' || c == '8'
}

// familyColor is ifa_family_color.
func familyColor(family uint8) colorAttr {
	switch family {
	case 2: // AF_INET
		return colorInet
	case 10: // AF_INET6
		return colorInet6
	}
	return colorPlain
}

// operStateColor is oper_state_color.
func operStateColor(state uint8) colorAttr {
	switch state {
	case 6: // IF_OPER_UP
		return colorOperUp
	case 2: // IF_OPER_DOWN
		return colorOperDown
	}
	return colorPlain
}

// colorStr is print_color_string: str, its text wrapped in the escapes
// of c when -color is on.
func (p *printer) colorStr(c colorAttr, key, format, v string) {
	on := p.colorOn(c)
	p.str(key, format, v)
	p.colorOff(on)
}

// colorStrBytes is colorStr for strBytes.
func (p *printer) colorStrBytes(c colorAttr, key, format string, v []byte) {
	on := p.colorOn(c)
	p.strBytes(key, format, v)
	p.colorOff(on)
}

// colorOn starts c's escape when the text output is colored, and says
// whether it did.
func (p *printer) colorOn(c colorAttr) bool {
	if p.palette == nil || p.json || c == colorPlain {
		return false
	}
	p.buf = append(p.buf, p.palette[c]...)
	return true
}

// colorOff ends what colorOn started.
func (p *printer) colorOff(on bool) {
	if on {
		p.buf = append(p.buf, colorClear...)
	}
}

// addrColor is the color of an address by its length, as print_neigh and
// the bridge command choose it where the family does not say.
func addrColor(a []byte) colorAttr {
	if len(a) == 16 {
		return colorInet6
	}
	return colorInet
}

// strAroundIn is strAround with the value and post colored c, as
// iproute2 colors the whole formatted value ("dev \e[..meth0 \e[0m").
func (p *printer) strAroundIn(c colorAttr, key, pre, v, post string) {
	if p.palette == nil || p.json {
		p.strAround(key, pre, v, post)
		return
	}
	p.buf = append(p.buf, pre...)
	on := p.colorOn(c)
	p.buf = append(append(p.buf, v...), post...)
	p.colorOff(on)
}

// addrAroundIn is addrAround with the value and post colored c. A host
// name that -resolve put in place of an address is quoted with its
// characters escaped: /etc/hosts may hold anything.
func (p *printer) addrAroundIn(c colorAttr, key, pre string, v []byte, post string) {
	switch {
	case p.json && resolveHosts:
		p.bytesAround(key, pre, v, post)
	case p.palette == nil || p.json:
		p.addrAround(key, pre, v, post)
	default:
		p.buf = append(p.buf, pre...)
		on := p.colorOn(c)
		p.buf = append(append(p.buf, v...), post...)
		p.colorOff(on)
	}
}
