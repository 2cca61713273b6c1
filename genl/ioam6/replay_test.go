package ioam6_test

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ioam6"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"golang.org/x/sys/unix"
)

// TestReplayIOAM6 replays a recorded session (Linux 6.18) without root:
// the Example's namespaces and schema added and listed, then the
// kernel's refusals (a namespace added twice, a missing schema
// attached), a schema detached and deleted. NLTEST_RECORD=1 records it
// anew.
func TestReplayIOAM6(t *testing.T) {
	h := genltest.Replay(t, "ioam6.nlconv", func(ns *nstest.NS) { nstest.Require(t, "genl:IOAM6") })
	ctx := context.Background()
	data, wide := uint32(0xdeadbeef), uint64(0x1122)
	schema, _ := ioam6.AddSchema(7, []byte("abcde"))
	if err := ioam6.Do(ctx, h,
		ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 1, Data: &data, DataWide: &wide}),
		ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 2}),
		schema,
		ioam6.SetNamespaceSchema(1, 7),
	); err != nil {
		t.Fatal(err)
	}
	want := []namespace{{id: 1, data: 0xdeadbeef, hasData: true, wide: 0x1122, hasWide: true, schema: 7, hasSchema: true}, {id: 2}}
	if got := namespaces(t, ctx, h); !slices.Equal(got, want) {
		t.Errorf("namespaces %+v, want %+v", got, want)
	}
	n := 0
	for s, err := range ioam6.Schemas(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if ns, ok := s.Namespace(); s.ID() != 7 || ns != 1 || !ok || string(s.Data()) != "abcde\x00\x00\x00" {
			t.Errorf("schema %d of namespace %d %v: %q", s.ID(), ns, ok, s.Data())
		}
		if v, ok := s.Get("sc_id"); !ok || v.String() != "7" {
			t.Errorf("schema by name sc_id = %v, %v", v, ok)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d schemas, want 1", n)
	}
	if err := ioam6.Do(ctx, h, ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 2})); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding namespace 2 again: %v, want EEXIST", err)
	}
	if err := ioam6.Do(ctx, h, ioam6.SetNamespaceSchema(2, 8)); !errors.Is(err, unix.ENOENT) {
		t.Errorf("attaching a missing schema: %v, want ENOENT", err)
	}
	if err := ioam6.Do(ctx, h, ioam6.DetachNamespaceSchema(1), ioam6.DeleteSchema(7), ioam6.DeleteNamespace(2)); err != nil {
		t.Fatal(err)
	}
	want = []namespace{{id: 1, data: 0xdeadbeef, hasData: true, wide: 0x1122, hasWide: true}}
	if got := namespaces(t, ctx, h); !slices.Equal(got, want) {
		t.Errorf("namespaces after the deletions %+v, want %+v", got, want)
	}
	if err := genltest.FirstErr(ioam6.Schemas(ctx, h)); err != nil {
		t.Error(err)
	}
}

// namespace is what a Namespace view says, detached.
type namespace struct {
	id        uint16
	data      uint32
	hasData   bool
	wide      uint64
	hasWide   bool
	schema    uint32
	hasSchema bool
}

// namespaces lists the namespaces of h by id: the kernel's order is its
// hash table's.
func namespaces(t *testing.T, ctx context.Context, h *genl.Handle) []namespace {
	t.Helper()
	var list []namespace
	for ns, err := range ioam6.Namespaces(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		n := namespace{id: ns.ID()}
		n.data, n.hasData = ns.Data()
		n.wide, n.hasWide = ns.DataWide()
		n.schema, n.hasSchema = ns.Schema()
		list = append(list, n)
	}
	slices.SortFunc(list, func(a, b namespace) int { return cmp.Compare(a.id, b.id) })
	return list
}
