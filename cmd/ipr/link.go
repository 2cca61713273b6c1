package main

// "ipr link": show, add, set and delete network interfaces, with the
// syntax and output of iproute2's "ip link" (version 6.1).

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// linkUsage is "ipr link help".
const linkUsage = "{ show [ [dev] NAME ] [ up ] [ master DEV | nomaster ] [ type KIND ] [ group GROUP ]\n" +
	"         | add [ link DEV ] [ name ] NAME [ OPTIONS ] type KIND [ KIND-ARGS ]\n" +
	"         | set [ dev ] NAME [ OPTIONS ] [ type KIND [ KIND-ARGS ] ]\n" +
	"         | replace [ link DEV ] [ name ] NAME [ OPTIONS ] type KIND [ KIND-ARGS ]\n" +
	"         | del [ dev ] NAME\n" +
	"         | xstats type { bridge | bridge_slave | bond | bond_slave } [ ARGS ] [ dev DEV ]\n" +
	"         | afstats [ dev DEV ] }\n" +
	"OPTIONS := [ up | down ] [ mtu MTU ] [ name NEWNAME ] [ address LLADDR ] [ broadcast LLADDR ]\n" +
	"           [ master DEV | nomaster ] [ txqueuelen N ] [ alias NAME ] [ group GROUP ] [ index N ]\n" +
	"           [ numtxqueues N ] [ numrxqueues N ] [ netns { PID | NAME } ]\n" +
	"           [ multicast | allmulticast | promisc | arp { on | off } ]\n" +
	"KIND := { veth [ peer [ name ] NAME [ OPTIONS ] ] | bridge | bridge_slave | vxlan | macvlan | macvtap\n" +
	"          | vlan | ipvlan | ipvtap | vrf | dummy | ifb | wireguard }"

// showFilter is what "link show" and "addr show" select, iproute2's
// struct link_filter.
type showFilter struct {
	dev        string
	index      int32
	up         bool
	group      uint32
	groupSet   bool
	master     int32 // -1: nomaster
	masterName string
	kind       string
	slaveKind  string

	// Address filters ("addr show" only).
	family    uint8
	scope     uint8
	scopeMask uint8
	flags     uint32
	flagMask  uint32
	label     string
	prefix    netip.Prefix
	// names resolves the interface names that label filters match
	// unlabelled addresses against.
	names *linkNames
}

// parseShowFilter parses the arguments of "link show" or, with addrs,
// "addr show" and "addr flush".
func parseShowFilter(a *args, f *showFilter, addrs bool) error {
	for a.more() {
		w := a.advance()
		switch {
		case w == "up":
			f.up = true
		case w == "group":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			g, ok := groupNames.id(s, 1<<32-1)
			if !ok {
				return usagef("invalid group %q", s)
			}
			f.group, f.groupSet = g, true
		case w == "master":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			f.masterName = s
		case w == "nomaster":
			f.master, f.masterName = -1, ""
		case w == "type":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			if k, ok := strings.CutSuffix(s, "_slave"); ok {
				f.slaveKind = k
			} else {
				f.kind = s
			}
		case addrs && w == "to":
			p, err := a.prefixValue("to", f.family)
			if err != nil {
				return err
			}
			f.prefix = p
			if f.family == 0 {
				f.family = addrFamily(p.Addr())
			}
		case addrs && w == "scope":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			f.scopeMask = 0xff
			sc, ok := scopeNames.id(s, 255)
			if !ok {
				if s != "all" {
					return usagef("invalid scope %q", s)
				}
				sc, f.scopeMask = unix.RT_SCOPE_NOWHERE, 0
			}
			f.scope = uint8(sc)
		case addrs && w == "label":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			f.label = s
		case addrs && addrFlagFilter(f, w):
		default:
			if w == "dev" {
				s, err := a.value(w)
				if err != nil {
					return err
				}
				w = s
			} else if matches(w, "help") {
				if addrs {
					return (&object{help: "address", usage: addrUsage}).usageError()
				}
				return (&object{help: "link", usage: linkUsage}).usageError()
			}
			if f.dev != "" {
				return duparg2("dev", w)
			}
			f.dev = w
		}
	}
	return nil
}

