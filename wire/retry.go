package wire

import (
	"context"
	"errors"
	"fmt"
)

// Retry runs dump, which performs one complete dump, until it returns
// something other than [ErrDumpInterrupted], at most attempts times. It
// never returns a partial result silently and never loops forever: when
// every attempt was interrupted it returns an error that wraps
// ErrDumpInterrupted and says how many attempts were made. dump must
// discard what an earlier, interrupted attempt collected.
//
// Retry stops early, with ctx's error, once ctx is done.
func Retry(ctx context.Context, attempts int, dump func(ctx context.Context) error) error {
	if attempts < 1 {
		attempts = 1
	}
	for i := 1; ; i++ {
		err := dump(ctx)
		if !errors.Is(err, ErrDumpInterrupted) {
			return err
		}
		if i == attempts {
			return fmt.Errorf("wire: %d consecutive dumps interrupted: %w", attempts, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
