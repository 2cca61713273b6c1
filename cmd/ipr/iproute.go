package main

// Helpers shared by the iproute2-compatible objects (link, addr): keyword
// matching, argument parsing, iproute2's name tables, and a printer that
// writes either ip(8)'s text or, byte for byte, the JSON of "ip -j".

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// matches reports whether word abbreviates keyword, as iproute2's matches()
// does: any non-empty prefix matches, so "s" is "show" when checked first.
func matches(word, keyword string) bool {
	return word != "" && strings.HasPrefix(keyword, word)
}

// args walks a command line the way iproute2's NEXT_ARG does.
type args struct {
	list []string
	i    int
}

func (a *args) more() bool      { return a.i < len(a.list) }
func (a *args) peek() string    { return a.list[a.i] }
func (a *args) advance() string { a.i++; return a.list[a.i-1] }

// value returns the argument that must follow keyword. Without one, the
// error is ip's NEXT_ARG's.
func (a *args) value(keyword string) (string, error) {
	if !a.more() {
		return "", errIncomplete
	}
	return a.advance(), nil
}

// uint32Value parses the number that must follow keyword. Like iproute2's
// get_u32 it accepts decimal, 0x-prefixed hex and 0-prefixed octal.
func (a *args) uint32Value(keyword string) (uint32, error) {
	s, err := a.value(keyword)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return 0, usagef("invalid %s %q: want a number from 0 to %d", keyword, s, uint32(1<<32-1))
	}
	return uint32(v), nil
}

// lifetime parses valid_lft and preferred_lft values: seconds or "forever".
func (a *args) lifetime(keyword string) (uint32, error) {
	s, err := a.value(keyword)
	if err != nil {
		return 0, err
	}
	if s == "forever" {
		return rtm.Forever, nil
	}
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return 0, usagef("invalid %s %q: want seconds or \"forever\"", keyword, s)
	}
	return uint32(v), nil
}

// parseAddr parses an IP address; family is 0, AF_INET or AF_INET6 (from
// -4/-6 or an earlier address) and the address must agree with it.
func parseAddr(keyword, s string, family uint8) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil && family != unix.AF_INET6 {
		if p, ok := parsePartialIPv4(s); ok {
			a, err = p, nil
		}
	}
	if err != nil || a.Zone() != "" || family != 0 && addrFamily(a) != family {
		return netip.Addr{}, wrongFamily("address", s, family)
	}
	return a, nil
}

// wrongFamily is iproute2's get_addr and get_prefix failing on a word
// that is no address or prefix of the family (0: any): its message, and
// exit(1).
func wrongFamily(what, s string, family uint8) error {
	name := "any valid" // family_name_verbose
	if family != 0 {
		name = familyNameOrQ(family)
	}
	return &cliError{code: exitFailure, msg: fmt.Sprintf("Error: %s %s is expected rather than %q.", name, what, s)}
}

// parsePartialIPv4 is what iproute2's get_addr_ipv4 also takes: one to
// four dotted numbers, the missing bytes zero ("10" is 10.0.0.0, "0/0"
// the default route), each read as strtoul reads it in base 0: decimal,
// 0x hexadecimal or 0 octal ("0x0a.010" is 10.8.0.0).
func parsePartialIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var b [4]byte
	for i, p := range parts {
		// Go's base 0 also takes 0b, 0o and digits separated by "_",
		// which strtoul does not.
		if strings.Contains(p, "_") || len(p) > 1 && p[0] == '0' && strings.ContainsRune("bBoO", rune(p[1])) {
			return netip.Addr{}, false
		}
		v, err := strconv.ParseUint(p, 0, 8)
		if err != nil {
			return netip.Addr{}, false
		}
		b[i] = byte(v)
	}
	return netip.AddrFrom4(b), true
}

