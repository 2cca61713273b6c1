package main

// "ipr mptcp": the MPTCP path manager's endpoints, limits and events, as
// iproute2 6.1's ipmptcp.c reads its command line and prints them.

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// mptcpUsage is ip's usage text, after "Usage:\tip mptcp ".
const mptcpUsage = "Usage:\tipr mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]\n" +
	"\t\t\t\t      [ port NR ] [ FLAG-LIST ]\n" +
	"\tipr mptcp endpoint delete id ID [ ADDRESS ]\n" +
	"\tipr mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT\n" +
	"\tipr mptcp endpoint show [ id ID ]\n" +
	"\tipr mptcp endpoint flush\n" +
	"\tipr mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]\n" +
	"\tipr mptcp limits show\n" +
	"\tipr mptcp monitor\n" +
	"FLAG-LIST := [ FLAG-LIST ] FLAG\n" +
	"FLAG  := [ signal | subflow | backup | fullmesh ]\n" +
	"CHANGE-OPT := [ backup | nobackup | fullmesh | nofullmesh ]\n"

// mptcpCommand is an MPTCP_PM_CMD_* command, as do_mptcp dispatches
// them.
type mptcpCommand uint8

// runMptcp is ipmptcp.c's do_mptcp.
func runMptcp(e *env, argv []string) error {
	if len(argv) == 0 || matches(argv[0], "help") {
		return usageText(mptcpUsage)
	}
	// ip resolves the family before it reads the rest of the line: a
	// kernel without MPTCP fails every command alike.
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	if _, err := mptcp.Family(e.ctx, h); err != nil {
		return genlFamilyError(err)
	}
	unknown := func(w string) error {
		return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr mptcp help\".", w)}
	}
	w, rest := argv[0], argv[1:]
	switch {
	case matches(w, "endpoint"):
		if len(rest) == 0 {
			return mptcpEndpointShow(e, nil)
		}
		w, rest = rest[0], rest[1:]
		switch {
		case matches(w, "add"):
			return mptcpEndpointModify(e, rest, mptcp.MPTCPPMCmdAddAddr)
		case matches(w, "change"):
			return mptcpEndpointModify(e, rest, mptcp.MPTCPPMCmdSetFlags)
		case matches(w, "delete"):
			return mptcpEndpointModify(e, rest, mptcp.MPTCPPMCmdDelAddr)
		case matches(w, "show"):
			return mptcpEndpointShow(e, rest)
		case matches(w, "flush"):
			return mptcpDo(e, mptcp.EndpointFlush())
		}
		return unknown(w)
	case matches(w, "limits"):
		if len(rest) == 0 {
			return mptcpLimits(e, nil, false)
		}
		w, rest = rest[0], rest[1:]
		switch {
		case matches(w, "set"):
			return mptcpLimits(e, rest, true)
		case matches(w, "show"):
			return mptcpLimits(e, rest, false)
		}
		// ip goes on to compare the word with "monitor", whose usage it
		// is not: any other word is unknown.
		return unknown(w)
	case matches(w, "monitor"):
		if len(rest) == 0 {
			return mptcpMonitor(e)
		}
		return unknown(rest[0])
	}
	return unknown(w)
}

// mptcpDo sends reqs to the mptcp_pm family.
func mptcpDo(e *env, reqs ...genl.Request) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	return genlFamilyError(mptcp.Do(e.ctx, h, reqs...))
}

// mptcpFlagNames are ip's flag words, in its table's order: the "no"
// forms set nothing, and clear the flag by leaving it out.
var mptcpFlagNames = [...]struct {
	name string
	flag mptcp.Flags
}{
	{"signal", mptcp.FlagSignal}, {"subflow", mptcp.FlagSubflow}, {"backup", mptcp.FlagBackup},
	{"fullmesh", mptcp.FlagFullmesh}, {"nobackup", 0}, {"nofullmesh", 0},
}

