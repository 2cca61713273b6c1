package genl_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestLayering checks that genl and each of its family packages (every
// package under genl/) stand on socket, wire, nla and the internal
// packages they share with rtm or with each other (genlview) alone: a
// program using generic netlink links nothing of rtm, and one family
// package links no other.
func TestLayering(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	list := func(args ...string) []string {
		out, err := exec.CommandContext(ctx, "go", append([]string{"list"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %v: %v\n%s", args, err, out)
		}
		return strings.Fields(string(out))
	}
	families := 0
	for _, fam := range list("github.com/ipr-go/ipr/genl/...") {
		family, ok := strings.CutPrefix(fam, "github.com/ipr-go/ipr/")
		if !ok || family == "genl" {
			continue
		}
		families++
		for _, p := range list("-deps", fam) {
			if rest, ok := strings.CutPrefix(p, "github.com/ipr-go/ipr/"); ok {
				switch rest {
				case "genl", family, "socket", "wire", "nla", "netns", "internal/pool", "internal/schema", "internal/genlview":
				default:
					t.Errorf("%s depends on %s", family, p)
				}
			}
		}
	}
	if families < 2 {
		t.Errorf("%d family packages under genl/", families)
	}
}