// parseShow parses the selectors of "link show" or, with addrs, of
// "addr show" and "addr save" into a filter of family, and opens the
// handle the command then lists with.
func parseShow(e *env, a *args, family uint8, addrs bool) (showFilter, *rtm.Handle, error) {
	f := showFilter{family: family}
	if err := parseShowFilter(a, &f, addrs); err != nil {
		return f, nil, err
	}
	h, err := e.handle()
	return f, h, err
}

// linkShow is "link show".
func linkShow(e *env, a *args) error {
	f, h, err := parseShow(e, a, unix.AF_PACKET, false)
	if err != nil {
		return err
	}
	ctx := e.ctx
	p := e.newPrinter()
	var idx nla.Index
	printOne := func(l rtm.Link, names *linkNames) {
		p.flush()
		p.openObject("")
		// As in iproute2, a link that print_linkinfo's filters drop
		// leaves the empty JSON object opened for it.
		switch {
		case !f.keepLink(l, &idx):
		case e.Brief:
			printLinkBrief(p, l, &idx, names, true)
		default:
			printLink(p, l, &idx, names, linkPrint{details: e.Details, doLink: true, linkLayer: true, stats: e.Stats, indexed: true})
		}
		p.closeObject()
	}
	if f.dev == "" && !e.Details && e.Stats.level == 0 {
		p.openArray("")
		if err := streamLinks(ctx, h, &f, &idx, e.nsidName, printOne); err != nil {
			return err
		}
	} else {
		links, names, err := selectLinks(ctx, h, &f, e.Details || e.Stats.level > 0)
		if err != nil {
			return err
		}
		names.nsidName = e.nsidName
		p.openArray("")
		for _, l := range links {
			printOne(l, names)
		}
	}
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	err = e.output(p)
	return err
}

// selectLinks gets the links a show command lists: one by name when f
// names a device, else a dump filtered kernel-side where iproute2 filters
// kernel-side. It resolves f's device and master names to indexes.
func selectLinks(ctx context.Context, h *rtm.Handle, f *showFilter, keepAll bool) ([]rtm.Link, *linkNames, error) {
	names, err := newLinkNames(ctx, h, f)
	if err != nil {
		return nil, nil, err
	}
	var links []rtm.Link
	if f.dev != "" {
		l, err := h.LinkByName(ctx, f.dev)
		if err != nil {
			if isNotFound(err) {
				return nil, nil, errNoShowDevice(f.dev)
			}
			return nil, nil, err
		}
		f.index = l.Index()
		links = []rtm.Link{l}
	} else {
		var err error
		if keepAll {
			links, err = rtm.Collect(h.Links(ctx, f.dumpFilter()))
		} else {
			links, err = collectLinksCompact(h.Links(ctx, f.dumpFilter()))
		}
		if err != nil {
			return nil, nil, err
		}
	}
	for _, l := range links {
		names.byIndex[l.Index()] = linkRef{name: l.Name(), flags: l.Flags(), found: true}
	}
	return links, names, nil
}

// newLinkNames returns an empty name cache for a listing, after resolving
// f's master name to its index.
func newLinkNames(ctx context.Context, h *rtm.Handle, f *showFilter) (*linkNames, error) {
	if f.masterName != "" {
		m, err := h.LinkByName(ctx, f.masterName)
		if err != nil {
			return nil, invarg("Device does not exist\n", f.masterName) // sic: ip ends this message with an empty line
		}
		f.master = m.Index()
	}
	return &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}, nil
}

