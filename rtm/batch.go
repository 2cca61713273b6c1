package rtm

import (
	"context"
	"errors"
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
// A Batch is not safe for concurrent use. It is sent once: a second Run
// or RunEcho returns an error and sends nothing, since sending its
// requests again would repeat every change.
type Batch struct {
	h   *Handle
	b   wire.Builder
	ran bool
	ops []string
	// lazy marks the ops that hold only a verb: the object is described
	// from the request's bytes, and only if it fails, so that successful
	// requests cost no formatting.
	lazy []bool
}

// NewBatch returns an empty batch on h.
func (h *Handle) NewBatch() *Batch { return &Batch{h: h} }

// Len returns the number of requests in the batch.
func (bt *Batch) Len() int { return len(bt.ops) }

// addLazy runs encode, which appends one request named by a constant
// verb, such as "route add": a failure in the batch names the object from
// the request itself.
func (bt *Batch) addLazy(verb string, encode func(b *wire.Builder) error) error {
	mark := bt.b.Len()
	return bt.settle(mark, verb, true, encode(&bt.b))
}

// settle keeps the request appended after mark if its encoding succeeded
// (err is nil), and removes it otherwise. Validation errors name what
// they reject themselves; op names the request.
func (bt *Batch) settle(mark int, op string, lazy bool, err error) error {
	if err != nil {
		bt.b.Truncate(mark)
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	if err := bt.b.Err(); err != nil {
		return fmt.Errorf("rtm: %s: %w", op, err)
	}
	bt.ops = append(bt.ops, op)
	bt.lazy = append(bt.lazy, lazy)
	return nil
}

// Run sends the batch and returns one result per request, in the order
// they were added, and an error that is nil when every request succeeded
// (otherwise a *socket.BatchError naming the first failure). Every failed
// request's error names its operation.
func (bt *Batch) Run(ctx context.Context) ([]error, error) { return bt.run(ctx, nil) }

func (bt *Batch) run(ctx context.Context, onReply func(int, wire.Message) error) ([]error, error) {
	if bt.ran {
		return nil, errors.New("rtm: batch already run: a Batch is sent once (use a new one to send its requests again)")
	}
	if bt.b.Err() != nil {
		return nil, bt.b.Err()
	}
	results := make([]error, len(bt.ops))
	if len(bt.ops) == 0 {
		return results, nil
	}
	c, err := bt.h.get(ctx)
	if err != nil {
		return nil, err
	}
	defer bt.h.discard(&c)
	bt.ran = true
	err = c.Batch(ctx, bt.b.Bytes(), results, onReply)
	bt.h.put(&c)
	i := 0
	for m, ferr := range wire.Messages(bt.b.Bytes()) {
		if ferr != nil || i >= len(results) {
			break
		}
		if r := results[i]; r != nil {
			op := bt.ops[i]
			if bt.lazy[i] {
				op += " " + describeMessage(m)
			}
			results[i] = opError(op, r)
		}
		i++
	}
	return results, err
}

// RunEcho is Run with NLM_F_ECHO set on every request: the kernel sends
// back each object it created or changed, as it stored it (with the index
// it chose for a new link, for instance), and onEcho receives it with the
// index of its request. The message is valid only during the call; an
// error from onEcho becomes that request's result.
func (bt *Batch) RunEcho(ctx context.Context, onEcho func(i int, m wire.Message) error) ([]error, error) {
	if bt.ran {
		return bt.run(ctx, onEcho) // the error, before the requests are touched
	}
	buf := bt.b.Bytes()
	for off := 0; off+wire.HeaderLen <= len(buf); {
		native.PutUint16(buf[off+6:], native.Uint16(buf[off+6:])|unix.NLM_F_ECHO)
		off += wire.Align(int(native.Uint32(buf[off:])))
	}
	return bt.run(ctx, onEcho)
}

// describeMessage names the object a request is about, as iproute2 would
// write it: "10.0.0.0/24 table 100", "192.0.2.1/24", "veth0".
func describeMessage(m wire.Message) string {
	switch m.Header.Type {
	case unix.RTM_GETROUTE:
		r, err := RouteFromBytes(m.Data)
		if err != nil {
			return ""
		}
		return r.DstAddr().String()
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		r, err := RouteFromBytes(m.Data)
		if err != nil {
			return ""
		}
		s := r.Dst().String()
		if l, ok := r.Label(); ok {
			s = fmt.Sprintf("mpls %d", l)
		}
		if t := r.Table(); t != unix.RT_TABLE_MAIN {
			s += fmt.Sprintf(" table %d", t)
		}
		return s
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		a, err := AddrFromBytes(m.Data)
		if err != nil {
			return ""
		}
		return a.Prefix().String()
	case unix.RTM_NEWLINK, unix.RTM_DELLINK, unix.RTM_SETLINK, unix.RTM_GETLINK:
		l, err := LinkFromBytes(m.Data)
		if err != nil {
			return ""
		}
		if n := l.Name(); n != "" {
			return n
		}
		return fmt.Sprintf("index %d", l.Index())
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH:
		n, err := NeighFromBytes(m.Data)
		if err != nil {
			return ""
		}
		if n.Family() == unix.AF_BRIDGE {
			if d := n.Dst(); d.IsValid() {
				return fmt.Sprintf("%v dst %v", n.LLAddr(), d)
			}
			return n.LLAddr().String()
		}
		return n.Dst().String()
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		r, err := RuleFromBytes(m.Data)
		if err != nil {
			return ""
		}
		if _, ok := r.Get("priority"); ok {
			return fmt.Sprintf("priority %d", r.Priority())
		}
		return ""
	case unix.RTM_NEWNEXTHOP, unix.RTM_DELNEXTHOP:
		n, err := NexthopFromBytes(m.Data)
		if err != nil || n.ID() == 0 {
			return ""
		}
		return fmt.Sprintf("id %d", n.ID())
	case unix.RTM_NEWQDISC, unix.RTM_DELQDISC, unix.RTM_NEWTCLASS, unix.RTM_DELTCLASS,
		unix.RTM_NEWTFILTER, unix.RTM_DELTFILTER:
		return describeTC(m.Data)
	}
	return ""
}

// describeTC names a traffic control object (package rtm/tc's) from its
// tcmsg: "ifindex 3 handle 1:10 parent 1:".
func describeTC(b []byte) string {
	if len(b) < 20 {
		return ""
	}
	handle := func(h uint32) string {
		switch {
		case h == 0xFFFFFFFF:
			return "root"
		case h&0xFFFF == 0:
			return fmt.Sprintf("%x:", h>>16)
		}
		return fmt.Sprintf("%x:%x", h>>16, h&0xFFFF)
	}
	return fmt.Sprintf("ifindex %d handle %s parent %s", int32(native.Uint32(b[4:])),
		handle(native.Uint32(b[8:])), handle(native.Uint32(b[12:])))
}
