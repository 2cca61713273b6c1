package main

// The [NETCONF] notifications of "ip monitor": iproute2's print_netconf,
// through rtm's Netconf view (netconf.go prints it).

import (
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// printNetconfMsg prints an RTM_NEWNETCONF or RTM_DELNETCONF payload
// unless ifindex (not 0) or family (not 0) filters it out; it reports
// whether it did.
func printNetconfMsg(p *printer, typ uint16, data []byte, names *linkNames, family uint8, ifindex int32) bool {
	c, err := rtm.NetconfFromBytes(data)
	if err != nil || family != 0 && family != c.Family() {
		return false
	}
	if ifindex != 0 && ifindex != c.Index() {
		return false
	}
	printNetconf(p, c, typ == unix.RTM_DELNETCONF, names.name)
	return true
}
