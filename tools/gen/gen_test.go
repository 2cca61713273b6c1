package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the ynl golden files in testdata/ynl")

// schemaShape returns the type and constant declarations of the module's
// internal/schema, what generated schemas refer to, read from its source
// so that the golden files are type-checked against the real shape
// outside the module.
func schemaShape() (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "..", "internal", "schema", "schema.go"), nil, 0)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("package schema\n")
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && (g.Tok == token.TYPE || g.Tok == token.CONST) {
			b.WriteString("\n")
			if err := format.Node(&b, fset, g); err != nil {
				return "", err
			}
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}

// typeCheck fails the test when src does not compile next to schemaShape.
func typeCheck(t *testing.T, name string, src []byte) {
	t.Helper()
	fset := token.NewFileSet()
	src0, err := schemaShape()
	if err != nil {
		t.Fatal(err)
	}
	shape, err := parser.ParseFile(fset, "shape.go", src0, 0)
	if err != nil {
		t.Fatalf("shape.go: %v", err)
	}
	schemaPkg, err := (&types.Config{}).Check(schemaPath, fset, []*ast.File{shape}, nil)
	if err != nil {
		t.Fatalf("shape.go: %v", err)
	}
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		if path != schemaPath {
			return nil, fmt.Errorf("unexpected import %q", path)
		}
		return schemaPkg, nil
	})}
	if _, err := conf.Check("golden", fset, []*ast.File{f}, nil); err != nil {
		t.Errorf("%s does not compile: %v", name, err)
	}
}

const schemaPath = "github.com/ipr-go/ipr/internal/schema"

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// TestYNLGolden generates every committed spec into package golden and
// compares with testdata/ynl (go test -run YNLGolden -update rewrites
// them); the output must compile against internal/schema's shape.
func TestYNLGolden(t *testing.T) {
	specs, err := filepath.Glob("specs/*.yaml")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs (%v)", err)
	}
	packages := familyPackages(t)
	for _, spec := range specs {
		// A spec generated in full into a package of the module is
		// compared with that package's committed file; the others with
		// a golden file of package golden.
		pkg, dir := "golden", filepath.Join("testdata", "ynl")
		if f, ok := packages[spec]; ok {
			pkg, dir = f.pkg, f.dir
		}
		name, src, consts, err := genYNL(spec, pkg, false)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(consts) == 0 {
			t.Errorf("%s: no constants", spec)
		}
		if pkg == "golden" {
			typeCheck(t, name, src)
		}
		checkGolden(t, filepath.Join(dir, fileName(name, pkg)), src, pkg == "golden" && *update,
			"go test -run YNLGolden -update writes a golden file; scripts/gen.sh a package's")
	}
}

// checkGolden fails the test when src differs from the file at path, or
// with update rewrites the file; regen says how to regenerate it.
func checkGolden(t *testing.T, path string, src []byte, update bool, regen string) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (%s)", err, regen)
		return
	}
	if !bytes.Equal(src, want) {
		t.Errorf("output differs from %s (%s, then review the diff)", path, regen)
	}
}

type familyPackage struct{ dir, pkg string }

// familyPackages reads scripts/gen.sh's list of families: the specs
// generated in full (not -consts) into a package of the module, by spec.
func familyPackages(t *testing.T) map[string]familyPackage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "scripts", "gen.sh"))
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(b), "<<'FAMILIES'\n")
	list, _, ok2 := strings.Cut(list, "\nFAMILIES\n")
	if !ok || !ok2 {
		t.Fatal("scripts/gen.sh lists no FAMILIES")
	}
	out := map[string]familyPackage{}
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || strings.HasPrefix(f[1], "testdata") || slices.Contains(f[3:], "-consts") {
			continue
		}
		out[f[0]] = familyPackage{dir: f[1], pkg: f[2]}
	}
	return out
}