// dumpFilter is the part of f the kernel applies to a links dump, as
// iproute2 asks for it.
func (f *showFilter) dumpFilter() *rtm.LinkFilter {
	if f.family == unix.AF_INET6 {
		// Like iproute2, dump with the family: IPv6 answers itself,
		// with its short view of each link (name, MTU, addresses),
		// and filters nothing.
		return &rtm.LinkFilter{Family: unix.AF_INET6}
	}
	return &rtm.LinkFilter{MasterIndex: f.master, Kind: f.kind}
}

// streamLinks lists a links dump as it arrives, for listings without -d
// and -s, where iproute2 keeps every message before printing: nothing but
// names is kept. The dump and the printing run on two goroutines, so that
// on a machine with two CPUs the printing overlaps the kernel's filling of
// the next datagrams (most of a listing's time): the dump's goroutine
// hands over the links compacted (appendCompactLink), in chunks, and the
// printing goroutine calls print for each, in the kernel's order.
//
// A link is printed with the names of its master and lower link
// ("veth0@veth1"), which the dump may bring later (a veth's peer usually
// comes next): such a link is held, with every link after it, until the
// names it needs have come; whatever is still held at the end of the
// dump (names of links the dump left out) is printed with names asked of
// the kernel, as the collected listing does. idx is the index print reads
// l through; streamLinks points it at each link first.
func streamLinks(ctx context.Context, h *rtm.Handle, f *showFilter, idx *nla.Index, nsidName func(int32) (string, bool), print func(rtm.Link, *linkNames)) error {
	names, err := newLinkNames(ctx, h, f)
	if err != nil {
		return err
	}
	names.nsidName = nsidName
	// The kernel leaves out IPv6's per-link counters, which such a listing
	// never prints, and adds VF information, which it does.
	lf := f.dumpFilter()
	lf.VF, lf.SkipStats = true, true
	if !overlapPrinting() {
		// One CPU: the handing over would cost CPU time and win none.
		o := linkOrder{names: names, idx: idx, print: print}
		for l, err := range h.Links(ctx, lf) {
			if err != nil {
				return err
			}
			o.add(l.Bytes())
		}
		o.end()
		return nil
	}

	chunks := make(chan []byte, 2)
	free := make(chan []byte, 3)
	printed := make(chan any, 1) // the printing's end: nil, or its panic
	var failed bool              // set before chunks is closed
	var cut error                // ctx's error if the printing stopped for it; read after printed
	go func() {
		var panicked any = true
		defer func() {
			if panicked != nil {
				panicked = recover()
			}
			printed <- panicked
		}()
		o := linkOrder{names: names, idx: idx, print: print}
		for chunk := range chunks {
			// ctx may end after the dump has: the printing stops
			// for it then, as it stops when it runs on the dump's
			// goroutine, whose dump ends with ctx's error.
			if cut == nil {
				cut = ctx.Err()
			}
			for rest := chunk; cut == nil && len(rest) >= 4; {
				n := int(binary.NativeEndian.Uint32(rest))
				o.add(rest[4 : 4+n])
				rest = rest[4+n:]
			}
			select {
			case free <- chunk[:0]:
			default:
			}
		}
		if cut == nil {
			cut = ctx.Err()
		}
		if !failed && cut == nil {
			o.end()
		}
		panicked = nil
	}()
	// send hands a chunk over, unless the printing has ended, which it
	// does early only by a panic: that panic is raised again here.
	send := func(chunk []byte) {
		select {
		case chunks <- chunk:
		case r := <-printed:
			panic(r)
		}
	}
	var chunk []byte
	var dumpErr error
	for l, err := range h.Links(ctx, lf) {
		if err != nil {
			dumpErr, failed = err, true
			break
		}
		at := len(chunk)
		chunk = appendCompactLink(append(chunk, 0, 0, 0, 0), l)
		binary.NativeEndian.PutUint32(chunk[at:], uint32(len(chunk)-at-4))
		if len(chunk) >= streamChunk {
			send(chunk)
			select {
			case chunk = <-free:
			default:
				chunk = nil
			}
		}
	}
	if len(chunk) > 0 {
		send(chunk)
	}
	close(chunks)
	if r := <-printed; r != nil {
		panic(r)
	}
	if dumpErr == nil {
		dumpErr = cut
	}
	return dumpErr
}

