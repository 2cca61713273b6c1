package main

// Link kinds, as iproute2's link_util: the dispatch to each kind's parser
// and printer, the helpers the parsers share, and the kinds whose
// arguments are few and that print nothing of their own. Each other kind
// has a file of its own, link_KIND.go, with its parser and its printer.

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// kindPrinter prints a kind's IFLA_INFO_DATA (or a port's
// IFLA_INFO_SLAVE_DATA). It is not called when the attribute is absent:
// no kind prints anything then.
type kindPrinter func(p *printer, data *nla.Index, names *linkNames)

// kindPrinterOf returns the printer of a kind whose data is printed, named as iproute2
// names its link_util modules. Kinds iproute2 prints nothing for (veth,
// dummy, ifb, ...) are absent, as are kinds not implemented here.
func kindPrinterOf(kind string) kindPrinter {
	switch kind {
	case "bridge":
		return printBridge
	case "bridge_slave":
		return printBridgePort
	case "vxlan":
		return printVXLAN
	case "macvlan":
		return printMacvlan
	case "macvtap":
		return printMacvlan
	case "tun":
		return printTun
	case "vlan":
		return printVlan
	case "vrf":
		return printVRF
	case "ipvlan", "ipvtap":
		return printIPVlan
	case "vti":
		return printVTIFor(unix.AF_INET)
	case "vti6":
		return printVTIFor(unix.AF_INET6)
	case "xfrm":
		return printXfrm
	case "hsr":
		return printHSR
	case "geneve":
		return printGeneve
	case "bareudp":
		return printBareUDP
	case "gre", "gretap", "erspan":
		return printGRE
	case "ipip", "sit":
		return printIPTunnel
	case "ip6gre", "ip6gretap", "ip6erspan":
		return printGRE6
	case "ip6tnl":
		return printIP6Tunnel
	case "macsec":
		return printMACsec
	case "gtp":
		return printGTP
	case "ipoib":
		return printIPoIB
	case "bond":
		return printBond
	}
	return nil
}

// printLinkInfo prints IFLA_LINKINFO, iproute2's print_linktype.
func printLinkInfo(p *printer, info nla.Chain, names *linkNames) {
	p.openObject("linkinfo")
	kind, hasKind := info.Get(unix.IFLA_INFO_KIND)
	if hasKind {
		k := attrStr(kind)
		p.nl()
		p.str("info_kind", "    %s ", k)
		printKindData(p, "info_data", k, info, unix.IFLA_INFO_DATA, names)
	}
	if slave, ok := info.Get(unix.IFLA_INFO_SLAVE_KIND); ok {
		k := attrStr(slave)
		p.nl()
		p.str("info_slave_kind", "    %s_slave ", k)
		printKindData(p, "info_slave_data", k+"_slave", info, unix.IFLA_INFO_SLAVE_DATA, names)
	}
	p.closeObject()
}

func printKindData(p *printer, key, kind string, info nla.Chain, typ uint16, names *linkNames) {
	printData := kindPrinterOf(kind)
	ok := printData != nil
	if !ok {
		return
	}
	p.openObject(key)
	if a, ok := info.Get(typ); ok {
		var data nla.Index
		data.Reset(a.Nested())
		printData(p, &data, names)
	}
	p.closeObject()
}

// ipLinkKinds are the kinds ip 6.1 has a module for (its link_util
// names): a kind outside them is sent by name alone, as ip does.
var ipLinkKinds = [...]string{"amt", "bareudp", "batadv", "bond", "bond_slave", "bridge", "bridge_slave", "can",
	"dsa", "dummy", "erspan", "geneve", "gre", "gretap", "gtp", "hsr", "ifb", "ip6erspan", "ip6gre", "ip6gretap",
	"ip6tnl", "ipip", "ipoib", "ipvlan", "ipvtap", "macsec", "macvlan", "macvtap", "netdevsim", "nlmon", "rmnet",
	"sit", "team", "team_slave", "vcan", "veth", "virt_wifi", "vlan", "vrf", "vti", "vti6", "vxcan", "vxlan", "wwan",
	"xfrm"}

