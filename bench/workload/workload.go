// Package workload holds the benchmark workloads of ipr and of its peers
// (vishvananda/netlink, jsimonetti/rtnetlink, net/netip, go4.org/netipx) and
// the raw floor written with golang.org/x/sys/unix alone, which is what
// the kernel itself costs.
//
// Every contestant's implementation of a workload returns the same
// phases, and every phase reports how many objects it saw or changed, so
// that the runner can check the contestants agree before it compares
// their times.
package workload

import (
	"errors"
	"fmt"
	"sort"
)

// Env is what a workload runs against.
type Env struct {
	NS    string // the benchmark namespace's name
	Sizes Sizes
	// Inputs are the inputs of the ipnet workloads.
	Inputs *Inputs
	// Generate, when set, makes the event workload's n route changes from
	// another process; otherwise they are made in-process.
	Generate func(n int) error
}

// Result is what one run of a phase saw or did.
type Result struct {
	Count  int    // objects dumped, changed, parsed, ...
	Digest string `json:",omitempty"` // a summary of the output, compared across contestants
	// Note describes behaviour a count does not show, such as how an
	// event listener recovered from an overrun.
	Note string `json:",omitempty"`
	// Extra counts, such as overruns, keyed by name.
	Extra map[string]int `json:",omitempty"`
	// digest, when set, computes Digest after the timed run.
	digest func() string
}

// Phase is one timed step of a workload's repetition. Verify, when not nil,
// runs untimed after Run and its result replaces Run's.
type Phase struct {
	Name   string
	Run    func() (Result, error)
	Verify func() (Result, error)
}

// Instance is a contestant prepared to run a workload: its phases, run
// in order once per repetition, and Close.
type Instance struct {
	Phases []Phase
	Close  func() error
}

// Maker prepares an Instance. Preparation (opening sockets and handles,
// building inputs) is not timed.
type Maker func(env *Env) (*Instance, error)

// ErrNotImplemented marks a contestant that cannot run a workload, such
// as an ipr API that does not exist yet.
var ErrNotImplemented = errors.New("not implemented")

// registry maps workload, then contestant, to its Maker.
var registry = map[string]map[string]Maker{}

func register(workload, contestant string, m Maker) {
	if registry[workload] == nil {
		registry[workload] = map[string]Maker{}
	}
	registry[workload][contestant] = m
}

// Lookup returns the Maker of a contestant's workload.
func Lookup(workload, contestant string) (Maker, error) {
	m, ok := registry[workload][contestant]
	if !ok {
		return nil, fmt.Errorf("workload %q has no contestant %q", workload, contestant)
	}
	return m, nil
}

// Contestants returns the Go contestants of a workload, sorted.
func Contestants(workload string) []string {
	var out []string
	for c := range registry[workload] {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func single(name string, run func() (Result, error), close func() error) *Instance {
	return &Instance{Phases: []Phase{{Name: name, Run: run}}, Close: close}
}

// dumpPhase is the instance of a dump contestant whose one phase reads
// the objects with client c and counts them (dump); closeFn closes c.
func dumpPhase[C any](c C, closeFn func() error, dump func(C) (int, error)) *Instance {
	run := func() (Result, error) {
		n, err := dump(c)
		return Result{Count: n}, err
	}
	return single("dump", run, closeFn)
}

// getPhase is the instance of a route-get contestant whose one phase
// looks up every target with get, which reports whether the kernel
// answered with a route; closeFn closes the contestant's client.
func getPhase[T any](targets []T, closeFn func() error, get func(T) (bool, error)) *Instance {
	run := func() (Result, error) {
		n := 0
		for _, t := range targets {
			ok, err := get(t)
			if err != nil {
				return Result{}, err
			}
			if ok {
				n++
			}
		}
		return Result{Count: n}, nil
	}
	return single("get", run, closeFn)
}

func noClose() error { return nil }

// sink keeps decoded values alive so the compiler cannot drop the reads.
var sink uint64

// countMismatch reports a phase that saw fewer or more objects than it
// should have.
func countMismatch(what string, got, want int) error {
	return fmt.Errorf("%s: %d, want %d", what, got, want)
}
