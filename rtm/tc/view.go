package tc

import (
	"bytes"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
)

// SizeofTcmsg is the size of struct tcmsg, the fixed header of qdisc,
// class and filter messages.
const SizeofTcmsg = 20

// The attributes of a tcmsg (TCA_*, linux/rtnetlink.h).
const (
	attrKind         = 1
	attrOptions      = 2
	attrStats        = 3
	attrXStats       = 4
	attrRate         = 5
	attrFcnt         = 6
	attrStats2       = 7
	attrStab         = 8
	attrDumpInvis    = 10
	attrChain        = 11
	attrHWOffload    = 12
	attrIngressBlock = 13
	attrEgressBlock  = 14
	attrDumpFlags    = 15
	attrExtWarnMsg   = 16
)

// IfindexMagicBlock is the interface index of the filters of a shared
// block (TCM_IFINDEX_MAGIC_BLOCK): their parent field holds the block's
// index.
const IfindexMagicBlock = 0xFFFFFFFF

// Object is what the views of qdiscs, classes and filters share: a tcmsg
// and its attributes. Its readers return zero values for absent or
// malformed attributes, and for the zero Object. In a dump, an Object
// reads the message in place and is valid only during its iteration;
// Clone keeps one.
type Object struct {
	b   []byte // the tcmsg, then attributes
	idx *nla.Index
}

// wrapObject returns the view of a message payload, after checking that
// it holds a tcmsg.
func wrapObject(what string, data []byte, idx *nla.Index) (Object, error) {
	if err := rtnl.Wrap("tc", what, data, SizeofTcmsg, idx); err != nil {
		return Object{}, err
	}
	return Object{b: data, idx: idx}, nil
}

func (o Object) hdr() []byte { return rtnl.Fixed(o.b, SizeofTcmsg) }

func (o Object) get(t uint16) (nla.Attr, bool) { return rtnl.Get(o.b, SizeofTcmsg, o.idx, t) }

func (o Object) u32(t uint16) (uint32, bool) { return rtnl.U32(o.get(t)) }

// Bytes returns the message payload the view reads (the bytes after
// nlmsghdr): the tcmsg, then the attributes.
func (o Object) Bytes() []byte { return o.b }

// Attrs returns the attribute chain after the tcmsg.
func (o Object) Attrs() nla.Chain { return rtnl.Chain(o.b, SizeofTcmsg) }

// Family returns tcm_family (AF_UNSPEC but for a few classifiers).
func (o Object) Family() uint8 { return o.hdr()[0] }

// Ifindex returns the index of the object's device (IfindexMagicBlock
// for a filter of a shared block, as a negative int32).
func (o Object) Ifindex() int32 { return int32(native.Uint32(o.hdr()[4:])) }

// Handle returns tcm_handle: a qdisc's "major:", a class's
// "major:minor", a filter's handle.
func (o Object) Handle() Handle { return Handle(native.Uint32(o.hdr()[8:])) }

// Parent returns tcm_parent: HandleRoot, HandleIngress, or the class or
// qdisc the object hangs from.
func (o Object) Parent() Handle { return Handle(native.Uint32(o.hdr()[12:])) }

// Info returns tcm_info: a filter's priority and protocol, a qdisc's
// reference count.
func (o Object) Info() uint32 { return native.Uint32(o.hdr()[16:]) }

// BlockIndex returns the index of the shared block the object belongs to,
// for the filters of a block (whose Ifindex is IfindexMagicBlock).
func (o Object) BlockIndex() (uint32, bool) {
	if uint32(o.Ifindex()) != IfindexMagicBlock {
		return 0, false
	}
	return native.Uint32(o.hdr()[12:]), true
}

// Kind returns the kind: "htb", "pfifo_fast", "u32", ...
func (o Object) Kind() string { return rtnl.Text(o.get(attrKind)) }

// IsKind reports whether the kind is k, without allocating.
func (o Object) IsKind(k string) bool {
	a, ok := o.get(attrKind)
	if !ok {
		return false
	}
	return string(bytes.TrimRight(a.Data, "\x00")) == k
}

// Options returns the payload of TCA_OPTIONS, nil when absent: the
// kind's attributes (most kinds) or a structure followed by attributes
// (netem, prio, ...). Decode it with the kind's options type (see
// QdiscOptionsOf).
func (o Object) Options() []byte {
	a, ok := o.get(attrOptions)
	if !ok {
		return nil
	}
	return a.Data
}

// HasOptions reports whether the message has TCA_OPTIONS, even empty.
func (o Object) HasOptions() bool {
	_, ok := o.get(attrOptions)
	return ok
}

// ChainIndex returns the filter chain index (TCA_CHAIN).
func (o Object) ChainIndex() (uint32, bool) { return o.u32(attrChain) }

// HWOffload reports whether the object is offloaded to hardware
// (TCA_HW_OFFLOAD).
func (o Object) HWOffload() bool {
	v, ok := rtnl.U8(o.get(attrHWOffload))
	return ok && v != 0
}

// IngressBlock returns the shared block bound to a clsact or ingress
// qdisc's ingress (TCA_INGRESS_BLOCK).
func (o Object) IngressBlock() (uint32, bool) { return o.u32(attrIngressBlock) }

// EgressBlock returns the shared block bound to a clsact qdisc's egress
// (TCA_EGRESS_BLOCK).
func (o Object) EgressBlock() (uint32, bool) { return o.u32(attrEgressBlock) }

// XStats returns the kind's extended statistics, raw (TCA_XSTATS, or
// TCA_STATS_APP inside TCA_STATS2); nil when absent.
func (o Object) XStats() []byte {
	if a, ok := o.get(attrXStats); ok {
		return a.Data
	}
	if s, ok := o.get(attrStats2); ok {
		if a, ok := s.Nested().Get(statsApp); ok {
			return a.Data
		}
	}
	return nil
}

// Stats returns the object's statistics, from TCA_STATS2 or else from
// the old TCA_STATS; false when it has neither.
func (o Object) Stats() (Stats, bool) {
	if a, ok := o.get(attrStats2); ok {
		return DecodeStats(a.Data), true
	}
	if a, ok := o.get(attrStats); ok {
		return decodeOldStats(a.Data), true
	}
	return Stats{}, false
}

// ExtWarning returns the kernel's warning about the object
// (TCA_EXT_WARN_MSG), such as a qdisc that has become unusable.
func (o Object) ExtWarning() string { return rtnl.Text(o.get(attrExtWarnMsg)) }

// clone returns a copy of o that owns its bytes.
func (o Object) clone() Object { return Object{b: bytes.Clone(o.b)} }
