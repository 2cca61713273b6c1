package main

// "ipr l2tp": static L2TPv3 tunnels and their Ethernet sessions (the
// l2tp generic-netlink family), as iproute2 6.1's ipl2tp.c reads its
// command line and prints them.

import (
	"context"
	"encoding/hex"
	"fmt"
	"iter"
	"net/netip"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/l2tp"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// l2tpUsage is ipl2tp.c's usage text.
const l2tpUsage = "Usage: ipr l2tp add tunnel\n" +
	"          remote ADDR local ADDR\n" +
	"          tunnel_id ID peer_tunnel_id ID\n" +
	"          [ encap { ip | udp } ]\n" +
	"          [ udp_sport PORT ] [ udp_dport PORT ]\n" +
	"          [ udp_csum { on | off } ]\n" +
	"          [ udp6_csum_tx { on | off } ]\n" +
	"          [ udp6_csum_rx { on | off } ]\n" +
	"Usage: ipr l2tp add session [ name NAME ]\n" +
	"          tunnel_id ID\n" +
	"          session_id ID peer_session_id ID\n" +
	"          [ cookie HEXSTR ] [ peer_cookie HEXSTR ]\n" +
	"          [ seq { none | send | recv | both } ]\n" +
	"          [ l2spec_type L2SPEC ]\n" +
	"       ipr l2tp del tunnel tunnel_id ID\n" +
	"       ipr l2tp del session tunnel_id ID session_id ID\n" +
	"       ipr l2tp show tunnel [ tunnel_id ID ]\n" +
	"       ipr l2tp show session [ tunnel_id ID ] [ session_id ID ]\n" +
	"\n" +
	"Where: NAME   := STRING\n" +
	"       ADDR   := { IP_ADDRESS | any }\n" +
	"       PORT   := { 0..65535 }\n" +
	"       ID     := { 1..4294967295 }\n" +
	"       HEXSTR := { 8 or 16 hex digits (4 / 8 bytes) }\n" +
	"       L2SPEC := { none | default }\n"

// l2tpAddr is ipl2tp.c's inet_prefix of an address: its family (0 for
// none) and 16 bytes of data, of which an IPv4 address uses 4.
type l2tpAddr struct {
	family uint8
	data   [16]byte
}

func (a *l2tpAddr) set(v netip.Addr) {
	if v.Is4() {
		a.family = unix.AF_INET
		b := v.As4()
		copy(a.data[:], b[:])
		return
	}
	a.family, a.data = unix.AF_INET6, v.As16()
}

// addr is the address as inet_ntop reads it in family.
func (a *l2tpAddr) addr() netip.Addr {
	if a.family == unix.AF_INET {
		return netip.AddrFrom4([4]byte(a.data[:4]))
	}
	return netip.AddrFrom16(a.data)
}

// l2tpParm is ipl2tp.c's struct l2tp_parm: what the command line says,
// and then, in a listing, what the replies say, each reply changing only
// the fields it has attributes for (ip keeps one l2tp_parm for a whole
// dump, so a reply without an attribute shows the value of the one
// before).
type l2tpParm struct {
	tunnelID, peerTunnelID, sessionID, peerSessionID uint32
	encap                                            l2tp.Encap
	localPort, peerPort                              uint16
	cookie, peerCookie                               [8]byte
	cookieLen, peerCookieLen                         int
	local, peer                                      l2tpAddr
	udp6CsumTx, udp6CsumRx, udpCsum                  bool
	recvSeq, sendSeq                                 bool
	tunnel, session                                  bool
	reorderTimeout                                   uint32
	ifname                                           string
	hasIfname                                        bool
	l2spec                                           l2tp.L2Spec
}

// runL2tp is do_ipl2tp: ip resolves the family before it looks at the
// command.
func runL2tp(e *env, argv []string) error {
	h, err := e.genlFamily(l2tp.FamilyName, argv, l2tpUsage)
	if err != nil {
		return err
	}
	rest := argv[1:]
	switch w := argv[0]; {
	case matches(w, "add"):
		return l2tpAdd(e, h, rest)
	case matches(w, "delete"):
		return l2tpDelete(e, h, rest)
	case matches(w, "show"), matches(w, "lst"), matches(w, "list"):
		return l2tpShow(e, rest)
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr l2tp help\".", argv[0])}
}