// parsePrefix parses ADDR[/LEN]. Without a length the prefix is a host
// route (32 or 128) and explicit reports false, which "addr del" needs to
// tell "10.0.0.1" from "10.0.0.1/32".
func parsePrefix(keyword, s string, family uint8) (p netip.Prefix, explicit bool, err error) {
	addr, bits, explicit := strings.Cut(s, "/")
	a, err := parseAddr(keyword, addr, family)
	if err != nil {
		return netip.Prefix{}, false, wrongFamily("prefix", s, family)
	}
	n := a.BitLen()
	if explicit {
		v, err := strconv.ParseUint(bits, 10, 8)
		if err != nil || int(v) > a.BitLen() {
			return netip.Prefix{}, false, wrongFamily("prefix", s, family)
		}
		n = int(v)
	}
	return netip.PrefixFrom(a, n), explicit, nil
}

func addrFamily(a netip.Addr) uint8 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// families are the names of address families that family_name prints
// and read_family reads (all but dnet).
var families = []named[uint8]{{"inet", unix.AF_INET}, {"inet6", unix.AF_INET6}, {"dnet", unix.AF_DECnet},
	{"link", unix.AF_PACKET}, {"mpls", unix.AF_MPLS}, {"bridge", unix.AF_BRIDGE}}

// familyName is iproute2's family_name, or "" for families it calls "?".
func familyName(f uint8) string { return nameOr(families, f, "") }

// readFamily is iproute2's read_family.
func readFamily(s string) (uint8, bool) {
	if s == "dnet" {
		return 0, false
	}
	return lookupName(families, s)
}

// transport, when tests set it, stands in for the kernel: a recorded
// conversation or a fake (package nltest).
var transport socket.Dialer

// dialRaw opens an RTNL socket of its own, for the commands that send
// and read whole messages (save, restore, namespace ids): over the test
// transport, if any, as the handles are.
func dialRaw(cfg *socket.Config) (socket.Transport, error) {
	if transport != nil {
		return transport(unix.NETLINK_ROUTE, cfg)
	}
	return socket.DialTransport(unix.NETLINK_ROUTE, cfg)
}

// kernelLinkName reports whether a link can have the name, by the
// kernel's dev_valid_name (as rtm checks it before a lookup): not empty,
// "." or "..", shorter than IFNAMSIZ, without '/', ':' or white space.
func kernelLinkName(name string) bool {
	return len(name) < unix.IFNAMSIZ && name != "." && name != ".." && validAltIfname(name) &&
		!strings.ContainsAny(name, ":\x00")
}

// linkByName resolves a device name, turning "not found" into errNoDevice.
func linkByName(ctx context.Context, h *rtm.Handle, name string) (rtm.Link, error) {
	if !kernelLinkName(name) {
		// ip's ll_name_to_index finds no such device; rtm would refuse
		// the name before asking.
		return rtm.Link{}, errNoDevice(name)
	}
	l, err := h.LinkByName(ctx, name)
	if isNotFound(err) {
		return rtm.Link{}, errNoDevice(name)
	}
	return l, err
}

// Name tables. iproute2 reads them from /etc/iproute2 on top of built-in
// defaults; reading the same files keeps the two outputs identical.

const confDir = "/etc/iproute2"

type nameTable struct {
	once sync.Once
	file string
	// defaults are the built-in names, which the file adds to.
	defaults []idName
	names    map[uint32]string
	ids      map[string]uint32
}

// idName is one built-in entry of a nameTable.
type idName struct {
	id   uint32
	name string
}

var (
	groupNames = nameTable{file: "group", defaults: []idName{{0, "default"}}}
	scopeNames = nameTable{file: "rt_scopes", defaults: []idName{
		{unix.RT_SCOPE_UNIVERSE, "global"}, {unix.RT_SCOPE_NOWHERE, "nowhere"}, {unix.RT_SCOPE_HOST, "host"}, {unix.RT_SCOPE_LINK, "link"},
		{unix.RT_SCOPE_SITE, "site"},
	}}
)

