package main

// The [NETCONF] notifications of "ip monitor": iproute2's print_netconf,
// over the raw message (rtm has no netconf view on this branch).

import (
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// The attributes of linux/netconf.h, which x/sys/unix lacks.
const (
	netconfaIfindex                  = 1
	netconfaForwarding               = 2
	netconfaRPFilter                 = 3
	netconfaMCForwarding             = 4
	netconfaProxyNeigh               = 5
	netconfaIgnoreRoutesWithLinkdown = 6
	netconfaInput                    = 7
	netconfaIfindexAll               = -1
	netconfaIfindexDefault           = -2
)

// rpFilterNames are iproute2's rp_filter_names.
var rpFilterNames = [...]string{"off", "strict", "loose"}

// printNetconfMsg prints an RTM_NEWNETCONF or RTM_DELNETCONF payload
// (struct netconfmsg, padded to 4 bytes, then attributes) unless ifindex
// (not 0) or family (not 0) filters it out; it reports whether it did.
func printNetconfMsg(p *printer, typ uint16, data []byte, names *linkNames, family uint8, ifindex int32) bool {
	if len(data) < 4 {
		return false
	}
	fam := data[0]
	if family != 0 && family != fam {
		return false
	}
	var tb nla.Index
	tb.Reset(nla.Chain(data[4:]))
	var index int32
	ia, haveIndex := tb.Get(netconfaIfindex)
	if haveIndex {
		index = int32(attrU32(ia))
	}
	if ifindex != 0 && ifindex != index {
		return false
	}
	p.openObject("")
	if typ == unix.RTM_DELNETCONF {
		p.boolean("deleted", "Deleted ", true)
	}
	p.str("family", "%s ", familyName(fam))
	if haveIndex {
		dev := ""
		switch index {
		case netconfaIfindexAll:
			dev = "all"
		case netconfaIfindexDefault:
			dev = "default"
		default:
			dev = names.name(index)
		}
		p.str("interface", "%s ", dev)
	}
	onOff := func(t uint16, key string) {
		if a, ok := tb.Get(t); ok {
			p.onOff(key, key+" %s ", attrU32(a) != 0)
		}
	}
	onOff(netconfaForwarding, "forwarding")
	if a, ok := tb.Get(netconfaRPFilter); ok {
		if v := attrU32(a); int(v) < len(rpFilterNames) {
			p.str("rp_filter", "rp_filter %s ", rpFilterNames[v])
		} else {
			p.uint("rp_filter", "rp_filter %d ", uint64(v))
		}
	}
	onOff(netconfaMCForwarding, "mc_forwarding")
	onOff(netconfaProxyNeigh, "proxy_neigh")
	onOff(netconfaIgnoreRoutesWithLinkdown, "ignore_routes_with_linkdown")
	onOff(netconfaInput, "input")
	p.closeObject()
	p.endl()
	return true
}