// linkOrder prints compacted links in the order they come, holding a
// link back until the names it prints are known (see streamLinks).
type linkOrder struct {
	names *linkNames
	idx   *nla.Index
	print func(rtm.Link, *linkNames)
	held  []heldLink // oldest first
	spare [][]byte
}

// overlapPrinting says whether streamLinks prints on a goroutine of its
// own: where the process may run on more than one CPU. A variable, for
// the tests to run both ways.
var overlapPrinting = func() bool { return runtime.GOMAXPROCS(0) > 1 }

// heldLink is a link linkOrder holds until the names it needs come.
type heldLink struct {
	msg           []byte // compacted (appendCompactLink), a copy
	master, lower int32  // indexes whose names it prints; 0 for none
}

// add takes the next link of the dump, compacted; msg is the caller's
// until add returns.
func (o *linkOrder) add(msg []byte) {
	l, err := rtm.LinkFromBytes(msg)
	if err != nil {
		return // never: appendCompactLink writes the whole header
	}
	o.names.byIndex[l.Index()] = linkRef{name: l.Name(), flags: l.Flags(), found: true}
	o.idx.Reset(l.Chain())
	master, lower := namesNeeded(o.idx)
	if len(o.held) == 0 && o.names.known(master) && o.names.known(lower) {
		o.print(l, o.names)
		return
	}
	var buf []byte
	if n := len(o.spare); n > 0 {
		buf, o.spare = o.spare[n-1], o.spare[:n-1]
	}
	o.held = append(o.held, heldLink{msg: append(buf, msg...), master: master, lower: lower})
	for len(o.held) > 0 && o.names.known(o.held[0].master) && o.names.known(o.held[0].lower) {
		o.printHeld(o.held[0])
		o.held = o.held[1:]
	}
}

// end prints the links still held, after the dump's last.
func (o *linkOrder) end() {
	for _, hl := range o.held {
		o.printHeld(hl)
	}
	o.held = nil
}

func (o *linkOrder) printHeld(hl heldLink) {
	if l, err := rtm.LinkFromBytes(hl.msg); err == nil {
		o.print(l, o.names)
	}
	o.spare = append(o.spare, hl.msg[:0])
}

// namesNeeded returns the indexes of the links whose names a link's line
// prints: its master and its lower link, unless that one is in another
// namespace (printed as "@ifN"). Zero stands for none.
func namesNeeded(idx *nla.Index) (master, lower int32) {
	if a, ok := idx.Get(unix.IFLA_MASTER); ok {
		master = int32(attrU32(a))
	}
	if _, otherNetns := idx.Get(unix.IFLA_LINK_NETNSID); !otherNetns {
		if a, ok := idx.Get(unix.IFLA_LINK); ok {
			lower = int32(attrU32(a))
		}
	}
	return master, lower
}

// known reports whether the name of link index is known; index 0 names
// no link and needs none.
func (n *linkNames) known(index int32) bool {
	if index == 0 {
		return true
	}
	_, ok := n.byIndex[index]
	return ok
}

// collectLinksCompact gathers a links dump as copies without the
// attributes a listing without -s and -d never reads: the counters
// (IFLA_STATS, IFLA_STATS64) and the per-family configuration
// (IFLA_AF_SPEC), which are most of a link message's bytes, so that a
// listing of many links holds less than ip holds (iproute2 keeps the
// whole messages).
func collectLinksCompact(seq iter.Seq2[rtm.Link, error]) ([]rtm.Link, error) {
	var (
		a     rtnl.Arena
		links []rtm.Link
		msg   []byte
	)
	for l, err := range seq {
		if err != nil {
			return nil, err
		}
		msg = appendCompactLink(msg[:0], l)
		cl, err := rtm.LinkFromBytes(a.Copy(msg))
		if err != nil {
			return nil, err
		}
		links = append(links, cl)
	}
	return links, nil
}

