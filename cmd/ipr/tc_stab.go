package main

// A qdisc's size table ("stab overhead 20 linklayer atm"), read as tc
// 6.1's tc_stab.c reads it.

import (
	"strconv"

	"github.com/ipr-go/ipr/rtm/tc"
)

// parseStab is parse_size_table: the options after "stab", up to the
// first word that is not one.
func parseStab(a *args) (*tc.SizeTable, error) {
	if !a.more() {
		return nil, errIncomplete
	}
	if matches(a.peek(), "help") {
		return nil, usagef("Usage: ... stab [ mtu BYTES ] [ tsize SLOTS ] [ mpu BYTES ] [ overhead BYTES ] [ linklayer TYPE ] ...")
	}
	st := &tc.SizeTable{}
	u32 := func(word string, dst *uint32) error {
		v, err := a.value(word)
		if err != nil {
			return err
		}
		if *dst != 0 {
			return usagef("duplicate %q: %q is the second value.", word, v)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return invarg(word, "invalid "+word)
		}
		*dst = uint32(n)
		return nil
	}
	for a.more() {
		w := a.peek()
		var err error
		switch {
		case matches(w, "mtu"):
			a.advance()
			err = u32(w, &st.MTU)
		case matches(w, "mpu"):
			a.advance()
			err = u32(w, &st.MPU)
		case matches(w, "tsize"):
			a.advance()
			err = u32(w, &st.TSize)
		case matches(w, "overhead"):
			a.advance()
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			if st.Overhead != 0 {
				return nil, usagef("duplicate \"overhead\": %q is the second value.", v)
			}
			n, perr := strconv.ParseInt(v, 10, 32)
			if perr != nil {
				return nil, invarg("overhead", "invalid overhead")
			}
			st.Overhead = int32(n)
		case matches(w, "linklayer"):
			a.advance()
			v, verr := a.value(w)
			if verr != nil {
				return nil, verr
			}
			if st.Linklayer != tc.LinklayerUnspec {
				return nil, usagef("duplicate \"linklayer\": %q is the second value.", v)
			}
			if st.Linklayer, err = tc.ParseLinklayer(v); err != nil {
				return nil, invarg("linklayer", "invalid linklayer")
			}
		default:
			return checkStab(st)
		}
		if err != nil {
			return nil, err
		}
	}
	return checkStab(st)
}

// checkStab is check_size_table_opts: a table without an overhead, an
// mpu or a link layer is refused.
func checkStab(st *tc.SizeTable) (*tc.SizeTable, error) {
	if st.Linklayer < tc.LinklayerEthernet && st.MPU == 0 && st.Overhead == 0 {
		return nil, usagef("stab: give an overhead, an mpu or a link layer")
	}
	return st, nil
}

// printStab is print_size_table, on a line of its own as tc's -d prints
// it.
func printStab(p *printer, o tc.Object) {
	st, ok := o.SizeTable()
	if !ok {
		return
	}
	p.openObject("stab")
	p.textString(" ")
	if st.Linklayer != tc.LinklayerUnspec {
		p.str("linklayer", "linklayer %s ", st.Linklayer.String())
	}
	if st.Overhead != 0 {
		p.int("overhead", "overhead %d ", int64(st.Overhead))
	}
	if st.MPU != 0 {
		p.uint("mpu", "mpu %d ", uint64(st.MPU))
	}
	if st.MTU != 0 {
		p.uint("mtu", "mtu %d ", uint64(st.MTU))
	}
	if st.TSize != 0 {
		p.uint("tsize", "tsize %d ", uint64(st.TSize))
	}
	p.closeObject()
	p.nl()
}
