package workload

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The raw floor: golang.org/x/sys/unix alone. Dumps send one request and
// receive into one reused 32 KiB buffer, counting messages; changes are
// pipelined without NLM_F_ACK, each sendmsg as full as the send buffer
// allows and closed by an acknowledged NLMSG_NOOP.

var native = binary.NativeEndian

const rawBufSize = 32 << 10

// rawConn is a NETLINK_ROUTE socket opened in a namespace.
type rawConn struct {
	fd  int
	seq uint32
	buf []byte
}

// rawDial opens a NETLINK_ROUTE socket in the named namespace, joined to
// the multicast groups (RTMGRP_* bits).
func rawDial(ns string, groups uint32) (*rawConn, error) {
	fd, err := socketIn(ns)
	if err != nil {
		return nil, err
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
	}
	return &rawConn{fd: fd, buf: make([]byte, rawBufSize)}, nil
}

// socketIn creates the socket on a locked thread switched into the
// namespace; the socket stays in it for life.
func socketIn(ns string) (int, error) {
	runtime.LockOSThread()
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		return -1, err
	}
	defer unix.Close(orig)
	target, err := unix.Open("/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		return -1, err
	}
	defer unix.Close(target)
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return -1, fmt.Errorf("setns: %w", err)
	}
	fd, serr := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
		// The thread stays locked, so the runtime discards it with
		// this goroutine rather than reuse it in the wrong namespace.
		if serr == nil {
			unix.Close(fd)
		}
		return -1, fmt.Errorf("setns back: %w", err)
	}
	runtime.UnlockOSThread()
	if serr != nil {
		return -1, fmt.Errorf("socket: %w", serr)
	}
	return fd, nil
}

func (c *rawConn) Close() error { return unix.Close(c.fd) }

// header appends an nlmsghdr whose length putLen fills in later.
func (c *rawConn) header(b []byte, typ, flags uint16) []byte {
	c.seq++
	var h [unix.NLMSG_HDRLEN]byte
	native.PutUint16(h[4:], typ)
	native.PutUint16(h[6:], flags|unix.NLM_F_REQUEST)
	native.PutUint32(h[8:], c.seq)
	return append(b, h[:]...)
}

// putLen sets the length of the message that starts at off.
func putLen(b []byte, off int) []byte {
	native.PutUint32(b[off:], uint32(len(b)-off))
	return b
}

