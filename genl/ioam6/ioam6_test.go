package ioam6_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	ctx := context.Background()
	h := genltest.Replay(t, "ioam6.nlconv", func(ns *nstest.NS) { nstest.Require(t, "genl:IOAM6") })
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

// TestMatchesIP adds namespaces and schemas in a throwaway namespace,
// some with the package and some with ip, and compares what the package
// lists with `ip ioam ... show`.
func TestMatchesIP(t *testing.T) {
	h, ns := genltest.DialNS(t, "genl:IOAM6")
	ctx := context.Background()
	data0, wide0 := uint32(0), uint64(0)
	long, err := ioam6.AddSchema(4294967295, bytes.Repeat([]byte{0xa5}, ioam6.SchemaDataMaxLen))
	if err != nil {
		t.Fatal(err)
	}
	empty, _ := ioam6.AddSchema(0, nil)
	if err := ioam6.Do(ctx, h,
		ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 0, Data: &data0, DataWide: &wide0}),
		ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 65535, DataWide: &wide0}),
		long, empty,
		ioam6.SetNamespaceSchema(0, 0),
	); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "ioam", "namespace", "add", "9", "data", "7")
	nstest.IP(t, ns, "ioam", "schema", "add", "3", "xyz")
	nstest.IP(t, ns, "ioam", "namespace", "set", "9", "schema", "4294967295")
	compare(t, ctx, h, ns)
	if err := ioam6.Do(ctx, h, ioam6.SetNamespaceSchema(65535, 0), ioam6.DetachNamespaceSchema(9), ioam6.DeleteNamespace(0), ioam6.DeleteSchema(3)); err != nil {
		t.Fatal(err)
	}
	compare(t, ctx, h, ns)
}

// compare fails t unless the namespaces and schemas the package lists are
// those ip lists, in any order: the kernel's is its hash table's, which
// changes when the table resizes, as it may between two dumps.
func compare(t *testing.T, ctx context.Context, h *genl.Handle, ns *nstest.NS) {
	t.Helper()
	// ip prints the data in hexadecimal, "%x" (print_hex), the wide
	// data as "%#x" (print_0xhex).
	var ipNS []struct {
		Namespace uint16  `json:"namespace"`
		Schema    *uint32 `json:"schema"`
		Data      *string `json:"data"`
		Wide      *string `json:"wide"`
	}
	nstest.IPJSON(t, ns, &ipNS, "ioam", "namespace", "show")
	var got, want []string
	for n, err := range ioam6.Namespaces(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprint(n.ID())
		if sc, ok := n.Schema(); ok {
			s += fmt.Sprintf(" schema %d", sc)
		}
		if d, ok := n.Data(); ok {
			s += fmt.Sprintf(" data %x", d)
		}
		if w, ok := n.DataWide(); ok {
			s += fmt.Sprintf(" wide %#x", w)
		}
		got = append(got, strings.Replace(s, "0x0", "0", 1))
	}
	for _, n := range ipNS {
		s := fmt.Sprint(n.Namespace)
		if n.Schema != nil {
			s += fmt.Sprintf(" schema %d", *n.Schema)
		}
		if n.Data != nil {
			s += " data " + *n.Data
		}
		if n.Wide != nil {
			s += " wide " + *n.Wide
		}
		want = append(want, s)
	}
	slices.Sort(got)
	slices.Sort(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("namespaces %q; ip: %q", got, want)
	}
	// ip's JSON of a schema names its bytes "" (print_hhu with an empty
	// key): its text is compared instead.
	got = got[:0]
	for s, err := range ioam6.Schemas(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("schema %d", s.ID())
		if n, ok := s.Namespace(); ok {
			line += fmt.Sprintf(" [namespace %d]", n)
		}
		line += ", data:"
		for _, b := range s.Data() {
			line += fmt.Sprintf(" %02x", b)
		}
		got = append(got, line+"\n")
	}
	want = strings.SplitAfter(nstest.IP(t, ns, "ioam", "schema", "show"), "\n")
	want = want[:len(want)-1] // after the last line's newline
	slices.Sort(got)
	slices.Sort(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("schemas:\n%s\nip:\n%s", got, want)
	}
}

// TestBadInput checks that requests the kernel would refuse fail before
// sending, and that a kernel without the family is a typed error.
func TestBadInput(t *testing.T) {
	if _, err := ioam6.AddSchema(1, make([]byte, ioam6.SchemaDataMaxLen+1)); !errors.Is(err, ioam6.ErrInvalid) {
		t.Errorf("AddSchema with %d bytes: %v", ioam6.SchemaDataMaxLen+1, err)
	}
	h, _ := genltest.NoFamilies(t)
	ctx := context.Background()
	genltest.WantNotFound(t, "Namespaces", "IOAM6", genltest.FirstErr(ioam6.Namespaces(ctx, h)))
	genltest.WantNotFound(t, "Schemas", "IOAM6", genltest.FirstErr(ioam6.Schemas(ctx, h)))
	genltest.WantNotFound(t, "Do", "IOAM6", ioam6.Do(ctx, h, ioam6.DeleteNamespace(1)))
	_, err := ioam6.Family(ctx, h)
	genltest.WantNotFound(t, "Family", "IOAM6", err)
}

// TestParse checks that replies without an id, which the kernel never
// sends, have no view.
func TestParse(t *testing.T) {
	if _, err := ioam6.ParseNamespace(genl.Message{}); err == nil {
		t.Error("ParseNamespace of a reply without an id succeeded")
	}
	if _, err := ioam6.ParseSchema(genl.Message{}); err == nil {
		t.Error("ParseSchema of a reply without an id succeeded")
	}
}

// TestSchema checks the hand-written by-name schema.
func TestSchema(t *testing.T) { genltest.CheckSchema(t, ioam6.ByNameSchema) }

// TestDumpAllocs checks that listing namespaces and schemas allocates
// nothing per object: dumps of 64 of each cost what dumps of one do.
func TestDumpAllocs(t *testing.T) {
	nstest.Require(t, "genl:IOAM6")
	h := genltest.Dial(t, genl.WithNetns(nstest.New(t).Name))
	ctx := context.Background()
	walk := func() int {
		n := 0
		for ns, err := range ioam6.Namespaces(ctx, h) {
			if _, ok := ns.Schema(); err != nil || !ok {
				return -1
			}
			n++
		}
		for s, err := range ioam6.Schemas(ctx, h) {
			if err != nil || len(s.Data()) != 4 {
				return -1
			}
			n++
		}
		return n
	}
	add := func(from, to int) {
		t.Helper()
		var reqs []genl.Request
		for i := from; i < to; i++ {
			sc, _ := ioam6.AddSchema(uint32(i), []byte{byte(i)})
			reqs = append(reqs, ioam6.AddNamespace(ioam6.NamespaceSpec{ID: uint16(i)}), sc, ioam6.SetNamespaceSchema(uint16(i), uint32(i)))
		}
		if err := ioam6.Do(ctx, h, reqs...); err != nil {
			t.Fatal(err)
		}
	}
	add(0, 1)
	one := genltest.DumpAllocs(t, "namespaces and schemas", 2, walk)
	add(1, 64)
	many := genltest.DumpAllocs(t, "namespaces and schemas", 128, walk)
	t.Logf("allocations of the two dumps: %.0f of one of each, %.0f of 64", one, many)
	// The race detector's sync.Pool drops items at random, which adds an
	// allocation now and then.
	if many >= one+8 {
		t.Errorf("dumps of 64 namespaces and schemas allocate %.0f times, of one %.0f: want none per object", many, one)
	}
}
