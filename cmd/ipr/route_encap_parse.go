package main

// "encap TYPE ..." of "ip route" and "ip nexthop": iproute2's
// lwt_parse_encap, into rtm's typed encapsulations.

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// encapArg is a parsed encapsulation and the device names it holds, which
// resolve once the handle is open.
type encapArg struct {
	e              rtm.Encap
	iif, oif, link string // seg6local iif and oif, xfrm link_dev
}

// resolve returns the encapsulation with its device names resolved.
func (x *encapArg) resolve(ctx context.Context, h *rtm.Handle) (rtm.Encap, error) {
	return x.resolveWith(func(name string) (int32, error) {
		l, err := linkByName(ctx, h, name)
		return l.Index(), err
	})
}

// resolveHop resolves what a route, a next hop of one or a nexthop object
// names by device: its device, into *index, and its encapsulation's, into
// *tunnel.
func resolveHop(ctx context.Context, h *rtm.Handle, dev string, index *int32, encap *encapArg, tunnel *rtm.Encap) error {
	if err := resolveLinks(ctx, h, devRef{dev, index}); err != nil {
		return err
	}
	var err error
	*tunnel, err = encap.resolve(ctx, h)
	return err
}

// resolveWith resolves the device names with index.
func (x *encapArg) resolveWith(index func(name string) (int32, error)) (rtm.Encap, error) {
	if x == nil {
		return nil, nil
	}
	idx := func(name string) (int32, error) {
		if name == "" {
			return 0, nil
		}
		return index(name)
	}
	var err error
	switch e := x.e.(type) {
	case rtm.EncapSeg6Local:
		if e.IIF, err = idx(x.iif); err == nil {
			e.OIF, err = idx(x.oif)
		}
		return e, err
	case rtm.EncapXFRM:
		e.Link, err = idx(x.link)
		return e, err
	}
	return x.e, nil
}

// named is one entry of a table of keywords, kept as a slice of
// constants rather than a map so that nothing is built at init.
type named[T any] struct {
	name string
	v    T
}

// lookupName finds s in a table of keywords.
func lookupName[T any](table []named[T], s string) (T, bool) {
	for _, n := range table {
		if n.name == s {
			return n.v, true
		}
	}
	var zero T
	return zero, false
}

// encapTypes are the names "encap" takes, by LWTUNNEL_ENCAP_*
// (read_encap_type).
var encapTypes = []named[uint16]{
	{"mpls", unix.LWTUNNEL_ENCAP_MPLS}, {"ip", unix.LWTUNNEL_ENCAP_IP}, {"ila", unix.LWTUNNEL_ENCAP_ILA},
	{"ip6", unix.LWTUNNEL_ENCAP_IP6}, {"bpf", unix.LWTUNNEL_ENCAP_BPF}, {"seg6", unix.LWTUNNEL_ENCAP_SEG6},
	{"seg6local", unix.LWTUNNEL_ENCAP_SEG6_LOCAL}, {"rpl", unix.LWTUNNEL_ENCAP_RPL},
	{"ioam6", unix.LWTUNNEL_ENCAP_IOAM6}, {"xfrm", unix.LWTUNNEL_ENCAP_XFRM},
}

