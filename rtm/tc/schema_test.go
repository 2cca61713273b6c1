package tc_test

import (
	"bufio"
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/rtm/tc"
)

// The generated schemas name the attributes of the kernel's replies.
func TestGetByName(t *testing.T) {
	f, err := os.Open(replyFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		b, err := hex.DecodeString(sc.Text())
		if err != nil {
			t.Fatal(err)
		}
		q, err := tc.QdiscFromBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		kind, ok := q.Get("kind")
		if s, _ := kind.Text(); !ok || s != q.Kind() {
			t.Errorf("kind %q %v, want %q", s, ok, q.Kind())
		}
		if v, ok := q.Get("stats2", "basic"); !ok || len(v.Bytes()) < 12 {
			t.Errorf("%s: stats2/basic %v %v", q.Kind(), v, ok)
		}
		switch q.Kind() {
		case "htb":
			if v, ok := q.Get("options", "init"); ok {
				seen["init"] = true
				if r2q, ok := v.Get("rate2quantum"); !ok {
					t.Errorf("htb init %v: no rate2quantum", v)
				} else if n, _ := r2q.Uint(); n != 10 {
					t.Errorf("r2q %d", n)
				}
			} else if v, ok := q.Get("options", "parms"); ok {
				seen["parms"] = true
				if _, ok := v.Get("rate"); !ok {
					t.Errorf("htb parms %v: no rate", v)
				}
			}
		case "tbf":
			if _, ok := q.Get("options", "parms"); ok {
				seen["tbf"] = true
			}
		}
		n := 0
		for range q.Values() {
			n++
		}
		if n == 0 {
			t.Errorf("%s: no attributes by name", q.Kind())
		}
	}
	if len(seen) != 3 {
		t.Errorf("seen %v, want htb init, htb class parms and tbf parms", seen)
	}
}

// TestGenerated checks that zynl_tc.go is what tools/gen writes from the
// kernel's tc.yaml (scripts/gen.sh regenerates it).
func TestGenerated(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "go", "run", "-C", filepath.Join("..", "..", "tools", "gen"), ".",
		"ynl", "-spec", "specs/tc.yaml", "-out", dir, "-pkg", "tc", "-check")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	if s := string(out); !strings.Contains(s, "gen: ") && os.Getenv("CI") != "true" &&
		(strings.Contains(s, "dial tcp") || strings.Contains(s, "GOPROXY=off") || strings.Contains(s, "no such host")) {
		t.Skipf("cannot build tools/gen (its dependencies are not in the module cache):\n%s", out)
	}
	t.Fatalf("zynl_tc.go is not what tools/gen writes (run scripts/gen.sh):\n%s", out)
}