// load reads "ID NAME" lines, as iproute2's rtnl_tab_initialize does;
// a missing or unreadable file leaves the defaults.
func (t *nameTable) load() {
	t.once.Do(func() {
		t.names = make(map[uint32]string, len(t.defaults))
		for _, d := range t.defaults {
			t.names[d.id] = d.name
		}
		t.ids = make(map[string]uint32, len(t.names))
		if f, err := os.Open(confDir + "/" + t.file); err == nil {
			s := bufio.NewScanner(f)
			for s.Scan() {
				fields := strings.Fields(s.Text())
				if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
					continue
				}
				id, err := strconv.ParseUint(fields[0], 0, 32)
				if err != nil {
					continue
				}
				t.names[uint32(id)] = fields[1]
			}
			f.Close()
		}
		for id, name := range t.names {
			t.ids[name] = id
		}
	})
}

// name returns the name of id, or id in decimal.
func (t *nameTable) name(id uint32) string {
	if numericNames {
		return strconv.FormatUint(uint64(id), 10)
	}
	t.load()
	if s, ok := t.names[id]; ok {
		return s
	}
	return strconv.FormatUint(uint64(id), 10)
}

// id parses a name or a number no larger than max.
func (t *nameTable) id(s string, max uint64) (uint32, bool) {
	t.load()
	if id, ok := t.ids[s]; ok {
		return id, true
	}
	v, err := strconv.ParseUint(s, 0, 32)
	return uint32(v), err == nil && v <= max
}

