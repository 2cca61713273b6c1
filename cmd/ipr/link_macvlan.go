package main

// The macvlan and macvtap link kinds: parser and printer.

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// Macvlan modes and flags (linux/if_link.h), which x/sys/unix lacks.
const (
	macvlanModePrivate  = 1
	macvlanModeVEPA     = 2
	macvlanModeBridge   = 4
	macvlanModePassthru = 8
	macvlanModeSource   = 16

	macvlanFlagNoPromisc = 1
	macvlanFlagNoDst     = 2
)

func printMacvlan(p *printer, tb *nla.Index, _ *linkNames) {
	a, ok := tb.Get(unix.IFLA_MACVLAN_MODE)
	if !ok || len(a.Data) < 4 {
		return
	}
	mode := attrU32(a)
	name := "unknown"
	switch mode {
	case macvlanModePrivate:
		name = "private"
	case macvlanModeVEPA:
		name = "vepa"
	case macvlanModeBridge:
		name = "bridge"
	case macvlanModePassthru:
		name = "passthru"
	case macvlanModeSource:
		name = "source"
	}
	p.str("mode", "mode %s ", name)
	var flags uint16
	if a, ok := tb.Get(unix.IFLA_MACVLAN_FLAGS); ok && len(a.Data) >= 2 {
		flags = attrU16(a)
	}
	if flags&macvlanFlagNoPromisc != 0 {
		p.boolean("nopromisc", "nopromisc ", true)
	}
	if flags&macvlanFlagNoDst != 0 {
		p.boolean("nodst", "nodst ", true)
	}
	if a, ok := tb.Get(unix.IFLA_MACVLAN_BC_QUEUE_LEN); ok && len(a.Data) >= 4 {
		p.uint("bcqueuelen", "bcqueuelen %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.IFLA_MACVLAN_BC_QUEUE_LEN_USED); ok && len(a.Data) >= 4 {
		p.uint("usedbcqueuelen", "usedbcqueuelen %d ", uint64(attrU32(a)))
	}
	if mode != macvlanModeSource {
		return
	}
	a, ok = tb.Get(unix.IFLA_MACVLAN_MACADDR_COUNT)
	if !ok || len(a.Data) < 4 {
		return
	}
	p.int("macaddr_count", "remotes (%d) ", int64(int32(attrU32(a))))
	data, ok := tb.Get(unix.IFLA_MACVLAN_MACADDR_DATA)
	if !ok {
		return
	}
	p.openArray("macaddr_data")
	for m := range data.Nested().AllOf(unix.IFLA_MACVLAN_MACADDR) {
		if len(m.Data) >= 6 {
			p.str("", "%s ", hwString(m.Data[:6], unix.ARPHRD_ETHER))
		}
	}
	p.closeArray()
}

// parseMacvlan parses the arguments of "type macvlan and type macvtap".
func parseMacvlan(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	m := &rtm.Macvlan{Tap: kind == "macvtap"}
	s.Kind = m
	var flags rtm.MacvlanFlags
	err := kp.parse(map[string]func() error{
		"mode": func() error {
			v, err := a.value("mode")
			if err != nil {
				return err
			}
			modes := map[string]rtm.MacvlanMode{"private": rtm.MacvlanPrivate, "vepa": rtm.MacvlanVEPA,
				"bridge": rtm.MacvlanBridge, "passthru": rtm.MacvlanPassthru, "source": rtm.MacvlanSource}
			mode, ok := modes[v]
			if !ok {
				return usagef("type %s: invalid mode %q", kind, v)
			}
			m.Mode = mode
			return nil
		},
		"nopromisc": func() error { flags |= rtm.MacvlanNoPromisc; return nil },
		"nodst":     func() error { flags |= rtm.MacvlanNoDst; return nil },
	})
	if flags != 0 {
		m.Flags = rtm.Some(flags)
	}
	return err
}
