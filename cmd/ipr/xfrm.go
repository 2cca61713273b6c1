package main

// "ipr xfrm state" and "ipr xfrm policy": IPsec SAs and policies
// (package xfrm), as iproute2 6.1's ip/xfrm_state.c, xfrm_policy.c and
// ipxfrm.c read their command lines and print them. Not yet: "xfrm
// monitor", security contexts ("ctx") and offload ("offload") in adds,
// and "policy set" (SPD hash thresholds).

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// xfrmHandle returns the XFRM handle, opening it on first use.
func (e *env) xfrmHandle() (*xfrm.Handle, error) {
	return dialOnce(e, &e.xh, xfrm.WithNetnsHandle, xfrm.WithTransport, xfrm.Dial)
}

// runXfrm is do_xfrm.
func runXfrm(e *env, argv []string) error {
	if len(argv) == 0 {
		return usageText(xfrmUsage)
	}
	switch w := argv[0]; {
	case matches(w, "state"), matches(w, "sa"):
		return runXfrmState(e, &xargs{w: argv[1:]})
	case matches(w, "policy"):
		return runXfrmPolicy(e, &xargs{w: argv[1:]})
	case matches(w, "monitor"):
		return notImplemented(`"ip xfrm monitor"`)
	}
	return usageText(xfrmUsage)
}

const xfrmUsage = "Usage: ipr xfrm XFRM-OBJECT { COMMAND | help }\n" +
	"where  XFRM-OBJECT := state | policy | monitor\n"

// xargs walks a command line as iproute2's NEXT_ARG and PREV_ARG do.
type xargs struct {
	w []string
	i int
}

func (a *xargs) more() bool   { return a.i < len(a.w) }
func (a *xargs) cur() string  { return a.w[a.i] }
func (a *xargs) nextOK() bool { return a.i+1 < len(a.w) }

// next is NEXT_ARG: the following word, or the incomplete-command error.
func (a *xargs) next() (string, error) {
	if !a.nextOK() {
		return "", errIncomplete
	}
	a.i++
	return a.w[a.i], nil
}

// u32 reads the next word as get_u32, failing with msg.
func (a *xargs) u32(msg string) (uint32, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	v, ok := getUint(w, 32)
	if !ok {
		return 0, invarg(msg, w)
	}
	return uint32(v), nil
}

// xfrmID is what xfrm_id_parse reads, with the filter masks it sets.
type xfrmID struct {
	src, dst         netip.Prefix
	proto            xfrm.Proto
	spi              uint32
	hasProto, hasSPI bool
	family           uint8
}

// id is xfrm_id_parse, at the current word; loose allows no proto.
func (a *xargs) id(family uint8, loose bool) (xfrmID, error) {
	var id xfrmID
	for {
		w := a.cur()
		switch w {
		case "src", "dst":
			v, err := a.next()
			if err != nil {
				return id, err
			}
			p, _, err := parsePrefix(w, v, family)
			if err != nil {
				return id, err
			}
			if w == "src" {
				id.src = p
			} else {
				id.dst = p
			}
			id.family = addrFamily(p.Addr())
		case "proto":
			v, err := a.next()
			if err != nil {
				return id, err
			}
			pr, ok := xfrmProtoByName(v)
			if !ok {
				return id, invarg("XFRM-PROTO value is invalid", v)
			}
			id.proto, id.hasProto = pr, true
		case "spi":
			v, err := a.next()
			if err != nil {
				return id, err
			}
			n, ok := getUint(v, 32)
			if !ok {
				return id, invarg("SPI value is invalid", v)
			}
			id.spi, id.hasSPI = uint32(n), true
		default:
			a.i--
			goto done
		}
		if !a.nextOK() {
			break
		}
		a.i++
	}
done:
	if id.src.IsValid() && id.dst.IsValid() && id.src.Addr().Is4() != id.dst.Addr().Is4() {
		return id, invarg("the same address family is required between values after \"src\" and \"dst\"", a.cur())
	}
	if id.spi != 0 && id.proto != 0 {
		if id.proto == xfrm.ProtoRoute2 || id.proto == xfrm.ProtoHAO {
			return id, &cliError{code: exitFailure, msg: fmt.Sprintf("\"spi\" is invalid with XFRM-PROTO value \"%s\"", id.proto)}
		}
		if id.proto == xfrm.ProtoComp && id.spi >= 0x10000 {
			return id, &cliError{code: exitFailure, msg: fmt.Sprintf("SPI value is too large with XFRM-PROTO value \"%s\"", id.proto)}
		}
	}
	if !loose && id.proto == 0 {
		return id, missarg("XFRM-PROTO")
	}
	return id, nil
}

