package genl_test

import (
	"context"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"golang.org/x/sys/unix"
)

// dumpFamilies walks the family dump, reading each message's command and
// name, and returns how many messages it saw.
func dumpFamilies(h *genl.Handle) int {
	n := 0
	for m, err := range h.Dump(context.Background(), genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}) {
		if err != nil || m.Command != unix.CTRL_CMD_NEWFAMILY {
			return -1
		}
		if _, ok := m.Attrs.Get(unix.CTRL_ATTR_FAMILY_NAME); !ok {
			return -1
		}
		n++
	}
	return n
}

// TestDumpAllocs checks that a dump allocates nothing per message: its
// allocations are those of starting it, fewer than the messages it
// yields, whatever their number.
func TestDumpAllocs(t *testing.T) {
	h := dialNS(t)
	n := dumpFamilies(h)
	if n < 4 {
		t.Fatalf("%d families", n)
	}
	// The least of three measures: a garbage collection empties the
	// handle's builder pool, and the next dump then allocates a builder.
	allocs := testrun.LeastAllocs(20, func() { dumpFamilies(h) })
	t.Logf("%d families, %.0f allocations per dump", n, allocs)
	if allocs >= float64(n) || allocs > 4 {
		t.Errorf("%.0f allocations per dump of %d messages: want a few per dump, none per message", allocs, n)
	}
}

// BenchmarkFamilyDump dumps the kernel's family list.
func BenchmarkFamilyDump(b *testing.B) {
	h, err := genl.Dial(genl.WithNetns(nstest.New(b).Name))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	b.ReportAllocs()
	for range b.N {
		if dumpFamilies(h) < 1 {
			b.Fatal("empty dump")
		}
	}
}