func attr(b []byte, typ uint16, data []byte) []byte {
	var h [4]byte
	native.PutUint16(h[0:], uint16(4+len(data)))
	native.PutUint16(h[2:], typ)
	b = append(b, h[:]...)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func attrU32(b []byte, typ uint16, v uint32) []byte {
	var d [4]byte
	native.PutUint32(d[:], v)
	return attr(b, typ, d[:])
}

func attrStr(b []byte, typ uint16, s string) []byte {
	return attr(b, typ, append([]byte(s), 0))
}

// nest starts a nested attribute; endNest closes it.
func nest(b []byte, typ uint16) ([]byte, int) {
	off := len(b)
	return attr(b, typ|unix.NLA_F_NESTED, nil), off
}

func endNest(b []byte, off int) []byte {
	native.PutUint16(b[off:], uint16(len(b)-off))
	return b
}

func (c *rawConn) send(b []byte) error {
	return unix.Sendto(c.fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
}

// dump sends a dump request and calls fn on each reply message until
// NLMSG_DONE.
func (c *rawConn) dump(req []byte, fn func(typ uint16, data []byte)) error {
	if err := c.send(req); err != nil {
		return err
	}
	seq := native.Uint32(req[8:])
	for {
		n, _, err := unix.Recvfrom(c.fd, c.buf, 0)
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			return err
		}
		for b := c.buf[:n]; len(b) >= unix.NLMSG_HDRLEN; {
			l := int(native.Uint32(b))
			if l < unix.NLMSG_HDRLEN || l > len(b) {
				return fmt.Errorf("raw: bad message length %d", l)
			}
			typ := native.Uint16(b[4:])
			if native.Uint32(b[8:]) == seq {
				switch typ {
				case unix.NLMSG_DONE:
					return nil
				case unix.NLMSG_ERROR:
					if e := int32(native.Uint32(b[16:])); e != 0 {
						return unix.Errno(-e)
					}
				default:
					fn(typ, b[unix.NLMSG_HDRLEN:l])
				}
			}
			b = b[min((l+3)&^3, len(b)):]
		}
	}
}

// dumpRequest builds a dump request with a fixed header of fixedLen bytes
// whose first byte is the family.
func (c *rawConn) dumpRequest(typ uint16, family uint8, fixedLen int) []byte {
	b := c.header(nil, typ, unix.NLM_F_DUMP)
	b = append(b, make([]byte, fixedLen)...)
	b[unix.NLMSG_HDRLEN] = family
	return putLen(b, 0)
}

// countRoutes counts the IPv4 routes of a table.
func (c *rawConn) countRoutes(table uint8) (int, error) {
	n := 0
	err := c.dump(c.dumpRequest(unix.RTM_GETROUTE, unix.AF_INET, unix.SizeofRtMsg), func(typ uint16, d []byte) {
		if typ == unix.RTM_NEWROUTE && d[4] == table {
			n++
		}
	})
	return n, err
}

// countLinks counts every link.
func (c *rawConn) countLinks() (int, error) {
	n := 0
	err := c.dump(c.dumpRequest(unix.RTM_GETLINK, unix.AF_UNSPEC, unix.SizeofIfInfomsg), func(typ uint16, d []byte) {
		if typ == unix.RTM_NEWLINK {
			n++
		}
	})
	return n, err
}

// pipeline sends the requests in reqs (back to back, without NLM_F_ACK)
// in sendmsg calls of at most the send buffer's size, each closed by an
// acknowledged NLMSG_NOOP, and returns how many requests failed.
func (c *rawConn) pipeline(reqs []byte) (failed int, err error) {
	sndbuf, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_SNDBUF)
	if err != nil {
		return 0, err
	}
	limit := sndbuf - 32 - 2*unix.NLMSG_HDRLEN
	var chunk []byte
	for off := 0; off < len(reqs); {
		start := off
		for off < len(reqs) {
			l := int(native.Uint32(reqs[off:]))
			if off+l-start > limit && off > start {
				break
			}
			off += (l + 3) &^ 3
		}
		chunk = append(chunk[:0], reqs[start:off]...)
		barrier := len(chunk)
		chunk = putLen(c.header(chunk, unix.NLMSG_NOOP, unix.NLM_F_ACK), barrier)
		seq := c.seq
		if err := c.send(chunk); err != nil {
			return failed, err
		}
	recv:
		for {
			n, _, err := unix.Recvfrom(c.fd, c.buf, 0)
			if err != nil {
				if err == unix.EINTR {
					continue
				}
				return failed, err
			}
			for b := c.buf[:n]; len(b) >= unix.NLMSG_HDRLEN; {
				l := int(native.Uint32(b))
				if l < unix.NLMSG_HDRLEN || l > len(b) {
					return failed, fmt.Errorf("raw: bad message length %d", l)
				}
				if native.Uint16(b[4:]) == unix.NLMSG_ERROR {
					if native.Uint32(b[8:]) == seq {
						break recv
					}
					if native.Uint32(b[16:]) != 0 {
						failed++
					}
				}
				b = b[min((l+3)&^3, len(b)):]
			}
		}
	}
	return failed, nil
}

