// Package testrun holds what the tests of several packages run their
// calls with: a context bounded in time that ends with the test, calls
// made from several goroutines at once, the first error of a dump, and
// what a call allocates.
package testrun

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"
)

// Context returns a context that ends after d, or when t and its
// cleanups end. It is a bound, not a measure: d is far beyond what the
// calls need, so that a loaded machine never fails a test that would
// pass.
func Context(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// Parallel makes n calls in each of g goroutines, all at once, call(k,
// i) being the i-th of goroutine k, and returns, once every goroutine is
// done, the errors of the calls that failed, each naming its goroutine
// and call.
func Parallel(g, n int, call func(k, i int) error) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for k := range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if err := call(k, i); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("goroutine %d call %d: %w", k, i, err))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return errs
}

// FirstErr returns the first error seq yields, or nil: the error of a
// dump that fails at once. A dump that yields nothing at all is no error.
func FirstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// LeastAllocs returns the least of three testing.AllocsPerRun(runs, f).
// AllocsPerRun counts the whole process's allocations, so the runtime's
// own (a park in the poller, the race detector, a GC that empties a
// handle's builder pool) come and go with load; the least of three is
// what f itself costs.
func LeastAllocs(runs int, f func()) float64 {
	n := testing.AllocsPerRun(runs, f)
	for range 2 {
		n = min(n, testing.AllocsPerRun(runs, f))
	}
	return n
}