// linkTypeName is iproute2's ll_type_n2a: the name of an ARPHRD_* type,
// or the number in brackets.
func linkTypeName(t uint16) string {
	if numericNames {
		return "[" + strconv.Itoa(int(t)) + "]"
	}
	switch t {
	case unix.ARPHRD_NETROM:
		return "netrom"
	case unix.ARPHRD_ETHER:
		return "ether"
	case unix.ARPHRD_EETHER:
		return "eether"
	case unix.ARPHRD_AX25:
		return "ax25"
	case unix.ARPHRD_PRONET:
		return "pronet"
	case unix.ARPHRD_CHAOS:
		return "chaos"
	case unix.ARPHRD_IEEE802:
		return "ieee802"
	case unix.ARPHRD_ARCNET:
		return "arcnet"
	case unix.ARPHRD_APPLETLK:
		return "atalk"
	case unix.ARPHRD_DLCI:
		return "dlci"
	case unix.ARPHRD_ATM:
		return "atm"
	case unix.ARPHRD_METRICOM:
		return "metricom"
	case unix.ARPHRD_IEEE1394:
		return "ieee1394"
	case unix.ARPHRD_INFINIBAND:
		return "infiniband"
	case unix.ARPHRD_SLIP:
		return "slip"
	case unix.ARPHRD_CSLIP:
		return "cslip"
	case unix.ARPHRD_SLIP6:
		return "slip6"
	case unix.ARPHRD_CSLIP6:
		return "cslip6"
	case unix.ARPHRD_RSRVD:
		return "rsrvd"
	case unix.ARPHRD_ADAPT:
		return "adapt"
	case unix.ARPHRD_ROSE:
		return "rose"
	case unix.ARPHRD_X25:
		return "x25"
	case unix.ARPHRD_HWX25:
		return "hwx25"
	case unix.ARPHRD_CAN:
		return "can"
	case unix.ARPHRD_PPP:
		return "ppp"
	case unix.ARPHRD_HDLC:
		return "hdlc"
	case unix.ARPHRD_LAPB:
		return "lapb"
	case unix.ARPHRD_DDCMP:
		return "ddcmp"
	case unix.ARPHRD_RAWHDLC:
		return "rawhdlc"
	case unix.ARPHRD_TUNNEL:
		return "ipip"
	case unix.ARPHRD_TUNNEL6:
		return "tunnel6"
	case unix.ARPHRD_FRAD:
		return "frad"
	case unix.ARPHRD_SKIP:
		return "skip"
	case unix.ARPHRD_LOOPBACK:
		return "loopback"
	case unix.ARPHRD_LOCALTLK:
		return "ltalk"
	case unix.ARPHRD_FDDI:
		return "fddi"
	case unix.ARPHRD_BIF:
		return "bif"
	case unix.ARPHRD_SIT:
		return "sit"
	case unix.ARPHRD_IPDDP:
		return "ip/ddp"
	case unix.ARPHRD_IPGRE:
		return "gre"
	case unix.ARPHRD_PIMREG:
		return "pimreg"
	case unix.ARPHRD_HIPPI:
		return "hippi"
	case unix.ARPHRD_ASH:
		return "ash"
	case unix.ARPHRD_ECONET:
		return "econet"
	case unix.ARPHRD_IRDA:
		return "irda"
	case unix.ARPHRD_FCPP:
		return "fcpp"
	case unix.ARPHRD_FCAL:
		return "fcal"
	case unix.ARPHRD_FCPL:
		return "fcpl"
	case unix.ARPHRD_FCFABRIC:
		return "fcfb0"
	case unix.ARPHRD_FCFABRIC + 1:
		return "fcfb1"
	case unix.ARPHRD_FCFABRIC + 2:
		return "fcfb2"
	case unix.ARPHRD_FCFABRIC + 3:
		return "fcfb3"
	case unix.ARPHRD_FCFABRIC + 4:
		return "fcfb4"
	case unix.ARPHRD_FCFABRIC + 5:
		return "fcfb5"
	case unix.ARPHRD_FCFABRIC + 6:
		return "fcfb6"
	case unix.ARPHRD_FCFABRIC + 7:
		return "fcfb7"
	case unix.ARPHRD_FCFABRIC + 8:
		return "fcfb8"
	case unix.ARPHRD_FCFABRIC + 9:
		return "fcfb9"
	case unix.ARPHRD_FCFABRIC + 10:
		return "fcfb10"
	case unix.ARPHRD_FCFABRIC + 11:
		return "fcfb11"
	case unix.ARPHRD_FCFABRIC + 12:
		return "fcfb12"
	case unix.ARPHRD_IEEE802_TR:
		return "tr"
	case unix.ARPHRD_IEEE80211:
		return "ieee802.11"
	case unix.ARPHRD_IEEE80211_PRISM:
		return "ieee802.11/prism"
	case unix.ARPHRD_IEEE80211_RADIOTAP:
		return "ieee802.11/radiotap"
	case unix.ARPHRD_IEEE802154:
		return "ieee802.15.4"
	case unix.ARPHRD_IEEE802154_MONITOR:
		return "ieee802.15.4/monitor"
	case unix.ARPHRD_PHONET:
		return "phonet"
	case unix.ARPHRD_PHONET_PIPE:
		return "phonet_pipe"
	case unix.ARPHRD_CAIF:
		return "caif"
	case unix.ARPHRD_IP6GRE:
		return "gre6"
	case unix.ARPHRD_NETLINK:
		return "netlink"
	case unix.ARPHRD_6LOWPAN:
		return "6lowpan"
	case unix.ARPHRD_NONE:
		return "none"
	case unix.ARPHRD_VOID:
		return "void"
	}
	return "[" + strconv.Itoa(int(t)) + "]"
}

// appendHW formats a link-layer address as iproute2's ll_addr_n2a does:
// tunnels whose "hardware" address is an IP address get it in IP form,
// everything else colon-separated hex.
func appendHW(b []byte, hw []byte, arphrd uint16) []byte {
	switch {
	case len(hw) == 4 && (arphrd == unix.ARPHRD_TUNNEL || arphrd == unix.ARPHRD_SIT || arphrd == unix.ARPHRD_IPGRE),
		len(hw) == 16 && (arphrd == unix.ARPHRD_TUNNEL6 || arphrd == unix.ARPHRD_IP6GRE):
		return appendIP(b, hw)
	}
	const hex = "0123456789abcdef"
	for i, c := range hw {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hex[c>>4], hex[c&15])
	}
	return b
}

func hwString(hw []byte, arphrd uint16) string { return string(appendHW(nil, hw, arphrd)) }