// appendCompactLink appends to dst the message of l without the
// attributes a listing without -s and -d never reads: the counters
// (IFLA_STATS, IFLA_STATS64) and the per-family configuration
// (IFLA_AF_SPEC), which are most of a link message's bytes.
func appendCompactLink(dst []byte, l rtm.Link) []byte {
	// ifinfomsg, as the kernel laid it out.
	dst = append(dst, l.Family(), 0)
	dst = binary.NativeEndian.AppendUint16(dst, l.Type())
	dst = binary.NativeEndian.AppendUint32(dst, uint32(l.Index()))
	dst = binary.NativeEndian.AppendUint32(dst, l.Flags())
	dst = binary.NativeEndian.AppendUint32(dst, l.Change())
	for c := l.Chain(); len(c) >= 4; {
		n := int(binary.NativeEndian.Uint16(c))
		if n < 4 || n > len(c) {
			// Malformed: kept as is, for the printing to judge.
			return append(dst, c...)
		}
		end := min((n+3)&^3, len(c))
		switch binary.NativeEndian.Uint16(c[2:]) & nla.TypeMask {
		case unix.IFLA_STATS, unix.IFLA_STATS64, unix.IFLA_AF_SPEC:
		default:
			dst = append(dst, c[:end]...)
		}
		c = c[end:]
	}
	return dst
}

// keepLink applies the filters of iproute2's print_linkinfo.
func (f *showFilter) keepLink(l rtm.Link, idx *nla.Index) bool {
	if c := l.Chain(); !sameBytes(idx.Chain(), c) {
		idx.Reset(c) // else it indexes l already, and keeps its table
	}
	if f.index != 0 && l.Index() != f.index {
		return false
	}
	if f.up && !l.IsUp() {
		return false
	}
	if a, ok := idx.Get(unix.IFLA_GROUP); ok && f.groupSet && attrU32(a) != f.group {
		return false
	}
	if a, ok := idx.Get(unix.IFLA_MASTER); ok {
		if f.master > 0 && int32(attrU32(a)) != f.master {
			return false
		}
		if f.master < 0 && attrU32(a) != 0 {
			return false
		}
	} else if f.master > 0 {
		return false
	}
	if f.kind != "" && l.Kind() != f.kind {
		return false
	}
	if f.slaveKind != "" && l.PortKind() != f.slaveKind {
		return false
	}
	return true
}

// linkNames resolves interface indexes to names and flags, as iproute2's
// ll_map cache does: from the links already listed, else by asking the
// kernel.
type linkNames struct {
	ctx     context.Context
	h       *rtm.Handle
	byIndex map[int32]linkRef
	// nsidName, when set, names the namespace of a peer's namespace id
	// (text output of "link show" and "addr show").
	nsidName func(int32) (string, bool)
}

// linkRef is what listings need of a link they name by index: an entry
// of iproute2's ll_map cache. found is false for an index the kernel did
// not know, remembered so that it is asked once.
type linkRef struct {
	name   string
	flags  uint32
	arphrd uint16
	found  bool
}

// newLinkRef is l's cache entry.
func newLinkRef(l rtm.Link) linkRef {
	return linkRef{name: l.Name(), flags: l.Flags(), arphrd: l.Type(), found: true}
}

// lookupLinkRef is the entry of cache for index, asking the kernel on a
// miss and remembering its answer: linkNames and linkTypes, iproute2's
// one cache in two uses, both look links up through it.
func lookupLinkRef(ctx context.Context, h *rtm.Handle, cache map[int32]linkRef, index int32) linkRef {
	if r, ok := cache[index]; ok {
		return r
	}
	var r linkRef
	if l, err := h.LinkByIndex(ctx, index); err == nil {
		r = newLinkRef(l)
	}
	cache[index] = r
	return r
}

