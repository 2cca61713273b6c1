package main

// Steps that the objects' commands share after their arguments are
// parsed: resolving device names, listing a dump, running a flush's
// deletes.

import (
	"context"
	"errors"
	"iter"

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

// isErrno reports whether err is one of errnos.
func isErrno(err error, errnos []unix.Errno) bool {
	for _, e := range errnos {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// devRef names a device whose index a request needs.
type devRef struct {
	name  string
	index *int32
}

// handleFor returns the handle to the kernel, after setting each ref's
// index to its device's (a ref without a name is skipped); a name that
// is no device fails as ip's "Cannot find device".
func (e *env) handleFor(refs ...devRef) (*rtm.Handle, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	return h, resolveLinks(e.ctx, h, refs...)
}

// handleAndLink is the handle and the link named dev, for the commands
// that act on one existing device ("Cannot find device" when it is not).
func (e *env) handleAndLink(dev string) (*rtm.Handle, rtm.Link, error) {
	h, err := e.handle()
	if err != nil {
		return nil, rtm.Link{}, err
	}
	l, err := linkByName(e.ctx, h, dev)
	return h, l, err
}

// resolveLinks sets each ref's index to its device's.
func resolveLinks(ctx context.Context, h *rtm.Handle, refs ...devRef) error {
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

// listDump prints each object of dump with print, as one listing (a JSON
// array) that p streams as it grows; a failure of the dump ends it.
func listDump[T any](e *env, p *printer, dump iter.Seq2[T, error], print func(T)) error {
	p.openArray("")
	for v, err := range dump {
		if err != nil {
			return err
		}
		print(v)
		p.flush()
	}
	return e.endList(p)
}
