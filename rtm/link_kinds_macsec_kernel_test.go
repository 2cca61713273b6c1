package rtm_test

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// TestMACsecAgainstKernel creates a MACsec link on a veth and reads its
// settings back through LinkMACsec and ip. Kernels without MACsec skip it
// (the golden tests check its requests against iproute2's).
func TestMACsecAgainstKernel(t *testing.T) {
	nstest.Require(t, "link:macsec")
	h, ns := handle(t)
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "p0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "p1"}}}); err != nil {
		t.Fatal(err)
	}
	spec := &rtm.MACsec{Port: 11, Encrypt: rtm.Some(true), Cipher: rtm.MACsecGCMAES256, ICVLen: 16,
		ReplayProtect: rtm.Some(true), Window: rtm.Some[uint32](32), Validation: rtm.Some(rtm.MACsecValidateCheck),
		EncodingSA: rtm.Some[uint8](2)}
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "ms0", Parent: index(t, h, "p0"), Kind: spec}); err != nil {
		t.Fatal(err)
	}
	l, err := h.LinkByName(ctx, "ms0")
	if err != nil {
		t.Fatal(err)
	}
	got, err := rtm.LinkMACsec(l.KindData())
	if err != nil {
		t.Fatal(err)
	}
	if got.Cipher != spec.Cipher || got.ICVLen != 16 || !got.Encrypt.Or(false) || got.Window.Or(0) != 32 ||
		!got.ReplayProtect.Or(false) || got.Validation.Or(0) != rtm.MACsecValidateCheck || got.EncodingSA.Or(0) != 2 {
		t.Errorf("kernel reports %+v\nafter %+v", got, *spec)
	}
	// The kernel reports the SCI made of the parent's address and the port.
	if sci, ok := got.SCI.Get(); !ok || uint16(sci) != 11 {
		t.Errorf("SCI %#x, want port 11 in its low bytes", sci)
	}
	expect(t, ipLink(t, ns, "ms0"), map[string]any{"linkinfo.info_kind": "macsec"})
}
