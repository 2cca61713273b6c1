package nlctrl_test

import (
	"context"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/internal/genltest"
	"golang.org/x/sys/unix"
)

// TestReplayPolicy decodes a recorded family list and policy dump of
// nlctrl and ethtool (Linux 6.18), without root; NLTEST_RECORD=1 records
// it anew.
func TestReplayPolicy(t *testing.T) {
	ctx := context.Background()
	h := genltest.Replay(t, "policy.nlconv", nil)

	n := 0
	var ctrl genl.Family
	for f, err := range nlctrl.Families(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "nlctrl" {
			ctrl = f
		}
		n++
	}
	if n < 5 || ctrl.ID != unix.GENL_ID_CTRL || len(ctrl.Ops) != 2 || ctrl.Ops[0].Flags != 0xe {
		t.Errorf("%d families; nlctrl %+v", n, ctrl)
	}
	if g, ok := ctrl.Group("notify"); !ok || g != unix.GENL_ID_CTRL {
		t.Errorf("nlctrl's notify group: %d, %v", g, ok)
	}

	p, err := nlctrl.Policy(ctx, h, "nlctrl")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Accepts(nlctrl.CtrlCmdGetpolicy, nlctrl.CtrlAttrOp) || p.Accepts(nlctrl.CtrlCmdGetpolicy, 99) {
		t.Errorf("nlctrl's GETPOLICY policy: %+v", p)
	}
	// The ethtool header nest: a nested policy with its own index.
	const ethtoolMsgLinkinfoGet, ethtoolAHeader = 3, 1
	e, err := nlctrl.Policy(ctx, h, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	op, ok := e.Ops[ethtoolMsgLinkinfoGet]
	if !ok || op.Do < 0 {
		t.Fatalf("ethtool LINKINFO_GET: %+v, %v", op, ok)
	}
	hdr := e.Policies[uint32(op.Do)][ethtoolAHeader]
	if hdr.Type != nlctrl.NlctrlAttrTypeNested || hdr.NestedMaxType == 0 || len(e.Policies[hdr.Nested]) == 0 {
		t.Errorf("ethtool LINKINFO_GET header policy: %+v", hdr)
	}
}
