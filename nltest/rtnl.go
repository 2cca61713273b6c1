package nltest

import (
	"bytes"
	"net/netip"
	"slices"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// rtnlState is the objects of a fake RTNL kernel, as message payloads.
type rtnlState struct {
	links, addrs, routes [][]byte
}

// NewRTNL returns a Fake that keeps links, addresses and routes as the
// kernel does, for code over NETLINK_ROUTE: it answers their dumps and
// gets (RTM_GETLINK by index or name); creates links of any kind (the
// fake only records the kind), changes their name, MTU and flags and
// deletes them (RTM_NEWLINK, RTM_SETLINK, RTM_DELLINK, with EEXIST and
// ENODEV); adds and deletes addresses and routes (RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE, with
// EEXIST for NLM_F_EXCL and ESRCH or EADDRNOTAVAIL for what is missing),
// and notifies the link, address and route groups of each change. It
// starts with the loopback device, index 1, up, as a new namespace has
// it. Other handlers may be added or replace these.
func NewRTNL() *Fake {
	f := NewFake()
	f.rtnl.links = [][]byte{Link{Index: 1, Name: "lo", Flags: unix.IFF_UP | unix.IFF_LOOPBACK | unix.IFF_RUNNING,
		MTU: 65536, HardwareAddr: make([]byte, 6)}.Payload()}
	f.handlers[unix.RTM_GETLINK] = f.getLink
	f.handlers[unix.RTM_NEWLINK] = f.changeLink
	f.handlers[unix.RTM_SETLINK] = f.changeLink
	f.handlers[unix.RTM_DELLINK] = f.delLink
	// A strict address dump names a link, a strict route dump a table.
	f.handlers[unix.RTM_GETADDR] = f.dumper(&f.rtnl.addrs, unix.RTM_NEWADDR, strictFilter(unix.SizeofIfAddrmsg, addrIndex))
	f.handlers[unix.RTM_GETROUTE] = f.dumper(&f.rtnl.routes, unix.RTM_NEWROUTE, strictFilter(unix.SizeofRtMsg, routeTable))
	f.handlers[unix.RTM_NEWADDR] = f.changer(&f.rtnl.addrs, addrKey,
		groups{unix.RTNLGRP_IPV4_IFADDR, unix.RTNLGRP_IPV6_IFADDR}, unix.EADDRNOTAVAIL)
	f.handlers[unix.RTM_DELADDR] = f.handlers[unix.RTM_NEWADDR]
	f.handlers[unix.RTM_NEWROUTE] = f.changer(&f.rtnl.routes, routeKey,
		groups{unix.RTNLGRP_IPV4_ROUTE, unix.RTNLGRP_IPV6_ROUTE}, unix.ESRCH)
	f.handlers[unix.RTM_DELROUTE] = f.handlers[unix.RTM_NEWROUTE]
	return f
}

// AddLink adds or replaces (by index) a link of a fake from [NewRTNL].
func (f *Fake) AddLink(l Link) { f.put(&f.rtnl.links, l.Payload(), linkIndex) }

// AddAddr adds an address to a fake from [NewRTNL].
func (f *Fake) AddAddr(a Addr) { f.put(&f.rtnl.addrs, a.Payload(), addrKey) }

// AddRoute adds a route to a fake from [NewRTNL].
func (f *Fake) AddRoute(r Route) { f.put(&f.rtnl.routes, r.Payload(), routeKey) }

// Addrs returns the addresses a fake from [NewRTNL] holds, as
// RTM_NEWADDR payloads, for a test to check.
func (f *Fake) Addrs() [][]byte { return f.list(&f.rtnl.addrs) }

// Routes returns the routes a fake from [NewRTNL] holds, as RTM_NEWROUTE
// payloads.
func (f *Fake) Routes() [][]byte { return f.list(&f.rtnl.routes) }

func (f *Fake) list(objs *[][]byte) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([][]byte, len(*objs))
	for i, o := range *objs {
		out[i] = append([]byte(nil), o...)
	}
	return out
}

func (f *Fake) put(objs *[][]byte, obj []byte, key func([]byte) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := key(obj)
	for i, o := range *objs {
		if key(o) == k {
			(*objs)[i] = obj
			return
		}
	}
	*objs = append(*objs, obj)
}