// parseEncap parses what follows "encap": the type and its arguments, up
// to the first word the type does not take, which it leaves to the
// caller.
func parseEncap(a *args) (*encapArg, error) {
	name, err := a.value("encap")
	if err != nil {
		return nil, err
	}
	typ, ok := lookupName(encapTypes, name)
	if !ok {
		// The "\n" is ip's, whose message ends in one.
		return nil, invarg("\"encap type\" value is invalid\n", name)
	}
	if !a.more() {
		return nil, usagef("unexpected end of line after \"encap\"")
	}
	x := &encapArg{}
	switch typ {
	case unix.LWTUNNEL_ENCAP_MPLS:
		x.e, err = parseEncapMPLS(a)
	case unix.LWTUNNEL_ENCAP_IP, unix.LWTUNNEL_ENCAP_IP6:
		x.e, err = parseEncapIP(a, typ == unix.LWTUNNEL_ENCAP_IP6)
	case unix.LWTUNNEL_ENCAP_ILA:
		x.e, err = parseEncapILA(a)
	case unix.LWTUNNEL_ENCAP_BPF:
		err = usagef("encap bpf is not supported: it loads BPF objects, which ipr does not do")
	case unix.LWTUNNEL_ENCAP_SEG6:
		x.e, err = parseEncapSeg6(a)
	case unix.LWTUNNEL_ENCAP_SEG6_LOCAL:
		x.e, err = parseEncapSeg6Local(a, x)
	case unix.LWTUNNEL_ENCAP_RPL:
		var segs []netip.Addr
		for err == nil && a.more() && a.peek() == "segs" {
			a.advance()
			segs, err = parseSegs(a, "segs")
		}
		x.e = rtm.EncapRPL{Segments: segs}
	case unix.LWTUNNEL_ENCAP_IOAM6:
		x.e, err = parseEncapIOAM6(a)
	case unix.LWTUNNEL_ENCAP_XFRM:
		x.e, err = parseEncapXFRM(a, x)
	}
	if err != nil {
		return nil, err
	}
	return x, nil
}

// dup is iproute2's duparg2.
func dup(key, v string) error {
	return usagef("duplicate %q: %q is the second value", key, v)
}

// onceWords are the keywords of an encap's options seen so far, each of
// which may be given once.
type onceWords map[string]bool

// next takes the next argument if it is one of words, and returns it;
// one given before fails as iproute2's duparg2. It returns "" when the
// next argument is none of words (or there is none).
func (seen onceWords) next(a *args, words ...string) (string, error) {
	if !a.more() || !slices.Contains(words, a.peek()) {
		return "", nil
	}
	w := a.advance()
	if seen[w] {
		return "", dup(w, w)
	}
	seen[w] = true
	return w, nil
}

func parseEncapMPLS(a *args) (rtm.Encap, error) {
	v := a.advance()
	labels, err := parseLabels(v)
	if err != nil {
		return nil, usagef("an inet address is expected rather than %q", v)
	}
	e := rtm.EncapMPLS{Labels: labels}
	seen := false
	for a.more() && a.peek() == "ttl" {
		a.advance()
		v, err := a.value("ttl")
		if err != nil {
			return nil, err
		}
		if seen {
			return nil, dup("ttl", v)
		}
		seen = true
		n, err := strconv.ParseUint(v, 0, 8)
		if err != nil {
			return nil, usagef("\"ttl\" value is invalid: %q", v)
		}
		e.TTL = uint8(n)
	}
	return e, nil
}

// parseLabels parses an MPLS label stack "100/200".
func parseLabels(s string) ([]uint32, error) {
	var out []uint32
	for _, f := range strings.Split(s, "/") {
		n, err := strconv.ParseUint(f, 0, 20)
		if err != nil {
			return nil, err
		}
		out = append(out, uint32(n))
	}
	return out, nil
}

