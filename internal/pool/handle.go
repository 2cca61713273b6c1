package pool

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
)

// What rtm.Handle and genl.Handle do alike over their pool: open it from
// the Dial options, pool request builders, and stream a dump. Each keeps
// its own error prefix (the Pool's Pkg) and public API.

// OpenWith applies opts over the defaults (see [Apply]) and opens p with
// them and cfg (see [Pool.Open]): the body of rtm.Dial and genl.Dial, whose
// Option types are defined as func(*Options) error.
func OpenWith[O ~func(*Options) error](p *Pool, opts []O, cfg socket.Config) error {
	o, err := Apply(opts)
	if err != nil {
		return err
	}
	return p.Open(&o, cfg)
}

// Builders pools a handle's request builders, so that a request reuses
// the buffer of one already sent. The zero Builders is ready to use.
type Builders struct{ p sync.Pool }

// Get returns an empty builder; give it back with Put once its request
// is sent.
func (bs *Builders) Get() *wire.Builder {
	if b, ok := bs.p.Get().(*wire.Builder); ok {
		b.Reset(b.Bytes())
		return b
	}
	return &wire.Builder{}
}

// Put returns b to the pool: its bytes must no longer be used.
func (bs *Builders) Put(b *wire.Builder) { bs.p.Put(b) }

// Dump streams the replies to the dump request built in b, on a socket
// borrowed for the loop, and then returns b to bs. Errors name op (see
// [OpError]). With peek, the socket checks each datagram's size first,
// for dumps whose messages may exceed the buffer; st, when not nil,
// receives how the kernel split a dump into datagrams.
func (p *Pool) Dump(ctx context.Context, op string, bs *Builders, b *wire.Builder, peek bool, st *socket.DumpStats) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		defer bs.Put(b)
		if err := b.Err(); err != nil {
			yield(wire.Message{}, fmt.Errorf("%s: %s: %w", p.Pkg, op, err))
			return
		}
		c, err := p.Get(ctx)
		if err != nil {
			yield(wire.Message{}, err)
			return
		}
		defer p.Discard(&c)
		if peek {
			// A link with many VFs makes a message larger than the
			// kernel's usual 32 KiB dump datagrams; never lose one.
			c.SetPeek(true)
		}
		// A panic in the caller's loop body unwinds through yield and
		// skips Put: the socket, mid-dump, is closed.
		if err := c.StreamDump(ctx, b.Bytes(), func(m wire.Message) bool { return yield(m, nil) }); err != nil {
			yield(wire.Message{}, OpError(p.Pkg, op, err))
		}
		if st != nil {
			*st = c.LastDump()
		}
		p.Put(&c)
	}
}