// TestYNLAgainstHeaders checks the numbering (attributes from 1 or an
// explicit value, operations unified and directional, flags as bits)
// against the kernel's own uapi headers: every constant the generator
// names that a header defines has the header's value.
func TestYNLAgainstHeaders(t *testing.T) {
	for _, c := range []struct {
		spec, dir string
		headers   []string
		min       int // constants that must be found in the headers
	}{
		{"specs/tcp_metrics.yaml", "testdata/ynl", []string{"tcp_metrics.h"}, 15},
		// DEVLINK_ATTR_*, DEVLINK_CMD_*: the spec skips values (TODOs in
		// the attribute list) and numbers replies apart.
		{"specs/devlink.yaml", "testdata/ynl", []string{"devlink.h"}, 280},
		{"specs/mptcp_pm.yaml", "testdata/ynl", []string{"mptcp_pm.h"}, 50},
		{"specs/netdev.yaml", "testdata/ynl", []string{"netdev.h"}, 40},
		// IFA_*, RTM_*ADDR, RTNLGRP_*_IFADDR (a directional netlink-raw spec).
		{"specs/rt_addr.yaml", "rtnl/include/linux", []string{"if_addr.h", "rtnetlink.h"}, 15},
		// The ethtool spec, with the three fixes made to the pinned copy
		// (see README.md), against the uapi headers of the same kernel
		// (6.12).
		{"specs/ethtool.yaml", "testdata/ynl/ethtool", []string{"ethtool.h", "ethtool_netlink.h"}, 340},
	} {
		_, _, consts, err := genYNL(c.spec, "golden", false)
		if err != nil {
			t.Fatal(err)
		}
		h, err := readHeaders(c.dir, c.headers)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for name, v := range consts {
			hv, ok := h.values[name]
			if !ok {
				continue
			}
			found++
			if hv != v {
				t.Errorf("%s: %s = %d, the header says %d", c.spec, name, v, hv)
			}
		}
		if found < c.min {
			t.Errorf("%s: only %d of %d constants found in %v, want %d or more", c.spec, found, len(consts), c.headers, c.min)
		}
	}
}