func xfrmProtoByName(s string) (xfrm.Proto, bool) {
	for _, p := range []xfrm.Proto{xfrm.ProtoESP, xfrm.ProtoAH, xfrm.ProtoComp, xfrm.ProtoRoute2, xfrm.ProtoHAO, xfrm.ProtoIPsecAny} {
		if p.String() == s {
			return p, true
		}
	}
	return 0, false
}

// mode is xfrm_mode_parse of the next word.
func (a *xargs) mode() (xfrm.Mode, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	for _, m := range []xfrm.Mode{xfrm.ModeTransport, xfrm.ModeTunnel, xfrm.ModeRO, xfrm.ModeInTrigger, xfrm.ModeBEET} {
		if matches(w, m.String()) {
			return m, nil
		}
	}
	return 0, invarg("MODE value is invalid", w)
}

// mark is xfrm_parse_mark, at "mark".
func (a *xargs) mark() (xfrm.Mark, error) {
	var m xfrm.Mark
	w, err := a.next()
	if err != nil {
		return m, err
	}
	v, ok := getUint(w, 32)
	if !ok {
		return m, invarg("MARK value is invalid\n", w)
	}
	m.Value, m.Mask = uint32(v), 0xffffffff
	if a.nextOK() && a.w[a.i+1] == "mask" {
		a.i++
		if m.Mask, err = a.u32("MASK value is invalid\n"); err != nil {
			return m, err
		}
	}
	return m, nil
}

// selector is xfrm_selector_parse, at the current word.
func (a *xargs) selector(e *env, family uint8) (xfrm.Selector, error) {
	var sel xfrm.Selector
	upspec := false
	for {
		w := a.cur()
		switch w {
		case "src", "dst":
			v, err := a.next()
			if err != nil {
				return sel, err
			}
			p, _, err := parsePrefix(w, v, family)
			if err != nil {
				return sel, err
			}
			p = p.Masked()
			if w == "src" {
				sel.Src = p
			} else {
				sel.Dst = p
			}
			sel.Family = uint16(addrFamily(p.Addr()))
		case "dev":
			v, err := a.next()
			if err != nil {
				return sel, err
			}
			if v != "none" {
				i, err := e.linkIndex(v)
				if err != nil {
					return sel, err
				}
				if i <= 0 {
					return sel, invarg("DEV value is invalid", v)
				}
				sel.Ifindex = i
			}
		default:
			if upspec {
				a.i--
				goto done
			}
			upspec = true
			if err := a.upspec(&sel); err != nil {
				return sel, err
			}
		}
		if !a.nextOK() {
			break
		}
		a.i++
	}
done:
	if sel.Src.IsValid() && sel.Dst.IsValid() && sel.Src.Addr().Is4() != sel.Dst.Addr().Is4() {
		return sel, invarg("the same address family is required between values after \"src\" and \"dst\"", a.cur())
	}
	return sel, nil
}

