package genl_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGenerated checks that each family package's zynl_*.go is exactly
// what tools/gen writes from the pinned spec (scripts/gen.sh -check does
// it for every generated file of the module).
func TestGenerated(t *testing.T) {
	for _, f := range []struct{ spec, pkg, dir, flags string }{
		{"nlctrl", "nlctrl", "nlctrl", "-consts"},
		{"mptcp_pm", "mptcp", "mptcp", ""},
		{"tcp_metrics", "tcpmetrics", "tcpmetrics", ""},
		{"netdev", "netdev", "netdev", ""},
	} {
		t.Run(f.pkg, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			dir, err := filepath.Abs(f.dir)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"run", "-C", filepath.Join("..", "tools", "gen"), ".",
				"ynl", "-spec", "specs/" + f.spec + ".yaml", "-out", dir, "-pkg", f.pkg, "-check"}
			if f.flags != "" {
				args = append(args, f.flags)
			}
			out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput()
			if err == nil {
				return
			}
			if s := string(out); !strings.Contains(s, "gen: ") && os.Getenv("CI") != "true" &&
				(strings.Contains(s, "dial tcp") || strings.Contains(s, "GOPROXY=off") || strings.Contains(s, "no such host")) {
				t.Skipf("cannot build tools/gen (its dependencies are not in the module cache):\n%s", out)
			}
			t.Fatalf("tools/gen ynl -check: %v\n%s", err, out)
		})
	}
}
