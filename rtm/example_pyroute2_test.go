package rtm_test

// pyroute2's documentation of its API classes and message model,
// example by example, in Go. The examples talk to nltest's fake kernel,
// so that they run without root and print the same on every machine;
// pointed at the real kernel (rtm.Dial()) they work unchanged. The
// examples that need a real namespace are tests in link_message_test.go.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// fakeHost returns a handle on a fake kernel with pyroute2's example
// machine: lo and eth0, up, with 127.0.0.1/8 and 192.168.122.28/24.
func fakeHost() (*rtm.Handle, *nltest.Fake) {
	fake := nltest.NewRTNL()
	fake.AddLink(nltest.Link{Index: 2, Name: "eth0", Flags: unix.IFF_UP | unix.IFF_BROADCAST | unix.IFF_MULTICAST,
		MTU: 1500, HardwareAddr: net.HardwareAddr{0x52, 0x54, 0, 0x12, 0x34, 0x56}})
	fake.AddAddr(nltest.Addr{Index: 1, Prefix: netip.MustParsePrefix("127.0.0.1/8"), Scope: unix.RT_SCOPE_HOST})
	fake.AddAddr(nltest.Addr{Index: 2, Prefix: netip.MustParsePrefix("192.168.122.28/24")})
	h, err := rtm.Dial(rtm.WithTransport(fake.Dial))
	if err != nil {
		panic(err)
	}
	return h, fake
}

// pyroute2:
//
//	async with AsyncIPRoute() as ipr:
//	    await ipr.link("add", ifname="test0", kind="dummy")
//	    async for link in await ipr.link("dump"):
//	        print(link.get("ifname"))
//
// Creating is immediate; a dump is lazy: each link is decoded as the
// iteration reaches it, and only the attributes asked for.
func Example_pyroute2AsyncIPRoute() {
	h, _ := fakeHost()
	defer h.Close()
	ctx := context.Background()

	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "test0", Kind: &rtm.Dummy{}}); err != nil {
		fmt.Println(err)
		return
	}
	for link, err := range h.Links(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		v, _ := link.Get("ifname")
		fmt.Println(v)
	}
	// Output:
	// lo
	// eth0
	// test0
}

// pyroute2:
//
//	with IPRoute() as ipr:
//	    for msg in ipr.addr("dump"):
//	        addr = msg.get("address")
//	        mask = msg.get("prefixlen")
//	        print(f"{addr}/{mask}")
//
// "prefixlen" is a field of the fixed header (ifa_prefixlen), "address"
// an attribute (IFA_ADDRESS): Get answers both.
func Example_pyroute2IPRouteAddrDump() {
	h, _ := fakeHost()
	defer h.Close()
	for msg, err := range h.Addrs(context.Background(), nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		addr, _ := msg.Get("address")
		mask, _ := msg.Get("prefixlen")
		fmt.Printf("%v/%v\n", addr, mask)
	}
	// Output:
	// 127.0.0.1/8
	// 192.168.122.28/24
}

// pyroute2:
//
//	eth0 = ipr.link_lookup(ifname="eth0")
//	assert len(eth0) == 1  # 1 if exists else 0
//	nics_up = set(ipr.link_lookup(lambda x: x.get("flags") & 1))
//	assert nics_up == {1, 2}
func Example_pyroute2LinkLookup() {
	h, _ := fakeHost()
	defer h.Close()
	ctx := context.Background()

	eth0, err := h.LinkLookup(ctx, rtm.LinkWhere("ifname", "eth0"))
	fmt.Println(eth0, err)
	missing, _ := h.LinkLookup(ctx, rtm.LinkWhere("ifname", "eth9"))
	fmt.Println(len(missing))

	nicsUp, _ := h.LinkLookup(ctx, func(x rtm.Link) bool {
		flags, _ := x.Get("flags")
		n, _ := flags.Uint()
		return n&1 != 0
	})
	fmt.Println(nicsUp)
	// Output:
	// [2] <nil>
	// 0
	// [1 2]
}

// pyroute2:
//
//	with IPRoute(netns="test") as ipr:
//	    assert ipr.status["netns"] == "test"
//
// A handle in a named namespace (iproute2's /run/netns/NAME) is
// rtm.Dial(rtm.WithNetns("test")); it needs root and the namespace, so
// this example only builds the call. TestPyroute2Netns runs it.
func Example_pyroute2NetNS() {
	h, err := rtm.Dial(rtm.WithNetns("test"))
	if err != nil {
		return // no such namespace, or no privilege
	}
	defer h.Close()
	test, err := netns.Open("test")
	if err != nil {
		return
	}
	defer test.Close()
	id, _ := h.Netns()
	fmt.Println("in netns test:", id == test.ID())
}

// pyroute2: an NLMSG_ERROR with error 0 is a success (an acknowledgement);
// any other error is raised. rtm returns nil for the former and, for the
// latter, an error that wraps the errno and names the operation.
func Example_pyroute2Errors() {
	h, _ := fakeHost()
	defer h.Close()
	ctx := context.Background()

	fmt.Println(h.LinkSet(ctx, rtm.LinkSpec{Name: "eth0", MTU: 9000}))
	err := h.LinkSet(ctx, rtm.LinkSpec{Name: "eth9", MTU: 9000})
	fmt.Println(errors.Is(err, unix.ENODEV), errors.Is(err, rtm.ErrNotFound))
	// Output:
	// <nil>
	// true true
}

