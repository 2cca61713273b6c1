package main

// "ipr macsec": the secure associations and receive channels of MACsec
// devices (the macsec generic-netlink family), as iproute2 6.1's
// ipmacsec.c reads its command line; macsec_show.go prints them.

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/macsec"
)

// macsecUsage is ipmacsec_usage's text.
const macsecUsage = "Usage: ipr macsec add DEV tx sa { 0..3 } [ OPTS ] key ID KEY\n" +
	"       ipr macsec set DEV tx sa { 0..3 } [ OPTS ]\n" +
	"       ipr macsec del DEV tx sa { 0..3 }\n" +
	"       ipr macsec add DEV rx SCI [ on | off ]\n" +
	"       ipr macsec set DEV rx SCI [ on | off ]\n" +
	"       ipr macsec del DEV rx SCI\n" +
	"       ipr macsec add DEV rx SCI sa { 0..3 } [ OPTS ] key ID KEY\n" +
	"       ipr macsec set DEV rx SCI sa { 0..3 } [ OPTS ]\n" +
	"       ipr macsec del DEV rx SCI sa { 0..3 }\n" +
	"       ipr macsec show\n" +
	"       ipr macsec show DEV\n" +
	"       ipr macsec offload DEV [ off | phy | mac ]\n" +
	"where  OPTS := [ pn <u32> | xpn <u64> ] [ salt SALT ] [ ssci <u32> ] [ on | off ]\n" +
	"       ID   := 128-bit hex string\n" +
	"       KEY  := 128-bit or 256-bit hex string\n" +
	"       SCI  := { sci <u64> | port { 1..2^16-1 } address <lladdr> }\n" +
	"       SALT := 96-bit hex string\n"

// macsecOp is ipmacsec.c's enum cmd.
type macsecOp int

const (
	macsecAdd macsecOp = iota
	macsecDel
	macsecUpd
)

// runMACsec is do_ipmacsec: the family is resolved before anything but
// "help" is read, as ip resolves it.
func runMACsec(e *env, argv []string) error {
	if len(argv) == 0 || matches(argv[0], "help") {
		return usageText(macsecUsage)
	}
	if _, err := genlResolve(e, macsec.FamilyName); err != nil {
		return err
	}
	w, rest := argv[0], argv[1:]
	switch {
	case matches(w, "show"):
		return macsecShow(e, rest)
	case matches(w, "add"):
		return macsecModify(e, macsecAdd, rest)
	case matches(w, "set"):
		return macsecModify(e, macsecUpd, rest)
	case matches(w, "delete"):
		return macsecModify(e, macsecDel, rest)
	case matches(w, "offload"):
		return macsecOffload(e, rest)
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr macsec help\".", w)}
}

// macsecDevice is the index of the device argv starts with (ip's
// ll_name_to_index), with ip's failure for one that does not exist.
func macsecDevice(e *env, argv []string) (int, error) {
	if len(argv) == 0 {
		return 0, usageText(macsecUsage)
	}
	i, err := e.linkIndex(argv[0])
	if err != nil {
		return 0, err
	}
	if i == 0 {
		return 0, &cliError{code: exitFailure, msg: fmt.Sprintf("Device %q does not exist.", argv[0])}
	}
	return int(i), nil
}

// macsecFail is a failure ip reports with a message of its own and
// status 1 (do_modify's -1).
func macsecFail(msg string) error { return &cliError{code: exitFailure, msg: msg} }

// macsecUnknown is parse_sa_args' and parse_rxsci_args' stray word: its
// message, then the usage.
func macsecUnknown(w string) error {
	return usageText(fmt.Sprintf("macsec: unknown command %q?\n", w) + macsecUsage)
}

