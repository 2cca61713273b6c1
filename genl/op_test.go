package genl_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestOpNotSupported checks that a request for an operation the family
// lacks in the running kernel (as nlctrl described it), or a dump of an
// operation without one, is refused before anything is sent, with an
// error that names it and matches ErrOpNotSupported and EOPNOTSUPP.
func TestOpNotSupported(t *testing.T) {
	ctx := context.Background()
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, func(req wire.Message) ([][]byte, error) {
		e := familyReply("netdev", 0x20)
		ops := e.BeginNest(unix.CTRL_ATTR_OPS)
		for i, op := range []struct{ id, flags uint32 }{
			{1, unix.GENL_CMD_CAP_DO | unix.GENL_CMD_CAP_DUMP},
			{2, unix.GENL_CMD_CAP_DO},
			{3, unix.GENL_ADMIN_PERM}, // neither: not checked
		} {
			n := e.BeginNest(uint16(i + 1))
			e.Uint32(unix.CTRL_ATTR_OP_ID, op.id)
			e.Uint32(unix.CTRL_ATTR_OP_FLAGS, op.flags)
			e.EndNest(n)
		}
		e.EndNest(ops)
		return [][]byte{nltest.Message(unix.GENL_ID_CTRL, e.Bytes())}, nil
	})
	fake.Handle(0x20, func(wire.Message) ([][]byte, error) { return nil, nil })
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	f, err := h.Family(ctx, "netdev")
	if err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error, dump bool) {
		t.Helper()
		var e *genl.OpNotSupportedError
		if !errors.Is(err, genl.ErrOpNotSupported) || !errors.Is(err, unix.EOPNOTSUPP) || !errors.As(err, &e) ||
			e.Family != "netdev" || e.Dump != dump || !strings.Contains(err.Error(), "netdev") {
			t.Errorf("%s: %v, want an OpNotSupportedError", what, err)
		}
	}
	refused("Do of command 10", h.Do(ctx, f, genl.Request{Command: 10}, nil), false)
	refused("Query of command 10", h.Query(ctx, f, genl.Request{Command: 10}, nil), false)
	_, err = h.Batch(ctx, f, []genl.Request{{Command: 1}, {Command: 11}}, nil)
	refused("Batch with command 11", err, false)
	for _, err := range h.Dump(ctx, f, genl.Request{Command: 2}) {
		refused("Dump of command 2 (do only)", err, true)
	}
	if n := fake.Requests(0x20); n != 0 {
		t.Errorf("%d requests sent to the family, want none", n)
	}
	if err := h.Do(ctx, f, genl.Request{Command: 1}, nil); err != nil {
		t.Errorf("Do of command 1: %v", err)
	}
	if err := h.Do(ctx, f, genl.Request{Command: 3}, nil); err != nil {
		t.Errorf("Do of command 3 (flags say neither): %v", err)
	}
	for _, err := range h.Dump(ctx, f, genl.Request{Command: 1}) {
		t.Errorf("Dump of command 1: %v", err)
	}
}