// appendIP formats a 4- or 16-byte address as glibc's inet_ntop does. It
// differs from netip.Addr.String in one case: an IPv4-compatible address
// (::a.b.c.d, first 96 bits zero) keeps its dotted tail, as in "::1.2.3.4".
func appendIP(b []byte, ip []byte) []byte {
	switch len(ip) {
	case 4:
		return appendIPv4(b, ip)
	case 16:
		if isV4Compatible(ip) {
			b = append(b, "::"...)
			return appendIPv4(b, ip[12:])
		}
		return netip.AddrFrom16([16]byte(ip)).AppendTo(b)
	}
	return append(b, '?')
}

// appendIPv4 appends the 4-byte address ip in dotted decimal, as
// netip.Addr.AppendTo does, in fewer instructions: listings print two or
// three addresses per route.
func appendIPv4(b []byte, ip []byte) []byte {
	for i, c := range ip[:4] {
		if i > 0 {
			b = append(b, '.')
		}
		switch {
		case c >= 100:
			b = append(b, '0'+c/100, '0'+c/10%10, '0'+c%10)
		case c >= 10:
			b = append(b, '0'+c/10, '0'+c%10)
		default:
			b = append(b, '0'+c)
		}
	}
	return b
}

// isV4Compatible reports glibc's test for printing ::a.b.c.d: the longest
// zero run is exactly the first six 16-bit words.
func isV4Compatible(ip []byte) bool {
	for _, c := range ip[:12] {
		if c != 0 {
			return false
		}
	}
	return ip[12] != 0 || ip[13] != 0
}

func ipString(ip []byte) string { return string(appendIP(nil, ip)) }

// cHex formats v as C's "%#x": "0" for zero, else "0x" and lower-case hex.
func cHex(v uint64) string {
	if v == 0 {
		return "0"
	}
	return "0x" + strconv.FormatUint(v, 16)
}

// Attribute readers that, like iproute2's rta_getattr_*, treat a malformed
// payload as zero rather than failing the whole listing.

func attrU8(a nla.Attr) uint8   { v, _ := a.Uint8(); return v }
func attrU16(a nla.Attr) uint16 { v, _ := a.Uint16(); return v }
func attrU32(a nla.Attr) uint32 { v, _ := a.Uint32(); return v }
func attrU64(a nla.Attr) uint64 { v, _ := a.Uint64(); return v }

// attrUintN reads an unsigned attribute of width bytes (1, 2, 4 or 8).
func attrUintN(a nla.Attr, width int) uint64 {
	switch width {
	case 1:
		return uint64(attrU8(a))
	case 2:
		return uint64(attrU16(a))
	case 4:
		return uint64(attrU32(a))
	}
	return attrU64(a)
}

// attrText is attrStr without the copy, for printing.
func attrText(a nla.Attr) []byte {
	if b, err := a.TextBytes(); err == nil {
		return b
	}
	return a.Data
}

func attrStr(a nla.Attr) string {
	if b, err := a.TextBytes(); err == nil {
		return string(b)
	}
	return string(a.Data)
}

// printer writes a command's output as ip(8) text or as the JSON of
// "ip -j". Its methods follow iproute2's print_* functions: each value has
// a JSON key and a text format, so that one function describes both
// outputs, as in iproute2, and the two cannot drift apart.
type printer struct {
	json bool
	// oneline is -o: iproute2's _SL_, the line breaks within one record,
	// become backslashes, so that each record is one line.
	oneline bool
	buf     []byte
	// open holds, for each open JSON container, whether it has a member
	// yet (and so needs a comma before the next).
	open []bool
	// w, when set, receives buf whenever flush finds it past
	// streamChunk, so that a listing of any size is held in memory a
	// chunk at a time, as ip's stdio buffer holds it; nil keeps the
	// whole output in buf (-pretty re-lays it out at the end).
	w io.Writer
	// err is w's first write error; nothing is written after it.
	err error
	// palette colors the text output (-color, color.go); nil for none.
	palette *palette
	// stderr receives the warnings ip writes between records (warn);
	// nil drops them.
	stderr io.Writer
}