func attrs(payload []byte, fixed int) nla.Chain {
	if len(payload) < fixed {
		return nil
	}
	return nla.Chain(payload[fixed:])
}

func linkIndex(p []byte) string {
	if len(p) < unix.SizeofIfInfomsg {
		return ""
	}
	return string(p[4:8])
}

func (f *Fake) getLink(req wire.Message) ([][]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
		out := make([][]byte, len(f.rtnl.links))
		for i, l := range f.rtnl.links {
			out[i] = Message(unix.RTM_NEWLINK, l)
		}
		return out, nil
	}
	if len(req.Data) < unix.SizeofIfInfomsg {
		return nil, unix.EINVAL
	}
	index := ne.Uint32(req.Data[4:])
	var name []byte
	if a, ok := attrs(req.Data, unix.SizeofIfInfomsg).Get(unix.IFLA_IFNAME); ok {
		name, _ = a.TextBytes()
	}
	for _, l := range f.rtnl.links {
		n, _ := attrs(l, unix.SizeofIfInfomsg).Get(unix.IFLA_IFNAME)
		ln, _ := n.TextBytes()
		if (index != 0 && ne.Uint32(l[4:]) == index) || (index == 0 && name != nil && bytes.Equal(ln, name)) {
			return [][]byte{Message(unix.RTM_NEWLINK, l)}, nil
		}
	}
	return nil, unix.ENODEV
}

// strictFilter returns the filter of a strict dump request: it keeps the
// objects of the request's family, when set, whose key is the request's,
// when nonzero. hdr is the size of the objects' fixed header; a request
// shorter than that keeps everything.
func strictFilter(hdr int, key func([]byte) uint32) func(req, obj []byte) bool {
	return func(req, obj []byte) bool {
		if len(req) < hdr {
			return true
		}
		if req[0] != 0 && req[0] != obj[0] {
			return false
		}
		k := key(req)
		return k == 0 || k == key(obj)
	}
}

// groups are the multicast groups of an object kind's IPv4 and IPv6
// objects.
type groups struct{ v4, v6 uint32 }

// of returns the group of the object whose payload is p.
func (g groups) of(p []byte) uint32 {
	if p[0] == unix.AF_INET6 {
		return g.v6
	}
	return g.v4
}

