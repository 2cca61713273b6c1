package genl

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Batch sends the requests reqs to family f pipelined, in as few
// sendmsg calls as the socket allows (socket.Conn.Batch), and returns a
// result for each: nil, or the request's error, naming the operation.
// onReply, if not nil, sees the replies that are not errors (NLM_F_ECHO
// copies) with the index of their request; a view is valid during the
// call only. err is nil when every request succeeded, otherwise a
// *socket.BatchError that unwraps to the first failure, or the error
// that stopped the batch.
func (h *Handle) Batch(ctx context.Context, f *Family, reqs []Request, onReply func(i int, m Message) error) (results []error, err error) {
	if err := check(f); err != nil {
		return nil, err
	}
	for i := range reqs {
		if err := checkOp(f, reqs[i].Command, false); err != nil {
			return nil, err
		}
	}
	if ctx == nil {
		return nil, errNilContext
	}
	if h == nil {
		return nil, errNilHandle
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	b := h.newBuilder()
	defer h.builder.Put(b)
	for i := range reqs {
		h.append(b, f, &reqs[i], unix.NLM_F_ACK)
	}
	if err := b.Err(); err != nil {
		return nil, fmt.Errorf("genl: %s batch: %w", f.Name, err)
	}
	c, err := h.get(ctx)
	if err != nil {
		return nil, err
	}
	defer h.discard(&c)
	results = make([]error, len(reqs))
	hdrsize := int(f.HeaderSize)
	var each func(int, wire.Message) error
	if onReply != nil {
		each = func(i int, m wire.Message) error {
			v, err := Decode(m, hdrsize)
			if err != nil {
				return err
			}
			return onReply(i, v)
		}
	}
	if c.S != nil {
		err = c.S.Batch(ctx, b.Bytes(), results, each)
	} else {
		err = c.T.Batch(ctx, b.Bytes(), results, each)
	}
	h.put(&c)
	for i, r := range results {
		if r != nil {
			results[i] = opError(op(f, reqs[i].Command), r)
		}
	}
	if err != nil {
		err = opError(f.Name+" batch", err)
	}
	return results, err
}

// DoFamily resolves the family called name and sends reqs to it: one
// request alone ([Handle.Do]), several pipelined ([Handle.Batch]), whose
// error is then the first failure's. It is what the family packages'
// Do functions are.
func (h *Handle) DoFamily(ctx context.Context, name string, reqs ...Request) error {
	if len(reqs) == 0 {
		return nil
	}
	f, err := h.Family(ctx, name)
	if err != nil {
		return err
	}
	if len(reqs) == 1 {
		return h.Do(ctx, f, reqs[0], nil)
	}
	_, err = h.Batch(ctx, f, reqs, nil)
	return err
}