// appendRoute appends an RTM_NEWROUTE or RTM_DELROUTE request laid out as
// iproute2 lays it out.
func (c *rawConn) appendRoute(b []byte, typ uint16, dst netip.Prefix, gw netip.Addr, oif int32, table uint8) []byte {
	off := len(b)
	flags := uint16(0)
	if typ == unix.RTM_NEWROUTE {
		flags = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	}
	b = c.header(b, typ, flags)
	rt := unix.RtMsg{Family: unix.AF_INET, Dst_len: uint8(dst.Bits()), Table: table}
	if typ == unix.RTM_NEWROUTE {
		rt.Protocol, rt.Scope, rt.Type = unix.RTPROT_BOOT, unix.RT_SCOPE_UNIVERSE, unix.RTN_UNICAST
	} else {
		rt.Scope = unix.RT_SCOPE_NOWHERE
	}
	b = append(b, (*[unix.SizeofRtMsg]byte)(unsafe.Pointer(&rt))[:]...)
	a := dst.Addr().As4()
	b = attr(b, unix.RTA_DST, a[:])
	if gw.IsValid() {
		g := gw.As4()
		b = attr(b, unix.RTA_GATEWAY, g[:])
	}
	if oif != 0 {
		b = attrU32(b, unix.RTA_OIF, uint32(oif))
	}
	return putLen(b, off)
}

// linkIndex returns the index of a link by name, with a single request.
func (c *rawConn) linkIndex(name string) (int32, error) {
	b := c.header(nil, unix.RTM_GETLINK, 0)
	b = append(b, make([]byte, unix.SizeofIfInfomsg)...)
	b = putLen(attrStr(b, unix.IFLA_IFNAME, name), 0)
	if err := c.send(b); err != nil {
		return 0, err
	}
	for {
		n, _, err := unix.Recvfrom(c.fd, c.buf, 0)
		if err != nil {
			return 0, err
		}
		if n < unix.NLMSG_HDRLEN+unix.SizeofIfInfomsg {
			return 0, fmt.Errorf("raw: short reply")
		}
		switch native.Uint16(c.buf[4:]) {
		case unix.NLMSG_ERROR:
			return 0, unix.Errno(-int32(native.Uint32(c.buf[16:])))
		case unix.RTM_NEWLINK:
			return int32(native.Uint32(c.buf[unix.NLMSG_HDRLEN+4:])), nil
		}
	}
}

// The raw contestants.

func init() {
	register("route-dump", "raw", rawDumpMaker(unix.RTM_GETROUTE, unix.AF_INET, unix.SizeofRtMsg, func(typ uint16, d []byte) bool {
		return typ == unix.RTM_NEWROUTE && d[4] == unix.RT_TABLE_MAIN
	}))
	register("link-dump", "raw", rawDumpMaker(unix.RTM_GETLINK, unix.AF_UNSPEC, unix.SizeofIfInfomsg, func(typ uint16, _ []byte) bool {
		return typ == unix.RTM_NEWLINK
	}))
	register("addr-dump", "raw", rawDumpMaker(unix.RTM_GETADDR, unix.AF_UNSPEC, unix.SizeofIfAddrmsg, func(typ uint16, _ []byte) bool {
		return typ == unix.RTM_NEWADDR
	}))
	register("neigh-dump", "raw", rawDumpMaker(unix.RTM_GETNEIGH, unix.AF_UNSPEC, unix.SizeofNdMsg, func(typ uint16, _ []byte) bool {
		return typ == unix.RTM_NEWNEIGH
	}))
	register("route-get", "raw", rawRouteGet)
	register("route-add", "raw", rawRouteAdd)
	register("veth", "raw", rawVeth)
	register("events", "raw", rawEvents)
}

func rawDumpMaker(typ uint16, family uint8, fixedLen int, keep func(uint16, []byte) bool) Maker {
	return func(env *Env) (*Instance, error) {
		c, err := rawDial(env.NS, 0)
		if err != nil {
			return nil, err
		}
		run := func() (Result, error) {
			n := 0
			err := c.dump(c.dumpRequest(typ, family, fixedLen), func(typ uint16, d []byte) {
				if keep(typ, d) {
					n++
				}
			})
			return Result{Count: n}, err
		}
		return single("dump", run, c.Close), nil
	}
}