func (n *linkNames) lookup(index int32) linkRef {
	return lookupLinkRef(n.ctx, n.h, n.byIndex, index)
}

// ifIndexName is the name iproute2 gives a link it does not know: "ifN".
func ifIndexName(index int32) string {
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10)
}

// netnsName is the name of the namespace a peer's namespace id refers
// to, for text output (JSON has the id alone, as ip's).
func (n *linkNames) netnsName(id int32, json bool) (string, bool) {
	if json || n.nsidName == nil || id < 0 {
		return "", false
	}
	return n.nsidName(id)
}

// name is iproute2's ll_index_to_name: "*" for 0, "ifN" if unknown.
func (n *linkNames) name(index int32) string {
	if index == 0 {
		return "*"
	}
	if r := n.lookup(index); r.found {
		return r.name
	}
	return ifIndexName(index)
}

// linkOp is the link-changing command being parsed.
type linkOp int

const (
	linkAdd linkOp = iota
	linkSet
	linkReplace
	linkDelete
)

// linkChange is "link add", "link set", "link replace" and "link del",
// parsed as iproute2's iplink_modify parses them.
func linkChange(e *env, a *args, op linkOp) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	if op == linkDelete {
		return linkDelete1(e, h, a)
	}
	lp := &linkParser{ctx: ctx, h: h, e: e}
	var spec rtm.LinkSpec
	dev, name, kind, err := lp.options(a, &spec, false)
	if err == nil && (op == linkAdd || op == linkReplace) {
		err = checkNewName(dev, name)
	}
	if err != nil {
		return err
	}
	// iplink_parse looks the device of a "set" up before the kind's
	// options are read, so a missing device is the error ip reports.
	var l rtm.Link
	if op == linkSet && dev != "" {
		if l, err = linkByName(ctx, h, dev); err != nil {
			return err
		}
	}
	if kind != "" {
		if err := lp.kind(kind, a, &spec); err != nil {
			return err
		}
	}
	if (op == linkAdd || op == linkReplace) && kind == "" {
		// ip's check, before the name's.
		return &cliError{code: exitFailure, msg: `Not enough information: "type" argument is required`}
	}
	if dev == "" {
		if op == linkAdd || op == linkReplace {
			return usagef("not enough information: a device name is required")
		}
		return errNoDevArgument
	}
	if op == linkAdd || op == linkReplace {
		spec.Name = name
		if op == linkAdd {
			return e.change(h, rtm.LinkAdd(spec))
		}
		return e.change(h, rtm.LinkReplace(spec))
	}
	spec.Index = l.Index()
	if name != dev {
		spec.Name = name
	}
	return e.change(h, rtm.LinkSet(spec))
}

// linkDelete1 is "link del [dev] NAME [type KIND]"; the type, which
// iproute2 accepts, is ignored.
func linkDelete1(e *env, h *rtm.Handle, a *args) error {
	var dev string
	for a.more() {
		w := a.advance()
		switch {
		case w == "dev" || matches(w, "type"):
			if _, err := a.value(w); err != nil {
				return err
			}
			if w == "dev" {
				dev = a.list[a.i-1]
			}
		case dev == "" && !strings.HasPrefix(w, "-") && w != "help":
			dev = w
		default:
			return usagef("link delete takes only a device name: unexpected %q", w)
		}
	}
	if dev == "" {
		return errNoDevArgument
	}
	err := e.change(h, rtm.LinkDelByName(dev))
	// ip looks the name up first; the request by name fails with ENODEV
	// when sent with -echo, which goes without the lookup.
	if isNotFound(err) || errors.Is(err, unix.ENODEV) {
		return errNoDevice(dev)
	}
	return err
}