// mptcpEndpointArgs is what mptcp_parse_opt reads.
type mptcpEndpointArgs struct {
	spec           mptcp.EndpointSpec
	idSet, addrSet bool
}

// mptcpParseEndpoint is ipmptcp.c's mptcp_parse_opt: the same words, the
// same checks in the same order, the same messages.
func mptcpParseEndpoint(e *env, argv []string, cmd mptcpCommand) (mptcpEndpointArgs, error) {
	var r mptcpEndpointArgs
	s := &r.spec
	a := &args{list: argv}
	for a.more() {
		w := a.advance()
		if f, ok := mptcpFlag(w); ok {
			s.Flags |= f
			if cmd == mptcp.MPTCPPMCmdAddAddr && s.Flags&mptcp.FlagSignal != 0 && s.Flags&mptcp.FlagFullmesh != 0 {
				return r, invarg("flags mustn't have both signal and fullmesh", w)
			}
			if cmd == mptcp.MPTCPPMCmdSetFlags && s.Flags&^(mptcp.FlagBackup|mptcp.FlagFullmesh) != 0 {
				return r, invarg("invalid flags, backup and fullmesh only", w)
			}
			continue
		}
		switch {
		case matches(w, "id"):
			id, err := a.cUintValue(w, 8, "invalid ID\n")
			if err != nil {
				return r, err
			}
			s.ID, r.idSet = uint8(id), true
		case matches(w, "dev"):
			name, err := a.value(w)
			if err != nil {
				return r, err
			}
			if !validIfname(name) {
				return r, invarg("invalid interface name\n", name)
			}
			index, err := e.linkIndex(name)
			if err != nil {
				return r, err
			}
			if index == 0 {
				return r, invarg("device does not exist\n", name)
			}
			s.IfIndex = index
		case matches(w, "port"):
			port, err := a.cUintValue(w, 16, "expected port")
			if err != nil {
				return r, err
			}
			s.Port = uint16(port)
		default:
			addr, err := netip.ParseAddr(w)
			if err != nil || addr.Zone() != "" {
				return r, &cliError{code: exitFailure, msg: fmt.Sprintf("Error: any valid address is expected rather than %q.", w)}
			}
			s.Addr, r.addrSet = addr, true
		}
	}
	switch {
	case cmd == mptcp.MPTCPPMCmdAddAddr && !r.addrSet:
		return r, missarg("ADDRESS")
	case cmd == mptcp.MPTCPPMCmdDelAddr && !r.idSet:
		return r, missarg("ID")
	case cmd == mptcp.MPTCPPMCmdDelAddr && s.ID != 0 && r.addrSet:
		return r, invarg("invalid for non-zero id address\n", "ADDRESS")
	case cmd == mptcp.MPTCPPMCmdDelAddr && s.ID == 0 && !r.addrSet:
		return r, invarg("address is needed for deleting id 0 address\n", "ID")
	case cmd == mptcp.MPTCPPMCmdAddAddr && s.Port != 0 && s.Flags&mptcp.FlagSignal == 0:
		return r, invarg("flags must have signal when using port", "port")
	case cmd == mptcp.MPTCPPMCmdSetFlags && r.idSet && s.Port != 0:
		return r, invarg("port can't be used with id", "port")
	}
	return r, nil
}

func mptcpFlag(w string) (mptcp.Flags, bool) {
	for _, f := range mptcpFlagNames {
		if f.name == w {
			return f.flag, true
		}
	}
	return 0, false
}

// linkIndex is iproute2's ll_name_to_index: the index of the device
// called name, or 0.
func (e *env) linkIndex(name string) (int32, error) {
	h, err := e.handle()
	if err != nil {
		return 0, err
	}
	l, err := h.LinkByName(e.ctx, name)
	if isNotFound(err) {
		return llIdxA2n(name), nil
	}
	if err != nil {
		return 0, err
	}
	return l.Index(), nil
}

