package hostile

import (
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
