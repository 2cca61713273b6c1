package socket_test

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

func Example() {
	c, err := socket.Dial(unix.NETLINK_ROUTE, &socket.Config{ExtAck: true, StrictCheck: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	// Ask for the loopback device by name.
	var b wire.Builder
	b.Begin(unix.RTM_GETLINK, 0)
	b.Fixed(unix.SizeofIfInfomsg)
	b.String(unix.IFLA_IFNAME, "lo")
	b.End()
	err = c.Execute(context.Background(), b.Bytes(), func(m wire.Message) error {
		index := int32(binary.NativeEndian.Uint32(m.Data[4:8])) // ifinfomsg.ifi_index
		mtu, _ := nla.Chain(m.Data[unix.SizeofIfInfomsg:]).Get(unix.IFLA_MTU)
		v, err := mtu.Uint32()
		fmt.Println("lo has index", index, "and an MTU:", err == nil && v > 0)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output: lo has index 1 and an MTU: true
}