// dumper answers the dumps of the objects in *objs, filtered by keep.
func (f *Fake) dumper(objs *[][]byte, typ uint16, keep func(req, obj []byte) bool) Handler {
	return func(req wire.Message) ([][]byte, error) {
		if req.Header.Flags&unix.NLM_F_DUMP != unix.NLM_F_DUMP {
			return nil, unix.EOPNOTSUPP
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		var out [][]byte
		for _, o := range *objs {
			if keep(req.Data, o) {
				out = append(out, Message(typ, o))
			}
		}
		return out, nil
	}
}

// changer adds (RTM_NEW*) or deletes (RTM_DEL*) objects identified by
// key, notifying group.of(obj) of each change.
func (f *Fake) changer(objs *[][]byte, key func([]byte) string, group groups, missing error) Handler {
	return func(req wire.Message) ([][]byte, error) {
		obj := append([]byte(nil), req.Data...)
		k := key(obj)
		if k == "" {
			return nil, unix.EINVAL
		}
		del := req.Header.Type == unix.RTM_DELADDR || req.Header.Type == unix.RTM_DELROUTE
		f.mu.Lock()
		at := -1
		for i, o := range *objs {
			if key(o) == k {
				at = i
				break
			}
		}
		var err error
		switch {
		case del && at < 0:
			err = missing
		case del:
			*objs = append((*objs)[:at], (*objs)[at+1:]...)
		case at >= 0 && req.Header.Flags&unix.NLM_F_EXCL != 0:
			err = unix.EEXIST
		case at >= 0 && req.Header.Flags&unix.NLM_F_REPLACE == 0:
			err = unix.EEXIST
		case at >= 0:
			(*objs)[at] = obj
		case req.Header.Flags&unix.NLM_F_CREATE == 0:
			err = missing
		default:
			*objs = append(*objs, obj)
		}
		f.mu.Unlock()
		if err != nil {
			return nil, err
		}
		typ := req.Header.Type
		f.Notify(group.of(obj), Message(typ, obj))
		if req.Header.Flags&unix.NLM_F_ECHO != 0 {
			return [][]byte{Message(typ, obj)}, nil
		}
		return nil, nil
	}
}

func addrKey(p []byte) string {
	if len(p) < unix.SizeofIfAddrmsg {
		return ""
	}
	c := attrs(p, unix.SizeofIfAddrmsg)
	a, ok := c.Get(unix.IFA_LOCAL)
	if !ok {
		a, ok = c.Get(unix.IFA_ADDRESS)
	}
	if !ok {
		return ""
	}
	// Family, prefix length, index and address.
	return string(p[0:2]) + string(p[4:8]) + string(a.Data)
}

// addrIndex is the link index of an RTM_*ADDR payload.
func addrIndex(p []byte) uint32 { return ne.Uint32(p[4:]) }

func routeTable(p []byte) uint32 {
	if a, ok := attrs(p, unix.SizeofRtMsg).Get(unix.RTA_TABLE); ok {
		if t, err := a.Uint32(); err == nil {
			return t
		}
	}
	return uint32(p[4])
}

func routeKey(p []byte) string {
	if len(p) < unix.SizeofRtMsg {
		return ""
	}
	c := attrs(p, unix.SizeofRtMsg)
	var dst, prio []byte
	if a, ok := c.Get(unix.RTA_DST); ok {
		dst = a.Data
	}
	if a, ok := c.Get(unix.RTA_PRIORITY); ok {
		prio = a.Data
	}
	var t [4]byte
	ne.PutUint32(t[:], routeTable(p))
	// Family, prefix length, tos, table, destination and metric.
	return string(p[0:2]) + string(p[3:4]) + string(t[:]) + string(dst) + "/" + string(prio)
}

// AddrPrefix returns the address of an RTM_NEWADDR payload, such as one
// [Fake.Addrs] returns, with its prefix length.
func AddrPrefix(p []byte) netip.Prefix {
	if len(p) < unix.SizeofIfAddrmsg {
		return netip.Prefix{}
	}
	c := attrs(p, unix.SizeofIfAddrmsg)
	a, ok := c.Get(unix.IFA_LOCAL)
	if !ok {
		a, ok = c.Get(unix.IFA_ADDRESS)
	}
	if !ok {
		return netip.Prefix{}
	}
	ip, err := a.Addr()
	if err != nil {
		return netip.Prefix{}
	}
	return netip.PrefixFrom(ip, int(p[1]))
}

// findLink returns the position of the link a request names, by index or
// else by IFLA_IFNAME, or -1. The caller holds f.mu.
func (f *Fake) findLink(req []byte) int {
	index := ne.Uint32(req[4:])
	var name []byte
	if a, ok := attrs(req, unix.SizeofIfInfomsg).Get(unix.IFLA_IFNAME); ok {
		name = []byte(str(a))
	}
	for i, l := range f.rtnl.links {
		if index != 0 {
			if ne.Uint32(l[4:]) == index {
				return i
			}
			continue
		}
		n, _ := attrs(l, unix.SizeofIfInfomsg).Get(unix.IFLA_IFNAME)
		if ln, _ := n.TextBytes(); name != nil && bytes.Equal(ln, name) {
			return i
		}
	}
	return -1
}

// changeLink creates a link (NLM_F_CREATE, when none has its index or
// name) or changes one: its name, MTU and the flags ifi_change selects.
func (f *Fake) changeLink(req wire.Message) ([][]byte, error) {
	if len(req.Data) < unix.SizeofIfInfomsg {
		return nil, unix.EINVAL
	}
	c := attrs(req.Data, unix.SizeofIfInfomsg)
	text := func(typ uint16) string {
		a, _ := c.Get(typ)
		return str(a)
	}
	u32 := func(typ uint16) uint32 {
		a, _ := c.Get(typ)
		v, _ := a.Uint32()
		return v
	}
	f.mu.Lock()
	at := f.findLink(req.Data)
	var l Link
	switch {
	case at < 0 && (req.Header.Type != unix.RTM_NEWLINK || req.Header.Flags&unix.NLM_F_CREATE == 0):
		f.mu.Unlock()
		return nil, unix.ENODEV
	case at < 0:
		l.Index = int32(ne.Uint32(req.Data[4:]))
		if l.Index == 0 {
			l.Index = 1
			for _, o := range f.rtnl.links {
				l.Index = max(l.Index, int32(ne.Uint32(o[4:]))+1)
			}
		}
		l.Name, l.MTU = text(unix.IFLA_IFNAME), 1500
		l.HardwareAddr = []byte{2, 0, 0, 0, byte(l.Index >> 8), byte(l.Index)}
		if a, ok := c.Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_KIND); ok {
			l.Kind = str(a)
		}
		if l.Name == "" || l.Kind == "" {
			f.mu.Unlock()
			return nil, unix.EINVAL
		}
	case req.Header.Flags&unix.NLM_F_EXCL != 0:
		f.mu.Unlock()
		return nil, unix.EEXIST
	default:
		l = parseLink(f.rtnl.links[at])
	}
	if n := text(unix.IFLA_IFNAME); n != "" {
		l.Name = n
	}
	if m := u32(unix.IFLA_MTU); m != 0 {
		l.MTU = m
	}
	if m, ok := c.Get(unix.IFLA_MASTER); ok {
		v, _ := m.Uint32()
		l.Master = int32(v)
	}
	// As the kernel combines them: a zero ifi_change means all flags,
	// and zero flags with a zero change mean no change.
	flags, change := ne.Uint32(req.Data[8:]), ne.Uint32(req.Data[12:])
	switch {
	case change != 0:
		l.Flags = l.Flags&^change | flags&change
	case flags != 0:
		l.Flags = flags
	}
	obj := l.Payload()
	if at < 0 {
		f.rtnl.links = append(f.rtnl.links, obj)
	} else {
		f.rtnl.links[at] = obj
	}
	f.mu.Unlock()
	f.Notify(unix.RTNLGRP_LINK, Message(unix.RTM_NEWLINK, obj))
	return nil, nil
}

