package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"testing"
)

// opsStubs declare what the typed operations use of ipr's nla and genl,
// with the real signatures, so that the golden files can be type-checked
// without the root module (tools/gen is a module of its own).
var opsStubs = map[string]string{
	"github.com/ipr-go/ipr/nla": `package nla
import "iter"
type Attr struct { Type uint16; Data []byte }
func (a Attr) Nested() Chain { return nil }
func (a Attr) Text() (string, error) { return "", nil }
func (a Attr) TextBytes() ([]byte, error) { return nil, nil }
func (a Attr) Uint() (uint64, error) { return 0, nil }
func (a Attr) Uint8() (uint8, error) { return 0, nil }
func (a Attr) Uint16() (uint16, error) { return 0, nil }
func (a Attr) Uint16BE() (uint16, error) { return 0, nil }
func (a Attr) Uint32() (uint32, error) { return 0, nil }
func (a Attr) Uint32BE() (uint32, error) { return 0, nil }
func (a Attr) Uint64() (uint64, error) { return 0, nil }
func (a Attr) Uint64BE() (uint64, error) { return 0, nil }
func (a Attr) Int8() (int8, error) { return 0, nil }
func (a Attr) Int16() (int16, error) { return 0, nil }
func (a Attr) Int32() (int32, error) { return 0, nil }
func (a Attr) Int64() (int64, error) { return 0, nil }
type Chain []byte
func (c Chain) Get(typ uint16) (Attr, bool) { return Attr{}, false }
func (c Chain) AllOf(typ uint16) iter.Seq[Attr] { return nil }
func (c Chain) All() iter.Seq[Attr] { return nil }
func (c Chain) Err() error { return nil }
type Nest int
type Index struct{}
type Encoder struct{}
func (e *Encoder) BeginNest(typ uint16) Nest { return 0 }
func (e *Encoder) EndNest(n Nest) {}
func (e *Encoder) Fail(err error) {}
func (e *Encoder) Flag(typ uint16) {}
func (e *Encoder) String(typ uint16, s string) {}
func (e *Encoder) Binary(typ uint16, b []byte) {}
func (e *Encoder) Uint8(typ uint16, v uint8) {}
func (e *Encoder) Uint16(typ uint16, v uint16) {}
func (e *Encoder) Uint16BE(typ uint16, v uint16) {}
func (e *Encoder) Uint32(typ uint16, v uint32) {}
func (e *Encoder) Uint32BE(typ uint16, v uint32) {}
func (e *Encoder) Uint64(typ uint16, v uint64) {}
func (e *Encoder) Uint64BE(typ uint16, v uint64) {}
func (e *Encoder) Int32(typ uint16, v int32) {}
func (e *Encoder) Int64(typ uint16, v int64) {}
`,
	// internal/schema: its real shape (schemaShape), and what views call.
	schemaPath: `package schema
import ("iter"; "github.com/ipr-go/ipr/nla")
type Value struct{}
func Lookup(s *Schema, idx *nla.Index, c nla.Chain, path []string) (Value, bool) { return Value{}, false }
func All(s *Schema, c nla.Chain) iter.Seq2[string, Value] { return nil }
`,
	"github.com/ipr-go/ipr/genl": `package genl
import "github.com/ipr-go/ipr/nla"
type Request struct { Command, Version uint8; Flags uint16; User []byte; Attrs func(e *nla.Encoder) }
type Message struct { Command, Version uint8; User []byte; Attrs nla.Chain }
`,
}

// stubImporter type-checks the stubs, and the standard library from
// export data.
type stubImporter struct {
	fset *token.FileSet
	std  types.Importer
	done map[string]*types.Package
}

func (im *stubImporter) Import(path string) (*types.Package, error) {
	if p, ok := im.done[path]; ok {
		return p, nil
	}
	src, ok := opsStubs[path]
	if !ok {
		return im.std.Import(path)
	}
	if path == schemaPath {
		shape, err := schemaShape()
		if err != nil {
			return nil, err
		}
		src += strings.TrimPrefix(shape, "package schema\n")
	}
	f, err := parser.ParseFile(im.fset, path+".go", src, 0)
	if err != nil {
		return nil, err
	}
	p, err := (&types.Config{Importer: im}).Check(path, im.fset, []*ast.File{f}, nil)
	if err != nil {
		return nil, fmt.Errorf("stub %s: %w", path, err)
	}
	im.done[path] = p
	return p, nil
}

