package hostile

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Watchdog is how long Within lets a call run before calling it wedged:
// far beyond what any call of these tests needs, so that it never decides
// a passing run, but short of go test's own timeout.
const Watchdog = 60 * time.Second

// Within runs f in a goroutine and fails the test if f has not returned
// after Watchdog; a panic in f is a failure too. The goroutine of a wedged
// f is left behind, to be freed when the test's cleanups close what it
// waits on.
func Within(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		f()
	}()
	select {
	case p := <-done:
		if p != nil {
			t.Fatalf("%s panicked: %v", what, p)
		}
	case <-time.After(Watchdog):
		t.Fatalf("%s still blocked after %v: wedged", what, Watchdog)
	}
}

// Calls makes n calls under Within, each with a context of its own that
// ends after timeout, and fails the test at the first that fails: the
// handle they go through is not wedged. call gets the context and the
// call's number, to alternate between kinds of call.
func Calls(t testing.TB, n int, timeout time.Duration, after string, call func(ctx context.Context, i int) error) {
	t.Helper()
	Within(t, fmt.Sprintf("%d calls %s", n, after), func() {
		for i := range n {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			err := call(ctx, i)
			cancel()
			if err != nil {
				t.Errorf("call %d %s: %v", i, after, err)
				return
			}
		}
	})
}

// NoPanic runs f and reports a panic in it as a test error rather than
// letting it crash the test binary.
func NoPanic(t testing.TB, what string, f func()) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s panicked: %v", what, p)
		}
	}()
	f()
}
