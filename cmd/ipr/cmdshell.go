package main

// Steps that the objects' commands share after their arguments are
// parsed: resolving device names, running a flush's deletes.

import (
	"context"
	"errors"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// runFlush runs a flush's batch of deletes. An object that is gone by the
// time its delete arrives (the kernel answers with one of the errnos
// gone: it went with its group, its primary, …) is not a failure; the
// first other refusal is, as is a batch that could not be sent at all.
func runFlush(ctx context.Context, bt *rtm.Batch, gone ...unix.Errno) error {
	results, err := bt.Run(ctx)
	for _, r := range results {
		if r != nil && !isErrno(r, gone) {
			return r
		}
	}
	if results == nil {
		return err
	}
	return nil
}

func isErrno(err error, errnos []unix.Errno) bool {
	for _, e := range errnos {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// linkRefs names devices whose indexes a request needs.
type linkRefs []struct {
	name  string
	index *int32
}

// resolve sets each index to its device's, skipping the names not given;
// a name that is no device fails as ip's "Cannot find device".
func (refs linkRefs) resolve(ctx context.Context, h *rtm.Handle) error {
	for _, d := range refs {
		if d.name == "" {
			continue
		}
		l, err := linkByName(ctx, h, d.name)
		if err != nil {
			return err
		}
		*d.index = l.Index()
	}
	return nil
}
