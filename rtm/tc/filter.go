package tc

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// FilterSpec describes a filter (a classifier) for [FilterAdd],
// [FilterReplace], [FilterChange] and [FilterDel]: where it is attached,
// its key (priority, protocol, handle, chain) and its kind's options.
type FilterSpec struct {
	// Ifindex is the device whose qdisc or class the filter attaches
	// to; Block instead names a shared block (tc's "block N").
	Ifindex int32
	Block   uint32
	// Parent is the qdisc or class: HandleMinIngress and
	// HandleMinEgress for clsact's ingress and egress hooks,
	// HandleIngressQdisc (ffff:) for the ingress qdisc.
	Parent Handle
	// Handle is the kind's handle: a u32 handle ("800::800", see
	// [ParseU32Handle]), a fw mark, ...; 0 lets the kernel choose.
	Handle uint32
	// Priority orders the filters of a parent ("prio"); 0 lets the
	// kernel choose (an add) or matches any (a delete).
	Priority uint16
	// Protocol is the ethertype the filter matches (unix.ETH_P_IP, ...,
	// in host order); 0 is every protocol (ETH_P_ALL) in an add, and any
	// in a delete.
	Protocol uint16
	// Chain is the filter chain ("chain N"); unset is chain 0.
	Chain rtm.Opt[uint32]
	// Options are the kind and its options: *U32, *Flower, *Matchall,
	// *BPF, *Fw, *Basic, *Route, *Cgroup, *Flow. A delete may leave
	// them nil.
	Options FilterOptions
	// Estimator, if set, is sent as tc's "estimator" sends it (TCA_RATE,
	// after the options).
	Estimator *Estimator
}

// FilterOptions are the options of a kind of filter (*U32, *Flower,
// ...). Only this package implements them.
type FilterOptions interface {
	// Kind returns the classifier's name ("u32").
	Kind() string
	// appendOpts validates the options and appends the attributes
	// inside TCA_OPTIONS.
	appendOpts(e *nla.Encoder) error
	// decode sets the options from TCA_OPTIONS' payload.
	decode(opts nla.Chain) error
}