// macsecModify is do_modify: "add", "set" and "del" of a TX SA, an RX SC
// or an RX SA.
func macsecModify(e *env, op macsecOp, argv []string) error {
	ifindex, err := macsecDevice(e, argv)
	if err != nil {
		return err
	}
	if len(argv) < 2 || argv[1] != "tx" && argv[1] != "rx" {
		return usageText(macsecUsage)
	}
	a := &args{list: argv[2:]}
	rx := argv[1] == "rx"
	var sci macsec.SCI
	if rx {
		if sci, err = macsecSCI(a); err != nil {
			return err
		}
	}
	an, saSet, err := macsecAN(a)
	switch {
	case err != nil:
		return err
	case !rx && !saSet:
		return usageText(macsecUsage)
	}
	var req genl.Request
	switch {
	case op == macsecDel && !saSet:
		req, err = macsec.DeleteRxSC(ifindex, sci)
	case op == macsecDel && rx:
		req, err = macsec.DeleteRxSA(ifindex, sci, an)
	case op == macsecDel:
		req, err = macsec.DeleteTxSA(ifindex, an)
	case !saSet:
		var active *bool
		if active, err = macsecOnOff(a, nil); err != nil {
			return err
		}
		if a.more() {
			return macsecUnknown(a.peek())
		}
		if op == macsecAdd {
			req, err = macsec.AddRxSC(ifindex, sci, active)
		} else {
			req, err = macsec.UpdateRxSC(ifindex, sci, active)
		}
	default:
		sa, err := macsecSAArgs(a, op)
		if err != nil {
			return err
		}
		sa.AN = an
		add, set := macsec.AddTxSA, macsec.UpdateTxSA
		if rx {
			add = func(i int, s macsec.SASpec) (genl.Request, error) { return macsec.AddRxSA(i, sci, s) }
			set = func(i int, s macsec.SASpec) (genl.Request, error) { return macsec.UpdateRxSA(i, sci, s) }
		}
		if op == macsecAdd {
			req, err = add(ifindex, sa)
		} else {
			req, err = set(ifindex, sa)
		}
		if err != nil {
			return macsecFail(err.Error())
		}
	}
	if err != nil {
		return err
	}
	return macsecDo(e, req)
}

// macsecDo sends a change: ip exits with status 2 when the kernel
// refuses it (do_modify_nl's -2).
func macsecDo(e *env, req genl.Request) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	return refused(genlFamilyError(macsec.Do(e.ctx, h, req)), exitKernel, "")
}

// macsecAN is get_sa: "sa AN", if a goes on with "sa".
func macsecAN(a *args) (uint8, bool, error) {
	if !a.more() || a.peek() != "sa" {
		return 0, false, nil
	}
	a.advance()
	an, err := a.uintWith("sa", getUint, 8, "expected an { 0..3 }")
	if err == nil && an > 3 {
		err = invarg("expected an { 0..3 }", a.list[a.i-1])
	}
	return uint8(an), err == nil, err
}

// macsecSCI is get_sci_portaddr (neither port_only nor optional): "sci
// SCI" or "port PORT address LLADDR" in either order, read until one is
// complete.
func macsecSCI(a *args) (macsec.SCI, error) {
	var sci uint64
	var port uint64
	var addr [6]byte
	s, p, ad := false, false, false
	for a.more() && !(s || p && ad) {
		switch w := a.advance(); w {
		case "sci":
			if p {
				return 0, invarg("expected address", w)
			}
			if ad {
				return 0, invarg("expected port", w)
			}
			v, err := a.uintWith(w, cHexUint, 64, "expected sci")
			if err != nil {
				return 0, err
			}
			sci, s = v, true
		case "port":
			v, err := a.uintWith(w, getUint, 16, "expected port")
			if err != nil {
				return 0, err
			}
			if v == 0 {
				return 0, invarg("expected port != 0", a.list[a.i-1])
			}
			port, p = v, true
		case "address":
			v, err := a.value(w)
			if err != nil {
				return 0, err
			}
			if err := macsecLLAddr(addr[:], v); err != nil {
				return 0, err
			}
			ad = true
		default:
			return 0, invarg("expected sci, port, or address", w)
		}
	}
	if !(s || p && ad) {
		return 0, usageText("expected sci\n" + macsecUsage)
	}
	if p && ad {
		var v uint64
		for _, b := range addr {
			v = v<<8 | uint64(b)
		}
		sci = v<<16 | port
	}
	return macsec.SCI(sci), nil
}

// macsecLLAddr is ll_addr_a2n into the 6 bytes of addr: an IPv4 address
// (its 4 bytes) or colon-separated hex bytes.
func macsecLLAddr(addr []byte, v string) error {
	bad := func(part string) error {
		// ll_addr_a2n cuts the word at each colon it reads past: ip's
		// invarg shows the first byte's digits alone.
		first, _, _ := strings.Cut(v, ":")
		return &cliError{code: exitUsage, msg: fmt.Sprintf("%q is invalid lladdr.\n", part) + invarg("expected lladdr", first).Error()}
	}
	if strings.Contains(v, ".") {
		ip, err := netip.ParseAddr(v)
		if err != nil || !ip.Is4() {
			return bad(v)
		}
		b := ip.As4()
		copy(addr, b[:])
		return nil
	}
	b, part := parseLLAddr(v, 6)
	if b == nil {
		return bad(part)
	}
	copy(addr, b)
	return nil
}

