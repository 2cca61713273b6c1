package ethtool_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestLayering checks that genl/ethtool stands on genl, socket, wire,
// nla and netns alone: a program using it links nothing of rtm nor of
// another family.
func TestLayering(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "list", "-deps", "github.com/ipr-go/ipr/genl/ethtool").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if rest, ok := strings.CutPrefix(p, "github.com/ipr-go/ipr/"); ok {
			switch rest {
			case "genl", "genl/ethtool", "socket", "wire", "nla", "netns":
			default:
				t.Errorf("genl/ethtool depends on %s", p)
			}
		}
	}
}
