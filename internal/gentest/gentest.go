// Package gentest lets a package's tests check that its generated files
// are what tools/gen writes from the committed inputs.
package gentest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// YNL runs tools/gen's ynl mode with -check for spec (a path under
// tools/gen, "specs/ethtool.yaml") into the calling test's package
// directory as package pkg, with flags ("-consts", "-ops"), and fails the
// test when the committed files differ. It skips when tools/gen cannot
// be built for want of its dependencies outside CI.
func YNL(t testing.TB, spec, pkg string, flags ...string) {
	t.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("gentest: no caller information")
	}
	gen := filepath.Join(filepath.Dir(self), "..", "..", "tools", "gen")
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"run", "-C", gen, ".", "ynl", "-spec", spec, "-out", dir, "-pkg", pkg}, flags...)
	out, err := exec.CommandContext(ctx, "go", append(args, "-check")...).CombinedOutput()
	if err == nil {
		return
	}
	if s := string(out); !strings.Contains(s, "gen: ") && os.Getenv("CI") != "true" &&
		(strings.Contains(s, "dial tcp") || strings.Contains(s, "GOPROXY=off") || strings.Contains(s, "no such host")) {
		t.Skipf("cannot build tools/gen (its dependencies are not in the module cache):\n%s", out)
	}
	t.Fatalf("tools/gen ynl -check: %v\n%s", err, out)
}