// warn writes msg to standard error as ip does after flushing its
// standard output: after the output so far, when the printer streams.
func (p *printer) warn(msg string) {
	if p.stderr == nil {
		return
	}
	if p.w != nil && p.err == nil {
		_, p.err = p.w.Write(p.buf)
		p.buf = p.buf[:0]
	}
	io.WriteString(p.stderr, msg)
}

// streamChunk is the output written at a time: the size of a bufio
// buffer that a listing fills before each write(2).
const streamChunk = 64 << 10

// newPrinter returns a printer for a listing's output to e.Stdout,
// streaming unless -pretty has to see the whole document.
func (e *env) newPrinter() *printer {
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette, stderr: e.Stderr}
	if !(e.JSON && e.Pretty) {
		p.w = e.Stdout
		p.buf = make([]byte, 0, streamChunk+streamChunk/4)
	}
	return p
}

// flush writes the output so far once it fills a chunk; listings call it
// after each object.
func (p *printer) flush() {
	if p.w == nil || len(p.buf) < streamChunk {
		return
	}
	if p.err == nil {
		_, p.err = p.w.Write(p.buf)
	}
	p.buf = p.buf[:0]
}

// member starts a JSON object member or array element.
func (p *printer) member(key string) {
	p.separate()
	if key != "" {
		p.buf = appendJSONString(p.buf, key)
		p.buf = append(p.buf, ':')
	}
}

// memberNamed is member for a key that needs no JSON escaping, such as
// every literal key: it is quoted without being scanned. The ...Around
// methods, which listings call per object, take such keys only.
func (p *printer) memberNamed(key string) {
	p.separate()
	if key != "" {
		p.buf = append(append(append(p.buf, '"'), key...), '"', ':')
	}
}

// separate puts the comma before a member of the innermost open JSON
// container that has one already.
func (p *printer) separate() {
	if n := len(p.open); n > 0 {
		if p.open[n-1] {
			p.buf = append(p.buf, ',')
		}
		p.open[n-1] = true
	}
}

// openObject starts a JSON object (the member key, if any; "" inside an
// array). Text output has no counterpart.
func (p *printer) openObject(key string) { p.openContainer(key, '{') }

func (p *printer) closeObject() { p.closeContainer('}') }

func (p *printer) openArray(key string) { p.openContainer(key, '[') }

func (p *printer) closeArray() { p.closeContainer(']') }

// openContainer starts a JSON object or array (opening is '{' or '[').
func (p *printer) openContainer(key string, opening byte) {
	if p.json {
		p.member(key)
		p.buf = append(p.buf, opening)
		p.open = append(p.open, false)
	}
}

// closeContainer ends the innermost open JSON container with closing.
func (p *printer) closeContainer(closing byte) {
	if p.json {
		p.open = p.open[:len(p.open)-1]
		p.buf = append(p.buf, closing)
	}
}

// text writes to the text output only.
func (p *printer) text(format string, a ...any) {
	if !p.json {
		p.buf = fmt.Appendf(p.buf, format, a...)
	}
}

// textString writes s verbatim to the text output only.
func (p *printer) textString(s string) {
	if !p.json {
		p.buf = append(p.buf, s...)
	}
}

// nl breaks a text line within a record: iproute2's print_nl and _SL_,
// a backslash with -o.
func (p *printer) nl() {
	if p.oneline {
		p.textString("\\")
	} else {
		p.textString("\n")
	}
}

// endl ends a record's text line, with or without -o (iproute2's
// print_string(PRINT_FP, NULL, "%s", "\n")).
func (p *printer) endl() { p.textString("\n") }

// str prints a string: JSON key, or format with one %s verb.
func (p *printer) str(key, format, v string) { printStr(p, key, format, v) }

// strBytes is str for text formatted into a scratch buffer, which it
// does not keep.
func (p *printer) strBytes(key, format string, v []byte) { printStr(p, key, format, v) }

// printStr is str and strBytes.
func printStr[S string | []byte](p *printer, key, format string, v S) {
	if p.json {
		p.member(key)
		p.buf = appendJSON(p.buf, v)
		return
	}
	if pre, post, ok := splitVerb(format, 's'); ok {
		p.buf = append(append(append(p.buf, pre...), v...), post...)
		return
	}
	p.buf = fmt.Appendf(p.buf, format, string(v)) // a []byte v must not escape
}