// parseEncapIP parses "encap ip" and "encap ip6" (parse_encap_ip and
// parse_encap_ip6, which differ in names and address family).
func parseEncapIP(a *args, v6 bool) (rtm.Encap, error) {
	var (
		id               uint64
		dst, src         netip.Addr
		ttl, tos         uint8
		flags            rtm.TunnelFlags
		seen             = map[string]bool{}
		fam              = uint8(unix.AF_INET)
		ttlName, tosName = "ttl", "tos"
	)
	if v6 {
		fam, ttlName, tosName = unix.AF_INET6, "hoplimit", "tc"
	}
loop:
	for a.more() {
		w := a.peek()
		if f, ok := lookupName(tunnelFlagNames, w); ok {
			a.advance()
			if flags&f != 0 {
				return nil, dup(w, w)
			}
			flags |= f
			continue
		}
		switch w {
		case "id", "dst", "src", ttlName, tosName:
		case "geneve_opts", "vxlan_opts", "erspan_opts":
			return nil, usagef("%q is not supported", w)
		default:
			break loop
		}
		a.advance()
		v, err := a.value(w)
		if err != nil {
			return nil, err
		}
		if seen[w] {
			return nil, dup(w, v)
		}
		seen[w] = true
		switch w {
		case "id":
			if id, err = strconv.ParseUint(v, 0, 64); err != nil {
				return nil, usagef("\"id\" value is invalid: %q", v)
			}
		case "dst":
			dst, err = parseAddr("dst", v, fam)
		case "src":
			src, err = parseAddr("src", v, fam)
		case ttlName:
			var n uint64
			if n, err = strconv.ParseUint(v, 0, 8); err != nil {
				return nil, usagef("%q value is invalid: %q", w, v)
			}
			ttl = uint8(n)
		case tosName:
			var ok bool
			if tos, ok = dsfieldID(v); !ok {
				return nil, usagef("%q value is invalid: %q", w, v)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if v6 {
		return rtm.EncapIP6{ID: id, Dst: dst, Src: src, HopLimit: ttl, TC: tos, Flags: flags}, nil
	}
	return rtm.EncapIP{ID: id, Dst: dst, Src: src, TTL: ttl, TOS: tos, Flags: flags}, nil
}

var tunnelFlagNames = []named[rtm.TunnelFlags]{{"key", rtm.TunnelKey}, {"csum", rtm.TunnelCsum}, {"seq", rtm.TunnelSeq}}

// The names of ila's modes and types (ila_common.h).
var (
	ilaCsumModes  = []named[uint8]{{"adj-transport", 0}, {"neutral-map", 1}, {"no-action", 2}, {"neutral-map-auto", 3}}
	ilaIdentTypes = []named[uint8]{{"iid", 0}, {"luid", 1}, {"virt-v4", 2}, {"virt-uni-v6", 3}, {"virt-multi-v6", 4}, {"nonlocal-addr", 5}, {"use-format", 32}}
	ilaHookTypes  = []named[uint8]{{"output", 0}, {"input", 1}}
)

func parseEncapILA(a *args) (rtm.Encap, error) {
	v := a.advance()
	loc, ok := parseAddr64(v)
	if !ok {
		return nil, failf("Bad locator: %s", v)
	}
	e := rtm.EncapILA{Locator: loc}
	for a.more() {
		w := a.peek()
		var names []named[uint8]
		var dst *uint8
		var set *bool
		switch w {
		case "csum-mode":
			names, dst, set = ilaCsumModes, &e.CsumMode, &e.CsumModeSet
		case "ident-type":
			names, dst, set = ilaIdentTypes, &e.IdentType, &e.IdentTypeSet
		case "hook-type":
			names, dst, set = ilaHookTypes, &e.HookType, &e.HookTypeSet
		default:
			return e, nil
		}
		a.advance()
		v, err := a.value(w)
		if err != nil {
			return nil, err
		}
		n, ok := lookupName(names, v)
		if !ok {
			return nil, usagef("%q value is invalid: %q", w, v)
		}
		*dst, *set = n, true
	}
	return e, nil
}

// parseAddr64 is iproute2's get_addr64: four groups of up to four hex
// digits, "2001:db8:1:2".
func parseAddr64(s string) (uint64, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return 0, false
	}
	var v uint64
	for _, p := range parts {
		n, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return 0, false
		}
		v = v<<16 | n
	}
	return v, true
}

// parseSegs parses a comma-separated list of IPv6 segments.
func parseSegs(a *args, keyword string) ([]netip.Addr, error) {
	v, err := a.value(keyword)
	if err != nil {
		return nil, err
	}
	var segs []netip.Addr
	for _, f := range strings.Split(v, ",") {
		s, err := parseAddr(keyword, f, unix.AF_INET6)
		if err != nil {
			return nil, err
		}
		segs = append(segs, s)
	}
	return segs, nil
}

var seg6Modes = []named[rtm.Seg6Mode]{{"inline", rtm.Seg6Inline}, {"encap", rtm.Seg6Encap},
	{"l2encap", rtm.Seg6L2Encap}, {"encap.red", rtm.Seg6EncapRed}, {"l2encap.red", rtm.Seg6L2EncapRed}}

func parseEncapSeg6(a *args) (rtm.Encap, error) {
	var e rtm.EncapSeg6
	seen := onceWords{}
	for {
		w, err := seen.next(a, "mode", "segs", "hmac")
		if err != nil {
			return nil, err
		}
		if w == "" {
			break
		}
		switch w {
		case "mode":
			v, err := a.value(w)
			if err != nil {
				return nil, err
			}
			m, ok := lookupName(seg6Modes, v)
			if !ok {
				return nil, usagef("\"mode\" value is invalid: %q", v)
			}
			e.Mode = m
		case "segs":
			if !seen["mode"] {
				return nil, usagef("\"segs\" provided before \"mode\"")
			}
			e.Segments, err = parseSegs(a, w)
		case "hmac":
			e.HMACKeyID, err = a.uint32Value(w)
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

var seg6Flavors = []named[uint32]{{"psp", rtm.Seg6FlavorPSP}, {"usp", rtm.Seg6FlavorUSP},
	{"usd", rtm.Seg6FlavorUSD}, {"next-csid", rtm.Seg6FlavorNextCSID}}

func parseEncapSeg6Local(a *args, x *encapArg) (rtm.Encap, error) {
	var e rtm.EncapSeg6Local
	table := func(w string) (uint32, error) { return a.tableValue(w, "table id", &tableNames, 1<<32-1) }
	seen := onceWords{}
	for {
		w, err := seen.next(a, "action", "table", "vrftable", "nh4", "nh6", "iif", "oif", "count", "flavors", "srh", "endpoint")
		if err != nil {
			return nil, err
		}
		if w == "" {
			break
		}
		var v string
		switch w {
		case "action":
			if v, err = a.value(w); err == nil {
				var ok bool
				if e.Action, ok = rtm.ParseSeg6LocalAction(v); !ok {
					return nil, usagef("\"action\" value is invalid: %q", v)
				}
			}
		case "table":
			e.Table, err = table(w)
		case "vrftable":
			e.VRFTable, err = table(w)
		case "nh4", "nh6":
			fam := uint8(unix.AF_INET)
			if w == "nh6" {
				fam = unix.AF_INET6
			}
			if v, err = a.value(w); err == nil {
				var ad netip.Addr
				if ad, err = parseAddr(w, v, fam); err == nil {
					if w == "nh4" {
						e.NH4 = ad
					} else {
						e.NH6 = ad
					}
				}
			}
		case "iif":
			x.iif, err = a.value(w)
		case "oif":
			x.oif, err = a.value(w)
		case "count":
			e.Counters = true
		case "flavors":
			if v, err = a.value(w); err != nil {
				return nil, err
			}
			for _, f := range strings.Split(v, ",") {
				bit, ok := lookupName(seg6Flavors, f)
				if !ok {
					return nil, usagef("invalid \"flavors\" attribute: %q", v)
				}
				e.Flavors |= bit
			}
			if e.Flavors&rtm.Seg6FlavorNextCSID != 0 {
				for _, k := range []struct {
					name string
					dst  *uint8
				}{{"lblen", &e.LocatorBlockBits}, {"nflen", &e.NodeFuncBits}} {
					if a.more() && a.peek() == k.name {
						a.advance()
						n, err := a.uint32Value(k.name)
						if err != nil || n > 255 {
							return nil, usagef("%q value is invalid", k.name)
						}
						*k.dst = uint8(n)
					}
				}
			}
		case "srh":
			if !a.more() || a.peek() != "segs" {
				return nil, usagef("missing \"segs\" attribute for srh")
			}
			a.advance()
			if e.Segments, err = parseSegs(a, "segs"); err == nil && a.more() && a.peek() == "hmac" {
				a.advance()
				e.HMACKeyID, err = a.uint32Value("hmac")
			}
		case "endpoint":
			err = usagef("seg6local endpoint is not supported: it loads BPF objects, which ipr does not do")
		}
		if err != nil {
			return nil, err
		}
	}
	if e.Action == 0 {
		return nil, usagef("missing action type")
	}
	return e, nil
}

var ioam6Modes = []named[rtm.IOAM6Mode]{{"inline", rtm.IOAM6Inline}, {"encap", rtm.IOAM6Encap}, {"auto", rtm.IOAM6Auto}}

// parseEncapIOAM6 is parse_encap_ioam6, whose arguments come in a fixed
// order: [freq K/N] [mode M] [tundst ADDR] trace prealloc type T ns N
// size S.
func parseEncapIOAM6(a *args) (rtm.Encap, error) {
	e := rtm.EncapIOAM6{FreqK: 1, FreqN: 1, Mode: rtm.IOAM6Inline}
	if a.peek() == "freq" {
		a.advance()
		v, err := a.value("freq")
		if err != nil {
			return nil, err
		}
		k, n, ok := strings.Cut(v, "/")
		kv, err1 := strconv.ParseUint(k, 10, 32)
		nv, err2 := strconv.ParseUint(n, 10, 32)
		if !ok || err1 != nil || err2 != nil {
			return nil, usagef("Invalid frequency (malformed): %q", v)
		}
		e.FreqK, e.FreqN = uint32(kv), uint32(nv)
	}
	if a.more() && a.peek() == "mode" {
		a.advance()
		v, err := a.value("mode")
		if err != nil {
			return nil, err
		}
		m, ok := lookupName(ioam6Modes, v)
		if !ok {
			return nil, usagef("Invalid mode: %q", v)
		}
		e.Mode = m
	}
	if a.more() && a.peek() == "tundst" {
		a.advance()
		v, err := a.value("tundst")
		if err != nil {
			return nil, err
		}
		if e.TunnelDst, err = parseAddr("tundst", v, unix.AF_INET6); err != nil {
			return nil, err
		}
	}
	for _, w := range []string{"trace", "prealloc"} {
		if !a.more() || a.peek() != w {
			return nil, missarg(w)
		}
		a.advance()
	}
	seen := map[string]bool{}
	for a.more() {
		w := a.peek()
		if w != "type" && w != "ns" && w != "size" {
			break
		}
		a.advance()
		n, err := a.uint32Value(w)
		if err != nil {
			return nil, err
		}
		if seen[w] {
			return nil, dup(w, w)
		}
		seen[w] = true
		switch w {
		case "type":
			e.TraceType = n
		case "ns":
			if n > 1<<16-1 {
				return nil, usagef("Invalid namespace ID: %d", n)
			}
			e.Namespace = uint16(n)
		case "size":
			if n > 1<<16-1 {
				return nil, usagef("Invalid trace size: %d", n)
			}
			e.TraceSize = uint16(n)
		}
	}
	for _, w := range []string{"type", "ns", "size"} {
		if !seen[w] {
			return nil, missarg(w)
		}
	}
	return e, nil
}

func parseEncapXFRM(a *args, x *encapArg) (rtm.Encap, error) {
	var e rtm.EncapXFRM
	for a.more() {
		switch w := a.peek(); w {
		case "if_id":
			a.advance()
			n, err := a.uint32Value(w)
			if err != nil || n == 0 {
				return nil, usagef("\"if_id\" value is invalid")
			}
			e.IfID = n
		case "link_dev":
			a.advance()
			v, err := a.value(w)
			if err != nil {
				return nil, err
			}
			x.link = v
		default:
			if e.IfID == 0 {
				return nil, usagef("encap xfrm needs if_id")
			}
			return e, nil
		}
	}
	if e.IfID == 0 {
		return nil, usagef("encap xfrm needs if_id")
	}
	return e, nil
}
