package main

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestLinkShowStreamOrder checks the streamed link listing (link show
// without -d and -s) where the names a line prints come later in the
// dump than the line, or never: a port whose bridge was made after it, a
// veth whose peer comes next, a vxlan over an earlier link, a veth whose
// peer lives in another namespace, and listings the kernel filters (by
// master, by kind), whose lines name links the dump leaves out. Each
// listing must equal ip's, in the kernel's order. (That a held line waits
// for its names instead of asking the kernel for each is checked by the
// replays, TestReplayShow: a request the recording lacks fails them.)
func TestLinkShowStreamOrder(t *testing.T) {
	ns := nstest.New(t)
	other := nstest.New(t)
	ipCommands(t, ns,
		"link set lo up",
		"link add p0 type veth peer name p1",
		"link add q0 type veth peer name q1",
		"link add br0 type bridge",
		"link set p0 master br0",
		"link set q1 master br0",
		"link set br0 up",
		"link set p0 up",
		"link add vx0 type vxlan id 42 dev p1 dstport 4789",
		"link add x0 type veth peer name x1 netns "+other.Name,
	)
	sameBytesAsIP(t, ns, nil,
		"link show",
		"-j link show",
		"-br link show",
		"-o link show",
		"link show master br0",
		"-j link show master br0",
		"link show type veth",
		"link show up",
		"-j link show up",
	)
}