// linkParser parses link options, resolving the device names in them.
type linkParser struct {
	ctx context.Context
	h   *rtm.Handle
	e   *env // for -force and the namespace ids; nil in tests
}

func (lp *linkParser) index(name string) (int32, error) {
	l, err := linkByName(lp.ctx, lp.h, name)
	if err != nil {
		return 0, err
	}
	return l.Index(), nil
}

// options parses the generic options of iproute2's iplink_parse into s, up
// to "type KIND". It returns the device (after "dev", or a bare word), the
// name ("name NAME", else the device) and the kind. A veth peer's options
// (peer) stop at the end of the arguments instead.
func (lp *linkParser) options(a *args, s *rtm.LinkSpec, peer bool) (dev, name, kind string, err error) {
	onOff := func(w string) (rtm.Opt[bool], error) {
		return someValue(parseValue(a, w, func(v string) (bool, error) { return onOrOff(w, v) }))
	}
	for a.more() {
		w := a.advance()
		var err error
		// iproute2's order of checks, which decides what abbreviations
		// mean.
		switch {
		case w == "up" || w == "down":
			s.Up = rtm.Some(w == "up")
		case w == "name":
			if name != "" {
				return "", "", "", usagef("name given twice")
			}
			if name, err = a.value(w); err == nil && !validIfname(name) {
				err = invarg(`"name" not a valid ifname`, name)
			}
		case w == "index":
			var v uint32
			v, err = a.uint32Value(w)
			s.Index = int32(v)
			if v == 0 || v > 1<<31-1 {
				err = usagef("invalid index %d", v)
			}
		case matches(w, "link"):
			var v string
			if v, err = a.value("link"); err == nil {
				s.Parent, err = lp.index(v)
			}
		case matches(w, "address"):
			s.Address, err = llAddrValue(a, "address")
		case matches(w, "broadcast") || w == "brd":
			s.Broadcast, err = llAddrValue(a, "broadcast")
		case matches(w, "txqueuelen") || w == "qlen" || matches(w, "txqlen"):
			s.TxQueueLen, err = someValue(a.uint32Value("txqueuelen"))
		case w == "mtu":
			var v string
			if v, err = a.value(w); err != nil {
				break
			}
			if s.MTU != 0 {
				return "", "", "", duparg("mtu", v)
			}
			var n uint64
			if n, err = strconv.ParseUint(v, 0, 32); err != nil {
				// The "\n" is ip's, whose message ends in one.
				return "", "", "", invarg("Invalid \"mtu\" value\n", v)
			}
			if s.MTU = uint32(n); n == 0 {
				err = usagef("invalid mtu 0")
			}
		case w == "netns":
			var v string
			if v, err = a.value(w); err == nil {
				s.Netns, err = netnsValue(v)
			}
		case w == "multicast":
			s.Multicast, err = onOff(w)
		case w == "allmulticast":
			s.AllMulticast, err = onOff(w)
		case w == "promisc":
			s.Promisc, err = onOff(w)
		case w == "arp":
			s.ARP, err = onOff(w)
		case matches(w, "master"):
			var v string
			var m int32
			if v, err = a.value("master"); err == nil {
				var l rtm.Link
				switch l, err = lp.h.LinkByName(lp.ctx, v); {
				case errors.Is(err, rtm.ErrNotFound):
					// The "\n" is ip's, whose message ends in one.
					err = invarg("Device does not exist\n", v)
				case err == nil:
					m = l.Index()
				}
				s.Master = rtm.Some(m)
			}
		case matches(w, "nomaster"):
			s.Master = rtm.Some[int32](0)
		case matches(w, "type") && !peer:
			kind, err = a.value("type")
			if err == nil && kind == "" {
				err = usagef("empty type")
			}
			dev, name = devAndName(dev, name)
			return dev, name, kind, err
		case matches(w, "alias"):
			s.Alias, err = someValue(a.value("alias"))
		case w == "group":
			s.Group, err = someValue(a.tableValue(w, "group", &groupNames, 1<<32-1))
		case matches(w, "numtxqueues"):
			s.NumTxQueues, err = a.uint32Value("numtxqueues")
		case matches(w, "numrxqueues"):
			s.NumRxQueues, err = a.uint32Value("numrxqueues")
		case lp.setting(w, a, s, &err):
		case unsupportedLinkOption(w):
			err = usagef("option %q is not supported by ipr", w)
		default:
			// iplink_parse's last branch: a word is the device.
			if matches(w, "help") {
				return "", "", "", (&object{help: "link", usage: linkUsage}).usageError()
			}
			if w == "dev" {
				if w, err = a.value(w); err != nil {
					break
				}
			}
			if dev != "" {
				return "", "", "", duparg2("dev", w)
			}
			if !validAltIfname(w) {
				return "", "", "", invarg(`"dev" not a valid ifname`, w)
			}
			dev = w
		}
		if err != nil {
			return "", "", "", err
		}
	}
	dev, name = devAndName(dev, name)
	return dev, name, "", nil
}