// TestYNLOpsGolden generates the typed operations of every generic-netlink
// spec and compares them with testdata/ynl/ops (go test -run YNLOpsGolden
// -update rewrites them); each must compile next to the family's
// constants, against the real signatures of nla and genl.
func TestYNLOpsGolden(t *testing.T) {
	specs, err := filepath.Glob("specs/*.yaml")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs (%v)", err)
	}
	n := 0
	for _, spec := range specs {
		g, err := loadYNL(spec)
		if err != nil {
			t.Fatal(err)
		}
		if g.raw() {
			if _, _, err := genYNLOps(spec, "golden", true); err == nil {
				t.Errorf("%s: typed operations of a netlink-raw family", spec)
			}
			continue
		}
		n++
		name, src, err := genYNLOps(spec, "golden", true)
		if err != nil {
			t.Fatal(err)
		}
		_, schemas, _, err := genYNL(spec, "golden", false)
		if err != nil {
			t.Fatal(err)
		}
		compilesWithStubs(t, name, map[string][]byte{"schemas.go": schemas, name: src})
		checkGolden(t, filepath.Join("testdata", "ynl", "ops", name+".golden"), src, *update, "go test -run YNLOpsGolden -update writes it")
	}
	if n < 3 {
		t.Errorf("%d generic-netlink specs, want 3 or more", n)
	}
}

// TestYNLOpsShapes checks what the generator makes of each kind of
// attribute, on the ethtool spec.
func TestYNLOpsShapes(t *testing.T) {
	_, src, err := genYNLOps("specs/ethtool.yaml", "golden", true)
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for _, want := range []string{
		// A scalar, a string, a flag, a nest and a multi-attr nest.
		"func (v RingsView) RXMax() (uint32, bool) {",
		"func (v HeaderView) DevName() (string, bool) {",
		"func (v HeaderView) DevNameBytes() ([]byte, bool) {",
		"func (v StrsetView) CountsOnly() bool {",
		"func (v FeaturesView) HW() (BitsetView, bool) {",
		"func (v BitsetBitsView) Bit() iter.Seq[BitsetBitView] {",
		// "string" is renamed: a String method would pass for a Stringer.
		"func (v StringsView) StringAttr() iter.Seq[StringView] {",
		// An array (binary with a sub-type), and type-value nests.
		"func (v FecStatView) Corrected() iter.Seq[uint64] {",
		"func (v StatsGrpView) Stat() iter.Seq[nla.Chain] {",
		// By name, through the schemas.
		"func (v RingsView) Get(path ...string) (Value, bool) {",
		"return schema.Lookup(ringsSchema, nil, v.Attrs, path)",
		// A big-endian attribute.
		"e.E.Uint16BE(EthtoolATunnelUDPEntryPort, v)",
		// Encoders: the enum check of a flags attribute.
		"if v&^0x7 != 0 {",
		// Requests and replies of a directional family.
		"func RingsGetRequest(attrs func(RingsEncoder)) genl.Request {",
		"if m.Command != EthtoolMsgRingsGetReply {",
		"func ParseRingsNtf(m genl.Message) (RingsView, error) {",
		"func ParseCableTestNtf(m genl.Message) (CableTestNtfView, error) {",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("generated ethtool operations lack %q", want)
		}
	}
}

// TestYNLOpsConstsOnly: next to the constants alone (-consts -ops), the
// views have no by-name access and still compile.
func TestYNLOpsConstsOnly(t *testing.T) {
	name, src, err := genYNLOps("specs/nlctrl.yaml", "golden", false)
	if err != nil {
		t.Fatal(err)
	}
	_, consts, _, err := genYNL("specs/nlctrl.yaml", "golden", true)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(src, []byte("schema.")) {
		t.Error("schema references without schemas")
	}
	compilesWithStubs(t, name, map[string][]byte{"consts.go": consts, name: src})
}

// compilesWithStubs fails the test unless files, one package, compile
// against the stubs of nla, genl and internal/schema.
func compilesWithStubs(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	for fn, s := range files {
		f, err := parser.ParseFile(fset, fn, s, 0)
		if err != nil {
			t.Fatalf("%s: %v", fn, err)
		}
		parsed = append(parsed, f)
	}
	im := &stubImporter{fset: fset, std: importer.Default(), done: map[string]*types.Package{}}
	if _, err := (&types.Config{Importer: im}).Check("golden", fset, parsed, nil); err != nil {
		t.Errorf("%s does not compile: %v", name, err)
	}
}
