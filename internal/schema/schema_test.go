package schema_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
)

// A small schema in the generator's shape: a string, a number, an
// address, a struct and a nest whose schema a sibling string picks.
var (
	infoFoo = &schema.Schema{Name: "foo", Attrs: []schema.Attr{1: {Name: "id", Kind: schema.U16}}, ByName: []uint16{1}}
	info    = &schema.Schema{
		Name: "info",
		Attrs: []schema.Attr{
			1: {Name: "kind", Kind: schema.String},
			2: {Name: "data", Kind: schema.Nested, Sibling: 1, ByKind: schema.Choices{{Key: "bar"}, {Key: "foo", Schema: infoFoo}}},
		},
		ByName: []uint16{2, 1},
	}
	pair = []schema.Attr{{Name: "lo", Kind: schema.U8, Off: 0}, {Name: "hi", Kind: schema.BE16, Off: 2}}
	root = &schema.Schema{
		Name: "root",
		Attrs: []schema.Attr{
			1: {Name: "name", Kind: schema.String},
			2: {Name: "mtu", Kind: schema.U32},
			3: {Name: "addr", Kind: schema.Addr},
			4: {Name: "pair", Kind: schema.Struct, Fields: pair},
			5: {Name: "info", Kind: schema.Nested, Nested: info},
			6: {Name: "up", Kind: schema.Flag},
			7: {Name: "off", Kind: schema.S32},
		},
		ByName: []uint16{3, 5, 2, 1, 7, 4, 6},
	}
)

func message() nla.Chain {
	b := nla.NewEncoder(nil)
	b.String(1, "eth0")
	b.Uint32(2, 1500)
	b.Binary(3, []byte{192, 0, 2, 1})
	b.Binary(4, []byte{7, 0, 0x01, 0x02})
	n := b.BeginNest(5)
	b.String(1, "foo")
	d := b.BeginNest(2)
	b.Uint16(1, 42)
	b.EndNest(d)
	b.EndNest(n)
	b.Flag(6)
	b.Binary(7, []byte{0xff, 0xff, 0xff, 0xff})
	b.Binary(99, []byte{1})
	return nla.Chain(b.Bytes())
}

func TestLookup(t *testing.T) {
	c := message()
	get := func(path ...string) schema.Value {
		t.Helper()
		v, ok := schema.Lookup(root, nil, c, path)
		if !ok {
			t.Fatalf("%v: not found", path)
		}
		return v
	}
	if s, _ := get("name").Text(); s != "eth0" {
		t.Errorf("name = %q", s)
	}
	if n, _ := get("mtu").Uint(); n != 1500 {
		t.Errorf("mtu = %d", n)
	}
	if a, _ := get("addr").Addr(); a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("addr = %v", a)
	}
	if n, _ := get("pair", "hi").Uint(); n != 0x0102 {
		t.Errorf("pair/hi = %#x", n)
	}
	if n, _ := get("info", "data", "id").Uint(); n != 42 {
		t.Errorf("info/data/id = %d", n)
	}
	if n, _ := get("off").Int(); n != -1 {
		t.Errorf("off = %d", n)
	}
	if b := get("attr_99").Bytes(); len(b) != 1 {
		t.Errorf("attr_99 = %x", b)
	}
	for _, path := range [][]string{{}, {"nope"}, {"mtu", "x"}, {"pair", "nope"}, {"pair", "hi", "x"}, {"attr_70000"}} {
		if v, ok := schema.Lookup(root, nil, c, path); ok {
			t.Errorf("%v: found %v", path, v)
		}
	}
	if got := fmt.Sprint(get("info").Interface()); got != "map[data:map[id:42] kind:foo]" {
		t.Errorf("info = %s", got)
	}
}

func TestAllNamesEveryAttribute(t *testing.T) {
	var names []string
	for name := range schema.All(root, message()) {
		names = append(names, name)
	}
	if got := fmt.Sprint(names); got != "[name mtu addr pair info up off attr_99]" {
		t.Errorf("names = %s", got)
	}
}

func TestChoices(t *testing.T) {
	ks := info.Attrs[2].ByKind
	if ks.Find([]byte("foo")) != infoFoo || ks.Find([]byte("bar")) != nil || ks.Find([]byte("baz")) != nil || ks.Find(nil) != nil {
		t.Error("Find")
	}
}

// TestZeroAndHostile: the zero Value and payloads of the wrong size
// answer false, never panic.
func TestZeroAndHostile(t *testing.T) {
	var z schema.Value
	if _, ok := z.Uint(); ok {
		t.Error("zero Uint")
	}
	if z.Name() != "" || z.IsNested() || z.Interface() != nil || z.String() != "<nil>" {
		t.Error("zero Value")
	}
	if b, _ := z.MarshalJSON(); string(b) != "null" {
		t.Errorf("zero JSON %s", b)
	}
	b := nla.NewEncoder(nil)
	b.Binary(2, []byte{1, 2, 3})    // a short u32
	b.Binary(4, []byte{1})          // a short struct
	b.Binary(5, []byte{0xff, 0xff}) // a broken nest
	for name, v := range schema.All(root, nla.Chain(b.Bytes())) {
		_ = v.String()
		for range v.Attrs() {
		}
		if name == "mtu" {
			if _, ok := v.Uint(); ok {
				t.Error("3-byte u32 decoded")
			}
		}
	}
}

func ExampleLookup() {
	b := nla.NewEncoder(nil)
	b.String(1, "eth0")
	b.Uint32(2, 9000)
	c := nla.Chain(b.Bytes())
	mtu, _ := schema.Lookup(root, nil, c, []string{"mtu"})
	fmt.Println(mtu.Name(), mtu)
	// Output: mtu 9000
}