// checkNewName is iplink_parse's check of a device to create: "dev"
// (or a bare word) and "name" must not name two devices.
func checkNewName(dev, name string) error {
	if dev != name {
		return &cliError{code: exitUsage, msg: `both "name" and "dev" cannot be used when creating devices.`}
	}
	return nil
}

// devAndName completes "ip link add dev NAME" and "ip link add name NAME",
// which mean the same.
func devAndName(dev, name string) (string, string) {
	if name == "" {
		return dev, dev
	}
	if dev == "" {
		return name, name
	}
	return dev, name
}

// unsupportedLinkOption reports iproute2 options ipr does not implement; they
// get a clearer error than "unknown option".
func unsupportedLinkOption(w string) bool {
	switch w {
	case "trailers", "vrf", "dynamic", "parentdev":
		return true
	}
	return false
}

// llAddrValue parses a link-layer address: colon-separated hex bytes, as
// iproute2's ll_addr_a2n accepts them ("0:1:2:3:4:5" included).
func llAddrValue(a *args, keyword string) ([]byte, error) {
	s, err := a.value(keyword)
	if err != nil {
		return nil, err
	}
	var hw []byte
	for _, part := range strings.Split(s, ":") {
		v, err := strconv.ParseUint(part, 16, 8)
		if err != nil || len(part) > 2 {
			return nil, usagef("invalid %s %q: want hex bytes separated by colons", keyword, s)
		}
		hw = append(hw, byte(v))
	}
	if len(hw) > 32 {
		return nil, usagef("invalid %s %q: longer than 32 bytes", keyword, s)
	}
	return hw, nil
}

// netnsValue designates a namespace by name or, if no namespace has that
// name, by process id, as iproute2 does.
func netnsValue(s string) (rtm.Netns, error) {
	if path, err := netns.Path(s); err == nil {
		if _, err := os.Stat(path); err == nil {
			return rtm.NetnsByName(s), nil
		}
	}
	if pid, err := strconv.Atoi(s); err == nil && pid > 0 {
		return rtm.NetnsByPID(pid), nil
	}
	return rtm.Netns{}, fmt.Errorf("invalid netns %q: no such namespace or process", s)
}

// validIfname is iproute2's check_ifname, which ip applies to "name"
// before sending anything: not empty, shorter than IFNAMSIZ, and without
// '/' or white space.
func validIfname(name string) bool {
	return len(name) < unix.IFNAMSIZ && validAltIfname(name)
}

// validAltIfname is iproute2's check_altifname: what an alternative name
// must be, and any name ip looks a device up by.
func validAltIfname(name string) bool {
	return name != "" && !strings.ContainsAny(name, "/ \t\n\v\f\r")
}

// sameBytes reports whether a and b are the same bytes in memory, not
// merely equal ones.
func sameBytes(a, b nla.Chain) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
