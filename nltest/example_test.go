package nltest_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"path/filepath"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ensureAddr is agent code under test: it makes sure that the link named
// name has the address p, adding it only if it is missing.
func ensureAddr(ctx context.Context, h *rtm.Handle, name string, p netip.Prefix) (added bool, err error) {
	l, err := h.LinkByName(ctx, name)
	if err != nil {
		return false, err
	}
	for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: l.Index()}) {
		if err != nil {
			return false, err
		}
		if a.Prefix() == p {
			return false, nil
		}
	}
	return true, h.AddrAdd(ctx, rtm.AddrSpec{Index: l.Index(), Prefix: p})
}

// A test of agent code against a fake kernel, which needs no root: the
// fake has a link, the code adds the address once, and a second run finds
// it there.
func Example() {
	ctx := context.Background()
	fake := nltest.NewRTNL()
	fake.AddLink(nltest.Link{Index: 2, Name: "eth0", Flags: unix.IFF_UP, MTU: 1500})
	h, err := rtm.Dial(rtm.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	p := netip.MustParsePrefix("192.0.2.10/24")
	for range 2 {
		added, err := ensureAddr(ctx, h, "eth0", p)
		fmt.Println("added:", added, "error:", err)
	}
	for _, a := range fake.Addrs() {
		fmt.Println("the kernel has", nltest.AddrPrefix(a))
	}
	_, err = ensureAddr(ctx, h, "eth1", p)
	fmt.Println("missing link:", errors.Is(err, unix.ENODEV))
	// Output:
	// added: true error: <nil>
	// added: false error: <nil>
	// the kernel has 192.0.2.10/24
	// missing link: true
}

// Running code against a conversation recorded on Linux instead of the
// kernel (here: nexthops made by `ip nexthop add` in a namespace, asked
// for one by id and then dumped). Without WithTransport, the same code
// asks the running kernel; a file that cannot be read fails the Dial.
func ExampleReplayFile() {
	h, err := rtm.Dial(rtm.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "nexthops.nlconv"))))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	n, err := h.NexthopGet(ctx, 1)
	fmt.Println("nexthop 1 via", n.Gateway(), "error:", err)
	for n, err := range h.Nexthops(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		switch {
		case n.IsGroup():
			fmt.Println("id", n.ID(), "group")
		case n.Blackhole():
			fmt.Println("id", n.ID(), "blackhole")
		default:
			fmt.Println("id", n.ID(), "via", n.Gateway())
		}
	}

	_, err = rtm.Dial(rtm.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "missing.nlconv"))))
	fmt.Println("missing file:", errors.Is(err, fs.ErrNotExist))
	// Output:
	// nexthop 1 via 192.0.2.254 error: <nil>
	// id 1 via 192.0.2.254
	// id 2 via 192.0.2.253
	// id 10 group
	// id 20 blackhole
	// missing file: true
}