// TestRTNLDeterministic runs the rtnl generator twice: Go's map order
// must not leak into the output.
func TestRTNLDeterministic(t *testing.T) {
	a, notes, err := genRTNL("rtnl")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(rtnlFiles) || len(notes) == 0 {
		t.Fatalf("%d files, %d notes", len(a), len(notes))
	}
	b, _, err := genRTNL("rtnl")
	if err != nil {
		t.Fatal(err)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// copyInputs copies the rtnl inputs into a temporary directory and
// applies edit to one header there.
func copyInputs(t *testing.T, header string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "include", "linux"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"pyroute2.json", "include/VERSION"}, prefixAll("include/linux/", rtnlHeaders)...) {
		b, err := os.ReadFile(filepath.Join("rtnl", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "include/linux/"+header {
			s := edit(string(b))
			if s == string(b) {
				t.Fatalf("edit of %s changed nothing", header)
			}
			b = []byte(s)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil { // include/linux/can
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func prefixAll(p string, s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = p + v
	}
	return out
}

// TestRTNLStops: an edit of if_addr.h that the tables no longer fit stops
// the generator with an error naming the constant.
func TestRTNLStops(t *testing.T) {
	for _, c := range []struct {
		name, old, new, want string
	}{
		// A header attribute that neither pyroute2 nor kernelTypes
		// types, so that a header update cannot silently leave names out.
		{"untyped attribute", "\tIFA_PROTO,", "\tIFA_PROTO,\n\tIFA_FROM_THE_FUTURE,", "IFA_FROM_THE_FUTURE"},
		// A kernelTypes entry the headers no longer define, so that the
		// table does not rot.
		{"stale kernel type", "\tIFA_PROTO,", "", "kernelTypes names constants the headers lack: IFA_PROTO"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copyInputs(t, "if_addr.h", func(s string) string { return strings.Replace(s, c.old, c.new, 1) })
			_, _, err := genRTNL(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one naming %q", err, c.want)
			}
		})
	}
}

// TestRTNLHeaderWins: where pyroute2's position disagrees with the header,
// the header's value is used.
func TestRTNLHeaderWins(t *testing.T) {
	dir := copyInputs(t, "if_addr.h", func(s string) string {
		// Renumber the enum from IFA_ADDRESS on by 100.
		return strings.Replace(s, "\tIFA_ADDRESS,", "\tIFA_ADDRESS = 101,", 1)
	})
	files, notes, err := genRTNL(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := string(files["zschema_addr.go"])
	if !strings.Contains(src, `101: {Name: "address", Kind: schema.Addr}`) ||
		!strings.Contains(src, `102: {Name: "local", Kind: schema.Addr}`) {
		t.Errorf("renumbered header not followed:\n%s", src)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "IFA_ADDRESS: pyroute2 1, header 101") {
		t.Errorf("no note of the disagreement: %v", notes)
	}
}

func TestHeaderEval(t *testing.T) {
	h := &headers{values: map[string]int64{"FOO": 3}}
	for expr, want := range map[string]int64{
		"1": 1, "0": 0, "0x10U": 16, "(1 << 3)": 8, "FOO + 1": 4, "-1": -1, "~0": -1,
		"(FOO - 1) * 2": 4, "1UL << 40": 1 << 40, "7 / 2": 3, "0x3 | 0x4 & 0x6": 7,
	} {
		if got, err := h.eval(expr); err != nil || got != want {
			t.Errorf("eval(%q) = %d, %v; want %d", expr, got, err, want)
		}
	}
	for _, expr := range []string{"sizeof(struct x)", "010", `"str"`, "BAR", "(1", "1 2", "(__u32)1", "1 \\"} {
		if got, err := h.eval(expr); err == nil {
			t.Errorf("eval(%q) = %d, want an error", expr, got)
		}
	}
}

func TestHeaderParse(t *testing.T) {
	h := &headers{values: map[string]int64{}, enumOf: map[string][]cmember{}, structs: map[string][]cfield{}}
	err := h.parse(`
/* #define HIDDEN 1 */
#define A 2 // two
#define B (A << 1)
#define F(x) ((x) + 1)
enum e { E_UNSPEC, E_ONE = A, E_TWO, __E_MAX };
struct s { __u8 a; __u32 b[4]; char c[]; };
`)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int64{"A": 2, "B": 4, "E_UNSPEC": 0, "E_ONE": 2, "E_TWO": 3, "__E_MAX": 4} {
		if got, ok := h.values[name]; !ok || got != want {
			t.Errorf("%s = %d, %v; want %d", name, got, ok, want)
		}
	}
	for _, name := range []string{"HIDDEN", "F"} {
		if _, ok := h.values[name]; ok {
			t.Errorf("%s defined", name)
		}
	}
	if m := h.members("E_ONE"); len(m) != 2 || m[0].name != "E_ONE" || m[1].name != "E_TWO" {
		t.Errorf("members = %v", m)
	}
	want := []cfield{{"__u8", "a", -1}, {"__u32", "b", 4}, {"char", "c", 0}}
	if got := h.structs["s"]; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("struct s = %v, want %v", got, want)
	}
}

// TestEmitStopsOnDuplicateName: two attributes of one schema with the same
// name (or type) stop the generator rather than shadow each other in
// by-name lookups.
func TestEmitStopsOnDuplicateName(t *testing.T) {
	for _, entries := range [][]rentry{
		{{1, "A_X", "x", &rspec{kind: "u8"}}, {2, "A_Y", "x", &rspec{kind: "u8"}}},
		{{1, "A_X", "x", &rspec{kind: "u8"}}, {1, "A_Y", "y", &rspec{kind: "u8"}}},
	} {
		func() {
			defer func() {
				r := recover()
				if ge, ok := r.(genError); !ok || !strings.Contains(ge.msg, "duplicate attribute") {
					t.Errorf("recovered %v, want a duplicate attribute error", r)
				}
			}()
			emitSchema(&outBuf{}, &rschema{goName: "aSchema", name: "a", entries: entries}, map[string]bool{})
		}()
	}
}

// TestDedupSubset: a subset-of set that lists an attribute twice (as
// devlink.yaml's dl-dpipe-table does) keeps it once; a full set is left
// alone, for emitSchema to refuse.
func TestDedupSubset(t *testing.T) {
	s := &ynlAttrSet{SubsetOf: "devlink", Attributes: []ynlAttr{{Name: "a"}, {Name: "b"}, {Name: "a"}, {Name: "c"}, {Name: "b"}}}
	dedupSubset(s)
	var names []string
	for _, a := range s.Attributes {
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "a,b,c" {
		t.Errorf("subset = %v, want a,b,c", names)
	}
	full := &ynlAttrSet{Attributes: []ynlAttr{{Name: "a"}, {Name: "a"}}}
	dedupSubset(full)
	if len(full.Attributes) != 2 {
		t.Errorf("full set changed: %v", full.Attributes)
	}
}
