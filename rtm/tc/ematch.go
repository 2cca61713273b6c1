package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
)

// An extended match (ematch) tree is what the basic and cgroup
// classifiers match packets with: terms joined by "and" and "or",
// each a match of a kind (cmp, u32, meta, nbyte, canid, ...) or a
// parenthesised group, each possibly inverted. On the wire
// (TCA_EMATCH_TREE_HDR and TCA_EMATCH_TREE_LIST, linux/pkt_cls.h) the
// tree is a flat list whose groups are containers pointing to their
// first term; EncodeEmatches flattens it as tc's m_ematch.c does, and
// DecodeEmatches rebuilds the tree.

// The attributes and constants of an ematch tree (linux/pkt_cls.h).
const (
	emTreeHdr  = 1 // TCA_EMATCH_TREE_HDR: struct tcf_ematch_tree_hdr
	emTreeList = 2 // TCA_EMATCH_TREE_LIST: one attribute per match

	emProgTC     = 0 // TCF_EM_PROG_TC
	emRelAnd     = 1 // TCF_EM_REL_AND
	emRelOr      = 2 // TCF_EM_REL_OR
	emRelMask    = 3
	emInvert     = 4 // TCF_EM_INVERT
	emHdrLen     = 8 // struct tcf_ematch_hdr
	emContainer  = 0 // TCF_EM_CONTAINER
	emMaxMatches = 0xffff
)

// The kinds of extended matches (TCF_EM_*), as /etc/iproute2/ematch_map
// numbers them.
const (
	EmatchKindCmp   = 1
	EmatchKindNbyte = 2
	EmatchKindU32   = 3
	EmatchKindMeta  = 4
	EmatchKindText  = 5
	EmatchKindVlan  = 6
	EmatchKindCanID = 7
	EmatchKindIPSet = 8
	EmatchKindIPT   = 9
)

// EmatchRelation joins a term to the next one.
type EmatchRelation uint8

// The relations; the last term of a list has none.
const (
	EmatchEnd EmatchRelation = 0
	EmatchAnd EmatchRelation = emRelAnd
	EmatchOr  EmatchRelation = emRelOr
)

// EmatchTerm is one term of an extended-match expression: a match or a
// group, inverted by Not ("not"), and the relation to the next term of
// its list (ignored on the last term).
type EmatchTerm struct {
	Not      bool
	Relation EmatchRelation
	// Match is the term's match: *EmatchCmp, *EmatchU32, *EmatchMeta,
	// *EmatchNbyte, *EmatchCanID or *EmatchRaw; nil for a group.
	Match EmatchMatch
	// Group is a parenthesised expression, when Match is nil.
	Group []EmatchTerm
}

// EmatchMatch is a match of an ematch tree. Only this package
// implements it.
type EmatchMatch interface {
	// EmatchKind returns the match's kind (EmatchKindCmp, ...).
	EmatchKind() uint16
	// appendData validates the match and appends its data, after
	// its struct tcf_ematch_hdr.
	appendData(e *nla.Encoder) error
	// decode sets the match from its data.
	decode(data []byte) error
}

// flatTerm is a term of the flattened list: a match, or a container
// whose ref is the index of its group's first term.
type flatTerm struct {
	t   *EmatchTerm
	ref int
}

