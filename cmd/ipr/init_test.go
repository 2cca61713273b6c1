package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoInitWork checks the project's rule that a package does no work at
// init, for this command: no init functions, and no package-level
// variable whose value needs code to run (a function call, a map
// literal). Tables are arrays, slices of constants, switches, or built on
// first use. (GODEBUG=inittrace=1 on a built ipr shows 0 allocs for
// "init main"; in a test binary the test files' own variables count.)
func TestNoInitWork(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					t.Errorf("%s: func init", fset.Position(d.Pos()))
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						ast.Inspect(v, func(n ast.Node) bool {
							switch n := n.(type) {
							case *ast.FuncLit:
								return false // a function's body runs when called
							case *ast.CallExpr:
								t.Errorf("%s: package-level variable computed by a call", fset.Position(n.Pos()))
							case *ast.CompositeLit:
								if _, isMap := n.Type.(*ast.MapType); isMap {
									t.Errorf("%s: package-level map literal", fset.Position(n.Pos()))
								}
							}
							return true
						})
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files found")
	}
}