// kind parses the arguments after "type KIND" into s.
func (lp *linkParser) kind(kind string, a *args, s *rtm.LinkSpec) error {
	kp := kindArgs{args: a, kind: kind}
	switch kind {
	case "veth":
		return parseVeth(lp, &kp, a, s, kind)
	case "bridge":
		return parseBridge(lp, &kp, a, s, kind)
	case "bridge_slave":
		return parseBridgePort(lp, &kp, a, s, kind)
	case "vxlan":
		return parseVXLAN(lp, &kp, a, s, kind)
	case "macvlan", "macvtap":
		return parseMacvlan(lp, &kp, a, s, kind)
	case "vlan":
		return parseVlan(lp, &kp, a, s, kind)
	case "ipvlan", "ipvtap":
		return parseIPVlan(lp, &kp, a, s, kind)
	case "vrf":
		return parseVRF(lp, &kp, a, s, kind)
	case "macsec":
		return parseMACsec(&kp, s)
	case "can":
		return parseCAN(&kp, s)
	case "dummy":
		s.Kind = &rtm.Dummy{}
	case "ifb":
		s.Kind = &rtm.Ifb{}
	case "wireguard":
		s.Kind = &rtm.Wireguard{}
	default:
		if ok, err := parseMoreKind(lp, &kp, a, s, kind); ok {
			return err
		}
		if slices.Contains(ipLinkKinds[:], kind) {
			return usagef("type %q is not supported by ipr", kind)
		}
		// A kind ip has no module for: iplink_modify sends its name
		// alone, and takes no arguments after it.
		switch {
		case a.more() && matches(a.peek(), "help"):
			return (&object{help: "link", usage: linkUsage}).usageError()
		case a.more():
			return &cliError{code: exitFailure, msg: fmt.Sprintf("Garbage instead of arguments \"%s ...\". Try \"ipr link help\".", a.peek())}
		}
		s.Kind = &rtm.OpenKind{Name: kind}
		return nil
	}
	if a.more() {
		return usagef("type %s takes no arguments, got %q", kind, a.peek())
	}
	return nil
}

// kindArgs parses one kind's arguments: each keyword's handler reads the
// values that follow it.
type kindArgs struct {
	*args
	kind string
	word string // the keyword being parsed
}

func (kp *kindArgs) parse(handlers map[string]func() error) error {
	for kp.more() {
		kp.word = kp.advance()
		h, ok := handlers[kp.word]
		if !ok {
			return usagef("type %s: unknown argument %q", kp.kind, kp.word)
		}
		if err := h(); err != nil {
			return err
		}
	}
	return nil
}

func (kp *kindArgs) number(bits int) (uint64, error) {
	s, err := kp.value(kp.word)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(s, 0, bits)
	if err != nil {
		return 0, usagef("type %s: invalid %s %q: want a number from 0 to %d", kp.kind, kp.word, s, uint64(1)<<bits-1)
	}
	return v, nil
}

// kindNumber is the unsigned types of the numbers kinds read.
type kindNumber interface{ ~uint8 | ~uint16 | ~uint32 }

// optNumber is a handler that reads a number of bits bits into *o.
func optNumber[T kindNumber](kp *kindArgs, o *rtm.Opt[T], bits int) func() error {
	return func() error {
		v, err := kp.number(bits)
		*o = rtm.Some(T(v))
		return err
	}
}

// plainNumber is optNumber for a field that is always sent.
func plainNumber[T kindNumber](kp *kindArgs, p *T, bits int) func() error {
	return func() error {
		v, err := kp.number(bits)
		*p = T(v)
		return err
	}
}

// The handlers of numbers: u8, u16 and u32 set options, plainU16 and
// plainU32 fields.
func (kp *kindArgs) u8(o *rtm.Opt[uint8]) func() error   { return optNumber(kp, o, 8) }
func (kp *kindArgs) u16(o *rtm.Opt[uint16]) func() error { return optNumber(kp, o, 16) }
func (kp *kindArgs) u32(o *rtm.Opt[uint32]) func() error { return optNumber(kp, o, 32) }
func (kp *kindArgs) plainU16(p *uint16) func() error     { return plainNumber(kp, p, 16) }
func (kp *kindArgs) plainU32(p *uint32) func() error     { return plainNumber(kp, p, 32) }

// centiseconds reads a bridge time, which iproute2 passes to the kernel
// as given: in hundredths of a second.
func (kp *kindArgs) centiseconds(o *rtm.Opt[time.Duration]) func() error {
	return func() error {
		v, err := kp.number(32)
		*o = rtm.Some(time.Duration(v) * 10 * time.Millisecond)
		return err
	}
}

func (kp *kindArgs) seconds(o *rtm.Opt[time.Duration]) func() error {
	return func() error {
		v, err := kp.number(32)
		*o = rtm.Some(time.Duration(v) * time.Second)
		return err
	}
}

func (kp *kindArgs) bool01(o *rtm.Opt[bool]) func() error {
	return func() error {
		v, err := kp.number(8)
		if err == nil && v > 1 {
			err = usagef("type %s: invalid %s %d: want 0 or 1", kp.kind, kp.word, v)
		}
		*o = rtm.Some(v == 1)
		return err
	}
}

func (kp *kindArgs) onOff(o *rtm.Opt[bool]) func() error {
	return func() error {
		s, err := kp.value(kp.word)
		if err != nil {
			return err
		}
		if s != "on" && s != "off" {
			return kp.notOnOff(s)
		}
		*o = rtm.Some(s == "on")
		return nil
	}
}

// notOnOff is ip's message for s, neither "on" nor "off": macsec's is
// parse_one_of's, the others' parse_on_off's, after which can's parser
// exits where vlan's returns.
func (kp *kindArgs) notOnOff(s string) error {
	if kp.kind == "macsec" {
		_, err := parseOnOff(kp.word, s, exitFailure)
		return err
	}
	code := exitFailure
	if kp.kind == "can" {
		code = exitUsage
	}
	return &cliError{code: code, msg: fmt.Sprintf("Error: argument of %q must be \"on\" or \"off\", not %q", kp.word, s)}
}

