package rtm

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Batch collects requests and sends them pipelined: as few sendmsg calls
// as the socket buffers allow, with a result for each request. Use it to
// create thousands of links or add thousands of addresses or routes.
//
// Each adding method validates its request and returns an error at once,
// before anything is sent; a request that fails validation is not added.
// A Batch is not safe for concurrent use; Run may be called once.
type Batch struct {
	h   *Handle
	b   wire.Builder
	ops []string
}

// NewBatch returns an empty batch on h.
func (h *Handle) NewBatch() *Batch { return &Batch{h: h} }

// Len returns the number of requests in the batch.
func (bt *Batch) Len() int { return len(bt.ops) }

// add runs encode and keeps its request only if it succeeded.
func (bt *Batch) add(op string, encode func(b *wire.Builder) error) error {
	mark := bt.b.Len()
	if err := encode(&bt.b); err != nil {
		bt.b.Truncate(mark)
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	if err := bt.b.Err(); err != nil {
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	bt.ops = append(bt.ops, op)
	return nil
}

// AddrAdd adds an address-add request.
func (bt *Batch) AddrAdd(s AddrSpec) error {
	return bt.add(fmt.Sprintf("address add %v", s.Prefix), func(b *wire.Builder) error {
		return encodeAddr(b, unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, &s)
	})
}

// AddrReplace adds an address-replace request.
func (bt *Batch) AddrReplace(s AddrSpec) error {
	return bt.add(fmt.Sprintf("address replace %v", s.Prefix), func(b *wire.Builder) error {
		return encodeAddr(b, unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_REPLACE, &s)
	})
}

// AddrDel adds an address-delete request.
func (bt *Batch) AddrDel(s AddrSpec) error {
	return bt.add(fmt.Sprintf("address del %v", s.Prefix), func(b *wire.Builder) error {
		return encodeAddr(b, unix.RTM_DELADDR, 0, &s)
	})
}

// Run sends the batch and returns one result per request, in the order
// they were added, and an error that is nil when every request succeeded
// (otherwise a *socket.BatchError naming the first failure). Every failed
// request's error names its operation.
func (bt *Batch) Run(ctx context.Context) ([]error, error) {
	if bt.b.Err() != nil {
		return nil, bt.b.Err()
	}
	results := make([]error, len(bt.ops))
	if len(bt.ops) == 0 {
		return results, nil
	}
	c, err := bt.h.get()
	if err != nil {
		return nil, err
	}
	err = c.Batch(ctx, bt.b.Bytes(), results, nil)
	bt.h.put(c)
	for i, r := range results {
		results[i] = opError(bt.ops[i], r)
	}
	return results, err
}