// llIdxA2n is iproute2's ll_idx_a2n, ll_name_to_index's last resort:
// the number of a name such as "if7" (sscanf's "if%u", so that digits
// may follow blanks or a plus sign, anything may follow them, and the
// number is cut to 32 bits), or 0.
func llIdxA2n(name string) int32 {
	s, ok := strings.CutPrefix(name, "if")
	if !ok {
		return 0
	}
	s = strings.TrimPrefix(strings.TrimLeft(s, " \t\n\v\f\r"), "+")
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return 0
	}
	// strtoul's value (its maximum past 64 bits) in sscanf's unsigned int.
	v, err := strconv.ParseUint(s[:n], 10, 64)
	if err != nil {
		v = math.MaxUint64
	}
	return int32(uint32(v))
}

// linkName is iproute2's ll_index_to_name: the name of the device of
// index i, or "if" and the index when there is none.
func (e *env) linkName(i int32) string {
	if h, err := e.handle(); err == nil {
		if l, err := h.LinkByIndex(e.ctx, i); err == nil {
			return l.Name()
		}
	}
	return ifIndexName(i)
}

// cUint is C's strtoul in base 0, as iproute2's get_u8, get_u16 and
// get_u32 use it: decimal, 0x-prefixed hex or 0-prefixed octal, no sign
// and nothing after the number; it must fit in bits.
func cUint(s string, bits int) (uint64, bool) {
	if s == "" || strings.ContainsAny(s, "_+-") || len(s) > 1 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B' || s[1] == 'o' || s[1] == 'O') {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 0, bits)
	return v, err == nil
}

// getUint is iproute2's get_u16 and get_u32 with base 0 (and get_u8):
// cUint, and the plus sign strtoul takes, which cUint refuses.
func getUint(s string, bits int) (uint64, bool) { return cUint(strings.TrimPrefix(s, "+"), bits) }

// cHexUint is iproute2's get_u64 (of bits bits) with base 16:
// strtoull's hexadecimal, with or without its 0x, after an optional plus
// sign.
func cHexUint(s string, bits int) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	v, err := strconv.ParseUint(s, 16, bits)
	return v, err == nil
}

// cUintValue reads a number as cUint does, failing as iproute2's
// invarg(msg, VALUE).
func (a *args) cUintValue(keyword string, bits int, msg string) (uint64, error) {
	return a.uintWith(keyword, cUint, bits, msg)
}

// uintWith reads the number of bits bits after keyword with get (cUint,
// getUint, cHexUint), failing as iproute2's invarg(msg, VALUE) for what
// get refuses.
func (a *args) uintWith(keyword string, get func(string, int) (uint64, bool), bits int, msg string) (uint64, error) {
	return parseValue(a, keyword, func(v string) (uint64, error) {
		n, ok := get(v, bits)
		if !ok {
			return 0, invarg(msg, v)
		}
		return n, nil
	})
}

// mptcpEndpointModify is mptcp_addr_modify: add, change and delete.
func mptcpEndpointModify(e *env, argv []string, cmd mptcpCommand) error {
	r, err := mptcpParseEndpoint(e, argv, cmd)
	if err != nil {
		return err
	}
	var req genl.Request
	switch cmd {
	case mptcp.MPTCPPMCmdAddAddr:
		req, err = mptcp.EndpointAdd(r.spec)
	case mptcp.MPTCPPMCmdDelAddr:
		addr := r.spec.Addr
		if !r.addrSet {
			addr = netip.Addr{}
		}
		req, err = mptcp.EndpointDelete(r.spec.ID, addr)
	case mptcp.MPTCPPMCmdSetFlags:
		if !r.idSet && !r.addrSet {
			// An endpoint named by nothing: ip sends the flags alone, and
			// the kernel's refusal is the message.
			flags := uint32(r.spec.Flags)
			req = genl.Request{Command: mptcp.MPTCPPMCmdSetFlags, Attrs: func(e *nla.Encoder) {
				n := e.BeginNest(mptcp.MPTCPPMAttrAddr | unix.NLA_F_NESTED)
				if flags != 0 {
					e.Uint32(mptcp.MPTCPPMAddrAttrFlags, flags)
				}
				e.EndNest(n)
			}}
			break
		}
		req, err = mptcp.EndpointSetFlags(r.spec)
	}
	if err != nil {
		return usagef("%v", err)
	}
	return mptcpDo(e, req)
}

