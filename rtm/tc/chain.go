package tc

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// ChainSpec describes a filter chain for [ChainAdd], [ChainDel] and
// [ChainGet] ("tc chain add dev p0 ingress chain 1"): the block it
// belongs to, named by a device and parent or by a shared block's index,
// its index, and optionally a template that every filter of the chain
// must follow.
type ChainSpec struct {
	// Ifindex and Parent name the block of a qdisc (HandleMinIngress
	// for clsact's ingress, a classful qdisc's handle); Block instead
	// names a shared block.
	Ifindex int32
	Block   uint32
	Parent  Handle
	// Chain is the chain's index (0 to VerdictOperandMax); unset is
	// chain 0, not named in the request (as tc without "chain").
	Chain rtm.Opt[uint32]
	// Protocol and Priority are sent in the tcmsg as tc sends them
	// ("protocol ip"); a template's keys are read with Protocol as
	// the filters' ethertype.
	Protocol uint16
	Priority uint16
	// Template is the kind, and the key mask, of the filters the chain
	// accepts: a *Flower whose keys' masks are the template (values
	// are ignored by the kernel), as "tc chain add ... flower dst_ip
	// 0.0.0.0/16" sets it. Only flower has templates in Linux; a
	// *RawFilter with no options sends the kind alone. Nil for none.
	Template FilterOptions
}

