package xfrm

import (
	"context"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/wire"
)

// opError names the operation in err.
func opError(op string, err error) error { return pool.OpError("xfrm", op, err) }

// exchange sends the request built in b on a pooled socket and returns b
// to its pool: as an execute (with an acknowledgement) when ack is set,
// else as a query answered by one reply.
func (h *Handle) exchange(ctx context.Context, op string, b *wire.Builder, ack bool, onReply func(wire.Message) error) error {
	defer h.builder.Put(b)
	if err := b.Err(); err != nil {
		return fmt.Errorf("xfrm: %s: %w", op, err)
	}
	c, err := h.pool.Get(ctx)
	if err != nil {
		return err
	}
	defer h.pool.Discard(&c)
	if ack {
		err = c.Execute(ctx, b.Bytes(), onReply)
	} else {
		err = c.Query(ctx, b.Bytes(), onReply)
	}
	h.pool.Put(&c)
	return opError(op, err)
}

// check returns the error of a call on h before anything is built.
func (h *Handle) check(ctx context.Context) error {
	if h == nil {
		return errNilHandle
	}
	if ctx == nil {
		return errNilContext
	}
	if h.pool.Closed() {
		return ErrClosed
	}
	return nil
}

// dump streams the raw replies to the dump request built in b.
func (h *Handle) dump(ctx context.Context, op string, b *wire.Builder) iter.Seq2[wire.Message, error] {
	return h.pool.Dump(ctx, op, &h.builder, b, false, nil)
}