// The filter changes, with the flags tc sends.
var (
	filterAddOp     = change{"filter add", unix.RTM_NEWTFILTER, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	filterReplaceOp = change{"filter replace", unix.RTM_NEWTFILTER, unix.NLM_F_CREATE}
	filterChangeOp  = change{"filter change", unix.RTM_NEWTFILTER, 0}
	filterDelOp     = change{"filter del", unix.RTM_DELTFILTER, 0}
	filterGetOp     = change{"filter get", unix.RTM_GETTFILTER, unix.NLM_F_ECHO}
)

type filterRequest = specRequest[FilterSpec, *FilterSpec]

// FilterAdd is the request to add a filter; it fails with EEXIST if one
// with the same key exists ("tc filter add").
func FilterAdd(s FilterSpec) rtm.Request { return &filterRequest{filterAddOp, s} }

// FilterReplace is the request to add a filter or replace the one with
// the same key ("tc filter replace").
func FilterReplace(s FilterSpec) rtm.Request { return &filterRequest{filterReplaceOp, s} }

// FilterChange is the request to change an existing filter ("tc filter
// change").
func FilterChange(s FilterSpec) rtm.Request { return &filterRequest{filterChangeOp, s} }

// FilterDel is the request to delete filters: the one with the spec's
// handle, or all of a priority (and protocol), or all of the parent when
// Priority is 0 ("tc filter del").
func FilterDel(s FilterSpec) rtm.Request { return &filterRequest{filterDelOp, s} }

func (s *FilterSpec) opName(verb string) string {
	b := appendTargetName([]byte(verb), s.Ifindex, s.Block, s.Parent)
	if s.Priority != 0 {
		b = append(b, " prio "...)
		b = strconv.AppendUint(b, uint64(s.Priority), 10)
	}
	if s.Options != nil {
		b = append(b, ' ')
		b = append(b, s.Options.Kind()...)
	}
	return string(b)
}

// errFilterTarget refuses a filter that names both or neither of a
// device and a block.
var errFilterTarget = errors.New("give a device or a block, not both or neither")

// filterTarget is what a filter's and a chain's message share: the
// device and parent qdisc, or the shared block, they belong to, and the
// chain's index.
type filterTarget struct {
	ifindex int32
	block   uint32
	parent  Handle
	chain   rtm.Opt[uint32]
}

// check refuses a target the kernel would: FilterSpec and ChainSpec
// validate it alike.
func (t filterTarget) check() error {
	if (t.ifindex > 0) == (t.block != 0) {
		return errFilterTarget
	}
	if t.ifindex < 0 {
		return fmt.Errorf("invalid interface index %d", t.ifindex)
	}
	if ch, ok := t.chain.Get(); ok && ch > VerdictOperandMax {
		return fmt.Errorf("chain %d out of range", ch)
	}
	return nil
}

// begin starts the message of change c: its tcmsg, which names a shared
// block by TCM_IFINDEX_MAGIC_BLOCK (-1) and the block's index in place of
// the device and parent, then TCA_CHAIN.
func (t filterTarget) begin(b *wire.Builder, c change, handle Handle, prio, proto uint16) {
	h := header{ifindex: t.ifindex, handle: handle, parent: t.parent,
		info: uint32(prio)<<16 | uint32(htons(proto))}
	if t.block != 0 {
		h.ifindex, h.parent = -1, Handle(t.block)
	}
	begin(b, c, h)
	if ch, ok := t.chain.Get(); ok {
		b.Uint32(attrChain, ch)
	}
}

// appendFilterOptions appends TCA_OPTIONS of a filter or of a chain's
// template. Flower's keys depend on the filter's protocol, which the
// other kinds do not read.
func appendFilterOptions(e *nla.Encoder, o FilterOptions, proto uint16) error {
	n := rtnl.BeginPlain(e, attrOptions)
	var err error
	if f, ok := o.(*Flower); ok {
		err = f.appendFlower(e, proto)
	} else {
		err = o.appendOpts(e)
	}
	if err != nil {
		return err
	}
	n.End(e)
	return nil
}

func (s *FilterSpec) encode(r *rtnl.Req, c change) error {
	t := filterTarget{s.Ifindex, s.Block, s.Parent, s.Chain}
	if err := t.check(); err != nil {
		return err
	}
	adding := c.typ == unix.RTM_NEWTFILTER
	if adding && s.Options == nil && c.flags&unix.NLM_F_CREATE != 0 {
		return errors.New("a filter to add needs a kind")
	}
	proto := s.Protocol
	if proto == 0 && adding && c.flags&unix.NLM_F_CREATE != 0 {
		proto = unix.ETH_P_ALL
	}
	handle := s.Handle
	if r, ok := s.Options.(*Route); ok && handle == 0 && adding {
		handle = r.defaultHandle()
	}
	b := r.B
	t.begin(b, c, Handle(handle), s.Priority, proto)
	if o := s.Options; o != nil {
		kind := o.Kind()
		if kind == "" || len(kind) >= 16 {
			return fmt.Errorf("invalid kind %q", kind)
		}
		b.String(attrKind, kind)
		if adding {
			if err := appendFilterOptions(&b.Encoder, o, proto); err != nil {
				return fmt.Errorf("%s: %w", kind, err)
			}
		}
	}
	appendEstimator(b, s.Estimator)
	b.End()
	return b.Err()
}

// htons swaps a 16-bit value to network byte order as the kernel's tcm_info
// holds the protocol: the value whose native encoding is big-endian.
func htons(v uint16) uint16 {
	var b [2]byte
	b[0], b[1] = byte(v>>8), byte(v)
	return native.Uint16(b[:])
}

// filterGet is the request for one filter, echoed back ("tc filter get").
func filterGet(s FilterSpec) rtm.Request { return &filterRequest{filterGetOp, s} }
