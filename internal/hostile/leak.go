package hostile

import (
	"fmt"
	"iter"
	"os"
	"runtime"
	"testing"
	"time"
)

// Panics calls f n times, each under Within, and fails the test each
// time f returns without panicking: f is a call that must panic (in a
// callback, or in the body of a loop over a dump) for the test to mean
// anything.
func Panics(t testing.TB, what string, n int, f func()) {
	t.Helper()
	for i := range n {
		Within(t, fmt.Sprintf("panic %d in %s", i, what), func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", what)
				}
			}()
			f()
		})
	}
}

// PanicInEvents panics in the loop body over a monitor's events, once
// sync (the monitor's Sync) has asked for one to come: for Panics, on
// rtm's and genl's monitors alike.
func PanicInEvents[E any](t testing.TB, sync func() (uint32, error), events iter.Seq2[E, error]) {
	if _, err := sync(); err != nil {
		t.Error(err)
	}
	for range events {
		panic("loop body")
	}
}

// OpenFDs returns how many descriptors the process has open.
func OpenFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// Baseline counts the descriptors and goroutines open now and returns a
// check that fails the test if more are open when it is called: a
// socket or a goroutine leaked meanwhile. The check gives goroutines that
// are ending a few seconds to be gone; it never waits for descriptors,
// which a call closes before it returns.
func Baseline(t testing.TB) (check func(after string)) {
	t.Helper()
	fds, goroutines := OpenFDs(t), runtime.NumGoroutine()
	return func(after string) {
		t.Helper()
		if got := OpenFDs(t); got != fds {
			t.Errorf("%d descriptors open %s, %d before", got, after, fds)
		}
		for range 500 {
			if runtime.NumGoroutine() <= goroutines {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("%d goroutines %s, %d before", runtime.NumGoroutine(), after, goroutines)
	}
}
