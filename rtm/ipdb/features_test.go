package ipdb

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// A change the kernel refuses is undone as a precaution (a refused link
// change may have applied some of its attributes); the kernel refusing
// the undo for the same reason is no failure of the rollback. (It was
// reported as "rollback failed too".)
func TestRollbackOfRefusedChange(t *testing.T) {
	ctx := seedCtx(t)
	db, _ := openWithD0(t) // ifb cannot change its address
	err := db.With(ctx, "d0", func(i *Iface) error { i.SetAddress(hw("02:00:00:00:00:01")); return nil })
	var ce *CommitError
	if !errors.As(err, &ce) || !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatalf("refused address change: %v", err)
	}
	if ce.Rollback != nil {
		t.Fatalf("the rollback reports the refusal of the undo: %v", ce.Rollback)
	}
}

// An interface created on a parent that the same transaction creates
// waits for it, whatever the order they were recorded in; both go in a
// rollback.
func TestSetParentOrderAndRollback(t *testing.T) {
	nstest.Require(t, "link:macvlan")
	ctx, ns, db := seedDB(t)
	tx := db.Begin()
	mv := tx.CreateInterface(rtm.LinkSpec{Name: "mv0", Kind: &rtm.Macvlan{Mode: rtm.MacvlanBridge}})
	v := tx.CreateInterface(rtm.LinkSpec{Name: "v0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "v1"}}})
	mv.SetParent(v)
	steps, err := tx.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].Change.Object != "interface v0" || steps[1].Change.Object != "interface mv0" {
		t.Fatalf("plan %v: the parent must come first", steps)
	}
	// An unreachable gateway makes the commit fail after both exist.
	tx.Routes().Add(rtm.RouteSpec{Dst: pfx("172.16.0.0/24"), Gateway: addr("203.0.113.1")})
	var ce *CommitError
	if err := tx.Commit(ctx); !errors.As(err, &ce) || ce.Rollback != nil || ce.Step.Stage != "routes" {
		t.Fatalf("commit: %v", err)
	}
	if out := nstest.IP(t, ns, "-o", "link", "show"); strings.Count(out, "\n") != 1 {
		t.Fatalf("left after the rollback:\n%s", out)
	}
	// Committed for real this time.
	mustDo(t, ctx, db, func(tx *Tx) {
		mv := tx.CreateInterface(rtm.LinkSpec{Name: "mv0", Kind: &rtm.Macvlan{Mode: rtm.MacvlanBridge}})
		mv.SetParent(tx.CreateInterface(rtm.LinkSpec{Name: "v0", Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "v1"}}}))
	})
	checkKindOn(t, db, "mv0", "macvlan", "v0")
}

func TestSetParentErrors(t *testing.T) {
	ctx := seedCtx(t)
	db, ns := openWithD0(t)
	for _, tc := range []struct {
		name string
		fn   func(tx *Tx)
		want string
	}{
		{"cycle", func(tx *Tx) {
			a := tx.CreateInterface(rtm.LinkSpec{Name: "a", Kind: &rtm.Macvlan{}})
			b := tx.CreateInterface(rtm.LinkSpec{Name: "b", Kind: &rtm.Macvlan{}})
			a.SetParent(b)
			b.SetParent(a)
		}, "cycle"},
		{"itself", func(tx *Tx) {
			a := tx.CreateInterface(rtm.LinkSpec{Name: "a", Kind: &rtm.Macvlan{}})
			a.SetParent(a)
		}, "its own parent"},
		{"existing", func(tx *Tx) { tx.Interface("d0").SetParent(tx.Interface("lo")) }, "creates"},
		{"other transaction", func(tx *Tx) {
			tx.CreateInterface(rtm.LinkSpec{Name: "a", Kind: &rtm.Macvlan{}}).SetParent(db.Begin().Interface("d0"))
		}, "same transaction"},
		{"nil", func(tx *Tx) { tx.CreateInterface(rtm.LinkSpec{Name: "a", Kind: &rtm.Macvlan{}}).SetParent(nil) }, "same transaction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Do(ctx, func(tx *Tx) error { tc.fn(tx); return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
	if out := nstest.IP(t, ns, "-o", "link", "show"); strings.Count(out, "\n") != 2 {
		t.Fatalf("a failed transaction left links:\n%s", out)
	}
	for _, id := range db.Transactions() {
		db.mu.Lock()
		tx := db.txs[id]
		db.mu.Unlock()
		tx.Drop()
	}
}

// Last is the transaction begun last, implicit ones included.
func TestLast(t *testing.T) {
	db, _ := openWithD0(t)
	if _, ok := db.Last(); ok {
		t.Fatal("Last with no transaction")
	}
	a := db.Begin()
	db.Interface("d0").SetMTU(1400) // opens the implicit one
	if last, ok := db.Last(); !ok || last == a || last.Mode() != Implicit {
		t.Fatalf("Last %v, want the implicit transaction", last)
	}
	b := db.Begin()
	if last, _ := db.Last(); last != b {
		t.Fatal("Last is not the transaction begun last")
	}
	b.Drop()
	db.Drop()
	if last, _ := db.Last(); last != a {
		t.Fatal("Last after drops is not the one left open")
	}
	a.Drop()
}

// In Direct mode, where recording a change applies it, Ensure takes an
// existing interface too, and SetParent, which would come after the
// creation, says what to do instead.
func TestDirectEnsureAndSetParent(t *testing.T) {
	ctx := seedCtx(t)
	h, ns := setup(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	db := open(t, h, WithMode(Direct))
	tx := db.Begin()
	tx.Ensure(rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}).SetMTU(1400)
	tx.Ensure(rtm.LinkSpec{Name: "br1", Kind: &rtm.Bridge{}}).SetMTU(1300)
	if err := tx.Err(); err != nil {
		t.Fatal(err)
	}
	if mtuOf(t, ns, "br0") != "1400" || mtuOf(t, ns, "br1") != "1300" {
		t.Fatalf("mtu br0 %s br1 %s", mtuOf(t, ns, "br0"), mtuOf(t, ns, "br1"))
	}
	tx.CreateInterface(rtm.LinkSpec{Name: "i0", Kind: &rtm.Ifb{}}).SetParent(tx.Interface("br0"))
	if err := tx.Commit(ctx); err == nil || !strings.Contains(err.Error(), "LinkSpec.Parent") {
		t.Fatalf("SetParent in Direct mode: %v", err)
	}
}

// A tunnel's underlying device given by SetParent goes where the kind
// keeps it (IFLA_IPTUN_LINK for IPIP), not in IFLA_LINK.
func TestSetParentTunnelDevice(t *testing.T) {
	nstest.Require(t, "link:ipip")
	ctx, _, db := seedDB(t)
	mustDo(t, ctx, db, func(tx *Tx) {
		v := tx.CreateInterface(rtm.LinkSpec{Name: "v0", Kind: &rtm.Veth{}})
		tx.CreateInterface(rtm.LinkSpec{Name: "tun0", Kind: &rtm.IPIP{Remote: addr("192.0.2.2"), Local: addr("192.0.2.1")}}).SetParent(v)
	})
	const iptunLink = 1 // IFLA_IPTUN_LINK
	a, ok := linkOf(t, db, "tun0").KindData().Get(iptunLink)
	if !ok {
		t.Fatal("tun0 has no IFLA_IPTUN_LINK")
	}
	if v, _ := a.Uint32(); int32(v) != linkOf(t, db, "v0").Index() {
		t.Fatalf("tun0 on device %d, want v0's %d", v, linkOf(t, db, "v0").Index())
	}
}