// macsecOnOff reads the "on" or "off" a may go on with (once: a second is
// duparg2's), into active.
func macsecOnOff(a *args, active *bool) (*bool, error) {
	for a.more() && (a.peek() == "on" || a.peek() == "off") {
		w := a.advance()
		if active != nil {
			return nil, duparg2("on/off", w)
		}
		active = new(bool)
		*active = w == "on"
	}
	return active, nil
}

// macsecHexValue reads the next word as hexstring_a2n does into a
// buffer of max bytes: the bytes of an even number of hex digits, those
// past max ignored; msg is the invarg of a word it refuses.
func macsecHexValue(a *args, max int, msg string) ([]byte, error) {
	v, err := a.value("")
	if err != nil {
		return nil, err
	}
	b, err := hexBytes(v[:min(len(v), 2*max)])
	if len(v)%2 != 0 || err != nil {
		return nil, invarg(msg, v)
	}
	return b, nil
}

// macsecSAArgs is parse_sa_args then check_sa_args: what follows "sa AN"
// in "add" and "set". As ip does, salt and ssci are sent with xpn only.
func macsecSAArgs(a *args, op macsecOp) (macsec.SASpec, error) {
	var sa macsec.SASpec
	var salt []byte
	var ssci *uint32
	var onOff bool
	for a.more() {
		switch w := a.advance(); w {
		case "pn", "xpn":
			if sa.PN != 0 {
				return sa, duparg2(w, w)
			}
			bits := 32
			if w == "xpn" {
				bits, sa.XPN = 64, true
			}
			v, err := a.uintWith(w, getUint, bits, "expected pn")
			if err != nil {
				return sa, err
			}
			if v == 0 {
				return sa, invarg("expected pn != 0", a.list[a.i-1])
			}
			sa.PN = v
		case "salt":
			if salt != nil {
				return sa, duparg2(w, w)
			}
			b, err := macsecHexValue(a, macsec.SaltLen, "expected salt")
			if err != nil {
				return sa, err
			}
			salt = make([]byte, macsec.SaltLen)
			copy(salt, b)
		case "ssci":
			if ssci != nil {
				return sa, duparg2(w, w)
			}
			v, err := a.uintWith(w, cHexUint, 32, "expected ssci")
			if err != nil {
				return sa, err
			}
			ssci = new(uint32)
			*ssci = uint32(v)
		case "key":
			id, err := macsecHexValue(a, macsec.KeyIDLen, "expected key id")
			if err != nil {
				return sa, err
			}
			key, err := macsecHexValue(a, 128, "expected key")
			if err != nil {
				return sa, err
			}
			// ip overwrites the id of an earlier "key" only as far as this one goes.
			copy(sa.KeyID[:], id)
			sa.Key = nil
			if len(key) > 0 {
				sa.Key = key
			}
		case "on", "off":
			if onOff {
				return sa, duparg2("on/off", w)
			}
			onOff = true
			sa.Active = new(bool)
			*sa.Active = w == "on"
		default:
			return sa, macsecUnknown(w)
		}
	}
	if sa.XPN {
		sa.Salt, sa.SSCI = salt, ssci
	}
	switch {
	case op == macsecAdd && sa.Key == nil:
		return sa, macsecFail("cannot create SA without key")
	case op == macsecAdd && sa.PN == 0:
		return sa, macsecFail("must specify a packet number != 0")
	case op == macsecUpd && sa.Key != nil:
		return sa, macsecFail("cannot change key on SA")
	}
	return sa, nil
}

// macsecOffload is do_offload: "offload DEV { off | phy | mac }", each
// name taken by any prefix, words after it ignored.
func macsecOffload(e *env, argv []string) error {
	ifindex, err := macsecDevice(e, argv)
	if err != nil {
		return err
	}
	if len(argv) < 2 {
		return usageText(macsecUsage)
	}
	for i, n := range macsecOffloadNames {
		if matches(argv[1], n) {
			req, err := macsec.SetOffload(ifindex, macsec.Offload(i))
			if err != nil {
				return err
			}
			return macsecDo(e, req)
		}
	}
	return usageText(fmt.Sprintf("Error: argument of \"offload\" must be one of \"off\", \"phy\", \"mac\", not %q\n", argv[1]) + macsecUsage)
}
