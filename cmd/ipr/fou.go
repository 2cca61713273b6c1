package main

// "ipr fou": the receive ports of foo-over-UDP and GUE (the fou
// generic-netlink family), as iproute2 6.1's ipfou.c reads its command
// line and prints them.

import (
	"bufio"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/fou"
	"golang.org/x/sys/unix"
)

// fouUsage is ipfou.c's usage text.
const fouUsage = "Usage: ipr fou add port PORT { ipproto PROTO  | gue }\n" +
	"\t\t   [ local IFADDR ] [ peer IFADDR ]\n" +
	"\t\t   [ peer_port PORT ] [ dev IFNAME ]\n" +
	"       ipr fou del port PORT [ local IFADDR ]\n" +
	"\t\t   [ peer IFADDR ] [ peer_port PORT ]\n" +
	"\t\t   [ dev IFNAME ]\n" +
	"       ipr fou show\n" +
	"\n" +
	"Where: PROTO { ipproto-name | 1..255 }\n" +
	"       PORT { 1..65535 }\n" +
	"       IFADDR { addr }\n"

// runFou is do_ipfou: ip resolves the family before it looks at the
// command, so a kernel without it fails every command alike.
func runFou(e *env, argv []string) error {
	h, err := e.genlFamily(fou.FamilyName, argv, fouUsage)
	if err != nil {
		return err
	}
	a := &args{list: argv[1:]}
	switch {
	case matches(argv[0], "add"):
		return fouChange(e, h, a, true)
	case matches(argv[0], "delete"):
		return fouChange(e, h, a, false)
	case matches(argv[0], "show"):
		if a.more() {
			return &cliError{code: exitFailure, msg: `"ipr fou show" does not take any arguments.`}
		}
		return fouShow(e, h)
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr fou help\".", argv[0])}
}

// fouChange is do_add and do_del: fou_parse_opt's reading, then the
// request. Where fou_parse_opt prints a complaint and ip goes on to send
// what it has (a port of stack garbage, a direct port without a
// protocol), ipr prints the complaint and stops, with status 1.
func fouChange(e *env, h *genl.Handle, a *args, adding bool) error {
	// ip's preferred family (-4, -6, -f), AF_INET without one.
	s := fou.Spec{Family: e.Family}
	if s.Family == 0 {
		s.Family = unix.AF_INET
	}
	var local, peer string
	portSet, gue := false, false
	for a.more() {
		w := a.advance()
		var err error
		switch {
		case matches(w, "port"):
			var v uint64
			v, err = a.uintWith(w, getUint, 16, "invalid port")
			if err == nil && v == 0 {
				err = invarg("invalid port", "0")
			}
			s.Port, portSet = uint16(v), true
		case matches(w, "ipproto"):
			var v string
			if v, err = a.value(w); err == nil {
				p, ok := protoByName(v)
				if !ok {
					var n uint64
					n, ok = getUint(v, 8)
					p = uint8(n)
					ok = ok && n != 0
				}
				if !ok {
					err = invarg("invalid ipproto", v)
				}
				s.IPProto = &p
			}
		case matches(w, "gue"):
			gue = true
		case matches(w, "-6"):
			s.Family = unix.AF_INET6
		case matches(w, "local"):
			local, err = a.value(w)
		case matches(w, "peer"):
			peer, err = a.value(w)
		case matches(w, "peer_port"):
			var v uint64
			v, err = a.uintWith(w, getUint, 16, "invalid peer port")
			if err == nil && v == 0 {
				err = invarg("invalid peer port", "0")
			}
			s.PeerPort = uint16(v)
		case matches(w, "dev"):
			var name string
			if name, err = a.value(w); err != nil {
				break
			}
			if !validIfname(name) {
				return &cliError{code: exitFailure, msg: "fou: invalid device name"}
			}
			if s.Ifindex, err = e.linkIndex(name); err == nil && s.Ifindex == 0 {
				return &cliError{code: exitFailure, msg: "fou: unknown device name"}
			}
		default:
			return &cliError{code: exitUsage, msg: fmt.Sprintf("fou: unknown command %q?\n%s", w, strings.TrimSuffix(fouUsage, "\n"))}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case !portSet:
		return &cliError{code: exitFailure, msg: "fou: missing port"}
	case adding && s.IPProto == nil && !gue:
		return &cliError{code: exitFailure, msg: "fou: must set ipproto or gue"}
	case s.IPProto != nil && gue:
		return &cliError{code: exitFailure, msg: "fou: cannot set ipproto and gue"}
	case (s.PeerPort != 0) != (peer != ""):
		return &cliError{code: exitFailure, msg: "fou: both peer and peer port must be set"}
	}
	if gue {
		s.Encap = fou.EncapGUE
	}
	var err error
	if local != "" {
		if s.Local, err = fouAddr(local, s.Family); err != nil {
			return err
		}
	}
	if peer != "" {
		if s.Peer, err = fouAddr(peer, s.Family); err != nil {
			return err
		}
	}
	var req genl.Request
	if adding {
		req, err = fou.Add(s)
	} else {
		req, err = fou.Delete(s)
	}
	if err != nil {
		return &cliError{code: exitFailure, msg: "fou: " + strings.TrimPrefix(err.Error(), "fou: ")}
	}
	return fou.Do(e.ctx, h, req)
}

// fouAddr is iproute2's get_addr of an address of family: its words for
// the unspecified address ("default", "any", "all"), and exit(1) with
// its message for anything else that is not an address of family.
func fouAddr(s string, family uint8) (netip.Addr, error) {
	if s == "default" || s == "any" || s == "all" {
		if family == unix.AF_INET6 {
			return netip.IPv6Unspecified(), nil
		}
		return netip.IPv4Unspecified(), nil
	}
	a, err := parseAddr("address", s, family)
	if err != nil {
		return netip.Addr{}, wrongFamily("address", s, family)
	}
	return a, nil
}

// protoByName is libc's getprotobyname: the number of the protocol
// called name (or by one of its aliases) in /etc/protocols.
func protoByName(name string) (uint8, bool) {
	f, err := os.Open("/etc/protocols")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		for i, w := range fields {
			if i != 1 && w == name {
				n, ok := cUint(fields[1], 8)
				return uint8(n), ok
			}
		}
	}
	return 0, false
}

