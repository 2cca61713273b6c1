package nla_test

import (
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

func Example() {
	// Encode a link name, an MTU and a nested IFLA_LINKINFO.
	var e nla.Encoder
	e.String(unix.IFLA_IFNAME, "br0")
	e.Uint32(unix.IFLA_MTU, 9000)
	info := e.BeginNest(unix.IFLA_LINKINFO)
	e.String(unix.IFLA_INFO_KIND, "bridge")
	e.EndNest(info)
	e.Addr(unix.IFLA_BROADCAST, netip.MustParseAddr("192.0.2.255"))
	if err := e.Err(); err != nil {
		panic(err)
	}

	// Decode it again, looking types up through an index.
	var x nla.Index
	x.Reset(nla.Chain(e.Bytes()))
	name, _ := x.Get(unix.IFLA_IFNAME)
	mtu, _ := x.Get(unix.IFLA_MTU)
	kind, _ := x.Chain().Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_KIND)
	s, _ := name.Text()
	m, _ := mtu.Uint32()
	k, _ := kind.Text()
	fmt.Println(s, m, k, x.Len())
	// Output: br0 9000 bridge 4
}