// mptcpEndpointShow is mptcp_addr_show: the endpoint named by "id ID",
// or all of them.
func mptcpEndpointShow(e *env, argv []string) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	p := e.newPrinter()
	if len(argv) == 0 {
		p.openArray("")
		for ep, err := range mptcp.Endpoints(e.ctx, h) {
			if err != nil {
				return genlFamilyError(err)
			}
			mptcpPrintEndpoint(e, p, ep.Spec())
			p.flush()
		}
	} else {
		r, err := mptcpParseEndpoint(e, argv, mptcp.MPTCPPMCmdGetAddr)
		if err != nil {
			return err
		}
		s, err := mptcp.GetEndpoint(e.ctx, h, r.spec.ID)
		if err != nil {
			return genlFamilyError(err)
		}
		p.openArray("")
		mptcpPrintEndpoint(e, p, s)
	}
	return e.endList(p)
}

// mptcpPrintEndpoint is print_mptcp_addrinfo.
func mptcpPrintEndpoint(e *env, p *printer, s mptcp.EndpointSpec) {
	p.openObject("")
	if s.Addr.IsValid() {
		p.str("address", "%s ", hostString(s.Addr.AsSlice()))
	}
	if s.Port != 0 {
		p.uint("port", "port %d ", uint64(s.Port))
	}
	p.uint("id", "id %d ", uint64(s.ID))
	flags := s.Flags
	for _, f := range mptcpFlagNames[:4] {
		if flags&f.flag != 0 {
			if p.json {
				p.jsonBool(f.name, true)
			} else {
				p.textString(f.name + " ")
			}
		}
		flags &^= f.flag
	}
	if flags != 0 {
		p.str("rawflags", "rawflags %s ", fmt.Sprintf("%02x", uint32(flags)))
	}
	if s.IfIndex != 0 {
		p.str("dev", "dev %s ", e.linkName(s.IfIndex))
	}
	p.closeObject()
	p.endl()
}

// mptcpLimits is mptcp_limit_get_set.
func mptcpLimits(e *env, argv []string, set bool) error {
	var l mptcp.LimitsSpec
	a := &args{list: argv}
	for a.more() {
		w := a.advance()
		var dst **uint32
		var name string
		switch {
		case matches(w, "subflows"):
			dst, name = &l.Subflows, "subflows"
		case matches(w, "add_addr_accepted"):
			dst, name = &l.AddAddrAccepted, "add_addr_accepted"
		default:
			return invarg("unknown limit", w)
		}
		n, err := a.cUintValue(w, 32, "invalid "+name+"\n")
		if err != nil {
			return err
		}
		x := uint32(n)
		*dst = &x
	}
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	if set {
		return genlFamilyError(mptcp.Do(e.ctx, h, mptcp.LimitsSet(l)))
	}
	// "limits show" with limits sends them along, as ip does; the kernel
	// ignores them.
	got, err := mptcp.GetLimits(e.ctx, h)
	if err != nil {
		return genlFamilyError(err)
	}
	// ip prints the limits as text even with -j: it opens no JSON
	// document for them.
	_, err = fmt.Fprintf(e.Stdout, "add_addr_accepted %d subflows %d \n", got.AddAddrAccepted, got.Subflows)
	return err
}

