package genl_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestLayering checks that genl and its family packages stand on socket,
// wire, nla and the internal packages they share with rtm alone: a program using generic netlink links nothing of
// rtm, and one family package links no other.
func TestLayering(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "list", "-deps", "github.com/ipr-go/ipr/genl/nlctrl").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if rest, ok := strings.CutPrefix(p, "github.com/ipr-go/ipr/"); ok {
			switch rest {
			case "genl", "genl/nlctrl", "socket", "wire", "nla", "netns", "internal/pool", "internal/schema":
			default:
				t.Errorf("genl/nlctrl depends on %s", p)
			}
		}
	}
}