func (kp *kindArgs) flag(o *rtm.Opt[bool], v bool) func() error {
	return func() error { *o = rtm.Some(v); return nil }
}

func (kp *kindArgs) addr(p *netip.Addr) func() error {
	return func() error {
		s, err := kp.value(kp.word)
		if err == nil {
			*p, err = parseAddr(kp.word, s, 0)
		}
		return err
	}
}

func (kp *kindArgs) dev(lp *linkParser, p *int32) func() error {
	return func() error {
		s, err := kp.value(kp.word)
		if err == nil {
			*p, err = lp.index(s)
		}
		return err
	}
}

// ttl reads a TTL or "auto"/"inherit" (0).
func (kp *kindArgs) ttl(o *rtm.Opt[uint8]) func() error {
	return func() error {
		if kp.more() && (kp.peek() == "auto" || kp.peek() == "inherit") {
			kp.advance()
			*o = rtm.Some[uint8](0)
			return nil
		}
		return kp.u8(o)()
	}
}

// tos reads a TOS or "inherit" (1).
func (kp *kindArgs) tos(o *rtm.Opt[uint8]) func() error {
	return func() error {
		if kp.more() && kp.peek() == "inherit" {
			kp.advance()
			*o = rtm.Some[uint8](1)
			return nil
		}
		return kp.u8(o)()
	}
}

func (kp *kindArgs) portRange(low, high *uint16) func() error {
	return func() error {
		if err := kp.plainU16(low)(); err != nil {
			return err
		}
		return kp.plainU16(high)()
	}
}

func (kp *kindArgs) vlanProtocolValue() (uint16, error) {
	s, err := kp.value(kp.word)
	if err != nil {
		return 0, err
	}
	switch strings.ToLower(s) {
	case "802.1q":
		return unix.ETH_P_8021Q, nil
	case "802.1ad":
		return unix.ETH_P_8021AD, nil
	}
	return 0, usagef("type %s: invalid %s %q: want 802.1Q or 802.1ad", kp.kind, kp.word, s)
}

func (kp *kindArgs) vlanProtocol(o *rtm.Opt[uint16]) func() error {
	return func() error {
		v, err := kp.vlanProtocolValue()
		*o = rtm.Some(v)
		return err
	}
}

func (kp *kindArgs) plainVlanProtocol(p *uint16) func() error {
	return func() error {
		v, err := kp.vlanProtocolValue()
		*p = v
		return err
	}
}

// parseVeth parses the arguments of "type veth".
func parseVeth(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	v := &rtm.Veth{}
	s.Kind = v
	if !a.more() {
		return nil
	}
	if w := a.advance(); w != "peer" {
		return usagef("type veth: unknown argument %q, want \"peer\"", w)
	}
	v.Peer = &rtm.LinkSpec{}
	dev, name, _, err := lp.options(a, v.Peer, true)
	if err == nil {
		err = checkNewName(dev, name)
	}
	v.Peer.Name = name
	return err
}

// parseVlan parses the arguments of "type vlan".
func parseVlan(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	v := &rtm.Vlan{}
	s.Kind = v
	var hasID bool
	err := kp.parse(map[string]func() error{
		"id":             func() error { hasID = true; return kp.plainU16(&v.ID)() },
		"protocol":       kp.plainVlanProtocol(&v.Protocol),
		"reorder_hdr":    kp.onOff(&v.ReorderHeader),
		"gvrp":           kp.onOff(&v.GVRP),
		"mvrp":           kp.onOff(&v.MVRP),
		"loose_binding":  kp.onOff(&v.LooseBinding),
		"bridge_binding": kp.onOff(&v.BridgeBinding),
	})
	if err == nil && !hasID {
		err = usagef("type vlan: \"id\" is required")
	}
	return err
}

// ipvlanModes are ipvlan's modes, which it reads and prints.
var ipvlanModes = []named[rtm.IPVlanMode]{{"l2", rtm.IPVlanL2}, {"l3", rtm.IPVlanL3}, {"l3s", rtm.IPVlanL3S}}

// parseIPVlan parses the arguments of "type ipvlan and type ipvtap".
func parseIPVlan(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	v := &rtm.IPVlan{Tap: kind == "ipvtap"}
	s.Kind = v
	return kp.parse(map[string]func() error{
		"mode": func() error {
			w, err := a.value("mode")
			mode, ok := lookupName(ipvlanModes, w)
			if err == nil && !ok {
				err = usagef("type %s: invalid mode %q", kind, w)
			}
			v.Mode = rtm.Some(mode)
			return err
		},
		"bridge":  func() error { v.Flag = rtm.Some(rtm.IPVlanBridge); return nil },
		"private": func() error { v.Flag = rtm.Some(rtm.IPVlanPrivate); return nil },
		"vepa":    func() error { v.Flag = rtm.Some(rtm.IPVlanVEPA); return nil },
	})
}

// parseVRF parses the arguments of "type vrf".
func parseVRF(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) error {
	v := &rtm.VRF{}
	s.Kind = v
	return kp.parse(map[string]func() error{"table": kp.plainU32(&v.Table)})
}