// The chain changes, with the flags tc sends.
var (
	chainAddOp = change{"chain add", unix.RTM_NEWCHAIN, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	chainDelOp = change{"chain del", unix.RTM_DELCHAIN, 0}
	chainGetOp = change{"chain get", unix.RTM_GETCHAIN, unix.NLM_F_ECHO}
)

type chainRequest = specRequest[ChainSpec, *ChainSpec]

// ChainAdd is the request to create a chain, with its template if the
// spec has one; it fails with EEXIST if the chain exists ("tc chain
// add"). Filters create their chain implicitly: an explicit chain stays
// until deleted, and carries a template.
func ChainAdd(s ChainSpec) rtm.Request { return &chainRequest{chainAddOp, s} }

// ChainDel is the request to delete a chain and every filter in it ("tc
// chain del").
func ChainDel(s ChainSpec) rtm.Request { return &chainRequest{chainDelOp, s} }

func (s *ChainSpec) opName(verb string) string {
	b := appendTargetName([]byte(verb), s.Ifindex, s.Block, s.Parent)
	b = append(b, " chain "...)
	ch, _ := s.Chain.Get()
	b = strconv.AppendUint(b, uint64(ch), 10)
	return string(b)
}

// appendTargetName names the block of a filter or chain in an error:
// "block 22", or "dev 3 parent ffff:fff2".
func appendTargetName(b []byte, ifindex int32, block uint32, parent Handle) []byte {
	if block != 0 {
		b = append(b, " block "...)
		b = strconv.AppendUint(b, uint64(block), 10)
	} else {
		b = append(b, " dev "...)
		b = strconv.AppendInt(b, int64(ifindex), 10)
	}
	b = append(b, " parent "...)
	return append(b, parent.String()...)
}

func (s *ChainSpec) encode(r *rtnl.Req, c change) error {
	t := filterTarget{s.Ifindex, s.Block, s.Parent, s.Chain}
	if err := t.check(); err != nil {
		return err
	}
	if s.Template != nil && c.typ != unix.RTM_NEWCHAIN {
		return errors.New("a template is set by an add only")
	}
	b := r.B
	t.begin(b, c, 0, s.Priority, s.Protocol)
	if tmpl := s.Template; tmpl != nil {
		kind := tmpl.Kind()
		if err := appendKind(b, kind); err != nil {
			return err
		}
		if raw, ok := tmpl.(*RawFilter); !ok || raw.Options != nil {
			if err := appendFilterOptions(&b.Encoder, tmpl, s.Protocol); err != nil {
				return fmt.Errorf("%s template: %w", kind, err)
			}
		}
	}
	b.End()
	return b.Err()
}

// Chain is the view of a filter chain ("tc chain show"): the tcmsg of
// its block (device and qdisc handle, or a shared block), its index and
// its template's kind and options.
type Chain struct{ Object }

// ChainFromBytes returns the view of a chain message payload (the bytes
// after nlmsghdr), which it reads in place.
func ChainFromBytes(b []byte) (Chain, error) {
	o, err := wrapObject("chain", b, nil)
	return Chain{o}, err
}

// Clone returns a copy of c that owns its bytes.
func (c Chain) Clone() Chain { return Chain{c.clone()} }

// Index returns the chain's index (TCA_CHAIN; 0 when absent).
func (c Chain) Index() uint32 {
	v, _ := c.ChainIndex()
	return v
}

// Spec decodes the chain into the specification that creates it again,
// with its template's options decoded (*Flower, or *RawFilter).
func (c Chain) Spec() (ChainSpec, error) {
	var s ChainSpec
	f, err := decodeFilterBody(c.b)
	if err != nil {
		return s, err
	}
	s = ChainSpec{Ifindex: f.Ifindex, Block: f.Block, Parent: f.Parent, Chain: f.Chain,
		Protocol: f.Protocol, Priority: f.Priority, Template: f.Options}
	if s.Template != nil && !c.HasOptions() {
		// The kind alone, as tc sends a kind given no options.
		s.Template = &RawFilter{Name: s.Template.Kind()}
	}
	return s, nil
}

// ChainFilter selects the chains of a dump: those of a device's block
// (Ifindex and Parent: HandleMinIngress, HandleMinEgress, a qdisc; 0 for
// the root qdisc's) or of a shared block (Block).
type ChainFilter struct {
	Ifindex int32
	Block   uint32
	Parent  Handle
}

// Chains dumps the chains f selects, with their templates ("tc chain
// show"), streaming: each Chain reads the message in place and is valid
// during its iteration only.
func Chains(ctx context.Context, h *rtm.Handle, f ChainFilter) iter.Seq2[Chain, error] {
	return func(yield func(Chain, error) bool) {
		if (f.Ifindex > 0) == (f.Block != 0) {
			yield(Chain{}, errors.New("tc: chain show: give a device or a block"))
			return
		}
		hd := header{ifindex: f.Ifindex, parent: f.Parent}
		if f.Block != 0 {
			hd.ifindex, hd.parent = -1, Handle(f.Block)
		}
		dumpObjects(ctx, h, &chainFamily, hd, nil, nil, yield)
	}
}

// ChainGet returns the chain s names (its block and index; a template is
// not sent). A chain that does not exist is refused by the kernel with
// EINVAL ("Cannot find specified filter chain").
func ChainGet(ctx context.Context, h *rtm.Handle, s ChainSpec) (Chain, error) {
	var c Chain
	s.Template = nil
	// The kernel answers with a message of the request's type.
	g := rtnl.GetReq{Op: "chain get", Type: unix.RTM_GETCHAIN}
	g.Request = func(b *wire.Builder) error {
		return s.encode(&rtnl.Req{B: b}, chainGetOp)
	}
	g.Reply = func(data []byte) error {
		var err error
		c, err = ChainFromBytes(data)
		return err
	}
	err := h.RunGet(ctx, &g)
	return c, err
}

// ChainOf returns the chain of a notification (RTM_NEWCHAIN or
// RTM_DELCHAIN, in rtm.GroupTC); false for other events. The view
// aliases the event's buffer: Clone it to keep it.
func ChainOf(ev rtm.Event) (Chain, bool) {
	return viewOf[Chain](ev, &chainFamily)
}

// chainFamily describes chain messages for the shell of tc objects.
var chainFamily = objectFamily{"chain", "chain show", "chain get", unix.RTM_NEWCHAIN, unix.RTM_GETCHAIN, filterIdentity}