// l2tpParseObject is parse_args, then the check of add, del and show
// that the command line names a tunnel or a session.
func l2tpParseObject(e *env, argv []string) (*l2tpParm, error) {
	p, err := l2tpParse(e, argv)
	if err == nil && !p.tunnel && !p.session {
		err = missarg("tunnel or session")
	}
	return p, err
}

// l2tpParse is parse_args. Its words are compared in full (strcmp),
// "help" excepted; "offset" and "peer_offset" are ignored with a
// warning, their value skipped.
func l2tpParse(e *env, argv []string) (*l2tpParm, error) {
	if len(argv) == 0 {
		return nil, usageText(l2tpUsage)
	}
	p := &l2tpParm{l2spec: l2tp.L2SpecDefault, udp6CsumRx: true, udp6CsumTx: true}
	a := &args{list: argv}
	onOff := func(w string, dst *bool) error {
		v, err := a.value(w)
		switch {
		case err != nil:
			return err
		case v == "on":
			*dst = true
		case v == "off":
			*dst = false
		default:
			return invarg("invalid option for "+w+"\n", v)
		}
		return nil
	}
	id := func(w string, dst *uint32) error {
		v, err := a.uintWith(w, getUint, 32, "invalid ID\n")
		*dst = uint32(v)
		return err
	}
	port := func(w string, dst *uint16) error {
		v, err := a.uintWith(w, getUint, 16, "invalid port\n")
		*dst = uint16(v)
		return err
	}
	cookie := func(w string, dst *[8]byte, n *int) error {
		v, err := a.value(w)
		if err != nil {
			return err
		}
		if len(v) != 8 && len(v) != 16 {
			return invarg("cookie must be either 8 or 16 hex digits\n", v)
		}
		if _, err := hex.Decode(dst[:], []byte(v)); err != nil {
			return invarg("cookie must be a hex string\n", v)
		}
		*n = len(v) / 2
		return nil
	}
	for a.more() {
		var err error
		switch w := a.advance(); w {
		case "encap":
			var i int
			i, err = l2tpChoice(a, w, false, "Unknown tunnel encapsulation %q", "udp", "ip")
			p.encap = l2tp.Encap(i)
		case "name":
			if p.ifname, err = a.value(w); err == nil && !validIfname(p.ifname) {
				err = invarg(`"name" not a valid ifname`, p.ifname)
			}
			p.hasIfname = true
		case "remote":
			err = l2tpAddrValue(a, w, &p.peer)
		case "local":
			err = l2tpAddrValue(a, w, &p.local)
		case "tunnel_id", "tid":
			err = id(w, &p.tunnelID)
		case "peer_tunnel_id", "ptid":
			err = id(w, &p.peerTunnelID)
		case "session_id", "sid":
			err = id(w, &p.sessionID)
		case "peer_session_id", "psid":
			err = id(w, &p.peerSessionID)
		case "udp_sport":
			err = port(w, &p.localPort)
		case "udp_dport":
			err = port(w, &p.peerPort)
		case "udp_csum", "udp6_csum_rx", "udp6_csum_tx":
			err = onOff(w, map[string]*bool{"udp_csum": &p.udpCsum, "udp6_csum_rx": &p.udp6CsumRx, "udp6_csum_tx": &p.udp6CsumTx}[w])
		case "offset", "peer_offset":
			fmt.Fprintf(e.Stderr, "Ignoring option %q\n", w)
			_, err = a.value(w)
		case "cookie":
			err = cookie(w, &p.cookie, &p.cookieLen)
		case "peer_cookie":
			err = cookie(w, &p.peerCookie, &p.peerCookieLen)
		case "l2spec_type":
			var i int
			i, err = l2tpChoice(a, w, true, "Unknown layer2specific header type %q", "none", "default")
			p.l2spec = l2tp.L2Spec(i)
		case "seq":
			// Bit 0 of the index is recv, bit 1 send: "none" clears both,
			// the others set theirs.
			var i int
			if i, err = l2tpChoice(a, w, true, "Unknown seq value %q", "none", "recv", "send", "both"); err == nil {
				p.recvSeq = i != 0 && (p.recvSeq || i&1 != 0)
				p.sendSeq = i != 0 && (p.sendSeq || i&2 != 0)
			}
		case "tunnel":
			p.tunnel = true
		case "session":
			p.session = true
		default:
			if matches(w, "help") {
				return nil, usageText(l2tpUsage)
			}
			return nil, &cliError{code: exitUsage, msg: "Unknown command: " + w + "\n" + strings.TrimSuffix(l2tpUsage, "\n")}
		}
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// l2tpChoice reads the word after keyword, one of words (compared as
// strcasecmp does when fold is set, else as strcmp), and returns its
// index; any other ends ip with unknown's message of it, status 255.
func l2tpChoice(a *args, keyword string, fold bool, unknown string, words ...string) (int, error) {
	v, err := a.value(keyword)
	if err != nil {
		return 0, err
	}
	for i, w := range words {
		if v == w || fold && strings.EqualFold(v, w) {
			return i, nil
		}
	}
	return 0, &cliError{code: exitUsage, msg: fmt.Sprintf(unknown, v)}
}

// l2tpAddrValue is get_addr of any family: "any", "default" and "all"
// leave no family (which the checks of "add" then call missing), and
// what is not an address ends ip, with status 1.
func l2tpAddrValue(a *args, keyword string, dst *l2tpAddr) error {
	v, err := a.value(keyword)
	if err != nil {
		return err
	}
	switch v {
	case "any", "default", "all":
		*dst = l2tpAddr{}
		return nil
	}
	addr, err := parseAddr(keyword, v, 0)
	if err != nil {
		return &cliError{code: exitFailure, msg: fmt.Sprintf("Error: any valid address is expected rather than %q.", v)}
	}
	dst.set(addr)
	return nil
}

// l2tpRequire is the checks of do_add and do_del, in their order:
// pairs of a condition and the name of the argument it finds missing
// (missarg, status 255).
func l2tpRequire(checks ...any) error {
	for i := 0; i+1 < len(checks); i += 2 {
		if missing, _ := checks[i].(bool); missing {
			name, _ := checks[i+1].(string)
			return missarg(name)
		}
	}
	return nil
}

// l2tpAdd is do_add: a tunnel, a session, or both (the tunnel first: a
// refused tunnel is reported and the session still sent, whose outcome
// is the command's).
func l2tpAdd(e *env, h *genl.Handle, argv []string) error {
	p, err := l2tpParseObject(e, argv)
	if err != nil {
		return err
	}
	udp := p.tunnel && p.encap == l2tp.EncapUDP
	if err := l2tpRequire(p.tunnelID == 0, "tunnel_id", p.session && p.peerSessionID == 0, "peer_session_id",
		p.session && p.sessionID == 0, "session_id", p.tunnel && p.peerTunnelID == 0, "peer_tunnel_id",
		p.tunnel && p.local.family == 0, "local", p.tunnel && p.peer.family == 0, "remote",
		udp && p.localPort == 0, "udp_sport", udp && p.peerPort == 0, "udp_dport"); err != nil {
		return err
	}
	var result error
	if p.tunnel {
		req, err := l2tp.CreateTunnel(l2tp.TunnelSpec{ID: p.tunnelID, PeerID: p.peerTunnelID, Encap: p.encap,
			Local: p.local.addr(), Peer: p.peer.addr(), LocalPort: p.localPort, PeerPort: p.peerPort,
			UDPChecksum: p.udpCsum, NoUDP6ChecksumTx: !p.udp6CsumTx, NoUDP6ChecksumRx: !p.udp6CsumRx})
		if err != nil {
			// Addresses of two families, which ip sends and the kernel
			// refuses with EINVAL.
			result = &cliError{code: exitKernel, msg: kernelMessage("", unix.EINVAL)}
		} else {
			result = l2tp.Do(e.ctx, h, req)
		}
		if result != nil && p.session {
			report(e.Stderr, result)
		}
	}
	if p.session {
		req, err := l2tp.CreateSession(l2tp.SessionSpec{TunnelID: p.tunnelID, PeerTunnelID: p.peerTunnelID,
			ID: p.sessionID, PeerID: p.peerSessionID, L2Spec: p.l2spec, RecvSeq: p.recvSeq, SendSeq: p.sendSeq,
			Cookie: p.cookie[:p.cookieLen], PeerCookie: p.peerCookie[:p.peerCookieLen], Ifname: p.ifname})
		if err != nil {
			return err
		}
		result = l2tp.Do(e.ctx, h, req)
	}
	return result
}

// l2tpDelete is do_del: a session when a session id is given, else the
// tunnel.
func l2tpDelete(e *env, h *genl.Handle, argv []string) error {
	p, err := l2tpParseObject(e, argv)
	if err != nil {
		return err
	}
	if err := l2tpRequire(p.tunnel && p.tunnelID == 0, "tunnel_id", p.session && p.sessionID == 0, "session_id"); err != nil {
		return err
	}
	var req genl.Request
	if p.sessionID != 0 {
		req, err = l2tp.DeleteSession(p.tunnelID, p.sessionID)
	} else {
		req, err = l2tp.DeleteTunnel(p.tunnelID)
	}
	if err != nil {
		return err
	}
	return l2tp.Do(e.ctx, h, req)
}

// l2tpShow is do_show: the sessions (with "session") or the tunnels,
// the ids of the command line sent as ip sends them (the kernel's dumps
// ignore them).
func l2tpShow(e *env, argv []string) error {
	p, err := l2tpParseObject(e, argv)
	if err != nil {
		return err
	}
	if p.session {
		req := l2tp.SessionDump(p.tunnelID, p.sessionID)
		return genlShow(e, l2tpDump(req, l2tp.ParseSession), func(pr *printer, s l2tp.Session) {
			p.update(s.Chain())
			p.printSession(pr)
		})
	}
	req := l2tp.TunnelDump(p.tunnelID)
	return genlShow(e, l2tpDump(req, l2tp.ParseTunnel), func(pr *printer, t l2tp.Tunnel) {
		p.update(t.Chain())
		p.printTunnel(pr)
	})
}

// l2tpDump is the dump of req, each reply read by parse.
func l2tpDump[T any](req genl.Request, parse func(genl.Message) (T, error)) func(context.Context, *genl.Handle) iter.Seq2[T, error] {
	return func(ctx context.Context, h *genl.Handle) iter.Seq2[T, error] {
		return genl.DumpFamily(ctx, h, l2tp.FamilyName, req, parse)
	}
}

// update is get_response: the fields of the attributes c has.
func (p *l2tpParm) update(c nla.Chain) {
	for a := range c.All() {
		u8 := func() uint8 { v, _ := a.Uint8(); return v }
		u16 := func() uint16 { v, _ := a.Uint16(); return v }
		u32 := func() uint32 { v, _ := a.Uint32(); return v }
		switch a.Kind() {
		case l2tp.AttrEncapType:
			p.encap = l2tp.Encap(u16())
		case l2tp.AttrConnID:
			p.tunnelID = u32()
		case l2tp.AttrPeerConnID:
			p.peerTunnelID = u32()
		case l2tp.AttrSessionID:
			p.sessionID = u32()
		case l2tp.AttrPeerSessionID:
			p.peerSessionID = u32()
		case l2tp.AttrUDPCsum:
			p.udpCsum = u8() != 0
		case l2tp.AttrCookie:
			p.cookieLen = copy(p.cookie[:], a.Data)
		case l2tp.AttrPeerCookie:
			p.peerCookieLen = copy(p.peerCookie[:], a.Data)
		case l2tp.AttrRecvSeq:
			p.recvSeq = u8() != 0
		case l2tp.AttrSendSeq:
			p.sendSeq = u8() != 0
		case l2tp.AttrRecvTimeout:
			v, _ := a.Uint64()
			p.reorderTimeout = uint32(v)
		case l2tp.AttrUDPSport:
			p.localPort = u16()
		case l2tp.AttrUDPDport:
			p.peerPort = u16()
		case l2tp.AttrIfname:
			p.ifname, _ = a.Text()
			p.hasIfname = true
		}
	}
	_, zeroTx := c.Get(l2tp.AttrUDPZeroCsum6TX)
	_, zeroRx := c.Get(l2tp.AttrUDPZeroCsum6RX)
	p.udp6CsumTx, p.udp6CsumRx = !zeroTx, !zeroRx
	p.local.update(c, l2tp.AttrIPSaddr, l2tp.AttrIP6Saddr)
	p.peer.update(c, l2tp.AttrIPDaddr, l2tp.AttrIP6Daddr)
}

// update is get_response's reading of an address: the family is IPv4
// when c has the v4 attribute, else IPv6, and the data changes only
// when c has the attribute (and it is an address).
func (a *l2tpAddr) update(c nla.Chain, v4, v6 uint16) {
	at, ok := c.Get(v4)
	a.family = unix.AF_INET
	if !ok {
		at, ok = c.Get(v6)
		a.family = unix.AF_INET6
	}
	if v, err := at.Addr(); ok && err == nil {
		a.set(v)
	}
}

// printTunnel is print_tunnel.
func (p *l2tpParm) printTunnel(pr *printer) {
	var buf [64]byte
	pr.openObject("")
	pr.uintAround("tunnel_id", "Tunnel ", uint64(p.tunnelID), ",")
	pr.strAround("encap", " encap ", p.encap.String(), "")
	pr.nl()
	pr.addrAround("local", "  From ", p.local.addr().AppendTo(buf[:0]), " ")
	pr.addrAround("peer", "to ", p.peer.addr().AppendTo(buf[:0]), "")
	pr.nl()
	pr.uintAround("peer_tunnel", "  Peer tunnel ", uint64(p.peerTunnelID), "")
	pr.nl()
	if p.encap == l2tp.EncapUDP {
		pr.textString("  UDP source / dest ports:")
		pr.uintAround("local_port", " ", uint64(p.localPort), "")
		pr.uintAround("peer_port", "/", uint64(p.peerPort), "")
		pr.nl()
		switch p.local.family {
		case unix.AF_INET:
			pr.jsonBool("checksum", p.udpCsum)
			pr.textString("  UDP checksum: " + map[bool]string{true: "enabled", false: "disabled"}[p.udpCsum] + "\n")
		case unix.AF_INET6:
			pr.jsonBool("checksum_tx", p.udp6CsumTx)
			pr.jsonBool("checksum_rx", p.udp6CsumRx)
			s := "disabled"
			switch {
			case p.udp6CsumTx && p.udp6CsumRx:
				s = "enabled"
			case p.udp6CsumTx:
				s = "tx"
			case p.udp6CsumRx:
				s = "rx"
			}
			pr.textString("  UDP checksum: " + s + "\n")
		}
	}
	pr.closeObject()
}

// printSession is print_session.
func (p *l2tpParm) printSession(pr *printer) {
	pr.openObject("")
	pr.uintAround("session_id", "Session ", uint64(p.sessionID), "")
	pr.uintAround("tunnel_id", " in tunnel ", uint64(p.tunnelID), "")
	pr.nl()
	pr.uintAround("peer_session_id", "  Peer session ", uint64(p.peerSessionID), ",")
	pr.uintAround("peer_tunnel_id", " tunnel ", uint64(p.peerTunnelID), "")
	pr.nl()
	if p.hasIfname {
		if pr.json {
			pr.strAround("interface", "", p.ifname, "")
		} else {
			pr.strAroundIn(colorIfname, "", "", "  interface name: "+p.ifname, "")
		}
		pr.nl()
	}
	pr.textString("  offset 0, peer offset 0\n")
	if p.cookieLen > 0 {
		pr.strAround("cookie", "  cookie ", l2tpCookie(p.cookie, p.cookieLen), "")
	}
	if p.peerCookieLen > 0 {
		pr.strAround("peer_cookie", "  peer cookie ", l2tpCookie(p.peerCookie, p.peerCookieLen), "")
	}
	if p.reorderTimeout != 0 {
		pr.uintAround("reorder_timeout", "  reorder timeout: ", uint64(p.reorderTimeout), "")
	}
	if p.sendSeq || p.recvSeq {
		pr.nl()
		pr.textString("  sequence numbering:")
		for _, s := range []struct {
			on        bool
			key, text string
		}{{p.sendSeq, "send_seq", " send"}, {p.recvSeq, "recv_seq", " recv"}} {
			switch {
			case !s.on:
			case pr.json:
				pr.jsonNull(s.key)
			default:
				pr.textString(s.text)
			}
		}
	}
	pr.textString("\n")
	pr.closeObject()
}

// l2tpCookie is print_cookie: the first four bytes in hex, and the next
// four of an 8-byte cookie.
func l2tpCookie(c [8]byte, n int) string {
	if n == 8 {
		return hex.EncodeToString(c[:])
	}
	return hex.EncodeToString(c[:4])
}
