package nlctrl_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/nltest"
)

// Listing the kernel's families and asking whether the kernel accepts an
// attribute, here over a conversation recorded on Linux 6.18 (drop
// WithTransport to ask the running kernel).
func Example() {
	ctx := context.Background()
	h, err := genl.Dial(genl.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "policy.nlconv"))))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	for f, err := range nlctrl.Families(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if f.Name == "nlctrl" || f.Name == "ethtool" {
			fmt.Printf("%s id %#x, %d operations, groups %v\n", f.Name, f.ID, len(f.Ops), f.Groups)
		}
	}
	p, err := nlctrl.Policy(ctx, h, "nlctrl")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("GETFAMILY accepts FAMILY_NAME:", p.Accepts(nlctrl.CtrlCmdGetfamily, nlctrl.CtrlAttrFamilyName))
	fmt.Println("GETFAMILY accepts attribute 42:", p.Accepts(nlctrl.CtrlCmdGetfamily, 42))
	// Output:
	// nlctrl id 0x10, 2 operations, groups [{notify 16}]
	// ethtool id 0x15, 50 operations, groups [{monitor 6}]
	// GETFAMILY accepts FAMILY_NAME: true
	// GETFAMILY accepts attribute 42: false
}
