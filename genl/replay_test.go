package genl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// replayHandle returns a handle over the conversation recorded in
// testdata/conv/NAME.nlconv: replayed without root, recorded anew in a
// throwaway namespace with NLTEST_RECORD=1.
func replayHandle(t *testing.T, name string) *genl.Handle {
	t.Helper()
	return genltest.Replay(t, name+".nlconv", nil)
}

// TestReplayFamilies decodes a recorded family lookup, an absent family,
// a rejected request and the family dump, without root. It was recorded
// on a kernel with ethtool (Linux 6.18).
func TestReplayFamilies(t *testing.T) {
	ctx := context.Background()
	h := replayHandle(t, "families")

	eth, err := h.Family(ctx, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	if eth.ID < unix.GENL_MIN_ID || eth.Version != 1 || len(eth.Ops) < 40 {
		t.Errorf("ethtool: %+v", eth)
	}
	if g, ok := eth.Group("monitor"); !ok || g == 0 {
		t.Errorf("ethtool's monitor group: %d, %v", g, ok)
	}
	if again, err := h.Family(ctx, "ethtool"); err != nil || again != eth {
		t.Errorf("second lookup: %p, %v; want the cached %p (and no request)", again, err, eth)
	}

	_, err = h.Family(ctx, "nosuchfamily")
	if !errors.Is(err, genl.ErrFamilyNotFound) || !errors.Is(err, unix.ENOENT) {
		t.Errorf("nosuchfamily: %v", err)
	}

	err = h.Query(ctx, genl.Ctrl, genl.Request{
		Command: unix.CTRL_CMD_GETFAMILY,
		Attrs:   func(e *nla.Encoder) { e.Uint8(unix.CTRL_ATTR_FAMILY_ID, 1) },
	}, func(genl.Message) error { return nil })
	var we *wire.Error
	if !errors.As(err, &we) || len(we.Attr) != 1 || we.Attr[0] != unix.CTRL_ATTR_FAMILY_ID || we.Message == "" {
		t.Errorf("short family id: %v; want an extended ACK locating CTRL_ATTR_FAMILY_ID", err)
	}

	seen := map[string]uint16{}
	for m, err := range h.Dump(ctx, genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Command != unix.CTRL_CMD_NEWFAMILY || m.Header.Type != unix.GENL_ID_CTRL {
			t.Errorf("dump message: command %d, type %#x", m.Command, m.Header.Type)
		}
		f, err := genl.ParseFamily(m)
		if err != nil {
			t.Fatal(err)
		}
		seen[f.Name] = f.ID
	}
	if seen["nlctrl"] != unix.GENL_ID_CTRL || seen["ethtool"] != eth.ID {
		t.Errorf("dump: %v; want nlctrl and ethtool (%#x)", seen, eth.ID)
	}
}
