package ioam6_test

import (
	"context"
	"fmt"
	"log"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ioam6"
	"github.com/ipr-go/ipr/nltest"
)

// Adding an IOAM namespace and a schema, attaching the one to the other
// and listing both, here over a conversation recorded on Linux 6.18:
// genl.Dial() without the transport asks the running kernel.
func Example() {
	h, err := genl.Dial(genl.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "ioam6.nlconv"))))
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()

	// Requests are checked as they are built, and sent at once.
	data, wide := uint32(0xdeadbeef), uint64(0x1122)
	schema, err := ioam6.AddSchema(7, []byte("abcde"))
	if err != nil {
		log.Fatal(err)
	}
	reqs := []genl.Request{
		ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 1, Data: &data, DataWide: &wide}),
		ioam6.AddNamespace(ioam6.NamespaceSpec{ID: 2}),
		schema,
		ioam6.SetNamespaceSchema(1, 7),
	}
	if err := ioam6.Do(ctx, h, reqs...); err != nil {
		log.Fatal(err)
	}

	for ns, err := range ioam6.Namespaces(ctx, h) {
		if err != nil {
			log.Fatal(err)
		}
		d, hasData := ns.Data()
		sc, hasSchema := ns.Schema()
		fmt.Printf("namespace %d: data %#x %v, schema %d %v\n", ns.ID(), d, hasData, sc, hasSchema)
	}
	for sc, err := range ioam6.Schemas(ctx, h) {
		if err != nil {
			log.Fatal(err)
		}
		ns, _ := sc.Namespace()
		fmt.Printf("schema %d of namespace %d: %q\n", sc.ID(), ns, sc.Data())
	}
	// Output:
	// namespace 1: data 0xdeadbeef true, schema 7 true
	// namespace 2: data 0x0 false, schema 0 false
	// schema 7 of namespace 1: "abcde\x00\x00\x00"
}
