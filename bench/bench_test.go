package bench

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ipr-go/ipr/bench/workload"
)

// testSizes keep the namespace quick to fill: the figures per object are
// what compare.
var testSizes = workload.Sizes{Routes: 20000, Links: 500, Neighs: 2000, Addrs: 2000,
	Gets: 1000, Adds: 10000, Veths: 50, Events: 20000, Prefix: 20000}

var (
	nsOnce sync.Once
	nsEnv  *workload.Env
	nsErr  error
	nsName = fmt.Sprintf("ipr-bench-test-%d", os.Getpid())
)

func TestMain(m *testing.M) {
	code := m.Run()
	if nsEnv != nil {
		if err := workload.DeleteNamespace(nsName); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// env returns the benchmark namespace, created and filled on first use.
// It skips when not root, and fails instead when IPR_REQUIRE_PRIVILEGED=1.
func env(tb testing.TB) *workload.Env {
	tb.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("IPR_REQUIRE_PRIVILEGED") == "1" {
			tb.Fatal("not root, and IPR_REQUIRE_PRIVILEGED=1")
		}
		tb.Skip("needs root to create a network namespace")
	}
	nsOnce.Do(func() {
		e := &workload.Env{NS: nsName, Sizes: testSizes, Inputs: workload.NewInputs(testSizes.Prefix)}
		if nsErr = workload.CreateNamespace(nsName, testSizes); nsErr != nil {
			workload.DeleteNamespace(nsName)
			return
		}
		nsEnv = e
	})
	if nsErr != nil {
		tb.Fatal(nsErr)
	}
	return nsEnv
}

// inputsEnv is the environment of the ipnet workloads, which need no
// namespace.
var inputsEnv = sync.OnceValue(func() *workload.Env {
	return &workload.Env{Sizes: testSizes, Inputs: workload.NewInputs(testSizes.Prefix)}
})

// run benchmarks every Go contestant of a workload, one sub-benchmark per
// contestant (and per phase when it has several). Each operation is one
// repetition of the phase: a whole dump, batch or loop over the inputs.
func run(b *testing.B, name string, kernel bool) {
	for _, c := range workload.Contestants(name) {
		b.Run(c, func(b *testing.B) {
			var e *workload.Env
			if kernel {
				e = env(b)
			} else {
				e = inputsEnv()
			}
			mk, err := workload.Lookup(name, c)
			if err != nil {
				b.Fatal(err)
			}
			inst, err := mk(e)
			if err != nil {
				b.Fatal(err)
			}
			defer inst.Close()
			for i := range inst.Phases {
				p := inst.Phases[i]
				sub := func(b *testing.B) { runPhase(b, inst, i) }
				if len(inst.Phases) == 1 {
					sub(b)
					continue
				}
				b.Run(p.Name, sub)
			}
		})
	}
}

// runPhase times phase i; the other phases of a repetition (such as the
// deletion after an addition) run with the timer stopped.
func runPhase(b *testing.B, inst *workload.Instance, i int) {
	b.ReportAllocs()
	var objects int
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for j, p := range inst.Phases {
			if j != i {
				b.StopTimer()
			}
			r, err := p.Run()
			if err != nil {
				b.Fatal(err)
			}
			if j != i {
				b.StartTimer()
				continue
			}
			objects += r.Count
			if p.Verify != nil {
				b.StopTimer()
				if _, err := p.Verify(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		}
	}
	b.StopTimer()
	if objects > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(objects), "ns/obj")
	}
}

func BenchmarkRouteDump(b *testing.B) { run(b, "route-dump", true) }
func BenchmarkLinkDump(b *testing.B)  { run(b, "link-dump", true) }
func BenchmarkAddrDump(b *testing.B)  { run(b, "addr-dump", true) }
func BenchmarkNeighDump(b *testing.B) { run(b, "neigh-dump", true) }
func BenchmarkRouteGet(b *testing.B)  { run(b, "route-get", true) }
func BenchmarkRouteAdd(b *testing.B)  { run(b, "route-add", true) }
func BenchmarkVeth(b *testing.B)      { run(b, "veth", true) }

func BenchmarkEthtoolFeatures(b *testing.B) { run(b, "ethtool-features", true) }
func BenchmarkEthtoolLinkInfo(b *testing.B) { run(b, "ethtool-linkinfo", true) }

func BenchmarkParseV4(b *testing.B)      { run(b, "parse-v4", false) }
func BenchmarkParseV6(b *testing.B)      { run(b, "parse-v6", false) }
func BenchmarkParsePrefix4(b *testing.B) { run(b, "parse-prefix4", false) }
func BenchmarkParsePrefix6(b *testing.B) { run(b, "parse-prefix6", false) }
func BenchmarkContains(b *testing.B)     { run(b, "contains", false) }
func BenchmarkCollapse(b *testing.B)     { run(b, "collapse", false) }
func BenchmarkSummarize(b *testing.B)    { run(b, "summarize", false) }
func BenchmarkExclude(b *testing.B)      { run(b, "exclude", false) }

// TestContestantsAgree runs every Go contestant of every workload once and
// checks that they saw the same number of objects and, where a digest is
// computed, the same results.
func TestContestantsAgree(t *testing.T) {
	for _, w := range []string{"route-dump", "link-dump", "addr-dump", "neigh-dump", "route-get", "route-add",
		"ethtool-features", "ethtool-linkinfo", "parse-v4", "parse-v6", "parse-prefix4", "parse-prefix6", "contains", "collapse", "summarize", "exclude",
		"tc-filter-dump", "tc-filter-add"} {
		t.Run(w, func(t *testing.T) {
			e := inputsEnv()
			if !workload.NeedsInputs(w) {
				e = env(t)
			}
			type seen struct {
				contestant string
				r          workload.Result
			}
			ref := map[string]seen{}
			for _, c := range workload.Contestants(w) {
				ms, err := workload.Measure(e, w, c, 1)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					if m.Result.Count == 0 {
						t.Errorf("%s/%s saw nothing", c, m.Phase)
					}
					f, ok := ref[m.Phase]
					if !ok {
						ref[m.Phase] = seen{c, m.Result}
						continue
					}
					if m.Result.Count != f.r.Count || m.Result.Digest != f.r.Digest {
						t.Errorf("%s: %s saw %d (%q), %s saw %d (%q)", m.Phase, c, m.Result.Count, m.Result.Digest,
							f.contestant, f.r.Count, f.r.Digest)
					}
				}
			}
		})
	}
}

// TestEvents runs the event workload's Go listeners once: each must see
// some of the changes and report what happened.
func TestEvents(t *testing.T) {
	e := env(t)
	for _, c := range workload.Contestants("events") {
		start := time.Now()
		ms, err := workload.Measure(e, "events", c, 1)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		r := ms[0].Result
		if r.Count == 0 || r.Count > r.Extra["changes"] {
			t.Errorf("%s observed %d of %d changes", c, r.Count, r.Extra["changes"])
		}
		t.Logf("%s: %d of %d events, %d overruns, recovered=%d (%s) in %v", c, r.Count, r.Extra["changes"],
			r.Extra["overruns"], r.Extra["recovered"], r.Note, time.Since(start).Round(time.Millisecond))
	}
}

func BenchmarkTCFilterDump(b *testing.B) { run(b, "tc-filter-dump", true) }
func BenchmarkTCFilterAdd(b *testing.B)  { run(b, "tc-filter-add", true) }
