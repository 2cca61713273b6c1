package rtm_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// watchFixture gives a handle in a fresh namespace with n IPv4 addresses
// on a0, a second handle to change things with, and a0's index.
func watchFixture(t *testing.T, n int) (h, other *rtm.Handle, a0 int32) {
	t.Helper()
	h, other, _, a0, _ = churnHandles(t)
	addInBatch(t, h, n, func(bt *rtm.Batch, i int) error {
		return bt.AddrAdd(rtm.AddrSpec{Index: a0, Prefix: watchAddr(i)})
	})
	return h, other, a0
}

func watchAddr(i int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 8, byte(i >> 8), byte(i)}), 32)
}

// TestWatchResumedDump removes an address while a dump that spans
// several datagrams runs: whether or not the removal made the kernel skip
// one, the dump must end in wire.ErrDumpInterrupted, and so must a rule
// dump during which a rule is added.
func TestWatchResumedDump(t *testing.T) {
	h, other, a0 := watchFixture(t, 600)
	f := &rtm.AddrFilter{Family: unix.AF_INET, Index: a0}
	n, removed := 0, false
	var err error
	for _, e := range h.Addrs(ctx, f) {
		if err = e; err != nil {
			break
		}
		if n++; n == 1 {
			if e := other.AddrDel(ctx, rtm.AddrSpec{Index: a0, Prefix: watchAddr(599)}); e != nil {
				t.Fatal(e)
			}
			removed = true
		}
	}
	if !removed || !errors.Is(err, wire.ErrDumpInterrupted) {
		t.Errorf("address dump with a removal midway: %d addresses, error %v", n, err)
	}
	// Without a change, the same dump is consistent.
	keys, err := hostile.Keys(h.Addrs(ctx, f), addrKey)
	if err != nil || len(keys) != 599 {
		t.Errorf("address dump: %d addresses, error %v", len(keys), err)
	}

	addInBatch(t, h, 1000, func(bt *rtm.Batch, i int) error {
		return bt.RuleAdd(rtm.RuleSpec{Family: unix.AF_INET, Priority: rtm.Some(uint32(1000 + i)), Table: 100})
	})
	rf := &rtm.RuleFilter{Family: unix.AF_INET}
	n = 0
	for _, e := range h.Rules(ctx, rf) {
		if err = e; err != nil {
			break
		}
		if n++; n == 1 {
			if e := other.RuleAdd(ctx, rtm.RuleSpec{Family: unix.AF_INET, Priority: rtm.Some(uint32(10)), Table: 101}); e != nil {
				t.Fatal(e)
			}
		}
	}
	if !errors.Is(err, wire.ErrDumpInterrupted) {
		t.Errorf("rule dump with an addition midway: %d rules, error %v", n, err)
	}
}

// TestWatchOnePassDump removes an address while a dump that the kernel
// built in one pass is read: nothing can have been skipped, and the dump
// is not flagged.
func TestWatchOnePassDump(t *testing.T) {
	h, other, a0 := watchFixture(t, 3)
	f := &rtm.AddrFilter{Family: unix.AF_INET, Index: a0}
	n := 0
	for _, err := range h.Addrs(ctx, f) {
		if err != nil {
			t.Fatalf("after %d addresses: %v", n, err)
		}
		if n++; n == 1 {
			if err := other.AddrDel(ctx, rtm.AddrSpec{Index: a0, Prefix: watchAddr(2)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d addresses, want the 3 the kernel had sent", n)
	}
}

// TestWatchPool checks that dumps reuse one watch socket, which the
// handle's Close closes.
func TestWatchPool(t *testing.T) {
	h, _, a0 := watchFixture(t, 3)
	for range 5 {
		if _, err := hostile.Keys(h.Addrs(ctx, &rtm.AddrFilter{Index: a0}), addrKey); err != nil {
			t.Fatal(err)
		}
		if _, err := hostile.Keys(h.Rules(ctx, nil), ruleKey); err != nil {
			t.Fatal(err)
		}
	}
	watches := rtm.IdleWatches(h)
	if len(watches) != 1 {
		t.Fatalf("%d idle watches after sequential dumps, want 1", len(watches))
	}
	h.Close()
	if _, _, err := watches[0].TryRecv(context.Background()); err == nil {
		t.Error("the watch socket is open after Handle.Close")
	}
	if _, err := hostile.Keys(h.Addrs(ctx, nil), addrKey); !errors.Is(err, rtm.ErrClosed) {
		t.Errorf("dump on a closed handle: %v", err)
	}
}
