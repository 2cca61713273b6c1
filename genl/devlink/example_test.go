package devlink_test

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/devlink"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

// Listing ports and setting a parameter, against a fake kernel (drop
// WithTransport to ask the real one).
func Example() {
	ctx := context.Background()
	k := &fakeKernel{maxMacs: 1}
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, fakeController)
	fake.Handle(familyID, k.handle)
	h, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	for p, err := range devlink.Ports(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Handle(), p.NetdevName())
	}
	dev, _ := devlink.ParseHandle("pci/0000:01:00.0")
	if err := devlink.SetParam(ctx, h, dev, "max_macs", devlink.DevlinkParamCmodeDriverinit, devlink.U32(32)); err != nil {
		fmt.Println(err)
		return
	}
	p, err := devlink.GetParam(ctx, h, dev, "max_macs")
	if err != nil {
		fmt.Println(err)
		return
	}
	for v := range p.Values() {
		fmt.Println(p.Name(), v.Cmode, v.Value.Uint)
	}
	// Output:
	// pci/0000:01:00.0/0 eth0
	// pci/0000:01:00.0/1 eth1
	// max_macs 1 32
}