func rawRouteGet(env *Env) (*Instance, error) {
	c, err := rawDial(env.NS, 0)
	if err != nil {
		return nil, err
	}
	var req []byte
	return getPhase(getTargets(env.Sizes), c.Close, func(dst netip.Addr) (bool, error) {
		req = c.header(req[:0], unix.RTM_GETROUTE, 0)
		rt := unix.RtMsg{Family: unix.AF_INET, Dst_len: 32}
		req = append(req, (*[unix.SizeofRtMsg]byte)(unsafe.Pointer(&rt))[:]...)
		a := dst.As4()
		req = putLen(attr(req, unix.RTA_DST, a[:]), 0)
		if err := c.send(req); err != nil {
			return false, err
		}
		m, _, err := unix.Recvfrom(c.fd, c.buf, 0)
		return err == nil && m >= unix.NLMSG_HDRLEN && native.Uint16(c.buf[4:]) == unix.RTM_NEWROUTE, err
	}), nil
}

// getTargets returns the addresses the route-get workload looks up: one
// host in each of evenly spread main-table routes.
func getTargets(s Sizes) []netip.Addr {
	out := make([]netip.Addr, s.Gets)
	step := max(s.Routes/max(s.Gets, 1), 1)
	for i := range out {
		p := RouteDst((i * step) % s.Routes).Addr().As4()
		p[3] = 7
		out[i] = netip.AddrFrom4(p)
	}
	return out
}

// tableCounter verifies the add/delete workloads: it counts AddTable's
// routes on its own socket.
func tableCounter(env *Env, table uint8) (func() (Result, error), func() error, error) {
	c, err := rawDial(env.NS, 0)
	if err != nil {
		return nil, nil, err
	}
	return func() (Result, error) {
		n, err := c.countRoutes(table)
		return Result{Count: n}, err
	}, c.Close, nil
}

// addPhases returns the route-add workload's phases around add and del,
// verified by counting the table: after adding it must hold every route,
// after deleting none, and the deletion phase reports how many routes it
// removed.
func addPhases(env *Env, add, del func() error, closeFn func() error) (*Instance, error) {
	count, closeCounter, err := tableCounter(env, AddTable)
	if err != nil {
		closeFn()
		return nil, err
	}
	want := env.Sizes.Adds
	return &Instance{
		Phases: []Phase{
			{Name: "add", Run: func() (Result, error) { return Result{Count: want}, add() }, Verify: func() (Result, error) {
				r, err := count()
				if err == nil && r.Count != want {
					err = countMismatch("routes in the table after adding", r.Count, want)
				}
				return r, err
			}},
			{Name: "del", Run: func() (Result, error) { return Result{Count: want}, del() }, Verify: func() (Result, error) {
				r, err := count()
				if err == nil && r.Count != 0 {
					err = countMismatch("routes left in the table after deleting", r.Count, 0)
				}
				return Result{Count: want - r.Count}, err
			}},
		},
		Close: func() error { closeCounter(); return closeFn() },
	}, nil
}

func rawRouteAdd(env *Env) (*Instance, error) {
	c, err := rawDial(env.NS, 0)
	if err != nil {
		return nil, err
	}
	oif, err := c.linkIndex(Device)
	if err != nil {
		c.Close()
		return nil, err
	}
	var reqs []byte
	change := func(typ uint16) error {
		reqs = reqs[:0]
		for i := 0; i < env.Sizes.Adds; i++ {
			reqs = c.appendRoute(reqs, typ, AddDst(i), Gateway, oif, AddTable)
		}
		failed, err := c.pipeline(reqs)
		if err == nil && failed != 0 {
			err = fmt.Errorf("raw: %d requests failed", failed)
		}
		return err
	}
	return addPhases(env,
		func() error { return change(unix.RTM_NEWROUTE) },
		func() error { return change(unix.RTM_DELROUTE) },
		c.Close)
}

