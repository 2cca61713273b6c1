package genl

import (
	"context"
	"iter"
)

// DumpFamily resolves the family called name and dumps r to it, yielding
// each reply as parse reads it: the shape of every family package's
// listings. A view parse returns may alias the receive buffer (valid
// until the next iteration); iterating allocates nothing per message
// unless parse does. The first error ends the sequence.
func DumpFamily[T any](ctx context.Context, h *Handle, name string, r Request, parse func(Message) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		f, err := h.Family(ctx, name)
		if err != nil {
			yield(zero, err)
			return
		}
		for m, err := range h.Dump(ctx, f, r) {
			if err != nil {
				yield(zero, err)
				return
			}
			v, err := parse(m)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// QueryFamily resolves the family called name, sends it the get request
// r and returns the reply as parse reads it from a detached copy (what
// parse returns may be kept).
func QueryFamily[T any](ctx context.Context, h *Handle, name string, r Request, parse func(Message) (T, error)) (T, error) {
	var v T
	f, err := h.Family(ctx, name)
	if err != nil {
		return v, err
	}
	err = h.Query(ctx, f, r, func(m Message) (err error) {
		v, err = parse(m.Clone())
		return err
	})
	return v, err
}