// fouShow is do_show: the ports, as print_fou_mapping prints each. A
// refused dump ends with "Dump terminated" and status 255 (do_show's 1,
// negated by ip's do_cmd).
func fouShow(e *env, h *genl.Handle) error {
	p := e.newPrinter()
	p.openArray("")
	var abuf []byte
	for m, err := range fou.Mappings(e.ctx, h) {
		if err != nil {
			if err := e.output(p); err != nil {
				return err
			}
			var ce *cliError
			if errors.As(dumpTerminated(err), &ce) {
				ce.code = exitUsage
				return ce
			}
			return err
		}
		p.openObject("")
		p.uintAround("port", "port ", uint64(m.Port()), "")
		proto, hasProto := m.IPProto()
		if m.Encap() == fou.EncapGUE {
			if p.json {
				p.jsonNull("gue")
			} else {
				p.textString(" gue")
			}
		} else if hasProto {
			p.uintAround("ipproto", " ipproto ", uint64(proto), "")
		}
		fam := m.Family()
		if _, ok := m.Chain().Get(fou.AttrAF); ok {
			p.jsonStr("family", familyNameOrQ(fam))
			if fam == unix.AF_INET6 {
				p.textString(" -6")
			}
		}
		// format_host_rta: a name with -resolve.
		if l := m.Local(); l.IsValid() {
			abuf = appendHost(abuf[:0], fam, l.AsSlice())
			p.bytesAround("local", " local ", abuf, "")
		}
		if r := m.Peer(); r.IsValid() {
			abuf = appendHost(abuf[:0], fam, r.AsSlice())
			p.bytesAround("peer", " peer ", abuf, "")
		}
		if pp := m.PeerPort(); pp != 0 {
			p.uintAround("peer_port", " peer_port ", uint64(pp), "")
		}
		if i := m.Ifindex(); i != 0 {
			p.strAround("dev", " dev ", e.linkName(i), "")
		}
		p.endl()
		p.closeObject()
		p.flush()
	}
	return e.endList(p)
}