// vethPhases returns the veth workload's phases, verified by counting
// links: after creating there must be 2*Veths more, after deleting none.
func vethPhases(env *Env, add, del func() error, closeFn func() error) (*Instance, error) {
	c, err := rawDial(env.NS, 0)
	if err != nil {
		closeFn()
		return nil, err
	}
	base, err := c.countLinks()
	if err != nil {
		c.Close()
		closeFn()
		return nil, err
	}
	want := env.Sizes.Veths
	return &Instance{
		Phases: []Phase{
			{Name: "add", Run: func() (Result, error) { return Result{Count: want}, add() }, Verify: func() (Result, error) {
				n, err := c.countLinks()
				if err == nil && n-base != 2*want {
					err = countMismatch("links created", n-base, 2*want)
				}
				return Result{Count: (n - base) / 2}, err
			}},
			{Name: "del", Run: func() (Result, error) { return Result{Count: want}, del() }, Verify: func() (Result, error) {
				n, err := c.countLinks()
				if err == nil && n != base {
					err = countMismatch("links left after deleting", n-base, 0)
				}
				return Result{Count: want - (n-base)/2}, err
			}},
		},
		Close: func() error { c.Close(); return closeFn() },
	}, nil
}

func rawVeth(env *Env) (*Instance, error) {
	c, err := rawDial(env.NS, 0)
	if err != nil {
		return nil, err
	}
	var reqs []byte
	add := func() error {
		reqs = reqs[:0]
		for i := 0; i < env.Sizes.Veths; i++ {
			name, peer := VethName(i)
			off := len(reqs)
			reqs = c.header(reqs, unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_EXCL)
			reqs = append(reqs, make([]byte, unix.SizeofIfInfomsg)...)
			reqs = attrStr(reqs, unix.IFLA_IFNAME, name)
			var info, data, peerInfo int
			reqs, info = nest(reqs, unix.IFLA_LINKINFO)
			reqs = attrStr(reqs, unix.IFLA_INFO_KIND, "veth")
			reqs, data = nest(reqs, unix.IFLA_INFO_DATA)
			reqs, peerInfo = nest(reqs, 1) // VETH_INFO_PEER: ifinfomsg, then attributes
			reqs = append(reqs, make([]byte, unix.SizeofIfInfomsg)...)
			reqs = attrStr(reqs, unix.IFLA_IFNAME, peer)
			reqs = endNest(endNest(endNest(reqs, peerInfo), data), info)
			reqs = putLen(reqs, off)
		}
		return c.pipelineAll(reqs)
	}
	del := func() error {
		reqs = reqs[:0]
		for i := 0; i < env.Sizes.Veths; i++ {
			name, _ := VethName(i)
			off := len(reqs)
			reqs = c.header(reqs, unix.RTM_DELLINK, 0)
			reqs = append(reqs, make([]byte, unix.SizeofIfInfomsg)...)
			reqs = putLen(attrStr(reqs, unix.IFLA_IFNAME, name), off)
		}
		return c.pipelineAll(reqs)
	}
	return vethPhases(env, add, del, c.Close)
}

func (c *rawConn) pipelineAll(reqs []byte) error {
	failed, err := c.pipeline(reqs)
	if err == nil && failed != 0 {
		err = fmt.Errorf("raw: %d requests failed", failed)
	}
	return err
}

// CountTable counts the IPv4 routes of a table in the namespace.
func CountTable(ns string, table uint8) (int, error) {
	c, err := rawDial(ns, 0)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.countRoutes(table)
}

// CountLinks counts the links of the namespace.
func CountLinks(ns string) (int, error) {
	c, err := rawDial(ns, 0)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.countLinks()
}

// GetTargets returns the addresses the route-get workload looks up.
func GetTargets(s Sizes) []netip.Addr { return getTargets(s) }
