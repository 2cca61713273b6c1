package rtm

import (
	"errors"

	"golang.org/x/sys/unix"
)

// ErrNotFound is matched by errors.Is when a lookup or change finds no
// object. The kernel's errno stays matchable too: ENODEV for links,
// ENOENT for neighbours, FDB entries and nexthops, so that
// errors.Is(err, unix.ENODEV) still holds for a missing link.
var ErrNotFound = errors.New("rtm: not found")

// notFound marks err as ErrNotFound when it carries errno, the kernel's
// "no such object" for the request (each object family has its own), and
// returns it unchanged otherwise. It is the one place that maps errnos to
// ErrNotFound.
func notFound(err error, errno unix.Errno) error {
	if err != nil && errors.Is(err, errno) {
		return &notFoundError{err}
	}
	return err
}

// notFoundError marks a kernel "no such object" error as ErrNotFound while
// keeping the errno.
type notFoundError struct{ err error }

func (e *notFoundError) Error() string        { return e.err.Error() }
func (e *notFoundError) Unwrap() error        { return e.err }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }
