package tc

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Filter is the view of a filter ("tc filter show"): its tcmsg (device,
// parent, handle, priority and protocol) and attributes.
type Filter struct{ Object }

// FilterFromBytes returns the view of a filter message payload (the
// bytes after nlmsghdr), which it reads in place.
func FilterFromBytes(b []byte) (Filter, error) { return viewFromBytes[Filter](&filterFamily, b) }

// Clone returns a copy of f that owns its bytes, to keep after the
// iteration of a dump.
func (f Filter) Clone() Filter { return Filter{f.clone()} }

// Priority returns the filter's priority ("pref").
func (f Filter) Priority() uint16 { return uint16(f.Info() >> 16) }

// Protocol returns the ethertype the filter matches, in host order
// (unix.ETH_P_ALL for every protocol).
func (f Filter) Protocol() uint16 { return htons(uint16(f.Info())) }

// Spec decodes the filter into the specification that creates it again,
// with its kind's options decoded (*U32, *Flower, ..., or *RawFilter).
func (f Filter) Spec() (FilterSpec, error) { return decodeFilterBody(f.b) }

// Actions yields the filter's actions in place, allocating nothing.
func (f Filter) Actions() iter.Seq[ActionView] {
	a, ok := f.get(attrKind)
	if !ok {
		return func(func(ActionView) bool) {}
	}
	kind, _ := a.TextBytes()
	t := actionsType(kind)
	list, ok := nla.Chain(f.Options()).Get(t)
	if t == 0 || !ok {
		return func(func(ActionView) bool) {}
	}
	return Actions(list.Nested())
}

// FilterFilter selects the filters of a dump: those of a device (Ifindex)
// or shared block (Block), under Parent (HandleMinIngress, a qdisc, a
// class; 0 for the root qdisc's), optionally of one priority, protocol
// and chain.
type FilterFilter struct {
	Ifindex  int32
	Block    uint32
	Parent   Handle
	Priority uint16
	Protocol uint16
	// Chain keeps the filters of one chain; unset dumps every chain.
	Chain rtm.Opt[uint32]
}

// filterIdentity is what makes a filter unique in a dump: its device,
// handle, parent, priority and protocol, and its chain.
func filterIdentity(data, key []byte) []byte {
	key = append(key, data[4:SizeofTcmsg]...)
	if a, ok := nla.Chain(data[SizeofTcmsg:]).Get(attrChain); ok {
		key = append(key, a.Data...)
	}
	return key
}

// errNoFilterTarget refuses a dump without a device or block: the kernel
// dumps the filters of one at a time.
var errNoFilterTarget = errors.New("tc: filter show: give a device or a block")

// Filters dumps the filters f selects, streaming: each Filter reads the
// message in place and is valid during its iteration only, and the dump
// allocates nothing per filter. As for qdiscs, a filter that comes twice
// (the kernel resumes dumps by position) is dropped and the dump ends in
// an error matching wire.ErrDumpInterrupted.
func Filters(ctx context.Context, h *rtm.Handle, f FilterFilter) iter.Seq2[Filter, error] {
	return func(yield func(Filter, error) bool) {
		if (f.Ifindex > 0) == (f.Block != 0) {
			yield(Filter{}, errNoFilterTarget)
			return
		}
		hd := header{ifindex: f.Ifindex, parent: f.Parent,
			info: uint32(f.Priority)<<16 | uint32(htons(f.Protocol))}
		if f.Block != 0 {
			hd.ifindex, hd.parent = -1, Handle(f.Block)
		}
		var extra func(b *wire.Builder)
		if c, ok := f.Chain.Get(); ok {
			extra = func(b *wire.Builder) { b.Uint32(attrChain, c) }
		}
		dumpObjects(ctx, h, &filterFamily, hd, extra, nil, yield)
	}
}

// FilterGet returns the filter s names: its device or block, parent,
// priority, protocol, handle and kind (the options are not sent). A
// missing filter is an error matching rtm.ErrNotFound.
func FilterGet(ctx context.Context, h *rtm.Handle, s FilterSpec) (Filter, error) {
	if s.Options == nil {
		return Filter{}, errors.New("tc: filter get: no kind")
	}
	return getObject[Filter](ctx, h, &filterFamily, func(b *wire.Builder) error {
		r := rtnl.Req{B: b}
		return s.encode(&r, filterGetOp)
	})
}

// FilterOf returns the filter of a notification (RTM_NEWTFILTER or
// RTM_DELTFILTER, in rtm.GroupTC); false for other events. The view
// aliases the event's buffer: Clone it to keep it.
func FilterOf(ev rtm.Event) (Filter, bool) {
	return viewOf[Filter](ev, &filterFamily)
}

// actionIdentity is what makes an action unique in an action dump: the
// message's kinds and indices.
func actionIdentity(data, key []byte) []byte {
	tab, _ := nla.Chain(data[tcamsgLen:]).Get(tcaActTab)
	for v := range Actions(tab.Nested()) {
		key = append(key, v.KindBytes()...)
		key = native.AppendUint32(key, v.Index())
	}
	return key
}

// ActionBatch is one message of an action dump: up to 32 actions and the
// count the kernel reports with them (TCA_ROOT_COUNT).
type ActionBatch struct {
	Count uint32
	list  nla.Chain
}

// actionBatchOf returns the batch of an action message (tcamsg,
// TCA_ROOT_COUNT, TCA_ACT_TAB), which aliases data.
func actionBatchOf(data []byte) ActionBatch {
	attrs := nla.Chain(data[tcamsgLen:])
	var bt ActionBatch
	if c, ok := attrs.Get(tcaRootCount); ok {
		bt.Count, _ = c.Uint32()
	}
	tab, _ := attrs.Get(tcaActTab)
	bt.list = tab.Nested()
	return bt
}

// Actions yields the batch's actions in place.
func (b ActionBatch) Actions() iter.Seq[ActionView] { return Actions(b.list) }

// StandaloneActionBatches dumps the standalone actions of kind ("tc
// actions ls action KIND") message by message, as tc prints them:
// streaming views valid during their iteration only.
func StandaloneActionBatches(ctx context.Context, h *rtm.Handle, kind string) iter.Seq2[ActionBatch, error] {
	return func(yield func(ActionBatch, error) bool) {
		if err := checkActionKind(kind); err != nil {
			yield(ActionBatch{}, fmt.Errorf("tc: action show: %w", err))
			return
		}
		// The kernel answers with messages of the request's type.
		d := rtnl.DumpReq{Op: "action show", What: "action", Type: unix.RTM_GETACTION,
			HeaderLen: tcamsgLen, Identity: actionIdentity}
		d.Request = func(b *wire.Builder) error {
			r := rtnl.Req{B: b}
			beginAction(&r, change{typ: unix.RTM_GETACTION, flags: unix.NLM_F_DUMP})
			tab := rtnl.BeginPlain(&b.Encoder, tcaActTab)
			n := rtnl.BeginPlain(&b.Encoder, 1)
			b.String(tcaActKind, kind)
			n.End(&b.Encoder)
			tab.End(&b.Encoder)
			appendLargeDump(&r)
			b.End()
			return nil
		}
		d.Each = func(data []byte, idx *nla.Index, err error) bool {
			if err != nil {
				return yield(ActionBatch{}, err)
			}
			return yield(actionBatchOf(data), nil)
		}
		h.RunDump(ctx, &d)
	}
}

// StandaloneActions dumps the standalone actions of kind ("tc actions ls
// action KIND"), streaming views valid during their iteration only.
func StandaloneActions(ctx context.Context, h *rtm.Handle, kind string) iter.Seq2[ActionView, error] {
	return func(yield func(ActionView, error) bool) {
		for b, err := range StandaloneActionBatches(ctx, h, kind) {
			if err != nil {
				yield(ActionView{}, err)
				return
			}
			for v := range b.Actions() {
				if !yield(v, nil) {
					return
				}
			}
		}
	}
}

// StandaloneAction returns the standalone action of kind with index
// ("tc actions get action KIND index N"), decoded. A missing action is an
// error matching rtm.ErrNotFound.
func StandaloneAction(ctx context.Context, h *rtm.Handle, kind string, index uint32) (Action, error) {
	var act Action
	b, err := StandaloneActionBatch(ctx, h, kind, index)
	if err != nil {
		return act, err
	}
	for v := range b.Actions() {
		return v.Decode()
	}
	return act, errors.New("tc: action get: no action in the reply")
}

// StandaloneActionBatch returns the kernel's reply to a get of the
// standalone action of kind with index, as views it owns.
func StandaloneActionBatch(ctx context.Context, h *rtm.Handle, kind string, index uint32) (ActionBatch, error) {
	var bt ActionBatch
	if err := checkActionKind(kind); err != nil {
		return bt, fmt.Errorf("tc: action get: %w", err)
	}
	// The kernel answers with a message of the request's type.
	g := rtnl.GetReq{Op: "action get", Type: unix.RTM_GETACTION, Missing: unix.ENOENT}
	g.Request = func(b *wire.Builder) error {
		r := rtnl.Req{B: b}
		beginAction(&r, actionGetOp)
		appendActionRefs(&r, []ActionRef{{kind, index}})
		b.End()
		return b.Err()
	}
	g.Reply = func(data []byte) error {
		if len(data) < tcamsgLen {
			return errors.New("tc: action get: short reply")
		}
		bt = actionBatchOf(data)
		return nil
	}
	err := h.RunGet(ctx, &g)
	return bt, err
}
