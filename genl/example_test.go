package genl_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// fakeController answers CTRL_CMD_GETFAMILY as the kernel's nlctrl would
// on a machine with ethtool and without WireGuard.
func fakeController(req wire.Message) ([][]byte, error) {
	m, err := genl.Decode(req, 0)
	if err != nil {
		return nil, unix.EINVAL
	}
	a, _ := m.Attrs.Get(unix.CTRL_ATTR_FAMILY_NAME)
	if name, _ := a.Text(); name != "ethtool" {
		return nil, unix.ENOENT
	}
	e := familyReply("ethtool", 21)
	groups := e.BeginNest(unix.CTRL_ATTR_MCAST_GROUPS)
	g := e.BeginNest(1)
	e.String(unix.CTRL_ATTR_MCAST_GRP_NAME, "monitor")
	e.Uint32(unix.CTRL_ATTR_MCAST_GRP_ID, 6)
	e.EndNest(g)
	e.EndNest(groups)
	return [][]byte{nltest.Message(unix.GENL_ID_CTRL, e.Bytes())}, nil
}

// familyReply begins nlctrl's description (CTRL_CMD_NEWFAMILY) of the
// family name, version 1, under id; the caller adds what else it has.
func familyReply(name string, id uint16) *nla.Encoder {
	e := new(nla.Encoder)
	e.Reserve(unix.GENL_HDRLEN)[0] = unix.CTRL_CMD_NEWFAMILY
	e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
	e.Uint16(unix.CTRL_ATTR_FAMILY_ID, id)
	e.Uint32(unix.CTRL_ATTR_VERSION, 1)
	return e
}

// Resolving families by name, against a fake kernel (drop WithTransport
// to ask the real one). A family whose module is not loaded is
// ErrFamilyNotFound.
func Example() {
	ctx := context.Background()
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, fakeController)
	h, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	eth, err := h.Family(ctx, "ethtool")
	if err != nil {
		fmt.Println(err)
		return
	}
	monitor, _ := eth.Group("monitor")
	fmt.Printf("%s: id %d, version %d, monitor group %d\n", eth.Name, eth.ID, eth.Version, monitor)
	h.Family(ctx, "ethtool") // cached: nlctrl is asked once
	fmt.Println("lookups sent:", fake.Requests(unix.GENL_ID_CTRL))

	_, err = h.Family(ctx, "wireguard")
	fmt.Println(errors.Is(err, genl.ErrFamilyNotFound), errors.Is(err, unix.ENOENT))
	fmt.Println(err)
	// Output:
	// ethtool: id 21, version 1, monitor group 6
	// lookups sent: 1
	// true true
	// genl: family "wireguard" not found (is its kernel module loaded?)
}
