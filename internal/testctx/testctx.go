// Package testctx gives tests the context they bound their calls with:
// one that ends after a time far beyond what the calls need, or with the
// test. It is a bound, not a measure: a loaded machine never fails a test
// that would pass.
package testctx

import (
	"context"
	"testing"
	"time"
)

// New returns a context that ends after d, or when t and its cleanups
// end.
func New(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
