package pool

import (
	"fmt"

	"github.com/ipr-go/ipr/wire"
)

// OpError names the operation op of package pkg ("rtm", "genl") in err:
// in the *wire.Error it wraps, if that one names none yet, else by
// wrapping err.
func OpError(pkg, op string, err error) error {
	if err == nil {
		return nil
	}
	if e := AsWireError(err); e != nil && e.Op == "" {
		e.Op = pkg + ": " + op
		return err
	}
	return fmt.Errorf("%s: %s: %w", pkg, op, err)
}

// AsWireError returns the first *wire.Error in err's tree, as errors.As
// finds it, without the reflection errors.As links into every program.
func AsWireError(err error) *wire.Error {
	for err != nil {
		switch e := err.(type) {
		case *wire.Error:
			return e
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range e.Unwrap() {
				if w := AsWireError(err); w != nil {
					return w
				}
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}
