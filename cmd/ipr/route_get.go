package main

// "ip route get".

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
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
		var err error
		switch {
		case w == "tos" || matches(w, "dsfield"):
			return usagef("\"tos\" is not supported by route get")
		case matches(w, "from"):
			p, err := a.prefixValue("from", family)
			if err != nil {
				return err
			}
			q.Src, family = p.Addr(), addrFamily(p.Addr())
		case matches(w, "iif"):
			iif, err = a.value(w)
		case matches(w, "mark"):
			q.Mark, err = a.uint32Value(w)
		case matches(w, "oif") || w == "dev":
			oif, err = a.value(w)
		case matches(w, "uid"):
			q.UID, err = a.uint32Value(w)
			q.UIDSet = true
		case matches(w, "fibmatch"):
			q.FIBMatch = true
		case matches(w, "connected"):
			connected = true
		case matches(w, "sport"):
			q.SrcPort, err = a.portValue(w)
		case matches(w, "dport"):
			q.DstPort, err = a.portValue(w)
		case matches(w, "ipproto"):
			q.IPProto, err = a.ipProtoValue(w)
		default:
			if w, err = a.toValue(w); err != nil {
				return err
			}
			// A later destination replaces an earlier one: ip sends
			// both, and the kernel reads the last.
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
		if err != nil {
			return err
		}
	}
	if !haveDst {
		return usagef("need at least a destination address")
	}
	if connected {
		return usagef("\"connected\" is not supported")
	}
	h, err := e.handleFor(devRef{iif, &q.InIndex}, devRef{oif, &q.OutIndex})
	if err != nil {
		return err
	}
	ctx := e.ctx
	r, err := h.RouteGet(ctx, q)
	if err != nil {
		return err
	}
	names := &linkNames{ctx: ctx, h: h, byIndex: map[int32]linkRef{}}
	p := &printer{json: e.JSON, oneline: e.Oneline, palette: e.palette}
	p.openArray("")
	printRoute(p, r, &routeFilter{get: true, stats: e.Stats.level > 0}, names, &nexthopCache{ctx: ctx, h: h}, e.Details)
	return e.endList(p)
}

// ipProtoID is iproute2's inet_proto_a2n for the common protocols, or a
// number.
func ipProtoID(s string) (uint8, bool) {
	if s == "icmpv6" { // getprotobyname's alias
		s = "ipv6-icmp"
	}
	if id, ok := lookupName(ipProtos, s); ok {
		return id, true
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return uint8(v), err == nil
}
