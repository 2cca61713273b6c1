package main

// "ip route get".

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// routeGet is "route get".
func routeGet(e *env, a *args) error {
	var (
		q         rtm.RouteQuery
		family    = e.Family
		iif, oif  string
		haveDst   bool
		connected bool
	)
	for a.more() {
		w := a.advance()
		switch {
		case w == "tos" || matches(w, "dsfield"):
			return usagef("\"tos\" is not supported by route get")
		case matches(w, "from"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			p, _, err := parsePrefix("from", s, family)
			if err != nil {
				return err
			}
			q.Src, family = p.Addr(), addrFamily(p.Addr())
		case matches(w, "iif"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			iif = s
		case matches(w, "mark"):
			v, err := a.uint32Value(w)
			if err != nil {
				return err
			}
			q.Mark = v
		case matches(w, "oif") || w == "dev":
			s, err := a.value(w)
			if err != nil {
				return err
			}
			oif = s
		case matches(w, "uid"):
			v, err := a.uint32Value(w)
			if err != nil {
				return err
			}
			q.UID, q.UIDSet = v, true
		case matches(w, "fibmatch"):
			q.FIBMatch = true
		case matches(w, "connected"):
			connected = true
		case matches(w, "sport"), matches(w, "dport"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			v, err := strconv.ParseUint(s, 0, 16)
			if err != nil {
				return usagef("invalid %s %q", w, s)
			}
			if matches(w, "sport") {
				q.SrcPort = uint16(v)
			} else {
				q.DstPort = uint16(v)
			}
		case matches(w, "ipproto"):
			s, err := a.value(w)
			if err != nil {
				return err
			}
			v, ok := ipProtoID(s)
			if !ok {
				return usagef("invalid ipproto %q", s)
			}
			q.IPProto = v
		default:
			if w == "to" {
				s, err := a.value(w)
				if err != nil {
					return err
				}
				w = s
			}
			if haveDst {
				return usagef("unknown argument %q", w)
			}
			p, _, err := parsePrefix("destination", w, family)
			if err != nil {
				return err
			}
			if p.Bits() != p.Addr().BitLen() {
				fmt.Fprintf(e.Stderr, "Warning: /%d as prefix is invalid, only /%d (or none) is supported.\n",
					p.Bits(), p.Addr().BitLen())
			}
			q.Dst, family, haveDst = p.Addr(), addrFamily(p.Addr()), true
		}
	}
	if !haveDst {
		return usagef("need at least a destination address")
	}
	if connected {
		return usagef("\"connected\" is not supported")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	ctx := e.ctx
	for _, d := range []struct {
		name  string
		index *int32
	}{{iif, &q.InIndex}, {oif, &q.OutIndex}} {
		if d.name == "" {
			continue
		}
		l, err := linkByName(ctx, h, d.name)
		if err != nil {
			return err
		}
		*d.index = l.Index()
	}
	r, err := h.RouteGet(ctx, q)
	if err != nil {
		return err
	}
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	p.openArray("")
	printRoute(p, r, &routeFilter{get: true, stats: e.Stats.level > 0}, names, &nexthopCache{ctx: ctx, h: h}, e.Details)
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	err = e.output(p)
	return err
}

// ipProtoID is iproute2's inet_proto_a2n for the common protocols, or a
// number.
func ipProtoID(s string) (uint8, bool) {
	switch s {
	case "tcp":
		return unix.IPPROTO_TCP, true
	case "udp":
		return unix.IPPROTO_UDP, true
	case "icmp":
		return unix.IPPROTO_ICMP, true
	case "ipv6-icmp", "icmpv6":
		return unix.IPPROTO_ICMPV6, true
	case "sctp":
		return unix.IPPROTO_SCTP, true
	case "udplite":
		return unix.IPPROTO_UDPLITE, true
	case "dccp":
		return unix.IPPROTO_DCCP, true
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return uint8(v), err == nil
}