// pyroute2's message: the netlink header, the fixed header's fields and
// the attribute chain, each attribute decoded when it is read:
//
//	{'attrs': [('IFLA_IFNAME', 'lo'), ('IFLA_MTU', 65536), ...],
//	 'family': 0, 'flags': 65609, 'index': 1, 'ifi_type': 772, 'change': 0,
//	 'header': {'flags': 2, 'type': 16, 'sequence_number': 257, ...}}
func Example_pyroute2Message() {
	h, _ := fakeHost()
	defer h.Close()
	for lo, err := range h.Links(context.Background(), nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		hdr := lo.Header()
		fmt.Println("header: type", hdr.Type, "(RTM_NEWLINK)", "multi", hdr.Flags&unix.NLM_F_MULTI != 0)
		for name, v := range lo.HeaderFields() {
			fmt.Println(name, v)
		}
		for name, v := range lo.Attrs() {
			fmt.Println("attr", name, v)
		}
		break // lo only
	}
	// Output:
	// header: type 16 (RTM_NEWLINK) multi true
	// family 0
	// ifi_type 0
	// index 1
	// flags 73
	// change 0
	// attr ifname lo
	// attr mtu 65536
	// attr address 00:00:00:00:00:00
	// attr operstate 6
}

// pyroute2:
//
//	lo = tuple(ipr.link("get", index=1))[0]
//	assert lo.get("index") == 1                      # a field
//	assert lo.get("ifname") == "lo"                  # an NLA
//	assert lo.get(("stats64", "rx_bytes")) == 43309665  # a nested NLA
//
// The kernel's full names work too: Get("IFLA_IFNAME").
func Example_pyroute2Get() {
	lo := loopbackWithStats(43309665)
	index, _ := lo.Get("index")
	ifname, _ := lo.Get("ifname")
	full, _ := lo.Get("IFLA_IFNAME")
	rx, _ := lo.Get("stats64", "rx_bytes")
	_, absent := lo.Get("ifalias") // pyroute2's None
	fmt.Println(index, ifname, full, rx, absent)
	// Output:
	// 1 lo lo 43309665 false
}

// loopbackWithStats builds lo's RTM_NEWLINK payload as the kernel sends
// it, with IFLA_STATS64.
func loopbackWithStats(rxBytes uint64) rtm.Link {
	hdr := make([]byte, unix.SizeofIfInfomsg)
	hdr[4] = 1 // ifi_index
	hdr[8] = unix.IFF_UP | unix.IFF_LOOPBACK
	e := nla.NewEncoder(hdr)
	e.String(unix.IFLA_IFNAME, "lo")
	e.Uint32(unix.IFLA_MTU, 65536)
	stats := make([]byte, 8*24) // struct rtnl_link_stats64
	stats[16] = byte(rxBytes)   // rx_bytes, the third counter
	stats[17] = byte(rxBytes >> 8)
	stats[18] = byte(rxBytes >> 16)
	stats[19] = byte(rxBytes >> 24)
	e.Binary(unix.IFLA_STATS64, stats)
	l, err := rtm.LinkFromBytes(e.Bytes())
	if err != nil {
		panic(err)
	}
	return l
}

// pyroute2:
//
//	# for macvlan interfaces there may be several IFLA_MACVLAN_MACADDR
//	# NLA provided, so use get_attrs() to get all the list
//	(msg.get('IFLA_LINKINFO').get('IFLA_INFO_DATA')
//	    .get_attrs('IFLA_MACVLAN_MACADDR'))
//
// GetAll is get_attrs; a path reaches it in one call, and a Value has it
// too.
func Example_pyroute2GetAttrs() {
	msg := macvlanSource("02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03")
	data, _ := msg.Get("IFLA_LINKINFO", "IFLA_INFO_DATA")
	for mac := range data.GetAll("IFLA_MACVLAN_MACADDR_DATA", "IFLA_MACVLAN_MACADDR") {
		fmt.Println(mac)
	}
	n := 0
	for range msg.GetAll("linkinfo", "data", "macvlan_macaddr_data", "macvlan_macaddr") {
		n++
	}
	fmt.Println(n, "addresses")
	// Output:
	// 02:00:00:00:00:01
	// 02:00:00:00:00:02
	// 02:00:00:00:00:03
	// 3 addresses
}

// macvlanSource builds a source-mode macvlan's RTM_NEWLINK payload with
// its address list, as macvlan_fill_info writes it.
func macvlanSource(macs ...string) rtm.Link {
	e := nla.NewEncoder(make([]byte, unix.SizeofIfInfomsg))
	e.String(unix.IFLA_IFNAME, "mv0")
	info := e.BeginNest(unix.IFLA_LINKINFO)
	e.String(unix.IFLA_INFO_KIND, "macvlan")
	data := e.BeginNest(unix.IFLA_INFO_DATA)
	e.Uint32(unix.IFLA_MACVLAN_MODE, 16 /* MACVLAN_MODE_SOURCE */)
	e.Uint32(unix.IFLA_MACVLAN_MACADDR_COUNT, uint32(len(macs)))
	list := e.BeginNest(unix.IFLA_MACVLAN_MACADDR_DATA)
	for _, m := range macs {
		hw, _ := net.ParseMAC(m)
		e.Binary(unix.IFLA_MACVLAN_MACADDR, hw)
	}
	e.EndNest(list)
	e.EndNest(data)
	e.EndNest(info)
	l, err := rtm.LinkFromBytes(e.Bytes())
	if err != nil {
		panic(err)
	}
	return l
}