// upspec is xfrm_selector_upspec_parse.
func (a *xargs) upspec(sel *xfrm.Selector) error {

	var ports, icmp, key bool
	for {
		w := a.cur()
		switch w {
		case "proto":
			v, err := a.next()
			if err != nil {
				return err
			}
			switch pr, ok := xfrmUpspecID(v); {
			case v == "any":
				sel.Proto = 0
			case ok:
				sel.Proto = pr
			default:
				n, ok := getUint(v, 8)
				if !ok {
					return invarg("PROTO value is invalid", v)
				}
				sel.Proto = uint8(n)
			}
		case "sport", "dport":
			ports = true
			v, err := a.next()
			if err != nil {
				return err
			}
			n, ok := getUint(v, 16)
			if !ok {
				return invarg(fmt.Sprintf("value after \"%s\" is invalid", w), v)
			}
			var mask uint16
			if n != 0 {
				mask = 0xffff
			}
			if w == "sport" {
				sel.SrcPort, sel.SrcPortMask = uint16(n), mask
			} else {
				sel.DstPort, sel.DstPortMask = uint16(n), mask
			}
		case "type", "code":
			icmp = true
			v, err := a.next()
			if err != nil {
				return err
			}
			n, ok := getUint(v, 16)
			if !ok || n > 0xff {
				return invarg(fmt.Sprintf("value after \"%s\" is invalid", w), v)
			}
			if w == "type" {
				sel.SrcPort, sel.SrcPortMask = uint16(n), 0xffff
			} else {
				sel.DstPort, sel.DstPortMask = uint16(n), 0xffff
			}
		case "key":
			key = true
			v, err := a.next()
			if err != nil {
				return err
			}
			var n uint64
			ok := true
			if ad, err := netip.ParseAddr(v); err == nil && ad.Is4() && strings.Contains(v, ".") {
				b := ad.As4()
				n = uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
			} else if n, ok = getUint(v, 32); !ok {
				return &cliError{code: exitUsage, msg: "value after \"key\" is invalid"}
			}
			sel.SrcPort, sel.DstPort = uint16(n>>16), uint16(n)
			sel.SrcPortMask, sel.DstPortMask = 0xffff, 0xffff
		default:
			a.i--
			goto done
		}
		if !a.nextOK() {
			break
		}
		a.i++
	}
done:
	switch {
	case ports && !(sel.Proto == unix.IPPROTO_TCP || sel.Proto == unix.IPPROTO_UDP || sel.Proto == unix.IPPROTO_SCTP ||
		sel.Proto == unix.IPPROTO_DCCP || sel.Proto == 0):
		return &cliError{code: exitFailure, msg: fmt.Sprintf("\"sport\" and \"dport\" are invalid with PROTO value \"%s\"", xfrmUpspecName(sel.Proto))}
	case icmp && !(sel.Proto == unix.IPPROTO_ICMP || sel.Proto == unix.IPPROTO_ICMPV6 || sel.Proto == unix.IPPROTO_MH):
		return &cliError{code: exitFailure, msg: fmt.Sprintf("\"type\" and \"code\" are invalid with PROTO value \"%s\"", xfrmUpspecName(sel.Proto))}
	case key && sel.Proto != unix.IPPROTO_GRE:
		return &cliError{code: exitFailure, msg: fmt.Sprintf("\"key\" is invalid with PROTO value \"%s\"", xfrmUpspecName(sel.Proto))}
	}
	return nil
}

// limit is xfrm_lifetime_cfg_parse, at the word after "limit"; limits ip
// leaves at XFRM_INF are zero in xfrm.Lifetime.
func (a *xargs) limit(l *xfrm.Lifetime) error {
	w, err := a.next()
	if err != nil {
		return err
	}
	dst := map[string]*uint64{
		"time-soft": &l.SoftAddSeconds, "time-hard": &l.HardAddSeconds, "time-use-soft": &l.SoftUseSeconds,
		"time-use-hard": &l.HardUseSeconds, "byte-soft": &l.SoftBytes, "byte-hard": &l.HardBytes,
		"packet-soft": &l.SoftPackets, "packet-hard": &l.HardPackets,
	}[w]
	if dst == nil {
		return invarg("LIMIT value is invalid", w)
	}
	v, err := a.next()
	if err != nil {
		return err
	}
	n, ok := getUint(v, 64)
	if !ok {
		return invarg(fmt.Sprintf("value after \"%s\" is invalid", w), v)
	}
	*dst = n
	return nil
}

// algoKey is xfrm_algo_parse's key: 0x and hex digits, else the word's
// bytes.
func algoKey(name, key string) ([]byte, error) {
	if h, ok := strings.CutPrefix(key, "0x"); ok {
		if len(h)%2 != 0 {
			return nil, invarg("\"ALGO-KEYMAT\" value length is odd", key)
		}
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, invarg("\"ALGO-KEYMAT\" value is invalid", key)
		}
		return b, nil
	}
	return []byte(key), nil
}

// xfrmUpspecNames are /etc/protocols' names of the protocols a selector
// names most (getprotobynumber and getprotobyname, which ip's selectors
// use whatever -N says).
var xfrmUpspecNames = map[uint8]string{
	unix.IPPROTO_ICMP: "icmp", unix.IPPROTO_IPIP: "ipencap", unix.IPPROTO_TCP: "tcp", unix.IPPROTO_UDP: "udp",
	unix.IPPROTO_DCCP: "dccp", unix.IPPROTO_IPV6: "ipv6", unix.IPPROTO_GRE: "gre", unix.IPPROTO_ESP: "esp",
	unix.IPPROTO_AH: "ah", unix.IPPROTO_ICMPV6: "ipv6-icmp", unix.IPPROTO_SCTP: "sctp", unix.IPPROTO_MH: "mobility-header",
	unix.IPPROTO_UDPLITE: "udplite",
}

// xfrmUpspecName is strxf_proto.
func xfrmUpspecName(v uint8) string {
	if n, ok := xfrmUpspecNames[v]; ok {
		return n
	}
	return fmt.Sprint(v)
}

// xfrmUpspecID is getprotobyname for the names of xfrmUpspecNames.
func xfrmUpspecID(s string) (uint8, bool) {
	for v, n := range xfrmUpspecNames {
		if n == s {
			return v, true
		}
	}
	return 0, false
}
