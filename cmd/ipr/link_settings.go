package main

// The link options of iproute2's iplink_parse beyond the basic ones: xdp,
// carrier, vf, mode, state, addrgenmode, link-netns(id), protodown,
// protodown_reason and the segmentation limits; "link property" and the
// "token" object.

import (
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// setting parses option w, if it is one of this file's, into s, and
// reports whether it was; its error goes to *errp. (The shape lets the
// option switch of linkParser.options call it as a case.)
func (lp *linkParser) setting(w string, a *args, s *rtm.LinkSpec, errp *error) bool {
	ok, err := lp.parseSetting(w, a, s)
	if ok {
		*errp = err
	}
	return ok
}

func (lp *linkParser) parseSetting(w string, a *args, s *rtm.LinkSpec) (bool, error) {
	onOff := func(what string) (rtm.Opt[bool], error) {
		// ip exits with EINVAL
		return parseValue(a, what, func(v string) (rtm.Opt[bool], error) { return parseOnOff(what, v, 22) })
	}
	var err error
	switch {
	case w == "xdp" || w == "xdpgeneric" || w == "xdpdrv" || w == "xdpoffload":
		s.XDP, err = lp.xdp(w, a)
	case w == "carrier":
		s.Carrier, err = onOff(w)
	case w == "vf":
		var vf rtm.VF
		if vf, err = parseVF(a); err == nil {
			s.VFs = append(s.VFs, vf)
		}
	case w == "mode":
		var v string
		if v, err = a.value(w); err == nil {
			switch v {
			case "default":
				s.LinkMode = rtm.Some[uint8](0)
			case "dormant":
				s.LinkMode = rtm.Some[uint8](1)
			default:
				err = invarg("Invalid link mode\n", v)
			}
		}
	case w == "state":
		var v string
		if v, err = a.value(w); err == nil {
			st, ok := operStateByName(v)
			if !ok {
				err = invarg("Invalid operstate\n", v)
			}
			s.OperState = rtm.Some(st)
		}
	case matches(w, "addrgenmode"):
		var v string
		if v, err = a.value(w); err == nil {
			var m rtm.AddrGenMode
			if m, err = rtm.ParseAddrGenMode(v); err != nil {
				err = invarg("Invalid address generation mode\n", v)
			}
			s.AddrGenMode = rtm.Some(m)
		}
	case matches(w, "link-netns") || matches(w, "link-netnsid"):
		// A namespace by name, or its id in this one.
		key, nsid := "link-netns", lp.nsidOf
		if !matches(w, key) {
			key, nsid = "link-netnsid", nsidNumber
		}
		var v string
		if v, err = a.value(w); err == nil {
			if s.LinkNetnsID.IsSet() {
				return true, usagef("duplicate link-netns/link-netnsid: %s", v)
			}
			id, ok := nsid(v)
			if !ok {
				err = invarg(`Invalid "`+key+`" value`+"\n", v)
			}
			s.LinkNetnsID = rtm.Some(id)
		}
	case w == "protodown":
		s.ProtoDown, err = onOff(w)
	case w == "protodown_reason":
		var v string
		if v, err = a.value(w); err == nil {
			bit, perr := strconv.ParseUint(v, 0, 5)
			if perr != nil {
				return true, invarg("invalid protodown reason\n", v)
			}
			var on bool
			var o string
			if o, err = a.value(w); err == nil {
				on, err = onOrOff(w, o)
			}
			if err == nil {
				// As iproute2: the mask and value of the last reason given.
				s.ProtoDownReasonMask = 1 << bit
				s.ProtoDownReasonValue = 0
				if on {
					s.ProtoDownReasonValue = 1 << bit
				}
			}
		}
	case w == "gso_max_size" || w == "gso_max_segs" || w == "gro_max_size" ||
		w == "gso_ipv4_max_size" || w == "gro_ipv4_max_size":
		var v uint32
		if v, err = a.uint32Value(w); err == nil {
			if w == "gso_max_segs" && v > 65535 {
				return true, invarg(`Invalid "gso_max_segs" value`+"\n", strconv.FormatUint(uint64(v), 10))
			}
			field := map[string]*rtm.Opt[uint32]{"gso_max_size": &s.GSOMaxSize, "gso_max_segs": &s.GSOMaxSegs,
				"gro_max_size": &s.GROMaxSize, "gso_ipv4_max_size": &s.GSOIPv4MaxSize, "gro_ipv4_max_size": &s.GROIPv4MaxSize}[w]
			*field = rtm.Some(v)
		}
	default:
		return false, nil
	}
	return true, err
}

// nsidNumber parses a namespace id.
func nsidNumber(v string) (int32, bool) {
	n, err := strconv.ParseInt(v, 0, 32)
	return int32(n), err == nil
}

// parseOnOff is iproute2's parse_on_off: "on" or "off", else its message
// and the exit status its caller ends with.
func parseOnOff(what, v string, code int) (rtm.Opt[bool], error) {
	switch v {
	case "on":
		return rtm.Some(true), nil
	case "off":
		return rtm.Some(false), nil
	}
	return rtm.Opt[bool]{}, notOneOf(what, v, code, "off", "on")
}

// notOneOf is iproute2's parse_one_of failing on v, the argument of
// what, which must be one of names; its caller ends with status code.
func notOneOf(what, v string, code int, names ...string) error {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return &cliError{code: code, msg: fmt.Sprintf("Error: argument of %q must be one of %s, not %q", what, strings.Join(quoted, ", "), v)}
}

// onOrOff is iproute2's older on_off check, of "multicast", "arp",
// "protodown_reason" and others.
func onOrOff(what, v string) (bool, error) {
	switch v {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, &cliError{code: exitFailure, msg: fmt.Sprintf("Error: argument of %q must be \"on\" or \"off\", not %q", what, v)}
}

// operStateByName reads the operational states iproute2 accepts for
// "state": the names it prints.
func operStateByName(s string) (rtm.OperState, bool) {
	for st := rtm.OperState(0); st <= 6; st++ {
		if strings.EqualFold(st.String(), s) {
			return st, true
		}
	}
	return 0, false
}

// nsidOf returns the id the working namespace gives the named namespace
// (ip's get_netnsid_from_name).
func (lp *linkParser) nsidOf(name string) (int32, bool) {
	if lp.e == nil {
		return 0, false
	}
	lp.e.nsidName(0) // loads the table
	for id, n := range lp.e.nsids {
		if n == name {
			return id, true
		}
	}
	return 0, false
}

// xdp parses "xdp{,generic,drv,offload} { off | none | pinned PATH |
// object FILE ... }".
func (lp *linkParser) xdp(w string, a *args) (*rtm.XDP, error) {
	x := &rtm.XDP{Force: lp.e != nil && lp.e.Force}
	switch w {
	case "xdpgeneric":
		x.Mode = rtm.XDPModeGeneric
	case "xdpdrv":
		x.Mode = rtm.XDPModeDriver
	case "xdpoffload":
		x.Mode = rtm.XDPModeOffload
	}
	v, err := a.value(w)
	if err != nil {
		return nil, err
	}
	switch v {
	case "off", "none":
		x.Detach = true
		return x, nil
	case "pinned":
		path, err := a.value(v)
		if err != nil {
			return nil, err
		}
		fd, err := bpfObjGet(path)
		if err != nil {
			return nil, &cliError{code: exitFailure, msg: fmt.Sprintf("Error: cannot get the pinned program %s: %v", path, err)}
		}
		x.Fd = fd // closed when ipr exits
		return x, nil
	case "object", "obj":
		return nil, notImplemented("loading an XDP program from an ELF object (load and pin it, then use \"xdp pinned PATH\")")
	}
	return nil, invarg("xdp: expected off, pinned or object\n", v)
}

// bpfObjGet opens a pinned BPF object (BPF_OBJ_GET through bpf(2)).
func bpfObjGet(path string) (int, error) {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return -1, err
	}
	var attr [16]byte // union bpf_attr: pathname, bpf_fd, file_flags
	*(*uint64)(unsafe.Pointer(&attr[0])) = uint64(uintptr(unsafe.Pointer(p)))
	fd, _, errno := unix.Syscall(unix.SYS_BPF, 7 /* BPF_OBJ_GET */, uintptr(unsafe.Pointer(&attr[0])), unsafe.Sizeof(attr))
	runtime.KeepAlive(p)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// parseVF parses "vf NUM [mac LLADDR] [vlan VLANID [qos QOS] [proto
// PROTO]] [rate RATE] [max_tx_rate RATE] [min_tx_rate RATE] [spoofchk
// on|off] [query_rss on|off] [state auto|enable|disable] [trust on|off]
// [node_guid GUID] [port_guid GUID]" as iplink_parse_vf does.
func parseVF(a *args) (rtm.VF, error) {
	var vf rtm.VF
	idx, err := a.uintValue("vf", 31, "Invalid \"vf\" value\n")
	if err != nil {
		return vf, err
	}
	vf.Index = rtm.Some(uint32(idx))
	onOff := func(what string) (rtm.Opt[bool], error) {
		v, err := a.value(what)
		if err != nil {
			return rtm.Opt[bool]{}, err
		}
		return parseOnOff(what, v, exitFailure)
	}
	var legacyRate rtm.Opt[uint32]
	given := 0
	for a.more() {
		w := a.peek()
		var err error
		switch {
		case matches(w, "mac"):
			a.advance()
			vf.MAC, err = llAddrValue(a, "mac")
		case matches(w, "vlan"):
			a.advance()
			vf.VLAN, err = parseVFVLAN(a)
		case matches(w, "rate"):
			a.advance()
			var r uint32
			r, err = a.uint32Value("rate")
			legacyRate = rtm.Some(r)
		case matches(w, "max_tx_rate"):
			a.advance()
			var r uint32
			r, err = a.uint32Value("max_tx_rate")
			vf.MaxTxRate = rtm.Some(r)
		case matches(w, "min_tx_rate"):
			a.advance()
			var r uint32
			r, err = a.uint32Value("min_tx_rate")
			vf.MinTxRate = rtm.Some(r)
		case matches(w, "spoofchk"):
			a.advance()
			vf.SpoofCheck, err = onOff("spoofchk")
		case matches(w, "query_rss"):
			a.advance()
			vf.QueryRSS, err = onOff("query_rss")
		case matches(w, "trust"):
			a.advance()
			vf.Trust, err = onOff("trust")
		case matches(w, "state"):
			a.advance()
			var v string
			if v, err = a.value("state"); err == nil {
				switch {
				case matches(v, "auto"):
					vf.LinkState = rtm.Some(rtm.VFLinkStateAuto)
				case matches(v, "enable"):
					vf.LinkState = rtm.Some(rtm.VFLinkStateEnable)
				case matches(v, "disable"):
					vf.LinkState = rtm.Some(rtm.VFLinkStateDisable)
				default:
					err = invarg("Invalid \"state\" value\n", v)
				}
			}
		case matches(w, "node_guid") || matches(w, "port_guid"):
			a.advance()
			var v string
			if v, err = a.value(w); err == nil {
				g, ok := parseGUID(v)
				if !ok {
					err = invarg("Invalid GUID format\n", v)
				} else if matches(w, "node_guid") {
					vf.NodeGUID = rtm.Some(g)
				} else {
					vf.PortGUID = rtm.Some(g)
				}
			}
		default:
			if given == 0 {
				return vf, errIncomplete
			}
			return vf, finishVFRates(&vf, legacyRate)
		}
		if err != nil {
			return vf, err
		}
		given++
	}
	if given == 0 {
		return vf, errIncomplete
	}
	return vf, finishVFRates(&vf, legacyRate)
}

// finishVFRates applies iproute2's rules for "rate": the legacy
// IFLA_VF_TX_RATE alone, or the new API's maximum when min_tx_rate is
// given too (max_tx_rate overriding it). The new API needs both rates;
// iproute2 reads a missing one from the device, which ipr asks for
// explicitly.
func finishVFRates(vf *rtm.VF, legacy rtm.Opt[uint32]) error {
	newAPI := vf.MinTxRate.IsSet() || vf.MaxTxRate.IsSet()
	if r, ok := legacy.Get(); ok {
		if !newAPI {
			vf.TxRate = legacy
		} else if !vf.MaxTxRate.IsSet() {
			vf.MaxTxRate = rtm.Some(r)
		}
	}
	if newAPI && vf.MinTxRate.IsSet() != vf.MaxTxRate.IsSet() {
		return usagef("give both min_tx_rate and max_tx_rate (ipr does not read the other from the device)")
	}
	if lo, ok := vf.MinTxRate.Get(); ok {
		if hi := vf.MaxTxRate.Or(0); hi != 0 && lo > hi {
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Invalid min_tx_rate %d - must be <= max_tx_rate %d", lo, hi)}
		}
	}
	return nil
}

// parseVFVLAN parses "VLANID [qos QOS] [proto 802.1Q|802.1ad]".
// vfNumber reads the number after keyword, at most max, as iplink_vf
// reads vlan and qos: a wrong one is ip's invarg, naming the word.
func vfNumber(a *args, keyword string, max uint64) (uint64, error) {
	w, err := a.value(keyword)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(w, 0, 32)
	if err != nil || n > max {
		// The "\n" is ip's, whose message ends in one.
		return 0, invarg(fmt.Sprintf("Invalid %q value\n", keyword), w)
	}
	return n, nil
}

func parseVFVLAN(a *args) (*rtm.VFVLAN, error) {
	v, err := vfNumber(a, "vlan", 4095)
	if err != nil {
		return nil, err
	}
	vl := &rtm.VFVLAN{ID: uint16(v)}
	if a.more() && matches(a.peek(), "qos") {
		a.advance()
		q, err := vfNumber(a, "qos", 7)
		if err != nil {
			return nil, err
		}
		vl.QoS = uint8(q)
	}
	if a.more() && matches(a.peek(), "proto") {
		a.advance()
		p, err := a.value("proto")
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(p) {
		case "802.1q":
			vl.Protocol = unix.ETH_P_8021Q
		case "802.1ad":
			vl.Protocol = unix.ETH_P_8021AD
		default:
			return nil, invarg("protocol is invalid\n", p)
		}
	}
	return vl, nil
}

// parseGUID parses xx:xx:xx:xx:xx:xx:xx:xx as iproute2's get_guid.
func parseGUID(s string) (uint64, bool) {
	if len(s) != 23 {
		return 0, false
	}
	var g uint64
	for i := 0; i < 8; i++ {
		if i < 7 && s[i*3+2] != ':' {
			return 0, false
		}
		b, err := strconv.ParseUint(s[i*3:i*3+2], 16, 8)
		if err != nil {
			return 0, false
		}
		g |= b << (56 - 8*i)
	}
	return g, true
}

// linkProperty is "link property { add | del } dev NAME altname NAME...".
func linkProperty(e *env, a *args) error {
	if !a.more() {
		return errIncomplete
	}
	verb := a.advance()
	var add bool
	switch {
	case matches(verb, "add"):
		add = true
	case matches(verb, "delete"):
	default:
		return &cliError{code: exitUsage, msg: "Operator required"}
	}
	var dev string
	var names []string
	for a.more() {
		w := a.advance()
		v, err := a.value(w)
		if err != nil {
			return err
		}
		switch {
		case w == "dev":
			dev = v
		case matches(w, "altname"):
			if len(v) >= 128 || v == "" {
				return invarg("\"altname\" not a valid ifname", v)
			}
			names = append(names, v)
		default:
			return usagef("link property: unknown option %q", w)
		}
	}
	if dev == "" {
		return &cliError{code: exitUsage, msg: `Not enough of information: "dev" argument is required.`}
	}
	h, l, err := e.handleAndLink(dev)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return nil // ip sends an empty list, which changes nothing
	}
	if add {
		return h.LinkAltNameAdd(e.ctx, l.Index(), names...)
	}
	return h.LinkAltNameDel(e.ctx, l.Index(), names...)
}

// tokenCommand is the "token" object: "token { set | del } TOKEN dev
// NAME", "token get dev NAME" and "token list".
func tokenCommand(e *env, a *args, verb string) error {
	var dev string
	tok := netip.IPv6Unspecified()
	haveTok := verb == "del"
	for a.more() {
		w := a.advance()
		if w == "dev" {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if dev == "" {
				dev = v
			}
			continue
		}
		if verb == "get" || verb == "list" {
			return usagef("token %s: unknown option %q", verb, w)
		}
		if !haveTok {
			p, err := netip.ParsePrefix(w)
			if err == nil && !p.Addr().Is6() {
				return &cliError{code: exitFailure, msg: fmt.Sprintf("Error: inet6 prefix is expected rather than %q.", w)}
			}
			if err != nil {
				addr, aerr := netip.ParseAddr(w)
				if aerr != nil || !addr.Is6() {
					return &cliError{code: exitFailure, msg: fmt.Sprintf("Error: inet6 prefix is expected rather than %q.", w)}
				}
				p = netip.PrefixFrom(addr, 128)
			}
			tok, haveTok = p.Addr(), true
		}
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	if dev != "" {
		if _, err := h.LinkByName(e.ctx, dev); errors.Is(err, rtm.ErrNotFound) {
			return invarg("dev is invalid\n", dev)
		}
	}
	if verb == "get" || verb == "list" {
		return tokenShow(e, h, dev)
	}
	if !haveTok {
		return &cliError{code: exitFailure, msg: "Not enough information: token is required."}
	}
	if dev == "" {
		return &cliError{code: exitFailure, msg: `Not enough information: "dev" argument is required.`}
	}
	l, err := linkByName(e.ctx, h, dev)
	if err != nil {
		return err
	}
	return h.Do(e.ctx, rtm.LinkTokenSet(l.Index(), tok))
}

// tokenShow prints "token TOKEN dev NAME" for each link with IPv6, as ip
// token list does (JSON: {"token","ifname"}).
func tokenShow(e *env, h *rtm.Handle, dev string) error {
	var out []string
	// As ip: the IPv6 link dump (in its order), whose links carry their
	// IPv6 settings in IFLA_PROTINFO; loopback is left out.
	for l, err := range h.Links(e.ctx, &rtm.LinkFilter{Family: unix.AF_INET6}) {
		if err != nil {
			return err
		}
		if (dev != "" && !l.NameIs(dev)) || l.Flags()&unix.IFF_LOOPBACK != 0 {
			continue
		}
		a, _ := l.Chain().Path(unix.IFLA_PROTINFO, unix.IFLA_INET6_TOKEN)
		t, aerr := a.Addr()
		if aerr != nil {
			continue
		}
		if e.JSON {
			out = append(out, fmt.Sprintf(`{"token":"%s","ifname":"%s"}`, t, l.Name()))
		} else {
			out = append(out, fmt.Sprintf("token %s dev %s\n", t, l.Name()))
		}
	}
	if e.JSON {
		fmt.Fprintf(e.Stdout, "[%s]\n", strings.Join(out, ","))
		return nil
	}
	for _, s := range out {
		fmt.Fprint(e.Stdout, s)
	}
	return nil
}

// tokenUsage is ip token's usage.
const tokenUsage = "[ list | set | del | get ] [ TOKEN ] [ dev DEV ]"

// printProtoDownReason prints IFLA_PROTO_DOWN_REASON as iproute2 6.1's
// print_proto_down does, quirks included: it looks for the value among
// the link's own attributes (where its type, 2, is IFLA_BROADCAST) before
// reading it from the nest, and reads only its low byte. Reasons print as
// numbers (ipr reads no /etc/iproute2/protodown_reasons.d).
func printProtoDownReason(p *printer, get func(uint16) (nla.Attr, bool)) {
	pr, ok := get(unix.IFLA_PROTO_DOWN_REASON)
	if !ok {
		return
	}
	if _, ok := get(unix.IFLA_PROTO_DOWN_REASON_VALUE); !ok {
		return
	}
	v, ok := pr.Nested().Get(unix.IFLA_PROTO_DOWN_REASON_VALUE)
	if !ok || len(v.Data) < 1 || v.Data[0] == 0 {
		return
	}
	reason := v.Data[0]
	if p.json {
		p.openArray("proto_down_reason")
	} else {
		p.textString("protodown_reason <")
	}
	first := true
	for i := 0; reason != 0; i, reason = i+1, reason>>1 {
		if reason&1 == 0 {
			continue
		}
		if !first {
			p.textString(",")
		}
		p.str("", "%s", strconv.Itoa(i))
		first = false
	}
	if p.json {
		p.closeArray()
	} else {
		p.textString(">")
	}
}