// flattenEmatches appends the terms of every group after list, as tc's
// flatten_tree does: a group's terms follow, at the end of the list,
// the moment its container is met, and its own groups' after them.
func flattenEmatches(list []flatTerm, first int, depth int) ([]flatTerm, error) {
	if depth > 32 {
		return nil, errors.New("groups nested too deep")
	}
	last := len(list)
	for i := first; i < last; i++ {
		t := list[i].t
		if t.Match != nil {
			continue
		}
		if len(t.Group) == 0 {
			return nil, errors.New("an empty group")
		}
		list[i].ref = len(list)
		start := len(list)
		for j := range t.Group {
			list = append(list, flatTerm{t: &t.Group[j]})
		}
		var err error
		if list, err = flattenEmatches(list, start, depth+1); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// EncodeEmatches encodes an extended-match expression into the payload
// of a classifier's ematch attribute (Basic.Ematches, Cgroup.Ematches),
// byte for byte as tc encodes "match EXPR".
func EncodeEmatches(terms []EmatchTerm) ([]byte, error) {
	if len(terms) == 0 {
		return nil, errors.New("tc: ematch: no match")
	}
	list := make([]flatTerm, 0, len(terms))
	for i := range terms {
		list = append(list, flatTerm{t: &terms[i]})
	}
	list, err := flattenEmatches(list, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("tc: ematch: %w", err)
	}
	if len(list) > emMaxMatches {
		return nil, errors.New("tc: ematch: too many matches")
	}
	e := nla.NewEncoder(nil)
	var th [4]byte
	native.PutUint16(th[0:], uint16(len(list)))
	native.PutUint16(th[2:], emProgTC)
	e.Binary(emTreeHdr, th[:])
	ln := rtnl.BeginPlain(e, emTreeList)
	for i, f := range list {
		t := f.t
		if t.Relation > EmatchOr {
			return nil, fmt.Errorf("tc: ematch: term %d: invalid relation %d", i+1, t.Relation)
		}
		n := rtnl.BeginPlain(e, uint16(i+1))
		h := e.Reserve(emHdrLen)
		flags := uint16(t.Relation)
		if t.Not {
			flags |= emInvert
		}
		if h != nil {
			native.PutUint16(h[4:], flags)
		}
		if t.Match == nil {
			if v := e.Reserve(4); v != nil {
				native.PutUint32(v, uint32(f.ref))
			}
		} else {
			if h != nil {
				native.PutUint16(h[2:], t.Match.EmatchKind())
			}
			if err := t.Match.appendData(e); err != nil {
				return nil, fmt.Errorf("tc: ematch: term %d: %w", i+1, err)
			}
		}
		n.End(e)
	}
	ln.End(e)
	return e.Bytes(), e.Err()
}

// DecodeEmatches decodes the payload of a classifier's ematch attribute
// into the expression it encodes. A match of a kind this package does
// not know is an *EmatchRaw.
func DecodeEmatches(tree []byte) ([]EmatchTerm, error) {
	c := nla.Chain(tree)
	if err := c.Err(); err != nil {
		return nil, fmt.Errorf("tc: ematch tree: %w", err)
	}
	h, ok := c.Get(emTreeHdr)
	if !ok || len(h.Data) < 4 {
		return nil, errors.New("tc: ematch tree: missing header")
	}
	l, ok := c.Get(emTreeList)
	if !ok {
		return nil, errors.New("tc: ematch tree: missing list")
	}
	n := int(native.Uint16(h.Data))
	type entry struct {
		flags, kind uint16
		data        []byte
	}
	list := make([]entry, 0, min(n, 64))
	for a := range l.Nested().All() {
		if int(a.Kind()) != len(list)+1 {
			return nil, fmt.Errorf("tc: ematch tree: match %d out of order", a.Kind())
		}
		if len(a.Data) < emHdrLen {
			return nil, fmt.Errorf("tc: ematch tree: match %d: short header", a.Kind())
		}
		list = append(list, entry{native.Uint16(a.Data[4:]), native.Uint16(a.Data[2:]), a.Data[emHdrLen:]})
	}
	if len(list) != n {
		return nil, fmt.Errorf("tc: ematch tree: %d matches, header says %d", len(list), n)
	}
	if n == 0 {
		return nil, nil
	}
	// build reads the list of terms that starts at index i, as the
	// kernel's tcf_em_tree_match walks it.
	used := make([]bool, n)
	var build func(i, depth int) ([]EmatchTerm, error)
	build = func(i, depth int) ([]EmatchTerm, error) {
		if depth > 32 {
			return nil, errors.New("tc: ematch tree: groups nested too deep")
		}
		var terms []EmatchTerm
		for ; ; i++ {
			if i >= n {
				return nil, errors.New("tc: ematch tree: a relation past the last match")
			}
			if used[i] {
				return nil, fmt.Errorf("tc: ematch tree: match %d used twice", i+1)
			}
			used[i] = true
			en := list[i]
			t := EmatchTerm{Not: en.flags&emInvert != 0, Relation: EmatchRelation(en.flags & emRelMask)}
			if t.Relation > EmatchOr {
				return nil, fmt.Errorf("tc: ematch tree: match %d: invalid relation", i+1)
			}
			if en.kind == emContainer {
				if len(en.data) < 4 {
					return nil, fmt.Errorf("tc: ematch tree: container %d: short reference", i+1)
				}
				ref := int(native.Uint32(en.data))
				if ref <= i || ref >= n {
					return nil, fmt.Errorf("tc: ematch tree: container %d: reference %d out of range", i+1, ref)
				}
				g, err := build(ref, depth+1)
				if err != nil {
					return nil, err
				}
				t.Group = g
			} else {
				m := newEmatchMatch(en.kind)
				if err := m.decode(en.data); err != nil {
					return nil, fmt.Errorf("tc: ematch tree: match %d: %w", i+1, err)
				}
				t.Match = m
			}
			terms = append(terms, t)
			if t.Relation == EmatchEnd {
				return terms, nil
			}
		}
	}
	return build(0, 0)
}

// newEmatchMatch returns an empty match of kind.
func newEmatchMatch(kind uint16) EmatchMatch {
	switch kind {
	case EmatchKindCmp:
		return new(EmatchCmp)
	case EmatchKindU32:
		return new(EmatchU32)
	case EmatchKindNbyte:
		return new(EmatchNbyte)
	case EmatchKindMeta:
		return new(EmatchMeta)
	case EmatchKindCanID:
		return new(EmatchCanID)
	}
	return &EmatchRaw{Kind: kind}
}

// EmatchRaw is a match of a kind this package does not encode (ipset,
// ipt, text, vlan, ...): its kind and data, sent as they are.
type EmatchRaw struct {
	Kind uint16
	Data []byte
}

// EmatchKind returns r.Kind.
func (r *EmatchRaw) EmatchKind() uint16 { return r.Kind }

func (r *EmatchRaw) appendData(e *nla.Encoder) error {
	if r.Kind == emContainer {
		return errors.New("kind 0 is a container")
	}
	copy(e.Reserve(len(r.Data)), r.Data)
	return nil
}

func (r *EmatchRaw) decode(data []byte) error {
	r.Data = append([]byte(nil), data...)
	return nil
}
