package ioam6_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ioam6"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
)

// TestMatchesIP adds namespaces and schemas in a throwaway namespace,
// some with the package and some with ip, and compares what the package
// lists with `ip -j ioam ... show`, by id (the kernel's order is its
// hash table's, the same for both).
func TestMatchesIP(t *testing.T) {
	nstest.Require(t, "genl:IOAM6")
	ns := nstest.New(t)
	h := genltest.Dial(t, genl.WithNetns(ns.Name))
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
// those of `ip -j ioam`, in the same order.
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
	if out := nstest.IP(t, ns, "ioam", "schema", "show"); strings.Join(got, "") != out {
		t.Errorf("schemas:\n%s\nip:\n%s", strings.Join(got, ""), out)
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
