package nltest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

// TestGenlController resolves a scripted family through genl and checks
// that an unscripted one is absent.
func TestGenlController(t *testing.T) {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{"wireguard": 0x1d}))
	h, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	f, err := h.Family(context.Background(), "wireguard")
	if err != nil || f.ID != 0x1d || f.Version != 1 || f.Name != "wireguard" {
		t.Fatalf("Family(wireguard) = %+v, %v", f, err)
	}
	if _, err := h.Family(context.Background(), "devlink"); !errors.Is(err, genl.ErrFamilyNotFound) {
		t.Errorf("Family(devlink): %v; want ErrFamilyNotFound", err)
	}
}
