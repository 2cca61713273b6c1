package xfrm_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayering checks that xfrm stands on socket, wire, nla, netns and
// the shared pool alone: a program that manages IPsec links nothing of
// rtm or genl.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/ipr-go/ipr/xfrm").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := []string{"xfrm", "socket", "wire", "nla", "netns", "internal/pool"}
	for _, p := range strings.Fields(string(out)) {
		if rest, ok := strings.CutPrefix(p, "github.com/ipr-go/ipr/"); ok && !slices.Contains(allowed, rest) {
			t.Errorf("xfrm depends on %s", p)
		}
	}
}