// strAround prints v under key (a literal: see memberNamed) in JSON, and
// between pre and post in text: str with the format pre+"%s"+post, for the per-object fields of
// long listings, which would otherwise look for the verb in each format
// once per object.
func (p *printer) strAround(key, pre, v, post string) {
	if p.json {
		p.memberNamed(key)
		p.buf = appendJSONString(p.buf, v)
		return
	}
	p.buf = append(append(append(p.buf, pre...), v...), post...)
}

// addrAround is bytesAround for an address formatted by appendAddr or
// appendIP, whose characters (digits, letters, '.', ':', '/') JSON
// never escapes: it is quoted without being scanned.
func (p *printer) addrAround(key, pre string, v []byte, post string) {
	if p.json {
		p.memberNamed(key)
		p.buf = append(append(append(p.buf, '"'), v...), '"')
		return
	}
	p.buf = append(append(append(p.buf, pre...), v...), post...)
}

// bytesAround is strAround for text formatted into a scratch buffer,
// which it does not keep.
func (p *printer) bytesAround(key, pre string, v []byte, post string) {
	if p.json {
		p.memberNamed(key)
		p.buf = appendJSONBytes(p.buf, v)
		return
	}
	p.buf = append(append(append(p.buf, pre...), v...), post...)
}

// uintAround is strAround for an unsigned number: uint with the format
// pre+"%d"+post.
func (p *printer) uintAround(key, pre string, v uint64, post string) {
	if p.json {
		p.memberNamed(key)
		p.buf = strconv.AppendUint(p.buf, v, 10)
		return
	}
	p.buf = append(strconv.AppendUint(append(p.buf, pre...), v, 10), post...)
}

// nameAt is names[i], or unknown for a number past the end of names:
// iproute2's tables of names by number.
func nameAt[I ~uint8 | ~uint16 | ~uint32 | ~uint64](names []string, i I, unknown string) string {
	if uint64(i) < uint64(len(names)) {
		return names[i]
	}
	return unknown
}

// splitVerb splits a format made of text around one plain verb ("%s",
// "%d"), the form of nearly every format of the listings, so that it is
// printed without fmt's interface boxing and parsing; ok is false for
// anything else (widths, other verbs, "%%"), which goes to fmt.
func splitVerb(format string, verb byte) (pre, post string, ok bool) {
	i := strings.IndexByte(format, '%')
	if i < 0 || i+1 >= len(format) || format[i+1] != verb || strings.IndexByte(format[i+2:], '%') >= 0 {
		return "", "", false
	}
	return format[:i], format[i+2:], true
}

// jsonStr prints a string to JSON only.
func (p *printer) jsonStr(key, v string) {
	if p.json {
		p.member(key)
		p.buf = appendJSONString(p.buf, v)
	}
}

// uint prints an unsigned number: JSON key, or format with one %d verb.
func (p *printer) uint(key, format string, v uint64) { p.integer(key, format, v, false) }

// int prints a signed number: JSON key, or format with one %d verb.
func (p *printer) int(key, format string, v int64) { p.integer(key, format, uint64(v), true) }

// integer is uint and int: bits is the number, an int64 if signed.
func (p *printer) integer(key, format string, bits uint64, signed bool) {
	neg := signed && int64(bits) < 0
	mag := bits
	if neg {
		mag = -bits
	}
	if p.json {
		p.member(key)
		p.buf = appendSigned(p.buf, mag, neg)
		return
	}
	if pre, post, ok := splitVerb(format, 'd'); ok {
		p.buf = append(appendSigned(append(p.buf, pre...), mag, neg), post...)
		return
	}
	if signed {
		p.buf = fmt.Appendf(p.buf, format, int64(bits))
	} else {
		p.buf = fmt.Appendf(p.buf, format, bits)
	}
}