// delLink deletes a link, with its addresses and the routes through it.
func (f *Fake) delLink(req wire.Message) ([][]byte, error) {
	if len(req.Data) < unix.SizeofIfInfomsg {
		return nil, unix.EINVAL
	}
	f.mu.Lock()
	at := f.findLink(req.Data)
	if at < 0 {
		f.mu.Unlock()
		return nil, unix.ENODEV
	}
	obj := f.rtnl.links[at]
	f.rtnl.links = append(f.rtnl.links[:at], f.rtnl.links[at+1:]...)
	index := ne.Uint32(obj[4:])
	f.rtnl.addrs = slices.DeleteFunc(f.rtnl.addrs, func(a []byte) bool { return ne.Uint32(a[4:]) == index })
	f.rtnl.routes = slices.DeleteFunc(f.rtnl.routes, func(r []byte) bool {
		a, ok := attrs(r, unix.SizeofRtMsg).Get(unix.RTA_OIF)
		v, _ := a.Uint32()
		return ok && v == index
	})
	f.mu.Unlock()
	f.Notify(unix.RTNLGRP_LINK, Message(unix.RTM_DELLINK, obj))
	return nil, nil
}

// parseLink reads back what Link.Payload wrote.
func parseLink(p []byte) Link {
	c := attrs(p, unix.SizeofIfInfomsg)
	l := Link{Index: int32(ne.Uint32(p[4:])), Flags: ne.Uint32(p[8:])}
	if a, ok := c.Get(unix.IFLA_IFNAME); ok {
		l.Name, _ = a.Text()
	}
	if a, ok := c.Get(unix.IFLA_MTU); ok {
		l.MTU, _ = a.Uint32()
	}
	if a, ok := c.Get(unix.IFLA_ADDRESS); ok {
		l.HardwareAddr = append([]byte(nil), a.Data...)
	}
	if a, ok := c.Get(unix.IFLA_MASTER); ok {
		v, _ := a.Uint32()
		l.Master = int32(v)
	}
	if a, ok := c.Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_KIND); ok {
		l.Kind, _ = a.Text()
	}
	return l
}

// str reads a string attribute as the kernel does (NLA_STRING): up to its
// first NUL, if it has one.
func str(a nla.Attr) string {
	if i := bytes.IndexByte(a.Data, 0); i >= 0 {
		return string(a.Data[:i])
	}
	return string(a.Data)
}