// mptcpMonitor is mptcp_monitor: the path manager's events, one line
// each, until interrupted.
func mptcpMonitor(e *env) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	m, err := mptcp.Monitor(e.ctx, h)
	if err != nil {
		return genlFamilyError(err)
	}
	defer m.Close()
	var b []byte
	for ev, err := range m.Events(e.ctx) {
		if err != nil {
			if e.ctx.Err() != nil {
				return nil
			}
			return err
		}
		if ev.Overrun || ev.Sync != 0 {
			continue
		}
		b = appendMptcpEvent(b[:0], mptcp.ParseEvent(ev.Message))
		if _, err := e.Stdout.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// mptcpEventFields are the attributes mptcp_monitor_msg prints after the
// token, in its order, each with its format and how it reads the value.
var mptcpEventFields = [...]struct {
	typ    uint16
	format string
	value  func(mptcp.Event) any
}{
	{mptcp.MPTCPAttrRemID, " remid=%d", func(e mptcp.Event) any { return e.RemoteID() }},
	{mptcp.MPTCPAttrLocID, " locid=%d", func(e mptcp.Event) any { return e.LocalID() }},
	{mptcp.MPTCPAttrSaddr4, " saddr4=%s", func(e mptcp.Event) any { return eventAddr(e, mptcp.MPTCPAttrSaddr4, 4) }},
	{mptcp.MPTCPAttrDaddr4, " daddr4=%s", func(e mptcp.Event) any { return eventAddr(e, mptcp.MPTCPAttrDaddr4, 4) }},
	{mptcp.MPTCPAttrSaddr6, " saddr6=%s", func(e mptcp.Event) any { return eventAddr(e, mptcp.MPTCPAttrSaddr6, 16) }},
	{mptcp.MPTCPAttrDaddr6, " daddr6=%s", func(e mptcp.Event) any { return eventAddr(e, mptcp.MPTCPAttrDaddr6, 16) }},
	{mptcp.MPTCPAttrSport, " sport=%d", func(e mptcp.Event) any { return e.SourcePort() }},
	{mptcp.MPTCPAttrDport, " dport=%d", func(e mptcp.Event) any { return e.DestinationPort() }},
	{mptcp.MPTCPAttrBackup, " backup=%d", func(e mptcp.Event) any { return e.Backup() }},
	{mptcp.MPTCPAttrError, " error=%d", func(e mptcp.Event) any { return e.Error() }},
	{mptcp.MPTCPAttrFlags, " flags=%x", func(e mptcp.Event) any { return e.Flags() }},
	{mptcp.MPTCPAttrTimeout, " timeout=%d", func(e mptcp.Event) any { return e.Timeout() }},
	{mptcp.MPTCPAttrIfIdx, " ifindex=%d", func(e mptcp.Event) any { return e.IfIndex() }},
	{mptcp.MPTCPAttrResetReason, " reset_reason=%d", func(e mptcp.Event) any { return e.ResetReason() }},
	{mptcp.MPTCPAttrResetFlags, " reset_flags=%#x", func(e mptcp.Event) any { return e.ResetFlags() }},
}

// eventAddr is the address in the first size bytes of attribute typ, as
// ip's inet_ntop reads it; "?" when the attribute is shorter.
func eventAddr(e mptcp.Event, typ uint16, size int) string {
	if a, ok := e.Chain().Get(typ); ok && len(a.Data) >= size {
		addr, _ := netip.AddrFromSlice(a.Data[:size])
		return addr.String()
	}
	return "?"
}

// appendMptcpEvent is mptcp_monitor_msg's line for ev.
func appendMptcpEvent(b []byte, ev mptcp.Event) []byte {
	name := ev.Name()
	if name == "" {
		return fmt.Appendf(b, "[UNKNOWN %d]\n", ev.Type)
	}
	b = fmt.Appendf(b, "[%14s] token=%08x", name, ev.Token())
	for _, f := range mptcpEventFields {
		if ev.Has(f.typ) {
			b = fmt.Appendf(b, f.format, f.value(ev))
		}
	}
	return append(b, '\n')
}