// appendSigned appends the decimal digits of mag, after a minus if neg.
func appendSigned(b []byte, mag uint64, neg bool) []byte {
	if neg {
		b = append(b, '-')
	}
	return strconv.AppendUint(b, mag, 10)
}

// jsonUint and jsonInt print a number to JSON only.
func (p *printer) jsonUint(key string, v uint64) {
	if p.json {
		p.uint(key, "", v)
	}
}

// jsonUintPair prints the JSON object {k1: v1, k2: v2} under key ("" in
// an array) and reports whether it did: text output, which each caller
// words its own way, gets nothing.
func (p *printer) jsonUintPair(key, k1 string, v1 uint64, k2 string, v2 uint64) bool {
	if !p.json {
		return false
	}
	p.openObject(key)
	p.jsonUint(k1, v1)
	p.jsonUint(k2, v2)
	p.closeObject()
	return true
}

func (p *printer) jsonInt(key string, v int64) {
	if p.json {
		p.int(key, "", v)
	}
}

// boolean prints iproute2's print_bool: a JSON boolean, or format with
// "true" or "false" for a %s verb (most formats have none, such as
// "nodad ").
func (p *printer) boolean(key, format string, v bool) {
	if p.json {
		p.jsonBool(key, v)
		return
	}
	p.textVerb(format, strconv.FormatBool(v))
}

// onOff prints iproute2's print_on_off: a JSON boolean, or "on" or "off".
func (p *printer) onOff(key, format string, v bool) {
	if p.json {
		p.jsonBool(key, v)
		return
	}
	s := "off"
	if v {
		s = "on"
	}
	p.textVerb(format, s)
}

func (p *printer) textVerb(format, v string) {
	if strings.Contains(format, "%") {
		p.buf = fmt.Appendf(p.buf, format, v)
	} else {
		p.buf = append(p.buf, format...)
	}
}

func (p *printer) jsonBool(key string, v bool) {
	if p.json {
		p.member(key)
		p.buf = strconv.AppendBool(p.buf, v)
	}
}

// hex prints iproute2's print_0xhex: a JSON string in C's "%#x" form, or
// format with that string for a %s verb.
func (p *printer) hex(key, format string, v uint64) { p.str(key, format, cHex(v)) }

// jsonNull prints a JSON null.
func (p *printer) jsonNull(key string) {
	if p.json {
		p.member(key)
		p.buf = append(p.buf, "null"...)
	}
}

// number prints a preformatted number, such as the "14.96" of a bridge
// timer, to both outputs.
func (p *printer) number(key, format, v string) {
	if p.json {
		p.member(key)
		p.buf = append(p.buf, v...)
		return
	}
	p.buf = fmt.Appendf(p.buf, format, v)
}

// appendJSONString quotes s as iproute2's json writer does, escaping what
// JSON requires (it leaves other control characters raw, producing invalid
// JSON; they are escaped here) and leaving everything else, including
// non-ASCII text, as is.
func appendJSONString(b []byte, s string) []byte { return appendJSON(b, s) }

// appendJSONBytes is appendJSONString for bytes.
func appendJSONBytes(b []byte, s []byte) []byte { return appendJSON(b, s) }

// jsonPlain is the set of bytes a JSON string holds as they are: printable
// ASCII but '"' and '\\', bit c%64 of word c/64.
var jsonPlain = [4]uint64{0xffff_fffb_0000_0000, 0x7fff_ffff_efff_ffff}

func appendJSON[T string | []byte](b []byte, s T) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		// Runs of printable ASCII, all of most names and addresses, are
		// copied at once.
		j := i
		for j < len(s) && jsonPlain[s[j]>>6]&(1<<(s[j]&63)) != 0 {
			j++
		}
		if j > i {
			b = append(b, s[i:j]...)
			if i = j; i == len(s) {
				break
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = schema.AppendJSONASCII(b, c, "\x7f")
			continue
		}
		// Invalid UTF-8 would make the whole document unparsable.
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size - 1
	}
	return append(b, '"')
}

func isNotFound(err error) bool { return errors.Is(err, rtm.ErrNotFound) }
