package mptcp_test

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/nltest"
)

// Adding MPTCP endpoints and listing them, here over a conversation
// recorded on Linux 6.18 (drop WithTransport to ask the running kernel).
func Example() {
	ctx := context.Background()
	h, err := genl.Dial(genl.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "endpoints.nlconv"))))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	var reqs []genl.Request
	for _, s := range []mptcp.EndpointSpec{
		{Addr: netip.MustParseAddr("10.0.0.1"), ID: 3, Flags: mptcp.FlagSignal, IfIndex: 1},
		{Addr: netip.MustParseAddr("dead::1"), Flags: mptcp.FlagSubflow | mptcp.FlagBackup | mptcp.FlagFullmesh, IfIndex: 1},
		{Addr: netip.MustParseAddr("10.0.0.5")},
	} {
		r, err := mptcp.EndpointAdd(s) // validated here, before sending
		if err != nil {
			fmt.Println(err)
			return
		}
		reqs = append(reqs, r)
	}
	if err := mptcp.Do(ctx, h, reqs...); err != nil {
		fmt.Println(err)
		return
	}
	for e, err := range mptcp.Endpoints(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s id %d [%v] ifindex %d\n", e.Addr(), e.ID(), e.Flags(), e.IfIndex())
	}
	// Output:
	// 10.0.0.1 id 3 [signal] ifindex 1
	// dead::1 id 4 [subflow backup fullmesh] ifindex 1
	// 10.0.0.5 id 5 [] ifindex 0
}
