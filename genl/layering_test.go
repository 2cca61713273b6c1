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
	for pkg, allowed := range map[string][]string{
		"genl/nlctrl":    {"genl/nlctrl"},
		"genl/wireguard": {"genl/wireguard", "internal/schema"},
		"genl/devlink":   {"genl/devlink", "internal/schema"},
	} {
		out, err := exec.CommandContext(ctx, "go", "list", "-deps", "github.com/ipr-go/ipr/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		ok := map[string]bool{"genl": true, "socket": true, "wire": true, "nla": true, "netns": true, "internal/pool": true}
		for _, a := range allowed {
			ok[a] = true
		}
		for _, p := range strings.Fields(string(out)) {
			if rest, found := strings.CutPrefix(p, "github.com/ipr-go/ipr/"); found && !ok[rest] {
				t.Errorf("%s depends on %s", pkg, p)
			}
		}
	}
}
