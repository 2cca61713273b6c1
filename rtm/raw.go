package rtm

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// RunDump runs the dump d describes and passes each of its objects to
// d.Each, as the handle's own dumps do: streaming, one attribute index
// for the whole dump, the repeated objects of a dump resumed by position
// dropped and reported (d.Identity), removals watched (d.Removed). It is
// how the packages under rtm that view other kinds of objects (rtm/tc)
// dump through a Handle without rtm importing them; its parameter has an
// internal type, so only this module's packages call it.
func (h *Handle) RunDump(ctx context.Context, d *rtnl.DumpReq) {
	b := h.newBuilder()
	if err := d.Request(b); err != nil {
		h.builder.Put(b)
		d.Each(nil, nil, fmt.Errorf("rtm: %s: %w", d.Op, err))
		return
	}
	var run dumpRun
	var w *watch
	if d.Removed != 0 {
		var err error
		w, err = h.watchDump(ctx, d.Op, watchSpec{groups: [2]Group{Group(d.Group)}, ngroups: 1,
			types: [2]uint16{d.Removed, d.Removed}}, b)
		if err != nil {
			d.Each(nil, nil, err)
			return
		}
		defer w.close()
		run = dumpRun{stats: &w.stats, idx: &w.idx}
	}
	var set *dupSet
	if d.Identity != nil {
		set = getDupSet()
		defer putDupSet(set)
	}
	idx := run.idx
	if idx == nil {
		idx = new(nla.Index)
	}
	key := make([]byte, 0, 64)
	if !h.dumpMsgs(ctx, d.Op, b, run, d.Type, func(_ unix.NlMsghdr, data []byte, err error) bool {
		if err == nil {
			err = rtnl.Wrap("rtm", d.What, data, d.HeaderLen, idx)
		}
		if err != nil {
			d.Each(nil, nil, err)
			return false
		}
		if set != nil {
			key = d.Identity(data, key[:0])
			if set.seen(maphash.Bytes(set.seed, key)) {
				return true
			}
		}
		return d.Each(data, idx, nil)
	}) {
		return
	}
	if set != nil {
		if err := set.err(d.Op); err != nil {
			d.Each(nil, nil, err)
			return
		}
	}
	if w != nil {
		if err := w.err(ctx, d.Op); err != nil {
			d.Each(nil, nil, err)
		}
	}
}

// RunGet sends the request g describes and passes the kernel's reply to
// g.Reply: the get of packages under rtm that rtm does not import (see
// RunDump). The kernel's errno for a missing object (g.Missing) also
// matches ErrNotFound.
func (h *Handle) RunGet(ctx context.Context, g *rtnl.GetReq) error {
	b := h.newBuilder()
	if err := g.Request(b); err != nil {
		h.builder.Put(b)
		return fmt.Errorf("rtm: %s: %w", g.Op, err)
	}
	got := false
	err := h.query(ctx, g.Op, false, b, func(m wire.Message) error {
		if m.Header.Type != g.Type || got {
			return nil
		}
		got = true
		return g.Reply(bytes.Clone(m.Data))
	})
	if err != nil && g.Missing != 0 {
		err = notFound(err, g.Missing)
	}
	if err == nil && !got {
		err = fmt.Errorf("rtm: %s: no reply: %w", g.Op, ErrNotFound)
	}
	return err
}
