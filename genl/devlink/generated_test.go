package devlink_test

import (
	"testing"

	"github.com/ipr-go/ipr/internal/gentest"
)

// TestGenerated checks that zynl_devlink.go is exactly what tools/gen
// writes from the pinned spec (scripts/gen.sh -check does it for every
// generated file).
func TestGenerated(t *testing.T) {
	gentest.YNL(t, "specs/devlink.yaml", "devlink")
}
