package rtm_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// The requests of the other RTNL objects are validated before anything
// is sent: here the kernel is nltest's fake, which never sees them.
func ExampleMDBAdd() {
	ctx := context.Background()
	fake := nltest.NewRTNL()
	h, err := rtm.Dial(rtm.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	fmt.Println(h.Do(ctx, rtm.MDBAdd(rtm.MDBSpec{BridgeIndex: 2, PortIndex: 3, Group: netip.MustParseAddr("192.0.2.1")})))
	fmt.Println(h.Do(ctx, rtm.BridgeVLANAdd(rtm.BridgeVLANSpec{Index: 3, VID: 10, VIDEnd: 20, PVID: true})))
	fmt.Println(h.Do(ctx, rtm.AddrLabelAdd(rtm.AddrLabelSpec{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Label: 7})))
	fmt.Println(h.Do(ctx, rtm.NetnsIDSet(rtm.NetnsIDSpec{ID: 5})))
	// Output:
	// rtm: mdb add grp 192.0.2.1: group 192.0.2.1 is not a multicast address
	// rtm: bridge vlan add 10-20 index 3: a VLAN range cannot be the PVID
	// rtm: address label add prefix 10.0.0.0/8: prefix 10.0.0.0/8 is not IPv6: only IPv6 has address labels
	// rtm: nsid set 5 for pid 0: the namespace needs exactly one of a file descriptor and a pid
}

// A bridge's multicast database, entry by entry, as "bridge mdb show"
// lists it.
func ExampleHandle_MDB() {
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	for m, err := range h.MDB(context.Background(), 0) {
		if err != nil {
			fmt.Println(err)
			return
		}
		for e := range m.Entries() {
			fmt.Println(m.Index(), e.PortIndex, e.Group, e.Source(), e.State == rtm.MDBPermanent)
		}
	}
}

// The statistics of one interface, with its bridge port counters, in one
// RTM_GETSTATS request.
func ExampleHandle_LinkStatsGet() {
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	s, err := h.LinkStatsGet(context.Background(), 1, &rtm.StatsFilter{Mask: rtm.StatsLink64 | rtm.StatsXstatsSlave})
	if err != nil {
		fmt.Println(err)
		return
	}
	if l, ok := s.Link64(); ok {
		fmt.Println("rx", l.RxPackets, "tx", l.TxPackets)
	}
	if stp, ok := s.BridgeSTP(true); ok {
		fmt.Println("BPDUs in", stp.RxBPDU)
	}
}

// Netconf changes arrive as events of the netconf groups.
func ExampleEvent_Netconf() {
	h, err := rtm.Dial()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	m, err := h.Monitor([]rtm.Group{rtm.GroupIPv4Netconf, rtm.GroupIPv6Netconf, rtm.GroupNSID, rtm.GroupMDB})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	for ev, err := range m.Events(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if c, ok := ev.Netconf(); ok && c.Family() == unix.AF_INET {
			f, _ := c.Forwarding()
			fmt.Println("index", c.Index(), "forwarding", f)
		}
	}
}
