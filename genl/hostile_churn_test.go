package genl_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/wire"
)

// addVeths adds n veth pairs to ns (s0/t0, s1/t1, ...) and returns their
// names: enough devices, with n in the tens, that a dump of them spans
// several reads.
func addVeths(t *testing.T, ns *nstest.NS, n int) []string {
	t.Helper()
	nstest.Require(t, "link:veth")
	var names []string
	var batch strings.Builder
	for i := range n {
		fmt.Fprintf(&batch, "link add s%d type veth peer name t%d\n", i, i)
		names = append(names, fmt.Sprintf("s%d", i), fmt.Sprintf("t%d", i))
	}
	file := filepath.Join(t.TempDir(), "veths")
	if err := os.WriteFile(file, []byte(batch.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", file)
	return names
}

// churner runs iproute2's ip in batch mode, as another process, adding
// and deleting veth pairs (and MPTCP endpoints) in a namespace over and
// over until stopped.
type churner struct {
	stop   chan struct{}
	done   chan struct{}
	rounds atomic.Int32 // batches ip ran to their end
	err    error        // read after done
}

// churn starts a churner in ns; t's cleanup stops it.
func churn(t *testing.T, ns *nstest.NS, endpoints bool) *churner {
	t.Helper()
	var script strings.Builder
	for i := range 50 {
		fmt.Fprintf(&script, "link add c%d type veth peer name d%d\n", i, i)
		if endpoints {
			fmt.Fprintf(&script, "mptcp endpoint add 10.1.%d.%d id %d\n", i/250, i%250+1, 10+i)
		}
		if i >= 2 {
			fmt.Fprintf(&script, "link del c%d\n", i-2)
			if endpoints {
				fmt.Fprintf(&script, "mptcp endpoint delete id %d\n", 10+i-2)
			}
		}
	}
	fmt.Fprintf(&script, "link del c48\nlink del c49\n")
	if endpoints {
		fmt.Fprintf(&script, "mptcp endpoint delete id 58\nmptcp endpoint delete id 59\n")
	}
	file := filepath.Join(t.TempDir(), "churn")
	if err := os.WriteFile(file, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("test needs iproute2's ip:", err)
	}
	c := &churner{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			select {
			case <-c.stop:
				return
			default:
			}
			ctx, cancel := context.WithCancel(context.Background())
			cmd := exec.CommandContext(ctx, ip, "-n", ns.Name, "-force", "-batch", file)
			go func() {
				select {
				case <-c.stop:
				case <-ctx.Done():
				}
				cancel() // kills this ip, the process started here
			}()
			out, err := cmd.CombinedOutput()
			stopped := ctx.Err() != nil
			cancel()
			if stopped {
				return
			}
			if err != nil {
				c.err = fmt.Errorf("ip -batch: %v\n%s", err, out)
				return
			}
			c.rounds.Add(1)
		}
	}()
	t.Cleanup(c.finish)
	return c
}

// finish stops the churn and waits for it.
func (c *churner) finish() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.done
}

// consistent checks one dump's outcome under churn: either it completed,
// holding every stable object once, or it failed with an error matching
// wire.ErrDumpInterrupted. A dump that completes without an object that
// was there all along was silently short.
func consistent(t *testing.T, what string, keys []string, err error, stable []string) (interrupted bool) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, wire.ErrDumpInterrupted) {
			t.Errorf("%s: %v", what, err)
		}
		return true
	}
	seen := map[string]int{}
	for _, k := range keys {
		seen[k]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%s: %s came %d times", what, k, n)
		}
	}
	for _, k := range stable {
		if seen[k] == 0 {
			t.Errorf("%s completed without %s, there all along: silently short (got %v)", what, k, keys)
		}
	}
	return false
}

// TestHostileChurnDumps dumps netdev devices, ethtool features, MPTCP
// endpoints and nlctrl's families (TCP metrics: TestHostileChurnTCPMetrics) over and over while
// another process adds and deletes veth pairs and endpoints in the
// namespace: every dump completes with all the objects that never
// changed, each once, or ends in an error matching
// wire.ErrDumpInterrupted.
func TestHostileChurnDumps(t *testing.T) {
	nstest.Require(t, "link:veth")
	h, ns := dialHostile(t)
	ctx := hostileCtx(t)
	// Enough stable devices that a dump spans several reads, so that
	// changes land between its parts.
	stableNames := addVeths(t, ns, 40)
	haveMPTCP := nstest.Have(t, "genl:mptcp_pm")
	stableEndpoints := []string{"1", "2", "3"}
	if haveMPTCP {
		for _, id := range stableEndpoints {
			nstest.IP(t, ns, "mptcp", "endpoint", "add", "10.0.0."+id, "id", id)
		}
	}
	type dump struct {
		name    string
		feature string
		stable  []string
		run     func() ([]string, error)
	}
	var stableIndexes []string
	dumps := []dump{
		{"netdev devices", "genl:netdev", nil, func() ([]string, error) {
			return hostile.Keys(netdev.Devices(ctx, h), func(d netdev.Device) string { return fmt.Sprint(d.Index()) })
		}},
		{"ethtool features", "genl:ethtool", append([]string{"lo"}, stableNames...), func() ([]string, error) {
			return hostile.Keys(ethtool.AllFeatures(ctx, h), func(s *ethtool.FeatureSet) string { return s.Name })
		}},
		{"MPTCP endpoints", "genl:mptcp_pm", stableEndpoints, func() ([]string, error) {
			return hostile.Keys(mptcp.Endpoints(ctx, h), func(e mptcp.Endpoint) string { return fmt.Sprint(e.ID()) })
		}},
		{"nlctrl families", "", []string{"nlctrl"}, func() ([]string, error) {
			return hostile.Keys(nlctrl.Families(ctx, h), func(f genl.Family) string { return f.Name })
		}},
	}
	var active []dump
	for _, d := range dumps {
		if d.feature == "" || nstest.Have(t, d.feature) {
			active = append(active, d)
		}
	}
	// The stable devices' indexes, before the churn.
	if nstest.Have(t, "genl:netdev") {
		keys, err := active[0].run()
		if err != nil || len(keys) != 81 {
			t.Fatalf("netdev devices before the churn: %v, %v", keys, err)
		}
		stableIndexes = keys
		active[0].stable = stableIndexes
	}
	c := churn(t, ns, haveMPTCP)
	var wg sync.WaitGroup
	for _, d := range active {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// At least 20 dumps, and dumps until the churner has
			// run twice through its script: dumps and changes overlap.
			interrupted, changing, i := 0, 0, 0
			for ; i < 20 || (c.rounds.Load() < 2 && i < 100000); i++ {
				keys, err := d.run()
				if consistent(t, fmt.Sprintf("%s, dump %d", d.name, i), keys, err, d.stable) {
					interrupted++
				} else if d.stable != nil && len(keys) > len(d.stable) {
					changing++
				}
			}
			t.Logf("%s: %d dumps, %d interrupted, %d saw churned objects", d.name, i, interrupted, changing)
		}()
	}
	hostile.Within(t, "dumps under churn", wg.Wait)
	c.finish()
	if c.err != nil {
		t.Error(c.err)
	}
	if n := c.rounds.Load(); n < 2 {
		t.Errorf("the churner ran %d batches to their end, want 2 during the dumps", n)
	}
	fiftyCalls(t, h, "after the churn")
}
