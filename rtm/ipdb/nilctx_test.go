package ipdb

import (
	"context"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
)

// TestNilContext: every call that takes a context refuses a nil one with
// an error, before doing anything, rather than panicking in a select on
// ctx.Done() once the work is done.
func TestNilContext(t *testing.T) {
	h, ns := setup(t)
	db := open(t, h)
	var nilCtx context.Context
	if _, err := Open(nilCtx, h); err == nil {
		t.Error("Open(nil) succeeded")
	}
	if err := db.Sync(nilCtx); err == nil {
		t.Error("Sync(nil) succeeded")
	}
	if err := db.Resync(nilCtx); err == nil {
		t.Error("Resync(nil) succeeded")
	}
	if err := db.Wait(nilCtx, func(*Snapshot) bool { return false }); err == nil {
		t.Error("Wait(nil) succeeded")
	}
	// A commit with a nil context changes nothing.
	tx := db.Begin()
	tx.CreateInterface(rtm.LinkSpec{Name: "d0", Kind: &rtm.Bridge{}})
	if _, err := tx.Plan(nilCtx); err == nil {
		t.Error("Tx.Plan(nil) succeeded")
	}
	if err := tx.Commit(nilCtx); err == nil {
		t.Error("Tx.Commit(nil) succeeded")
	}
	db.CreateInterface(rtm.LinkSpec{Name: "d1", Kind: &rtm.Bridge{}})
	if err := db.Commit(nilCtx); err == nil {
		t.Error("Commit(nil) succeeded")
	}
	if out := nstest.IP(t, ns, "-o", "link", "show"); strings.Contains(out, "d0") || strings.Contains(out, "d1") {
		t.Errorf("a commit with a nil context made a change:\n%s", out)
	}
	// Refused before anything was done: the transaction is still open.
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatalf("commit after the refusal: %v", err)
	}
	if out := nstest.IP(t, ns, "-o", "link", "show"); !strings.Contains(out, "d0") {
		t.Errorf("the commit after the refusal did not create d0:\n%s", out)
	}
}
